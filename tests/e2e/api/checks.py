#!/usr/bin/env python3
"""checks.py - end-to-end checks of searchd's HTTP API (API.md) against the
sample corpus, run by tests/e2e/api.sh with a searchd already listening.

usage: checks.py PORT TMPDIR INDEXER CORPUS_DOCS MANIFEST

Expectations come from corpus/MANIFEST.tsv and from the documents' own text
(fetched through /api/doc/{id}, folded here: NFKC, lower case, Traditional ->
Simplified with the opencc command line tool when present), never from
hard-coded scores or result lists. Prints one line per check ("ok - ..." or
"FAIL - ...") and writes "PASSED FAILED" to TMPDIR/py.counts.
"""
import html
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.parse

PORT = int(sys.argv[1])
TMP = sys.argv[2]
INDEXER = sys.argv[3]
DOCS = sys.argv[4]
MANIFEST = sys.argv[5]
HOST = "127.0.0.1"

passed = 0
failed = 0
failures = []


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok - %s" % name)
    else:
        failed += 1
        msg = "FAIL - %s%s" % (name, (": " + str(detail)) if detail else "")
        failures.append(msg)
        print(msg)
    return bool(cond)


def info(msg):
    print("# " + msg)


# ---- HTTP ---------------------------------------------------------------------

json_ctype_bad = []   # JSON answers with a wrong Content-Type
json_seen = [0]
server_errors = []    # any 5xx seen anywhere


def raw(method, path, body=None, headers=None, timeout=15):
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        hd = {k.lower(): v for k, v in r.getheaders()}
        if r.status >= 500:
            server_errors.append("%s %s -> %d" % (method, path[:80], r.status))
        return r.status, hd, data
    finally:
        c.close()


def qs(params):
    return urllib.parse.urlencode(params, doseq=True, quote_via=urllib.parse.quote)


def jreq(method, path, params=None, body=None, headers=None):
    """(status, json or None, headers). Records Content-Type of JSON bodies."""
    if params:
        path = path + "?" + qs(params)
    st, hd, data = raw(method, path, body, headers)
    obj = None
    try:
        obj = json.loads(data.decode("utf-8"))
    except Exception:
        obj = None
    if obj is not None:
        json_seen[0] += 1
        if hd.get("content-type") != "application/json; charset=utf-8":
            json_ctype_bad.append("%s %s: %r" % (method, path[:60], hd.get("content-type")))
    return st, obj, hd


def is_error(obj, code=None):
    """API.md error shape, with a non-empty message (and the code if given)."""
    try:
        e = obj["error"]
        ok = isinstance(e["code"], str) and e["code"] and \
            isinstance(e["message"], str) and len(e["message"].strip()) >= 3
        return ok and (code is None or e["code"] == code)
    except Exception:
        return False


def expect_error(name, st, obj, status, code=None):
    stat_ok = st in status if isinstance(status, (tuple, list)) else st == status
    check(name, stat_ok and is_error(obj, code),
          "status %s body %s" % (st, json.dumps(obj, ensure_ascii=False)[:200]))


def search(params):
    st, obj, _ = jreq("GET", "/api/search", params)
    return st, obj


def ids_of(params):
    """Every matching id (one page of 100: the sample corpus is small)."""
    p = dict(params)
    p.setdefault("size", 100)
    st, obj = search(p)
    if st != 200 or not obj:
        return None
    return [h["id"] for h in obj["hits"]]


def idset(params):
    r = ids_of(params)
    return set(r) if r is not None else None


# ---- folding (the engine's notion of "the same text") ----------------------------

HAVE_OPENCC = shutil.which("opencc") is not None


def opencc(cfg, texts):
    """Convert a list of strings with the opencc CLI (one run)."""
    sep = "\n@@@@SEP@@@@\n"
    p = subprocess.run(["opencc", "-c", cfg], input=sep.join(texts).encode("utf-8"),
                       stdout=subprocess.PIPE, check=True)
    out = p.stdout.decode("utf-8").split(sep)
    if len(out) != len(texts):
        raise RuntimeError("opencc split mismatch")
    return out


def fold_many(texts):
    t = [unicodedata.normalize("NFKC", x).lower() for x in texts]
    if HAVE_OPENCC:
        t = opencc("t2s.json", t)
    return t


def fold(s):
    return fold_many([s])[0]


def nows(s):
    return re.sub(r"\s+", "", s)


def latin_norm(s):
    return " " + re.sub(r"[^0-9a-z]+", " ", s.lower()) + " "


# ---- the corpus -----------------------------------------------------------------

def read_manifest():
    rows = []
    with open(MANIFEST, encoding="utf-8") as f:
        hdr = f.readline().rstrip("\n").split("\t")
        for line in f:
            if not line.strip():
                continue
            v = line.rstrip("\n").split("\t")
            rows.append({k: (None if x == "\\N" else x) for k, x in zip(hdr, v)})
    return rows


MAN = read_manifest()
MAN_BY_ID = {m["path"]: m for m in MAN}


def doc_path(i):
    return "/api/doc/" + urllib.parse.quote(i, safe="/")


DOC = {}     # id -> /api/doc answer
FOLD = {}    # id -> folded text (title + text)
FOLD_T = {}  # id -> folded title
FOLD_U = {}  # id -> folded unit


def load_docs():
    bad = []
    for m in MAN:
        st, obj, _ = jreq("GET", doc_path(m["path"]))
        if st != 200 or not obj:
            bad.append("%s -> %s" % (m["path"], st))
            continue
        DOC[m["path"]] = obj
    check("doc: every MANIFEST id (%d) answers /api/doc/{id} 200" % len(MAN), not bad, bad[:3])
    ids = sorted(DOC)
    n = len(ids)
    folded = fold_many([(DOC[i].get("title") or "") + "\n" + (DOC[i].get("text") or "")
                        for i in ids] + [DOC[i].get("title") or "" for i in ids] +
                       [DOC[i].get("unit") or "" for i in ids])
    for k, i in enumerate(ids):
        FOLD[i] = folded[k]
        FOLD_T[i] = folded[n + k]
        FOLD_U[i] = folded[2 * n + k] if DOC[i].get("unit") else None


def docs_with(pred):
    return {i for i in DOC if pred(i)}


def find_doc(substr):
    for m in MAN:
        if substr in m["path"]:
            return m["path"]
    raise KeyError(substr)


# ---- /api/doc ---------------------------------------------------------------------

FIELDS = ["id", "title", "unit", "category", "date", "year", "docno", "lang", "url", "text"]


def t_doc():
    bad_fields, bad_id, bad_lang, bad_year = [], [], [], []
    for i, d in DOC.items():
        miss = [f for f in FIELDS if f not in d]
        if miss:
            bad_fields.append((i, miss))
        if d.get("id") != i:
            bad_id.append(i)
        if d.get("lang") != MAN_BY_ID[i]["lang"]:
            bad_lang.append((i, d.get("lang")))
        dt, y = d.get("date"), d.get("year")
        if dt is not None and not (re.fullmatch(r"\d{4}-\d{2}-\d{2}", dt) and y == int(dt[:4])):
            bad_year.append((i, dt, y))
    check("doc: every document has all API.md fields + text", not bad_fields, bad_fields[:3])
    check("doc: id field equals the requested id", not bad_id, bad_id[:3])
    check("doc: lang equals MANIFEST lang", not bad_lang, bad_lang[:3])
    check("doc: date is YYYY-MM-DD and year is its year", not bad_year, bad_year[:3])
    check("doc: text non-empty for every document",
          all(isinstance(d.get("text"), str) and len(d["text"]) > 50 for d in DOC.values()))
    # metadata against MANIFEST: informational (the indexer's job, scored by
    # meta_accuracy); listed so a reader sees the state
    n = 0
    for i, d in sorted(DOC.items()):
        for f in ["title", "unit", "category", "date", "docno"]:
            if d.get(f) != MAN_BY_ID[i][f]:
                n += 1
    info("metadata differing from MANIFEST.tsv (indexer, not counted here): %d values" % n)
    # ids with a space and with Chinese, percent-encoded
    sp = find_doc("Public Notice 2021-07")
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote(sp, safe="/"))
    check("doc: id with a space (%20) found", st == 200 and obj and obj.get("id") == sp, st)
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote(sp, safe=""))
    check("doc: id with '/' also percent-encoded (%2F) found",
          st == 200 and obj and obj.get("id") == sp, st)
    zh = find_doc("燃氣安全管理通告")
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote(zh, safe="/"))
    check("doc: id with Chinese (percent-encoded UTF-8) found",
          st == 200 and obj and obj.get("id") == zh and "燃氣" in (obj.get("text") or ""), st)
    st, obj, _ = jreq("GET", "/api/doc/no/such/document.txt")
    expect_error("doc: unknown id -> 404 JSON", st, obj, 404)
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote(sp + "#1", safe="/"))
    expect_error("doc: existing id + '#1' -> 404 JSON (no prefix match)", st, obj, 404)
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote(sp[:-4], safe="/"))
    expect_error("doc: id prefix -> 404 JSON", st, obj, 404)


# ---- /api/search: words, regional vocabulary ------------------------------------------

def t_regional():
    if not HAVE_OPENCC:
        print("SKIP regional vocabulary checks: no opencc command")
        return
    pairs = [("信息公开", "资讯公开", "資訊公開"), ("网络", "网路", "網路"), ("软件", "软体", "軟體")]
    for mainland, tw_folded, tw in pairs:
        hant = docs_with(lambda i: DOC[i]["lang"] == "zh-Hant" and tw_folded in nows(FOLD[i]))
        hans = docs_with(lambda i: DOC[i]["lang"] == "zh-Hans" and mainland in nows(FOLD[i]))
        r1, r2 = idset({"q": mainland}), idset({"q": tw})
        check("regional: sample has zh-Hant docs with %s and zh-Hans docs with %s" % (tw, mainland),
              hant and hans, (len(hant), len(hans)))
        check("regional: q=%s finds every Traditional document with %s" % (mainland, tw),
              r1 is not None and hant <= r1, hant - (r1 or set()))
        check("regional: q=%s finds every Simplified document with %s" % (tw, mainland),
              r2 is not None and hans <= r2, hans - (r2 or set()))
        check("regional: q=%s also finds its own-script documents" % mainland,
              r1 is not None and hans <= r1, hans - (r1 or set()))

        def has_words(i):
            t = nows(FOLD[i])
            if mainland == "信息公开":
                return ("信息" in t or "资讯" in t) and "公开" in t
            return mainland in t or tw_folded in t
        check("regional: every hit of q=%s contains it (either vocabulary)" % mainland,
              r1 is not None and all(has_words(i) for i in r1),
              [i for i in (r1 or []) if not has_words(i)][:3])


