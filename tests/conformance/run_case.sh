#!/usr/bin/env bash
# Differential check of one conformance case: `skiff build` must print exactly
# what `kubectl kustomize` prints, or, for an error case, both must fail.
#
# Usage: run_case.sh SKIFF CASE_DIR [BUILD_SUBDIR]
#
# The case is copied into a private temporary directory first, so a case's
# setup.sh (symlinks, binary files) never touches the source tree and neither
# renderer sees paths outside the copy. The directory built is BUILD_SUBDIR,
# else the content of CASE_DIR/build-dir, else the case root.
#
# A case with a file `expect-error` is an error case: both renderers must exit
# non-zero and skiff's stderr must contain the file's first line.
# A case listed in pending.txt (by name, or name/subdir) exits 77 (skipped).
# skiff runs twice, sequentially and with 4 render threads: both runs must
# agree byte for byte (stdout, stderr, exit status).
#
# Exit: 0 pass, 1 mismatch, 2 usage or harness error, 77 skipped.
set -uo pipefail

usage() { echo "usage: $0 SKIFF CASE_DIR [BUILD_SUBDIR]" >&2; exit 2; }
[[ $# -ge 2 && $# -le 3 ]] || usage

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
skiff=$1
case_dir=$(cd "$2" 2>/dev/null && pwd) || { echo "no such case: $2" >&2; exit 2; }
subdir=${3:-}
name=$(basename "$case_dir")
[[ -n $subdir ]] && name="$name/$subdir"
oracle_timeout=${CONFORMANCE_TIMEOUT:-60}

if grep -qxF -- "$name" <(sed -e 's/[[:space:]]*#.*//' -e 's/[[:space:]]*$//' "$here/pending.txt" 2>/dev/null); then
  echo "SKIP $name (listed in pending.txt)"
  exit 77
fi
command -v kubectl >/dev/null || { echo "SKIP $name (kubectl not found)"; exit 77; }
[[ -x $skiff ]] || { echo "skiff binary not executable: $skiff" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/skiff-conf.XXXXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
cp -a "$case_dir" "$work/case"

if [[ -f $work/case/setup.sh ]]; then
  (cd "$work/case" && bash ./setup.sh) || { echo "FAIL $name: setup.sh failed" >&2; exit 2; }
fi
if [[ -z $subdir && -f $work/case/build-dir ]]; then
  subdir=$(head -n1 "$work/case/build-dir")
fi
target="$work/case/${subdir:-.}"
[[ -d $target ]] || { echo "no build directory $target" >&2; exit 2; }

timeout "$oracle_timeout" kubectl kustomize "$target" >"$work/oracle.out" 2>"$work/oracle.err"
oracle_rc=$?
SKIFF_RENDER_THREADS=1 timeout "$oracle_timeout" "$skiff" build "$target" \
  >"$work/skiff.out" 2>"$work/skiff.err"
skiff_rc=$?
# Bases may be built on worker threads: with them the output, the warnings,
# the error and the exit status must be exactly those of the sequential build.
SKIFF_RENDER_THREADS=4 timeout "$oracle_timeout" "$skiff" build "$target" \
  >"$work/skiff-threads.out" 2>"$work/skiff-threads.err"
threads_rc=$?

show() { echo "--- $1 (exit $2):"; head -c 4000 "$3"; echo; }

if [[ $threads_rc -ne $skiff_rc ]] || ! cmp -s "$work/skiff.out" "$work/skiff-threads.out" ||
    ! cmp -s "$work/skiff.err" "$work/skiff-threads.err"; then
  echo "FAIL $name: the build on 4 threads differs from the sequential one"
  diff -u --label "1 thread (exit $skiff_rc)" --label "4 threads (exit $threads_rc)" \
    <(cat "$work/skiff.err" "$work/skiff.out") \
    <(cat "$work/skiff-threads.err" "$work/skiff-threads.out") | head -n 100
  exit 1
fi

if [[ -f $case_dir/expect-error ]]; then
  want=$(head -n1 "$case_dir/expect-error")
  if [[ $oracle_rc -eq 0 ]]; then
    echo "FAIL $name: oracle accepted an error case (fix the case)"; exit 1
  fi
  if [[ $skiff_rc -eq 0 ]]; then
    echo "FAIL $name: skiff accepted what the oracle rejects"
    show "oracle stderr" "$oracle_rc" "$work/oracle.err"
    show "skiff stdout" "$skiff_rc" "$work/skiff.out"
    exit 1
  fi
  if [[ $skiff_rc -ge 124 ]]; then
    echo "FAIL $name: skiff crashed or timed out"; show "skiff stderr" "$skiff_rc" "$work/skiff.err"; exit 1
  fi
  if ! grep -qF -- "$want" "$work/skiff.err"; then
    echo "FAIL $name: skiff's error does not mention '$want'"
    show "skiff stderr" "$skiff_rc" "$work/skiff.err"
    exit 1
  fi
  echo "PASS $name (both reject)"
  exit 0
fi

if [[ $oracle_rc -ne 0 ]]; then
  echo "FAIL $name: oracle rejected a success case (fix the case)"
  show "oracle stderr" "$oracle_rc" "$work/oracle.err"
  exit 1
fi
if [[ $skiff_rc -ne 0 ]]; then
  echo "FAIL $name: skiff failed where the oracle succeeds"
  show "skiff stderr" "$skiff_rc" "$work/skiff.err"
  exit 1
fi
if ! cmp -s "$work/oracle.out" "$work/skiff.out"; then
  echo "FAIL $name: output differs (--- kubectl kustomize, +++ skiff build)"
  diff -u --label "kubectl kustomize" --label "skiff build" "$work/oracle.out" "$work/skiff.out" | head -n 200
  exit 1
fi
echo "PASS $name"
exit 0
