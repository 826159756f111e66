#!/bin/sh
# indexer.sh - end-to-end tests of build/bin/indexer (indexer/main.c) and of
# the systemd units in deploy/. Inspects results with xapian-delve and through
# searchd's API (curl + jq). Sections:
#   1 sample corpus (corpus/docs): count = MANIFEST.tsv rows, every id served
#   2 incremental: nothing changed; then modify/add/delete/rename
#   3 --full beside a running searchd: new generation swapped in, old removed
#   4 crash safety: kill -9 at seeded random moments (--full and incremental);
#     4b kill -9 during the shard merge and right after the stub swap
#     4c a full disk (writes refused): exit 2, nothing committed, nothing left
#     4d ROOT emptied (not mounted): exit 2, nothing changed; --allow-shrink
#   5 lock: a second indexer on the same --db exits 2 ("another indexer")
#   6 hostile tree (tests/tools/make_hostile.sh): one check per hostile file
#   7 exit codes and usage
#   8 schema mismatch: incremental refuses ("rebuild with --full"), --full works
#   9 deploy/ units: directives present; systemd-analyze verify when available
# Env: BUILD, ROOT (tests/run.sh sets them); INDEXER_E2E_SEED (kill timing).
# Last line "N passed, N failed"; exit 1 on any failure. Needs ~65 s
# (~100 s with BUILD=build-asan, where the RSS check is skipped).
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
SEED=${INDEXER_E2E_SEED:-20240517}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/indexer-e2e.XXXXXX") || exit 2
. "$ROOT/tests/e2e/indexer/lib.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

IDX=$BUILD/bin/indexer
for t in curl jq xapian-delve timeout; do
    command -v "$t" >/dev/null 2>&1 || { bad "tool '$t' missing (needed by this test)"; }
done
[ -x "$IDX" ] && [ -x "$BUILD/bin/searchd" ] || bad "build/bin/indexer or searchd missing (run make)"
if [ "$FAIL" != 0 ]; then echo "$PASS passed, $FAIL failed"; exit 1; fi

# ---- 1. sample corpus ------------------------------------------------------
echo "# 1. sample corpus"
DOCS=$TMP/docs
DB=$TMP/db
cp -R "$ROOT/corpus/docs" "$DOCS"
N=$(( $(wc -l < "$ROOT/corpus/MANIFEST.tsv") - 1 ))
idx "$TMP/r1" --db "$DB" "$DOCS"
expect_eq "first run exits 0" 0 "$RC"
expect_eq "summary line of the first run (added updated deleted unchanged rejected)" \
    "$N 0 0 0 0" "$(summary "$TMP/r1")"
expect_eq "document count = MANIFEST.tsv rows ($N)" "$N" "$(delve_docs "$DB")"
check "XAPIANDB names a generation that exists" test -d "$DB/$(gen "$DB")"
expect_eq "no .build-* left after the first run" 0 "$(nbuild "$DB")"
if sd_start "$DB"; then ok "searchd serves the new index"; else bad "searchd does not start on the new index"; fi
SD1=$SD_URL
expect_eq "searchd /api/stats documents" "$N" "$(docs "$SD1")"
missing=""
tail -n +2 "$ROOT/corpus/MANIFEST.tsv" | cut -f1 > "$TMP/manifest.ids"
while IFS= read -r id; do
    [ "$(doccode "$SD1" "$id")" = 200 ] || missing="$missing '$id'"
done < "$TMP/manifest.ids"
expect_eq "every MANIFEST path is a document id (/api/doc 200)" "" "$missing"

# ---- 2. incremental --------------------------------------------------------
echo "# 2. incremental"
REV0=$(delve_rev "$DB")
G0=$(gen "$DB")
idx "$TMP/r2" --db "$DB" "$DOCS"
expect_eq "unchanged tree: exit 0" 0 "$RC"
expect_eq "unchanged tree: summary" "0 0 0 $N 0" "$(summary "$TMP/r2")"
REV1=$(delve_rev "$DB")
check "unchanged tree: revision kept or advanced ($REV0 -> $REV1)" \
    test "$REV1" != err -a "$REV1" -ge "$REV0" 2>/dev/null
expect_eq "unchanged tree: same generation" "$G0" "$(gen "$DB")"
expect_eq "unchanged tree: document count" "$N" "$(delve_docs "$DB")"

MOD=en-example-city/press/2024-02-15-public-records-report.txt
DEL=en-example-city/executive-orders/2018/EO-7-open-data.txt
REN_FROM=en-example-city/executive-orders/2022/2022-EO-003.md
REN_TO=en-example-city/executive-orders/2022/renamed-2022-EO-003.md
NEW=zqx-new/zqx-added-notice.txt
for f in "$MOD" "$DEL" "$REN_FROM"; do
    [ -f "$DOCS/$f" ] || bad "fixture '$f' missing from corpus/docs"
done
expect_eq "before the change: ZQXAPPENDMARKER not found" 0 "$(total "$SD1" ZQXAPPENDMARKER)"
DEL_TITLE=$(get "$SD1" "/api/doc/$(uripath "$DEL")" | jq -r '.title // empty')
check "the file to delete has a title" test -n "$DEL_TITLE"
printf '\nZQXAPPENDMARKER: this sentence was appended to test incremental updates.\n' >> "$DOCS/$MOD"
mkdir -p "$DOCS/zqx-new"
printf '%s\n' '示范区管理委员会关于增量索引测试的通知' '' \
    '　　本通知用于验证增量索引能够发现新增文件。ZQXADDMARKER' \
    'This notice was added after the first indexer run.' > "$DOCS/$NEW"
