/* snippet.c - highlighted titles and snippets from the ORIGINAL text (see
 * snippet.h). The text is folded with the analyzer's table (one folded
 * character per original one), the query's highlight strings are found in
 * the folded characters, and the marks are put around the original bytes,
 * so a Simplified query highlights the Traditional text it matched, and a
 * phrase or word is marked whole. */
#define _GNU_SOURCE
#include "searchd/snippet.h"
#include "analysis/fold.h"
#include "common/buf.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIP_SCAN_MAX ((size_t)4 << 20) /* bytes of a huge text searched */
/* Read on by doubling, searching what is read as written (cheap), up to
 * this much; beyond it, or in the whole text, folding looks too. */
#define SNIP_SCAN_READ ((size_t)64 << 10)

struct span {
    size_t a, b; /* [a, b) in folded code points */
    uint64_t hl; /* which highlight strings it is (bit h % 64) */
};

static int cmp_span(const void *x, const void *y)
{
    const struct span *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? 1 : (p->b > q->b ? -1 : 0);
}

static void html_esc(struct buf *b, const char *s, size_t n, int squash)
{
    size_t i = 0, run = 0;
    while (i < n) {
        size_t j = i;
        /* a run of bytes that need nothing, copied at once */
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' ||
                (squash && (c == '\n' || c == '\r' || c == '\t' || c == ' ')))
                break;
            j++;
        }
        if (j > i) {
            buf_add(b, s + i, j - i);
            run = 0;
            i = j;
            continue;
        }
        switch (s[i]) {
        case '<': buf_adds(b, "&lt;"); run = 0; break;
        case '>': buf_adds(b, "&gt;"); run = 0; break;
        case '&': buf_adds(b, "&amp;"); run = 0; break;
        case '"': buf_adds(b, "&quot;"); run = 0; break;
        case '\'': buf_adds(b, "&#39;"); run = 0; break;
        default: /* white space, squashed to one space */
            if (!run++)
                buf_addc(b, ' ');
        }
        i++;
    }
}

struct spans {
    struct span *v;
    size_t n, cap;
};

static void sp_add(struct spans *s, size_t a, size_t b, uint64_t hl)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 32;
        struct span *np = realloc(s->v, nc * sizeof *np);
        if (!np)
            return;
        s->v = np;
        s->cap = nc;
    }
    s->v[s->n].a = a;
    s->v[s->n].b = b;
    s->v[s->n].hl = hl;
    s->n++;
}

/* Are the Latin words ending at b and starting at a (> b) one space or
 * joiner (- / . ' _) apart? */
static int latin_joined(const uint32_t *c, size_t b, size_t a)
{
    uint32_t j;
    if (a != b + 1 || b == 0)
        return 0;
    j = c[b];
    return (j == ' ' || j == '-' || j == '/' || j == '.' || j == '\'' || j == '_') &&
           ana_is_alnum(c[b - 1]) && !is_han(c[b - 1]) && ana_is_alnum(c[a]) && !is_han(c[a]);
}

