#!/usr/bin/env bash
# Server-side apply in `skiff local`, driven by the real kubectl: field
# ownership (metadata.managedFields), conflicts and --force-conflicts, field
# removal, shared ownership. One scenario per invocation (argument 1); each
# starts its own server on port 0 in a fresh temporary data directory.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-ssa-test

# manager/operation/subresource of every managedFields entry of deploy web.
owners() {
  k get deploy web -o jsonpath='{range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource} {end}'
}

# The fieldsV1 of `manager`'s entries (JSON text).
fields_of() {  # manager [resource]
  k get "${2:-deploy/web}" -o jsonpath="{.metadata.managedFields[?(@.manager==\"$1\")].fieldsV1}"
}

rv() { k get deploy web -o jsonpath='{.metadata.resourceVersion}'; }

web() {  # replicas [extra label line] [ports yes|no]
  cat >"$WORK/web.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
${2:-}
spec:
  replicas: $1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
YAML
  if [[ "${3:-yes}" == yes ]]; then
    printf '        ports:\n        - containerPort: 80\n          protocol: TCP\n' >>"$WORK/web.yaml"
  fi
}

case_noop() {
  start_server
  web 2
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  # The simulated controller writes status until the rollout completes.
  k rollout status deploy/web --timeout=60s >/dev/null
  local before after
  before=$(rv)
  local out
  out=$(k apply --server-side -f "$WORK/web.yaml")
  expect_contains "$out" "deployment.apps/web serverside-applied" "second apply"
  after=$(rv)
  [[ "$before" == "$after" ]] || fail "re-apply changed resourceVersion $before -> $after"
  [[ $(owners) == "kubectl/Apply/ " ]] || fail "owners after apply: $(owners)"
  # Dry-run apply answers the change without storing it.
  web 4
  out=$(k apply --server-side --dry-run=server -f "$WORK/web.yaml" -o jsonpath='{.spec.replicas}')
  [[ "$out" == 4 ]] || fail "dry-run apply answered replicas $out"
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 2 ]] || fail "dry-run apply stored"
  [[ $(rv) == "$before" ]] || fail "dry-run apply changed resourceVersion"
  stop_server
}

case_show_managed_fields() {
  start_server
  web 2
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  local y
  y=$(k get deploy web -o yaml --show-managed-fields)
  expect_contains "$y" "managedFields:" "--show-managed-fields"
  expect_contains "$y" "manager: kubectl" "manager"
  expect_contains "$y" "operation: Apply" "operation"
  expect_contains "$y" "fieldsType: FieldsV1" "fieldsType"
  expect_contains "$y" "f:replicas: {}" "f:replicas"
  expect_contains "$y" 'k:{"name":"web"}:' "associative list key"
  expect_contains "$y" 'k:{"containerPort":80,"protocol":"TCP"}:' "two-field key"
  expect_contains "$y" "f:selector: {}" "atomic selector"
  expect_contains "$y" "time: " "entry time"
  expect_not_contains "$(k get deploy web -o yaml)" "managedFields" "managed fields hidden by default"
  # Non-apply writes record Update entries named after the kubectl command.
  k label deploy web stage=prod >/dev/null
  k annotate deploy web note=hi >/dev/null
  expect_contains "$(owners)" "kubectl-label/Update/" "label entry"
  expect_contains "$(owners)" "kubectl-annotate/Update/" "annotate entry"
  expect_contains "$(fields_of kubectl-label)" '"f:stage":{}' "label fields"
  # The status subresource gets entries of its own.
  k patch deploy web --subresource=status --type=merge -p '{"status":{"observedGeneration":42}}' >/dev/null
  expect_contains "$(owners)" "kubectl-patch/Update/status" "status entry"
  stop_server
}

case_conflict_edit() {
  start_server
  web 2
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  # A non-interactive editor: kubectl edit runs it on the object's YAML.
  printf '#!/bin/sh\nsed -i "s/^  replicas: 2$/  replicas: 5/" "$1"\n' >"$WORK/editor.sh"
  chmod +x "$WORK/editor.sh"
  EDITOR="$WORK/editor.sh" k edit deploy web >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 5 ]] || fail "edit did not scale"
  expect_contains "$(fields_of kubectl-edit)" '"f:replicas":{}' "kubectl-edit owns replicas"
  local out
  out=$(k apply --server-side -f "$WORK/web.yaml" 2>&1) && fail "apply over an edited field succeeded"
  expect_contains "$out" 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas' "conflict"
  expect_contains "$out" "--force-conflicts" "kubectl's advice"
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 5 ]] || fail "refused apply changed the object"
  # Forced, the applier takes replicas back.
  k apply --server-side --force-conflicts -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 2 ]] || fail "forced apply did not set replicas"
  expect_not_contains "$(owners)" "kubectl-edit" "kubectl-edit lost its only field"
  expect_contains "$(fields_of kubectl)" '"f:replicas":{}' "applier owns replicas again"
  stop_server
}

