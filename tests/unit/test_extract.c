/* test_extract.c - the extraction layer on fixtures of our own
 * (tests/data/extract/): every format, the built-in defaults and profiles,
 * GB/T 9704 text, hostile XML (billion laughs, external entity), malformed
 * input, an empty file, and the profile line format itself. */
#include "tests/unit/check.h"
#include "indexer/extract.h"
#include "indexer/profile.h"
#include "common/buf.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *b;
    long n;
    snprintf(path, sizeof path, "tests/data/extract/%s", name);
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        *len = 0;
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

/* Extract fixture `name` as if it were at relpath; returns rc. */
static int run(const char *name, const char *relpath, struct recs *rs,
               struct err *e)
{
    size_t len;
    char *t = slurp(name, &len);
    int rc;
    memset(rs, 0, sizeof *rs);
    err_clear(e);
    rc = extract_file(relpath, t ? t : "", len, rs, e);
    free(t);
    return rc;
}

static int has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static void test_html(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("gov.html", "site/zc/0305.html", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n != 1)
        return;
    CHECK(rs.v[0].key == NULL);
    CHECK_STREQ(rs.v[0].title, "示例市人民政府关于开展测试工作的通知");
    /* the info table wins over the site name; spaces collapsed */
    CHECK_STREQ(rs.v[0].unit, "示例市 人民政府");
    CHECK_STREQ(rs.v[0].category, "综合政务\\政务公开");
    CHECK_STREQ(rs.v[0].date, "2021-03-01");
    CHECK_INTEQ(rs.v[0].year, 2021);
    CHECK_STREQ(rs.v[0].docno, "示政发〔2021〕7号");
    CHECK_STREQ(rs.v[0].lang, "zh-Hans");
    CHECK_STREQ(rs.v[0].url, "https://www.example.gov.cn/zc/2021/0305.html");
    CHECK(has(rs.v[0].text, "第一段正文"));
    CHECK(has(rs.v[0].text, "第二段正文内容"));
    CHECK(has(rs.v[0].text, "通知如下。 第一段")); /* &nbsp; -> space */
    CHECK(has(rs.v[0].text, "\n"));
    CHECK(!has(rs.v[0].text, "BOILER"));
    CHECK(!has(rs.v[0].text, "INSIDESCRIPT"));
    CHECK(!has(rs.v[0].text, "NAVLINK"));
    CHECK(!has(rs.v[0].text, "CRUMBWORD"));
    CHECK(!has(rs.v[0].text, "FOOTERWORD"));
    CHECK(!has(rs.v[0].text, "\xc2\xa0"));
    recs_release(&rs);
}

static void test_gbt9704(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("notice.txt", "docs/notice.txt", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n != 1)
        return;
    CHECK_STREQ(rs.v[0].title, "关于印发示例市测试管理办法的通知");
    CHECK_STREQ(rs.v[0].docno, "示政发〔2013〕26号");
    CHECK_STREQ(rs.v[0].date, "2013-07-01");
    CHECK_INTEQ(rs.v[0].year, 2013);
    CHECK_STREQ(rs.v[0].unit, "示例市人民政府");
    CHECK_STREQ(rs.v[0].lang, "zh-Hans");
    CHECK(has(rs.v[0].text, "认真贯彻执行"));
    recs_release(&rs);

    /* a Taiwan 公文 (Big5): its head is labelled (發文日期：, 發文字號：,
     * 主旨：); the organ's name and the kind of document open it */
    CHECK_INTEQ(run("letter-tw.txt", "docs/letter-tw.txt", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "範例部函：檢送「範例資料開放作業要點」一份，請查照。");
        CHECK_STREQ(rs.v[0].unit, "範例部");
        CHECK_STREQ(rs.v[0].docno, "範授字第1130012345號");
        CHECK_STREQ(rs.v[0].date, "2024-04-12");
        CHECK_STREQ(rs.v[0].lang, "zh-Hant");
        CHECK(has(rs.v[0].text, "本要點自即日生效"));
    }
    recs_release(&rs);

    CHECK_INTEQ(run("english.txt", "docs/english.txt", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "EXECUTIVE ORDER ON SAMPLE TESTING");
        CHECK_STREQ(rs.v[0].date, "2019-03-14");
        CHECK_STREQ(rs.v[0].lang, "en");
    }
    recs_release(&rs);
}

