/* test_xs.c - unit tests of the Xapian shim (shim/xs.h): writer, documents,
 * reader, every query operator, paging, sorting, facets, shards, stubs,
 * compaction, a xapian-tcpsrv remote, the stemmer, every bad argument and
 * (through the test hook) every exception kind. Databases live in a
 * mkdtemp() directory under /tmp, removed at the end. */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim/xs.h"
#include "tests/unit/check.h"

static char tmp[64];

/* The fixture: six documents with positional words, a category term, the
 * id term and values. */
struct fixdoc {
    const char *id;
    const char *words[4];
    const char *date, *year, *cat;
};
static const struct fixdoc fix[] = {
    {"a1", {"apple", "banana", "cherry", NULL}, "20200101", "2020", "x"},
    {"a2", {"banana", "apple", NULL, NULL}, "20210101", "2021", "x"},
    {"a3", {"apple", "date", "elder", NULL}, "20190101", "2019", "y"},
    {"a4", {"cherry", "date", NULL, NULL}, "20210601", "2021", "y"},
    {"a5", {"fig", "apple", "banana", NULL}, "20220101", "2022", "x"},
    {"a6", {"banana", "fig", NULL, NULL}, "20200601", "2020", "z"},
};
#define NFIX (sizeof fix / sizeof fix[0])

static char *path_in(const char *name)
{
    static char buf[32][256];
    static int k;
    char *p = buf[k++ % 32];
    snprintf(p, 256, "%s/%s", tmp, name);
    return p;
}

static void rmtree(const char *p)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", p);
}

static xs_doc *make_doc(const struct fixdoc *f, const char *idprefix)
{
    xs_doc *d = NULL;
    xs_err err;
    char t[64];
    if (xs_doc_new(&d, &err) != XS_OK)
        return NULL;
    snprintf(t, sizeof t, "Q:%s%s", idprefix, f->id);
    xs_doc_term(d, t, strlen(t), 0, &err);
    snprintf(t, sizeof t, "XC:%s", f->cat);
    xs_doc_term(d, t, strlen(t), 0, &err);
    for (unsigned i = 0; i < 4 && f->words[i]; i++)
        xs_doc_posting(d, f->words[i], strlen(f->words[i]), i + 1, 1, &err);
    xs_doc_value(d, XS_SLOT_DATE, f->date, strlen(f->date), &err);
    xs_doc_value(d, XS_SLOT_YEAR, f->year, strlen(f->year), &err);
    xs_doc_value(d, XS_SLOT_CATEGORY, f->cat, strlen(f->cat), &err);
    snprintf(t, sizeof t, "%s%s", idprefix, f->id);
    xs_doc_value(d, XS_SLOT_ID, t, strlen(t), &err);
    snprintf(t, sizeof t, "doc %s%s", idprefix, f->id);
    xs_doc_data(d, t, strlen(t), &err);
    return d;
}

/* Creates a database at path with the fixture (ids prefixed). */
static int build_db(const char *path, const char *idprefix)
{
    xs_writer *w = NULL;
    xs_err err;
    int bad = 0;
    if (xs_writer_open(path, XS_CREATE, 0, &w, &err) != XS_OK) {
        fprintf(stderr, "build_db: %s\n", err.msg);
        return -1;
    }
    for (size_t i = 0; i < NFIX; i++) {
        xs_doc *d = make_doc(&fix[i], idprefix);
        char id[64];
        snprintf(id, sizeof id, "Q:%s%s", idprefix, fix[i].id);
        if (!d || xs_writer_replace(w, id, d, &err) != XS_OK)
            bad = -1;
        xs_doc_free(d);
    }
    if (xs_writer_commit(w, &err) != XS_OK)
        bad = -1;
    if (xs_writer_close(w, &err) != XS_OK)
        bad = -1;
    return bad;
}

/* ---- query building helpers -------------------------------------- */

static xs_query qterm(const char *t)
{
    xs_query q;
    memset(&q, 0, sizeof q);
    q.op = XS_Q_TERM;
    q.term = t;
    q.term_len = t ? strlen(t) : 0;
    return q;
}

static xs_query qop(xs_qop op, xs_query **kids, size_t n)
{
    xs_query q;
    memset(&q, 0, sizeof q);
    q.op = op;
    q.kids = kids;
    q.nkids = n;
    return q;
}

static xs_search_opts opts_for(const xs_query *q)
{
    xs_search_opts o;
    memset(&o, 0, sizeof o);
    o.query = q;
    o.size = 100;
    return o;
}

/* The count of category value v over every document (-1 on error). */
static long cat_count(xs_reader *r, const char *v)
{
    xs_query all = qop(XS_Q_ALL, NULL, 0);
    xs_search_opts o = opts_for(&all);
    unsigned slot = XS_SLOT_CATEGORY;
    xs_hits *h = NULL;
    xs_err err;
    long n = 0;
    o.facet_slots = &slot;
    o.nfacets = 1;
    o.size = 0;
    if (xs_search(r, &o, &h, &err) != XS_OK)
        return -1;
    for (size_t j = 0; j < xs_hits_facet_count(h, 0); j++)
        if (!strcmp(xs_hits_facet_value(h, 0, j, NULL), v))
            n = (long)xs_hits_facet_freq(h, 0, j);
    xs_hits_free(h);
    return n;
}

/* Runs q; returns the match count (-1 on error, the code in *rcp). */
static long count_q(xs_reader *r, const xs_query *q, xs_rc *rcp)
{
    xs_search_opts o = opts_for(q);
    xs_hits *h = NULL;
    xs_err err;
    xs_rc rc = xs_search(r, &o, &h, &err);
    if (rcp)
        *rcp = rc;
    if (rc != XS_OK)
        return -1;
    long n = (long)xs_hits_count(h);
    if ((size_t)n != xs_hits_total(h))
        n = -2;
    xs_hits_free(h);
    return n;
}

/* The ids (slot 6) of the hits of a search with values, comma-separated
 * into out; *keep gets the hits when not NULL (else they are freed). */
static int search_ids(xs_reader *r, const xs_search_opts *o0, char *out,
                      size_t cap, xs_hits **keep)
{
    xs_search_opts o = *o0;
    xs_hits *h = NULL;
    xs_err err;
    o.nvalues = XS_NSLOTS;
    out[0] = 0;
    if (xs_search(r, &o, &h, &err) != XS_OK) {
        fprintf(stderr, "search: %s\n", err.msg);
        return -1;
    }
    for (size_t i = 0; i < xs_hits_count(h); i++) {
        size_t len;
        const char *v = xs_hits_value(h, i, XS_SLOT_ID, &len);
        if (strlen(out) + len + 2 < cap) {
            if (i)
                strcat(out, ",");
            strncat(out, v, len);
        }
    }
    if (keep)
        *keep = h;
    else
        xs_hits_free(h);
    return 0;
}

static int first_ids(xs_reader *r, const xs_search_opts *o, char *out,
                     size_t cap)
{
    return search_ids(r, o, out, cap, NULL);
}

/* ---- tests -------------------------------------------------------- */

static void test_rc_str(void)
{
    const char *seen[XS_ENETWORK + 1];
    for (int i = 0; i <= XS_ENETWORK; i++) {
        seen[i] = xs_rc_str((xs_rc)i);
        CHECK(seen[i] != NULL && strcmp(seen[i], "unknown error") != 0);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(seen[i], seen[j]) != 0);
    }
    CHECK_STREQ(xs_rc_str((xs_rc)(XS_ENETWORK + 1)), "unknown error");
    CHECK_STREQ(xs_rc_str((xs_rc)-1), "unknown error");
    CHECK_STREQ(xs_rc_str(XS_OK), "ok");
}