rm -f "$DOCS/$DEL"
mv "$DOCS/$REN_FROM" "$DOCS/$REN_TO"
idx "$TMP/r3" --db "$DB" "$DOCS"
expect_eq "changed tree: exit 0" 0 "$RC"
# modified -> updated 1; new file + rename target -> added 2;
# deleted file + rename source -> deleted 2; the rest unchanged
expect_eq "changed tree: summary (added 2, updated 1, deleted 2, unchanged N-3)" \
    "2 1 2 $((N - 3)) 0" "$(summary "$TMP/r3")"
expect_eq "changed tree: document count" "$N" "$(delve_docs "$DB")"
expect_eq "changed tree: same generation (no swap)" "$G0" "$(gen "$DB")"
check "searchd picks up the new revision (added text searchable)" \
    wait_total "$SD1" ZQXADDMARKER 1
expect_eq "added file is the hit" "$NEW" "$(hitids "$SD1" ZQXADDMARKER)"
expect_eq "appended text searchable in the modified file" "$MOD" "$(hitids "$SD1" ZQXAPPENDMARKER)"
check "appended text in the stored text" text_has "$SD1" "$MOD" ZQXAPPENDMARKER
expect_eq "deleted file: /api/doc 404" 404 "$(doccode "$SD1" "$DEL")"
check "deleted file: not among hits for its own title" not ids_have "$SD1" "$DEL_TITLE" "$DEL"
expect_eq "renamed file: old id 404" 404 "$(doccode "$SD1" "$REN_FROM")"
expect_eq "renamed file: new id 200" 200 "$(doccode "$SD1" "$REN_TO")"
expect_eq "searchd documents after the change" "$N" "$(docs "$SD1")"
check "--full left no termlist table (deletions are tombstones)" \
    test ! -e "$DB/$G0/termlist.glass"
expect_eq "changed tree: three tombstones (modified, deleted, renamed)" 3 \
    "$(xapian-metadata get "$DB/$G0" dead 2>/dev/null | wc -w | tr -d ' ')"

# ---- 2b. tombstones past a fifth of the index: rebuilt in full -------------
echo "# 2b. rebuild when a fifth is tombstones"
mkdir -p "$TMP/tb/docs"
for i in 1 2 3 4; do
    printf 'Notice %s\n\nZQXTOMB%s text of notice %s.\n' "$i" "$i" "$i" > "$TMP/tb/docs/n$i.txt"
done
idx "$TMP/tb1" --db "$TMP/tb/db" "$TMP/tb/docs"
TG0=$(gen "$TMP/tb/db")
printf 'more\n' >> "$TMP/tb/docs/n1.txt"
idx "$TMP/tb2" --db "$TMP/tb/db" "$TMP/tb/docs"
expect_eq "one change: incremental, same generation, one tombstone" \
    "0 $TG0 1" "$RC $(gen "$TMP/tb/db") $(xapian-metadata get "$TMP/tb/db/$TG0" dead | wc -w | tr -d ' ')"
printf 'again\n' >> "$TMP/tb/docs/n2.txt"
idx "$TMP/tb3" --db "$TMP/tb/db" "$TMP/tb/docs"
TG1=$(gen "$TMP/tb/db")
expect_eq "1 of 5 tombstoned: the next run rebuilds (exit 0, 4 added)" \
    "0 4 0 0 0 0" "$RC $(summary "$TMP/tb3")"
check "the rebuild says why" grep -q "rebuilding it in full" "$TMP/tb3.err"
check "the rebuild is a new generation ($TG0 -> $TG1) without tombstones" \
    test "$TG1" != "$TG0" -a -z "$(xapian-metadata get "$TMP/tb/db/$TG1" dead)"
expect_eq "the rebuilt index holds the 4 documents" 4 "$(delve_docs "$TMP/tb/db")"

# ---- 2c. an index written by another extraction: rebuilt in full ----------
echo "# 2c. rebuild when the content version differs"
TG1=$(gen "$TMP/tb/db")
"$BUILD/tools/setmeta" "$TMP/tb/db/$TG1" content 0
idx "$TMP/tb4" --db "$TMP/tb/db" "$TMP/tb/docs"
expect_eq "content version 0: the next run rebuilds (exit 0, 4 added)" \
    "0 4 0 0 0 0" "$RC $(summary "$TMP/tb4")"
check "the rebuild says why" grep -q "reads files differently" "$TMP/tb4.err"
TG2=$(gen "$TMP/tb/db")
cv=$(sed -n 's/^#define INDEX_CONTENT_VERSION "\(.*\)"/\1/p' indexer/docbuild.h)
check "the rebuild is a new generation ($TG1 -> $TG2) of content version $cv" \
    test "$TG2" != "$TG1" -a -n "$cv" -a \
    "$(xapian-metadata get "$TMP/tb/db/$TG2" content)" = "$cv"
idx "$TMP/tb5" --db "$TMP/tb/db" "$TMP/tb/docs"
expect_eq "the run after it is incremental again (4 unchanged)" \
    "0 0 0 0 4 0" "$RC $(summary "$TMP/tb5")"

