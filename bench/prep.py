#!/usr/bin/env python3
"""bench/prep.py: prepare the benchmark inputs from the shared corpus.

Writes into OUTDIR:
  docs.jsonl     one object per corpus file: key (= path = our id), title, text
                 (the raw file crudely stripped of markup: the same text for both
                 peers), category, unit, year, lang, docno (from the manifest)
  queries.jsonl  the fixed mixed query set (random.seed(42)), one object per query:
                 kind, terms (list of strings), phrase (bool), category, year
  urls-ours.txt  the query set as /api/search paths for our searchd
  urls-groonga.txt  the same as /d/select paths for Groonga
  drafts/NN.txt  50 drafts for /api/similar (300-800 chars cut from random
                 documents; the zh-Hans ones among every second are converted to
                 Traditional by run.sh with opencc, listed in
                 drafts/to-traditional.txt; drafts/sources.tsv: NN.txt -> id)

Usage: prep.py CORPUS MANIFEST OUTDIR
Standard library only.
"""
import collections
import html
import json
import os
import random
import re
import sys
import urllib.parse

CJK_RUN = re.compile(r'[\u4e00-\u9fff]+')
WORD = re.compile(r'[A-Za-z]+')
STOP = set("""a an and are as at be been but by for from had has have he her his
if in into is it its not of on or our shall such that the their then there these
they this to was were which will with would any all may other than upon each
under said such section order city york mayor executive thereof hereby herein
shall also only more most been being""".split())


def strip_markup(raw):
    """Crude markup removal: the same for every peer."""
    if raw.startswith('---\n'):
        end = raw.find('\n---\n', 4)
        if end > 0:
            raw = raw[end + 5:]  # YAML front matter: metadata, not text
    t = raw.replace('<![CDATA[', ' ').replace(']]>', ' ')
    t = re.sub(r'(?is)<(script|style)\b.*?</\1\s*>', ' ', t)
    t = re.sub(r'(?s)<!--.*?-->', ' ', t)
    t = re.sub(r'<[^>]{0,2000}>', ' ', t)
    t = html.unescape(t)
    t = re.sub(r'[#*_`|]{2,}', ' ', t)
    t = re.sub(r'\s+', ' ', t)
    return t.strip()


def load_docs(corpus, manifest):
    docs = []
    with open(manifest, encoding='utf-8') as f:
        for line in f:
            m = json.loads(line)
            p = os.path.join(corpus, m['path'])
            try:
                with open(p, encoding='utf-8', errors='replace') as g:
                    raw = g.read()
            except OSError:
                continue
            title = m.get('title') or m.get('docno') or os.path.basename(m['path'])
            docs.append({
                'key': m['path'], 'title': title, 'text': strip_markup(raw),
                'category': m.get('category') or '', 'unit': m.get('unit') or '',
                'year': m.get('year') or 0, 'lang': m.get('lang') or '',
                'docno': m.get('docno') or '',
            })
    return docs


def top_ngrams(rng, docs, n, sample=1500, top=3000):
    c = collections.Counter()
    for d in rng.sample(docs, min(sample, len(docs))):
        for run in CJK_RUN.findall(d['text']):
            for i in range(len(run) - n + 1):
                c[run[i:i + n]] += 1
    return [g for g, _ in c.most_common(top)]


def make_queries(docs):
    rng = random.Random(42)
    zh = [d for d in docs if d['lang'].startswith('zh')]
    en = [d for d in docs if d['lang'] == 'en']
    q = []

    def add(kind, terms, phrase=False, category='', year=0):
        q.append({'kind': kind, 'terms': terms, 'phrase': phrase,
                  'category': category, 'year': year})

    # single Chinese characters: frequent characters of random documents
    chars = collections.Counter()
    for d in rng.sample(zh, 800):
        for run in CJK_RUN.findall(d['text']):
            chars.update(run)
    pool = [c for c, _ in chars.most_common(1500)][20:]
    for c in rng.sample(pool, 60):
        add('zh-1char', [c])
    # 2-char words and 4-char phrases: frequent n-grams (no segmenter here)
    # keep the bigrams that also occur in titles (more likely to be words)
    tb = collections.Counter()
    for d in zh:
        for run in CJK_RUN.findall(d['title']):
            tb.update(run[i:i + 2] for i in range(len(run) - 1))
    bi = [w for w in top_ngrams(rng, zh, 2)[30:] if tb[w] >= 5]
    for w in rng.sample(bi, 80):
        add('zh-2char', [w])
    quad = top_ngrams(rng, zh, 4)[10:]
    for w in rng.sample(quad, 60):
        add('zh-4char', [w])
    # quoted long phrases of 8-12 characters from random documents
    while sum(1 for x in q if x['kind'] == 'zh-phrase') < 40:
        d = rng.choice(zh)
        runs = [r for r in CJK_RUN.findall(d['text']) if len(r) >= 12]
        if not runs:
            continue
        r = rng.choice(runs)
        n = rng.randint(8, 12)
        i = rng.randint(0, len(r) - n)
        add('zh-phrase', [r[i:i + n]], phrase=True)
    # English words and two-word queries
    wc = collections.Counter()
    for d in rng.sample(en, 800):
        wc.update(w.lower() for w in WORD.findall(d['text'])
                  if len(w) >= 4 and w.lower() not in STOP)
    epool = [w for w, _ in wc.most_common(3000)][50:]
    for w in rng.sample(epool, 60):
        add('en-word', [w])
    while sum(1 for x in q if x['kind'] == 'en-2word') < 40:
        d = rng.choice(en)
        ws = WORD.findall(d['text'])
        if len(ws) < 20:
            continue
        i = rng.randint(0, len(ws) - 2)
        a, b = ws[i].lower(), ws[i + 1].lower()
        if len(a) < 4 or len(b) < 4 or a in STOP or b in STOP or a == b:
            continue
        add('en-2word', [a, b])
    # document numbers, stratified over the sources that carry them
    bysrc = collections.defaultdict(list)
    for d in docs:
        if d['docno']:
            bysrc[d['key'].split('/')[0]].append(d)
    want = {'en-nyc-executive-orders': 8, 'zh-tw-ey-gazette': 12,
            'zh-cn-policy-govcn-sql': 6, 'en-federal-register-eregs': 4}
    for src in sorted(want):
        for d in rng.sample(bysrc.get(src, []), min(want[src], len(bysrc.get(src, [])))):
            add('docno', [d['docno']])
    # filtered queries: a word of a document's title + its category or year
    while sum(1 for x in q if x['kind'] == 'filter-category') < 20:
        d = rng.choice(docs)
        t = title_word(rng, d)
        if d['category'] and t:
            add('filter-category', [t], category=d['category'])
    while sum(1 for x in q if x['kind'] == 'filter-year') < 10:
        d = rng.choice(docs)
        t = title_word(rng, d)
        if d['year'] and t:
            add('filter-year', [t], year=d['year'])
    return q


