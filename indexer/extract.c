/* extract.c - decoded text of one file -> records with catalogue metadata.
 * Picks the format (profile, extension, sniffing), lets the format reader
 * (markup.c, recfmt.c, gbt9704.c) collect the raw fields, applies the ingest
 * profile's rules (profile.c) and the built-in defaults, then normalises:
 * dates to YYYY-MM-DD, units (alias table by document-number prefix),
 * language (zh-Hans / zh-Hant / en). Called by indexer/main.c. */
#include "indexer/extract.h"
#include "indexer/profile.h"
#include "indexer/xsrc.h"
#include "analysis/date.h"
#include "analysis/docno.h"
#include "analysis/fold.h"
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct asset {
    const char *name, *type;
    const unsigned char *data;
    size_t len;
};
extern const struct asset builtin_profiles[];

static struct profset g_ps;
static int g_ready;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(const char *dir, struct err *e)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    int rc = 0;
    if (!d) {
        err_set(e, -1, "extract: cannot open profile directory '%s'", dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0
            || de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 16)
                                       * sizeof *names);
            if (!nn)
                break;
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n && rc == 0; i++) {
        char path[4096];
        FILE *f;
        char *text = NULL;
        size_t len = 0, got;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        f = fopen(path, "rb");
        if (!f) {
            err_set(e, -1, "extract: cannot read profile '%s'", path);
            rc = -1;
            break;
        }
        for (;;) {
            char *nt = realloc(text, len + 65536 + 1);
            if (!nt)
                break;
            text = nt;
            got = fread(text + len, 1, 65536, f);
            len += got;
            if (got < 65536 || len > (1 << 24))
                break;
        }
        fclose(f);
        if (text)
            rc = profile_parse(&g_ps, path, text, len, e);
        free(text);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int extract_init(const char *dir, struct err *e)
{
    size_t i;
    if (g_ready)
        return 0;
    if (fold_init(e))
        return -1;
    markup_init();
    for (i = 0; builtin_profiles[i].name; i++) {
        size_t l = strlen(builtin_profiles[i].name);
        if (l < 5 || strcmp(builtin_profiles[i].name + l - 5, ".conf") != 0)
            continue;
        if (profile_parse(&g_ps, builtin_profiles[i].name,
                          (const char *)builtin_profiles[i].data,
                          builtin_profiles[i].len, e))
            return -1;
    }
    if (dir && load_dir(dir, e))
        return -1;
    g_ready = 1;
    return 0;
}

static void rec_free(struct rec *x)
{
    free(x->key);
    free(x->title);
    free(x->unit);
    free(x->category);
    free(x->date);
    free(x->docno);
    free(x->lang);
    free(x->url);
    free(x->text);
}

void recs_release(struct recs *r)
{
    size_t i;
    if (!r)
        return;
    for (i = 0; i < r->n; i++)
        rec_free(&r->v[i]);
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

/* ---- formats ----------------------------------------------------------- */

enum fmt { FMT_TXT, FMT_HTML, FMT_XML, FMT_JSON, FMT_JSONL, FMT_CSV, FMT_SQL,
           FMT_MD };

static int fmt_by_name(const char *s)
{
    static const struct { const char *n; int f; } t[] = {
        {"txt", FMT_TXT}, {"text", FMT_TXT}, {"html", FMT_HTML},
        {"htm", FMT_HTML}, {"shtml", FMT_HTML}, {"xhtml", FMT_HTML},
        {"xml", FMT_XML}, {"json", FMT_JSON}, {"jsonl", FMT_JSONL},
        {"ndjson", FMT_JSONL}, {"csv", FMT_CSV}, {"sql", FMT_SQL},
        {"md", FMT_MD}, {"markdown", FMT_MD}, {NULL, 0}
    };
    int i;
    for (i = 0; t[i].n; i++)
        if (strcasecmp(s, t[i].n) == 0)
            return t[i].f;
    return -1;
}

static int fmt_detect(const char *relpath, const char *s, size_t n)
{
    const char *base = strrchr(relpath, '/'), *dot;
    size_t i;
    base = base ? base + 1 : relpath;
    dot = strrchr(base, '.');
    if (dot && strcasecmp(dot, ".gz") == 0) {
        /* name.html.gz: the extension before .gz */
        const char *d2 = dot;
        while (d2 > base && d2[-1] != '.')
            d2--;
        if (d2 > base) {
            char ext[16];
            size_t l = (size_t)(dot - d2);
            if (l < sizeof ext) {
                int f;
                memcpy(ext, d2, l);
                ext[l] = 0;
                f = fmt_by_name(ext);
                if (f >= 0)
                    return f;
            }
        }
    }
    if (dot) {
        int f = fmt_by_name(dot + 1);
        if (f >= 0)
            return f;
    }
    for (i = 0; i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r'
                          || s[i] == '\t'); i++)
        ;
    if (i < n && s[i] == '<') {
        size_t k, lim = n - i < 2048 ? n - i : 2048;
        for (k = 0; k + 5 <= lim; k++)
            if (strncasecmp(s + i + k, "<html", 5) == 0
                || strncasecmp(s + i + k, "<!doc", 5) == 0)
                return FMT_HTML;
        return FMT_XML;
    }
    if (i < n && (s[i] == '{' || s[i] == '['))
        return FMT_JSON;
    return FMT_TXT;
}

/* ---- field evaluation -------------------------------------------------- */

struct ctx {
    const char *relpath;
    struct xsrc *src;
    int fmt;
    char *val[PF_N];    /* computed so far */
    int none[PF_N];     /* a map said: no value */
};

/* Path selector: -N (segment from the end), stem, date (YYYY/MM/DD). */
static char *path_value(const char *relpath, const char *sel)
{
    const char *segs[64];
    size_t lens[64], n = 0;
    const char *p = relpath;
    while (*p && n < 64) {
        const char *sl = strchr(p, '/');
        size_t l = sl ? (size_t)(sl - p) : strlen(p);
        if (l) {
            segs[n] = p;
            lens[n++] = l;
        }
        if (!sl)
            break;
        p = sl + 1;
    }
    if (!n)
        return NULL;
    if (strcmp(sel, "stem") == 0) {
        const char *b = segs[n - 1], *dot = NULL;
        size_t i;
        for (i = 0; i < lens[n - 1]; i++)
            if (b[i] == '.')
                dot = b + i;
        return xstr_trim(b, dot && dot > b ? (size_t)(dot - b) : lens[n - 1]);
    }
    if (strcmp(sel, "date") == 0) {
        size_t i;
        for (i = 0; i + 2 < n; i++)
            if (lens[i] == 4 && lens[i + 1] == 2 && lens[i + 2] == 2
                && isdigit((unsigned char)segs[i][0])
                && isdigit((unsigned char)segs[i + 1][0])
                && isdigit((unsigned char)segs[i + 2][0])) {
                char out[16];
                snprintf(out, sizeof out, "%.4s-%.2s-%.2s", segs[i],
                         segs[i + 1], segs[i + 2]);
                return strdup(out);
            }
        return NULL;
    }
    {
        long k = strtol(sel, NULL, 10);
        if (k < 0 && (size_t)(-k) <= n)
            return xstr_trim(segs[n + (size_t)k], lens[n + (size_t)k]);
        if (k > 0 && (size_t)k <= n)
            return xstr_trim(segs[k - 1], lens[k - 1]);
    }
    return NULL;
}

static const char *field_val(struct ctx *c, const char *name)
{
    int i;
    for (i = 0; i < PF_N; i++)
        if (strcmp(profile_field_name(i), name) == 0)
            return c->val[i];
    return NULL;
}

/* The first short line (a heading) of the text's first 8 KB matching glob
 * (lower case) ignoring ASCII case, trimmed; NULL when none does. */
static char *line_value(const struct xsrc *s, const char *glob)
{
    const char *t = s->text.p;
    size_t n = s->text.len < 8192 ? s->text.len : 8192, i = 0;
    char low[100]; /* a heading, not a sentence */
    while (t && i < n) {
        const char *nl = memchr(t + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - t) : n, k;
        if (e - i < sizeof low) {
            for (k = i; k < e; k++)
                low[k - i] = t[k] >= 'A' && t[k] <= 'Z' ? (char)(t[k] + 32) : t[k];
            low[e - i] = 0;
            if (profile_glob_value(glob, low)) {
                char *v = xstr_clean(t + i, e - i);
                if (v && *v)
                    return v;
                free(v);
            }
        }
        i = e + 1;
    }
    return NULL;
}

static char *eval_rule(struct ctx *c, const struct prule *r, int all)
{
    const char *v = NULL;
    switch (r->kind) {
    case PR_XPATH:
        return c->src->doc ? markup_xpath(c->src->doc, c->src->node, r->arg,
                                          all) : NULL;
    case PR_KEY:
        v = xsrc_get(c->src, XK_KEY, r->arg);
        break;
    case PR_META:
        v = xsrc_get(c->src, XK_META, r->arg);
        break;
    case PR_INFO:
        v = xsrc_get(c->src, XK_INFO, r->arg);
        break;
    case PR_PATH:
        return path_value(c->relpath, r->arg);
    case PR_VALUE:
        v = r->arg;
        break;
    case PR_FIELD:
        v = field_val(c, r->arg);
        break;
    case PR_LINE:
        return line_value(c->src, r->arg);
    }
    return v ? strdup(v) : NULL;
}

/* Find needle in hay (NULL if none); last occurrence when last. */
static const char *find_str(const char *hay, const char *needle, int last)
{
    const char *p = strstr(hay, needle), *q;
    if (!p || !last || !*needle)
        return p;
    while ((q = strstr(p + 1, needle)) != NULL)
        p = q;
    return p;
}

#define DROP_NEAR 1500 /* drop-head / drop-tail: bytes from that end */

static char *apply_ops(char *v, char *const *ops, size_t nops)
{
    size_t i = 0;
    while (v && i < nops) {
        const char *op = ops[i];
        char *nv = NULL;
        if (strcmp(op, "seg") == 0 && i + 2 < nops) {
            const char *sep = ops[i + 1];
            long k = strtol(ops[i + 2], NULL, 10);
            size_t sl = strlen(sep), cnt = 1, want;
            const char *p = v, *q;
            while ((q = strstr(p, sep)) != NULL && sl) {
                cnt++;
                p = q + sl;
            }
            want = k > 0 ? (size_t)k : (k < 0 && (size_t)(-k) <= cnt)
                   ? cnt + 1 - (size_t)(-k) : 0;
            if (want >= 1 && want <= cnt) {
                size_t j = 1;
                p = v;
                while (j < want) {
                    p = strstr(p, sep) + sl;
                    j++;
                }
                q = strstr(p, sep);
                nv = xstr_trim(p, q ? (size_t)(q - p) : strlen(p));
            }
            i += 3;
        } else if (strcmp(op, "word") == 0 && i + 1 < nops) {
            long k = strtol(ops[i + 1], NULL, 10), j = 0;
            const char *p = v;
            while (*p) {
                const char *b;
                while (*p && isspace((unsigned char)*p))
                    p++;
                if (!*p)
                    break;
                b = p;
                while (*p && !isspace((unsigned char)*p))
                    p++;
                if (++j == k) {
                    nv = xstr_trim(b, (size_t)(p - b));
                    break;
                }
            }
            i += 2;
        } else if ((strcmp(op, "before") == 0 || strcmp(op, "before-last") == 0
                    || strcmp(op, "after") == 0 || strcmp(op, "after-last") == 0)
                   && i + 1 < nops) {
            int last = strstr(op, "-last") != NULL;
            const char *p = find_str(v, ops[i + 1], last);
            if (op[0] == 'b')
                nv = xstr_trim(v, p ? (size_t)(p - v) : strlen(v));
            else if (p)
                nv = xstr_trim(p + strlen(ops[i + 1]),
                               strlen(p + strlen(ops[i + 1])));
            i += 2;
        } else if ((strcmp(op, "drop-head") == 0 || strcmp(op, "drop-tail") == 0)
                   && i + 1 < nops) {
            /* a web page's chrome around a text (下载 打印 … 减小 】 before
             * it, 相关报道： after it): cut at S only near that end, else
             * the value stays whole */
            size_t vl = strlen(v), sl = strlen(ops[i + 1]);
            const char *p = sl ? find_str(v, ops[i + 1], op[5] == 't') : NULL;
            if (p && op[5] == 'h' && (size_t)(p - v) + sl <= DROP_NEAR) {
                const char *q = p + sl; /* and a bracket closing the chrome */
                const char *cb = strstr(ops[i + 1], "\xE3\x80\x90") /* 【 */
                                     ? strstr(q, "\xE3\x80\x91") : NULL;
                if (cb && cb - q <= 40) /* 【字体： 大 中 小 】: through its 】 */
                    q = cb;
                while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t' ||
                       *q == ']' || *q == ')')
                    q++;
                while (!strncmp(q, "\xE3\x80\x91", 3) || !strncmp(q, "\xEF\xBC\x89", 3)) {
                    q += 3; /* 】 ） */
                    while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t')
                        q++;
                }
                nv = xstr_trim(q, strlen(q));
            }
            else if (p && op[5] == 't' && vl - (size_t)(p - v) <= DROP_NEAR)
                nv = xstr_trim(v, (size_t)(p - v));
            else
                nv = xstr_trim(v, vl);
            i += 2;
        } else if (strcmp(op, "between") == 0 && i + 2 < nops) {
            const char *p = find_str(v, ops[i + 1], 1), *q;
            if (p) {
                p += strlen(ops[i + 1]);
                q = strstr(p, ops[i + 2]);
                if (q)
                    nv = xstr_trim(p, (size_t)(q - p));
            }
            i += 3;
        } else if (strcmp(op, "squash") == 0) {
            nv = xstr_clean(v, strlen(v));
            i += 1;
        } else if (strcmp(op, "html") == 0) {
            struct buf b;
            buf_init(&b, XSRC_TEXT_MAX);
            markup_html_text(v, strlen(v), &b, NULL);
            nv = xstr_trim(b.p ? b.p : "", b.len);
            buf_release(&b);
            i += 1;
        } else {
            i += 1; /* unknown op: ignored */
            continue;
        }
        free(v);
        v = nv;
    }
    return v;
}

