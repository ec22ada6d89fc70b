#!/usr/bin/env bash
# `skiff diff` against `skiff local`, checked against `kubectl diff
# --server-side` on the same objects: one scenario per invocation
# (argument 1), each with its own server on port 0 in a fresh temp dir.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" skiff-diff-test
APP_DIR="$WORK/app"

# Runs `skiff diff APP_DIR "$@"`: stdout in $OUT, stderr in $ERR, exit code in $RC.
skiff_diff() {
  RC=0
  OUT=$("$SKIFF" diff "$APP_DIR" --app app "$@" 2>"$WORK/diff.err") || RC=$?
  ERR=$(cat "$WORK/diff.err")
}
expect_rc() {  # expected what
  [[ "$RC" == "$1" ]] || fail "$2: exit code $RC, expected $1; stdout: $OUT; stderr: $ERR"
}

# The app: a namespace, a ConfigMap, a Deployment and a Secret.
# Arguments: replicas, ConfigMap mode, Secret password.
write_app() {
  mkdir -p "$APP_DIR"
  cat >"$APP_DIR/kustomization.yaml" <<'YAML'
resources:
- app.yaml
YAML
  cat >"$APP_DIR/app.yaml" <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: $2
  region: eu-west
---
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: $3
  user: admin
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
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
}

apply_app() {
  "$SKIFF" apply "$APP_DIR" --app app >"$WORK/apply.log" 2>&1 || { cat "$WORK/apply.log" >&2; fail "skiff apply"; }
}

# The id kubectl and the ApplySet KEP give the parent Secret skiff-app in skiff-system.
applyset_id() {
  python3 -c 'import base64,hashlib;print("applyset-"+base64.urlsafe_b64encode(hashlib.sha256(b"skiff-app.skiff-system.Secret.").digest()).rstrip(b"=").decode()+"-v1")'
}

