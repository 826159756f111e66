/* query.c - parse the query language and build the xs_query tree (see
 * query.h). Matching rules, the heart of result quality:
 *  - "quoted": exact after folding. Han characters are matched as a phrase
 *    of the positional character layer, driven by the (positionless)
 *    bigrams of the string; two characters are exactly their bigram, one
 *    character is its term in the character layer; no
 *    vocabulary variants, so a quoted string finds exactly the documents
 *    that contain it.
 *  - an unquoted Han run is cut into dictionary words; every word must
 *    occur as a character string (any order), in either regional
 *    vocabulary; documents with the run as typed, the words as words, and
 *    title matches rank higher (AND_MAYBE).
 *  - an unquoted Latin word matches its English stem; the exact form and
 *    the title rank higher. */
#include "analysis/query.h"
#include "analysis/docno.h"
#include "analysis/fold.h"
#include "analysis/seg.h"
#include "analysis/syn.h"
#include "common/buf.h"
#include <opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PHRASE_CHUNK 32 /* terms per PHRASE; longer phrases are chunked */
#define PHRASE_BOOST_WORDS 8 /* words typed in a row ranked as a phrase */
#define PHRASE_BOOST 3.0      /* ... with the weight of a title match      */

struct qry_block {
    struct qry_block *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

static void *qalloc(struct qry *q, size_t n)
{
    struct qry_block *b = q->mem;
    n = (n + 15) & ~(size_t)15;
    if (!b || b->used + n > b->cap) {
        size_t cap = n > 16384 ? n : 16384;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = q->mem;
        b->used = 0;
        b->cap = cap;
        q->mem = b;
    }
    b->used += n;
    return b->data + b->used - n;
}

char *qry_strdup(struct qry *q, const char *s, size_t n)
{
    char *p = qalloc(q, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

xs_query *qry_node(struct qry *q, xs_qop op, size_t nkids)
{
    xs_query *n = qalloc(q, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->op = op;
    if (nkids) {
        n->kids = qalloc(q, nkids * sizeof *n->kids);
        if (!n->kids)
            return NULL;
        memset(n->kids, 0, nkids * sizeof *n->kids);
    }
    return n;
}

xs_query *qry_term(struct qry *q, const char *term, size_t len, unsigned wqf)
{
    xs_query *n = qry_node(q, XS_Q_TERM, 0);
    if (!n)
        return NULL;
    n->term = qry_strdup(q, term, len);
    n->term_len = len;
    n->wqf = wqf;
    return n->term ? n : NULL;
}

/* Weight of a title the query covers whole (XS_Q_TITLEFIT); a title of
 * twice the query's length gets half. Enough to lift the law a query names
 * (个人所得税 -> 中华人民共和国个人所得税法, 音像制品管理条例) above local
 * regulations and notices that repeat the name in longer titles and more
 * often in their texts: on make bench's 150 Chinese titles typed as
 * queries, 40 put 98.7% (whole) / 93.4% (without 法/条例…) first, 80
 * 98.7 / 96.3%, 120 100 / 98.5%, 160 no better. */
#define TITLE_FIT_WEIGHT 120.0
/* A year typed in a query (2019 政府工作报告) lifts the documents of that
 * year by this much: about a sixth of a whole-title match, enough to order
 * documents that match the words alike. */
#define YEAR_BOOST 20.0

/* TITLEFIT over match (the title terms of a query n positions long): a
 * title it covers whole gains TITLE_FIT_WEIGHT. NULL when match is. */
static xs_query *title_fit(struct qry *q, xs_query *match, size_t n);
static size_t state_name(const uint32_t *c, size_t n);
static size_t positions(const char *s, size_t len, int holes);

/* A growing list of nodes that becomes one node of op. */
struct nlist {
    xs_query **v;
    size_t n, cap;
};

static void nl_add(struct nlist *l, xs_query *x)
{
    if (!x)
        return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        xs_query **np = realloc(l->v, nc * sizeof *np);
        if (!np)
            return;
        l->v = np;
        l->cap = nc;
    }
    l->v[l->n++] = x;
}

static xs_query *nl_make(struct qry *q, struct nlist *l, xs_qop op)
{
    xs_query *n = NULL;
    if (l->n == 1 && op != XS_Q_PHRASE && op != XS_Q_NEAR) {
        n = l->v[0];
    } else if (l->n) {
        n = qry_node(q, op, l->n);
        if (n) {
            memcpy(n->kids, l->v, l->n * sizeof *l->v);
            n->nkids = l->n;
        }
    }
    free(l->v);
    memset(l, 0, sizeof *l);
    return n;
}

/* The operator joining the words of one query word or run: AND, or OR in
 * a relaxed query (counted in q->conj either way when there are several);
 * always AND under a field prefix (pfx: title:, unit: stay constraints). */
static xs_query *nl_must(struct qry *q, struct nlist *l, const char *pfx)
{
    if (*pfx)
        return nl_make(q, l, XS_Q_AND);
    if (l->n > 1)
        q->conj += l->n - 1;
    return nl_make(q, l, q->relaxed ? XS_Q_OR : XS_Q_AND);
}

static xs_query *scale(struct qry *q, xs_query *x, double f)
{
    xs_query *n;
    if (!x)
        return NULL;
    n = qry_node(q, XS_Q_SCALE, 1);
    if (!n)
        return NULL;
    n->kids[0] = x;
    n->nkids = 1;
    n->factor = f;
    return n;
}

static xs_query *binary(struct qry *q, xs_qop op, xs_query *a, xs_query *b)
{
    xs_query *n;
    if (!a)
        return b;
    if (!b)
        return a;
    n = qry_node(q, op, 2);
    if (!n)
        return NULL;
    n->kids[0] = a;
    n->kids[1] = b;
    n->nkids = 2;
    return n;
}

static void add_hl(struct qry *q, const char *s, size_t len, int kind)
{
    size_t i;
    if (!len)
        return;
    for (i = 0; i < q->nhl; i++)
        if (q->hl[i].kind == kind && q->hl[i].len == len &&
            !memcmp(q->hl[i].s, s, len))
            return;
    if (q->nhl == q->hlcap) {
        size_t nc = q->hlcap ? q->hlcap * 2 : 8;
        struct qry_hl *np = realloc(q->hl, nc * sizeof *np);
        if (!np)
            return;
        q->hl = np;
        q->hlcap = nc;
    }
    q->hl[q->nhl].s = qry_strdup(q, s, len);
    q->hl[q->nhl].len = len;
    q->hl[q->nhl].kind = kind;
    if (q->hl[q->nhl].s)
        q->nhl++;
}

/* ---- building blocks over folded code points ------------------------- */

static size_t enc_cps(const uint32_t *c, size_t n, char *out)
{
    size_t l = 0, i;
    for (i = 0; i < n; i++)
        l += utf8_enc(c[i], out + l);
    return l;
}

/* A phrase over terms l (in order, adjacent). Long phrases become an AND
 * of overlapping chunks of PHRASE_CHUNK terms, each chunk sharing its first
 * term with the previous one. Consumes l. hole[k] (may be NULL) says
 * punctuation comes before term k, where the index leaves a position
 * empty: the phrase's window spans it (2.2, covid-19, U.S.,
 * 国办发〔2013〕26号). */
static xs_query *make_phrase_holes(struct qry *q, struct nlist *l,
                                   const unsigned char *hole)
{
    xs_query *all = NULL;
    size_t i = 0, k;
    if (l->n <= 1)
        return nl_make(q, l, XS_Q_AND);
    while (i + 1 < l->n) {
        size_t m = l->n - i < PHRASE_CHUNK ? l->n - i : PHRASE_CHUNK;
        xs_query *ph = qry_node(q, XS_Q_PHRASE, m);
        unsigned holes = 0;
        if (!ph)
            break;
        memcpy(ph->kids, l->v + i, m * sizeof *l->v);
        ph->nkids = m;
        for (k = i + 1; hole && k < i + m; k++)
            holes += hole[k];
        if (holes)
            ph->window = (unsigned)(m + holes);
        all = binary(q, XS_Q_AND, all, ph);
        i += m - 1;
    }
    free(l->v);
    memset(l, 0, sizeof *l);
    return all;
}

static xs_query *make_phrase(struct qry *q, struct nlist *l)
{
    return make_phrase_holes(q, l, NULL);
}

/* Up to 4 bigrams spread over a Han string: the selective lists that
 * drive a phrase (the AND starts from the rarest); precision comes from
 * the phrase itself. */
static void add_bigrams(struct qry *q, struct nlist *l, const char *pfx,
                        const uint32_t *c, size_t n)
{
    char t[64];
    size_t pl = strlen(pfx), k, step, i;
    if (n < 2)
        return;
    memcpy(t, pfx, pl);
    step = (n - 1 + 3) / 4;
    for (i = 0, k = 0; i + 1 < n && k < 4; i += step, k++) {
        size_t m = utf8_enc(c[i], t + pl);
        m += utf8_enc(c[i + 1], t + pl + m);
        nl_add(l, qry_term(q, t, pl + m, 1));
    }
    if ((n - 2) % step) { /* and the last one */
        size_t m = utf8_enc(c[n - 2], t + pl);
        m += utf8_enc(c[n - 1], t + pl + m);
        nl_add(l, qry_term(q, t, pl + m, 1));
    }
}

/* Exact match of a Han string (folded cps): one character -> the character
 * term; two -> the bigram; more -> a phrase of the characters AND'ed with
 * bigrams (which make it fast: only documents holding them are checked). */
static xs_query *han_exact(struct qry *q, const char *pfx, const uint32_t *c,
                           size_t n)
{
    char t[64];
    size_t pl = strlen(pfx), i;
    struct nlist l = {0}, all = {0};
    if (n == 0)
        return NULL;
    memcpy(t, pfx, pl);
    if (n == 1)
        return qry_term(q, t, pl + utf8_enc(c[0], t + pl), 1);
    if (n == 2) {
        size_t k = utf8_enc(c[0], t + pl);
        k += utf8_enc(c[1], t + pl + k);
        return qry_term(q, t, pl + k, 1);
    }
    for (i = 0; i < n; i++)
        nl_add(&l, qry_term(q, t, pl + utf8_enc(c[i], t + pl), 1));
    add_bigrams(q, &all, pfx, c, n);
    nl_add(&all, make_phrase(q, &l));
    return nl_make(q, &all, XS_Q_AND);
}

/* For ranking only: all the bigrams of a Han string (up to 16), AND'ed,
 * without positions. Nearly as telling as the phrase (the bigrams at the
 * words' junctions say the words are adjacent) and much cheaper to rank
 * every match with. */
static xs_query *han_bigrams(struct qry *q, const char *pfx, const uint32_t *c,
                             size_t n)
{
    char t[64];
    size_t pl = strlen(pfx), i;
    struct nlist l = {0};
    if (n < 2)
        return han_exact(q, pfx, c, n);
    memcpy(t, pfx, pl);
    for (i = 0; i + 1 < n && l.n < 16; i++) {
        size_t k = utf8_enc(c[i], t + pl);
        k += utf8_enc(c[i + 1], t + pl + k);
        nl_add(&l, qry_term(q, t, pl + k, 1));
    }
    return nl_make(q, &l, XS_Q_AND);
}

/* Fold s and return its code points (arena). */
static uint32_t *fold_to_cps(struct qry *q, const char *s, size_t len,
                             size_t *n)
{
    uint32_t *c, *st, *en, *out;
    size_t k = ana_fold_cps(s, len, &c, &st, &en);
    if (k == (size_t)-1)
        return NULL;
    out = qalloc(q, (k + 1) * sizeof *out);
    if (out && k) /* nothing left of s: no code points (c may be NULL) */
        memcpy(out, c, k * sizeof *out);
    free(c);
    *n = k;
    return out;
}

/* Regional-vocabulary variants of one word as written (orig): the Taiwan
 * form of a mainland word and the mainland form of a Taiwan word, folded.
 * Adds distinct variants (other than the word itself) to vs. */
static size_t variants(struct qp *p, struct qry *q, const char *orig,
                       size_t olen, const uint32_t *self, size_t nself,
                       uint32_t **vs, size_t *vn, size_t max)
{
    size_t nv = 0, i;
    void *convs[3][2] = {{p->s2twp, NULL}, {p->s2t, p->tw2sp}, {p->tw2sp, NULL}};
    int k;
    char *key;
    if (max > 3)
        max = 3;
    /* OpenCC leaves what is not Han as it is, and a variant is Han only:
     * a word with anything else (an English word) has none */
    for (i = 0; i < nself; i++)
        if (!is_han(self[i]))
            return 0;
    for (i = 0; i < q->nvc; i++) {
        const struct qry_vc *c = &q->vc[i];
        /* found in the same order whatever max: a list as long, or
         * complete, has the first max */
        if (c->len == olen && (c->max >= max || c->nv < c->max) &&
            !memcmp(c->s, orig, olen)) {
            for (nv = 0; nv < c->nv && nv < max; nv++) {
                vs[nv] = c->v[nv];
                vn[nv] = c->vn[nv];
            }
            return nv;
        }
    }
    for (k = 0; k < 3 && nv < max; k++) {
        char *a, *b = NULL;
        const char *res;
        uint32_t *fc;
        size_t fn, j;
        if (!convs[k][0])
            continue;
        a = opencc_convert_utf8((opencc_t)convs[k][0], orig, olen);
        if (!a)
            continue;
        res = a;
        if (convs[k][1]) {
            b = opencc_convert_utf8((opencc_t)convs[k][1], a, strlen(a));
            res = b ? b : a;
        }
        fc = fold_to_cps(q, res, strlen(res), &fn);
        if (b)
            opencc_convert_utf8_free(b);
        opencc_convert_utf8_free(a);
        if (!fc || fn == 0)
            continue;
        for (j = 0; j < fn; j++)
            if (!is_han(fc[j]))
                break;
        if (j < fn)
            continue;
        if (fn == nself && !memcmp(fc, self, fn * sizeof *fc))
            continue;
        for (j = 0; j < nv; j++)
            if (vn[j] == fn && !memcmp(vs[j], fc, fn * sizeof *fc))
                break;
        if (j < nv)
            continue;
        vs[nv] = fc;
        vn[nv] = fn;
        nv++;
    }
    if (q->nvc < sizeof q->vc / sizeof q->vc[0] && (key = qalloc(q, olen + 1)) != NULL) {
        struct qry_vc *c = &q->vc[q->nvc++];
        memcpy(key, orig, olen);
        c->s = key;
        c->len = olen;
        c->max = max;
        c->nv = nv;
        for (i = 0; i < nv; i++) {
            c->v[i] = vs[i];
            c->vn[i] = vn[i];
        }
    }
    return nv;
}

/* Characters the dictionary leaves alone, side by side, are one unknown
 * word (a name: 新北 = 新|北, 台积电 = 台|积|电): it must occur as typed,
 * not as its characters anywhere in the document. A lone character
 * between words (的, 和, 法 in 个人所得税|法) stays a word of its own, and
 * so does a filler. Returns the new count; sub-words keep their places. */
static size_t join_lone_chars(const uint32_t *c, struct seg_word *w, size_t nw)
{
    size_t i, o = 0;
    int open = 0; /* w[o-1] is a lone character or a join of them */
    for (i = 0; i < nw; i++) {
        /* a filler (我要办: 我|要|办) is a word of its own */
        int lone = !w[i].sub && w[i].end - w[i].start == 1 &&
                   !syn_filler(c + w[i].start, 1);
        if (lone && open && w[o - 1].end == w[i].start) {
            w[o - 1].end = w[i].end;
            continue;
        }
        w[o++] = w[i];
        open = lone;
    }
    return o;
}

/* An abbreviation of analysis/synonyms.txt the dictionary cut into words
 * (公租房 = 公|租房) is one word again, so that it finds its full names
 * (full names cut into words are looked up as a whole run); only when it
 * starts and ends where words do. The words it
 * covers become its sub-words (ranking). in[0..nin) -> out (room for
 * nin + the run's length entries); returns the new count. */
static size_t join_syn_words(const uint32_t *c, size_t n, const struct seg_word *in,
                             size_t nin, struct seg_word *out)
{
    size_t i, o = 0;
    for (i = 0; i < nin; i++) {
        size_t len = 0, m = nin, end;
        if (!in[i].sub)
            len = syn_longest(c + in[i].start, n - in[i].start);
        end = in[i].start + len;
        if (len > in[i].end - in[i].start)
            for (m = i + 1; m < nin; m++)
                if (!in[m].sub && in[m].end >= end)
                    break;
        if (m < nin && in[m].end == end) {
            out[o] = in[i];
            out[o++].end = (uint32_t)end;
            for (; i <= m; i++) {
                out[o] = in[i];
                out[o++].sub = 1;
            }
            i--;
            continue;
        }
        out[o++] = in[i];
    }
    return o;
}

/* An unquoted Han run (folded cps c[0..n), original bytes via st/en). */
static xs_query *han_words(struct qp *p, struct qry *q, const char *pfx,
                           const char *orig, const uint32_t *c,
                           const uint32_t *st, const uint32_t *en, size_t n)
{
    struct seg_word *w = malloc((5 * n + 16) * sizeof *w), *segd = w + 3 * n + 8;
    size_t nw, k, nwords = 0, ncore = 0; /* words; words not optional */
    struct nlist must = {0}, rank = {0}, vtitle = {0};
    xs_query *res;
    char t[80];
    size_t pl = strlen(pfx);
    int title_only = pl > 0;

    if (!w)
        return NULL;
    nw = join_lone_chars(c, w, join_syn_words(c, n, segd, seg_run(c, n, segd, 2 * n + 8), w));
    /* fillers (怎么, 什么, 吗) only rank when the query has other words:
     * the run's words then are c[ca, cb), its first word to its last that is
     * not a filler (怎么申请低保 -> 申请低保) */
    size_t ca = n, cb = 0;
    int fopt = q->fill_opt && !title_only;
    for (k = 0; k < nw; k++)
        if (!w[k].sub && !(fopt && syn_filler(c + w[k].start, w[k].end - w[k].start))) {
            if (w[k].start < ca)
                ca = w[k].start;
            cb = w[k].end;
        }
    for (k = 0; k < nw; k++) {
        size_t len = w[k].end - w[k].start, nv, nreg, j;
        const uint32_t *wc = c + w[k].start;
        uint32_t *vv[3];
        const uint32_t *vs[3 + SYN_MAX];
        size_t vn[3 + SYN_MAX];
        struct nlist alt = {0};
        char hs[80];
        if (w[k].sub)
            continue;
        if (++nwords > QRY_MAX_LEAVES) {
            q->truncated = 1;
            break;
        }
        if (syn_filler(wc, len)) {
            q->nfill++;
            if (fopt) { /* ranks, unmarked */
                nl_add(&rank, han_bigrams(q, pfx, wc, len));
                continue;
            }
        } else {
            q->ncontent++;
        }
        ncore++;
        /* the word as a chain of overlapping bigrams: any segmentation of
         * the document matches, and no position list is read (quoted
         * strings, below, are exact phrases) */
        nl_add(&alt, han_bigrams(q, pfx, wc, len));
        if (len > 1 || n == 1) /* lone characters of a longer run: no marks */
            add_hl(q, hs, enc_cps(wc, len > 16 ? 16 : len, hs), QHL_HAN);
        nv = nreg = 0;
        if (len >= 2 && len <= 8)
            nv = nreg = variants(p, q, orig + st[w[k].start],
                                 en[w[k].end - 1] - st[w[k].start], wc, len, vv, vn, 3);
        for (j = 0; j < nv; j++)
            vs[j] = vv[j];
        /* abbreviations and full names (低保 / 最低生活保障): found, but
         * weighing half the word as typed (環保署 must not bury a query
         * for 环境保护 in 環保 everywhere) */
        if (len >= 2 && !q->no_syn) /* -word excludes what it says */
            nv += syn_lookup(wc, len, vs + nv, vn + nv, SYN_MAX);
        for (j = 0; j < nv; j++) {
            xs_query *b = han_bigrams(q, pfx, vs[j], vn[j]);
            nl_add(&alt, j < nreg ? b : scale(q, b, 0.5));
            add_hl(q, hs, enc_cps(vs[j], vn[j] > 16 ? 16 : vn[j], hs), QHL_HAN);
            /* in a title too (城市居民最低生活保障条例 for 低保), as the
             * word's own title boost below, at the same share; a regional
             * variant only when the word is the run (a longer run weighs
             * its variant in titles whole, below, as it does itself) */
            if (!title_only)
                nl_add(j < nreg ? &vtitle : &rank,
                       scale(q, han_bigrams(q, "S", vs[j], vn[j]), j < nreg ? 3.0 : 1.5));
            /* the run is this abbreviation: its full name as the (near)
             * whole title, at the same half (个税 -> 个人所得税法) */
            if (!title_only && j >= nreg && w[k].start == ca && w[k].end == cb &&
                vn[j] >= 2 && vn[j] <= 64)
                nl_add(&rank, scale(q, title_fit(q, han_bigrams(q, "S", vs[j], vn[j]),
                                                 vn[j] - state_name(vs[j], vn[j])),
                                    0.5));
        }
        nl_add(&must, nl_make(q, &alt, XS_Q_OR));
        /* ranking: the word as a dictionary word (W layer) */
        if (len >= 2 && len <= 16) {
            xs_query *wq;
            struct nlist subs = {0};
            size_t m;
            memcpy(t, pfx, pl);
            memcpy(t + pl, "W", 1);
            /* words as words outrank the same characters met by accident
             * (开工 in 开工建设, not in 公开工作) */
            size_t tl = enc_cps(wc, len, t + pl + 1);
            /* an unknown word (lone characters joined) has no W term */
            wq = seg_is_word(t + pl + 1, tl)
                     ? scale(q, qry_term(q, t, pl + 1 + tl, 1), 3.0)
                     : NULL;
            /* a longer word a document segments otherwise (国家赔偿 in
             * 国家|赔偿法): its dictionary words inside count instead,
             * the better of the two (not both) */
            for (m = 0; len >= 3 && m < nw; m++)
                if (w[m].sub && w[m].start >= w[k].start && w[m].end <= w[k].end &&
                    w[m].end - w[m].start >= 2 && w[m].end - w[m].start <= 16)
                    nl_add(&subs, qry_term(q, t, pl + 1 + enc_cps(c + w[m].start,
                                                                  w[m].end - w[m].start,
                                                                  t + pl + 1), 1));
            if (subs.n >= 2)
                wq = binary(q, XS_Q_MAX, wq, scale(q, nl_make(q, &subs, XS_Q_AND), 1.5));
            else
                free(subs.v);
            nl_add(&rank, wq);
            for (j = 0; j < nv; j++) {
                if (vn[j] > 16)
                    continue;
                nl_add(&rank, scale(q, qry_term(q, t, pl + 1 + enc_cps(vs[j], vn[j], t + pl + 1), 1),
                                    j < nreg ? 3.0 : 1.5));
            }
        }
    }
    free(w);
    if (ncore == 1) {
        for (k = 0; k < vtitle.n; k++)
            nl_add(&rank, vtitle.v[k]);
    }
    free(vtitle.v);
    if (ca >= cb) { /* fillers only: they rank (the query has other words) */
        res = nl_make(q, &rank, XS_Q_OR);
        return res;
    }
    /* the run in the other regional vocabulary (政府資訊公開 <->
     * 政府信息公开): what the run as a whole weighs below (as a phrase, in a
     * title, as the whole title), it weighs that way too (the better of
     * the two), as each word's variant does above */
    uint32_t *rv[1];
    size_t rvn[1], nrv = 0;
    if (cb - ca >= 2 && cb - ca <= 64)
        nrv = variants(p, q, orig + st[ca], en[cb - 1] - st[ca], c + ca, cb - ca,
                       rv, rvn, 1);
    c += ca; /* from here on, the run without the fillers around it */
    n = cb - ca;
    if (n > 1 && n <= 64)
        add_hl(q, t, enc_cps(c, n > 16 ? 16 : n, t), QHL_HAN);
    res = nl_must(q, &must, pfx);
    if (nrv && ncore > 1) { /* or the run whole in the other vocabulary,
                             * where it is other words (智慧|财产权 /
                             * 知识产权); the better of the two, as where
                             * the words' own variants met it already
                             * (资讯公开) it must not count twice */
        res = binary(q, XS_Q_MAX, res, han_bigrams(q, pfx, rv[0], rvn[0]));
        add_hl(q, t, enc_cps(rv[0], rvn[0] > 16 ? 16 : rvn[0], t), QHL_HAN);
    }
    if (ncore > 1 && n <= 64 && !q->no_syn) { /* a full name cut into words: or its
                                  * abbreviation (最低|生活|保障 / 低保) */
        const uint32_t *ss[SYN_MAX];
        size_t sn[SYN_MAX], ns = syn_lookup(c, n, ss, sn, SYN_MAX), j;
        for (j = 0; j < ns; j++) {
            res = binary(q, XS_Q_OR, res, scale(q, han_bigrams(q, pfx, ss[j], sn[j]), 0.5));
            add_hl(q, t, enc_cps(ss[j], sn[j] > 16 ? 16 : sn[j], t), QHL_HAN);
        }
    }
    if (ncore > 1 && n <= 64)  /* the run as typed: its words adjacent */
        nl_add(&rank, scale(q, binary(q, XS_Q_MAX, han_bigrams(q, pfx, c, n),
                                          nrv ? han_bigrams(q, pfx, rv[0], rvn[0]) : NULL),
                            2.0));
    if (!title_only) {
        /* title matches: a one-word run as a word of the title (开工 in
         * 开工建设, not in 公开工作), a longer run as typed */
        char tt[80];
        size_t tl = n >= 2 && n <= 16 ? enc_cps(c, n, tt + 2) : 0;
        int known = ncore == 1 && tl && seg_is_word(tt + 2, tl);
        memcpy(tt, "SW", 2);
        if (known) {
            xs_query *sw = qry_term(q, tt, 2 + tl, 1);
            /* three characters or more met together in a title are the
             * word, however the title was segmented (国家赔偿 in
             * 国家赔偿法, segmented 国家|赔偿法) */
            if (n >= 3)
                sw = binary(q, XS_Q_MAX, sw, han_bigrams(q, "S", c, n));
            nl_add(&rank, scale(q, sw, 3.0)); /* its variant: above */
        } else {
            /* (a one-word run's variant is weighed with its word above) */
            nl_add(&rank, scale(q, binary(q, XS_Q_MAX, han_bigrams(q, "S", c, n),
                                          nrv && ncore > 1
                                              ? han_bigrams(q, "S", rv[0], rvn[0])
                                              : NULL),
                                3.0));
        }
        /* the run as the (near) whole title: 国家赔偿 is most of the title
         * 国家赔偿法, a little of 最高人民法院关于审理国家赔偿案件…的解释 */
        if (n >= 2 && n <= 64) /* two characters: as a word of the title (开工 again) */
            nl_add(&rank, binary(q, XS_Q_MAX,
                                     title_fit(q, n == 2 && known ? qry_term(q, tt, 2 + tl, 1)
                                                                  : han_bigrams(q, "S", c, n),
                                               n - state_name(c, n)),
                                     nrv ? title_fit(q, han_bigrams(q, "S", rv[0], rvn[0]),
                                                     rvn[0] - state_name(rv[0], rvn[0]))
                                         : NULL));
    }
    if (rank.n)
        res = binary(q, XS_Q_AND_MAYBE, res, nl_make(q, &rank, XS_Q_OR));
    else
        free(rank.v);
    return res;
}

static xs_query *leaf_quoted(struct qry *q, const char *pfx, const char *s,
                             size_t len);

static xs_query *latin_word1(struct qp *p, struct qry *q, const char *pfx,
                             const char *s, size_t n, int exact);

/* A Latin word, or one of the full names of an abbreviation (foia ->
 * "freedom of information act"), which weighs half the word as typed. */
static xs_query *latin_word(struct qp *p, struct qry *q, const char *pfx,
                            const char *s, size_t n, int exact)
{
    const char *full[SYN_MAX];
    size_t nf = exact || q->no_syn ? 0 : syn_latin(s, n, full, SYN_MAX), k;
    xs_query *m = latin_word1(p, q, pfx, s, n, exact);
    for (k = 0; k < nf; k++)
        m = binary(q, XS_Q_OR, m, scale(q, leaf_quoted(q, pfx, full[k], strlen(full[k])), 0.5));
    return m;
}

static xs_query *latin_word1(struct qp *p, struct qry *q, const char *pfx,
                             const char *s, size_t n, int exact)
{
    char t[200], stem[128];
    size_t pl = strlen(pfx), sl = 0;
    int digits = 1;
    size_t i;
    xs_query *m, *rank = NULL;
    if (n + pl + 2 > sizeof t)
        return NULL;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            digits = 0;
    memcpy(t, pfx, pl);
    memcpy(t + pl, s, n);
    m = qry_term(q, t, pl + n, 1);
    add_hl(q, s, n, QHL_LATIN);
    if (exact || digits || !p->ana.stem)
        return m;
    sl = xs_stem_word((xs_stem *)p->ana.stem, s, n, stem, sizeof stem);
    if (sl) {
        xs_query *z;
        t[pl] = 'Z';
        memcpy(t + pl + 1, stem, sl);
        z = qry_term(q, t, pl + 1 + sl, 1);
        /* a word that is its own stem has no Z term in documents (ana.c):
         * match the stem as a plain word too */
        memcpy(t + pl, stem, sl);
        z = binary(q, XS_Q_SYNONYM, z, qry_term(q, t, pl + sl, 1));
        add_hl(q, stem, sl, QHL_STEM);
        /* match by stem; the exact form ranks higher */
        rank = m;
        m = z;
    }
    if (!pl) {
        t[0] = 'S';
        memcpy(t + 1, s, n);
        rank = binary(q, XS_Q_OR, rank, scale(q, qry_term(q, t, 1 + n, 1), 3.0));
    }
    return binary(q, XS_Q_AND_MAYBE, m, rank);
}

/* ---- leaves ----------------------------------------------------------- */

enum field { F_ANY, F_TITLE, F_UNIT, F_DOCNO };

static xs_query *leaf_quoted(struct qry *q, const char *pfx, const char *s,
                             size_t len)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i = 0, h0 = q->nhl;
    struct nlist l = {0}, drive = {0};
    int runs = 0;       /* Han runs and Latin words */
    int han = 0, gap = 0;
    unsigned char *hole; /* hole[k]: punctuation before term k */
    char t[256];
    struct buf ph;      /* the Latin words joined by one space */
    size_t pl = strlen(pfx);
    buf_init(&ph, 0);
    if (n == (size_t)-1)
        return NULL;
    if (!(hole = calloc(n + 1, 1))) {
        free(c);
        return NULL;
    }
    /* as in documents, white space between Han characters does not count:
     * a quoted "信息 公开" is the string 信息公开 */
    n = ana_join_han(c, st, en, n);
    memcpy(t, pfx, pl);
    while (i < n) {
        size_t j = i + 1;
        if (!is_han(c[i]) && !ana_is_alnum(c[i]) && !ana_is_space(c[i]) && l.n) {
            /* punctuation: the document has a hole in its positions here,
             * which the phrase's window spans */
            gap = 1;
            runs = 99;
        }
        if (is_han(c[i])) {
            while (j < n && is_han(c[j]))
                j++;
            {
                size_t k;
                for (k = i; k < j; k++) {
                    hole[l.n] = gap && k == i;
                    nl_add(&l, qry_term(q, t, pl + utf8_enc(c[k], t + pl), 1));
                }
                gap = 0;
                add_bigrams(q, &drive, pfx, c + i, j - i);
                runs++;
                han = 1;
            }
            {
                char hs[200];
                size_t hn = j - i > 48 ? 48 : j - i;
                add_hl(q, hs, enc_cps(c + i, hn, hs), QHL_HAN);
            }
        } else if (ana_is_alnum(c[i])) {
            size_t m = 0;
            while (j < n && ana_is_alnum(c[j]) && !is_han(c[j]))
                j++;
            if (j - i <= 64) {
                char w[260];
                m = enc_cps(c + i, j - i, w);
                if (pl + m < sizeof t) {
                    memcpy(t + pl, w, m);
                    hole[l.n] = gap;
                    gap = 0;
                    nl_add(&l, qry_term(q, t, pl + m, 1));
                    add_hl(q, w, m, QHL_LATIN);
                    if (ph.len)
                        buf_addc(&ph, ' ');
                    buf_add(&ph, w, m);
                    runs++;
                }
            }
        }
        i = j;
    }
    free(c);
    if (runs > 1) { /* the phrase's fillers (of, the) are no marks alone */
        size_t h, o = h0;
        for (h = h0; h < q->nhl; h++)
            if (q->hl[h].kind != QHL_LATIN || !syn_filler_latin(q->hl[h].s, q->hl[h].len))
                q->hl[o++] = q->hl[h];
        q->nhl = o;
    }
    if (runs > 1 && !han && ph.p && ph.len <= 200)
        add_hl(q, ph.p, ph.len, QHL_PHRASE);
    buf_release(&ph);
    if (l.n == 1 && !drive.n) {
        free(hole);
        return nl_make(q, &l, XS_Q_AND);
    }
    if (l.n == 2 && drive.n == 1 && runs == 1) {
        /* exactly two Han characters: their bigram says it all */
        free(l.v);
        free(hole);
        return nl_make(q, &drive, XS_Q_AND);
    }
    nl_add(&drive, make_phrase_holes(q, &l, hole));
    free(hole);
    return nl_make(q, &drive, XS_Q_AND);
}

/* Ranking by a string's adjacency (pfx "S": in the title): its bigrams
 * when it is all Han (no positions to read), else the exact phrase; which
 * of the two in *positional (may be NULL). */
static xs_query *rank_phrase(struct qry *q, const char *pfx, const char *s,
                             size_t len, int *positional)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i, m = 0;
    xs_query *r;
    if (n == (size_t)-1)
        return NULL;
    for (i = 0; i < n; i++)
        if (is_han(c[i]))
            c[m++] = c[i];
        else if (!ana_is_space(c[i]))
            break;
    if (positional)
        *positional = !(i == n && m > 1);
    r = i == n && m > 1 ? han_bigrams(q, pfx, c, m) : leaf_quoted(q, pfx, s, len);
    free(c);
    return r;
}

/* The end of an English contraction or possessive after its apostrophe:
 * 's 't 're 've 'll 'd 'm. */
static int is_clitic(const char *w, size_t wl)
{
    static const char *const cl[] = {"s", "t", "re", "ve", "ll", "d", "m"};
    size_t k;
    for (k = 0; k < sizeof cl / sizeof cl[0]; k++)
        if (strlen(cl[k]) == wl && !memcmp(cl[k], w, wl))
            return 1;
    return 0;
}

/* YEAR_BOOST for a document of the year y ("2019"): a constant, through
 * TITLEFIT over the year's term with a window longer than any title. */
static xs_query *year_boost(struct qry *q, const char *y)
{
    char t[8] = "XY:";
    xs_query *fit;
    memcpy(t + 3, y, 4);
    if (!(fit = title_fit(q, qry_term(q, t, 7, 1), 100000)))
        return NULL;
    fit->factor = YEAR_BOOST;
    return fit;
}

static xs_query *leaf_words(struct qp *p, struct qry *q, const char *pfx,
                            const char *s, size_t len)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i = 0, units = 0;
    struct nlist must = {0}, opt = {0};
    xs_query *res;
    if (n == (size_t)-1)
        return NULL;
    while (i < n) {
        size_t j = i + 1;
        if (is_han(c[i])) {
            while (j < n && is_han(c[j]))
                j++;
            nl_add(&must, han_words(p, q, pfx, s, c + i, st + i, en + i, j - i));
            units++;
        } else if (ana_is_alnum(c[i])) {
            char w[260];
            while (j < n && ana_is_alnum(c[j]) && !is_han(c[j]))
                j++;
            if (j - i <= 64) {
                size_t wl = enc_cps(c + i, j - i, w);
                /* the end of a contraction or possessive (what's, don't,
                 * Mayor's) is a filler too */
                int clitic = i >= 2 && (c[i - 1] == '\'' || c[i - 1] == 0x2019) &&
                             ana_is_alnum(c[i - 2]) && is_clitic(w, wl);
                int fill = clitic || syn_filler_latin(w, wl);
                /* a year's 年 is part of the year (2019年政府工作报告: the
                 * words are 2019 and 政府工作报告, as in a title that says
                 * 2019年中华人民共和国国务院政府工作报告) */
                int year;
                w[wl] = 0; /* enc_cps writes no NUL */
                year = wl == 4 && strspn(w, "0123456789") == 4 && atoi(w) >= 1900 &&
                       atoi(w) <= 2100;
                /* a year typed: documents of that year rank higher */
                if (year && !*pfx)
                    nl_add(&opt, year_boost(q, w));
                if (year && j < n && c[j] == 0x5E74) {
                    i = j + 1;
                    nl_add(&must, latin_word(p, q, pfx, w, wl, 0));
                    q->ncontent++;
                    units++;
                    continue;
                }
                if (fill && q->fill_opt && !*pfx) /* ranks as it is, unmarked */
                    nl_add(&opt, qry_term(q, w, wl, 1));
                else
                    nl_add(&must, latin_word(p, q, pfx, w, wl, 0));
                if (fill)
                    q->nfill++;
                else
                    q->ncontent++;
                units++;
            }
        }
        i = j;
    }
    free(c);
    res = nl_must(q, &must, pfx);
    if (opt.n) /* fillers: on top of the words, or alone (all this item) */
        res = res ? binary(q, XS_Q_AND_MAYBE, res, nl_make(q, &opt, XS_Q_OR))
                  : nl_make(q, &opt, XS_Q_OR);
    if (units > 1 && res) /* mixed text typed together (5G网络): adjacency ranks */
        res = binary(q, XS_Q_AND_MAYBE, res, leaf_quoted(q, pfx, s, len));
    return res;
}