static void test_writer(void)
{
    xs_writer *w = (xs_writer *)&w, *w2 = (xs_writer *)&w2;
    xs_err err;
    char *meta = NULL;
    size_t n = 99;
    const char *db = path_in("w.db");

    /* missing database, bad arguments */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_ENOTFOUND);
    CHECK(w == NULL);
    CHECK_INTEQ(err.rc, XS_ENOTFOUND);
    CHECK(strstr(err.msg, "w.db") != NULL);
    CHECK_INTEQ(xs_writer_open(NULL, XS_CREATE, 0, &w, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_open("", XS_CREATE, 0, &w, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, NULL, &err), XS_EINVAL);
    w = (xs_writer *)&w;
    CHECK_INTEQ(xs_writer_open(db, 1 << 5, 0, &w, &err), XS_EINVAL);
    CHECK(w == NULL);
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, NULL), XS_ENOTFOUND);

    /* create: the schema is written */
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 100, &w, &err), XS_OK);
    CHECK_INTEQ(err.rc, XS_OK);
    CHECK(w != NULL);
    CHECK_STREQ(getenv("XAPIAN_FLUSH_THRESHOLD"), "100");
    CHECK_INTEQ(xs_writer_get_meta(w, "schema", &meta, &err), XS_OK);
    CHECK_STREQ(meta, XS_SCHEMA_VERSION);
    free(meta);
    CHECK_INTEQ(xs_writer_get_meta(w, "last_run", &meta, &err), XS_OK);
    CHECK_STREQ(meta, "");
    free(meta);

    /* a second writer is locked out */
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &w2, &err), XS_ELOCKED);
    CHECK(w2 == NULL);

    /* replace, delete, doccount */
    for (size_t i = 0; i < NFIX; i++) {
        xs_doc *d = make_doc(&fix[i], "");
        char id[16];
        snprintf(id, sizeof id, "Q:%s", fix[i].id);
        CHECK_INTEQ(xs_writer_replace(w, id, d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX);
    xs_doc *d = make_doc(&fix[0], "");
    CHECK_INTEQ(xs_writer_replace(w, "Q:a1", d, &err), XS_OK); /* again */
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX);
    CHECK_INTEQ(xs_writer_delete(w, "Q:nosuch", &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete(w, "Q:a1", &err), XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);
    CHECK_INTEQ(xs_writer_replace(w, "Q:a1", d, &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "last_run", "2024-01-01T00:00:00Z",
                                   &err), XS_OK);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);

    /* values of one slot */
    xs_values v;
    CHECK_INTEQ(xs_writer_values(w, XS_SLOT_ID, &v, &err), XS_OK);
    CHECK_INTEQ(v.n, NFIX);
    int ids_ok = v.n == NFIX;
    for (size_t i = 0; i < v.n; i++) {
        int found = 0;
        for (size_t j = 0; j < NFIX; j++)
            found |= strcmp(v.vals[i], fix[j].id) == 0;
        ids_ok &= found && v.docids[i] > 0;
    }
    CHECK(ids_ok);
    /* delete by docid: the doc whose id is a3 */
    unsigned a3 = 0;
    for (size_t i = 0; i < v.n; i++)
        if (strcmp(v.vals[i], "a3") == 0)
            a3 = v.docids[i];
    xs_values_free(&v);
    CHECK(v.n == 0 && v.vals == NULL && v.docids == NULL);
    xs_values_free(NULL);
    CHECK_INTEQ(xs_writer_values(w, 40, &v, &err), XS_OK); /* empty slot */
    CHECK_INTEQ(v.n, 0);
    xs_values_free(&v);
    CHECK(a3 > 0);
    CHECK_INTEQ(xs_writer_delete_docid(w, a3, &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete_docid(w, a3, &err), XS_ENOTFOUND);
    CHECK_INTEQ(xs_writer_delete_docid(w, 0, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);
    xs_doc_free(d);
    d = make_doc(&fix[2], "");
    CHECK_INTEQ(xs_writer_replace(w, "Q:a3", d, &err), XS_OK);
    xs_doc_free(d);

    /* transactions */
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_cancel(w, &err), XS_EINVAL); /* none active */
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_EINVAL); /* nested */
    CHECK_INTEQ(xs_writer_delete(w, "Q:a2", &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "last_run", "cancelled", &err), XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);
    CHECK_INTEQ(xs_writer_cancel(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX);
    CHECK_INTEQ(xs_writer_get_meta(w, "last_run", &meta, &err), XS_OK);
    CHECK_STREQ(meta, "2024-01-01T00:00:00Z");
    free(meta);
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete(w, "Q:a2", &err), XS_OK);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);

    /* bad arguments: *out NULL, XS_EINVAL */
    meta = (char *)&meta;
    CHECK_INTEQ(xs_writer_get_meta(w, NULL, &meta, &err), XS_EINVAL);
    CHECK(meta == NULL);
    CHECK_INTEQ(xs_writer_get_meta(NULL, "k", &meta, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_get_meta(w, "k", NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_set_meta(w, "", "v", &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_set_meta(w, "k", NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_set_meta(NULL, "k", "v", &err), XS_EINVAL);
    n = 7;
    CHECK_INTEQ(xs_writer_doccount(NULL, &n, &err), XS_EINVAL);
    CHECK_INTEQ(n, 0);
    CHECK_INTEQ(xs_writer_doccount(w, NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_values(NULL, 0, &v, &err), XS_EINVAL);
    CHECK(v.n == 0 && v.vals == NULL);
    CHECK_INTEQ(xs_writer_values(w, 0, NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_values(w, 0xffffffffu, &v, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    CHECK_INTEQ(xs_writer_replace(NULL, "Q:x", d, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_replace(w, "Q:x", NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_replace(w, NULL, d, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_replace(w, "", d, &err), XS_EINVAL);
    char longid[300];
    memset(longid, 'q', sizeof longid - 1);
    longid[sizeof longid - 1] = 0;
    CHECK_INTEQ(xs_writer_replace(w, longid, d, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_delete(w, longid, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_delete(NULL, "Q:a", &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_delete(w, NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_delete_docid(NULL, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_begin(NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_commit(NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_writer_cancel(NULL, &err), XS_EINVAL);
    CHECK_INTEQ(err.rc, XS_EINVAL);
    CHECK(strncmp(err.msg, "xs: ", 4) == 0);
    xs_doc_free(d);
    CHECK_INTEQ(xs_writer_close(NULL, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);

    /* reopen without create; the lock is free again */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);

    /* overwrite starts empty, schema set again */
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE | XS_OVERWRITE, 0, &w, &err),
                XS_OK);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, 0);
    CHECK_INTEQ(xs_writer_get_meta(w, "schema", &meta, &err), XS_OK);
    CHECK_STREQ(meta, XS_SCHEMA_VERSION);
    free(meta);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
}

static void test_schema(void)
{
    const char *db = path_in("schema.db");
    xs_writer *w = NULL;
    xs_reader *r = (xs_reader *)&r;
    xs_err err;
    CHECK_INTEQ(build_db(db, ""), 0);

    /* another version: writer and reader refuse it */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "schema", "0", &err), XS_OK);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    w = (xs_writer *)&w;
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &w, &err), XS_ESCHEMA);
    CHECK(w == NULL);
    CHECK(strstr(err.msg, "rebuild with --full") != NULL);
    CHECK(strstr(err.msg, "version 0") != NULL);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_ESCHEMA);
    CHECK(r == NULL);
    /* overwrite is the way out */
    CHECK_INTEQ(xs_writer_open(db, XS_OVERWRITE, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    xs_reader_close(r);

    /* documents but no schema at all: the writer refuses, readers accept */
    rmtree(db);
    CHECK_INTEQ(build_db(db, ""), 0);
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "schema", "", &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK); /* Xapian commits */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_ESCHEMA);
    CHECK(strstr(err.msg, "(none)") != NULL);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    xs_reader_close(r);
}

/* Schema 5 keeps a document's data in XS_SLOT_DATA; an index of schema 4
 * keeps it in the docdata table, also for documents added later, and
 * readers take both. */
static void data_of(xs_reader *r, const char *idterm, char **data, char **slot)
{
    xs_query q = qterm(idterm);
    xs_search_opts o = opts_for(&q);
    xs_hits *h = NULL;
    xs_err err;
    size_t len;
    *data = *slot = NULL;
    o.want_data = 1;
    if (xs_search(r, &o, &h, &err) != XS_OK || xs_hits_count(h) != 1) {
        xs_hits_free(h);
        return;
    }
    *data = strdup(xs_hits_data(h, 0, &len));
    if (xs_reader_value(r, xs_hits_docid(h, 0), XS_SLOT_DATA, slot, &err) != XS_OK)
        *slot = NULL;
    xs_hits_free(h);
}

static void test_data_slot(void)
{
    const char *db = path_in("dataslot.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_doc *d = NULL;
    xs_err err;
    char *data = NULL, *slot = NULL, *got = NULL;
    CHECK_INTEQ(build_db(db, ""), 0);
    /* the same index as if written by schema 4, then a document added */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "schema", "4", &err), XS_OK);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    CHECK_INTEQ(xs_doc_term(d, "Q:old1", 6, 0, &err), XS_OK);
    CHECK_INTEQ(xs_doc_data(d, "old data", 8, &err), XS_OK);
    CHECK_INTEQ(xs_writer_replace(w, "Q:old1", d, &err), XS_OK);
    xs_doc_free(d);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);

    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    data_of(r, "Q:a1", &data, &slot);   /* written as schema 5 */
    CHECK_STREQ(data, "doc a1");
    CHECK_STREQ(slot, "doc a1");
    free(data);
    free(slot);
    data_of(r, "Q:old1", &data, &slot); /* written as schema 4 */
    CHECK_STREQ(data, "old data");
    CHECK_STREQ(slot, "");
    free(data);
    free(slot);
    CHECK_INTEQ(xs_reader_get(r, "Q:old1", &got, NULL, NULL, &err), XS_OK);
    CHECK_STREQ(got, "old data");
    free(got);
    CHECK_INTEQ(xs_reader_get(r, "Q:a2", &got, NULL, NULL, &err), XS_OK);
    CHECK_STREQ(got, "doc a2");
    free(got);
    xs_reader_close(r);
    rmtree(db);
}

static void test_reader_basic(const char *db)
{
    xs_reader *r = NULL;
    xs_writer *w = NULL;
    xs_err err;
    char *s = NULL;
    size_t n;
    int changed = -1;

    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), 0);
    unsigned long rev0 = xs_reader_revision(r);
    CHECK(rev0 >= 1); /* the schema commit */
    for (size_t i = 0; i < NFIX; i++) {
        xs_doc *d = make_doc(&fix[i], "");
        char id[16];
        snprintf(id, sizeof id, "Q:%s", fix[i].id);
        CHECK_INTEQ(xs_writer_replace(w, id, d, &err), XS_OK);
        xs_doc_free(d);
    }
    /* nothing visible before commit */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 0);
    CHECK_INTEQ(xs_reader_doccount(r), 0);
    CHECK_INTEQ(xs_writer_set_meta(w, "last_run", "t1", &err), XS_OK);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), 0); /* cached until reopen */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX);
    CHECK_INTEQ(xs_reader_revision(r), rev0 + 1);
    CHECK_INTEQ(xs_reader_reopen(r, NULL, &err), XS_OK);
    CHECK_INTEQ(cat_count(r, "x"), 3); /* facets read per revision */
    /* a transaction: invisible until its commit, then on disk */
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete(w, "Q:a1", &err), XS_OK);
    CHECK_INTEQ(xs_writer_set_meta(w, "last_run", "t2", &err), XS_OK);
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 0);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX - 1);
    CHECK_INTEQ(cat_count(r, "x"), 2); /* ... and read anew after reopen */
    {
        xs_doc *d = make_doc(&fix[0], "");
        CHECK_INTEQ(xs_writer_replace(w, "Q:a1", d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK); /* Xapian commits */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX);

    /* metadata, frequencies */
    CHECK_INTEQ(xs_reader_meta(r, "last_run", &s, &err), XS_OK);
    CHECK_STREQ(s, "t2");
    free(s);
    CHECK_INTEQ(xs_reader_meta(r, "nothing", &s, &err), XS_OK);
    CHECK_STREQ(s, "");
    free(s);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(n, 4);
    CHECK_INTEQ(xs_reader_termfreq(r, "zzz", &n, &err), XS_OK);
    CHECK_INTEQ(n, 0);
    CHECK_INTEQ(xs_reader_collfreq(r, "banana", &n, &err), XS_OK);
    CHECK_INTEQ(n, 4);
    CHECK_INTEQ(xs_reader_termfreq(r, "XC:x", &n, &err), XS_OK);
    CHECK_INTEQ(n, 3);

    /* get by id */
    char *data = NULL, **vals = NULL;
    size_t len = 0;
    CHECK_INTEQ(xs_reader_get(r, "Q:a4", &data, &len, &vals, &err), XS_OK);
    CHECK_STREQ(data, "doc a4");
    CHECK_INTEQ(len, 6);
    CHECK(vals != NULL);
    if (vals) {
        CHECK_STREQ(vals[XS_SLOT_DATE], "20210601");
        CHECK_STREQ(vals[XS_SLOT_ID], "a4");
        CHECK_STREQ(vals[XS_SLOT_UNIT], "");
        for (int k = 0; k < XS_NSLOTS; k++)
            free(vals[k]);
        free(vals);
    }
    free(data);
    CHECK_INTEQ(xs_reader_get(r, "Q:a5", &data, NULL, NULL, &err), XS_OK);
    CHECK_STREQ(data, "doc a5");
    free(data);
    data = (char *)&data;
    vals = (char **)&vals;
    len = 9;
    CHECK_INTEQ(xs_reader_get(r, "Q:zz", &data, &len, &vals, &err),
                XS_ENOTFOUND);
    CHECK(data == NULL && vals == NULL && len == 0);
    CHECK(strstr(err.msg, "Q:zz") != NULL);

    /* bad arguments */
    CHECK_INTEQ(xs_reader_get(NULL, "Q:a1", &data, &len, &vals, &err),
                XS_EINVAL);
    CHECK_INTEQ(xs_reader_get(r, "Q:a1", NULL, &len, &vals, &err),
                XS_EINVAL);
    CHECK_INTEQ(xs_reader_get(r, "", &data, &len, &vals, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_get(r, NULL, &data, &len, &vals, &err), XS_EINVAL);
    s = (char *)&s;
    CHECK_INTEQ(xs_reader_meta(r, NULL, &s, &err), XS_EINVAL);
    CHECK(s == NULL);
    CHECK_INTEQ(xs_reader_meta(NULL, "k", &s, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_meta(r, "k", NULL, &err), XS_EINVAL);
    n = 5;
    CHECK_INTEQ(xs_reader_termfreq(r, NULL, &n, &err), XS_EINVAL);
    CHECK_INTEQ(n, 0);
    CHECK_INTEQ(xs_reader_termfreq(NULL, "a", &n, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_collfreq(r, "a", NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_reopen(NULL, &changed, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_doccount(NULL), 0);
    CHECK_INTEQ(xs_reader_revision(NULL), 0);
    xs_reader_close(r);
    xs_reader_close(NULL);

    xs_reader *r2 = (xs_reader *)&r2;
    CHECK_INTEQ(xs_reader_open(path_in("nosuch.db"), &r2, &err),
                XS_ENOTFOUND);
    CHECK(r2 == NULL);
    CHECK_INTEQ(xs_reader_open(NULL, &r2, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_open(db, NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_open_many(NULL, 1, &r2, &err), XS_EINVAL);
    const char *none[] = {db, NULL};
    CHECK_INTEQ(xs_reader_open_many(none, 0, &r2, &err), XS_EINVAL);
    CHECK_INTEQ(xs_reader_open_many(none, 2, &r2, &err), XS_EINVAL);
    const char *badtcp[] = {"tcp:nohost", "tcp::1", "tcp:h:0", "tcp:h:x",
                            "tcp:h:70000", "tcp:[]:5"};
    for (size_t i = 0; i < sizeof badtcp / sizeof *badtcp; i++) {
        CHECK_INTEQ(xs_reader_open(badtcp[i], &r2, &err), XS_EINVAL);
        CHECK(r2 == NULL);
    }
}

static void test_search(xs_reader *r)
{
    xs_rc rc;
    xs_query apple = qterm("apple"), banana = qterm("banana"),
             cherry = qterm("cherry"), fig = qterm("fig"),
             date = qterm("date"), xcx = qterm("XC:x");
    xs_query *ab[] = {&apple, &banana}, *ba[] = {&banana, &apple},
             *cf[] = {&cherry, &fig}, *ac[] = {&apple, &cherry},
             *ax[] = {&apple, &xcx}, *bd[] = {&banana, &date};

    CHECK_INTEQ(count_q(r, &apple, &rc), 4);
    xs_query q = qop(XS_Q_AND, ab, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 3);
    q = qop(XS_Q_OR, cf, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 4);
    q = qop(XS_Q_SYNONYM, cf, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 4);
    q = qop(XS_Q_AND_NOT, ab, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 1); /* a3 */
    xs_query *abd[] = {&apple, &banana, &date};
    q = qop(XS_Q_AND_NOT, abd, 3); /* apple, not banana nor date */
    CHECK_INTEQ(count_q(r, &q, &rc), 0);
    q = qop(XS_Q_AND_NOT, ab, 1); /* one kid: itself */
    CHECK_INTEQ(count_q(r, &q, &rc), 4);
    /* phrase: adjacent in order (a1, a5); not a2 (banana apple) */
    q = qop(XS_Q_PHRASE, ab, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 2);
    q = qop(XS_Q_PHRASE, ba, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 1);
    /* phrase with a wider window: apple .. cherry in a1 (1, 3) */
    q = qop(XS_Q_PHRASE, ac, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 0);
    q.window = 3;
    CHECK_INTEQ(count_q(r, &q, &rc), 1);
    /* near: any order */
    q = qop(XS_Q_NEAR, ab, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 3);
    q = qop(XS_Q_NEAR, bd, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 0);
    /* filter: apple in category x, weights unchanged */
    q = qop(XS_Q_FILTER, ax, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 3);
    {
        xs_search_opts o = opts_for(&q);
        xs_search_opts o2 = opts_for(&apple);
        xs_hits *h = NULL, *h2 = NULL;
        xs_err err;
        xs_query filt = xcx;
        o2.filter = &filt;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_search(r, &o2, &h2, &err), XS_OK);
        CHECK_INTEQ(xs_hits_count(h2), 3);
        CHECK(xs_hits_count(h) == 3 && xs_hits_score(h, 0) > 0);
        CHECK(fabs(xs_hits_score(h, 0) - xs_hits_score(h2, 0)) < 1e-9);
        xs_hits_free(h);
        xs_hits_free(h2);
    }
    /* and_maybe: apple, cherry raises a1 to the top */
    q = qop(XS_Q_AND_MAYBE, ac, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 4);
    {
        xs_search_opts o = opts_for(&q);
        char ids[128];
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK(strncmp(ids, "a1,", 3) == 0);
    }
    /* scale: same hits, double weights; factor 0 keeps matches */
    {
        xs_query *k1[] = {&apple};
        xs_query sc = qop(XS_Q_SCALE, k1, 1);
        sc.factor = 2.0;
        xs_search_opts o = opts_for(&sc), o2 = opts_for(&apple);
        xs_hits *h = NULL, *h2 = NULL;
        xs_err err;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_search(r, &o2, &h2, &err), XS_OK);
        CHECK_INTEQ(xs_hits_count(h), 4);
        CHECK(xs_hits_score(h2, 0) > 0 &&
              fabs(xs_hits_score(h, 0) - 2 * xs_hits_score(h2, 0)) < 1e-9);
        xs_hits_free(h);
        xs_hits_free(h2);
        sc.factor = 0;
        CHECK_INTEQ(count_q(r, &sc, &rc), 4);
        sc.factor = -1;
        CHECK_INTEQ(count_q(r, &sc, &rc), -1);
        CHECK_INTEQ(rc, XS_EQUERY);
        sc.factor = NAN;
        CHECK_INTEQ(count_q(r, &sc, &rc), -1);
        sc.factor = 1;
        sc.nkids = 2;
        sc.kids = ab;
        CHECK_INTEQ(count_q(r, &sc, &rc), -1);
        CHECK_INTEQ(rc, XS_EQUERY);
    }
    /* value ranges: both ends, open ends */
    {
        xs_query vr;
        memset(&vr, 0, sizeof vr);
        vr.op = XS_Q_VALUE_RANGE;
        vr.slot = XS_SLOT_DATE;
        vr.lo = "20200101";
        vr.hi = "20201231";
        CHECK_INTEQ(count_q(r, &vr, &rc), 2);
        vr.lo = NULL;
        vr.hi = "20191231";
        CHECK_INTEQ(count_q(r, &vr, &rc), 1);
        vr.lo = "20210101";
        vr.hi = NULL;
        CHECK_INTEQ(count_q(r, &vr, &rc), 3);
        vr.lo = NULL;
        CHECK_INTEQ(count_q(r, &vr, &rc), 6); /* any value */
        vr.slot = XS_SLOT_UNIT;
        CHECK_INTEQ(count_q(r, &vr, &rc), 0); /* nobody has one */
        vr.slot = 0xffffffffu;
        CHECK_INTEQ(count_q(r, &vr, &rc), -1);
        CHECK_INTEQ(rc, XS_EQUERY);
    }
    xs_query all = qop(XS_Q_ALL, NULL, 0), nothing = qop(XS_Q_NONE, NULL, 0);
    CHECK_INTEQ(count_q(r, &all, &rc), 6);
    CHECK_INTEQ(count_q(r, &nothing, &rc), 0);
    xs_query *an[] = {&apple, &nothing};
    q = qop(XS_Q_OR, an, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), 4);
    /* wqf: a heavier term ranks higher */
    {
        xs_query a3 = qterm("apple"), b1 = qterm("banana");
        a3.wqf = 3;
        xs_query *k[] = {&a3, &b1};
        xs_query o_r = qop(XS_Q_OR, k, 2);
        xs_search_opts o = opts_for(&o_r);
        char ids[128];
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        /* a6 (banana only) comes after the apple documents */
        CHECK(strstr(ids, "a6") != NULL &&
              strstr(ids, "a6") > strstr(ids, "a3"));
    }

    /* sort by date, paging */
    {
        xs_search_opts o = opts_for(&all);
        char ids[128];
        o.sort = XS_SORT_VALUE_ASC;
        o.sort_slot = XS_SLOT_DATE;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "a3,a1,a6,a2,a4,a5");
        o.sort = XS_SORT_VALUE_DESC;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "a5,a4,a2,a6,a1,a3");
        o.offset = 2;
        o.size = 2;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "a2,a6");
        o.offset = 5;
        o.size = 10;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "a3");
        o.offset = 50;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "");
        o.offset = (size_t)-1;
        o.size = (size_t)-1;
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "");
    }

    /* facets, data, values, totals */
    {
        unsigned slots[] = {XS_SLOT_YEAR, XS_SLOT_CATEGORY, XS_SLOT_UNIT};
        xs_search_opts o = opts_for(&all);
        xs_hits *h = NULL;
        xs_err err;
        size_t len;
        o.facet_slots = slots;
        o.nfacets = 3;
        o.size = 1;
        o.want_data = 1;
        o.nvalues = 3;
        o.sort = XS_SORT_VALUE_ASC;
        o.sort_slot = XS_SLOT_DATE;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_hits_count(h), 1);
        CHECK_INTEQ(xs_hits_total(h), 6);
        CHECK_STREQ(xs_hits_data(h, 0, &len), "doc a3");
        CHECK_INTEQ(len, 6);
        CHECK_STREQ(xs_hits_value(h, 0, XS_SLOT_DATE, &len), "20190101");
        CHECK_STREQ(xs_hits_value(h, 0, XS_SLOT_CATEGORY, NULL), "y");
        CHECK_STREQ(xs_hits_value(h, 0, XS_SLOT_ID, &len), ""); /* > n */
        CHECK_INTEQ(len, 0);
        CHECK(xs_hits_docid(h, 0) > 0);
        /* years: 2020 x2, 2021 x2, 2019, 2022 */
        CHECK_INTEQ(xs_hits_facet_count(h, 0), 4);
        CHECK_STREQ(xs_hits_facet_value(h, 0, 0, &len), "2020");
        CHECK_INTEQ(len, 4);
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 0), 2);
        CHECK_STREQ(xs_hits_facet_value(h, 0, 1, NULL), "2021");
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 1), 2);
        CHECK_STREQ(xs_hits_facet_value(h, 0, 2, NULL), "2019");
        CHECK_STREQ(xs_hits_facet_value(h, 0, 3, NULL), "2022");
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 3), 1);
        CHECK_INTEQ(xs_hits_facet_count(h, 1), 3);
        CHECK_STREQ(xs_hits_facet_value(h, 1, 0, NULL), "x");
        CHECK_INTEQ(xs_hits_facet_freq(h, 1, 0), 3);
        CHECK_INTEQ(xs_hits_facet_count(h, 2), 0);
        /* out of range accessors */
        CHECK_INTEQ(xs_hits_facet_count(h, 3), 0);
        CHECK_STREQ(xs_hits_facet_value(h, 0, 4, &len), "");
        CHECK_INTEQ(len, 0);
        CHECK_STREQ(xs_hits_facet_value(h, 9, 0, NULL), "");
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 4), 0);
        CHECK_INTEQ(xs_hits_docid(h, 1), 0);
        CHECK(xs_hits_score(h, 1) == 0.0);
        CHECK_STREQ(xs_hits_data(h, 1, &len), "");
        CHECK_STREQ(xs_hits_value(h, 1, 0, &len), "");
        xs_hits_free(h);
        CHECK_INTEQ(xs_hits_count(NULL), 0);
        CHECK_INTEQ(xs_hits_total(NULL), 0);
        CHECK_INTEQ(xs_hits_facet_count(NULL, 0), 0);
        xs_hits_free(NULL);

        /* facets follow the query: apple -> x 3, y 1 */
        o = opts_for(&apple);
        o.facet_slots = slots + 1;
        o.nfacets = 1;
        o.size = 0;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_hits_count(h), 0);
        CHECK_INTEQ(xs_hits_total(h), 4);
        CHECK_INTEQ(xs_hits_facet_count(h, 0), 2);
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 0), 3);
        CHECK_STREQ(xs_hits_facet_value(h, 0, 1, NULL), "y");
        xs_hits_free(h);

        /* no data unless asked; custom BM25 and check_at_least */
        o = opts_for(&apple);
        o.bm25_k1 = 1.2;
        o.bm25_b = 0.75;
        o.check_at_least = 1;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_hits_count(h), 4);
        CHECK_STREQ(xs_hits_data(h, 0, &len), "");
        CHECK(xs_hits_score(h, 0) > 0);
        xs_hits_free(h);
    }
}

