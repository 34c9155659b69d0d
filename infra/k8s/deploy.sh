#!/usr/bin/env bash
# Deploys an overlay in the order the API needs (what Argo CD's sync waves do
# in GitOps mode, infra/k8s/argocd):
#   1. everything but the server and the migration (namespace, config,
#      secrets, network policies, the local database or, on EKS, the
#      db-bootstrap Job that creates the database roles); wait for them;
#      then the migration Job; wait for it;
#   2. then the server (Deployment, Service, Ingress, HPA, PDB), and wait for
#      the rollout.
# Usage: infra/k8s/deploy.sh eks|local
set -euo pipefail

overlay_name="${1:?usage: deploy.sh eks|local}"
overlay="$(cd "$(dirname "$0")" && pwd)/overlays/${overlay_name}"
namespace=expense-tracker
job=expense-api-migrate
bootstrap_job=expense-db-bootstrap

# A Job's pod template is immutable: the previous release's Jobs go first.
kubectl -n "$namespace" delete job "$job" "$bootstrap_job" --ignore-not-found --wait=true

# Everything but the server and the migration: config, secrets, policies and
# (eks) the db-bootstrap Job, which creates the roles the migration logs in as.
kubectl apply -k "$overlay" -l 'app.kubernetes.io/component notin (server,migration)'

if [[ "$overlay_name" == eks ]]; then
  for external_secret in expense-api-secrets expense-api-migrator expense-db-bootstrap; do
    kubectl -n "$namespace" wait --for=condition=Ready "externalsecret/$external_secret" --timeout=5m
  done
  kubectl -n "$namespace" wait --for=condition=Complete "job/$bootstrap_job" --timeout=5m
else
  kubectl -n "$namespace" rollout status statefulset/postgres --timeout=5m
fi

kubectl apply -k "$overlay" -l 'app.kubernetes.io/component=migration'
echo "waiting for $job ..."
deadline=$((SECONDS + 600))
while true; do
  succeeded="$(kubectl -n "$namespace" get job "$job" -o jsonpath='{.status.succeeded}')"
  failed="$(kubectl -n "$namespace" get job "$job" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}')"
  if [[ "$succeeded" == 1 ]]; then
    break
  fi
  if [[ "$failed" == True || $SECONDS -gt $deadline ]]; then
    echo "migration failed or timed out; the server was not rolled" >&2
    kubectl -n "$namespace" logs "job/$job" --tail=50 >&2 || true
    exit 1
  fi
  sleep 5
done
kubectl -n "$namespace" logs "job/$job" --tail=5

kubectl apply -k "$overlay"
kubectl -n "$namespace" rollout status deployment/expense-api --timeout=10m