struct span_find {
    size_t len;
    int whole;
};

static void on_span(void *ctx, size_t start, size_t end)
{
    struct span_find *f = ctx;
    if (start == 0 && end >= f->len)
        f->whole = 1;
}

/* A key of docno_norm that is an organ and a bracketed year and no
 * serial (国办发(2019)): the start of every number of that year. */
static int docno_prefix(const char *key, size_t kl)
{
    const char *lp = memchr(key, '(', kl);
    size_t i;
    if (!lp || lp == key || kl < 7 || key[kl - 1] != ')' || (size_t)(key + kl - lp) != 6)
        return 0;
    for (i = 1; i <= 4; i++)
        if (lp[i] < '0' || lp[i] > '9')
            return 0;
    return 1;
}

static xs_query *wildcard(struct qry *q, const char *prefix, size_t len)
{
    xs_query *n = qry_term(q, prefix, len, 1);
    if (n)
        n->op = XS_Q_WILDCARD;
    return n;
}

/* Is s, as a whole, one document number (国办发〔2013〕26号, FR Doc. ...)?
 * Typed in full-width forms too (２０２２－ＥＯ－００９), which the
 * scanner, made for texts, does not take for one. */
static int whole_docno(const char *s, size_t len)
{
    struct span_find f = {len, 0};
    char half[256];
    size_t i = 0, n = 0, wide = 0;
    while (i < len) {
        uint32_t cp;
        size_t cl = utf8_dec((const unsigned char *)s + i, len - i, &cp);
        int w = (cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x3000; /* 　 */
        if (n + (w ? 1 : cl) > sizeof half)
            break;
        if (w) {
            half[n++] = cp == 0x3000 ? ' ' : (char)(cp - 0xFEE0);
        } else {
            memcpy(half + n, s + i, cl);
            n += cl;
        }
        wide += w;
        i += cl;
    }
    if (i == len && wide) { /* some were full-width */
        s = half;
        f.len = len = n;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
        f.len = --len;
    docno_scan(s, len, on_span, &f);
    return f.whole;
}

static xs_query *leaf(struct qp *p, struct qry *q, const char *s, size_t len,
                      int quoted, int field)
{
    char key[256];
    size_t kl;
    if (field == F_DOCNO) {
        char t[300];
        xs_query *a;
        kl = docno_norm(s, len, key, sizeof key);
        if (!kl)
            return leaf_quoted(q, "", s, len);
        memcpy(t, "XD:", 3);
        memcpy(t + 3, key, kl);
        /* an organ and year without the serial (国办发〔2019〕): every
         * number of that organ and year */
        a = docno_prefix(key, kl) ? wildcard(q, t, 3 + kl) : qry_term(q, t, 3 + kl, 1);
        t[0] = 'T';
        memcpy(t + 1, key, kl);
        return binary(q, XS_Q_OR, a, docno_prefix(key, kl) ? wildcard(q, t, 1 + kl)
                                                         : qry_term(q, t, 1 + kl, 1));
    }
    if (field == F_UNIT) {
        char *bt = ana_bool_term("XU", s, len);
        xs_query *x = bt ? qry_term(q, bt, strlen(bt), 1) : NULL;
        free(bt);
        return x;
    }
    {
        const char *pfx = field == F_TITLE ? "S" : "";
        xs_query *x;
        if (quoted) {
            x = leaf_quoted(q, pfx, s, len);
            if (x && field == F_ANY) /* a title holding the phrase ranks higher */
                x = binary(q, XS_Q_AND_MAYBE, x,
                           scale(q, rank_phrase(q, "S", s, len, NULL), 2.0));
        } else {
            x = leaf_words(p, q, pfx, s, len);
        }
        /* an unquoted document number (国办发〔2013〕26号) also matches the
         * documents that carry it as their number, ranked first */
        if (!quoted && field == F_ANY && x) {
            kl = len < 200 ? docno_norm(s, len, key, sizeof key) : 0;
            if (kl && docno_prefix(key, kl)) {
                /* 国办发〔2019〕: the documents numbered so, first */
                char t[300];
                memcpy(t, "XD:", 3);
                memcpy(t + 3, key, kl);
                xs_query *d = wildcard(q, t, 3 + kl);
                t[0] = 'S';
                t[1] = 'T';
                memmove(t + 2, t + 3, kl);
                d = binary(q, XS_Q_AND, d, scale(q, wildcard(q, t, 2 + kl), 30.0));
                return binary(q, XS_Q_OR, d, x);
            }
            /* as the scanner finds it in a text, or typed without its
             * brackets (国办发2013年26号) */
            if (kl && !whole_docno(s, len) && !docno_key_gb(key, kl))
                kl = 0;
            if (kl && len < 200) {
                char t[300];
                xs_query *d;
                size_t fl;
                char *f = fold_str(s, len, &fl);
                if (f) { /* mark the number whole */
                    add_hl(q, f, fl, QHL_HAN);
                    free(f);
                }
                memcpy(t, "XD:", 3);
                memcpy(t + 3, key, kl);
                d = qry_term(q, t, 3 + kl, 1);
                t[0] = 'S';
                t[1] = 'T';
                memmove(t + 2, t + 3, kl);
                d = binary(q, XS_Q_AND, d, scale(q, qry_term(q, t, 2 + kl, 1), 30.0));
                x = binary(q, XS_Q_OR, d, x);
            }
        }
        return x;
    }
}

/* ---- the parser --------------------------------------------------------- */

enum tok_type { T_END, T_WORD, T_PHRASE, T_AND, T_OR, T_NOT, T_NEG, T_LP, T_RP };

struct lexer {
    const char *s;
    size_t len, i;
    /* the current token */
    int type;
    const char *ts;
    size_t tl;
    int field;
};

static int is_space_at(const char *s, size_t len, size_t i, size_t *cl)
{
    uint32_t cp;
    *cl = utf8_dec((const unsigned char *)s + i, len - i, &cp);
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000 ||
           cp == 0xA0;
}

static int open_quote(uint32_t cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x300C || cp == 0x300E ||
           cp == 0xFF02;
}
static int close_quote(uint32_t cp)
{
    return cp == '"' || cp == 0x201D || cp == 0x300D || cp == 0x300F ||
           cp == 0xFF02 || cp == 0x201C;
}
static int lparen(uint32_t cp) { return cp == '(' || cp == 0xFF08; }
static int rparen(uint32_t cp) { return cp == ')' || cp == 0xFF09; }

/* The end of a document number typed with round brackets, which are
 * otherwise a group: organ (year) [第] serial [号], spaces around the
 * brackets or none (国办发(2013)26号, 国办发 （2013） 第26号), the bracket
 * at `at`, the number from `from` (the word's start) - when that has a
 * GB/T 9704 key (docno_key_gb); else 0. */
static size_t paren_docno(const char *s, size_t len, size_t from, size_t at)
{
    size_t i = at, l, e = 0, ce = 0;
    uint32_t c;
    int close = 0, digits = 0;
    char key[128];
    while (i < len && i - at < 40) {
        l = utf8_dec((const unsigned char *)s + i, len - i, &c);
        if (!close) {
            close = rparen(c);
            ce = i + l;
        } else if (digit_value(c) >= 0) {
            digits = 1;
            e = i + l;
        } else if (c == 0x53F7 || c == 0x865F) { /* 号 號 */
            if (digits)
                e = i + l;
            break;
        } else if (!((c == 0x7B2C && !digits) || is_space_at(s, len, i, &(size_t){0}))) {
            break; /* 第 before the serial, spaces */
        }
        i += l;
    }
    if (close && !digits && ce - from < sizeof key &&
        (ce == len || is_space_at(s, len, ce, &(size_t){0}))) {
        /* no serial: an organ and year (国办发（2019）), the start of numbers */
        l = docno_norm(s + from, ce - from, key, sizeof key);
        return l && docno_prefix(key, l) ? ce : 0;
    }
    if (!e || e - from >= sizeof key)
        return 0;
    l = docno_norm(s + from, e - from, key, sizeof key);
    return l && docno_key_gb(key, l) ? e : 0;
}

static void lex_next(struct lexer *x)
{
    size_t cl;
    uint32_t cp;
    x->field = F_ANY;
    while (x->i < x->len && is_space_at(x->s, x->len, x->i, &cl))
        x->i += cl;
    if (x->i >= x->len) {
        x->type = T_END;
        return;
    }
    cl = utf8_dec((const unsigned char *)x->s + x->i, x->len - x->i, &cp);
    if (lparen(cp) || rparen(cp)) {
        x->type = lparen(cp) ? T_LP : T_RP;
        x->i += cl;
        return;
    }
    if (cp == '-' && x->i + 1 < x->len) {
        size_t c2;
        if (!is_space_at(x->s, x->len, x->i + 1, &c2)) {
            x->type = T_NEG;
            x->i += 1;
            return;
        }
    }
    if (open_quote(cp)) {
        size_t start = x->i + cl, j = start;
        while (j < x->len) {
            uint32_t c2;
            size_t l2 = utf8_dec((const unsigned char *)x->s + j, x->len - j, &c2);
            if (close_quote(c2))
                break;
            j += l2;
        }
        x->type = T_PHRASE;
        x->ts = x->s + start;
        x->tl = j - start;
        x->i = j < x->len ? j + utf8_dec((const unsigned char *)x->s + j,
                                         x->len - j, &cp)
                          : j; /* a stray quote runs to the end */
        return;
    }
    {
        size_t start = x->i, j = x->i;
        while (j < x->len) {
            uint32_t c2;
            size_t l2 = utf8_dec((const unsigned char *)x->s + j, x->len - j, &c2),
                   k = j, kl, dn;
            uint32_t c3 = c2;
            /* 国办发(2013)26号, 国办发 (2013) 26号: a number's brackets are
             * no group */
            while (k < x->len && is_space_at(x->s, x->len, k, &kl))
                k += kl;
            if (k > j && k < x->len)
                utf8_dec((const unsigned char *)x->s + k, x->len - k, &c3);
            if (j > start && lparen(c3) && (dn = paren_docno(x->s, x->len, start, k))) {
                j = dn;
                continue;
            }
            if (k > j || lparen(c2) || rparen(c2) || open_quote(c2))
                break;
            j += l2;
        }
        x->i = j;
        x->ts = x->s + start;
        x->tl = j - start;
        x->type = T_WORD;
        if (x->tl == 3 && !memcmp(x->ts, "AND", 3))
            x->type = T_AND;
        else if (x->tl == 2 && !memcmp(x->ts, "OR", 2))
            x->type = T_OR;
        else if (x->tl == 3 && !memcmp(x->ts, "NOT", 3))
            x->type = T_NOT;
        else if ((x->tl == 2 && !memcmp(x->ts, "&&", 2)))
            x->type = T_AND;
        else if ((x->tl == 2 && !memcmp(x->ts, "||", 2)))
            x->type = T_OR;
        else {
            /* field prefixes: title: unit: docno: (also with a full-width colon) */
            static const struct { const char *n; int f; } fs[] = {
                {"title", F_TITLE}, {"unit", F_UNIT}, {"docno", F_DOCNO},
                {"标题", F_TITLE}, {"文号", F_DOCNO}, {"机关", F_UNIT}};
            size_t k;
            for (k = 0; k < sizeof fs / sizeof fs[0]; k++) {
                size_t nl = strlen(fs[k].n), cl2 = 0;
                if (x->tl > nl && !strncasecmp(x->ts, fs[k].n, nl)) {
                    if (x->ts[nl] == ':')
                        cl2 = 1;
                    else if (x->tl >= nl + 3 && !memcmp(x->ts + nl, "\xEF\xBC\x9A", 3))
                        cl2 = 3;
                }
                if (!cl2 && x->tl == nl + 1 && !strncasecmp(x->ts, fs[k].n, nl) &&
                    x->ts[nl] == ':')
                    cl2 = 1;
                if (cl2) {
                    x->field = fs[k].f;
                    x->ts += nl + cl2;
                    x->tl -= nl + cl2;
                    if (x->tl == 0) {
                        /* "title: word" or title:"phrase": take the next token */
                        int f = x->field;
                        lex_next(x);
                        if (x->type == T_WORD || x->type == T_PHRASE)
                            x->field = f;
                    }
                    break;
                }
            }
        }
    }
}

struct parser {
    struct qp *p;
    struct qry *q;
    struct lexer x;
    int depth;
    size_t leaves;
    struct nlist rescore; /* positional phrase boosts (qry.rescore) */
    /* the last item was one positive unquoted word of no field: where */
    int simple;
    int filler; /* ... and only fillers (words of syn_filler) */
    const char *ws;
    size_t wl;
    /* the query's plain words and phrases in order (no operator, field or
     * exclusion anywhere; fillers left out): the whole-title fit */
    struct piece { const char *s; size_t len; } *pc;
    size_t npc, pccap;
    int pc_off; /* something else is in the query: no whole-title fit */
    int pc_gap; /* an excluded or other-field word after a piece: a piece
                 * after it turns the fit off (it would span that word) */
};

static xs_query *p_seq(struct parser *ps, int inner);

static void add_piece(struct parser *ps, const char *s, size_t len)
{
    if (ps->npc == ps->pccap) {
        size_t nc = ps->pccap ? ps->pccap * 2 : 8;
        struct piece *np = realloc(ps->pc, nc * sizeof *np);
        if (!np) {
            ps->pc_off = 1;
            return;
        }
        ps->pc = np;
        ps->pccap = nc;
    }
    ps->pc[ps->npc].s = s;
    ps->pc[ps->npc++].len = len;
}

/* Where an article reference (第三十四条, 第30條, 第二款, 第一千一百六十五条
 * 第二款 …) ends s[0, len) and starts: its byte offset, or len when there
 * is none. A law's name before it (食品安全法第三十四条) is the title the
 * reader means; the reference is in its text, not its title. */
static size_t article_ref(const char *s, size_t len)
{
    size_t at = len;
    for (;;) {
        /* backwards: the unit, the numerals, 第 */
        size_t i = at, nnum = 0;
        uint32_t cp = 0;
        static const char *const units[] = {"条", "條", "款", "项", "項", "章",
                                            "节", "節", "编", "編", NULL};
        size_t k, cl = 0;
        for (k = 0; units[k]; k++) {
            cl = strlen(units[k]);
            if (i >= cl && !memcmp(s + i - cl, units[k], cl))
                break;
        }
        if (!units[k])
            return at;
        i -= cl;
        for (;;) { /* numerals: Chinese, ASCII or full-width digits */
            size_t j = i;
            if (!j)
                break;
            j--;
            while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
                j--;
            utf8_dec((const unsigned char *)s + j, i - j, &cp);
            if (digit_value(cp) < 0 && cn_digit_value(cp) < 0 && cp != 0x5341 &&
                cp != 0x767E && cp != 0x5343) /* 十 百 千 */
                break;
            nnum++;
            i = j;
        }
        if (!nnum || i < 3 || memcmp(s + i - 3, "第", 3))
            return at;
        at = i - 3;
    }
}

/* Chinese numerals of n (1..9999): 30 -> 三十, 105 -> 一百零五, 1165 ->
 * 一千一百六十五, as the laws number their articles. */
static void cn_number(unsigned n, char *out, size_t cap)
{
    static const char *const dig[] = {"零", "一", "二", "三", "四", "五", "六", "七",
                                      "八", "九"};
    static const char *const unit[] = {"千", "百", "十", ""};
    unsigned div[] = {1000, 100, 10, 1}, k;
    int started = 0, zero = 0;
    out[0] = 0;
    for (k = 0; k < 4; k++) {
        unsigned d = n / div[k] % 10;
        if (!d) {
            zero = started;
            continue;
        }
        if (zero)
            snprintf(out + strlen(out), cap - strlen(out), "零");
        zero = 0;
        /* 十五, not 一十五, when it leads */
        if (!(k == 2 && d == 1 && !started))
            snprintf(out + strlen(out), cap - strlen(out), "%s", dig[d]);
        snprintf(out + strlen(out), cap - strlen(out), "%s", unit[k]);
        started = 1;
    }
}

/* q->article from an article reference s[0, len) (see struct qry). */
static void article_forms(struct qry *q, const char *s, size_t len)
{
    size_t fl, i = 0;
    char *f = fold_str(s, len, &fl);
    if (!f)
        return;
    if (fl < sizeof q->article[0]) {
        memcpy(q->article[0], f, fl + 1);
        /* 第 + ASCII digits + the rest */
        if (fl > 3 && !memcmp(f, "第", 3)) {
            unsigned n = 0;
            for (i = 3; i < fl && f[i] >= '0' && f[i] <= '9' && n < 10000; i++)
                n = n * 10 + (unsigned)(f[i] - '0');
            if (i > 3 && n >= 1 && n <= 9999) {
                char num[64];
                size_t nl, rl = fl - i;
                cn_number(n, num, sizeof num);
                nl = strlen(num);
                if (3 + nl + rl < sizeof q->article[1]) { /* whole, or none */
                    memcpy(q->article[1], "第", 3);
                    memcpy(q->article[1] + 3, num, nl);
                    memcpy(q->article[1] + 3 + nl, f + i, rl + 1);
                }
                /* Taiwan: 第 30 條 (a number and one unit only) */
                {
                    static const char *const tw[][2] = {
                        {"条", "條"}, {"项", "項"}, {"节", "節"}, {"编", "編"},
                        {"款", "款"}, {"章", "章"}};
                    size_t t;
                    for (t = 0; t < sizeof tw / sizeof tw[0]; t++)
                        if (rl == 3 && !memcmp(f + i, tw[t][0], 3))
                            snprintf(q->article[2], sizeof q->article[2],
                                     "第 %u %s", n, tw[t][1]);
                }
            }
        }
    }
    free(f);
}

static xs_query *p_primary(struct parser *ps, int *neg)
{
    struct lexer *x = &ps->x;
    for (;;) {
        if (x->type == T_NOT || x->type == T_NEG) {
            *neg = !*neg;
            lex_next(x);
            continue;
        }
        break;
    }
    if (x->type == T_LP) {
        xs_query *r;
        lex_next(x);
        ps->depth++;
        r = p_seq(ps, 1);
        ps->depth--;
        ps->simple = 0; /* a group is no word of a run */
        if (x->type == T_RP)
            lex_next(x);
        return r;
    }
    if (x->type == T_WORD || x->type == T_PHRASE) {
        xs_query *r = NULL;
        ps->simple = x->type == T_WORD && x->field == F_ANY;
        ps->ws = x->ts;
        ps->wl = x->tl;
        if (++ps->leaves > QRY_MAX_LEAVES)
            ps->q->truncated = 1;
        else if (x->tl) {
            struct qry *q = ps->q;
            size_t c0 = q->ncontent, f0 = q->nfill;
            int fo = q->fill_opt;
            /* a law's name and an article reference (食品安全法第三十四条):
             * two words; the reference is no part of a title */
            size_t cut = x->type == T_WORD && x->field == F_ANY && !*neg
                ? article_ref(x->ts, x->tl) : x->tl;
            q->no_syn = *neg;
            q->fill_opt = fo && !*neg; /* -怎么 excludes what it says */
            if (cut < x->tl) {
                xs_query *ar;
                char *a1 = q->article[0][0] ? NULL : q->article[1];
                if (a1)
                    article_forms(q, x->ts + cut, x->tl - cut);
                ar = leaf(ps->p, q, x->ts + cut, x->tl - cut, 0, F_ANY);
                if (a1 && *a1) /* 第39条: the laws write 第三十九条 */
                    ar = binary(q, XS_Q_OR, ar, leaf(ps->p, q, a1, strlen(a1), 0, F_ANY));
                r = cut ? binary(q, XS_Q_AND, leaf(ps->p, q, x->ts, cut, 0, F_ANY), ar)
                        : ar;
            } else {
                r = leaf(ps->p, q, x->ts, x->tl, x->type == T_PHRASE, x->field);
            }
            q->no_syn = 0;
            q->fill_opt = fo;
            if (*neg) { /* an excluded word is no word to look for */
                q->ncontent = c0;
                q->nfill = f0;
            } else if (!ps->simple) { /* a phrase or field word */
                q->ncontent++;
            }
            ps->filler = ps->simple && !*neg && q->ncontent == c0 && q->nfill > f0;
            /* -word or unit:word before or after the words (信息公开条例
             * -北京) leaves them the whole title; between them it does not */
            if (*neg || (x->field != F_ANY && x->field != F_TITLE)) {
                if (ps->npc)
                    ps->pc_gap = 1;
            } else if (!ps->filler && cut) {
                if (ps->pc_gap)
                    ps->pc_off = 1;
                add_piece(ps, x->ts, cut);
            }
            if (cut < x->tl)
                ps->simple = 0; /* nor of a run of words */
        }
        lex_next(x);
        return r;
    }
    return NULL;
}

/* item := primary { OR primary } ; returns the OR of positives; a negated
 * primary inside an OR means "everything but". */
static xs_query *p_item(struct parser *ps, int *neg_out)
{
    struct lexer *x = &ps->x;
    int neg = 0;
    xs_query *a;
    struct nlist l = {0};
    int any_or = 0;
    ps->simple = 0;
    a = p_primary(ps, &neg);
    if (neg || x->type == T_OR)
        ps->simple = 0;
    while (x->type == T_OR) {
        int n2 = 0;
        xs_query *b;
        lex_next(x);
        b = p_primary(ps, &n2);
        if (!b)
            continue;
        if (!any_or) {
            if (a)
                nl_add(&l, neg ? binary(ps->q, XS_Q_AND_NOT,
                                        qry_node(ps->q, XS_Q_ALL, 0), a) : a);
            any_or = 1;
            neg = 0;
        }
        nl_add(&l, n2 ? binary(ps->q, XS_Q_AND_NOT, qry_node(ps->q, XS_Q_ALL, 0), b) : b);
    }
    if (any_or) {
        *neg_out = 0;
        ps->simple = 0;
        ps->pc_off = 1;
        return nl_make(ps->q, &l, XS_Q_OR);
    }
    *neg_out = neg;
    return a;
}

/* Words typed one after another (climate change, 信息 公开): documents
 * holding them as that exact phrase rank higher; the words of the run are
 * the query text from its first word to its last. */
/* c (folded) opens with the state's name, which XS_SLOT_TITLELEN leaves
 * out of a longer title (the indexer's docbuild): so must a query. */
static size_t state_name(const uint32_t *c, size_t n)
{
    static const uint32_t prc[] = {0x4E2D, 0x534E, 0x4EBA, 0x6C11, 0x5171, 0x548C, 0x56FD};
    size_t k = sizeof prc / sizeof prc[0];
    return n > k && !memcmp(c, prc, sizeof prc) ? k : 0;
}

/* The title terms of s into l (S + each Latin word as folded; for a Han
 * stretch its S bigrams, at most 16 spread over it, or its one character)
 * and the positions s takes in a title (what XS_SLOT_TITLELEN counts);
 * (size_t)-1 when s cannot be one (a word over 64 characters). Han
 * stretches are left out when han is 0 (han_words weighs them). */
static size_t title_terms(struct qry *q, const char *s, size_t len, int han,
                          struct nlist *l, size_t *state)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i = 0, np = 0;
    char w[260];
    if (n == (size_t)-1)
        return n;
    if (state)
        *state = state_name(c, n) ? 7 : 0;
    w[0] = 'S';
    while (i < n) {
        size_t j = i + 1;
        if (is_han(c[i])) {
            /* 2019年政府工作报告: the year's 年 goes with the number, not
             * with the words after it (no 年政: the title may say
             * 2019年中华人民共和国国务院政府工作报告) */
            int year = c[i] == 0x5E74 && i >= 4 && i + 1 < n && is_han(c[i + 1]);
            size_t d;
            for (d = 1; year && d <= 4; d++)
                year = c[i - d] >= '0' && c[i - d] <= '9';
            if (year && i > 4 && c[i - 5] >= '0' && c[i - 5] <= '9')
                year = 0;
            while (j < n && is_han(c[j]) && !year)
                j++;
            np += j - i;
            if (!han) {
                np = (size_t)-1;
                break;
            }
            if (j - i == 1) {
                nl_add(l, qry_term(q, w, 1 + utf8_enc(c[i], w + 1), 1));
            } else {
                size_t m = j - i - 1, k, last = (size_t)-1; /* m bigrams */
                for (k = 0; k < 16 && k < m; k++) {
                    size_t b = i + (m <= 16 ? k : k * (m - 1) / 15), bl;
                    if (b == last)
                        continue;
                    last = b;
                    bl = 1 + utf8_enc(c[b], w + 1);
                    bl += utf8_enc(c[b + 1], w + bl);
                    nl_add(l, qry_term(q, w, bl, 1));
                }
            }
        } else if (ana_is_alnum(c[i])) {
            while (j < n && ana_is_alnum(c[j]) && !is_han(c[j]))
                j++;
            if (j - i > 64) {
                np = (size_t)-1;
                break;
            }
            nl_add(l, qry_term(q, w, 1 + enc_cps(c + i, j - i, w + 1), 1));
            np++;
        }
        i = j;
    }
    free(c);
    return np;
}

/* Latin words typed in a row that are (nearly) a document's whole title
 * (freedom of information act): the Han counterpart is in han_words. */
static xs_query *latin_title_fit(struct qry *q, const char *s, size_t len)
{
    struct nlist all = {0};
    size_t words = title_terms(q, s, len, 0, &all, NULL);
    if (words && words != (size_t)-1 && all.n == words)
        return title_fit(q, nl_make(q, &all, XS_Q_AND), words);
    free(all.v);
    return NULL;
}

/* The question words around a query's Han text (请问……是什么, 如何……):
 * *s and *len narrowed to what is between them (head: at its start, tail:
 * at its end), so that the text can still be a whole title. */
static void trim_fillers(const char **s, size_t *len, int head, int tail)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(*s, *len, &c, &st, &en), a = 0, b, k, l;
    if (n == (size_t)-1)
        return;
    b = n;
    for (int again = 1; again && head;) {
        again = 0;
        for (l = 4; l >= 1; l--) {
            for (k = 0; k < l && a + k < b && is_han(c[a + k]); k++)
                ;
            if (k == l && a + l < b && syn_filler(c + a, l)) {
                a += l;
                again = 1;
                break;
            }
        }
    }
    for (int again = 1; again && tail;) {
        again = 0;
        for (l = 4; l >= 1; l--) {
            for (k = 0; k < l && b > a + l && is_han(c[b - 1 - k]); k++)
                ;
            if (k == l && b > a + l && syn_filler(c + b - l, l)) {
                b -= l;
                again = 1;
                break;
            }
        }
    }
    if (a < b && (a > 0 || b < n)) {
        size_t from = st[a], to = en[b - 1];
        *s += from;
        *len = to - from;
    }
    free(c);
}