static void test_search_errors(xs_reader *r)
{
    xs_rc rc;
    xs_err err;
    xs_hits *h = (xs_hits *)&h;
    xs_query apple = qterm("apple"), banana = qterm("banana");
    xs_query *ab[] = {&apple, &banana};
    xs_search_opts o = opts_for(&apple);

    CHECK_INTEQ(xs_search(NULL, &o, &h, &err), XS_EINVAL);
    CHECK(h == NULL);
    CHECK_INTEQ(xs_search(r, NULL, &h, &err), XS_EINVAL);
    CHECK_INTEQ(xs_search(r, &o, NULL, &err), XS_EINVAL);
    o.query = NULL;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o = opts_for(&apple);
    o.sort = 7;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o.sort = XS_SORT_VALUE_ASC;
    o.sort_slot = 0xffffffffu;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o = opts_for(&apple);
    o.nfacets = 1;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL); /* NULL slots */
    unsigned badslot = 0xffffffffu;
    o.facet_slots = &badslot;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o = opts_for(&apple);
    o.nvalues = 100000;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o = opts_for(&apple);
    o.bm25_k1 = -1;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    o.bm25_k1 = 0;
    o.bm25_b = NAN;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EINVAL);
    CHECK(h == NULL);

    /* malformed trees -> XS_EQUERY */
    xs_query q = qop(XS_Q_PHRASE, ab, 2);
    q.window = 1;
    CHECK_INTEQ(count_q(r, &q, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    q = qop(XS_Q_AND, NULL, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    q = qop(XS_Q_OR, ab, 0);
    CHECK_INTEQ(count_q(r, &q, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    xs_query *withnull[] = {&apple, NULL};
    q = qop(XS_Q_OR, withnull, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    q = qop((xs_qop)99, ab, 2);
    CHECK_INTEQ(count_q(r, &q, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    xs_query empty = qterm(NULL);
    CHECK_INTEQ(count_q(r, &empty, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    empty = qterm("");
    CHECK_INTEQ(count_q(r, &empty, &rc), -1);
    CHECK_INTEQ(rc, XS_EQUERY);
    /* a bad filter too */
    o = opts_for(&apple);
    o.filter = &empty;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_EQUERY);
    CHECK(h == NULL);
    CHECK(strstr(err.msg, "empty term") != NULL);

    /* depth: 64 levels fine, 65 refused, a cycle refused */
    {
        xs_query chain[70];
        xs_query *kid[70];
        for (int i = 0; i < 70; i++) {
            chain[i] = qop(XS_Q_AND, &kid[i], 1);
            kid[i] = i + 1 < 70 ? &chain[i + 1] : NULL;
        }
        chain[63] = qterm("apple"); /* levels 1..64 */
        CHECK_INTEQ(count_q(r, &chain[0], &rc), 4);
        chain[63] = qop(XS_Q_AND, &kid[63], 1);
        chain[64] = qterm("apple"); /* 65 levels */
        CHECK_INTEQ(count_q(r, &chain[0], &rc), -1);
        CHECK_INTEQ(rc, XS_EQUERY);
        xs_query self = qop(XS_Q_OR, NULL, 1);
        xs_query *selfk[] = {&self};
        self.kids = selfk;
        CHECK_INTEQ(count_q(r, &self, &rc), -1);
        CHECK_INTEQ(rc, XS_EQUERY);
    }
}

static void test_docs(void)
{
    xs_doc *d = (xs_doc *)&d;
    xs_err err;
    char big[XS_MAX_TERM + 2];
    memset(big, 'b', sizeof big);

    CHECK_INTEQ(xs_doc_new(NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    CHECK_INTEQ(xs_doc_term(d, big, XS_MAX_TERM + 1, 1, &err), XS_OK);
    CHECK_INTEQ(xs_doc_term(d, big, XS_MAX_TERM, 1, &err), XS_OK);
    CHECK_INTEQ(xs_doc_posting(d, big, XS_MAX_TERM + 2, 1, 1, &err), XS_OK);
    CHECK_INTEQ(xs_doc_term(NULL, "a", 1, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_term(d, NULL, 1, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_term(d, "a", 0, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_posting(d, "a", 1, 0, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_posting(NULL, "a", 1, 1, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_posting(d, NULL, 1, 1, 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_value(d, 0, NULL, 3, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_value(d, 0, NULL, 0, &err), XS_OK);
    CHECK_INTEQ(xs_doc_value(d, 0xffffffffu, "v", 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_value(NULL, 0, "v", 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_data(d, NULL, 3, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_data(NULL, "x", 1, &err), XS_EINVAL);
    CHECK_INTEQ(xs_doc_data(d, NULL, 0, &err), XS_OK);
    /* bytes with NUL inside survive */
    CHECK_INTEQ(xs_doc_data(d, "a\0b", 3, &err), XS_OK);
    xs_doc_free(d);
    xs_doc_free(NULL);

    /* a stored document: long term skipped, NUL data kept, wdf counted */
    const char *db = path_in("docs.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    xs_doc_term(d, "Q:d1", 4, 0, &err);
    xs_doc_term(d, big, XS_MAX_TERM + 1, 1, &err);
    xs_doc_term(d, "word", 4, 2, &err);
    xs_doc_posting(d, "word", 4, 7, 1, &err);
    xs_doc_posting(d, "pos0", 4, 1, 0, &err); /* position, no wdf */
    xs_doc_data(d, "a\0b", 3, &err);
    CHECK_INTEQ(xs_writer_replace(w, "Q:d1", d, &err), XS_OK);
    xs_doc_free(d);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    size_t n = 0, len = 0;
    CHECK_INTEQ(xs_reader_collfreq(r, "word", &n, &err), XS_OK);
    CHECK_INTEQ(n, 3);
    CHECK_INTEQ(xs_reader_termfreq(r, "pos0", &n, &err), XS_OK);
    CHECK_INTEQ(n, 1);
    big[XS_MAX_TERM] = 0;
    CHECK_INTEQ(xs_reader_termfreq(r, big, &n, &err), XS_OK);
    CHECK_INTEQ(n, 0);
    char *data = NULL;
    CHECK_INTEQ(xs_reader_get(r, "Q:d1", &data, &len, NULL, &err), XS_OK);
    CHECK(len == 3 && data && memcmp(data, "a\0b", 3) == 0);
    free(data);
    xs_reader_close(r);
}

/* The reader's revision is discarded under it: XS_EMODIFIED, then reopen
 * and retry succeeds. */
static void test_modified(void)
{
    const char *db = path_in("mod.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_err err;
    char id[32], text[64];
    CHECK_INTEQ(build_db(db, ""), 0);
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    /* round -1 makes the tables deeper than one block (a reader keeps a
     * root leaf in memory); rounds 0..3 then free and reuse the blocks
     * of the revision the reader holds */
    for (int round = -1; round < 4; round++) {
        if (round == 0)
            CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
        for (int i = 0; i < 300; i++) {
            xs_doc *d = NULL;
            xs_doc_new(&d, &err);
            snprintf(id, sizeof id, "Q:m%d", i);
            xs_doc_term(d, id, strlen(id), 0, &err);
            snprintf(text, sizeof text, "round%d", round);
            xs_doc_posting(d, text, strlen(text), 1, 1, &err);
            xs_doc_posting(d, "apple", 5, 2, 1, &err);
            snprintf(text, sizeof text, "data of %d in round %d", i, round);
            xs_doc_data(d, text, strlen(text), &err);
            xs_writer_replace(w, id, d, &err);
            xs_doc_free(d);
        }
        CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    }
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    char *data = NULL;
    xs_rc rc = xs_reader_get(r, "Q:a1", &data, NULL, NULL, &err);
    if (rc == XS_OK) {
        /* Xapian did not reuse the blocks this time: search instead */
        free(data);
        xs_query a = qterm("apple");
        xs_search_opts o = opts_for(&a);
        xs_hits *h = NULL;
        o.want_data = 1;
        rc = xs_search(r, &o, &h, &err);
        xs_hits_free(h);
    }
    CHECK_INTEQ(rc, XS_EMODIFIED);
    CHECK_INTEQ(err.rc, XS_EMODIFIED);
    CHECK(strstr(err.msg, "DatabaseModifiedError") != NULL);
    int changed = 0;
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX + 300);
    CHECK_INTEQ(xs_reader_get(r, "Q:a1", &data, NULL, NULL, &err), XS_OK);
    CHECK_STREQ(data, "doc a1");
    free(data);
    xs_reader_close(r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char s1[256], s2[256]; /* the two shards (test_remote uses s2) */

/* Facet counts follow the reader's revision, also for a document replaced
 * in place (same docid, new values). */
static void test_facet_tables(void)
{
    const char *p = path_in("ft.db");
    xs_reader *r = NULL;
    xs_writer *w = NULL;
    xs_err err;
    int changed = 0;
    CHECK_INTEQ(build_db(p, ""), 0);
    CHECK_INTEQ(xs_reader_open(p, &r, &err), XS_OK);
    CHECK_INTEQ(cat_count(r, "x"), 3);
    CHECK_INTEQ(cat_count(r, "y"), 2);
    {   /* one value of one document, by docid */
        char *v = NULL;
        CHECK_INTEQ(xs_reader_value(r, 2, XS_SLOT_ID, &v, &err), XS_OK);
        CHECK_STREQ(v, "a2");
        free(v);
        CHECK_INTEQ(xs_reader_value(r, 2, XS_SLOT_FILE, &v, &err), XS_OK);
        CHECK_STREQ(v, ""); /* unset */
        free(v);
        CHECK_INTEQ(xs_reader_value(r, 999, XS_SLOT_ID, &v, &err), XS_ENOTFOUND);
        CHECK(v == NULL);
        CHECK_INTEQ(xs_reader_value(r, 0, XS_SLOT_ID, &v, &err), XS_EINVAL);
        CHECK_INTEQ(xs_reader_value(NULL, 1, XS_SLOT_ID, &v, &err), XS_EINVAL);
    }
    CHECK_INTEQ(xs_writer_open(p, 0, 0, &w, &err), XS_OK);
    {
        xs_doc *d = make_doc(&fix[2], ""); /* a category y document */
        CHECK_INTEQ(xs_writer_replace(w, "Q:a2", d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(cat_count(r, "x"), 3); /* the old revision until reopen */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(cat_count(r, "x"), 2);
    CHECK_INTEQ(cat_count(r, "y"), 3);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    xs_reader_close(r);
}

static void test_shards(void)
{
    xs_reader *r = NULL;
    xs_err err;
    size_t n;
    char stub[700];
    snprintf(s1, sizeof s1, "%s", path_in("s1.db"));
    snprintf(s2, sizeof s2, "%s", path_in("s2.db"));
    CHECK_INTEQ(build_db(s1, "s1-"), 0);
    CHECK_INTEQ(build_db(s2, "s2-"), 0);

    /* two local shards */
    const char *both[] = {s1, s2};
    CHECK_INTEQ(xs_reader_open_many(both, 2, &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX);
    CHECK_INTEQ(xs_reader_revision(r), 4); /* schema + fixture, each */
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(n, 8);
    char *data = NULL;
    CHECK_INTEQ(xs_reader_get(r, "Q:s2-a2", &data, NULL, NULL, &err),
                XS_OK);
    CHECK_STREQ(data, "doc s2-a2");
    free(data);
    {
        xs_query all = qop(XS_Q_ALL, NULL, 0);
        xs_search_opts o = opts_for(&all);
        unsigned slot = XS_SLOT_CATEGORY;
        xs_hits *h = NULL;
        o.facet_slots = &slot;
        o.nfacets = 1;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_hits_total(h), 12);
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 0), 6);
        xs_hits_free(h);
    }
    /* a shard changes: reopen sees it */
    xs_writer *w = NULL;
    int changed = 0;
    CHECK_INTEQ(xs_writer_open(s2, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete(w, "Q:s2-a1", &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK); /* Xapian commits */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX - 1);
    CHECK_INTEQ(xs_reader_revision(r), 5);
    xs_reader_close(r);

    /* a stub file naming both, and a directory holding a XAPIANDB stub */
    snprintf(stub, sizeof stub, "auto %s\nauto %s\n", s1, s2);
    write_file(path_in("stub"), stub);
    CHECK_INTEQ(xs_reader_open(path_in("stub"), &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX - 1);
    CHECK_INTEQ(count_q(r, &(xs_query){.op = XS_Q_ALL}, NULL),
                2 * NFIX - 1);
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 0);
    xs_reader_close(r);
    mkdir(path_in("stubdir"), 0700);
    snprintf(stub, sizeof stub, "auto %s\n", s1);
    write_file(path_in("stubdir/XAPIANDB"), stub);
    CHECK_INTEQ(xs_reader_open(path_in("stubdir"), &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX);
    xs_reader_close(r);
    /* a file that is no database */
    write_file(path_in("junk"), "this is no database\n");
    r = (xs_reader *)&r;
    CHECK_INTEQ(xs_reader_open(path_in("junk"), &r, &err), XS_ENOTFOUND);
    CHECK(r == NULL);
    const char *mixed[] = {s1, path_in("nosuch.db")};
    CHECK_INTEQ(xs_reader_open_many(mixed, 2, &r, &err), XS_ENOTFOUND);
    CHECK(strstr(err.msg, "nosuch.db") != NULL);

    /* compaction of both into one */
    const char *dst = path_in("compact.db");
    CHECK_INTEQ(xs_compact(both, 2, dst, 0, &err), XS_OK);
    CHECK_INTEQ(xs_reader_open(dst, &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX - 1);
    xs_query a = qterm("apple"), b = qterm("banana");
    xs_query *ab[] = {&a, &b};
    xs_query ph = qop(XS_Q_PHRASE, ab, 2);
    CHECK_INTEQ(count_q(r, &ph, NULL), 4 - 1); /* s2-a1 deleted */
    char *meta = NULL;
    CHECK_INTEQ(xs_reader_meta(r, "schema", &meta, &err), XS_OK);
    CHECK_STREQ(meta, XS_SCHEMA_VERSION);
    free(meta);
    xs_reader_close(r);
    CHECK_INTEQ(xs_compact(both, 2, dst, 0, &err), XS_EINVAL); /* exists */
    CHECK(strstr(err.msg, "exists") != NULL);
    CHECK_INTEQ(xs_compact(both, 0, path_in("c2"), 0, &err), XS_EINVAL);
    CHECK_INTEQ(xs_compact(NULL, 2, path_in("c2"), 0, &err), XS_EINVAL);
    CHECK_INTEQ(xs_compact(both, 2, NULL, 0, &err), XS_EINVAL);
    const char *withnull[] = {s1, NULL};
    CHECK_INTEQ(xs_compact(withnull, 2, path_in("c2"), 0, &err), XS_EINVAL);
    CHECK_INTEQ(xs_compact(mixed, 2, path_in("c2"), 0, &err), XS_ENOTFOUND);
}

/* ---- tombstones (an index compacted without its termlist) ---------- */

static void test_tombstones(void)
{
    const char *src = path_in("t-src.db"), *db = path_in("t.db");
    const char *srcs[1];
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_err err;
    char ids[256], *data = NULL, *meta = NULL;
    size_t n = 0;
    struct stat st;
    int changed = 0;
    CHECK_INTEQ(build_db(src, ""), 0);
    srcs[0] = src;
    CHECK_INTEQ(xs_compact(srcs, 1, db, XS_COMPACT_NO_TERMLIST, &err), XS_OK);
    CHECK(stat(path_in("t.db/termlist.glass"), &st) != 0);
    CHECK(stat(path_in("t.db/postlist.glass"), &st) == 0);
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);

    /* a changed document (replace) and a vanished one (delete by docid),
     * in one transaction */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_dead(w), 0);
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    {
        struct fixdoc f = fix[0];
        f.words[0] = "grape";
        f.cat = "z";
        xs_doc *d = make_doc(&f, "");
        CHECK_INTEQ(xs_writer_replace(w, "Q:a1", d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_delete_docid(w, 3, &err), XS_OK);   /* a3 */
    CHECK_INTEQ(xs_writer_delete_docid(w, 3, &err), XS_ENOTFOUND);
    CHECK_INTEQ(xs_writer_delete_docid(w, 99, &err), XS_ENOTFOUND);
    CHECK_INTEQ(xs_writer_dead(w), 2);
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_OK);
    CHECK_INTEQ(n, NFIX - 1);
    {
        xs_values v;
        CHECK_INTEQ(xs_writer_values(w, XS_SLOT_ID, &v, &err), XS_OK);
        CHECK_INTEQ(v.n, NFIX - 1); /* a3 and the old a1 left out */
        for (size_t i = 0; i < v.n; i++)
            CHECK(v.docids[i] != 1 && v.docids[i] != 3);
        xs_values_free(&v);
    }
    /* a reader sees nothing of it before the commit */
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 0);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX);
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);

    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(changed, 1);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX - 1);
    CHECK_INTEQ(xs_reader_meta(r, "dead", &meta, &err), XS_OK);
    CHECK_STREQ(meta, "1 3");
    free(meta);
    {
        xs_query all = qop(XS_Q_ALL, NULL, 0);
        xs_search_opts o = opts_for(&all);
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK(strstr(ids, "a3") == NULL);
        CHECK_INTEQ(count_q(r, &all, NULL), NFIX - 1);
    }
    xs_query apple = qterm("apple"), grape = qterm("grape");
    CHECK_INTEQ(count_q(r, &apple, NULL), 2);  /* a2, a5: a1 lost it, a3 gone */
    CHECK_INTEQ(count_q(r, &grape, NULL), 1);
    CHECK_INTEQ(cat_count(r, "x"), 2);         /* facets count live ones */
    CHECK_INTEQ(cat_count(r, "z"), 2);
    CHECK_INTEQ(cat_count(r, "y"), 1);
    CHECK_INTEQ(xs_reader_get(r, "Q:a1", &data, NULL, NULL, &err), XS_OK);
    free(data);
    data = NULL;
    CHECK_INTEQ(xs_reader_get(r, "Q:a3", &data, NULL, NULL, &err), XS_ENOTFOUND);
    CHECK_INTEQ(xs_reader_value(r, 3, XS_SLOT_ID, &data, &err), XS_ENOTFOUND);
    {   /* the new a1 is the one found by id */
        xs_query q1 = qterm("Q:a1");
        xs_search_opts o = opts_for(&q1);
        CHECK_INTEQ(first_ids(r, &o, ids, sizeof ids), 0);
        CHECK_STREQ(ids, "a1");
        CHECK_INTEQ(count_q(r, &q1, NULL), 1);
    }

    /* a cancelled transaction leaves the tombstones as they were */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_dead(w), 2);
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_delete(w, "Q:a2", &err), XS_OK);
    CHECK_INTEQ(xs_writer_dead(w), 3);
    CHECK_INTEQ(xs_writer_cancel(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_dead(w), 2);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
    CHECK_INTEQ(xs_reader_doccount(r), NFIX - 1);
    xs_reader_close(r);

    /* beside another shard: docids of the whole */
    {
        const char *two[] = {src, db};
        xs_query all = qop(XS_Q_ALL, NULL, 0);
        CHECK_INTEQ(xs_reader_open_many(two, 2, &r, &err), XS_OK);
        CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX - 1);
        CHECK_INTEQ(count_q(r, &all, NULL), 2 * NFIX - 1);
        CHECK_INTEQ(count_q(r, &grape, NULL), 1);
        xs_reader_close(r);
    }
    /* created without a termlist: xs_writer_add, then a replacement is a
     * tombstone from the start */
    {
        const char *nt = path_in("t-nt.db");
        xs_doc *d = make_doc(&fix[1], "");
        CHECK_INTEQ(xs_writer_open(nt, XS_CREATE | XS_OVERWRITE | XS_NOTERMLIST,
                                   0, &w, &err), XS_OK);
        CHECK_INTEQ(xs_writer_add(w, d, &err), XS_OK);
        CHECK_INTEQ(xs_writer_add(NULL, d, &err), XS_EINVAL);
        CHECK_INTEQ(xs_writer_add(w, NULL, &err), XS_EINVAL);
        CHECK_INTEQ(xs_writer_replace(w, "Q:a2", d, &err), XS_OK);
        CHECK_INTEQ(xs_writer_dead(w), 1);
        CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
        CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
        xs_doc_free(d);
        CHECK(stat(path_in("t-nt.db/termlist.glass"), &st) != 0);
        CHECK_INTEQ(xs_reader_open(nt, &r, &err), XS_OK);
        CHECK_INTEQ(xs_reader_doccount(r), 1);
        xs_reader_close(r);
    }
    /* an index holding tombstones is not compacted (its docids move) */
    srcs[0] = db;
    CHECK_INTEQ(xs_compact(srcs, 1, path_in("t2.db"), 0, &err), XS_EINVAL);
    CHECK(strstr(err.msg, "tombstones") != NULL);
    CHECK_INTEQ(xs_compact(srcs, 1, path_in("t3.db"), 4, &err), XS_EINVAL);
}

/* ---- recency boost ------------------------------------------------ */

/* Adds document id with term "tax" of wdf n (plus filler to an equal
 * length) and date (NULL: undated) to an open writer. */
static void rec_doc(xs_writer *w, const char *id, unsigned n, const char *date)
{
    xs_doc *d = NULL;
    xs_err err;
    char t[64];
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    if (!d)
        return;
    snprintf(t, sizeof t, "Q:%s", id);
    xs_doc_term(d, t, strlen(t), 0, &err);
    xs_doc_term(d, "tax", 3, n, &err);
    xs_doc_term(d, "filler", 6, 4 - n, &err);
    if (date)
        xs_doc_value(d, XS_SLOT_DATE, date, strlen(date), &err);
    xs_doc_value(d, XS_SLOT_ID, id, strlen(id), &err);
    CHECK_INTEQ(xs_writer_replace(w, t, d, &err), XS_OK);
    xs_doc_free(d);
}

static void rec_db(const char *path, const char *future)
{
    xs_writer *w = NULL;
    xs_err err;
    CHECK_INTEQ(xs_writer_open(path, XS_CREATE, 0, &w, &err), XS_OK);
    if (!w)
        return;
    rec_doc(w, "old", 1, "20100101");
    rec_doc(w, "new", 1, "20200101");
    rec_doc(w, "undated", 1, NULL);
    rec_doc(w, "better", 3, "20000101"); /* clearly the best match */
    rec_doc(w, "baddate", 1, "2020-01-01"); /* not YYYYMMDD: no boost */
    if (future)
        rec_doc(w, "future", 1, future);
    for (int i = 0; i < 30; i++) { /* "tax" is a rare word (a real idf) */
        xs_doc *d = NULL;
        char t[32];
        if (xs_doc_new(&d, &err) != XS_OK)
            break;
        snprintf(t, sizeof t, "Q:other%d", i);
        xs_doc_term(d, "filler", 6, 4, &err);
        CHECK_INTEQ(xs_writer_replace(w, t, d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
}

/* Score of id in a "tax" search with the boost (NaN when absent); the
 * ids in rank order into order. */
static double rec_score(xs_reader *r, const char *id, char *order, size_t cap)
{
    xs_query q = qterm("tax");
    xs_search_opts o = opts_for(&q);
    xs_hits *h = NULL;
    xs_err err;
    double s = NAN;
    o.recency = 0.3;
    o.recency_slot = XS_SLOT_DATE;
    o.nvalues = XS_NSLOTS;
    if (order)
        order[0] = 0;
    CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
    for (size_t i = 0; h && i < xs_hits_count(h); i++) {
        size_t len;
        const char *v = xs_hits_value(h, i, XS_SLOT_ID, &len);
        if (len == strlen(id) && !memcmp(v, id, len) && isnan(s))
            s = xs_hits_score(h, i);
        if (order && strlen(order) + len + 2 < cap) {
            if (i)
                strcat(order, ",");
            strncat(order, v, len);
        }
    }
    xs_hits_free(h);
    return s;
}

static void test_recency(void)
{
    const char *p = path_in("rec.db"), *p2 = path_in("rec2.db");
    const char *pf = path_in("recf.db");
    xs_reader *r = NULL;
    xs_err err;
    char order[256];
    double ten = 0.3 * exp2(-3652.0 / 365.25 / 3.0); /* 2010 vs 2020 */
    rec_db(p, NULL);
    CHECK_INTEQ(xs_reader_open(p, &r, &err), XS_OK);
    if (!r)
        return;
    /* equal matches: the newest first, undated and bad dates last; the
     * clearly better old one stays first: the boost is mild */
    rec_score(r, "new", order, sizeof order);
    if (strncmp(order, "better,new,old,", 15))
        fprintf(stderr, "order: %s\n", order);
    CHECK(!strncmp(order, "better,new,old,", 15));
    /* the newest date gains the whole 0.3, ten years before it 0.3/2^(10/3) */
    CHECK_NEAR(rec_score(r, "new", NULL, 0) - rec_score(r, "undated", NULL, 0), 0.3, 1e-9);
    CHECK_NEAR(rec_score(r, "old", NULL, 0) - rec_score(r, "undated", NULL, 0), ten, 1e-9);
    CHECK_NEAR(rec_score(r, "baddate", NULL, 0), rec_score(r, "undated", NULL, 0), 1e-12);
    xs_reader_close(r);

    /* several local shards read the boost from the values: the same */
    rec_db(p2, NULL);
    const char *both[] = {p, p2};
    CHECK_INTEQ(xs_reader_open_many(both, 2, &r, &err), XS_OK);
    if (r) {
        CHECK_NEAR(rec_score(r, "new", NULL, 0) - rec_score(r, "undated", NULL, 0), 0.3, 1e-9);
        CHECK_NEAR(rec_score(r, "old", NULL, 0) - rec_score(r, "undated", NULL, 0), ten, 1e-9);
        xs_reader_close(r);
    }

    /* a date after today (a typo) counts as today, and does not make the
     * real newest documents old */
    rec_db(pf, "21990101");
    CHECK_INTEQ(xs_reader_open(pf, &r, &err), XS_OK);
    if (r) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        /* 2020-01-01 to today in years (days since the epoch / 365.25) */
        double age = ((double)now / 86400.0 - 18262.0) / 365.25;
        double got = rec_score(r, "new", NULL, 0) - rec_score(r, "undated", NULL, 0);
        CHECK_NEAR(rec_score(r, "future", NULL, 0) - rec_score(r, "undated", NULL, 0), 0.3, 1e-9);
        CHECK_NEAR(got, 0.3 * exp2(-age / 3.0), 2e-3); /* within a day */
        CHECK(got < 0.3);
        xs_reader_close(r);
    }
}

/* Ids of an "apple" search (rescored by "banana" when rb) into out. */
static int rescore_ids(xs_reader *r, int rb, size_t window, size_t off,
                       size_t size, char *out, size_t cap, size_t *total)
{
    xs_query a = qterm("apple"), b = qterm("banana"), c = qterm("cherry");
    xs_query *ak[] = {&a, &c};
    xs_query q = qop(XS_Q_AND_MAYBE, ak, 2); /* cherry: a1 first without */
    xs_search_opts o = opts_for(&q);
    xs_hits *h = NULL;
    unsigned slot = XS_SLOT_CATEGORY;
    o.rescore = rb ? &b : NULL;
    o.rescore_window = window;
    o.offset = off;
    o.size = size;
    o.facet_slots = &slot;
    o.nfacets = 1;
    if (search_ids(r, &o, out, cap, &h) < 0)
        return -1;
    *total = xs_hits_total(h);
    if (xs_hits_facet_count(h, 0) != 2 || xs_hits_facet_freq(h, 0, 0) != 3)
        *total = 0; /* facets: x 3 (a1 a2 a5), y 1 (a3), as without */
    xs_hits_free(h);
    return 0;
}

static void test_rescore(void)
{
    xs_reader *r = NULL;
    xs_err err;
    char plain[128], re[128], p1[128], p2[128];
    size_t t = 0;
    CHECK_INTEQ(xs_reader_open(s1, &r, &err), XS_OK);
    if (!r)
        return;
    /* apple: a1 a2 a3 a5; banana: a1 a2 a5 (a6); cherry ranks a1 first */
    CHECK_INTEQ(rescore_ids(r, 0, 0, 0, 10, plain, sizeof plain, &t), 0);
    CHECK_INTEQ(t, 4);
    CHECK(!strncmp(plain, "s1-a1,", 6));
    CHECK_INTEQ(rescore_ids(r, 1, 0, 0, 10, re, sizeof re, &t), 0);
    CHECK(strcmp(plain, re) != 0); /* a3, without banana, falls behind a5 */
    CHECK_INTEQ(t, 4); /* counts and facets as without */
    CHECK(!strncmp(re, "s1-a1,", 6)); /* apple+cherry+banana */
    CHECK(strstr(re, "s1-a3") && !strcmp(strrchr(re, ',') + 1, "s1-a3"));
    /* pages within the window are pages of the re-ranked list */
    CHECK_INTEQ(rescore_ids(r, 1, 4, 0, 2, p1, sizeof p1, &t), 0);
    CHECK_INTEQ(rescore_ids(r, 1, 4, 2, 2, p2, sizeof p2, &t), 0);
    strcat(p1, ",");
    strcat(p1, p2);
    CHECK_STREQ(p1, re);
    /* a page past the window: the plain order */
    CHECK_INTEQ(rescore_ids(r, 1, 1, 0, 4, p1, sizeof p1, &t), 0);
    CHECK_STREQ(p1, plain);
    xs_reader_close(r);
    /* two shards: the rescore query weighs every match (AND_MAYBE) */
    const char *both[] = {s1, s2};
    CHECK_INTEQ(xs_reader_open_many(both, 2, &r, &err), XS_OK);
    if (r) {
        CHECK_INTEQ(rescore_ids(r, 1, 0, 0, 10, p1, sizeof p1, &t), 0);
        CHECK(strstr(p1, "s1-a3") && strstr(p1, "s1-a3") > strstr(p1, "s1-a5"));
        xs_reader_close(r);
    }
}

/* A free loopback port (a race with other programs is unlikely). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int port = -1;
    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static void test_remote(void)
{
    const char *prog = "/usr/bin/xapian-tcpsrv";
    if (access(prog, X_OK) != 0) {
        printf("SKIP remote: %s missing (xapian-tools)\n", prog);
        return;
    }
    int port = free_port();
    CHECK(port > 0);
    if (port <= 0)
        return;
    char portstr[16], tcp[64];
    snprintf(portstr, sizeof portstr, "%d", port);
    snprintf(tcp, sizeof tcp, "tcp:127.0.0.1:%d", port);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* its own process group: xapian-tcpsrv answers SIGTERM with
         * kill(0, SIGTERM), which would reach this test too */
        setpgid(0, 0);
        if (!freopen("/dev/null", "w", stdout) ||
            !freopen("/dev/null", "w", stderr))
            _exit(126);
        execl(prog, prog, "--interface", "127.0.0.1", "--port", portstr, s2,
              (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    setpgid(pid, pid); /* also here: no race with the kill below */
    const char *paths[] = {s1, tcp};
    xs_reader *r = NULL;
    xs_err err;
    xs_rc rc = XS_ENETWORK;
    for (int i = 0; i < 100 && rc == XS_ENETWORK; i++) {
        rc = xs_reader_open_many(paths, 2, &r, &err);
        if (rc == XS_ENETWORK) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    CHECK_INTEQ(rc, XS_OK);
    if (rc != XS_OK)
        fprintf(stderr, "remote: %s\n", err.msg);
    if (rc == XS_OK) {
        CHECK_INTEQ(xs_reader_doccount(r), 2 * NFIX - 1);
        CHECK_INTEQ(xs_reader_revision(r), 2); /* the remote counts 0 */
        xs_query a = qterm("apple");
        xs_search_opts o = opts_for(&a);
        unsigned slot = XS_SLOT_CATEGORY;
        xs_hits *h = NULL;
        o.facet_slots = &slot;
        o.nfacets = 1;
        o.want_data = 1;
        o.nvalues = XS_NSLOTS;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), XS_OK);
        CHECK_INTEQ(xs_hits_total(h), 7);
        CHECK_INTEQ(xs_hits_facet_freq(h, 0, 0), 5); /* x: 3 + 2 */
        int remote_seen = 0;
        for (size_t i = 0; i < xs_hits_count(h); i++)
            remote_seen |= strncmp(xs_hits_data(h, i, NULL), "doc s2-", 7)
                == 0;
        CHECK(remote_seen);
        xs_hits_free(h);
        char *data = NULL;
        CHECK_INTEQ(xs_reader_get(r, "Q:s2-a3", &data, NULL, NULL, &err),
                    XS_OK);
        CHECK_STREQ(data, "doc s2-a3");
        free(data);
        int changed = -1;
        CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_OK);
        xs_reader_close(r);
    }
    kill(-pid, SIGTERM);
    waitpid(pid, NULL, 0);
    r = (xs_reader *)&r;
    CHECK_INTEQ(xs_reader_open(tcp, &r, &err), XS_ENETWORK);
    CHECK(r == NULL);
}

/* The stemmer remembers recent answers in a table smaller than this many
 * words: whatever it keeps or evicts, a word's stem is the same in
 * whatever order the words come (forwards, backwards, twice). */
static void test_stem_memo(void)
{
    enum { NW = 20000 };
    static char stem1[NW][40];
    xs_stem *a = NULL, *b = NULL;
    xs_err err;
    char w[40], out[64];
    size_t i, bad = 0, changed = 0;
    CHECK_INTEQ(xs_stem_new("english", &a, &err), XS_OK);
    CHECK_INTEQ(xs_stem_new("english", &b, &err), XS_OK);
    if (!a || !b)
        return;
    for (i = 0; i < NW; i++) { /* made-up words ending as English ones do */
        snprintf(w, sizeof w, "%s%zx%s", i % 2 ? "walk" : "nation", i,
                 i % 3 == 0 ? "ing" : i % 3 == 1 ? "ations" : "ed");
        if (!xs_stem_word(a, w, strlen(w), stem1[i], sizeof stem1[i]))
            bad++;
        else if (strcmp(stem1[i], w) != 0)
            changed++;
    }
    CHECK_INTEQ(bad, 0);
    CHECK(changed > NW / 2); /* the endings were stemmed off */
    for (i = NW; i-- > 0;) {
        snprintf(w, sizeof w, "%s%zx%s", i % 2 ? "walk" : "nation", i,
                 i % 3 == 0 ? "ing" : i % 3 == 1 ? "ations" : "ed");
        out[0] = 0;
        xs_stem_word(b, w, strlen(w), out, sizeof out);
        if (strcmp(out, stem1[i]) != 0)
            bad++;
        out[0] = 0;
        xs_stem_word(a, w, strlen(w), out, sizeof out);
        if (strcmp(out, stem1[i]) != 0)
            bad++;
    }
    CHECK_INTEQ(bad, 0);
    xs_stem_free(a);
    xs_stem_free(b);
}

static void test_stem(void)
{
    xs_stem *s = (xs_stem *)&s;
    xs_err err;
    char out[64];
    CHECK_INTEQ(xs_stem_new("english", &s, &err), XS_OK);
    CHECK_INTEQ(xs_stem_word(s, "information", 11, out, sizeof out), 6);
    CHECK_STREQ(out, "inform");
    CHECK_INTEQ(xs_stem_word(s, "running", 7, out, sizeof out), 3);
    CHECK_STREQ(out, "run");
    CHECK_INTEQ(xs_stem_word(s, "information", 11, out, 6), 0); /* no NUL */
    CHECK_INTEQ(xs_stem_word(s, "information", 11, out, 7), 6);
    CHECK_INTEQ(xs_stem_word(s, "", 0, out, sizeof out), 0);
    CHECK_INTEQ(xs_stem_word(s, NULL, 3, out, sizeof out), 0);
    CHECK_INTEQ(xs_stem_word(s, "x", 1, NULL, 9), 0);
    CHECK_INTEQ(xs_stem_word(NULL, "x", 1, out, 9), 0);
    xs_stem_free(s);
    xs_stem_free(NULL);
    s = (xs_stem *)&s;
    CHECK_INTEQ(xs_stem_new("klingon", &s, &err), XS_EINVAL);
    CHECK(s == NULL);
    CHECK(strstr(err.msg, "klingon") != NULL);
    CHECK_INTEQ(xs_stem_new(NULL, &s, &err), XS_EINVAL);
    CHECK_INTEQ(xs_stem_new("en", NULL, &err), XS_EINVAL);
    CHECK_INTEQ(xs_stem_new("none", &s, &err), XS_OK);
    CHECK_INTEQ(xs_stem_word(s, "running", 7, out, sizeof out), 7);
    xs_stem_free(s);
    test_stem_memo();
}

/* Every exception kind through the hook, then every entry point once. */
static void test_hook(const char *db)
{
    static const struct { int kind; xs_rc rc, qrc; } kinds[] = {
        {0, XS_ENOMEM, XS_ENOMEM},       {1, XS_EMODIFIED, XS_EMODIFIED},
        {2, XS_ELOCKED, XS_ELOCKED},     {3, XS_ECORRUPT, XS_ECORRUPT},
        {4, XS_EINVAL, XS_EQUERY},       {5, XS_ENETWORK, XS_ENETWORK},
        {6, XS_EINTERNAL, XS_EINTERNAL}, {7, XS_EINTERNAL, XS_EINTERNAL},
        {8, XS_ENOTFOUND, XS_ENOTFOUND}, {9, XS_EQUERY, XS_EQUERY},
        {10, XS_ENOTFOUND, XS_ENOTFOUND}, {11, XS_EINVAL, XS_EQUERY},
        {12, XS_ENOTFOUND, XS_ENOTFOUND}, {13, XS_EXAPIAN, XS_EXAPIAN},
        {14, XS_ESCHEMA, XS_ESCHEMA},    {99, XS_EXAPIAN, XS_EQUERY},
    };
    xs_reader *r = NULL;
    xs_writer *w = NULL;
    xs_err err;
    size_t n = 0;
    xs_query all = qop(XS_Q_ALL, NULL, 0);
    xs_search_opts o = opts_for(&all);
    xs_hits *h = NULL;

    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        xs_test_fail_after(1, kinds[i].kind);
        n = 5;
        CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), kinds[i].rc);
        CHECK_INTEQ(err.rc, kinds[i].rc);
        CHECK_INTEQ(n, 0);
        xs_test_fail_after(1, kinds[i].kind);
        h = (xs_hits *)&h;
        CHECK_INTEQ(xs_search(r, &o, &h, &err), kinds[i].qrc);
        CHECK(h == NULL);
    }
    /* counting: the 3rd entry fails, not the 1st */
    xs_test_fail_after(3, 3);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_ECORRUPT);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(n, 4);
    xs_test_fail_after(2, 3);
    xs_test_fail_after(0, 3); /* disarmed */
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);
    CHECK_INTEQ(xs_reader_termfreq(r, "apple", &n, &err), XS_OK);

    /* every entry point's catch path (kind 3: corrupt) */
#define FAIL_NEXT() xs_test_fail_after(1, 3)
    char *s = (char *)&s;
    FAIL_NEXT();
    CHECK_INTEQ(xs_reader_meta(r, "schema", &s, &err), XS_ECORRUPT);
    CHECK(s == NULL);
    FAIL_NEXT();
    CHECK_INTEQ(xs_reader_collfreq(r, "apple", &n, &err), XS_ECORRUPT);
    int changed = 5;
    FAIL_NEXT();
    CHECK_INTEQ(xs_reader_reopen(r, &changed, &err), XS_ECORRUPT);
    CHECK_INTEQ(changed, 0);
    char *data = (char *)&data, **vals = (char **)&vals;
    FAIL_NEXT();
    CHECK_INTEQ(xs_reader_get(r, "Q:a1", &data, &n, &vals, &err),
                XS_ECORRUPT);
    CHECK(data == NULL && vals == NULL);
    xs_reader *r2 = (xs_reader *)&r2;
    FAIL_NEXT();
    CHECK_INTEQ(xs_reader_open(db, &r2, &err), XS_ECORRUPT);
    CHECK(r2 == NULL);
    xs_stem *st = (xs_stem *)&st;
    FAIL_NEXT();
    CHECK_INTEQ(xs_stem_new("english", &st, &err), XS_ECORRUPT);
    CHECK(st == NULL);
    CHECK_INTEQ(xs_stem_new("english", &st, &err), XS_OK);
    char out[32];
    FAIL_NEXT();
    CHECK_INTEQ(xs_stem_word(st, "running", 7, out, sizeof out), 0);
    CHECK_INTEQ(xs_stem_word(st, "running", 7, out, sizeof out), 3);
    xs_stem_free(st);
    xs_reader_close(r);

    w = (xs_writer *)&w;
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_ECORRUPT);
    CHECK(w == NULL);
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK);
    xs_doc *d = (xs_doc *)&d;
    FAIL_NEXT();
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_ECORRUPT);
    CHECK(d == NULL);
    CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
    FAIL_NEXT();
    CHECK_INTEQ(xs_doc_term(d, "t", 1, 1, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_doc_posting(d, "t", 1, 1, 1, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_doc_value(d, 1, "v", 1, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_doc_data(d, "v", 1, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_replace(w, "Q:h", d, &err), XS_ECORRUPT);
    xs_doc_free(d);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_delete(w, "Q:a1", &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_delete_docid(w, 1, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_set_meta(w, "k", "v", &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_get_meta(w, "k", &s, &err), XS_ECORRUPT);
    CHECK(s == NULL);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_doccount(w, &n, &err), XS_ECORRUPT);
    xs_values v;
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_values(w, 0, &v, &err), XS_ECORRUPT);
    CHECK(v.n == 0 && v.vals == NULL && v.docids == NULL);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_ECORRUPT);
    CHECK_INTEQ(xs_writer_begin(w, &err), XS_OK);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_cancel(w, &err), XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_ECORRUPT);
    CHECK_INTEQ(xs_writer_cancel(w, &err), XS_OK); /* still active */
    const char *srcs[] = {db};
    FAIL_NEXT();
    CHECK_INTEQ(xs_compact(srcs, 1, path_in("hook-compact"), 0, &err),
                XS_ECORRUPT);
    FAIL_NEXT();
    CHECK_INTEQ(xs_writer_close(w, &err), XS_ECORRUPT); /* w freed */
    CHECK_INTEQ(xs_writer_open(db, 0, 0, &w, &err), XS_OK); /* unlocked */
    CHECK_INTEQ(xs_writer_close(w, NULL), XS_OK);
#undef FAIL_NEXT
    xs_test_fail_after(0, 0);
}

/* Pruning: a search that may stop early (check_at_least 1, or the ranking
 * pass of an exact search) ranks as one that reads every match. Xapian
 * 1.4.22 skips a match that belongs on the page when an AND_MAYBE stands
 * on the left of another (shim/xs.cc: xs_build_split); these documents
 * (a's wdf, b's, s or not, other terms) are a case a random search found:
 * AND_MAYBE(AND_MAYBE(a, b), 2 s) gave docid 18 first, not 26. The
 * exact totals and facets, counted from the posting lists, must match what
 * the matcher counts (sorted by date: one pass, Xapian's spies). */
/* Document i of a small fixture: its id (value and Q: term, prefix pfx)
 * set, d written into w and freed. */
static void fixture_put(xs_writer *w, xs_doc *d, const char *pfx, size_t i)
{
    char t[64];
    xs_err err;
    snprintf(t, sizeof t, "%s%zu", pfx, i);
    xs_doc_value(d, XS_SLOT_ID, t, strlen(t), &err);
    snprintf(t, sizeof t, "Q:%s%zu", pfx, i);
    xs_doc_term(d, t, strlen(t), 0, &err);
    CHECK_INTEQ(xs_writer_replace(w, t, d, &err), XS_OK);
    xs_doc_free(d);
}

/* The fixture written: w committed and closed, a reader of p (NULL when
 * that fails). */
static xs_reader *fixture_done(xs_writer *w, const char *p)
{
    xs_reader *r = NULL;
    xs_err err;
    CHECK_INTEQ(xs_writer_commit(w, &err), XS_OK);
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    CHECK_INTEQ(xs_reader_open(p, &r, &err), XS_OK);
    return r;
}

static void test_pruning(void)
{
    static const unsigned char rows[][4] = {
        {5, 0, 0, 9}, {1, 0, 0, 21}, {4, 0, 0, 1}, {4, 0, 0, 1}, {4, 1, 0, 4},
        {3, 1, 0, 1}, {4, 0, 0, 24}, {1, 0, 0, 16}, {5, 1, 0, 25},
        {4, 0, 0, 14}, {5, 0, 0, 21}, {3, 2, 0, 23}, {5, 0, 0, 27},
        {2, 0, 0, 29}, {4, 0, 0, 19}, {1, 0, 0, 13}, {4, 0, 0, 29},
        {3, 3, 0, 25}, {2, 0, 0, 16}, {1, 0, 0, 28}, {5, 0, 0, 6},
        {2, 0, 0, 25}, {2, 0, 0, 8}, {4, 0, 0, 19}, {3, 0, 0, 18},
        {5, 0, 1, 26}, {5, 0, 0, 18}, {2, 0, 0, 28}};
    const size_t n = sizeof rows / sizeof rows[0];
    const char *p = path_in("prune.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_err err;
    size_t i, j, k;
    CHECK_INTEQ(xs_writer_open(p, XS_CREATE, 0, &w, &err), XS_OK);
    for (i = 0; w && i < n; i++) {
        xs_doc *d = NULL;
        char t[32], y[8];
        CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
        xs_doc_term(d, "a", 1, rows[i][0], &err);
        if (rows[i][1])
            xs_doc_term(d, "b", 1, rows[i][1], &err);
        if (rows[i][2])
            xs_doc_term(d, "s", 1, 1, &err);
        for (k = 0; k < rows[i][3]; k++) {
            char x[24];
            snprintf(x, sizeof x, "x%zu", k);
            xs_doc_term(d, x, strlen(x), 1, &err);
        }
        snprintf(y, sizeof y, "%zu", 2000 + i % 3);
        xs_doc_value(d, XS_SLOT_YEAR, y, strlen(y), &err);
        snprintf(t, sizeof t, "2000%02zu01", 1 + i % 12);
        xs_doc_value(d, XS_SLOT_DATE, t, strlen(t), &err);
        fixture_put(w, d, "p", i);
    }
    if (!w || !(r = fixture_done(w, p)))
        return;
    xs_query a = qterm("a"), b = qterm("b"), s = qterm("s"), x3 = qterm("x3");
    xs_query two = qop(XS_Q_SCALE, NULL, 0);
    xs_query *sk[] = {&s};
    two.kids = sk;
    two.nkids = 1;
    two.factor = 2.0;
    xs_query *ab[] = {&a, &b};
    xs_query inner = qop(XS_Q_AND_MAYBE, ab, 2);
    xs_query *is[] = {&inner, &two};
    xs_query q = qop(XS_Q_AND_MAYBE, is, 2);
    xs_query *qx[] = {&q, &x3};
    xs_query qf = qop(XS_Q_FILTER, qx, 2); /* the same behind a filter */
    xs_query *tries[] = {&q, &qf};
    unsigned slot = XS_SLOT_YEAR;
    for (size_t t = 0; t < 2; t++) {
        char all[512], page[512], want[512];
        xs_search_opts o = opts_for(tries[t]);
        xs_hits *ha = NULL, *hp = NULL;
        CHECK_INTEQ(search_ids(r, &o, all, sizeof all, &ha), 0);
        for (k = 1; ha && k <= 3; k++) {
            /* the first k of all of them, whether counted or not */
            size_t c = 0;
            want[0] = 0;
            for (j = 0; j < strlen(all) && c < k; j++)
                if (all[j] == ',')
                    c++;
            snprintf(want, sizeof want, "%.*s", (int)(c == k ? j - 1 : j), all);
            for (int exact = 0; exact < 2; exact++) {
                o.size = k;
                o.check_at_least = exact ? 0 : 1;
                o.facet_slots = exact ? &slot : NULL;
                o.nfacets = exact ? 1 : 0;
                CHECK_INTEQ(search_ids(r, &o, page, sizeof page, NULL), 0);
                CHECK_STREQ(page, want);
            }
        }
        /* totals and facets: counted (by relevance) = the matcher's (by date) */
        o.size = 2;
        o.check_at_least = 0;
        o.facet_slots = &slot;
        o.nfacets = 1;
        o.sort = XS_SORT_RELEVANCE;
        CHECK_INTEQ(xs_search(r, &o, &hp, &err), XS_OK);
        o.sort = XS_SORT_VALUE_DESC;
        o.sort_slot = XS_SLOT_DATE;
        xs_hits *hd = NULL;
        CHECK_INTEQ(xs_search(r, &o, &hd, &err), XS_OK);
        if (hp && hd && ha) {
            CHECK_INTEQ(xs_hits_total(hp), xs_hits_count(ha));
            CHECK_INTEQ(xs_hits_total(hd), xs_hits_count(ha));
            CHECK_INTEQ(xs_hits_facet_count(hp, 0), xs_hits_facet_count(hd, 0));
            CHECK(xs_hits_facet_count(hp, 0) > 0);
            for (j = 0; j < xs_hits_facet_count(hp, 0) &&
                        j < xs_hits_facet_count(hd, 0); j++) {
                CHECK_STREQ(xs_hits_facet_value(hp, 0, j, NULL),
                            xs_hits_facet_value(hd, 0, j, NULL));
                CHECK_INTEQ(xs_hits_facet_freq(hp, 0, j), xs_hits_facet_freq(hd, 0, j));
            }
        }
        xs_hits_free(hp);
        xs_hits_free(hd);
        xs_hits_free(ha);
        hp = hd = ha = NULL;
    }
    xs_reader_close(r);
}

/* A title fit and its squared twin over the same terms are one posting
 * source (shim/xs.cc: xs_build_opt): the weights must be the two added up.
 * Four documents alike but for the title's length (3, 6, 12, none) under a
 * query three positions long: fit 120 * (1 + 1), 120 * (1/2 + 1/4),
 * 120 * (1/4 + 1/16), 0 above the same BM25. And the same as the two
 * kept apart (the square under a MAX of one, which is not paired). */
/* Spelling: the words added with the documents give suggestions for a
 * word far rarer than a near one (a typo), none for a word as common, and
 * none that only a couple of documents hold. */
static void test_spelling(void)
{
    const char *p = path_in("spell.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_err err;
    char *s = NULL;
    size_t i, k;
    static const struct {
        const char *word;
        size_t ndocs;
    } words[] = {{"public", 30}, {"mandated", 20}, {"mandate", 10}, {"pubic", 1},
                 {"ofor", 2}};
    CHECK_INTEQ(xs_writer_open(p, XS_CREATE, 0, &w, &err), XS_OK);
    for (i = 0; w && i < 30; i++) {
        xs_doc *d = NULL;
        CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
        for (k = 0; k < sizeof words / sizeof words[0]; k++)
            if (i < words[k].ndocs) {
                xs_doc_term(d, words[k].word, strlen(words[k].word), 1, &err);
                CHECK_INTEQ(xs_doc_spelling(d, words[k].word, strlen(words[k].word), 1,
                                            &err),
                            XS_OK);
            }
        fixture_put(w, d, "sp", i);
    }
    CHECK_INTEQ(xs_doc_spelling(NULL, "x", 1, 1, &err), XS_EINVAL);
    if (!w || !(r = fixture_done(w, p)))
        return;
    CHECK_INTEQ(xs_reader_suggest(r, "pubic", &s, &err), XS_OK);
    CHECK_STREQ(s, "public");
    free(s);
    CHECK_INTEQ(xs_reader_suggest(r, "pubilc", &s, &err), XS_OK);
    CHECK_STREQ(s, "public");
    free(s);
    CHECK_INTEQ(xs_reader_suggest(r, "public", &s, &err), XS_OK);
    CHECK(s == NULL);
    free(s);
    CHECK_INTEQ(xs_reader_suggest(r, "mandate", &s, &err), XS_OK);
    CHECK(s == NULL); /* half as common as mandated: both are words */
    free(s);
    CHECK_INTEQ(xs_reader_suggest(r, "ofer", &s, &err), XS_OK);
    CHECK(s == NULL); /* ofor: in two documents only */
    free(s);
    CHECK_INTEQ(xs_reader_suggest(r, "zzzzzz", &s, &err), XS_OK);
    CHECK(s == NULL);
    free(s);
    CHECK_INTEQ(xs_reader_suggest(NULL, "x", &s, &err), XS_EINVAL);
    xs_reader_close(r);
    /* closed without a commit (Xapian commits then): the words go too */
    p = path_in("spell2.db");
    CHECK_INTEQ(xs_writer_open(p, XS_CREATE, 0, &w, &err), XS_OK);
    for (i = 0; w && i < 30; i++) {
        xs_doc *d = NULL;
        char t[16];
        CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
        xs_doc_term(d, "public", 6, 1, &err);
        xs_doc_spelling(d, "public", 6, 1, &err);
        snprintf(t, sizeof t, "Q:c%zu", i);
        xs_doc_term(d, t, strlen(t), 0, &err);
        CHECK_INTEQ(xs_writer_add(w, d, &err), XS_OK);
        xs_doc_free(d);
    }
    CHECK_INTEQ(xs_writer_close(w, &err), XS_OK);
    r = NULL;
    CHECK_INTEQ(xs_reader_open(p, &r, &err), XS_OK);
    CHECK_INTEQ(xs_reader_suggest(r, "pubilc", &s, &err), XS_OK);
    CHECK_STREQ(s, "public");
    free(s);
    xs_reader_close(r);
}

static void test_fit_pair(void)
{
    static const char *const lens[] = {"3", "6", "12", NULL};
    static const double fit[] = {240.0, 90.0, 37.5, 0.0};
    const char *p = path_in("fit.db");
    xs_writer *w = NULL;
    xs_reader *r = NULL;
    xs_err err;
    size_t i, k;
    CHECK_INTEQ(xs_writer_open(p, XS_CREATE, 0, &w, &err), XS_OK);
    for (i = 0; w && i < 4; i++) {
        xs_doc *d = NULL;
        CHECK_INTEQ(xs_doc_new(&d, &err), XS_OK);
        xs_doc_term(d, "a", 1, 2, &err);
        xs_doc_term(d, "St", 2, 1, &err);
        if (lens[i])
            xs_doc_value(d, XS_SLOT_TITLELEN, lens[i], strlen(lens[i]), &err);
        fixture_put(w, d, "f", i);
    }
    if (!w || !(r = fixture_done(w, p)))
        return;
    xs_query a = qterm("a"), st = qterm("St");
    xs_query *tk[] = {&st};
    xs_query f1 = qop(XS_Q_TITLEFIT, tk, 1), f2 = qop(XS_Q_TITLEFIT, tk, 1);
    f1.slot = f2.slot = XS_SLOT_TITLELEN;
    f1.window = f2.window = 3;
    f1.factor = f2.factor = 120.0;
    f2.wqf = 2;
    xs_query *m2k[] = {&f2};
    xs_query m2 = qop(XS_Q_MAX, m2k, 1);
    xs_query *paired[] = {&f1, &f2}, *apart[] = {&f1, &m2};
    xs_query orp = qop(XS_Q_OR, paired, 2), ora = qop(XS_Q_OR, apart, 2);
    xs_query *qpk[] = {&a, &orp}, *qak[] = {&a, &ora};
    xs_query qp = qop(XS_Q_AND_MAYBE, qpk, 2), qa = qop(XS_Q_AND_MAYBE, qak, 2);
    xs_search_opts op = opts_for(&qp), oa = opts_for(&qa);
    xs_hits *hp = NULL, *ha = NULL;
    double sp[4] = {0}, sa[4] = {0};
    CHECK_INTEQ(xs_search(r, &op, &hp, &err), XS_OK);
    CHECK_INTEQ(xs_search(r, &oa, &ha, &err), XS_OK);
    if (hp && ha) {
        CHECK_INTEQ(xs_hits_count(hp), 4);
        CHECK_INTEQ(xs_hits_count(ha), 4);
        for (k = 0; k < xs_hits_count(hp) && k < 4; k++) {
            unsigned d = xs_hits_docid(hp, k), e = xs_hits_docid(ha, k);
            if (d >= 1 && d <= 4)
                sp[d - 1] = xs_hits_score(hp, k);
            if (e >= 1 && e <= 4)
                sa[e - 1] = xs_hits_score(ha, k);
        }
        for (i = 0; i < 4; i++) {
            CHECK(fabs(sp[i] - sa[i]) < 1e-9);
            CHECK(fabs((sp[i] - sp[3]) - fit[i]) < 1e-9);
        }
    }
    xs_hits_free(hp);
    xs_hits_free(ha);
    xs_reader_close(r);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_xs.XXXXXX");
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 2;
    }
    test_rc_str();
    test_docs();
    test_writer();
    test_schema();
    test_data_slot();
    /* path_in's buffers are reused after 32 calls: a copy of its own */
    char dbpath[256];
    snprintf(dbpath, sizeof dbpath, "%s", path_in("main.db"));
    const char *db = dbpath;
    test_reader_basic(db);
    xs_reader *r = NULL;
    xs_err err;
    CHECK_INTEQ(xs_reader_open(db, &r, &err), XS_OK);
    if (r) {
        test_search(r);
        test_search_errors(r);
        xs_reader_close(r);
    }
    test_modified();
    test_facet_tables();
    test_recency();
    test_shards();
    test_tombstones();
    test_rescore();
    test_pruning();
    test_fit_pair();
    test_spelling();
    test_remote();
    test_stem();
    test_hook(db);
    rmtree(tmp);
    return check_done();
}
