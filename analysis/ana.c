/* ana.c - the analyzer (see ana.h). One pass folds the text into code
 * points that remember their original byte range; a second pass cuts them
 * into Han runs and Latin runs and emits each layer's terms. */
#include "analysis/ana.h"
#include "analysis/docno.h"
#include "analysis/fold.h"
#include "analysis/seg.h"
#include "shim/xs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#define ANA_MAX_LATIN 64   /* longer Latin "words" (base64, hashes) are noise */

static const char *kind_names[ANA_NKINDS] = {
    "char", "ngram", "word", "latin", "number", "stem", "docno"};
static const char *kind_prefix[ANA_NKINDS] = {"", "", "W", "", "", "Z", "T"};

const char *ana_kind_name(int kind)
{
    return kind >= 0 && kind < ANA_NKINDS ? kind_names[kind] : "?";
}

const char *ana_prefix(int kind)
{
    return kind >= 0 && kind < ANA_NKINDS ? kind_prefix[kind] : "";
}

size_t ana_make_term(char *out, size_t cap, const char *field_prefix, int kind,
                     const char *term, size_t len)
{
    size_t fl = strlen(field_prefix), kl = strlen(ana_prefix(kind));
    if (fl + kl + len + 1 > cap)
        return 0;
    memcpy(out, field_prefix, fl);
    memcpy(out + fl, ana_prefix(kind), kl);
    memcpy(out + fl + kl, term, len);
    out[fl + kl + len] = 0;
    return fl + kl + len;
}

char *ana_bool_term(const char *prefix, const char *value, size_t len)
{
    size_t fl, pl = strlen(prefix);
    char *f = fold_str(value, len, &fl), *out;
    size_t i, j;
    if (!f)
        return NULL;
    /* trim, and collapse inner whitespace runs to one space */
    out = malloc(pl + 1 + fl + 1);
    if (!out) {
        free(f);
        return NULL;
    }
    memcpy(out, prefix, pl);
    out[pl] = ':';
    j = pl + 1;
    for (i = 0; i < fl; i++) {
        int sp = f[i] == ' ' || f[i] == '\t' || f[i] == '\n' || f[i] == '\r';
        if (sp) {
            if (j > pl + 1 && out[j - 1] != ' ')
                out[j++] = ' ';
        } else {
            out[j++] = f[i];
        }
    }
    if (j > pl + 1 && out[j - 1] == ' ')
        j--;
    out[j] = 0;
    free(f);
    return out;
}

size_t ana_id_term(const char *id, char *out, size_t cap)
{
    size_t n = strlen(id);
    if (cap < 40)
        return 0;
    if (n + 2 < XS_MAX_TERM && n + 3 <= cap) {
        memcpy(out, "Q:", 2);
        memcpy(out + 2, id, n + 1);
        return n + 2;
    } else {
        uint64_t a = 1469598103934665603ULL, b = 0x84222325cbf29ce4ULL;
        size_t i;
        for (i = 0; i < n; i++) {
            a = (a ^ (unsigned char)id[i]) * 1099511628211ULL;
            b = (b ^ (unsigned char)id[i]) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
        }
        snprintf(out, cap, "Q:#%016llx%016llx", (unsigned long long)a,
                 (unsigned long long)b);
        return 35;
    }
}

int ana_is_alnum_slow(uint32_t cp)
{
    if (is_han(cp))
        return 0;
    /* kana and hangul are left to the n-gram layer? They are rare here:
     * treat them as word characters of their own script run. */
    return u_isalnum((UChar32)cp) && !(cp >= 0x3000 && cp <= 0x30FF);
}

int ana_global_init(struct err *e)
{
    if (fold_init(e) < 0)
        return -1;
    if (seg_init(NULL, e) < 0)
        return 1;
    return 0;
}

int ana_init(struct ana *a, struct err *e)
{
    xs_err xe;
    memset(a, 0, sizeof *a);
    if (fold_init(e) < 0)
        return -1;
    if (xs_stem_new("en", (xs_stem **)&a->stem, &xe) != XS_OK) {
        err_set(e, -1, "ana: cannot create the english stemmer: %s", xe.msg);
        return -1;
    }
    return 0;
}

void ana_release(struct ana *a)
{
    free(a->toks);
    free(a->terms);
    free(a->cps);
    free(a->segw);
    xs_stem_free((xs_stem *)a->stem);
    memset(a, 0, sizeof *a);
}

void ana_reset(struct ana *a)
{
    a->n = 0;
    a->tlen = 0;
    a->pos = 0;
    a->failed = 0;
}

