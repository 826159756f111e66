#!/bin/sh
# Runs every test: the unit programs (build/tests/test_*), then every
# tests/e2e/*.sh script. Each prints "N passed, N failed" as its last line;
# this sums them and ends with the same line for CI. Exit 1 on any failure.
# Tests needing ../shared/corpus skip (loudly) when it is absent.
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
export BUILD ROOT SHARED
cd "$ROOT" || exit 2
tp=0; tf=0; failed=""
run_one() {
  name=$1; shift
  out=$("$@" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
  p=$(printf '%s' "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); p=${p:-0}
  f=$(printf '%s' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  if [ -z "$line" ] && [ "$rc" = 0 ]; then f=1; echo "$name: no summary line"; fi
  tp=$((tp + p)); tf=$((tf + f))
  if [ "$f" != 0 ]; then
    failed="$failed $name"
    printf '%s\n' "$out" | grep -E 'FAIL|not ok' | head -20 | sed "s|^|  $name: |"
    printf '%s\n' "$out" | tail -20 | sed "s|^|  $name: |"
  fi
  printf '%-28s %s\n' "$name" "${line:-exit $rc}"
  printf '%s\n' "$out" | grep -E '^SKIP' | sed "s|^|  |"
}
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  run_one "$(basename "$t")" "$t"
done
for s in tests/e2e/*.sh; do
  [ -f "$s" ] || continue
  run_one "$(basename "$s" .sh)" sh "$s"
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$tp passed, $tf failed"
[ "$tf" = 0 ]
