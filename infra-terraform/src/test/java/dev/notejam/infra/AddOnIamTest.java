package dev.notejam.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.notejam.infra.PolicyEvaluator.Call;
import tools.jackson.databind.JsonNode;

/**
 * Replays the AWS API calls each workload makes against its role's inline policy as the prod stack renders it
 * (stack outputs under the mocked provider: policy documents are real, ARNs of computed resources are the mock's).
 * Each test lists the calls of the pinned version (docs/cluster-addons.md names the sources; the backup job's come
 * from its code, backup-jobs/.../BackupStore.java) and a few calls that must stay denied.
 * Evaluated by {@link PolicyEvaluator} (identity policies only; SCPs and key policies are not modelled).
 */
class AddOnIamTest {

    private static final String ENV = "prod";
    private static JsonNode policies;
    private static String region;
    private static String account;
    private static String cluster;
    private static String vpcArn;

    @BeforeAll
    static void stack() {
        policies = StackOutputs.output(ENV, "iam_policies");
        region = StackOutputs.output(ENV, "region").asString();
        cluster = StackOutputs.output(ENV, "cluster_name").asString();
        account = StackOutputs.output(ENV, "irsa_role_arns").path("backup").asString().split(":")[4];
        vpcArn = "arn:aws:ec2:" + region + ":" + account + ":vpc/" + StackOutputs.output(ENV, "vpc_id").asString();
    }

    @Test
    void loadBalancerControllerCallsPassInItsVpcOnly() {
        String sg = "arn:aws:ec2:" + region + ":" + account + ":security-group/";
        String elb = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":";
        String alb = elb + "loadbalancer/app/k8s-notejam-3b1c2d4e5f/50dc6c495c0c9188";
        String tg = elb + "targetgroup/k8s-notejam-notejam-0a1b2c3d4e/73e2d6bc24d8a067";
        Map<String, String> ownTagOnCreate = Map.of("aws:RequestTag/elbv2.k8s.aws/cluster", cluster);
        Map<String, String> owned = Map.of("aws:ResourceTag/elbv2.k8s.aws/cluster", cluster);
        List<Call> allowed = List.of(
                new Call("discover subnets", "ec2:DescribeSubnets", "*"),
                new Call("discover load balancers", "elasticloadbalancing:DescribeLoadBalancers", "*"),
                new Call("read listener attributes (v2.13)", "elasticloadbalancing:DescribeListenerAttributes", "*"),
                new Call("security groups of the VPC (v2.13)", "ec2:GetSecurityGroupsForVpc", "*"),
                new Call("read the certificate", "acm:DescribeCertificate", "arn:aws:acm:" + region + ":" + account + ":certificate/0a1b2c3d"),
                new Call("create the ALB's security group", "ec2:CreateSecurityGroup", vpcArn, ownTagOnCreate),
                new Call("create the ALB's security group (group part)", "ec2:CreateSecurityGroup", sg + "sg-0f00000000000000a", ownTagOnCreate),
                new Call("tag it while creating", "ec2:CreateTags", sg + "sg-0f00000000000000a",
                        Map.of("ec2:CreateAction", "CreateSecurityGroup", "aws:RequestTag/elbv2.k8s.aws/cluster", cluster)),
                new Call("open the untagged cluster security group to the ALB", "ec2:AuthorizeSecurityGroupIngress",
                        sg + "sg-0c1a2b3c4d5e6f701", Map.of("ec2:Vpc", vpcArn)),
                new Call("close it again", "ec2:RevokeSecurityGroupIngress", sg + "sg-0c1a2b3c4d5e6f701", Map.of("ec2:Vpc", vpcArn)),
                new Call("create the ALB", "elasticloadbalancing:CreateLoadBalancer", "*", ownTagOnCreate),
                new Call("tag the ALB on create", "elasticloadbalancing:AddTags", alb,
                        Map.of("elasticloadbalancing:CreateAction", "CreateLoadBalancer", "aws:RequestTag/elbv2.k8s.aws/cluster", cluster)),
                new Call("create the target group", "elasticloadbalancing:CreateTargetGroup", "*", ownTagOnCreate),
                new Call("HTTPS listener", "elasticloadbalancing:CreateListener", alb),
                new Call("the Ingress rule", "elasticloadbalancing:CreateRule", elb + "listener/app/k8s-notejam-3b1c2d4e5f/50dc6c495c0c9188/f2f7dc8efc522ab2"),
                new Call("register pod IPs", "elasticloadbalancing:RegisterTargets", tg),
                new Call("deregister pod IPs", "elasticloadbalancing:DeregisterTargets", tg),
                new Call("deregistration delay", "elasticloadbalancing:ModifyTargetGroupAttributes", tg, owned),
                new Call("ALB attributes", "elasticloadbalancing:ModifyLoadBalancerAttributes", alb, owned),
                new Call("attach the WAF ACL", "wafv2:AssociateWebACL", alb),
                new Call("delete its own ALB", "elasticloadbalancing:DeleteLoadBalancer", alb, owned));
        List<Call> denied = List.of(
                new Call("open a security group in another VPC", "ec2:AuthorizeSecurityGroupIngress", sg + "sg-0deadbeef0000000",
                        Map.of("ec2:Vpc", "arn:aws:ec2:" + region + ":" + account + ":vpc/vpc-0ffffffffffffffff")),
                new Call("delete a load balancer it did not create", "elasticloadbalancing:DeleteLoadBalancer", alb),
                new Call("delete a security group it did not create", "ec2:DeleteSecurityGroup", sg + "sg-0c1a2b3c4d5e6f701"),
                new Call("create an untagged load balancer", "elasticloadbalancing:CreateLoadBalancer", "*"));
        check("aws-load-balancer-controller", allowed, denied);
    }

