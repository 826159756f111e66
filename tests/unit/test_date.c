/* test_date.c - date.c: every written form date_parse accepts (input ->
 * YYYY-MM-DD), invalid calendar dates rejected, date_find / date_find_last
 * byte ranges in sentences written for this test, and a speed check. */
#include "analysis/date.h"
#include "tests/unit/check.h"

#include <stdlib.h>
#include <time.h>

struct parse_case { const char *in, *want; };   /* want NULL: -1 */

static const struct parse_case parse_cases[] = {
    /* Chinese */
    {"2013年7月1日", "2013-07-01"},
    {"2013年07月01日", "2013-07-01"},
    {"2013 年 7 月 1 日", "2013-07-01"},
    {"２０１３年７月１日", "2013-07-01"},
    {"二〇一三年七月一日", "2013-07-01"},
    {"二○一三年七月一日", "2013-07-01"},
    {"二零一三年十二月三十一日", "2013-12-31"},
    {"二O一三年十月二十日", "2013-10-20"},
    {"二〇一六年二月二十九日", "2016-02-29"},
    {"二〇二〇年十一月十日", "2020-11-10"},
    {"2013年7月1号", "2013-07-01"},
    {"2013年7月", "2013-07"},
    {"2013年", "2013"},
    {" \t2013年7月1日 \n", "2013-07-01"},
    /* ROC */
    {"中華民國102年7月5日", "2013-07-05"},
    {"中华民国102年7月5日", "2013-07-05"},
    {"民國102年7月5日", "2013-07-05"},
    {"中華民國 94 年 1 月 3 日", "2005-01-03"},
    {"中華民國九十四年一月三日", "2005-01-03"},
    {"中華民國一百零二年七月五日", "2013-07-05"},
    {"民國94年", "2005"},
    {"民国102年", "2013"},
    {"93年1月2日", "2004-01-02"},
    /* a Taiwan site's date field: an ROC year of three digits, numeric */
    {"112-05-03", "2023-05-03"},
    {"112/5/3", "2023-05-03"},
    {"113.12.31", "2024-12-31"},
    {"100-01-01 09:30", "2011-01-01"},
    /* numeric */
    {"2019-03-14", "2019-03-14"},
    {"2019-3-14", "2019-03-14"},
    {"2019/3/14", "2019-03-14"},
    {"2019.3.14", "2019-03-14"},
    {"20190314", "2019-03-14"},
    {"２０１９－０３－１４", "2019-03-14"},
    {"2013-06-08 10:21", "2013-06-08"},
    {"2013-06-08T10:21:33Z", "2013-06-08"},
    {"2013-06-08T10:21:33.250+08:00", "2013-06-08"},
    {"2019-03", "2019-03"},
    {"2019", "2019"},
    {"2000-02-29", "2000-02-29"},
    /* English */
    {"March 14, 2019", "2019-03-14"},
    {"March 14 2019", "2019-03-14"},
    {"14 March 2019", "2019-03-14"},
    {"Mar. 14, 2019", "2019-03-14"},
    {"Sept. 3, 2001", "2001-09-03"},
    {"Sep 3, 2001", "2001-09-03"},
    {"DECEMBER 31, 1999", "1999-12-31"},
    {"March 14th, 2019", "2019-03-14"},
    {"March 2019", "2019-03"},
    {"February 29, 2016", "2016-02-29"},
    /* invalid */
    {"2013年2月30日", NULL},
    {"2013年13月1日", NULL},
    {"2013年0月1日", NULL},
    {"20131332", NULL},
    {"20130229", NULL},
    {"2019-02-29", NULL},
    {"1900-02-29", NULL},
    {"2019-04-31", NULL},
    {"2019/3-14", NULL},
    {"112-02-30", NULL},   /* ROC 112 = 2023: no 30 February */
    {"99-12-31", NULL},    /* two digits: 1999 or ROC 99? neither */
    {"112-05", NULL},
    {"February 30, 2016", NULL},
    {"Smarch 14, 2019", NULL},
    {"二〇一三年二月三十日", NULL},
    {"2013年7月1日起施行", NULL},
    {"hello", NULL},
    {"", NULL},
    {"   ", NULL},
    {"12345", NULL},
    {"九十四年一月三日", NULL},
    {"2019-04711", NULL},
    {"国办发〔2013〕26号", NULL},
};

