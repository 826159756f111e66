/* portal.c - server-rendered HTML pages of searchd (see portal.h): the
 * search page with facets and paging, the document page, the "check a
 * draft" page and the OpenSearch description. http.c calls these with the
 * request's parameters and the JSON the API would answer; every value is
 * escaped here with common/html.h, and every link is built from the parsed
 * parameters so that filters, sort and the interface language survive. */
#include "searchd/portal.h"
#include "common/buf.h"
#include "common/html.h"
#include "common/hash.h"
#include <pthread.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORTAL_MAX_VALUES 16    /* values kept per repeatable filter */
#define PORTAL_FACET_SHOWN 10   /* facet values shown before "more" */
#define PORTAL_PAGE_MAX (64u << 20)
#define PORTAL_DEFAULT_SIZE 10

/* The page being written: a sticky failure flag spares every caller a
 * check (SQLite's p->rc idea); the page is dropped at the end if set. */
struct page {
    struct buf b;
    int en;
    int fail;
};

/* The request's parameters, parsed once; strings are borrowed from the
 * params object and live as long as it does. A link is a copy of this with
 * one thing changed, written out by put_search_url(). */
struct state {
    const char *q;
    const char *cat[PORTAL_MAX_VALUES];
    size_t ncat;
    const char *unit[PORTAL_MAX_VALUES];
    size_t nunit;
    char year[24];
    const char *from, *to, *lang, *sort;
    long page, size;
    int en;
};

/* ---- writing ---- */

#define MAX_ASSETS 32
static char asset_tags[MAX_ASSETS][17];
static pthread_once_t asset_once = PTHREAD_ONCE_INIT;

static void asset_tags_init(void)
{
    size_t i;
    for (i = 0; i < MAX_ASSETS && assets[i].name; i++)
        snprintf(asset_tags[i], sizeof asset_tags[i], "%016llx",
                 (unsigned long long)fnv1a64(assets[i].data, assets[i].len));
}

const char *portal_asset_tag(const char *name)
{
    size_t i;
    pthread_once(&asset_once, asset_tags_init);
    for (i = 0; i < MAX_ASSETS && assets[i].name; i++)
        if (!strcmp(assets[i].name, name))
            return asset_tags[i];
    return "";
}

static void put(struct page *pg, const char *s)
{
    if (!pg->fail && buf_adds(&pg->b, s) < 0)
        pg->fail = 1;
}

static void putn(struct page *pg, const char *s, size_t n)
{
    if (!pg->fail && buf_add(&pg->b, s, n) < 0)
        pg->fail = 1;
}

/* The URL of a compiled-in asset, versioned by its content. */
static void put_asset(struct page *pg, const char *name)
{
    put(pg, "/assets/");
    put(pg, name);
    put(pg, "?v=");
    put(pg, portal_asset_tag(name));
}

