/* recfmt.c - record formats of the extraction layer: CSV (RFC 4180, header
 * row), SQL INSERT dumps (column list + value tuples), JSON / JSON Lines
 * (jansson), Markdown with YAML front matter; plus the xsrc/xstr helpers.
 * Each reader is one linear pass. Called by extract.c. */
#define _GNU_SOURCE /* memmem */
#include "indexer/xsrc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>

/* ---- xsrc / xstr helpers -------------------------------------------- */

void xsrc_init(struct xsrc *s)
{
    memset(s, 0, sizeof *s);
    buf_init(&s->text, XSRC_TEXT_MAX);
}

void xsrc_release(struct xsrc *s)
{
    size_t i;
    for (i = 0; i < s->nkv; i++) {
        free(s->kv[i].name);
        free(s->kv[i].val);
    }
    free(s->kv);
    buf_release(&s->text);
    free(s->key);
    free(s->md_title);
    memset(s, 0, sizeof *s);
}

int xsrc_add(struct xsrc *s, int kind, const char *name, const char *val,
             size_t n)
{
    struct xkv *kv;
    if (s->nkv == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        kv = realloc(s->kv, nc * sizeof *kv);
        if (!kv)
            return -1;
        s->kv = kv;
        s->cap = nc;
    }
    kv = &s->kv[s->nkv];
    kv->kind = kind;
    kv->name = strdup(name);
    kv->val = malloc(n + 1);
    if (!kv->name || !kv->val) {
        free(kv->name);
        free(kv->val);
        return -1;
    }
    memcpy(kv->val, val, n);
    kv->val[n] = 0;
    s->nkv++;
    return 0;
}

const char *xsrc_get(const struct xsrc *s, int kind, const char *name)
{
    size_t i;
    for (i = 0; i < s->nkv; i++)
        if (s->kv[i].kind == kind && s->kv[i].val[0]
            && strcasecmp(s->kv[i].name, name) == 0)
            return s->kv[i].val;
    return NULL;
}

size_t xstr_nchars(const char *p, size_t n)
{
    size_t c = 0, i;
    for (i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xc0) != 0x80)
            c++;
    return c;
}

size_t xstr_space(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r'
                   || s[0] == '\n' || s[0] == '\f' || s[0] == '\v'))
        return 1;
    if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
        return 2;
    if (n >= 3 && s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        return 3; /* BOM / zero-width no-break space */
    return 0;
}

char *xstr_trim(const char *s, size_t n)
{
    const unsigned char *b = (const unsigned char *)s, *e = b + n;
    char *r;
    size_t k;
    while (b < e && (k = xstr_space(b, (size_t)(e - b))) > 0)
        b += k;
    while (e > b) {
        if (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')
            e--;
        else if (e - b >= 2 && e[-2] == 0xc2 && e[-1] == 0xa0)
            e -= 2;
        else if (e - b >= 3 && e[-3] == 0xe3 && e[-2] == 0x80 && e[-1] == 0x80)
            e -= 3;
        else
            break;
    }
    if (e == b)
        return NULL;
    r = malloc((size_t)(e - b) + 1);
    if (!r)
        return NULL;
    memcpy(r, b, (size_t)(e - b));
    r[e - b] = 0;
    return r;
}

char *xstr_clean(const char *s, size_t n)
{
    char *t = xstr_trim(s, n), *o;
    const unsigned char *p;
    size_t k, len;
    int sp = 0;
    if (!t)
        return NULL;
    len = strlen(t);
    p = (const unsigned char *)t;
    o = t;
    while ((size_t)((const char *)p - t) < len) {
        k = xstr_space(p, len - (size_t)((const char *)p - t));
        if (k) {
            p += k;
            sp = 1;
            continue;
        }
        if (sp)
            *o++ = ' ';
        sp = 0;
        *o++ = (char)*p++;
    }
    *o = 0;
    return t;
}

int xstr_is_html(const char *s, size_t n)
{
    size_t i, tags = 0;
    if (n > 4096)
        n = 4096;
    for (i = 0; i + 3 < n; i++)
        if (s[i] == '<' && (s[i + 1] == '/' || (s[i + 1] >= 'a' && s[i + 1] <= 'z')
                            || (s[i + 1] >= 'A' && s[i + 1] <= 'Z')
                            || s[i + 1] == '!'))
            if (++tags >= 2)
                return 1;
    return 0;
}

struct xsrc *xsrcs_push(struct xsrcs *a)
{
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 4;
        struct xsrc *v = realloc(a->v, nc * sizeof *v);
        if (!v)
            return NULL;
        a->v = v;
        a->cap = nc;
    }
    xsrc_init(&a->v[a->n]);
    return &a->v[a->n++];
}

