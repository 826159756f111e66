/* http.c - the libmicrohttpd side of searchd: request state, body limits,
 * per-thread workers, headers, the access log and the /metrics counters.
 * The answer itself comes from api_handle() (api.c). */
#include "searchd/http.h"
#include "searchd/api.h"
#include "common/buf.h"
#include "indexer/enc.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct req {
    struct buf body;
    double t0;
    int toobig;
    int status;
    size_t bytes;
    const char *endpoint;
    char method[8];
    char path[200];
};

/* ---- metrics -------------------------------------------------------------- */

static const char *const endpoints[] = {
    "search", "portal", "check", "doc", "docpage", "lookup", "similar",
    "analyze", "stats", "metrics", "healthz", "assets", "opensearch",
    "unavailable", "other"};
#define NEP (sizeof endpoints / sizeof endpoints[0])
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB (sizeof buckets / sizeof buckets[0])
static atomic_ulong req_count[NEP][6]; /* by status class 1xx..5xx (+other) */
static atomic_ulong lat_bucket[NEP][NB + 1];
static atomic_ulong lat_sum_us[NEP];

static size_t ep_index(const char *ep)
{
    size_t i;
    for (i = 0; i < NEP; i++)
        if (ep && !strcmp(ep, endpoints[i]))
            return i;
    return NEP - 1;
}

static void count(const char *ep, int status, double secs)
{
    size_t e = ep_index(ep), b = 0;
    int cls = status / 100;
    if (cls < 1 || cls > 5)
        cls = 0;
    atomic_fetch_add(&req_count[e][cls], 1);
    while (b < NB && secs > buckets[b])
        b++;
    atomic_fetch_add(&lat_bucket[e][b], 1);
    atomic_fetch_add(&lat_sum_us[e], (unsigned long)(secs * 1e6));
}

char *http_metrics_text(struct worker *w)
{
    struct buf b;
    size_t e, c, k;
    buf_init(&b, 0);
    buf_adds(&b, "# HELP searchd_requests_total HTTP requests by endpoint and status class.\n"
                 "# TYPE searchd_requests_total counter\n");
    for (e = 0; e < NEP; e++)
        for (c = 0; c < 6; c++) {
            unsigned long v = atomic_load(&req_count[e][c]);
            if (v)
                buf_printf(&b, "searchd_requests_total{endpoint=\"%s\",status=\"%s\"} %lu\n",
                           endpoints[e],
                           (const char *[]){"other", "1xx", "2xx", "3xx", "4xx", "5xx"}[c], v);
        }
    buf_adds(&b, "# HELP searchd_request_duration_seconds Request latency.\n"
                 "# TYPE searchd_request_duration_seconds histogram\n");
    for (e = 0; e < NEP; e++) {
        unsigned long cum = 0, tot = 0;
        for (k = 0; k <= NB; k++)
            tot += atomic_load(&lat_bucket[e][k]);
        if (!tot)
            continue;
        for (k = 0; k < NB; k++) {
            cum += atomic_load(&lat_bucket[e][k]);
            buf_printf(&b, "searchd_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} %lu\n",
                       endpoints[e], buckets[k], cum);
        }
        buf_printf(&b, "searchd_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} %lu\n",
                   endpoints[e], tot);
        buf_printf(&b, "searchd_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n",
                   endpoints[e], atomic_load(&lat_sum_us[e]) / 1e6);
        buf_printf(&b, "searchd_request_duration_seconds_count{endpoint=\"%s\"} %lu\n",
                   endpoints[e], tot);
    }
    buf_printf(&b, "# HELP searchd_index_documents Documents in the index.\n"
                   "# TYPE searchd_index_documents gauge\n"
                   "searchd_index_documents %zu\n",
               w && w->r ? xs_reader_doccount(w->r) : (size_t)0);
    buf_printf(&b, "# HELP searchd_index_revision Revision of the index.\n"
                   "# TYPE searchd_index_revision gauge\n"
                   "searchd_index_revision %lu\n",
               w && w->r ? xs_reader_revision(w->r) : 0UL);
    return buf_detach(&b, NULL);
}

/* ---- workers ------------------------------------------------------------- */

static struct http_conf conf;
static __thread struct worker *tw;
static pthread_mutex_t wmu = PTHREAD_MUTEX_INITIALIZER;
static struct worker *all_workers[256];
static size_t nworkers;

/* Workers made at start-up (opening OpenCC and the index takes tens of
 * milliseconds), handed to the pool threads as they take their first
 * request, so no request pays for it. */
static struct worker *ready[64];
static size_t nready;

