/* test_docno.c - docno.c: normalisation (every variant API.md lists maps to
 * one key), rejections, splitting joint fields, years, and the scanner's
 * byte ranges in sentences written for this test; plus a speed check. */
#include "analysis/docno.h"
#include "analysis/fold.h"
#include "common/err.h"
#include "tests/unit/check.h"

#include <stdlib.h>
#include <time.h>

struct norm_case { const char *in, *want; };   /* want NULL: rejected */

static const struct norm_case norm_cases[] = {
    /* GB/T 9704 and its variants */
    {"国办发〔2013〕26号", "国办发(2013)26"},
    {"国办发[2013]26号", "国办发(2013)26"},
    {"国办发（2013）26号", "国办发(2013)26"},
    {"国办发(2013)26号", "国办发(2013)26"},
    {"国办发【2013】26号", "国办发(2013)26"},
    {"国办发［2013］26号", "国办发(2013)26"},
    {"国办发〈2013〉26号", "国办发(2013)26"},
    {"国办发｛2013｝26号", "国办发(2013)26"},
    {"国办发{2013}26号", "国办发(2013)26"},
    {"国办发〔2013〕26", "国办发(2013)26"},
    {"国办发 (2013) 26", "国办发(2013)26"},
    {"国办发 [2013] 26 号", "国办发(2013)26"},
    {"國辦發〔２０１３〕２６號", "国办发(2013)26"},
    {"國辦發（２０１３）２６號", "国办发(2013)26"},
    {"国办发\xE3\x80\x80〔2013〕\xE3\x80\x80" "26号", "国办发(2013)26"},
    {"  国办发〔2013〕26号\n", "国办发(2013)26"},
    {"国办发〔2013〕第26号", "国办发(2013)26"},
    /* typed without brackets: the year is the four digits after the
     * organ (not in a Taiwan 字第 number, whose serial starts with it) */
    {"国办发2013年26号", "国办发(2013)26"},
    {"国办发2013 26号", "国办发(2013)26"},
    {"国办发２０１３年第２６号", "国办发(2013)26"},
    {"国办发201326号", "国办发(2013)26"},
    {"公安部令2004年第15号", "公安部令(2004)15"},
    {"公安部令〔2004〕第15号", "公安部令(2004)15"},
    {"国办发1850年26号", "国办发1850年26"},
    {"国办发2013年1234567号", "国办发2013年1234567"},
    {"发改办财金规〔2019〕860号", "发改办财金规(2019)860"},
    {"冀科平规〔2020〕1号", "冀科平规(2020)1"},
    {"浙金罚决字〔2018〕3号", "浙金罚决字(2018)3"},
    {"国发〔二〇一三〕五号", "国发(二〇一三)五"},
    /* Taiwan */
    {"院臺秘字第1100012345號", "院台秘字第1100012345"},
    {"院台秘字第1100012345号", "院台秘字第1100012345"},
    {"金管證八字第0940000164號", "金管证八字第0940000164"},
    {"台參字第0930175242B號", "台参字第0930175242b"},
    {"台參字第０９３０１７５２４２Ｂ號", "台参字第0930175242b"},
    {"華總一義字第09700112211號", "华总一义字第09700112211"},
    /* FR / EO */
    {"FR Doc. 2019-04711", "2019-04711"},
    {"2019-04711", "2019-04711"},
    {"fr doc 2019-04711", "2019-04711"},
    {"FR Doc No. 2019-04711", "2019-04711"},
    {"FR Doc. E8-23178", "e8-23178"},
    {"2015-EEO-87", "2015-eeo-87"},
    {"2015-eeo-87", "2015-eeo-87"},
    {"1978-EO-013", "1978-eo-013"},
    {"2026-EEO-1.1", "2026-eeo-1.1"},
    {"国令第706号", "国令第706"},
    /* 令 */
    {"中华人民共和国公安部令第１２５号", "中华人民共和国公安部令第125"},
    {"國務院令第５８８號", "国务院令第588"},
    /* joint: normalised as one */
    {"A字第1號、B字第2號", "a字第1号、b字第2"},
    /* middle dots and odd spaces go */
    {"国办发\xC2\xB7〔2013〕26号", "国办发(2013)26"},
    /* rejections */
    {"通知", NULL},
    {"hello world", NULL},
    {"统一规划", NULL},
    {"第一次会议", NULL},
    {"", NULL},
    {"号", NULL},
    {"国务院办公厅关于印发某某工作方案的通知要求各地区各部门认真贯彻执行并于2013年底前报送情况总结材料", NULL},
};

