/* scratch.h - helpers of the unit tests that run searchd's handlers on an
 * index they build: a scratch folder under /tmp (made, then removed) and a
 * GET or POST through api_handle. Include after check.h, in one file per
 * program. */
#ifndef SCRATCH_H
#define SCRATCH_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "searchd/api.h"

/* Makes /tmp/NAME.XXXXXX into dir (cap bytes) and its "db" path into db.
 * 0, or -1 (reported) when it cannot. */
static inline int scratch_make(char *dir, size_t cap, const char *name,
                               char *db, size_t dbcap)
{
    snprintf(dir, cap, "/tmp/%s.XXXXXX", name);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(db, dbcap, "%s/db", dir);
    return 0;
}

static inline void scratch_remove(const char *dir)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

/* rq through api_handle with params: the JSON answer (NULL if none); the
 * status must be 200 (a CHECK). Takes params. */
static inline json_t *scratch_call(struct worker *w, struct api_req *rq,
                                   json_t *params)
{
    struct api_reply out = {0};
    json_t *r = NULL;
    json_error_t je;
    rq->params = params;
    api_handle(w, rq, &out);
    CHECK_INTEQ(out.status, 200);
    if (out.body)
        r = json_loadb(out.body, out.len, 0, &je);
    free(out.body);
    json_decref(params);
    return r;
}

/* GET path?k=v (see scratch_call). */
static inline json_t *scratch_get(struct worker *w, const char *path,
                                  const char *k, const char *v)
{
    struct api_req rq = {0};
    json_t *params = json_object();
    json_object_set_new(params, k, json_string(v));
    rq.method = "GET";
    rq.path = path;
    return scratch_call(w, &rq, params);
}

/* POST a UTF-8 text body to path (see scratch_call). */
static inline json_t *scratch_post(struct worker *w, const char *path,
                                   const char *body)
{
    struct api_req rq = {0};
    rq.method = "POST";
    rq.path = path;
    rq.body = body;
    rq.body_len = strlen(body);
    rq.content_type = "text/plain; charset=utf-8";
    return scratch_call(w, &rq, json_object());
}
#endif