# two records of one file with the same key: a full run's shards have no
# termlist to replace one by the other; the later is reported and skipped
mkdir -p "$TMP/tb/dup/gazette"
cat > "$TMP/tb/dup/gazette/dup.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Gazette><Record><MetaId>A1</MetaId><Title>第一則公告</Title><Content>ZQXDUPFIRST 公告內容。</Content></Record>
<Record><MetaId>A1</MetaId><Title>第二則公告</Title><Content>ZQXDUPSECOND 公告內容。</Content></Record>
<Record><MetaId>B2</MetaId><Title>第三則公告</Title><Content>ZQXDUPTHIRD 公告內容。</Content></Record></Gazette>
XML
idx "$TMP/tb4" --db "$TMP/tb/dupdb" --full "$TMP/tb/dup"
expect_eq "duplicate key: exit 0, the file added" "0 1 0 0 0 0" "$RC $(summary "$TMP/tb4")"
check "duplicate key: the skipped record is reported with its file and id" \
    grep -q "skipped record 2 of 'gazette/dup.xml': its id 'gazette/dup.xml#A1'" "$TMP/tb4.err"
expect_eq "duplicate key: two documents, one per id" 2 "$(delve_docs "$TMP/tb/dupdb")"
printf '\n' >> "$TMP/tb/dup/gazette/dup.xml"
idx "$TMP/tb5" --db "$TMP/tb/dupdb" "$TMP/tb/dup"
check "duplicate key, incremental run: reported and skipped the same way" \
    grep -q "skipped record 2 of 'gazette/dup.xml'" "$TMP/tb5.err"
expect_eq "duplicate key, incremental run: still two documents" 2 "$(delve_docs "$TMP/tb/dupdb")"

# ---- 3. --full beside a running searchd -----------------------------------
echo "# 3. --full swap"
printf '%s\n' '示范区管理委员会关于全量重建测试的通知' '' \
    '　　本通知只在全量重建之后才能被检索到。ZQXFULLMARKER' \
    'This notice checks the generation swap of a full run.' > "$DOCS/zqx-new/zqx-full-notice.txt"
G0=$(gen "$DB")
"$IDX" --full --db "$DB" "$DOCS" >"$TMP/r4.out" 2>"$TMP/r4.err" &
IPID=$!
PIDS="$PIDS $IPID"
: > "$TMP/poll"
while kill -0 "$IPID" 2>/dev/null; do
    printf '%s %s\n' "$(hcode "$SD1" /api/stats)" "$(docs "$SD1")" >> "$TMP/poll"
    sleep 0.05
done
wait "$IPID"
RC=$?
expect_eq "--full: exit 0" 0 "$RC"
expect_eq "--full: summary" "$((N + 1)) 0 0 0 0" "$(summary "$TMP/r4")"
G1=$(gen "$DB")
check "--full: XAPIANDB names a new generation ($G0 -> $G1)" test "$G1" != "$G0" -a -d "$DB/$G1"
check "--full: old generation $G0 removed" test ! -e "$DB/$G0"
expect_eq "--full: one generation left" 1 "$(ngens "$DB")"
expect_eq "--full: no .build-* left" 0 "$(nbuild "$DB")"
expect_eq "--full: document count" "$((N + 1))" "$(delve_docs "$DB")"
np=$(wc -l < "$TMP/poll" | tr -d ' ')
nbadpoll=$(grep -cvxE "200 ($N|$((N + 1)))" "$TMP/poll")
check "searchd answered /api/stats during the run ($np polls)" test "$np" -gt 0
expect_eq "searchd: every poll during --full answered 200 with $N or $((N + 1)) documents" \
    0 "$nbadpoll"
check "searchd sees the new generation (documents $((N + 1)))" wait_docs "$SD1" $((N + 1))
check "searchd finds the text added before --full" wait_total "$SD1" ZQXFULLMARKER 1
expect_eq "searchd still finds older text after the swap" 1 "$(total "$SD1" ZQXADDMARKER)"
expect_eq "searchd healthz after the swap" 200 "$(hcode "$SD1" /healthz)"

# ---- 4. crash safety -------------------------------------------------------
echo "# 4. crash safety (seed $SEED)"
BIG=$TMP/big
BDB=$TMP/bdb
mkdir -p "$BIG"
cp -R "$ROOT/corpus/docs" "$BIG/c01"
idx "$TMP/b0" --db "$BDB" "$BIG"
expect_eq "large tree: base index of c01" "0 $N" "$RC $(delve_docs "$BDB")"
i=2
while [ $i -le 30 ]; do
    cp -R "$ROOT/corpus/docs" "$BIG/c$(printf %02d $i)"
    i=$((i + 1))
