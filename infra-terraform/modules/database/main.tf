locals {
  major_version = split(".", var.engine_version)[0]
  # Stand-by (prod-dr): a cross-region read replica of the primary, replicating until promoted. An instance born as
  # a replica keeps db_name/username/engine_version unset for good: the replica inherits them, and setting them
  # after promotion would only cause a diff (db_name forces replacement).
  from_standby = var.standby != null
  replicating  = local.from_standby && !try(var.standby.promoted, false)
  parameters = merge({
    "rds.force_ssl"              = "1"
    "log_min_duration_statement" = "500"
    "log_connections"            = "1"
    "log_disconnections"         = "1"
  }, var.parameters)
}

resource "aws_kms_key" "this" {
  description             = "${var.identifier} RDS storage, Performance Insights and master secret"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.identifier}-rds"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_db_subnet_group" "this" {
  name       = var.identifier
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.identifier}-rds"
  description = "PostgreSQL from the cluster only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  # count, not for_each: the IDs are usually unknown until the cluster exists.
  count = length(var.allowed_security_group_ids)

  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from the cluster"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = var.allowed_security_group_ids[count.index]
}

resource "aws_db_parameter_group" "this" {
  name   = "${var.identifier}-postgres${local.major_version}"
  family = "postgres${local.major_version}"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name         = parameter.key
      value        = parameter.value
      apply_method = "pending-reboot"
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  identifier     = var.identifier
  engine         = "postgres"
  engine_version = local.from_standby ? null : var.engine_version
  instance_class = var.instance_class

  # Stand-by: replicate the primary in the other region (asynchronous, seconds behind). Removing it promotes the
  # replica to a standalone instance (the failover runbook runs `aws rds promote-read-replica` first).
  replicate_source_db = local.replicating ? var.standby.source_db_arn : null

  db_name  = local.from_standby ? null : var.database_name
  username = local.from_standby ? null : var.master_username
  # The password never passes through Terraform: RDS generates it, stores and rotates it in Secrets Manager. A
  # replica has no secret of its own (it inherits the primary's user); after promotion RDS creates one here.
  manage_master_user_password   = local.replicating ? null : true
  master_user_secret_kms_key_id = local.replicating ? null : aws_kms_key.this.arn

  allocated_storage     = var.allocated_storage_gib
  max_allocated_storage = var.max_allocated_storage_gib
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.this.arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.this.name

  backup_retention_period   = var.backup_retention_days
  backup_window             = "02:00-03:00"
  maintenance_window        = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot     = true
  delete_automated_backups  = false
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.identifier}-final"

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.this.arn
  performance_insights_retention_period = var.performance_insights_retention_days
  enabled_cloudwatch_logs_exports       = ["postgresql", "upgrade"]

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  apply_immediately                   = false
}

# --- Cross-region copy of automated backups (R4) ----------------------------

resource "aws_kms_key" "replica" {
  count    = var.cross_region_backup_replication ? 1 : 0
  provider = aws.dr

  description             = "${var.identifier} replicated RDS automated backups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_db_instance_automated_backups_replication" "this" {
  count    = var.cross_region_backup_replication ? 1 : 0
  provider = aws.dr

  source_db_instance_arn = aws_db_instance.this.arn
  kms_key_id             = aws_kms_key.replica[0].arn
  retention_period       = var.replica_backup_retention_days
}
