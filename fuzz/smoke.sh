#!/bin/sh
# Builds every fuzz target into OUT_DIR and runs each for SECONDS (default 20)
# on a scratch copy of its seed corpus (fuzz/corpus/<target>), so the seeds
# in the source tree stay as they are. Exit non-zero on any finding.
# Usage: smoke.sh OUT_DIR [SCHEMA_TABLES_CC]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
tables=${2:-}
seconds=${SECONDS_PER_TARGET:-20}
[ -n "$tables" ] && [ ! -s "$tables" ] && tables=""
OUT="$out" SCHEMA_TABLES="$tables" "$here/build.sh"
status=0
for target in yaml_roundtrip_fuzz json_patch_fuzz strategic_merge_fuzz kustomization_tree_fuzz \
    yaml_fastpath_fuzz; do
  work="$out/smoke-corpus/$target"
  rm -rf "$work"
  mkdir -p "$work" "$out/artifacts"
  cp "$here/corpus/$target"/* "$work"/ 2>/dev/null || true
  echo "== $target (${seconds}s)"
  if ! "$out/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$out/artifacts/$target-" -print_final_stats=1 "$work" \
      >"$out/$target.log" 2>&1; then
    echo "FAIL $target: see $out/$target.log"
    tail -n 40 "$out/$target.log"
    status=1
  else
    grep -E '^stat::number_of_executed_units' "$out/$target.log" || true
  fi
done
exit $status