/* Layouts known by their content wherever the file lies: a Taiwan 公文
 * whose 檔號 and 保存年限 lines are kept above the organ's, an English
 * letterhead (jurisdiction, office, number, date, a title on two lines), a
 * press release, a Federal Register rule outside its folders (its root
 * element), a page with Dublin Core meta tags, a Markdown order (its
 * front matter's keys). */
/* A field as expected: NULL = not checked, "-" = none, "~x" = holds x. */
static void check_field(const char *name, const char *got, const char *want)
{
    int ok = !want || (!strcmp(want, "-") ? got == NULL
                       : want[0] == '~' ? has(got, want + 1)
                                        : got && !strcmp(got, want));
    if (!ok)
        fprintf(stderr, "  %s: got '%s', want '%s'\n", name, got ? got : "(none)", want);
    CHECK(ok);
}

static void test_layouts(void)
{
    static const struct {
        const char *fixture, *path, *title, *unit, *docno, *date, *category;
    } t[] = {
        {"letter-tw-kept.txt", "a/b.txt", "~請於112年4月30日前完成資訊安全自我檢核",
         "範例局", "範例局資字第1120003456號", "2023-03-09", NULL},
        {"eo-letterhead.txt", "a/eo.txt",
         "ESTABLISHING THE SAMPLEVILLE COMMITTEE ON PUBLIC RECORDS",
         "OFFICE OF THE MAYOR", "EXECUTIVE ORDER NO. 12", "2020-03-03", NULL},
        {"press-en.txt", "a/press.txt", "Sampleville Opens New Records Reading Room",
         NULL, "-", "2023-06-02", NULL},
        /* after the date, a line naming the city is the title */
        {"press-en2.txt", "a/press2.txt", "CITY OF SAMPLEVILLE ANNUAL BUDGET ADOPTED",
         NULL, NULL, "2023-06-05", NULL},
        /* the first line stays the title when nothing else is a heading */
        {"english.txt", "a/english.txt", "EXECUTIVE ORDER ON SAMPLE TESTING", NULL,
         NULL, NULL, NULL},
        {"fr-rule.xml", "exports/2020/x.xml",
         "Sample Records; Retention Schedule for Test Files",
         "DEPARTMENT OF SAMPLE AFFAIRS", "2020-01234", NULL, "RULE"},
        {"dc.html", "site/news/1.html", "範例市資訊公開成果", "範例市政府研考處", NULL,
         "2023-05-04", "新聞稿"},
        /* NYC orders outside their folders: known by their front matter's keys */
        {"eo.md", "orders/x.md", NULL, "de Blasio", "2015-EEO-87", "2015-06-01",
         "Emergency Executive Order"},
    };
    size_t k;
    for (k = 0; k < sizeof t / sizeof t[0]; k++) {
        struct recs rs;
        struct err e;
        CHECK_INTEQ(run(t[k].fixture, t[k].path, &rs, &e), 0);
        CHECK_INTEQ(rs.n, 1);
        if (rs.n == 1) {
            check_field("title", rs.v[0].title, t[k].title);
            check_field("unit", rs.v[0].unit, t[k].unit);
            check_field("docno", rs.v[0].docno, t[k].docno);
            check_field("date", rs.v[0].date, t[k].date);
            check_field("category", rs.v[0].category, t[k].category);
        }
        recs_release(&rs);
    }
}

