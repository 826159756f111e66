/* api.c - the handlers of API.md (see api.h): search with filters,
 * facets, highlighted snippets; document, lookup, similar, analyze, stats;
 * and the portal pages, which reuse the same JSON. Errors are API.md's
 * JSON with a sentence a person can act on. */
#include "searchd/api.h"
#include "analysis/date.h"
#include "analysis/docno.h"
#include "analysis/fold.h"
#include "analysis/fp.h"
#include "common/buf.h"
#include "common/html.h"
#include "indexer/docbuild.h"
#include "indexer/enc.h"
#include "searchd/cache.h"
#include "searchd/portal.h"
#include "searchd/facets.h"
#include "searchd/snippet.h"
#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

struct api_stats api_stats;

#define SNIP_WIDTH 110
/* Ranking: a document of the newest date gains 0.3, one 3 years older
 * 0.15 ...: about 1% of a typical top score, so it orders near-equals
 * (the median gap between neighbouring hits is about 0.14) and never
 * lifts a weak match over a good one. */
#define RECENCY_WEIGHT 0.3
#define RECENCY_HALFLIFE 3.0
#define RESCORE_WINDOW 50 /* matches re-ranked by phrase (query.h): the
                             * top-10 hold the phrase as often as with all */
#define SEARCH_TIME_LIMIT 2.0 /* seconds of matching per request, at most */
#define FACET_MAX 30
#define REPLY_GUESS (24 << 10) /* bytes: most search answers fit */
/* Answers are compact, their numbers written with 9 significant digits
 * (a score 66.7943696, took_ms 4.4395310): jansson's default of 17 prints
 * the binary noise of a double (66.79436962977681) */
#define REPLY_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(9))
#define SIMILAR_TERMS 40
#define SIMILAR_CANDIDATES 10
#define SIMILAR_PASSAGES 3   /* hits that show the passage they share */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the worker's index ------------------------------------------------ */

/* Identity of every stub file we opened through: a full run swaps it. */
static void stub_stamp(const char *const *dbs, size_t n, char *out, size_t cap)
{
    size_t i, o = 0;
    out[0] = 0;
    for (i = 0; i < n && o < cap; i++) {
        char p[4096];
        struct stat st;
        snprintf(p, sizeof p, "%s/XAPIANDB", dbs[i]);
        if (stat(p, &st) == 0)
            o += (size_t)snprintf(out + o, cap - o, "%lu.%ld.%ld;",
                                  (unsigned long)st.st_ino, (long)st.st_mtim.tv_sec,
                                  st.st_mtim.tv_nsec);
        else
            o += (size_t)snprintf(out + o, cap - o, "-;");
    }
}

static int worker_open(struct worker *w, struct err *e)
{
    xs_err xe;
    xs_reader *r = NULL;
    stub_stamp(w->dbs, w->ndbs, w->stamp, sizeof w->stamp);
    if (xs_reader_open_many(w->dbs, w->ndbs, &r, &xe) != XS_OK) {
        err_set(e, xe.rc, "%s", xe.msg);
        return -1;
    }
    xs_reader_close(w->r);
    w->r = r;
    w->last_check = now();
    return 0;
}

int worker_init(struct worker *w, const char *const *dbs, size_t ndbs,
                struct err *e)
{
    memset(w, 0, sizeof *w);
    w->dbs = dbs;
    w->ndbs = ndbs;
    if (qp_init(&w->qp, e) < 0)
        return -1;
    w->qp_ok = 1;
    worker_open(w, e); /* failure is reported per request (503) */
    return 0;
}

void worker_release(struct worker *w)
{
    xs_reader_close(w->r);
    if (w->qp_ok)
        qp_release(&w->qp);
    for (size_t k = 0; k < sizeof w->fplan / sizeof w->fplan[0]; k++)
        fplan_free(w->fplan[k]);
    memset(w, 0, sizeof *w);
}

/* Counts the index changes any worker has noticed: once one answer came
 * from a newer revision, no later request is answered from an older one,
 * whichever thread takes it (each thread otherwise checks at most every
 * 0.5 s). A count, not a revision: a --full swap starts revisions anew. */
static _Atomic unsigned long index_epoch;

int worker_refresh(struct worker *w, struct err *e)
{
    char st[256];
    double t = now();
    int rc;
    if (!w->r)
        return worker_open(w, e);
    if (t - w->last_check < 0.5 && w->epoch == index_epoch)
        return 0;
    w->last_check = t;
    {
        unsigned long ep = index_epoch;
        int changed = 0;
        stub_stamp(w->dbs, w->ndbs, st, sizeof st);
        if (strcmp(st, w->stamp)) { /* a new generation: open it afresh */
            rc = worker_open(w, e);
            changed = 1;
        } else {
            xs_err xe;
            if (xs_reader_reopen(w->r, &changed, &xe) == XS_OK) {
                rc = 0;
            } else {
                rc = worker_open(w, e);
                changed = 1;
            }
        }
        /* whoever sees a change tells the others, also a worker that was
         * behind (the count may be from an older change it had not seen):
         * the others then reopen; once all are on the newest revision a
         * reopen sees no change and the counting stops */
        if (rc == 0 && changed)
            ep = ++index_epoch;
        w->epoch = ep;
    }
    return rc;
}

/* ---- did you mean ------------------------------------------------------- */

#define DYM_FEW 10   /* fewer hits than this: look for misspelt words */
#define DYM_WORDS 16 /* words looked up at most (a pasted passage) */

/* Do a and b have one English stem (councils, council: the search has
 * found both already)? */
static int same_stem(struct worker *w, const char *a, const char *b)
{
    char sa[64], sb[64];
    size_t la, lb;
    if (!w->qp.ana.stem)
        return 0;
    la = xs_stem_word(w->qp.ana.stem, a, strlen(a), sa, sizeof sa);
    lb = xs_stem_word(w->qp.ana.stem, b, strlen(b), sb, sizeof sb);
    return la && la == lb && !memcmp(sa, sb, la);
}

/* The query with each English word that the spelling table knows a better
 * spelling of (Xapian's suggestion: at most two edits away, and commoner)
 * replaced, the rest as typed; NULL when nothing changes. Operators
 * (AND OR NOT) and field names (title:) stay. */
