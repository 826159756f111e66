/* api.h - searchd's request handlers, free of HTTP plumbing so tests can
 * call them directly: one request in (method, path, parameters, body), one
 * reply out (status, content type, body). http.c does the libmicrohttpd
 * side. Every handler runs on a worker thread with its own struct worker
 * (Xapian handles are not thread-safe, DESIGN.md section 8). */
#ifndef SEARCHD_API_H
#define SEARCHD_API_H
#include <jansson.h>
#include <stddef.h>
#include "analysis/query.h"
#include "common/err.h"
#include "shim/xs.h"

struct fplan;

#define API_MAX_BODY ((size_t)1 << 20)  /* POST bodies (drafts)        */
#define API_MAX_PAGE 100                /* results per page            */
#define API_MAX_OFFSET 10000            /* deepest result reachable    */

/* One worker thread's state: its reader (all --db shards as one), its
 * query parser, and what it knows of the index generation it opened. */
struct worker {
    xs_reader *r;
    struct qp qp;
    int qp_ok;
    const char *const *dbs;
    size_t ndbs;
    char stamp[256];        /* identity of the stubs at open */
    double last_check;
    unsigned long epoch;    /* index changes seen (api.c index_epoch) */
    struct fplan *fplan[3]; /* the facets' plans (facets.h), kept per table */
};

int worker_init(struct worker *w, const char *const *dbs, size_t ndbs,
                struct err *e);
void worker_release(struct worker *w);
/* Pick up a newer revision or generation (cheap; call per request).
 * 0, or -1 when the index cannot be opened (503). */
int worker_refresh(struct worker *w, struct err *e);

#define API_NOT_UTF8 "\x01not-utf8"

struct api_req {
    const char *method;     /* "GET", "POST", "HEAD" ... */
    const char *path;       /* URL path, decoded */
    json_t *params;         /* name -> string, or array of strings when
                               repeated (borrowed); API_NOT_UTF8 -> the
                               name of a parameter that could not be read
                               as text (its value is then U+FFFD) */
    const char *body;       /* POST body (may be NULL) */
    size_t body_len;
    const char *content_type;
    const char *host;       /* Host header (for OpenSearch) */
    const char *if_none_match; /* If-None-Match header (assets), or NULL */
};

struct api_reply {
    int status;
    const char *ctype;      /* static */
    char *body;             /* malloc'd */
    size_t len;
    int is_page;            /* HTML page: add the CSP header */
    const char *endpoint;   /* static label for metrics and logs */
    char etag[24];          /* ETag header when not empty */
    const char *cache;      /* Cache-Control header (static), or NULL for
                               the default (no-store for JSON and pages) */
    const char *allow;      /* Allow header of a 405 (static), or NULL */
};

void api_handle(struct worker *w, const struct api_req *rq,
                struct api_reply *out);

/* Counters for /metrics (updated by http.c; read by api.c). */
struct api_stats {
    double started;
};
extern struct api_stats api_stats;
/* /metrics body (Prometheus text); http.c owns the counters. */
char *http_metrics_text(struct worker *w);
#endif
