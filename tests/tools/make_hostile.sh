#!/bin/sh
# make_hostile.sh DIR : builds a tree of hostile files for the indexer tests.
#
# Everything is generated at test time (nothing big is committed). Layout:
#
#   DIR/root/      the tree to index:  build/bin/indexer --db X DIR/root
#   DIR/outside/   a sibling directory OUTSIDE the tree; its files carry the
#                  marker OUTSIDEMARKER, which must never become searchable.
#
# Prints nothing on success; exits non-zero (with a message on stderr) on
# failure. Needs only POSIX sh, awk, gzip, iconv, head, ln, mkfifo, chmod.
# Takes about 2 s and 55 MB of disk (the long line; the bomb is ~300 KB).
# Any earlier DIR/root and DIR/outside are removed first.
#
# Expected indexer behaviour, per file (paths relative to DIR/root).
# "rejected" = reported on stderr with its path and a reason, no document,
# run goes on (exit status 1 is then expected); "skipped" = silently not
# indexed (not a document, not a rejection required); "indexed" = becomes a
# document whose text is correct. In no case may the indexer crash, hang,
# follow a path out of the tree, or use memory proportional to a
# decompressed/expanded size.
#
#   valid.txt                 small valid zh/en document, marker VALIDMARKER
#                             -> indexed (proves the run still does its job)
#   empty.txt                 0 bytes -> rejected ("empty") or skipped
#   junk.txt                  4096 bytes of binary junk (fixed-seed LCG) with
#                             a .txt name -> rejected ("binary"/"not text")
#   truncated.txt.gz          gzip stream cut in half -> rejected (corrupt
#                             gzip); no partial document required
#   bomb.txt.gz               300 MB of zeros gzip'd to ~300 KB -> rejected
#                             (decompressed size over the limit) without
#                             inflating it all into memory
#   laughs.xml                "billion laughs" entity expansion -> rejected,
#                             or indexed with entities NOT expanded; must
#                             finish quickly with bounded memory
#   xxe-passwd.xml            <!ENTITY x SYSTEM "file:///etc/passwd"> ->
#                             indexed (title 外部实体测试XXEPASSWD) or rejected;
#                             the text must not contain /etc/passwd ("root:")
#   xml/xxe-outside.xml       entity SYSTEM "../../outside/secret.txt" (a file
#                             outside the tree) -> as above (title
#                             外部实体测试XXEOUTSIDE); OUTSIDEMARKER must not be
#                             searchable
#   xxe-http.xml              external DTD on http://127.0.0.1:9/ -> no
#                             network access; indexed or rejected, quickly
#   mislabelled-gb2312.html   declares charset=gb2312 but is UTF-8 -> indexed
#                             with correct text: phrase 声明编码与实际不符 is
#                             searchable, no mojibake, no U+FFFD
#   big5-labelled-utf8.html   declares charset=utf-8 but is Big5 -> indexed
#                             with correct text (detection wins: phrase
#                             宣告為統一碼實為大五碼), or rejected ("invalid
#                             encoding"); never indexed as U+FFFD garbage
#   nul-in-text.txt           UTF-8 Chinese with NUL bytes in the middle ->
#                             indexed; text on BOTH sides of the NULs is
#                             searchable (空字节之前的句子, 空字节之后的句子)
#   longline.txt              50 MiB, one line, no newline (one Chinese
#                             sentence repeated) -> indexed (possibly with
#                             text truncated at a documented limit) or
#                             rejected ("too large"); bounded time and memory
#   loop/a, loop/b            symlinks a -> b, b -> a -> skipped (or rejected
#                             "symlink loop"); the run terminates
#   loop/up                   directory symlink to its own parent (..) -> not
#                             followed: no ids like loop/up/loop/up/...
#   escape.txt                symlink to ../outside/secret.txt -> skipped;
#                             OUTSIDEMARKER not searchable
#   outdir                    directory symlink to ../outside -> not followed
#   fifo.txt                  a named pipe -> skipped (not a regular file);
#                             opening it would block forever
#   unreadable.txt            mode 000, marker UNREADABLEMARKER -> rejected
#                             ("permission denied"). NOTE: root reads it
#                             anyway, so tests must accept "indexed" when
#                             run as root
#   .secret.txt               hidden file, marker HIDDENMARKER -> skipped
#   .git/HEAD, .git/notes.txt hidden directory, marker GITMARKER -> skipped
#   <80 Chinese chars>.txt    name of 244 bytes (limit 255), marker
#                             LONGNAMEMARKER -> indexed; its id is the full
#                             name
#   <GBK bytes>.txt           file name that is not valid UTF-8 (GBK bytes of
#                             中文名), marker BADNAMEMARKER -> rejected ("file
#                             name not UTF-8") or indexed with an id that is
#                             still valid UTF-8 in JSON; never invalid JSON
set -eu

