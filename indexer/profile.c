/* profile.c - ingest profiles: the line format of profiles/NAME.conf (see
 * profiles/README.md), path-glob selection, and the [@units] table of
 * document-number prefixes -> issuing unit. Called by extract.c. */
#include "indexer/profile.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[PF_N] = {
    "title", "category", "date", "year", "docno", "url", "lang", "unit",
    "key", "text"
};

const char *profile_field_name(int id)
{
    return id >= 0 && id < PF_N ? field_names[id] : "?";
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
    void *p;
    size_t nc;
    if (n < *cap)
        return 0;
    nc = *cap ? *cap * 2 : 8;
    p = realloc(*v, nc * sz);
    if (!p)
        return -1;
    memset((char *)p + *cap * sz, 0, (nc - *cap) * sz);
    *v = p;
    *cap = nc;
    return 0;
}

#define RULE_WORDS 48 /* a rule's source and its operations' words */

/* Split a rule line into whitespace-separated words; "..." quotes a word
 * with spaces. Returns the count, or max + 1 (and no words) when there are
 * more than max: a rule is never cut short silently. */
static size_t split_words(const char *s, char **w, size_t max)
{
    size_t n = 0;
    for (;;) {
        const char *b;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (n == max) {
            while (n > 0)
                free(w[--n]);
            return max + 1;
        }
        if (*s == '"') {
            b = ++s;
            while (*s && *s != '"')
                s++;
            w[n++] = dupn(b, (size_t)(s - b));
            if (*s)
                s++;
        } else {
            b = s;
            while (*s && *s != ' ' && *s != '\t')
                s++;
            w[n++] = dupn(b, (size_t)(s - b));
        }
    }
    return n;
}

static int parse_rule(struct prule *r, const char *v)
{
    char *w[RULE_WORDS];
    size_t n, i;
    memset(r, 0, sizeof *r);
    if (strncmp(v, "value:", 6) == 0) {
        r->kind = PR_VALUE;
        r->arg = strdup(v + 6);
        return r->arg ? 0 : -1;
    }
    n = split_words(v, w, RULE_WORDS);
    if (n == 0 || n > RULE_WORDS)
        return -1;
    if (strncmp(w[0], "xpath:", 6) == 0) {
        r->kind = PR_XPATH;
        r->arg = strdup(w[0] + 6);
    } else if (w[0][0] == '/' || w[0][0] == '(' || strncmp(w[0], "name(", 5) == 0
               || strncmp(w[0], "string(", 7) == 0) {
        r->kind = PR_XPATH;
        r->arg = strdup(w[0]);
    } else if (strncmp(w[0], "key:", 4) == 0 || strncmp(w[0], "col:", 4) == 0) {
        r->kind = PR_KEY;
        r->arg = strdup(w[0] + 4);
    } else if (strncmp(w[0], "meta:", 5) == 0) {
        r->kind = PR_META;
        r->arg = strdup(w[0] + 5);
    } else if (strncmp(w[0], "info:", 5) == 0) {
        r->kind = PR_INFO;
        r->arg = strdup(w[0] + 5);
    } else if (strncmp(w[0], "path:", 5) == 0) {
        r->kind = PR_PATH;
        r->arg = strdup(w[0] + 5);
    } else if (strncmp(w[0], "field:", 6) == 0) {
        r->kind = PR_FIELD;
        r->arg = strdup(w[0] + 6);
    } else if (strncmp(w[0], "line:", 5) == 0 && w[0][5]) {
        char *q;
        r->kind = PR_LINE;
        r->arg = strdup(w[0] + 5);
        for (q = r->arg; q && *q; q++) /* matched ignoring ASCII case */
            if (*q >= 'A' && *q <= 'Z')
                *q = (char)(*q + 32);
    } else {
        for (i = 0; i < n; i++)
            free(w[i]);
        return -1;
    }
    free(w[0]);
    if (n > 1) {
        r->ops = malloc((n - 1) * sizeof *r->ops);
        if (!r->ops)
            return -1;
        for (i = 1; i < n; i++)
            r->ops[i - 1] = w[i];
        r->nops = n - 1;
    }
    return r->arg ? 0 : -1;
}

static void rule_release(struct prule *r)
{
    size_t i;
    free(r->arg);
    for (i = 0; i < r->nops; i++)
        free(r->ops[i]);
    free(r->ops);
}

static void profile_release(struct profile *p)
{
    size_t i, k;
    free(p->name);
    for (i = 0; i < p->nmatch; i++)
        free(p->match[i]);
    free(p->match);
    for (i = 0; i < p->nroot; i++)
        free(p->root[i]);
    free(p->root);
    for (i = 0; i < p->nkeys; i++)
        free(p->keys[i]);
    free(p->keys);
    free(p->format);
    free(p->records);
    for (k = 0; k < PF_N; k++) {
        for (i = 0; i < p->f[k].nr; i++)
            rule_release(&p->f[k].r[i]);
        free(p->f[k].r);
        for (i = 0; i < p->f[k].nm; i++) {
            free(p->f[k].m[i].pat);
            free(p->f[k].m[i].val);
        }
        free(p->f[k].m);
    }
}