/* The whole-title fit of the query in the other regional vocabulary
 * (政府資訊公開 is the title 政府信息公开条例 as much as 政府信息公开 is):
 * each piece of Han characters alone that reads otherwise there, in its
 * other form; NULL when none does. n: the positions of the query. */
static xs_query *whole_title_variant(struct parser *ps, size_t n)
{
    struct qry *q = ps->q;
    struct nlist all = {0};
    size_t k;
    int changed = 0;
    xs_query *fit;
    for (k = 0; k < ps->npc; k++) {
        size_t sn = 0;
        uint32_t *sc = fold_to_cps(q, ps->pc[k].s, ps->pc[k].len, &sn), *vv[1];
        size_t vn[1];
        char *u;
        if (sc && sn >= 2 && sn <= 64 &&
            variants(ps->p, q, ps->pc[k].s, ps->pc[k].len, sc, sn, vv, vn, 1) == 1 &&
            (u = qalloc(q, vn[0] * 4 + 1)) != NULL) {
            /* variants() gives Han characters only: one position each */
            title_terms(q, u, enc_cps(vv[0], vn[0], u), 1, &all, NULL);
            n = n + vn[0] - sn;
            changed = 1;
        } else if (title_terms(q, ps->pc[k].s, ps->pc[k].len, 1, &all, NULL) ==
                   (size_t)-1) {
            changed = 0;
            break;
        }
    }
    if (!changed || n < 2 || !all.n) {
        free(all.v);
        return NULL;
    }
    if ((fit = title_fit(q, nl_make(q, &all, XS_Q_AND), n)) != NULL)
        fit->wqf = 2;
    return fit;
}

