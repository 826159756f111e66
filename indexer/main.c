/* main.c - the indexer command: walk ROOT, read, decode, extract, analyze
 * and write the index in DIR; the nightly batch (API.md "Command line").
 *
 * Index directory layout (DIR):
 *   XAPIANDB     Xapian stub naming the served generation ("auto gNNNNNN");
 *                replaced atomically (rename) by a --full run
 *   gNNNNNN/     a generation: one compacted glass database
 *   .build-*     shards of a --full run in progress (removed when done, and
 *                by the next run after a crash)
 *   lock         flock()ed by the running indexer: one writer at a time
 * A --full run builds a new generation beside the served one (two shard
 * writers in parallel, merged by compaction) and swaps the stub; an
 * incremental run changes the served generation in ONE Xapian transaction.
 * Either way a reader sees the old revision or the new, never a mix, and a
 * run killed at any moment leaves the last revision intact. */
#include "analysis/ana.h"
#include "analysis/fold.h"
#include "analysis/query.h"
#include "common/buf.h"
#include "common/hash.h"
#include "indexer/docbuild.h"
#include "indexer/enc.h"
#include "indexer/extract.h"
#include "indexer/walk.h"
#include "shim/xs.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_OK 0
#define EXIT_REJECTED 1
#define EXIT_FAILED 2

struct opts {
    const char *db, *root, *profiles;
    int full, threads, quiet, progress, allow_shrink;
    size_t max_bytes;
    unsigned flush;
};

/* What the last committed run left, per source file (incremental runs). */
struct known {
    char *path;
    char *state;        /* "size mtime hash" */
    unsigned *docids;
    size_t n, cap;
    int seen;
};

/* The ids a run has written: one document per id. A full run's shards have
 * no termlist, so a second record with the same id cannot replace the
 * first; in either kind of run it is reported and skipped (the first one
 * read stays). Open addressing over malloc'd strings, grown at half full. */
struct idset {
    char **v;
    size_t n, cap; /* cap: 0 or a power of two */
};

