/* walk.c - list the files under ROOT (see walk.h). */
#include "indexer/walk.h"
#include "indexer/enc.h"
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const exts[] = {
    ".html", ".htm", ".shtml", ".xhtml", ".xml", ".txt", ".text", ".md",
    ".markdown", ".json", ".jsonl", ".ndjson", ".csv", ".sql", NULL};

int walk_supported(const char *name)
{
    size_t n = strlen(name), i;
    if (n > 3 && !strcasecmp(name + n - 3, ".gz"))
        n -= 3;
    for (i = 0; exts[i]; i++) {
        size_t el = strlen(exts[i]);
        if (n > el && !strncasecmp(name + n - el, exts[i], el))
            return 1;
    }
    return 0;
}

/* Whether s[0, n) is UTF-8 (stops at a NUL). */
static int valid_utf8_n(const char *s, size_t n_)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n_;
    while (p < end && *p) {
        size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3
                 : (*p >> 3) == 30 ? 4 : 0, i;
        if (!n)
            return 0;
        if (n > (size_t)(end - p))
            return 0;
        for (i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

static int valid_utf8(const char *s)
{
    return valid_utf8_n(s, strlen(s));
}

/* Escape bytes that are not printable ASCII/UTF-8 so a message stays text. */
static void escape_name(const char *s, char *out, size_t cap)
{
    size_t o = 0, i;
    int raw = 1;
    for (i = 0; s[i] && o + 5 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (i == 0 || s[i - 1] == '/') /* a name not UTF-8: all bytes shown */
            raw = valid_utf8_n(s + i, strcspn(s + i, "/"));
        if (ch < 0x20 || (ch >= 0x80 && !raw))
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
        else
            out[o++] = (char)ch;
    }
    out[o] = 0;
}

static int add_msg(struct walk_list *l, const char *rel, const char *why)
{
    char **np = realloc(l->skipped_msgs, (l->nskipped_msgs + 1) * sizeof *np);
    char *m;
    if (!np)
        return -1;
    l->skipped_msgs = np;
    {
        char esc[2048];
        escape_name(rel, esc, sizeof esc);
        m = malloc(strlen(esc) + strlen(why) + 8);
        if (!m)
            return -1;
        if (why[0] == '\x01') /* a rejection: flagged by a leading '!' */
            sprintf(m, "!'%s': %s", esc, why + 1);
        else
            sprintf(m, "'%s': %s", esc, why);
    }
    l->skipped_msgs[l->nskipped_msgs++] = m;
    return 0;
}

static int add_file(struct walk_list *l, const char *rel, const char *abs,
                    const struct stat *st)
{
    struct walk_file *f;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 1024;
        void *np = realloc(l->v, nc * sizeof *l->v);
        if (!np)
            return -1;
        l->v = np;
        l->cap = nc;
    }
    f = &l->v[l->n];
    f->rel = strdup(rel);
    f->abs = strdup(abs);
    if (!f->rel || !f->abs) {
        free(f->rel);
        free(f->abs);
        return -1;
    }
    f->size = (long long)st->st_size;
    f->mtime = (long long)st->st_mtim.tv_sec;
    f->mtime_ns = st->st_mtim.tv_nsec;
    l->n++;
    return 0;
}

struct ctx {
    const char *root;
    size_t rootlen;
    struct stat skip;
    int have_skip;
    struct walk_list *l;
    int depth;
};

static int inside_root(const struct ctx *c, const char *real)
{
    return !strncmp(real, c->root, c->rootlen) &&
           (real[c->rootlen] == '/' || (c->rootlen == 1 && c->root[0] == '/'));
}

/* Why a name that is not UTF-8 is rejected, with what it reads as in the
 * legacy charset it is in (a share written by an older system in GBK or
 * Big5) when one reads it cleanly, so the operator can rename it. */
static void not_utf8_why(const char *name, int dir, char *why, size_t cap)
{
    struct enc_result r;
    struct err e = {0};
    const char *what = dir ? "the folder name" : "the file name";
    const char *lost = dir ? ", so nothing in the folder is indexed" : "";
    if (enc_to_utf8(name, strlen(name), NULL, &r, &e) == 0 && !r.replaced && r.len &&
        strcmp(r.charset, "UTF-8") != 0 && !strchr(r.text, '/')) {
        const char *from = !strcmp(r.charset, "GB18030") ? "gbk"
                         : !strncmp(r.charset, "BIG5", 4) ? "big5"
                         : !strcmp(r.charset, "WINDOWS-1252") ? "cp1252" : NULL;
        snprintf(why, cap, "\x01%s is not UTF-8%s; in %s it reads '%s': rename it "
                 "to that%s%s%s", what, lost, r.charset, r.text,
                 from ? " (convmv -r -f " : "", from ? from : "",
                 from ? " -t utf-8 --notest DIR renames a whole tree)" : "");
    } else {
        snprintf(why, cap, "\x01%s is not UTF-8%s (rename it)", what, lost);
    }
    enc_result_release(&r);
}

static int walk_dir(struct ctx *c, const char *abs, const char *rel)
{
    DIR *d = opendir(abs);
    struct dirent *de;
    if (!d)
        return add_msg(c->l, *rel ? rel : ".", strerror(errno));
    if (++c->depth > 64) {
        closedir(d);
        c->depth--;
        return add_msg(c->l, rel, "directories nested too deep");
    }
    while ((de = readdir(d))) {
        char a[PATH_MAX], r[PATH_MAX];
        struct stat st;
        if (de->d_name[0] == '.')   /* hidden files, ".", ".." */
            continue;
        if ((size_t)snprintf(a, sizeof a, "%s/%s", abs, de->d_name) >= sizeof a ||
            (size_t)snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "",
                             de->d_name) >= sizeof r) {
            add_msg(c->l, de->d_name, "path too long");
            continue;
        }
        if (lstat(a, &st) != 0) {
            add_msg(c->l, r, strerror(errno));
            continue;
        }
        if (!valid_utf8(de->d_name)) {
            /* an id must be text: the API and the page could not name it */
            char why[PATH_MAX + 300];
            not_utf8_why(de->d_name, S_ISDIR(st.st_mode), why, sizeof why);
            add_msg(c->l, r, why);
            c->l->nrejected++;
            continue;
        }
        if (c->have_skip && st.st_dev == c->skip.st_dev && st.st_ino == c->skip.st_ino)
            continue;           /* the index itself */
        if (S_ISDIR(st.st_mode)) {
            if (walk_dir(c, a, r) < 0) {
                closedir(d);
                return -1;
            }
        } else if (S_ISLNK(st.st_mode)) {
            char real[PATH_MAX];
            struct stat ts;
            if (!walk_supported(de->d_name))
                continue;
            if (!realpath(a, real) || stat(real, &ts) != 0) {
                add_msg(c->l, r, "broken symbolic link or link loop: not followed");
            } else if (!inside_root(c, real)) {
                add_msg(c->l, r, "symbolic link to a file outside ROOT: not followed");
            } else if (!S_ISREG(ts.st_mode)) {
                add_msg(c->l, r, "symbolic link to something other than a file: not followed");
            } else if (add_file(c->l, r, real, &ts) < 0) {
                closedir(d);
                return -1;
            }
        } else if (S_ISREG(st.st_mode)) {
            if (!walk_supported(de->d_name)) {
                c->l->nunsupported++;
                continue;
            }
            if (add_file(c->l, r, a, &st) < 0) {
                closedir(d);
                return -1;
            }
        }
    }
    closedir(d);
    c->depth--;
    return 0;
}

