#!/usr/bin/env bash
# Deploys an overlay in the order the API needs:
#   1. everything but the server (namespace, config, secrets, network policies,
#      the local database) and the migration Job; wait for the Job;
#   2. then the server (Deployment, Service, Ingress, HPA, PDB), and wait for
#      the rollout.
# Usage: infra/k8s/deploy.sh eks|local
set -euo pipefail

overlay_name="${1:?usage: deploy.sh eks|local}"
overlay="$(cd "$(dirname "$0")" && pwd)/overlays/${overlay_name}"
namespace=expense-tracker
job=expense-api-migrate

# A Job's pod template is immutable: the previous release's Job goes first.
kubectl -n "$namespace" delete job "$job" --ignore-not-found --wait=true

kubectl apply -k "$overlay" -l 'app.kubernetes.io/component!=server'

if [[ "$overlay_name" == eks ]]; then
  kubectl -n "$namespace" wait --for=condition=Ready externalsecret/expense-api-secrets --timeout=5m
else
  kubectl -n "$namespace" rollout status statefulset/postgres --timeout=5m
fi

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