struct run {
    struct opts o;
    struct walk_list files;
    size_t next;            /* next file index (under mu) */
    pthread_mutex_t mu;     /* next, writer (incremental), known, ids, output */
    struct idset ids;       /* ids written by this run */
    xs_writer *shared;      /* incremental: the one writer */
    struct known *known;    /* hash table over paths (incremental) */
    size_t nknown_slots;
    int incremental;
    size_t prev_files;      /* files under ROOT at the last run (its "files"
                               metadata; 0 = unknown) */
    atomic_size_t done, bytes, added, updated, unchanged, rejected, docs;
    atomic_int failed;
    char fail_msg[512];
    int tty;
    double t0;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct known *known_find(struct run *r, const char *path, int create)
{
    size_t i;
    if (!r->known)
        return NULL;
    i = (size_t)fnv1a64(path, strlen(path)) & (r->nknown_slots - 1);
    for (;;) {
        struct known *k = &r->known[i];
        if (!k->path) {
            if (!create)
                return NULL;
            k->path = strdup(path);
            return k->path ? k : NULL;
        }
        if (!strcmp(k->path, path))
            return k;
        i = (i + 1) & (r->nknown_slots - 1);
    }
}

/* 1 when id was added, 0 when it was there already, -1 out of memory. */
static int idset_add(struct idset *s, const char *id)
{
    size_t i;
    if (2 * (s->n + 1) > s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 1024, j;
        char **nv = calloc(nc, sizeof *nv);
        if (!nv)
            return -1;
        for (j = 0; j < s->cap; j++) {
            if (!s->v[j])
                continue;
            i = (size_t)fnv1a64(s->v[j], strlen(s->v[j])) & (nc - 1);
            while (nv[i])
                i = (i + 1) & (nc - 1);
            nv[i] = s->v[j];
        }
        free(s->v);
        s->v = nv;
        s->cap = nc;
    }
    i = (size_t)fnv1a64(id, strlen(id)) & (s->cap - 1);
    for (; s->v[i]; i = (i + 1) & (s->cap - 1))
        if (!strcmp(s->v[i], id))
            return 0;
    if (!(s->v[i] = strdup(id)))
        return -1;
    s->n++;
    return 1;
}

static void idset_free(struct idset *s)
{
    size_t i;
    for (i = 0; i < s->cap; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static void clear_line(struct run *r)
{
    if (r->tty && !r->o.quiet)
        fputs("\r\033[K", stderr);
}

static void reject(struct run *r, const char *rel, const char *why)
{
    pthread_mutex_lock(&r->mu);
    clear_line(r);
    fprintf(stderr, "indexer: rejected '%s': %s\n", rel, why);
    pthread_mutex_unlock(&r->mu);
    atomic_fetch_add(&r->rejected, 1);
}

static void run_fail(struct run *r, const char *msg)
{
    pthread_mutex_lock(&r->mu);
    if (!atomic_load(&r->failed))
        snprintf(r->fail_msg, sizeof r->fail_msg, "%s", msg);
    atomic_store(&r->failed, 1);
    pthread_mutex_unlock(&r->mu);
}

/* ---- one file ----------------------------------------------------------- */

struct worker {
    struct run *r;
    struct ana ana;
    xs_writer *w;       /* own shard (full run) or NULL (use r->shared) */
    int k;
};

static void process_file(struct worker *wk, const struct walk_file *f)
{
    struct run *r = wk->r;
    struct err e = {0};
    char *bytes = NULL, state[128], *fstate = NULL;
    size_t len = 0, i, nb;
    struct enc_result er = {0};
    struct recs recs = {0};
    struct known *k = NULL;
    int was_known = 0;
    xs_err xe;

    if (r->incremental) {
        pthread_mutex_lock(&r->mu);
        k = known_find(r, f->rel, 0);
        if (k)
            k->seen = 1;
        pthread_mutex_unlock(&r->mu);
        snprintf(state, sizeof state, "%lld %lld.%09ld ", (long long)f->size,
                 (long long)f->mtime, f->mtime_ns);
        if (k && !strncmp(k->state, state, strlen(state))) {
            atomic_fetch_add(&r->unchanged, 1);
            return;
        }
        was_known = k != NULL;
    }
    if (enc_read_file(f->abs, r->o.max_bytes, &bytes, &len, &e) < 0) {
        reject(r, f->rel, e.msg);
        goto out;
    }
    atomic_fetch_add(&r->bytes, len);
    snprintf(state, sizeof state, "%lld %lld.%09ld %016llx", (long long)f->size,
             (long long)f->mtime, f->mtime_ns, (unsigned long long)fnv1a64(bytes, len));
    if (k) {
        /* same content under a new mtime: nothing to do */
        const char *h1 = strrchr(state, ' ');
        const char *h2 = strrchr(k->state, ' ');
        if (h1 && h2 && !strcmp(h1, h2)) {
            atomic_fetch_add(&r->unchanged, 1);
            goto out;
        }
    }
    if (len == 0) {
        reject(r, f->rel, "the file is empty");
        goto out;
    }
    if (enc_to_utf8(bytes, len, f->rel, &er, &e) < 0) {
        reject(r, f->rel, e.msg);
        goto out;
    }
    free(bytes);
    bytes = NULL;
    if (extract_file(f->rel, er.text, er.len, &recs, &e) < 0) {
        reject(r, f->rel, e.msg[0] ? e.msg : "cannot be parsed");
        goto out;
    }
    if (e.msg[0]) { /* read, but not all of it */
        pthread_mutex_lock(&r->mu);
        clear_line(r);
        fprintf(stderr, "indexer: part of '%s' skipped: %s\n", f->rel, e.msg);
        pthread_mutex_unlock(&r->mu);
    }
    if (recs.n == 0) {
        reject(r, f->rel, "no document found in the file (no text)");
        goto out;
    }
    fstate = malloc(strlen(state) + strlen(f->rel) + 2);
    if (!fstate) {
        reject(r, f->rel, "out of memory");
        goto out;
    }
    sprintf(fstate, "%s %s", state, f->rel);
    if (r->incremental) {
        pthread_mutex_lock(&r->mu);
        /* a changed file: its old records go, in the same transaction */
        for (i = 0; k && i < k->n; i++) {
            if (xs_writer_delete_docid(r->shared, k->docids[i], &xe) != XS_OK &&
                xe.rc != XS_ENOTFOUND) {
                pthread_mutex_unlock(&r->mu);
                run_fail(r, xe.msg);
                goto out;
            }
        }
        if (k)
            k->n = 0;
        pthread_mutex_unlock(&r->mu);
    }
    for (i = 0; i < recs.n; i++) {
        const struct rec *rc = &recs.v[i];
        char *id;
        xs_doc *d = NULL;
        char idterm[XS_MAX_TERM + 40];
        xs_rc x;
        if (rc->key) {
            id = malloc(strlen(f->rel) + strlen(rc->key) + 2);
            if (id)
                sprintf(id, "%s#%s", f->rel, rc->key);
        } else {
            id = strdup(f->rel);
        }
        if (!id) {
            reject(r, f->rel, "out of memory");
            goto out;
        }
        {   /* one document per id */
            int added;
            pthread_mutex_lock(&r->mu);
            added = idset_add(&r->ids, id);
            if (added == 0) {
                clear_line(r);
                fprintf(stderr, "indexer: skipped record %zu of '%s': its id "
                        "'%s' was given by an earlier record (make the "
                        "records' keys unique)\n", i + 1, f->rel, id);
            }
            pthread_mutex_unlock(&r->mu);
            if (added <= 0) {
                free(id);
                if (added < 0) {
                    reject(r, f->rel, "out of memory");
                    goto out;
                }
                continue;
            }
        }
        if (docbuild(&wk->ana, rc, id, f->rel, fstate, &d, &nb, &e) < 0) {
            char msg[400];
            snprintf(msg, sizeof msg, "record %zu: %s", i + 1, e.msg);
            reject(r, f->rel, msg);
            free(id);
            goto out;
        }
        ana_id_term(id, idterm, sizeof idterm);
        if (wk->w) {
            x = xs_writer_add(wk->w, d, &xe);
        } else {
            pthread_mutex_lock(&r->mu);
            x = xs_writer_replace(r->shared, idterm, d, &xe);
            pthread_mutex_unlock(&r->mu);
        }
        xs_doc_free(d);
        free(id);
        if (x != XS_OK) {
            char msg[400];
            snprintf(msg, sizeof msg, "cannot write to the index: %s", xe.msg);
            run_fail(r, msg);
            goto out;
        }
        atomic_fetch_add(&r->docs, 1);
    }
    atomic_fetch_add(was_known ? &r->updated : &r->added, 1);
out:
    free(bytes);
    free(fstate);
    enc_result_release(&er);
    recs_release(&recs);
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct run *r = wk->r;
    for (;;) {
        size_t i;
        if (atomic_load(&r->failed))
            break;
        pthread_mutex_lock(&r->mu);
        i = r->next++;
        pthread_mutex_unlock(&r->mu);
        if (i >= r->files.n)
            break;
        process_file(wk, &r->files.v[i]);
        atomic_fetch_add(&r->done, 1);
    }
    return NULL;
}

static void progress(struct run *r, int final)
{
    double el = now() - r->t0;
    size_t done = atomic_load(&r->done), tot = r->files.n;
    double mb = atomic_load(&r->bytes) / 1048576.0;
    double rate = el > 0 ? done / el : 0;
    double eta = rate > 0 ? (tot - done) / rate : 0;
    if (r->o.quiet)
        return;
    pthread_mutex_lock(&r->mu);
    if (r->tty) {
        int w = 30, fill = tot ? (int)(w * done / tot) : w;
        fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu files  %.1f MB  %.0f files/s  ETA %.0fs",
                fill, "##############################", w - fill, "", done, tot, mb,
                rate, eta);
        if (final)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "indexer: %zu/%zu files, %.1f MB, %.1f s\n", done, tot, mb, el);
    }
    pthread_mutex_unlock(&r->mu);
}

/* Run nthreads workers; print progress until they finish. */
static void run_workers(struct run *r, struct worker *wk, int n)
{
    pthread_t th[16];
    int i;
    double last = now();
    for (i = 0; i < n; i++)
        pthread_create(&th[i], NULL, worker_main, &wk[i]);
    for (;;) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        if (atomic_load(&r->done) >= r->files.n || atomic_load(&r->failed))
            break;
        nanosleep(&ts, NULL);
        if (now() - last >= (r->tty ? 0.2 : 10.0)) {
            progress(r, 0);
            last = now();
        }
    }
    for (i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    if (r->tty || r->files.n > 0)
        progress(r, 1);
}

/* ---- the index directory ------------------------------------------------ */

static int rm_rf(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    if (!d)
        return unlink(path) == 0 || errno == ENOENT ? 0 : -1;
    while ((de = readdir(d))) {
        char sub[4096];
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
        if (de->d_type == DT_DIR)
            rm_rf(sub);
        else
            unlink(sub);
    }
    closedir(d);
    return rmdir(path);
}

/* The generation the stub names ("gNNNNNN"), or 0 when there is none. */
static int current_gen(const char *db, char *name, size_t cap)
{
    char p[4096], line[256];
    FILE *f;
    int g = 0;
    snprintf(p, sizeof p, "%s/XAPIANDB", db);
    f = fopen(p, "r");
    if (!f)
        return 0;
    if (fgets(line, sizeof line, f) && !strncmp(line, "auto g", 6)) {
        g = atoi(line + 6);
        line[strcspn(line, "\r\n")] = 0;
        if (strlen(line + 5) < cap)
            memcpy(name, line + 5, strlen(line + 5) + 1);
    }
    fclose(f);
    return g;
}

static int write_stub(const char *db, const char *gen, struct err *e)
{
    char tmp[4096], fin[4096];
    FILE *f;
    int fd;
    snprintf(tmp, sizeof tmp, "%s/XAPIANDB.tmp", db);
    snprintf(fin, sizeof fin, "%s/XAPIANDB", db);
    f = fopen(tmp, "w");
    if (!f || fprintf(f, "auto %s\n", gen) < 0 || fflush(f) != 0 ||
        fsync(fileno(f)) != 0) {
        err_set(e, -1, "cannot write '%s': %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    if (rename(tmp, fin) != 0) {
        err_set(e, -1, "cannot rename '%s': %s", tmp, strerror(errno));
        return -1;
    }
    fd = open(db, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

/* Remove what a crashed run left (.build-*, generations not served). */
static void cleanup_dir(const char *db, const char *keep)
{
    DIR *d = opendir(db);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d))) {
        char p[4096];
        int stale = !strncmp(de->d_name, ".build-", 7) ||
                    (de->d_name[0] == 'g' && strlen(de->d_name) == 7 &&
                     (!keep || strcmp(de->d_name, keep)));
        if (!stale)
            continue;
        snprintf(p, sizeof p, "%s/%s", db, de->d_name);
        rm_rf(p);
    }
    closedir(d);
}

static void iso_now(char *out, size_t cap)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A tree that shrank to less than half of what the last run saw is taken
 * for a mistake (a share not mounted, a copy half done), not for
 * deletions: nothing is committed, unless --allow-shrink. */
static int shrink_guard(const struct run *r, struct err *e)
{
    if (r->o.allow_shrink || r->prev_files < 20 || r->files.n * 2 >= r->prev_files)
        return 0;
    err_set(e, -1, "ROOT '%s' holds %zu files where the last run saw %zu: is it "
            "mounted and whole? If those files were really removed, run again "
            "with --allow-shrink", r->o.root, r->files.n, r->prev_files);
    return -1;
}

/* The "files" metadata every commit writes: the files listed under ROOT. */
static int set_files_meta(const struct run *r, xs_writer *w, xs_err *xe)
{
    char n[32];
    snprintf(n, sizeof n, "%zu", r->files.n);
    return xs_writer_set_meta(w, "files", n, xe) == XS_OK ? 0 : -1;
}

static int load_known(struct run *r, xs_writer *w, struct err *e)
{
    xs_values v;
    xs_err xe;
    size_t i;
    if (xs_writer_values(w, XS_SLOT_FILE, &v, &xe) != XS_OK) {
        err_set(e, -1, "cannot read the index: %s", xe.msg);
        return -1;
    }
    r->nknown_slots = 1024;
    while (r->nknown_slots < v.n * 2 + 16)
        r->nknown_slots *= 2;
    r->known = calloc(r->nknown_slots, sizeof *r->known);
    if (!r->known) {
        xs_values_free(&v);
        err_set(e, -1, "out of memory");
        return -1;
    }
    for (i = 0; i < v.n; i++) {
        /* "size mtime hash path" */
        char *s = v.vals[i], *p = s;
        int sp = 0;
        struct known *k;
        while (*p && sp < 3) {
            if (*p == ' ')
                sp++;
            p++;
        }
        if (sp < 3)
            continue;
        k = known_find(r, p, 1);
        if (!k)
            continue;
        if (!k->state)
            k->state = strndup(s, (size_t)(p - s - 1));
        if (k->n == k->cap) {
            size_t nc = k->cap ? k->cap * 2 : 2;
            unsigned *np = realloc(k->docids, nc * sizeof *np);
            if (!np)
                continue;
            k->docids = np;
            k->cap = nc;
        }
        k->docids[k->n++] = v.docids[i];
    }
    xs_values_free(&v);
    return 0;
}

static void free_known(struct run *r)
{
    size_t i;
    for (i = 0; r->known && i < r->nknown_slots; i++) {
        free(r->known[i].path);
        free(r->known[i].state);
        free(r->known[i].docids);
    }
    free(r->known);
    r->known = NULL;
}

static int run_incremental(struct run *r, const char *genpath, size_t *deleted,
                           struct err *e)
{
    xs_err xe;
    struct worker wk[16];
    int i, n = r->o.threads;
    size_t k;
    char ts[40];

