/* http.h - searchd's HTTP server (libmicrohttpd thread pool; one worker
 * with its own index handle per pool thread). Called by searchd/main.c. */
#ifndef SEARCHD_HTTP_H
#define SEARCHD_HTTP_H
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include "common/err.h"

struct http_conf {
    const char *const *dbs;
    size_t ndbs;
    const char *host;   /* IPv4 address to bind */
    int port;           /* 0 = any free port */
    int threads;
    int max_conn;
    FILE *access_log;   /* NULL = off */
};

struct MHD_Daemon;
struct MHD_Daemon *http_start(const struct http_conf *cf, struct err *e);
int http_port(struct MHD_Daemon *d);
/* After MHD_stop_daemon: free every worker's state. */
void http_free_workers(void);
#endif