done
NB=$((30 * N))
if sd_start "$BDB"; then ok "searchd on the large index"; else bad "searchd on the large index does not start"; fi
SD2=$SD_URL
OLD=$N
k=1
for mode in --full --incremental --full --incremental --full; do
    d=$(awk -v s="$SEED" -v k="$k" 'BEGIN { srand(s + k); printf "%.2f", 0.2 + 1.3 * rand() }')
    GK=$(gen "$BDB")
    "$IDX" $mode --db "$BDB" "$BIG" >"$TMP/k$k.out" 2>"$TMP/k$k.err" &
    IPID=$!
    PIDS="$PIDS $IPID"
    sleep "$d"
    if kill -0 "$IPID" 2>/dev/null; then
        kill -9 "$IPID"
        wait "$IPID" 2>/dev/null
        what="killed $mode after ${d}s"
        if [ "$(delve_docs "$BDB")" = "$NB" ] && [ "$OLD" != "$NB" ]; then
            # the kill landed just after the commit (or the swap, generation
            # $GK -> $(gen "$BDB")): the new revision is whole, never a mix
            echo "note: $mode run had committed before the kill"
            OLD=$NB
        fi
    else
        wait "$IPID"
        echo "note: $mode run finished (exit $?) before the kill at ${d}s"
        OLD=$(delve_docs "$BDB")
        what="completed $mode"
    fi
    expect_eq "$what: index still has the old count" "$OLD" "$(delve_docs "$BDB")"
    check "$what: XAPIANDB names an existing generation" test -d "$BDB/$(gen "$BDB")"
    expect_eq "$what: searchd documents" "$OLD" "$(docs "$SD2")"
    n=$(total "$SD2" data)
    check "$what: searchd answers a search (data: $n hits)" test "$n" != err -a "$n" != 0
    k=$((k + 1))
done
idx "$TMP/b1" --db "$BDB" "$BIG"
expect_eq "after the kills: next (incremental) run exits 0" 0 "$RC"
expect_eq "after the kills: full count" "$NB" "$(delve_docs "$BDB")"
expect_eq "after the kills: summary" "$((NB - OLD)) 0 0 $OLD 0" "$(summary "$TMP/b1")"
expect_eq "after the kills: no stale .build-* left" 0 "$(nbuild "$BDB")"
expect_eq "after the kills: one generation" 1 "$(ngens "$BDB")"
check "searchd sees the full count" wait_docs "$SD2" "$NB"

# ---- 4c. a full disk --------------------------------------------------------
# Writes refused part-way (ulimit -f: EFBIG where a full disk gives ENOSPC):
# the run exits 2 saying nothing was committed and the system's reason, the
# index keeps its revision, no half-built copy stays behind; the next run
# with room completes the job.
echo "# 4c. a full disk"
# fresh DIR DB: the sample corpus copied to DIR and indexed into DB; sets
# NF and RF to DB's document count and revision
fresh() {
    cp -R "$ROOT/corpus/docs" "$1"
    idx "$1.first" --db "$2" "$1"
    NF=$(delve_docs "$2")
    RF=$(delve_rev "$2")
}
FT=$TMP/ftree
FDB=$TMP/fdb
fresh "$FT" "$FDB"
find "$FT" -name '*.txt' | sort | head -5 | while IFS= read -r f; do
    printf '\nZQXDISKFULL 追加的一段。\n' >> "$f"
done
for mode in --incremental --full; do
    ( trap '' XFSZ; ulimit -f 64; exec timeout 120 "$IDX" $mode --db "$FDB" "$FT" ) \
        >"$TMP/f.out" 2>"$TMP/f.err"
    expect_eq "full disk, $mode: exit 2" 2 "$?"
    check "full disk, $mode: says nothing was committed, and why (File too large)" \
        grep -q "nothing committed.*(File too large)" "$TMP/f.err"
    expect_eq "full disk, $mode: documents and revision as before" "$NF $RF" \
        "$(delve_docs "$FDB") $(delve_rev "$FDB")"
    expect_eq "full disk, $mode: no .build-* left" 0 "$(nbuild "$FDB")"
done
idx "$TMP/f1" --db "$FDB" "$FT"
expect_eq "room again: the next run exits 0 and updates the 5 files" "0 5" \
    "$RC $(summary "$TMP/f1" | cut -d' ' -f2)"

# ---- 4d. a tree that vanished ----------------------------------------------
# ROOT empty or mostly gone (a share not mounted, a copy half done): the run
# changes nothing and exits 2 saying why; --allow-shrink accepts it.
echo "# 4d. a tree that vanished"
VT=$TMP/vtree
VDB=$TMP/vdb
fresh "$VT" "$VDB"
mv "$VT" "$VT.away"
mkdir "$VT"
for mode in --incremental --full; do
    idx "$TMP/v1" $mode --db "$VDB" "$VT"
    expect_eq "empty ROOT, $mode: exit 2" 2 "$RC"
    check "empty ROOT, $mode: says the tree shrank and how to go on (--allow-shrink)" \
        grep -q "holds 0 files where the last run saw .*--allow-shrink" "$TMP/v1.err"
    expect_eq "empty ROOT, $mode: documents and revision as before" "$NF $RF" \
        "$(delve_docs "$VDB") $(delve_rev "$VDB")"
done
rmdir "$VT"
mv "$VT.away" "$VT"
# a third of the files gone: an ordinary nightly run
find "$VT" -type f | sort | head -n "$(( $(find "$VT" -type f | wc -l) / 3 ))" | \
    while IFS= read -r f; do rm -f "$f"; done
idx "$TMP/v2" --db "$VDB" "$VT"
check "a third of the files removed: the run deletes them (exit 0 or 1)" \
    test "$RC" -le 1 -a "$(summary "$TMP/v2" | cut -d' ' -f3)" -gt 0
find "$VT" -type f | sort | head -n "$(( $(find "$VT" -type f | wc -l) * 2 / 3 ))" | \
    while IFS= read -r f; do rm -f "$f"; done
idx "$TMP/v3" --db "$VDB" "$VT"
expect_eq "two thirds of the rest removed: exit 2" 2 "$RC"
idx "$TMP/v4" --db "$VDB" --allow-shrink "$VT"
check "... and with --allow-shrink they go (exit $RC; one document per file left)" \
    test "$RC" -le 1 -a "$(delve_docs "$VDB")" = "$(find "$VT" -type f | wc -l | tr -d ' ')"

