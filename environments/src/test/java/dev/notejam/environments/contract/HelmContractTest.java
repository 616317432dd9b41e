package dev.notejam.environments.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.ObjectMapper;

/**
 * The one contract from Terraform to Helm (DESIGN.md section 7), per environment, against the mocked AWS provider:
 * the stack's outputs from `terraform test` (tests/helm_contract.tftest.hcl), handed to ci/scripts/deploy.sh
 * --dry-run, the charts rendered with exactly the values files and --set-string values it passes, and every
 * cross-reference between the rendered objects and what Terraform creates checked. Needs Terraform and the
 * provider mirror: skips loudly without them, fails when CI=true.
 */
class HelmContractTest {

    private static final Path ROOT = Path.of(System.getProperty("notejam.repoRoot", "..")).toAbsolutePath().normalize();
    private static final Path WORK = ROOT.resolve("environments/target/helm-contract");
    private static final Path FIXTURES = ROOT.resolve("helm-charts/src/test/resources/values-from-terraform");
    private static final List<String> ENVIRONMENTS = List.of("dev", "test", "prod", "prod-dr");

    /**
     * Per environment, its Deployment or why it could not be made (kept too: terraform runs once per environment).
     * The four terraform runs start together on two threads (about a minute each, mostly waiting on the provider).
     */
    private static final Map<String, Future<Object>> DEPLOYMENTS = new ConcurrentHashMap<>();
    private static final ExecutorService TERRAFORM_RUNS = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "helm-contract");
        thread.setDaemon(true);
        return thread;
    });

    /** One environment as deployed: the stack's outputs, the values deploy.sh wrote and the rendered objects. */
    record Deployment(String env, Map<String, Object> outputs, Path valuesDir, List<DeployedCharts.Release> releases,
            List<Map<String, Object>> objects) {

        Map<String, Object> contract() {
            return map(map(outputs.get("helm_contract")).get("value"));
        }

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }
    }

    static Deployment deployment(String env) {
        synchronized (DEPLOYMENTS) {
            if (DEPLOYMENTS.isEmpty()) {
                for (String each : ENVIRONMENTS) {
                    DEPLOYMENTS.put(each, TERRAFORM_RUNS.submit(() -> {
                        try {
                            return (Object) deploy(each);
                        }
                        catch (RuntimeException | AssertionError ex) {
                            return ex;
                        }
                    }));
                }
            }
        }
        Object result;
        try {
            result = DEPLOYMENTS.get(env).get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (ExecutionException ex) {
            throw new IllegalStateException(ex.getCause());
        }
        if (result instanceof RuntimeException ex) {
            throw ex;
        }
        if (result instanceof AssertionError error) {
            throw error;
        }
        return (Deployment) result;
    }

    private static Deployment deploy(String env) {
        String only = System.getProperty("contract.environments", "");
        Assumptions.assumeTrue(only.isBlank() || List.of(only.split(",")).contains(env),
                () -> env + " left out by -Dcontract.environments=" + only);
        StackOutputs.unavailable().ifPresent(problem -> {
            String message = "HELM CONTRACT NOT CHECKED: " + problem;
            System.err.println("\n*** " + message + " ***\n");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + " (CI=true: a missing tool is a failure)");
            }
            Assumptions.abort(message + " (skipped outside CI)");
        });
        try {
            Files.createDirectories(WORK);
            Path stack = StackOutputs.prepare(ROOT, WORK);
            long start = System.nanoTime();
            Map<String, Object> outputs = StackOutputs.of(stack, WORK, ROOT.resolve("environments").resolve(env).resolve("platform.tfvars"));
            System.out.printf("[helm-contract] %s: terraform test in %d s%n", env, (System.nanoTime() - start) / 1_000_000_000);
            Path envDir = WORK.resolve(env);
            Files.createDirectories(envDir);
            Path outputsFile = envDir.resolve("terraform-outputs.json");
            Files.writeString(outputsFile, new ObjectMapper().writeValueAsString(outputs));
            Path valuesDir = envDir.resolve("values");
            StackOutputs.deleteTree(valuesDir);
            String dryRun = DeployedCharts.deployDryRun(ROOT, env, outputsFile, valuesDir);
            List<DeployedCharts.Release> releases = DeployedCharts.releases(dryRun);
            List<Map<String, Object>> objects = new ArrayList<>();
            for (DeployedCharts.Release release : releases) {
                objects.addAll(DeployedCharts.render(ROOT, envDir, release));
            }
            return new Deployment(env, outputs, valuesDir, releases, objects);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // --- the deploy itself --------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void deployPassesTheStacksHelmValuesAfterTheEnvironmentsFile(String env) {
        Deployment d = deployment(env);
        List<String> charts = d.releases().stream().map(DeployedCharts.Release::name).toList();
        assertThat(charts).contains("notejam", "notejam-backup");
        for (DeployedCharts.Release release : d.releases()) {
            if (!release.name().startsWith("notejam")) {
                continue;
            }
            String own = "environments/" + env + "/" + (release.name().equals("notejam") ? "notejam" : "backup") + ".values.yaml";
            Path fromTerraform = d.valuesDir().resolve(release.name() + ".values-from-terraform.json");
            assertThat(release.valuesFiles()).as("deploy.sh passes the environment's file, then the stack's values")
                    .containsExactly(own, fromTerraform.toString());
            assertThat(release.namespace()).isEqualTo(d.contract().get("namespace"));
        }
    }

    /**
     * helm-charts' tests render the charts with the same files: its copy under src/test/resources must be what the
     * stack outputs now (regenerate with -Dcontract.fixtures.update=true after changing outputs.tf or the tfvars).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void helmChartsTestsRenderWithWhatTheStackOutputs(String env) throws IOException {
        Deployment d = deployment(env);
        for (String chart : List.of("notejam", "notejam-backup")) {
            Path generated = d.valuesDir().resolve(chart + ".values-from-terraform.json");
            Path fixture = FIXTURES.resolve(env).resolve(chart + ".values-from-terraform.json");
            if (Boolean.getBoolean("contract.fixtures.update")) {
                Files.createDirectories(fixture.getParent());
                Files.copy(generated, fixture, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(fixture).as("helm-charts test values for %s/%s", env, chart).exists();
            Object expected = new Yaml().load(Files.readString(generated));
            Object copied = new Yaml().load(Files.readString(fixture));
            assertThat(copied).as("%s differs from the stack's output helm_values.%s (run with -Dcontract.fixtures.update=true)", fixture, chart)
                    .isEqualTo(expected);
        }
    }

    // --- secrets ------------------------------------------------------------------------------------------------

    /** Each secret a pod reads comes from a rendered ExternalSecret (or a dev store's Secret) that has that key. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void everySecretKeyAPodReadsIsProduced(String env) {
        Deployment d = deployment(env);
        Map<String, Set<String>> produced = new LinkedHashMap<>();
        for (Map<String, Object> es : d.ofKind("ExternalSecret")) {
            Map<String, Object> spec = map(es.get("spec"));
            Set<String> keys = produced.computeIfAbsent(str(map(spec.get("target")).get("name")), k -> new HashSet<>());
            list(spec.get("data")).forEach(entry -> keys.add(str(map(entry).get("secretKey"))));
        }
        for (Map<String, Object> secret : d.ofKind("Secret")) {
            Set<String> keys = produced.computeIfAbsent(name(secret), k -> new HashSet<>());
            keys.addAll(map(secret.getOrDefault("data", Map.of())).keySet());
            keys.addAll(map(secret.getOrDefault("stringData", Map.of())).keySet());
        }
        List<String> reads = new ArrayList<>();
        for (Map<String, Object> pod : podSpecs(d)) {
            for (Object container : concat(list(pod.get("containers")), list(pod.getOrDefault("initContainers", List.of())))) {
                for (Object env1 : list(map(container).getOrDefault("env", List.of()))) {
                    Object valueFrom = map(env1).get("valueFrom");
                    if (valueFrom == null || map(valueFrom).get("secretKeyRef") == null) {
                        continue;
                    }
                    Map<String, Object> ref = map(map(valueFrom).get("secretKeyRef"));
                    String read = str(ref.get("name")) + "/" + ref.get("key");
                    reads.add(read);
                    if (!Boolean.TRUE.equals(ref.get("optional"))) {
                        assertThat(produced.getOrDefault(str(ref.get("name")), Set.of())).as("%s: %s reads %s, which nothing renders", env,
                                map(env1).get("name"), read).contains(str(ref.get("key")));
                    }
                }
            }
        }
        assertThat(reads).as("%s: the pods read their credentials from Secrets", env).isNotEmpty();
    }

    /** Each remote secret an ExternalSecret fetches exists in Terraform, with that JSON key, readable by ESO's role. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "test", "prod", "prod-dr" })
    void everyRemoteSecretExistsInTerraformWithThatKey(String env) {
        Deployment d = deployment(env);
        Map<String, Object> secrets = map(d.contract().get("secrets"));
        List<String> readable = list(d.contract().get("external_secrets_readable")).stream().map(HelmContractTest::str).toList();
        List<Map<String, Object>> externalSecrets = d.ofKind("ExternalSecret");
        assertThat(externalSecrets).as("%s fetches its credentials through External Secrets", env).isNotEmpty();
        for (Map<String, Object> es : externalSecrets) {
            for (Object entry : list(map(es.get("spec")).get("data"))) {
                Map<String, Object> remote = map(map(entry).get("remoteRef"));
                String key = str(remote.get("key"));
                Map<String, Object> secret = secrets.values().stream().map(HelmContractTest::map)
                        .filter(s -> key.equals(s.get("remote_key"))).findFirst()
                        .orElseThrow(() -> new AssertionError(env + ": " + name(es) + " fetches remote secret '" + key
                                + "', which Terraform does not create; it creates " + secrets));
                List<Object> keys = list(secret.get("keys"));
                if (remote.get("property") == null) {
                    assertThat(keys).as("%s: '%s' holds JSON (%s); name the property", env, key, keys).isEmpty();
                }
                else {
                    assertThat(keys).as("%s: '%s' has no JSON key '%s'", env, key, remote.get("property")).contains(remote.get("property"));
                }
                assertThat(readable).as("%s: the External Secrets role may not read '%s'", env, key).contains(str(secret.get("arn")));
            }
        }
    }

    // --- identities -----------------------------------------------------------------------------------------------

    /** Each role annotation names a Terraform role whose trust policy names that namespace and service account. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void everyServiceAccountRoleTrustsThatServiceAccount(String env) {
        Deployment d = deployment(env);
        Map<String, Object> roles = map(d.contract().get("roles"));
        int annotated = 0;
        for (Map<String, Object> sa : d.ofKind("ServiceAccount")) {
            Map<String, Object> metadata = map(sa.get("metadata"));
            Object arn = map(metadata.getOrDefault("annotations", Map.of())).get("eks.amazonaws.com/role-arn");
            if (arn == null) {
                continue;
            }
            annotated++;
            String subject = "system:serviceaccount:" + metadata.get("namespace") + ":" + metadata.get("name");
            List<Map<String, Object>> matching = roles.values().stream().map(HelmContractTest::map)
                    .filter(r -> arn.equals(r.get("arn"))).toList();
            assertThat(matching).as("%s: ServiceAccount %s names role %s, which Terraform does not create", env, subject, arn).hasSize(1);
            List<Object> subjects = new ArrayList<>();
            for (Object statement : list(map(matching.get(0).get("trust")).get("Statement"))) {
                map(map(map(statement).get("Condition")).get("StringEquals")).forEach((k, v) -> {
                    if (k.endsWith(":sub")) {
                        // one subject as a string, several (the app and its migration Job) as a list
                        if (v instanceof List<?> several) {
                            subjects.addAll(several);
                        }
                        else {
                            subjects.add(v);
                        }
                    }
                });
            }
            assertThat(subjects).as("%s: role %s does not trust %s", env, arn, subject).contains(subject);
        }
        assertThat(annotated).as("%s: the backup job's service account carries its role", env).isPositive();
        for (Map<String, Object> pod : podSpecs(d)) {
            Object account = pod.get("serviceAccountName");
            if (account != null) {
                assertThat(d.ofKind("ServiceAccount").stream().map(HelmContractTest::name)).as("%s: pods run as rendered accounts", env).contains(str(account));
            }
        }
    }

    /**
     * IAM authentication (issue 16, contract-16.md): the database role and the ElastiCache user and replication group
     * the rendered pods log in as are exactly those the IAM policies of their roles name (rds-db:connect,
     * elasticache:Connect), the role-provisioning hook creates those roles, and no pod reads a database or Redis
     * password. The policies are the stack's own (output iam_policies); the chart's values come from helm_values.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "test", "prod", "prod-dr" })
    void podsLogInAsTheIdentitiesTheirIamPoliciesName(String env) {
        Deployment d = deployment(env);
        Map<String, Object> identities = map(d.contract().get("data_store_identities"));
        Map<String, Object> policies = map(map(d.outputs().get("iam_policies")).get("value"));
        Map<String, Object> dbUserArns = map(identities.get("database_user_arns"));

        // The app: database role and cache user from its ConfigMap; its role's policy names exactly those.
        assertThat(configValue(d, "NOTEJAM_DATABASE_IAM_AUTH")).isEqualTo("true");
        assertThat(configValue(d, "NOTEJAM_REDIS_IAM_AUTH")).isEqualTo("true");
        String appUser = configValue(d, "SPRING_DATASOURCE_USERNAME");
        String cacheUser = configValue(d, "NOTEJAM_REDIS_IAM_USER_ID");
        String group = configValue(d, "NOTEJAM_REDIS_REPLICATION_GROUP_ID");
        String appDbUserArn = str(dbUserArns.get("app"));
        assertThat(appDbUserArn).as("%s: the app's rds-db:connect ARN names the role the app logs in as", env).endsWith("/" + appUser);
        assertThat(allowed(policies.get("app"), "rds-db:connect")).as("%s: the app's role may connect as %s only", env, appUser)
                .containsExactly(appDbUserArn);
        assertThat(allowed(policies.get("app"), "elasticache:Connect")).as("%s: the app's role connects to its group as its user", env)
                .containsExactlyInAnyOrder(str(list(identities.get("cache_connect_arns")).get(0)), str(list(identities.get("cache_connect_arns")).get(1)))
                .anyMatch(arn -> arn.endsWith(":user:" + cacheUser)).anyMatch(arn -> arn.endsWith(":replicationgroup:" + group));
        assertThat(cacheUser).as("%s: ElastiCache user", env).isEqualTo(identities.get("cache_user_id"));
        assertThat(group).as("%s: replication group", env).isEqualTo(identities.get("replication_group"));

        // The backup job: its read-only role, named in its policy.
        String backupUser = backupConfigValue(d, "BACKUP_DATABASE_USERNAME");
        assertThat(str(dbUserArns.get("backup"))).endsWith("/" + backupUser);
        assertThat(allowed(policies.get("backup"), "rds-db:connect")).as("%s: the backup role may connect as %s only", env, backupUser)
                .containsExactly(str(dbUserArns.get("backup")));
        assertThat(backupUser).as("%s: app and backup log in as different roles", env).isNotEqualTo(appUser);

        // The hook creates exactly those roles (not while prod-dr's database is a read-only replica: no master secret).
        List<Map<String, Object>> hooks = d.ofKind("Job").stream()
                .filter(job -> "database-roles".equals(map(map(job.get("metadata")).get("labels")).get("app.kubernetes.io/component"))).toList();
        boolean standby = map(d.contract().get("secrets")).get("database") == null;
        assertThat(hooks).as("%s: the role-provisioning hook runs wherever the master secret exists", env).hasSize(standby ? 0 : 1);
        for (Map<String, Object> hook : hooks) {
            Map<String, String> hookEnv = plainEnv(single(list(map(map(map(hook.get("spec")).get("template")).get("spec")).get("containers")).stream()
                    .map(HelmContractTest::map).toList()));
            assertThat(hookEnv).as("%s: the hook creates the roles the pods log in as", env).containsEntry("NOTEJAM_APP_ROLE", appUser)
                    .containsEntry("NOTEJAM_BACKUP_ROLE", backupUser).containsEntry("NOTEJAM_ROLE_AUTH", "iam");
        }

        // No pod reads a database or Redis password (the hook's PGPASSWORD is the master's, read by the hook alone).
        for (Map<String, Object> pod : podSpecs(d)) {
            for (Object container : list(pod.get("containers"))) {
                for (Object entry : list(map(container).getOrDefault("env", List.of()))) {
                    String name = str(map(entry).get("name"));
                    assertThat(name).as("%s: container %s", env, map(container).get("name"))
                            .isNotIn("SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_PASSWORD", "BACKUP_DATABASE_PASSWORD");
                    if (name.equals("PGPASSWORD")) {
                        assertThat(map(container).get("name")).isEqualTo("provision-roles");
                    }
                }
            }
        }
    }

    /** Resources a policy allows for an action (Allow statements naming it). */
    private static List<String> allowed(Object policy, String action) {
        List<String> resources = new ArrayList<>();
        for (Object statement : list(map(policy).get("Statement"))) {
            Map<String, Object> s = map(statement);
            Object actions = s.get("Action");
            boolean names = actions instanceof List<?> several ? several.contains(action) : action.equals(actions);
            if ("Allow".equals(s.get("Effect")) && names) {
                Object resource = s.get("Resource");
                if (resource instanceof List<?> several) {
                    several.forEach(r -> resources.add(str(r)));
                }
                else {
                    resources.add(str(resource));
                }
            }
        }
        return resources;
    }

    private static Map<String, String> plainEnv(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object entry : list(container.getOrDefault("env", List.of()))) {
            Object value = map(entry).get("value");
            if (value != null) {
                env.put(str(map(entry).get("name")), str(value));
            }
        }
        return env;
    }

    private static String backupConfigValue(Deployment d, String key) {
        for (Map<String, Object> configMap : d.ofKind("ConfigMap")) {
            if (str(map(configMap.get("metadata")).get("name")).contains("backup")) {
                Object value = map(configMap.getOrDefault("data", Map.of())).get(key);
                if (value != null) {
                    return str(value);
                }
            }
        }
        throw new AssertionError(d.env() + ": no backup ConfigMap sets " + key);
    }

    // --- network ----------------------------------------------------------------------------------------------------

    /** NetworkPolicy address peers are the VPC's range (internet egress only to 0.0.0.0/0 on 443/587). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void networkPolicyPeersAreTheVpcRange(String env) {
        Deployment d = deployment(env);
        String vpc = str(d.contract().get("vpc_cidr"));
        int vpcPeers = 0;
        for (Map<String, Object> policy : d.ofKind("NetworkPolicy")) {
            Map<String, Object> spec = map(policy.get("spec"));
            for (Object rule : list(spec.getOrDefault("ingress", List.of()))) {
                for (Object peer : list(map(rule).getOrDefault("from", List.of()))) {
                    Object block = map(peer).get("ipBlock");
                    if (block != null) {
                        assertThat(map(block).get("cidr")).as("%s: %s admits %s", env, name(policy), block).isEqualTo(vpc);
                        vpcPeers++;
                    }
                }
            }
            for (Object rule : list(spec.getOrDefault("egress", List.of()))) {
                for (Object peer : list(map(rule).getOrDefault("to", List.of()))) {
                    Object block = map(peer).get("ipBlock");
                    if (block == null) {
                        continue;
                    }
                    String cidr = str(map(block).get("cidr"));
                    if (cidr.equals("0.0.0.0/0")) {
                        Set<Object> ports = new HashSet<>();
                        list(map(rule).get("ports")).forEach(p -> ports.add(map(p).get("port")));
                        assertThat(ports).as("%s: %s reaches the internet only for HTTPS and SMTP", env, name(policy)).isSubsetOf(443, 587);
                    }
                    else {
                        assertThat(cidr).as("%s: %s egress", env, name(policy)).isEqualTo(vpc);
                        vpcPeers++;
                    }
                }
            }
        }
        assertThat(vpcPeers).as("%s: the ALB's addresses in the VPC reach the app", env).isPositive();
    }

    /** The proxies whose X-Forwarded-* headers the app trusts are the VPC's addresses, and only those. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void trustedProxiesAreTheVpcRange(String env) throws IOException {
        Deployment d = deployment(env);
        String vpc = str(d.contract().get("vpc_cidr"));
        Pattern proxies = Pattern.compile(configValue(d, "SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES"));
        byte[] inside = InetAddress.getByName(vpc.split("/")[0]).getAddress();
        inside[3] = 17;
        byte[] outside = inside.clone();
        outside[1] = (byte) (outside[1] + 1);
        assertThat(proxies.matcher(InetAddress.getByAddress(inside).getHostAddress()).matches()).as("%s: %s inside %s", env, proxies, vpc).isTrue();
        assertThat(proxies.matcher(InetAddress.getByAddress(outside).getHostAddress()).matches()).as("%s: %s outside %s", env, proxies, vpc).isFalse();
    }

    // --- edge -------------------------------------------------------------------------------------------------------

    /** Ingress host = certificate domain = DNS record = the app's base URL; TLS on the ALB with that certificate. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void ingressHostIsTheCertificatesDomainAndTheDnsRecord(String env) {
        Deployment d = deployment(env);
        Map<String, Object> edge = map(d.contract().get("edge"));
        Map<String, Object> ingress = single(d.ofKind("Ingress"));
        String host = str(map(list(map(ingress.get("spec")).get("rules")).get(0)).get("host"));
        assertThat(host).as("%s: Ingress host", env).isEqualTo(edge.get("host"))
                .isEqualTo(edge.get("certificate_domain")).isEqualTo(edge.get("record_name"));
        assertThat(configValue(d, "NOTEJAM_BASE_URL")).isEqualTo("https://" + host);
        Map<String, Object> annotations = map(map(ingress.get("metadata")).get("annotations"));
        assertThat(str(annotations.get("alb.ingress.kubernetes.io/certificate-arn"))).as("%s: TLS certificate", env).startsWith("arn:aws:acm:");
        assertThat(str(annotations.get("alb.ingress.kubernetes.io/listen-ports"))).contains("443");
    }

    /** The Route 53 failover health check requests a host the Ingress routes, a path it serves, over its TLS port. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "prod", "prod-dr" })
    void failoverHealthCheckRequestsAHostAndPathTheIngressServes(String env) {
        Deployment d = deployment(env);
        Map<String, Object> check = map(map(d.contract().get("edge")).get("health_check"));
        assertThat(check).as("%s decides failover by a health check", env).isNotNull();
        Map<String, Object> ingress = single(d.ofKind("Ingress"));
        Map<String, Object> rule = list(map(ingress.get("spec")).get("rules")).stream().map(HelmContractTest::map)
                .filter(r -> Objects.equals(r.get("host"), check.get("fqdn"))).findFirst()
                .orElseThrow(() -> new AssertionError(env + ": the health check requests host " + check.get("fqdn")
                        + ", which the Ingress does not route (the ALB would answer 404 and fail over)"));
        String path = str(check.get("path"));
        boolean served = list(map(rule.get("http")).get("paths")).stream().map(HelmContractTest::map)
                .anyMatch(p -> "Prefix".equals(p.get("pathType")) && path.startsWith(str(p.get("path")))
                        || "Exact".equals(p.get("pathType")) && path.equals(p.get("path")));
        assertThat(served).as("%s: the Ingress serves %s", env, path).isTrue();
        assertThat(check.get("type")).isEqualTo("HTTPS");
        assertThat(((Number) check.get("port")).intValue()).isEqualTo(443);
        assertThat(str(map(map(ingress.get("metadata")).get("annotations")).get("alb.ingress.kubernetes.io/listen-ports"))).contains("443");
    }

    // --- the add-on layer -------------------------------------------------------------------------------------------

    /**
     * Every kind (built-in or CRD), IngressClass, StorageClass and ClusterSecretStore the rendered charts use is one
     * the environment's add-on layer provides (the stack's output addon_layer.provides).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "dev", "test", "prod", "prod-dr" })
    void everythingTheChartsUseIsProvidedByTheAddOnLayer(String env) {
        Deployment d = deployment(env);
        assertThat(d.outputs()).as("%s: the stack outputs its add-on layer", env).containsKey("addon_layer");
        Map<String, Object> provides = map(map(map(d.outputs().get("addon_layer")).get("value")).get("provides"));
        Set<String> kinds = new HashSet<>();
        Set<String> ingressClasses = new HashSet<>();
        Set<String> storageClasses = new HashSet<>();
        Set<String> stores = new HashSet<>();
        for (Map<String, Object> object : d.objects()) {
            kinds.add(object.get("apiVersion") + "/" + object.get("kind"));
            Map<String, Object> spec = map(object.getOrDefault("spec", Map.of()));
            if ("Ingress".equals(object.get("kind"))) {
                ingressClasses.add(str(spec.get("ingressClassName")));
            }
            if ("ExternalSecret".equals(object.get("kind"))) {
                Map<String, Object> store = map(spec.get("secretStoreRef"));
                assertThat(store.get("kind")).isEqualTo("ClusterSecretStore");
                stores.add(str(store.get("name")));
            }
            List<Object> claims = new ArrayList<>(list(spec.get("volumeClaimTemplates")));
            if ("PersistentVolumeClaim".equals(object.get("kind"))) {
                claims.add(object);
            }
            for (Object claim : claims) {
                Object storageClass = map(map(claim).get("spec")).get("storageClassName");
                storageClasses.add(storageClass == null ? str(provides.get("default_storage_class")) : str(storageClass));
            }
        }
        assertThat(list(provides.get("api_kinds")).stream().map(HelmContractTest::str)).as("%s: kinds and CRDs", env).containsAll(kinds);
        assertThat(list(provides.get("ingress_classes")).stream().map(HelmContractTest::str)).as("%s: IngressClasses", env).containsAll(ingressClasses);
        assertThat(list(provides.get("storage_classes")).stream().map(HelmContractTest::str)).as("%s: StorageClasses (null: no default)", env)
                .containsAll(storageClasses);
        assertThat(list(provides.get("cluster_secret_stores")).stream().map(HelmContractTest::str)).as("%s: ClusterSecretStores", env).containsAll(stores);
        if (env.equals("dev")) {
            assertThat(storageClasses).as("dev's data stores claim volumes").isNotEmpty();
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static String configValue(Deployment d, String key) {
        for (Map<String, Object> configMap : d.ofKind("ConfigMap")) {
            Object value = map(configMap.getOrDefault("data", Map.of())).get(key);
            if (value != null) {
                return str(value);
            }
        }
        throw new AssertionError(d.env() + ": no ConfigMap sets " + key);
    }

    private static List<Map<String, Object>> podSpecs(Deployment d) {
        List<Map<String, Object>> pods = new ArrayList<>();
        for (Map<String, Object> object : d.objects()) {
            Map<String, Object> spec = map(object.getOrDefault("spec", Map.of()));
            switch (str(object.get("kind"))) {
                case "Pod" -> pods.add(spec);
                case "Deployment", "StatefulSet", "Job" -> pods.add(map(map(spec.get("template")).get("spec")));
                case "CronJob" -> pods.add(map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec")));
                default -> {
                }
            }
        }
        return pods;
    }

    private static Map<String, Object> single(List<Map<String, Object>> objects) {
        assertThat(objects).hasSize(1);
        return objects.get(0);
    }

    private static String name(Map<String, Object> object) {
        return str(map(object.get("metadata")).get("name"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? null : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