/* The query's words and phrases together as a document's whole title,
 * whatever brackets and quotes cut them apart (……的解释（二）, 印发……“十二五”
 * 规划的通知): a share of the title the square of the share they cover, so
 * the title that is just what was typed comes before longer ones holding
 * it (中华人民共和国商标法 before 中华人民共和国商标法实施条例, which the
 * linear fits of the runs leave to the texts). Not for one character: a
 * title of a few characters is no better for holding it; nor for a pasted
 * passage longer than any title. */
static xs_query *whole_title_fit(struct parser *ps)
{
    struct nlist all = {0};
    size_t k, n = 0, state = 0;
    xs_query *fit;
    if (ps->q->fill_opt) { /* the question words are optional */
        trim_fillers(&ps->pc[0].s, &ps->pc[0].len, 1, ps->npc == 1);
        if (ps->npc > 1)
            trim_fillers(&ps->pc[ps->npc - 1].s, &ps->pc[ps->npc - 1].len, 0, 1);
    }
    for (k = 0; k < ps->npc; k++)
        if (title_terms(ps->q, ps->pc[k].s, ps->pc[k].len, 1, &all,
                        k ? NULL : &state) == (size_t)-1) {
            free(all.v);
            return NULL;
        }
    /* the positions from the first word to the last, with the holes of
     * the punctuation between them, as the title's length counts them */
    k = ps->npc - 1;
    n = positions(ps->pc[0].s, (size_t)(ps->pc[k].s + ps->pc[k].len - ps->pc[0].s), 1);
    if (n > 7 && state)
        n -= state;
    if (n < 2 || n > 320 || !all.n) {
        free(all.v);
        return NULL;
    }
    if (!(fit = title_fit(ps->q, nl_make(ps->q, &all, XS_Q_AND), n)))
        return NULL;
    fit->wqf = 2; /* the square of the share */
    return binary(ps->q, XS_Q_MAX, fit, whole_title_variant(ps, n));
}