/* Value of a profile field: first rule that yields a value. */
static char *eval_field(struct ctx *c, int fid, const struct pfield *f)
{
    size_t i, j;
    for (i = 0; f && i < f->nr; i++) {
        char *raw = eval_rule(c, &f->r[i], 0), *v;
        int hit = 0;
        if (!raw)
            continue;
        for (j = 0; j < f->nm; j++)
            if (profile_glob_value(f->m[j].pat, raw)) {
                hit = 1;
                break;
            }
        if (hit) {
            free(raw);
            if (!f->m[j].val || !f->m[j].val[0]) {
                c->none[fid] = 1;
                return NULL;
            }
            return strdup(f->m[j].val);
        }
        v = apply_ops(raw, f->r[i].ops, f->r[i].nops);
        if (v && *v) {
            char *t = xstr_trim(v, strlen(v));
            free(v);
            if (t)
                return t;
        } else {
            free(v);
        }
    }
    return NULL;
}

/* First non-empty value among keys of a kind. */
static const char *first_of(const struct xsrc *s, int kind,
                            const char *const *names)
{
    int i;
    const char *v;
    for (i = 0; names[i]; i++) {
        v = xsrc_get(s, kind, names[i]);
        if (v) {
            const unsigned char *p = (const unsigned char *)v;
            size_t k, n = strlen(v);
            while (n && (k = xstr_space(p, n)) > 0) {
                p += k;
                n -= k;
            }
            if (n)
                return v;
        }
    }
    return NULL;
}

