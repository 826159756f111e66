#!/bin/sh
# embed.sh SYMBOL FILE... : turns files into a C table (name, type, bytes)
# compiled into a program: the portal's static files (searchd serves them
# from memory, never a path a request names) and the ingest profiles.
sym=$1; shift
echo '#include <stddef.h>'
echo 'struct asset { const char *name, *type; const unsigned char *data; size_t len; };'
i=0
for f in "$@"; do
  echo "static const unsigned char a$i[] = {"
  od -An -v -tx1 "$f" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
  echo "0};"
  i=$((i+1))
done
echo "const struct asset $sym[] = {"
i=0
for f in "$@"; do
  n=$(basename "$f")
  case "$n" in
    *.html) t='text/html; charset=utf-8';;
    *.css) t='text/css; charset=utf-8';;
    *.js) t='text/javascript; charset=utf-8';;
    *.xml) t='application/opensearchdescription+xml; charset=utf-8';;
    *.svg) t='image/svg+xml';;
    *.png) t='image/png';;
    *.ico) t='image/x-icon';;
    *) t='text/plain; charset=utf-8';;
  esac
  sz=$(wc -c < "$f")
  echo "  {\"$n\", \"$t\", a$i, $sz},"
  i=$((i+1))
done
echo '  {NULL, NULL, NULL, 0}'
echo '};'