struct scan_case {
    const char *text;
    const char *want[3];  /* the matched substrings, in order */
};

static const struct scan_case scan_cases[] = {
    {"根据国办发〔2013〕26号文件精神，现通知如下。", {"国办发〔2013〕26号"}},
    {"国务院关于印发某方案的通知（国发〔2014〕5号）和相关文件",
     {"国发〔2014〕5号"}},
    {"按照《某某管理办法》（冀科平规〔2020〕1号）的要求", {"冀科平规〔2020〕1号"}},
    {"现将发改办财金规〔2019〕860号转发给你们", {"发改办财金规〔2019〕860号"}},
    {"依据國辦發〔２０１３〕２６號辦理", {"國辦發〔２０１３〕２６號"}},
    {"见国办发[2013]26号及国办发(2014)3号",
     {"国办发[2013]26号", "国办发(2014)3号"}},
    {"河北省人民政府关于某某的通知冀政办字〔2023〕122号各市人民政府",
     {"冀政办字〔2023〕122号"}},
    {"2002年12月13日河北省人民政府令〔2011〕第5号公布",
     {"河北省人民政府令〔2011〕第5号"}},
    {"日 中华人民共和国公安部令第１２５号 发布", {"中华人民共和国公安部令第１２５号"}},
    {"《某某规定》（公安部令第104号）", {"公安部令第104号"}},
    {"1994年9月5日市人民政府第20号令发布", {"市人民政府第20号令"}},
    {"商务部令2004年第15号", {"商务部令2004年第15号"}},
    {"行政院93年1月2日院臺秘字第0930080233號函", {"院臺秘字第0930080233號"}},
    {"發文字號：台參字第0930175242B號", {"台參字第0930175242B號"}},
    {"本部101年11月8日經授工字第10120425361號", {"經授工字第10120425361號"}},
    {"勞檢1字第1020150297號", {"勞檢1字第1020150297號"}},
    {"![CDATA[臺教技(三)字第1020016169C號]]", {"臺教技(三)字第1020016169C號"}},
    {"[FR Doc. 2014-25503 Filed 10-31-14; 8:45 am]", {"FR Doc. 2014-25503"}},
    {"see FR Doc. E8-23178 Filed", {"FR Doc. E8-23178"}},
    {"FR Doc No. 2013-00734.", {"FR Doc No. 2013-00734"}},
    {"eo_id: 2015-EEO-87\npdf: x/1978-EO-013.pdf", {"2015-EEO-87", "1978-EO-013"}},
    {"Emergency order 2026-EEO-1.10.pdf; 2026-EEO-2.", {"2026-EEO-1.10", "2026-EEO-2"}},
    {"（国令第706号）", {"国令第706号"}},
    {"国务院办公厅国办发〔2003〕70号", {"国办发〔2003〕70号"}},
    {"北京市人民政府京政发〔1985〕167号", {"京政发〔1985〕167号"}},
    {"国家科委国科发政字[1995]134号", {"国科发政字[1995]134号"}},
    {"中央军委印发中发〔2001〕3号", {"中发〔2001〕3号"}},
    {"现转发国办发〔2001〕3号", {"国办发〔2001〕3号"}},
    {"资金管理办法冀科办【2012】21号", {"冀科办【2012】21号"}},
    {"贯彻落实国办发明电〔2011〕41号", {"国办发明电〔2011〕41号"}},
    {"工信部联通装〔2023〕40号", {"工信部联通装〔2023〕40号"}},
    {"衛生署衛署照字第1002863077號", {"衛生署衛署照字第1002863077號"}},
    {"本部100年8月1日署授食字第1001302237號函", {"署授食字第1001302237號"}},
    {"依文授局視(業)字第10120039611號辦理", {"文授局視(業)字第10120039611號"}},
    /* nothing here */
    {"本规定自2013年7月1日起施行（第一条至第五条）。", {NULL}},
    {"In 2013 (2014) 26 people came; FR Document 2019-1", {NULL}},
    {"的〔2013〕26号", {NULL}},
    {"X2015-EEO-87 and 2015-EEO-87x", {NULL}},
};

struct year_case { const char *in; int want; };