static char *did_you_mean(struct worker *w, const char *qs)
{
    static const char *const ops[] = {"AND", "OR", "NOT", NULL};
    struct buf b;
    size_t i = 0, n = strlen(qs), k, looked = 0;
    int changed = 0;
    buf_init(&b, 0);
    while (i < n) {
        size_t j = i;
        char word[32], *sug = NULL;
        while (j < n && isalpha((unsigned char)qs[j]))
            j++;
        if (j == i) {
            buf_addc(&b, qs[i++]);
            continue;
        }
        for (k = 0; ops[k] && !(strlen(ops[k]) == j - i && !memcmp(qs + i, ops[k], j - i)); k++)
            ;
        if (j - i >= 3 && j - i < sizeof word && !ops[k] && !(j < n && qs[j] == ':') &&
            !(i > 0 && isdigit((unsigned char)qs[i - 1])) &&
            !(j < n && isdigit((unsigned char)qs[j]))) {
            for (k = 0; k < j - i; k++)
                word[k] = (char)tolower((unsigned char)qs[i + k]);
            word[j - i] = 0;
            if (looked++ < DYM_WORDS && xs_reader_suggest(w->r, word, &sug, NULL) == XS_OK &&
                sug && strcmp(sug, word) != 0 && !same_stem(w, word, sug)) {
                buf_adds(&b, sug);
                changed = 1;
                free(sug);
                i = j;
                continue;
            }
            free(sug);
        }
        buf_add(&b, qs + i, j - i);
        i = j;
    }
    if (!changed) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

/* ---- replies ------------------------------------------------------------ */

static void reply_json(struct api_reply *out, int status, json_t *o)
{
    out->status = status;
    out->ctype = "application/json; charset=utf-8";
    /* into a buffer of about the usual answer's size (json_dumps grows a
     * buffer by doubling and then copies it) */
    out->len = 0;
    if ((out->body = malloc(REPLY_GUESS))) {
        size_t n = json_dumpb(o, out->body, REPLY_GUESS, REPLY_FLAGS);
        if (n >= REPLY_GUESS) { /* longer: once more, knowing the size */
            char *b = n + 1 > n ? realloc(out->body, n + 1) : NULL;
            if (b && json_dumpb(o, b, n, REPLY_FLAGS) == n) {
                out->body = b;
            } else {
                free(b ? b : out->body);
                out->body = NULL;
            }
        } else if (n == 0) {
            free(out->body);
            out->body = NULL;
        }
        if (out->body) {
            out->body[n] = 0;
            out->len = n;
        }
    }
    json_decref(o);
    if (!out->body) {
        out->status = 500;
        out->body = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
        out->len = out->body ? strlen(out->body) : 0;
    }
}

static json_t *err_obj(const char *code, const char *msg)
{
    json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
    if (!o) /* a message quoting the request's bytes that are not UTF-8 */
        o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
                      "the request is not valid: check that its text is UTF-8");
    return o;
}

static void reply_err(struct api_reply *out, int status, const char *code,
                      const char *msg)
{
    reply_json(out, status, err_obj(code, msg));
}

static void reply_page(struct api_reply *out, int status, char *html)
{
    out->status = html ? status : 500;
    out->ctype = "text/html; charset=utf-8";
    out->body = html ? html : strdup("internal error");
    out->len = out->body ? strlen(out->body) : 0;
    out->is_page = 1;
}

/* Map a shim failure to HTTP (STYLE.md section 5). */
static void reply_xs(struct api_reply *out, const xs_err *xe)
{
    switch (xe->rc) {
    case XS_EQUERY:
    case XS_EINVAL:
        reply_err(out, 400, "bad_query",
                  "the query could not be run; simplify it (fewer words or operators) and try again");
        break;
    case XS_ENOTFOUND:
    case XS_ECORRUPT:
    case XS_ESCHEMA:
    case XS_EMODIFIED:
    case XS_ENETWORK:
        fprintf(stderr, "searchd: index unavailable: %s\n", xe->msg);
        reply_err(out, 503, "index_unavailable",
                  "the index is not available right now; try again in a minute");
        break;
    default:
        fprintf(stderr, "searchd: internal error: %s\n", xe->msg);
        reply_err(out, 500, "internal", "internal error; it has been logged");
    }
}

/* ---- parameters --------------------------------------------------------- */

