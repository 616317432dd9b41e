# Realistic values for computed attributes, shared by every module's and the stack's tests.
# AWS APIs cannot run here, so these tests plan against a mocked provider (mock_provider "aws").

mock_data "aws_region" {
  defaults = {
    name     = "eu-west-1"
    endpoint = "ec2.eu-west-1.amazonaws.com"
  }
}

mock_data "aws_caller_identity" {
  defaults = {
    account_id = "111122223333"
    arn        = "arn:aws:iam::111122223333:role/terraform"
    user_id    = "AROAEXAMPLEID:terraform"
  }
}

mock_data "aws_partition" {
  defaults = {
    partition  = "aws"
    dns_suffix = "amazonaws.com"
  }
}

mock_data "aws_route53_zone" {
  defaults = {
    zone_id = "Z0123456789ABCDEFGHIJ"
    arn     = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"
  }
}

mock_data "aws_secretsmanager_secret_version" {
  defaults = {
    secret_string = "mock-auth-token-0123456789abcdefABCDEF"
    arn           = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notejam/mock/redis-auth-AbCdEf"
  }
}

mock_data "aws_kms_alias" {
  defaults = {
    target_key_arn = "arn:aws:kms:eu-central-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    target_key_id  = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    arn            = "arn:aws:kms:eu-central-1:111122223333:alias/notejam-prod-backups-replica"
  }
}

mock_resource "aws_kms_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}

mock_resource "aws_kms_alias" {
  defaults = {
    arn = "arn:aws:kms:eu-west-1:111122223333:alias/notejam-mock"
  }
}

mock_resource "aws_iam_role" {
  defaults = {
    arn       = "arn:aws:iam::111122223333:role/notejam-mock-role"
    unique_id = "AROAMOCKROLEID000001"
  }
}

mock_resource "aws_iam_policy" {
  defaults = {
    arn = "arn:aws:iam::111122223333:policy/notejam-mock-policy"
  }
}

mock_resource "aws_iam_openid_connect_provider" {
  defaults = {
    arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  }
}