void xsrcs_release(struct xsrcs *a)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        xsrc_release(&a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

/* Columns holding the body, and columns holding HTML to parse. */
static int is_text_name(const char *name)
{
    static const char *const names[] = {
        "content", "text", "body", "full_text", "fulltext", "内容", "正文",
        "htmlcontent", "article", "html", NULL
    };
    int i;
    for (i = 0; names[i]; i++)
        if (strcasecmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* After all columns of a record are in: the body text from the first text
 * column (HTML parsed), and info-table fields from every HTML column. */
void xsrc_body_from_keys(struct xsrc *src)
{
    size_t i;
    int have = 0;
    for (i = 0; i < src->nkv; i++) {
        struct xkv *kv = &src->kv[i];
        size_t n;
        if (kv->kind != XK_KEY || !is_text_name(kv->name))
            continue;
        n = strlen(kv->val);
        if (xstr_is_html(kv->val, n)) {
            struct buf tmp;
            buf_init(&tmp, XSRC_TEXT_MAX);
            markup_html_text(kv->val, n, have ? &tmp : &src->text, src);
            buf_release(&tmp);
            if (src->text.len)
                have = 1;
        } else if (!have && n) {
            buf_add(&src->text, kv->val, n);
            have = 1;
        }
    }
}

/* ---- CSV ---------------------------------------------------------------- */

struct csvrow {
    char **f;
    size_t n, cap;
};

static void row_free(struct csvrow *r)
{
    size_t i;
    for (i = 0; i < r->n; i++)
        free(r->f[i]);
    free(r->f);
    memset(r, 0, sizeof *r);
}

static int row_add(struct csvrow *r, const char *s, size_t n)
{
    char *v;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        char **f = realloc(r->f, nc * sizeof *f);
        if (!f)
            return -1;
        r->f = f;
        r->cap = nc;
    }
    v = malloc(n + 1);
    if (!v)
        return -1;
    memcpy(v, s, n);
    v[n] = 0;
    r->f[r->n++] = v;
    return 0;
}

/* Parse one record at *pos; 1 when a row was read, 0 at the end. */
static int csv_row(const char *s, size_t n, size_t *pos, struct csvrow *r,
                   struct buf *tmp)
{
    size_t i = *pos;
    if (i >= n)
        return 0;
    for (;;) {
        buf_reset(tmp);
        if (i < n && s[i] == '"') {
            i++;
            for (;;) {
                const char *q = memchr(s + i, '"', n - i);
                if (!q) {
                    buf_add(tmp, s + i, n - i);
                    i = n;
                    break;
                }
                buf_add(tmp, s + i, (size_t)(q - (s + i)));
                i = (size_t)(q - s) + 1;
                if (i < n && s[i] == '"') {
                    buf_addc(tmp, '"');
                    i++;
                    continue;
                }
                break;
            }
            /* anything up to the separator after the closing quote */
            while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                buf_addc(tmp, s[i++]);
        } else {
            size_t b = i;
            while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
                i++;
            buf_add(tmp, s + b, i - b);
        }
        if (row_add(r, tmp->p ? tmp->p : "", tmp->len))
            return -1;
        if (i < n && s[i] == ',') {
            i++;
            continue;
        }
        if (i < n && s[i] == '\r')
            i++;
        if (i < n && s[i] == '\n')
            i++;
        break;
    }
    *pos = i;
    return 1;
}

int recfmt_csv(const char *s, size_t n, struct xsrcs *out, char *msg,
               size_t cap)
{
    struct csvrow hdr = {0}, row = {0};
    struct buf tmp;
    size_t pos = 0, nrow = 0, first = out->n, i;
    int rc;
    buf_init(&tmp, 0);
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        pos = 3;
    rc = csv_row(s, n, &pos, &hdr, &tmp);
    if (rc <= 0 || hdr.n == 0) {
        snprintf(msg, cap, "csv: no header row");
        buf_release(&tmp);
        row_free(&hdr);
        return -1;
    }
    for (i = 0; i < hdr.n; i++) {
        char *t = xstr_trim(hdr.f[i], strlen(hdr.f[i]));
        free(hdr.f[i]);
        hdr.f[i] = t ? t : strdup("");
    }
    while ((rc = csv_row(s, n, &pos, &row, &tmp)) > 0) {
        struct xsrc *src;
        char num[32];
        if (row.n == 1 && row.f[0][0] == 0) { /* blank line */
            row_free(&row);
            continue;
        }
        src = xsrcs_push(out);
        if (!src)
            break;
        nrow++;
        for (i = 0; i < row.n && i < hdr.n; i++)
            if (hdr.f[i] && hdr.f[i][0])
                xsrc_add(src, XK_KEY, hdr.f[i], row.f[i], strlen(row.f[i]));
        snprintf(num, sizeof num, "%zu", nrow);
        src->key = strdup(num);
        xsrc_body_from_keys(src);
        row_free(&row);
    }
    row_free(&row);
    row_free(&hdr);
    buf_release(&tmp);
    if (nrow == 1) {
        free(out->v[first].key);
        out->v[first].key = NULL;
    }
    if (nrow == 0) {
        snprintf(msg, cap, "csv: header but no data row");
        return -1;
    }
    return 0;
}

/* ---- SQL INSERT ------------------------------------------------------- */

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'
                         || s[i] == '\r'))
            i++;
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            const char *nl = memchr(s + i, '\n', n - i);
            i = nl ? (size_t)(nl - s) + 1 : n;
            continue;
        }
        if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
            const char *e = NULL;
            size_t j;
            for (j = i + 2; j + 1 < n; j++)
                if (s[j] == '*' && s[j + 1] == '/') {
                    e = s + j;
                    break;
                }
            i = e ? (size_t)(e - s) + 2 : n;
            continue;
        }
        return i;
    }
}