struct find_case {
    const char *text;
    const char *first, *first_s;   /* date, and the matched text */
    const char *last, *last_s;
};

static const struct find_case find_cases[] = {
    {"本办法自2013年7月1日起施行，2014年1月1日废止。",
     "2013-07-01", "2013年7月1日", "2014-01-01", "2014年1月1日"},
    {"国务院办公厅\n二〇一三年三月二十六日\n（此件公开发布）",
     "2013-03-26", "二〇一三年三月二十六日", "2013-03-26", "二〇一三年三月二十六日"},
    {"行政院中華民國94年1月3日院臺秘字第0940080233號函",
     "2005-01-03", "中華民國94年1月3日", "2005-01-03", "中華民國94年1月3日"},
    {"本部101年11月8日經授工字第10120425361號", "2012-11-08", "101年11月8日",
     "2012-11-08", "101年11月8日"},
    {"Filed March 14, 2019; effective 1 April 2019.",
     "2019-03-14", "March 14, 2019", "2019-04-01", "1 April 2019"},
    {"updated: 2013-06-08 10:21, then 2019/3/14 and 2019.3.15.",
     "2013-06-08", "2013-06-08", "2019-03-15", "2019.3.15"},
    {"会议于 2013 年 7 月 1 日召开", "2013-07-01", "2013 年 7 月 1 日",
     "2013-07-01", "2013 年 7 月 1 日"},
    {"於２０１３年７月１日公布", "2013-07-01", "２０１３年７月１日",
     "2013-07-01", "２０１３年７月１日"},
    {"统一2013年5月4日", "2013-05-04", "2013年5月4日", "2013-05-04", "2013年5月4日"},
    {"日期：２０１９－０３－１４。", "2019-03-14", "２０１９－０３－１４", "2019-03-14", "２０１９－０３－１４"},
    {"第1条 1999年12月20日起；第2条 二〇〇〇年二月二十九日；附：Sept. 3, 2001",
     "1999-12-20", "1999年12月20日", "2001-09-03", "Sept. 3, 2001"},
    /* no full date */
    {"2013年全年计划；2013年7月工作", NULL, NULL, NULL, NULL},
    {"2013年2月30日", NULL, NULL, NULL, NULL},
    {"FR Doc. 2019-04711 and version 1.2019.3.14.2", NULL, NULL, NULL, NULL},
    {"order no. 20190314 and March 2019", NULL, NULL, NULL, NULL},
    {"Mayor 14, 2019 and May the 4th", NULL, NULL, NULL, NULL},
    {"", NULL, NULL, NULL, NULL},
};

static void test_parse(void)
{
    size_t i;
    for (i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *c = &parse_cases[i];
        struct date d = {-1, -1, -1};
        char out[11];
        int rc = date_parse(c->in, strlen(c->in), &d);
        if (c->want) {
            CHECK_INTEQ(rc, 0);
            date_format(&d, out);
            CHECK_STREQ(rc == 0 ? out : "(rejected)", c->want);
        } else {
            if (rc == 0) {
                date_format(&d, out);
                fprintf(stderr, "accepted '%s' -> %s\n", c->in, out);
            }
            CHECK_INTEQ(rc, -1);
        }
    }
}

static void check_range(const char *text, size_t st, size_t en, const char *want)
{
    const char *p = strstr(text, want);
    CHECK(p != NULL);
    if (!p) return;
    CHECK_INTEQ(st, p - text);
    CHECK_INTEQ(en, p - text + strlen(want));
}

