output "certificate_arn" {
  description = "Validated ACM certificate ARN (Ingress annotation alb.ingress.kubernetes.io/certificate-arn)."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "host_name" {
  description = "The app's host name."
  value       = var.host_name
}

output "zone_id" {
  description = "Route 53 hosted zone ID."
  value       = data.aws_route53_zone.this.zone_id
}

output "record_fqdn" {
  description = "FQDN of the app record (null before the first deployment)."
  value       = one(aws_route53_record.app[*].fqdn)
}

output "health_check_id" {
  description = "Route 53 health check deciding failover (null without failover)."
  value       = one(aws_route53_health_check.app[*].id)
}

output "web_acl_arn" {
  description = "WAF web ACL ARN (Ingress annotation alb.ingress.kubernetes.io/wafv2-acl-arn), null when WAF is off."
  value       = one(aws_wafv2_web_acl.this[*].arn)
}
