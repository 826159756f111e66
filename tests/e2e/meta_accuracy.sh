#!/bin/sh
# meta_accuracy.sh - metadata extraction accuracy on the shared corpus: runs
# build/tools/metacheck (built by make) against corpus-manifest.jsonl, one
# check per field (title unit category date year docno lang), passing at
# >= 95%. Values listed in tests/data/meta_exclude.txt (underivable from the
# file) are reported separately, not scored. SKIPs when the corpus is absent.
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$ROOT/../shared}
corpus=$SHARED/corpus
manifest=$SHARED/corpus-manifest.jsonl
if [ ! -d "$corpus" ] || [ ! -f "$manifest" ]; then
    echo "SKIP meta_accuracy: no corpus at $corpus"
    echo "0 passed, 0 failed"
    exit 0
fi
tool=$ROOT/$BUILD/tools/metacheck
[ -x "$tool" ] || tool=$BUILD/tools/metacheck
if [ ! -x "$tool" ]; then
    echo "meta_accuracy: $tool not built (make)"
    echo "0 passed, 1 failed"
    exit 1
fi
out=$("$tool" --min 95 --exclude "$ROOT/tests/data/meta_exclude.txt" \
      "$corpus" "$manifest" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v '^EXCLUDED' 
printf '%s\n' "$out" | grep -c '^EXCLUDED' | sed 's/^/excluded values: /'
pass=$(printf '%s\n' "$out" | grep -c '^FIELD .* PASS$')
fail=$(printf '%s\n' "$out" | grep -c '^FIELD .* FAIL$')
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then fail=1; fi
if [ $((pass + fail)) = 0 ]; then fail=1; fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