die() { echo "make_hostile.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: make_hostile.sh DIR"
DIR=$1
mkdir -p "$DIR" || die "cannot create '$DIR'"
R=$DIR/root
O=$DIR/outside
rm -rf "$R" "$O" || die "cannot clean '$DIR'"
mkdir -p "$R/loop" "$R/.git" "$O" || die "cannot create directories"

# --- outside the tree ---------------------------------------------------------
printf 'OUTSIDEMARKER 树外文件，不得被索引。This file lies outside the indexed tree.\n' \
    > "$O/secret.txt"

# --- a valid document ---------------------------------------------------------
cat > "$R/valid.txt" <<'EOF' || die "cannot write valid.txt"
示范市人民政府办公室关于测试文件的通知

示政办发〔2023〕99号

　　本文件用于验证索引程序在遇到异常文件时仍能正常工作。VALIDMARKER
This valid document must be indexed even though its neighbours are hostile.

示范市人民政府办公室
2023年5月4日
EOF

# --- empty and binary junk ----------------------------------------------------
: > "$R/empty.txt"
LC_ALL=C awk 'BEGIN { x = 42
    for (i = 0; i < 4096; i++) { x = (x * 16807) % 2147483647
        printf "%c", int(x / 8388608) % 256 } }' > "$R/junk.txt" \
    || die "cannot write junk.txt"
[ "$(wc -c < "$R/junk.txt")" -eq 4096 ] || die "junk.txt has wrong size"

# --- gzip: truncated and bomb -------------------------------------------------
i=0
while [ $i -lt 40 ]; do
    cat "$R/valid.txt"
    i=$((i + 1))
done | gzip -9n > "$O/full.gz" || die "cannot gzip"
n=$(wc -c < "$O/full.gz")
head -c $((n / 2)) "$O/full.gz" > "$R/truncated.txt.gz"
rm -f "$O/full.gz"
head -c 300M /dev/zero | gzip -9n > "$R/bomb.txt.gz" || die "cannot write bomb"

# --- XML entity attacks -------------------------------------------------------
cat > "$R/laughs.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<法規><法規名稱>實體擴張測試</法規名稱><法規內容>&lol9;</法規內容></法規>
EOF

cat > "$R/xxe-passwd.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE 法規 [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<法規><法規名稱>外部实体测试XXEPASSWD</法規名稱><法規內容>前&x;后</法規內容></法規>
EOF

# Entities resolve relative to the file (root/xml/): two levels up is DIR.
mkdir -p "$R/xml"
cat > "$R/xml/xxe-outside.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE 法規 [ <!ENTITY y SYSTEM "../../outside/secret.txt"> ]>
<法規><法規名稱>外部实体测试XXEOUTSIDE</法規名稱><法規內容>前&y;后</法規內容></法規>
EOF

cat > "$R/xxe-http.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE 法規 SYSTEM "http://127.0.0.1:9/evil.dtd">
<法規><法規名稱>外部DTD测试XXEHTTP</法規名稱><法規內容>外部文件类型定义不得经网络获取。</法規內容></法規>
EOF

# --- encodings: wrong labels, NUL bytes ---------------------------------------
cat > "$R/mislabelled-gb2312.html" <<'EOF'
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="声明编码与实际不符的网页">
<title>声明编码与实际不符的网页</title></head>
<body><p>这个页面声明为GB2312，实际上是UTF-8编码。索引程序应当识别真实编码，正确提取“声明编码与实际不符”这句话。</p></body></html>
EOF

