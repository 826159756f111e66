#!/bin/sh
# run.sh - `make run`: index the sample corpus (corpus/docs) and serve it on
# http://127.0.0.1:8080/ until Ctrl-C. INDEX, LISTEN and DOCS override.
BUILD=${BUILD:-build}
DOCS=${DOCS:-corpus/docs}
INDEX=${INDEX:-$BUILD/run-index}
LISTEN=${LISTEN:-127.0.0.1:8080}
"$BUILD/bin/indexer" --db "$INDEX" "$DOCS"
rc=$?
if [ "$rc" -ge 2 ]; then
  echo "run: indexing failed (exit $rc)" >&2
  exit "$rc"
fi
echo
echo "  Portal:  http://$LISTEN/"
echo "  API:     http://$LISTEN/api/search?q=信息公开   (see API.md)"
echo "  Stop with Ctrl-C."
echo
exec "$BUILD/bin/searchd" --db "$INDEX" --listen "$LISTEN"