/* Find every highlight string in the folded code points. */
static void find_spans(const uint32_t *c, size_t n, const struct qry *q,
                       void *stem, struct spans *out)
{
    size_t h, i;
    for (h = 0; h < q->nhl; h++) {
        const struct qry_hl *u = &q->hl[h];
        uint32_t uc[64];
        size_t un = 0, k = 0;
        if (u->kind != QHL_HAN)
            continue;
        while (k < u->len && un < 64)
            k += utf8_dec((const unsigned char *)u->s + k, u->len - k, &uc[un++]);
        if (!un)
            continue;
        for (i = 0; i + un <= n; i++) {
            if (c[i] == uc[0] && !memcmp(c + i, uc, un * sizeof *uc)) {
                sp_add(out, i, i + un, (uint64_t)1 << (h % 64));
            }
        }
    }
    /* Latin words: compare whole words, or their stems */
    for (h = 0; h < q->nhl && q->hl[h].kind == QHL_HAN; h++)
        ;
    for (i = h < q->nhl ? 0 : n; i < n;) {
        size_t j = i, wl = 0;
        char w[260];
        if (!ana_is_alnum(c[i]) || is_han(c[i])) {
            i++;
            continue;
        }
        while (j < n && ana_is_alnum(c[j]) && !is_han(c[j]))
            j++;
        if (j - i <= 64) {
            size_t k;
            char st[128];
            size_t sl = 0;
            int stemmed = 0;
            for (k = i; k < j; k++)
                wl += utf8_enc(c[k], w + wl);
            for (h = 0; h < q->nhl; h++) {
                const struct qry_hl *u = &q->hl[h];
                if (u->kind == QHL_LATIN && u->len == wl && !memcmp(u->s, w, wl)) {
                    sp_add(out, i, j, (uint64_t)1 << (h % 64));
                    break;
                }
                /* stems are (nearly always) prefixes of their words:
                 * stem only a word that starts like the stem */
                if (u->kind == QHL_STEM && stem && u->len <= wl &&
                    !memcmp(u->s, w, u->len < 3 ? u->len : 3)) {
                    if (!stemmed) {
                        sl = xs_stem_word((xs_stem *)stem, w, wl, st, sizeof st);
                        stemmed = 1;
                    }
                    if (sl == u->len && !memcmp(st, u->s, sl)) {
                        /* the same query word as its unstemmed form */
                        size_t g = h && q->hl[h - 1].kind == QHL_LATIN ? h - 1 : h;
                        sp_add(out, i, j, (uint64_t)1 << (g % 64));
                        break;
                    }
                }
            }
        }
        i = j;
    }
    /* merge overlapping and touching spans: whole phrases, not pieces;
     * Latin words too when one space or joiner is between them
     * ("<mark>COVID-19</mark>", "<mark>Bill de Blasio</mark>") */
    if (out->n > 1) {
        size_t m = 0;
        qsort(out->v, out->n, sizeof *out->v, cmp_span);
        for (i = 0; i < out->n; i++) {
            if (m && (out->v[i].a <= out->v[m - 1].b ||
                      latin_joined(c, out->v[m - 1].b, out->v[i].a))) {
                if (out->v[i].b > out->v[m - 1].b)
                    out->v[m - 1].b = out->v[i].b;
                out->v[m - 1].hl |= out->v[i].hl;
            } else {
                out->v[m++] = out->v[i];
            }
        }
        out->n = m;
    }
}

/* Emit original bytes of code points [from, to) with marks. */
static void emit(struct buf *b, const char *text, const uint32_t *st,
                 const uint32_t *en, size_t from, size_t to,
                 const struct spans *sp, int squash)
{
    size_t i = from, k = 0, at = from < to ? st[from] : 0;
    /* at: the text is written up to there; what folding dropped between
     * two code points (the space in 生态环境部 住房和城乡建设部, which the
     * index joins) is written too, outside any mark */
    while (k < sp->n && sp->v[k].b <= from)
        k++;
    while (i < to) {
        if (k < sp->n && sp->v[k].a <= i) {
            size_t e = sp->v[k].b < to ? sp->v[k].b : to;
            if (st[i] > at)
                html_esc(b, text + at, st[i] - at, squash);
            if (en[e - 1] > at) {
                size_t s0 = st[i] > at ? st[i] : at;
                buf_adds(b, "<mark>");
                html_esc(b, text + s0, en[e - 1] - s0, squash);
                buf_adds(b, "</mark>");
                at = en[e - 1];
            }
            /* folded expansions share one original range: skip them */
            i = e;
            while (i < to && st[i] == st[e - 1])
                i++;
            k++;
        } else {
            size_t e = k < sp->n && sp->v[k].a < to ? sp->v[k].a : to;
            /* code points of one original character share its range */
            if (en[e - 1] > at) {
                html_esc(b, text + at, en[e - 1] - at, squash);
                at = en[e - 1];
            }
            i = e;
        }
    }
}