static xs_query *title_fit(struct qry *q, xs_query *match, size_t n)
{
    xs_query *fit;
    if (!match || !n || !(fit = qry_node(q, XS_Q_TITLEFIT, 1)))
        return NULL;
    fit->kids[0] = match;
    fit->nkids = 1;
    fit->slot = XS_SLOT_TITLELEN;
    fit->window = (unsigned)n;
    fit->factor = TITLE_FIT_WEIGHT;
    return fit;
}

/* The positions a run of words takes in the index: one per Latin word or
 * number and one per Han character (what XS_SLOT_TITLELEN counts), and
 * with holes, one more for punctuation between two of them (as ana_text
 * leaves). */
static size_t positions(const char *s, size_t len, int holes)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i = 0, np = 0;
    int gap = 0;
    if (n == (size_t)-1)
        return 0;
    while (i < n) {
        size_t j = i + 1;
        if (is_han(c[i]) || ana_is_alnum(c[i])) {
            while (!is_han(c[i]) && j < n && ana_is_alnum(c[j]) && !is_han(c[j]))
                j++;
            np += 1 + (gap && np && holes);
            gap = 0;
        } else if (!ana_is_space(c[i])) {
            gap = 1;
        }
        i = j;
    }
    free(c);
    return np;
}

static size_t run_positions(const char *s, size_t len)
{
    return positions(s, len, 0);
}

