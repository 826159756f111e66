/* metacheck.c - metadata accuracy of the extraction layer against the
 * corpus manifest: runs extract_file() on every file the manifest lists and
 * compares title, unit, category, date, year, docno and lang, counting only
 * documents where the manifest has a value. Prints per-field and per-source
 * accuracy (and mismatches with --verbose), the time spent extracting, and
 * exits 1 when a field is below --min percent (default 95). Used by
 * tests/e2e/meta_accuracy.sh.
 *
 * usage: metacheck [--verbose] [--min PCT] [--exclude FILE] [--field F]
 *                  CORPUS_DIR MANIFEST.jsonl
 * exclude file: "path<TAB>field<TAB>reason" lines: values that cannot be
 * derived from the file or its path; they are reported, not scored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "indexer/enc.h"
#include "indexer/extract.h"
#include "analysis/docno.h"

enum { F_TITLE, F_UNIT, F_CATEGORY, F_DATE, F_YEAR, F_DOCNO, F_LANG, NF };
static const char *const fname[NF] = {
    "title", "unit", "category", "date", "year", "docno", "lang"
};

#define MAXSRC 64
#define SHOW 5

struct score {
    long ok, n, excl, norm_ok;
    int shown;
};
struct source {
    char name[128];
    struct score f[NF];
    long files;
};

struct excl {
    char *path, *field, *reason;
};

static struct excl *ex;
static size_t nex;

static void load_excl(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[4096];
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *t1, *t2;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        t1 = strchr(line, '\t');
        if (!t1)
            continue;
        *t1++ = 0;
        t2 = strchr(t1, '\t');
        if (t2)
            *t2++ = 0;
        ex = realloc(ex, (nex + 1) * sizeof *ex);
        ex[nex].path = strdup(line);
        ex[nex].field = strdup(t1);
        ex[nex].reason = strdup(t2 ? t2 : "");
        nex++;
    }
    fclose(f);
}

static const char *excluded(const char *path, const char *field)
{
    size_t i;
    for (i = 0; i < nex; i++)
        if (strcmp(ex[i].path, path) == 0 && strcmp(ex[i].field, field) == 0)
            return ex[i].reason;
    return NULL;
}

static char *trim(const char *s)
{
    size_t n;
    char *r;
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'
                 || s[n - 1] == '\r'))
        n--;
    r = malloc(n + 1);
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

/* The file as the indexer reads it (indexer/main.c): gunzipped, its
 * charset found and converted to UTF-8. NULL (reported) when it cannot. */
