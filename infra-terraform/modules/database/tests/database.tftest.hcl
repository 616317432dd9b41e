# AWS APIs cannot run here: the providers are mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws"

  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-central-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    }
  }
}

variables {
  identifier                      = "notejam-prod"
  environment                     = "prod"
  vpc_id                          = "vpc-0a1b2c3d4e5f60718"
  subnet_ids                      = ["subnet-0ddd1111eeee2222a", "subnet-0ddd1111eeee2222b", "subnet-0ddd1111eeee2222c"]
  allowed_security_group_ids      = ["sg-0c1a2b3c4d5e6f701"]
  cross_region_backup_replication = true
}

run "prod_database_is_multi_az_encrypted_rds_managed_password_kept_35_days_replicated" {
  assert {
    condition     = aws_db_instance.this.multi_az
    error_message = "R3: the prod database must be Multi-AZ."
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.kms_key_id == aws_kms_key.this.arn
    error_message = "R8: storage must be encrypted with the module's KMS key."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 35 && !aws_db_instance.this.delete_automated_backups
    error_message = "R2: automated backups must be kept 35 days and survive instance deletion."
  }
  assert {
    condition     = aws_db_instance.this.deletion_protection && !aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == "notejam-prod-final"
    error_message = "R2: deletion protection and a final snapshot are required."
  }
  assert {
    condition     = !aws_db_instance.this.publicly_accessible && aws_db_instance.this.performance_insights_enabled
    error_message = "The database must be private and have Performance Insights."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.password == null
    error_message = "R8: RDS must manage the master password in Secrets Manager; Terraform must never hold it."
  }
  assert {
    condition     = aws_db_instance.this.iam_database_authentication_enabled && output.settings.iam_database_authentication
    error_message = "R8: IAM database authentication must be on: the app and backup roles log in with IAM tokens, not stored passwords."
  }
  assert {
    condition     = output.resource_id == aws_db_instance.this.resource_id && startswith(output.resource_id, "db-")
    error_message = "The DbiResourceId (rds-db:connect ARNs) must be an output."
  }
  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf"
    error_message = "The managed secret's ARN must be exposed for External Secrets."
  }
  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16" && contains([for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "R8: the parameter group must force TLS connections."
  }
  assert {
    condition     = length(aws_db_instance_automated_backups_replication.this) == 1 && aws_db_instance_automated_backups_replication.this[0].source_db_instance_arn == aws_db_instance.this.arn
    error_message = "R4: automated backups must replicate to the DR region."
  }
  assert {
    condition     = strcontains(aws_db_instance_automated_backups_replication.this[0].kms_key_id, ":eu-central-1:") && !strcontains(aws_db_instance_automated_backups_replication.this[0].kms_key_id, ":eu-west-1:")
    error_message = "R4: replicated backups must be encrypted with a key of the DR region, not the primary's."
  }
}

run "test_environment_may_be_single_az_without_replication" {
  variables {
    identifier                      = "notejam-test"
    environment                     = "test"
    multi_az                        = false
    backup_retention_days           = 7
    cross_region_backup_replication = false
  }
  assert {
    condition     = !aws_db_instance.this.multi_az && length(aws_db_instance_automated_backups_replication.this) == 0
    error_message = "Outside prod, Multi-AZ and replication are optional."
  }
}

run "rejects_single_az_in_prod" {
  command = plan
  variables {
    multi_az = false
  }
  expect_failures = [var.multi_az]
}

run "rejects_short_backup_retention_in_prod" {
  command = plan
  variables {
    backup_retention_days = 7
  }
  expect_failures = [var.backup_retention_days]
}

run "rejects_prod_without_cross_region_backups" {
  command = plan
  variables {
    cross_region_backup_replication = false
  }
  expect_failures = [var.cross_region_backup_replication]
}

run "rejects_postgres_older_than_16" {
  command = plan
  variables {
    engine_version = "15.7"
  }
  expect_failures = [var.engine_version]
}

# --- Stand-by mode (R4): prod-dr is a cross-region read replica of prod, promoted at failover -----------------

run "prod_dr_is_a_cross_region_replica_of_prod_holding_its_data" {
  # Its own state: the computed attributes of the prod runs above must not leak into the replica's.
  state_key = "stand-by"
  variables {
    identifier                      = "notejam-prod-dr"
    environment                     = "prod-dr"
    cross_region_backup_replication = false
    standby = {
      source_db_arn = "arn:aws:rds:eu-west-1:111122223333:db:notejam-prod"
    }
  }
  assert {
    condition     = aws_db_instance.this.replicate_source_db == "arn:aws:rds:eu-west-1:111122223333:db:notejam-prod"
    error_message = "R4: prod-dr's database must replicate prod's instance (a stand-by that holds data), not start empty."
  }
  assert {
    condition     = aws_db_instance.this.iam_database_authentication_enabled
    error_message = "R8: the DR replica needs IAM authentication too: after promotion the app logs in with IAM tokens."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password == null
    error_message = "A replica inherits user and password from its source; RDS refuses a managed secret on it."
  }
  assert {
    condition     = aws_db_instance.this.kms_key_id == aws_kms_key.this.arn && aws_db_instance.this.storage_encrypted && aws_db_instance.this.multi_az
    error_message = "The replica must be encrypted with its own region's key and Multi-AZ, like the primary (R3 after failover)."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 35 && aws_db_instance.this.deletion_protection
    error_message = "The stand-by keeps prod's protection so that after promotion it is a prod database at once."
  }
  assert {
    condition     = output.standby.replicating && !output.standby.promoted && output.settings.standby_replicating
    error_message = "The outputs must say the instance is a replicating stand-by (the runbook and the pipeline read it)."
  }
}

run "promoted_stand_by_is_a_standalone_primary_with_its_own_managed_secret" {
  # Applied over the replica's state, as the promotion is.
  state_key = "stand-by"
  variables {
    identifier                      = "notejam-prod-dr"
    environment                     = "prod-dr"
    cross_region_backup_replication = false
    standby = {
      source_db_arn = "arn:aws:rds:eu-west-1:111122223333:db:notejam-prod"
      promoted      = true
    }
  }
  assert {
    condition     = aws_db_instance.this.replicate_source_db == null
    error_message = "Promotion is replicate_source_db removed: the replica becomes a standalone, writable instance."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password && aws_db_instance.this.master_user_secret_kms_key_id == aws_kms_key.this.arn
    error_message = "After promotion RDS must manage a master secret in the DR region (the primary's is in the lost region)."
  }
  assert {
    condition     = !output.standby.replicating && output.standby.promoted
    error_message = "The outputs must say the stand-by was promoted."
  }
}

run "rejects_prod_dr_without_a_stand_by_source" {
  command = plan
  variables {
    identifier                      = "notejam-prod-dr"
    environment                     = "prod-dr"
    cross_region_backup_replication = false
  }
  expect_failures = [var.standby]
}

run "rejects_prod_as_a_stand_by" {
  command = plan
  variables {
    standby = {
      source_db_arn = "arn:aws:rds:eu-central-1:111122223333:db:notejam-prod-dr"
    }
  }
  expect_failures = [var.standby]
}

run "rejects_a_stand_by_source_that_is_not_an_rds_instance_arn" {
  command = plan
  variables {
    identifier                      = "notejam-prod-dr"
    environment                     = "prod-dr"
    cross_region_backup_replication = false
    standby = {
      source_db_arn = "notejam-prod"
    }
  }
  expect_failures = [var.standby]
}
