#!/usr/bin/env bash
# needed_libraries.sh SKIFF: the executable must not need the shared C++
# runtime or simdjson at start; they load with the embedded JSON reader on
# first use (the apply, diff and local suites drive that reader through the
# same binary).
set -euo pipefail
skiff=$1
needed=$(readelf -d "$skiff" | awk '/NEEDED/ {gsub(/[\[\]]/, "", $5); print $5}')
echo "needed: $(echo $needed)"
for lib in libstdc++ libsimdjson libgcc_s; do
  if grep -q "^$lib" <<<"$needed"; then
    echo "FAIL: $skiff needs $lib at start" >&2
    exit 1
  fi
done
echo "ok: no C++ runtime or simdjson at start"