static void putf(struct page *pg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(struct page *pg, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(pg, tmp);
}

/* The interface text in the page's language. */
static void tr(struct page *pg, const char *zh, const char *en)
{
    put(pg, pg->en ? en : zh);
}

static void esc(struct page *pg, const char *s)
{
    if (!pg->fail && html_escapes(&pg->b, s) < 0)
        pg->fail = 1;
}

/* Text already escaped by the engine (title_html, snippet_html). */
static void raw(struct page *pg, const char *s)
{
    if (s)
        put(pg, s);
}

static void urlenc(struct page *pg, const char *s, const char *keep)
{
    if (!pg->fail && s && html_urlencode(&pg->b, s, strlen(s), keep) < 0)
        pg->fail = 1;
}

static char *page_finish(struct page *pg)
{
    if (pg->fail || pg->b.toobig) {
        buf_release(&pg->b);
        return NULL;
    }
    return buf_detach(&pg->b, NULL);
}

/* 1234567 -> "1,234,567" */
static void put_count(struct page *pg, long long n)
{
    char digits[32], out[48];
    size_t len, i, o = 0;
    if (n < 0)
        n = 0;
    snprintf(digits, sizeof digits, "%lld", n);
    len = strlen(digits);
    for (i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    put(pg, out);
}

/* ---- reading JSON ---- */

static const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* An integer given as a JSON integer, real or string; dflt otherwise. */
static long jlong(const json_t *v, long dflt)
{
    char *end;
    long n;
    if (json_is_integer(v))
        return (long)json_integer_value(v);
    if (json_is_real(v))
        return (long)json_real_value(v);
    if (json_is_string(v)) {
        n = strtol(json_string_value(v), &end, 10);
        if (end != json_string_value(v) && *end == 0)
            return n;
    }
    return dflt;
}

/* A scalar (string or number) as text into out; 0 if there is none. */
static int jscalar(const json_t *v, char *out, size_t n)
{
    if (json_is_string(v) && json_string_length(v) > 0)
        snprintf(out, n, "%s", json_string_value(v));
    else if (json_is_integer(v))
        snprintf(out, n, "%lld", (long long)json_integer_value(v));
    else
        return 0;
    return 1;
}

static void state_values(const json_t *v, const char **out, size_t *n)
{
    size_t i;
    *n = 0;
    if (json_is_string(v)) {
        if (json_string_length(v) > 0)
            out[(*n)++] = json_string_value(v);
        return;
    }
    for (i = 0; i < json_array_size(v) && *n < PORTAL_MAX_VALUES; i++) {
        const json_t *e = json_array_get(v, i);
        size_t j;
        int dup = 0;
        if (!json_is_string(e) || json_string_length(e) == 0)
            continue;
        for (j = 0; j < *n; j++)
            if (strcmp(out[j], json_string_value(e)) == 0)
                dup = 1;
        if (!dup)
            out[(*n)++] = json_string_value(e);
    }
}

static void state_parse(struct state *st, const json_t *params)
{
    const char *ui;
    memset(st, 0, sizeof *st);
    st->q = jstr(params, "q");
    state_values(json_object_get(params, "category"), st->cat, &st->ncat);
    state_values(json_object_get(params, "unit"), st->unit, &st->nunit);
    if (!jscalar(json_object_get(params, "year"), st->year, sizeof st->year))
        st->year[0] = 0;
    st->from = jstr(params, "from");
    st->to = jstr(params, "to");
    st->lang = jstr(params, "lang");
    st->sort = jstr(params, "sort");
    if (st->sort && strcmp(st->sort, "date") != 0
        && strcmp(st->sort, "date_asc") != 0)
        st->sort = NULL;
    st->page = jlong(json_object_get(params, "page"), 1);
    if (st->page < 1)
        st->page = 1;
    st->size = jlong(json_object_get(params, "size"), PORTAL_DEFAULT_SIZE);
    if (st->size < 1 || st->size > 100)
        st->size = PORTAL_DEFAULT_SIZE;
    ui = jstr(params, "ui");
    st->en = ui && strncmp(ui, "en", 2) == 0;
}

static int state_filtered(const struct state *st)
{
    return st->ncat || st->nunit || st->year[0] || nonempty(st->from)
        || nonempty(st->to) || nonempty(st->lang);
}

/* ---- links ---- */

static void put_param(struct page *pg, int *first, const char *key,
                      const char *val)
{
    if (!nonempty(val))
        return;
    put(pg, *first ? "?" : "&amp;");
    *first = 0;
    put(pg, key);
    put(pg, "=");
    urlenc(pg, val, NULL);
}

/* The search URL of st, escaped for an attribute value. */
static void put_search_url(struct page *pg, const struct state *st)
{
    int first = 1;
    size_t i;
    char num[24];
    put(pg, "/");
    put_param(pg, &first, "q", st->q);
    for (i = 0; i < st->ncat; i++)
        put_param(pg, &first, "category", st->cat[i]);
    for (i = 0; i < st->nunit; i++)
        put_param(pg, &first, "unit", st->unit[i]);
    put_param(pg, &first, "year", st->year);
    put_param(pg, &first, "from", st->from);
    put_param(pg, &first, "to", st->to);
    put_param(pg, &first, "lang", st->lang);
    put_param(pg, &first, "sort", st->sort);
    if (st->page > 1) {
        snprintf(num, sizeof num, "%ld", st->page);
        put_param(pg, &first, "page", num);
    }
    if (st->size != PORTAL_DEFAULT_SIZE) {
        snprintf(num, sizeof num, "%ld", st->size);
        put_param(pg, &first, "size", num);
    }
    if (st->en)
        put_param(pg, &first, "ui", "en");
}

static void put_ui_suffix(struct page *pg, int first)
{
    if (pg->en)
        put(pg, first ? "?ui=en" : "&amp;ui=en");
}

/* /doc/<id>, the id percent-encoded but for its '/' separators. */
static void put_doc_url(struct page *pg, const char *id, const char *q)
{
    int first = 1;
    put(pg, "/doc/");
    urlenc(pg, id, "/");
    put_param(pg, &first, "q", q);
    put_ui_suffix(pg, first);
}

static void put_check_url(struct page *pg)
{
    put(pg, "/check");
    put_ui_suffix(pg, 1);
}

static int is_web_url(const char *u)
{
    return u && (strncmp(u, "http://", 7) == 0
                 || strncmp(u, "https://", 8) == 0);
}

/* ---- page frame ---- */

static const char *lang_name(const struct page *pg, const char *lang)
{
    if (!lang)
        return "";
    if (strcmp(lang, "zh-Hans") == 0)
        return pg->en ? "Simplified Chinese" : "简体中文";
    if (strcmp(lang, "zh-Hant") == 0)
        return pg->en ? "Traditional Chinese" : "繁体中文";
    if (strcmp(lang, "en") == 0)
        return pg->en ? "English" : "英文";
    return lang;
}

/* Head, masthead and the opening of <main>. The language switch leads to
 * the same page in the other language: the search of st, the check form
 * (switch_to_check) or the document switch_doc. */
static void page_begin(struct page *pg, const struct state *st,
                       const char *title_prefix, const char *body_class,
                       int active_nav, int switch_to_check,
                       const char *switch_doc)
{
    struct state other;
    int first = 1;
    put(pg, "<!DOCTYPE html>\n<html lang=\"");
    put(pg, pg->en ? "en" : "zh-CN");
    put(pg, "\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"color-scheme\" content=\"light\">\n<title>");
    if (nonempty(title_prefix)) {
        esc(pg, title_prefix);
        put(pg, " - ");
    }
    tr(pg, "政府文件检索", "Government Documents Search");
    put(pg, "</title>\n<link rel=\"stylesheet\" href=\"");
    put_asset(pg, "style.css");
    put(pg, "\">\n<link rel=\"icon\" href=\"");
    put_asset(pg, "favicon.svg");
    put(pg, "\" type=\"image/svg+xml\">\n"
        "<link rel=\"search\" type=\"application/opensearchdescription+xml\" "
        "href=\"/opensearch.xml\" title=\"");
    tr(pg, "政府文件检索", "Government Documents Search");
    put(pg, "\">\n<script src=\"");
    put_asset(pg, "app.js");
    put(pg, "\" defer></script>\n</head>\n<body class=\"");
    put(pg, body_class);
    put(pg, "\">\n<a class=\"skip\" href=\"#main\">");
    tr(pg, "跳到主要内容", "Skip to main content");
    put(pg, "</a>\n<header class=\"masthead\">\n<div class=\"wrap bar\">\n"
        "<a class=\"brand\" href=\"");
    put(pg, "/");
    put_ui_suffix(pg, 1);
    put(pg, "\"><img src=\"");
    put_asset(pg, "favicon.svg");
    put(pg, "\" alt=\"\" width=\"36\" "
        "height=\"36\"><span class=\"brand-text\"><span class=\"brand-name\">");
    tr(pg, "政府文件检索", "Government Documents Search");
    put(pg, "</span><span class=\"brand-sub\">");
    tr(pg, "政府信息公开文件查询平台", "Public government information");
    put(pg, "</span></span></a>\n<nav class=\"topnav\" aria-label=\"");
    tr(pg, "站点导航", "Site");
    put(pg, "\">\n<a href=\"/");
    put_ui_suffix(pg, 1);
    put(pg, "\"");
    if (active_nav == 0)
        put(pg, " aria-current=\"page\"");
    put(pg, ">");
    tr(pg, "文件检索", "Search");
    put(pg, "</a>\n<a href=\"");
    put_check_url(pg);
    put(pg, "\"");
    if (active_nav == 1)
        put(pg, " aria-current=\"page\"");
    put(pg, ">");
    tr(pg, "文稿查重", "Check a draft");
    put(pg, "</a>\n<a class=\"lang-switch\" id=\"lang-switch\" ");
    put(pg, pg->en ? "lang=\"zh-CN\" hreflang=\"zh-CN\""
                   : "lang=\"en\" hreflang=\"en\"");
    put(pg, " href=\"");
    if (switch_to_check) {
        put(pg, "/check");
        if (!pg->en)
            put(pg, "?ui=en");
    } else if (switch_doc) {
        put(pg, "/doc/");
        urlenc(pg, switch_doc, "/");
        put_param(pg, &first, "q", st->q);
        if (!pg->en)
            put(pg, first ? "?ui=en" : "&amp;ui=en");
    } else {
        other = *st;
        other.en = !pg->en;
        put_search_url(pg, &other);
    }
    put(pg, "\">");
    put(pg, pg->en ? "中文" : "English");
    put(pg, "</a>\n</nav>\n</div>\n</header>\n"
        "<main id=\"main\" tabindex=\"-1\">\n");
}

static void page_end(struct page *pg)
{
    put(pg, "</main>\n<footer class=\"sitefoot\">\n<div class=\"wrap\">\n<p>");
    tr(pg, "本站提供已公开发布的政府文件检索服务。页面不加载任何外部资源，不需要 JavaScript 也可使用。",
       "This service searches government documents that have been made public. "
       "The pages load no outside resources and work without JavaScript.");
    put(pg, "</p>\n<p><a href=\"/api/stats\">");
    tr(pg, "索引状态", "Index status");
    put(pg, "</a> · <a href=\"");
    put_check_url(pg);
    put(pg, "\">");
    tr(pg, "文稿查重", "Check a draft");
    put(pg, "</a></p>\n</div>\n</footer>\n</body>\n</html>\n");
}

static void page_init(struct page *pg, const struct state *st)
{
    memset(pg, 0, sizeof *pg);
    buf_init(&pg->b, PORTAL_PAGE_MAX);
    pg->en = st->en;
}

/* The error box. error: {"error": {...}} or the inner {"code","message"}. */
static void put_error(struct page *pg, const json_t *error)
{
    const json_t *inner = json_object_get(error, "error");
    const char *msg, *code;
    if (!json_is_object(inner))
        inner = error;
    msg = jstr(inner, "message");
    code = jstr(inner, "code");
    put(pg, "<div class=\"notice notice-error\" role=\"alert\">\n"
        "<p class=\"notice-title\">");
    if (code && strcmp(code, "bad_query") == 0)
        tr(pg, "抱歉，无法理解这个检索式。", "Sorry, this query could not be understood.");
    else if (code && strcmp(code, "not_found") == 0)
        tr(pg, "抱歉，没有找到您要的内容。", "Sorry, that could not be found.");
    else
        tr(pg, "抱歉，检索服务暂时无法完成您的请求。",
           "Sorry, the search service could not complete your request.");
    put(pg, "</p>\n");
    if (nonempty(msg)) {
        put(pg, "<p class=\"notice-detail\">");
        esc(pg, msg);
        put(pg, "</p>\n");
    }
    put(pg, "<p>");
    if (code && strcmp(code, "bad_query") == 0)
        tr(pg, "请检查引号是否成对，或去掉 AND、OR、NOT 等运算符后重试。",
           "Check that quotes come in pairs, or try again without AND, OR, "
           "NOT.");
    else
        tr(pg, "请稍后再试。", "Please try again in a moment.");
    put(pg, "</p>\n</div>\n");
}

/* ---- search page ---- */

static void put_hidden(struct page *pg, const char *name, const char *val)
{
    if (!nonempty(val))
        return;
    put(pg, "<input type=\"hidden\" name=\"");
    put(pg, name);
    put(pg, "\" value=\"");
    esc(pg, val);
    put(pg, "\">\n");
}

static void put_search_form(struct page *pg, const struct state *st, int big)
{
    size_t i;
    char num[24];
    put(pg, "<form class=\"search");
    if (big)
        put(pg, " search-big");
    put(pg, "\" role=\"search\" method=\"get\" action=\"/\">\n"
        "<label for=\"q\" class=\"vh\">");
    tr(pg, "检索词", "Search terms");
    put(pg, "</label>\n<input id=\"q\" name=\"q\" type=\"search\" value=\"");
    esc(pg, st->q);
    put(pg, "\" placeholder=\"");
    tr(pg, "输入关键词、标题或发文字号", "Words, a title or a document number");
    put(pg, "\" maxlength=\"1000\" autocomplete=\"off\" spellcheck=\"false\"");
    if (big)
        put(pg, " autofocus");
    put(pg, ">\n");
    for (i = 0; i < st->ncat; i++)
        put_hidden(pg, "category", st->cat[i]);
    for (i = 0; i < st->nunit; i++)
        put_hidden(pg, "unit", st->unit[i]);
    put_hidden(pg, "year", st->year);
    put_hidden(pg, "from", st->from);
    put_hidden(pg, "to", st->to);
    put_hidden(pg, "lang", st->lang);
    put_hidden(pg, "sort", st->sort);
    if (st->size != PORTAL_DEFAULT_SIZE) {
        snprintf(num, sizeof num, "%ld", st->size);
        put_hidden(pg, "size", num);
    }
    if (pg->en)
        put_hidden(pg, "ui", "en");
    put(pg, "<button type=\"submit\">");
    tr(pg, "搜索", "Search");
    put(pg, "</button>\n</form>\n");
}

static void put_front(struct page *pg, const struct state *st)
{
    put(pg, "<section class=\"hero\">\n<div class=\"wrap\">\n<h1>");
    tr(pg, "政府信息公开文件检索", "Search public government documents");
    put(pg, "</h1>\n<p class=\"lead\">");
    tr(pg, "检索已公开发布的法规、政策文件和公告，支持简体、繁体和英文。",
       "Search published laws, policy documents and notices in Simplified "
       "Chinese, Traditional Chinese and English.");
    put(pg, "</p>\n");
    put_search_form(pg, st, 1);
    put(pg, "</div>\n</section>\n<div class=\"wrap front\">\n"
        "<section class=\"tips\" aria-labelledby=\"tips-h\">\n"
        "<h2 id=\"tips-h\">");
    tr(pg, "检索提示", "Search tips");
    put(pg, "</h2>\n<ul>\n<li>");
    tr(pg, "精确短语请加引号，例如 <code>\"信息公开\"</code>。",
       "Put an exact phrase in quotes, e.g. "
       "<code>\"public information\"</code>.");
    put(pg, "</li>\n<li>");
    tr(pg, "可用 <code>AND</code>、<code>OR</code>、<code>NOT</code> 或 "
       "<code>-词语</code> 组合检索。",
       "Combine words with <code>AND</code>, <code>OR</code>, "
       "<code>NOT</code> or <code>-word</code>.");
    put(pg, "</li>\n<li>");
    tr(pg, "按字段检索：<code>title:</code> 标题、<code>unit:</code> 发文机关、"
       "<code>docno:</code> 发文字号。",
       "Search one field: <code>title:</code>, <code>unit:</code> (issuing "
       "unit), <code>docno:</code> (document number).");
    put(pg, "</li>\n<li>");
    tr(pg, "简体与繁体互通：输入任一种字形都能找到两种文本。",
       "Simplified and Traditional Chinese match each other.");
    put(pg, "</li>\n</ul>\n</section>\n"
        "<section class=\"tips\" aria-labelledby=\"staff-h\">\n"
        "<h2 id=\"staff-h\">");
    tr(pg, "工作人员", "For staff");
    put(pg, "</h2>\n<p>");
    tr(pg, "发布新文件前，可用", "Before publishing a document, use ");
    put(pg, "<a href=\"");
    put_check_url(pg);
    put(pg, "\">");
    tr(pg, "文稿查重", "Check a draft");
    put(pg, "</a>");
    tr(pg, "检查它是否已经发布过。", " to see whether it has already been published.");
    put(pg, "</p>\n</section>\n</div>\n");
}

/* One facet group. kind: "category", "unit" or "year". */
static void put_facet(struct page *pg, const struct state *st,
                      const json_t *list, const char *kind,
                      const char *zh, const char *en)
{
    size_t i, n = json_array_size(list);
    size_t k, shown = 0;
    int more = 0;
    char val[256];
    if (!n)
        return;
    put(pg, "<details class=\"facet\" open>\n<summary><h3>");
    tr(pg, zh, en);
    put(pg, "</h3></summary>\n<ul class=\"facet-list\">\n");
    for (i = 0; i < n; i++) {
        const json_t *e = json_array_get(list, i);
        struct state next = *st;
        int active = 0;
        if (!jscalar(json_object_get(e, "value"), val, sizeof val))
            continue;
        if (strcmp(kind, "year") == 0) {
            active = strcmp(st->year, val) == 0;
            if (active)
                next.year[0] = 0;
            else if (strlen(val) < sizeof next.year)
                memcpy(next.year, val, strlen(val) + 1);
        } else {
            int is_unit = strcmp(kind, "unit") == 0;
            const char **vals = is_unit ? next.unit : next.cat;
            size_t *nv = is_unit ? &next.nunit : &next.ncat;
            for (k = 0; k < *nv; k++)
                if (strcmp(vals[k], val) == 0)
                    break;
            if (k < *nv) {
                active = 1;
                memmove(vals + k, vals + k + 1, (*nv - k - 1) * sizeof *vals);
                (*nv)--;
            } else if (*nv < PORTAL_MAX_VALUES && jstr(e, "value")) {
                /* val is a local copy: point at the JSON's own string */
                vals[(*nv)++] = jstr(e, "value");
            }
        }
        next.page = 1;
        if (shown >= PORTAL_FACET_SHOWN && !active && !more) {
            more = 1;
            put(pg, "</ul>\n<details class=\"more\">\n<summary>");
            tr(pg, "更多", "More");
            put(pg, "</summary>\n<ul class=\"facet-list\">\n");
        }
        shown++;
        put(pg, "<li><a href=\"");
        put_search_url(pg, &next);
        put(pg, "\" data-facet=\"");
        put(pg, kind);
        put(pg, "\"");
        if (active)
            put(pg, " class=\"on\" aria-current=\"true\"");
        put(pg, "><span class=\"fv\">");
        esc(pg, val);
        put(pg, "</span><span class=\"fc\">");
        put_count(pg, (long long)jlong(json_object_get(e, "count"), 0));
        put(pg, "</span></a></li>\n");
    }
    put(pg, "</ul>\n");
    if (more)
        put(pg, "</details>\n");
    put(pg, "</details>\n");
}

static void put_chip(struct page *pg, const struct state *next,
                     const char *label, const char *value)
{
    put(pg, "<li><a class=\"chip\" href=\"");
    put_search_url(pg, next);
    put(pg, "\" title=\"");
    tr(pg, "取消此条件", "Remove this filter");
    put(pg, "\"><span class=\"chip-k\">");
    put(pg, label);
    put(pg, "</span> ");
    esc(pg, value);
    put(pg, " <span class=\"chip-x\" aria-hidden=\"true\">×</span>"
        "<span class=\"vh\">");
    tr(pg, "（取消）", " (remove)");
    put(pg, "</span></a></li>\n");
}


/* The same search without any filter (query, sort and language kept). */
static struct state unfiltered(const struct state *st)
{
    struct state none = *st;
    none.ncat = none.nunit = 0;
    none.year[0] = 0;
    none.from = none.to = none.lang = NULL;
    none.page = 1;
    return none;
}

static void put_active_filters(struct page *pg, const struct state *st)
{
    struct state next, none;
    size_t i;
    if (!state_filtered(st))
        return;
    put(pg, "<div class=\"active-filters\">\n<h2 class=\"af-h\">");
    tr(pg, "已选条件：", "Filters:");
    put(pg, "</h2>\n<ul>\n");
    for (i = 0; i < st->ncat; i++) {
        next = *st;
        memmove(next.cat + i, next.cat + i + 1,
                (next.ncat - i - 1) * sizeof *next.cat);
        next.ncat--;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "Category" : "主题分类", st->cat[i]);
    }
    for (i = 0; i < st->nunit; i++) {
        next = *st;
        memmove(next.unit + i, next.unit + i + 1,
                (next.nunit - i - 1) * sizeof *next.unit);
        next.nunit--;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "Unit" : "发文机关", st->unit[i]);
    }
    if (st->year[0]) {
        next = *st;
        next.year[0] = 0;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "Year" : "年份", st->year);
    }
    if (nonempty(st->from)) {
        next = *st;
        next.from = NULL;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "From" : "起始日期", st->from);
    }
    if (nonempty(st->to)) {
        next = *st;
        next.to = NULL;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "To" : "截止日期", st->to);
    }
    if (nonempty(st->lang)) {
        next = *st;
        next.lang = NULL;
        next.page = 1;
        put_chip(pg, &next, pg->en ? "Language" : "语言",
                 lang_name(pg, st->lang));
    }
    none = unfiltered(st);
    put(pg, "<li><a class=\"clear\" href=\"");
    put_search_url(pg, &none);
    put(pg, "\">");
    tr(pg, "清除全部", "Clear all");
    put(pg, "</a></li>\n</ul>\n</div>\n");
}