def t_phrase():
    # a Chinese phrase present in a known document; a Latin phrase
    for phrase in ["政府信息公开工作", "开工建设", "public records"]:
        f = fold(phrase)
        st, obj = search({"q": '"%s"' % phrase, "size": 100})
        ok = st == 200 and obj is not None
        hits = [h["id"] for h in obj["hits"]] if ok else []
        if re.search(r"[a-z]", f):
            contains = lambda i: latin_norm(f) in latin_norm(FOLD[i])
        else:
            contains = lambda i: nows(f) in nows(FOLD[i])
        exact = docs_with(lambda i: f in FOLD[i])
        check('phrase: "%s" is in some document' % phrase, exact)
        check('phrase: every hit of "%s" contains the phrase (text via /api/doc)' % phrase,
              ok and hits and all(contains(i) for i in hits),
              [i for i in hits if not contains(i)][:3])
        check('phrase: every document containing "%s" is a hit' % phrase,
              ok and exact <= set(hits), exact - set(hits))
    # quoted is narrower than unquoted: 信息公开 split into words finds
    # documents lacking the contiguous run
    st, obj = search({"q": '"燃气通告"', "size": 100})
    q_ids = {h["id"] for h in obj["hits"]} if st == 200 and obj else None
    unq = idset({"q": "燃气通告"})
    pair = {find_doc("公文/2020/燃气安全管理通告"), find_doc("燃氣安全管理通告")}
    check("words: sample docs lack the run 燃气通告 but have 燃气 and 通告",
          all("燃气通告" not in nows(FOLD[i]) and "燃气" in FOLD[i] and "通告" in FOLD[i]
              for i in pair))
    check("words: unquoted 燃气通告 is split into words: finds both 燃气 通告 documents",
          unq is not None and pair <= unq, unq)
    check('words: quoted "燃气通告" finds no document lacking the run',
          q_ids is not None and not (q_ids & pair), q_ids)
    st, obj, _ = jreq("GET", "/api/analyze", {"text": "燃气通告", "mode": "query"})
    d = obj.get("query", "") if obj else ""
    check("words: analyze mode=query shows 燃气通告 as words 燃气, 通告",
          st == 200 and "燃气" in d and "通告" in d, d[:200])


def t_boolean():
    for a, b, c in [("privacy", "data", "city"), ("安全", "信息", "通知")]:
        A, B, C = idset({"q": a}), idset({"q": b}), idset({"q": c})
        if not check("bool: %s, %s, %s each answer with hits" % (a, b, c),
                     A and B and C and len(A) < 100):
            continue
        AB = idset({"q": "%s AND %s" % (a, b)})
        imp = idset({"q": "%s %s" % (a, b)})
        AoB = idset({"q": "%s OR %s" % (a, b)})
        AnB = idset({"q": "%s -%s" % (a, b)})
        ANB = idset({"q": "%s NOT %s" % (a, b)})
        par = idset({"q": "(%s OR %s) %s" % (a, b, c)})
        par2 = idset({"q": "%s AND (%s OR %s)" % (c, a, b)})
        check("bool: %s AND %s == hits(%s) ∩ hits(%s) (and ⊆ %s)" % (a, b, a, b, a),
              AB is not None and AB == A & B and AB <= A, (AB, A & B))
        check("bool: implicit '%s %s' == %s AND %s" % (a, b, a, b), imp == AB)
        check("bool: %s OR %s == union (⊇ %s)" % (a, b, a),
              AoB is not None and AoB == A | B and AoB >= A)
        check("bool: %s -%s == hits(%s) minus hits(%s); disjoint from %s-docs" % (a, b, a, b, b),
              AnB is not None and AnB == A - B and not (AnB & B), (AnB, A - B))
        check("bool: %s NOT %s == %s -%s" % (a, b, a, b), ANB == AnB)
        check("bool: (%s OR %s) %s == (A ∪ B) ∩ C" % (a, b, c),
              par is not None and par == (A | B) & C)
        check("bool: %s AND (%s OR %s) == C ∩ (A ∪ B)" % (c, a, b), par2 == (A | B) & C)
        check("bool: the sets differ (checks are not vacuous)",
              A & B and A - B and (A | B) != A)
    # lower-case 'or' is a word, not an operator
    st, obj = search({"q": "privacy or data"})
    check("bool: lower-case 'or' is not an operator (200)", st == 200, st)


def t_fields():
    # title:
    for w, alts in [("燃气", ["燃气"]), ("privacy", ["privac"]), ("信息公开", ["信息公开", "资讯公开"])]:
        r = idset({"q": "title:" + w})
        has = lambda i: any(a in nows(FOLD_T[i]) for a in alts)
        exp = docs_with(has)
        check("title:%s: every hit's title contains it (or its regional variant)" % w,
              r and all(has(i) for i in r),
              [(i, DOC[i]["title"]) for i in (r or []) if not has(i)][:3])
        check("title:%s: every document whose title has it is a hit" % w,
              r is not None and exp <= r, exp - (r or set()))
        full = idset({"q": w})
        check("title:%s ⊆ hits of %s" % (w, w), r is not None and full is not None and r <= full)
    r = idset({"q": 'title:"安全管理"'})
    check('title:"安全管理" (quoted): titles contain the phrase',
          r and all("安全管理" in nows(FOLD_T[i]) for i in r), r)
    # unit: the commonest unit in the index, quoted when it has spaces
    units = {}
    for i, d in DOC.items():
        if d.get("unit"):
            units.setdefault(d["unit"], set()).add(i)
    units = {u: {i for i in DOC if FOLD_U[i] == fold(u)} for u in units}  # filters fold
    u = max(sorted(units), key=lambda k: len(units[k]))
    r = idset({"q": "unit:" + u})
    check("unit:%s == documents with that unit (%d)" % (u, len(units[u])), r == units[u],
          (r, units[u]))
    r2 = idset({"q": "unit:%s 安全" % u})
    full = idset({"q": "安全"})
    check("unit:%s 安全 == unit docs ∩ 安全 hits" % u,
          r2 is not None and full is not None and r2 == units[u] & full)
    # docno:
    dn_doc = find_doc("公文/2022/关于做好2022年")
    dn = MAN_BY_ID[dn_doc]["docno"]
    st, obj = search({"q": "docno:" + dn})
    check("docno:%s finds the issuing document first" % dn,
          st == 200 and obj["hits"] and obj["hits"][0]["id"] == dn_doc,
          [h["id"] for h in obj["hits"]][:3] if obj else st)
    st, obj = search({"q": "docno:示政辦發[2022]9"})
    check("docno: variant 示政辦發[2022]9 finds it too",
          st == 200 and dn_doc in [h["id"] for h in obj["hits"]])
    st, obj = search({"q": dn})
    check("unquoted docno %s: the issuing document ranks first" % dn,
          st == 200 and obj["hits"] and obj["hits"][0]["id"] == dn_doc,
          [h["id"] for h in obj["hits"]][:3] if obj else st)


def t_lenient():
    for q in ['"信息公开', '信息公开"', "(信息 OR 网络", "信息 OR 网络)", "((privacy)",
              "AND 信息", "信息 AND", "信息 OR", "NOT", "policy 国务院 notice", "OR 信息 AND",
              "title:", "-", "信息 -", "a:b:c", "docno:", "unit:", "\u201c信息公开", "（安全",
              "-privacy", "privacy -privacy", "\u3000\u3000信息"]:
        st, obj = search({"q": q})
        if q in ("NOT", "title:", "-", "docno:", "unit:"):
            check("lenient: q=%r -> 200 or 400 bad_query (never 5xx)" % q,
                  st == 200 or (st == 400 and is_error(obj, "bad_query")), st)
        else:
            check("lenient: q=%r -> 200 with hits array" % q,
                  st == 200 and isinstance(obj.get("hits"), list), (st, obj))
    st, obj = search({"q": '"信息公开'})
    r2 = idset({"q": '"信息公开"'})
    check("lenient: a stray quote runs to the end (same hits as the closed phrase)",
          st == 200 and {h["id"] for h in obj["hits"]} == r2)
    st, obj = search({"q": "policy 国务院 notice"})
    for q in ["AND", "OR", "AND OR", "OR AND NOT", "()", "( )", '""', "&& ||", "( AND )"]:
        st, obj = search({"q": q})
        expect_error("only operators q=%r -> 400 bad_query with a message" % q, st, obj, 400,
                     "bad_query")


# ---- filters, facets, sort, paging ---------------------------------------------------