printf '%s\n' \
    '<html><head>' \
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' \
    '<title>宣告為統一碼實為大五碼</title></head>' \
    '<body><p>本網頁宣告為統一碼實為大五碼，索引程式應以偵測結果為準，不得產生亂碼。</p></body></html>' \
    | iconv -f UTF-8 -t BIG5 > "$R/big5-labelled-utf8.html" \
    || die "cannot write big5-labelled-utf8.html"

{ printf '空字节之前的句子：示范市政府信息公开。'
  printf '\000\000\000'
  printf '空字节之后的句子：安全生产检查。\n'; } > "$R/nul-in-text.txt"

# ~50 MiB single line: a 41-byte sentence (13 CJK chars + "; ") doubled to
# 1.28 MiB, then 39 copies; no newline anywhere.
printf '超长单行文本测试重复句子。; ' > "$O/l0"
[ "$(wc -c < "$O/l0")" -eq 41 ] || die "sentence size changed"
i=0
while [ $i -lt 15 ]; do                 # 41 * 2^15 = 1,343,488 bytes
    cat "$O/l0" "$O/l0" > "$O/l1" && mv "$O/l1" "$O/l0"
    i=$((i + 1))
done
i=0
while [ $i -lt 39 ]; do                 # 39 * 1.28 MiB = 50 MiB (52,396,032)
    cat "$O/l0"
    i=$((i + 1))
done > "$R/longline.txt"
rm -f "$O/l0"

# --- links, special files, permissions, hidden files ----------------------------
ln -s b "$R/loop/a"
ln -s a "$R/loop/b"
ln -s .. "$R/loop/up"
ln -s ../outside/secret.txt "$R/escape.txt"
ln -s ../outside "$R/outdir"
mkfifo "$R/fifo.txt" || die "cannot create fifo"

printf 'UNREADABLEMARKER 无权读取的文件。\n' > "$R/unreadable.txt"
chmod 000 "$R/unreadable.txt"

# a JSON Lines feed with one broken line between two good ones: the good
# records are indexed, the broken line reported
printf '%s\n' '{"id": "j1", "title": "FEEDONEMARKER 第一条"}' \
    '{"id": "j2", "title": "断开的记录' \
    '{"id": "j3", "title": "FEEDTHREEMARKER 第三条"}' > "$R/feed.jsonl"

printf 'HIDDENMARKER 隐藏文件不应被索引。\n' > "$R/.secret.txt"
printf 'ref: refs/heads/main GITMARKER\n' > "$R/.git/HEAD"
printf 'GITMARKER 版本库目录不应被索引。\n' > "$R/.git/notes.txt"

# --- file names ---------------------------------------------------------------
long=''
i=0
while [ $i -lt 8 ]; do                  # 8 x 10 = 80 CJK chars = 240 bytes
    long="${long}示范市政府超长文件名"
    i=$((i + 1))
done
printf 'LONGNAMEMARKER 文件名很长的文档。\n' > "$R/$long.txt" \
    || die "cannot create the long file name"
printf 'BADNAMEMARKER 文件名不是UTF-8。\n' > "$R/$(printf '\326\320\316\304\303\373').txt" \
    || die "cannot create the non-UTF-8 file name"

# --- self-check -----------------------------------------------------------------
for f in valid.txt empty.txt junk.txt truncated.txt.gz bomb.txt.gz laughs.xml \
         xxe-passwd.xml xml/xxe-outside.xml xxe-http.xml mislabelled-gb2312.html \
         big5-labelled-utf8.html nul-in-text.txt longline.txt unreadable.txt \
         .secret.txt .git/HEAD "$long.txt"; do
    [ -f "$R/$f" ] || die "missing $f"
done
[ -L "$R/loop/a" ] && [ -L "$R/loop/up" ] && [ -L "$R/escape.txt" ] \
    && [ -p "$R/fifo.txt" ] || die "links or fifo missing"
if gzip -t "$R/truncated.txt.gz" 2>/dev/null; then die "truncated gzip is valid"; fi
[ "$(wc -l < "$R/longline.txt")" -eq 0 ] || die "longline.txt has a newline"
exit 0
