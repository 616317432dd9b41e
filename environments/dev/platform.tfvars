# dev: smallest footprint. PostgreSQL and Redis run in the cluster (dev-only charts), one shared NAT gateway.
environment = "dev"
region      = "eu-west-1"
dr_region   = "eu-central-1"
owner       = "notejam-platform"
cost_centre = "cc-1042-dev"

vpc_cidr           = "10.10.0.0/16"
azs                = ["eu-west-1a", "eu-west-1b"]
single_nat_gateway = true

node_instance_types = ["t3.large"]
node_scaling        = { min = 1, desired = 1, max = 3 }

database = null
cache    = null

backup_bucket = {
  mode                = "primary"
  retention_days      = 1095
  object_lock_mode    = "GOVERNANCE"
  object_lock_days    = 7
  replication_enabled = false
}

dns = {
  zone_name = "dev.notejam.example.com"
  host_name = "dev.notejam.example.com"
}
