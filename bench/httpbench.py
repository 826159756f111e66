#!/usr/bin/env python3
"""bench/httpbench.py: single-client HTTP measurements with the standard library.

  httpbench.py kinds PORT URLS QUERIES SYSTEM
      sends every query of URLS once, in order, on one keep-alive connection;
      prints per query kind "kinds: SYSTEM KIND n=.. p50_ms=.. p99_ms=.. non200=..
      zero_hits=.." and the same for "all". SYSTEM (ours|groonga) says how to
      read the hit count from the answer.
  httpbench.py similar PORT DRAFTDIR
      POSTs every DRAFTDIR/NN.txt to /api/similar (text/plain); prints
      "similar: n=.. p50_ms=.. p99_ms=.. non200=.. top1=.. top1_trad=.. of=..",
      where top1 counts the drafts whose best hit is the document they were
      cut from (DRAFTDIR/sources.tsv), top1_tied those whose source is among
      the hits as similar as the best one (boilerplate published several
      times ties), top1_trad those converted to Traditional.
  httpbench.py soaklist URLS DRAFTDIR MANIFEST OUT
      writes OUT, the request list of the memory soak (bench/soak.lua): the
      searches of URLS on pages 1-3 and sorted by date, documents, document
      number lookups, the drafts POSTed to /api/similar, and bad requests.
"""
import collections
import http.client
import json
import os
import sys
import time


def pct(v, p):
    if not v:
        return float('nan')
    s = sorted(v)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def request(conn_box, port, method, path, body=None, headers=None):
    for attempt in (0, 1):
        try:
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
            conn_box[0].request(method, path, body=body, headers=headers or {})
            r = conn_box[0].getresponse()
            return r.status, r.read()
        except (OSError, http.client.HTTPException):
            if conn_box[0] is not None:
                conn_box[0].close()
            conn_box[0] = None
            if attempt:
                return 0, b''
    return 0, b''


def hit_count(system, data):
    try:
        d = json.loads(data)
        if system == 'groonga':
            return int(d[1][0][0][0])
        return int(d.get('total', 0))
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return -1


def kinds(port, urls, queries, system):
    paths = [l.rstrip('\n') for l in open(urls, encoding='utf-8') if l.strip()]
    qs = [json.loads(l) for l in open(queries, encoding='utf-8')]
    lat = collections.defaultdict(list)
    bad = collections.Counter()
    zero = collections.Counter()
    box = [None]
    for path, q in zip(paths, qs):
        t0 = time.perf_counter()
        st, data = request(box, port, 'GET', path)
        dt = (time.perf_counter() - t0) * 1000.0
        for k in ('all', q['kind']):
            lat[k].append(dt)
            if st != 200:
                bad[k] += 1
            elif hit_count(system, data) == 0:
                zero[k] += 1
    for k in sorted(lat, key=lambda x: (x != 'all', x)):
        v = lat[k]
        print('kinds: %s %s n=%d p50_ms=%.3f p99_ms=%.3f non200=%d zero_hits=%d'
              % (system, k, len(v), pct(v, 50), pct(v, 99), bad[k], zero[k]))


def similar(port, ddir):
    src = {}
    for l in open(os.path.join(ddir, 'sources.tsv'), encoding='utf-8'):
        name, key = l.rstrip('\n').split('\t')
        src[name] = key
    trad = set(l.strip() for l in open(os.path.join(ddir, 'to-traditional.txt')))
    lat = []
    bad = top1 = top1_trad = tied = 0
    statuses = collections.Counter()
    box = [None]
    for name in sorted(src):
        body = open(os.path.join(ddir, name), 'rb').read()
        t0 = time.perf_counter()
        st, data = request(box, port, 'POST', '/api/similar', body,
                           {'Content-Type': 'text/plain; charset=utf-8'})
        lat.append((time.perf_counter() - t0) * 1000.0)
        statuses[st] += 1
        if st != 200:
            bad += 1
            if bad == 1:
                sys.stderr.write('similar: %s answered %d: %s\n' % (name, st, data[:200]))
            continue
        try:
            hits = json.loads(data).get('hits') or []
            best = hits[0].get('id') if hits else None
            # the source among the hits as similar as the best (the same
            # boilerplate published several times: a tie nothing can break)
            if any(h.get('id') == src[name] and
                   h.get('similarity', 0) >= hits[0].get('similarity', 0) - 1e-6
                   for h in hits):
                tied += 1
        except (ValueError, AttributeError):
            best = None
        if best == src[name]:
            top1 += 1
            if name in trad:
                top1_trad += 1
    print('similar: n=%d p50_ms=%.3f p99_ms=%.3f non200=%d top1=%d top1_tied=%d top1_trad=%d'
          ' of_trad=%d statuses=%s' % (len(lat), pct(lat, 50), pct(lat, 99), bad, top1, tied,
                                       top1_trad, len(trad),
                                       ','.join('%s:%d' % kv for kv in sorted(statuses.items()))))


# Suffixes a person leaves off a law's name (国家赔偿法 -> 国家赔偿).
TITLE_CUTS = ('实施细则', '管理办法', '管理条例', '办法', '条例', '规定', '法',
              '細則', '辦法', '條例', '規定')


