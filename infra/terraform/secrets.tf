# Secrets the API needs, kept in Secrets Manager and synced into the cluster by
# External Secrets (external_secrets.tf). Nothing here is a Terraform output.

# --- JWT signing key ---------------------------------------------------------
# Generated ephemerally and written write-only: the value never lands in the
# plan or the state. Bump jwt_secret_version to rotate (signs every user out).
ephemeral "random_password" "jwt" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "jwt" {
  # checkov:skip=CKV2_AWS_57:Automatic rotation would sign every user out; rotate deliberately by bumping secret_string_wo_version.
  name                    = "${var.name}/jwt-secret"
  description             = "JWT_SECRET of the Expense Tracker API (HMAC signing key)"
  kms_key_id              = aws_kms_key.app.arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "jwt" {
  secret_id                = aws_secretsmanager_secret.jwt.id
  secret_string_wo         = ephemeral.random_password.jwt.result
  secret_string_wo_version = 1
}

# --- Database connection (no credential) -------------------------------------
# Where the database is and how to trust it. The credentials stay in the login
# secrets (db_users.tf); the ExternalSecrets join both into DATABASE_URL, so
# neither the overlay nor the state holds a connection string with a password.
# verify-full: TLS, and the server's certificate must chain to the RDS CA
# bundle baked into the image (packaging/api/Dockerfile) and name the host.
resource "aws_secretsmanager_secret" "db_connection" {
  # checkov:skip=CKV2_AWS_57:Holds no credential (host, port, database name); the password lives in the RDS-managed secret, which rotates.
  name                    = "${var.name}/db-connection"
  description             = "Host, port and database of the Expense Tracker PostgreSQL (no credentials)"
  kms_key_id              = aws_kms_key.app.arn
  recovery_window_in_days = 7
}

locals {
  # Where packaging/api/Dockerfile puts the RDS CA bundle.
  rds_ca_bundle_path = "/usr/local/share/rds/global-bundle.pem"
}

resource "aws_secretsmanager_secret_version" "db_connection" {
  secret_id = aws_secretsmanager_secret.db_connection.id
  secret_string = jsonencode({
    host        = module.db.db_instance_address
    port        = tostring(module.db.db_instance_port)
    dbname      = local.db_name
    sslmode     = "verify-full"
    sslrootcert = local.rds_ca_bundle_path
  })
}
