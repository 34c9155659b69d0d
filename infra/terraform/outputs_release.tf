output "github_release_role_arn" {
  description = "Role the release workflow assumes: set it as the GitHub repository variable AWS_RELEASE_ROLE_ARN."
  value       = aws_iam_role.github_release.arn
}