/* Fold text[0, len) as the index does (white space between Han characters
 * dropped) and find where q matches: the code points with the original
 * byte range of each (free *c alone), the spans in *sp; (size_t)-1 when
 * out of memory. */
static size_t fold_marks(const char *text, size_t len, const struct qry *q,
                         void *stem, uint32_t **c, uint32_t **st,
                         uint32_t **en, struct spans *sp)
{
    size_t n = ana_fold_cps(text, len, c, st, en);
    if (n == (size_t)-1)
        return n;
    n = ana_join_han(*c, *st, *en, n);
    if (q)
        find_spans(*c, n, q, stem, sp);
    return n;
}

char *snip_title(const char *text, size_t len, const struct qry *q, void *stem)
{
    uint32_t *c, *st, *en;
    size_t n;
    struct spans sp = {0};
    struct buf b;
    buf_init(&b, 0);
    if (!text || !len)
        return buf_detach(&b, NULL);
    n = fold_marks(text, len, q, stem, &c, &st, &en, &sp);
    if (n == (size_t)-1)
        return NULL;
    emit(&b, text, st, en, 0, n, &sp, 0); /* the title as it is written */
    free(c);
    free(sp.v);
    return buf_detach(&b, NULL);
}

/* memmem for a folded (lower-case) needle written with a capital. */
static const char *memmem_cap(const char *h, size_t n, const char *nd, size_t m)
{
    char cap[64];
    if (m > sizeof cap || nd[0] < 'a' || nd[0] > 'z')
        return NULL;
    memcpy(cap, nd, m);
    cap[0] = (char)(cap[0] - 32);
    return memmem(h, n, cap, m);
}

/* memmem ignoring ASCII case, for a lower-case needle (a Latin phrase). */
static const char *memmem_icase(const char *h, size_t n, const char *nd,
                                size_t m)
{
    size_t i;
    if (!m || m > n)
        return NULL;
    for (i = 0; i + m <= n; i++) {
        char c = h[i] >= 'A' && h[i] <= 'Z' ? (char)(h[i] + 32) : h[i];
        if (c == nd[0] && !strncasecmp(h + i, nd, m))
            return h + i;
    }
    return NULL;
}

static int is_break(uint32_t c)
{
    return c == 0x3002 || c == '\n' || c == 0xFF01 || c == 0xFF1F || c == '.' ||
           c == '!' || c == '?' || c == 0xFF1B || c == ';';
}

static char *snip_window(const char *text, size_t len, size_t full,
                         int cut_before, const struct qry *q, void *stem,
                         size_t width, int *found);

/* Where the first match lies in text[0, len) through folding (another
 * script, case, a line break inside a word): byte offset, or (size_t)-1. */
static size_t first_folded(const char *text, size_t len, const struct qry *q,
                           void *stem)
{
    uint32_t *c, *st, *en;
    size_t n, at = (size_t)-1;
    struct spans sp = {0};
    n = fold_marks(text, len, q, stem, &c, &st, &en, &sp);
    if (n == (size_t)-1)
        return at;
    if (sp.n)
        at = st[sp.v[0].a];
    free(c);
    free(sp.v);
    return at;
}

/* How much to ask for when nothing was met in a prefix of len bytes: twice
 * as much (four times when the text must be folded to be searched, which
 * costs more than reading), the whole beyond SNIP_SCAN_READ. */
static size_t read_on(size_t len, int fold)
{
    size_t want = len < 2048 ? 4096 : len * (fold ? 4 : 2);
    return want > SNIP_SCAN_READ ? SIZE_MAX : want;
}

/* A prefix of len bytes falls short of want by more than the whole
 * character a piece read may end before. */
static int short_of(size_t len, size_t want)
{
    return len + 4 <= want;
}