static void check_range_last(const char *text, size_t st, size_t en, const char *want)
{
    const char *p = NULL, *q = text;
    while ((q = strstr(q, want)) != NULL) p = q++;
    CHECK(p != NULL);
    if (!p) return;
    CHECK_INTEQ(st, p - text);
    CHECK_INTEQ(en, p - text + strlen(want));
}

static void test_find(void)
{
    size_t i;
    for (i = 0; i < sizeof find_cases / sizeof find_cases[0]; i++) {
        const struct find_case *c = &find_cases[i];
        struct date d = {0, 0, 0};
        size_t st = 0, en = 0;
        char out[11];
        int rc = date_find(c->text, strlen(c->text), &d, &st, &en);
        if (!c->first) {
            if (rc == 0) fprintf(stderr, "found in '%s': %.*s\n", c->text, (int)(en - st), c->text + st);
            CHECK_INTEQ(rc, -1);
            CHECK_INTEQ(date_find_last(c->text, strlen(c->text), &d, &st, &en), -1);
            continue;
        }
        CHECK_INTEQ(rc, 0);
        date_format(&d, out);
        CHECK_STREQ(rc == 0 ? out : "(none)", c->first);
        if (rc == 0) check_range(c->text, st, en, c->first_s);
        rc = date_find_last(c->text, strlen(c->text), &d, &st, &en);
        CHECK_INTEQ(rc, 0);
        date_format(&d, out);
        CHECK_STREQ(rc == 0 ? out : "(none)", c->last);
        if (rc == 0) check_range_last(c->text, st, en, c->last_s);
    }
    /* truncated text never reads past its end */
    {
        const char *t = "二〇一三年七月一日";
        size_t l;
        for (l = 0; l <= strlen(t); l++) {
            char *cp = malloc(l ? l : 1);
            struct date d;
            size_t st, en;
            memcpy(cp, t, l);
            CHECK_INTEQ(date_find(cp, l, &d, &st, &en), l == strlen(t) ? 0 : -1);
            free(cp);
        }
    }
}

static void test_format(void)
{
    struct date d = {2013, 7, 1};
    char out[11];
    date_format(&d, out);
    CHECK_STREQ(out, "2013-07-01");
    d.m = 0; d.d = 0;
    date_format(&d, out);
    CHECK_STREQ(out, "2013");
    d.m = 12;
    date_format(&d, out);
    CHECK_STREQ(out, "2013-12");
}

/* about 32 MB of text with a date every paragraph */
static void test_speed(void)
{
    const char *para[] = {
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：经国务院同意，现将有关事项通知如下。"
        "一、充分认识做好这项工作的重要意义，二〇一三年工作要点，加强组织领导，落实工作责任。",
        "The Secretary finds that the rule, published at 84 FR 12345 in May 2019 under Form 10-K, "
        "applies to 26 U.S.C. 501(c)(3) organisations with 1,000 or more employees. ",
        "行政院於中華民國九十三年核定，各機關應依據相關規定辦理，並於期限內報院備查，第一條至第十條。",
        "2013年7月1日",
    };
    size_t plen[4], total = 0, cap = 32u << 20, k = 0, found = 0, from = 0;
    char *buf = malloc(cap);
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
        found = from = 0;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (;;) {
            struct date d;
            size_t st, en;
            if (date_find(buf + from, total - from, &d, &st, &en) < 0) break;
            found++;
            from += en;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        t = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        if (t < sec) sec = t;
    }
    mbs = (double)total / 1048576.0 / (sec > 0 ? sec : 1e-9);
    printf("date_find: %.1f MB in %.3f s = %.0f MB/s, %zu found\n",
           (double)total / 1048576.0, sec, mbs, found);
    CHECK_INTEQ(found, k / 17);
#ifndef __SANITIZE_ADDRESS__
    CHECK(mbs > 50.0);
#endif
    free(buf);
}

int main(void)
{
    test_parse();
    test_find();
    test_format();
    test_speed();
    return check_done();
}
