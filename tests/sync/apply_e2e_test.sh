#!/usr/bin/env bash
# `skiff apply` against `skiff local`: one scenario per invocation
# (argument 1). Each scenario starts its own server on port 0 in a fresh
# temp dir, and checks the cluster with the real kubectl.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-apply-test
APP_DIR="$WORK/app"

server_url() { "$KUBECTL" config view --minify -o jsonpath='{.clusters[0].cluster.server}'; }

# Runs `skiff apply APP_DIR --app app "$@"`; output in $OUT, exit code in $RC.
apply() {
  RC=0
  OUT=$("$SKIFF" apply "$APP_DIR" --app app "$@" 2>&1) || RC=$?
}
expect_rc() {  # expected what
  [[ "$RC" == "$1" ]] || fail "$2: exit code $RC, expected $1; output: $OUT"
}

# The id kubectl and the ApplySet KEP give the parent Secret skiff-app in skiff-system.
expected_id() {
  python3 -c 'import base64,hashlib;print("applyset-"+base64.urlsafe_b64encode(hashlib.sha256(b"skiff-app.skiff-system.Secret.").digest()).rstrip(b"=").decode()+"-v1")'
}

write_app() {
  mkdir -p "$APP_DIR"
  cat >"$APP_DIR/kustomization.yaml" <<'YAML'
resources:
- namespace.yaml
- settings.yaml
- extra.yaml
- web.yaml
YAML
  cat >"$APP_DIR/namespace.yaml" <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
YAML
  cat >"$APP_DIR/settings.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: blue
YAML
  cat >"$APP_DIR/extra.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra
  namespace: shop
data:
  k: v
YAML
  cat >"$APP_DIR/web.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
YAML
}

member_versions() {  # resourceVersions of every member and of the parent, one line
  local id; id=$(expected_id)
  echo "$(k get namespaces,configmaps,services,deployments -A -l "applyset.kubernetes.io/part-of=$id" \
    -o jsonpath='{range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}')" \
    "parent=$(k get secret -n skiff-system skiff-app -o jsonpath='{.metadata.resourceVersion}')"
}

# member_versions once the simulated controllers have stopped writing status
# (a Deployment's rollout and a Namespace's phase land shortly after apply):
# two equal reads half a second apart.
settled_versions() {
  local previous current
  previous=$(member_versions)
  for _ in $(seq 1 40); do
    sleep 0.5
    current=$(member_versions)
    [[ "$current" == "$previous" ]] && { echo "$current"; return; }
    previous=$current
  done
  fail "status writes did not settle: $current"
}

scenario_first_apply() {
  write_app; start_server
  apply
  expect_rc 0 "first apply"
  expect_contains "$OUT" "created Namespace/shop" "first apply"
  expect_contains "$OUT" "created Deployment/web (shop)" "first apply"
  expect_contains "$OUT" "5 created, 0 configured, 0 unchanged, 0 pruned, 0 failed" "first apply summary"
  local id; id=$(expected_id)
  [[ "$(k get secret -n skiff-system skiff-app -o jsonpath='{.metadata.labels.applyset\.kubernetes\.io/id}')" == "$id" ]] \
    || fail "parent id label is not the KEP id $id"
  [[ "$(k get secret -n skiff-system skiff-app -o jsonpath='{.metadata.annotations.applyset\.kubernetes\.io/contains-group-kinds}')" == \
     "ConfigMap,Deployment.apps,Namespace,Service" ]] || fail "contains-group-kinds"
  [[ "$(k get secret -n skiff-system skiff-app -o jsonpath='{.metadata.annotations.applyset\.kubernetes\.io/additional-namespaces}')" == "shop" ]] \
    || fail "additional-namespaces"
  expect_contains "$(k get secret -n skiff-system skiff-app -o jsonpath='{.metadata.annotations.applyset\.kubernetes\.io/tooling}')" "skiff/" "tooling"
  local members; members=$(k get configmaps,deployments,services -n shop -l "applyset.kubernetes.io/part-of=$id" -o name | sort | tr '\n' ' ')
  [[ "$members" == "configmap/extra configmap/settings deployment.apps/web service/web " ]] || fail "members by label: $members"
  # Dependency order, read from the server's write counter: namespace, config, service, workload.
  local ns_rv cm_rv svc_rv deploy_rv
  ns_rv=$(k get ns shop -o jsonpath='{.metadata.resourceVersion}')
  cm_rv=$(k get cm -n shop settings -o jsonpath='{.metadata.resourceVersion}')
  svc_rv=$(k get svc -n shop web -o jsonpath='{.metadata.resourceVersion}')
  deploy_rv=$(k get deploy -n shop web -o jsonpath='{.metadata.resourceVersion}')
  (( ns_rv < cm_rv && cm_rv < svc_rv && svc_rv < deploy_rv )) || fail "order: ns=$ns_rv cm=$cm_rv svc=$svc_rv deploy=$deploy_rv"
}

