# The stack's side of the Terraform-to-Helm contract for ONE environment (-var-file=environments/<env>/platform.tfvars),
# against mocked AWS providers. environments' HelmContractTest runs this file with `terraform test -json -verbose`,
# takes the outputs of the run below, hands helm_values to ci/scripts/deploy.sh and checks the rendered charts
# against helm_contract. Mock ARNs are shared by all resources of a type, so the ones the charts refer to are made
# distinct and realistic here.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws"

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

override_resource {
  target = module.workload_iam.aws_iam_role.this["backup"]
  values = { arn = "arn:aws:iam::111122223333:role/contract-backup" }
}

override_resource {
  target = aws_secretsmanager_secret.app
  values = { arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:contract-app-AbCdEf" }
}

override_resource {
  target = module.workload_iam.aws_iam_role.this["app"]
  values = { arn = "arn:aws:iam::111122223333:role/contract-app" }
}

override_resource {
  target = module.backup_storage[0].aws_kms_key.backups
  values = { arn = "arn:aws:kms:eu-west-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef" }
}

run "helm_contract" {
  # After the first deployment: the ALB exists, so the app record and the failover health check do too.
  variables {
    load_balancer = {
      dns_name   = "k8s-notejam-notejam-0123456789-1234567890.elb.amazonaws.com"
      zone_id    = "Z32O12XQLNTSW2"
      arn_suffix = "app/k8s-notejam-notejam-0123456789/0123456789abcdef"
    }
  }

  assert {
    condition     = output.helm_values["notejam-backup"].environment == var.environment && output.helm_values["notejam-backup"].serviceAccount.irsaRoleArn == output.helm_contract.roles["backup"].arn
    error_message = "The backup chart must get this environment's name and the backup role."
  }

  assert {
    # IAM authentication: the chart logs in as exactly the role, cache user and group the IAM policies name.
    condition = output.helm_contract.data_store_identities.cache_user_id == null ? true : (
      output.helm_values.notejam.config.database.username == output.helm_contract.data_store_identities.database_roles.app &&
      output.helm_values.notejam.config.redis.iamUserId == output.helm_contract.data_store_identities.cache_user_id &&
      output.helm_values.notejam.config.redis.replicationGroupId == output.helm_contract.data_store_identities.replication_group &&
      output.helm_values["notejam-backup"].extraEnv.BACKUP_DATABASE_USERNAME == output.helm_contract.data_store_identities.database_roles.backup &&
      output.helm_values.notejam.serviceAccount.irsaRoleArn == output.helm_contract.roles["app"].arn
    )
    error_message = "The chart's database role, cache user, replication group and app role must be the ones the IAM policies name."
  }

  assert {
    condition     = output.helm_contract.edge == null ? true : output.helm_values.notejam.ingress.host == output.helm_contract.edge.certificate_domain
    error_message = "The Ingress host must be the certificate's domain."
  }
}
