#!/bin/sh
# corpus.sh - the whole of ../shared/corpus (13,451 real documents): it is
# indexed without a crash and without rejecting any document, every file
# becomes a document, and quoted Chinese strings find exactly the documents
# that contain them (tests/tools/substr_check: random 1-10 character strings
# of random documents, checked by brute force; recall and precision are
# printed). Skips, loudly, when the corpus is absent.
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
C="$SHARED/corpus"
if [ ! -d "$C" ]; then
  echo "SKIP corpus: $C not found (tests on the real corpus need ../shared/corpus)"
  echo "0 passed, 0 failed"
  exit 0
fi
if grep -qa __asan_init "$BUILD/bin/indexer" && [ -z "$FULL_ASAN" ]; then
  echo "SKIP corpus: sanitizer build (the whole corpus takes too long; FULL_ASAN=1 runs it)"
  echo "0 passed, 0 failed"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$BUILD/bin/indexer" --db "$tmp/ix" --quiet "$C" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
[ "$rc" = 0 ] && ok || { bad "indexer exit $rc"; head -20 "$tmp/err"; }
grep -q "rejected 0 files" "$tmp/out" && ok || bad "some corpus files were rejected"
files=$(find "$C" -type f ! -name '.*' | wc -l)
docs=$(sed -n 's/.*(\([0-9]*\) documents written).*/\1/p' "$tmp/out")
[ "${docs:-0}" -ge "$files" ] && ok || bad "$docs documents for $files files"
"$BUILD/tools/substr_check" "$C" "$tmp/ix" "${SUBSTR_N:-300}" 7 >"$tmp/sub" 2>&1
rc=$?
grep -E '^(substr_check|FAIL)' "$tmp/sub" | head -20
[ "$rc" = 0 ] && ok || bad "quoted substrings: recall/precision below 1"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