static const struct year_case year_cases[] = {
    {"国办发〔2013〕26号", 2013},
    {"國辦發（２０１３）２６號", 2013},
    {"国发〔二〇一三〕5号", 2013},
    {"国办发[1996]32号", 1996},
    {"FR Doc. 2019-04711", 2019},
    {"2019-04711", 2019},
    {"2015-EEO-87", 2015},
    {"FR Doc. E8-23178", 0},
    {"院臺秘字第1100012345號", 0},
    {"台參字第0930175242B號", 0},
    {"中华人民共和国公安部令第125号", 0},
    {"商务部令2004年第15号", 2004},
    {"河北省人民政府令〔2011〕第5号", 2011},
    {"国办发〔1800〕3号", 0},
    {"", 0},
};

struct hits { size_t n; size_t st[8], en[8]; };

static void collect(void *ctx, size_t st, size_t en)
{
    struct hits *h = ctx;
    if (h->n < 8) { h->st[h->n] = st; h->en[h->n] = en; }
    h->n++;
}

static void test_norm(void)
{
    size_t i;
    char out[128];
    for (i = 0; i < sizeof norm_cases / sizeof norm_cases[0]; i++) {
        const struct norm_case *c = &norm_cases[i];
        size_t n = docno_norm(c->in, strlen(c->in), out, sizeof out);
        if (c->want) {
            CHECK_STREQ(n ? out : "(rejected)", c->want);
            CHECK_INTEQ(n, strlen(c->want));
        } else {
            if (n) fprintf(stderr, "accepted '%s' -> '%s'\n", c->in, out);
            CHECK_INTEQ(n, 0);
        }
    }
    /* out too small */
    CHECK_INTEQ(docno_norm("国办发〔2013〕26号", 24, out, 5), 0);
    /* plain words in any script, however they are bracketed */
    CHECK_INTEQ(docno_norm("〔通知〕", strlen("〔通知〕"), out, sizeof out), 0);
}

static void test_scan(void)
{
    size_t i, k;
    for (i = 0; i < sizeof scan_cases / sizeof scan_cases[0]; i++) {
        const struct scan_case *c = &scan_cases[i];
        struct hits h = {0, {0}, {0}};
        size_t want = 0, n;
        while (want < 3 && c->want[want]) want++;
        n = docno_scan(c->text, strlen(c->text), collect, &h);
        CHECK_INTEQ(n, h.n);
        if (h.n != want) {
            fprintf(stderr, "scan '%s': %zu found, want %zu\n", c->text, h.n, want);
            for (k = 0; k < h.n && k < 8; k++)
                fprintf(stderr, "  got '%.*s'\n", (int)(h.en[k] - h.st[k]), c->text + h.st[k]);
        }
        CHECK_INTEQ(h.n, want);
        for (k = 0; k < want && k < h.n; k++) {
            char got[256];
            size_t l = h.en[k] - h.st[k];
            const char *p = strstr(c->text, c->want[k]);
            if (l >= sizeof got) l = sizeof got - 1;
            memcpy(got, c->text + h.st[k], l);
            got[l] = 0;
            CHECK_STREQ(got, c->want[k]);
            CHECK(p && (size_t)(p - c->text) == h.st[k]);
        }
    }
    /* a scanned number normalises to the same key as its other spellings */
    {
        const char *t = "依照國辦發（２０１３）２６號辦理";
        struct hits h = {0, {0}, {0}};
        char a[128], b[128];
        docno_scan(t, strlen(t), collect, &h);
        CHECK_INTEQ(h.n, 1);
        if (h.n == 1) {
            CHECK(docno_norm(t + h.st[0], h.en[0] - h.st[0], a, sizeof a) > 0);
            CHECK(docno_norm("国办发〔2013〕26号", strlen("国办发〔2013〕26号"), b, sizeof b) > 0);
            CHECK_STREQ(a, b);
        }
    }
    /* truncated input never reads past the end */
    {
        const char *t = "国办发〔2013〕26号";
        size_t l;
        for (l = 0; l <= strlen(t); l++) {
            char *cp = malloc(l ? l : 1);
            struct hits h = {0, {0}, {0}};
            memcpy(cp, t, l);
            docno_scan(cp, l, collect, &h);
            CHECK(h.n == (l >= strlen("国办发〔2013〕2") ? 1u : 0u));
            free(cp);
        }
    }
    CHECK_INTEQ(docno_scan("", 0, collect, NULL), 0);
}