scenario_noop_reapply() {
  write_app; start_server
  apply; expect_rc 0 "first apply"
  local before; before=$(settled_versions)
  apply; expect_rc 0 "re-apply"
  expect_contains "$OUT" "0 created, 0 configured, 5 unchanged, 0 pruned, 0 failed; 0 writes" "re-apply"
  local after; after=$(member_versions)
  [[ "$before" == "$after" ]] || fail "a no-op re-apply changed resourceVersions: $before -> $after"
}

scenario_change() {
  write_app; start_server
  apply; expect_rc 0 "first apply"
  sed -i 's/mode: blue/mode: green/' "$APP_DIR/settings.yaml"
  apply; expect_rc 0 "apply after change"
  expect_contains "$OUT" "configured ConfigMap/settings (shop)" "change"
  expect_contains "$OUT" "0 created, 1 configured, 4 unchanged" "change summary"
  [[ "$(k get cm -n shop settings -o jsonpath='{.data.mode}')" == green ]] || fail "value not changed"
}

scenario_prune() {
  write_app; start_server
  apply; expect_rc 0 "first apply"
  sed -i '/extra.yaml/d' "$APP_DIR/kustomization.yaml"
  apply; expect_rc 0 "apply without --prune"
  k get cm -n shop extra >/dev/null || fail "deleted without --prune"
  apply --prune; expect_rc 0 "apply --prune"
  expect_contains "$OUT" "pruned ConfigMap/extra (shop)" "prune"
  if k get cm -n shop extra >/dev/null 2>&1; then fail "extra not pruned"; fi
  k get cm -n shop settings >/dev/null || fail "kept object pruned"
  # An object of the same kind and namespace but not in the set is never touched.
  k create configmap bystander -n shop --from-literal=a=b >/dev/null
  sed -i '/settings.yaml/d' "$APP_DIR/kustomization.yaml"
  apply --prune; expect_rc 0 "second prune"
  k get cm -n shop bystander >/dev/null || fail "pruned an object outside the set"
}

scenario_empty_refusal() {
  write_app; start_server
  apply; expect_rc 0 "first apply"
  printf 'resources: []\n' >"$APP_DIR/kustomization.yaml"
  apply --prune
  [[ "$RC" != 0 ]] || fail "empty render with --prune succeeded: $OUT"
  expect_contains "$OUT" "--allow-empty" "empty refusal message"
  k get deploy -n shop web >/dev/null || fail "something was deleted on an empty render"
  apply --prune --allow-empty; expect_rc 0 "empty render with --allow-empty"
  expect_contains "$OUT" "pruned Deployment/web (shop)" "allow-empty prune"
  if k get deploy -n shop web >/dev/null 2>&1; then fail "not pruned with --allow-empty"; fi
}

scenario_foreign() {
  write_app; start_server
  k create namespace shop >/dev/null
  k create configmap settings -n shop --from-literal=mode=kubectl >/dev/null
  apply --prune
  expect_rc 1 "apply over a foreign object"
  expect_contains "$OUT" "failed ConfigMap/settings (shop)" "foreign"
  expect_contains "$OUT" "not managed by this applied set" "foreign message"
  expect_contains "$OUT" "prune skipped" "no prune after a failure"
  [[ "$(k get cm -n shop settings -o jsonpath='{.data.mode}')" == kubectl ]] || fail "foreign object was taken over"
  [[ -z "$(k get cm -n shop settings -o jsonpath='{.metadata.labels}')" ]] || fail "foreign object was labelled"
}

scenario_crd() {
  write_app; start_server
  cat >"$APP_DIR/widgets.yaml" <<'YAML'
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: shop
spec:
  size: 3
---
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
        x-kubernetes-preserve-unknown-fields: true
YAML
  echo "- widgets.yaml" >>"$APP_DIR/kustomization.yaml"
  apply --dry-run; expect_rc 0 "dry-run with a CRD in the set"
  expect_contains "$OUT" "not validated after its CRD widgets.example.com is established" "dry-run CR note"
  apply; expect_rc 0 "apply with a CRD in the set"
  expect_contains "$OUT" "created Widget/w1 (shop) [validated after its CRD widgets.example.com is established]" "CR"
  [[ "$(k get widgets -n shop w1 -o jsonpath='{.spec.size}')" == 3 ]] || fail "CR not stored"
  apply; expect_rc 0 "re-apply with CRD"
  expect_contains "$OUT" "0 writes" "CRD re-apply"
}

scenario_invalid() {
  write_app; start_server
  cat >"$APP_DIR/bad.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
  namespace: default
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: Not_A_Valid_Name
  namespace: default
YAML
  echo "- bad.yaml" >>"$APP_DIR/kustomization.yaml"
  apply --prune
  expect_rc 1 "invalid set"
  expect_contains "$OUT" "failed ConfigMap/Not_A_Valid_Name (default): $APP_DIR/bad.yaml:7: 422" "422 with file:line"
  expect_contains "$OUT" "metadata.name" "422 field"
  expect_contains "$OUT" "nothing was changed" "validation note"
  if k get cm -n default fine >/dev/null 2>&1; then fail "a valid object was written despite an invalid one"; fi
  if k get secret -n skiff-system skiff-app >/dev/null 2>&1; then fail "inventory written despite an invalid set"; fi
}