static void test_tw_law(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("law.xml", "tw/FalVMingLing/X0000001.xml", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "測試資料管理辦法");
        CHECK_STREQ(rs.v[0].category, "行政＞測試部＞資料目");
        CHECK_STREQ(rs.v[0].unit, "測試部");
        CHECK_STREQ(rs.v[0].date, "2023-09-14");
        CHECK_STREQ(rs.v[0].lang, "zh-Hant");
        CHECK_STREQ(rs.v[0].url,
                    "https://law.example.tw/LawAll.aspx?pcode=X0000001");
        CHECK(has(rs.v[0].text, "本辦法依據測試法第十條規定訂定之。"));
        CHECK(has(rs.v[0].text, "指經過檢驗之紀錄"));
    }
    recs_release(&rs);
    CHECK_INTEQ(run("law-abolished.xml", "FalVMingLing/X0000002.xml", &rs, &e),
                0);
    if (rs.n == 1)
        CHECK_STREQ(rs.v[0].unit, "行政院"); /* 院本部 -> the branch */
    recs_release(&rs);
    /* the same file elsewhere: known by its classified <法規> root (the
     * unit from the classification, the text without the URL line) */
    CHECK_INTEQ(run("law.xml", "misc/law.xml", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "測試資料管理辦法");
        CHECK_STREQ(rs.v[0].date, "2023-09-14");
        CHECK_STREQ(rs.v[0].category, "行政＞測試部＞資料目");
        CHECK_STREQ(rs.v[0].unit, "測試部");
        CHECK(!has(rs.v[0].text, "https://"));
    }
    recs_release(&rs);
}

static void test_gazette(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("gazette.xml", "ey-gazette/102/102-07-10_90001.xml", &rs,
                    &e), 0);
    CHECK_INTEQ(rs.n, 2);
    if (rs.n == 2) {
        CHECK_STREQ(rs.v[0].key, "90001");
        CHECK_STREQ(rs.v[1].key, "90002");
        CHECK_STREQ(rs.v[0].title, "行政院測試署公告：修正測試範圍");
        CHECK_STREQ(rs.v[0].unit, "行政院測試署");
        CHECK_STREQ(rs.v[1].unit, "檢驗局"); /* PubGovName empty */
        CHECK_STREQ(rs.v[0].category, "行政規則");
        CHECK_STREQ(rs.v[0].date, "2013-07-05");
        CHECK_STREQ(rs.v[1].date, "2005-01-03");
        CHECK_STREQ(rs.v[0].docno, "測授字第1020100869號");
        CHECK(has(rs.v[0].text, "主旨：公告修正測試範圍。"));
        CHECK(!has(rs.v[0].text, "<td"));
    }
    recs_release(&rs);
    /* moved out of its folders: known by its root element <Gazette> */
    CHECK_INTEQ(run("gazette.xml", "exports/x.xml", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 2);
    if (rs.n == 2) {
        CHECK_STREQ(rs.v[0].key, "90001");
        CHECK_STREQ(rs.v[0].category, "行政規則");
        CHECK_STREQ(rs.v[0].docno, "測授字第1020100869號");
        CHECK_STREQ(rs.v[0].lang, "zh-Hant");
    }
    recs_release(&rs);
}

/* News-style pages: no meta tags, no info table. The title is the <h1>
 * the <title> opens with (not the site's name after it), the unit and
 * date the page's 来源： and 发布时间：, an English page's first date. */
static void test_news_pages(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("news.html", "site/news.html", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "关于开展2024年度安全生产大检查的通知");
        CHECK_STREQ(rs.v[0].unit, "示例市应急管理局");
        CHECK_STREQ(rs.v[0].date, "2024-04-02");
    }
    recs_release(&rs);
    /* the site's name first in the <title>, and in <h1>s of the page's
     * head: the article's <h1> is the title */
    CHECK_INTEQ(run("news-site-first.html", "site/news-site-first.html", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1)
        CHECK_STREQ(rs.v[0].title, "关于做好汛期安全防范工作的通知");
    recs_release(&rs);
    CHECK_INTEQ(run("news-en.html", "site/news-en.html", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "Notice of Public Hearing on the 2025 Zoning Plan");
        CHECK_STREQ(rs.v[0].date, "2025-03-03");
        CHECK_STREQ(rs.v[0].lang, "en");
    }
    recs_release(&rs);
}