# ---- 5. lock ---------------------------------------------------------------
echo "# 5. lock"
G0=$(gen "$BDB")
# one thread over the tree: a run long enough to still hold the lock when
# the second indexer starts (the indexer got fast enough to finish first)
"$IDX" --full --threads 1 --db "$BDB" "$BIG" >"$TMP/l1.out" 2>"$TMP/l1.err" &
IPID=$!
PIDS="$PIDS $IPID"
i=0
while [ $i -lt 100 ] && ! grep -qs 'files under' "$TMP/l1.err"; do
    sleep 0.1
    i=$((i + 1))
done
check "first run in progress (holds the lock)" kill -0 "$IPID"
idx "$TMP/l2" --db "$BDB" "$BIG"
expect_eq "second indexer on the same --db exits 2" 2 "$RC"
check "second indexer says 'another indexer' and names the lock" \
    sh -c 'grep -q "another indexer" "$1" && grep -q "lock" "$1"' - "$TMP/l2.err"
check "first run still in progress after the refusal" kill -0 "$IPID"
wait "$IPID"
RC=$?
expect_eq "first run completes with exit 0" 0 "$RC"
expect_eq "first run: full count" "$NB" "$(delve_docs "$BDB")"
check "first run swapped in a new generation" test "$(gen "$BDB")" != "$G0"
expect_eq "--full on the large tree: no .build-* left" 0 "$(nbuild "$BDB")"
idx "$TMP/l3" --db "$BDB" "$BIG"
expect_eq "lock released: a later run exits 0 (all unchanged)" "0 0 0 0 $NB 0" "$RC $(summary "$TMP/l3")"

# ---- 4b. kills at the critical moments of a --full run ----------------------
# (random kills above land while files are read; these land in the shard
# merge and right after the stub swap, before the old generation is removed)
echo "# 4b. targeted kills of --full"
for when in merging swapped; do
    G0=$(gen "$BDB")
    "$IDX" --full --db "$BDB" "$BIG" >"$TMP/t.out" 2>"$TMP/t.err" &
    IPID=$!
    PIDS="$PIDS $IPID"
    hit=no
    while kill -0 "$IPID" 2>/dev/null; do
        if [ $when = merging ] && grep -qs '^indexer: merging' "$TMP/t.err"; then hit=yes; break; fi
        if [ $when = swapped ] && [ "$(gen "$BDB")" != "$G0" ]; then hit=yes; break; fi
        sleep 0.01
    done
    kill -9 "$IPID" 2>/dev/null
    wait "$IPID" 2>/dev/null
    if [ $hit = yes ]; then
        G1=$(gen "$BDB")
        expect_eq "killed --full when $when ($G0 -> $G1): served index has $NB documents" \
            "$NB" "$(delve_docs "$BDB")"
        check "killed --full when $when: served generation exists" test -d "$BDB/$G1"
        check "killed --full when $when: searchd still answers ($NB documents)" wait_docs "$SD2" "$NB"
    else
        echo "note: the run ended before the '$when' moment could be caught"
    fi
done
idx "$TMP/t2" --db "$BDB" "$BIG"
expect_eq "after the targeted kills: next run exits 0, all unchanged" "0 0 0 0 $NB 0" \
    "$RC $(summary "$TMP/t2")"
expect_eq "after the targeted kills: no stale .build-* left" 0 "$(nbuild "$BDB")"
expect_eq "after the targeted kills: stale generations removed (one left)" 1 "$(ngens "$BDB")"
kill "$SD_PID" 2>/dev/null
rm -rf "$BIG" "$BDB"

# ---- 6. hostile tree -------------------------------------------------------
echo "# 6. hostile tree"
H=$TMP/h
HDB=$TMP/hdb
if ! sh "$ROOT/tests/tools/make_hostile.sh" "$H"; then
    bad "make_hostile.sh failed"