/* Find the next "insert" keyword (case-insensitive) at or after i. */
static size_t find_insert(const char *s, size_t n, size_t i)
{
    for (; i + 6 <= n; i++)
        if ((s[i] | 0x20) == 'i' && strncasecmp(s + i, "insert", 6) == 0
            && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n'
                || s[i - 1] == '\r' || s[i - 1] == '\t' || s[i - 1] == ';'))
            return i;
    return n;
}

/* Parse one SQL value at *pi into tmp; *isnull set. 0 or -1. */
static int sql_value(const char *s, size_t n, size_t *pi, struct buf *tmp,
                     int *isnull)
{
    size_t i = *pi;
    buf_reset(tmp);
    *isnull = 0;
    if (i < n && (s[i] == '\'' || s[i] == '"')) {
        char qc = s[i++];
        for (;;) {
            size_t b = i;
            while (i < n && s[i] != qc && s[i] != '\\')
                i++;
            buf_add(tmp, s + b, i - b);
            if (i >= n)
                return -1;
            if (s[i] == '\\') {
                char c = i + 1 < n ? s[i + 1] : 0;
                switch (c) {
                case 'n': buf_addc(tmp, '\n'); break;
                case 'r': buf_addc(tmp, '\r'); break;
                case 't': buf_addc(tmp, '\t'); break;
                case '0': break;
                case 'Z': break;
                default: buf_addc(tmp, c); break;
                }
                i += 2;
                continue;
            }
            if (i + 1 < n && s[i + 1] == qc) { /* '' */
                buf_addc(tmp, qc);
                i += 2;
                continue;
            }
            i++;
            break;
        }
    } else {
        size_t b = i;
        while (i < n && s[i] != ',' && s[i] != ')' && s[i] != ' '
               && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            i++;
        if (i == b)
            return -1;
        if (i - b == 4 && strncasecmp(s + b, "null", 4) == 0)
            *isnull = 1;
        else
            buf_add(tmp, s + b, i - b);
    }
    *pi = i;
    return 0;
}

int recfmt_sql(const char *s, size_t n, struct xsrcs *out, char *msg,
               size_t cap)
{
    size_t i = 0, first = out->n, nrec = 0;
    struct csvrow cols = {0};
    struct buf tmp;
    buf_init(&tmp, 0);
    msg[0] = 0;
    while ((i = find_insert(s, n, i)) < n) {
        size_t j = i + 6;
        row_free(&cols);
        j = skip_ws(s, n, j);
        if (j + 4 <= n && strncasecmp(s + j, "into", 4) == 0)
            j = skip_ws(s, n, j + 4);
        while (j < n && s[j] != '(' && s[j] != ' ' && s[j] != '\n')
            j++; /* table name */
        j = skip_ws(s, n, j);
        if (j >= n || s[j] != '(') {
            snprintf(msg, cap, "sql: INSERT without a column list");
            i = j;
            continue;
        }
        j++;
        /* column list */
        for (;;) {
            size_t b;
            j = skip_ws(s, n, j);
            if (j < n && (s[j] == '`' || s[j] == '"' || s[j] == '['))
                j++;
            b = j;
            while (j < n && s[j] != ',' && s[j] != ')' && s[j] != '`'
                   && s[j] != '"' && s[j] != ']' && s[j] != ' ')
                j++;
            row_add(&cols, s + b, j - b);
            while (j < n && s[j] != ',' && s[j] != ')')
                j++;
            if (j >= n || s[j] == ')')
                break;
            j++;
        }
        j = skip_ws(s, n, j + 1);
        if (j + 6 > n || strncasecmp(s + j, "values", 6) != 0) {
            snprintf(msg, cap, "sql: INSERT without VALUES");
            i = j;
            continue;
        }
        j = skip_ws(s, n, j + 6);
        /* one or more tuples */
        while (j < n && s[j] == '(') {
            struct xsrc *src = xsrcs_push(out);
            size_t c = 0;
            if (!src)
                break;
            nrec++;
            j++;
            for (;;) {
                int isnull;
                j = skip_ws(s, n, j);
                if (sql_value(s, n, &j, &tmp, &isnull)) {
                    snprintf(msg, cap, "sql: bad value %zu in tuple %zu",
                             c + 1, nrec);
                    j = n;
                    break;
                }
                if (!isnull && c < cols.n)
                    xsrc_add(src, XK_KEY, cols.f[c], tmp.p ? tmp.p : "",
                             tmp.len);
                c++;
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',') {
                    j++;
                    continue;
                }
                if (j < n && s[j] == ')')
                    j++;
                break;
            }
            xsrc_body_from_keys(src);
            {
                const char *id = xsrc_get(src, XK_KEY, "id");
                char num[32];
                snprintf(num, sizeof num, "%zu", nrec);
                src->key = strdup(id ? id : num);
            }
            j = skip_ws(s, n, j);
            if (j < n && s[j] == ',')
                j = skip_ws(s, n, j + 1);
        }
        i = j;
    }
    row_free(&cols);
    buf_release(&tmp);
    if (nrec == 1) {
        free(out->v[first].key);
        out->v[first].key = NULL;
    }
    if (nrec == 0) {
        if (!msg[0])
            snprintf(msg, cap, "sql: no INSERT statement");
        return -1;
    }
    return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static void json_fields(json_t *o, struct xsrc *src)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        char num[64];
        if (json_is_string(v))
            xsrc_add(src, XK_KEY, k, json_string_value(v),
                     json_string_length(v));
        else if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            xsrc_add(src, XK_KEY, k, num, strlen(num));
        } else if (json_is_real(v)) {
            snprintf(num, sizeof num, "%g", json_real_value(v));
            xsrc_add(src, XK_KEY, k, num, strlen(num));
        } else if (json_is_boolean(v)) {
            xsrc_add(src, XK_KEY, k, json_is_true(v) ? "true" : "false",
                     json_is_true(v) ? 4 : 5);
        }
    }
    xsrc_body_from_keys(src);
    if (!src->text.len) {
        /* no body key: every string value, one per line */
        json_object_foreach(o, k, v) {
            if (json_is_string(v) && json_string_length(v) > 0) {
                buf_add(&src->text, json_string_value(v),
                        json_string_length(v));
                buf_addc(&src->text, '\n');
            }
        }
    }
}

