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
    for (i = 0; i + FP_K <= m; i++) {
        uint64_t x = 1469598103934665603ULL;
        for (k = 0; k < FP_K; k++) {
            x ^= c[i + k];
            x *= 1099511628211ULL;
        }
        x ^= x >> 29;           /* finalise: spread the low bits */
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 32;
        h[i] = x;
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
    unsigned char *seen = calloc(nset + 1, 1);
    size_t i, c = 0;
    if (!seen)
        return 0;
    for (i = 0; i < n; i++) {
        size_t lo = 0, hi = nset;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (set[mid] < h[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nset && set[lo] == h[i] && !seen[lo]) {
            seen[lo] = 1;
            c++;
        }
    }
    free(seen);
    return c;
}
