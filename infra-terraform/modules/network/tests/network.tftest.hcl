# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name         = "notejam-prod"
  environment  = "prod"
  cluster_name = "notejam-prod"
  vpc_cidr     = "10.40.0.0/16"
  azs          = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

run "prod_network_spans_three_zones_with_flow_logs_and_endpoints" {
  assert {
    condition     = length(distinct(aws_subnet.private[*].availability_zone)) == 3
    error_message = "R3: private subnets must sit in three distinct availability zones."
  }
  assert {
    condition     = length(distinct(aws_subnet.public[*].availability_zone)) == 3 && length(distinct(aws_subnet.database[*].availability_zone)) == 3
    error_message = "R3: public and database subnets must sit in three distinct availability zones."
  }
  assert {
    condition     = toset([for n in aws_nat_gateway.this : n.tags["Name"]]) == toset(["notejam-prod-eu-west-1a", "notejam-prod-eu-west-1b", "notejam-prod-eu-west-1c"])
    error_message = "R3: prod needs one NAT gateway per zone, each in its own public subnet."
  }
  assert {
    condition     = length(distinct([for r in aws_route.private_nat : r.nat_gateway_id])) == 3
    error_message = "R3: each private route table must leave through its own zone's NAT gateway."
  }
  assert {
    condition     = length(distinct(concat(aws_subnet.public[*].cidr_block, aws_subnet.private[*].cidr_block, aws_subnet.database[*].cidr_block))) == 9
    error_message = "Every subnet needs its own CIDR block."
  }
  assert {
    condition     = alltrue([for a in aws_route_table_association.database : a.route_table_id == aws_route_table.database.id])
    error_message = "Database subnets must use the isolated route table."
  }
  assert {
    condition     = alltrue([for s in aws_subnet.public : s.map_public_ip_on_launch == false])
    error_message = "Public subnets must not hand out public IPs to instances by default."
  }
  assert {
    condition     = aws_flow_log.this.traffic_type == "ALL" && aws_flow_log.this.log_destination == aws_cloudwatch_log_group.flow_logs.arn
    error_message = "R7: VPC flow logs must capture all traffic into the flow-log group."
  }
  assert {
    condition     = aws_cloudwatch_log_group.flow_logs.retention_in_days == 90
    error_message = "R7: flow logs need a finite retention."
  }
  assert {
    condition     = aws_vpc_endpoint.s3.vpc_endpoint_type == "Gateway" && aws_vpc_endpoint.s3.service_name == "com.amazonaws.eu-west-1.s3"
    error_message = "The S3 gateway endpoint must exist in the VPC's region."
  }
  assert {
    condition     = contains(keys(aws_vpc_endpoint.interface), "ecr.api") && contains(keys(aws_vpc_endpoint.interface), "ecr.dkr")
    error_message = "ECR interface endpoints must exist so nodes pull images privately."
  }
  assert {
    condition     = aws_subnet.private[0].tags["kubernetes.io/role/internal-elb"] == "1" && aws_subnet.public[0].tags["kubernetes.io/role/elb"] == "1"
    error_message = "Subnets need the tags the AWS Load Balancer Controller discovers them by."
  }
}

run "dev_may_share_one_nat_gateway" {
  variables {
    name               = "notejam-dev"
    environment        = "dev"
    cluster_name       = "notejam-dev"
    azs                = ["eu-west-1a", "eu-west-1b"]
    single_nat_gateway = true
  }
  assert {
    condition     = length(aws_nat_gateway.this) == 1 && length(aws_route_table.private) == 2
    error_message = "dev with single_nat_gateway gets one NAT gateway shared by both private route tables."
  }
}

run "rejects_two_zones_in_prod" {
  command = plan
  variables {
    azs = ["eu-west-1a", "eu-west-1b"]
  }
  expect_failures = [var.azs]
}

run "rejects_shared_nat_gateway_in_prod" {
  command = plan
  variables {
    single_nat_gateway = true
  }
  expect_failures = [var.single_nat_gateway]
}

run "rejects_duplicate_zones" {
  command = plan
  variables {
    azs = ["eu-west-1a", "eu-west-1a", "eu-west-1b"]
  }
  expect_failures = [var.azs]
}
