#!/bin/sh
# browser.sh - the portal pages in a real browser: indexes the sample corpus
# (corpus/) into a temporary index, starts searchd on a free loopback port,
# runs tests/browser/portal.test.js (playwright-core driving Debian's
# chromium) against it and stops searchd, whatever happens. Screenshots go
# to $BUILD/screenshots/. Skips when chromium or playwright-core
# (make deps) is missing. Run by tests/run.sh with BUILD and ROOT set.
BUILD=${BUILD:-build}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT" || exit 2
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac

skip() {
    echo "SKIP browser: $1"
    echo "0 passed, 0 failed"
    exit 0
}
fail() {
    echo "browser: $1"
    [ -n "$2" ] && [ -f "$2" ] && tail -20 "$2" | sed 's/^/  /'
    echo "0 passed, 1 failed"
    exit 1
}

[ -x /usr/bin/chromium ] || skip "/usr/bin/chromium is missing (make deps)"
[ -d tests/browser/node_modules/playwright-core ] \
    || skip "tests/browser/node_modules/playwright-core is missing (make deps)"
command -v node >/dev/null 2>&1 || skip "node is missing (make deps)"
[ -n "$(find corpus -type f ! -name 'MANIFEST*' ! -name 'README*' 2>/dev/null | head -1)" ] \
    || skip "no sample documents in corpus/"
[ -x "$BUILD/bin/indexer" ] || fail "$BUILD/bin/indexer is missing"
[ -x "$BUILD/bin/searchd" ] || fail "$BUILD/bin/searchd is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/browser.XXXXXX") || exit 2
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null
        i=0
        while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
            sleep 0.1; i=$((i + 1))
        done
        kill -9 "$pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

"$BUILD/bin/indexer" --db "$tmp/db" corpus/docs >"$tmp/indexer.log" 2>&1
rc=$?
[ $rc -le 1 ] || fail "indexer failed (exit $rc)" "$tmp/indexer.log"

"$BUILD/bin/searchd" --db "$tmp/db" --listen 127.0.0.1:0 \
    --port-file "$tmp/port" >"$tmp/searchd.log" 2>&1 &
pid=$!

# the port file, then /healthz, with a timeout (20 s)
port=
i=0
while [ $i -lt 200 ]; do
    if [ -s "$tmp/port" ]; then
        port=$(tr -dc 0-9 <"$tmp/port")
        [ -n "$port" ] && break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
done
[ -n "$port" ] || fail "searchd did not write its port file" "$tmp/searchd.log"
url=http://127.0.0.1:$port
ok=
i=0
while [ $i -lt 100 ]; do
    if curl -fsS -o /dev/null --max-time 2 "$url/healthz" 2>/dev/null; then
        ok=1; break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1; i=$((i + 1))
done
[ -n "$ok" ] || fail "searchd does not answer /healthz at $url" "$tmp/searchd.log"

mkdir -p "$BUILD/screenshots"
SEARCHD_URL=$url SCREENSHOTS=$BUILD/screenshots BUILD=$BUILD \
    timeout 300 node tests/browser/portal.test.js >"$tmp/node.log" 2>&1
rc=$?
cat "$tmp/node.log"
if ! tail -1 "$tmp/node.log" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
    echo "browser: the test ended without a summary (exit $rc)"
    echo "0 passed, 1 failed"
    exit 1
fi
exit $rc
