#!/bin/sh
# bench/run.sh: the benchmark behind `make bench`.
#
# Measures our indexer and searchd against two peers installed from Debian,
# Groonga (TokenBigram + NormalizerAuto, over HTTP) and SQLite FTS5 (trigram,
# in-process), on the shared corpus ($SHARED/corpus, SHARED defaulting to
# ../shared beside the repository): full index, nightly runs, analyzer speed,
# a fixed 400-query mixed set with wrk at 1/8/32 connections, /api/similar,
# and the corpus replicated x5 (and x20 when it fits). Writes bench/RESULTS.md
# and prints it. Never fails: a part that fails is reported and skipped, and
# the script exits 0.
#
# Environment: SHARED (see above), BIN (default build/bin), BENCH_WORK (scratch
# folder, default a new one under /tmp, removed at the end unless BENCH_KEEP=1),
# BENCH_DURATION (seconds per wrk run, default 20), BENCH_BUDGET (seconds,
# default 2700 = 45 min), BENCH_SCALE (unset: x5 always, x20 when it fits;
# 0: no x20; 1: x20 always), BENCH_SOAK (seconds of the memory soak, default
# 600; 0 skips it), BENCH_OUT (default bench/RESULTS.md).

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ENV_SETTINGS=
for v in SHARED BIN BENCH_DURATION BENCH_BUDGET BENCH_SCALE BENCH_SOAK; do
    eval "_x=\${$v:-}"; [ -n "$_x" ] && ENV_SETTINGS="$ENV_SETTINGS$v=$_x "
done
SHARED=${SHARED:-$ROOT/../shared}
CORPUS=$SHARED/corpus
MANIFEST=$SHARED/corpus-manifest.jsonl
BIN=${BIN:-$ROOT/build/bin}
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
DUR=${BENCH_DURATION:-20}
SOAK=${BENCH_SOAK:-600}
BUDGET=${BENCH_BUDGET:-2700}
PY=python3
B=$ROOT/bench
T0=$(date +%s)

log() { echo "[bench $(date +%H:%M:%S) +$(( $(date +%s) - T0 ))s] $*"; }

if [ ! -d "$CORPUS" ] || [ ! -f "$MANIFEST" ]; then
    log "no corpus at $CORPUS (or no $MANIFEST): nothing to measure."
    log "set SHARED to the folder holding corpus/ and corpus-manifest.jsonl; bench skipped"
    exit 0
fi

W=${BENCH_WORK:-/tmp/xs-bench.$$}
mkdir -p "$W" || { log "cannot create $W; bench skipped"; exit 0; }
: > "$W/results.tsv"; : > "$W/failures.txt"; : > "$W/kinds.txt"; : > "$W/notes.txt"
: > "$W/info.tsv"
OURS_PID=; GRN_PID=

cleanup() {
    [ -n "$OURS_PID" ] && kill "$OURS_PID" 2>/dev/null
    [ -n "$GRN_PID" ] && kill "$GRN_PID" 2>/dev/null
    OURS_PID=; GRN_PID=
    if [ "${BENCH_KEEP:-0}" != 1 ] && [ -z "${BENCH_WORK:-}" ]; then rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 0' INT TERM

fail() { echo "$*" >> "$W/failures.txt"; log "FAILED: $*"; }
note() { echo "$*" >> "$W/notes.txt"; }
res() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$W/results.tsv"; }
info() { printf '%s\t%s\n' "$1" "$2" >> "$W/info.tsv"; }
elapsed() { echo $(( $(date +%s) - T0 )); }
remaining() { echo $(( BUDGET - $(date +%s) + T0 )); }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "nan" }'; }
dusize() { du -sb "$1" 2>/dev/null | cut -f1; }

# timed NAME CMD...: runs CMD (stdout/stderr to $W/NAME.out/.err), sets T_WALL,
# T_CPU (user+sys of it and its children), T_RSS (peak MB); returns its status
timed() {
    _tn=$1; shift
    _s=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$W/$_tn.time" "$@" > "$W/$_tn.out" 2> "$W/$_tn.err"; _rc=$?
    else
        "$@" > "$W/$_tn.out" 2> "$W/$_tn.err"; _rc=$?; : > "$W/$_tn.time"
    fi
    _e=$(date +%s.%N)
    T_WALL=$(awk -v s="$_s" -v e="$_e" 'BEGIN { printf "%.3f", e - s }')
    T_CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 }
        END { if (u != "") printf "%.2f", u + s; else print "nan" }' "$W/$_tn.time")
    T_RSS=$(awk -F': ' '/Maximum resident/ { printf "%.1f", $2 / 1024 }' "$W/$_tn.time")
    [ -n "$T_RSS" ] || T_RSS=nan
    return $_rc
}