else
    HR=$H/root
    t0=$(date +%s)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$TMP/h.time" timeout 120 "$IDX" --db "$HDB" "$HR" \
            >"$TMP/h.out" 2>"$TMP/h.err"
        RC=$?
    else
        timeout 120 "$IDX" --db "$HDB" "$HR" >"$TMP/h.out" 2>"$TMP/h.err"
        RC=$?
    fi
    t1=$(date +%s)
    check "hostile: run completes in time (exit $RC, $((t1 - t0)) s; 124 = timeout)" \
        test "$RC" -eq 0 -o "$RC" -eq 1
    sed -n "s/^indexer: rejected '\([^']*\)': \(.*\)$/\1	\2/p" "$TMP/h.err" > "$TMP/h.rej"
    nrej=$(wc -l < "$TMP/h.rej" | tr -d ' ')
    if [ "$nrej" -gt 0 ]; then wantrc=1; else wantrc=0; fi
    expect_eq "hostile: exit status matches the rejections ($nrej)" "$wantrc" "$RC"
    badrej=$(awk -F'\t' '$2 == "" { print $1 }' "$TMP/h.rej")
    expect_eq "hostile: every rejection line has a reason" "" "$badrej"
    # reason NAME: the reason given for NAME ("" when not rejected)
    reason() { awk -F'\t' -v n="$1" '$1 == n { print $2; exit }' "$TMP/h.rej"; }
    if grep -qa __asan_init "$IDX"; then
        echo "SKIP RSS check: ASan build (shadow memory inflates RSS)"
    elif [ -f "$TMP/h.time" ]; then
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/h.time")
        check "hostile: max RSS ${rss:-?} kB <= 200 MB (gzip bomb, billion laughs)" \
            test "${rss:-999999999}" -le 204800
    else
        echo "SKIP RSS check: /usr/bin/time missing"
    fi
    if sd_start "$HDB"; then ok "hostile: searchd serves the index"; else bad "hostile: searchd does not start"; fi
    SD3=$SD_URL
    get "$SD3" "/api/search?q=&size=100" > "$TMP/h.list"
    check "hostile: full listing is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$TMP/h.list" -o /dev/null
    jq -r '.hits[].id | select(. != null)' "$TMP/h.list" > "$TMP/h.ids" 2>/dev/null
    expect_eq "hostile: listing total = index document count" \
        "$(delve_docs "$HDB")" "$(jq -r .total "$TMP/h.list" 2>/dev/null)"
    : > "$TMP/h.text"
    while IFS= read -r id; do doctext "$SD3" "$id" >> "$TMP/h.text"; done < "$TMP/h.ids"
    # st NAME: "indexed", "rejected" or "absent"
    st() {
        if [ "$(doccode "$SD3" "$1")" = 200 ]; then echo indexed
        elif [ -n "$(reason "$1")" ]; then echo rejected
        else echo absent; fi
    }
    # in_or_rej NAME: indexed, or rejected with a reason
    in_or_rej() { case $(st "$1") in indexed|rejected) return 0 ;; esac; return 1; }
    rej_404() { [ "$(st "$1")" = rejected ]; }
    fffd=$(printf '\357\277\275')

    expect_eq "valid.txt: indexed" indexed "$(st valid.txt)"
    expect_eq "valid.txt: VALIDMARKER finds it" valid.txt "$(hitids "$SD3" VALIDMARKER)"
    s=$(st empty.txt)
    check "empty.txt: rejected ('empty') or skipped, not indexed ($s: $(reason empty.txt))" \
        sh -c 'case $1 in absent) exit 0;; rejected) echo "$2" | grep -qi empty;; *) exit 1;; esac' - "$s" "$(reason empty.txt)"
    check "junk.txt: rejected with a reason ($(reason junk.txt))" rej_404 junk.txt
    check "truncated.txt.gz: rejected ($(reason truncated.txt.gz))" rej_404 truncated.txt.gz
    check "bomb.txt.gz: rejected ($(reason bomb.txt.gz))" rej_404 bomb.txt.gz
    s=$(st laughs.xml)
    if [ "$s" = indexed ]; then
        len=$(doctext "$SD3" laughs.xml | wc -c)
        check "laughs.xml: indexed with entities not expanded ($len bytes)" test "$len" -lt 10000
    else
        expect_eq "laughs.xml: rejected ($(reason laughs.xml))" rejected "$s"
    fi
    check "xxe-passwd.xml: indexed or rejected ($(st xxe-passwd.xml))" in_or_rej xxe-passwd.xml
    check "xxe-passwd.xml: stored text has no /etc/passwd content" \
        not grep -q -- "root:" "$TMP/h.text"
    expect_eq "xxe-passwd.xml: 'root:x:0:0' not searchable" 0 "$(total "$SD3" '"root:x:0:0"')"
    for w in daemon nologin; do
        if grep -q "$w" /etc/passwd; then
            expect_eq "xxe-passwd.xml: /etc/passwd word '$w' not searchable" 0 "$(total "$SD3" "$w")"
        fi
    done
    check "xml/xxe-outside.xml: indexed or rejected ($(st xml/xxe-outside.xml))" in_or_rej xml/xxe-outside.xml
    expect_eq "xml/xxe-outside.xml, escape.txt, outdir: OUTSIDEMARKER not searchable" \
        0 "$(total "$SD3" OUTSIDEMARKER)"
    check "no stored text contains OUTSIDEMARKER" not grep -q -- OUTSIDEMARKER "$TMP/h.text"
    check "xxe-http.xml: indexed or rejected ($(st xxe-http.xml))" in_or_rej xxe-http.xml
    expect_eq "mislabelled-gb2312.html: indexed" indexed "$(st mislabelled-gb2312.html)"
    check "mislabelled-gb2312.html: phrase 声明编码与实际不符 finds it" \
        ids_have "$SD3" '"声明编码与实际不符"' mislabelled-gb2312.html
    t=$(doctext "$SD3" mislabelled-gb2312.html)
    check "mislabelled-gb2312.html: text correct, no U+FFFD" sh -c \
        'case $1 in *"$2"*) exit 1;; *声明编码与实际不符*) exit 0;; esac; exit 1' - "$t" "$fffd"
    s=$(st big5-labelled-utf8.html)
    if [ "$s" = indexed ]; then
        t=$(doctext "$SD3" big5-labelled-utf8.html)
        check "big5-labelled-utf8.html: indexed with correct text, no U+FFFD" sh -c \
            'case $1 in *"$2"*) exit 1;; *宣告為統一碼實為大五碼*) exit 0;; esac; exit 1' - "$t" "$fffd"
    else
        check "big5-labelled-utf8.html: rejected for its encoding ($s: $(reason big5-labelled-utf8.html))" \
            sh -c 'echo "$1" | grep -qiE "encod|utf|big5|charset"' - "$(reason big5-labelled-utf8.html)"
    fi
    expect_eq "nul-in-text.txt: indexed" indexed "$(st nul-in-text.txt)"
    for p in 空字节之前的句子 空字节之后的句子; do
        check "nul-in-text.txt: '$p' searchable" ids_have "$SD3" "\"$p\"" nul-in-text.txt
    done
    check "longline.txt: indexed or rejected, no crash ($(st longline.txt): $(reason longline.txt))" \
        in_or_rej longline.txt
    check "loop/a, loop/b: not indexed" test "$(st loop/a)$(st loop/b)" != indexedindexed \
        -a "$(doccode "$SD3" loop/a)$(doccode "$SD3" loop/b)" = 404404
    check "loop/up: not followed (no loop/up/... ids)" not grep -q -- "^loop/up/" "$TMP/h.ids"
    expect_eq "escape.txt: not indexed" 404 "$(doccode "$SD3" escape.txt)"
    check "outdir: not followed (no outdir/... ids)" not grep -q -- "^outdir/" "$TMP/h.ids"
    expect_eq "fifo.txt: not indexed (and did not block)" 404 "$(doccode "$SD3" fifo.txt)"
    if [ "$(id -u)" = 0 ]; then
        check "unreadable.txt: indexed or rejected (root reads it)" in_or_rej unreadable.txt
    else
        check "unreadable.txt: rejected, permission denied ($(reason unreadable.txt))" sh -c \
            'echo "$1" | grep -qi permission' - "$(reason unreadable.txt)"
    fi
    expect_eq "feed.jsonl: the good records before and after a broken line indexed" \
        "feed.jsonl#j1 feed.jsonl#j3" \
        "$(hitids "$SD3" FEEDONEMARKER) $(hitids "$SD3" FEEDTHREEMARKER)"
    check "feed.jsonl: the broken line reported on stderr" \
        grep -q "^indexer: part of 'feed.jsonl' skipped: .*line 2" "$TMP/h.err"
    expect_eq ".secret.txt: skipped" 404 "$(doccode "$SD3" .secret.txt)"
    expect_eq ".secret.txt: HIDDENMARKER not searchable" 0 "$(total "$SD3" HIDDENMARKER)"
    expect_eq ".git/: GITMARKER not searchable" 0 "$(total "$SD3" GITMARKER)"
    check ".git/: no .git/... ids" not grep -q -- "^\.git/" "$TMP/h.ids"
    check "no stored text contains HIDDENMARKER or GITMARKER" not grep -qE -- "HIDDENMARKER|GITMARKER" "$TMP/h.text"
    long=$(cd "$HR" && ls | grep '^示范市政府超长文件名' | head -1)
    expect_eq "long file name: indexed under its full name (${#long} chars)" indexed "$(st "$long")"
    expect_eq "long file name: LONGNAMEMARKER finds it" "$long" "$(hitids "$SD3" LONGNAMEMARKER)"
    badname=$(printf '\326\320\316\304\303\373.txt')
    get "$SD3" "/api/search?q=BADNAMEMARKER" > "$TMP/h.bad"
    check "non-UTF-8 file name: answer is valid UTF-8 JSON" sh -c \
        'iconv -f UTF-8 -t UTF-8 "$1" -o /dev/null && jq -e . "$1" >/dev/null' - "$TMP/h.bad"
    nb=$(jq -r '.total' "$TMP/h.bad")
    if [ "$nb" = 0 ]; then
        # the message names the file with its bytes escaped (\xNN)
        # (awk -v reads backslash escapes: double them)
        check "non-UTF-8 file name: rejected with a reason ($(reason '\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt'))" \
            test -n "$(reason '\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt')"
        check "non-UTF-8 file name: the reason says what it reads in GBK (中文名.txt)" sh -c \
            'case "$1" in *"in GB18030 it reads '"'"'中文名.txt'"'"'"*) ;; *) exit 1 ;; esac' - \
            "$(reason '\\xd6\\xd0\\xce\\xc4\\xc3\\xfb.txt')"
    else
        bid=$(jq -r '.hits[0].id' "$TMP/h.bad")
        check "non-UTF-8 file name: indexed with a valid UTF-8 id (got: $bid)" sh -c \
            'test "$1" != null && test -n "$1" && printf %s "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null' - "$bid"
    fi
    # every candidate document is indexed, or rejected with a reason
    und=""
    for f in valid.txt junk.txt truncated.txt.gz bomb.txt.gz laughs.xml xxe-passwd.xml \
             xml/xxe-outside.xml xxe-http.xml mislabelled-gb2312.html \
             big5-labelled-utf8.html nul-in-text.txt longline.txt unreadable.txt "$long"; do
        in_or_rej "$f" || und="$und $f"
    done
    expect_eq "hostile: every regular file indexed or rejected on stderr" "" "$und"
    kill "$SD_PID" 2>/dev/null
    rm -rf "$H" "$HDB"