    @Test
    void clusterAutoscalerScalesOnlyThisClustersNodeGroups() {
        String asg = "arn:aws:autoscaling:" + region + ":" + account
                + ":autoScalingGroup:6d3b0f2a-1111-2222-3333-444455556666:autoScalingGroupName/eks-notejam-a-0ac5d3e1";
        Map<String, String> ownTag = Map.of("aws:ResourceTag/k8s.io/cluster-autoscaler/" + cluster, "owned");
        List<Call> allowed = List.of(
                new Call("auto-discover node groups", "autoscaling:DescribeAutoScalingGroups", "*"),
                new Call("instances of the groups", "autoscaling:DescribeAutoScalingInstances", "*"),
                new Call("scale-up simulation", "ec2:DescribeInstanceTypes", "*"),
                new Call("launch template of a group", "ec2:DescribeLaunchTemplateVersions", "*"),
                new Call("labels of a group at zero nodes", "eks:DescribeNodegroup",
                        "arn:aws:eks:" + region + ":" + account + ":nodegroup/" + cluster + "/" + cluster + "-" + region + "a/0ac5d3e1-1111"),
                new Call("scale up", "autoscaling:SetDesiredCapacity", asg, ownTag),
                new Call("scale down one node", "autoscaling:TerminateInstanceInAutoScalingGroup", asg, ownTag));
        List<Call> denied = List.of(
                new Call("scale another cluster's group", "autoscaling:SetDesiredCapacity", asg,
                        Map.of("aws:ResourceTag/k8s.io/cluster-autoscaler/notejam-other", "owned")),
                new Call("change a launch template", "ec2:CreateLaunchTemplateVersion", "*"));
        check("cluster-autoscaler", allowed, denied);
    }

    @Test
    void externalSecretsReadsExactlyTheSecretsThePodsUse() {
        List<Call> allowed = new ArrayList<>();
        for (String arn : List.of(
                StackOutputs.output(ENV, "app_secret_arn").asString(),
                // read only by the role-provisioning hook (Redis has no token any more: IAM authentication)
                StackOutputs.output(ENV, "database").path("master_user_secret_arn").asString())) {
            allowed.add(new Call("sync " + arn, "secretsmanager:GetSecretValue", arn));
        }
        String key = statement("external-secrets", "DecryptThroughSecretsManager").path("Resource").get(0).asString();
        allowed.add(new Call("decrypt a secret through Secrets Manager", "kms:Decrypt", key,
                Map.of("kms:ViaService", "secretsmanager." + region + ".amazonaws.com")));
        List<Call> denied = List.of(
                new Call("read another secret", "secretsmanager:GetSecretValue",
                        "arn:aws:secretsmanager:" + region + ":" + account + ":secret:other/prod/admin-AbCdEf"),
                new Call("decrypt directly with the key", "kms:Decrypt", key),
                new Call("list every secret", "secretsmanager:ListSecrets", "*"));
        check("external-secrets", allowed, denied);
    }

    @Test
    void logShipperWritesOnlyThisClustersContainerLogs() {
        JsonNode logGroups = StackOutputs.output(ENV, "addon_layer").path("provides").path("log_groups");
        assertThat(logGroups.size()).as("log groups of the add-on layer").isGreaterThan(0);
        String logs = "arn:aws:logs:" + region + ":" + account + ":log-group:";
        List<Call> allowed = new ArrayList<>();
        for (JsonNode group : logGroups) {
            String stream = logs + group.asString() + ":log-stream:ip-10-30-1-17.eu-west-1.compute.internal-application.var.log.containers.notejam";
            allowed.add(new Call("stream in " + group.asString(), "logs:CreateLogStream", stream));
            allowed.add(new Call("ship to " + group.asString(), "logs:PutLogEvents", stream));
            allowed.add(new Call("find streams of " + group.asString(), "logs:DescribeLogStreams", logs + group.asString()));
        }
        allowed.add(new Call("Container Insights metrics", "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "ContainerInsights")));
        allowed.add(new Call("node volumes", "ec2:DescribeVolumes", "*"));
        List<Call> denied = List.of(
                new Call("write into the control-plane log group", "logs:PutLogEvents", logs + "/aws/eks/" + cluster + "/cluster:log-stream:x"),
                new Call("forge backup metrics", "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "Notejam/Backup")),
                new Call("shorten retention", "logs:PutRetentionPolicy", logs + "/aws/containerinsights/" + cluster + "/application"));
        check("cloudwatch-agent", allowed, denied);
    }

    private static JsonNode statement(String role, String sid) {
        for (JsonNode s : policies.path(role).path("Statement")) {
            if (sid.equals(s.path("Sid").asString(""))) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sid + " in the " + role + " policy");
    }

    static void check(JsonNode policy, String role, List<Call> allowed, List<Call> denied) {
        assertThat(policy.isMissingNode()).as("policy of " + role + " in the stack outputs").isFalse();
        List<String> problems = new ArrayList<>();
        allowed.stream().filter(c -> !PolicyEvaluator.allows(policy, c)).forEach(c -> problems.add("DENIED but needed: " + c));
        denied.stream().filter(c -> PolicyEvaluator.allows(policy, c)).forEach(c -> problems.add("ALLOWED but must not be: " + c));
        assertThat(problems).as(role + " policy against its calls:\n" + policy.toPrettyString()).isEmpty();
    }

    private static void check(String role, List<Call> allowed, List<Call> denied) {
        check(policies.path(role), role, allowed, denied);
    }
}
