variable "region" {
  description = "The AWS region of the platform."
  default     = "eu-west-3"
}

variable "availability_zones" {
  default = ["eu-west-3a", "eu-west-3b", "eu-west-3c"]
}

# One VPC per environment; this one is production.
resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true

  tags = {
    Name        = "vod-prod"
    environment = "production"
  }
}

# Kubernetes nodes live in private subnets, one per availability zone.
resource "aws_subnet" "private" {
  count             = length(var.availability_zones)
  vpc_id            = aws_vpc.main.id
  availability_zone = var.availability_zones[count.index]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)

  tags = {
    "kubernetes.io/role/internal-elb" = "1"
  }
}

# The dedicated link to the Paris server room, for applications not migrated yet.
resource "aws_vpn_gateway" "server_room" {
  vpc_id = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}