static void put_sort(struct page *pg, const struct state *st)
{
    static const char *keys[] = {NULL, "date", "date_asc"};
    static const char *zh[] = {"相关度", "最新", "最早"};
    static const char *en[] = {"Relevance", "Newest", "Oldest"};
    size_t i;
    put(pg, "<nav class=\"sort\" aria-label=\"");
    tr(pg, "排序方式", "Sort order");
    put(pg, "\"><span class=\"sort-k\">");
    tr(pg, "排序：", "Sort:");
    put(pg, "</span>");
    for (i = 0; i < 3; i++) {
        int cur = keys[i] == NULL
            ? st->sort == NULL
            : (st->sort && strcmp(st->sort, keys[i]) == 0);
        if (cur) {
            put(pg, "<span class=\"on\" aria-current=\"true\">");
            tr(pg, zh[i], en[i]);
            put(pg, "</span>");
        } else {
            struct state next = *st;
            next.sort = keys[i];
            next.page = 1;
            put(pg, "<a href=\"");
            put_search_url(pg, &next);
            put(pg, "\" data-sort=\"");
            put(pg, keys[i] ? keys[i] : "relevance");
            put(pg, "\">");
            tr(pg, zh[i], en[i]);
            put(pg, "</a>");
        }
    }
    put(pg, "</nav>\n");
}