static void json_key(struct xsrc *src, size_t num)
{
    static const char *const ids[] = {
        "id", "_id", "key", "MetaId", "eo_id", "uuid", NULL
    };
    const char *id = NULL;
    char b[32];
    int i;
    for (i = 0; ids[i] && !id; i++)
        id = xsrc_get(src, XK_KEY, ids[i]);
    snprintf(b, sizeof b, "%zu", num);
    src->key = strdup(id ? id : b);
}

int recfmt_json(const char *s, size_t n, int lines, struct xsrcs *out,
                char *msg, size_t cap)
{
    json_error_t je;
    size_t first = out->n, nrec = 0;
    if (!lines) {
        json_t *j = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
        size_t i;
        if (!j) {
            snprintf(msg, cap, "json: line %d: %s", je.line, je.text);
            return -1;
        }
        if (json_is_object(j)) {
            struct xsrc *src = xsrcs_push(out);
            if (src)
                json_fields(j, src);
            nrec = 1;
        } else if (json_is_array(j)) {
            for (i = 0; i < json_array_size(j); i++) {
                json_t *o = json_array_get(j, i);
                struct xsrc *src;
                if (!json_is_object(o))
                    continue;
                src = xsrcs_push(out);
                if (!src)
                    break;
                json_fields(o, src);
                json_key(src, ++nrec);
            }
        }
        json_decref(j);
        if (nrec == 0) {
            snprintf(msg, cap, "json: no object");
            return -1;
        }
        if (nrec == 1 && out->v[first].key) {
            free(out->v[first].key);
            out->v[first].key = NULL;
        }
        return 0;
    }
    {
        size_t i = 0, lineno = 0, bad = 0, nonempty = 0, badline = 0;
        char why[160] = ""; /* the first bad line's problem */
        while (i < n) {
            const char *nl = memchr(s + i, '\n', n - i);
            size_t e = nl ? (size_t)(nl - s) : n;
            json_t *j;
            lineno++;
            if (e > i + 1 || (e > i && s[i] != '\r')) {
                nonempty++;
                j = json_loadb(s + i, e - i, JSON_ALLOW_NUL, &je);
                if (j && json_is_object(j)) {
                    struct xsrc *src = xsrcs_push(out);
                    if (src) {
                        json_fields(j, src);
                        nrec++;
                        /* JSON Lines: key by own id or line number */
                        {
                            const char *id = NULL;
                            char b[32];
                            static const char *const ids[] = {
                                "id", "_id", "key", "MetaId", "eo_id", NULL
                            };
                            int k;
                            for (k = 0; ids[k] && !id; k++)
                                id = xsrc_get(src, XK_KEY, ids[k]);
                            snprintf(b, sizeof b, "%zu", nrec);
                            src->key = strdup(id ? id : b);
                        }
                    }
                } else { /* not JSON, or a value that is no record */
                    if (!bad) {
                        badline = lineno;
                        snprintf(why, sizeof why, "%s",
                                 j ? "a JSON value that is not an object" : je.text);
                    }
                    bad++;
                }
                json_decref(j);
            }
            i = e + 1;
        }
        if (nrec == 0) {
            if (bad)
                snprintf(msg, cap, "json: line %zu: %s", badline, why);
            else
                snprintf(msg, cap, "json: no record");
            return -1;
        }
        /* the records of the good lines stand; msg tells what was not
         * read (extract_file passes it on as a warning) */
        if (bad)
            snprintf(msg, cap, "json: %zu of its %zu lines %s (line %zu: %s); "
                     "the other records are indexed", bad, nonempty,
                     bad == 1 ? "is not a JSON object" : "are not JSON objects",
                     badline, why);
    }
    return 0;
}