static const char *const K_TITLE[] = {
    "title", "标题", "標題", "法規名稱", "英文法規名稱", "名称", "name",
    "subject", "headline", "文件名称", NULL
};
static const char *const K_DATE[] = {
    "date", "日期", "时间", "發文日期", "发文日期", "成文日期", "publish_date",
    "pubdate", "date_signed", "date_created", "最新異動日期",
    "最新英文異動日期", "published", "publish", "发布日期", "发布时间",
    "release_date", "publication_date", "pub_date", "date_published",
    "issued", "issue_date", "signing_date", "發布日期", "公布日期", NULL
};
static const char *const K_UNIT[] = {
    "unit", "发文机关", "發文機關", "release_office", "agency", "pubgovname",
    "pubgov", "province", "issuer", "department", "发布机构", "发文单位",
    "agency_name", "agencies", "organization", "發布機關", "发布单位", NULL
};
static const char *const K_CAT[] = {
    "category", "类别", "分类", "主题分类", "一级类别", "所属一级类别", "主题",
    "法規類別", "doc_style_lname", "level", "效力级别", NULL
};
static const char *const K_DOCNO[] = {
    "docno", "发文字号", "發文字號", "文号", "release_number", "gazetteid",
    "eo_id", "document_number", NULL
};
static const char *const K_URL[] = {
    "url", "source_url", "访问地址", "crawl_url", "link", "法規網址",
    "gazettehtml", "html:canonical", NULL
};
static const char *const K_YEAR[] = {"year", "年份", "年度", NULL};
/* meta names: the Chinese portals' own, Open Graph's, and Dublin Core's
 * (DC.* and dcterms.*, which Taiwan's government sites carry by their
 * metadata standard, as many English ones do) */
