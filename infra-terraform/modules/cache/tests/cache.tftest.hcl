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
    condition     = aws_secretsmanager_secret_version.auth_token.secret_string == null && aws_secretsmanager_secret_version.auth_token.secret_string_wo_version == 1
    error_message = "R8: the generated token must be written write-only to Secrets Manager."
  }
  assert {
    condition     = aws_secretsmanager_secret.auth_token.name == "notejam/prod/redis-auth" && aws_secretsmanager_secret.auth_token.kms_key_id == aws_kms_key.this.arn
    error_message = "R8: the token secret lives under notejam/<env>/ encrypted with the module's key."
  }
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