# The render as `skiff apply` sends it (members labelled part-of the set), for kubectl.
# One file per object in $WORK/sent (kubectl would turn several into one List).
render_as_sent() {
  rm -rf "$WORK/sent" "$WORK/plain"
  mkdir -p "$WORK/sent" "$WORK/plain"
  "$SKIFF" build "$APP_DIR" | awk -v dir="$WORK/plain" '/^---$/ {n++; next} {print > (dir "/" n ".yaml")}'
  local f id
  id=$(applyset_id)
  for f in "$WORK"/plain/*.yaml; do
    k label --local -f "$f" "applyset.kubernetes.io/part-of=$id" -o yaml >"$WORK/sent/$(basename "$f")"
  done
}

# Changed lines of a unified diff, without headers and the fields skiff
# leaves out of its comparison, sorted: the comparable content of a diff.
changed_lines() {
  grep -E '^[-+]' | grep -vE '^(\+\+\+|---) ' | grep -vE '^[-+] +(generation|resourceVersion|uid|creationTimestamp):' | sort
}

# kubectl diff names files <group>.<version>.<Kind>.<ns>.<name>; skiff names
# <Kind>/<ns>/<name>. Both reduced to "Kind ns name".
kubectl_changed_objects() {
  grep -E '^\+\+\+ ' | awk '{print $2}' | xargs -n1 basename | awk -F. '{print $(NF-2), $(NF-1), $NF}' | sort
}
skiff_changed_objects() {
  grep -E '^\+\+\+ desired/' | sed 's|^+++ desired/||' | tr '/' ' ' | sort
}

case_no_change() {
  start_server
  write_app 2 blue hunter2-secret
  apply_app
  skiff_diff
  expect_rc 0 "diff right after apply"
  [[ -z "$OUT" ]] || fail "no output expected, got: $OUT"
}

case_changes() {
  start_server
  write_app 2 blue hunter2-secret
  apply_app
  write_app 3 green hunter2-secret
  skiff_diff --no-color
  expect_rc 1 "changed replicas and ConfigMap key"
  expect_contains "$OUT" "--- live/Deployment/shop/web" "diff header"
  expect_contains "$OUT" "+++ desired/Deployment/shop/web" "diff header"
  expect_contains "$OUT" "-  replicas: 2" "old replica count"
  expect_contains "$OUT" "+  replicas: 3" "new replica count"
  expect_contains "$OUT" "-  mode: blue" "old ConfigMap value"
  expect_contains "$OUT" "+  mode: green" "new ConfigMap value"
  expect_not_contains "$OUT" "Secret/shop/db" "unchanged Secret"
  expect_not_contains "$OUT" $'\x1b[' "colour with --no-color"

  # The same comparison by kubectl.
  render_as_sent
  local kubectl_rc=0
  k diff --server-side --field-manager=skiff --force-conflicts -f "$WORK/sent" >"$WORK/kubectl.diff" || kubectl_rc=$?
  [[ $kubectl_rc == 1 ]] || fail "kubectl diff exit code $kubectl_rc"
  local ours theirs
  ours=$(skiff_changed_objects <<<"$OUT")
  theirs=$(kubectl_changed_objects <"$WORK/kubectl.diff")
  [[ "$ours" == "$theirs" ]] || fail "changed objects differ: skiff [$ours] kubectl [$theirs]"
  ours=$(changed_lines <<<"$OUT")
  theirs=$(changed_lines <"$WORK/kubectl.diff")
  [[ "$ours" == "$theirs" ]] || fail "changed lines differ: skiff [$ours] kubectl [$theirs]"

  skiff_diff --color
  expect_contains "$OUT" $'\x1b[32m+  replicas: 3' "green insertion with --color"
}

case_secret_masked() {
  start_server
  write_app 2 blue hunter2-secret
  apply_app
  write_app 2 blue swordfish-new
  skiff_diff
  expect_rc 1 "changed Secret value"
  expect_contains "$OUT" "+++ desired/Secret/shop/db" "Secret diff"
  expect_contains "$OUT" "***masked-" "masks"
  local value
  for value in hunter2-secret swordfish-new admin \
      "$(printf %s hunter2-secret | base64)" "$(printf %s swordfish-new | base64)" "$(printf %s admin | base64)"; do
    expect_not_contains "$OUT$ERR" "$value" "Secret value in the diff"
  done
  # Only the changed value shows as changed: one - and one + data line.
  local changed
  changed=$(grep -cE '^[-+]  password:' <<<"$OUT")
  [[ "$changed" == 2 ]] || fail "expected the password line changed once: $OUT"
  expect_not_contains "$OUT" "+  user:" "unchanged key"
}

case_label_added() {
  start_server
  write_app 2 blue hunter2-secret
  "$SKIFF" build "$APP_DIR" | k apply --server-side --field-manager=skiff -f - >/dev/null
  skiff_diff --no-color
  expect_rc 1 "objects applied without the set's label"
  expect_contains "$OUT" "+    applyset.kubernetes.io/part-of: $(applyset_id)" "label skiff apply adds"
  expect_not_contains "$OUT" "replicas" "unchanged fields"
}

case_create() {
  start_server
  write_app 2 blue hunter2-secret
  skiff_diff --no-color
  expect_rc 1 "nothing in the cluster yet"
  expect_contains "$OUT" "+++ desired/Namespace/shop" "namespace to create"
  expect_contains "$OUT" "+++ desired/Deployment/shop/web" "deployment to create"
  expect_contains "$OUT" "+  replicas: 2" "whole object as + lines"
  expect_not_contains "$OUT" "hunter2-secret" "Secret value"
}

case_render_error() {
  start_server
  mkdir -p "$APP_DIR"
  echo "resources: [missing.yaml]" >"$APP_DIR/kustomization.yaml"
  skiff_diff
  expect_rc 2 "render error"
  expect_contains "$ERR" "missing.yaml" "render error message"
}

case_json() {
  start_server
  write_app 2 blue hunter2-secret
  apply_app
  write_app 4 blue hunter2-secret
  skiff_diff --output json
  expect_rc 1 "json diff"
  python3 - "$OUT" <<'PY'
import json, sys
doc = json.loads(sys.argv[1])
assert doc["changed"] is True, doc
by = {(o["kind"], o["name"]): o for o in doc["objects"]}
assert by[("Deployment", "web")]["action"] == "changed", by
assert "+  replicas: 4" in by[("Deployment", "web")]["diff"], by
assert by[("ConfigMap", "settings")]["action"] == "unchanged", by
assert "\x1b[" not in sys.argv[1]
PY
}

case_prune() {
  start_server
  write_app 2 blue hunter2-secret
  apply_app
  # Drop the ConfigMap from the render.
  python3 - "$APP_DIR/app.yaml" <<'PY'
import sys
path = sys.argv[1]
docs = open(path).read().split("---\n")
open(path, "w").write("---\n".join(d for d in docs if "kind: ConfigMap" not in d))
PY
  skiff_diff --no-color
  expect_rc 1 "a member left the render"
  expect_contains "$OUT" "--- live/ConfigMap/shop/settings" "pruned object"
  expect_contains "$OUT" "-  mode: blue" "pruned object as - lines"
}

case_unreachable() {
  mkdir -p "$WORK/data"
  cat >"$WORK/data/kubeconfig" <<'YAML'
apiVersion: v1
kind: Config
clusters:
- name: gone
  cluster: {server: "http://127.0.0.1:1"}
users:
- name: u
  user: {token: t}
contexts:
- name: gone
  context: {cluster: gone, user: u}
current-context: gone
YAML
  export KUBECONFIG="$WORK/data/kubeconfig"
  write_app 2 blue hunter2-secret
  skiff_diff
  expect_rc 2 "unreachable cluster"
}

"case_${1:?scenario}"
echo "PASS: $1"