static void put_meta_item(struct page *pg, const char *cls, const char *label,
                          const char *val)
{
    if (!nonempty(val))
        return;
    put(pg, "<span class=\"");
    put(pg, cls);
    put(pg, "\"><span class=\"vh\">");
    put(pg, label);
    put(pg, "</span>");
    esc(pg, val);
    put(pg, "</span>\n");
}

/* docno · unit · date, shared by the search and check pages. */
static void put_hit_meta(struct page *pg, const json_t *hit)
{
    const char *date = jstr(hit, "date");
    put(pg, "<p class=\"meta\">\n");
    put_meta_item(pg, "docno", pg->en ? "Document number: " : "发文字号：",
                  jstr(hit, "docno"));
    put_meta_item(pg, "unit", pg->en ? "Issued by: " : "发文机关：",
                  jstr(hit, "unit"));
    if (nonempty(date)) {
        put(pg, "<span class=\"date\"><span class=\"vh\">");
        tr(pg, "发布日期：", "Date: ");
        put(pg, "</span><time datetime=\"");
        esc(pg, date);
        put(pg, "\">");
        esc(pg, date);
        put(pg, "</time></span>\n");
    }
    put(pg, "</p>\n");
}

/* lang="zh-Hant" etc. on a document's own text, for the right glyphs. */
static void put_doc_lang(struct page *pg, const json_t *hit)
{
    const char *l = jstr(hit, "lang");
    if (l && (strcmp(l, "zh-Hans") == 0 || strcmp(l, "zh-Hant") == 0
              || strcmp(l, "en") == 0)) {
        put(pg, " lang=\"");
        put(pg, l);
        put(pg, "\"");
    }
}