free_port() {
    $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_http PORT PATH SECONDS: until PATH answers 200
wait_http() {
    $PY - "$1" "$2" "$3" "$W/wait_http.last" <<'EOF'
import http.client, sys, time
port, path, secs = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
end = time.time() + secs
last = 'no answer'
while time.time() < end:
    try:
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
        c.request('GET', path)
        r = c.getresponse()
        if r.status == 200:
            sys.exit(0)
        last = 'GET %s answered %d %s' % (path, r.status, r.read()[:120])
    except (OSError, http.client.HTTPException) as e:
        last = 'GET %s: %s' % (path, e)
    time.sleep(0.2)
open(sys.argv[4], 'w').write(last + ' (for %.0f s)' % secs)
sys.exit(1)
EOF
}

# start_ours DB [cache]: starts searchd (its result cache off unless "cache"),
# sets OURS_PID and OURS_PORT; 0 when it answers
start_ours() {
    rm -f "$W/port"
    _co=$SD_CACHE_OFF; [ "${2:-}" = cache ] && _co=
    [ -n "$SD_CACHE_OFF" ] && [ -n "${3:-}" ] && _co="--cache-mb $3"
    "$BIN/searchd" --db "$1" --listen 127.0.0.1:0 --port-file "$W/port" $SD_OPTS $_co \
        > "$W/searchd.log" 2>&1 &
    OURS_PID=$!
    _i=0
    while [ $_i -lt 600 ]; do
        if [ -s "$W/port" ]; then break; fi
        kill -0 "$OURS_PID" 2>/dev/null || break
        sleep 0.1; _i=$((_i + 1))
    done
    OURS_PORT=$(tr -dc 0-9 < "$W/port" 2>/dev/null)
    START_WHY=
    if [ -z "$OURS_PORT" ]; then
        START_WHY="no port in $W/port after 60 s: $(tail -1 "$W/searchd.log")"
    elif ! wait_http "$OURS_PORT" /healthz 120; then
        START_WHY="port $OURS_PORT: $(cat "$W/wait_http.last" 2>/dev/null); log: $(tail -1 "$W/searchd.log")"
    fi
    if [ -n "$START_WHY" ]; then
        tail -5 "$W/searchd.log" | sed 's/^/  searchd: /'
        stop_ours; return 1
    fi
    return 0
}
stop_ours() {
    [ -n "$OURS_PID" ] && kill "$OURS_PID" 2>/dev/null && wait "$OURS_PID" 2>/dev/null
    OURS_PID=
}

# start_groonga DB [cache]: HTTP server on a free port, query cache off unless
# "cache" (then 1000 entries: the whole query set); sets GRN_PORT
start_groonga() {
    GRN_PORT=$(free_port)
    _cl=0; [ "${2:-}" = cache ] && _cl=1000
    groonga -s --protocol http --bind-address 127.0.0.1 -p "$GRN_PORT" \
        --cache-limit $_cl "$1" > "$W/groonga-server.log" 2>&1 &
    GRN_PID=$!
    if ! wait_http "$GRN_PORT" /d/status 30; then
        stop_groonga; return 1
    fi
    return 0
}
stop_groonga() {
    [ -n "$GRN_PID" ] && kill "$GRN_PID" 2>/dev/null && wait "$GRN_PID" 2>/dev/null
    GRN_PID=
}

# run_wrk SYSTEM PORT URLS CONNS SECONDS PREFIX: records PREFIXqCONNS_{rps,p50,p95,p99}
run_wrk() {
    _t=2; [ "$4" = 1 ] && _t=1
    _f=$W/wrk-$1-$6$4.txt
    wrk -t$_t -c"$4" -d"$5"s --timeout 10s -s "$B/cycle.lua" "http://127.0.0.1:$2" -- "$3" \
        > "$_f" 2>&1
    _l=$(grep '^BENCH' "$_f")
    if [ -z "$_l" ]; then
        fail "wrk $1 $4 connection(s) ($6): no result; $(tail -2 "$_f" | tr '\n' ' ')"
        return 1
    fi
    for _k in rps p50 p95 p99; do
        _v=$(echo "$_l" | tr ' ' '\n' | sed -n "s/^${_k}\(_ms\)\{0,1\}=//p")
        res "${6}q$4_$_k" "$1" "$_v"
    done
    _e=$(echo "$_l" | tr ' ' '\n' | awk -F= '$1 == "errors" || $1 == "non2xx" { s += $2 } END { print s + 0 }')
    WRK_ERRORS=$((WRK_ERRORS + _e))
    log "  $1 c=$4: $(echo "$_l" | cut -d' ' -f2-)"
}

# ---------------------------------------------------------------- setup
log "bench: corpus $CORPUS, work folder $W, budget ${BUDGET}s"
for tool in wrk groonga opencc; do
    if ! command -v $tool > /dev/null 2>&1; then
        log "$tool missing: trying make deps"
        make -C "$ROOT" deps > "$W/deps.log" 2>&1 || log "make deps failed (see output above)"
        break
    fi
done
HAVE_WRK=0; command -v wrk > /dev/null 2>&1 && HAVE_WRK=1
HAVE_GRN=0; command -v groonga > /dev/null 2>&1 && HAVE_GRN=1
[ $HAVE_WRK = 1 ] || fail "wrk is not installed: no HTTP query figures"
[ $HAVE_GRN = 1 ] || fail "groonga is not installed: no Groonga figures"

NDOCS=$(wc -l < "$MANIFEST")
SRC_BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
NFILES=$(find "$CORPUS" -type f | wc -l)
info date "$(date -u '+%Y-%m-%d %H:%M UTC')"
info command "${ENV_SETTINGS}make bench"
info nproc "$(nproc)"
info cpu "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
info ram "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
info os "$(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}") / $(uname -r)"
info xapian "$(xapian-config --version 2>/dev/null | awk '{ print $NF }' || dpkg-query -W -f '${Version}' libxapian30)"
info groonga "$(groonga --version 2>/dev/null | head -1 | cut -d' ' -f1-2)"
info sqlite "$($PY -c 'import sqlite3; print(sqlite3.sqlite_version)') (python3 sqlite3 module, FTS5 trigram)"
info wrk "$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)
[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && _rev="$_rev + uncommitted changes"
info ours "commit ${_rev:-?}, built with make (-O2)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info corpus "$NDOCS documents, $NFILES files, $(mb "$SRC_BYTES") MB"

log "preparing documents, queries and drafts"
_p0=$(date +%s)
if ! $PY "$B/prep.py" "$CORPUS" "$MANIFEST" "$W" > "$W/prep.log" 2>&1; then
    fail "bench/prep.py failed: $(tail -1 "$W/prep.log")"
    $PY "$B/report.py" "$W" "$OUT" && cat "$OUT"
    exit 0
fi
log "  $(cat "$W/prep.log")"
note "bench/prep.py (the peers' text extraction plus the query set and drafts) took $(( $(date +%s) - _p0 ))s: $(cat "$W/prep.log")"
if command -v opencc > /dev/null 2>&1; then
    while read -r f; do
        opencc -c s2t -i "$W/drafts/$f" -o "$W/drafts/$f.t" && mv "$W/drafts/$f.t" "$W/drafts/$f"
    done < "$W/drafts/to-traditional.txt"
else
    fail "opencc missing: cross-script drafts stay Simplified"
fi

# ---------------------------------------------------------------- ours: indexing
OURS_OK=0
if [ -x "$BIN/indexer" ] && [ -x "$BIN/searchd" ]; then OURS_OK=1; else
    fail "our programs are not built ($BIN/indexer, $BIN/searchd): no figures for ours"
fi
FULL_FLAG=; INCR_FLAG=; QUIET_FLAG=; SD_OPTS=; SD_CACHE_OFF=
if [ $OURS_OK = 1 ]; then
    _h=$("$BIN/indexer" --help 2>&1)
    echo "$_h" | grep -q -- '--full' && FULL_FLAG=--full
    echo "$_h" | grep -q -- '--incremental' && INCR_FLAG=--incremental
    echo "$_h" | grep -q -- '--quiet' && QUIET_FLAG=--quiet
    _h=$("$BIN/searchd" --help 2>&1)
    echo "$_h" | grep -q -- '--access-log' && SD_OPTS="--access-log off"
    # result caches off for the main figures (the query set repeats); on in one run
    echo "$_h" | grep -q -- '--cache-mb' && SD_CACHE_OFF="--cache-mb 0"
fi

# index_ours NAME DB ROOT [FLAG]: 0 when the indexer exited 0 or 1
index_ours() {
    timed "$1" timeout "${IDX_TIMEOUT:-1500}" "$BIN/indexer" --db "$2" $QUIET_FLAG $4 "$3"
    _rc=$?
    if [ $_rc -gt 1 ]; then
        fail "ours: indexer $1 exited $_rc: $(tail -2 "$W/$1.err" | tr '\n' ' ')"
        return 1
    fi
    note "ours, $1: indexer says: $(grep -v '^\s*$' "$W/$1.out" "$W/$1.err" | tail -1 | cut -d: -f2- | cut -c1-200)"
    return 0
}

if [ $OURS_OK = 1 ]; then
    log "ours: hardlinked copy of the corpus"
    cp -al "$CORPUS" "$W/tree" 2>/dev/null || cp -r "$CORPUS" "$W/tree"
    log "ours: full index ($FULL_FLAG)"
    if index_ours idx-full "$W/ours1" "$W/tree" "$FULL_FLAG"; then
        OURS_FULL_S=$T_WALL
        res index_wall_s ours "$T_WALL"; res index_cpu_s ours "$T_CPU"
        res index_rss_mb ours "$T_RSS"
        res index_docs_s ours "$(div "$NDOCS" "$T_WALL")"
        res index_mb_s ours "$(div "$(mb "$SRC_BYTES")" "$T_WALL")"
        res index_size_mb ours "$(mb "$(dusize "$W/ours1")")"
        log "  ours: full index ${T_WALL}s, cpu ${T_CPU}s, rss ${T_RSS}MB, $(mb "$(dusize "$W/ours1")") MB"
        log "ours: nightly run, nothing changed"
        if index_ours idx-nightly0 "$W/ours1" "$W/tree" "$INCR_FLAG"; then
            res nightly0_s ours "$T_WALL"; log "  ${T_WALL}s"
        fi
        log "ours: nightly run, 1% changed"
        if $PY "$B/peer_load.py" edit "$W/tree" "$MANIFEST" 135 "$W/changed.txt"; then
            if index_ours idx-nightly1 "$W/ours1" "$W/tree" "$INCR_FLAG"; then
                res nightly1_s ours "$T_WALL"; log "  ${T_WALL}s"
            fi
        else
            fail "could not change 1% of the copy"
        fi
    else
        OURS_OK=0
    fi
    log "ours: analyzer throughput"
    if timed analyzer timeout 300 "$BIN/indexer" --analyze-bench "$CORPUS"; then
        _a=$(sed -n 's/.*analyzer: *\([0-9.][0-9.]*\) *MB\/s.*/\1/p' "$W/analyzer.out" "$W/analyzer.err" | head -1)
        if [ -n "$_a" ]; then res analyzer_mb_s ours "$_a"; log "  $_a MB/s"
        else fail "ours: indexer --analyze-bench printed no 'analyzer: X MB/s' line"; fi
    else
        fail "ours: indexer --analyze-bench failed (n/a)"
    fi
fi
# the same 135 files for the peers (the list edit() picks), read from the changed copy
[ -s "$W/changed.txt" ] || $PY -c "
import json, random, sys
p = [json.loads(l)['path'] for l in open(sys.argv[1], encoding='utf-8')]
print(''.join(x + '\n' for x in sorted(random.Random(42).sample(p, 135))), end='')" "$MANIFEST" > "$W/changed.txt"
CHG_ROOT=$CORPUS; [ -d "$W/tree" ] && CHG_ROOT=$W/tree

# ---------------------------------------------------------------- peers: indexing
GRN_OK=0
if [ $HAVE_GRN = 1 ]; then
    log "groonga: writing the load file"
    if $PY "$B/peer_load.py" groonga "$W/docs.jsonl" 1 "$W/g1.grn"; then
        mkdir -p "$W/g1"
        log "groonga: load + static TokenBigram index"
        if timed grn-build groonga -n "$W/g1/db" < "$W/g1.grn" && ! grep -q '^\[\[-' "$W/grn-build.out"; then
            GRN_OK=1
            res index_wall_s groonga "$T_WALL"; res index_cpu_s groonga "$T_CPU"
            res index_rss_mb groonga "$T_RSS"
            res index_docs_s groonga "$(div "$NDOCS" "$T_WALL")"
            res index_mb_s groonga "$(div "$(mb "$SRC_BYTES")" "$T_WALL")"
            res index_size_mb groonga "$(mb "$(dusize "$W/g1")")"
            GRN_FULL_S=$T_WALL
            log "  groonga: ${T_WALL}s, cpu ${T_CPU}s, rss ${T_RSS}MB, $(mb "$(dusize "$W/g1")") MB"
            $PY "$B/peer_load.py" changed "$W/docs.jsonl" "$CHG_ROOT" "$W/changed.txt" "$W/changed.jsonl"
            $PY "$B/peer_load.py" groonga-update "$W/changed.jsonl" "$W/gupd.grn"
            if timed grn-update groonga "$W/g1/db" < "$W/gupd.grn"; then
                res nightly1_s groonga "$T_WALL"; log "  groonga: re-load of 135 records ${T_WALL}s"
            fi
        else
            fail "groonga: build failed: $(grep '^\[\[-' "$W/grn-build.out" | head -1 | cut -c1-200) $(tail -1 "$W/grn-build.err")"
        fi
        rm -f "$W/g1.grn"
    fi
fi

SQL_OK=0
log "sqlite: FTS5 trigram build"
if timed sql-build $PY "$B/peer_load.py" sqlite "$W/docs.jsonl" "$W/fts.db"; then
    SQL_OK=1
    res index_wall_s sqlite "$T_WALL"; res index_cpu_s sqlite "$T_CPU"
    res index_rss_mb sqlite "$T_RSS"
    res index_docs_s sqlite "$(div "$NDOCS" "$T_WALL")"
    res index_mb_s sqlite "$(div "$(mb "$SRC_BYTES")" "$T_WALL")"
    res index_size_mb sqlite "$(mb "$(dusize "$W/fts.db")")"
    log "  sqlite: ${T_WALL}s, $(mb "$(dusize "$W/fts.db")") MB; $(cat "$W/sql-build.out")"
    [ -f "$W/changed.jsonl" ] || $PY "$B/peer_load.py" changed "$W/docs.jsonl" "$CHG_ROOT" "$W/changed.txt" "$W/changed.jsonl"
    if timed sql-update $PY "$B/peer_load.py" sqlite-update "$W/fts.db" "$W/changed.jsonl"; then
        res nightly1_s sqlite "$T_WALL"
    fi
else
    fail "sqlite: build failed: $(tail -1 "$W/sql-build.err")"
fi

# ---------------------------------------------------------------- soak
# soak: searchd's memory over $SOAK seconds of mixed traffic at 8
# connections (searches on pages 1-3 and by date, documents, lookups,
# drafts to /api/similar, bad requests), with a 2 MB result cache that is
# always full and evicting, so that most requests do the whole work and the
# cache's bound is exercised too. RSS is read from /proc every 5 s.
soak() {
    _b=$(( $(remaining) - 120 ))
    if [ "$_b" -lt "$SOAK" ]; then
        fail "soak skipped: ${SOAK}s do not fit in the ${_b}s left of the budget"
        return 1
    fi
    $PY "$B/httpbench.py" soaklist "$W/urls-ours.txt" "$W/drafts" "$MANIFEST" "$W/soak.txt" \
        > "$W/soaklist.log" 2>&1 || { fail "soak: request list: $(tail -1 "$W/soaklist.log")"; return 1; }
    log "ours: memory soak, ${SOAK}s at 8 connections ($(cat "$W/soaklist.log"))"
    start_ours "$W/ours1" cache 2 || { fail "soak: searchd did not start ($START_WHY)"; return 1; }
    : > "$W/soak-rss.txt"
    ( _t=0
      while kill -0 "$OURS_PID" 2>/dev/null && [ $_t -le $((SOAK + 10)) ]; do
          _r=$(awk '/^VmRSS/ { print $2 }' "/proc/$OURS_PID/status" 2>/dev/null)
          [ -n "$_r" ] && echo "$_t $_r" >> "$W/soak-rss.txt"
          sleep 5; _t=$((_t + 5))
      done ) &
    _sp=$!
    wrk -t2 -c8 -d"$SOAK"s --timeout 10s -s "$B/soak.lua" "http://127.0.0.1:$OURS_PORT" -- "$W/soak.txt" \
        > "$W/wrk-soak.txt" 2>&1
    _alive=0; kill -0 "$OURS_PID" 2>/dev/null && _alive=1
    kill "$_sp" 2>/dev/null; wait "$_sp" 2>/dev/null
    stop_ours
    _l=$(grep '^SOAK' "$W/wrk-soak.txt")
    if [ -z "$_l" ]; then
        fail "soak: wrk gave no result: $(tail -2 "$W/wrk-soak.txt" | tr '\n' ' ')"; return 1
    fi
    [ $_alive = 1 ] || fail "soak: searchd was gone at the end: $(tail -2 "$W/searchd.log" | tr '\n' ' ')"
    # RSS (MB) after the first minute, at half time, at the end, the largest
    _m=$(awk -v d="$SOAK" '
        { t[NR] = $1; r[NR] = $2 / 1024; if ($2 / 1024 > mx) mx = $2 / 1024 }
        END { for (i = 1; i <= NR; i++) {
                  if (a == "" && t[i] >= 60) a = r[i]
                  if (h == "" && t[i] >= d / 2) h = r[i] }
              if (a == "") a = r[1]; if (h == "") h = r[NR]
              printf "%.1f %.1f %.1f %.1f %d", a, h, r[NR], mx, NR }' "$W/soak-rss.txt")
    set -- $_m
    res soak_rss_1min_mb ours "$1"; res soak_rss_half_mb ours "$2"; res soak_rss_end_mb ours "$3"
    res soak_rss_max_mb ours "$4"; res soak_rss_growth_mb ours "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", b - a }')"
    for _k in rps p50 p99 s5xx errors; do
        res "soak_$_k" ours "$(echo "$_l" | tr ' ' '\n' | sed -n "s/^${_k}\(_ms\)\{0,1\}=//p")"
    done
    note "ours, memory soak: $(echo "$_l" | cut -d' ' -f2-); RSS MB after 1 min / half time / end / max: $1 / $2 / $3 / $4 ($5 samples)"
    log "  soak: $(echo "$_l" | cut -d' ' -f2-); RSS MB $1 / $2 / $3 / max $4"
    echo "$_l" | grep -q ' s5xx=0 ' || fail "soak: searchd answered 5xx: $_l"
}

# ---------------------------------------------------------------- queries
WRK_ERRORS=0
if [ $OURS_OK = 1 ]; then
    log "ours: starting searchd"
    if start_ours "$W/ours1"; then
        log "  searchd on port $OURS_PORT"
        if [ $HAVE_WRK = 1 ]; then
            wrk -t2 -c2 -d5s -s "$B/cycle.lua" "http://127.0.0.1:$OURS_PORT" -- "$W/urls-ours.txt" > /dev/null 2>&1
            WRK_ERRORS=0
            for c in 1 8 32; do run_wrk ours "$OURS_PORT" "$W/urls-ours.txt" $c "$DUR" ""; done
            res q_errors ours "$WRK_ERRORS"
        fi
        $PY "$B/httpbench.py" kinds "$OURS_PORT" "$W/urls-ours.txt" "$W/queries.jsonl" ours >> "$W/kinds.txt" 2>&1 \
            || fail "ours: per-kind pass failed"
        log "  $(grep 'kinds: ours all' "$W/kinds.txt")"
        log "ours: titles typed as queries"
        $PY "$B/httpbench.py" titles "$OURS_PORT" "$MANIFEST" > "$W/titles.txt" 2>&1
        log "  $(tr '\n' ' ' < "$W/titles.txt")"
        for _k in whole cut en-whole en-cut; do
            _p=$(sed -n "s/^titles: kind=$_k .* p1=\([0-9.]*\) .*/\1/p" "$W/titles.txt")
            if [ -n "$_p" ]; then res "title_p1_$_k" ours "$_p"
            else fail "ours: titles bench ($_k) gave no result: $(tail -1 "$W/titles.txt")"; fi
        done
        log "ours: /api/similar"
        $PY "$B/httpbench.py" similar "$OURS_PORT" "$W/drafts" > "$W/similar.txt" 2>&1
        _s=$(grep '^similar: n=' "$W/similar.txt")
        [ -n "$_s" ] || _s=$(tail -1 "$W/similar.txt")
        log "  $_s"
        case "$_s" in
        similar:*)
            for _k in p50 p99 top1 top1_tied; do
                res "sim_$_k" ours "$(echo "$_s" | tr ' ' '\n' | sed -n "s/^${_k}\(_ms\)\{0,1\}=//p")"
            done
            note "ours, /api/similar: $(echo "$_s" | cut -d' ' -f2-) (top1_trad = cross-script drafts found as their source)"
            echo "$_s" | grep -q 'non200=0 ' || fail "ours: /api/similar answered non-200: $_s; first: $(grep -v '^similar: n=' "$W/similar.txt" | head -1 | cut -c1-300)" ;;
        *) fail "ours: /api/similar bench failed: $_s" ;;
        esac
        stop_ours
        if [ $HAVE_WRK = 1 ] && [ -n "$SD_CACHE_OFF" ]; then
            log "ours: 8 connections with the result cache on (default size)"
            if start_ours "$W/ours1" cache; then
                wrk -t2 -c2 -d5s -s "$B/cycle.lua" "http://127.0.0.1:$OURS_PORT" -- "$W/urls-ours.txt" > /dev/null 2>&1
                run_wrk ours "$OURS_PORT" "$W/urls-ours.txt" 8 "$DUR" "c"
                stop_ours
            fi
        fi
        [ $HAVE_WRK = 1 ] && [ "$SOAK" -gt 0 ] && soak
    else
        fail "ours: searchd did not start or does not answer /healthz ($START_WHY)"
    fi
