#!/usr/bin/env python3
"""bench/report.py: turn the figures collected by bench/run.sh into RESULTS.md.

Usage: report.py WORKDIR OUT.md
Reads WORKDIR/results.tsv (metric, system, value), WORKDIR/info.tsv (key, value),
WORKDIR/kinds.txt (per-kind single-client latencies), WORKDIR/failures.txt.
"""
import collections
import math
import os
import re
import sys

SYSTEMS = ('ours', 'groonga', 'sqlite')

# key, label, better ('low' or 'high'), decimals
ROWS = [
    ('#', 'Indexing (13,451 documents, 159 MB of source files)'),
    ('index_wall_s', 'full index: wall time (s)', 'low', 1),
    ('index_cpu_s', 'full index: CPU time user+sys (s)', 'low', 1),
    ('index_rss_mb', 'full index: peak RSS (MB)', 'low', 0),
    ('index_docs_s', 'full index: documents/s', 'high', 0),
    ('index_mb_s', 'full index: MB/s of source', 'high', 2),
    ('index_size_mb', 'index size on disk (MB)', 'low', 0),
    ('nightly0_s', 'nightly run, nothing changed (s)', 'low', 2),
    ('nightly1_s', 'nightly run, 1% = 135 files changed (s)', 'low', 2),
    ('analyzer_mb_s', 'analyzer throughput (MB/s)', 'high', 2),
    ('#', 'Queries over HTTP (400-query mixed set, facets + snippets, wrk)'),
    ('q1_rps', '1 connection: requests/s', 'high', 1),
    ('q1_p50', '1 connection: p50 latency (ms)', 'low', 2),
    ('q1_p95', '1 connection: p95 latency (ms)', 'low', 2),
    ('q1_p99', '1 connection: p99 latency (ms)', 'low', 2),
    ('q8_rps', '8 connections: requests/s', 'high', 1),
    ('q8_p50', '8 connections: p50 latency (ms)', 'low', 2),
    ('q8_p95', '8 connections: p95 latency (ms)', 'low', 2),
    ('q8_p99', '8 connections: p99 latency (ms)', 'low', 2),
    ('q32_rps', '32 connections: requests/s', 'high', 1),
    ('q32_p50', '32 connections: p50 latency (ms)', 'low', 2),
    ('q32_p95', '32 connections: p95 latency (ms)', 'low', 2),
    ('q32_p99', '32 connections: p99 latency (ms)', 'low', 2),
    ('q_errors', 'errors + non-2xx answers (all runs)', 'low', 0),
    ('#', 'Same, 8 connections, result caches ON (ours --cache-mb default, Groonga --cache-limit 1000)'),
    ('cq8_rps', 'cached, 8 connections: requests/s', 'high', 1),
    ('cq8_p50', 'cached, 8 connections: p50 latency (ms)', 'low', 3),
    ('cq8_p99', 'cached, 8 connections: p99 latency (ms)', 'low', 3),
    ('#', 'Titles typed as queries (150 short titles of the manifest in each language; share with the document first)'),
    ('title_p1_whole', 'Chinese: the whole title (without 中华人民共和国)', 'high', 3),
    ('title_p1_cut', 'Chinese: the title without 法/条例/办法…', 'high', 3),
    ('title_p1_en-whole', 'English: the whole title, lower case', 'high', 3),
    ('title_p1_en-cut', 'English: the title without its last word', 'high', 3),
    ('#', 'Duplicate check: POST /api/similar (50 drafts of 300-800 chars)'),
    ('sim_p50', '/api/similar p50 latency (ms)', 'low', 2),
    ('sim_p99', '/api/similar p99 latency (ms)', 'low', 2),
    ('sim_top1', 'drafts whose best hit is their source (of 50)', 'high', 0),
    ('sim_top1_tied', 'drafts whose source ties with the best hit (of 50)', 'high', 0),
    ('#', 'Memory soak: searchd over BENCH_SOAK seconds (600 by default), 8 connections, mixed requests, 2 MB result cache'),
    ('soak_rps', 'soak: requests/s', 'high', 1),
    ('soak_p99', 'soak: p99 latency (ms)', 'low', 2),
    ('soak_s5xx', 'soak: 5xx answers', 'low', 0),
    ('soak_errors', 'soak: connection errors and timeouts', 'low', 0),
    ('soak_rss_1min_mb', 'soak: RSS after the first minute (MB)', 'low', 1),
    ('soak_rss_half_mb', 'soak: RSS at half time (MB)', 'low', 1),
    ('soak_rss_end_mb', 'soak: RSS at the end (MB)', 'low', 1),
    ('soak_rss_max_mb', 'soak: largest RSS (MB)', 'low', 1),
    ('soak_rss_growth_mb', 'soak: RSS growth over the second half (MB)', 'low', 1),
    ('#', 'Scale: the corpus replicated x5 (67,255 documents)'),
    ('x5_index_wall_s', 'x5 full index: wall time (s)', 'low', 1),
    ('x5_index_size_mb', 'x5 index size (MB)', 'low', 0),
    ('x5_q1_rps', 'x5 1 connection: requests/s', 'high', 1),
    ('x5_q1_p50', 'x5 1 connection: p50 latency (ms)', 'low', 2),
    ('x5_q1_p99', 'x5 1 connection: p99 latency (ms)', 'low', 2),
    ('#', 'Scale: the corpus replicated x20 (269,020 documents)'),
    ('x20_index_wall_s', 'x20 full index: wall time (s)', 'low', 1),
    ('x20_index_size_mb', 'x20 index size (MB)', 'low', 0),
    ('x20_q1_rps', 'x20 1 connection: requests/s', 'high', 1),
    ('x20_q1_p50', 'x20 1 connection: p50 latency (ms)', 'low', 2),
    ('x20_q1_p99', 'x20 1 connection: p99 latency (ms)', 'low', 2),
]


