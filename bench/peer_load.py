#!/usr/bin/env python3
"""bench/peer_load.py: feed the prepared documents to the peers.

  peer_load.py groonga DOCS N OUT   write a Groonga command file: schema, then a
                                    `load` of N copies of DOCS (keys copyK/...
                                    when N > 1), then the index columns
                                    (static index construction after the load)
  peer_load.py sqlite DOCS DBFILE   build an SQLite FTS5 trigram table and print
                                    "sqlite: build_s=... size_bytes=..."
  peer_load.py edit ROOT MANIFEST N LIST
                                    the nightly change: rewrite N files of the tree
                                    ROOT (chosen with random.seed(42)) by appending a
                                    line (written to a temp file then renamed, so a
                                    hardlinked copy gets a new file); their paths go
                                    to LIST
  peer_load.py changed DOCS ROOT LIST OUT
                                    the records of the LIST files, read again from ROOT
  peer_load.py groonga-update CHANGED OUT   a Groonga command file loading them
  peer_load.py sqlite-update DBFILE CHANGED replace them in the SQLite table and
                                    print "sqlite-update: s=..."

Standard library only.
"""
import json
import os
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prep import strip_markup  # noqa: E402

SCHEMA = """table_create Docs TABLE_HASH_KEY ShortText
column_create Docs title COLUMN_SCALAR ShortText
column_create Docs text COLUMN_SCALAR LongText
column_create Docs category COLUMN_SCALAR ShortText
column_create Docs unit COLUMN_SCALAR ShortText
column_create Docs year COLUMN_SCALAR Int32
column_create Docs lang COLUMN_SCALAR ShortText
column_create Docs docno COLUMN_SCALAR ShortText
"""
INDEX = """table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto
column_create Terms docs_title COLUMN_INDEX|WITH_POSITION Docs title
column_create Terms docs_text COLUMN_INDEX|WITH_POSITION Docs text
column_create Terms docs_docno COLUMN_INDEX|WITH_POSITION Docs docno
"""

FIELDS = ('title', 'text', 'category', 'unit', 'year', 'lang', 'docno')


def docs_iter(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            yield json.loads(line)


def groonga(docs, n, out, schema=True):
    with open(out, 'w', encoding='utf-8') as f:
        if schema:
            f.write(SCHEMA)
        f.write('load --table Docs\n[\n')
        first = True
        for k in range(n):
            for d in docs_iter(docs):
                rec = {'_key': ('copy%d/' % k if n > 1 else '') + d['key']}
                for c in FIELDS:
                    rec[c] = d[c]
                # ShortText holds at most 4 KiB
                rec['title'] = rec['title'][:1000]
                rec['docno'] = rec['docno'][:1000]
                f.write(('' if first else ',\n') + json.dumps(rec, ensure_ascii=False))
                first = False
        f.write('\n]\n')
        if schema:
            f.write(INDEX)


def sqlite_build(docs, dbfile):
    if os.path.exists(dbfile):
        os.unlink(dbfile)
    t0 = time.time()
    db = sqlite3.connect(dbfile)
    db.execute('PRAGMA journal_mode=OFF')
    db.execute('PRAGMA synchronous=OFF')
    db.execute('CREATE TABLE meta(id INTEGER PRIMARY KEY, key TEXT, category TEXT,'
               ' unit TEXT, year INTEGER, lang TEXT, docno TEXT)')
    db.execute("CREATE VIRTUAL TABLE ft USING fts5(title, text, docno,"
               " tokenize='trigram')")
    rows = 0
    with db:
        for i, d in enumerate(docs_iter(docs), 1):
            db.execute('INSERT INTO meta VALUES(?,?,?,?,?,?,?)',
                       (i, d['key'], d['category'], d['unit'], d['year'] or None,
                        d['lang'], d['docno']))
            db.execute('INSERT INTO ft(rowid, title, text, docno) VALUES(?,?,?,?)',
                       (i, d['title'], d['text'], d['docno']))
            rows += 1
    db.execute("INSERT INTO ft(ft) VALUES('optimize')")
    db.commit()
    db.close()
    dt = time.time() - t0
    print('sqlite: build_s=%.2f cpu_s=%.2f docs=%d size_bytes=%d version=%s'
          % (dt, time.process_time(), rows, os.path.getsize(dbfile),
             sqlite3.sqlite_version))


def edit(root, manifest, n, listfile):
    paths = [json.loads(l)['path'] for l in open(manifest, encoding='utf-8')]
    rng = random.Random(42)
    pick = sorted(rng.sample(paths, n))
    for i, p in enumerate(pick):
        full = os.path.join(root, p)
        ext = p.rsplit('.', 1)[-1].lower()
        if ext in ('xml', 'html', 'htm'):
            line = '<!-- bench edit %d -->\n' % i
        elif ext == 'sql':
            line = '-- bench edit %d\n' % i
        elif ext in ('json', 'csv'):
            line = '\n'  # stays valid: trailing white space only
        else:
            line = '\nbench edit %d\n' % i
        with open(full, 'rb') as f:
            data = f.read()
        tmp = full + '.bench-tmp'
        with open(tmp, 'wb') as f:
            f.write(data + line.encode())
        os.rename(tmp, full)
    with open(listfile, 'w', encoding='utf-8') as f:
        f.write(''.join(p + '\n' for p in pick))


def changed(docs, root, listfile, out):
    want = set(l.rstrip('\n') for l in open(listfile, encoding='utf-8'))
    with open(out, 'w', encoding='utf-8') as f:
        for d in docs_iter(docs):
            if d['key'] in want:
                with open(os.path.join(root, d['key']), encoding='utf-8',
                          errors='replace') as g:
                    d['text'] = strip_markup(g.read())
                f.write(json.dumps(d, ensure_ascii=False) + '\n')


def sqlite_update(dbfile, chg):
    t0 = time.time()
    db = sqlite3.connect(dbfile)
    with db:
        for d in docs_iter(chg):
            row = db.execute('SELECT id FROM meta WHERE key = ?', (d['key'],)).fetchone()
            if row is None:
                continue
            db.execute('DELETE FROM ft WHERE rowid = ?', row)
            db.execute('INSERT INTO ft(rowid, title, text, docno) VALUES(?,?,?,?)',
                       (row[0], d['title'], d['text'], d['docno']))
    db.close()
    print('sqlite-update: s=%.3f' % (time.time() - t0))


def main():
    mode = sys.argv[1]
    if mode == 'groonga':
        groonga(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif mode == 'sqlite':
        sqlite_build(sys.argv[2], sys.argv[3])
    elif mode == 'edit':
        edit(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif mode == 'changed':
        changed(*sys.argv[2:6])
    elif mode == 'groonga-update':
        groonga(sys.argv[2], 1, sys.argv[3], schema=False)
    elif mode == 'sqlite-update':
        sqlite_update(sys.argv[2], sys.argv[3])
    else:
        sys.exit('peer_load: unknown mode ' + mode)


if __name__ == '__main__':
    main()
