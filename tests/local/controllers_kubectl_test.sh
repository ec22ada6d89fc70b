#!/usr/bin/env bash
# The real kubectl against `skiff local`'s simulated controllers and its
# validation of custom resources: one scenario per invocation (argument 1),
# each with its own server on port 0 in a fresh temporary data directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-ctrl-test

workload() {  # kind name [annotations-yaml]
  cat <<YAML
apiVersion: apps/v1
kind: $1
metadata:
  name: $2
  annotations: {${3:-}}
spec:
$([[ $1 == DaemonSet ]] || echo "  replicas: 2")
  selector:
    matchLabels: {app: $2}
  template:
    metadata:
      labels: {app: $2}
    spec:
      containers:
      - name: main
        image: nginx:1.25
YAML
}

case_rollout() {
  start_server --rollout-delay 300ms
  workload Deployment web '"local.skiff.dev/rollout-delay": "4s"' >"$WORK/web.yaml"
  k apply -f "$WORK/web.yaml" >/dev/null
  local out
  out=$(k rollout status deployment/web --timeout=30s)
  expect_contains "$out" "Waiting for deployment \"web\" rollout to finish" "rollout status while progressing"
  expect_contains "$out" "deployment \"web\" successfully rolled out" "rollout status"
  k wait --for=condition=Available deployment/web --timeout=10s >/dev/null
  [[ $(k get deploy web -o jsonpath='{.status.availableReplicas}/{.status.updatedReplicas}/{.status.readyReplicas}') == 2/2/2 ]] ||
    fail "replica counts"
  [[ $(k get deploy web -o jsonpath='{.status.conditions[?(@.type=="Progressing")].reason}') == NewReplicaSetAvailable ]] ||
    fail "Progressing reason"
  # A spec change restarts the rollout: a new generation, observed again.
  k set image deployment/web main=nginx:1.26 >/dev/null
  [[ $(k get deploy web -o jsonpath='{.metadata.generation}') == 2 ]] || fail "generation after set image"
  out=$(k rollout status deployment/web --timeout=30s)
  expect_contains "$out" "successfully rolled out" "rollout status after an update"
  [[ $(k get deploy web -o jsonpath='{.status.observedGeneration}') == 2 ]] || fail "observedGeneration"
  [[ $(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}') == nginx:1.26 ]] ||
    fail "the controller must not touch spec"

  workload StatefulSet db >"$WORK/db.yaml"
  workload DaemonSet agent >"$WORK/agent.yaml"
  k apply -f "$WORK/db.yaml" -f "$WORK/agent.yaml" >/dev/null
  out=$(k rollout status statefulset/db --timeout=30s)
  expect_contains "$out" "complete" "statefulset rollout status"
  out=$(k rollout status daemonset/agent --timeout=30s)
  expect_contains "$out" "daemon set \"agent\" successfully rolled out" "daemonset rollout status"
  stop_server
}

case_rollout_fail() {
  start_server --rollout-delay 200ms
  workload Deployment bad '"local.skiff.dev/simulate": "fail-rollout"' >"$WORK/bad.yaml"
  k apply -f "$WORK/bad.yaml" >/dev/null
  expect_fails_with "deployment \"bad\" exceeded its progress deadline" k rollout status deployment/bad --timeout=30s
  expect_fails_with "timed out waiting for the condition" k wait --for=condition=Available deployment/bad --timeout=2s
  [[ $(k get deploy bad -o jsonpath='{.status.conditions[?(@.type=="Progressing")].status}') == False ]] ||
    fail "Progressing must be False"
  stop_server
}

case_status_kinds() {
  start_server --rollout-delay 200ms
  cat >"$WORK/kinds.yaml" <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: broken
  annotations: {local.skiff.dev/simulate: fail-rollout}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 3Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  type: LoadBalancer
  selector: {app: front}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: solo}
spec:
  containers: [{name: main, image: busybox}]
YAML
  k apply -f "$WORK/kinds.yaml" >/dev/null
  k wait --for=condition=Complete job/once --timeout=20s >/dev/null
  k wait --for=condition=Failed job/broken --timeout=20s >/dev/null
  [[ $(k get job broken -o jsonpath='{.status.conditions[0].reason}') == BackoffLimitExceeded ]] || fail "job failure reason"
  [[ $(k get job once -o jsonpath='{.status.succeeded}') == 1 ]] || fail "job succeeded count"
  k wait --for=jsonpath='{.status.phase}'=Bound pvc/data --timeout=20s >/dev/null
  [[ $(k get pvc data -o jsonpath='{.status.capacity.storage}') == 3Gi ]] || fail "pvc capacity"
  k wait --for=jsonpath='{.status.loadBalancer.ingress[0].ip}' service/front --timeout=20s >/dev/null
  local ip
  ip=$(k get svc front -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
  [[ $ip == 192.0.2.* ]] || fail "load balancer address $ip"
  k wait --for=condition=Ready pod/solo --timeout=20s >/dev/null
  [[ $(k get pod solo -o jsonpath='{.status.phase}') == Running ]] || fail "pod phase"
  [[ $(k get ns default -o jsonpath='{.status.phase}') == Active ]] || fail "namespace phase"
  # Status changes reach watchers as MODIFIED events.
  workload Deployment watched '"local.skiff.dev/rollout-delay": "3s"' >"$WORK/watched.yaml"
  k apply -f "$WORK/watched.yaml" >/dev/null
  local events
  events=$(timeout 8 "$KUBECTL" get deployment watched -w --output-watch-events -o json || true)
  expect_contains "$events" "MODIFIED" "watch of a rolling deployment"
  # Same name, same address after a restart.
  stop_server
  start_server
  [[ $(k get svc front -o jsonpath='{.status.loadBalancer.ingress[0].ip}') == "$ip" ]] || fail "address after restart"
  stop_server
}

case_crd_validation() {
  start_server
  cat >"$WORK/crd.yaml" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer}
              mode: {type: string, enum: [fast, safe]}
              port: {x-kubernetes-int-or-string: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
  k apply -f "$WORK/crd.yaml" >/dev/null
  k wait --for=condition=Established crd/widgets.example.com --timeout=10s >/dev/null
  widget() {  # name spec-yaml
    printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: %s}\nspec: %s\n' "$1" "$2" >"$WORK/$1.yaml"
    echo "$WORK/$1.yaml"
  }
  k apply -f "$(widget good '{size: 3, mode: safe, port: http, extra: {any: thing}}')" >/dev/null
  [[ $(k get widget good -o jsonpath='{.spec.extra.any}') == thing ]] || fail "preserved unknown fields"
  expect_fails_with 'The Widget "typed" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"' \
    k apply -f "$(widget typed '{size: three}')"
  expect_fails_with 'spec.size: Required value' k apply -f "$(widget nosize '{mode: fast}')"
  expect_fails_with 'spec.mode: Unsupported value: "turbo": supported values: "fast", "safe"' \
    k apply -f "$(widget turbo '{size: 1, mode: turbo}')"
  expect_fails_with 'spec.port: Invalid value: "boolean"' k apply -f "$(widget portbool '{size: 1, port: true}')"
  # kubectl asks for strict field validation: undeclared fields are errors…
  expect_fails_with 'unknown field "spec.bogus"' k apply -f "$(widget strict '{size: 1, bogus: 1}')"
  # …and without it they are pruned, as the API server does.
  local warned
  warned=$(k apply --validate=warn -f "$(widget warned '{size: 1, bogus: 1}')" 2>&1)
  expect_contains "$warned" 'unknown field "spec.bogus"' "fieldValidation=Warn"
  k apply --validate=false -f "$(widget pruned '{size: 2, bogus: 1}')" >/dev/null
  for name in warned pruned; do
    [[ -z $(k get widget $name -o jsonpath='{.spec.bogus}') ]] || fail "spec.bogus of $name must be pruned"
  done
  [[ $(k get widget pruned -o jsonpath='{.spec.size}') == 2 ]] || fail "declared fields kept"
  # Patches are validated too.
  expect_fails_with 'spec.size in body must be of type integer' \
    k patch widget good --type=merge -p '{"spec":{"size":"big"}}'
  stop_server
}

"case_$1"
echo "PASS: $1"
