# Inline policies of the add-ons, written from each project's documented permissions for the pinned version
# (docs/cluster-addons.md lists the sources) and narrowed to this account, region, VPC and cluster.
# infra-terraform/src/test/.../AddOnIamTest replays each add-on's API calls against these documents.

locals {
  elb_arn = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}"
  ec2_arn = "arn:${local.partition}:ec2:${local.region}:${local.account_id}"
  logs_groups = [
    "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.container_log_group_prefix}/*",
    "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.container_log_group_prefix}/*:log-stream:*",
  ]
  # Resources the load balancer controller created carry this tag; it may change only those.
  lbc_tag = "elbv2.k8s.aws/cluster"

  policies = {
    aws-load-balancer-controller = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "ElbServiceLinkedRole"
          Effect    = "Allow"
          Action    = "iam:CreateServiceLinkedRole"
          Resource  = "*"
          Condition = { StringEquals = { "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com" } }
        },
        {
          # Describe and Get calls accept no resource-level restriction.
          Sid    = "Discover"
          Effect = "Allow"
          Action = [
            "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables", "ec2:DescribeIpamPools",
            "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools", "ec2:GetSecurityGroupsForVpc",
            "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
            "elasticloadbalancing:DescribeCapacityReservation",
            "acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates", "iam:GetServerCertificate",
            "cognito-idp:DescribeUserPoolClient", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
            "waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "shield:GetSubscriptionState",
            "shield:DescribeProtection",
          ]
          Resource = "*"
        },
        {
          Sid      = "AttachWebAcl"
          Effect   = "Allow"
          Action   = ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL"]
          Resource = "*"
        },
        {
          # The ALB's rule on the nodes' (cluster) security group: that group is EKS's, untagged, so the scope is
          # the cluster's VPC rather than the controller's tag.
          Sid       = "SecurityGroupRulesInClusterVpc"
          Effect    = "Allow"
          Action    = ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"]
          Resource  = "${local.ec2_arn}:security-group/*"
          Condition = { ArnEquals = { "ec2:Vpc" = local.vpc_arn } }
        },
        {
          Sid       = "CreateTaggedSecurityGroupInClusterVpc"
          Effect    = "Allow"
          Action    = "ec2:CreateSecurityGroup"
          Resource  = [local.vpc_arn, "${local.ec2_arn}:security-group/*"]
          Condition = { Null = { "aws:RequestTag/${local.lbc_tag}" = "false" } }
        },
        {
          Sid      = "TagSecurityGroupOnCreate"
          Effect   = "Allow"
          Action   = "ec2:CreateTags"
          Resource = "${local.ec2_arn}:security-group/*"
          Condition = {
            StringEquals = { "ec2:CreateAction" = "CreateSecurityGroup" }
            Null         = { "aws:RequestTag/${local.lbc_tag}" = "false" }
          }
        },
        {
          Sid      = "RetagOwnSecurityGroups"
          Effect   = "Allow"
          Action   = ["ec2:CreateTags", "ec2:DeleteTags"]
          Resource = "${local.ec2_arn}:security-group/*"
          Condition = {
            Null = { "aws:RequestTag/${local.lbc_tag}" = "true", "aws:ResourceTag/${local.lbc_tag}" = "false" }
          }
        },
        {
          Sid       = "DeleteOwnSecurityGroups"
          Effect    = "Allow"
          Action    = "ec2:DeleteSecurityGroup"
          Resource  = "${local.ec2_arn}:security-group/*"
          Condition = { Null = { "aws:ResourceTag/${local.lbc_tag}" = "false" } }
        },
        {
          Sid       = "CreateTaggedLoadBalancers"
          Effect    = "Allow"
          Action    = ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
          Resource  = "*"
          Condition = { Null = { "aws:RequestTag/${local.lbc_tag}" = "false" } }
        },
        {
          Sid      = "TagLoadBalancersOnCreate"
          Effect   = "Allow"
          Action   = "elasticloadbalancing:AddTags"
          Resource = ["${local.elb_arn}:targetgroup/*/*", "${local.elb_arn}:loadbalancer/net/*/*", "${local.elb_arn}:loadbalancer/app/*/*"]
          Condition = {
            StringEquals = { "elasticloadbalancing:CreateAction" = ["CreateTargetGroup", "CreateLoadBalancer"] }
            Null         = { "aws:RequestTag/${local.lbc_tag}" = "false" }
          }
        },
        {
          Sid      = "RetagOwnLoadBalancers"
          Effect   = "Allow"
          Action   = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
          Resource = ["${local.elb_arn}:targetgroup/*/*", "${local.elb_arn}:loadbalancer/net/*/*", "${local.elb_arn}:loadbalancer/app/*/*"]
          Condition = {
            Null = { "aws:RequestTag/${local.lbc_tag}" = "true", "aws:ResourceTag/${local.lbc_tag}" = "false" }
          }
        },
        {
          Sid      = "TagListenersAndRules"
          Effect   = "Allow"
          Action   = ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"]
          Resource = ["${local.elb_arn}:listener/net/*/*/*", "${local.elb_arn}:listener/app/*/*/*", "${local.elb_arn}:listener-rule/net/*/*/*", "${local.elb_arn}:listener-rule/app/*/*/*"]
        },
        {
          Sid    = "ChangeOwnLoadBalancers"
          Effect = "Allow"
          Action = [
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
            "elasticloadbalancing:ModifyIpPools",
          ]
          Resource  = "*"
          Condition = { Null = { "aws:ResourceTag/${local.lbc_tag}" = "false" } }
        },
        {
          Sid      = "RegisterPodTargets"
          Effect   = "Allow"
          Action   = ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"]
          Resource = "${local.elb_arn}:targetgroup/*/*"
        },
        {
          # Listener and rule calls authorise against the load balancer and listener ARNs, which the controller
          # learns only after creating them.
          Sid    = "ManageListenersAndRules"
          Effect = "Allow"
          Action = [
            "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities", "elasticloadbalancing:SetWebAcl",
            "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
          ]
          Resource = "*"
        },
      ]
    }

    cluster-autoscaler = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "Discover"
          Effect = "Allow"
          Action = [
            "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
          ]
          Resource = "*"
        },
        {
          # Labels and taints of a node group scaled from zero (prod-dr stands by with min 0).
          Sid      = "ReadOwnNodeGroups"
          Effect   = "Allow"
          Action   = "eks:DescribeNodegroup"
          Resource = "arn:${local.partition}:eks:${local.region}:${local.account_id}:nodegroup/${var.cluster_name}/*/*"
        },
        {
          # EKS tags the Auto Scaling group of every managed node group with k8s.io/cluster-autoscaler/<cluster>.
          Sid       = "ScaleOwnNodeGroupsOnly"
          Effect    = "Allow"
          Action    = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
          Resource  = "arn:${local.partition}:autoscaling:${local.region}:${local.account_id}:autoScalingGroup:*:autoScalingGroupName/*"
          Condition = { StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned" } }
        },
      ]
    }

    external-secrets = {
      Version = "2012-10-17"
      Statement = concat(
        [{
          Sid      = "ReadNamedSecrets"
          Effect   = "Allow"
          Action   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
          Resource = var.external_secrets.secret_arns
        }],
        length(var.external_secrets.kms_key_arns) == 0 ? [] : [{
          Sid       = "DecryptThroughSecretsManager"
          Effect    = "Allow"
          Action    = "kms:Decrypt"
          Resource  = var.external_secrets.kms_key_arns
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${local.region}.amazonaws.com" } }
        }],
      )
    }

    cloudwatch-agent = {
      Version = "2012-10-17"
      Statement = [
        {
          # Fluent Bit (container logs) and the agent's performance log events, only into this cluster's groups.
          Sid      = "WriteClusterLogGroups"
          Effect   = "Allow"
          Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
          Resource = local.logs_groups
        },
        {
          Sid      = "ListLogGroups"
          Effect   = "Allow"
          Action   = "logs:DescribeLogGroups"
          Resource = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:*"
        },
        {
          Sid       = "ContainerInsightsMetrics"
          Effect    = "Allow"
          Action    = "cloudwatch:PutMetricData"
          Resource  = "*"
          Condition = { StringEquals = { "cloudwatch:namespace" = ["ContainerInsights", "ContainerInsights/Prometheus"] } }
        },
        {
          Sid      = "DescribeNodes"
          Effect   = "Allow"
          Action   = ["ec2:DescribeVolumes", "ec2:DescribeTags", "ec2:DescribeInstances"]
          Resource = "*"
        },
        {
          Sid      = "DescribeOwnCluster"
          Effect   = "Allow"
          Action   = "eks:DescribeCluster"
          Resource = var.cluster_arn
        },
      ]
    }
  }
}
