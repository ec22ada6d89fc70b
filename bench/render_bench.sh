#!/usr/bin/env bash
# Render benchmark: skiff build vs kubectl kustomize on generated platform trees.
#
# Usage: bench/render_bench.sh [SKIFF_BIN]     (default: build/skiff)
# Env:   NS    tree sizes (apps per tree), default "1 100 300"
#        RUNS  timed runs per renderer and size, default 5
#
# For every size N it generates a tree with ../shared/bench/gen_platform_tree.py,
# renders its clusters/prod with both renderers RUNS times, and prints one
# Markdown table row: median wall time, peak RSS (the largest of the runs, from
# /usr/bin/time -f %M), the ratios kustomize/skiff, and whether the two outputs
# are byte-identical. A renderer that fails is reported as failed, not timed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
skiff=${1:-build/skiff}
sizes=${NS:-"1 100 300"}
runs=${RUNS:-5}
generator=../shared/bench/gen_platform_tree.py

die() { echo "render_bench: $*" >&2; exit 2; }
[[ -x $skiff ]] || die "skiff binary not found or not executable: $skiff"
[[ -f $generator ]] || die "tree generator not found: $generator"
command -v kubectl >/dev/null || die "kubectl not found"
[[ -x /usr/bin/time ]] || die "/usr/bin/time not found (Debian package 'time')"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-bench.XXXXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# measure NAME DIR CMD...: runs CMD RUNS times on DIR; leaves the first run's
# stdout in $work/NAME.out and sets MEDIAN_MS, PEAK_KIB, FAILED (stderr text).
measure() {
  local name=$1 dir=$2; shift 2
  local times=() peak=0 i start end rss
  FAILED=""
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$work/$name.rss" "$@" "$dir" >"$work/$name.run" 2>"$work/$name.err"
    local rc=$?
    end=$(date +%s%N)
    if ((rc != 0)); then
      FAILED=$(grep -v '^Command exited' "$work/$name.err" | head -c 300 | tr '\n\t' '  ' | sed 's/ *$//')
      [[ -n $FAILED ]] || FAILED="exit status $rc"
      return
    fi
    ((i == 0)) && cp "$work/$name.run" "$work/$name.out"
    times+=($(((end - start) / 1000000)))
    rss=$(tail -n1 "$work/$name.rss")
    ((rss > peak)) && peak=$rss
  done
  MEDIAN_MS=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}')
  PEAK_KIB=$peak
}

mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1fx", a / b; else print "n/a"}'; }

echo "Render of clusters/prod, median of $runs runs; RSS is the peak over the runs."
echo "kubectl: $(kubectl version --client 2>/dev/null | tr '\n' ' ')"
echo
echo "| apps | objects | kustomize ms | skiff ms | time ratio (kustomize/skiff) | kustomize RSS MiB | skiff RSS MiB | RSS ratio (kustomize/skiff) | identical output |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for n in $sizes; do
  tree="$work/tree-$n"
  python3 "$generator" "$n" "$tree" >/dev/null || die "generator failed for N=$n"
  measure kustomize "$tree/clusters/prod" kubectl kustomize
  if [[ -n $FAILED ]]; then
    echo "| $n | - | kustomize failed: $FAILED | | | | | | |"
    continue
  fi
  k_ms=$MEDIAN_MS k_kib=$PEAK_KIB
  objects=$(grep -c '^kind:' "$work/kustomize.out")
  measure skiff "$tree/clusters/prod" "$skiff" build
  if [[ -n $FAILED ]]; then
    echo "| $n | $objects | $k_ms | skiff failed: $FAILED | - | $(mib "$k_kib") | - | - | - |"
    continue
  fi
  if cmp -s "$work/kustomize.out" "$work/skiff.out"; then same=yes; else same="NO ($(diff "$work/kustomize.out" "$work/skiff.out" | grep -c '^[<>]') lines differ)"; fi
  echo "| $n | $objects | $k_ms | $MEDIAN_MS | $(ratio "$k_ms" "$MEDIAN_MS") | $(mib "$k_kib") | $(mib "$PEAK_KIB") | $(ratio "$k_kib" "$PEAK_KIB") | $same |"
done
