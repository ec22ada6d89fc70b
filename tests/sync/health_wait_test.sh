#!/usr/bin/env bash
# Waiting for health (`skiff apply --wait`, i.e. WaitForHealthy) against the
# simulated controllers of `skiff local`: one scenario per invocation
# (argument 1), each with its own server on port 0 in a fresh temp dir.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-wait-test
APP_DIR="$WORK/app"

# Writes the app; argument 1 is extra metadata for the Deployment.
write_app() {
  mkdir -p "$APP_DIR"
  echo "resources: [app.yaml]" >"$APP_DIR/kustomization.yaml"
  cat >"$APP_DIR/app.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  $1
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: shop
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - port: 80
YAML
}

case_healthy() {
  start_server --rollout-delay 1s
  write_app ""
  local rc=0 out
  out=$("$SKIFF" apply "$APP_DIR" --app app --wait --timeout 60s 2>&1) || rc=$?
  [[ $rc == 0 ]] || fail "apply --wait exit $rc: $out"
  # Not a terminal: one line per state change, ending Healthy for each object.
  expect_contains "$out" "deployment.apps/web -n shop: Progressing" "rollout seen in progress"
  expect_contains "$out" "deployment.apps/web -n shop: Healthy" "rollout seen complete"
  expect_contains "$out" "statefulset.apps/db -n shop: Healthy" "statefulset"
  expect_contains "$out" "job.batch/migrate -n shop: Healthy" "job"
  expect_contains "$out" "persistentvolumeclaim/data -n shop: Healthy" "pvc"
  expect_contains "$out" "service/lb -n shop: Healthy" "load balancer"
  expect_contains "$out" "all healthy" "summary"
}

case_degraded() {
  start_server --rollout-delay 1s
  write_app "annotations: {local.skiff.dev/simulate: fail-rollout}"
  local rc=0 out
  out=$("$SKIFF" apply "$APP_DIR" --app app --wait --timeout 6s 2>&1) || rc=$?
  [[ $rc == 1 ]] || fail "apply --wait of a failing rollout: exit $rc, expected 1: $out"
  expect_contains "$out" "deployment.apps/web -n shop: Degraded" "failed rollout"
  expect_contains "$out" "ProgressDeadlineExceeded" "reason"
  expect_contains "$out" "health wait timed out" "Degraded is not final: the wait runs to its timeout"
}

"case_${1:?scenario}"
echo "PASS: $1"