fi

if [ $GRN_OK = 1 ] && [ $HAVE_WRK = 1 ]; then
    log "groonga: starting the HTTP server"
    if start_groonga "$W/g1/db"; then
        wrk -t2 -c2 -d5s -s "$B/cycle.lua" "http://127.0.0.1:$GRN_PORT" -- "$W/urls-groonga.txt" > /dev/null 2>&1
        WRK_ERRORS=0
        for c in 1 8 32; do run_wrk groonga "$GRN_PORT" "$W/urls-groonga.txt" $c "$DUR" ""; done
        res q_errors groonga "$WRK_ERRORS"
        $PY "$B/httpbench.py" kinds "$GRN_PORT" "$W/urls-groonga.txt" "$W/queries.jsonl" groonga >> "$W/kinds.txt" 2>&1 \
            || fail "groonga: per-kind pass failed"
        log "  $(grep 'kinds: groonga all' "$W/kinds.txt")"
        stop_groonga
        log "groonga: 8 connections with the query cache on (1000 entries)"
        if start_groonga "$W/g1/db" cache; then
            wrk -t2 -c2 -d5s -s "$B/cycle.lua" "http://127.0.0.1:$GRN_PORT" -- "$W/urls-groonga.txt" > /dev/null 2>&1
            run_wrk groonga "$GRN_PORT" "$W/urls-groonga.txt" 8 "$DUR" "c"
            stop_groonga
        fi
    else
        fail "groonga: the HTTP server did not start"
    fi
