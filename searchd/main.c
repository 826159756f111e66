/* main.c - searchd: options, signals, start and stop the HTTP server
 * (http.c) that answers API.md over the index written by the indexer. */
#include "analysis/ana.h"
#include "searchd/cache.h"
#include "searchd/http.h"
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
"usage: searchd --db DIR [--db DIR ...] [options]\n"
"\n"
"Serve the search API (API.md) and the portal page over the index in DIR.\n"
"Several --db are searched as one: index directories written by the indexer,\n"
"Xapian stub files, or tcp:HOST:PORT for a xapian-tcpsrv shard. A newer\n"
"revision written by the indexer is picked up without a restart.\n"
"\n"
"  --db DIR           an index to serve (repeatable; at least one)\n"
"  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080; port 0 =\n"
"                     any free port)\n"
"  --port-file FILE   write the port listened on to FILE once ready\n"
"  --threads N        worker threads, each with its own index handle\n"
"                     (default: one per CPU, at least 2)\n"
"  --max-conn N       concurrent connections (default 512)\n"
"  --access-log FILE  one line per request; '-' = stderr (default), 'off'\n"
"  --cache-mb N       answers to repeated searches kept, in MB (default 64;\n"
"                     0 = no cache); never served across index revisions\n"
"  --help             this text\n"
"\n"
"Stops cleanly on SIGTERM or SIGINT (requests in flight are answered);\n"
"SIGHUP opens the --access-log file again (after logrotate moved it).\n");
}

/* SIGHUP (logrotate's postrotate): the access log file is opened again
 * under its name and put in place of the old one with dup2, which swaps
 * the descriptor at once under the workers' line-buffered writes. */
static void reopen_log(FILE *log, const char *name)
{
    int fd;
    if (!log || log == stderr) {
        fprintf(stderr, "searchd: SIGHUP received; no access log file to reopen\n");
        return;
    }
    fflush(log);
    fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || dup2(fd, fileno(log)) < 0) {
        fprintf(stderr, "searchd: SIGHUP: cannot reopen '%s': %s; still writing "
                "to the old file\n", name, strerror(errno));
    } else {
        fprintf(stderr, "searchd: SIGHUP: access log '%s' reopened\n", name);
    }
    if (fd >= 0)
        close(fd);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"db", required_argument, 0, 'd'},
        {"listen", required_argument, 0, 'l'},
        {"port-file", required_argument, 0, 'p'},
        {"threads", required_argument, 0, 't'},
        {"max-conn", required_argument, 0, 'm'},
        {"access-log", required_argument, 0, 'a'},
        {"cache-mb", required_argument, 0, 'c'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *dbs[64], *listen = "127.0.0.1:8080", *portfile = NULL,
               *alog = "-";
    size_t ndbs = 0;
    struct http_conf cf;
    struct err e = {0};
    struct MHD_Daemon *d;
    char host[64];
    const char *colon;
    int c, port, sig;
    sigset_t ss;

    memset(&cf, 0, sizeof cf);
    /* one per CPU: on the bench's mixed searches at 8 connections the 99th
     * percentile is a third lower than with twice as many threads sharing
     * the CPUs, for as many answers a second; at least 2, so that one long
     * request leaves another thread to answer */
    {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        cf.threads = ncpu < 2 ? 2 : ncpu > 64 ? 64 : (int)ncpu;
    }
    cf.max_conn = 512;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (ndbs < 64)
                dbs[ndbs++] = optarg;
            break;
        case 'l': listen = optarg; break;
        case 'p': portfile = optarg; break;
        case 't': cf.threads = atoi(optarg); break;
        case 'm': cf.max_conn = atoi(optarg); break;
        case 'a': alog = optarg; break;
        case 'c':
            if (atol(optarg) < 0 || atol(optarg) > 65536) {
                fprintf(stderr, "searchd: --cache-mb must be 0..65536\n");
                return 2;
            }
            cache_config((size_t)atol(optarg), 4096);
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!ndbs || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (cf.threads < 1 || cf.threads > 64 || cf.max_conn < 1) {
        fprintf(stderr, "searchd: --threads must be 1..64 and --max-conn positive\n");
        return 2;
    }
    colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host) {
        fprintf(stderr, "searchd: --listen wants ADDR:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = 0;
    port = atoi(colon + 1);
    if (port < 0 || port > 65535) {
        fprintf(stderr, "searchd: bad port in --listen '%s'\n", listen);
        return 2;
    }
    if (ana_global_init(&e) < 0) {
        fprintf(stderr, "searchd: %s\n", e.msg);
        return 2;
    }
    if (e.msg[0])
        fprintf(stderr, "searchd: warning: %s\n", e.msg);
    cf.dbs = dbs;
    cf.ndbs = ndbs;
    cf.host = host;
    cf.port = port;
    if (!strcmp(alog, "-"))
        cf.access_log = stderr;
    else if (strcmp(alog, "off")) {
        cf.access_log = fopen(alog, "a");
        if (!cf.access_log) {
            fprintf(stderr, "searchd: cannot open '%s': %s\n", alog, strerror(errno));
            return 2;
        }
        setvbuf(cf.access_log, NULL, _IOLBF, 0);
    }
    /* signals are taken synchronously by this thread only */
    sigemptyset(&ss);
    sigaddset(&ss, SIGTERM);
    sigaddset(&ss, SIGINT);
    sigaddset(&ss, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &ss, NULL);
    signal(SIGPIPE, SIG_IGN);
    d = http_start(&cf, &e);
    if (!d) {
        fprintf(stderr, "searchd: %s\n", e.msg);
        return 2;
    }
    port = http_port(d);
    fprintf(stderr, "searchd: serving %zu index(es) on http://%s:%d/\n", ndbs, host, port);
    if (portfile) {
        char tmp[4096];
        FILE *f;
        snprintf(tmp, sizeof tmp, "%s.tmp", portfile);
        f = fopen(tmp, "w");
        if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 ||
            rename(tmp, portfile) != 0) {
            fprintf(stderr, "searchd: cannot write '%s'\n", portfile);
            MHD_stop_daemon(d);
            return 2;
        }
    }
    while (sigwait(&ss, &sig) == 0 && sig == SIGHUP)
        reopen_log(cf.access_log, alog);
    fprintf(stderr, "searchd: %s received, stopping\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
    http_free_workers();
    if (cf.access_log && cf.access_log != stderr)
        fclose(cf.access_log);
    return 0;
}