/* article: the search sought a law's article (the answer's "article"):
 * the link goes straight to it on the document page (#m1 there). */
static void put_hit(struct page *pg, const struct state *st, const json_t *hit,
                    int article)
{
    const char *id = jstr(hit, "id"), *th = jstr(hit, "title_html");
    const char *sn = jstr(hit, "snippet_html"), *cat = jstr(hit, "category");
    const char *url = jstr(hit, "url");
    put(pg, "<li class=\"hit\">\n<h3 class=\"hit-title\"");
    put_doc_lang(pg, hit);
    put(pg, ">");
    if (id) {
        put(pg, "<a href=\"");
        put_doc_url(pg, id, st->q);
        if (article && nonempty(st->q))
            put(pg, "#m1");
        put(pg, "\">");
    }
    if (nonempty(th))
        raw(pg, th);
    else if (nonempty(jstr(hit, "title")))
        esc(pg, jstr(hit, "title"));
    else
        tr(pg, "（无标题）", "(untitled)");
    if (id)
        put(pg, "</a>");
    put(pg, "</h3>\n");
    put_hit_meta(pg, hit);
    if (nonempty(sn)) {
        put(pg, "<p class=\"snippet\"");
        put_doc_lang(pg, hit);
        put(pg, ">");
        raw(pg, sn);
        put(pg, "</p>\n");
    }
    if (nonempty(cat) || is_web_url(url)) {
        put(pg, "<p class=\"hit-foot\">");
        if (nonempty(cat)) {
            put(pg, "<span class=\"tag\"><span class=\"vh\">");
            tr(pg, "类别：", "Category: ");
            put(pg, "</span>");
            esc(pg, cat);
            put(pg, "</span>");
        }
        if (is_web_url(url)) {
            put(pg, "<a class=\"src\" rel=\"noopener noreferrer\" href=\"");
            esc(pg, url);
            put(pg, "\">");
            tr(pg, "原文链接", "Original page");
            put(pg, "</a>");
        }
        put(pg, "</p>\n");
    }
    put(pg, "</li>\n");
}

static void put_page_link(struct page *pg, const struct state *st, long n,
                          const char *cls, const char *rel, const char *text)
{
    struct state next = *st;
    next.page = n;
    put(pg, "<li><a");
    if (cls) {
        put(pg, " class=\"");
        put(pg, cls);
        put(pg, "\"");
    }
    if (rel) {
        put(pg, " rel=\"");
        put(pg, rel);
        put(pg, "\"");
    }
    put(pg, " href=\"");
    put_search_url(pg, &next);
    put(pg, "\">");
    if (text)
        put(pg, text);
    else
        putf(pg, "%ld", n);
    put(pg, "</a></li>\n");
}

