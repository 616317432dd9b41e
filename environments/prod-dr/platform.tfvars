# prod-dr: prod's hot stand-by in the DR region. Same stack: network, a minimal cluster, data stores ready to
# receive a restore, and prod's replicated backups (read from the replica bucket prod keeps in this region).
environment = "prod-dr"
region      = "eu-central-1"
dr_region   = "eu-west-1"
owner       = "notejam-platform"
cost_centre = "cc-1042-prod"

vpc_cidr = "10.31.0.0/16"
azs      = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]

node_instance_types = ["m6i.large", "m6a.large"]
# Minimal while standing by; the failover runbook raises min to prod's figures.
# max as prod's: after failover this region carries prod's burst (CapacityTest).
node_scaling = { min = 0, desired = 1, max = 10 }

# Stand-by: a cross-region read replica of prod's database, seconds behind; the failover runbook
# (docs/runbooks/failover-to-prod-dr.md) promotes it and then sets standby_promoted = true.
database = {
  instance_class        = "db.m6g.large"
  multi_az              = true
  backup_retention_days = 35
  deletion_protection   = true
  standby_of            = "prod"
  standby_promoted      = false
}

cache = {
  node_type          = "cache.m6g.large"
  num_cache_clusters = 3
}

backup_bucket = {
  mode               = "replica"
  source_name_prefix = "notejam-prod"
  source_environment = "prod"
  retention_days     = 1095
}

dns = {
  zone_name     = "notejam.example.com"
  host_name     = "notejam.example.com"
  failover_role = "SECONDARY"
  waf_enabled   = true
}

alarm_email_addresses = ["platform-oncall@notejam.example.com"]
