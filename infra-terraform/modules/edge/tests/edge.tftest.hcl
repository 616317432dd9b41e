# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name_prefix   = "notejam-prod"
  zone_name     = "example.com"
  host_name     = "notejam.example.com"
  failover_role = "PRIMARY"
  waf_enabled   = true
  # The health check's Host header: a name the Ingress serves and that always resolves to this region's ALB.
  regional_host_name = "eu-west-1.example.com"
  load_balancer = {
    dns_name = "k8s-notejam-notejam-0123456789-1234567890.eu-west-1.elb.amazonaws.com"
    zone_id  = "Z32O12XQLNTSW2"
  }
}

run "certificate_record_and_failover" {
  assert {
    condition     = aws_acm_certificate.this.domain_name == "notejam.example.com" && aws_acm_certificate.this.validation_method == "DNS"
    error_message = "The app's host name needs a DNS-validated certificate."
  }
  assert {
    condition     = aws_route53_record.app[0].failover_routing_policy[0].type == "PRIMARY" && aws_route53_record.app[0].health_check_id == aws_route53_health_check.app[0].id
    error_message = "R4: the prod record must be the health-checked PRIMARY of a failover pair."
  }
  assert {
    condition     = aws_route53_health_check.app[0].type == "HTTPS" && aws_route53_health_check.app[0].resource_path == "/signin/"
    error_message = "R4: failover must be decided by an HTTPS probe of a public page."
  }
  assert {
    condition     = aws_route53_health_check.app[0].fqdn == "eu-west-1.example.com" && aws_route53_record.regional[0].name == "eu-west-1.example.com" && aws_route53_record.regional[0].alias[0].name == var.load_balancer.dns_name
    error_message = "R4: the health check must request this region's own name (an alias of its ALB), never the ALB's DNS name, which the Ingress does not serve."
  }
  assert {
    condition     = length(aws_wafv2_web_acl.this) == 1 && aws_wafv2_web_acl.this[0].scope == "REGIONAL"
    error_message = "The optional WAF must be regional (for the ALB)."
  }
}

run "no_record_before_the_first_deployment" {
  variables {
    load_balancer = null
    failover_role = null
    waf_enabled   = false
  }
  assert {
    condition     = length(aws_route53_record.app) == 0 && length(aws_route53_health_check.app) == 0 && length(aws_wafv2_web_acl.this) == 0
    error_message = "Without a load balancer there is no record, health check or WAF."
  }
}

run "rejects_a_host_outside_the_zone" {
  command = plan
  variables {
    host_name = "notejam.example.org"
  }
  expect_failures = [aws_acm_certificate.this]
}

run "rejects_an_unknown_failover_role" {
  command = plan
  variables {
    failover_role = "TERTIARY"
  }
  expect_failures = [var.failover_role]
}

run "rejects_failover_without_a_regional_host_name" {
  command = plan
  variables {
    regional_host_name = null
  }
  expect_failures = [aws_route53_record.regional]
}

# R4 (issue 18): the stand-by region is health-checked the same way. While prod-dr runs no pods its check fails, so
# with both records unhealthy Route 53 keeps answering with the PRIMARY: users are never sent to an empty region.
run "dr_secondary_is_health_checked_through_its_own_regional_name" {
  variables {
    name_prefix        = "notejam-prod-dr"
    failover_role      = "SECONDARY"
    regional_host_name = "eu-central-1.example.com"
    load_balancer = {
      dns_name = "k8s-notejam-notejam-0123456789-1234567890.eu-central-1.elb.amazonaws.com"
      zone_id  = "Z215JYRZR1TBD5"
    }
  }
  assert {
    condition     = aws_route53_record.app[0].failover_routing_policy[0].type == "SECONDARY" && aws_route53_record.app[0].name == "notejam.example.com" && aws_route53_record.app[0].health_check_id == aws_route53_health_check.app[0].id
    error_message = "R4: prod-dr must be the health-checked SECONDARY of the same public name as prod."
  }
  assert {
    condition     = aws_route53_health_check.app[0].fqdn == "eu-central-1.example.com" && aws_route53_health_check.app[0].resource_path == "/signin/" && aws_route53_health_check.app[0].type == "HTTPS"
    error_message = "R4: the DR health check must request the DR region's own name and the public sign-in page over HTTPS."
  }
  assert {
    condition     = aws_route53_health_check.app[0].failure_threshold * aws_route53_health_check.app[0].request_interval <= 90
    error_message = "R4: the failover signal must decide within 90 s (docs/disaster-recovery.md counts on it)."
  }
}