scenario_dry_run() {
  write_app; start_server
  apply --dry-run; expect_rc 0 "dry-run"
  expect_contains "$OUT" "created ConfigMap/settings (shop) (dry run)" "dry-run output"
  if k get ns shop >/dev/null 2>&1; then fail "dry-run created the namespace"; fi
  if k get ns skiff-system >/dev/null 2>&1; then fail "dry-run created the inventory namespace"; fi
  apply; expect_rc 0 "apply"
  sed -i 's/mode: blue/mode: green/' "$APP_DIR/settings.yaml"
  sed -i '/extra.yaml/d' "$APP_DIR/kustomization.yaml"
  local before; before=$(settled_versions)
  apply --dry-run --prune; expect_rc 0 "dry-run of a change"
  expect_contains "$OUT" "configured ConfigMap/settings (shop) (dry run)" "dry-run change"
  expect_contains "$OUT" "pruned ConfigMap/extra (shop) (dry run)" "dry-run prune"
  [[ "$(member_versions)" == "$before" ]] || fail "dry-run wrote something"
}

scenario_json() {
  write_app; start_server
  apply --output json; expect_rc 0 "json apply"
  python3 - "$OUT" <<'PY' || fail "json output: $OUT"
import json, sys
doc = json.loads(sys.argv[1])
assert doc["succeeded"] is True, doc
assert doc["summary"]["created"] == 5 and doc["summary"]["failed"] == 0, doc["summary"]
kinds = [o["kind"] for o in doc["objects"]]
assert kinds == ["Namespace", "ConfigMap", "ConfigMap", "Service", "Deployment"], kinds
assert all(o["origin"].split(":")[-1].isdigit() for o in doc["objects"]), doc["objects"]
PY
}

scenario_wait() {
  write_app; start_server
  sed -i '/web.yaml/d' "$APP_DIR/kustomization.yaml"
  apply --wait --timeout 30s; expect_rc 0 "wait on objects that are healthy at once"
  expect_contains "$OUT" "all healthy" "wait summary"
  # A rollout the local control plane makes fail (or never progresses) is not healthy in time.
  cat >"$APP_DIR/failing.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {local.skiff.dev/simulate: fail-rollout}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
YAML
  echo "- failing.yaml" >>"$APP_DIR/kustomization.yaml"
  apply --wait --timeout 5s
  expect_rc 1 "wait on a failing rollout"
  expect_contains "$OUT" "not healthy Deployment/web" "unhealthy report"
}

# kubectl's own ApplySet code reads skiff's parent: it checks the parent's id
# label against the id it computes before it looks at the tooling, so being
# refused only for the tooling proves the ids agree.
scenario_kubectl_reads_applyset() {
  write_app; start_server
  apply; expect_rc 0 "first apply"
  local out
  out=$(KUBECTL_APPLYSET=true k apply --server-side --prune --applyset=secret/skiff-app -n skiff-system \
    -f "$APP_DIR/settings.yaml" 2>&1) && fail "kubectl took over skiff's applyset: $out"
  expect_contains "$out" 'managed by tooling "skiff"' "kubectl on skiff's parent"
}

# The policy gate: a privileged container breaks Pod Security Baseline, so
# the whole set is refused before any write; --skip-check overrides it.
scenario_policy_gate() {
  write_app; start_server
  cat >>"$APP_DIR/web.yaml" <<'YAML'
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
  - name: shell
    image: busybox:1.36
    securityContext:
      privileged: true
YAML
  apply
  expect_rc 1 "apply of a privileged pod"
  expect_contains "$OUT" "web.yaml" "finding names the source file"
  expect_contains "$OUT" "privileged" "finding names the control"
  expect_contains "$OUT" "nothing was applied" "refusal message"
  k get namespace shop >/dev/null 2>&1 && fail "the namespace was created although the set was refused"
  apply --skip-check
  expect_rc 0 "apply --skip-check"
  k get pod debug -n shop >/dev/null || fail "pod missing after --skip-check"
}

# A write race (409 without field-manager causes) is re-sent; the rest of
# the set is not disturbed.
scenario_write_race() {
  write_app; start_server
  local data="$WORK/data"
  printf 'PATCH /configmaps/settings 2 409\n' | curl -sS --cacert "$data/pki/ca.crt" --cert "$data/pki/admin.crt" \
    --key "$data/pki/admin.key" -X POST --data-binary @- "$(server_url)/skiff/faults" >/dev/null \
    || fail "could not install the fault"
  apply
  expect_rc 0 "apply through two injected write races"
  [[ "$(k get configmap settings -n shop -o jsonpath='{.data.mode}')" == blue ]] || fail "settings not applied"
}

case "${1:?scenario}" in
  first_apply|noop_reapply|change|prune|empty_refusal|foreign|crd|invalid|dry_run|json|wait|kubectl_reads_applyset|policy_gate|write_race) "scenario_$1" ;;
  *) fail "unknown scenario $1" ;;
esac
echo "PASS: $1"