/* A law in Markdown with its 题注 under the title (its date: the one
 * it was published on, not when it takes effect), and a JSON record with
 * the key names of an English agency's export. */
static void test_other_defaults(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("law-note.md", "x/law-note.md", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "示例市数据开放管理办法");
        CHECK_STREQ(rs.v[0].date, "2022-03-01");
    }
    recs_release(&rs);
    CHECK_INTEQ(run("grant.json", "x/grant.json", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].unit, "Example Office of Grants");
        CHECK_STREQ(rs.v[0].date, "2019-07-01");
        CHECK_STREQ(rs.v[0].text, "These rules govern example grants.");
    }
    recs_release(&rs);
}

/* An XML export no profile knows, with Chinese element names: the fields
 * from their elements, and the text from <正文> alone (not every field run
 * together before it). */
static void test_xml_export(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("export.xml", "x/export.xml", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "示例市促进数字经济发展若干措施");
        CHECK_STREQ(rs.v[0].unit, "示例市人民政府");
        CHECK_STREQ(rs.v[0].docno, "示政规〔2022〕4号");
        CHECK_STREQ(rs.v[0].date, "2022-06-30");
        CHECK(rs.v[0].text && !strncmp(rs.v[0].text, "为加快数字经济发展", strlen("为加快数字经济发展")));
        CHECK(!has(rs.v[0].text, "示政规"));
    }
    recs_release(&rs);
}

static void test_markdown(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("eo.md", "nyc-executive-orders/corpus/2015/2015-EEO-87.md",
                    &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "DECLARATION OF A SAMPLE EMERGENCY FOR THE "
                    "TESTING OF PARSERS");
        CHECK_STREQ(rs.v[0].docno, "2015-EEO-87");
        CHECK_STREQ(rs.v[0].unit, "de Blasio");
        CHECK_STREQ(rs.v[0].category, "Emergency Executive Order");
        CHECK_STREQ(rs.v[0].date, "2015-06-01");
        CHECK_INTEQ(rs.v[0].year, 2015);
        CHECK_STREQ(rs.v[0].lang, "en");
        CHECK(has(rs.v[0].text, "The order text."));
        CHECK(!has(rs.v[0].text, "eo_id"));
    }
    recs_release(&rs);
    /* no title in the front matter: the profile's line: rule takes the
     * heading line naming the order (not a long sentence citing another) */
    CHECK_INTEQ(run("eo-untitled.md", "nyc-executive-orders/corpus/2020/2020-EEO-12.md",
                    &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "Emergency Executive Order No. 12");
        CHECK_STREQ(rs.v[0].docno, "2020-EEO-12");
    }
    recs_release(&rs);
    CHECK_INTEQ(run("law.md", "laws/宪法相关法/测试法(2018-01-02).md", &rs, &e),
                0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "中华人民共和国测试法");
        CHECK_STREQ(rs.v[0].category, "法律");
        CHECK_STREQ(rs.v[0].date, "2018-01-02"); /* from the file name */
    }
    recs_release(&rs);
    CHECK_INTEQ(run("law.md", "notes/law.md", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "中华人民共和国测试法");
        CHECK_STREQ(rs.v[0].date, "2019-04-23"); /* last in the info block */
        CHECK(rs.v[0].category == NULL);
        /* the text without Markdown's marks: no comments, no heading
         * marks, no table rules; the table's cells and the headings stay */
        CHECK(rs.v[0].text && !strstr(rs.v[0].text, "<!--") && !strstr(rs.v[0].text, "-->"));
        CHECK(rs.v[0].text && !strstr(rs.v[0].text, "#") && !strstr(rs.v[0].text, "---"));
        CHECK(rs.v[0].text && strstr(rs.v[0].text, "\n第一章 总则\n"));
        CHECK(rs.v[0].text && strstr(rs.v[0].text, "\n第二条 附则"));
        CHECK(rs.v[0].text && strstr(rs.v[0].text, "| 条文 | 罪名 |\n| 第一条 | 测试罪 |"));
    }
    recs_release(&rs);
    /* a comment never closed hides nothing: it is text */
    CHECK_INTEQ(run("unclosed.md", "notes/unclosed.md", &rs, &e), 0);
    if (rs.n == 1)
        CHECK(rs.v[0].text && strstr(rs.v[0].text, "第二条 这一条必须保留。"));
    recs_release(&rs);
}