static void phrase_boost(struct parser *ps, struct nlist *l, const char *a,
                         const char *b, size_t nwords)
{
    if (nwords >= 1 && nwords <= PHRASE_BOOST_WORDS && b > a)
        nl_add(l, latin_title_fit(ps->q, a, (size_t)(b - a)));
    if (nwords >= 2 && nwords <= PHRASE_BOOST_WORDS && b > a) {
        int pos;
        xs_query *x = scale(ps->q, rank_phrase(ps->q, "", a, (size_t)(b - a), &pos),
                            PHRASE_BOOST);
        /* Han: bigrams, no positions, on every match; else a phrase,
         * checked on the best matches only */
        nl_add(pos ? &ps->rescore : l, x);
        /* Latin words met as this phrase in a title, not just all in it
         * (a Han run's title bigrams count as together already): the act
         * named before the acts quoting its name, by the share of the
         * title the phrase is */
        if (pos)
            nl_add(&ps->rescore, title_fit(ps->q, rank_phrase(ps->q, "S", a,
                                           (size_t)(b - a), NULL),
                                           run_positions(a, (size_t)(b - a))));
    }
}

static xs_query *p_seq(struct parser *ps, int inner)
{
    struct lexer *x = &ps->x;
    struct nlist pos = {0}, neg = {0}, boost = {0}, words = {0};
    xs_query *res;
    const char *ra = NULL, *rb = NULL; /* the current run of simple words */
    size_t rn = 0, nsimple = 0;
    for (;;) {
        int n = 0, fill;
        xs_query *it;
        while (x->type == T_AND || x->type == T_OR ||
               (x->type == T_RP && !inner)) {
            lex_next(x); /* lone operators and stray ')' are dropped */
            phrase_boost(ps, &boost, ra, rb, rn); /* and end a run */
            rn = 0;
        }
        if (x->type == T_END || (x->type == T_RP && inner))
            break;
        ps->filler = 0;
        it = p_item(ps, &n);
        fill = it && ps->simple && ps->filler && ps->q->fill_opt;
        if (fill) {
            /* a filler (what, 如何) only ranks; a run of words goes on
             * across it, but neither starts nor ends with it */
        } else if (it && ps->simple) {
            if (!rn)
                ra = ps->ws;
            rb = ps->ws + ps->wl;
            rn++;
        } else {
            phrase_boost(ps, &boost, ra, rb, rn);
            rn = 0;
        }
        /* plain words may be relaxed; phrases, fields and groups stay */
        if (it && !n && ps->simple && !fill)
            nsimple++;
        if (fill)
            nl_add(&boost, it);
        else if (it)
            nl_add(n ? &neg : ps->simple && ps->q->relaxed ? &words : &pos, it);
    }
    phrase_boost(ps, &boost, ra, rb, rn);
    if (!inner && !ps->pc_off && ps->npc)
        nl_add(&boost, whole_title_fit(ps));
    /* relaxed: the required parts, and any of the words on top (or at
     * least one of them when nothing else is required) */
    if (nsimple && (ps->q->relaxed ? pos.n : pos.n > nsimple))
        ps->q->conj++; /* the words could go optional */
    if (ps->q->relaxed && pos.n) {
        xs_query *opt = nl_must(ps->q, &words, "");
        res = nl_make(ps->q, &pos, XS_Q_AND);
        if (opt)
            res = binary(ps->q, XS_Q_AND_MAYBE, res, opt);
    } else if (ps->q->relaxed) {
        res = nl_must(ps->q, &words, "");
    } else {
        if (nsimple > 1)
            ps->q->conj += nsimple - 1;
        res = nl_make(ps->q, &pos, XS_Q_AND);
    }
    if (res && boost.n)
        res = binary(ps->q, XS_Q_AND_MAYBE, res, nl_make(ps->q, &boost, XS_Q_OR));
    else
        free(boost.v);
    if (neg.n) {
        xs_query *nq = nl_make(ps->q, &neg, XS_Q_OR);
        if (!res) {
            res = qry_node(ps->q, XS_Q_ALL, 0);
            if (!inner)
                ps->q->negative_only = 1;
        }
        res = binary(ps->q, XS_Q_AND_NOT, res, nq);
    } else {
        free(neg.v);
    }
    return res;
}