static int cmp_rel(const void *a, const void *b)
{
    return strcmp(((const struct walk_file *)a)->rel,
                  ((const struct walk_file *)b)->rel);
}

int walk_tree(const char *root, const char *skip, struct walk_list *out,
              struct err *e)
{
    struct ctx c;
    struct stat st;
    memset(out, 0, sizeof *out);
    memset(&c, 0, sizeof c);
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err_set(e, -1, "cannot read ROOT '%s': %s", root,
                errno ? strerror(errno) : "not a directory");
        return -1;
    }
    c.root = root;
    c.rootlen = strlen(root);
    c.l = out;
    if (skip && stat(skip, &c.skip) == 0)
        c.have_skip = 1;
    if (walk_dir(&c, root, "") < 0) {
        err_set(e, -1, "out of memory listing '%s'", root);
        return -1;
    }
    if (out->n) /* an empty tree has no array (qsort wants one) */
        qsort(out->v, out->n, sizeof *out->v, cmp_rel);
    return 0;
}

void walk_release(struct walk_list *l)
{
    size_t i;
    for (i = 0; i < l->n; i++) {
        free(l->v[i].rel);
        free(l->v[i].abs);
    }
    for (i = 0; i < l->nskipped_msgs; i++)
        free(l->skipped_msgs[i]);
    free(l->skipped_msgs);
    free(l->v);
    memset(l, 0, sizeof *l);
}
