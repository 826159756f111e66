/* test_unreadable.c - a match whose stored data cannot be read (a damaged
 * index) keeps its place in /api/search and /api/lookup answers, with its
 * id from the value slot and empty fields, instead of vanishing from the
 * page while the total still counts it (searchd/api.c: hit_unreadable);
 * /api/similar compares the documents it can read and still answers. */
#include "tests/unit/check.h"
#include "searchd/api.h"
#include "tests/unit/scratch.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

static char dir[64];

/* Adds a document with terms alpha and XD:<docno>, id value id, and data
 * either a proper stored record (title given) or the raw bytes junk. */
static int add(xs_writer *w, const char *id, const char *title,
               const char *junk)
{
    xs_doc *d = NULL;
    xs_err xe;
    char t[128], rec[512];
    unsigned char z[1024];
    uLongf zl = sizeof z;
    int rc = -1;
    snprintf(t, sizeof t, "Q:%s", id);
    if (xs_doc_new(&d, &xe) != XS_OK)
        return -1;
    xs_doc_term(d, t, strlen(t), 0, &xe);
    xs_doc_term(d, "alpha", 5, 1, &xe);
    xs_doc_term(d, "XD:test-1", 9, 0, &xe);
    xs_doc_value(d, XS_SLOT_ID, id, strlen(id), &xe);
    if (title) {
        /* 0x1E, then id title unit category date year docno lang url path
         * joined by 0x1F, a newline, the text (shim/xs.h) */
        int n = snprintf(rec, sizeof rec,
                         "\x1e%s\x1f%s\x1fUnit\x1f\x1f\x1f\x1f\x1f" "en\x1f\x1f%s\n"
                         "The alpha text.", id, title, id);
        if (compress(z, &zl, (const Bytef *)rec, (uLong)n) != Z_OK)
            goto out;
        xs_doc_data(d, z, zl, &xe);
    } else {
        xs_doc_data(d, junk, strlen(junk), &xe);
    }
    if (xs_writer_replace(w, t, d, &xe) == XS_OK)
        rc = 0;
out:
    xs_doc_free(d);
    return rc;
}

/* The hit with id in reply r's "hits" (NULL when absent). */
static json_t *hit(json_t *r, const char *id)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(r, "hits"), i, h) {
        const char *v = json_string_value(json_object_get(h, "id"));
        if (v && !strcmp(v, id))
            return h;
    }
    return NULL;
}

int main(void)
{
    struct worker w;
    struct err e = {0};
    xs_writer *wr = NULL;
    xs_err xe;
    char db[128];
    const char *dbs[1];
    json_t *r, *h;

    if (scratch_make(dir, sizeof dir, "test_unreadable", db, sizeof db) < 0)
        return 1;
    dbs[0] = db;
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &wr, &xe), XS_OK);
    CHECK_INTEQ(add(wr, "good/a.html", "Good alpha", NULL), 0);
    CHECK_INTEQ(add(wr, "bad/b.html", NULL, "this is no zlib stream"), 0);
    CHECK_INTEQ(xs_writer_commit(wr, &xe), XS_OK);
    CHECK_INTEQ(xs_writer_close(wr, &xe), XS_OK);
    CHECK_INTEQ(worker_init(&w, dbs, 1, &e), 0);

    fprintf(stderr, "(a line about bad/b.html below is expected)\n");
    r = scratch_get(&w, "/api/search", "q", "alpha");
    CHECK(r != NULL);
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 2);
    CHECK_INTEQ(json_array_size(json_object_get(r, "hits")), 2);
    h = hit(r, "good/a.html");
    CHECK_STREQ(json_string_value(json_object_get(h, "title")), "Good alpha");
    h = hit(r, "bad/b.html");
    CHECK(h != NULL);
    CHECK(json_is_null(json_object_get(h, "title")));
    CHECK_STREQ(json_string_value(json_object_get(h, "snippet_html")), "");
    CHECK(json_is_real(json_object_get(h, "score")));
    json_decref(r);

    r = scratch_get(&w, "/api/lookup", "docno", "test-1");
    CHECK(r != NULL);
    CHECK_INTEQ(json_array_size(json_object_get(r, "hits")), 2);
    h = hit(r, "bad/b.html");
    CHECK(h != NULL);
    CHECK(h && !json_object_get(h, "snippet_html"));
    json_decref(r);

    /* the duplicate check compares what it can read, and answers */
    r = scratch_post(&w, "/api/similar", "The alpha text.");
    h = r ? hit(r, "good/a.html") : NULL;
    CHECK(h != NULL);
    CHECK(h && json_real_value(json_object_get(h, "similarity")) > 0.99);
    CHECK(r && !hit(r, "bad/b.html"));
    json_decref(r);

    worker_release(&w);
    scratch_remove(dir);
    return check_done();
}