static struct worker *thread_worker(void)
{
    struct err e = {0};
    if (tw)
        return tw;
    pthread_mutex_lock(&wmu);
    if (nready)
        tw = ready[--nready];
    pthread_mutex_unlock(&wmu);
    if (tw)
        return tw;
    tw = calloc(1, sizeof *tw);
    if (!tw)
        return NULL;
    if (worker_init(tw, conf.dbs, conf.ndbs, &e) < 0) {
        fprintf(stderr, "searchd: cannot start a worker: %s\n", e.msg);
        free(tw);
        tw = NULL;
        return NULL;
    }
    pthread_mutex_lock(&wmu);
    if (nworkers < sizeof all_workers / sizeof all_workers[0])
        all_workers[nworkers++] = tw;
    pthread_mutex_unlock(&wmu);
    return tw;
}

void http_free_workers(void)
{
    size_t i;
    pthread_mutex_lock(&wmu);
    for (i = 0; i < nworkers; i++) {
        worker_release(all_workers[i]);
        free(all_workers[i]);
    }
    nworkers = 0;
    pthread_mutex_unlock(&wmu);
}

/* ---- the handler ---------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A parameter that is not UTF-8: the links and forms of older portals
 * send GB18030 or Big5 (or Latin-1), taken when the bytes decode cleanly
 * (enc.h's detection, as for files); else a placeholder, and the name
 * kept under API_NOT_UTF8 for the API's answer. */
static json_t *legacy_arg(json_t *o, const char *key, const char *value)
{
    struct enc_result r;
    struct err e = {0};
    json_t *v = NULL;
    if (enc_to_utf8(value, strlen(value), NULL, &r, &e) == 0) {
        if (!r.replaced && r.len)
            v = json_string(r.text);
        enc_result_release(&r);
    }
    if (!v) {
        if (!json_object_get(o, API_NOT_UTF8))
            json_object_set_new(o, API_NOT_UTF8, json_string(key));
        v = json_string("\xEF\xBF\xBD");
    }
    return v;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
    json_t *o = cls, *old, *v;
    (void)kind;
    if (!key)
        return MHD_YES;
    v = json_string(value ? value : "");
    if (!v)
        v = legacy_arg(o, key, value);
    old = json_object_get(o, key);
    if (!old) {
        json_object_set_new(o, key, v);
    } else if (json_is_array(old)) {
        if (json_array_size(old) < 64)
            json_array_append_new(old, v);
        else
            json_decref(v);
    } else {
        json_t *a = json_array();
        json_array_append(a, old);
        json_array_append_new(a, v);
        json_object_set_new(o, key, a);
    }
    return MHD_YES;
}