int qry_parse(struct qp *p, const char *q, size_t len, struct qry *out,
              struct err *e)
{
    return qry_parse_flags(p, q, len, 0, out, e);
}

int qry_parse_flags(struct qp *p, const char *q, size_t len, int flags,
                    struct qry *out, struct err *e)
{
    struct parser ps;
    size_t i;
    int any = 0;
    memset(out, 0, sizeof *out);
    out->relaxed = (flags & QRY_RELAXED) != 0;
    if (len > QRY_MAX_BYTES) {
        err_set(e, -1, "the query is %zu bytes long; shorten it to at most %d "
                "bytes (to check a whole draft, use the \"check a draft\" page)",
                len, QRY_MAX_BYTES);
        return -1;
    }
    for (i = 0; i < len; i++)
        if (q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r')
            any = 1;
    if (!any)
        return 0;
    for (i = 0; i < 2; i++) {
        memset(&ps, 0, sizeof ps);
        ps.p = p;
        ps.q = out;
        ps.x.s = q;
        ps.x.len = len;
        out->fill_opt = i == 0;
        lex_next(&ps.x);
        out->root = p_seq(&ps, 0);
        if (out->root && ps.rescore.n)
            out->rescore = nl_make(out, &ps.rescore, XS_Q_OR);
        else
            free(ps.rescore.v);
        free(ps.pc);
        if (i || out->ncontent || !out->nfill)
            break;
        /* nothing but fillers (什么是, what is): they are the query */
        qry_release(out);
        memset(out, 0, sizeof *out);
        out->relaxed = (flags & QRY_RELAXED) != 0;
    }
    if (!out->root) {
        err_set(e, -1, "the query has nothing to search for: type at least one "
                "word, character or number (operators such as AND, OR, NOT and "
                "punctuation alone match nothing)");
        qry_release(out);
        return -1;
    }
    return 0;
}

void qry_release(struct qry *q)
{
    struct qry_block *b = q->mem, *nx;
    for (; b; b = nx) {
        nx = b->next;
        free(b);
    }
    free(q->hl);
    memset(q, 0, sizeof *q);
}

static void describe(struct buf *b, const xs_query *q, int depth)
{
    static const char *names[] = {"TERM", "AND", "OR", "AND_NOT", "AND_MAYBE",
                                  "FILTER", "PHRASE", "NEAR", "SCALE",
                                  "VALUE_RANGE", "ALL", "NONE", "SYNONYM",
                                  "MAX", "TITLEFIT", "WILDCARD"};
    size_t i;
    if (!q || depth > 64) {
        buf_adds(b, "?");
        return;
    }
    switch (q->op) {
    case XS_Q_TERM:
        buf_add(b, q->term, q->term_len);
        return;
    case XS_Q_WILDCARD:
        buf_add(b, q->term, q->term_len);
        buf_addc(b, '*');
        return;
    case XS_Q_ALL:
        buf_adds(b, "<all>");
        return;
    case XS_Q_NONE:
        buf_adds(b, "<none>");
        return;
    case XS_Q_VALUE_RANGE:
        buf_printf(b, "(VALUE_RANGE %u %s %s)", q->slot, q->lo ? q->lo : "*",
                   q->hi ? q->hi : "*");
        return;
    default:
        break;
    }
    buf_printf(b, "(%s", (unsigned)q->op < sizeof names / sizeof names[0]
                             ? names[q->op] : "?");
    if (q->op == XS_Q_SCALE)
        buf_printf(b, " %g", q->factor);
    if ((q->op == XS_Q_PHRASE || q->op == XS_Q_NEAR) && q->window)
        buf_printf(b, "/%u", q->window);
    if (q->op == XS_Q_TITLEFIT)
        buf_printf(b, "%s %g %u", q->wqf == 2 ? "^2" : "", q->factor, q->window);
    for (i = 0; i < q->nkids; i++) {
        buf_addc(b, ' ');
        describe(b, q->kids[i], depth + 1);
    }
    buf_addc(b, ')');
}

char *qry_describe(const xs_query *q)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    if (!q)
        buf_adds(&b, "<empty>");
    else
        describe(&b, q, 0);
    return buf_detach(&b, NULL);
}

int qp_init(struct qp *p, struct err *e)
{
    memset(p, 0, sizeof *p);
    if (ana_init(&p->ana, e) < 0)
        return -1;
    p->s2twp = opencc_open("s2twp.json");
    p->tw2sp = opencc_open("tw2sp.json");
    p->s2t = opencc_open("s2t.json");
    if (p->s2twp == (void *)-1)
        p->s2twp = NULL;
    if (p->tw2sp == (void *)-1)
        p->tw2sp = NULL;
    if (p->s2t == (void *)-1)
        p->s2t = NULL;
    return 0;
}

void qp_release(struct qp *p)
{
    if (p->s2twp)
        opencc_close((opencc_t)p->s2twp);
    if (p->tw2sp)
        opencc_close((opencc_t)p->tw2sp);
    if (p->s2t)
        opencc_close((opencc_t)p->s2t);
    ana_release(&p->ana);
    memset(p, 0, sizeof *p);
}
