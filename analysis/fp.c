/* fp.c - shingles, winnowing and overlap (see fp.h). */
#include "analysis/fp.h"
#include "analysis/ana.h"
#include "analysis/fold.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t fp_shingles(const char *s, size_t len, uint64_t **out)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), m = 0, i, k;
    uint64_t *h;
    *out = NULL;
    if (n == (size_t)-1)
        return (size_t)-1;
    for (i = 0; i < n; i++)   /* keep content characters only */
        if (is_han(c[i]) || ana_is_alnum(c[i]))
            c[m++] = c[i];
    h = malloc((m >= FP_K ? m - FP_K + 1 : 1) * sizeof *h);
    if (!h) {
        free(c);
        return (size_t)-1;
    }
    if (m < FP_K) {
        free(c);
        *out = h;
        return 0;
    }
    {
        /* a rolling polynomial hash over FP_K characters (one multiply per
         * character: candidates can be long), then mixed */
        const uint64_t B = 0x100000001b3ULL;
        uint64_t x = 0, bk = 1;
        for (k = 0; k < FP_K; k++) {
            x = x * B + c[k] + 1;
            bk *= B;            /* B^FP_K */
        }
        for (i = 0;; i++) {
            uint64_t y = x;
            y ^= y >> 29;
            y *= 0xbf58476d1ce4e5b9ULL;
            y ^= y >> 32;
            h[i] = y;
            if (i + FP_K >= m)
                break;
            x = x * B + c[i + FP_K] + 1 - bk * (c[i] + 1);
        }
    }
    free(c);
    *out = h;
    return m - FP_K + 1;
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


size_t fp_contained(const uint64_t *set, size_t nset, const uint64_t *h,
                    size_t n)
{
    /* an open-addressing table of the set (small: a draft) with a seen
     * flag per entry; one probe per candidate shingle */
    size_t cap = 16, i, c = 0;
    uint64_t *tab;
    unsigned char *seen;
    while (cap < nset * 2 + 2)
        cap *= 2;
    tab = malloc(cap * sizeof *tab);
    seen = calloc(cap, 1);
    if (!tab || !seen) {
        free(tab);
        free(seen);
        return 0;
    }
    /* 0 marks an empty slot; a shingle hashing to 0 is stored as 1 */
    memset(tab, 0, cap * sizeof *tab);
    for (i = 0; i < nset; i++) {
        uint64_t v = set[i] ? set[i] : 1;
        size_t j = (size_t)(v ^ (v >> 31)) & (cap - 1);
        while (tab[j] && tab[j] != v)
            j = (j + 1) & (cap - 1);
        tab[j] = v;
    }
    for (i = 0; i < n; i++) {
        uint64_t v = h[i] ? h[i] : 1;
        size_t j = (size_t)(v ^ (v >> 31)) & (cap - 1);
        while (tab[j] && tab[j] != v)
            j = (j + 1) & (cap - 1);
        if (tab[j] && !seen[j]) {
            seen[j] = 1;
            c++;
        }
    }
    free(tab);
    free(seen);
    return c;
}
