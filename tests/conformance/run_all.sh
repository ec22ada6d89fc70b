#!/usr/bin/env bash
# Runs every conformance case, then the example platform clusters, against the
# oracle and prints "N passed, M failed, K skipped". Exit 0 only if none failed.
#
# Usage: run_all.sh SKIFF [FILTER]   (FILTER: substring of the case names to run)
# Env: JOBS (cases run in parallel, default: number of CPUs),
#      VERBOSE=1 prints every case's log, not only the failures'.
set -uo pipefail

[[ $# -ge 1 && $# -le 2 ]] || { echo "usage: $0 SKIFF [FILTER]" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
skiff=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
filter=${2:-}
jobs=${JOBS:-$(nproc)}

logs=$(mktemp -d "${TMPDIR:-/tmp}/skiff-conf-all.XXXXXXXX") || exit 2
trap 'rm -rf "$logs"' EXIT

# One line per check: label, case directory, optional subdirectory to build.
checks=()
for dir in "$here"/cases/*/; do
  checks+=("$(basename "$dir")|$dir|")
done
for cluster in dev prod; do
  checks+=("example-$cluster|$repo/examples/platform|clusters/$cluster")
done

run_one() {
  local label=$1 dir=$2 sub=$3
  "$here/run_case.sh" "$skiff" "$dir" ${sub:+"$sub"} >"$logs/$label.log" 2>&1
  echo $? >"$logs/$label.rc"
}

labels=()
for check in "${checks[@]}"; do
  IFS='|' read -r label dir sub <<<"$check"
  [[ -z $filter || $label == *"$filter"* ]] || continue
  labels+=("$label")
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n; done
  run_one "$label" "$dir" "$sub" &
done
wait

passed=0 failed=0 skipped=0
failures=()
for label in "${labels[@]}"; do
  rc=$(cat "$logs/$label.rc" 2>/dev/null || echo 2)
  case $rc in
    0) passed=$((passed + 1)) ;;
    77) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)); failures+=("$label") ;;
  esac
  if [[ ${VERBOSE:-0} == 1 || ( $rc != 0 && $rc != 77 ) ]]; then
    cat "$logs/$label.log"
  fi
done
if (( failed > 0 )); then
  echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
(( failed == 0 ))
