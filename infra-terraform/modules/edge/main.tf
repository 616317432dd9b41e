data "aws_route53_zone" "this" {
  name         = var.zone_name
  private_zone = false
}

locals {
  record_enabled = var.load_balancer != null
  failover       = var.failover_role != null
  validation     = one(aws_acm_certificate.this.domain_validation_options)
}

# --- TLS certificate, validated through DNS ---------------------------------------

resource "aws_acm_certificate" "this" {
  domain_name       = var.host_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
    precondition {
      condition     = endswith(var.host_name, ".${trimsuffix(var.zone_name, ".")}") || var.host_name == trimsuffix(var.zone_name, ".")
      error_message = "host_name must lie inside zone_name."
    }
  }
}

resource "aws_route53_record" "validation" {
  # Keyed from configuration: validation options are only known after the certificate is requested.
  # The certificate has exactly one name, so it has exactly one validation record.
  for_each = toset([var.host_name])

  zone_id         = data.aws_route53_zone.this.zone_id
  name            = local.validation.resource_record_name
  type            = local.validation.resource_record_type
  records         = [local.validation.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}

# --- App record (failover between regions in prod) -----------------------------------

# This region's ALB under its own name: what the failover health check requests (see var.regional_host_name).
resource "aws_route53_record" "regional" {
  count = local.record_enabled && local.failover ? 1 : 0

  zone_id = data.aws_route53_zone.this.zone_id
  name    = var.regional_host_name
  type    = "A"

  alias {
    name                   = var.load_balancer.dns_name
    zone_id                = var.load_balancer.zone_id
    evaluate_target_health = false
  }

  lifecycle {
    precondition {
      condition     = var.regional_host_name != null && endswith(coalesce(var.regional_host_name, "-"), ".${trimsuffix(var.zone_name, ".")}")
      error_message = "A failover record needs regional_host_name inside zone_name for its health check."
    }
  }
}

resource "aws_route53_health_check" "app" {
  count = local.record_enabled && local.failover ? 1 : 0

  fqdn              = aws_route53_record.regional[0].name
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check_path
  failure_threshold = 3
  request_interval  = 30
  tags              = { Name = "${var.name_prefix}-app" }
}

resource "aws_route53_record" "app" {
  count = local.record_enabled ? 1 : 0

  zone_id         = data.aws_route53_zone.this.zone_id
  name            = var.host_name
  type            = "A"
  set_identifier  = local.failover ? var.name_prefix : null
  health_check_id = local.failover ? aws_route53_health_check.app[0].id : null

  alias {
    name                   = var.load_balancer.dns_name
    zone_id                = var.load_balancer.zone_id
    evaluate_target_health = true
  }

  dynamic "failover_routing_policy" {
    for_each = local.failover ? [var.failover_role] : []
    content {
      type = failover_routing_policy.value
    }
  }
}

# --- Optional WAF -----------------------------------------------------------------------

resource "aws_wafv2_web_acl" "this" {
  count = var.waf_enabled ? 1 : 0

  name  = "${var.name_prefix}-app"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "aws-common"
    priority = 1
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 2
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-aws-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 3
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit_per_5_minutes
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name_prefix}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name_prefix}-app"
    sampled_requests_enabled   = true
  }
}