def t_filters():
    all_ids = idset({})
    check("filter: no q and no filter lists every document (%d)" % len(DOC),
          all_ids == set(DOC), (len(all_ids or ()), len(DOC)))
    st, obj = search({"q": ""})
    check("filter: empty q lists documents (total == %d)" % len(DOC),
          st == 200 and obj["total"] == len(DOC), st)
    cats = {}
    for i, d in DOC.items():
        if d.get("category"):
            cats.setdefault(d["category"], set()).add(i)
    # exact category (every value the index holds)
    bad = []
    for c, s in sorted(cats.items()):
        r = idset({"category": c})
        if r is None or not s <= r:
            bad.append((c, r, s))
    check("filter: category=X finds every document with category X (%d values)" % len(cats),
          cats and not bad, bad[:2])
    # hierarchy: a level of a path category
    for path_cat, level in [("地方＞範例縣政府＞秘書目", "地方＞範例縣政府"),
                            ("地方＞範例縣政府＞秘書目", "地方")]:
        exp = docs_with(lambda i: (DOC[i].get("category") or "").startswith(level + "＞") or
                        DOC[i].get("category") == level)
        r = idset({"category": level})
        check("filter: category=%s (a level of %s) == documents under it (%d)" %
              (level, path_cat, len(exp)), len(exp) >= 2 and r == exp, (r, exp))
    r = idset({"category": "地方＞范例县政府"})
    check("filter: category in Simplified matches the Traditional category (folded)",
          r == docs_with(lambda i: (DOC[i].get("category") or "").startswith("地方＞範例縣政府")),
          r)
    lvl = "综合政务"
    exp = docs_with(lambda i: (DOC[i].get("category") or "") == lvl or
                    (DOC[i].get("category") or "").startswith(lvl + "\\"))
    r = idset({"category": lvl})
    check("filter: category=综合政务 includes 综合政务\\政务公开 (backslash path)",
          len(exp) >= 2 and r == exp, (r, exp))
    r = idset({"category": "no such category"})
    check("filter: unknown category -> no hits", r == set(), r)
    # unit: repeatable, OR within, AND across fields
    units = {}
    for i, d in DOC.items():
        if d.get("unit"):
            units.setdefault(d["unit"], set()).add(i)
    # the filter matches the folded unit (schema: XU:<unit> folded)
    units = {u: {i for i in DOC if FOLD_U[i] == fold(u)} for u in units}
    us = sorted(units, key=lambda k: (-len(units[k]), k))
    u1, u2 = us[0], us[1]
    r1 = idset({"unit": u1})
    r12 = idset({"unit": [u1, u2]})
    check("filter: unit=%s == its documents" % u1, r1 == units[u1], (r1, units[u1]))
    check("filter: unit=A&unit=B == union (OR within a field)", r12 == units[u1] | units[u2],
          (r12, units[u1] | units[u2]))
    safe = idset({"q": "安全"})
    r = idset({"q": "安全", "unit": [u1, u2]})
    check("filter: q=安全 with two units == 安全 hits ∩ (A ∪ B)",
          r is not None and r == safe & (units[u1] | units[u2]))
    c1 = sorted(cats, key=lambda k: -len(cats[k]))[0]
    r = idset({"unit": [u1, u2], "category": c1})
    check("filter: unit and category AND'ed across fields",
          r == (units[u1] | units[u2]) & cats[c1], r)
    # year and year range
    years = {}
    for i, d in DOC.items():
        if d.get("year"):
            years.setdefault(d["year"], set()).add(i)
    bad = [(y, idset({"year": str(y)}), s) for y, s in years.items() if idset({"year": str(y)}) != s]
    check("filter: year=Y == documents of year Y (%d years)" % len(years), not bad, bad[:2])
    r = idset({"year": "2019-2021"})
    exp = set().union(*[s for y, s in years.items() if 2019 <= y <= 2021])
    check("filter: year=2019-2021 == documents of 2019..2021 (inclusive)", r == exp,
          (r ^ exp if r is not None else None))
    # from / to
    r = idset({"from": "2021-06-25", "to": "2023-03-15"})
    exp = docs_with(lambda i: DOC[i].get("date") and "2021-06-25" <= DOC[i]["date"] <= "2023-03-15")
    check("filter: from=2021-06-25&to=2023-03-15 == dates in range, bounds inclusive",
          r == exp and any(DOC[i]["date"] in ("2021-06-25", "2023-03-15") for i in exp),
          (r ^ exp if r is not None else None))
    r = idset({"from": "2023-01-01"})
    exp = docs_with(lambda i: DOC[i].get("date") and DOC[i]["date"] >= "2023-01-01")
    check("filter: from alone", r == exp, (r ^ exp if r is not None else None))
    r = idset({"to": "2019-12-31"})
    exp = docs_with(lambda i: DOC[i].get("date") and DOC[i]["date"] <= "2019-12-31")
    check("filter: to alone", r == exp, (r ^ exp if r is not None else None))
    # lang
    for lang in ["zh-Hans", "zh-Hant", "en"]:
        exp = {m["path"] for m in MAN if m["lang"] == lang}
        r = idset({"lang": lang})
        check("filter: lang=%s == MANIFEST's %d documents" % (lang, len(exp)), r == exp,
              (r ^ exp if r is not None else None))
    r = idset({"q": "安全", "lang": "zh-Hant"})
    check("filter: q=安全&lang=zh-Hant == 安全 hits in zh-Hant",
          r is not None and r == {i for i in safe if DOC[i]["lang"] == "zh-Hant"} and r)
    # bad parameters
    for p, name in [({"year": "20x3"}, "year=20x3"), ({"year": "2023-2020"}, "year=2023-2020"),
                    ({"year": "2020-"}, "year=2020-"), ({"from": "2020-13-01"}, "from=2020-13-01"),
                    ({"from": "20200101"}, "from=20200101"), ({"to": "yesterday"}, "to=yesterday"),
                    ({"lang": "fr"}, "lang=fr"), ({"sort": "title"}, "sort=title"),
                    ({"size": "101"}, "size=101"), ({"size": "0"}, "size=0"),
                    ({"page": "0"}, "page=0"), ({"page": "-1"}, "page=-1"),
                    ({"page": "x"}, "page=x"), ({"size": "ten"}, "size=ten"),
                    ({"from": "2021-01-01", "to": "2020-01-01"}, "from after to")]:
        p = dict(p, q="安全")
        st, obj, _ = jreq("GET", "/api/search", p)
        expect_error("filter: %s -> 400 JSON" % name, st, obj, 400)
    st, obj, _ = jreq("GET", "/api/search", {"q": "安全", "year": "2023-2020"})
    check("filter: year=2023-2020 -> says to put the earlier year first",
          st == 400 and "earlier year first" in obj["error"]["message"], obj)
    st, obj, _ = jreq("GET", "/api/search", {"q": "安全", "from": "2021-01-01", "to": "2020-01-01"})
    check("filter: from after to -> says to swap them",
          st == 400 and "swap" in obj["error"]["message"], obj)
    st, obj = search({"q": "安全", "size": "100"})
    check("paging: size=100 accepted", st == 200 and obj["size"] == 100, st)


def t_facets():
    for q in ["安全", "信息公开", "data", ""]:
        st, obj = search({"q": q, "size": 1})
        if not check("facets: q=%r answers with facets category/unit/year" % q,
                     st == 200 and all(k in obj.get("facets", {}) for k in
                                       ("category", "unit", "year"))):
            continue
        full = ids_of({"q": q})
        total = obj["total"]
        check("facets: q=%r total == number of ids (%d)" % (q, total), total == len(full))
        fc = obj["facets"]
        with_cat = [i for i in full if DOC.get(i, {}).get("category")]
        with_year = [i for i in full if DOC.get(i, {}).get("year")]
        # a category counts its sub-categories too (the filter matches every
        # level below it), so the counts add up to at least the hits
        check("facets: q=%r sum of category counts >= hits with a category (%d), page size 1" %
              (q, len(with_cat)), sum(x["count"] for x in fc["category"]) >= len(with_cat),
              fc["category"])
        check("facets: q=%r sum of year counts == hits with a year" % q,
              sum(x["count"] for x in fc["year"]) == len(with_year))
        check("facets: q=%r year values are integers" % q,
              all(isinstance(x["value"], int) for x in fc["year"]))
        for field in ["category", "unit", "year"]:
            bad = []
            for x in fc[field]:
                p = {"q": q, "size": 1, field: str(x["value"])}
                st2, o2 = search(p)
                t = o2["total"] if st2 == 200 else None
                # hits whose value folds to the facet's, or (category) lies
                # below it: what the filter the facet link applies matches
                fv = fold(str(x["value"]))
                def under(v):
                    if v is None:
                        return False
                    f = fold(str(v))
                    return f == fv or (field == "category" and f.startswith(fv) and
                                       f[len(fv)] in ">\\/")
                exp = sum(1 for i in full if under(DOC.get(i, {}).get(field)))
                if t != x["count"] or exp != x["count"]:
                    bad.append((x["value"], x["count"], t, exp))
            check("facets: q=%r each %s count == filtered total == hits it covers" % (q, field),
                  fc[field] and not bad, bad[:3])
        # year ranges, one or two hits a page: ranked while Xapian may stop
        # early (shim/xs.cc: no skipping under a value range, which crashed
        # Xapian 1.4.22 on some indexes)
        bad = []
        for lo, hi in [(2000, 2010), (2010, 2020), (2015, 2025), (2022, 2022)]:
            exp = sum(1 for i in full if lo <= (DOC.get(i, {}).get("year") or 0) <= hi)
            for size in (1, 2):
                st2, o2 = search({"q": q, "size": size, "year": "%d-%d" % (lo, hi)})
                if st2 == 200 and o2.get("relaxed"): # none holds every word
                    ok_ = exp == 0
                else:
                    ok_ = (st2 == 200 and o2.get("total") == exp and
                           len(o2.get("hits", [])) == min(size, exp))
                if not ok_:
                    bad.append((lo, hi, size, st2, o2.get("total"), exp))
        check("facets: q=%r year ranges, 1-2 hits a page: totals as the documents say" % q,
              not bad, bad[:3])


def t_sort_paging():
    for params in [{"q": "", "lang": "zh-Hans"}, {"q": "安全"}, {"q": "data"}]:
        for sort, desc in [("date", True), ("date_asc", False)]:
            st, obj = search(dict(params, sort=sort, size=100))
            dates = [h["date"] for h in obj["hits"] if h["date"]] if st == 200 else []
            ok = st == 200 and len(dates) >= 3 and dates == sorted(dates, reverse=desc)
            check("sort=%s on %r: dates in order" % (sort, params), ok, dates)
            nulls = [k for k, h in enumerate(obj["hits"]) if not h["date"]] if st == 200 else []
            check("sort=%s on %r: dateless documents come last" % (sort, params),
                  st == 200 and all(k >= len(obj["hits"]) - len(nulls) for k in nulls), nulls)
    st, obj = search({"category": "安全生产"})
    st2, obj2 = search({"category": "安全生产", "sort": "date"})
    check("empty q with a filter lists by date (newest first), as sort=date",
          st == 200 and [h["id"] for h in obj["hits"]] == [h["id"] for h in obj2["hits"]] and
          len(obj["hits"]) >= 2)
    st, obj = search({"lang": "en"})
    d = [h["date"] for h in obj["hits"] if h["date"]]
    check("no q, lang=en: newest first", st == 200 and d == sorted(d, reverse=True) and len(d) > 2)
    # paging
    full = ids_of({"q": "安全"})
    p1, p2, p3 = (ids_of({"q": "安全", "size": 5, "page": n}) for n in (1, 2, 3))
    check("paging: page 2 disjoint from page 1 (size 5)", p1 and p2 and not set(p1) & set(p2),
          (p1, p2))
    check("paging: pages 1..3 == first 15 of the full list", (p1 + p2 + p3) == full[:15],
          (p1 + p2 + p3, full[:15]))
    st, obj = search({"q": "安全", "size": 5, "page": 2})
    check("paging: answer echoes page=2 size=5 and the full total",
          st == 200 and obj["page"] == 2 and obj["size"] == 5 and obj["total"] == len(full))
    st, obj = search({"q": "安全", "size": 10, "page": 50})
    check("paging: a page past the end -> 200, no hits, same total",
          st == 200 and obj["hits"] == [] and obj["total"] == len(full))
    st, obj = search({"q": "安全"})
    check("paging: default size 10", st == 200 and obj["size"] == 10 and len(obj["hits"]) == 10)
    check("search: answer has query/total/took_ms/page/size/hits/facets",
          st == 200 and all(k in obj for k in ("query", "total", "took_ms", "page", "size",
                                               "hits", "facets")) and obj["query"] == "安全")
    hk = ["id", "score", "title", "title_html", "unit", "category", "date", "year", "docno",
          "lang", "url", "snippet_html"]
    check("search: every hit has the API.md hit fields",
          st == 200 and all(all(k in h for k in hk) for h in obj["hits"]))
    sc = [h["score"] for h in obj["hits"]]
    check("search: relevance order = scores non-increasing", sc == sorted(sc, reverse=True))