static const char *param(const struct api_req *rq, const char *name)
{
    json_t *v = rq->params ? json_object_get(rq->params, name) : NULL;
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t param_all(const struct api_req *rq, const char *name,
                        const char **out, size_t max)
{
    json_t *v = rq->params ? json_object_get(rq->params, name) : NULL;
    size_t n = 0, i;
    if (json_is_string(v)) {
        if (*json_string_value(v))
            out[n++] = json_string_value(v);
    } else if (json_is_array(v)) {
        for (i = 0; i < json_array_size(v) && n < max; i++) {
            json_t *s = json_array_get(v, i);
            if (json_is_string(s) && *json_string_value(s))
                out[n++] = json_string_value(s);
        }
    }
    return n;
}

static int parse_uint(const char *s, long max, long *out)
{
    char *end;
    long v;
    if (!s || !*s || !isdigit((unsigned char)*s))
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int is_iso_date(const char *s)
{
    struct date d;
    return s && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           date_parse(s, 10, &d) == 0 && d.d > 0;
}

/* ---- search ------------------------------------------------------------- */

struct search_req {
    struct qry q;
    xs_query *filter;
    int sort;
    long page, size;
    const char *qs;
};

static xs_query *terms_or(struct qry *q, const char *prefix, const char **vals,
                          size_t n)
{
    xs_query *o;
    size_t i;
    if (!n)
        return NULL;
    o = qry_node(q, XS_Q_OR, n);
    if (!o)
        return NULL;
    for (i = 0; i < n; i++) {
        char *t = ana_bool_term(prefix, vals[i], strlen(vals[i]));
        if (!t)
            return NULL;
        o->kids[o->nkids++] = qry_term(q, t, strlen(t), 1);
        free(t);
    }
    return o;
}

static xs_query *vrange(struct qry *q, unsigned slot, const char *lo, const char *hi)
{
    xs_query *n = qry_node(q, XS_Q_VALUE_RANGE, 0);
    if (!n)
        return NULL;
    n->slot = slot;
    n->lo = lo;
    n->hi = hi;
    return n;
}

/* "YYYY-MM-DD" (checked) as the "YYYYMMDD" of XS_SLOT_DATE, in the arena. */
static const char *date_value(struct qry *q, const char *d)
{
    char v[9];
    memcpy(v, d, 4);
    memcpy(v + 4, d + 5, 2);
    memcpy(v + 6, d + 8, 2);
    v[8] = 0;
    return qry_strdup(q, v, 8);
}

/* Parse and validate the search parameters. 0, or -1 with a reply set. */
static int search_parse(struct worker *w, const struct api_req *rq,
                        struct search_req *s, struct api_reply *out)
{
    const char *v, *cats[32], *units[32];
    size_t nc, nu;
    struct err e = {0};
    struct { xs_query *v[8]; size_t n; } f = {{0}, 0};
    memset(s, 0, sizeof *s);
    s->page = 1;
    s->size = 10;
    s->qs = param(rq, "q");
    if ((v = param(rq, "page")) && (parse_uint(v, 100000, &s->page) < 0 || s->page < 1)) {
        reply_err(out, 400, "bad_parameter", "page must be a whole number from 1 up");
        return -1;
    }
    if ((v = param(rq, "size")) &&
        (parse_uint(v, API_MAX_PAGE, &s->size) < 0 || s->size < 1)) {
        reply_err(out, 400, "bad_parameter", "size must be a whole number from 1 to 100");
        return -1;
    }
    if ((s->page - 1) * s->size > API_MAX_OFFSET) {
        reply_err(out, 400, "bad_parameter",
                  "that page is too deep; narrow the search with more words or filters instead");
        return -1;
    }
    v = param(rq, "sort");
    if (!v || !*v || !strcmp(v, "relevance"))
        s->sort = XS_SORT_RELEVANCE;
    else if (!strcmp(v, "date"))
        s->sort = XS_SORT_VALUE_DESC;
    else if (!strcmp(v, "date_asc"))
        s->sort = XS_SORT_VALUE_ASC;
    else {
        reply_err(out, 400, "bad_parameter", "sort must be relevance, date or date_asc");
        return -1;
    }
    if (s->qs && qry_parse(&w->qp, s->qs, strlen(s->qs), &s->q, &e) < 0) {
        reply_err(out, 400, "bad_query", e.msg);
        return -1;
    }
    nc = param_all(rq, "category", cats, 32);
    nu = param_all(rq, "unit", units, 32);
    if (nc)
        f.v[f.n++] = terms_or(&s->q, "XC", cats, nc);
    if (nu)
        f.v[f.n++] = terms_or(&s->q, "XU", units, nu);
    if ((v = param(rq, "lang")) && *v) {
        const char *l[1] = {v};
        if (strcmp(v, "zh-Hans") && strcmp(v, "zh-Hant") && strcmp(v, "en")) {
            reply_err(out, 400, "bad_parameter", "lang must be zh-Hans, zh-Hant or en");
            goto fail;
        }
        f.v[f.n++] = terms_or(&s->q, "XL", l, 1);
    }
    if ((v = param(rq, "year")) && *v) {
        long a, b;
        char *lo, *hi;
        const char *dash = strchr(v, '-');
        int ok;
        if (dash) {
            char tmp[16];
            size_t l = (size_t)(dash - v);
            ok = l < sizeof tmp;
            if (ok) {
                memcpy(tmp, v, l);
                tmp[l] = 0;
                ok = parse_uint(tmp, 9999, &a) == 0 && parse_uint(dash + 1, 9999, &b) == 0;
            }
        } else {
            ok = parse_uint(v, 9999, &a) == 0;
            b = a;
        }
        if (!ok) {
            reply_err(out, 400, "bad_parameter",
                      "year must be a year such as 2013 or a range such as 2010-2015");
            goto fail;
        }
        if (a > b) {
            reply_err(out, 400, "bad_parameter",
                      "the year range ends before it starts; write the earlier year "
                      "first, e.g. 2010-2015");
            goto fail;
        }
        {
            char ys[2][8];
            snprintf(ys[0], sizeof ys[0], "%04ld", a);
            snprintf(ys[1], sizeof ys[1], "%04ld", b);
            lo = qry_strdup(&s->q, ys[0], 4);
            hi = qry_strdup(&s->q, ys[1], 4);
        }
        if (!lo || !hi)
            goto oom;
        f.v[f.n++] = vrange(&s->q, XS_SLOT_YEAR, lo, hi);
    }
    {
        const char *fr = param(rq, "from"), *to = param(rq, "to");
        const char *lo = NULL, *hi = NULL;
        if ((fr && *fr && !is_iso_date(fr)) || (to && *to && !is_iso_date(to))) {
            reply_err(out, 400, "bad_parameter",
                      "from and to must be dates written YYYY-MM-DD, e.g. 2013-07-01");
            goto fail;
        }
        if (fr && *fr && to && *to && strcmp(fr, to) > 0) {
            reply_err(out, 400, "bad_parameter",
                      "from is after to, so no date can match; swap them");
            goto fail;
        }
        if (fr && *fr && !(lo = date_value(&s->q, fr)))
            goto oom;
        if (to && *to && !(hi = date_value(&s->q, to)))
            goto oom;
        if (lo || hi)
            f.v[f.n++] = vrange(&s->q, XS_SLOT_DATE, lo, hi);
    }
    if (f.n) {
        size_t i;
        s->filter = qry_node(&s->q, XS_Q_AND, f.n);
        if (s->filter) {
            for (i = 0; i < f.n; i++)
                s->filter->kids[i] = f.v[i];
            s->filter->nkids = f.n;
        }
    }
    return 0;
oom:
    reply_err(out, 500, "internal", "out of memory; try again");
fail:
    qry_release(&s->q);
    return -1;
}

/* Field k of stored data as JSON: null when empty, year a number. */
static json_t *field_json(const struct docdata *dd, int k)
{
    json_t *v;
    if (!dd->fl[k])
        return json_null();
    v = k == DD_YEAR ? json_integer(atoi(dd->f[k])) : json_stringn(dd->f[k], dd->fl[k]);
    return v ? v : json_null();
}

/* The hit object of API.md from stored data. Its text is inflated as far
 * as the snippet asks: most lie in the stored head (DD_HEAD), nearly all
 * in the first few KB. */
static json_t *hit_object(struct worker *w, const xs_hits *hits, size_t i,
                          const struct qry *q, int snippets)
{
    struct docdata dd;
    json_t *h;
    char *th, *sh = NULL;
    size_t k, dlen, want = 0;
    int hant;
    const char *data = xs_hits_data(hits, i, &dlen);
    if (docdata_open(&dd, data, dlen, snippets ? DD_HEAD : 4096) < 0)
        return NULL;
    h = json_object();
    json_object_set_new(h, "id", json_stringn(dd.f[DD_ID], dd.fl[DD_ID]));
    json_object_set_new(h, "score", json_real(xs_hits_score(hits, i)));
    json_object_set_new(h, "title", field_json(&dd, DD_TITLE));
    th = snip_title(dd.f[DD_TITLE], dd.fl[DD_TITLE], q, w->qp.ana.stem);
    json_object_set_new(h, "title_html", json_string(th ? th : ""));
    free(th);
    json_object_set_new(h, "unit", field_json(&dd, DD_UNIT));
    json_object_set_new(h, "category", field_json(&dd, DD_CATEGORY));
    json_object_set_new(h, "date", field_json(&dd, DD_DATE));
    json_object_set_new(h, "year", field_json(&dd, DD_YEAR));
    json_object_set_new(h, "docno", field_json(&dd, DD_DOCNO));
    json_object_set_new(h, "lang", field_json(&dd, DD_LANG));
    json_object_set_new(h, "url", field_json(&dd, DD_URL));
    /* Traditional text: the query's (folded) strings are seldom met as
     * written, so look through folding before reading further */
    hant = dd.fl[DD_LANG] == 7 && !memcmp(dd.f[DD_LANG], "zh-Hant", 7);
    /* each call asks for more than it had (snip_best), so this ends; the
     * bound is a second guard */
    for (k = 0; snippets && k < 16; k++) {
        if (want && docdata_more(&dd, want) < 0)
            break;
        sh = snip_best(dd.text, dd.textlen,
                       dd.complete || k == 15 ? dd.textlen : SIZE_MAX, hant, q,
                       w->qp.ana.stem, SNIP_WIDTH, &want);
        if (!want || dd.complete)
            break;
    }
    if (snippets)
        json_object_set_new(h, "snippet_html", json_string(sh ? sh : ""));
    free(sh);
    docdata_close(&dd);
    return h;
}

/* A hit whose stored data cannot be read (a damaged index): it is still a
 * match, so it keeps its place on the page with its id (from its value
 * slot) and empty fields, and the operator is told to rebuild. */
/* The id of hit i from its value slot (malloc'd, NULL when unknown), and
 * the operator told that its stored data cannot be read. */
static char *unreadable_id(struct worker *w, const xs_hits *hits, size_t i)
{
    char *id = NULL;
    xs_err xe;
    if (xs_reader_value(w->r, xs_hits_docid(hits, i), XS_SLOT_ID, &id, &xe) != XS_OK ||
        !*id) {
        free(id);
        id = NULL;
    }
    fprintf(stderr, "searchd: document %s (docid %u): its stored data cannot "
            "be read; rebuild the index (indexer --full)\n",
            id ? id : "?", xs_hits_docid(hits, i));
    return id;
}

static json_t *hit_unreadable(struct worker *w, const xs_hits *hits, size_t i,
                              int snippets)
{
    static const char *const nulls[] = {"title", "unit", "category", "date",
                                        "year", "docno", "lang", "url"};
    char *id = unreadable_id(w, hits, i);
    size_t k;
    json_t *h = json_object();
    if (!h) {
        free(id);
        return NULL;
    }
    json_object_set_new(h, "id", id ? json_string(id) : json_null());
    free(id);
    json_object_set_new(h, "score", json_real(xs_hits_score(hits, i)));
    for (k = 0; k < sizeof nulls / sizeof nulls[0]; k++)
        json_object_set_new(h, nulls[k], json_null());
    json_object_set_new(h, "title_html", json_string(""));
    if (snippets)
        json_object_set_new(h, "snippet_html", json_string(""));
    return h;
}

static int run_search(struct worker *w, xs_search_opts *o, xs_hits **hits,
                      struct api_reply *out)
{
    xs_err xe;
    xs_rc rc = xs_search(w->r, o, hits, &xe);
    if (rc == XS_EMODIFIED) { /* a newer revision: reopen and retry once */
        struct err e;
        if (xs_reader_reopen(w->r, NULL, &xe) == XS_OK ||
            worker_open(w, &e) == 0)
            rc = xs_search(w->r, o, hits, &xe);
    }
    if (rc != XS_OK) {
        reply_xs(out, &xe);
        return -1;
    }
    return 0;
}

/* Run a search request; on success *res is the API.md answer. */
static int do_search(struct worker *w, const struct api_req *rq, json_t **res,
                     struct api_reply *out)
{
    struct search_req s;
    xs_search_opts o;
    xs_hits *hits = NULL;
    unsigned facets[3] = {XS_SLOT_CATEGORY, XS_SLOT_UNIT, XS_SLOT_YEAR};
    double t0 = now();
    json_t *r, *ha, *fa;
    size_t i;
    xs_query all = {0};
    struct qry rlx = {0}, *hq = NULL;

    *res = NULL;
    if (search_parse(w, rq, &s, out) < 0)
        return -1;
    memset(&o, 0, sizeof o);
    all.op = XS_Q_ALL;
    o.query = s.q.root ? s.q.root : &all;
    o.filter = s.filter;
    o.offset = (size_t)((s.page - 1) * s.size);
    o.size = (size_t)s.size;
    o.sort = s.sort;
    if (!s.q.root && s.sort == XS_SORT_RELEVANCE)
        o.sort = XS_SORT_VALUE_DESC;  /* no words: newest first */
    o.sort_slot = o.sort == XS_SORT_VALUE_ASC ? XS_SLOT_DATEASC : XS_SLOT_DATE;
    if (o.sort == XS_SORT_RELEVANCE) { /* near-equals: the newer first */
        o.recency = RECENCY_WEIGHT;
        o.recency_slot = XS_SLOT_DATE;
        o.recency_halflife = RECENCY_HALFLIFE;
        /* phrases: among the best 50 (or the whole first page): the
         * pages of that window hold the same documents as without */
        o.rescore = s.q.rescore;
        o.rescore_window = o.size > RESCORE_WINDOW ? o.size : RESCORE_WINDOW;
    }
    o.facet_slots = facets;
    o.nfacets = 3;
    o.want_data = 1;
    o.time_limit = SEARCH_TIME_LIMIT;
    if (run_search(w, &o, &hits, out) < 0) {
        qry_release(&s.q);
        return -1;
    }
    hq = &s.q;
    /* nothing holds all the words: the documents holding most of them,
     * said so (the filters stay, in s.q's arena); only when ranked by
     * relevance - by date, a document with one common word would lead */
    if (xs_hits_total(hits) == 0 && s.q.conj > 0 && s.qs &&
        o.sort == XS_SORT_RELEVANCE) {
        struct err e;
        xs_hits *h2 = NULL;
        if (qry_parse_flags(&w->qp, s.qs, strlen(s.qs), QRY_RELAXED, &rlx, &e) == 0 &&
            rlx.root) {
            o.query = rlx.root;
            o.rescore = rlx.rescore;
            if (run_search(w, &o, &h2, out) < 0) {
                qry_release(&rlx);
                xs_hits_free(hits);
                qry_release(&s.q);
                return -1;
            }
            if (xs_hits_total(h2) > 0) {
                xs_hits_free(hits);
                hits = h2;
                hq = &rlx;
            } else { /* nothing either way: the plain answer */
                xs_hits_free(h2);
            }
        }
    }
    r = json_object();
    json_object_set_new(r, "query", json_string(s.qs ? s.qs : ""));
    json_object_set_new(r, "total", json_integer((json_int_t)xs_hits_total(hits)));
    json_object_set_new(r, "page", json_integer(s.page));
    json_object_set_new(r, "size", json_integer(s.size));
    ha = json_array();
    for (i = 0; i < xs_hits_count(hits); i++) {
        json_t *h = hit_object(w, hits, i, hq, 1);
        if (!h)
            h = hit_unreadable(w, hits, i, 1);
        if (h)
            json_array_append_new(ha, h);
    }
    json_object_set_new(r, "hits", ha);
    fa = json_object();
    json_object_set_new(fa, "category", facet_json(&w->fplan[0], hits, 0,
                                                   FACET_CATEGORY, FACET_MAX));
    json_object_set_new(fa, "unit", facet_json(&w->fplan[1], hits, 1, FACET_UNIT,
                                               FACET_MAX));
    json_object_set_new(fa, "year", facet_json(&w->fplan[2], hits, 2, FACET_YEAR,
                                               FACET_MAX));
    json_object_set_new(r, "facets", fa);
    if (hq == &rlx) {
        json_object_set_new(r, "relaxed", json_true());
        json_object_set_new(r, "notice", json_string(
            "no document holds all of the words: these hold some of them, "
            "those with the most first"));
    } else if (s.q.truncated) {
        json_object_set_new(r, "notice", json_string(
            "the query was long: only its first 64 words and phrases were used"));
    }
    if (hq->article[0][0]) /* 食品安全法第三十四条: the article sought */
        json_object_set_new(r, "article", json_string(hq->article[0]));
    /* few, or not every word, found: an English word misspelt? */
    if (s.qs && (xs_hits_total(hits) < DYM_FEW || hq == &rlx)) {
        char *dym = did_you_mean(w, s.qs);
        if (dym)
            json_object_set_new(r, "did_you_mean", json_string(dym));
        free(dym);
    }
    json_object_set_new(r, "took_ms", json_real((now() - t0) * 1000.0));
    xs_hits_free(hits);
    qry_release(&rlx);
    qry_release(&s.q);
    *res = r;
    return 0;
}

/* ---- document, lookup --------------------------------------------------- */

static json_t *get_doc(struct worker *w, const char *id, struct api_reply *out)
{
    char term[XS_MAX_TERM + 40], *data = NULL, *js;
    const char *text;
    size_t dl, jl;
    xs_err xe;
    xs_rc rc;
    json_t *d;
    ana_id_term(id, term, sizeof term);
    rc = xs_reader_get(w->r, term, &data, &dl, NULL, &xe);
    if (rc == XS_EMODIFIED && xs_reader_reopen(w->r, NULL, &xe) == XS_OK)
        rc = xs_reader_get(w->r, term, &data, &dl, NULL, &xe);
    if (rc == XS_ENOTFOUND) {
        reply_err(out, 404, "not_found", "no document has that id; search for it instead");
        return NULL;
    }
    if (rc != XS_OK) {
        reply_xs(out, &xe);
        return NULL;
    }
    d = docdata_load(data, dl, &js, &text, &jl);
    free(data);
    if (!d) {
        reply_err(out, 500, "internal", "the stored document could not be read");
        return NULL;
    }
    json_object_set_new(d, "text", json_stringn(text, jl));
    free(js);
    json_object_del(d, "path");
    return d;
}

#define LOOKUP_MAX 8 /* numbers in one docno parameter */

static void do_lookup(struct worker *w, const struct api_req *rq,
                      struct api_reply *out)
{
    const char *dn = param(rq, "docno");
    char key[256], term[LOOKUP_MAX][300];
    size_t kl, i, nt = 0, np, ps[LOOKUP_MAX + 1], pe[LOOKUP_MAX + 1];
    xs_query t = {0}, tq[LOOKUP_MAX], *kids[LOOKUP_MAX];
    xs_search_opts o;
    xs_hits *hits = NULL;
    json_t *r, *ha;
    if (!dn || !*dn) {
        reply_err(out, 400, "bad_parameter",
                  "give the document number to look up, e.g. /api/lookup?docno=国办发〔2013〕26号");
        return;
    }
    /* a field holding several numbers (交路字第0940031820號;台內警字第…),
     * as the docno of a hit can: each of them */
    memset(tq, 0, sizeof tq);
    np = docno_split(dn, strlen(dn), ps, pe, LOOKUP_MAX + 1);
    if (np > LOOKUP_MAX) {
        reply_err(out, 400, "bad_parameter",
                  "look up at most 8 document numbers at a time; split the list");
        return;
    }
    for (i = 0; i < np; i++) {
        kl = docno_norm(dn + ps[i], pe[i] - ps[i], key, sizeof key);
        if (!kl)
            continue;
        snprintf(term[nt], sizeof term[nt], "XD:%s", key);
        tq[nt].op = XS_Q_TERM;
        tq[nt].term = term[nt];
        tq[nt].term_len = strlen(term[nt]);
        kids[nt] = &tq[nt];
        nt++;
    }
    if (!nt) {
        reply_err(out, 400, "bad_parameter",
                  "that does not look like a document number; it needs digits, e.g. 国办发〔2013〕26号");
        return;
    }
    t.op = XS_Q_OR;
    t.kids = kids;
    t.nkids = nt;
    memset(&o, 0, sizeof o);
    o.query = nt == 1 ? &tq[0] : &t;
    o.size = 50;
    o.sort = XS_SORT_VALUE_DESC;
    o.sort_slot = XS_SLOT_DATE;
    o.want_data = 1;
    if (run_search(w, &o, &hits, out) < 0)
        return;
    r = json_object();
    json_object_set_new(r, "docno", json_string(dn));
    ha = json_array();
    for (i = 0; i < xs_hits_count(hits); i++) {
        json_t *h = hit_object(w, hits, i, NULL, 0);
        if (!h)
            h = hit_unreadable(w, hits, i, 0);
        if (h)
            json_array_append_new(ha, h);
    }
    json_object_set_new(r, "hits", ha);
    xs_hits_free(hits);
    reply_json(out, 200, r);
}

/* ---- similar ------------------------------------------------------------ */

struct rare {
    uint32_t tok;
    size_t tf;
};

static int cmp_rare(const void *a, const void *b)
{
    size_t x = ((const struct rare *)a)->tf, y = ((const struct rare *)b)->tf;
    return x < y ? -1 : x > y;
}

/* An OR of the draft's rarest positional terms (bigrams, Latin words) that
 * occur in the index, or NULL when none does. */
static xs_query *similar_candidates(struct worker *w, struct qry *q,
                                    const char *text, size_t len)
{
    struct ana *a = &w->qp.ana;
    struct rare *rs;
    size_t i, n = 0, step, k, nz = 0;
    xs_query *or;
    xs_err xe;
    ana_reset(a);
    if (ana_text(a, text, len, 0, ANA_NO_WORDS | ANA_NO_STEMS | ANA_NO_DOCNO) < 0)
        return NULL;
    rs = malloc((a->n + 1) * sizeof *rs);
    if (!rs)
        return NULL;
    /* look at about 1200 tokens at most, spread over the draft */
    step = a->n > 1200 ? a->n / 1200 + 1 : 1;
    for (i = 0; i < a->n; i += step) {
        const struct ana_tok *t = &a->toks[i];
        if (t->kind != ANA_NGRAM && t->kind != ANA_LATIN && t->kind != ANA_NUMBER)
            continue;
        if (t->kind == ANA_NUMBER && t->len < 3)
            continue;
        for (k = 0; k < n; k++) /* distinct (drafts are short; n is small) */
            if (a->toks[rs[k].tok].len == t->len &&
                !memcmp(ana_term(a, &a->toks[rs[k].tok]), ana_term(a, t), t->len))
                break;
        if (k < n || n > 800)
            continue;
        if (xs_reader_termfreq(w->r, ana_term(a, t), &rs[n].tf, &xe) != XS_OK ||
            rs[n].tf == 0)
            continue;
        rs[n].tok = (uint32_t)i;
        n++;
    }
    if (!n) {
        free(rs);
        return NULL;
    }
    qsort(rs, n, sizeof *rs, cmp_rare);
    nz = n < SIMILAR_TERMS ? n : SIMILAR_TERMS;
    or = qry_node(q, XS_Q_OR, nz);
    for (i = 0; or && i < nz; i++) {
        const struct ana_tok *t = &a->toks[rs[i].tok];
        or->kids[or->nkids++] = qry_term(q, ana_term(a, t), t->len, 1);
    }
    free(rs);
    return or;
}

struct cand {
    json_t *hit;
    double sim;
    size_t dist; /* bytes between its text's length and the draft's */
    size_t rank; /* its place among the search's candidates */
    char *buf;   /* its stored data, inflated (for the passage) */
    const char *text;
    size_t tl, ra, rb; /* its text; the stretch it shares with the draft */
};

/* Most of the draft first; among equals the one closest to the draft in
 * length (the published text itself before a longer one quoting it
 * whole), then the search's order. */
static int cmp_cand(const void *a, const void *b)
{
    const struct cand *x = a, *y = b;
    if (x->sim != y->sim)
        return x->sim < y->sim ? 1 : -1;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

#define PASSAGE_MARK 300   /* bytes of the shared stretch shown */
#define PASSAGE_CTX 60     /* bytes of context each side */

/* What a published document shares with the draft, for a person to see:
 * the longest unbroken stretch [a, b) of its text t (fp_contained_run),
 * HTML-escaped, marked, cut to PASSAGE_MARK bytes with a little context
 * around and "…" where it goes on. NULL when they share none. */
static char *shared_passage(const char *t, size_t tl, size_t a, size_t b)
{
    size_t c0, c1, e;
    struct buf o;
    if (b <= a || b > tl)
        return NULL;
    e = b - a > PASSAGE_MARK ? utf8_align(t, a + PASSAGE_MARK) : b;
    c0 = utf8_align(t, a > PASSAGE_CTX ? a - PASSAGE_CTX : 0);
    c1 = e < b ? e : utf8_align(t, b + PASSAGE_CTX < tl ? b + PASSAGE_CTX : tl);
    buf_init(&o, 0);
    if (c0 > 0)
        buf_adds(&o, "…");
    html_escape(&o, t + c0, a - c0);
    buf_adds(&o, "<mark>");
    html_escape(&o, t + a, e - a);
    buf_adds(&o, "</mark>");
    html_escape(&o, t + e, c1 - e);
    if (c1 < tl)
        buf_adds(&o, "…");
    return buf_detach(&o, NULL);
}

/* 0 with *res, or -1 with a reply. */
static int do_similar_text(struct worker *w, const char *text, size_t len,
                           json_t **res, struct api_reply *out)
{
    uint64_t *sh = NULL;
    size_t n, nu, i;
    xs_query *or = NULL;
    struct qry q;
    xs_search_opts o;
    xs_hits *hits = NULL;
    struct cand cands[SIMILAR_CANDIDATES];
    size_t nc = 0;
    json_t *r, *ha;
    double t0 = now();

    *res = NULL;
    memset(&q, 0, sizeof q);
    n = fp_shingles(text, len, &sh);
    if (n == (size_t)-1) {
        reply_err(out, 500, "internal", "out of memory");
        return -1;
    }
    if (n == 0) {
        free(sh);
        reply_err(out, 400, "bad_parameter",
                  "the draft is too short to compare; paste at least a sentence "
                  "(8 characters or more)");
        return -1;
    }
    nu = fp_unique(sh, n);   /* the draft's shingle set */
    /* candidates: documents holding the draft's rarest bigrams and words
     * (the n-gram layer is already there: no extra index terms needed) */
    or = similar_candidates(w, &q, text, len);
    if (!or) { /* nothing of the draft occurs anywhere: not published */
        free(sh);
        qry_release(&q);
        r = json_object();
        json_object_set_new(r, "hits", json_array());
        json_object_set_new(r, "took_ms", json_real((now() - t0) * 1000.0));
        *res = r;
        return 0;
    }
    memset(&o, 0, sizeof o);
    o.query = or;
    o.size = SIMILAR_CANDIDATES;
    o.check_at_least = 1; /* no totals needed */
    o.want_data = 1;
    if (run_search(w, &o, &hits, out) < 0) {
        free(sh);
        qry_release(&q);
        return -1;
    }
    /* exact score: the share of the draft's shingles the candidate has */
    for (i = 0; i < xs_hits_count(hits) && nc < SIMILAR_CANDIDATES; i++) {
        size_t dl, jl, cn;
        const char *d = xs_hits_data(hits, i, &dl);
        char *js;
        const char *ct = NULL;
        json_t *doc = docdata_load(d, dl, &js, &ct, &jl);
        if (!doc) { /* a damaged document cannot be compared: say so */
            free(unreadable_id(w, hits, i));
            continue;
        }
        {
            json_t *jt = json_object_get(doc, "title");
            cn = ct ? fp_contained_run(sh, nu, json_string_value(jt),
                                       json_string_length(jt), ct, jl,
                                       &cands[nc].ra, &cands[nc].rb) : 0;
        }
        if (cn > 0) { /* kept, its text too (for the passage) */
            double sim = (double)cn / (double)nu;
            json_t *h = json_object();
            json_object_set(h, "id", json_object_get(doc, "id"));
            json_object_set(h, "title", json_object_get(doc, "title"));
            json_object_set(h, "docno", json_object_get(doc, "docno"));
            json_object_set(h, "date", json_object_get(doc, "date"));
            json_object_set(h, "unit", json_object_get(doc, "unit"));
            json_object_set(h, "lang", json_object_get(doc, "lang"));
            json_object_set_new(h, "similarity", json_real((double)((long)(sim * 1000 + 0.5)) / 1000.0));
            cands[nc].hit = h;
            cands[nc].sim = sim;
            cands[nc].dist = jl > len ? jl - len : len - jl;
            cands[nc].rank = i;
            cands[nc].buf = js;
            cands[nc].text = ct;
            cands[nc].tl = jl;
            nc++;
        } else {
            free(js);
        }
        json_decref(doc);
    }
    qsort(cands, nc, sizeof *cands, cmp_cand);
    r = json_object();
    ha = json_array();
    for (i = 0; i < nc; i++) {
        char *ph;
        if (i < SIMILAR_PASSAGES && /* what they share, to see */
            (ph = shared_passage(cands[i].text, cands[i].tl, cands[i].ra, cands[i].rb))) {
            json_object_set_new(cands[i].hit, "passage_html", json_string(ph));
            free(ph);
        }
        free(cands[i].buf);
        if (i < 10)
            json_array_append_new(ha, cands[i].hit);
        else
            json_decref(cands[i].hit);
    }
    json_object_set_new(r, "hits", ha);
    json_object_set_new(r, "took_ms", json_real((now() - t0) * 1000.0));
    xs_hits_free(hits);
    free(sh);
    qry_release(&q);
    *res = r;
    return 0;
}

/* The draft from a POST body: text/plain, JSON {"text","title"}, or a form
 * (text=...). Returns malloc'd text, or NULL with a reply set. */
static char *draft_text(const struct api_req *rq, struct api_reply *out)
{
    const char *ct = rq->content_type ? rq->content_type : "";
    if (!rq->body || !rq->body_len) {
        reply_err(out, 400, "bad_parameter",
                  "send the draft's text as the request body (text/plain or JSON {\"text\": ...})");
        return NULL;
    }
    if (!strncasecmp(ct, "application/json", 16)) {
        json_error_t je;
        json_t *o = json_loadb(rq->body, rq->body_len, 0, &je), *t, *ti;
        struct buf b;
        if (!o || !json_is_object(o)) {
            char msg[300];
            if (o)
                snprintf(msg, sizeof msg, "the body is not a JSON object; send "
                         "{\"text\": \"...\", \"title\": \"...\"}");
            else
                snprintf(msg, sizeof msg, "the body is not valid JSON in UTF-8 "
                         "(the error is at line %d, column %d); send {\"text\": "
                         "\"...\", \"title\": \"...\"}", je.line, je.column);
            json_decref(o);
            reply_err(out, 400, "bad_parameter", msg);
            return NULL;
        }
        t = json_object_get(o, "text");
        ti = json_object_get(o, "title");
        if (!json_is_string(t)) {
            json_decref(o);
            reply_err(out, 400, "bad_parameter", "the JSON body needs a \"text\" string");
            return NULL;
        }
        buf_init(&b, 0);
        if (json_is_string(ti)) {
            buf_adds(&b, json_string_value(ti));
            buf_addc(&b, '\n');
        }
        buf_adds(&b, json_string_value(t));
        json_decref(o);
        return buf_detach(&b, NULL);
    }
    {
        /* plain text in its declared charset (text/plain; charset=gbk), or
         * else UTF-8, or else what the bytes are (GB18030, Big5, UTF-16 with
         * its BOM), as the indexer reads files; NUL bytes dropped */
        struct enc_result r;
        struct err e = {0};
        if (enc_to_utf8_mime(rq->body, rq->body_len, rq->content_type, &r, &e) < 0) {
            if (e.code == ENC_ENOMEM)
                reply_err(out, 500, "internal", "out of memory; try again");
            else
                reply_err(out, 400, "bad_parameter",
                          "the body does not look like text in any charset known "
                          "here; send the draft as UTF-8 text (text/plain; charset=utf-8)");
            return NULL;
        }
        return r.text;
    }
}

/* ---- analyze, stats ----------------------------------------------------- */

static void do_analyze(struct worker *w, const struct api_req *rq,
                       struct api_reply *out)
{
    const char *text = param(rq, "text"), *mode = param(rq, "mode");
    json_t *r = json_object(), *a = json_array();
    size_t i;
    struct ana *an = &w->qp.ana;
    if (!text) {
        json_decref(r);
        json_decref(a);
        reply_err(out, 400, "bad_parameter", "give the text to analyze: /api/analyze?text=...");
        return;
    }
    if (strlen(text) > 65536) {
        json_decref(r);
        json_decref(a);
        reply_err(out, 413, "too_large", "the text is longer than 64 KB; send a shorter piece");
        return;
    }
    ana_reset(an);
    ana_text(an, text, strlen(text), 0, 0);
    for (i = 0; i < an->n; i++) {
        const struct ana_tok *t = &an->toks[i];
        json_t *o = json_pack("{s:s,s:i,s:i,s:s}", "term", ana_term(an, t), "start",
                              (int)t->start, "end", (int)t->end, "kind",
                              ana_kind_name(t->kind));
        json_object_set_new(o, "position", t->positional ? json_integer(t->pos)
                                                         : json_null());
        json_array_append_new(a, o);
    }
    json_object_set_new(r, "tokens", a);
    if (mode && !strcmp(mode, "query")) {
        struct qry q;
        struct err e = {0};
        if (qry_parse(&w->qp, text, strlen(text), &q, &e) < 0) {
            json_decref(r);
            reply_err(out, 400, "bad_query", e.msg);
            return;
        } else {
            char *d = qry_describe(q.root);
            json_t *hl = json_array();
            json_object_set_new(r, "query", json_string(d ? d : ""));
            free(d);
            if (q.rescore) {
                d = qry_describe(q.rescore);
                json_object_set_new(r, "rescore", json_string(d ? d : ""));
                free(d);
            }
            for (i = 0; i < q.nhl; i++)
                json_array_append_new(hl, json_stringn(q.hl[i].s, q.hl[i].len));
            json_object_set_new(r, "highlight", hl);
            qry_release(&q);
        }
    }
    reply_json(out, 200, r);
}

static void do_stats(struct worker *w, struct api_reply *out)
{
    json_t *r = json_object(), *sh = json_array();
    char *meta = NULL;
    size_t i;
    xs_err xe;
    json_object_set_new(r, "documents", json_integer((json_int_t)xs_reader_doccount(w->r)));
    json_object_set_new(r, "revision", json_integer((json_int_t)xs_reader_revision(w->r)));
    if (xs_reader_meta(w->r, "last_run", &meta, &xe) == XS_OK && meta && *meta)
        json_object_set_new(r, "indexed_at", json_string(meta));
    else
        json_object_set_new(r, "indexed_at", json_null());
    free(meta);
    for (i = 0; i < w->ndbs; i++)
        json_array_append_new(sh, json_string(w->dbs[i]));
    json_object_set_new(r, "shards", sh);
    json_object_set_new(r, "schema", json_string(XS_SCHEMA_VERSION));
    json_object_set_new(r, "uptime_s", json_real(now() - api_stats.started));
    {
        unsigned long ch, cm;
        size_t cn, cb;
        cache_stats(&ch, &cm, &cn, &cb);
        json_object_set_new(r, "cache", json_pack("{s:I,s:I,s:I,s:I}", "hits",
                            (json_int_t)ch, "misses", (json_int_t)cm, "entries",
                            (json_int_t)cn, "bytes", (json_int_t)cb));
    }
    reply_json(out, 200, r);
}

/* ---- routing ------------------------------------------------------------ */

static json_t *error_inner(const struct api_reply *out)
{
    json_t *o = json_loadb(out->body, out->len, 0, NULL);
    return o;
}

static void page_search(struct worker *w, const struct api_req *rq,
                        struct api_reply *out)
{
    const char *q = param(rq, "q");
    const char *keys[] = {"category", "unit", "year", "from", "to", "lang", NULL};
    int any = q && *q, i;
    json_t *res = NULL;
    for (i = 0; keys[i]; i++)
        if (param(rq, keys[i]) && *param(rq, keys[i]))
            any = 1;
    if (!any) {
        reply_page(out, 200, portal_render_search(rq->params, NULL, NULL));
        return;
    }
    if (do_search(w, rq, &res, out) < 0) {
        int st = out->status;
        json_t *eo = error_inner(out);
        free(out->body);
        reply_page(out, st, portal_render_search(rq->params, NULL, eo));
        json_decref(eo);
        return;
    }
    reply_page(out, 200, portal_render_search(rq->params, res, NULL));
    json_decref(res);
}

/* Form field of an application/x-www-form-urlencoded body. */
static char *form_field(const char *body, size_t len, const char *name)
{
    size_t nl = strlen(name), i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && body[j] != '&')
            j++;
        if (j - i > nl && !strncmp(body + i, name, nl) && body[i + nl] == '=') {
            const char *s = body + i + nl + 1;
            size_t n = j - i - nl - 1, k, o = 0;
            char *out = malloc(n + 1);
            if (!out)
                return NULL;
            for (k = 0; k < n; k++) {
                if (s[k] == '+')
                    out[o++] = ' ';
                else if (s[k] == '%' && k + 2 < n && isxdigit((unsigned char)s[k + 1]) &&
                         isxdigit((unsigned char)s[k + 2])) {
                    char hx[3] = {s[k + 1], s[k + 2], 0};
                    out[o++] = (char)strtol(hx, NULL, 16);
                    k += 2;
                } else
                    out[o++] = s[k];
            }
            out[o] = 0;
            return out;
        }
        i = j + 1;
    }
    return NULL;
}

/* A document reached from a search (/doc/{id}?q=...): its title and text
 * with the query's matches marked as in the hits' snippets, as title_html
 * and text_html for the page (not the API), and an article reference's
 * forms as mark_target. A query that does not parse leaves the page plain. */
static void mark_doc(struct worker *w, json_t *d, const char *qs)
{
    struct qry q;
    struct err e = {0};
    const char *t;
    char *h;
    if (!qs || !*qs || qry_parse(&w->qp, qs, strlen(qs), &q, &e) < 0)
        return;
    if (q.nhl) {
        if ((t = json_string_value(json_object_get(d, "title"))) &&
            (h = snip_title(t, strlen(t), &q, w->qp.ana.stem))) {
            json_object_set_new(d, "title_html", json_string(h));
            free(h);
        }
        if ((t = json_string_value(json_object_get(d, "text"))) &&
            (h = snip_title(t, strlen(t), &q, w->qp.ana.stem))) {
            json_object_set_new(d, "text_html", json_string(h));
            free(h);
        }
    }
    if (q.article[0][0]) { /* 食品安全法第三十四条: go to that article */
        json_t *a = json_array();
        size_t k;
        for (k = 0; k < sizeof q.article / sizeof q.article[0]; k++)
            if (q.article[k][0])
                json_array_append_new(a, json_string(q.article[k]));
        json_object_set_new(d, "mark_target", a);
    }
    qry_release(&q);
}

static void page_check(struct worker *w, const struct api_req *rq,
                       struct api_reply *out)
{
    char *text = NULL;
    json_t *res = NULL;
    if (!strcmp(rq->method, "POST") && rq->body)
        text = form_field(rq->body, rq->body_len, "text");
    if (text && *text) {
        if (do_similar_text(w, text, strlen(text), &res, out) < 0) {
            int st = out->status;
            json_t *eo = error_inner(out);
            free(out->body);
            reply_page(out, st, portal_render_check(rq->params, text, NULL, eo));
            json_decref(eo);
            free(text);
            return;
        }
    }
    reply_page(out, 200, portal_render_check(rq->params, text, res, NULL));
    json_decref(res);
    free(text);
}

/* A compiled-in file. Its URL from a page carries ?v=<its content tag>:
 * that answer may be cached for good (a changed file gets a new URL);
 * without it, or with an old tag, it is revalidated each time, and an
 * If-None-Match of the current ETag gets 304 and no body. */
static int serve_asset(const char *name, const struct api_req *rq,
                       struct api_reply *out)
{
    const struct asset *a;
    for (a = assets; a->name; a++) {
        if (!strcmp(a->name, name)) {
            const char *tag = portal_asset_tag(name), *v = param(rq, "v");
            snprintf(out->etag, sizeof out->etag, "\"%s\"", tag);
            out->cache = v && !strcmp(v, tag) ? "public, max-age=31536000, immutable"
                                              : "no-cache";
            out->ctype = a->type;
            if (rq->if_none_match && strstr(rq->if_none_match, out->etag)) {
                out->status = 304;
                out->body = strdup("");
                out->len = 0;
                return out->body != NULL;
            }
            out->status = 200;
            out->body = malloc(a->len + 1);
            if (!out->body)
                return 0;
            memcpy(out->body, a->data, a->len);
            out->len = a->len;
            return 1;
        }
    }
    return 0;
}

static void api_dispatch(struct worker *w, const struct api_req *rq,
                         struct api_reply *out);

void api_handle(struct worker *w, const struct api_req *rq, struct api_reply *out)
{
    const char *p = rq->path;
    int get = !strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD");
    int post = !strcmp(rq->method, "POST");
    struct err e = {0};
    memset(out, 0, sizeof *out);
    out->endpoint = "other";

    if (!strncmp(p, "/assets/", 8)) {
        out->endpoint = "assets";
        if (get && serve_asset(p + 8, rq, out))
            return;
        reply_err(out, 404, "not_found", "no such file");
        return;
    }
    if (!strcmp(p, "/opensearch.xml")) {
        char base[300];
        out->endpoint = "opensearch";
        snprintf(base, sizeof base, "http://%s", rq->host ? rq->host : "localhost");
        out->status = 200;
        out->ctype = "application/opensearchdescription+xml; charset=utf-8";
        out->body = portal_opensearch_xml(base);
        out->len = out->body ? strlen(out->body) : 0;
        return;
    }
    if (!strcmp(p, "/healthz")) {
        out->endpoint = "healthz";
        if (worker_refresh(w, &e) < 0 || !w->r) {
            reply_err(out, 503, "index_unavailable", "the index cannot be opened");
            return;
        }
        out->status = 200;
        out->ctype = "text/plain; charset=utf-8";
        out->body = strdup("ok\n");
        out->len = 3;
        return;
    }
    if (!strcmp(p, "/favicon.ico")) {
        out->endpoint = "assets";
        if (serve_asset("favicon.svg", rq, out)) {
            out->ctype = "image/svg+xml";
            return;
        }
    }
    if (!strncmp(p, "/api/", 5) && json_object_get(rq->params, API_NOT_UTF8)) {
        char msg[200], name[44];
        json_t *k = json_object_get(rq->params, API_NOT_UTF8);
        size_t nl = json_is_string(k) ? json_string_length(k) : 0;
        if (nl >= sizeof name) /* cut at a character's start: the message is JSON */
            nl = utf8_align(json_string_value(k), sizeof name - 1);
        if (nl)
            memcpy(name, json_string_value(k), nl);
        name[nl] = 0;
        snprintf(msg, sizeof msg, "the parameter '%s' is not text in UTF-8 (nor in "
                 "GB18030 or Big5); percent-encode it as UTF-8, as browsers do", name);
        out->endpoint = "other";
        reply_err(out, 400, "bad_parameter", msg);
        return;
    }
    /* everything below needs the index */
    {
        static const char *const known[] = {"/", "/check", "/api/search",
            "/api/lookup", "/api/similar", "/api/analyze", "/api/stats",
            "/metrics", NULL};
        int i, k = 0;
        for (i = 0; known[i]; i++)
            if (!strcmp(p, known[i]))
                k = 1;
        if (!k && strncmp(p, "/api/doc/", 9) && strncmp(p, "/doc/", 5)) {
            reply_err(out, 404, "not_found",
                      "no such page; the API is under /api/ (see API.md), the portal at /");
            return;
        }
    }
    if ((!strcmp(p, "/api/similar") && !post) ||
        (!strcmp(p, "/check") && !get && !post) ||
        (strcmp(p, "/api/similar") && strcmp(p, "/check") && !get)) {
        out->endpoint = "other";
        reply_err(out, 405, "method_not_allowed",
                  !strcmp(p, "/api/similar") ? "use POST with the draft as the body"
                  : !strcmp(p, "/check") ? "use GET for the form, POST to check a draft"
                                         : "use GET");
        out->allow = !strcmp(p, "/api/similar") ? "POST"
                     : !strcmp(p, "/check") ? "GET, HEAD, POST" : "GET, HEAD";
        return;
    }
    if (worker_refresh(w, &e) < 0 || !w->r) {
        out->endpoint = "unavailable";
        reply_err(out, 503, "index_unavailable",
                  "the index cannot be opened; if it is being built for the first "
                  "time, try again when the indexer has finished");
        return;
    }
    /* repeated requests: the same answer, on the same revision */
    if (get && (!strcmp(p, "/api/search") || !strcmp(p, "/api/lookup") ||
                !strcmp(p, "/")) && cache_enabled()) {
        char *pj = json_dumps(rq->params, JSON_COMPACT | JSON_SORT_KEYS);
        struct cache_hit ch;
        char *key = NULL;
        size_t kl = 0;
        if (pj) {
            key = malloc(strlen(pj) + strlen(p) + strlen(w->stamp) + 48);
            if (key)
                kl = (size_t)sprintf(key, "%lu|%s|%s|%s",
                                     xs_reader_revision(w->r), w->stamp, p, pj);
            free(pj);
        }
        if (key && cache_get(key, kl, &ch)) {
            out->endpoint = !strcmp(p, "/") ? "portal" : p + 5;
            out->status = ch.status;
            out->ctype = ch.ctype;
            out->body = ch.body;
            out->len = ch.len;
            out->is_page = ch.is_page;
            free(key);
            return;
        }
        api_dispatch(w, rq, out);
        if (key && out->status == 200 && out->body)
            cache_put(key, kl, out->body, out->len, out->ctype, out->status,
                      out->is_page);
        free(key);
        return;
    }
    api_dispatch(w, rq, out);
}

/* The handlers that need the index (after the checks of api_handle). */
static void api_dispatch(struct worker *w, const struct api_req *rq,
                         struct api_reply *out)
{
    const char *p = rq->path;
    if (!strcmp(p, "/api/search")) {
        json_t *res;
        out->endpoint = "search";
        if (do_search(w, rq, &res, out) == 0)
            reply_json(out, 200, res);
    } else if (!strcmp(p, "/")) {
        out->endpoint = "portal";
        page_search(w, rq, out);
    } else if (!strcmp(p, "/check")) {
        out->endpoint = "check";
        page_check(w, rq, out);
    } else if (!strncmp(p, "/api/doc/", 9)) {
        json_t *d;
        out->endpoint = "doc";
        d = get_doc(w, p + 9, out);
        if (d)
            reply_json(out, 200, d);
    } else if (!strncmp(p, "/doc/", 5)) {
        json_t *d;
        struct api_reply tmp = {0};
        out->endpoint = "docpage";
        d = get_doc(w, p + 5, &tmp);
        free(tmp.body);
        if (d)
            mark_doc(w, d, param(rq, "q"));
        reply_page(out, d ? 200 : (tmp.status ? tmp.status : 404),
                   portal_render_doc(rq->params, d));
        json_decref(d);
    } else if (!strcmp(p, "/api/lookup")) {
        out->endpoint = "lookup";
        do_lookup(w, rq, out);
    } else if (!strcmp(p, "/api/similar")) {
        char *t;
        json_t *res;
        out->endpoint = "similar";
        t = draft_text(rq, out);
        if (t) {
            if (do_similar_text(w, t, strlen(t), &res, out) == 0)
                reply_json(out, 200, res);
            free(t);
        }
    } else if (!strcmp(p, "/api/analyze")) {
        out->endpoint = "analyze";
        do_analyze(w, rq, out);
    } else if (!strcmp(p, "/api/stats")) {
        out->endpoint = "stats";
        do_stats(w, out);
    } else if (!strcmp(p, "/metrics")) {
        out->endpoint = "metrics";
        out->status = 200;
        out->ctype = "text/plain; version=0.0.4; charset=utf-8";
        out->body = http_metrics_text(w);
        out->len = out->body ? strlen(out->body) : 0;
    }
}