/* ---- Markdown + YAML front matter ---------------------------------- */

static size_t line_end(const char *s, size_t n, size_t i)
{
    const char *nl = memchr(s + i, '\n', n - i);
    return nl ? (size_t)(nl - s) : n;
}

/* Unquote a YAML scalar into tmp. */
static void yaml_scalar(const char *v, size_t n, struct buf *tmp)
{
    buf_reset(tmp);
    if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
        size_t i;
        for (i = 1; i + 1 < n; i++) {
            buf_addc(tmp, v[i]);
            if (v[i] == '\'' && v[i + 1] == '\'')
                i++;
        }
        return;
    }
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        size_t i;
        for (i = 1; i + 1 < n; i++) {
            if (v[i] == '\\' && i + 2 < n) {
                i++;
                buf_addc(tmp, v[i] == 'n' ? '\n' : v[i] == 't' ? '\t' : v[i]);
            } else {
                buf_addc(tmp, v[i]);
            }
        }
        return;
    }
    if ((n == 4 && memcmp(v, "null", 4) == 0) || (n == 1 && v[0] == '~')
        || (n == 2 && memcmp(v, "[]", 2) == 0)
        || (n == 2 && memcmp(v, "{}", 2) == 0))
        return;
    buf_add(tmp, v, n);
}

