# test: same shape as prod (RDS, ElastiCache, three zones) at a smaller size; no cross-region copies.
environment = "test"
region      = "eu-west-1"
dr_region   = "eu-central-1"
owner       = "notejam-platform"
cost_centre = "cc-1042-test"

vpc_cidr = "10.20.0.0/16"
azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

node_instance_types = ["m6i.large"]
node_scaling        = { min = 1, desired = 1, max = 4 }

database = {
  instance_class        = "db.t4g.medium"
  multi_az              = true
  backup_retention_days = 7
  deletion_protection   = false
}

cache = {
  node_type          = "cache.t4g.small"
  num_cache_clusters = 2
}

backup_bucket = {
  mode                = "primary"
  retention_days      = 1095
  object_lock_mode    = "GOVERNANCE"
  object_lock_days    = 35
  replication_enabled = false
}

dns = {
  zone_name = "test.notejam.example.com"
  host_name = "test.notejam.example.com"
}
