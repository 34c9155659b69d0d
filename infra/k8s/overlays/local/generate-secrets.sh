#!/usr/bin/env bash
# Writes fresh random credentials for the local overlay into secrets/ (git
# ignores it). Run once before `kubectl apply -k`; rerun with --force to
# replace them (then delete the postgres PVC too: the database keeps the old
# password).
set -euo pipefail
cd "$(dirname "$0")"

if [[ -e secrets/api.env && "${1:-}" != "--force" ]]; then
  echo "secrets/ already exists; pass --force to replace it" >&2
  exit 0
fi

random_token() {
  # URL-safe, so it can sit in DATABASE_URL without escaping.
  python3 -c 'import secrets; print(secrets.token_urlsafe(int(__import__("sys").argv[1])))' "$1"
}

umask 077
mkdir -p secrets
postgres_password="$(random_token 24)"
printf '%s' "$postgres_password" > secrets/postgres-password
cat > secrets/api.env <<ENV
DATABASE_URL=postgresql://expense:${postgres_password}@postgres:5432/expense?sslmode=disable
JWT_SECRET=$(random_token 48)
ENV
cat > secrets/migrator.env <<ENV
DATABASE_URL=postgresql://expense:${postgres_password}@postgres:5432/expense?sslmode=disable
ENV
echo "wrote $(pwd)/secrets/ (api.env, migrator.env, postgres-password)"