fi

if [ $SQL_OK = 1 ]; then
    _b=$(( $(remaining) / 6 )); [ $_b -gt 240 ] && _b=240; [ $_b -lt 30 ] && _b=30
    log "sqlite: in-process queries (budget ${_b}s)"
    if $PY "$B/sqlite_query.py" "$W/fts.db" "$W/queries.jsonl" "$_b" > "$W/sqlq.txt" 2>&1; then
        cat "$W/sqlq.txt" >> "$W/kinds.txt"
        _l=$(grep 'sqlite-query: all ' "$W/sqlq.txt")
        log "  $_l"
        res q1_rps sqlite "$(echo "$_l" | tr ' ' '\n' | sed -n 's/^qps=//p')"
        for _k in p50 p95 p99; do
            res "q1_$_k" sqlite "$(echo "$_l" | tr ' ' '\n' | sed -n "s/^${_k}_ms=//p")"
        done
        note "sqlite in-process: $(grep -E 'sqlite-query: (match|like-fallback|done)' "$W/sqlq.txt" | sed 's/sqlite-query: //' | tr '\n' ';')"
        grep -q 'budget of' "$W/sqlq.txt" && fail "sqlite: query budget reached: $(grep 'budget of' "$W/sqlq.txt")"
    else
        fail "sqlite: query run failed: $(tail -1 "$W/sqlq.txt")"
    fi