# ---- highlighting ----------------------------------------------------------------

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def strip_marks(s):
    return html.unescape(re.sub(r"</?mark>", "", s))


def markup_ok(s):
    """No markup but <mark>/</mark>; every & is an entity; marks balanced."""
    rest = re.sub(r"</?mark>", "", s)
    if "<" in rest or ">" in rest:
        return False
    if re.search(r"&(?!(amp|lt|gt|quot|#39|#x27|apos|#\d+);)", rest):
        return False
    return s.count("<mark>") == s.count("</mark>") and "<mark><mark>" not in s


def t_highlight():
    tw = find_doc("法規/FL0010023")  # 範例縣政府資訊公開作業要點 (Traditional)
    st, obj = search({"q": "信息公开", "size": 100})
    hits = {h["id"]: h for h in obj["hits"]} if st == 200 else {}
    h = hits.get(tw)
    if check("mark: Simplified q=信息公开 finds the Traditional %s" % tw, h is not None):
        marks = MARK.findall(h["title_html"])
        check("mark: title_html marks the Traditional characters (資訊公開) in it",
              any("資訊" in m or "公開" in m for m in marks), h["title_html"])
        check("mark: no Simplified characters marked in the Traditional title",
              not any(("信息" in m or "公开" in m) for m in marks), marks)
        check("mark: title_html without marks == the title (its own script)",
              strip_marks(h["title_html"]) == h["title"], (h["title_html"], h["title"]))
        sm = MARK.findall(h["snippet_html"])
        check("mark: snippet_html of the Traditional doc marks Traditional text",
              sm and all(m in DOC[tw]["text"] for m in sm) and
              any(("資訊" in m or "公開" in m) for m in sm), sm)
    bad_t, bad_s, bad_m, bad_f = [], [], [], []
    okf = {fold(x) for x in ["信息公开", "信息", "公开", "资讯", "资讯公开"]}
    for i, h in hits.items():
        if strip_marks(h["title_html"]) != h["title"]:
            bad_t.append(i)
        sn = strip_marks(h["snippet_html"]).strip("…. ")
        parts = [p for p in re.split(r"…", sn) if p.strip()]
        if not all(nows(p) in nows(DOC[i]["text"]) for p in parts):
            bad_s.append((i, sn[:60]))
        if not (markup_ok(h["title_html"]) and markup_ok(h["snippet_html"])):
            bad_m.append(i)
        for m in MARK.findall(h["title_html"]) + MARK.findall(h["snippet_html"]):
            if not re.fullmatch("(%s)+" % "|".join(okf), nows(fold(html.unescape(m)))):
                bad_f.append((i, m))
    check("mark: every title_html is the escaped title plus marks", hits and not bad_t, bad_t[:3])
    check("mark: every snippet_html is escaped text of the document", hits and not bad_s, bad_s[:2])
    check("mark: no markup other than <mark> in title_html/snippet_html", hits and not bad_m,
          bad_m[:3])
    check("mark: every marked string folds to query words (信息/资讯/公开), none cut", hits and not bad_f,
          bad_f[:5])
    check("mark: every hit of 信息公开 has a mark in its snippet",
          hits and all("<mark>" in h["snippet_html"] for h in hits.values()),
          [i for i, h in hits.items() if "<mark>" not in h["snippet_html"]][:3])
    # a document whose text holds '<table>': snippets must escape it
    lt_docs = [i for i in DOC if "<table>" in DOC[i]["text"]]
    if lt_docs:
        i = lt_docs[0]
        url_tok = re.search(r"(\d{6})\.html", DOC[i]["text"])
        q = url_tok.group(1) if url_tok else "table"
        st, obj = search({"q": '"%s" table' % q})
        hh = [h for h in obj["hits"] if h["id"] == i] if st == 200 else []
        check("escape: snippet of a text with '<table>' is escaped (&lt;table&gt;)",
              hh and markup_ok(hh[0]["snippet_html"]) and "&lt;" in hh[0]["snippet_html"],
              hh[0]["snippet_html"][:200] if hh else st)
    # Latin: case kept, stem matched
    st, obj = search({"q": "privacy"})
    ms = [m for h in obj["hits"] for m in MARK.findall(h["snippet_html"] + h["title_html"])]
    check("mark: q=privacy marks Privacy/privacy as written",
          ms and all(m.lower().startswith("privac") for m in ms) and "Privacy" in ms, ms[:8])
    # a query with markup characters is echoed safely
    st, obj = search({"q": "<b>安全</b>"})
    check("escape: q=<b>安全</b> -> 200, marks only <mark>",
          st == 200 and all(markup_ok(h["title_html"]) and markup_ok(h["snippet_html"])
                            for h in obj["hits"]))


def t_rank():
    news = find_doc("重点项目开工建设")
    full = ids_of({"q": "开工"})
    gkgz = [i for i in DOC if "开工" not in FOLD[i].replace("公开工作", "")
            and "公开工作" in FOLD[i]]
    kgjs = [i for i in DOC if "开工建设" in FOLD[i]]
    check("rank 开工: sample has 公开工作-only and 开工建设 documents", gkgz and kgjs)
    pos = {i: k for k, i in enumerate(full or [])}
    check("rank 开工: the 开工建设 news page ranks above every 公开工作 document",
          full and news in pos and all(pos[news] < pos.get(i, 1e9) for i in gkgz),
          [(i[-25:], pos.get(i)) for i in [news] + gkgz])
    worst = max(pos.get(i, 1e9) for i in kgjs) if full else None
    best_g = min(pos.get(i, 1e9) for i in gkgz) if full else None
    check("rank 开工: every 开工建设 document above every 公开工作-only one",
          full and worst < best_g,
          "ranks of 开工建设 docs %s, of 公开工作-only docs %s" %
          (sorted(pos.get(i) for i in kgjs), sorted(pos.get(i) for i in gkgz)))
    tw = [i for i in DOC if DOC[i]["lang"] == "zh-Hant" and "开工" in FOLD[i]]
    check("rank 开工: Traditional 開工 documents are found", tw and set(tw) <= set(full or []))


    # numbers as a person reads them: at most 9 significant digits, not a
    # double's binary noise (66.79436962977681)
    st, hd, data = raw("GET", "/api/search?" + qs({"q": "开工", "size": 20}))
    nums = re.findall(rb'"(?:score|took_ms)":(-?[0-9.eE+-]+)', data)
    long_ = [n for n in nums if len(n.replace(b".", b"").replace(b"-", b"").lstrip(b"0")) > 9]
    check("search: scores and took_ms written with at most 9 significant digits",
          st == 200 and len(nums) >= 3 and not long_, long_[:3])


# ---- lookup -----------------------------------------------------------------------

