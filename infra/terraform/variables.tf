variable "region" {
  description = "AWS region for every resource (e.g. eu-central-1)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region code such as eu-central-1."
  }
}

variable "name" {
  description = "Name prefix for the VPC, cluster, database and repository; also the Kubernetes namespace."
  type        = string
  default     = "expense-tracker"

  validation {
    # Short enough for IAM role name prefixes (38 characters) built from it.
    condition     = can(regex("^[a-z][a-z0-9-]{2,19}[a-z0-9]$", var.name))
    error_message = "name must be 4-21 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags for every resource (cost centre, owner, ...)."
  type        = map(string)
  default     = {}
}

# --- Network -----------------------------------------------------------------

variable "vpc_cidr" {
  description = "IPv4 range of the VPC; /16 leaves room for the VPC CNI (one address per pod)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 16
    error_message = "vpc_cidr must be a valid IPv4 CIDR of size /16 or larger."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole VPC (cheaper) instead of one per AZ (survives an AZ outage)."
  type        = bool
  default     = false
}

# --- Cluster -----------------------------------------------------------------

variable "kubernetes_version" {
  description = "EKS Kubernetes version. The manifests use the native preStop sleep (1.30+)."
  type        = string
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version)) && tonumber(split(".", var.kubernetes_version)[1]) >= 30
    error_message = "kubernetes_version must look like 1.34 and be 1.30 or newer."
  }
}

variable "cluster_admin_role_arn" {
  description = "IAM role that administers the cluster (EKS access entry with AmazonEKSClusterAdminPolicy); run Terraform as this role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.cluster_admin_role_arn))
    error_message = "cluster_admin_role_arn must be an IAM role ARN (arn:aws:iam::123456789012:role/name)."
  }
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "CIDRs allowed to reach the public Kubernetes API endpoint (operators, CI). Never 0.0.0.0/0."
  type        = list(string)

  validation {
    condition     = length(var.cluster_endpoint_public_access_cidrs) > 0 && alltrue([for cidr in var.cluster_endpoint_public_access_cidrs : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "cluster_endpoint_public_access_cidrs must list valid CIDRs and must not contain 0.0.0.0/0."
  }
}

variable "node_instance_types" {
  description = "Instance types of the managed node group, in order of preference."
  type        = list(string)
  default     = ["m6i.large", "m5.large"]

  validation {
    condition     = length(var.node_instance_types) > 0 && alltrue([for type in var.node_instance_types : can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", type))])
    error_message = "node_instance_types must be a non-empty list of EC2 instance types such as m6i.large."
  }
}

variable "node_min_size" {
  description = "Fewest worker nodes; at least 2 so a node can drain without an outage."
  type        = number
  default     = 2

  validation {
    condition     = var.node_min_size >= 2 && floor(var.node_min_size) == var.node_min_size
    error_message = "node_min_size must be a whole number of at least 2."
  }
}

variable "node_desired_size" {
  description = "Nodes of the fixed managed node group at creation; Karpenter adds nodes beyond them."
  type        = number
  default     = 2

  validation {
    condition     = var.node_desired_size >= var.node_min_size && var.node_desired_size <= var.node_max_size
    error_message = "node_desired_size must lie between node_min_size and node_max_size."
  }
}

variable "node_max_size" {
  description = "Most nodes of the fixed managed node group (Karpenter's nodes are bounded by the NodePool's limits)."
  type        = number
  default     = 3

  validation {
    condition     = var.node_max_size >= var.node_min_size && var.node_max_size <= 100
    error_message = "node_max_size must be at least node_min_size and at most 100."
  }
}

variable "node_disk_size_gib" {
  description = "Root volume of each worker node, GiB (encrypted gp3)."
  type        = number
  default     = 50

  validation {
    condition     = var.node_disk_size_gib >= 20 && var.node_disk_size_gib <= 1000
    error_message = "node_disk_size_gib must be between 20 and 1000."
  }
}

# --- Database ----------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class for PostgreSQL."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.db_instance_class))
    error_message = "db_instance_class must look like db.t4g.medium."
  }
}

variable "db_allocated_storage_gib" {
  description = "Initial database storage, GiB (gp3)."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage_gib >= 20 && var.db_allocated_storage_gib <= 65536
    error_message = "db_allocated_storage_gib must be between 20 and 65536."
  }
}

variable "db_max_allocated_storage_gib" {
  description = "Ceiling for storage autoscaling, GiB."
  type        = number
  default     = 100

  validation {
    condition     = var.db_max_allocated_storage_gib >= var.db_allocated_storage_gib && var.db_max_allocated_storage_gib <= 65536
    error_message = "db_max_allocated_storage_gib must be at least db_allocated_storage_gib."
  }
}

variable "db_multi_az" {
  description = "Keep a synchronous standby in a second AZ (automatic failover)."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 7 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 7 and 35."
  }
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database; set false only to tear the stack down."
  type        = bool
  default     = true
}

variable "db_skip_final_snapshot" {
  description = "Delete the database without a final snapshot (only for throwaway stacks)."
  type        = bool
  default     = false
}

variable "db_password_rotation_days" {
  description = "Days between rotations of the master password (RDS) and of the app and migrator logins (alternating users); Reloader rolls the API after each."
  type        = number
  default     = 30

  validation {
    condition     = var.db_password_rotation_days >= 1 && var.db_password_rotation_days <= 365
    error_message = "db_password_rotation_days must be between 1 and 365."
  }
}