fi
rm -f "$W/fts.db"

# ---------------------------------------------------------------- scale
# scale N: x N corpus for ours and Groonga; records xN_* figures; sets SCALE_COST
scale() {
    _n=$1; _c0=$(date +%s)
    log "scale x$_n: hardlinked copies"
    mkdir -p "$W/x$_n"
    _k=0
    while [ $_k -lt "$_n" ]; do
        cp -al "$CORPUS" "$W/x$_n/copy$_k" 2>/dev/null || cp -r "$CORPUS" "$W/x$_n/copy$_k"
        _k=$((_k + 1))
    done
    if [ $GRN_OK = 1 ]; then
        log "groonga x$_n: load + index"
        $PY "$B/peer_load.py" groonga "$W/docs.jsonl" "$_n" "$W/gx.grn"
        mkdir -p "$W/gx$_n"
        if timed "grn-x$_n" groonga -n "$W/gx$_n/db" < "$W/gx.grn" && ! grep -q '^\[\[-' "$W/grn-x$_n.out"; then
            res "x${_n}_index_wall_s" groonga "$T_WALL"
            res "x${_n}_index_size_mb" groonga "$(mb "$(dusize "$W/gx$_n")")"
            log "  groonga x$_n: ${T_WALL}s, $(mb "$(dusize "$W/gx$_n")") MB"
            rm -f "$W/gx.grn"
            if [ $HAVE_WRK = 1 ]; then
                if start_groonga "$W/gx$_n/db"; then
                    wrk -t1 -c1 -d3s -s "$B/cycle.lua" "http://127.0.0.1:$GRN_PORT" -- "$W/urls-groonga.txt" > /dev/null 2>&1
                    run_wrk groonga "$GRN_PORT" "$W/urls-groonga.txt" 1 "$SCALE_DUR" "x${_n}_"
                    stop_groonga
                else
                    fail "groonga x$_n: the HTTP server did not start"
                fi
            fi
        else
            fail "groonga x$_n: build failed"
        fi
        rm -rf "$W/gx$_n" "$W/gx.grn"
    fi
    if [ $OURS_OK = 1 ]; then
        _to=$(( $(remaining) - 90 ))
        if [ $_to -lt 60 ]; then
            fail "ours x$_n: skipped, the time budget is used up"
        else
            log "ours x$_n: full index (timeout ${_to}s)"
            if IDX_TIMEOUT=$_to index_ours "idx-x$_n" "$W/oursx$_n" "$W/x$_n" "$FULL_FLAG"; then
                res "x${_n}_index_wall_s" ours "$T_WALL"
                res "x${_n}_index_size_mb" ours "$(mb "$(dusize "$W/oursx$_n")")"
                log "  ours x$_n: ${T_WALL}s, $(mb "$(dusize "$W/oursx$_n")") MB"
                if [ $HAVE_WRK = 1 ]; then
                    if start_ours "$W/oursx$_n"; then
                        wrk -t1 -c1 -d3s -s "$B/cycle.lua" "http://127.0.0.1:$OURS_PORT" -- "$W/urls-ours.txt" > /dev/null 2>&1
                        run_wrk ours "$OURS_PORT" "$W/urls-ours.txt" 1 "$SCALE_DUR" "x${_n}_"
                        stop_ours
                    else
                        fail "ours x$_n: searchd did not start or does not answer /healthz ($START_WHY)"
                    fi
                fi
            fi
        fi
        rm -rf "$W/oursx$_n"
    fi
    rm -rf "$W/x$_n"
    SCALE_COST=$(( $(date +%s) - _c0 ))
}

