#!/usr/bin/env bash
# Render benchmark: skiff build vs kubectl kustomize on generated platform trees.
#
# Usage: bench/render_bench.sh [SKIFF_BIN]     (default: build/skiff)
# Env:   NS          tree sizes (apps per tree) timed against kustomize,
#                    default "1 100 300" (kustomize's time grows faster than
#                    linearly: about 9 minutes at 1000 apps on 2 cores)
#        SKIFF_NS    extra sizes timed for skiff alone (linearity), default ""
#        RUNS        rounds per size, default 5: one kustomize run and
#                    SKIFF_BURST (default 5) skiff runs each
#
# For every size N it generates a tree with ../shared/bench/gen_platform_tree.py
# and renders its clusters/prod in RUNS rounds, each one kustomize run then a
# burst of skiff runs, so both see the same machine load (a burst because a
# render of a few milliseconds is at the mercy of one scheduling hiccup). One
# Markdown row per size: median wall time, median CPU time (user+sys: the
# figure to trust on a busy machine), peak RSS (largest of the runs), the
# kustomize/skiff ratios, and whether the outputs are byte-identical. A
# renderer that fails is reported as failed, not timed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo" || exit 2
skiff=${1:-build/skiff}
sizes=${NS:-"1 100 300"}
skiff_sizes=${SKIFF_NS:-""}
runs=${RUNS:-5}
burst=${SKIFF_BURST:-5}
generator=../shared/bench/gen_platform_tree.py

die() { echo "render_bench: $*" >&2; exit 2; }
[[ -x $skiff ]] || die "skiff binary not found or not executable: $skiff"
[[ -f $generator ]] || die "tree generator not found: $generator"
command -v kubectl >/dev/null || die "kubectl not found"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ $burst =~ ^[1-9][0-9]*$ ]] || die "SKIFF_BURST must be a positive integer"

work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-bench.XXXXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf (m < 100 ? "%.1f" : "%.0f"), m}'; }

# run_once NAME DIR CMD...: one timed run (bench/timed_run.py: wall from
# spawn to reap, CPU user+sys, peak RSS); appends wall ms, cpu ms and RSS KiB
# to $work/NAME.{wall,cpu,rss}; keeps the first output in NAME.out.
# Returns non-zero (with the reason in $work/NAME.failed) when CMD fails.
run_once() {
  local name=$1 dir=$2; shift 2
  local figures
  figures=$(python3 bench/timed_run.py "$work/$name.run" "$work/$name.err" "$@" "$dir")
  local rc=$?
  if ((rc != 0)); then
    local why
    why=$(head -c 300 "$work/$name.err" | tr '\n\t' '  ' | sed 's/ *$//')
    echo "${why:-exit status $rc}" >"$work/$name.failed"
    return 1
  fi
  [[ -f $work/$name.out ]] || cp "$work/$name.run" "$work/$name.out"
  read -r wall cpu rss <<<"$figures"
  echo "$wall" >>"$work/$name.wall"
  echo "$cpu" >>"$work/$name.cpu"
  echo "$rss" >>"$work/$name.rss"
}

reset() { rm -f "$work"/{kustomize,skiff}.{wall,cpu,rss,out,failed}; }
stat_of() { median <"$work/$1.$2"; }
peak_kib() { sort -n "$work/$1.rss" | tail -n1; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.0fx", a / b; else print "n/a"}'; }

echo "Render of clusters/prod; medians of $runs kustomize runs and $((runs * burst)) skiff runs, alternating."
echo "kubectl: $(kubectl version --client 2>/dev/null | head -n1); skiff: $skiff"
echo "cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| apps | objects | kustomize wall ms | skiff wall ms | wall ratio | kustomize CPU ms | skiff CPU ms | CPU ratio | kustomize RSS MiB | skiff RSS MiB | identical output |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for n in $sizes; do
  tree="$work/tree-$n"
  python3 "$generator" "$n" "$tree" >/dev/null || die "generator failed for N=$n"
  reset
  for ((i = 0; i < runs; i++)); do
    run_once kustomize "$tree/clusters/prod" kubectl kustomize || break
    for ((b = 0; b < burst; b++)); do run_once skiff "$tree/clusters/prod" "$skiff" build || break 2; done
  done
  if [[ -f $work/kustomize.failed ]]; then
    echo "| $n | - | kustomize failed: $(cat "$work/kustomize.failed") | | | | | | | | |"
  elif [[ -f $work/skiff.failed ]]; then
    echo "| $n | - | $(stat_of kustomize wall) | skiff failed: $(cat "$work/skiff.failed") | | | | | | | |"
  else
    objects=$(grep -c '^kind:' "$work/kustomize.out")
    if cmp -s "$work/kustomize.out" "$work/skiff.out"; then same=yes; else
      same="NO ($(diff "$work/kustomize.out" "$work/skiff.out" | grep -c '^[<>]') lines differ)"
    fi
    kw=$(stat_of kustomize wall) sw=$(stat_of skiff wall)
    kc=$(stat_of kustomize cpu) sc=$(stat_of skiff cpu)
    echo "| $n | $objects | $kw | $sw | $(ratio "$kw" "$sw") | $kc | $sc | $(ratio "$kc" "$sc") | $(mib "$(peak_kib kustomize)") | $(mib "$(peak_kib skiff)") | $same |"
  fi
  rm -rf "$tree"
done
for n in $skiff_sizes; do
  tree="$work/tree-$n"
  python3 "$generator" "$n" "$tree" >/dev/null || die "generator failed for N=$n"
  reset
  for ((i = 0; i < runs * burst; i++)); do run_once skiff "$tree/clusters/prod" "$skiff" build || break; done
  if [[ -f $work/skiff.failed ]]; then
    echo "| $n | - | (not run) | skiff failed: $(cat "$work/skiff.failed") | | | | | | | |"
  else
    objects=$(grep -c '^kind:' "$work/skiff.out")
    echo "| $n | $objects | (not run) | $(stat_of skiff wall) | | | $(stat_of skiff cpu) | | | $(mib "$(peak_kib skiff)") | (skiff only) |"
  fi
  rm -rf "$tree"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
