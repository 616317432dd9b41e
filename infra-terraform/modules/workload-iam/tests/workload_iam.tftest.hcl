# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name_prefix       = "notejam-prod"
  cluster_name      = "notejam-prod"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  oidc_issuer       = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  backup = {
    namespace       = "notejam"
    service_account = "notejam-backup"
    bucket_arn      = "arn:aws:s3:::notejam-prod-backups-111122223333-eu-west-1"
    kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    write_prefix    = "prod"
  }
  external_secrets = {
    namespace       = "external-secrets"
    service_account = "external-secrets"
    secret_arns     = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-0a1b2c3d-AbCdEf", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notejam/prod/redis-auth-AbCdEf"]
    kms_key_arns    = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }
}

run "irsa_roles_trust_one_service_account_and_grant_least_privilege" {
  assert {
    condition     = toset(keys(aws_iam_role.this)) == toset(["backup", "external-secrets", "aws-load-balancer-controller", "cluster-autoscaler"])
    error_message = "IRSA roles for the backup job, External Secrets, the LB controller and the autoscaler must exist."
  }
  assert {
    condition     = jsondecode(aws_iam_role.this["backup"].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"] == "system:serviceaccount:notejam:notejam-backup"
    error_message = "R8: the backup role must trust only the backup service account."
  }
  assert {
    condition = alltrue([for r in aws_iam_role.this :
      jsondecode(r.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity" &&
    jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud"] == "sts.amazonaws.com"])
    error_message = "R8: every role must be assumable only through the cluster's OIDC provider for audience sts."
  }
  assert {
    condition     = [for s in output.policies["backup"].Statement : s.Resource if s.Sid == "WriteOwnPrefix"] == ["arn:aws:s3:::notejam-prod-backups-111122223333-eu-west-1/prod/*"]
    error_message = "R8: the backup job may write only under <bucket>/prod/*."
  }
  assert {
    condition     = [for s in output.policies["backup"].Statement : s.Resource if s.Sid == "EnvelopeEncryptionWithBackupKey"] == ["arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"]
    error_message = "R8: the backup job may use only its own KMS key."
  }
  assert {
    condition = alltrue(flatten([for s in output.policies["backup"].Statement : [
      for a in flatten([s.Action]) : !strcontains(a, "*") && !contains(["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention"], a)
    ]]))
    error_message = "R2/R8: the backup job must have no wildcard actions and no delete or lock-bypass rights."
  }
  assert {
    condition     = one([for s in output.policies["backup"].Statement : s.Condition.StringEquals["cloudwatch:namespace"] if s.Sid == "PublishBackupMetrics"]) == "Notejam/Backup"
    error_message = "R7: the backup job may publish metrics only to the Notejam/Backup namespace."
  }
  assert {
    condition     = toset(one([for s in output.policies["external-secrets"].Statement : s.Resource if s.Sid == "ReadNamedSecrets"])) == toset(var.external_secrets.secret_arns)
    error_message = "R8: External Secrets may read only the named secrets."
  }
  assert {
    condition     = one([for s in output.policies["cluster-autoscaler"].Statement : s.Condition.StringEquals["aws:ResourceTag/k8s.io/cluster-autoscaler/notejam-prod"] if s.Sid == "ScaleOwnNodeGroupsOnly"]) == "owned"
    error_message = "R1: the autoscaler may resize only node groups owned by this cluster."
  }
}

run "rejects_wildcard_secrets" {
  command = plan
  variables {
    external_secrets = {
      namespace       = "external-secrets"
      service_account = "external-secrets"
      secret_arns     = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:*"]
      kms_key_arns    = []
    }
  }
  expect_failures = [var.external_secrets]
}

run "rejects_backup_prefix_that_is_not_an_environment" {
  command = plan
  variables {
    backup = {
      namespace       = "notejam"
      service_account = "notejam-backup"
      bucket_arn      = "arn:aws:s3:::notejam-prod-backups-111122223333-eu-west-1"
      kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
      write_prefix    = ""
    }
  }
  expect_failures = [var.backup]
}