static void fm_flush(struct xsrc *src, const char *key, struct buf *val,
                     int block, struct buf *tmp)
{
    char *t = xstr_trim(val->p ? val->p : "", val->len);
    if (t) {
        if (block) {
            buf_reset(tmp);
            buf_adds(tmp, t);
        } else {
            yaml_scalar(t, strlen(t), tmp);
        }
        if (tmp->len)
            xsrc_add(src, XK_KEY, key, tmp->p, tmp->len);
    }
    free(t);
}

/* Top-level "key: value" pairs; indented lines continue the value (folded
 * with a space, or kept as lines after '|'); list items are skipped. */
static void front_matter(const char *s, size_t n, struct xsrc *src)
{
    size_t i = 0;
    struct buf val, tmp;
    char key[128];
    int have = 0, block = 0;
    buf_init(&val, 1 << 20);
    buf_init(&tmp, 1 << 20);
    while (i < n) {
        size_t e = line_end(s, n, i), le = e;
        const char *l = s + i;
        if (le > i && s[le - 1] == '\r')
            le--;
        if (le > i && (s[i] == ' ' || s[i] == '\t' || s[i] == '-')) {
            char *t = have ? xstr_trim(l, le - i) : NULL;
            if (t && t[0] != '-') {
                if (val.len)
                    buf_addc(&val, block == '|' ? '\n' : ' ');
                buf_adds(&val, t);
            }
            free(t);
        } else if (le > i && l[0] != '#') {
            const char *colon = memchr(l, ':', le - i);
            if (have)
                fm_flush(src, key, &val, block, &tmp);
            have = 0;
            if (colon && (size_t)(colon - l) < sizeof key) {
                const char *v = colon + 1;
                memcpy(key, l, (size_t)(colon - l));
                key[colon - l] = 0;
                buf_reset(&val);
                while (v < s + le && (*v == ' ' || *v == '\t'))
                    v++;
                block = 0;
                if (v < s + le && (*v == '|' || *v == '>'))
                    block = *v;
                else
                    buf_add(&val, v, (size_t)(s + le - v));
                have = 1;
            }
        }
        i = e + 1;
    }
    if (have)
        fm_flush(src, key, &val, block, &tmp);
    buf_release(&val);
    buf_release(&tmp);
}

/* Is the line (no line break) a table's rule, |---|:--:|? */
static int md_table_rule(const char *l, size_t n)
{
    size_t i, dashes = 0;
    for (i = 0; i < n; i++) {
        if (l[i] == '-')
            dashes++;
        else if (l[i] != '|' && l[i] != ':' && l[i] != ' ' && l[i] != '\t')
            return 0;
    }
    return dashes >= 3 && memchr(l, '|', n) != NULL;
}

