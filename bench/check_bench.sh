#!/usr/bin/env bash
# What checking costs on top of rendering: `skiff build` vs `skiff check` on
# the generated 300-app platform tree (or NS apps).
#
# Usage: bench/check_bench.sh [SKIFF_BIN]     (default: build/skiff)
# Env:   NS    apps in the tree, default 300
#        RUNS  timed runs of each command, default 5
#
# Prints the median wall time of each and the overhead of check over build
# ((check - build) / build). `skiff check` renders the tree itself, so the
# overhead is the cost of the rules, the policy and the report.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
skiff=${1:-build/skiff}
apps=${NS:-300}
runs=${RUNS:-5}
generator=../shared/bench/gen_platform_tree.py

die() { echo "check_bench: $*" >&2; exit 2; }
[[ -x $skiff ]] || die "skiff binary not found or not executable: $skiff"
[[ -f $generator ]] || die "tree generator not found: $generator"

work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-check-bench.XXXXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
python3 "$generator" "$apps" "$work/tree" >/dev/null || die "generator failed"
dir=$work/tree/clusters/prod
[[ -d $dir ]] || die "no clusters/prod in the generated tree"

# median_ms CMD...: runs CMD RUNS times (exit 0 or 1 accepted: check exits 1
# on error findings) and prints the median wall time in milliseconds.
median_ms() {
  local times=() i start end rc
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" >"$work/out" 2>"$work/err"
    rc=$?
    end=$(date +%s%N)
    ((rc <= 1)) || die "$* failed (exit $rc): $(head -c 300 "$work/err")"
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

"$skiff" build "$dir" >/dev/null || die "skiff build failed"   # warm the page cache
build_ms=$(median_ms "$skiff" build "$dir")
check_ms=$(median_ms "$skiff" check "$dir" --pss restricted)
tail -n1 "$work/out" >"$work/summary"
objects=$("$skiff" build "$dir" | grep -c '^kind:')
overhead=$(awk -v b="$build_ms" -v c="$check_ms" 'BEGIN {printf "%.1f", (c - b) * 100 / b}')
echo "tree: $apps apps, $objects objects (clusters/prod), $runs runs, median"
echo "skiff build: ${build_ms} ms"
echo "skiff check: ${check_ms} ms  ($(cat "$work/summary"))"
echo "check overhead over build: ${overhead}%"