static const char *const M_TITLE[] = {"ArticleTitle", "og:title", "DC.Title",
                                      "dcterms.title", NULL};
static const char *const I_TITLE[] = {"标题", "名称", NULL};
static const char *const M_DATE[] = {
    "PubDate", "firstpublishedtime", "publishdate", "Maketime",
    "article:published_time", "DC.Date", "dcterms.issued", "dcterms.date",
    "dcterms.created", NULL
};
static const char *const I_DATE[] = {"成文日期", "发文日期", "發文日期",
                                     "发布日期", "生成日期", NULL};
static const char *const I_UNIT[] = {"发文机关", "發文機關", "发布机构",
                                     "发文单位", NULL};
static const char *const M_UNIT[] = {"SiteName", "ContentSource",
                                     "contentSource", "DC.Creator",
                                     "dcterms.creator", NULL};
/* a news-style page's 来源： and 发布时间： (no info table, no meta): after
 * the meta tags, before the text's own signature and date */
static const char *const I_UNIT2[] = {"信息来源", "来源", "來源", NULL};
static const char *const I_DATE2[] = {"发布时间", "發布日期", "發布時間", NULL};
static const char *const I_CAT[] = {"主题分类", "信息分类", "分类", NULL};
static const char *const M_CAT[] = {"ColumnName", "DC.Subject", "dcterms.subject",
                                    NULL};