/* The body of a Markdown file as text: HTML comments (<!-- INFO END -->,
 * <!-- TABLE -->) and tables' rule lines dropped, heading marks (## ) taken
 * off their lines; everything else as written. The text before the first
 * INFO END comment (LawRefBook's info block) is remembered in md_info. */
static void md_body(const char *s, size_t n, struct xsrc *src)
{
    static const char info_end[] = "<!-- INFO END -->";
    size_t i = 0, close_end = 0; /* just past the file's last "-->" */
    int in_comment = 0;
    const char *cl;
    /* a "<!--" never closed is text, not a comment hiding the rest */
    for (cl = s; (cl = memmem(cl, (size_t)(s + n - cl), "-->", 3)); cl += 3)
        close_end = (size_t)(cl - s) + 3;
    while (i < n) {
        size_t e = line_end(s, n, i), le = e, j = i, k;
        int had_comment = in_comment, kept = 0;
        size_t start = src->text.len;
        if (le > i && s[le - 1] == '\r')
            le--;
        if (!in_comment && le - i > 1 && s[i] == '#') {
            for (k = i; k < le && k - i < 6 && s[k] == '#'; k++)
                ;
            if (k < le && (s[k] == ' ' || s[k] == '\t'))
                j = k + 1;
        }
        if (!in_comment && md_table_rule(s + i, le - i))
            j = le;
        while (j < le) {
            const char *c;
            if (in_comment) {
                c = le - j >= 3 ? memmem(s + j, le - j, "-->", 3) : NULL;
                if (!c) {
                    j = le;
                    break;
                }
                j = (size_t)(c - s) + 3;
                in_comment = 0;
                continue;
            }
            c = memmem(s + j, le - j, "<!--", 4);
            if (c && (size_t)(c - s) + 4 + 3 > close_end)
                c = NULL; /* never closed */
            if (!c) {
                buf_add(&src->text, s + j, le - j);
                kept = 1;
                break;
            }
            if (c > s + j) {
                buf_add(&src->text, s + j, (size_t)(c - (s + j)));
                kept = 1;
            }
            if (!src->md_info && (size_t)(s + le - c) >= sizeof info_end - 1
                && memcmp(c, info_end, sizeof info_end - 1) == 0)
                src->md_info = src->text.len + 1;
            had_comment = 1;
            in_comment = 1;
            j = (size_t)(c - s) + 4;
        }
        /* a line that held only a comment or a rule goes whole */
        if (kept || (!had_comment && j <= le && !md_table_rule(s + i, le - i)))
            buf_addc(&src->text, '\n');
        else
            src->text.len = start;
        i = e + 1;
    }
}

int recfmt_md(const char *s, size_t n, struct xsrcs *out, char *msg,
              size_t cap)
{
    struct xsrc *src = xsrcs_push(out);
    size_t i = 0, body;
    (void)msg;
    (void)cap;
    if (!src)
        return -1;
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    body = i;
    if (n - i >= 4 && memcmp(s + i, "---", 3) == 0
        && (s[i + 3] == '\n' || s[i + 3] == '\r')) {
        size_t fm = line_end(s, n, i) + 1, j = fm;
        while (j < n) {
            size_t e = line_end(s, n, j), le = e;
            if (le > j && s[le - 1] == '\r')
                le--;
            if ((le - j == 3 && (memcmp(s + j, "---", 3) == 0
                                 || memcmp(s + j, "...", 3) == 0))) {
                front_matter(s + fm, j - fm, src);
                body = e < n ? e + 1 : n;
                break;
            }
            j = e + 1;
        }
    }
    /* the first "# " heading is the title line */
    {
        size_t j = body, lines = 0;
        while (j < n && lines < 200) {
            size_t e = line_end(s, n, j), le = e;
            if (le > j && s[le - 1] == '\r')
                le--;
            if (le - j > 2 && s[j] == '#' && s[j + 1] == ' ') {
                src->md_title = xstr_trim(s + j + 2, le - j - 2);
                break;
            }
            lines++;
            j = e + 1;
        }
    }
    md_body(s + body, n - body, src);
    return 0;
}