def t_lookup():
    cases = [(find_doc("公文/2022/关于做好2022年"),
              ["示政办发〔2022〕9号", "示政办发[2022]9号", "示政办发(2022)9号", "示政办发（2022）9号",
               "示政办发【2022】9号", "示政办发〔２０２２〕９号", "示政辦發〔2022〕9號", "示政办发 〔2022〕 9 号",
               "示政办发〔2022〕9", "示政办发[2022]9", "示政办发2022年9号", "示政办发2022 9号",
               "示政办发2022年第9号"]),
             (find_doc("範府勞字第1110056789號"),
              ["範府勞字第1110056789號", "范府劳字第1110056789号", "範府勞字第１１１００５６７８９號",
               "範府勞字第 1110056789 號", "範府勞字第1110056789"])]
    for doc, variants in cases:
        check("lookup: MANIFEST docno of %s is the first variant" % doc[-20:],
              MAN_BY_ID[doc]["docno"] == variants[0])
        for v in variants:
            st, obj, _ = jreq("GET", "/api/lookup", {"docno": v})
            ids = [h["id"] for h in obj.get("hits", [])] if st == 200 and obj else []
            check("lookup: docno=%s returns the document" % v, doc in ids, (st, ids))
    # typed into the search box: round brackets are no group, and the
    # number without brackets is still the number
    doc = cases[0][0]
    for q in ["示政办发(2022)9号", "示政办发（2022）9號", "示政办发2022年9号", "示政办发[2022]9",
              "示政办发 (2022) 9号", "示政办发 （2022） 第9号"]:
        st, obj, _ = jreq("GET", "/api/search", {"q": q})
        ids = [h["id"] for h in obj.get("hits", [])] if st == 200 and obj else []
        check("search: q=%s finds the document first" % q, ids[:1] == [doc], (st, ids[:3]))
    st, obj, _ = jreq("GET", "/api/lookup", {"docno": "示政办发〔2022〕9号"})
    check("lookup: answer echoes docno and has hit objects with id/title/docno/date",
          st == 200 and obj["docno"] == "示政办发〔2022〕9号" and
          all(all(k in h for k in ("id", "title", "docno", "date", "unit", "lang"))
              for h in obj["hits"]))
    # the issuing document only, not the ones citing the number
    cited = [("示政办发〔2022〕9号", "公文/2022/关于做好2022年", "2022年政府信息公开工作年度报告"),
             ("示政办发〔2023〕12号", "公文/2023/关于做好2023年", "gzbg-2024.json"),
             ("示工信发〔2020〕21号", "t20200918_5G", "示政办函〔2021〕8号"),
             ("示应急发〔2021〕5号", "t20210608_", "row-2024-0031.csv")]
    for dn, issuer, citer in cited:
        st, obj, _ = jreq("GET", "/api/lookup", {"docno": dn})
        ids = [h["id"] for h in obj.get("hits", [])] if st == 200 and obj else []
        check("lookup: %s -> issuing document only, not the citing %s" % (dn, citer),
              ids == [find_doc(issuer)], ids)
    # several numbers in one parameter (a docno field holding two): each
    both = [find_doc("公文/2022/关于做好2022年"), find_doc("範府勞字第1110056789號")]
    for dn in ["示政办发〔2022〕9号;範府勞字第1110056789號", "示政办发〔2022〕9号；範府勞字第1110056789號",
               "示政办发〔2099〕77号、範府勞字第1110056789號"]:
        st, obj, _ = jreq("GET", "/api/lookup", {"docno": dn})
        ids = sorted(h["id"] for h in obj.get("hits", [])) if st == 200 and obj else []
        want = sorted(both) if "2099" not in dn else both[1:]
        check("lookup: %s -> each number's document" % dn, ids == want, (st, ids))
    # an organ and year without the serial: the documents numbered so
    # first (not the ones citing such a number), in either script
    for q in ["示政办发〔2022〕", "示政辦發[2022]", "docno:示政办发〔2022〕", "docno:示政办发（2022）",
              "示政办发(2022)"]:
        st, obj, _ = jreq("GET", "/api/search", {"q": q})
        hits = obj.get("hits", []) if st == 200 and obj else []
        check("search: q=%s finds 示政办发〔2022〕9号's document first" % q,
              hits[:1] and hits[0]["id"] == doc and hits[0]["docno"] == "示政办发〔2022〕9号",
              (st, [h.get("docno") for h in hits[:3]]))
    st, obj, _ = jreq("GET", "/api/lookup", {"docno": ";".join(["示政办发〔2022〕%d号" % k for k in range(1, 10)])})
    expect_error("lookup: more than 8 numbers at once -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/search", {"q": "docno:示政办发〔2099〕"})
    check("search: docno: of an organ and a year with no number -> no hit",
          st == 200 and obj["total"] == 0, (st, obj and obj.get("total")))
    st, obj, _ = jreq("GET", "/api/lookup", {"docno": "示政办发〔2099〕77号"})
    check("lookup: unknown number -> 200 with no hits", st == 200 and obj["hits"] == [], st)
    st, obj, _ = jreq("GET", "/api/lookup")
    expect_error("lookup: missing docno -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/lookup", {"docno": ""})
    expect_error("lookup: empty docno -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/lookup", {"docno": "通知"})
    expect_error("lookup: not a document number (通知) -> 400", st, obj, 400)


# ---- similar ----------------------------------------------------------------------

def similar(text, ctype="text/plain; charset=utf-8"):
    body = text.encode("utf-8") if isinstance(text, str) else text
    st, obj, _ = jreq("POST", "/api/similar", body=body, headers={"Content-Type": ctype})
    return st, obj


def t_similar():
    gas = find_doc("公文/2020/燃气安全管理通告")
    gas_tw = find_doc("繁體/2020/燃氣安全管理通告")
    for i in [find_doc("t20210608_"), find_doc("2019-EO-012"), find_doc("公共数据安全管理暂行办法"),
              find_doc("FL0020007"), gas]:
        st, obj = similar(DOC[i]["text"])
        hits = obj.get("hits", []) if st == 200 and obj else []
        twin = {gas, gas_tw} if i == gas else {i}
        top = hits[0] if hits else {}
        check("similar: text of %s -> it first, similarity >= 0.9" % i[-28:],
              top.get("id") in twin and any(h["id"] == i and h["similarity"] >= 0.9 for h in hits),
              [(h["id"][-20:], h["similarity"]) for h in hits[:3]])
        check("similar: hits of %s best first, similarity in [0,1], with id/title/docno/date/unit"
              % i[-28:],
              hits and all(0 <= h["similarity"] <= 1 and all(k in h for k in
                           ("id", "title", "docno", "date", "unit")) for h in hits) and
              [h["similarity"] for h in hits] == sorted([h["similarity"] for h in hits],
                                                         reverse=True))
    # the Traditional version of a Simplified text
    if HAVE_OPENCC:
        trad = opencc("s2t.json", [DOC[gas]["text"]])[0]
        src = "opencc s2t"
    else:
        trad = DOC[gas_tw]["text"]
        src = "the corpus's Traditional twin"
    st, obj = similar(trad)
    hits = obj.get("hits", []) if st == 200 and obj else []
    check("similar: Traditional version (%s) of the 燃气 通告 -> Simplified one >= 0.9" % src,
          any(h["id"] == gas and h["similarity"] >= 0.9 for h in hits[:2]),
          [(h["id"][-20:], h["similarity"]) for h in hits[:3]])
    st, obj = similar(DOC[gas_tw]["text"])
    hits = obj.get("hits", []) if st == 200 and obj else []
    check("similar: the Traditional twin's text -> the Simplified 通告 >= 0.9",
          any(h["id"] == gas and h["similarity"] >= 0.9 for h in hits[:2]),
          [(h["id"][-20:], h["similarity"]) for h in hits[:3]])
    # a paragraph
    for i in [find_doc("公共数据安全管理暂行办法"), find_doc("EO-21-construction")]:
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", DOC[i]["text"]) if len(p.strip()) > 80]
        para = max(paras, key=len) if paras else DOC[i]["text"][:300]
        st, obj = similar(para)
        hits = obj.get("hits", []) if st == 200 and obj else []
        check("similar: a paragraph (%d chars) of %s -> it first, >= 0.8" % (len(para), i[-24:]),
              hits and hits[0]["id"] == i and hits[0]["similarity"] >= 0.8,
              [(h["id"][-20:], h["similarity"]) for h in hits[:3]])
        # what the draft and the document share, shown: the paragraph, marked
        ph = hits[0].get("passage_html", "") if hits else ""
        mk = re.findall(r"<mark>(.*?)</mark>", ph, re.S)
        shown = nows(strip_marks(ph).replace("…", ""))
        check("similar: passage_html of %s marks text of the paragraph, within the document's"
              % i[-24:],
              markup_ok(ph) and len(mk) == 1 and len(nows(html.unescape(mk[0]))) >= 40 and
              nows(html.unescape(mk[0])) in nows(para) and shown in nows(DOC[i]["text"]),
              ph[:200])
    # JSON body
    i = find_doc("t20210608_")
    body = json.dumps({"text": DOC[i]["text"], "title": DOC[i]["title"]})
    st, obj = similar(body, "application/json")
    hits = obj.get("hits", []) if st == 200 and obj else []
    check("similar: JSON {text,title} body -> the document first >= 0.9",
          hits and hits[0]["id"] == i and hits[0]["similarity"] >= 0.9, st)
    # a draft in a legacy charset (a GBK editor, a Big5 one, Windows'
    # UTF-16 with its BOM), declared or not: found as the UTF-8 one
    i = find_doc("公共数据安全管理暂行办法")
    text = DOC[i]["text"]
    for cs, ctype in [("gb18030", "text/plain; charset=gbk"), ("gb18030", "text/plain"),
                      ("utf-16", "text/plain")]:
        try:
            body = text.encode(cs)
        except UnicodeEncodeError:
            body = text.encode(cs, "replace")
        st, obj = similar(body, ctype)
        hits = obj.get("hits", []) if st == 200 and obj else []
        check("similar: the draft in %s (%s) -> the document first >= 0.9" % (cs, ctype),
              hits and hits[0]["id"] == i and hits[0]["similarity"] >= 0.9,
              (st, [(h["id"][-20:], h["similarity"]) for h in hits[:3]]))
    st, obj = similar(DOC[gas_tw]["text"].encode("big5hkscs", "replace"),
                      "text/plain; charset=big5")
    hits = obj.get("hits", []) if st == 200 and obj else []
    check("similar: the Traditional 燃氣 通告 in Big5 -> it (or its twin) first >= 0.9",
          hits and hits[0]["id"] in (gas, gas_tw) and hits[0]["similarity"] >= 0.9,
          (st, [(h["id"][-20:], h["similarity"]) for h in hits[:3]]))
    st, obj = similar(bytes(range(256)) * 8)
    expect_error("similar: a binary body -> 400", st, obj, 400)
    if st == 400 and obj:
        check("similar: a binary body's error says to send UTF-8 text",
              "UTF-8" in obj["error"]["message"], obj)
    st, obj = similar(text.encode("gb18030"), "application/json")
    expect_error("similar: a JSON body not in UTF-8 -> 400", st, obj, 400)
    st, obj = similar(json.dumps({"title": "x"}), "application/json")
    expect_error("similar: JSON without text -> 400", st, obj, 400)
    st, obj = similar("{not json", "application/json")
    expect_error("similar: malformed JSON -> 400", st, obj, 400)
    st, obj = similar(b"")
    expect_error("similar: empty body -> 400", st, obj, 400)
    st, obj = similar("短")
    expect_error("similar: too short a draft -> 400", st, obj, 400)
    st, obj = similar("这是一段完全无关的测试文字，讲的是天文望远镜和月球表面的陨石坑观察记录。")
    check("similar: an unrelated text -> 200, no hit >= 0.5",
          st == 200 and all(h["similarity"] < 0.5 for h in obj["hits"]), obj)
    big = ("安全" * 200000).encode("utf-8")  # 1.2 MB
    st, obj = similar(big)
    expect_error("similar: body > 1 MB -> 413", st, obj, 413)
    st, obj, _ = jreq("GET", "/api/similar")
    expect_error("similar: GET -> 405", st, obj, 405)


# ---- analyze -------------------------------------------------------------------------

