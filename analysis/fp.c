/* fp.c - shingles, winnowing and overlap (see fp.h). */
#include "analysis/fp.h"
#include "analysis/ana.h"
#include "analysis/fold.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every shingle hash of s in text order, handed to emit (which returns
 * nonzero to stop), in one pass: decode, fold (as ana_fold_cps does: one
 * code point may fold to several), keep content characters, roll a
 * polynomial hash over the last FP_K of them, mix. No array of the whole
 * text: candidates can be long. Returns the number of shingles emitted. */
static inline __attribute__((always_inline)) size_t
fp_each(const char *s, size_t len,
        int (*emit)(uint64_t h, size_t a, size_t b, void *ctx), void *ctx)
{
    const uint64_t B = 0x100000001b3ULL;
    uint64_t x = 0, bk = 1;
    uint32_t ring[FP_K];
    size_t off[FP_K]; /* where each character of the ring starts in s */
    size_t i = 0, m = 0, cnt = 0, k;
    for (k = 0; k < FP_K; k++)
        bk *= B; /* B^FP_K */
    while (i < len) {
        uint32_t cp, one, fc[24]; /* NFKC's longest expansion is 18 */
        size_t nf = 0, j, at = i;
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) { /* ASCII: letters and digits count, the rest not */
            i++;
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b + 32);
            else if (!(b >= 'a' && b <= 'z') && !(b >= '0' && b <= '9'))
                continue;
            fc[nf++] = b;
        } else if (b >= 0xE0 && b <= 0xEF && i + 2 < len &&
                   ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
                   ((unsigned char)s[i + 2] & 0xC0) == 0x80 &&
                   (cp = (uint32_t)(b & 0x0F) << 12 |
                         (uint32_t)((unsigned char)s[i + 1] & 0x3F) << 6 |
                         ((unsigned char)s[i + 2] & 0x3F)) >= 0x800 &&
                   (cp < 0xD800 || cp > 0xDFFF) &&
                   (one = fold_one(cp)) != FOLD_NOT_ONE) {
            /* a 3-byte character (all of CJK), decoded here */
            i += 3;
            fc[nf++] = one;
        } else {
            i += utf8_dec((const unsigned char *)s + i, len - i, &cp);
            if ((one = fold_one(cp)) != FOLD_NOT_ONE) {
                fc[nf++] = one;
            } else {
                size_t fl, q = 0;
                const char *f = fold_cp(cp, &fl);
                while (q < fl && nf < sizeof fc / sizeof fc[0])
                    q += utf8_dec((const unsigned char *)f + q, fl - q, &fc[nf++]);
            }
        }
        for (j = 0; j < nf; j++) {
            uint32_t c = fc[j];
            if (c >= 0x80 && !is_han(c) && !ana_is_alnum(c))
                continue;
            if (c < 0x80 && !ana_is_alnum(c))
                continue;
            if (m >= FP_K)
                x = x * B + c + 1 - bk * (ring[m % FP_K] + 1);
            else
                x = x * B + c + 1;
            ring[m % FP_K] = c;
            off[m % FP_K] = at;
            m++;
            if (m >= FP_K) {
                uint64_t y = x;
                y ^= y >> 29;
                y *= 0xbf58476d1ce4e5b9ULL;
                y ^= y >> 32;
                cnt++;
                /* the shingle's bytes: from its first character's start
                 * (the oldest in the ring) to this one's end */
                if (emit(y, off[m % FP_K], i, ctx))
                    return cnt;
            }
        }
    }
    return cnt;
}

struct fp_vec {
    uint64_t *v;
    size_t n, cap;
    int oom;
};

static inline int fp_push(uint64_t h, size_t a_, size_t b_, void *ctx)
{
    struct fp_vec *a = ctx;
    (void)a_;
    (void)b_;
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        uint64_t *nv = realloc(a->v, nc * sizeof *nv);
        if (!nv) {
            a->oom = 1;
            return 1;
        }
        a->v = nv;
        a->cap = nc;
    }
    a->v[a->n++] = h;
    return 0;
}

size_t fp_shingles(const char *s, size_t len, uint64_t **out)
{
    struct fp_vec a = {0};
    fp_each(s, len, fp_push, &a);
    if (a.oom || (!a.v && !(a.v = malloc(sizeof *a.v)))) {
        free(a.v);
        *out = NULL;
        return (size_t)-1;
    }
    *out = a.v;
    return a.n;
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t fp_unique(uint64_t *h, size_t n)
{
    size_t i, m = 0;
    if (!n)
        return 0;
    qsort(h, n, sizeof *h, cmp64);
    for (i = 0; i < n; i++)
        if (!m || h[m - 1] != h[i])
            h[m++] = h[i];
    return m;
}

size_t fp_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else {
            c++;
            i++;
            j++;
        }
    }
    return c;
}