    if (xs_writer_open(genpath, 0, 0, &r->shared, &xe) != XS_OK) {
        err_set(e, xe.rc == XS_ELOCKED ? -2 : -1, "cannot open the index '%s': %s",
                genpath, xe.msg);
        return -1;
    }
    {   /* written by another extraction or analysis: rebuild (1 = do) */
        char *have = NULL;
        if (xs_writer_get_meta(r->shared, "content", &have, &xe) == XS_OK &&
            strcmp(have, INDEX_CONTENT_VERSION) != 0) {
            if (!r->o.quiet)
                fprintf(stderr, "indexer: the index was written by an "
                        "indexer that reads files differently (content "
                        "version %s, this one %s): rebuilding it in full\n",
                        *have ? have : "(none)", INDEX_CONTENT_VERSION);
            free(have);
            xs_writer_close(r->shared, NULL);
            r->shared = NULL;
            return 1;
        }
        free(have);
    }
    {   /* tombstones past a fifth of the index: rebuild it (1 = do) */
        size_t live = 0, dead = xs_writer_dead(r->shared);
        if (xs_writer_doccount(r->shared, &live, &xe) == XS_OK &&
            dead > 0 && dead * 5 >= live + dead) {
            if (!r->o.quiet)
                fprintf(stderr, "indexer: %zu of the %zu documents in the index "
                        "are replaced or deleted versions: rebuilding it in "
                        "full to reclaim their space\n", dead, live + dead);
            xs_writer_close(r->shared, NULL);
            r->shared = NULL;
            return 1;
        }
    }
    if (load_known(r, r->shared, e) < 0)
        goto fail;
    if (!r->prev_files) { /* an index from before the "files" metadata */
        size_t k2;
        for (k2 = 0; k2 < r->nknown_slots; k2++)
            r->prev_files += r->known[k2].path != NULL;
    }
    if (shrink_guard(r, e) < 0)
        goto fail;
    if (xs_writer_begin(r->shared, &xe) != XS_OK) {
        err_set(e, -1, "cannot start a transaction: %s", xe.msg);
        goto fail;
    }
    r->incremental = 1;
    for (i = 0; i < n; i++) {
        memset(&wk[i], 0, sizeof wk[i]);
        wk[i].r = r;
        wk[i].k = i;
        if (ana_init(&wk[i].ana, e) < 0) {
            while (i-- > 0)
                ana_release(&wk[i].ana);
            goto cancel;
        }
    }
    run_workers(r, wk, n);
    for (i = 0; i < n; i++)
        ana_release(&wk[i].ana);
    if (atomic_load(&r->failed)) {
        err_set(e, -1, "%s", r->fail_msg);
        goto cancel;
    }
    /* vanished files */
    *deleted = 0;
    for (k = 0; k < r->nknown_slots; k++) {
        struct known *kn = &r->known[k];
        size_t j;
        if (!kn->path || kn->seen)
            continue;
        for (j = 0; j < kn->n; j++) {
            if (xs_writer_delete_docid(r->shared, kn->docids[j], &xe) != XS_OK &&
                xe.rc != XS_ENOTFOUND) {
                err_set(e, -1, "cannot delete from the index: %s", xe.msg);
                goto cancel;
            }
        }
        (*deleted)++;
    }
    iso_now(ts, sizeof ts);
    if (xs_writer_set_meta(r->shared, "last_run", ts, &xe) != XS_OK ||
        set_files_meta(r, r->shared, &xe) < 0 ||
        xs_writer_commit(r->shared, &xe) != XS_OK) {
        err_set(e, -1, "cannot commit: %s", xe.msg);
        goto cancel;
    }
    xs_writer_close(r->shared, NULL);
    r->shared = NULL;
    return 0;
cancel:
    xs_writer_cancel(r->shared, NULL);
fail:
    xs_writer_close(r->shared, NULL);
    r->shared = NULL;
    return -1;
}

static int run_full(struct run *r, const char *db, int oldgen, struct err *e)
{
    xs_err xe;
    struct worker wk[16];
    char shards[16][4096], gen[32], genpath[4096], ts[40], oldname[32];
    const char *srcs[16];
    int i, n = r->o.threads, ng = oldgen + 1;

    if (shrink_guard(r, e) < 0)
        return -1;
    snprintf(gen, sizeof gen, "g%06d", ng);
    snprintf(genpath, sizeof genpath, "%s/%s", db, gen);
    rm_rf(genpath);
    for (i = 0; i < n; i++) {
        memset(&wk[i], 0, sizeof wk[i]);
        wk[i].r = r;
        wk[i].k = i;
        snprintf(shards[i], sizeof shards[i], "%s/.build-%d", db, i);
        rm_rf(shards[i]);
        srcs[i] = shards[i];
        if (xs_writer_open(shards[i], XS_CREATE | XS_OVERWRITE | XS_NOSYNC |
                           XS_NOTERMLIST, r->o.flush,
                           &wk[i].w, &xe) != XS_OK) {
            err_set(e, -1, "cannot create '%s': %s", shards[i], xe.msg);
            goto fail;
        }
        if (ana_init(&wk[i].ana, e) < 0)
            goto fail;
    }
    run_workers(r, wk, n);
    if (atomic_load(&r->failed)) {
        err_set(e, -1, "%s", r->fail_msg);
        goto fail;
    }
    iso_now(ts, sizeof ts);
    for (i = 0; i < n; i++) {
        if (xs_writer_set_meta(wk[i].w, "last_run", ts, &xe) != XS_OK ||
            xs_writer_set_meta(wk[i].w, "content", INDEX_CONTENT_VERSION,
                               &xe) != XS_OK ||
            set_files_meta(r, wk[i].w, &xe) < 0 ||
            xs_writer_commit(wk[i].w, &xe) != XS_OK) {
            err_set(e, -1, "cannot commit '%s': %s", shards[i], xe.msg);
            goto fail;
        }
        xs_writer_close(wk[i].w, NULL);
        wk[i].w = NULL;
        ana_release(&wk[i].ana);
    }
    if (!r->o.quiet)
        fprintf(stderr, "indexer: merging %d shards into %s\n", n, gen);
    if (xs_compact(srcs, (size_t)n, genpath, XS_COMPACT_NO_TERMLIST, &xe) != XS_OK) {
        err_set(e, -1, "cannot compact the new index into '%s': %s", genpath, xe.msg);
        goto fail;
    }
    if (write_stub(db, gen, e) < 0)
        goto fail;
    for (i = 0; i < n; i++)
        rm_rf(shards[i]);
    if (oldgen) {
        snprintf(oldname, sizeof oldname, "g%06d", oldgen);
        snprintf(genpath, sizeof genpath, "%s/%s", db, oldname);
        rm_rf(genpath);
    }
    return 0;
fail:
    for (i = 0; i < n; i++) {
        xs_writer_close(wk[i].w, NULL);
        ana_release(&wk[i].ana);
        rm_rf(shards[i]);
    }
    snprintf(genpath, sizeof genpath, "%s/%s", db, gen);
    rm_rf(genpath);
    return -1;
}

/* The "files" metadata of the served generation (0 when unset or the
 * index cannot be read: the run then says why). */
static size_t files_meta(const char *db, const char *genname)
{
    char path[4096], *v = NULL;
    xs_reader *rd = NULL;
    xs_err xe;
    size_t n = 0;
    snprintf(path, sizeof path, "%s/%s", db, genname);
    if (xs_reader_open(path, &rd, &xe) == XS_OK &&
        xs_reader_meta(rd, "files", &v, &xe) == XS_OK && v && *v)
        n = (size_t)strtoull(v, NULL, 10);
    free(v);
    xs_reader_close(rd);
    return n;
}

/* ---- modes -------------------------------------------------------------- */

static int dump_tokens(void)
{
    struct buf b;
    struct ana a;
    struct err e;
    char c[65536];
    size_t n, i;
    buf_init(&b, 64 << 20);
    while ((n = fread(c, 1, sizeof c, stdin)) > 0)
        if (buf_add(&b, c, n) < 0) {
            fprintf(stderr, "indexer: input too large\n");
            return EXIT_FAILED;
        }
    if (ana_global_init(&e) < 0 || ana_init(&a, &e) < 0) {
        fprintf(stderr, "indexer: %s\n", e.msg);
        return EXIT_FAILED;
    }
    ana_text(&a, b.p ? b.p : "", b.len, 0, 0);
    for (i = 0; i < a.n; i++) {
        const struct ana_tok *t = &a.toks[i];
        printf("%u\t%u\t%u\t%s\t%s\n", t->pos, t->start, t->end,
               ana_kind_name(t->kind), ana_term(&a, t));
    }
    ana_release(&a);
    buf_release(&b);
    return EXIT_OK;
}

/* The query tree and highlight strings of the query on stdin. */
static int dump_query(void)
{
    struct buf b;
    struct qp qp;
    struct qry q;
    struct err e = {0};
    char c[4096];
    size_t n, i;
    char *d;
    buf_init(&b, 1 << 20);
    while ((n = fread(c, 1, sizeof c, stdin)) > 0)
        buf_add(&b, c, n);
    while (b.len && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == '\r'))
        b.p[--b.len] = 0;
    if (ana_global_init(&e) < 0 || qp_init(&qp, &e) < 0) {
        fprintf(stderr, "indexer: %s\n", e.msg);
        return EXIT_FAILED;
    }
    if (qry_parse(&qp, b.p ? b.p : "", b.len, &q, &e) < 0) {
        printf("error: %s\n", e.msg);
    } else {
        d = qry_describe(q.root);
        printf("query: %s\n", d);
        free(d);
        if (q.rescore) {
            d = qry_describe(q.rescore);
            printf("rescore: %s\n", d);
            free(d);
        }
        for (i = 0; i < q.nhl; i++)
            printf("highlight: %s %.*s\n", q.hl[i].kind == QHL_HAN ? "han" :
                   q.hl[i].kind == QHL_LATIN ? "latin" :
                   q.hl[i].kind == QHL_STEM ? "stem" : "phrase",
                   (int)q.hl[i].len, q.hl[i].s);
        qry_release(&q);
    }
    qp_release(&qp);
    buf_release(&b);
    return EXIT_OK;
}

