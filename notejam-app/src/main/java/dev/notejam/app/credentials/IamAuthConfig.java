package dev.notejam.app.credentials;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.RedisCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * Opt-in IAM authentication: with {@code NOTEJAM_DATABASE_IAM_AUTH=true} every new pool connection logs in with a
 * fresh RDS IAM token, with {@code NOTEJAM_REDIS_IAM_AUTH=true} every new Redis connection with a fresh ElastiCache
 * token. Nothing secret is stored anywhere, and credential changes never touch open connections: running pods
 * survive them. Both flags are read at run time, so the fast-start (AOT) image honours them too.
 * <p>
 * A bean named {@value #DATABASE_TOKENS_BEAN} or {@value #REDIS_TOKENS_BEAN} of type {@link ConnectionTokens}
 * replaces the AWS signer (the tests use it to rotate real passwords on real servers).
 */
@Configuration(proxyBeanMethods = false)
class IamAuthConfig {

    static final String DATABASE_TOKENS_BEAN = "databaseConnectionTokens";
    static final String REDIS_TOKENS_BEAN = "redisConnectionTokens";

    private static final Logger log = LoggerFactory.getLogger(IamAuthConfig.class);

    @Bean
    static BeanPostProcessor databaseIamAuthentication(Environment environment, BeanFactory beans) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool && IamAuthSettings.databaseEnabled(environment)) {
                    if (pool.getPassword() != null && !pool.getPassword().isBlank()) {
                        throw new IllegalStateException(IamAuthSettings.DATABASE_FLAG
                                + "=true: unset SPRING_DATASOURCE_PASSWORD, the pool logs in with IAM tokens only");
                    }
                    ConnectionTokens tokens = beans.containsBean(DATABASE_TOKENS_BEAN)
                            ? beans.getBean(DATABASE_TOKENS_BEAN, ConnectionTokens.class)
                            : AwsIamTokens.forDatabase(pool.getJdbcUrl(), pool.getUsername(),
                                    IamAuthSettings.region(environment, IamAuthSettings.DATABASE_FLAG));
                    pool.setCredentialsProvider(new DatabaseCredentialsPerConnection(pool.getUsername(), tokens));
                    log.info("Database connections log in as {} with a new IAM token each", pool.getUsername());
                }
                return bean;
            }
        };
    }

    @Bean
    LettuceClientConfigurationBuilderCustomizer redisIamAuthentication(Environment environment, BeanFactory beans) {
        return builder -> {
            if (!IamAuthSettings.redisEnabled(environment)) {
                return;
            }
            String password = environment.getProperty("spring.data.redis.password");
            if (password != null && !password.isBlank()) {
                throw new IllegalStateException(IamAuthSettings.REDIS_FLAG
                        + "=true: unset SPRING_DATA_REDIS_PASSWORD, Redis connections log in with IAM tokens only");
            }
            String userId = IamAuthSettings.redisUserId(environment);
            ConnectionTokens tokens = beans.containsBean(REDIS_TOKENS_BEAN)
                    ? beans.getBean(REDIS_TOKENS_BEAN, ConnectionTokens.class)
                    : AwsIamTokens.forRedis(IamAuthSettings.redisReplicationGroupId(environment), userId,
                            IamAuthSettings.region(environment, IamAuthSettings.REDIS_FLAG));
            RedisCredentialsProvider perConnection = new RedisCredentialsPerConnection(userId, tokens);
            builder.redisCredentialsProviderFactory(new RedisCredentialsProviderFactory() {
                @Override
                public RedisCredentialsProvider createCredentialsProvider(RedisConfiguration configuration) {
                    return perConnection;
                }
            });
            log.info("Redis connections log in as {} with a new IAM token each", userId);
        };
    }
}