def _title_docs(manifest, keep, n, seed):
    """n documents of the manifest whose (lang, title) keep() accepts,
    in a fixed random order."""
    import random
    docs = []
    for l in open(manifest, encoding='utf-8'):
        d = json.loads(l)
        if keep(d.get('lang'), d.get('title') or ''):
            docs.append(d)
    random.Random(seed).shuffle(docs)
    return docs[:n]


def _title_run(port, box, docs, query_of, kind):
    """Each document's title typed as query_of(title) (None: skipped);
    prints the share with the document (or one titled the same) first."""
    import urllib.parse
    k = top1 = 0
    rr = 0.0
    for d in docs:
        q = query_of(d['title'])
        if not q:
            continue
        st, data = request(box, port, 'GET', '/api/search?' +
                           urllib.parse.urlencode({'q': q, 'size': 10}))
        k += 1
        if st != 200:
            continue
        for i, h in enumerate(json.loads(data).get('hits') or []):
            if h.get('id') == d['path'] or h.get('title') == d['title']:
                top1 += i == 0
                rr += 1.0 / (i + 1)
                break
    print('titles: kind=%s n=%d p1=%.3f mrr10=%.3f' % (
        kind, k, top1 / max(k, 1), rr / max(k, 1)))


def titles(port, manifest, n=150, seed=7):
    """Navigational queries: short titles from the manifest typed as
    queries. Chinese: all-Han titles without a leading 中华人民共和国, whole
    and with the kind of act left off; English: titles of 2-8 plain words,
    lower-cased, whole and without their last word."""
    import re
    han = re.compile('^[\u4e00-\u9fff]+$')
    plain = re.compile("^[A-Za-z][A-Za-z0-9 ,\\-.'&()]+$")
    box = [None]

    def zh(t, cut):
        q = re.sub('^中华人民共和国', '', t)
        if not cut:
            return q
        return next((q[:-len(s)] for s in TITLE_CUTS
                     if q.endswith(s) and len(q) - len(s) >= 3), None)

    def en(t, cut):
        words = re.sub('[^A-Za-z0-9 ]', ' ', t).lower().split()
        if cut:
            words = words[:-1] if len(words) >= 3 else []
        return ' '.join(words)

    docs = _title_docs(manifest, lambda lang, t: lang in ('zh-Hans', 'zh-Hant') and
                       bool(han.match(t)) and 4 <= len(t) <= 14, n, seed)
    _title_run(port, box, docs, lambda t: zh(t, False), 'whole')
    _title_run(port, box, docs, lambda t: zh(t, True), 'cut')
    docs = _title_docs(manifest, lambda lang, t: lang == 'en' and bool(plain.match(t)) and
                       2 <= len(t.split()) <= 8, n, seed)
    _title_run(port, box, docs, lambda t: en(t, False), 'en-whole')
    _title_run(port, box, docs, lambda t: en(t, True), 'en-cut')


def soaklist(urls, ddir, manifest, out):
    """The soak's requests, one a line: GET<TAB>path or POST<TAB>path<TAB>file."""
    import random
    import urllib.parse
    rnd = random.Random(11)
    reqs = []
    for u in (l.strip() for l in open(urls, encoding='utf-8')):
        if not u:
            continue
        reqs.append(('GET', u))
        reqs.append(('GET', u + '&page=2'))
        reqs.append(('GET', u + '&page=3&sort=date'))
    docs = [json.loads(l) for l in open(manifest, encoding='utf-8')]
    for d in rnd.sample(docs, 300):
        reqs.append(('GET', '/api/doc/' + urllib.parse.quote(d['path'])))
    nos = [d['docno'] for d in docs if d.get('docno')]
    for n in rnd.sample(nos, min(200, len(nos))):
        reqs.append(('GET', '/api/lookup?docno=' + urllib.parse.quote(n)))
    for name in sorted(os.listdir(ddir)):
        if name[:2].isdigit() and name.endswith('.txt'):
            for _ in range(4):
                reqs.append(('POST', '/api/similar', os.path.abspath(os.path.join(ddir, name))))
    bad = ['/api/search?q=x&size=1000', '/api/search?q=x&year=abcd',
           '/api/search?q=x&page=0', '/api/doc/no/such/doc', '/api/lookup',
           '/api/search?q=x&sort=bogus', '/api/search?q=x&from=2020-13-45',
           '/api/search?q=x&lang=fr', '/api/search?q=' + 'x' * 5000]
    reqs += [('GET', b) for b in bad * 5]
    rnd.shuffle(reqs)
    with open(out, 'w', encoding='utf-8') as f:
        for r in reqs:
            f.write('\t'.join(r) + '\n')
    print('soaklist: %d requests (%d bad on purpose)' % (len(reqs), len(bad) * 5))


def main():
    if sys.argv[1] == 'titles':
        titles(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == 'kinds':
        kinds(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == 'similar':
        similar(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1] == 'soaklist':
        soaklist(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        sys.exit('httpbench: unknown mode ' + sys.argv[1])


if __name__ == '__main__':
    main()