/* Analyzer throughput on the Chinese documents under root (one thread). */
static int analyze_bench(const char *root)
{
    struct walk_list wl = {0};
    struct err e = {0};
    struct ana a;
    struct buf all;
    size_t i, ndocs = 0, nt = 0;
    size_t *offs = NULL, noffs = 0, capoffs = 0;
    double t0, t1;
    if (ana_global_init(&e) < 0 || ana_init(&a, &e) < 0 ||
        extract_init(NULL, &e) < 0) {
        fprintf(stderr, "indexer: %s\n", e.msg);
        return EXIT_FAILED;
    }
    if (walk_tree(root, NULL, &wl, &e) < 0) {
        fprintf(stderr, "indexer: %s\n", e.msg);
        return EXIT_FAILED;
    }
    buf_init(&all, 0);
    for (i = 0; i < wl.n; i++) {
        char *bytes;
        size_t len, k;
        struct enc_result er = {0};
        struct recs rs = {0};
        if (enc_read_file(wl.v[i].abs, 32 << 20, &bytes, &len, &e) < 0)
            continue;
        if (enc_to_utf8(bytes, len, wl.v[i].rel, &er, &e) == 0 &&
            extract_file(wl.v[i].rel, er.text, er.len, &rs, &e) == 0) {
            for (k = 0; k < rs.n; k++) {
                if (!rs.v[k].lang || strncmp(rs.v[k].lang, "zh", 2) || !rs.v[k].text)
                    continue;
                if (noffs == capoffs) {
                    capoffs = capoffs ? capoffs * 2 : 1024;
                    offs = realloc(offs, capoffs * sizeof *offs);
                }
                offs[noffs++] = all.len;
                buf_add(&all, rs.v[k].text, strlen(rs.v[k].text) + 1);
                ndocs++;
            }
        }
        free(bytes);
        enc_result_release(&er);
        recs_release(&rs);
    }
    t0 = now();
    for (i = 0; i < noffs; i++) {
        const char *s = all.p + offs[i];
        ana_reset(&a);
        ana_text(&a, s, strlen(s), 0, 0);
        nt += a.n;
    }
    t1 = now();
    printf("analyzer: %.1f MB/s over %.1f MB (%zu Chinese documents, %zu tokens, %.2f s, one thread)\n",
           all.len / 1048576.0 / (t1 - t0), all.len / 1048576.0, ndocs, nt, t1 - t0);
    free(offs);
    buf_release(&all);
    ana_release(&a);
    walk_release(&wl);
    return EXIT_OK;
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: indexer --db DIR [--incremental | --full] [options] ROOT\n"
"       indexer --dump-tokens < text        (print the analyzer's tokens)\n"
"       indexer --dump-query < query        (print what a query becomes)\n"
"       indexer --analyze-bench ROOT        (analyzer MB/s, one thread)\n"
"\n"
"Index every supported file under ROOT into the index directory DIR.\n"
"Incremental by default when DIR holds an index: unchanged files are skipped,\n"
"changed ones replaced and vanished ones deleted, in one commit.\n"
"\n"
"  --db DIR           index directory (created when missing)\n"
"  --incremental      update the existing index (the default when one exists)\n"
"  --full             build a fresh, compacted index beside the served one and\n"
"                     swap it in atomically (the default for a new index)\n"
"  --threads N        worker threads (default: 2; at most 16)\n"
"  --max-file-mb N    larger files (or .gz expanding beyond it) are rejected\n"
"                     (default: 32)\n"
"  --profiles DIR     extra ingest profiles (*.conf) beside the built-in ones\n"
"  --flush N          documents per Xapian flush in --full runs (default: 100)\n"
"  --quiet            no progress, only rejections and the summary\n"
"  --allow-shrink     accept a ROOT with less than half of the files the last\n"
"                     run saw (without it such a run changes nothing and\n"
"                     exits 2: an unmounted share must not empty the index)\n"
"  --help             this text\n"
"\n"
"Exit status: 0 all indexed, 1 some files rejected, 2 the run failed (nothing\n"
"committed; the index is as before).\n");
}