fi

# ---- 7. exit codes ---------------------------------------------------------
echo "# 7. exit codes"
idx "$TMP/e1" --db "$TMP/edb" "$TMP/no-such-root"
check "ROOT missing: exit 2 with a message naming it (exit $RC)" sh -c \
    'test "$1" = 2 && grep -q "no-such-root" "$2"' - "$RC" "$TMP/e1.err"
idx "$TMP/e2" "$DOCS"
check "--db missing: exit 2 with a message (exit $RC)" sh -c \
    'test "$1" = 2 && grep -q -- "--db" "$2"' - "$RC" "$TMP/e2.err"
idx "$TMP/e3" --db "$TMP/edb" --no-such-option "$DOCS"
check "bad option: exit 2 and usage (exit $RC)" sh -c \
    'test "$1" = 2 && grep -q "usage" "$2"' - "$RC" "$TMP/e3.err"
idx "$TMP/e4" --help
check "--help: exit 0 and usage on stdout (exit $RC)" sh -c \
    'test "$1" = 0 && grep -q "usage" "$2"' - "$RC" "$TMP/e4.out"
idx "$TMP/e5" --db "$TMP/edb"
check "no ROOT: exit 2 and usage (exit $RC)" sh -c \
    'test "$1" = 2 && grep -q "usage" "$2"' - "$RC" "$TMP/e5.err"
