locals {
  # IRSA: only the named service account of the cluster may assume each role.
  service_accounts = {
    backup                       = var.backup
    external-secrets             = var.external_secrets
    aws-load-balancer-controller = var.load_balancer_controller
    cluster-autoscaler           = var.cluster_autoscaler
  }

  backup_bucket_arn = var.backup.bucket_arn
  backup_read_paths = [for p in distinct(concat([var.backup.write_prefix], var.backup.read_prefixes)) : "${local.backup_bucket_arn}/${p}/*"]

  policies = {
    backup = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "WriteOwnPrefix"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:PutObjectRetention"]
          Resource = "${local.backup_bucket_arn}/${var.backup.write_prefix}/*"
        },
        {
          Sid      = "ReadOwnPrefixes"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectRetention"]
          Resource = local.backup_read_paths
        },
        {
          Sid      = "ListOwnPrefixes"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = local.backup_bucket_arn
          Condition = {
            StringLike = { "s3:prefix" = [for p in distinct(concat([var.backup.write_prefix], var.backup.read_prefixes)) : "${p}/*"] }
          }
        },
        {
          Sid      = "EnvelopeEncryptionWithBackupKey"
          Effect   = "Allow"
          Action   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
          Resource = var.backup.kms_key_arn
        },
        {
          Sid       = "PublishBackupMetrics"
          Effect    = "Allow"
          Action    = "cloudwatch:PutMetricData"
          Resource  = "*"
          Condition = { StringEquals = { "cloudwatch:namespace" = var.backup_metrics_namespace } }
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
          Condition = { StringLike = { "kms:ViaService" = "secretsmanager.*.amazonaws.com" } }
        }],
      )
    }

    aws-load-balancer-controller = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "Describe"
          Effect = "Allow"
          Action = [
            "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
            "elasticloadbalancing:Describe*", "acm:ListCertificates", "acm:DescribeCertificate",
            "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "shield:GetSubscriptionState",
            "iam:ListServerCertificates", "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient",
          ]
          Resource = "*"
        },
        {
          Sid       = "CreateServiceLinkedRole"
          Effect    = "Allow"
          Action    = "iam:CreateServiceLinkedRole"
          Resource  = "*"
          Condition = { StringEquals = { "iam:AWSServiceName" = "elasticloadbalancing.amazonaws.com" } }
        },
        {
          Sid       = "CreateTaggedResources"
          Effect    = "Allow"
          Action    = ["ec2:CreateSecurityGroup", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"]
          Resource  = "*"
          Condition = { Null = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "false" } }
        },
        {
          Sid    = "TagOnCreate"
          Effect = "Allow"
          Action = ["ec2:CreateTags", "elasticloadbalancing:AddTags"]
          Resource = [
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
          ]
          Condition = { Null = { "aws:RequestTag/elbv2.k8s.aws/cluster" = "false" } }
        },
        {
          Sid    = "ManageOwnResources"
          Effect = "Allow"
          Action = [
            "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
            "ec2:CreateTags", "ec2:DeleteTags",
            "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
          ]
          Resource  = "*"
          Condition = { Null = { "aws:ResourceTag/elbv2.k8s.aws/cluster" = "false" } }
        },
        {
          Sid    = "ManageListenersAndTargets"
          Effect = "Allow"
          Action = [
            "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
            "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:SetWebAcl", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
          ]
          Resource = "*"
        },
      ]
    }

    cluster-autoscaler = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "Describe"
          Effect = "Allow"
          Action = [
            "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
            "eks:DescribeNodegroup",
          ]
          Resource = "*"
        },
        {
          Sid      = "ScaleOwnNodeGroupsOnly"
          Effect   = "Allow"
          Action   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
          Resource = "*"
          Condition = {
            StringEquals = { "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned" }
          }
        },
      ]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.service_accounts

  name = "${var.name_prefix}-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${var.oidc_issuer}:sub" = "system:serviceaccount:${each.value.namespace}:${each.value.service_account}"
          "${var.oidc_issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  for_each = local.service_accounts

  name   = "least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(local.policies[each.key])
}
