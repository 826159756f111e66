#!/usr/bin/env python3
"""bench/sqlite_query.py: run the query set against the SQLite FTS5 trigram table,
in-process (SQLite has no HTTP server), one client.

Usage: sqlite_query.py DBFILE QUERIES.jsonl [BUDGET_SECONDS]

Each query does the same work as ours and Groonga's: the top 10 by bm25 with a
snippet, and the category/unit/year facet counts over all matches. FTS5's trigram
tokenizer cannot match terms shorter than 3 characters: those terms fall back to
LIKE '%term%' (a scan of every row, no ranking, no snippet function).
Prints lines "sqlite-query: SET n=... qps=... p50_ms=... p95_ms=... p99_ms=...".
"""
import collections
import json
import sqlite3
import sys
import time


def pct(v, p):
    if not v:
        return float('nan')
    s = sorted(v)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def fts_quote(t):
    return '"' + t.replace('"', '""') + '"'


def like_escape(t):
    return '%' + t.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_') + '%'


def build(x):
    long_terms = [t for t in x['terms'] if len(t) >= 3]
    short = [t for t in x['terms'] if len(t) < 3]
    where, args = [], []
    if long_terms:
        where.append('ft MATCH ?')
        args.append(' '.join(fts_quote(t) for t in long_terms))
    for t in short:
        where.append("(ft.title LIKE ? ESCAPE '\\' OR ft.text LIKE ? ESCAPE '\\')")
        args += [like_escape(t), like_escape(t)]
    if x['category']:
        where.append('m.category = ?')
        args.append(x['category'])
    if x['year']:
        where.append('m.year = ?')
        args.append(x['year'])
    w = ' AND '.join(where)
    if long_terms:
        top = ("SELECT m.key, ft.title, bm25(ft, 5.0, 1.0, 1.0) AS s,"
               " snippet(ft, 1, '<mark>', '</mark>', '...', 24)"
               " FROM ft JOIN meta m ON m.id = ft.rowid WHERE " + w +
               " ORDER BY s LIMIT 10")
    else:
        top = ("SELECT m.key, ft.title, 0, substr(ft.text, 1, 120)"
               " FROM ft JOIN meta m ON m.id = ft.rowid WHERE " + w +
               " ORDER BY m.id LIMIT 10")
    facets = ("SELECT m.category, m.unit, m.year FROM ft JOIN meta m"
              " ON m.id = ft.rowid WHERE " + w)
    return top, facets, args, bool(short)


def main():
    dbfile, qfile = sys.argv[1], sys.argv[2]
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
    qs = [json.loads(l) for l in open(qfile, encoding='utf-8')]
    db = sqlite3.connect(dbfile)
    lat = collections.defaultdict(list)
    t_start = time.time()
    hits_zero = 0
    done = 0
    for x in qs:
        if time.time() - t_start > budget:
            print('sqlite-query: budget of %.0f s reached after %d queries' % (budget, done))
            break
        top, facets, args, fallback = build(x)
        t0 = time.perf_counter()
        rows = db.execute(top, args).fetchall()
        fc = collections.Counter()
        total = 0
        for cat, unit, year in db.execute(facets, args):
            total += 1
            fc[('c', cat)] += 1
            fc[('u', unit)] += 1
            fc[('y', year)] += 1
        dt = (time.perf_counter() - t0) * 1000.0
        if total == 0:
            hits_zero += 1
        done += 1
        lat['all'].append(dt)
        lat['like-fallback' if fallback else 'match'].append(dt)
        lat['kind:' + x['kind']].append(dt)
        del rows
    wall = time.time() - t_start
    for k in sorted(lat):
        v = lat[k]
        qps = len(v) / (sum(v) / 1000.0) if sum(v) > 0 else 0
        print('sqlite-query: %s n=%d qps=%.2f p50_ms=%.3f p95_ms=%.3f p99_ms=%.3f'
              % (k, len(v), qps, pct(v, 50), pct(v, 95), pct(v, 99)))
    print('sqlite-query: done=%d zero_hit=%d wall_s=%.1f' % (done, hits_zero, wall))


if __name__ == '__main__':
    main()