def read_tsv(path):
    out = []
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            parts = line.rstrip('\n').split('\t')
            if len(parts) >= 2:
                out.append(parts)
    return out


def fnum(v, dec):
    if v is None:
        return 'n/a'
    if isinstance(v, str):
        return v
    return ('%.' + str(dec) + 'f') % v


def main():
    w, out = sys.argv[1], sys.argv[2]
    res = collections.defaultdict(dict)
    for m, s, v in (r[:3] for r in read_tsv(os.path.join(w, 'results.tsv')) if len(r) >= 3):
        try:
            x = float(v)
            if not math.isnan(x):
                res[m][s] = x
        except ValueError:
            res[m][s] = v
    info = dict((r[0], r[1]) for r in read_tsv(os.path.join(w, 'info.tsv')))
    fails = []
    if os.path.exists(os.path.join(w, 'failures.txt')):
        fails = [l.rstrip('\n') for l in open(os.path.join(w, 'failures.txt'), encoding='utf-8') if l.strip()]

    L = []
    L.append('# Benchmark results')
    L.append('')
    L.append('Produced by `%s` (bench/run.sh) on %s; total bench time %s s.'
             % (info.get('command', 'make bench'), info.get('date', '?'), info.get('elapsed', '?')))
    L.append('')
    L.append('| machine | |')
    L.append('|---|---|')
    for k in ('nproc', 'cpu', 'ram', 'os', 'ours', 'xapian', 'groonga', 'sqlite', 'wrk',
              'corpus', 'load'):
        if k in info:
            L.append('| %s | %s |' % (k, info[k].replace('|', '/')))
    L.append('')
    L.append('Lower is better for times, latencies and sizes; higher for rates. '
             '"ratio" = ours / the best peer on that row (the peer named); below 1.00 '
             'is better for ours on a "lower is better" row, above 1.00 on a "higher" row. '
             'n/a = not measured or not applicable (see the notes).')
    L.append('')
    L.append('| metric | ours | groonga | sqlite-fts5 | ratio ours/best-peer |')
    L.append('|---|---:|---:|---:|---:|')
    for row in ROWS:
        if row[0] == '#':
            L.append('| **%s** | | | | |' % row[1])
            continue
        key, label, better, dec = row
        vals = res.get(key, {})
        cells = [fnum(vals.get(s), dec) for s in SYSTEMS]
        if key.startswith('q1_') and isinstance(vals.get('sqlite'), float):
            cells[2] += ' (in-process)'
        peers = [(vals[s], s) for s in ('groonga', 'sqlite')
                 if isinstance(vals.get(s), float)]
        ratio = 'n/a'
        o = vals.get('ours')
        if isinstance(o, float) and peers:
            best = min(peers) if better == 'low' else max(peers)
            if best[0] > 0:
                ratio = '%.2f (%s)' % (o / best[0], best[1])
            elif o == 0:
                ratio = '1.00 (%s)' % best[1]
        L.append('| %s | %s | %s |' % (label, ' | '.join(cells), ratio))
    L.append('')

    kinds = collections.defaultdict(dict)
    kpath = os.path.join(w, 'kinds.txt')
    if os.path.exists(kpath):
        for line in open(kpath, encoding='utf-8'):
            m = re.match(r'kinds: (\S+) (\S+) n=(\d+) p50_ms=(\S+) p99_ms=(\S+) non200=(\d+) zero_hits=(\d+)', line)
            if m:
                kinds[m.group(2)][m.group(1)] = (float(m.group(4)), float(m.group(5)),
                                                 int(m.group(6)), int(m.group(7)), int(m.group(3)))
                continue
            m = re.match(r'sqlite-query: kind:(\S+) n=(\d+) qps=\S+ p50_ms=(\S+) p95_ms=\S+ p99_ms=(\S+)', line)
            if not m:
                m2 = re.match(r'sqlite-query: all n=(\d+) qps=\S+ p50_ms=(\S+) p95_ms=\S+ p99_ms=(\S+)', line)
                if m2:
                    kinds['all']['sqlite'] = (float(m2.group(2)), float(m2.group(3)), 0, -1, int(m2.group(1)))
                continue
            kinds[m.group(1)]['sqlite'] = (float(m.group(3)), float(m.group(4)), 0, -1, int(m.group(2)))
    if kinds:
        L.append('## Single-client latency by query kind (ms, p50 / p99)')
        L.append('')
        L.append('Each query sent once, in order, on one connection (python http.client for '
                 'ours and Groonga; in-process python sqlite3 for SQLite). '
                 '"zero" = answers with no hit, "bad" = non-200 answers.')
        L.append('')
        L.append('| kind | n | ours | groonga | sqlite-fts5 (in-process) | ratio p50 ours/best-peer |')
        L.append('|---|---:|---:|---:|---:|---:|')
        order = ['all', 'zh-1char', 'zh-2char', 'zh-4char', 'zh-phrase', 'en-word',
                 'en-2word', 'docno', 'filter-category', 'filter-year']
        for k in order + sorted(set(kinds) - set(order)):
            if k not in kinds:
                continue
            cells = []
            n = max(v[4] for v in kinds[k].values())
            for s in SYSTEMS:
                v = kinds[k].get(s)
                if v is None:
                    cells.append('n/a')
                    continue
                c = '%.2f / %.2f' % (v[0], v[1])
                extra = []
                if v[3] > 0:
                    extra.append('zero %d' % v[3])
                if v[2] > 0:
                    extra.append('bad %d' % v[2])
                if extra:
                    c += ' (' + ', '.join(extra) + ')'
                cells.append(c)
            ratio = 'n/a'
            o = kinds[k].get('ours')
            peers = [(kinds[k][s][0], s) for s in ('groonga', 'sqlite') if s in kinds[k]]
            if o and peers and min(peers)[0] > 0:
                ratio = '%.2f (%s)' % (o[0] / min(peers)[0], min(peers)[1])
            L.append('| %s | %d | %s |' % (k, n, ' | '.join(cells + [ratio])))
        L.append('')

    L.append('## Notes')
    L.append('')
    for n in NOTES:
        L.append('- ' + n)
    extra = os.path.join(w, 'notes.txt')
    if os.path.exists(extra):
        for line in open(extra, encoding='utf-8'):
            if line.strip():
                L.append('- ' + line.strip())
    L.append('')
    L.append('## What failed or was skipped')
    L.append('')
    if fails:
        for f in fails:
            L.append('- ' + f)
    else:
        L.append('- nothing')
    L.append('')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('\n'.join(L))


