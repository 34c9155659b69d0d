# --- Release pipeline (GitHub Actions, .github/workflows/release.yml) --------

variable "github_repository" {
  description = "GitHub repository (owner/name) whose release workflow may push the API image and roll the Deployment."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_release_environment" {
  description = "GitHub environment the release jobs run in; the role trusts tokens of that environment only (protect it with required reviewers or tag rules)."
  type        = string
  default     = "production"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.github_release_environment))
    error_message = "github_release_environment must be a GitHub environment name."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's OIDC provider for token.actions.githubusercontent.com. Leave false where one exists (most accounts that use GitHub Actions; a second one fails); a plan warns when none does."
  type        = bool
  default     = false
}

variable "release_push_deploy" {
  description = "Let the release workflow deploy with kubectl from a runner inside the VPC (RELEASE_DEPLOY=push) instead of Argo CD: grants its role the narrow in-cluster Role."
  type        = bool
  default     = false
}