static const char *const I_DOCNO[] = {"发文字号", "發文字號", "文号", NULL};
static const char *const M_URL[] = {"og:url", "url", NULL};

static char *dup_or_null(const char *s)
{
    return s ? xstr_trim(s, strlen(s)) : NULL;
}

static char *default_field(struct ctx *c, int fid)
{
    struct xsrc *s = c->src;
    const char *v = NULL;
    switch (fid) {
    case PF_TITLE:
        if (c->fmt == FMT_HTML) {
            v = first_of(s, XK_META, M_TITLE);
            if (!v)
                v = first_of(s, XK_INFO, I_TITLE);
            if (!v)
                v = xsrc_get(s, XK_KEY, "html:title");
        }
        if (!v)
            v = first_of(s, XK_KEY, K_TITLE);
        if (!v)
            v = s->md_title;
        if (!v)
            v = xsrc_get(s, XK_KEY, "gbt:title");
        break;
    case PF_DATE:
        v = first_of(s, XK_KEY, K_DATE);
        if (!v)
            v = first_of(s, XK_INFO, I_DATE);
        if (!v)
            v = first_of(s, XK_META, M_DATE);
        if (!v)
            v = first_of(s, XK_INFO, I_DATE2);
        /* the last date of a LawRefBook info block (its first 8 KB) */
        if (!v && c->fmt == FMT_MD && s->text.p && s->md_info
            && s->md_info - 1 <= 8192) {
            struct date d;
            size_t ds, de;
            if (date_find_last(s->text.p, s->md_info - 1, &d, &ds, &de) == 0) {
                char out[11];
                date_format(&d, out);
                return strdup(out);
            }
        }
        if (!v)
            v = xsrc_get(s, XK_KEY, "gbt:date");
        if (!v && s->text.p) { /* a law's 题注 under its title */
            char out[11];
            if (gbt_note_date(s->text.p, s->text.len, out) == 0)
                return strdup(out);
        }
        break;
    case PF_UNIT:
        v = first_of(s, XK_KEY, K_UNIT);
        if (!v)
            v = first_of(s, XK_INFO, I_UNIT);
        if (!v)
            v = first_of(s, XK_META, M_UNIT);
        if (!v)
            v = first_of(s, XK_INFO, I_UNIT2);
        if (!v)
            v = xsrc_get(s, XK_KEY, "gbt:unit");
        if (!v)
            v = xsrc_get(s, XK_KEY, "gbt:banner");
        break;
    case PF_CATEGORY:
        v = first_of(s, XK_KEY, K_CAT);
        if (!v)
            v = first_of(s, XK_INFO, I_CAT);
        if (!v)
            v = first_of(s, XK_META, M_CAT);
        break;
    case PF_DOCNO:
        v = first_of(s, XK_KEY, K_DOCNO);
        if (!v)
            v = first_of(s, XK_INFO, I_DOCNO);
        if (!v)
            v = xsrc_get(s, XK_KEY, "gbt:docno");
        break;
    case PF_URL:
        v = first_of(s, XK_KEY, K_URL);
        if (!v) {
            v = first_of(s, XK_META, M_URL);
            if (v && !strstr(v, "://"))
                v = NULL;
        }
        break;
    case PF_YEAR:
        v = first_of(s, XK_KEY, K_YEAR);
        break;
    default:
        break;
    }
    return dup_or_null(v);
}

/* ---- normalisation ------------------------------------------------------ */

static char *norm_date(char *v, int *year)
{
    struct date d;
    size_t ds, de, n;
    char out[11];
    if (!v)
        return NULL;
    n = strlen(v);
    /* "2007-08-20-23:59:59", "2024-07-12 17:33": the leading date */
    if (n >= 10 && isdigit((unsigned char)v[0]) && isdigit((unsigned char)v[3])
        && v[4] == '-' && v[7] == '-' && isdigit((unsigned char)v[9])
        && (n == 10 || !isdigit((unsigned char)v[10]))) {
        char tmp[11];
        memcpy(tmp, v, 10);
        tmp[10] = 0;
        if (date_parse(tmp, 10, &d) == 0 && d.m && d.d) {
            date_format(&d, out);
            free(v);
            *year = d.y;
            return strdup(out);
        }
    }
    if (date_parse(v, n, &d) == 0 || date_find_last(v, n, &d, &ds, &de) == 0) {
        free(v);
        if (d.y > 0)
            *year = d.y;
        if (d.m && d.d) {
            date_format(&d, out);
            return strdup(out);
        }
        return NULL;
    }
    free(v);
    return NULL;
}