void profset_release(struct profset *ps)
{
    size_t i;
    for (i = 0; i < ps->n; i++)
        profile_release(&ps->v[i]);
    free(ps->v);
    for (i = 0; i < ps->nu; i++) {
        free(ps->u[i].prefix);
        free(ps->u[i].unit);
    }
    free(ps->u);
    memset(ps, 0, sizeof *ps);
}

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return dupn(s, n);
}

static int field_id(const char *name)
{
    int i;
    for (i = 0; i < PF_N; i++)
        if (strcmp(name, field_names[i]) == 0)
            return i;
    return -1;
}

/* Append the words of v (space-separated) to *list; -1 when out of memory. */
static int add_words(char ***list, size_t *n, char *v)
{
    char *w, *sv = NULL;
    for (w = strtok_r(v, " \t", &sv); w; w = strtok_r(NULL, " \t", &sv)) {
        char **nl = realloc(*list, (*n + 1) * sizeof **list);
        if (!nl)
            return -1;
        *list = nl;
        if (!(nl[*n] = strdup(w)))
            return -1;
        (*n)++;
    }
    return 0;
}

int profile_parse(struct profset *ps, const char *name, const char *text,
                  size_t len, struct err *e)
{
    const char *p = text, *end = text + len;
    struct profile *cur = NULL;
    int units = 0, lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *eq;
        char *k = NULL, *v = NULL;
        lineno++;
        while (p < le && (*p == ' ' || *p == '\t'))
            p++;
        if (p == le || *p == '#' || *p == '\r')
            goto next;
        if (*p == '[') {
            const char *rb = memchr(p, ']', (size_t)(le - p));
            if (!rb) {
                err_set(e, -1, "profile: bad section in '%s' line %d", name,
                        lineno);
                return -1;
            }
            if ((size_t)(rb - p) == 7 && memcmp(p, "[@units", 7) == 0) {
                units = 1;
                cur = NULL;
                goto next;
            }
            units = 0;
            if (grow((void **)&ps->v, &ps->cap, ps->n, sizeof *ps->v))
                goto oom;
            cur = &ps->v[ps->n++];
            memset(cur, 0, sizeof *cur);
            cur->name = dupn(p + 1, (size_t)(rb - p - 1));
            goto next;
        }
        eq = memchr(p, '=', (size_t)(le - p));
        if (!eq) {
            err_set(e, -1, "profile: expected 'name = value' in '%s' line %d",
                    name, lineno);
            return -1;
        }
        if (units) {
            /* prefix = unit; a "=>" is not used here */
            if (grow((void **)&ps->u, &ps->ucap, ps->nu, sizeof *ps->u))
                goto oom;
            ps->u[ps->nu].prefix = trim_dup(p, (size_t)(eq - p));
            ps->u[ps->nu].unit = trim_dup(eq + 1, (size_t)(le - eq - 1));
            ps->nu++;
            goto next;
        }
        if (!cur) {
            err_set(e, -1, "profile: setting outside a section in '%s' line %d",
                    name, lineno);
            return -1;
        }
        k = trim_dup(p, (size_t)(eq - p));
        v = trim_dup(eq + 1, (size_t)(le - eq - 1));
        if (!k || !v)
            goto oom;
        if (strcmp(k, "match") == 0) {
            char **nmv = realloc(cur->match,
                                 (cur->nmatch + 1) * sizeof *cur->match);
            if (!nmv)
                goto oom;
            cur->match = nmv;
            cur->match[cur->nmatch++] = v;
            v = NULL;
        } else if (strcmp(k, "root") == 0) {
            if (add_words(&cur->root, &cur->nroot, v))
                goto oom;
        } else if (strcmp(k, "keys") == 0) {
            if (add_words(&cur->keys, &cur->nkeys, v))
                goto oom;
        } else if (strcmp(k, "format") == 0) {
            free(cur->format);
            cur->format = v;
            v = NULL;
        } else if (strcmp(k, "records") == 0) {
            free(cur->records);
            cur->records = v;
            v = NULL;
        } else {
            size_t kl = strlen(k);
            int ismap = kl > 4 && strcmp(k + kl - 4, ".map") == 0;
            int fid;
            if (ismap)
                k[kl - 4] = 0;
            fid = field_id(k);
            if (fid < 0) {
                err_set(e, -1, "profile: unknown setting '%s' in '%s' line %d",
                        k, name, lineno);
                free(k);
                free(v);
                return -1;
            }
            if (ismap) {
                struct pfield *f = &cur->f[fid];
                char *arrow = strstr(v, "=>");
                struct pmap *nm;
                if (!arrow) {
                    err_set(e, -1, "profile: map needs 'glob => value' in "
                            "'%s' line %d", name, lineno);
                    free(k);
                    free(v);
                    return -1;
                }
                nm = realloc(f->m, (f->nm + 1) * sizeof *f->m);
                if (!nm)
                    goto oom;
                f->m = nm;
                f->m[f->nm].pat = trim_dup(v, (size_t)(arrow - v));
                f->m[f->nm].val = trim_dup(arrow + 2, strlen(arrow + 2));
                f->nm++;
            } else {
                struct pfield *f = &cur->f[fid];
                struct prule *nr = realloc(f->r, (f->nr + 1) * sizeof *f->r);
                if (!nr)
                    goto oom;
                f->r = nr;
                if (parse_rule(&f->r[f->nr], v)) {
                    rule_release(&f->r[f->nr]);
                    err_set(e, -1, "profile: '%s' line %d: bad rule (an unknown "
                            "source, or more than %d words): %s", name, lineno,
                            RULE_WORDS, v);
                    free(k);
                    free(v);
                    return -1;
                }
                f->nr++;
            }
        }
        free(k);
        free(v);
next:
        p = nl ? nl + 1 : end;
    }
    return 0;