/* An open-addressing table of a (small) shingle set with a seen flag per
 * entry: one probe per candidate shingle. */
struct fp_tab {
    uint64_t *tab;
    unsigned char *seen;
    size_t cap, found, want;
    /* the longest run of shingles in the set that overlap one another
     * (text shared unbroken), as bytes, when track is set */
    int track, in;
    size_t ra, rb, best_a, best_b;
};

static int fp_tab_init(struct fp_tab *t, const uint64_t *set, size_t nset)
{
    size_t i;
    memset(t, 0, sizeof *t);
    t->cap = 16;
    t->want = nset;
    while (t->cap < nset * 2 + 2)
        t->cap *= 2;
    /* 0 marks an empty slot; a shingle hashing to 0 is stored as 1 */
    t->tab = calloc(t->cap, sizeof *t->tab);
    t->seen = calloc(t->cap, 1);
    if (!t->tab || !t->seen) {
        free(t->tab);
        free(t->seen);
        return -1;
    }
    for (i = 0; i < nset; i++) {
        uint64_t v = set[i] ? set[i] : 1;
        size_t j = (size_t)(v ^ (v >> 31)) & (t->cap - 1);
        while (t->tab[j] && t->tab[j] != v)
            j = (j + 1) & (t->cap - 1);
        t->tab[j] = v;
    }
    return 0;
}

/* The slot of h in the table: its own when h is in the set, else an
 * empty one. */
static inline size_t fp_slot(const struct fp_tab *t, uint64_t h)
{
    uint64_t v = h ? h : 1;
    size_t j = (size_t)(v ^ (v >> 31)) & (t->cap - 1);
    while (t->tab[j] && t->tab[j] != v)
        j = (j + 1) & (t->cap - 1);
    return j;
}

/* Count h when it is in the set (once); nonzero when all are found. */
static inline int fp_probe(uint64_t h, size_t a, size_t b, void *ctx)
{
    struct fp_tab *t = ctx;
    size_t j = fp_slot(t, h);
    if (t->track) {
        if (!t->tab[j]) {
            t->in = 0;
        } else if (t->in && a < t->rb) {
            t->rb = b; /* overlaps the run: it goes on */
        } else {
            t->ra = a;
            t->rb = b;
            t->in = 1;
        }
        if (t->in && t->rb - t->ra > t->best_b - t->best_a) {
            t->best_a = t->ra;
            t->best_b = t->rb;
        }
    }
    if (t->tab[j] && !t->seen[j]) {
        t->seen[j] = 1;
        t->found++;
    }
    return t->found == t->want;
}

size_t fp_contained(const uint64_t *set, size_t nset, const uint64_t *h,
                    size_t n)
{
    struct fp_tab t;
    size_t i;
    if (fp_tab_init(&t, set, nset) < 0)
        return 0;
    for (i = 0; i < n && !fp_probe(h[i], 0, 0, &t); i++)
        ;
    free(t.tab);
    free(t.seen);
    return t.found;
}

size_t fp_contained_text(const uint64_t *set, size_t nset, const char *s,
                         size_t len)
{
    return fp_contained_doc(set, nset, NULL, 0, s, len);
}

size_t fp_contained_doc(const uint64_t *set, size_t nset, const char *title,
                        size_t tlen, const char *s, size_t len)
{
    return fp_contained_run(set, nset, title, tlen, s, len, NULL, NULL);
}

size_t fp_contained_run(const uint64_t *set, size_t nset, const char *title,
                        size_t tlen, const char *s, size_t len, size_t *ra,
                        size_t *rb)
{
    struct fp_tab t;
    if (ra)
        *ra = *rb = 0;
    if (!nset || fp_tab_init(&t, set, nset) < 0)
        return 0;
    if (title && tlen) {
        /* the title, and on into the text's start (a draft pasted with its
         * title runs on into the text) */
        size_t k = len < 96 ? len : 96, n;
        char *b;
        while (k < len && ((unsigned char)s[k] & 0xC0) == 0x80)
            k++;
        if ((b = malloc(tlen + 1 + k))) {
            memcpy(b, title, tlen);
            b[tlen] = '\n';
            memcpy(b + tlen + 1, s, k);
            n = tlen + 1 + k;
            fp_each(b, n, fp_probe, &t);
            free(b);
        }
    }
    if (ra && t.found == t.want) {
        /* all in the title's stretch: the text is still read for the
         * stretch in it (counting again, so that the reading stops) */
        memset(t.seen, 0, t.cap);
        t.found = 0;
        t.track = 1;
        fp_each(s, len, fp_probe, &t);
        t.found = t.want;
    } else if (t.found < t.want) {
        t.track = ra != NULL;
        fp_each(s, len, fp_probe, &t);
    }
    if (ra && t.best_b > t.best_a) {
        *ra = t.best_a;
        *rb = t.best_b;
    }
    free(t.tab);
    free(t.seen);
    return t.found;
}
