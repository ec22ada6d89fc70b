#!/usr/bin/env bash
# Apply benchmark: `skiff apply` vs `kubectl apply --server-side` of the same
# rendered objects, each into its own fresh `skiff local`.
#
# Usage: bench/sync_bench.sh [SKIFF_BIN]     (default: build/skiff)
# Env:   N  apps in the generated platform tree, default 300
#
# Generates the tree with ../shared/bench/gen_platform_tree.py, renders its
# clusters/prod once with skiff, then measures wall time and peak RSS
# (/usr/bin/time -f %M) of the first apply and of a no-op re-apply, for both
# tools, and prints a Markdown table. It also counts the server's writes: the
# global resourceVersion before and after each run (skiff local bumps it once
# per stored write).
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
skiff=$(realpath "${1:-build/skiff}")
n=${N:-300}
generator=../shared/bench/gen_platform_tree.py

die() { echo "sync_bench: $*" >&2; exit 2; }
[[ -x $skiff ]] || die "skiff binary not found: $skiff"
[[ -f $generator ]] || die "tree generator not found: $generator"
command -v kubectl >/dev/null || die "kubectl not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"

work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-sync-bench.XXXXXXXX") || exit 2
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

start_local() {  # DATA_DIR
  "$skiff" local --data "$1" --port 0 2>"$1.log" &
  pids+=($!)
  for _ in $(seq 1 400); do [[ -f $1/kubeconfig ]] && return 0; sleep 0.05; done
  die "skiff local did not start (see $1.log)"
}

# A write counter: the resourceVersion of a fresh write-free list.
server_rv() {  # KUBECONFIG
  KUBECONFIG=$1 kubectl get --raw /api/v1/namespaces |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["resourceVersion"])'
}

# measure LABEL KUBECONFIG CMD...: prints "| LABEL | wall s | RSS MiB | writes | exit |".
measure() {
  local label=$1 kc=$2; shift 2
  local before after start end rc=0
  before=$(server_rv "$kc")
  start=$(date +%s%N)
  KUBECONFIG=$kc /usr/bin/time -f %M -o "$work/rss" "$@" >"$work/out" 2>"$work/err" || rc=$?
  end=$(date +%s%N)
  after=$(server_rv "$kc")
  printf '| %s | %.2f | %.1f | %s | %s |\n' "$label" "$(echo "($end - $start) / 1000000000" | bc -l)" \
    "$(echo "$(tail -1 "$work/rss") / 1024" | bc -l)" "$((after - before))" "$rc"
  [[ $rc == 0 ]] || { tail -n 5 "$work/out" "$work/err" >&2; }
}

python3 "$generator" "$n" "$work/tree" >/dev/null || die "generator failed"
cluster="$work/tree/clusters/prod"
# skiff local serves the Kubernetes 1.21 API, without autoscaling/v2: the
# tree's HorizontalPodAutoscalers are left out, for both tools alike. Both
# apply exactly this rendered file (skiff through a kustomization that lists it).
mkdir -p "$work/set"
"$skiff" build "$cluster" | python3 -c '
import sys
docs = sys.stdin.read().split("\n---\n")
kept = [d for d in docs if "\nkind: HorizontalPodAutoscaler\n" not in "\n" + d + "\n"]
sys.stdout.write("\n---\n".join(kept))' >"$work/set/rendered.yaml" || die "render failed"
printf 'resources:\n- rendered.yaml\n' >"$work/set/kustomization.yaml"
cp "$work/set/rendered.yaml" "$work/rendered.yaml"
objects=$(grep -c '^kind:' "$work/rendered.yaml")
cluster="$work/set"

start_local "$work/skiff-data"
start_local "$work/kubectl-data"
skc="$work/skiff-data/kubeconfig"
kkc="$work/kubectl-data/kubeconfig"

# The tree's objects live in namespaces it does not declare: create them on
# both servers first, outside the measurements.
for ns in $(sed -n 's/^  namespace: //p' "$work/rendered.yaml" | sort -u); do
  KUBECONFIG=$skc kubectl create namespace "$ns" >/dev/null || die "create namespace $ns"
  KUBECONFIG=$kkc kubectl create namespace "$ns" >/dev/null || die "create namespace $ns"
done

echo "Apply of gen_platform_tree.py $n ($objects objects) into a fresh skiff local"
echo
echo "| run | wall s | peak RSS MiB | server writes | exit |"
echo "|---|---|---|---|---|"
measure "skiff apply --prune (first)" "$skc" "$skiff" apply "$cluster" --app bench --prune
measure "skiff apply --prune (no-op re-apply)" "$skc" "$skiff" apply "$cluster" --app bench --prune
measure "kubectl apply --server-side (first)" "$kkc" kubectl apply --server-side -f "$work/rendered.yaml"
measure "kubectl apply --server-side (no-op re-apply)" "$kkc" kubectl apply --server-side -f "$work/rendered.yaml"