static char *read_file(const char *path, size_t *len)
{
    char *bytes = NULL;
    size_t n = 0;
    struct enc_result er;
    struct err e = {0};
    if (enc_read_file(path, 64u << 20, &bytes, &n, &e) < 0 ||
        enc_to_utf8(bytes, n, path, &er, &e) < 0) {
        fprintf(stderr, "metacheck: %s\n", e.msg);
        free(bytes);
        return NULL;
    }
    free(bytes);
    *len = er.len;
    return er.text;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int verbose = 0, ai = 1, bad = 0, k;
    double minpct = 95.0, t_ext = 0;
    const char *exfile = NULL, *root, *manifest, *only = NULL;
    struct source src[MAXSRC];
    struct score tot[NF];
    size_t nsrc = 0, s, bytes = 0, files = 0, rejected = 0;
    FILE *mf;
    char *line = NULL;
    size_t lcap = 0;
    struct err e;
    memset(src, 0, sizeof src);
    memset(tot, 0, sizeof tot);
    while (ai < argc && argv[ai][0] == '-') {
        if (strcmp(argv[ai], "--verbose") == 0 || strcmp(argv[ai], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[ai], "--min") == 0 && ai + 1 < argc)
            minpct = atof(argv[++ai]);
        else if (strcmp(argv[ai], "--exclude") == 0 && ai + 1 < argc)
            exfile = argv[++ai];
        else if (strcmp(argv[ai], "--field") == 0 && ai + 1 < argc)
            only = argv[++ai];
        else {
            fprintf(stderr, "metacheck: unknown option '%s'\n", argv[ai]);
            return 2;
        }
        ai++;
    }
    if (argc - ai != 2) {
        fprintf(stderr, "usage: metacheck [--verbose] [--min PCT] [--exclude "
                "FILE] [--field F] CORPUS_DIR MANIFEST.jsonl\n");
        return 2;
    }
    root = argv[ai];
    manifest = argv[ai + 1];
    if (exfile)
        load_excl(exfile);
    if (extract_init(NULL, &e)) {
        fprintf(stderr, "metacheck: %s\n", e.msg);
        return 2;
    }
    mf = fopen(manifest, "r");
    if (!mf) {
        fprintf(stderr, "metacheck: cannot open manifest '%s'\n", manifest);
        return 2;
    }
    while (getline(&line, &lcap, mf) > 0) {
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        const char *path, *sname;
        char full[8192];
        char *text;
        size_t len;
        struct recs rs = {0};
        struct source *sc = NULL;
        double t0;
        int rc;
        if (!j)
            continue;
        path = json_string_value(json_object_get(j, "path"));
        sname = json_string_value(json_object_get(j, "source"));
        if (!path || !sname) {
            json_decref(j);
            continue;
        }
        for (s = 0; s < nsrc; s++)
            if (strcmp(src[s].name, sname) == 0)
                sc = &src[s];
        if (!sc && nsrc < MAXSRC) {
            sc = &src[nsrc++];
            snprintf(sc->name, sizeof sc->name, "%s", sname);
        }
        snprintf(full, sizeof full, "%s/%s", root, path);
        text = read_file(full, &len);
        if (!text) {
            fprintf(stderr, "metacheck: cannot read '%s'\n", full);
            json_decref(j);
            rejected++;
            continue;
        }
        files++;
        bytes += len;
        sc->files++;
        t0 = now();
        rc = extract_file(path, text, len, &rs, &e);
        t_ext += now() - t0;
        if (rc) {
            rejected++;
            if (verbose)
                fprintf(stderr, "REJECT %s: %s\n", path, e.msg);
        }
        for (k = 0; k < NF; k++) {
            json_t *mv = json_object_get(j, fname[k]);
            char want[64], *w = NULL, *got = NULL;
            const char *why;
            int ok;
            if (only && strcmp(only, fname[k]) != 0)
                continue;
            if (!mv || json_is_null(mv))
                continue;
            if (json_is_integer(mv)) {
                snprintf(want, sizeof want, "%lld",
                         (long long)json_integer_value(mv));
                w = strdup(want);
            } else {
                w = trim(json_string_value(mv));
            }
            if (rc == 0 && rs.n > 0) {
                struct rec *r = &rs.v[0];
                const char *g = NULL;
                switch (k) {
                case F_TITLE: g = r->title; break;
                case F_UNIT: g = r->unit; break;
                case F_CATEGORY: g = r->category; break;
                case F_DATE: g = r->date; break;
                case F_DOCNO: g = r->docno; break;
                case F_LANG: g = r->lang; break;
                case F_YEAR:
                    if (r->year) {
                        snprintf(want, sizeof want, "%d", r->year);
                        g = want;
                    }
                    break;
                }
                got = trim(g);
            }
            why = excluded(path, fname[k]);
            if (why) {
                sc->f[k].excl++;
                tot[k].excl++;
                printf("EXCLUDED %s %s: %s\n", fname[k], path, why);
                free(w);
                free(got);
                continue;
            }
            ok = got && w && strcmp(got, w) == 0;
            sc->f[k].n++;
            tot[k].n++;
            if (ok) {
                sc->f[k].ok++;
                tot[k].ok++;
            }
            if (k == F_DOCNO && got && w) {
                char a[512], b[512];
                size_t la = docno_norm(got, strlen(got), a, sizeof a);
                size_t lb = docno_norm(w, strlen(w), b, sizeof b);
                if ((la && lb && la == lb && memcmp(a, b, la) == 0) || ok) {
                    sc->f[k].norm_ok++;
                    tot[k].norm_ok++;
                }
            }
            if (!ok && verbose && sc->f[k].shown < SHOW) {
                sc->f[k].shown++;
                printf("MISMATCH %s %s\n  want: %s\n  got:  %s\n", fname[k],
                       path, w ? w : "(null)", got ? got : "(null)");
            }
            free(w);
            free(got);
        }
        recs_release(&rs);
        free(text);
        json_decref(j);
    }
    free(line);
    fclose(mf);
    printf("\nper source (ok/n, field: percent)\n");
    for (s = 0; s < nsrc; s++) {
        printf("%-40s %5ld files", src[s].name, src[s].files);
        for (k = 0; k < NF; k++)
            if (src[s].f[k].n)
                printf("  %s %ld/%ld", fname[k], src[s].f[k].ok, src[s].f[k].n);
        printf("\n");
    }
    printf("\nper field\n");
    for (k = 0; k < NF; k++) {
        double pct = tot[k].n ? 100.0 * tot[k].ok / tot[k].n : 100.0;
        if (only && strcmp(only, fname[k]) != 0)
            continue;
        printf("FIELD %-9s %6.2f%% (%ld/%ld", fname[k], pct, tot[k].ok,
               tot[k].n);
        if (tot[k].excl)
            printf(", %ld excluded", tot[k].excl);
        if (k == F_DOCNO && tot[k].n)
            printf(", docno_norm-equal %.2f%%",
                   100.0 * tot[k].norm_ok / tot[k].n);
        printf(") %s\n", pct >= minpct ? "PASS" : "FAIL");
        if (pct < minpct)
            bad = 1;
    }
    printf("\n%zu files, %.1f MB, %zu rejected; extraction %.2f s, %.1f MB/s\n",
           files, bytes / 1e6, rejected, t_ext,
           t_ext > 0 ? bytes / 1e6 / t_ext : 0.0);
    return bad;
}