def t_analyze():
    text = "关于做好2023年政府信息公开工作 Open DATA Ｐｒｉｖａｃｙ 資訊公開 示政办发〔2023〕12号"
    st, obj, _ = jreq("GET", "/api/analyze", {"text": text})
    toks = obj.get("tokens", []) if st == 200 and obj else []
    check("analyze: 200 with tokens", st == 200 and len(toks) > 10, st)
    check("analyze: every token has term/start/end/kind/position",
          toks and all(all(k in t for k in ("term", "start", "end", "kind", "position"))
                       for t in toks))
    b = text.encode("utf-8")
    kinds = {t["kind"] for t in toks}
    check("analyze: kinds include word, ngram, latin, number, docno", {"word", "ngram", "latin",
          "number", "docno"} <= kinds, kinds)
    bad = []
    for t in toks:
        if not (0 <= t["start"] < t["end"] <= len(b)):
            bad.append(t)
            continue
        piece = b[t["start"]:t["end"]]
        try:
            piece = piece.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(t)
            continue
        # white space inside a Han run is not part of the terms (a line
        # broken inside a sentence is one run)
        if t["kind"] in ("ngram", "latin", "word", "number") and \
                re.sub(r"\s+", "", fold(piece)) != t["term"]:
            bad.append((t, piece))
    check("analyze: start/end are byte offsets; text[start:end] folds to the term",
          toks and not bad, bad[:3])
    pos = [t["position"] for t in toks if t["kind"] == "latin"]
    check("analyze: latin tokens have increasing positions",
          len(pos) >= 3 and all(isinstance(p, int) for p in pos) and pos == sorted(pos) and
          len(set(pos)) == len(pos), pos)
    st, obj, _ = jreq("GET", "/api/analyze", {"text": "信息 OR 网络 -软件 \"开工建设\"", "mode": "query"})
    d = obj.get("query", "") if st == 200 and obj else ""
    check("analyze: mode=query returns a query description (OR, AND_NOT, PHRASE)",
          "OR" in d and "AND_NOT" in d and "PHRASE" in d, d[:200])
    st, obj, _ = jreq("GET", "/api/analyze", {"text": "AND OR", "mode": "query"})
    expect_error("analyze: mode=query with only operators -> 400 bad_query", st, obj, 400,
                 "bad_query")
    st, obj, _ = jreq("GET", "/api/analyze")
    expect_error("analyze: missing text -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/analyze", {"text": ""})
    check("analyze: empty text -> 200 no tokens, or 400",
          (st == 200 and obj["tokens"] == []) or (st == 400 and is_error(obj)), st)


# ---- other endpoints, headers, methods --------------------------------------------------

def metrics():
    st, hd, data = raw("GET", "/metrics")
    return st, hd, data.decode("utf-8", "replace")


def metric_value(text, name_re):
    tot = 0.0
    found = False
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = re.match(r"(%s)\s+([0-9.eE+-]+)$" % name_re, line)
        if m:
            tot += float(m.group(2))
            found = True
    return tot if found else None


def t_misc():
    st, obj, _ = jreq("GET", "/api/stats")
    check("stats: documents == %d (MANIFEST), revision int > 0, indexed_at, shards" % len(MAN),
          st == 200 and obj["documents"] == len(MAN) and isinstance(obj["revision"], int) and
          obj["revision"] > 0 and isinstance(obj.get("indexed_at"), str) and
          isinstance(obj.get("shards"), list), obj)
    st, hd, data = raw("GET", "/healthz")
    check("healthz: 200 ok", st == 200 and data.strip() == b"ok", (st, data[:40]))
    # metrics
    st, hd, m1 = metrics()
    check("metrics: 200 text/plain Prometheus", st == 200 and
          hd.get("content-type", "").startswith("text/plain"), hd.get("content-type"))
    check("metrics: searchd_requests_total counter with TYPE line",
          "# TYPE searchd_requests_total counter" in m1 and
          re.search(r'^searchd_requests_total\{[^}]*\} \d+$', m1, re.M))
    check("metrics: latency histogram (_bucket with le, +Inf, _sum, _count)",
          "# TYPE searchd_request_duration_seconds histogram" in m1 and
          re.search(r'^searchd_request_duration_seconds_bucket\{[^}]*le="\+Inf"\} \d+$', m1, re.M)
          and "searchd_request_duration_seconds_sum" in m1 and
          "searchd_request_duration_seconds_count" in m1)
    st2, so, _ = jreq("GET", "/api/stats")
    check("metrics: index document count == stats documents",
          metric_value(m1, r"searchd_index_documents") == so["documents"])
    check("metrics: index revision == stats revision",
          metric_value(m1, r"searchd_index_revision") == so["revision"])
    sre = r'searchd_requests_total\{endpoint="search",status="2xx"\}'
    before = metric_value(m1, sre) or 0
    for _ in range(3):
        search({"q": "安全"})
    after = None
    for _ in range(20):
        after = metric_value(metrics()[2], sre)
        if after is not None and after >= before + 3:
            break
        time.sleep(0.05)
    check("metrics: search 2xx counter grows by the searches made", after is not None and
          after >= before + 3, (before, after))
    buckets = [(float(m.group(1)) if m.group(1) != "+Inf" else float("inf"), int(m.group(2)))
               for m in re.finditer(r'^searchd_request_duration_seconds_bucket\{endpoint="search",'
                                    r'le="([^"]+)"\} (\d+)$', metrics()[2], re.M)]
    check("metrics: search histogram buckets cumulative, +Inf == count",
          buckets and [c for _, c in buckets] == sorted(c for _, c in buckets) and
          buckets[-1][0] == float("inf"))
    # pages
    st, hd, page = raw("GET", "/")
    p = page.decode("utf-8", "replace")
    check("page /: 200 HTML with a search form (input name=q)",
          st == 200 and hd.get("content-type", "").startswith("text/html") and
          re.search(r'<form[^>]*>', p) and re.search(r'name="q"', p))
    csp = hd.get("content-security-policy", "")
    check("page /: CSP header (default-src 'self', no unsafe-inline)",
          "default-src 'self'" in csp and "unsafe-inline" not in csp, csp)
    check("page /: nosniff header", hd.get("x-content-type-options") == "nosniff")
    check("page /: no external resource (no http(s):// in src/href)",
          not re.search(r'(src|href)="(https?:)?//', p))
    st, hd, page = raw("GET", "/?" + qs({"q": "信息公开"}))
    p = page.decode("utf-8", "replace")
    t2023 = DOC[find_doc("公文/2023/关于做好2023年")]["title"]
    link = ("/doc/" + urllib.parse.quote(find_doc("公文/2023/关于做好2023年"), safe="/")).lower()
    check("page /?q=信息公开: results with <mark> and a link to a matching document",
          st == 200 and "<mark>" in p and link in p.lower() and
          (html.escape(t2023) in p or "做好2023年政府<mark>" in p), st)
    check("page /?q=...: facets offered (category/unit/year links)",
          st == 200 and ("category=" in p and "year=" in p))
    st, hd, page = raw("GET", "/?" + qs({"q": "信息公开", "page": 2, "size": 5}))
    check("page /: paging works (page 2) -> 200", st == 200)
    st, hd, page = raw("GET", "/?" + qs({"q": "<script>alert(1)</script>"}))
    p = page.decode("utf-8", "replace")
    check("page /: query echoed escaped (no raw <script>alert)",
          st in (200, 400) and "<script>alert" not in p and "&lt;script&gt;" in p, st)
    st, hd, page = raw("GET", "/?" + qs({"q": "AND"}))
    check("page /?q=AND: an error page (400) in HTML, not JSON",
          st == 400 and hd.get("content-type", "").startswith("text/html"), st)
    st, hd, page = raw("GET", "/check")
    p = page.decode("utf-8", "replace")
    check("page /check: GET form (POST, textarea name=text)",
          st == 200 and re.search(r'<form[^>]*method="post"', p, re.I) and 'name="text"' in p)
    check("page /check: CSP and nosniff", "content-security-policy" in hd and
          hd.get("x-content-type-options") == "nosniff")
    gas = find_doc("公文/2020/燃气安全管理通告")
    st, hd, page = raw("POST", "/check", body=qs({"text": DOC[gas]["text"]}).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    p = page.decode("utf-8", "replace")
    link = ("/doc/" + urllib.parse.quote(gas, safe="/")).lower()
    check("page POST /check text=...: lists the matching document (link, similarity)",
          st == 200 and link in p.lower() and "data-similarity=" in p, st)
    check("page POST /check text=...: shows the text in common, marked",
          re.search(r'<p class="passage">.*?<mark>[^<]{20,}</mark>', p, re.S) is not None, st)
    sp = find_doc("Public Notice 2021-07")
    st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(sp, safe="/"))
    p = page.decode("utf-8", "replace")
    check("page /doc/<id with space>: 200 HTML with its title and CSP",
          st == 200 and html.escape(DOC[sp]["title"]) in p and "content-security-policy" in hd, st)
    tw = find_doc("FL0010023")
    st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(tw, safe="/"))
    check("page /doc/<Chinese id>: 200 with its title",
          st == 200 and DOC[tw]["title"] in page.decode("utf-8", "replace"), st)
    # reached from a search: the query's matches marked in the document,
    # in its own script (the Traditional 通告 for a Simplified query)
    gas_tw = find_doc("繁體/2020/燃氣安全管理通告")
    for i, want in ((gas, "燃气"), (gas_tw, "燃氣")):
        st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(i, safe="/") + "?q=" +
                           urllib.parse.quote("燃气 安全"))
        p = page.decode("utf-8", "replace")
        m = re.search(r'<div class="doc-text"[^>]*>(.*?)</div>', p, re.S)
        body = m.group(1) if m else ""
        marked = re.findall(r"<mark[^>]*>(.*?)</mark>", body)
        n = len(re.findall(re.escape(want), DOC[i]["text"]))
        paras = re.findall(r"<p>(.*?)</p>", body, re.S)
        check("page /doc/%s?q=燃气 安全: every %s of the text marked, the first #m1" % (i[-16:], want),
              st == 200 and '<mark id="m1">' in body and sum(x.count(want) for x in marked) >= n > 0 and
              all(fold(x) in ("燃气", "安全", "燃气安全") for x in marked) and
              all(markup_ok(x.replace('<mark id="m1">', "<mark>")) for x in paras),
              (st, n, marked[:6]))
        check("page /doc/%s?q=...: the text without marks is the document's" % i[-16:],
              nows("".join(strip_marks(x.replace('<mark id="m1">', "<mark>")) for x in paras)) ==
              nows(DOC[i]["text"]), i)
    st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(gas, safe="/"))
    check("page /doc/<id> without q: nothing marked", st == 200 and b"<mark" not in page, st)
    # a law and its article: the answer names the article, the result links
    # go to it, and on the document page #m1 is its heading
    law = find_doc("公共数据安全管理暂行办法")
    heads = re.findall(r"(?m)^\s*[*#]*\s*(第[一二三四五六七八九十]+条)", DOC[law]["text"])
    art = heads[2] if len(heads) > 2 else None
    if art:
        q = "公共数据安全管理暂行办法" + art
        st, obj = search({"q": q})
        check("search %s: the answer names the article, the law first" % q,
              st == 200 and obj.get("article") == art and obj["hits"] and
              obj["hits"][0]["id"] == law, (st, obj and obj.get("article")))
        st, hd, page = raw("GET", "/?" + qs({"q": q}))
        p = page.decode("utf-8", "replace")
        hrefs = re.findall(r'<h3 class="hit-title"[^>]*><a href="([^"]+)"', p)
        check("page /?q=%s: the result links go to the article (#m1)" % q,
              hrefs and all(h.endswith("#m1") for h in hrefs), hrefs[:2])
        st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(law, safe="/") + "?" + qs({"q": q}))
        p = page.decode("utf-8", "replace")
        check("page /doc/...?q=%s: #m1 is the article's heading" % q,
              re.search(r'<p>[*#\s]*<mark id="m1">' + art + "</mark>", p) is not None,
              re.findall(r'.{0,20}<mark id="m1">.{0,20}', p)[:1])
    else:
        check("the sample law has three article headings", False, heads)
    st, hd, page = raw("GET", "/doc/no/such.txt")
    check("page /doc/<unknown>: 404 HTML", st == 404 and
          hd.get("content-type", "").startswith("text/html"), st)
    st, hd, page = raw("GET", "/opensearch.xml", headers={"Host": "127.0.0.1:%d" % PORT})
    p = page.decode("utf-8", "replace")
    check("opensearch.xml: OpenSearchDescription with a {searchTerms} template",
          st == 200 and "OpenSearchDescription" in p and "{searchTerms}" in p and
          "xml" in hd.get("content-type", ""))
    st, hd, page = raw("GET", "/opensearch.xml", headers={"Host": 'x"><script>'})
    check("opensearch.xml: hostile Host header not echoed",
          st == 200 and b"<script>" not in page)
    st, hd, page = raw("GET", "/assets/style.css")
    check("assets/style.css: 200 text/css", st == 200 and
          hd.get("content-type", "").startswith("text/css") and len(page) > 100)
    # the page's asset URLs carry their content's tag: cached for good,
    # revalidated (304) when asked without it
    st, hd, page = raw("GET", "/")
    urls = re.findall(r'(?:href|src)="(/assets/[^"?]+\?v=[0-9a-f]{16})"', page.decode("utf-8", "replace"))
    check("page: every asset URL is versioned (style.css, app.js, favicon.svg)",
          {u.split("?")[0] for u in urls} >= {"/assets/style.css", "/assets/app.js",
                                              "/assets/favicon.svg"} and
          not re.search(r'(?:href|src)="/assets/[^"?]+"', page.decode("utf-8", "replace")), urls)
    for u in urls[:3]:
        st, hd, body = raw("GET", u)
        etag = hd.get("etag", "")
        check("%s: 200, cached for good, ETag of its tag" % u,
              st == 200 and "immutable" in hd.get("cache-control", "") and
              etag == '"%s"' % u.split("v=")[1] and len(body) > 50, (st, hd))
        st, hd, body = raw("GET", u.split("?")[0], headers={"If-None-Match": etag})
        check("%s without v=, If-None-Match its ETag: 304, no body" % u.split("?")[0],
              st == 304 and body == b"" and hd.get("etag") == etag, (st, hd))
    st, hd, body = raw("GET", "/assets/style.css?v=0000000000000000")
    check("assets: an old tag is revalidated (no-cache), not cached for good",
          st == 200 and hd.get("cache-control") == "no-cache" and len(body) > 100, hd)
    st, hd, body = raw("GET", "/assets/style.css", headers={"If-None-Match": '"0000000000000000"'})
    check("assets: If-None-Match of another content -> 200 with the file",
          st == 200 and len(body) > 100, st)
    st, obj, _ = jreq("GET", "/assets/nope.css")
    expect_error("assets: unknown asset -> 404 JSON", st, obj, 404)
    st, obj, _ = jreq("GET", "/assets/../api/stats")
    check("assets: ../ does not escape", st in (400, 404), st)
    # unknown paths, methods
    for path in ["/nope", "/api", "/api/", "/api/searchx", "/api/doc", "/metrics/x"]:
        st, obj, _ = jreq("GET", path)
        expect_error("unknown path %s -> 404 JSON" % path, st, obj, 404)
    for method, path in [("POST", "/api/search"), ("PUT", "/api/search"),
                         ("DELETE", "/api/doc/" + urllib.parse.quote(sp)),
                         ("POST", "/api/lookup"), ("POST", "/api/analyze"),
                         ("POST", "/api/stats"), ("PUT", "/api/similar"),
                         ("DELETE", "/check"), ("POST", "/")]:
        st, obj, _ = jreq(method, path, body=b"x" if method in ("POST", "PUT") else None)
        expect_error("wrong method %s %s -> 405 JSON" % (method, path), st, obj, 405)
        st, hd, _ = raw(method, path, body=b"x" if method in ("POST", "PUT") else None)
        want = "POST" if path == "/api/similar" else \
            "GET, HEAD, POST" if path == "/check" else "GET, HEAD"
        check("wrong method %s %s: Allow: %s" % (method, path, want),
              st == 405 and hd.get("allow") == want, hd.get("allow"))
    st, hd, data = raw("HEAD", "/healthz")
    check("HEAD /healthz -> 200, no body", st == 200 and data == b"", (st, data))
    # JSON content type on everything
    st, hd, data = raw("GET", "/api/search?q=x")
    check("content-type: /api/search JSON has application/json; charset=utf-8",
          hd.get("content-type") == "application/json; charset=utf-8")
    st, hd, data = raw("GET", "/nope")
    check("content-type: 404 error JSON has application/json; charset=utf-8",
          hd.get("content-type") == "application/json; charset=utf-8")
    # keep-alive: two requests on one connection, same socket
    c = http.client.HTTPConnection(HOST, PORT, timeout=10)
    try:
        c.request("GET", "/api/search?" + qs({"q": "安全"}))
        r1 = c.getresponse()
        b1 = r1.read()
        s1 = c.sock
        c.request("GET", "/api/stats")
        r2 = c.getresponse()
        b2 = r2.read()
        s2 = c.sock
        c.request("GET", "/nope")
        r3 = c.getresponse()
        r3.read()
        s3 = c.sock
        check("keep-alive: three requests (200, 200, 404) on one connection",
              r1.status == 200 and r2.status == 200 and r3.status == 404 and
              s1 is not None and s1 is s2 is s3 and json.loads(b1) and json.loads(b2))
    except Exception as e:
        check("keep-alive: three requests on one connection", False, e)
    finally:
        c.close()


