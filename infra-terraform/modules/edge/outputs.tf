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

output "certificate_domain_name" {
  description = "Domain name of the ACM certificate (the Ingress host must equal it)."
  value       = aws_acm_certificate.this.domain_name
}

output "record_name" {
  description = "Name of the app record as configured (null before the first deployment)."
  value       = one(aws_route53_record.app[*].name)
}

output "regional_host_name" {
  description = "This region's own name for the ALB, requested by the failover health check (null without failover)."
  value       = var.regional_host_name
}

output "health_check" {
  description = "What the failover health check requests: type, host (fqdn), port and path (null without failover)."
  value = one([for h in aws_route53_health_check.app : {
    type = h.type
    fqdn = h.fqdn
    port = h.port
    path = h.resource_path
  }])
}
