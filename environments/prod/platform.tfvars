# prod: three zones, Multi-AZ data stores, backups locked for 3 years and copied to the DR region.
environment = "prod"
region      = "eu-west-1"
dr_region   = "eu-central-1"
owner       = "notejam-platform"
cost_centre = "cc-1042-prod"

vpc_cidr = "10.30.0.0/16"
azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

node_instance_types = ["m6i.large", "m6a.large"]
# 3 zones x 1..10 nodes; the Cluster Autoscaler moves desired. max: the HPA's 36 pods plus a 9-pod rolling surge and
# the add-on layer need 8-9 m6i.large per zone after kubelet reservations and DaemonSets (CapacityTest; 4 held only
# the 36 pods with nothing else).
node_scaling = { min = 1, desired = 2, max = 10 }

database = {
  instance_class                  = "db.m6g.large"
  multi_az                        = true
  backup_retention_days           = 35
  deletion_protection             = true
  cross_region_backup_replication = true
}

cache = {
  node_type          = "cache.m6g.large"
  num_cache_clusters = 3
}

backup_bucket = {
  mode                = "primary"
  retention_days      = 1095
  object_lock_mode    = "COMPLIANCE"
  object_lock_days    = 1095
  replication_enabled = true
}

registry_replicate_to_dr = true

dns = {
  zone_name     = "notejam.example.com"
  host_name     = "notejam.example.com"
  failover_role = "PRIMARY"
  waf_enabled   = true
}

alarm_email_addresses = ["platform-oncall@notejam.example.com"]
