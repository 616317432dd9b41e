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
}

run "irsa_roles_trust_one_service_account_and_grant_least_privilege" {
  assert {
    condition     = contains(keys(aws_iam_role.this), "backup") && !contains(keys(aws_iam_role.this), "external-secrets")
    error_message = "The backup job has an IRSA role; the add-ons' roles live in the cluster-addons module (Pod Identity)."
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

run "app_role_connects_to_its_own_database_role_and_cache_user_only" {
  variables {
    backup = {
      namespace          = "notejam"
      service_account    = "notejam-backup"
      bucket_arn         = "arn:aws:s3:::notejam-prod-backups-111122223333-eu-west-1"
      kms_key_arn        = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
      write_prefix       = "prod"
      database_user_arns = ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY/notejam_backup"]
    }
    app = {
      namespace          = "notejam"
      service_accounts   = ["notejam", "notejam-migrate"]
      database_user_arns = ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY/notejam_app"]
      cache_connect_arns = ["arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:notejam-prod", "arn:aws:elasticache:eu-west-1:111122223333:user:notejam-prod-app"]
    }
  }
  assert {
    condition = jsondecode(aws_iam_role.this["app"].assume_role_policy).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub"] == [
    "system:serviceaccount:notejam:notejam", "system:serviceaccount:notejam:notejam-migrate"]
    error_message = "R8: the app role trusts the app's and the migration Job's service accounts, nothing else."
  }
  assert {
    condition     = [for s in output.policies["app"].Statement : s.Resource if s.Action == "rds-db:connect"] == [["arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY/notejam_app"]]
    error_message = "R8: the app may connect as notejam_app only (never the master user)."
  }
  assert {
    condition     = length([for s in output.policies["app"].Statement : s if s.Action == "elasticache:Connect"]) == 1 && length(output.policies["app"].Statement) == 2
    error_message = "R8: the app's role allows only rds-db:connect and elasticache:Connect."
  }
  assert {
    condition     = [for s in output.policies["backup"].Statement : s.Resource if s.Sid == "ConnectToDatabaseAsBackupRole"] == [["arn:aws:rds-db:eu-west-1:111122223333:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY/notejam_backup"]]
    error_message = "R8: the backup job connects as notejam_backup only."
  }
  assert {
    condition     = output.app_role_arn == aws_iam_role.this["app"].arn
    error_message = "The app role's ARN must be an output (the app's service-account annotation)."
  }
}

run "rejects_a_wildcard_database_user" {
  command = plan
  variables {
    app = {
      namespace          = "notejam"
      service_accounts   = ["notejam"]
      database_user_arns = ["arn:aws:rds-db:eu-west-1:111122223333:dbuser:*/notejam_app"]
    }
  }
  expect_failures = [var.app]
}