static void test_json(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("rec.json", "reports/rec.json", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK(rs.v[0].key == NULL);
        CHECK_STREQ(rs.v[0].title, "测试工作报告");
        CHECK_INTEQ(rs.v[0].year, 1999);
        CHECK_STREQ(rs.v[0].url, "https://example.org/wiki/report");
        CHECK(has(rs.v[0].text, "现在报告工作"));
        CHECK(!has(rs.v[0].text, "https://"));
    }
    recs_release(&rs);
    CHECK_INTEQ(run("three.jsonl", "feeds/three.jsonl", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 3);
    if (rs.n == 3) {
        CHECK_STREQ(rs.v[0].key, "a1");
        CHECK_STREQ(rs.v[1].key, "2");
        CHECK_STREQ(rs.v[2].key, "77");
        CHECK_STREQ(rs.v[0].title, "First record");
        CHECK_STREQ(rs.v[0].date, "2019-03-14");
        CHECK_STREQ(rs.v[1].date, "2020-01-02");
        CHECK_STREQ(rs.v[1].lang, "zh-Hans");
        CHECK_STREQ(rs.v[0].lang, "en");
        CHECK_STREQ(rs.v[2].text, "gamma body");
    }
    CHECK_STREQ(e.msg, ""); /* nothing skipped: no warning */
    recs_release(&rs);
    /* a broken line: the other records are kept, and the caller is told
     * which line was skipped (a warning: code 0, a message) */
    CHECK_INTEQ(run("bad-line.jsonl", "feeds/bad-line.jsonl", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 2);
    if (rs.n == 2) {
        CHECK_STREQ(rs.v[0].key, "b1");
        CHECK_STREQ(rs.v[1].key, "b3");
    }
    CHECK_INTEQ(e.code, 0);
    CHECK(has(e.msg, "line 2") && has(e.msg, "2 of its 4 lines are not JSON objects"));
    recs_release(&rs);
}

static void test_csv(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("multi.csv", "data/multi.csv", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK(rs.v[0].key == NULL);
        CHECK_STREQ(rs.v[0].title, "关于测试的\"通知\"");
        CHECK_STREQ(rs.v[0].date, "2024-08-01");
        CHECK_STREQ(rs.v[0].category, "政策文件");
        CHECK_STREQ(rs.v[0].url, "https://example.gov.cn/a.html");
        CHECK(has(rs.v[0].text, "第一行正文\n第二行正文，含逗号,和引号\"。"));
    }
    recs_release(&rs);
}

/* A profile's drop-head / drop-tail: the page chrome around a work
 * report's text goes, the same words deep inside the text stay. */
static void test_chrome(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("report.csv", "x-work-report-provincial-2026/2026_测试省_政府工作报告.csv",
                    &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "2026年测试省政府工作报告");
        CHECK(rs.v[0].text && !strncmp(rs.v[0].text, "2026年测试省政府工作报告", strlen("2026年测试省政府工作报告")));
        CHECK(!has(rs.v[0].text, "下载\n打印"));
        CHECK(!has(rs.v[0].text, "相关报道"));
        CHECK(has(rs.v[0].text, "还原、减小，是网页上的按钮"));
        CHECK(has(rs.v[0].text, "奋力谱写新篇章！"));
    }
    recs_release(&rs);
    /* another site's layout: where it is, then 【字体：大 中 小】 */
    CHECK_INTEQ(run("report-yn.csv", "x-work-report-provincial-2026/2026_测试省_政府工作报告.csv",
                    &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK(rs.v[0].text && !strncmp(rs.v[0].text, "——2026年1月28日", strlen("——2026年1月28日")));
        CHECK(!has(rs.v[0].text, "您的位置"));
        CHECK(!has(rs.v[0].text, "【字体"));
        CHECK(has(rs.v[0].text, "字体大小不是报告的内容"));
    }
    recs_release(&rs);
    /* a third: 分享: (twice, round the breadcrumb) before the speech */
    CHECK_INTEQ(run("report-sx.csv", "x-work-report-provincial-2026/2026_测试省_政府工作报告.csv",
                    &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK(rs.v[0].text && !strncmp(rs.v[0].text, "省长作政府工作报告", strlen("省长作政府工作报告")));
        CHECK(!has(rs.v[0].text, "首页"));
        CHECK(!has(rs.v[0].text, "分享:"));
        CHECK(has(rs.v[0].text, "分享不是页面上的按钮"));
    }
    recs_release(&rs);
    /* and a fourth: 分享： once, full width */
    CHECK_INTEQ(run("report-sc.csv", "x-work-report-provincial-2026/2026_样例省_政府工作报告.csv",
                    &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK(rs.v[0].text && !strncmp(rs.v[0].text, "2026年2月3日", strlen("2026年2月3日")));
        CHECK(has(rs.v[0].text, "经验要分享，成果要共享"));
    }
    recs_release(&rs);
}

static void test_sql(void)
{
    struct recs rs;
    struct err e;
    CHECK_INTEQ(run("rec.sql", "dump/record-07.sql", &rs, &e), 0);
    CHECK_INTEQ(rs.n, 1);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "国务院办公厅关于测试'引号'的通知");
        CHECK_STREQ(rs.v[0].unit, "国务院办公厅");
        CHECK_STREQ(rs.v[0].docno, "国办发〔2019〕3号");
        CHECK_STREQ(rs.v[0].category, "综合政务\\其他");
        CHECK_STREQ(rs.v[0].date, "2019-01-27");
        CHECK_STREQ(rs.v[0].url,
                    "http://www.example.gov.cn/zhengce/content_1.htm");
        CHECK(has(rs.v[0].text, "路径C:\\data"));
        CHECK(has(rs.v[0].text, "正文第二段"));
        CHECK(!has(rs.v[0].text, "<p>"));
    }
    recs_release(&rs);
}

static void test_hostile(void)
{
    struct recs rs;
    struct err e;
    clock_t t0 = clock();
    int rc = run("laughs.xml", "x/laughs.xml", &rs, &e);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* rejected, or extracted without the expansion */
    CHECK(secs < 2.0);
    if (rc == 0) {
        CHECK(rs.n == 1 && strlen(rs.v[0].text) < 100000);
    } else {
        CHECK(e.msg[0] != 0);
    }
    recs_release(&rs);
    rc = run("xxe.xml", "x/xxe.xml", &rs, &e);
    if (rc == 0 && rs.n == 1) {
        CHECK(!has(rs.v[0].text, "root:"));
        CHECK(has(rs.v[0].text, "before"));
        CHECK_STREQ(rs.v[0].title, "external entity test");
    } else {
        CHECK(e.msg[0] != 0);
    }
    recs_release(&rs);
}

static void test_malformed(void)
{
    struct recs rs;
    struct err e;
    /* recovered */
    CHECK_INTEQ(run("broken.xml", "x/broken.xml", &rs, &e), 0);
    if (rs.n == 1)
        CHECK_STREQ(rs.v[0].title, "Broken record");
    recs_release(&rs);
    /* rejected with a reason */
    CHECK(run("garbage.xml", "x/garbage.xml", &rs, &e) < 0);
    CHECK(has(e.msg, "garbage.xml"));
    CHECK_INTEQ(rs.n, 0);
    recs_release(&rs);
    CHECK_INTEQ(run("broken.html", "x/broken.html", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK_STREQ(rs.v[0].title, "Unclosed page");
        CHECK(has(rs.v[0].text, "one\ntwo\nthree"));
    }
    recs_release(&rs);
    /* empty: a record with nothing in it, never a crash */
    CHECK_INTEQ(run("empty.txt", "x/empty.txt", &rs, &e), 0);
    if (rs.n == 1) {
        CHECK(rs.v[0].title == NULL);
        CHECK_STREQ(rs.v[0].text, "");
    }
    recs_release(&rs);
    CHECK(run("empty.txt", "x/empty.json", &rs, &e) < 0);
    recs_release(&rs);
    CHECK(run("empty.txt", "x/empty.xml", &rs, &e) < 0);
    recs_release(&rs);
    CHECK_INTEQ(run("empty.txt", "x/empty.html", &rs, &e), 0);
    recs_release(&rs);
}

/* A stand-in document for profile_select: "doc" is its root's name. */
static int root_named(void *doc, const char *spec)
{
    return !strcmp((const char *)doc, spec);
}

static void test_profiles(void)
{
    struct profset ps;
    struct err e;
    const struct pfield *pf[PF_N];
    const char *fmt, *recsel;
    static const char conf[] =
        "# comment\n[a]\nmatch = Foo/*.xml\nroot = RULE  NOTICE\nformat = xml\n"
        "title = /r/t\ntitle = key:name\nunit = field:category seg > 2\n"
        "unit.map = X* => Y\n[@units]\n国办发 = 国务院办公厅\n"
        "国办发明电 = 国务院办公厅(明电)\n";
    memset(&ps, 0, sizeof ps);
    CHECK_INTEQ(profile_parse(&ps, "t.conf", conf, sizeof conf - 1, &e), 0);
    CHECK_INTEQ(ps.n, 1);
    profile_select(&ps, "a/b/Foo/x.xml", NULL, pf, &fmt, &recsel);
    CHECK(pf[PF_TITLE] && pf[PF_TITLE]->nr == 2);
    CHECK(pf[PF_UNIT] && pf[PF_UNIT]->nm == 1);
    CHECK_STREQ(fmt, "xml");
    profile_select(&ps, "a/b/Foo/c/x.xml", NULL, pf, &fmt, &recsel);
    CHECK(pf[PF_TITLE] == NULL);
    /* elsewhere, known by the root element: either name listed */
    {
        struct pprobe pr = {root_named, (void *)"NOTICE", NULL, NULL};
        profile_select(&ps, "a/b/Foo/c/x.xml", &pr, pf, &fmt, &recsel);
        CHECK(pf[PF_TITLE] && pf[PF_TITLE]->nr == 2);
        pr.doc = (void *)"NOTICES";
        profile_select(&ps, "a/b/Foo/c/x.xml", &pr, pf, &fmt, &recsel);
        CHECK(pf[PF_TITLE] == NULL);
    }
    CHECK_STREQ(profile_unit_alias(&ps, "国办发〔2013〕26号"), "国务院办公厅");
    CHECK_STREQ(profile_unit_alias(&ps, "国办发明电〔2013〕1号"),
                "国务院办公厅(明电)");
    CHECK(profile_unit_alias(&ps, "京政发〔2013〕1号") == NULL);
    profset_release(&ps);
    memset(&ps, 0, sizeof ps);
    CHECK(profile_parse(&ps, "bad.conf", "[x]\ntitel = key:a\n", 17, &e) < 0);
    CHECK(has(e.msg, "bad.conf"));
    profset_release(&ps);
    /* a long rule keeps every operation (17 words were cut to 16 once,
     * silently dropping the last); one too long is refused, not cut */
    {
        struct buf b;
        size_t k;
        buf_init(&b, 0);
        buf_adds(&b, "[w]\nmatch = *.csv\ntext = col:t");
        for (k = 0; k < 20; k++)
            buf_adds(&b, " drop-head X");
        buf_adds(&b, " drop-tail END\n");
        memset(&ps, 0, sizeof ps);
        CHECK_INTEQ(profile_parse(&ps, "w.conf", b.p, b.len, &e), 0);
        if (ps.n == 1 && ps.v[0].f[PF_TEXT].nr == 1) {
            CHECK_INTEQ(ps.v[0].f[PF_TEXT].r[0].nops, 42);
            CHECK_STREQ(ps.v[0].f[PF_TEXT].r[0].ops[41], "END");
        }
        profset_release(&ps);
        buf_reset(&b);
        buf_adds(&b, "[w]\nmatch = *.csv\ntext = col:t");
        for (k = 0; k < 30; k++)
            buf_adds(&b, " drop-head X");
        buf_adds(&b, "\n");
        memset(&ps, 0, sizeof ps);
        CHECK(profile_parse(&ps, "long.conf", b.p, b.len, &e) < 0);
        CHECK(has(e.msg, "long.conf") && has(e.msg, "more than 48 words"));
        profset_release(&ps);
        buf_release(&b);
    }
    CHECK(profile_glob("**/a/*.md", "x/y/a/b.md"));
    CHECK(profile_glob("a/*.md", "x/y/a/b.md"));
    CHECK(!profile_glob("a/*.md", "x/ya/b.md"));
    CHECK(!profile_glob("/a/*.md", "x/a/b.md"));
    /* line: rules keep their glob in lower case */
    memset(&ps, 0, sizeof ps);
    CHECK_INTEQ(profile_parse(&ps, "l.conf", "[l]\nmatch = *.md\ntitle = line:*Order?NO*\n",
                              strlen("[l]\nmatch = *.md\ntitle = line:*Order?NO*\n"), &e), 0);
    if (ps.n == 1 && ps.v[0].f[PF_TITLE].nr == 1) {
        CHECK_INTEQ(ps.v[0].f[PF_TITLE].r[0].kind, PR_LINE);
        CHECK_STREQ(ps.v[0].f[PF_TITLE].r[0].arg, "*order?no*");
    }
    profset_release(&ps);
}

/* extract_file is called from two indexer threads at once */
static void *worker(void *arg)
{
    static const char *const names[] = {"gov.html", "gazette.xml", "law.xml",
                                        "rec.sql", "eo.md", "laughs.xml"};
    static const char *const paths[] = {
        "s/gov.html", "ey-gazette/102/a.xml", "FalVMingLing/X1.xml",
        "d/rec.sql", "nyc-executive-orders/corpus/2015/x.md", "x/l.xml"
    };
    long bad = 0;
    int i, k;
    (void)arg;
    for (i = 0; i < 30; i++)
        for (k = 0; k < 6; k++) {
            struct recs rs;
            struct err e;
            int rc = run(names[k], paths[k], &rs, &e);
            if (k < 5 && (rc != 0 || rs.n == 0 || !rs.v[0].title))
                bad++;
            if (k == 5 && rc == 0)
                bad++;
            recs_release(&rs);
        }
    return (void *)bad;
}

static void test_threads(void)
{
    pthread_t t[2];
    void *r0 = NULL, *r1 = NULL;
    CHECK_INTEQ(pthread_create(&t[0], NULL, worker, NULL), 0);
    CHECK_INTEQ(pthread_create(&t[1], NULL, worker, NULL), 0);
    pthread_join(t[0], &r0);
    pthread_join(t[1], &r1);
    CHECK(r0 == NULL);
    CHECK(r1 == NULL);
}

int main(void)
{
    struct err e;
    if (extract_init(NULL, &e)) {
        fprintf(stderr, "extract_init: %s\n", e.msg);
        return 1;
    }
    test_html();
    test_gbt9704();
    test_layouts();
    test_tw_law();
    test_gazette();
    test_xml_export();
    test_news_pages();
    test_other_defaults();
    test_markdown();
    test_json();
    test_csv();
    test_chrome();
    test_sql();
    test_hostile();
    test_malformed();
    test_profiles();
    test_threads();
    return check_done();
}