oom:
    err_set(e, -1, "profile: out of memory reading '%s'", name);
    return -1;
}

/* Glob match of pat against s (both NUL-terminated). Iterative with one
 * backtrack point per star kind, so linear-ish on our short paths. */
static int glob_at(const char *p, const char *s, int slash)
{
    while (*p) {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            for (;;) {
                if (glob_at(p, s, slash))
                    return 1;
                if (!*s)
                    return 0;
                s++;
            }
        }
        if (*p == '*') {
            p++;
            for (;;) {
                if (glob_at(p, s, slash))
                    return 1;
                if (!*s || (slash && *s == '/'))
                    return 0;
                s++;
            }
        }
        if (!*s)
            return 0;
        if (*p == '?') {
            if (slash && *s == '/')
                return 0;
        } else if (*p != *s) {
            return 0;
        }
        p++;
        s++;
    }
    return *s == 0;
}

int profile_glob(const char *pat, const char *s)
{
    const char *q;
    if (pat[0] == '/')
        return glob_at(pat + 1, s[0] == '/' ? s + 1 : s, 1);
    if (glob_at(pat, s, 1))
        return 1;
    for (q = s; *q; q++)
        if (*q == '/' && glob_at(pat, q + 1, 1))
            return 1;
    return 0;
}

int profile_glob_value(const char *pat, const char *s)
{
    return glob_at(pat, s, 0);
}

/* Does the parsed file match the profile's root or keys entries? */
static int probe_hit(const struct profile *p, const struct pprobe *pr)
{
    size_t j;
    if (!pr)
        return 0;
    for (j = 0; pr->root_is && j < p->nroot; j++)
        if (pr->root_is(pr->doc, p->root[j]))
            return 1;
    if (!pr->has_key || !p->nkeys)
        return 0;
    for (j = 0; j < p->nkeys; j++)
        if (!pr->has_key(pr->rec, p->keys[j]))
            return 0;
    return 1;
}

void profile_select(const struct profset *ps, const char *relpath,
                    const struct pprobe *probe, const struct pfield *out[PF_N],
                    const char **format, const char **records)
{
    size_t i, j;
    int k;
    for (k = 0; k < PF_N; k++)
        out[k] = NULL;
    *format = NULL;
    *records = NULL;
    if (!ps)
        return;
    for (i = 0; i < ps->n; i++) {
        const struct profile *p = &ps->v[i];
        int hit = 0;
        for (j = 0; j < p->nmatch && !hit; j++)
            hit = profile_glob(p->match[j], relpath);
        if (!hit)
            hit = probe_hit(p, probe);
        if (!hit)
            continue;
        for (k = 0; k < PF_N; k++)
            if (p->f[k].nr || p->f[k].nm)
                out[k] = &p->f[k];
        if (p->format)
            *format = p->format;
        if (p->records)
            *records = p->records;
    }
}

const char *profile_unit_alias(const struct profset *ps, const char *docno)
{
    size_t i, best = 0;
    const char *u = NULL;
    if (!ps || !docno)
        return NULL;
    for (i = 0; i < ps->nu; i++) {
        size_t l = strlen(ps->u[i].prefix);
        if (l > best && strncmp(docno, ps->u[i].prefix, l) == 0) {
            /* the prefix must end the organ abbreviation: next is a
               bracket, a digit, 字 or 第, or the string ends */
            const unsigned char *n = (const unsigned char *)docno + l;
            if (*n == 0 || *n == '[' || *n == '(' || (*n >= '0' && *n <= '9')
                || *n >= 0xe0 || *n == ' ') {
                best = l;
                u = ps->u[i].unit;
            }
        }
    }
    return u;
}