mock_resource "aws_eks_cluster" {
  defaults = {
    arn      = "arn:aws:eks:eu-west-1:111122223333:cluster/notejam-mock"
    endpoint = "https://EXAMPLED539D4633E53DE1B71EXAMPLE.gr7.eu-west-1.eks.amazonaws.com"
    identity = [{
      oidc = [{ issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE" }]
    }]
    certificate_authority = [{ data = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1PQ0sKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=" }]
    vpc_config = {
      cluster_security_group_id = "sg-0c1a2b3c4d5e6f701"
      vpc_id                    = "vpc-0a1b2c3d4e5f60718"
    }
  }
}

mock_resource "aws_eks_node_group" {
  defaults = {
    arn = "arn:aws:eks:eu-west-1:111122223333:nodegroup/notejam-mock/notejam-mock-ng/0ac5d3e1-1111-2222-3333-444455556666"
  }
}

mock_resource "aws_vpc" {
  defaults = {
    id  = "vpc-0a1b2c3d4e5f60718"
    arn = "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0a1b2c3d4e5f60718"
  }
}

mock_resource "aws_security_group" {
  defaults = {
    id  = "sg-0123456789abcdef0"
    arn = "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0123456789abcdef0"
  }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = {
    arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/notejam/mock"
  }
}

mock_resource "aws_sns_topic" {
  defaults = {
    arn = "arn:aws:sns:eu-west-1:111122223333:notejam-mock-alarms"
  }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    arn                         = "arn:aws:s3:::notejam-mock-bucket"
    bucket_regional_domain_name = "notejam-mock-bucket.s3.eu-west-1.amazonaws.com"
  }
}

mock_resource "aws_db_instance" {
  defaults = {
    arn         = "arn:aws:rds:eu-west-1:111122223333:db:notejam-mock"
    address     = "notejam-mock.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com"
    endpoint    = "notejam-mock.c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com:5432"
    port        = 5432
    resource_id = "db-ABCDEFGHIJKLMNOPQRSTUVWXY"
    master_user_secret = [{
      secret_arn    = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!db-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d-AbCdEf"
      kms_key_id    = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      secret_status = "active"
    }]
  }
}

mock_resource "aws_db_parameter_group" {
  defaults = {
    arn = "arn:aws:rds:eu-west-1:111122223333:pg:notejam-mock-postgres16"
  }
}

mock_resource "aws_db_instance_automated_backups_replication" {
  defaults = {
    id = "arn:aws:rds:eu-central-1:111122223333:auto-backup:ab-mockreplica0123456789abcdef"
  }
}

mock_resource "aws_elasticache_replication_group" {
  defaults = {
    arn                      = "arn:aws:elasticache:eu-west-1:111122223333:replicationgroup:notejam-mock"
    primary_endpoint_address = "master.notejam-mock.abc123.euw1.cache.amazonaws.com"
    reader_endpoint_address  = "replica.notejam-mock.abc123.euw1.cache.amazonaws.com"
    member_clusters          = ["notejam-mock-001", "notejam-mock-002", "notejam-mock-003"]
  }
}

mock_resource "aws_secretsmanager_secret" {
  defaults = {
    arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notejam/mock/redis-auth-AbCdEf"
  }
}

mock_resource "aws_ecr_repository" {
  defaults = {
    arn            = "arn:aws:ecr:eu-west-1:111122223333:repository/notejam-mock"
    repository_url = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-mock"
    registry_id    = "111122223333"
  }
}

mock_resource "aws_acm_certificate" {
  defaults = {
    arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    domain_validation_options = [{
      domain_name           = "notejam.example.com"
      resource_record_name  = "_0123456789abcdef.notejam.example.com."
      resource_record_type  = "CNAME"
      resource_record_value = "_fedcba9876543210.acm-validations.aws."
    }]
  }
}

mock_resource "aws_route53_health_check" {
  defaults = {
    id = "abcdef01-2345-6789-abcd-ef0123456789"
  }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = {
    arn = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/notejam-mock/0a1b2c3d-1111-2222-3333-444455556666"
  }
}

mock_resource "aws_cloudwatch_metric_alarm" {
  defaults = {
    arn = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:notejam-mock"
  }
}

mock_resource "aws_launch_template" {
  defaults = {
    id             = "lt-0a1b2c3d4e5f60718"
    arn            = "arn:aws:ec2:eu-west-1:111122223333:launch-template/lt-0a1b2c3d4e5f60718"
    latest_version = 1
  }
}

mock_resource "aws_subnet" {
  defaults = {
    id  = "subnet-0123456789abcdef0"
    arn = "arn:aws:ec2:eu-west-1:111122223333:subnet/subnet-0123456789abcdef0"
  }
}

mock_resource "aws_internet_gateway" {
  defaults = {
    id = "igw-0123456789abcdef0"
  }
}

mock_resource "aws_eip" {
  defaults = {
    id            = "eipalloc-0123456789abcdef0"
    allocation_id = "eipalloc-0123456789abcdef0"
  }
}

mock_resource "aws_route_table" {
  defaults = {
    id = "rtb-0123456789abcdef0"
  }
}

mock_resource "aws_vpc_endpoint" {
  defaults = {
    id = "vpce-0123456789abcdef0"
  }
}

mock_resource "aws_db_subnet_group" {
  defaults = {
    arn = "arn:aws:rds:eu-west-1:111122223333:subgrp:notejam-mock"
  }
}

mock_data "aws_secretsmanager_random_password" {
  defaults = {
    random_password = "mockGeneratedToken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
  }
}

mock_resource "aws_secretsmanager_secret_version" {
  defaults = {
    version_id = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"
    arn        = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:notejam/mock/redis-auth-AbCdEf"
  }
}

mock_resource "aws_kms_replica_key" {
  defaults = {
    arn    = "arn:aws:kms:eu-central-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    key_id = "mrk-1234abcd12ab34cd56ef1234567890ab"
  }
}

mock_resource "aws_acm_certificate_validation" {
  defaults = {
    id = "2025-01-01 00:00:00 +0000 UTC"
  }
}

mock_resource "aws_route53_record" {
  defaults = {
    fqdn = "notejam.example.com"
  }
}

# AWS Backup validates vault ARNs in copy actions, so the mock must look like one.
mock_resource "aws_backup_vault" {
  defaults = {
    arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:notejam-mock-vault"
  }
}

mock_data "aws_ecr_repository" {
  defaults = {
    arn                  = "arn:aws:ecr:eu-west-1:111122223333:repository/notejam-mock"
    repository_url       = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/notejam-mock"
    registry_id          = "111122223333"
    image_tag_mutability = "IMMUTABLE"
  }
}

# The AMP scraper validates the workspace ARN it writes to.
mock_resource "aws_prometheus_workspace" {
  defaults = {
    id                  = "ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    arn                 = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    prometheus_endpoint = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/"
  }
}

# The scraper's EKS access entry validates the service-linked role ARN the scraper reports.
mock_resource "aws_prometheus_scraper" {
  defaults = {
    role_arn = "arn:aws:iam::111122223333:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_0a1b2c3d"
  }
}