/* Title: trim; control white space (newlines, tabs) becomes one space. */
static char *norm_title(char *v)
{
    char *t, *o, *p;
    if (!v)
        return NULL;
    t = xstr_trim(v, strlen(v));
    free(v);
    if (!t)
        return NULL;
    for (p = o = t; *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            if (o > t && o[-1] != ' ')
                *o++ = ' ';
            continue;
        }
        *o++ = *p;
    }
    *o = 0;
    return t;
}

static char *norm_clean(char *v)
{
    char *t;
    if (!v)
        return NULL;
    t = xstr_clean(v, strlen(v));
    free(v);
    return t;
}

static int parse_year(const char *v)
{
    int y = 0, k = 0;
    if (!v)
        return 0;
    while (*v && !isdigit((unsigned char)*v))
        v++;
    while (isdigit((unsigned char)v[k]) && k < 5) {
        y = y * 10 + (v[k] - '0');
        k++;
    }
    return k == 4 && y >= 1000 && y <= 2999 ? y : 0;
}

static char *detect_lang(const char *title, const char *text, size_t tlen)
{
    size_t han = 0, trad = 0, latin = 0, i, h2, t2, lim;
    if (title) {
        fold_count_trad(title, strlen(title), &han, &trad);
    }
    lim = tlen < (256u << 10) ? tlen : (256u << 10);
    /* do not cut a character in two */
    while (lim < tlen && lim > 0 && ((unsigned char)text[lim] & 0xc0) == 0x80)
        lim--;
    if (text && lim) {
        fold_count_trad(text, lim, &h2, &t2);
        han += h2;
        trad += t2;
        for (i = 0; i < lim; i++)
            if (((unsigned char)text[i] | 0x20) >= 'a'
                && ((unsigned char)text[i] | 0x20) <= 'z')
                latin++;
    }
    if (title)
        for (i = 0; title[i]; i++)
            if (((unsigned char)title[i] | 0x20) >= 'a'
                && ((unsigned char)title[i] | 0x20) <= 'z')
                latin++;
    if (han == 0 && latin == 0)
        return NULL;
    if (han * 4 < latin)
        return strdup("en");
    if (trad >= 3 && trad * 12 >= han)
        return strdup("zh-Hant");
    return strdup("zh-Hans");
}

struct dnfirst {
    size_t s, e;
    int found;
    const char *text;
};

/* Only white space or an opening bracket between the line start and p:
 * the 发文字号 of a document stands on its own line (GB/T 9704) or in
 * brackets under the title; a number inside a sentence is a citation. */
static int starts_line(const char *text, size_t p)
{
    size_t q = p;
    /* a short label before it: 发文字号：, 發文字號: */
    while (q > 0 && text[q - 1] == ' ')
        q--;
    if ((q >= 3 && !memcmp(text + q - 3, "\xEF\xBC\x9A", 3)) ||
        (q >= 1 && text[q - 1] == ':')) {
        size_t ls = q;
        while (ls > 0 && text[ls - 1] != '\n')
            ls--;
        if (q - ls <= 30)
            return 1;
    }
    while (p > 0) {
        unsigned char ch = (unsigned char)text[p - 1];
        if (ch == '\n' || ch == '\r')
            return 1;
        if (ch == ' ' || ch == '\t' || ch == '(' || ch == '[') {
            p--;
            continue;
        }
        if (p >= 3 && (!memcmp(text + p - 3, "\xE3\x80\x80", 3) ||   /* 　 */
                       !memcmp(text + p - 3, "\xEF\xBC\x88", 3))) {  /* （ */
            p -= 3;
            continue;
        }
        return 0;
    }
    return 1;
}

static void dnfirst_cb(void *ctx, size_t start, size_t end)
{
    struct dnfirst *d = ctx;
    if (!d->found && (!d->text || starts_line(d->text, start))) {
        d->s = start;
        d->e = end;
        d->found = 1;
    }
}