idx "$TMP/e6" --db "$TMP/edb" --full --incremental "$DOCS"
expect_eq "--full with --incremental: exit 2" 2 "$RC"
idx "$TMP/e7" --db "$TMP/edb" --max-file-mb -1 "$DOCS"
check "--max-file-mb -1: exit 2 with a message (exit $RC)" sh -c \
    'test "$1" = 2 && grep -q -- "--max-file-mb" "$2"' - "$RC" "$TMP/e7.err"
check "failed runs left no index" test ! -e "$TMP/edb/XAPIANDB"

# ---- 8. schema -------------------------------------------------------------
echo "# 8. schema"
if command -v xapian-metadata >/dev/null 2>&1; then
    G0=$(gen "$DB")
    C0=$(delve_docs "$DB")
    "$BUILD/tools/setmeta" "$DB/$G0" schema 999
    expect_eq "schema set to 999" 999 "$(xapian-metadata get "$DB/$G0" schema)"
    idx "$TMP/s1" --db "$DB" "$DOCS"
    expect_eq "schema mismatch: incremental run exits 2" 2 "$RC"
    check "schema mismatch: message says 'rebuild with --full'" grep -q "rebuild with --full" "$TMP/s1.err"
    expect_eq "schema mismatch: index untouched" "$G0 $C0 999" \
        "$(gen "$DB") $(delve_docs "$DB") $(xapian-metadata get "$DB/$G0" schema)"
    idx "$TMP/s2" --db "$DB" --full "$DOCS"
    expect_eq "schema mismatch: --full succeeds" 0 "$RC"
    G1=$(gen "$DB")
    sv=$(sed -n 's/^#define XS_SCHEMA_VERSION "\(.*\)"/\1/p' shim/xs.h)
    expect_eq "--full: new generation has schema $sv" "$sv" "$(xapian-metadata get "$DB/$G1" schema 2>/dev/null)"
    expect_eq "--full: document count" "$C0" "$(delve_docs "$DB")"
    check "searchd serves the rebuilt index" wait_docs "$SD1" "$C0"
else
    echo "SKIP schema checks: xapian-metadata missing"
fi

# ---- 9. deploy/ ------------------------------------------------------------
echo "# 9. deploy units"
D=$ROOT/deploy
for u in govsearch-index.service govsearch-index.timer govsearch-searchd.service README.md; do
    check "deploy/$u exists" test -s "$D/$u"
done
want() { # FILE LINE...: each line present exactly
    _f=$1; shift
    for _l in "$@"; do
        check "$(basename "$_f"): $_l" grep -qxF -- "$_l" "$_f"
    done
}
want "$D/govsearch-index.service" "Type=oneshot" \
    "ExecStart=/usr/local/bin/indexer --db /var/lib/govsearch/index --quiet /srv/govsearch/documents" \
    "Nice=10" "IOSchedulingClass=idle" "User=govsearch" "ProtectSystem=strict" \
    "ReadWritePaths=/var/lib/govsearch" "PrivateTmp=yes" "NoNewPrivileges=yes" \
    "SuccessExitStatus=1"
want "$D/govsearch-index.timer" "OnCalendar=*-*-* 02:30" "RandomizedDelaySec=15min" \
    "Persistent=true"
want "$D/govsearch-searchd.service" "Type=simple" \
    "ExecStart=/usr/local/bin/searchd --db /var/lib/govsearch/index --listen 127.0.0.1:8080" \
    "Restart=on-failure" "User=govsearch" "ProtectSystem=strict" \
    "ReadOnlyPaths=/var/lib/govsearch" "PrivateTmp=yes" "NoNewPrivileges=yes"
for w in "make install PREFIX=/usr/local" useradd "systemctl enable --now" \
         "journalctl -u govsearch-index" --full; do
    check "deploy/README.md mentions '$w'" grep -qF -- "$w" "$D/README.md"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    U=$TMP/units
    mkdir -p "$U"
    for u in govsearch-index.service govsearch-index.timer govsearch-searchd.service; do
        sed "s|/usr/local/bin/|$BUILD/bin/|g" "$D/$u" > "$U/$u"
    done
    (cd "$U" && systemd-analyze verify --man=no govsearch-index.service \
        govsearch-index.timer govsearch-searchd.service) > "$TMP/verify" 2>&1
    vrc=$?
    check "systemd-analyze verify: no complaints (exit $vrc: $(head -3 "$TMP/verify" | tr '\n' ' '))" \
        test "$vrc" = 0 -a ! -s "$TMP/verify"
else
    echo "SKIP systemd-analyze verify: not installed"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