case_conflict_scale() {
  start_server
  web 2
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  k scale deploy web --replicas=5 >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 5 ]] || fail "scale"
  local out
  out=$(k apply --server-side -f "$WORK/web.yaml" 2>&1) && fail "apply over a scaled field succeeded"
  expect_contains "$out" 'Apply failed with 1 conflict: conflict with "kubectl' "conflict"
  expect_contains "$out" ".spec.replicas" "conflicting field"
  k apply --server-side --force-conflicts -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 2 ]] || fail "forced apply"
  # Nobody else owns replicas now: a plain apply of another count succeeds.
  web 3
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 3 ]] || fail "apply after force"
  stop_server
}

case_removal() {
  start_server
  web 2 "    tier: front"
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.metadata.labels.tier}') == front ]] || fail "tier label"
  [[ $(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].ports[0].containerPort}') == 80 ]] || fail "port"
  # The same file without the label and the ports.
  web 2 "" no
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  [[ -z $(k get deploy web -o jsonpath='{.metadata.labels.tier}') ]] || fail "dropped label kept"
  [[ -z $(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].ports}') ]] || fail "dropped ports kept"
  [[ $(k get deploy web -o jsonpath='{.metadata.labels.app}') == web ]] || fail "kept label lost"
  # A field another manager also owns survives the applier dropping it.
  k label deploy web owner=ops >/dev/null
  web 2 "    owner: ops" no
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  web 2 "" no
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.metadata.labels.owner}') == ops ]] || fail "label owned by kubectl-label removed"
  stop_server
}

case_shared() {
  start_server
  web 2
  k apply --server-side --field-manager=team-a -f "$WORK/web.yaml" >/dev/null
  k apply --server-side --field-manager=team-b -f "$WORK/web.yaml" >/dev/null
  expect_contains "$(fields_of team-a)" '"f:replicas":{}' "team-a owns replicas"
  expect_contains "$(fields_of team-b)" '"f:replicas":{}' "team-b shares replicas"
  # A changed value from either sharer now conflicts with the other.
  web 3
  local out
  out=$(k apply --server-side --field-manager=team-a -f "$WORK/web.yaml" 2>&1) && fail "changing a shared field succeeded"
  expect_contains "$out" 'conflict with "team-b": .spec.replicas' "shared conflict"
  # Dropping the field gives up ownership; the other manager keeps it.
  web 2
  sed -i '/replicas:/d' "$WORK/web.yaml"
  k apply --server-side --field-manager=team-b -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 2 ]] || fail "shared field removed while owned"
  expect_not_contains "$(fields_of team-b)" '"f:replicas"' "team-b gave up replicas"
  web 3
  k apply --server-side --field-manager=team-a -f "$WORK/web.yaml" >/dev/null
  [[ $(k get deploy web -o jsonpath='{.spec.replicas}') == 3 ]] || fail "sole owner could not change replicas"
  stop_server
}

case_configmap() {
  start_server
  cat >"$WORK/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: blue
  size: small
YAML
  k create -f "$WORK/cm.yaml" >/dev/null
  expect_contains "$(fields_of kubectl-create cm/settings)" '"f:data":{".":{},"f:mode":{},"f:size":{}}' "create entry"
  # Taking over with apply: the same values are shared, not conflicting.
  k apply --server-side -f "$WORK/cm.yaml" >/dev/null
  expect_contains "$(fields_of kubectl cm/settings)" '"f:mode":{}' "applier shares data"
  sed -i 's/mode: blue/mode: green/' "$WORK/cm.yaml"
  expect_fails_with 'conflict with "kubectl-create" using v1: .data.mode' k apply --server-side -f "$WORK/cm.yaml"
  k apply --server-side --force-conflicts -f "$WORK/cm.yaml" >/dev/null
  [[ $(k get cm settings -o jsonpath='{.data.mode}') == green ]] || fail "forced configmap apply"
  stop_server
}

case_options() {
  start_server
  web 2
  k apply --server-side -f "$WORK/web.yaml" >/dev/null
  local server pki="$WORK/data/pki" out
  server=$(k config view -o jsonpath='{.clusters[0].cluster.server}')
  raw_patch() {  # query content-type body
    curl -sS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" -X PATCH \
      -H "Content-Type: $2" --data-binary "$3" "$server/apis/apps/v1/namespaces/default/deployments/web?$1"
  }
  out=$(raw_patch "" application/apply-patch+yaml '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":3}}')
  expect_contains "$out" '"code":422' "apply without fieldManager"
  expect_contains "$out" 'fieldManager: Required value: is required for apply patch' "apply without fieldManager"
  out=$(raw_patch "fieldManager=x" application/apply-patch+yaml \
    '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"managedFields":[]},"spec":{"replicas":3}}')
  expect_contains "$out" 'metadata.managedFields must be nil' "apply with managedFields"
  out=$(raw_patch "force=true" application/merge-patch+json '{"spec":{"replicas":3}}')
  expect_contains "$out" 'force: Forbidden: may not be specified for non-apply patch' "force on a merge patch"
  # A write whose managedFields is [{}] strips them all.
  k patch deploy web --type=merge -p '{"metadata":{"managedFields":[{}]}}' >/dev/null
  [[ -z $(owners) ]] || fail "managedFields after reset: $(owners)"
  stop_server
}

"case_$1"
echo "PASS: $1"