static int add_tok(struct ana *a, int kind, const char *term, size_t len,
                   uint32_t pos, uint32_t start, uint32_t end)
{
    struct ana_tok *t;
    if (a->failed)
        return -1;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        void *np = realloc(a->toks, nc * sizeof *a->toks);
        if (!np)
            goto oom;
        a->toks = np;
        a->cap = nc;
    }
    if (a->tlen + len + 1 > a->tcap) {
        size_t nc = a->tcap ? a->tcap * 2 : 4096;
        char *np;
        while (nc < a->tlen + len + 1)
            nc *= 2;
        np = realloc(a->terms, nc);
        if (!np)
            goto oom;
        a->terms = np;
        a->tcap = nc;
    }
    t = &a->toks[a->n++];
    t->term = (uint32_t)a->tlen;
    t->len = (uint16_t)len;
    t->kind = (uint8_t)kind;
    t->positional = pos != 0;
    t->pos = pos;
    t->start = start;
    t->end = end;
    {   /* most terms are one character or two (3 or 6 bytes): constant-size
         * copies the compiler inlines, not a call per token */
        char *dst = a->terms + a->tlen;
        switch (len) {
        case 3: memcpy(dst, term, 3); break;
        case 6: memcpy(dst, term, 6); break;
        default: memcpy(dst, term, len);
        }
        dst[len] = 0;
    }
    a->tlen += len + 1;
    return 0;
oom:
    a->failed = 1;
    return -1;
}

/* Fold s into a->cps / cst / cen. Returns the count or (size_t)-1. */
static size_t fold_into(const char *s, size_t len, uint32_t **cpsp,
                        uint32_t **cstp, uint32_t **cenp, size_t *capp)
{
    size_t i = 0, n = 0;
    /* folding never makes more code points than bytes, except for the
     * rare compatibility expansions (㈠ -> "(一)"): grow when needed */
    while (i < len) {
        uint32_t cp;
        size_t cl, fl, j;
        const char *f;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80 && n < *capp) { /* ASCII: the common case, inline */
            (*cpsp)[n] = b >= 'A' && b <= 'Z' ? b + 32u : b;
            (*cstp)[n] = (uint32_t)i;
            (*cenp)[n] = (uint32_t)(i + 1);
            n++;
            i++;
            continue;
        }
        if (b >= 0xE0 && b <= 0xEF && i + 2 < len && n < *capp &&
            ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
            ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
            /* a 3-byte character (all of CJK): decode and fold inline */
            uint32_t one;
            cp = (uint32_t)(b & 0x0F) << 12 |
                 (uint32_t)((unsigned char)s[i + 1] & 0x3F) << 6 |
                 ((unsigned char)s[i + 2] & 0x3F);
            if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) &&
                (one = fold_one(cp)) != FOLD_NOT_ONE) {
                (*cpsp)[n] = one;
                (*cstp)[n] = (uint32_t)i;
                (*cenp)[n] = (uint32_t)(i + 3);
                n++;
                i += 3;
                continue;
            }
        }
        cl = utf8_dec((const unsigned char *)s + i, len - i, &cp);
        f = fold_cp(cp, &fl);
        for (j = 0; j < fl;) {
            uint32_t fc;
            j += utf8_dec((const unsigned char *)f + j, fl - j, &fc);
            if (n == *capp) {
                size_t nc = *capp ? *capp * 2 : (len < 64 ? 64 : len + 16);
                uint32_t *np = malloc(3 * nc * sizeof *np);
                if (!np)
                    return (size_t)-1;
                if (n) {
                    memcpy(np, *cpsp, n * sizeof *np);
                    memcpy(np + nc, *cstp, n * sizeof *np);
                    memcpy(np + 2 * nc, *cenp, n * sizeof *np);
                }
                free(*cpsp);
                *cpsp = np;
                *cstp = np + nc;
                *cenp = np + 2 * nc;
                *capp = nc;
            }
            (*cpsp)[n] = fc;
            (*cstp)[n] = (uint32_t)i;
            (*cenp)[n] = (uint32_t)(i + cl);
            n++;
        }
        i += cl;
    }
    return n;
}

size_t ana_fold_cps(const char *s, size_t len, uint32_t **cps, uint32_t **start,
                    uint32_t **end)
{
    size_t cap = 0, n;
    *cps = *start = *end = NULL;
    n = fold_into(s, len, cps, start, end, &cap);
    if (n == (size_t)-1) {
        free(*cps);
        *cps = *start = *end = NULL;
    }
    return n;
}