static void test_split(void)
{
    size_t st[4], en[4], n;
    const char *t = "A字第1號、 B字第2號；C字第3號,,";
    n = docno_split(t, strlen(t), st, en, 4);
    CHECK_INTEQ(n, 3);
    if (n == 3) {
        CHECK(en[0] - st[0] == strlen("A字第1號") && memcmp(t + st[0], "A字第1號", en[0] - st[0]) == 0);
        CHECK(en[1] - st[1] == strlen("B字第2號") && memcmp(t + st[1], "B字第2號", en[1] - st[1]) == 0);
        CHECK(en[2] - st[2] == strlen("C字第3號") && memcmp(t + st[2], "C字第3號", en[2] - st[2]) == 0);
    }
    t = "国办发〔2013〕26号";
    n = docno_split(t, strlen(t), st, en, 4);
    CHECK_INTEQ(n, 1);
    CHECK(n == 1 && st[0] == 0 && en[0] == strlen(t));
    t = "a,b,c,d,e,f";
    CHECK_INTEQ(docno_split(t, strlen(t), st, en, 4), 4);
    CHECK_INTEQ(docno_split("", 0, st, en, 4), 0);
    t = "国办发〔2013〕26号，国发〔2014〕5号";
    n = docno_split(t, strlen(t), st, en, 4);
    CHECK_INTEQ(n, 2);
    if (n == 2) {
        char a[64];
        CHECK(docno_norm(t + st[1], en[1] - st[1], a, sizeof a) > 0);
        CHECK_STREQ(a, "国发(2014)5");
    }
}

static void test_year(void)
{
    size_t i;
    for (i = 0; i < sizeof year_cases / sizeof year_cases[0]; i++) {
        int y = docno_year(year_cases[i].in, strlen(year_cases[i].in));
        if (y != year_cases[i].want) fprintf(stderr, "year '%s'\n", year_cases[i].in);
        CHECK_INTEQ(y, year_cases[i].want);
    }
}

/* about 32 MB of mixed text with a number every ~2 KB */
static void test_speed(void)
{
    const char *para[] = {
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：经国务院同意，现将有关事项通知如下。"
        "一、充分认识做好这项工作的重要意义，加强组织领导，落实工作责任（2013年7月1日）。",
        "The Secretary (2019) finds that the rule, published at 84 FR 12345 on March 14, 2019, "
        "applies to Form 10-K filings; see section 3(a)(1) and 26 U.S.C. 501(c)(3). ",
        "行政院於中華民國九十三年一月二日核定，各機關應依據相關規定辦理，並於期限內報院備查。",
        "根据国办发〔2013〕26号文件精神，",
    };
    size_t plen[4], total = 0, cap = 32u << 20, k = 0;
    char *buf = malloc(cap);
    struct hits h = {0, {0}, {0}};
    struct timespec a, b;
    double sec, mbs;
    int i;
    for (i = 0; i < 4; i++) plen[i] = strlen(para[i]);
    while (buf) {
        size_t p = (k % 17 == 16) ? 3 : k % 3;
        if (total + plen[p] > cap) break;
        memcpy(buf + total, para[p], plen[p]);
        total += plen[p];
        k++;
    }
    if (!buf) { CHECK(0); return; }
    sec = 1e9;
    for (i = 0; i < 3; i++) {   /* best of three: the machine may be busy */
        double t;
        h.n = 0;
        clock_gettime(CLOCK_MONOTONIC, &a);
        docno_scan(buf, total, collect, &h);
        clock_gettime(CLOCK_MONOTONIC, &b);
        t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (t < sec) sec = t;
    }
    mbs = (double)total / 1048576.0 / (sec > 0 ? sec : 1e-9);
    printf("docno_scan: %.1f MB in %.3f s = %.0f MB/s, %zu found\n",
           (double)total / 1048576.0, sec, mbs, h.n);
    CHECK(h.n == k / 17);
#ifndef __SANITIZE_ADDRESS__
    CHECK(mbs > 50.0);    /* index time: 160 MB must not take long */
#endif
    free(buf);
}

int main(void)
{
    struct err e;
    err_clear(&e);
    if (fold_init(&e) != 0) {
        fprintf(stderr, "fold_init: %s\n", e.msg);
        CHECK(0);
        return check_done();
    }
    test_norm();
    test_scan();
    test_split();
    test_year();
    test_speed();
    return check_done();
}
