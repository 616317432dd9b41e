package dev.notejam.app.credentials;

import org.springframework.core.env.Environment;

import java.util.regex.Pattern;

/**
 * The IAM authentication switches, read from the environment when the connections are set up (not at build time,
 * so the fast-start mode's ahead-of-time configuration honours them as well). Everything is off by default: the
 * local run, the tests and dev's in-cluster PostgreSQL and Redis use passwords.
 */
final class IamAuthSettings {

    static final String DATABASE_FLAG = "NOTEJAM_DATABASE_IAM_AUTH";
    static final String REDIS_FLAG = "NOTEJAM_REDIS_IAM_AUTH";
    static final String REDIS_USER_ID = "NOTEJAM_REDIS_IAM_USER_ID";
    static final String REDIS_REPLICATION_GROUP_ID = "NOTEJAM_REDIS_REPLICATION_GROUP_ID";

    /** ElastiCache user ids and replication group ids: a letter, then letters, digits and hyphens. */
    private static final Pattern ELASTICACHE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,119}");

    private IamAuthSettings() {
    }

    static boolean databaseEnabled(Environment environment) {
        return flag(environment, DATABASE_FLAG);
    }

    static boolean redisEnabled(Environment environment) {
        return flag(environment, REDIS_FLAG);
    }

    /** The AWS region tokens are signed for; required once a flag is on. */
    static String region(Environment environment, String flag) {
        String region = text(environment, "AWS_REGION");
        if (region == null) {
            region = text(environment, "AWS_DEFAULT_REGION");
        }
        if (region == null) {
            throw new IllegalStateException(flag + "=true needs AWS_REGION (the region of the database and cache)");
        }
        return region;
    }

    static String redisUserId(Environment environment) {
        return elastiCacheId(environment, REDIS_USER_ID);
    }

    static String redisReplicationGroupId(Environment environment) {
        return elastiCacheId(environment, REDIS_REPLICATION_GROUP_ID);
    }

    private static String elastiCacheId(Environment environment, String name) {
        String value = text(environment, name);
        if (value == null || !ELASTICACHE_ID.matcher(value).matches()) {
            throw new IllegalStateException(REDIS_FLAG + "=true needs " + name
                    + " (a letter, then letters, digits and hyphens), got " + (value == null ? "nothing" : "'" + value + "'"));
        }
        return value;
    }

    private static boolean flag(Environment environment, String name) {
        String value = text(environment, name);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalStateException(name + " must be true or false, got '" + value + "'");
    }

    private static String text(Environment environment, String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
