#!/bin/sh
# golden.sh - the analyzer's output, case by case, against reviewed files:
# tests/golden/tok/<case>.txt -> `indexer --dump-tokens` (pos, start, end,
# kind, term per line) must equal <case>.expected; tests/golden/query/
# <case>.txt -> `indexer --dump-query` (the query tree and highlights).
# UPDATE=1 rewrites the .expected files (review the diff before committing).
BUILD=${BUILD:-build}
IDX="$BUILD/bin/indexer"
pass=0; fail=0
for dir in tok query; do
  case $dir in tok) mode=--dump-tokens;; query) mode=--dump-query;; esac
  for f in tests/golden/$dir/*.txt; do
    exp="${f%.txt}.expected"
    out=$("$IDX" $mode < "$f" 2>&1)
    if [ -n "$UPDATE" ]; then printf '%s\n' "$out" > "$exp"; fi
    if [ -f "$exp" ] && [ "$(printf '%s\n' "$out")" = "$(cat "$exp")" ]; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL $f"
      printf '%s\n' "$out" | diff "$exp" - | head -20
    fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