# ---- robustness -------------------------------------------------------------------------

def t_robust():
    # a legacy link or form of an older portal: the query in GBK or Big5
    for cs, word in (("gbk", "燃气安全"), ("big5", "燃氣安全")):
        want = idset({"q": word})
        enc = urllib.parse.quote(word.encode(cs))
        st, obj, _ = jreq("GET", "/api/search?q=" + enc + "&size=100")
        check("robust: q=%s percent-encoded in %s -> the UTF-8 query's hits" % (word, cs),
              st == 200 and obj and obj.get("query") == word and want and
              {h["id"] for h in obj["hits"]} == want, (st, obj and obj.get("query"), want))
    # the 400 names the parameter, cut to a whole character (it was cut
    # inside one: invalid UTF-8 in the JSON, and a 500)
    key = urllib.parse.quote("国办发〔2013〕26号 法 国办发〔2013〕26号")
    st, obj, _ = jreq("GET", "/api/search?q=x&" + key + "=%19Dz%7C%103%E17%DED")
    expect_error("robust: a long Chinese parameter name, its value not text -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/search?q=%81%FF")
    expect_error("robust: q=%81%FF (no charset reads it) -> 400", st, obj, 400)
    if st == 400 and obj:
        check("robust: that 400 names the parameter and asks for UTF-8",
              "'q'" in obj["error"]["message"] and "UTF-8" in obj["error"]["message"], obj)
    st, hd, data = raw("GET", "/api/search?q=%FF%FE")
    check("robust: q=%FF%FE (invalid UTF-8) -> 200 or 400, JSON", st in (200, 400) and
          json.loads(data), st)
    st, hd, data = raw("GET", "/api/search?q=%E4%BF%A1%E6")
    check("robust: q truncated UTF-8 -> 200 or 400", st in (200, 400), st)
    st, hd, data = raw("GET", "/api/search?category=%FF&q=a")
    check("robust: category=%FF -> 200 or 400", st in (200, 400), st)
    st, hd, data = raw("GET", "/api/doc/%FF%FE")
    check("robust: /api/doc/%FF%FE -> 404 or 400", st in (400, 404), st)
    st, hd, data = raw("GET", "/api/analyze?text=%FF%FEab")
    check("robust: analyze invalid UTF-8 -> 200 or 400", st in (200, 400), st)
    st, hd, data = raw("GET", "/api/lookup?docno=%FF%FE12")
    check("robust: lookup invalid UTF-8 -> 200 or 400", st in (200, 400), st)
    st, obj, _ = jreq("GET", "/api/search", {"q": "安" * 1667})  # 5001 bytes
    expect_error("robust: q of 5000 bytes -> 414 (or 400) JSON", st, obj, (414, 400))
    st, obj, _ = jreq("GET", "/api/search", {"q": "a " * 1020})  # 2040 bytes, 1020 words
    check("robust: q of 1020 words (under the byte limit) -> 200", st == 200 and obj, st)
    st, obj, _ = jreq("GET", "/api/search", {"q": "x", "category": "c" * 6000})
    check("robust: a 6000-byte filter value -> 200 (no hits) or 4xx JSON",
          (st == 200 and obj["hits"] == []) or (400 <= st < 500 and is_error(obj)), st)
    for what, path, hdrs, codes in [
            ("a 100 KB address", "/api/search?q=x&category=" + "c" * 100000, {}, (414, 431, 400)),
            ("a 100 KB header", "/api/stats", {"X-Big": "a" * 100000}, (431, 400, 413))]:
        try:
            st, hd, data = raw("GET", path, headers=hdrs)
        except Exception as e:
            st, hd, data = "exc %s" % e, {}, b""
        check("robust: %s -> %s" % (what, "/".join(map(str, codes))), st in codes, st)
        try:
            obj = json.loads(data.decode("utf-8"))
        except Exception:
            obj = None
        check("robust: %s -> the error is JSON (API.md: every error is JSON)" % what,
              is_error(obj) and hd.get("content-type") == "application/json; charset=utf-8",
              (hd.get("content-type"), data[:80]))
    st, hd, data = raw("GET", "/api/search?q=%00abc")
    check("robust: NUL in q -> 200 or 400", st in (200, 400), st)
    st, hd, data = raw("GET", "/api/search?" + "&".join("unit=u%d" % k for k in range(200)))
    check("robust: 200 repeated unit params -> 200 or 400", st in (200, 400), st)
    st, obj, _ = jreq("GET", "/api/search", {"q": "(" * 300 + "安全" + ")" * 300})
    check("robust: 300 nested parentheses -> 200 or 400", st in (200, 400), st)
    st, obj, _ = jreq("GET", "/api/search", {"q": "NOT " * 300 + "安全"})
    check("robust: 300 NOTs -> 200 or 400", st in (200, 400), st)
    st, obj, _ = jreq("GET", "/api/search", {"q": "安全", "page": "99999999999999999999"})
    expect_error("robust: huge page number -> 400", st, obj, 400)
    st, obj, _ = jreq("GET", "/api/search", {"q": "安全", "page": "1000", "size": "100"})
    check("robust: page too deep (offset > 10000) -> 400", st == 400 and is_error(obj), st)
    # seeded junk queries
    rnd = random.Random(20240611)
    pool = (['"', "“", "”", "「", "」", "(", ")", "（", "）", "-", "AND", "OR", "NOT", "&&", "||",
             "title:", "unit:", "docno:", "标题：", ":", "：", "*", "?", "\\", "%", "+", "#",
             "安全", "信息", "公开", "資訊", "網路", "开工", "〔2022〕", "号", "號", "9", "２０２２",
             "privacy", "DATA", "ＡＢＣ", "é", "ß", "😀", "\u200b", "\u3000", " ", "  ", "\t",
             "\n", "\u0301", "ﾊﾝｶｸ", "ǅ", "\ufffd", "<", ">", "&", "'", "示政办发", "[", "]", "【",
             "】", "a" * 70, "1" * 30, "é" * 20, "字第", "-(", ")-", '-"'])
    bad = []
    for k in range(200):
        q = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 12)))
        p = {"q": q}
        if rnd.random() < 0.3:
            p["sort"] = rnd.choice(["date", "date_asc", "relevance"])
        if rnd.random() < 0.2:
            p["page"] = str(rnd.randint(1, 4))
        try:
            st, obj, _ = jreq("GET", "/api/search", p)
        except Exception as e:
            st, obj = "exc %s" % e, None
        if st not in (200, 400) or obj is None or (st == 400 and not is_error(obj, "bad_query")):
            bad.append((q, st))
    check("robust: 200 seeded junk queries -> 200 or 400 bad_query, JSON", not bad, bad[:5])
    st, hd, data = raw("GET", "/healthz")
    check("robust: searchd still healthy after the junk", st == 200, st)
    # a slow concurrent burst: 20 threads x 20 requests, each its own connection
    errs = []
    lock = threading.Lock()
    qs_list = ["安全", "信息公开", "data", "網路", '"开工建设"', "privacy -data", "title:燃气", ""]

    def worker(n):
        for k in range(20):
            q = qs_list[(n + k) % len(qs_list)]
            try:
                if k % 5 == 4:
                    st, _, _ = raw("GET", "/api/stats")
                else:
                    st, _, d = raw("GET", "/api/search?" + qs({"q": q, "size": 5}))
                    json.loads(d)
                if st != 200:
                    raise RuntimeError("status %s" % st)
            except Exception as e:
                with lock:
                    errs.append("%d/%d %s" % (n, k, e))
            time.sleep(0.005)
    th = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    t0 = time.time()
    for t in th:
        t.start()
    for t in th:
        t.join(60)
    check("robust: concurrent burst 20x20 all answered 200 (%.1fs)" % (time.time() - t0),
          not errs, errs[:3])


