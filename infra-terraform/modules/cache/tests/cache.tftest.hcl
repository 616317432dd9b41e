# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name                       = "notejam-prod"
  environment                = "prod"
  vpc_id                     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids                 = ["subnet-0ddd1111eeee2222a", "subnet-0ddd1111eeee2222b", "subnet-0ddd1111eeee2222c"]
  allowed_security_group_ids = ["sg-0c1a2b3c4d5e6f701"]
  num_cache_clusters         = 3
  notification_topic_arn     = "arn:aws:sns:eu-west-1:111122223333:notejam-prod-alarms"
}

run "redis_fails_over_across_zones_encrypted_and_authenticated" {
  assert {
    condition     = aws_elasticache_replication_group.this.automatic_failover_enabled && aws_elasticache_replication_group.this.multi_az_enabled
    error_message = "R3: Redis needs automatic failover and Multi-AZ."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.num_cache_clusters == 3
    error_message = "R3: prod runs a primary and two replicas, one per zone."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.notification_topic_arn == "arn:aws:sns:eu-west-1:111122223333:notejam-prod-alarms"
    error_message = "R7: failover events must reach the alarm topic."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.at_rest_encryption_enabled && aws_elasticache_replication_group.this.kms_key_id == aws_kms_key.this.arn
    error_message = "R8: Redis must be encrypted at rest with the module's KMS key."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    error_message = "R8: Redis must require TLS in transit."
  }
  assert {
    condition     = aws_elasticache_replication_group.this.auth_token == null && aws_elasticache_replication_group.this.user_group_ids == toset(["notejam-prod"])
    error_message = "R8: no AUTH token (it would sit in state and plans); access only through the RBAC user group."
  }
}

run "the_app_authenticates_with_iam_and_the_default_user_is_off" {
  assert {
    condition     = aws_elasticache_user.app.user_id == "notejam-prod-app" && aws_elasticache_user.app.user_name == aws_elasticache_user.app.user_id
    error_message = "ElastiCache IAM authentication needs user name == user id."
  }
  assert {
    condition     = aws_elasticache_user.app.authentication_mode[0].type == "iam" && aws_elasticache_user.app.passwords == null
    error_message = "R8: the app's user authenticates with IAM tokens, never a password."
  }
  assert {
    condition     = aws_elasticache_user.disabled_default.user_name == "default" && startswith(aws_elasticache_user.disabled_default.access_string, "off ")
    error_message = "The group's default user must be switched off: the built-in one would admit unauthenticated clients."
  }
  assert {
    condition     = aws_elasticache_user_group.this.user_ids == toset(["notejam-prod-default", "notejam-prod-app"])
    error_message = "The user group holds exactly the disabled default user and the app's user."
  }
  assert {
    condition     = output.app_user_id == "notejam-prod-app" && output.replication_group_id == "notejam-prod"
    error_message = "The outputs name the user and group the app's IAM policy and Helm values refer to."
  }
  assert {
    condition     = output.settings.iam_auth && !output.settings.default_user_enabled && !output.settings.auth_token_set
    error_message = "settings must report IAM auth on, default user off, no AUTH token."
  }
}

run "rejects_an_engine_without_iam_authentication" {
  command = plan
  variables {
    engine_version = "6.2"
  }
  expect_failures = [var.engine_version]
}

run "rejects_an_uppercase_user_id" {
  command = plan
  variables {
    app_user_id = "Notejam-App"
  }
  expect_failures = [var.app_user_id]
}

run "rejects_a_single_node" {
  command = plan
  variables {
    num_cache_clusters = 1
  }
  expect_failures = [var.num_cache_clusters]
}

run "rejects_two_nodes_in_prod" {
  command = plan
  variables {
    num_cache_clusters = 2
  }
  expect_failures = [var.num_cache_clusters]
}
