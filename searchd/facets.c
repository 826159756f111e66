/* facets.c - the facet arrays of API.md from a search's counts (see
 * facets.h). */
#include "searchd/facets.h"
#include "analysis/fold.h"
#include "analysis/units.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One part of a value (a unit list has several): its bytes in the value
 * and the entry it counts for. */
struct fpart {
    uint32_t entry;
    uint32_t off, len;
};

struct fent {
    char *f;             /* folded, NUL-terminated: what filters alike */
    size_t fl;
    size_t anc, nanc;    /* its ancestors: fplan.anc[anc .. anc + nanc) */
};

struct fplan {
    uint64_t table;      /* the numbering it was made for; 0 = one search */
    enum facet_kind kind;
    size_t nvals;        /* value numbers 0 .. nvals - 1 (0: no value) */
    size_t *vpart;       /* nvals + 1: value i's parts, part[vpart[i] ..] */
    struct fpart *part;
    size_t npart;
    struct fent *ent;
    size_t nent;
    uint32_t *anc;
    size_t nanc;
    /* a search's scratch, one of each per entry */
    size_t *direct, *total, *bestc;
    uint32_t *bestv, *bestp, *present;
    /* a kept plan's answer objects, one per part as shown ({"value": its
     * spelling, "count": set per search}), made when first shown: a
     * search sets the counts and appends them instead of making some 90
     * objects, and freeing them after */
    json_t **obj, **cnt;
};

void fplan_free(struct fplan *p)
{
    size_t i;
    if (!p)
        return;
    for (i = 0; p->ent && i < p->nent; i++)
        free(p->ent[i].f);
    for (i = 0; p->obj && i < p->npart; i++)
        json_decref(p->obj[i]);
    free(p->obj);
    free(p->cnt);
    free(p->ent);
    free(p->vpart);
    free(p->part);
    free(p->anc);
    free(p->direct);
    free(p->total);
    free(p->bestc);
    free(p->bestv);
    free(p->bestp);
    free(p->present);
    free(p);
}

/* The value v[0, n) whole, or each unit of a unit list (analysis/units.h),
 * trimmed of spaces: [*b, *e), from *at (0 at first) on; 0 when done. */
static int next_part(enum facet_kind kind, const char *v, size_t n, size_t *at,
                     size_t *b, size_t *e)
{
    if (kind == FACET_UNIT)
        return ana_unit_next(v, n, at, b, e);
    *b = *at;
    *e = n;
    *at = n;
    while (*b < *e && v[*b] == ' ')
        (*b)++;
    while (*e > *b && v[*e - 1] == ' ')
        (*e)--;
    return *e > *b;
}

static int is_level_sep(char c)
{
    return c == '>' || c == '\\' || c == '/';
}