# ---- reload ---------------------------------------------------------------------------------

def run_indexer(args):
    p = subprocess.run([INDEXER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def poll(fn, secs=3.0):
    t0 = time.time()
    while True:
        v = fn()
        if v or time.time() - t0 > secs:
            return v, time.time() - t0
        time.sleep(0.1)


def hits_for(q):
    st, obj = search({"q": q, "size": 100})
    return [h["id"] for h in obj["hits"]] if st == 200 else None


def t_reload():
    db = os.path.join(TMP, "ix")
    copy = os.path.join(TMP, "docs")
    shutil.copytree(DOCS, copy)  # copy2: keeps mtimes
    target = find_doc("Public Notice 2021-07")
    tok1, tok2 = "zqxreloadalpha", "zqxreloadbeta"
    _, so, _ = jreq("GET", "/api/stats")
    rev0 = so["revision"]
    with open(os.path.join(copy, target), "a", encoding="utf-8") as f:
        f.write("\nAddendum: the hearing code word is %s.\n" % tok1)
    # a multi-record file: ids path#N, with a space and Chinese in the name
    os.makedirs(os.path.join(copy, "extra"), exist_ok=True)
    jl = os.path.join(copy, "extra", "新 记录.jsonl")
    with open(jl, "w", encoding="utf-8") as f:
        for k in (1, 2):
            f.write(json.dumps({"title": "测试记录%d号 zqxrecord%d" % (k, k),
                                "content": "这是第%d条测试记录的正文，用于检验多记录文件的编号。zqxrecordbody%d" % (k, k),
                                "date": "2024-05-0%d" % k}, ensure_ascii=False) + "\n")
    rc, err = run_indexer(["--db", db, "--incremental", "--quiet", copy])
    check("reload: incremental indexer run on a corpus copy exits 0", rc == 0, err[-300:])
    ids, el = poll(lambda: hits_for(tok1) == [target])
    time.sleep(0.6)  # every worker thread re-checks the index at most every 0.5 s
    check("reload: searchd finds the new word in the changed document (%.1fs, no restart)" % el,
          ids, hits_for(tok1))
    st, obj, _ = jreq("GET", doc_path(target))
    check("reload: /api/doc shows the new text", st == 200 and tok1 in obj["text"])
    _, so, _ = jreq("GET", "/api/stats")
    check("reload: stats revision grew, documents == %d + 2 records" % len(MAN),
          so["revision"] > rev0 and so["documents"] == len(MAN) + 2, so)
    st, obj = search({"q": "zqxrecordbody1 OR zqxrecordbody2"})
    rids = sorted(h["id"] for h in obj["hits"]) if st == 200 else []
    exp = ["extra/新 记录.jsonl#1", "extra/新 记录.jsonl#2"]
    check("reload: a JSON Lines file gives path#N ids", rids == exp, rids)
    for i in exp:
        st, obj, _ = jreq("GET", doc_path(i))  # '#' -> %23, space -> %20, Chinese
        check("doc: id with '#', space and Chinese percent-encoded (%s)" %
              doc_path(i)[len("/api/doc/"):][-28:],
              st == 200 and obj and obj["id"] == i and
              ("zqxrecordbody" + i[-1]) in obj.get("text", ""), st)
        st, hd, page = raw("GET", "/doc/" + urllib.parse.quote(i, safe="/"))
        check("page /doc/<id with #>: 200", st == 200, st)
    st, obj, _ = jreq("GET", "/api/doc/" + urllib.parse.quote("extra/新 记录.jsonl", safe="/"))
    expect_error("doc: the file path of a multi-record file (no #N) -> 404", st, obj, 404)
    # full rebuild (a new generation swapped in)
    with open(os.path.join(copy, target), "a", encoding="utf-8") as f:
        f.write("Second addendum: %s.\n" % tok2)
    os.remove(jl)
    rc, err = run_indexer(["--db", db, "--full", "--quiet", copy])
    check("reload: indexer --full exits 0", rc == 0, err[-300:])
    ok, el = poll(lambda: hits_for(tok2) == [target] and hits_for("zqxrecordbody1") == [])
    time.sleep(0.6)
    check("reload: after --full searchd sees the new generation (%.1fs)" % el, ok,
          (hits_for(tok2), hits_for("zqxrecordbody1")))
    # every worker thread must have switched: ask several times on fresh connections
    seen = [hits_for(tok2) == [target] for _ in range(16)]
    check("reload: all 16 following requests see the new generation", all(seen), seen)
    _, so, _ = jreq("GET", "/api/stats")
    check("reload: stats after --full: documents == %d" % len(MAN), so["documents"] == len(MAN), so)
    st, hd, data = raw("GET", "/healthz")
    check("reload: healthz 200 after the swap", st == 200, st)
    st, obj, _ = jreq("GET", doc_path(find_doc("FL0010023")))
    check("reload: old documents still served after the swap", st == 200)


def main():
    t0 = time.time()
    load_docs()
    if not DOC:
        print("no documents: giving up")
    else:
        for t in [t_doc, t_regional, t_phrase, t_boolean, t_fields, t_lenient, t_filters,
                  t_facets, t_sort_paging, t_highlight, t_rank, t_lookup, t_similar,
                  t_analyze, t_misc, t_robust, t_reload]:
            try:
                t()
            except Exception as e:
                import traceback
                traceback.print_exc()
                check("%s ran to the end" % t.__name__, False, repr(e))
    check("every JSON answer (%d) had Content-Type application/json; charset=utf-8" %
          json_seen[0], not json_ctype_bad, json_ctype_bad[:3])
    check("no 5xx answer anywhere", not server_errors, server_errors[:5])
    print("# checks took %.1fs" % (time.time() - t0))
    if failures:
        print("# failures:")
        for f in failures:
            print("#   " + f)
    with open(os.path.join(TMP, "py.counts"), "w") as f:
        f.write("%d %d\n" % (passed, failed))


if __name__ == "__main__":
    main()