static void han_run(struct ana *a, size_t from, size_t to, size_t base,
                    int flags)
{
    const uint32_t *c = a->cps + from;
    size_t n = to - from, i;
    char t[16];
    uint32_t p = a->pos + 1;

    for (i = 0; i < n; i++) {
        size_t l = utf8_enc(c[i], t);
        uint32_t st = (uint32_t)(base + a->cst[from + i]);
        uint32_t en = (uint32_t)(base + a->cen[from + i]);
        /* the character, positional (phrases are checked on these, for the
         * documents the selective bigrams let through); the bigram,
         * positionless (a 2-character string is exactly its bigram) */
        add_tok(a, ANA_CHAR, t, l, p + (uint32_t)i, st, en);
        if (i + 1 < n) {
            size_t l2 = utf8_enc(c[i + 1], t + l);
            add_tok(a, ANA_NGRAM, t, l + l2, 0, st,
                    (uint32_t)(base + a->cen[from + i + 1]));
        }
    }
    a->pos = p + (uint32_t)n - 1;
    if (!(flags & ANA_NO_WORDS) && seg_ready()) {
        struct seg_word *w;
        size_t nw, k;
        if (a->segcap < 2 * n + 16) {
            void *np = realloc(a->segw, (2 * n + 16) * sizeof *w);
            if (!np) {
                a->failed = 1;
                return;
            }
            a->segw = np;
            a->segcap = 2 * n + 16;
        }
        w = a->segw;
        nw = seg_run(c, n, w, a->segcap);
        for (k = 0; k < nw; k++) {
            char wt[16 * 4 + 1];
            size_t wl = 0, j;
            if (w[k].end - w[k].start < 2 || w[k].end - w[k].start > 16)
                continue;
            for (j = w[k].start; j < w[k].end; j++)
                wl += utf8_enc(c[j], wt + wl);
            add_tok(a, ANA_WORD, wt, wl, 0,
                    (uint32_t)(base + a->cst[from + w[k].start]),
                    (uint32_t)(base + a->cen[from + w[k].end - 1]));
        }
    }
}

static void latin_run(struct ana *a, size_t from, size_t to, size_t base,
                      int flags)
{
    char t[ANA_MAX_LATIN + 8];
    size_t l = 0, i;
    int digits = 1;
    uint32_t st = (uint32_t)(base + a->cst[from]);
    uint32_t en = (uint32_t)(base + a->cen[to - 1]);
    for (i = from; i < to; i++) {
        char e[4];
        size_t el = utf8_enc(a->cps[i], e);
        if (l + el > ANA_MAX_LATIN)
            return;     /* noise: no term */
        memcpy(t + l, e, el);
        l += el;
        if (!(a->cps[i] >= '0' && a->cps[i] <= '9'))
            digits = 0;
    }
    a->pos++;
    add_tok(a, digits ? ANA_NUMBER : ANA_LATIN, t, l, a->pos, st, en);
    if (!digits && !(flags & ANA_NO_STEMS) && a->stem) {
        char s[ANA_MAX_LATIN + 8];
        size_t sl = xs_stem_word((xs_stem *)a->stem, t, l, s, sizeof s);
        /* a word that is its own stem (of, the, record) needs no stem term:
         * the query side looks for the stem as a plain word too */
        if (sl && (sl != l || memcmp(s, t, l)))
            add_tok(a, ANA_STEM, s, sl, 0, st, en);
    }
}

struct docno_ctx {
    struct ana *a;
    const char *s;
    size_t base;
};

static void on_docno(void *ctx, size_t start, size_t end)
{
    struct docno_ctx *d = ctx;
    char key[256];
    size_t kl = docno_norm(d->s + start, end - start, key, sizeof key);
    if (kl)
        add_tok(d->a, ANA_DOCNO, key, kl, 0, (uint32_t)(d->base + start),
                (uint32_t)(d->base + end));
}

size_t ana_join_han(uint32_t *cps, uint32_t *st, uint32_t *en, size_t n)
{
    size_t k, o = 0;
    for (k = 0; k < n; k++) {
        if (ana_is_space(cps[k]) && o > 0 && is_han(cps[o - 1])) {
            size_t m = k;
            while (m < n && ana_is_space(cps[m]))
                m++;
            if (m < n && is_han(cps[m])) {
                k = m - 1;
                continue;
            }
        }
        if (o != k) { /* nothing dropped yet: nothing to move */
            cps[o] = cps[k];
            st[o] = st[k];
            en[o] = en[k];
        }
        o++;
    }
    return o;
}


int ana_text(struct ana *a, const char *s, size_t len, size_t base, int flags)
{
    size_t n, i = 0;
    int gap = 0;
    if (a->failed)
        return -1;
    n = fold_into(s, len, &a->cps, &a->cst, &a->cen, &a->ccap);
    if (n == (size_t)-1) {
        a->failed = 1;
        return -1;
    }
    n = ana_join_han(a->cps, a->cst, a->cen, n);
    while (i < n) {
        uint32_t c = a->cps[i];
        size_t j = i + 1;
        if (is_han(c)) {
            while (j < n && is_han(a->cps[j]))
                j++;
            if (gap)
                a->pos++;
            han_run(a, i, j, base, flags);
            gap = 0;
        } else if (ana_is_alnum(c)) {
            while (j < n && ana_is_alnum(a->cps[j]) && !is_han(a->cps[j]))
                j++;
            if (gap)
                a->pos++;
            latin_run(a, i, j, base, flags);
            gap = 0;
        } else if (!ana_is_space(c)) {
            /* punctuation leaves a hole in the positions, so a phrase never
             * matches across it (white space does not: 信息 公开 and a line
             * broken inside a sentence still match 信息公开) */
            gap = 1;
        }
        i = j;
    }
    if (!(flags & ANA_NO_DOCNO)) {
        struct docno_ctx d = {a, s, base};
        docno_scan(s, len, on_docno, &d);
    }
    return a->failed ? -1 : 0;
}
