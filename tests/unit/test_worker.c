/* test_worker.c - searchd's workers follow index changes together
 * (searchd/api.c: worker_refresh and its change count): once one worker
 * has answered from a newer revision, the others pick it up at their next
 * request, even when the worker that saw the change was itself behind the
 * count. A worker otherwise checks the index at most every 0.5 s. */
#include "tests/unit/check.h"
#include "searchd/api.h"
#include "tests/unit/scratch.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];

/* One more committed revision: a document with id term Q:<id>. */
static int add_doc(xs_writer *w, const char *id)
{
    xs_doc *d = NULL;
    xs_err xe;
    char t[64];
    int rc = -1;
    snprintf(t, sizeof t, "Q:%s", id);
    if (xs_doc_new(&d, &xe) == XS_OK && xs_doc_term(d, t, strlen(t), 0, &xe) == XS_OK &&
        xs_writer_replace(w, t, d, &xe) == XS_OK && xs_writer_commit(w, &xe) == XS_OK)
        rc = 0;
    xs_doc_free(d);
    return rc;
}

static unsigned long rev(const struct worker *w)
{
    return w->r ? xs_reader_revision(w->r) : 0;
}

int main(void)
{
    struct worker a, b, c;
    struct err e = {0};
    xs_writer *wr = NULL;
    xs_err xe;
    char db[128];
    const char *dbs[1];
    unsigned long r1, r2;

    if (scratch_make(dir, sizeof dir, "test_worker", db, sizeof db) < 0)
        return 1;
    dbs[0] = db;
    CHECK_INTEQ(xs_writer_open(db, XS_CREATE, 0, &wr, &xe), XS_OK);
    CHECK_INTEQ(add_doc(wr, "d0"), 0);
    CHECK_INTEQ(worker_init(&a, dbs, 1, &e), 0);
    CHECK_INTEQ(worker_init(&b, dbs, 1, &e), 0);
    CHECK_INTEQ(worker_init(&c, dbs, 1, &e), 0);

    /* change 1: A sees it (its check is due), then B catches up at once
     * (its check is not due: the count tells it); C does not run */
    CHECK_INTEQ(add_doc(wr, "d1"), 0);
    a.last_check = 0;
    CHECK_INTEQ(worker_refresh(&a, &e), 0);
    r1 = rev(&a);
    CHECK(r1 > 0);
    CHECK_INTEQ(worker_refresh(&b, &e), 0);
    CHECK_INTEQ(rev(&b), r1);

    /* change 2: C, behind the count since change 1, is the first to see
     * it. A and B, up to date with the count and not due for a check, must
     * still move to it on their next request. */
    CHECK_INTEQ(add_doc(wr, "d2"), 0);
    c.last_check = 0;
    CHECK_INTEQ(worker_refresh(&c, &e), 0);
    r2 = rev(&c);
    CHECK(r2 > r1);
    CHECK_INTEQ(worker_refresh(&a, &e), 0);
    CHECK_INTEQ(rev(&a), r2);
    CHECK_INTEQ(worker_refresh(&b, &e), 0);
    CHECK_INTEQ(rev(&b), r2);

    /* nothing changed: the count stops, a refresh keeps the revision */
    CHECK_INTEQ(worker_refresh(&a, &e), 0);
    CHECK_INTEQ(rev(&a), r2);

    worker_release(&a);
    worker_release(&b);
    worker_release(&c);
    CHECK_INTEQ(xs_writer_close(wr, &xe), XS_OK);
    scratch_remove(dir);
    return check_done();
}
