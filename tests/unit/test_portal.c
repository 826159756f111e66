/* test_portal.c - the portal pages (searchd/portal.c) and the escaping
 * helpers (common/html.c): escaping of hostile values, percent-encoded
 * links that keep filters, sort and language, paging, both languages, the
 * front, no-result, error, check and document pages, and the CSP rules
 * (no inline script or style, no outside resource). */
#include "tests/unit/check.h"
#include "common/buf.h"
#include "common/html.h"
#include "searchd/portal.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *J(const char *s)
{
    json_error_t e;
    json_t *v = json_loads(s, 0, &e);
    if (!v)
        fprintf(stderr, "bad test JSON: %s: %s\n", e.text, s);
    return v;
}

static int has(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    size_t len = strlen(needle);
    while (hay && (hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += len;
    }
    return n;
}

/* An inline event handler: " on" letters "=" inside a tag. */
static int has_event_attr(const char *html)
{
    const char *p = html;
    while ((p = strstr(p, " on")) != NULL) {
        const char *q = p + 3;
        while (*q >= 'a' && *q <= 'z')
            q++;
        if (q > p + 3 && *q == '=')
            return 1;
        p += 3;
    }
    return 0;
}

/* Open and close tags pair up (the renderer writes no implied ends). */
static void check_balanced(const char *html)
{
    static const char *tags[] = {"details", "ul", "ol", "li", "p", "section",
                                 "nav", "div", "a", "form", "aside", "main",
                                 "header", "footer", "h1", "h2", "h3", "dl",
                                 "summary", "span", "article", "textarea", NULL};
    size_t i;
    char open1[32], open2[32], close[32];
    for (i = 0; tags[i]; i++) {
        int n;
        snprintf(open1, sizeof open1, "<%s>", tags[i]);
        snprintf(open2, sizeof open2, "<%s ", tags[i]);
        snprintf(close, sizeof close, "</%s>", tags[i]);
        n = count(html, open1) + count(html, open2);
        if (n != count(html, close))
            fprintf(stderr, "unbalanced <%s>: %d open, %d closed\n", tags[i], n,
                    count(html, close));
        CHECK_INTEQ(n, count(html, close));
    }
}

/* The page obeys the CSP and loads nothing from outside: the only script
 * is /assets/app.js, no style attribute or element, no absolute URL in a
 * src or a stylesheet link. */
static void check_csp(const char *html)
{
    char want[200];
    CHECK(count(html, "<script") == 1);
    /* assets by URLs versioned with their content's tag */
    CHECK(strlen(portal_asset_tag("app.js")) == 16);
    snprintf(want, sizeof want, "<script src=\"/assets/app.js?v=%s\" defer></script>",
             portal_asset_tag("app.js"));
    CHECK(has(html, want));
    CHECK(!has(html, "style=\""));
    CHECK(!has(html, "<style"));
    CHECK(!has(html, "src=\"http"));
    CHECK(!has(html, "src=\"//"));
    CHECK(!has(html, "href=\"//"));
    CHECK(!has_event_attr(html));
    CHECK(!has(html, "javascript:"));
    snprintf(want, sizeof want, "<link rel=\"stylesheet\" href=\"/assets/style.css?v=%s\">",
             portal_asset_tag("style.css"));
    CHECK(has(html, want));
    CHECK(strcmp(portal_asset_tag("style.css"), portal_asset_tag("app.js")) != 0);
    CHECK_STREQ(portal_asset_tag("no-such.css"), "");
    CHECK(has(html, "application/opensearchdescription+xml"));
    CHECK(has(html, "<main id=\"main\""));
    CHECK(has(html, "<meta name=\"viewport\""));
    check_balanced(html);
}

/* Every site link of an English page keeps ui=en, but for the switch to
 * Chinese; a Chinese page has ui=en only on the switch. */
static void check_ui_links(const char *html, int en)
{
    const char *p = html;
    int bad = 0, links = 0;
    while ((p = strstr(p, "href=\"/")) != NULL) {
        const char *end = strchr(p + 6, '"');
        size_t len = end ? (size_t)(end - p) : 0;
        char link[2048];
        p += 6;
        if (!end || len >= sizeof link)
            continue;
        memcpy(link, p, (size_t)(end - p));
        link[end - p] = 0;
        if (strncmp(link, "/assets/", 8) == 0 || strcmp(link, "/opensearch.xml") == 0
            || strncmp(link, "/api/", 5) == 0)
            continue;
        links++;
        if (en && !has(link, "ui=en"))
            bad++;
    }
    CHECK(links > 3);
    if (en) {
        /* the switch back to Chinese is the one exception */
        CHECK_INTEQ(bad, 1);
        CHECK(has(html, "<html lang=\"en\">"));
    } else {
        CHECK_INTEQ(count(html, "ui=en"), 1);
        CHECK(has(html, "<html lang=\"zh-CN\">"));
    }
}

static void test_escape(void)
{
    struct buf b;
    char *s;
    buf_init(&b, 0);
    CHECK_INTEQ(html_escapes(&b, "<script>a&b\"c'd</script>"), 0);
    CHECK_STREQ(b.p, "&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;");
    buf_reset(&b);
    /* invalid UTF-8 (lone continuation, truncated sequence, overlong '<')
     * become U+FFFD; controls other than \t \n \r are dropped */
    html_escape(&b, "a\x80" "b\xE4\xB8" "c\xC0\xBC" "d\x01\te\n", 13);
    CHECK_STREQ(b.p, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD" "d\te\n");
    buf_reset(&b);
    html_escapes(&b, "中文 繁體 ok");
    CHECK_STREQ(b.p, "中文 繁體 ok");
    buf_reset(&b);
    CHECK_INTEQ(html_urlencode(&b, "dir/a b#中.html", strlen("dir/a b#中.html"), "/"), 0);
    CHECK_STREQ(b.p, "dir/a%20b%23%E4%B8%AD.html");
    buf_reset(&b);
    html_urlencode(&b, "x&y=z?/+\"<", 10, NULL);
    CHECK_STREQ(b.p, "x%26y%3Dz%3F%2F%2B%22%3C");
    s = buf_detach(&b, NULL);
    free(s);
    buf_release(&b);
}

/* A result with hostile values everywhere the engine does not escape. */
static const char *hostile_result =
    "{\"query\":\"q\",\"total\":95,\"took_ms\":3.25,\"page\":2,\"size\":10,"
    "\"hits\":[{\"id\":\"dir/a b#中.html\",\"title\":\"T<script>\","
    "\"title_html\":\"TITLE&amp;<mark>信息</mark>\","
    "\"unit\":\"<script>alert('u')</script>\",\"category\":\"C&\\\"x\","
    "\"date\":\"2013-07-01\",\"year\":2013,\"docno\":\"国办发〔2013〕26号<i>\","
    "\"lang\":\"zh-Hant\",\"url\":\"javascript:alert(1)\","
    "\"snippet_html\":\"...<mark>信息</mark>公开...\"},"
    "{\"id\":\"plain.txt\",\"title\":\"Only <title>\",\"unit\":\"U\",\"date\":null,"
    "\"url\":\"https://example.gov/a?b=1&c=2\"}],"
    "\"facets\":{\"category\":[{\"value\":\"综合政务\",\"count\":1210},"
    "{\"value\":\"<b>&\\\"\",\"count\":5}],"
    "\"unit\":[{\"value\":\"国务院办公厅\",\"count\":98}],"
    "\"year\":[{\"value\":2013,\"count\":77},{\"value\":2012,\"count\":3}]}}";

static void test_search_zh(void)
{
    json_t *params = J("{\"q\":\"信息 公开&\",\"category\":[\"综合政务\"],"
                       "\"unit\":\"a&b\",\"page\":\"2\"}");
    json_t *result = J(hostile_result);
    char *html = portal_render_search(params, result, NULL);
    CHECK(html != NULL);
    if (!html)
        goto out;
    check_csp(html);
    check_ui_links(html, 0);
    /* engine HTML inserted as is; everything else escaped */
    CHECK(has(html, "TITLE&amp;<mark>信息</mark>"));
    CHECK(has(html, "...<mark>信息</mark>公开..."));
    CHECK(!has(html, "<script>alert"));
    CHECK(has(html, "&lt;script&gt;alert(&#39;u&#39;)&lt;/script&gt;"));
    CHECK(has(html, "C&amp;&quot;x"));
    CHECK(has(html, "国办发〔2013〕26号&lt;i&gt;"));
    CHECK(has(html, "Only &lt;title&gt;"));
    CHECK(has(html, "&lt;b&gt;&amp;&quot;"));
    CHECK(!has(html, "<b>&"));
    /* the search box keeps the query, escaped */
    CHECK(has(html, "value=\"信息 公开&amp;\""));
    /* a document link: id percent-encoded, '/' kept, q carried */
    CHECK(has(html, "href=\"/doc/dir/a%20b%23%E4%B8%AD.html?q=%E4%BF%A1%E6%81%AF%20%E5%85%AC%E5%BC%80%26\""));
    CHECK(has(html, "href=\"/doc/plain.txt?q="));
    CHECK(!has(html, "#m1\""));
    free(html);
    /* a search for a law's article: the links go straight to it */
    json_object_set_new(result, "article", json_string("第三条"));
    html = portal_render_search(params, result, NULL);
    CHECK(html && has(html, "href=\"/doc/dir/a%20b%23%E4%B8%AD.html?q=%E4%BF%A1%E6%81%AF"
                            "%20%E5%85%AC%E5%BC%80%26#m1\""));
    json_object_del(result, "article");
    if (!html)
        goto out;
    /* only http(s) source links; & in it escaped */
    CHECK(!has(html, "javascript:alert"));
    CHECK(has(html, "href=\"https://example.gov/a?b=1&amp;c=2\""));
    /* facet: adding a category keeps q, the other filters, drops page */
    CHECK(has(html, "href=\"/?q=%E4%BF%A1%E6%81%AF%20%E5%85%AC%E5%BC%80%26"
                    "&amp;category=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1"
                    "&amp;category=%3Cb%3E%26%22&amp;unit=a%26b\""));
    /* the active category's facet link removes it (and is marked) */
    CHECK(has(html, "href=\"/?q=%E4%BF%A1%E6%81%AF%20%E5%85%AC%E5%BC%80%26"
                    "&amp;unit=a%26b\" data-facet=\"category\" class=\"on\""));
    /* the year facet sets year */
    CHECK(has(html, "&amp;unit=a%26b&amp;year=2012\" data-facet=\"year\""));
    /* active filters shown with remove links */
    CHECK(has(html, "class=\"chip\""));
    CHECK(has(html, "a&amp;b"));
    CHECK(has(html, "清除全部"));
    /* paging: 95 hits, page 2 of 10 */
    CHECK(has(html, "rel=\"prev\" href=\"/?q=%E4%BF%A1%E6%81%AF%20%E5%85%AC%E5%BC%80%26"
                    "&amp;category=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1&amp;unit=a%26b\""));
    CHECK(has(html, "&amp;unit=a%26b&amp;page=3\">下一页"));
    CHECK(has(html, "&amp;page=10\">10</a>"));
    CHECK(!has(html, "page=11"));
    CHECK(has(html, "<span class=\"cur\" aria-current=\"page\">2</span>"));
    CHECK(has(html, "<ol class=\"hits\" start=\"11\">"));
    /* sort links, relevance current */
    CHECK(has(html, "&amp;sort=date\" data-sort=\"date\">最新</a>"));
    CHECK(has(html, "&amp;sort=date_asc\" data-sort=\"date_asc\">最早</a>"));
    CHECK(has(html, "<span class=\"on\" aria-current=\"true\">相关度</span>"));
    /* totals and time */
    CHECK(has(html, "<strong>95</strong>"));
    CHECK(has(html, "3.2 毫秒") || has(html, "3.3 毫秒"));
    CHECK(has(html, "1,210"));
    CHECK(has(html, "lang=\"zh-Hant\""));
    CHECK(has(html, "<time datetime=\"2013-07-01\">2013-07-01</time>"));
out:
    free(html);
    json_decref(params);
    json_decref(result);
}

static void test_search_en(void)
{
    json_t *params = J("{\"q\":\"law\",\"ui\":\"en\",\"sort\":\"date\",\"year\":2013}");
    json_t *result = J(hostile_result);
    char *html = portal_render_search(params, result, NULL);
    CHECK(html != NULL);
    if (!html)
        goto out;
    check_csp(html);
    check_ui_links(html, 1);
    CHECK(has(html, "results"));
    CHECK(has(html, "Newest"));
    CHECK(has(html, "<span class=\"on\" aria-current=\"true\">Newest</span>"));
    CHECK(!has(html, "共找到"));
    /* the year filter is active: its facet link removes it, keeps sort */
    CHECK(has(html, "href=\"/?q=law&amp;sort=date&amp;ui=en\" data-facet=\"year\" class=\"on\""));
    CHECK(has(html, "href=\"/?q=law&amp;year=2013&amp;sort=date&amp;page=3&amp;ui=en\""));
    /* the switch to Chinese keeps the search */
    CHECK(has(html, "href=\"/?q=law&amp;year=2013&amp;sort=date\">中文</a>"));
    /* the form keeps filters, sort and ui as hidden fields */
    CHECK(has(html, "<input type=\"hidden\" name=\"year\" value=\"2013\">"));
    CHECK(has(html, "<input type=\"hidden\" name=\"sort\" value=\"date\">"));
    CHECK(has(html, "<input type=\"hidden\" name=\"ui\" value=\"en\">"));
out:
    free(html);
    json_decref(params);
    json_decref(result);
}

/* did_you_mean: a link to the search with the words spelt as the index
 * spells them, filters kept, escaped; nothing without one. */
static void test_did_you_mean(void)
{
    json_t *params = J("{\"q\":\"pubic <housing>\",\"year\":\"2015\",\"page\":\"2\"}");
    json_t *result = J("{\"total\":3,\"page\":2,\"size\":10,\"hits\":[],\"facets\":{},"
                       "\"relaxed\":true,\"did_you_mean\":\"public <housing>\"}");
    json_t *plain = J("{\"total\":3,\"page\":1,\"size\":10,\"hits\":[],\"facets\":{}}");
    char *html = portal_render_search(params, result, NULL);
    CHECK(has(html, "您是不是要找：<a href=\"/?q=public%20%3Chousing%3E&amp;year=2015\">"
                    "public &lt;housing&gt;</a>"));
    free(html);
    html = portal_render_search(params, plain, NULL);
    CHECK(html && !has(html, "class=\"dym\""));
    free(html);
    json_decref(params);
    json_decref(result);
    json_decref(plain);
}

/* More than ten facet values fold into "more", also when one of the later
 * ones is active. */
static void test_facet_more(void)
{
    json_t *params = J("{\"q\":\"x\",\"unit\":[\"u10\"]}");
    json_t *result = J("{\"total\":3,\"page\":1,\"size\":10,\"hits\":[],\"facets\":"
                       "{\"unit\":[{\"value\":\"u0\",\"count\":9}]}}");
    json_t *list = json_object_get(json_object_get(result, "facets"), "unit");
    char name[16], *html;
    int i;
    for (i = 1; i < 13; i++) {
        json_t *e = json_object();
        snprintf(name, sizeof name, "u%d", i);
        json_object_set_new(e, "value", json_string(name));
        json_object_set_new(e, "count", json_integer(13 - i));
        json_array_append_new(list, e);
    }
    html = portal_render_search(params, result, NULL);
    CHECK(html != NULL);
    if (html) {
        check_csp(html);
        CHECK_INTEQ(count(html, "<details class=\"more\">"), 1);
        CHECK_INTEQ(count(html, "data-facet=\"unit\""), 13);
        CHECK_INTEQ(count(html, "class=\"on\" aria-current=\"true\""), 2);
        CHECK(strstr(html, ">u10<") < strstr(html, "<details class=\"more\">"));
        CHECK(strstr(html, ">u11<") > strstr(html, "<details class=\"more\">"));
        CHECK(has(html, "这一页没有结果") && has(html, "回到第一页"));
    }
    free(html);
    json_decref(params);
    json_decref(result);
}

static void test_front_noresult_error(void)
{
    json_t *empty = json_object();
    json_t *params = J("{\"q\":\"<x>\",\"category\":\"C\"}");
    json_t *none = J("{\"total\":0,\"took_ms\":0.1,\"page\":1,\"size\":10,\"hits\":[],"
                     "\"facets\":{\"category\":[],\"unit\":[],\"year\":[]}}");
    json_t *err = J("{\"error\":{\"code\":\"bad_query\",\"message\":\"unbalanced \\\" in <q>\"}}");
    json_t *err2 = J("{\"code\":\"unavailable\",\"message\":\"index unavailable\"}");
    json_t *en = J("{\"ui\":\"en\"}");
    char *html;

    html = portal_render_search(empty, NULL, NULL);
    CHECK(html && has(html, "autofocus"));
    CHECK(html && has(html, "p-front"));
    CHECK(html && !has(html, "class=\"hits\""));
    CHECK(html && has(html, "action=\"/\""));
    if (html)
        check_csp(html);
    free(html);
    html = portal_render_search(NULL, NULL, NULL);
    CHECK(html && has(html, "p-front"));
    free(html);
    html = portal_render_search(en, NULL, NULL);
    CHECK(html && has(html, "<html lang=\"en\">") && has(html, "Search tips"));
    if (html)
        check_ui_links(html, 1);
    free(html);

    html = portal_render_search(params, none, NULL);
    CHECK(html && has(html, "没有找到与“&lt;x&gt;”相关的文件"));
    CHECK(html && !has(html, "<x>"));
    CHECK(html && has(html, "取消全部筛选条件再试"));
    CHECK(html && has(html, "href=\"/?q=%3Cx%3E\">取消全部"));
    CHECK(html && !has(html, "class=\"pager\""));
    free(html);

    html = portal_render_search(params, NULL, err);
    CHECK(html && has(html, "role=\"alert\""));
    CHECK(html && has(html, "unbalanced &quot; in &lt;q&gt;"));
    CHECK(html && has(html, "无法理解"));
    free(html);
    html = portal_render_search(en, NULL, err2);
    CHECK(html && has(html, "index unavailable"));
    CHECK(html && has(html, "could not complete"));
    CHECK(html && !has(html, "p-front"));
    free(html);

    json_decref(empty);
    json_decref(params);
    json_decref(none);
    json_decref(err);
    json_decref(err2);
    json_decref(en);
}

static void test_check(void)
{
    json_t *empty = json_object();
    json_t *en = J("{\"ui\":\"en\"}");
    json_t *pub = J("{\"hits\":[{\"id\":\"a/b c.html\",\"title\":\"关于<b>通知\","
                    "\"docno\":\"国办发〔2013〕26号\",\"date\":\"2013-07-01\","
                    "\"unit\":\"U&U\",\"similarity\":0.953},"
                    "{\"id\":\"x.html\",\"title\":\"近似\",\"similarity\":0.6},"
                    "{\"id\":\"y.html\",\"title\":\"无关\",\"similarity\":0.12}]}");
    json_t *sim = J("{\"hits\":[{\"id\":\"x.html\",\"title\":\"近似\",\"similarity\":0.55,"
                    "\"passage_html\":\"…前文<mark>相同 &amp; 文字</mark>后文…\"}]}");
    json_t *low = J("{\"hits\":[{\"id\":\"y.html\",\"title\":\"无关\",\"similarity\":0.2}]}");
    json_t *nohits = J("{\"hits\":[]}");
    json_t *big = J("{\"error\":{\"code\":\"too_large\",\"message\":\"draft too large\"}}");
    char *html;

    html = portal_render_check(empty, NULL, NULL, NULL);
    CHECK(html && has(html, "<form class=\"check\" method=\"post\" action=\"/check\">"));
    CHECK(html && has(html, "<label for=\"text\">"));
    CHECK(html && has(html, "name=\"text\""));
    CHECK(html && !has(html, "id=\"verdict\""));
    if (html) {
        check_csp(html);
        check_ui_links(html, 0);
    }
    free(html);

    html = portal_render_check(empty, "\n</textarea><script>x</script>&", pub, NULL);
    CHECK(html && has(html, ">\n\n&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;&amp;</textarea>"));
    CHECK(html && count(html, "<script") == 1);
    CHECK(html && has(html, "已发布：这份文稿很可能已经发布过"));
    CHECK(html && has(html, "相似度 95%"));
    CHECK(html && has(html, ">95%</span>"));
    CHECK(html && has(html, "class=\"fill w95\""));
    CHECK(html && has(html, ">60%</span>"));
    CHECK(html && has(html, "class=\"fill w60\""));
    CHECK(html && has(html, "class=\"fill w10\""));
    CHECK(html && count(html, "class=\"badge b-pub\"") == 1);
    CHECK(html && count(html, "class=\"badge b-sim\"") == 1);
    CHECK(html && has(html, "关于&lt;b&gt;通知"));
    CHECK(html && has(html, "U&amp;U"));
    CHECK(html && has(html, "href=\"/doc/a/b%20c.html\""));
    free(html);

    html = portal_render_check(en, "draft", pub, NULL);
    CHECK(html && has(html, "Probably already published"));
    CHECK(html && has(html, "method=\"post\" action=\"/check?ui=en\""));
    CHECK(html && has(html, "<input type=\"hidden\" name=\"ui\" value=\"en\">"));
    CHECK(html && has(html, "href=\"/doc/a/b%20c.html?ui=en\""));
    if (html)
        check_ui_links(html, 1);
    free(html);

    html = portal_render_check(empty, "d", sim, NULL);
    CHECK(html && has(html, "class=\"verdict v-sim\""));
    CHECK(html && has(html, "相似：") && !has(html, "已发布："));
    /* the text in common, as api.c escaped and marked it */
    CHECK(html && has(html, "<p class=\"passage\"><span class=\"passage-label\">相同的文字："
                            "</span>…前文<mark>相同 &amp; 文字</mark>后文…</p>"));
    CHECK(html && count(html, "class=\"passage\"") == 1);
    free(html);
    html = portal_render_check(en, "d", sim, NULL);
    CHECK(html && has(html, "Text in common: </span>…前文<mark>"));
    free(html);
    html = portal_render_check(empty, "d", low, NULL);
    CHECK(html && has(html, "class=\"verdict v-new\""));
    CHECK(html && !has(html, "class=\"badge"));
    free(html);
    html = portal_render_check(en, "d", nohits, NULL);
    CHECK(html && has(html, "No similar published document"));
    free(html);
    html = portal_render_check(empty, "d", NULL, big);
    CHECK(html && has(html, "draft too large") && has(html, "role=\"alert\""));
    free(html);

    json_decref(empty);
    json_decref(en);
    json_decref(pub);
    json_decref(sim);
    json_decref(low);
    json_decref(nohits);
    json_decref(big);
}

static void test_doc(void)
{
    json_t *params = J("{\"q\":\"条例\"}");
    json_t *en = J("{\"ui\":\"en\"}");
    json_t *doc = J("{\"id\":\"d/中 #1.xml\",\"title\":\"条例<i>\",\"unit\":\"国务院&办公厅\","
                    "\"category\":\"综合\",\"date\":\"2013-07-01\",\"docno\":\"国发1号\","
                    "\"lang\":\"zh-Hans\",\"url\":\"http://www.gov.cn/a\","
                    "\"text\":\"第一条 <script>x</script>\\n\\n  第二条 &\\r\\n\"}");
    char *html = portal_render_doc(params, doc);
    CHECK(html != NULL);
    if (html) {
        check_csp(html);
        CHECK(has(html, "<p>第一条 &lt;script&gt;x&lt;/script&gt;</p>\n<p>第二条 &amp;</p>"));
        CHECK(has(html, "条例&lt;i&gt;"));
        CHECK(has(html, "href=\"/?unit=%E5%9B%BD%E5%8A%A1%E9%99%A2%26%E5%8A%9E%E5%85%AC%E5%8E%85&amp;sort=date\""));
        CHECK(has(html, "href=\"/?q=%E6%9D%A1%E4%BE%8B\">← 返回检索结果"));
        CHECK(has(html, "href=\"http://www.gov.cn/a\""));
        CHECK(has(html, "href=\"/doc/d/%E4%B8%AD%20%231.xml?q=%E6%9D%A1%E4%BE%8B&amp;ui=en\""));
    }
    free(html);
    html = portal_render_doc(en, doc);
    CHECK(html && has(html, "Issuing unit") && has(html, "sort=date&amp;ui=en"));
    if (html)
        check_ui_links(html, 1);
    free(html);
    html = portal_render_doc(params, NULL);
    CHECK(html && has(html, "没有找到这份文件"));
    free(html);
    {   /* reached from a search: the marked title and text (api.c's
         * title_html/text_html); a mark cut by a line break is closed and
         * opened again, the first is #m1, and the note counts them */
        json_t *m = json_deep_copy(doc);
        json_object_set_new(m, "title_html", json_string("关于<mark>条例</mark>&lt;i&gt;"));
        json_object_set_new(m, "text_html", json_string(
            "  第一条 &lt;b&gt; <mark>食品\n安全</mark>\n\n第二条 <mark>条例</mark>  \n"));
        html = portal_render_doc(params, m);
        CHECK(html != NULL);
        if (html) {
            check_csp(html);
            CHECK(has(html, "<h1 lang=\"zh-Hans\">关于<mark>条例</mark>&lt;i&gt;</h1>"));
            CHECK(has(html, "<p>第一条 &lt;b&gt; <mark id=\"m1\">食品</mark></p>\n"
                            "<p><mark>安全</mark></p>\n<p>第二条 <mark>条例</mark></p>\n"));
            CHECK(has(html, "<p class=\"hits-note\">2 处与检索词匹配"));
            CHECK(has(html, "href=\"#m1\""));
            CHECK_INTEQ(count(html, "<mark"), count(html, "</mark>"));
        }
        free(html);
        html = portal_render_doc(en, m);
        CHECK(html && has(html, "2 matches of your search are marked"));
        free(html);
        /* an article reference: #m1 is the article's heading, not a
         * mention of it before (本法第三条) */
        json_object_set_new(m, "text_html", json_string(
            "<mark>食品</mark>生产依照本法<mark>第三条</mark>。\n  <mark>第三条</mark> 内容"));
        json_object_set_new(m, "mark_target", J("[\"第三条\", \"第3条\"]"));
        html = portal_render_doc(params, m);
        CHECK(html && has(html, "<p><mark id=\"m1\">第三条</mark> 内容</p>"));
        CHECK(html && count(html, "id=\"m1\"") == 1);
        free(html);
        /* no heading: its first mention; no mention: the first mark */
        json_object_set_new(m, "text_html", json_string(
            "<mark>食品</mark>生产依照本法<mark>第3条</mark>。"));
        html = portal_render_doc(params, m);
        CHECK(html && has(html, "本法<mark id=\"m1\">第3条</mark>"));
        free(html);
        json_object_set_new(m, "mark_target", J("[\"第九条\"]"));
        html = portal_render_doc(params, m);
        CHECK(html && has(html, "<p><mark id=\"m1\">食品</mark>"));
        free(html);
        json_decref(m);
    }
    json_decref(params);
    json_decref(en);
    json_decref(doc);
}

static void test_opensearch_assets(void)
{
    char *x = portal_opensearch_xml("http://h\"<x>:80/");
    size_t i;
    int css = 0, js = 0, svg = 0;
    CHECK(x && has(x, "template=\"http://h&quot;&lt;x&gt;:80/?q={searchTerms}\""));
    CHECK(x && has(x, "<OpenSearchDescription"));
    free(x);
    x = portal_opensearch_xml(NULL);
    CHECK(x && has(x, "http://localhost/?q={searchTerms}"));
    free(x);
    for (i = 0; assets[i].name; i++) {
        char *text = malloc(assets[i].len + 1);
        if (!text)
            continue;
        memcpy(text, assets[i].data, assets[i].len);
        text[assets[i].len] = 0;
        if (strcmp(assets[i].name, "style.css") == 0) {
            css = 1;
            CHECK(has(assets[i].type, "text/css"));
            /* the meter classes the check page uses, and no outside URL */
            CHECK(has(text, ".fill.w0 ") && has(text, ".fill.w55 ") && has(text, ".fill.w100 "));
            CHECK(!has(text, "url(") && !has(text, "@import"));
            CHECK(has(text, "@media (max-width"));
        } else if (strcmp(assets[i].name, "app.js") == 0) {
            js = 1;
            CHECK(has(assets[i].type, "javascript"));
            CHECK(!has(text, "fetch(") && !has(text, "XMLHttpRequest") && !has(text, "http"));
        } else if (strcmp(assets[i].name, "favicon.svg") == 0) {
            svg = 1;
            CHECK(has(text, "<svg") && !has(text, "href"));
        }
        free(text);
    }
    CHECK(css && js && svg);
}

int main(void)
{
    test_escape();
    test_search_zh();
    test_search_en();
    test_facet_more();
    test_did_you_mean();
    test_front_noresult_error();
    test_check();
    test_doc();
    test_opensearch_assets();
    return check_done();
}