NOTES = [
    'Ours indexes the raw corpus files through its own extraction; both peers get the '
    'same crude extraction made by bench/prep.py (markup tags stripped with a regular '
    'expression, entities decoded) plus title/category/unit/year/docno from the manifest. '
    'The peers therefore do no parsing work at index time: their index times exclude '
    'the extraction (bench/prep.py\'s time, extraction plus query generation, is in a note below).',
    'Our full index is of a hardlinked copy of the corpus (same files, same ids), so that '
    'the nightly runs can change 1% of it: 135 files chosen with random.seed(42) get a '
    'line appended (a comment for XML/HTML/SQL, a blank line for JSON/CSV), written to a '
    'new file and renamed over the old one. Our nightly figure includes finding the '
    'changed files by walking the tree; the peers\' figures are only the re-load of the '
    '135 given records (Groonga `load` = upsert, SQLite delete + insert), without any '
    'change detection.',
    'Groonga 13: a TABLE_HASH_KEY ShortText table, a TokenBigram + NormalizerAuto '
    '(NFKC) lexicon with position indexes on title, text and docno, built statically '
    'after the load; served by `groonga -s --protocol http` (2 worker threads, the '
    'default) with its query cache disabled (--cache-limit 0). Queries: '
    'match_columns=title*5||text||docno, every term in double quotes, filter for '
    'category/year, drilldowns on category, unit and year (10 values each), '
    'output _key,title,_score,snippet_html(text), top 10 by score.',
    'Result caches: the query set is only 400 queries long and wrk cycles through it, '
    'so every figure above the "caches ON" rows is taken with the caches OFF '
    '(searchd --cache-mb 0, groonga --cache-limit 0), and the per-kind pass sends each '
    'query once to a server whose cache is off. The "caches ON" rows (after a 5 s '
    'warm-up) show the repeated-query case only.',
    'SQLite FTS5 with the trigram tokenizer (columns title, text, docno; bm25 weights '
    '5/1/1) plus a metadata table. SQLite has no HTTP server: its query figures are '
    'in-process, one client, and are NOT comparable with the HTTP figures of ours and '
    'Groonga (they lack the HTTP and JSON work). Each query computes the top 10 with '
    'snippet() and the category/unit/year counts over all matches. The trigram '
    'tokenizer cannot match terms shorter than 3 characters: 1- and 2-character '
    'queries (and the filtered queries, whose terms are 2-character words) fall back '
    'to LIKE \'%term%\', a scan of every row without ranking. Its row in the wrk table '
    'is the in-process single-client q/s and percentiles.',
    'The query set (bench/prep.py, random.seed(42)): 60 single Chinese characters, 80 '
    'frequent 2-character words, 60 frequent 4-character strings, 40 quoted phrases of '
    '8-12 characters cut from random documents, 60 English words, 40 English two-word '
    'queries (adjacent words of a document), 30 document numbers from the manifest, 20 '
    'queries filtered by category and 10 by year. wrk cycles through it (each thread '
    'from a different offset) for the given duration per connection count, '
    '-t1 for 1 connection and -t2 otherwise, after a 5 s warm-up.',
    '/api/similar: 50 drafts of 300-800 characters cut from random documents; the '
    'zh-Hans drafts among every second one were converted to Traditional with '
    '`opencc -c s2t` (cross-script). Neither peer has a duplicate-detection endpoint.',
    'Scale runs: N hardlinked copies of the corpus in folders copy0..copyN-1 (new ids '
    'because the paths differ); Groonga loads the same records N times with prefixed '
    'keys; SQLite is not run at scale (n/a). x20 runs only when the x5 timings say it '
    'fits in the 45-minute budget (BENCH_SCALE=1 forces it, BENCH_SCALE=0 skips it).',
]

if __name__ == '__main__':
    main()