def title_word(rng, d):
    runs = [r for r in CJK_RUN.findall(d['title']) if len(r) >= 2]
    if runs:
        r = rng.choice(runs)
        i = rng.randint(0, len(r) - 2)
        return r[i:i + 2]
    ws = [w.lower() for w in WORD.findall(d['title']) if len(w) >= 4 and w.lower() not in STOP]
    return rng.choice(ws) if ws else ''


def our_url(x):
    if x['phrase']:
        qs = '"%s"' % x['terms'][0]
    else:
        qs = ' '.join(x['terms'])
    p = [('q', qs)]
    if x['category']:
        p.append(('category', x['category']))
    if x['year']:
        p.append(('year', str(x['year'])))
    return '/api/search?' + urllib.parse.urlencode(p)


def gq_quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def groonga_url(x):
    # every term quoted: no Groonga query-syntax surprise ('-', '(', ':', OR)
    query = ' '.join(gq_quote(t) for t in x['terms'])
    p = [('table', 'Docs'), ('match_columns', 'title*5||text||docno'),
         ('query', query)]
    if x['category']:
        p.append(('filter', 'category == ' + gq_quote(x['category'])))
    if x['year']:
        p.append(('filter', 'year == %d' % x['year']))
    p += [('output_columns', '_key,title,_score,snippet_html(text)'),
          ('sort_keys', '-_score'), ('limit', '10'),
          ('drilldowns[category].keys', 'category'),
          ('drilldowns[category].limit', '10'),
          ('drilldowns[category].sort_keys', '-_nsubrecs'),
          ('drilldowns[unit].keys', 'unit'),
          ('drilldowns[unit].limit', '10'),
          ('drilldowns[unit].sort_keys', '-_nsubrecs'),
          ('drilldowns[year].keys', 'year'),
          ('drilldowns[year].limit', '10'),
          ('drilldowns[year].sort_keys', '-_nsubrecs')]
    return '/d/select?' + urllib.parse.urlencode(p)


def make_drafts(docs, outdir):
    rng = random.Random(4242)
    os.makedirs(os.path.join(outdir, 'drafts'), exist_ok=True)
    cands = [d for d in docs if len(d['text']) >= 1200]
    trad = []
    src = []
    n = 0
    while n < 50:
        d = rng.choice(cands)
        L = rng.randint(300, 800)
        i = rng.randint(0, len(d['text']) - L)
        name = '%02d.txt' % n
        with open(os.path.join(outdir, 'drafts', name), 'w', encoding='utf-8') as f:
            f.write(d['text'][i:i + L])
        src.append('%s\t%s\n' % (name, d['key']))
        if d['lang'] == 'zh-Hans' and n % 2 == 0:
            trad.append(name)
        n += 1
    with open(os.path.join(outdir, 'drafts', 'to-traditional.txt'), 'w') as f:
        f.write(''.join(t + '\n' for t in trad))
    with open(os.path.join(outdir, 'drafts', 'sources.tsv'), 'w', encoding='utf-8') as f:
        f.write(''.join(src))


def main():
    corpus, manifest, outdir = sys.argv[1:4]
    os.makedirs(outdir, exist_ok=True)
    docs = load_docs(corpus, manifest)
    with open(os.path.join(outdir, 'docs.jsonl'), 'w', encoding='utf-8') as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + '\n')
    qs = make_queries(docs)
    with open(os.path.join(outdir, 'queries.jsonl'), 'w', encoding='utf-8') as f:
        for x in qs:
            f.write(json.dumps(x, ensure_ascii=False) + '\n')
    with open(os.path.join(outdir, 'urls-ours.txt'), 'w') as f:
        f.write(''.join(our_url(x) + '\n' for x in qs))
    with open(os.path.join(outdir, 'urls-groonga.txt'), 'w') as f:
        f.write(''.join(groonga_url(x) + '\n' for x in qs))
    make_drafts(docs, outdir)
    mb = sum(len(d['text'].encode()) for d in docs) / 1e6
    print('prep: %d docs (%.1f MB stripped text), %d queries, 50 drafts'
          % (len(docs), mb, len(qs)))


if __name__ == '__main__':
    main()