char *snip_best(const char *text, size_t len, size_t full, int fold,
                const struct qry *q, void *stem, size_t width, size_t *more)
{
    static const size_t steps[] = {2 << 10, 10 << 10, 64 << 10};
    int found = 0, marks = q && q->nhl; /* anything to look for */
    int phrase = 0, looked = 0;
    size_t k, at = (size_t)-1, at_ph = (size_t)-1;
    *more = 0;
    if (full < len)
        full = len;
    /* an article reference (食品安全法第三十四条): the passage is that
     * article, wherever it is: its heading (not after a word, as in
     * 本法第三十九条 or 和第四十条) in any of its forms, else its first
     * mention once the whole text is read */
    if (q && q->article[0][0]) {
        size_t mention = (size_t)-1, heading = (size_t)-1;
        for (k = 0; k < 3 && heading == (size_t)-1; k++) {
            size_t al = strlen(q->article[k]), from = 0;
            const char *m;
            while (al && (m = memmem(text + from, len - from, q->article[k], al))) {
                size_t o = (size_t)(m - text), pb = o;
                uint32_t pc = 0;
                while (pb > 0 && ((unsigned char)text[--pb] & 0xC0) == 0x80)
                    ;
                if (o)
                    utf8_dec((const unsigned char *)text + pb, o - pb, &pc);
                if (o < mention)
                    mention = o;
                if (!o || !(is_han(pc) || (pc < 128 && isalnum((int)pc)))) {
                    heading = o;
                    break;
                }
                from = o + al;
            }
        }
        if (heading == (size_t)-1 && len < full) {
            *more = read_on(len, 0); /* read on for it */
            return NULL;
        }
        at_ph = heading != (size_t)-1 ? heading : mention;
    }
    /* the earliest place a highlight string occurs as written (most
     * documents are in the query's script and case): fold a few KB around
     * it instead of the text up to it */
    for (k = 0; q && k < q->nhl; k++) {
        const char *m;
        if (q->hl[k].kind == QHL_PHRASE) { /* the words together go first */
            phrase = 1;
            m = memmem_icase(text, len, q->hl[k].s, q->hl[k].len);
            if (m && (size_t)(m - text) < at_ph)
                at_ph = (size_t)(m - text);
            continue;
        }
        if (q->hl[k].len < 2)
            continue;
        m = memmem(text, len, q->hl[k].s, q->hl[k].len);
        if (q->hl[k].kind != QHL_HAN) { /* also Capitalised; stems are
                                         * nearly always prefixes */
            const char *m2 = memmem_cap(text, m ? (size_t)(m - text) : len,
                                        q->hl[k].s, q->hl[k].len);
            if (m2)
                m = m2;
        }
        if (m && (size_t)(m - text) < at)
            at = (size_t)(m - text);
    }
    if (at_ph != (size_t)-1) {
        at = at_ph;
    } else if (phrase && len < full && short_of(len, 8192)) {
        *more = 8192; /* a phrase's words apart: is the phrase a little on? */
        return NULL;
    }
    if (at == (size_t)-1 && fold && marks && len < full && len <= 16384) {
        at = first_folded(text, len, q, stem); /* before reading more */
        looked = 1;
    }
    if (at != (size_t)-1 && len < full && at + 800 > len) {
        *more = at + 1024; /* found near the prefix's end: the passage must fit */
        return NULL;
    }
    if (at != (size_t)-1 && full > 2048) {
        /* a phrase found together: the passage starts shortly before it */
        size_t back = at_ph != (size_t)-1 ? 60 : 200;
        size_t a = utf8_align(text, at > back ? at - back : 0);
        size_t b = utf8_align(text, at + 800 < len ? at + 800 : len);
        char *r = snip_window(text + a, b - a, full - a, a > 0, q, stem, width, &found);
        if (found || !r)
            return r;
        free(r);
    }
    /* nothing met as written: read on, the reading costing less than
     * folding; once (the first piece after the head) the start is looked
     * at through folding too, for a word a line end or a case breaks
     * (unless first_folded has looked at all of it already) */
    if (marks && len < full && read_on(len, fold) != SIZE_MAX) {
        if (!looked && !short_of(len, 4096) && short_of(len, 8192) && full > 2048) {
            char *r = snip_window(text, utf8_align(text, 2048), full, 0, q, stem,
                                  width, &found);
            if (found || !r)
                return r;
            free(r);
        }
        *more = read_on(len, fold);
        return NULL;
    }
    /* else: look at the start first, the whole text (up to SNIP_SCAN_MAX)
     * only when the start has no match */
    for (k = 0; marks && k < sizeof steps / sizeof steps[0]; k++) {
        size_t first = steps[k];
        char *r;
        if (full <= first)
            break;
        if (short_of(len, first)) { /* only a prefix is here */
            *more = first;
            return NULL;
        }
        first = utf8_align(text, first < len ? first : len);
        r = snip_window(text, first, full, 0, q, stem, width, &found);
        if (found || !r)
            return r;
        free(r);
    }
    if (len < full && (marks || len < width * 4)) {
        *more = SIZE_MAX;
        return NULL;
    }
    return snip_window(text, len, full, 0, q, stem, width, &found);
}

