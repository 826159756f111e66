# lib.sh - helpers for tests/e2e/indexer.sh (sourced; POSIX sh).
# Needs TMP (the test's temp dir) and BUILD (absolute build dir) set.
# Checks: ok / bad / check / expect_eq count into PASS and FAIL.
# Processes started here are recorded in PIDS and killed by cleanup().

PASS=0
FAIL=0
PIDS=""
SDN=0

ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
# check DESC COMMAND...: passes when COMMAND succeeds
check() { _d=$1; shift; if "$@"; then ok "$_d"; else bad "$_d"; fi; }
# expect_eq DESC WANT GOT
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1 (want '$2', got '$3')"; fi
}

cleanup() {
    for _p in $PIDS; do kill -9 "$_p" 2>/dev/null; done
    for _p in $PIDS; do wait "$_p" 2>/dev/null; done
    [ -n "${TMP:-}" ] && [ -d "$TMP" ] && { chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"; }
}

# idx OUT ARGS...: runs the indexer (bounded by timeout 120); stdout in
# OUT.out, stderr in OUT.err, exit status in RC.
idx() {
    _o=$1; shift
    timeout 120 "$BUILD/bin/indexer" "$@" >"$_o.out" 2>"$_o.err"
    RC=$?
}

# summary OUT: "added updated deleted unchanged rejected" from the run's
# summary line (stdout or stderr), or "none".
summary() {
    _s=$(cat "$1.out" "$1.err" 2>/dev/null | sed -n 's/^indexer: added \([0-9]*\), updated \([0-9]*\), deleted \([0-9]*\), unchanged \([0-9]*\), rejected \([0-9]*\) files.*/\1 \2 \3 \4 \5/p' | tail -1)
    echo "${_s:-none}"
}

# delve_docs DIR: live document count of the index through its stub (or
# "err"): Xapian's count less the tombstones ("dead" metadata, shim/xs.h)
delve_docs() {
    _n=$(xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p')
    _d=$(xapian-metadata get "$1/$(gen "$1")" dead 2>/dev/null | wc -w)
    [ -n "$_n" ] && _n=$((_n - ${_d:-0}))
    echo "${_n:-err}"
}
delve_rev() {
    _n=$(xapian-delve "$1" 2>/dev/null | sed -n 's/^revision = //p')
    echo "${_n:-err}"
}
# gen DIR: the generation the stub names (gNNNNNN), or "none"
gen() { _g=$(sed -n 's/^auto \(g[0-9]*\)$/\1/p' "$1/XAPIANDB" 2>/dev/null); echo "${_g:-none}"; }
# ngens DIR / nbuild DIR: how many generation / .build-* dirs DIR holds
ngens() { find "$1" -mindepth 1 -maxdepth 1 -type d -name 'g[0-9]*' | wc -l | tr -d ' '; }
nbuild() { find "$1" -mindepth 1 -maxdepth 1 -name '.build-*' | wc -l | tr -d ' '; }

# sd_start DB: starts searchd on a free loopback port; sets SD_PID, SD_URL.
sd_start() {
    SDN=$((SDN + 1))
    _pf=$TMP/sd$SDN.port
    "$BUILD/bin/searchd" --db "$1" --listen 127.0.0.1:0 --port-file "$_pf" \
        --access-log off >"$TMP/sd$SDN.log" 2>&1 &
    SD_PID=$!
    PIDS="$PIDS $SD_PID"
    _i=0
    while [ $_i -lt 100 ]; do
        _port=$(cat "$_pf" 2>/dev/null)
        case $_port in [0-9]*) break ;; esac
        kill -0 "$SD_PID" 2>/dev/null || break
        sleep 0.1
        _i=$((_i + 1))
    done
    case ${_port:-} in [0-9]*) ;; *) SD_URL=""; return 1 ;; esac
    SD_URL=http://127.0.0.1:$_port
    # ready when /healthz answers
    _i=0
    while [ $_i -lt 50 ]; do
        [ "$(hcode "$SD_URL" /healthz)" = 200 ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# uri STRING: percent-encoded query value; uripath ID: per segment ('/' kept)
uri() { jq -rn --arg s "$1" '$s|@uri'; }
uripath() { jq -rn --arg s "$1" '$s|split("/")|map(@uri)|join("/")'; }
# get URL PATH: body; hcode URL PATH: HTTP status
get() { curl -s -g --max-time 10 "$1$2"; }
hcode() { curl -s -g -o /dev/null --max-time 10 -w '%{http_code}' "$1$2"; }
# docs URL: documents per /api/stats (or "err")
docs() { _n=$(get "$1" /api/stats | jq -r '.documents' 2>/dev/null); echo "${_n:-err}"; }
# total URL QUERY: total hits of a search (or "err")
total() { _n=$(get "$1" "/api/search?size=100&q=$(uri "$2")" | jq -r '.total' 2>/dev/null); echo "${_n:-err}"; }
# hitids URL QUERY: ids of the hits, one a line
hitids() { get "$1" "/api/search?size=100&q=$(uri "$2")" | jq -r '.hits[].id' 2>/dev/null; }
# doccode URL ID / doctext URL ID: /api/doc status and the document's text
doccode() { hcode "$1" "/api/doc/$(uripath "$2")"; }
doctext() { get "$1" "/api/doc/$(uripath "$2")" | jq -r '.text // empty' 2>/dev/null; }
# wait_docs URL N: polls /api/stats (5 s at most) until documents = N
wait_docs() {
    _i=0
    while [ $_i -lt 50 ]; do
        [ "$(docs "$1")" = "$2" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}
# wait_total URL QUERY N: polls until the search has N hits
wait_total() {
    _i=0
    while [ $_i -lt 50 ]; do
        [ "$(total "$1" "$2")" = "$3" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}
# has_line FILE STRING: FILE has a line equal to STRING
has_line() { grep -qxF -- "$2" "$1"; }
# text_has URL ID STRING: the stored text of ID contains STRING
text_has() { doctext "$1" "$2" | grep -qF -- "$3"; }
# ids_have URL QUERY ID: ID is among the hits of QUERY
ids_have() { hitids "$1" "$2" | grep -qxF -- "$3"; }
# not COMMAND...: negation usable with check
not() { ! "$@"; }