static void put_pager(struct page *pg, const struct state *st, long long total,
                      long cur, long size)
{
    long pages, p, lo, hi;
    if (size < 1)
        size = PORTAL_DEFAULT_SIZE;
    pages = (long)((total + size - 1) / size);
    if (pages <= 1 && cur <= 1)
        return;
    put(pg, "<nav class=\"pager\" aria-label=\"");
    tr(pg, "分页", "Pages");
    put(pg, "\">\n<ul>\n");
    if (cur > 1)
        put_page_link(pg, st, cur - 1, "prev", "prev",
                      pg->en ? "‹ Previous" : "‹ 上一页");
    lo = cur - 2 > 1 ? cur - 2 : 1;
    hi = cur + 2 < pages ? cur + 2 : pages;
    if (lo > 1) {
        put_page_link(pg, st, 1, NULL, NULL, NULL);
        if (lo > 2)
            put(pg, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n");
    }
    for (p = lo; p <= hi; p++) {
        if (p == cur) {
            putf(pg, "<li><span class=\"cur\" aria-current=\"page\">%ld"
                 "</span></li>\n", p);
        } else {
            put_page_link(pg, st, p, NULL, NULL, NULL);
        }
    }
    if (hi < pages) {
        if (hi < pages - 1)
            put(pg, "<li class=\"gap\" aria-hidden=\"true\">…</li>\n");
        put_page_link(pg, st, pages, NULL, NULL, NULL);
    }
    if (cur < pages)
        put_page_link(pg, st, cur + 1, "next", "next",
                      pg->en ? "Next ›" : "下一页 ›");
    put(pg, "</ul>\n</nav>\n");
}

/* "Did you mean": the search again with the words spelt as the index
 * spells them (the API's did_you_mean), filters kept. */
static void put_did_you_mean(struct page *pg, const struct state *st, const char *dym)
{
    struct state s2;
    if (!nonempty(dym))
        return;
    s2 = *st;
    s2.q = dym;
    s2.page = 1;
    put(pg, "<p class=\"dym\" id=\"dym\">");
    tr(pg, "您是不是要找：", "Did you mean: ");
    put(pg, "<a href=\"");
    put_search_url(pg, &s2);
    put(pg, "\">");
    esc(pg, dym);
    put(pg, "</a></p>\n");
}

static void put_results(struct page *pg, const struct state *st,
                        const json_t *result)
{
    const json_t *hits = json_object_get(result, "hits");
    const json_t *facets = json_object_get(result, "facets");
    long long total = jlong(json_object_get(result, "total"), 0);
    long cur = jlong(json_object_get(result, "page"), st->page);
    long size = jlong(json_object_get(result, "size"), st->size);
    const json_t *took = json_object_get(result, "took_ms");
    size_t i;
    int has_facets = json_array_size(json_object_get(facets, "category"))
        || json_array_size(json_object_get(facets, "unit"))
        || json_array_size(json_object_get(facets, "year"));

    put(pg, "<div class=\"results-head\">\n"
        "<p class=\"summary\" id=\"summary\" data-total=\"");
    putf(pg, "%lld", total);
    put(pg, "\">");
    if (pg->en) {
        put(pg, "<strong>");
        put_count(pg, total);
        put(pg, total == 1 ? "</strong> result" : "</strong> results");
    } else {
        put(pg, "共找到 <strong>");
        put_count(pg, total);
        put(pg, "</strong> 条结果");
    }
    if (json_is_number(took)) {
        putf(pg, pg->en ? " (%.1f ms)" : "，用时 %.1f 毫秒",
             json_number_value(took));
    }
    if (total > size && size > 0) {
        long pages = (long)((total + size - 1) / size);
        if (pg->en)
            putf(pg, " · page %ld of %ld", cur, pages);
        else
            putf(pg, " · 第 %ld / %ld 页", cur, pages);
    }
    put(pg, "</p>\n");
    if (total > 0)
        put_sort(pg, st);
    put(pg, "</div>\n");
    if (json_is_true(json_object_get(result, "relaxed"))) {
        put(pg, "<p class=\"relaxed\" id=\"relaxed\">");
        tr(pg, "没有同时包含全部检索词的文件，以下是包含其中部分词语的文件，包含越多越靠前。",
           "No document holds all of the words: these hold some of them, "
           "those with the most first.");
        put(pg, "</p>\n");
    }
    put_did_you_mean(pg, st, json_string_value(json_object_get(result, "did_you_mean")));
    put_active_filters(pg, st);

    put(pg, "<div class=\"layout");
    if (!has_facets)
        put(pg, " no-facets");
    put(pg, "\">\n<section class=\"results\" aria-labelledby=\"results-h\">\n"
        "<h2 id=\"results-h\" class=\"vh\">");
    tr(pg, "检索结果", "Results");
    put(pg, "</h2>\n");
    if (json_array_size(hits) == 0) {
        put(pg, "<div class=\"notice noresult\">\n<p class=\"notice-title\">");
        if (total > 0) {
            tr(pg, "这一页没有结果。", "There are no results on this page.");
        } else if (nonempty(st->q)) {
            tr(pg, "没有找到与“", "No documents match “");
            esc(pg, st->q);
            tr(pg, "”相关的文件。", "”.");
        } else {
            tr(pg, "没有符合条件的文件。", "No documents match these filters.");
        }
        put(pg, "</p>\n<ul>\n<li>");
        tr(pg, "检查是否有错别字，或换用更常见的词语。",
           "Check the spelling, or try more common words.");
        put(pg, "</li>\n<li>");
        tr(pg, "减少检索词或筛选条件。", "Use fewer words or filters.");
        put(pg, "</li>\n");
        if (state_filtered(st)) {
            struct state none = unfiltered(st);
            put(pg, "<li><a href=\"");
            put_search_url(pg, &none);
            put(pg, "\">");
            tr(pg, "取消全部筛选条件再试", "Search again without filters");
            put(pg, "</a></li>\n");
        }
        if (total > 0) {
            struct state first = *st;
            first.page = 1;
            put(pg, "<li><a href=\"");
            put_search_url(pg, &first);
            put(pg, "\">");
            tr(pg, "回到第一页", "Go to the first page");
            put(pg, "</a></li>\n");
        }
        put(pg, "</ul>\n</div>\n");
    } else {
        putf(pg, "<ol class=\"hits\" start=\"%ld\">\n", (cur - 1) * size + 1);
        for (i = 0; i < json_array_size(hits); i++)
            put_hit(pg, st, json_array_get(hits, i), nonempty(jstr(result, "article")));
        put(pg, "</ol>\n");
    }
    put_pager(pg, st, total, cur, size);
    put(pg, "</section>\n");
    if (has_facets) {
        put(pg, "<aside class=\"facets\" aria-labelledby=\"facets-h\">\n"
            "<h2 id=\"facets-h\">");
        tr(pg, "筛选", "Refine");
        put(pg, "</h2>\n");
        put_facet(pg, st, json_object_get(facets, "category"), "category",
                  "主题分类", "Category");
        put_facet(pg, st, json_object_get(facets, "unit"), "unit",
                  "发文机关", "Issuing unit");
        put_facet(pg, st, json_object_get(facets, "year"), "year",
                  "年份", "Year");
        put(pg, "</aside>\n");
    }
    put(pg, "</div>\n");
}

char *portal_render_search(const json_t *params, const json_t *result,
                           const json_t *error)
{
    struct state st;
    struct page pg;
    int front;
    state_parse(&st, params);
    page_init(&pg, &st);
    front = !result && !error && !nonempty(st.q) && !state_filtered(&st);
    page_begin(&pg, &st, nonempty(st.q) ? st.q : NULL,
               front ? "p-front" : "p-search", 0, 0, NULL);
    if (front) {
        put_front(&pg, &st);
    } else {
        put(&pg, "<div class=\"searchbar\">\n<div class=\"wrap\">\n");
        put_search_form(&pg, &st, 0);
        put(&pg, "</div>\n</div>\n<div class=\"wrap\">\n<h1 class=\"vh\">");
        if (nonempty(st.q)) {
            tr(&pg, "检索：", "Search: ");
            esc(&pg, st.q);
        } else {
            tr(&pg, "文件列表", "Documents");
        }
        put(&pg, "</h1>\n");
        if (error) {
            put_error(&pg, error);
            put_active_filters(&pg, &st);
        } else if (result) {
            put_results(&pg, &st, result);
        }
        put(&pg, "</div>\n");
    }
    page_end(&pg);
    return page_finish(&pg);
}

/* ---- check page ---- */

/* Similarity 0..1 as a whole percentage; below 1 never shows as 100. */
static int sim_percent(double s)
{
    int p;
    if (!(s > 0))
        return 0;
    if (s >= 1)
        return 100;
    p = (int)floor(s * 100 + 0.5);
    return p > 99 ? 99 : p;
}

char *portal_render_check(const json_t *params, const char *text,
                          const json_t *result, const json_t *error)
{
    struct state st;
    struct page pg;
    const json_t *hits = json_object_get(result, "hits");
    size_t i, n = json_array_size(hits);
    state_parse(&st, params);
    page_init(&pg, &st);
    page_begin(&pg, &st, pg.en ? "Check a draft" : "文稿查重", "p-check", 1,
               1, NULL);
    put(&pg, "<div class=\"wrap narrow\">\n<h1>");
    tr(&pg, "文稿查重", "Check a draft");
    put(&pg, "</h1>\n<p class=\"lead\">");
    tr(&pg, "发布文件前，将文稿全文粘贴到下面，检查它（或与它非常接近的文本）是否已经发布。"
       "简体和繁体视为相同文本。",
       "Before publishing, paste the full text of the draft below to see "
       "whether it, or something very close to it, has already been "
       "published. Simplified and Traditional Chinese count as the same "
       "text.");
    /* ui goes in the action's query too: searchd reads the page's
     * parameters from the URL, the form body gives only the text */
    put(&pg, "</p>\n<form class=\"check\" method=\"post\" action=\"");
    put_check_url(&pg);
    put(&pg, "\">\n<label for=\"text\">");
    tr(&pg, "文稿全文", "Text of the draft");
    put(&pg, "</label>\n<textarea id=\"text\" name=\"text\" rows=\"12\" "
        "required spellcheck=\"false\" aria-describedby=\"text-hint\">");
    /* A newline right after <textarea> would be eaten by the parser. */
    if (text && (text[0] == '\n' || (text[0] == '\r' && text[1] == '\n')))
        put(&pg, "\n");
    esc(&pg, text);
    put(&pg, "</textarea>\n<p class=\"hint\" id=\"text-hint\">");
    tr(&pg, "文本只用于本次比对，不会被保存。", "The text is only compared, never stored.");
    put(&pg, "</p>\n");
    if (pg.en)
        put_hidden(&pg, "ui", "en");
    put(&pg, "<button type=\"submit\">");
    tr(&pg, "开始检查", "Check");
    put(&pg, "</button>\n</form>\n");

    if (error)
        put_error(&pg, error);
    if (result && !error) {
        const json_t *h0 = json_array_get(hits, 0);
        double top = json_number_value(json_object_get(h0, "similarity"));
        put(&pg, "<section class=\"check-results\" "
            "aria-labelledby=\"check-h\">\n"
            "<h2 id=\"check-h\">");
        tr(&pg, "比对结果", "Result");
        put(&pg, "</h2>\n<div class=\"verdict ");
        put(&pg, top >= 0.9 ? "v-pub" : top >= 0.5 ? "v-sim" : "v-new");
        put(&pg, "\" role=\"status\" id=\"verdict\">\n"
            "<p class=\"verdict-title\">");
        if (top >= 0.9)
            tr(&pg, "已发布：这份文稿很可能已经发布过。",
               "Probably already published.");
        else if (top >= 0.5)
            tr(&pg, "相似：已有内容相近的文件，请核对。",
               "Similar documents exist: please compare them.");
        else
            tr(&pg, "未发现相似的已发布文件。", "No similar published document was found.");
        put(&pg, "</p>\n");
        if (top >= 0.5 && h0) {
            put(&pg, "<p>");
            tr(&pg, "最接近的是《", "The closest is “");
            esc(&pg, nonempty(jstr(h0, "title")) ? jstr(h0, "title")
                                                 : jstr(h0, "id"));
            tr(&pg, "》", "”");
            if (nonempty(jstr(h0, "docno"))) {
                put(&pg, pg.en ? " (" : "（");
                esc(&pg, jstr(h0, "docno"));
                put(&pg, pg.en ? ")" : "）");
            }
            putf(&pg, pg.en ? ", similarity %d%%." : "，相似度 %d%%。",
                 sim_percent(top));
            put(&pg, "</p>\n");
        }
        put(&pg, "</div>\n");
        if (n) {
            put(&pg, "<ol class=\"sim\">\n");
            for (i = 0; i < n; i++) {
                const json_t *h = json_array_get(hits, i);
                double s = json_number_value(json_object_get(h, "similarity"));
                int pct = sim_percent(s);
                const char *id = jstr(h, "id"), *title = jstr(h, "title");
                put(&pg, "<li class=\"sim-hit ");
                put(&pg, s >= 0.9 ? "s-pub" : s >= 0.5 ? "s-sim" : "s-low");
                put(&pg, "\">\n<div class=\"score\">");
                putf(&pg, "<span class=\"pct\" data-similarity=\"%.4f\">"
                     "%d%%</span>", s, pct);
                /* the bar: a width class in steps of 5 (no inline style) */
                putf(&pg, "<span class=\"meter\" aria-hidden=\"true\">"
                     "<span class=\"fill w%d\"></span></span>",
                     (pct + 2) / 5 * 5);
                if (s >= 0.9) {
                    put(&pg, "<span class=\"badge b-pub\">");
                    tr(&pg, "已发布", "Published");
                    put(&pg, "</span>");
                } else if (s >= 0.5) {
                    put(&pg, "<span class=\"badge b-sim\">");
                    tr(&pg, "相似", "Similar");
                    put(&pg, "</span>");
                }
                put(&pg, "</div>\n<div class=\"sim-body\">\n"
                    "<h3 class=\"hit-title\">");
                if (id) {
                    put(&pg, "<a href=\"");
                    put_doc_url(&pg, id, NULL);
                    put(&pg, "\">");
                }
                if (nonempty(title))
                    esc(&pg, title);
                else
                    tr(&pg, "（无标题）", "(untitled)");
                if (id)
                    put(&pg, "</a>");
                put(&pg, "</h3>\n");
                put_hit_meta(&pg, h);
                if (nonempty(jstr(h, "passage_html"))) {
                    /* escaped text with <mark> (api.c shared_passage) */
                    put(&pg, "<p class=\"passage\"><span class=\"passage-label\">");
                    tr(&pg, "相同的文字：", "Text in common: ");
                    put(&pg, "</span>");
                    put(&pg, jstr(h, "passage_html"));
                    put(&pg, "</p>\n");
                }
                put(&pg, "</div>\n</li>\n");
            }
            put(&pg, "</ol>\n<p class=\"hint\">");
            tr(&pg, "相似度估计文稿内容在该文件中出现的比例（100% 表示文本相同）。",
               "Similarity estimates the share of the draft found in that "
               "document (100% = same text).");
            put(&pg, "</p>\n");
        }
        put(&pg, "</section>\n");
    }
    put(&pg, "</div>\n");
    page_end(&pg);
    return page_finish(&pg);
}

/* ---- document page ---- */

static void put_field(struct page *pg, const char *zh, const char *en,
                      const char *val, const char *filter_key)
{
    if (!nonempty(val))
        return;
    put(pg, "<dt>");
    tr(pg, zh, en);
    put(pg, "</dt><dd>");
    if (filter_key) {
        int first = 1;
        put(pg, "<a href=\"/");
        put_param(pg, &first, filter_key, val);
        put(pg, "&amp;sort=date");
        put_ui_suffix(pg, 0);
        put(pg, "\">");
        esc(pg, val);
        put(pg, "</a>");
    } else {
        esc(pg, val);
    }
    put(pg, "</dd>\n");
}

/* The text, one <p> per non-blank line. */
static void put_paragraphs(struct page *pg, const char *text)
{
    const char *p = text, *nl;
    size_t len;
    while (p && *p) {
        nl = strchr(p, '\n');
        len = nl ? (size_t)(nl - p) : strlen(p);
        while (len && strchr("\r \t", p[len - 1]))
            len--;
        {
            const char *s = p;
            size_t l = len;
            while (l && (*s == ' ' || *s == '\t')) {
                s++;
                l--;
            }
            if (l) {
                put(pg, "<p>");
                if (!pg->fail && html_escape(&pg->b, s, l) < 0)
                    pg->fail = 1;
                put(pg, "</p>\n");
            }
        }
        p = nl ? nl + 1 : NULL;
    }
}

/* Which mark of text_html (1-based) is the target of #m1: the first whose
 * text is one of targets (an article's forms: 第三十四条, 第34条) at the
 * start of its line (the article's heading), else the first of those
 * anywhere, else the first mark. */
static size_t target_mark(const char *html, const json_t *targets)
{
    const char *p = html;
    size_t k = 0, any = 0;
    while (json_array_size(targets) && (p = strstr(p, "<mark>")) != NULL) {
        const char *in = p + 6, *end = strstr(in, "</mark>"), *b = p;
        size_t i;
        k++;
        for (i = 0; end && i < json_array_size(targets); i++) {
            const char *t = json_string_value(json_array_get(targets, i));
            if (t && strlen(t) == (size_t)(end - in) && !memcmp(in, t, strlen(t)))
                break;
        }
        if (end && i < json_array_size(targets)) {
            while (b > html && strchr(" \t*#", b[-1]))
                b--;
            if (b == html || b[-1] == '\n')
                return k;
            if (!any)
                any = k;
        }
        p = in;
    }
    return any ? any : 1;
}

/* The same for text already escaped with <mark>s (text_html): one
 * paragraph per line, a mark cut by a line break closed and opened again,
 * mark number target the target of #m1. Returns the number of marks. */
static size_t put_marked_paragraphs(struct page *pg, const char *html,
                                    size_t target)
{
    const char *p = html, *nl;
    size_t marks = 0;
    int open = 0;
    while (p && *p) {
        const char *s = p, *e;
        nl = strchr(p, '\n');
        e = nl ? nl : p + strlen(p);
        while (e > s && strchr("\r \t", e[-1]))
            e--;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        if (s < e) {
            put(pg, open ? "<p><mark>" : "<p>");
            while (s < e) {
                const char *m = strchr(s, '<');
                if (!m || m >= e) {
                    putn(pg, s, (size_t)(e - s));
                    break;
                }
                putn(pg, s, (size_t)(m - s));
                if (!strncmp(m, "<mark>", 6)) {
                    put(pg, ++marks == target ? "<mark id=\"m1\">" : "<mark>");
                    open = 1;
                    s = m + 6;
                } else if (!strncmp(m, "</mark>", 7)) {
                    put(pg, "</mark>");
                    open = 0;
                    s = m + 7;
                } else { /* cannot happen: the text is escaped */
                    put(pg, "&lt;");
                    s = m + 1;
                }
            }
            put(pg, open ? "</mark></p>\n" : "</p>\n");
        }
        p = nl ? nl + 1 : NULL;
    }
    return marks;
}

char *portal_render_doc(const json_t *params, const json_t *doc)
{
    struct state st;
    struct page pg;
    struct state back;
    const char *title = jstr(doc, "title"), *url = jstr(doc, "url");
    char year[24];
    state_parse(&st, params);
    page_init(&pg, &st);
    page_begin(&pg, &st, doc ? (nonempty(title) ? title : jstr(doc, "id"))
                             : (pg.en ? "Not found" : "未找到"),
               "p-doc", -1, 0, jstr(doc, "id"));
    put(&pg, "<div class=\"wrap narrow\">\n<p class=\"back\"><a href=\"");
    memset(&back, 0, sizeof back);
    back.q = st.q;
    back.page = 1;
    back.size = PORTAL_DEFAULT_SIZE;
    back.en = st.en;
    put_search_url(&pg, &back);
    put(&pg, "\">← ");
    if (nonempty(st.q))
        tr(&pg, "返回检索结果", "Back to results");
    else
        tr(&pg, "返回检索", "Back to search");
    put(&pg, "</a></p>\n");
    if (!doc) {
        put(&pg, "<div class=\"notice notice-error\" role=\"alert\">"
            "<p class=\"notice-title\">");
        tr(&pg, "没有找到这份文件。", "This document was not found.");
        put(&pg, "</p><p>");
        tr(&pg, "它可能已被移除，或链接有误。请重新检索。",
           "It may have been removed, or the link is wrong. Please search "
           "again.");
        put(&pg, "</p></div>\n</div>\n");
        page_end(&pg);
        return page_finish(&pg);
    }
    put(&pg, "<article class=\"doc\">\n<h1");
    put_doc_lang(&pg, doc);
    put(&pg, ">");
    if (nonempty(jstr(doc, "title_html")))
        put(&pg, jstr(doc, "title_html"));
    else if (nonempty(title))
        esc(&pg, title);
    else
        tr(&pg, "（无标题）", "(untitled)");
    put(&pg, "</h1>\n<dl class=\"fields\">\n");
    put_field(&pg, "发文字号", "Document number", jstr(doc, "docno"), NULL);
    put_field(&pg, "发文机关", "Issuing unit", jstr(doc, "unit"), "unit");
    put_field(&pg, "主题分类", "Category", jstr(doc, "category"), "category");
    put_field(&pg, "发布日期", "Date", jstr(doc, "date"), NULL);
    if (!nonempty(jstr(doc, "date"))
        && jscalar(json_object_get(doc, "year"), year, sizeof year))
        put_field(&pg, "年份", "Year", year, NULL);
    if (nonempty(jstr(doc, "lang")))
        put_field(&pg, "语言", "Language", lang_name(&pg, jstr(doc, "lang")),
                  NULL);
    if (is_web_url(url)) {
        put(&pg, "<dt>");
        tr(&pg, "原文链接", "Original page");
        put(&pg, "</dt><dd><a class=\"src\" rel=\"noopener noreferrer\" "
            "href=\"");
        esc(&pg, url);
        put(&pg, "\">");
        esc(&pg, url);
        put(&pg, "</a></dd>\n");
    }
    put_field(&pg, "文件标识", "Document ID", jstr(doc, "id"), NULL);
    put(&pg, "</dl>\n");
    if (nonempty(jstr(doc, "text_html"))) {
        /* the marked text is written first, the note on its marks above */
        struct page body = pg;
        size_t n;
        buf_init(&body.b, 0);
        put(&body, "<div class=\"doc-text\"");
        put_doc_lang(&body, doc);
        put(&body, ">\n");
        n = put_marked_paragraphs(&body, jstr(doc, "text_html"),
                                  target_mark(jstr(doc, "text_html"),
                                              json_object_get(doc, "mark_target")));
        put(&body, "</div>\n");
        if (n) {
            putf(&pg, "<p class=\"hits-note\">%zu", n);
            tr(&pg, " 处与检索词匹配（已标出）· <a href=\"#m1\">跳到第一处</a>",
               n == 1 ? " match of your search is marked · <a href=\"#m1\">go to it</a>"
                      : " matches of your search are marked · <a href=\"#m1\">go to the first</a>");
            put(&pg, "</p>\n");
        }
        if (body.fail)
            pg.fail = 1;
        else
            putn(&pg, body.b.p, body.b.len);
        buf_release(&body.b);
    } else {
        put(&pg, "<div class=\"doc-text\"");
        put_doc_lang(&pg, doc);
        put(&pg, ">\n");
        put_paragraphs(&pg, jstr(doc, "text"));
        put(&pg, "</div>\n");
    }
    put(&pg, "</article>\n</div>\n");
    page_end(&pg);
    return page_finish(&pg);
}

/* ---- OpenSearch ---- */

char *portal_opensearch_xml(const char *base_url)
{
    struct page pg;
    const char *base = nonempty(base_url) ? base_url : "http://localhost";
    size_t n = strlen(base);
    memset(&pg, 0, sizeof pg);
    buf_init(&pg.b, PORTAL_PAGE_MAX);
    while (n && base[n - 1] == '/')
        n--;
    put(&pg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<OpenSearchDescription "
        "xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
        "<ShortName>政府文件检索</ShortName>\n"
        "<Description>检索已公开发布的政府文件 / Search public government documents"
        "</Description>\n<InputEncoding>UTF-8</InputEncoding>\n"
        "<Language>zh-CN</Language>\n<Image width=\"16\" height=\"16\" "
        "type=\"image/svg+xml\">");
    if (!pg.fail && html_escape(&pg.b, base, n) < 0)
        pg.fail = 1;
    put(&pg, "/assets/favicon.svg</Image>\n"
        "<Url type=\"text/html\" method=\"get\" template=\"");
    if (!pg.fail && html_escape(&pg.b, base, n) < 0)
        pg.fail = 1;
    put(&pg, "/?q={searchTerms}\"/>\n</OpenSearchDescription>\n");
    return page_finish(&pg);
}