static int cmp_folded(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* the parts' folded forms while the plan is made */
struct pf {
    char *f;
    size_t fl;
    uint32_t part;
};

static int cmp_pf(const void *x, const void *y)
{
    const struct pf *a = x, *b = y;
    int c = cmp_folded(a->f, a->fl, b->f, b->fl);
    return c ? c : (a->part > b->part) - (a->part < b->part);
}

/* The entry folded as f[0..fl), or -1. */
static long find_ent(const struct fplan *p, const char *f, size_t fl)
{
    size_t lo = 0, hi = p->nent;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = cmp_folded(p->ent[mid].f, p->ent[mid].fl, f, fl);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int add_anc(struct fplan *p, size_t *cap, size_t j, long a)
{
    size_t k;
    if (a < 0 || (size_t)a == j)
        return 0;
    for (k = p->ent[j].anc; k < p->nanc; k++)
        if (p->anc[k] == (uint32_t)a)
            return 0;
    if (p->nanc == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        uint32_t *na = realloc(p->anc, nc * sizeof *na);
        if (!na)
            return -1;
        p->anc = na;
        *cap = nc;
    }
    p->anc[p->nanc++] = (uint32_t)a;
    p->ent[j].nanc++;
    return 0;
}

/* A category's ancestors: the entries it continues at a level mark
 * (行政 for 行政>其他) and those it holds as a later level (其他). */
static int category_ancestors(struct fplan *p)
{
    size_t j, cap = 0;
    for (j = 0; j < p->nent; j++) {
        const char *f = p->ent[j].f;
        size_t fl = p->ent[j].fl, q, a0 = 0;
        p->ent[j].anc = p->nanc;
        for (q = 0; q < fl; q++)
            if (is_level_sep(f[q]) && add_anc(p, &cap, j, find_ent(p, f, q)) < 0)
                return -1;
        for (q = 0; q <= fl; q++) {
            if (q < fl && !is_level_sep(f[q]))
                continue;
            if (a0 && q > a0 && add_anc(p, &cap, j, find_ent(p, f + a0, q - a0)) < 0)
                return -1;
            a0 = q + 1;
        }
    }
    return 0;
}

/* The plan of values v[1 .. n) (v[0], no value, has none). */
static struct fplan *fplan_make(const char *const *v, const size_t *vl, size_t n,
                                enum facet_kind kind)
{
    struct fplan *p = calloc(1, sizeof *p);
    struct pf *pf = NULL;
    size_t i, cap = 0, j;
    if (!p || !(p->vpart = calloc(n + 1, sizeof *p->vpart)))
        goto oom;
    p->kind = kind;
    p->nvals = n;
    for (i = 1; i < n; i++) {
        size_t at = 0, b, e, fl;
        p->vpart[i] = p->npart;
        while (next_part(kind, v[i], vl[i], &at, &b, &e)) {
            if (p->npart == cap) {
                size_t nc = cap ? cap * 2 : 256;
                struct fpart *np = realloc(p->part, nc * sizeof *np);
                struct pf *nf = realloc(pf, nc * sizeof *nf);
                if (np)
                    p->part = np;
                if (nf)
                    pf = nf;
                if (!np || !nf)
                    goto oom;
                cap = nc;
            }
            p->part[p->npart].off = (uint32_t)b;
            p->part[p->npart].len = (uint32_t)(e - b);
            pf[p->npart].part = (uint32_t)p->npart;
            if (!(pf[p->npart].f = fold_str(v[i] + b, e - b, &fl)))
                goto oom;
            pf[p->npart].fl = fl;
            p->npart++;
        }
    }
    p->vpart[n] = p->npart;
    if (n)
        p->vpart[0] = 0;
    /* one entry per folded form */
    if (p->npart)
        qsort(pf, p->npart, sizeof *pf, cmp_pf);
    if (!(p->ent = calloc(p->npart + 1, sizeof *p->ent)))
        goto oom;
    for (j = 0; j < p->npart; j++) {
        if (p->nent && !cmp_folded(p->ent[p->nent - 1].f, p->ent[p->nent - 1].fl,
                                   pf[j].f, pf[j].fl)) {
            free(pf[j].f);
        } else {
            p->ent[p->nent].f = pf[j].f;
            p->ent[p->nent].fl = pf[j].fl;
            p->nent++;
        }
        p->part[pf[j].part].entry = (uint32_t)(p->nent - 1);
        pf[j].f = NULL;
    }
    free(pf);
    pf = NULL;
    if (kind == FACET_CATEGORY && category_ancestors(p) < 0)
        goto oom;
    i = p->nent + 1;
    if (!(p->direct = calloc(i, sizeof *p->direct)) ||
        !(p->total = calloc(i, sizeof *p->total)) ||
        !(p->bestc = calloc(i, sizeof *p->bestc)) ||
        !(p->bestv = calloc(i, sizeof *p->bestv)) ||
        !(p->bestp = calloc(i, sizeof *p->bestp)) ||
        !(p->present = calloc(i, sizeof *p->present)))
        goto oom;
    return p;
oom:
    for (j = 0; pf && j < p->npart; j++)
        free(pf[j].f);
    free(pf);
    fplan_free(p);
    return NULL;
}

/* qsort has no context argument in C11: the plan of the sort under way
 * (one per thread) */
static _Thread_local const struct fplan *sorting;

static int cmp_present(const void *x, const void *y)
{
    const struct fplan *p = sorting;
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    if (p->kind == FACET_YEAR) /* newest first */
        return -strcmp(p->ent[a].f, p->ent[b].f);
    if (p->total[a] != p->total[b])
        return p->total[a] < p->total[b] ? 1 : -1;
    return strcmp(p->ent[a].f, p->ent[b].f);
}

/* The array of counts[1 .. n) through plan p (counts NULL: h's list,
 * value i its entry i - 1; listed says so). */
static json_t *fplan_apply(struct fplan *p, const unsigned *counts, size_t n,
                           const xs_hits *h, size_t k, int listed, size_t max)
{
    json_t *a = json_array();
    size_t i, np = 0, j;
    if (!a)
        return NULL;
    memset(p->direct, 0, p->nent * sizeof *p->direct);
    for (i = 1; i < n && i < p->nvals; i++) {
        size_t c = counts ? counts[i] : xs_hits_facet_freq(h, k, i - 1);
        if (!c)
            continue;
        for (j = p->vpart[i]; j < p->vpart[i + 1]; j++) {
            uint32_t e = p->part[j].entry;
            if (!p->direct[e]) {
                p->present[np++] = e;
                p->bestc[e] = 0;
            }
            p->direct[e] += c;
            if (c > p->bestc[e]) { /* the spelling most matches have */
                p->bestc[e] = c;
                p->bestv[e] = (uint32_t)i;
                p->bestp[e] = (uint32_t)j;
            }
        }
    }
    for (j = 0; j < np; j++)
        p->total[p->present[j]] = p->direct[p->present[j]];
    for (j = 0; j < np; j++) { /* a category's own, to its ancestors met */
        const struct fent *d = &p->ent[p->present[j]];
        for (i = d->anc; i < d->anc + d->nanc; i++)
            if (p->direct[p->anc[i]])
                p->total[p->anc[i]] += p->direct[p->present[j]];
    }
    sorting = p;
    qsort(p->present, np, sizeof *p->present, cmp_present);
    for (j = 0; j < np && j < max; j++) {
        uint32_t e = p->present[j], b = p->bestp[e];
        size_t vl;
        const char *v;
        const struct fpart *pt = &p->part[b];
        json_t *o = p->obj ? p->obj[b] : NULL, *val, *cnt;
        /* kept, and no answer still holds it (answers live for their
         * request only; the check keeps this true if one ever does not) */
        if (o && o->refcount == 1) {
            json_integer_set(p->cnt[b], (json_int_t)p->total[e]);
            json_array_append(a, o);
            continue;
        }
        v = listed ? xs_hits_facet_value(h, k, p->bestv[e] - 1, &vl)
                   : xs_hits_facet_number_value(h, k, p->bestv[e], &vl);
        if (!(o = json_object()))
            break;
        v += pt->off;
        if (p->kind == FACET_YEAR) {
            char y[16];
            size_t yl = pt->len < sizeof y - 1 ? pt->len : sizeof y - 1;
            memcpy(y, v, yl);
            y[yl] = 0;
            val = json_integer(atoi(y));
        } else {
            val = json_stringn(v, pt->len);
        }
        cnt = json_integer((json_int_t)p->total[e]);
        json_object_set_new(o, "value", val ? val : json_null());
        json_object_set_new(o, "count", cnt ? cnt : json_null());
        if (p->obj && !p->obj[b] && val && cnt) { /* kept from now on */
            p->obj[b] = o;
            p->cnt[b] = cnt;
            json_array_append(a, o);
        } else {
            json_array_append_new(a, o);
        }
    }
    return a;
}

/* Values 1 .. n - 1 of facet k: by number (the table's) or the list's. */
static struct fplan *plan_for(const xs_hits *h, size_t k, size_t n, int listed,
                              enum facet_kind kind)
{
    const char **v = calloc(n + 1, sizeof *v);
    size_t *vl = calloc(n + 1, sizeof *vl), i;
    struct fplan *p = NULL;
    if (v && vl) {
        v[0] = "";
        for (i = 1; i < n; i++)
            v[i] = listed ? xs_hits_facet_value(h, k, i - 1, &vl[i])
                          : xs_hits_facet_number_value(h, k, i, &vl[i]);
        p = fplan_make(v, vl, n, kind);
    }
    free(v);
    free(vl);
    return p;
}

json_t *facet_json(struct fplan **plan, const xs_hits *h, size_t k,
                   enum facet_kind kind, size_t max)
{
    size_t n;
    uint64_t table;
    const unsigned *counts = xs_hits_facet_counts(h, k, &n, &table);
    struct fplan *p;
    json_t *a;
    if (counts) { /* the table's numbering: the plan is kept for it */
        if (!*plan || (*plan)->table != table || (*plan)->kind != kind ||
            (*plan)->nvals != n) {
            if (!(p = plan_for(h, k, n, 0, kind)))
                return NULL;
            p->table = table;
            /* none kept when these fail: made per search then */
            p->obj = calloc(p->npart + 1, sizeof *p->obj);
            p->cnt = calloc(p->npart + 1, sizeof *p->cnt);
            if (!p->obj || !p->cnt) {
                free(p->obj);
                free(p->cnt);
                p->obj = p->cnt = NULL;
            }
            fplan_free(*plan);
            *plan = p;
        }
        return fplan_apply(*plan, counts, n, h, k, 0, max);
    }
    n = xs_hits_facet_count(h, k) + 1; /* a list: a plan for this search */
    if (!(p = plan_for(h, k, n, 1, kind)))
        return NULL;
    a = fplan_apply(p, NULL, n, h, k, 1, max);
    fplan_free(p);
    return a;
}