/* The best passage within the first len bytes of a text of full bytes;
 * cut_before: text is itself a piece cut out of a longer one. */
static char *snip_window(const char *text, size_t len, size_t full,
                         int cut_before, const struct qry *q, void *stem,
                         size_t width, int *found)
{
    uint32_t *c, *st, *en;
    size_t n, i, best = 0, bestc = 0, bestw = 0, bestd = 0, from, to, k;
    struct spans sp = {0};
    struct buf b;
    buf_init(&b, 0);
    if (!text || !len)
        return buf_detach(&b, NULL);
    if (len > SNIP_SCAN_MAX) {
        len = SNIP_SCAN_MAX;
        while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
    }
    n = fold_marks(text, len, q, stem, &c, &st, &en, &sp);
    if (n == (size_t)-1)
        return NULL;
    *found = sp.n > 0;
    /* the window holding the most of the query: the most distinct
     * highlight strings (a phrase whole before its words apart), then the
     * most matches, then more marked characters, then the earliest */
    for (i = 0; i < sp.n; i++) {
        size_t cnt = 0, w = 0, d;
        uint64_t seen = 0;
        for (k = i; k < sp.n && sp.v[k].b <= sp.v[i].a + width; k++) {
            cnt++;
            w += sp.v[k].b - sp.v[k].a;
            seen |= sp.v[k].hl;
        }
        d = (size_t)__builtin_popcountll(seen);
        if (d > bestd || (d == bestd && (cnt > bestc ||
                                         (cnt == bestc && w > bestw)))) {
            bestd = d;
            bestc = cnt;
            bestw = w;
            best = i;
        }
    }
    if (sp.n) {
        size_t a = sp.v[best].a, lim;
        /* start at a sentence start when one is near before the match */
        from = a > width / 4 ? a - width / 4 : 0;
        lim = a > width / 2 ? a - width / 2 : 0;
        for (k = a; k > lim; k--)
            if (is_break(c[k - 1])) {
                from = k;
                break;
            }
    } else {
        from = 0;
    }
    while (from < n && (c[from] == ' ' || c[from] == '\n' || c[from] == '\r' ||
                        c[from] == '\t'))
        from++;
    to = from + width < n ? from + width : n;
    for (k = 0; k < sp.n; k++) /* never cut a marked word or phrase */
        if (sp.v[k].a < to && sp.v[k].b > to)
            to = sp.v[k].b;
    if (from > 0 || cut_before)
        buf_adds(&b, "…");
    emit(&b, text, st, en, from, to, &sp, 1);
    if (to < n || len < full)
        buf_adds(&b, "…");
    free(c);
    free(sp.v);
    return buf_detach(&b, NULL);
}