static enum MHD_Result sum_args(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
    size_t *t = cls;
    (void)kind;
    *t += (key ? strlen(key) : 0) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, struct req *rq,
                            struct api_reply *rep)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    if (!rep->body) {
        rep->status = 500;
        rep->body = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}");
        rep->ctype = "application/json; charset=utf-8";
        rep->len = rep->body ? strlen(rep->body) : 0;
    }
    r = MHD_create_response_from_buffer_with_free_callback(rep->len, rep->body, free);
    if (!r) {
        free(rep->body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", rep->ctype);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (rep->is_page) {
        MHD_add_response_header(r, "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            "script-src 'self'; frame-ancestors 'none'; form-action 'self'");
        MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    }
    if (rep->etag[0])
        MHD_add_response_header(r, "ETag", rep->etag);
    if (rep->allow)
        MHD_add_response_header(r, "Allow", rep->allow);
    if (rep->cache)
        MHD_add_response_header(r, "Cache-Control", rep->cache);
    else if (!strncmp(rep->ctype, "application/json", 16) || rep->is_page)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    rq->status = rep->status;
    rq->bytes = rep->len;
    rq->endpoint = rep->endpoint;
    ret = MHD_queue_response(c, (unsigned)rep->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, struct req *rq,
                                   int status, const char *code, const char *msg)
{
    struct api_reply rep = {0};
    json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
    rep.status = status;
    rep.ctype = "application/json; charset=utf-8";
    rep.body = json_dumps(o, JSON_COMPACT);
    rep.len = rep.body ? strlen(rep.body) : 0;
    rep.endpoint = "other";
    json_decref(o);
    return send_reply(c, rq, &rep);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_size, void **req_cls)
{
    struct req *rq = *req_cls;
    struct api_req ar;
    struct api_reply rep;
    struct worker *w;
    json_t *params;
    (void)cls;
    (void)version;
    if (!rq) {
        /* first call: set up only (keep-alive works only when we answer on
         * a later call, LIBRARIES.md section 9) */
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        buf_init(&rq->body, API_MAX_BODY);
        rq->t0 = now();
        snprintf(rq->method, sizeof rq->method, "%s", method);
        snprintf(rq->path, sizeof rq->path, "%s", url);
        *req_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->toobig && buf_add(&rq->body, upload_data, *upload_size) < 0)
            rq->toobig = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->toobig)
        return reply_error(c, rq, 413, "too_large",
                           "the request body is larger than 1 MB; send a shorter text");
    if (strlen(url) > 4096)
        return reply_error(c, rq, 414, "too_long", "the address is too long");
    {
        const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
        size_t total = 0;
        if (q && strlen(q) > QRY_MAX_BYTES)
            return reply_error(c, rq, 414, "query_too_long",
                               "the query is too long; use at most 2048 bytes "
                               "(to check a whole draft, use the check-a-draft page)");
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, sum_args, &total);
        if (total > 16384)
            return reply_error(c, rq, 414, "too_long",
                               "the address is too long; use fewer or shorter parameters");
        total = 0;
        MHD_get_connection_values(c, MHD_HEADER_KIND, sum_args, &total);
        if (total > 32768)
            return reply_error(c, rq, 431, "headers_too_large",
                               "the request headers are larger than 32 KB; send fewer or shorter ones");
    }
    w = thread_worker();
    if (!w)
        return reply_error(c, rq, 503, "index_unavailable",
                           "the server cannot start a search worker; try again later");
    params = json_object();
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, params);
    memset(&ar, 0, sizeof ar);
    ar.method = method;
    ar.path = url;
    ar.params = params;
    ar.body = rq->body.p;
    ar.body_len = rq->body.len;
    ar.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    ar.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    ar.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    if (ar.host && (strlen(ar.host) > 200 || strpbrk(ar.host, "<>\"' ")))
        ar.host = NULL;
    api_handle(w, &ar, &rep);
    json_decref(params);
    if (!strcmp(method, "HEAD")) {
        /* MHD sends no body for HEAD; keep the length honest */
    }
    return send_reply(c, rq, &rep);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct req *rq = *req_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (!rq)
        return;
    {
        double el = now() - rq->t0;
        count(rq->endpoint ? rq->endpoint : "other", rq->status, el);
        if (conf.access_log) {
            time_t t = time(NULL);
            struct tm tm;
            char ts[32];
            gmtime_r(&t, &tm);
            strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
            fprintf(conf.access_log, "%s %s %s %d %zu %.2fms\n", ts, rq->method,
                    rq->path, rq->status, rq->bytes, el * 1000.0);
        }
    }
    buf_release(&rq->body);
    free(rq);
    *req_cls = NULL;
}

struct MHD_Daemon *http_start(const struct http_conf *cf, struct err *e)
{
    struct MHD_Daemon *d;
    struct sockaddr_in sa;
    conf = *cf;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)cf->port);
    if (inet_pton(AF_INET, cf->host, &sa.sin_addr) != 1) {
        err_set(e, -1, "cannot listen on '%s': not an IPv4 address", cf->host);
        return NULL;
    }
    api_stats.started = now();
    for (nready = 0; nready < (size_t)cf->threads && nready < 64; nready++) {
        struct worker *w = calloc(1, sizeof *w);
        if (!w || worker_init(w, cf->dbs, cf->ndbs, e) < 0) {
            free(w);
            break;
        }
        ready[nready] = w;
        all_workers[nworkers++] = w;
    }
    /* ITC: MHD_quiesce_daemon (SIGTERM) needs it with one thread.
     * poll, not epoll: in a pool MHD's epoll loop accepts up to ten
     * connections in a row on the thread that woke first, so a client's
     * burst of keep-alive connections (a proxy's pool, wrk's 8) could all
     * land on one thread and leave the other CPUs idle for their lifetime
     * (seen: 1 run in 6 at half the rate, one thread idle); poll accepts
     * one per wake-up and the threads share them (0 in 10). A thread polls
     * its own connections only (the limit split among them). */
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                             MHD_USE_ITC | MHD_USE_ERROR_LOG,
                         0, NULL, NULL, handler, NULL,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         /* a "pool" of one (or zero) is no pool, and
                          * MHD warns: one thread gives no pool option */
                         cf->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE
                                         : MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)(cf->threads > 1 ? cf->threads : cf->max_conn),
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)cf->max_conn,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                         /* room for a request with headers far past our
                          * 32 KB limit, so it gets our JSON 431; MHD clears
                          * this much per request, so no more than that */
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                         MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                         MHD_OPTION_END);
    if (!d) {
        err_set(e, -1, "cannot listen on %s:%d (in use, or not allowed)", cf->host,
                cf->port);
        return NULL;
    }
    return d;
}

int http_port(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? (int)i->port : -1;
}
