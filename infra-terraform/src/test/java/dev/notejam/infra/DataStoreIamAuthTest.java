package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.notejam.infra.PolicyEvaluator.Call;
import tools.jackson.databind.JsonNode;

/**
 * The app's IAM authentication to its data stores (issue 16, contract-16.md), replayed against the app role's policy
 * as each environment's stack renders it (mocked provider): an RDS auth token as its own role notejam_app on this
 * instance (rds-db:connect), and an ElastiCache token as its user for its replication group (elasticache:Connect,
 * authorised on both). The resources are built from the stack's outputs the Helm values carry too, so a renamed role,
 * user or group on one side fails here. Never the master user, another role, instance, user or group.
 */
class DataStoreIamAuthTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "test", "prod", "prod-dr" })
    void appConnectsAsItsOwnRoleAndCacheUserOnly(String env) {
        JsonNode policy = StackOutputs.output(env, "iam_policies").path("app");
        JsonNode database = StackOutputs.output(env, "database");
        JsonNode cache = StackOutputs.output(env, "cache");
        String region = StackOutputs.output(env, "region").asString();
        String account = StackOutputs.output(env, "irsa_role_arns").path("backup").asString().split(":")[4];
        String appRole = database.path("roles").path("app").asString();
        assertThat(appRole).isEqualTo("notejam_app");
        String elasticache = "arn:aws:elasticache:" + region + ":" + account + ":";
        String group = elasticache + "replicationgroup:" + cache.path("replication_group_id").asString();
        String user = elasticache + "user:" + cache.path("app_user_id").asString();
        List<Call> allowed = List.of(
                new Call("RDS IAM auth token as the app's role (each new JDBC connection)", "rds-db:connect", BackupJobIamTest.dbUser(env, appRole)),
                new Call("ElastiCache IAM auth token: the replication group", "elasticache:Connect", group),
                new Call("ElastiCache IAM auth token: the user", "elasticache:Connect", user));
        List<Call> denied = List.of(
                new Call("log in as the master user", "rds-db:connect", BackupJobIamTest.dbUser(env, "notejam")),
                new Call("log in as the backup role", "rds-db:connect", BackupJobIamTest.dbUser(env, database.path("roles").path("backup").asString())),
                new Call("log in to another instance", "rds-db:connect",
                        "arn:aws:rds-db:" + region + ":" + account + ":dbuser:db-ZZZZZZZZZZZZZZZZZZZZZZZZZZ/" + appRole),
                new Call("connect to another replication group", "elasticache:Connect", elasticache + "replicationgroup:notejam-other"),
                new Call("connect as another cache user", "elasticache:Connect", elasticache + "user:notejam-other-app"),
                new Call("read a secret", "secretsmanager:GetSecretValue", "arn:aws:secretsmanager:" + region + ":" + account + ":secret:notejam/" + env + "/app-AbCdEf"),
                new Call("change the group", "elasticache:ModifyReplicationGroup", group));
        AddOnIamTest.check(policy, "app (" + env + ")", allowed, denied);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "test", "prod", "prod-dr" })
    void backupJobConnectsAsItsReadOnlyRoleOnly(String env) {
        JsonNode policy = StackOutputs.output(env, "iam_policies").path("backup");
        String backupRole = StackOutputs.output(env, "database").path("roles").path("backup").asString();
        assertThat(backupRole).isEqualTo("notejam_backup");
        AddOnIamTest.check(policy, "backup (" + env + ")",
                List.of(new Call("RDS IAM auth token as the backup role", "rds-db:connect", BackupJobIamTest.dbUser(env, backupRole))),
                List.of(new Call("log in as the app's role", "rds-db:connect", BackupJobIamTest.dbUser(env, "notejam_app")),
                        new Call("log in as the master user", "rds-db:connect", BackupJobIamTest.dbUser(env, "notejam"))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev" })
    void devHasNoAppRole(String env) {
        // dev's in-cluster stores take passwords; the app needs no AWS identity there (least privilege).
        assertThat(StackOutputs.output(env, "iam_policies").has("app")).isFalse();
        assertThat(StackOutputs.output(env, "irsa_role_arns").has("app")).isFalse();
    }
}