SCALE_DUR=$(( DUR / 2 )); [ $SCALE_DUR -lt 5 ] && SCALE_DUR=5
if [ $OURS_OK = 1 ] || [ $GRN_OK = 1 ]; then
    scale 5
    log "scale x5 took ${SCALE_COST}s; $(remaining)s of the budget left"
    _est=$(( SCALE_COST * 4 + 60 ))
    if [ "${BENCH_SCALE:-}" = 0 ]; then
        note "x20 skipped: BENCH_SCALE=0"
    elif [ "${BENCH_SCALE:-}" = 1 ] || [ $_est -lt $(( $(remaining) - 60 )) ]; then
        scale 20
    else
        note "x20 skipped: estimated ${_est}s (4 x the x5 run) but only $(remaining)s of the ${BUDGET}s budget left; BENCH_SCALE=1 forces it"
        log "x20 skipped: estimated ${_est}s, $(remaining)s left"
    fi
fi

# ---------------------------------------------------------------- report
info elapsed "$(elapsed)"
info load "load average (1/5/15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (anything else running on the machine skews the figures)"
log "writing $OUT"
if $PY "$B/report.py" "$W" "$OUT"; then
    echo
    cat "$OUT"
else
    log "FAILED: bench/report.py; raw figures follow"
    cat "$W/results.tsv" "$W/failures.txt"
fi
log "done in $(elapsed)s"
exit 0