/* Build the record from a source. */
static int build_rec(struct ctx *c, const struct pfield *const pf[PF_N],
                     struct recs *out)
{
    static const int order[] = {PF_TITLE, PF_CATEGORY, PF_DATE, PF_YEAR,
                                PF_DOCNO, PF_URL, PF_LANG, PF_UNIT, PF_KEY};
    struct rec *r;
    size_t k;
    int year = 0;
    struct xsrc *s = c->src;
    for (k = 0; k < sizeof order / sizeof order[0]; k++) {
        int fid = order[k];
        char *v = pf[fid] ? eval_field(c, fid, pf[fid]) : NULL;
        if (!v && !c->none[fid] && fid != PF_KEY && fid != PF_LANG)
            v = default_field(c, fid);
        switch (fid) {
        case PF_TITLE:
            v = norm_title(v);
            break;
        case PF_DATE:
            v = norm_date(v, &year);
            break;
        case PF_UNIT:
        case PF_CATEGORY:
            v = norm_clean(v);
            if (fid == PF_CATEGORY)
                break;
            if (!v && !c->none[fid] && c->val[PF_DOCNO]) {
                const char *u = profile_unit_alias(&g_ps, c->val[PF_DOCNO]);
                if (u)
                    v = strdup(u);
            }
            break;
        case PF_DOCNO:
            if (!v && !c->none[fid] && s->text.p) {
                struct dnfirst d = {0, 0, 0, s->text.p};
                size_t lim = s->text.len < 1500 ? s->text.len : 1500;
                while (lim < s->text.len && lim > 0
                       && ((unsigned char)s->text.p[lim] & 0xc0) == 0x80)
                    lim--;
                docno_scan(s->text.p, lim, dnfirst_cb, &d);
                if (d.found)
                    v = xstr_trim(s->text.p + d.s, d.e - d.s);
            }
            break;
        default:
            break;
        }
        c->val[fid] = v;
    }
    /* text: the profile's rules, concatenated, else the reader's body */
    if (pf[PF_TEXT] && pf[PF_TEXT]->nr) {
        struct buf b;
        size_t i;
        buf_init(&b, XSRC_TEXT_MAX);
        for (i = 0; i < pf[PF_TEXT]->nr; i++) {
            char *v = eval_rule(c, &pf[PF_TEXT]->r[i], 1);
            v = apply_ops(v, pf[PF_TEXT]->r[i].ops, pf[PF_TEXT]->r[i].nops);
            if (v && *v) {
                if (b.len)
                    buf_addc(&b, '\n');
                buf_adds(&b, v);
            }
            free(v);
        }
        if (b.len) {
            buf_release(&s->text);
            s->text = b;
        } else {
            buf_release(&b);
        }
    }
    if (c->val[PF_YEAR]) {
        int y = parse_year(c->val[PF_YEAR]);
        if (!year)
            year = y;
    }
    if (!year && c->val[PF_DOCNO])
        year = docno_year(c->val[PF_DOCNO], strlen(c->val[PF_DOCNO]));
    if (!c->val[PF_LANG])
        c->val[PF_LANG] = detect_lang(c->val[PF_TITLE], s->text.p,
                                      s->text.len);
    if (out->n == out->cap) {
        size_t nc = out->cap ? out->cap * 2 : 4;
        struct rec *nv = realloc(out->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        out->v = nv;
        out->cap = nc;
    }
    r = &out->v[out->n++];
    memset(r, 0, sizeof *r);
    r->title = c->val[PF_TITLE];
    r->unit = c->val[PF_UNIT];
    r->category = c->val[PF_CATEGORY];
    r->date = c->val[PF_DATE];
    r->docno = c->val[PF_DOCNO];
    r->lang = c->val[PF_LANG];
    r->url = c->val[PF_URL];
    r->year = year;
    r->key = c->val[PF_KEY] ? c->val[PF_KEY] : s->key;
    if (c->val[PF_KEY]) {
        free(s->key);
    }
    s->key = NULL;
    free(c->val[PF_YEAR]);
    {
        size_t len;
        r->text = buf_detach(&s->text, &len);
        if (!r->text)
            r->text = strdup("");
    }
    memset(c->val, 0, sizeof c->val);
    return 0;
}

static void xml_record_key(struct xsrc *s, size_t num)
{
    static const char *const ids[] = {"MetaId", "id", "eo_id", "key", "uuid",
                                      NULL};
    const char *id = first_of(s, XK_KEY, ids);
    char b[32];
    snprintf(b, sizeof b, "%zu", num);
    s->key = strdup(id ? id : b);
}

static int rec_has_key(const void *rec, const char *name)
{
    return xsrc_get(rec, XK_KEY, name) != NULL;
}

int extract_file(const char *relpath, const char *utf8, size_t len,
                 struct recs *out, struct err *e)
{
    const struct pfield *pf[PF_N];
    const char *pformat, *precords;
    struct xsrcs srcs = {0};
    void *doc = NULL;
    char msg[200];
    int fmt, rc = 0;
    size_t i, before = out->n;
    err_clear(e);
    if (!relpath)
        relpath = "";
    if (!utf8)
        len = 0;
    if (len >= 3 && memcmp(utf8, "\xef\xbb\xbf", 3) == 0) {
        utf8 += 3;
        len -= 3;
    }
    profile_select(&g_ps, relpath, NULL, pf, &pformat, &precords);
    fmt = pformat ? fmt_by_name(pformat) : -1;
    if (fmt < 0)
        fmt = fmt_detect(relpath, utf8, len);
    msg[0] = 0;
    switch (fmt) {
    case FMT_XML: {
        void **recs;
        size_t nr;
        if (markup_xml(utf8, len, &doc, msg, sizeof msg)) {
            err_set(e, -1, "extract: cannot parse '%s' as XML: %s", relpath,
                    msg);
            return -1;
        }
        /* profiles that know the document by its root element, wherever
         * the file lies ("root = RULE NOTICE") */
        {
            struct pprobe pr = {markup_xml_root_is, doc, NULL, NULL};
            profile_select(&g_ps, relpath, &pr, pf, &pformat, &precords);
        }
        recs = markup_xml_records(doc, precords, &nr);
        if (!recs || !nr) {
            struct xsrc *s = xsrcs_push(&srcs);
            if (s) {
                markup_xml_fields(doc, NULL, s);
                /* <正文> (or <content> …): the body, not every field's
                 * text run together */
                xsrc_body_from_keys(s);
                if (!s->text.len)
                    markup_xml_text(doc, NULL, &s->text);
            }
        } else {
            for (i = 0; i < nr; i++) {
                struct xsrc *s = xsrcs_push(&srcs);
                if (!s)
                    break;
                markup_xml_fields(doc, recs[i], s);
                xsrc_body_from_keys(s);
                if (!s->text.len)
                    markup_xml_text(doc, recs[i], &s->text);
                if (nr > 1)
                    xml_record_key(s, i + 1);
            }
        }
        free(recs);
        break;
    }
    case FMT_HTML: {
        struct xsrc *s;
        if (markup_html(utf8, len, &doc)) {
            err_set(e, -1, "extract: cannot parse '%s' as HTML", relpath);
            return -1;
        }
        s = xsrcs_push(&srcs);
        if (s) {
            s->doc = doc;
            s->html = 1;
            markup_html_fields(doc, s);
            /* the last resorts of a page without meta tags or an info
             * table: the text's own layout (a signature and date at its
             * end, an English page's first date) */
            gbt_fields(s->text.p ? s->text.p : "", s->text.len, s);
        }
        break;
    }
    case FMT_JSON:
    case FMT_JSONL:
        rc = recfmt_json(utf8, len, fmt == FMT_JSONL, &srcs, msg, sizeof msg);
        break;
    case FMT_CSV:
        rc = recfmt_csv(utf8, len, &srcs, msg, sizeof msg);
        break;
    case FMT_SQL:
        rc = recfmt_sql(utf8, len, &srcs, msg, sizeof msg);
        break;
    case FMT_MD:
        rc = recfmt_md(utf8, len, &srcs, msg, sizeof msg);
        break;
    default: {
        struct xsrc *s = xsrcs_push(&srcs);
        if (s) {
            buf_add(&s->text, utf8, len);
            gbt_fields(utf8, len, s);
        }
        break;
    }
    }
    if (rc) {
        err_set(e, -1, "extract: cannot read '%s': %s", relpath, msg);
        xsrcs_release(&srcs);
        return -1;
    }
    if (srcs.n && fmt != FMT_XML && fmt != FMT_HTML && fmt != FMT_TXT) {
        /* profiles that know a record format by its keys ("keys = eo_id
         * mayor"), wherever the file lies */
        struct pprobe pr = {NULL, NULL, rec_has_key, &srcs.v[0]};
        profile_select(&g_ps, relpath, &pr, pf, &pformat, &precords);
    }
    for (i = 0; i < srcs.n; i++) {
        struct ctx c;
        memset(&c, 0, sizeof c);
        c.relpath = relpath;
        c.src = &srcs.v[i];
        c.fmt = fmt;
        if (fmt == FMT_MD && !c.src->md_title && !c.src->nkv) {
            /* plain-text fallbacks for Markdown without metadata */
            gbt_fields(c.src->text.p ? c.src->text.p : "", c.src->text.len,
                       c.src);
        }
        if (build_rec(&c, pf, out)) {
            err_set(e, -1, "extract: out of memory on '%s'", relpath);
            rc = -1;
            break;
        }
    }
    xsrcs_release(&srcs);
    markup_free(doc);
    if (rc) {
        /* drop this file's partial records */
        for (i = before; i < out->n; i++)
            rec_free(&out->v[i]);
        out->n = before;
        return -1;
    }
    if (out->n == before) {
        err_set(e, -1, "extract: no record in '%s'", relpath);
        return -1;
    }
    if (out->n == before + 1 && out->v[before].key) {
        /* one record in the file: its id is the path alone (API.md) */
        free(out->v[before].key);
        out->v[before].key = NULL;
    }
    if (fmt == FMT_JSONL && msg[0] && e) { /* lines skipped: a warning */
        e->code = 0;
        snprintf(e->msg, sizeof e->msg, "%s", msg);
    }
    return 0;
}