struct global_init {
    int rc;
    struct err e;
};

static void *global_init_main(void *arg)
{
    struct global_init *g = arg;
    g->rc = ana_global_init(&g->e);
    return NULL;
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"db", required_argument, 0, 'd'},
        {"incremental", no_argument, 0, 'i'},
        {"full", no_argument, 0, 'f'},
        {"threads", required_argument, 0, 't'},
        {"max-file-mb", required_argument, 0, 'm'},
        {"profiles", required_argument, 0, 'p'},
        {"flush", required_argument, 0, 'F'},
        {"quiet", no_argument, 0, 'q'},
        {"allow-shrink", no_argument, 0, 'S'},
        {"dump-tokens", no_argument, 0, 'T'},
        {"analyze-bench", no_argument, 0, 'B'},
        {"dump-query", no_argument, 0, 'Q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    static struct run r;
    struct err e = {0};
    int c, lockfd, gen, mode_dump = 0, mode_bench = 0, want_inc = 0, rc;
    struct global_init init = {0};
    pthread_t init_th;
    int init_started = 0;
    char p[4096], genname[64] = "", rootreal[4096], dbreal[4096];
    size_t deleted = 0;
    double el;

    memset(&r, 0, sizeof r);
    r.o.threads = 2;
    r.o.max_bytes = (size_t)32 << 20;
    r.o.flush = 100;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'd': r.o.db = optarg; break;
        case 'i': want_inc = 1; break;
        case 'f': r.o.full = 1; break;
        case 't': r.o.threads = atoi(optarg); break;
        case 'm': {
            long mb = atol(optarg);
            r.o.max_bytes = mb > 0 && mb <= 4096 ? (size_t)mb << 20 : 0;
            break;
        }
        case 'p': r.o.profiles = optarg; break;
        case 'F': r.o.flush = (unsigned)atoi(optarg); break;
        case 'q': r.o.quiet = 1; break;
        case 'S': r.o.allow_shrink = 1; break;
        case 'T': mode_dump = 1; break;
        case 'B': mode_bench = 1; break;
        case 'Q': return dump_query();
        case 'h': usage(stdout); return EXIT_OK;
        default: usage(stderr); return EXIT_FAILED;
        }
    }
    if (mode_dump)
        return dump_tokens();
    if (optind != argc - 1) {
        usage(stderr);
        return EXIT_FAILED;
    }
    r.o.root = argv[optind];
    if (mode_bench)
        return analyze_bench(r.o.root);
    if (!r.o.db) {
        fprintf(stderr, "indexer: --db DIR is required (where the index lives)\n");
        return EXIT_FAILED;
    }
    if (want_inc && r.o.full) {
        fprintf(stderr, "indexer: choose one of --incremental and --full\n");
        return EXIT_FAILED;
    }
    if (r.o.threads < 1 || r.o.threads > 16 || r.o.max_bytes == 0) {
        fprintf(stderr, "indexer: --threads must be 1..16 and --max-file-mb 1..4096\n");
        return EXIT_FAILED;
    }
    if (!realpath(r.o.root, rootreal)) {
        fprintf(stderr, "indexer: cannot read ROOT '%s': %s\n", r.o.root, strerror(errno));
        return EXIT_FAILED;
    }
    if (mkdir(r.o.db, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "indexer: cannot create the index directory '%s': %s\n",
                r.o.db, strerror(errno));
        return EXIT_FAILED;
    }
    snprintf(p, sizeof p, "%s/lock", r.o.db);
    lockfd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lockfd < 0) {
        fprintf(stderr, "indexer: cannot open '%s': %s\n", p, strerror(errno));
        return EXIT_FAILED;
    }
    if (flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "indexer: another indexer run holds the index '%s' "
                "(lock %s): wait for it to finish, then try again\n", r.o.db, p);
        return EXIT_FAILED;
    }
    if (!realpath(r.o.db, dbreal))
        snprintf(dbreal, sizeof dbreal, "%s", r.o.db);
    /* the analyzer's tables load (0.3 s: folding, the dictionary) while
     * this thread walks the tree */
    if (pthread_create(&init_th, NULL, global_init_main, &init) != 0)
        global_init_main(&init);
    else
        init_started = 1;
    gen = current_gen(r.o.db, genname, sizeof genname);
    cleanup_dir(r.o.db, gen ? genname : NULL);
    if (gen)
        r.prev_files = files_meta(r.o.db, genname);
    if (!gen && want_inc && !r.o.quiet)
        fprintf(stderr, "indexer: no index in '%s' yet: building it in full\n", r.o.db);
    r.tty = isatty(2);
    pthread_mutex_init(&r.mu, NULL);
    r.t0 = now();
    rc = walk_tree(rootreal, dbreal, &r.files, &e);
    if (init_started)
        pthread_join(init_th, NULL);
    if (init.rc < 0) {
        fprintf(stderr, "indexer: %s\n", init.e.msg);
        return EXIT_FAILED;
    }
    if (init.e.msg[0] && !r.o.quiet)
        fprintf(stderr, "indexer: warning: %s\n", init.e.msg);
    if (rc < 0 || extract_init(r.o.profiles, &e) < 0) {
        fprintf(stderr, "indexer: %s\n", e.msg);
        return EXIT_FAILED;
    }
    for (size_t i = 0; i < r.files.nskipped_msgs; i++) {
        const char *m = r.files.skipped_msgs[i];
        if (m[0] == '!')
            fprintf(stderr, "indexer: rejected %s\n", m + 1);
        else if (!r.o.quiet)
            fprintf(stderr, "indexer: skipped %s\n", m);
    }
    atomic_fetch_add(&r.rejected, r.files.nrejected);
    if (!r.o.quiet)
        fprintf(stderr, "indexer: %zu files under '%s' (%s run)\n", r.files.n,
                r.o.root, gen && !r.o.full ? "incremental" : "full");
    if (gen && !r.o.full) {
        snprintf(p, sizeof p, "%s/%s", r.o.db, genname);
        rc = run_incremental(&r, p, &deleted, &e);
        if (rc == 1) /* too many tombstones: a full run instead */
            rc = run_full(&r, r.o.db, gen, &e);
    } else {
        rc = run_full(&r, r.o.db, gen, &e);
    }
    el = now() - r.t0;
    free_known(&r);
    idset_free(&r.ids);
    walk_release(&r.files);
    if (rc < 0) {
        clear_line(&r);
        if (e.code == -2)
            fprintf(stderr, "indexer: another writer holds the index '%s': %s\n",
                    r.o.db, e.msg);
        else
            fprintf(stderr, "indexer: run failed, nothing committed (the index is "
                    "as before): %s\n", e.msg);
        return EXIT_FAILED;
    }
    {
        double mb = atomic_load(&r.bytes) / 1048576.0;
        printf("indexer: added %zu, updated %zu, deleted %zu, unchanged %zu, "
               "rejected %zu files (%zu documents written); %.1f MB read in "
               "%.1f s (%.1f MB/s)\n",
               atomic_load(&r.added), atomic_load(&r.updated), deleted,
               atomic_load(&r.unchanged), atomic_load(&r.rejected),
               atomic_load(&r.docs), mb, el, el > 0 ? mb / el : 0);
    }
    close(lockfd);
    return atomic_load(&r.rejected) ? EXIT_REJECTED : EXIT_OK;
}
