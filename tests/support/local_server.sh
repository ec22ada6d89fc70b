# Sourced by the end-to-end scripts that drive `skiff local`:
#   source "$(dirname "${BASH_SOURCE[0]}")/../support/local_server.sh" NAME
# Gives a private work dir $WORK (removed on exit, with the server stopped),
# start_server/stop_server on port 0 in $WORK/data (KUBECONFIG exported), the
# kubectl wrapper k, and the assertion helpers every scenario uses.
SKIFF=${SKIFF:?path to the skiff binary}
KUBECTL=${KUBECTL:-kubectl}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/${1:-skiff-test}.XXXXXX")
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

start_server() {  # [extra flags...]
  rm -f "$WORK/data/kubeconfig"
  "$SKIFF" local --data "$WORK/data" --port 0 "$@" 2>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    [[ -f "$WORK/data/kubeconfig" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "server exited during start-up"; }
    sleep 0.05
  done
  [[ -f "$WORK/data/kubeconfig" ]] || fail "no kubeconfig after 10s"
  export KUBECONFIG="$WORK/data/kubeconfig"
}

# Stops the server with SIGTERM and requires a clean exit.
stop_server() {
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  [[ $rc -eq 0 ]] || { cat "$WORK/server.log" >&2; fail "server exited with $rc after SIGTERM"; }
}

k() { "$KUBECTL" --request-timeout=20s "$@"; }

expect_contains() {  # haystack needle what
  [[ "$1" == *"$2"* ]] || fail "$3: expected to find '$2' in: $1"
}

expect_not_contains() {  # haystack needle what
  [[ "$1" != *"$2"* ]] || fail "$3: did not expect '$2' in: $1"
}

expect_fails_with() {  # needle command...
  local needle=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected failure of: $*"; fi
  expect_contains "$out" "$needle" "$*"
}
