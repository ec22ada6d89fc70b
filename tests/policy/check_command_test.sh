#!/usr/bin/env bash
# `skiff check` end to end. Usage: check_command_test.sh CASE (env SKIFF,
# SKIFF_SOURCE_DIR). Each case exits non-zero with a message on failure.
set -u
case_name=$1
src=${SKIFF_SOURCE_DIR:?}
skiff=${SKIFF:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_exit() {  # expect_exit CODE -- command...
  local want=$1; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [[ $got == "$want" ]] || { cat "$work/out" "$work/err" >&2; fail "exit $got, want $want: $*"; }
}

# A tree with its own policy file and one kustomization; $1 is the workload YAML.
make_tree() {
  mkdir -p "$work/repo/app"
  touch "$work/repo/skiff-policy.yaml"
  printf 'resources:\n- app.yaml\nnamespace: shop\n' >"$work/repo/app/kustomization.yaml"
  printf '%s\n' "$1" >"$work/repo/app/app.yaml"
}

PRIVILEGED_POD='apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    securityContext:
      privileged: true'

case $case_name in
  example_dev|example_prod)
    cluster=${case_name#example_}
    expect_exit 0 -- "$skiff" check "$src/examples/platform/clusters/$cluster"
    grep -q "^0 error(s)" "$work/out" || fail "summary: $(tail -1 "$work/out")"
    ;;
  exit_codes)
    make_tree "$PRIVILEGED_POD"
    expect_exit 1 -- "$skiff" check "$work/repo/app"
    grep -q "^app/app.yaml:10: error \[pss-baseline/privileged\] Pod/shop/web spec.containers\[name=web\].securityContext.privileged" "$work/out" \
      || fail "text line: $(cat "$work/out")"
    # Disabled by the policy file: only warnings remain.
    printf 'disabled: ["pss-baseline/*"]\n' >"$work/repo/skiff-policy.yaml"
    expect_exit 0 -- "$skiff" check "$work/repo/app"
    # Render error and bad policy file: 2.
    printf 'resources:\n- missing.yaml\n' >"$work/repo/app/kustomization.yaml"
    expect_exit 2 -- "$skiff" check "$work/repo/app"
    make_tree "$PRIVILEGED_POD"
    printf 'pss: strict\n' >"$work/repo/skiff-policy.yaml"
    expect_exit 2 -- "$skiff" check "$work/repo/app"
    grep -q "skiff-policy.yaml:1: pss:" "$work/err" || fail "policy error: $(cat "$work/err")"
    ;;
  sarif)
    make_tree "$PRIVILEGED_POD"
    expect_exit 1 -- "$skiff" check "$work/repo/app" --output sarif
    python3 - "$work/out" <<'PY' || fail "sarif structure"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
run = log["runs"][0]
assert run["tool"]["driver"]["name"] == "skiff"
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "pss-baseline/privileged" in ids, ids
for res in run["results"]:
    assert res["message"]["text"]
    assert res["level"] in ("error", "warning", "note")
    assert ids[res["ruleIndex"]] == res["ruleId"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "app/app.yaml", loc
    assert loc["region"]["startLine"] >= 1
PY
    expect_exit 1 -- "$skiff" check "$work/repo/app" --output json
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["errors"] >= 1' "$work/out" \
      || fail "json"
    ;;
  origins)
    # A base patched by an overlay: the finding points at the patch line that
    # introduced the field, and base-only findings at the base file.
    mkdir -p "$work/repo/base" "$work/repo/overlay"
    touch "$work/repo/skiff-policy.yaml"
    printf 'resources:\n- pod.yaml\n' >"$work/repo/base/kustomization.yaml"
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n' \
      >"$work/repo/base/pod.yaml"
    printf 'resources:\n- ../base\nnamePrefix: prod-\npatches:\n- path: patch.yaml\n' >"$work/repo/overlay/kustomization.yaml"
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  hostNetwork: true\n' >"$work/repo/overlay/patch.yaml"
    expect_exit 1 -- "$skiff" check "$work/repo/overlay"
    # The patch's nodes carry the path as the kustomization names it.
    grep -Eq "^(overlay/)?patch.yaml:7: error \[pss-baseline/host-namespaces\] Pod/shop/prod-web spec.hostNetwork" "$work/out" \
      || fail "patched field origin: $(cat "$work/out")"
    grep -q "^base/pod.yaml:[0-9]*: warning \[platform/image-tag\]" "$work/out" && fail "nginx:1.25 is pinned"
    grep -q "^base/pod.yaml:8: warning \[platform/probes\] Pod/shop/prod-web" "$work/out" \
      || fail "base origin: $(cat "$work/out")"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok $case_name"
