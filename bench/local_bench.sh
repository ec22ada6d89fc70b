#!/usr/bin/env bash
# Load benchmark of `skiff local`: starts a server in a fresh data directory,
# creates COUNT ConfigMaps from CLIENTS concurrent clients, lists them
# (unpaged and in pages of 500) and watches them from resourceVersion 0,
# then reports objects/s per phase and the server's peak RSS (VmHWM).
#
# Usage: bench/local_bench.sh [BUILD_DIR] [COUNT] [CLIENTS]
#   BUILD_DIR defaults to ./build; it must hold `skiff` and
#   bench/local_client_bench (ninja -C BUILD_DIR skiff local_client_bench).
set -euo pipefail

BUILD=${1:-build}
COUNT=${2:-10000}
CLIENTS=${3:-8}
SKIFF="$BUILD/skiff"
DRIVER="$BUILD/bench/local_client_bench"
[[ -x "$SKIFF" && -x "$DRIVER" ]] || { echo "need $SKIFF and $DRIVER" >&2; exit 2; }

# The server's start, wait and clean-up are the end-to-end tests' own.
source "$(dirname "${BASH_SOURCE[0]}")/../tests/support/local_server.sh" skiff-local-bench
rss_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }

start_server
KUBECONFIG_FILE="$KUBECONFIG"

# The namespace, created through the same API.
CA="$WORK/data/pki/ca.crt"
SERVER=$(awk '/server:/ {print $2; exit}' "$KUBECONFIG_FILE")
curl -sf --cacert "$CA" --cert "$WORK/data/pki/admin.crt" --key "$WORK/data/pki/admin.key" \
  -H 'Content-Type: application/json' -X POST "$SERVER/api/v1/namespaces" \
  -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}' >/dev/null

echo "skiff local: $COUNT ConfigMaps, $CLIENTS clients, $(nproc) CPUs"
echo "idle RSS: $(rss_kb "$SERVER_PID" VmRSS) kB"
printf '%-14s %7s %8s %10s\n' phase objects seconds objects/s
"$DRIVER" "$KUBECONFIG_FILE" bench "$COUNT" "$CLIENTS"
echo "peak RSS (VmHWM): $(rss_kb "$SERVER_PID" VmHWM) kB"
echo "store size: $(du -k "$WORK/data/store.db"* | awk '{s += $1} END {print s}') kB"
