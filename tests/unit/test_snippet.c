/* test_snippet.c - stored document data read a piece at a time
 * (indexer/docbuild.c: docdata_open / docdata_more) and snippets made from
 * a prefix of the text (searchd/snippet.c: snip_best asks for more when the
 * passage may lie beyond it). */
#include "tests/unit/check.h"
#include "indexer/docbuild.h"
#include "searchd/snippet.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int has(const char *hay, const char *needle)
{
    return hay && needle && strstr(hay, needle) != NULL;
}

/* Stored data as the indexer writes it: zlib(fields "\n" text). */
static char *pack(const char *fields, const char *text, size_t *outlen)
{
    size_t fl = strlen(fields), tl = strlen(text);
    char *raw = malloc(fl + 1 + tl);
    uLongf zl = compressBound(fl + 1 + tl);
    char *z = malloc(zl);
    memcpy(raw, fields, fl);
    raw[fl] = '\n';
    memcpy(raw + fl + 1, text, tl);
    if (compress2((Bytef *)z, &zl, (Bytef *)raw, fl + 1 + tl, 9) != Z_OK)
        zl = 0;
    free(raw);
    *outlen = zl;
    return z;
}

/* A long text: n copies of a Chinese sentence, then a tail. */
static char *long_text(size_t n, const char *tail)
{
    static const char s[] = "政府信息公开工作年度报告，依法公开。";
    size_t sl = strlen(s), i;
    char *t = malloc(n * sl + strlen(tail) + 1);
    for (i = 0; i < n; i++)
        memcpy(t + i * sl, s, sl);
    strcpy(t + n * sl, tail);
    return t;
}

static int whole_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t cl = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + cl > n)
            return 0;
        i += cl;
    }
    return 1;
}

/* docdata_load of stored data z: the whole text (tl bytes, as text) and
 * the fields object returned (json_decref it; NULL when unreadable). */
static json_t *load_whole(const char *z, size_t zl, const char *text, size_t tl)
{
    char *buf = NULL;
    const char *t = NULL;
    size_t n = 0;
    json_t *f = docdata_load(z, zl, &buf, &t, &n);
    CHECK(f != NULL);
    CHECK_INTEQ(n, tl);
    CHECK(t && memcmp(t, text, tl) == 0);
    free(buf);
    return f;
}

static void test_pieces(void)
{
    char *text = long_text(2000, "结尾ZEBRA"); /* about 100 KB */
    size_t zl, tl = strlen(text);
    char *z = pack("{\"id\":\"a/b.html\",\"title\":\"标题\"}", text, &zl);
    struct docdata d;

    CHECK_INTEQ(docdata_open(&d, z, zl, 1001), 0); /* not on a boundary */
    CHECK(d.fl[DD_TITLE] == 6 && !memcmp(d.f[DD_TITLE], "标题", 6));
    CHECK_INTEQ(d.complete, 0);
    CHECK(d.textlen > 0 && d.textlen < 1001);
    CHECK(whole_utf8(d.text, d.textlen));
    CHECK_INTEQ(d.text[d.textlen], 0);
    CHECK(memcmp(d.text, text, d.textlen) == 0);
    CHECK_INTEQ(docdata_more(&d, 5000), 0);
    CHECK_INTEQ(d.complete, 0);
    CHECK(d.textlen >= 4990 && d.textlen < 5300);
    CHECK(whole_utf8(d.text, d.textlen));
    CHECK(memcmp(d.text, text, d.textlen) == 0);
    CHECK_INTEQ(docdata_more(&d, SIZE_MAX), 0);
    CHECK_INTEQ(d.complete, 1);
    CHECK_INTEQ(d.textlen, tl);
    CHECK(memcmp(d.text, text, tl) == 0);
    CHECK_INTEQ(docdata_more(&d, SIZE_MAX), 0); /* again: nothing more */
    CHECK_INTEQ(d.textlen, tl);
    docdata_close(&d);

    /* the whole at once, as /api/doc reads it */
    json_decref(load_whole(z, zl, text, tl));

    /* a short document is complete at once */
    free(z);
    z = pack("{\"id\":\"x\"}", "短文", &zl);
    CHECK_INTEQ(docdata_open(&d, z, zl, 4096), 0);
    CHECK_INTEQ(d.complete, 1);
    CHECK_STREQ(d.text, "短文");
    docdata_close(&d);

    /* fields longer than the first piece are still read whole */
    {
        char *fields = malloc(20000);
        size_t i;
        strcpy(fields, "{\"title\":\"");
        for (i = 0; i < 6000; i++)
            strcat(fields, "长");
        strcat(fields, "\"}");
        free(z);
        z = pack(fields, text, &zl);
        CHECK_INTEQ(docdata_open(&d, z, zl, 1024), 0);
        CHECK_INTEQ(d.fl[DD_TITLE], 18000);
        CHECK(memcmp(d.text, text, d.textlen) == 0);
        docdata_close(&d);
        free(fields);
    }

    /* the fields line the indexer writes: 0x1E, fields joined by 0x1F */
    free(z);
    z = pack("\x1e" "a/b.html" "\x1f" "标题" "\x1f" "\x1f" "行政>法务" "\x1f"
             "2019-01-02" "\x1f" "2019" "\x1f" "\x1f" "zh-Hans" "\x1f" "\x1f"
             "a/b.html", "正文", &zl);
    CHECK_INTEQ(docdata_open(&d, z, zl, 4096), 0);
    CHECK(d.fl[DD_TITLE] == 6 && !memcmp(d.f[DD_TITLE], "标题", 6));
    CHECK_INTEQ(d.fl[DD_UNIT], 0);
    CHECK(d.fl[DD_LANG] == 7 && !memcmp(d.f[DD_LANG], "zh-Hans", 7));
    CHECK(d.fl[DD_PATH] == 8 && !memcmp(d.f[DD_PATH], "a/b.html", 8));
    CHECK_STREQ(d.text, "正文");
    {
        json_t *o = docdata_json(&d, 0);
        CHECK_INTEQ(json_integer_value(json_object_get(o, "year")), 2019);
        CHECK(json_is_null(json_object_get(o, "unit")));
        CHECK(json_is_null(json_object_get(o, "docno")));
        CHECK_STREQ(json_string_value(json_object_get(o, "category")), "行政>法务");
        CHECK(json_object_get(o, "path") == NULL);
        json_decref(o);
    }
    docdata_close(&d);

    /* corrupt or truncated data: an error, never a crash */
    CHECK_INTEQ(docdata_open(&d, "not zlib", 8, 4096), -1);
    CHECK_INTEQ(docdata_open(&d, z, zl / 2, SIZE_MAX), -1);
    free(z);
    z = pack("not json", "text", &zl);
    CHECK_INTEQ(docdata_open(&d, z, zl, 4096), -1);
    free(z);
    free(text);
}

/* The stored data the indexer writes now (docdata_pack): fields and the
 * text's head as they are, the rest deflated; read as the older form is. */
static void test_packed(void)
{
    char *text = long_text(2000, "结尾ZEBRA"), *z;
    const char *f[DD_NFIELDS] = {"a/b.html", "标题", NULL, "行政>法务", NULL,
                                 "2019", NULL, "zh-Hans", NULL, "a/b.html"};
    size_t zl, tl = strlen(text), head;
    struct docdata d;

    z = docdata_pack(f, text, tl, &zl);
    CHECK(z != NULL && zl < tl / 4); /* the rest is deflated */
    if (!z)
        return;
    CHECK_INTEQ(z[0], DD_RECORD);
    /* a first piece within the head: nothing to inflate */
    CHECK_INTEQ(docdata_open(&d, z, zl, 1001), 0);
    CHECK(d.fl[DD_TITLE] == 6 && !memcmp(d.f[DD_TITLE], "标题", 6));
    CHECK(d.fl[DD_PATH] == 8 && !memcmp(d.f[DD_PATH], "a/b.html", 8));
    CHECK_INTEQ(d.fl[DD_UNIT], 0);
    CHECK_INTEQ(d.complete, 0);
    CHECK(d.zs != NULL); /* the rest is there, not read */
    head = d.textlen;
    CHECK(head > DD_HEAD - 4 && head <= DD_HEAD); /* whole characters */
    CHECK(whole_utf8(d.text, d.textlen));
    CHECK(memcmp(d.text, text, d.textlen) == 0);
    CHECK_INTEQ(docdata_more(&d, 5000), 0);
    CHECK(d.textlen >= 4990 && d.textlen < 5300);
    CHECK(whole_utf8(d.text, d.textlen) && memcmp(d.text, text, d.textlen) == 0);
    CHECK_INTEQ(docdata_more(&d, SIZE_MAX), 0);
    CHECK_INTEQ(d.complete, 1);
    CHECK_INTEQ(d.textlen, tl);
    CHECK(memcmp(d.text, text, tl) == 0);
    docdata_close(&d);
    /* a first piece past the head inflates up to it, fields intact */
    CHECK_INTEQ(docdata_open(&d, z, zl, 9000), 0);
    CHECK(d.textlen > 8000 && memcmp(d.text, text, d.textlen) == 0);
    CHECK(d.fl[DD_CATEGORY] == 13 && !memcmp(d.f[DD_CATEGORY], "行政>法务", 13));
    docdata_close(&d);
    {   /* the whole at once, as /api/doc and /api/similar read it */
        json_t *o = load_whole(z, zl, text, tl);
        CHECK_INTEQ(json_integer_value(json_object_get(o, "year")), 2019);
        CHECK(json_is_null(json_object_get(o, "unit")));
        json_decref(o);
    }
    /* truncated in the rest, in the head, in the fields: errors */
    CHECK_INTEQ(docdata_open(&d, z, zl - 10, SIZE_MAX), -1);
    CHECK_INTEQ(docdata_open(&d, z, 300, 100), -1);
    CHECK_INTEQ(docdata_open(&d, z, 12, 100), -1);
    free(z);
    /* a short text is all head: complete at once, no zlib at all */
    z = docdata_pack(f, "短文", 6, &zl);
    CHECK_INTEQ(docdata_open(&d, z, zl, 4096), 0);
    CHECK_INTEQ(d.complete, 1);
    CHECK_STREQ(d.text, "短文");
    CHECK(d.zs == NULL);
    docdata_close(&d);
    free(z);
    /* an empty text */
    z = docdata_pack(f, "", 0, &zl);
    CHECK_INTEQ(docdata_open(&d, z, zl, 4096), 0);
    CHECK_INTEQ(d.complete, 1);
    CHECK_INTEQ(d.textlen, 0);
    docdata_close(&d);
    free(z);
    /* a head length that is not one */
    {
        static const char bad1[] = "\x1e" "a\x1f" "t\x1f\x1f\x1f\x1f\x1f\x1f\x1f\x1f" "p\x1f" "99\nab";
        static const char bad2[] = "\x1e" "a\x1f" "t\x1f\x1f\x1f\x1f\x1f\x1f\x1f\x1f" "p\x1f" "x\nab";
        static const char good[] = "\x1e" "a\x1f" "t\x1f\x1f\x1f\x1f\x1f\x1f\x1f\x1f" "p\x1f" "2\nab";
        CHECK_INTEQ(docdata_open(&d, bad1, sizeof bad1 - 1, 4096), -1);
        CHECK_INTEQ(docdata_open(&d, bad2, sizeof bad2 - 1, 4096), -1);
        CHECK_INTEQ(docdata_open(&d, good, sizeof good - 1, 4096), 0);
        CHECK_STREQ(d.text, "ab");
        CHECK(d.fl[DD_PATH] == 1 && d.f[DD_PATH][0] == 'p');
        docdata_close(&d);
    }
    free(text);
}

static void test_snip_prefix(void)
{
    struct qp p;
    struct qry q;
    struct err e;
    char *text = long_text(2000, "结尾处提到斑马线。"), *s;
    size_t tl = strlen(text);
    size_t more = 1;
    if (qp_init(&p, &e) != 0) {
        CHECK(!"qp_init");
        return;
    }
    /* the match lies only at the end: a prefix is not enough */
    CHECK_INTEQ(qry_parse(&p, "斑马线", strlen("斑马线"), &q, &e), 0);
    s = snip_best(text, 3000, SIZE_MAX, 0, &q, p.ana.stem, 110, &more);
    CHECK(s == NULL);
    CHECK(more > 3000);
    s = snip_best(text, tl, tl, 0, &q, p.ana.stem, 110, &more);
    CHECK_INTEQ(more, 0);
    CHECK(has(s, "<mark>斑马线</mark>"));
    CHECK(has(s, "…"));
    free(s);
    qry_release(&q);

    /* a match near the start: the prefix answers */
    CHECK_INTEQ(qry_parse(&p, "年度报告", strlen("年度报告"), &q, &e), 0);
    s = snip_best(text, 3000, SIZE_MAX, 0, &q, p.ana.stem, 110, &more);
    CHECK_INTEQ(more, 0);
    CHECK(has(s, "<mark>年度报告</mark>"));
    CHECK(s && strlen(s) > 3 && !strcmp(s + strlen(s) - 3, "…")); /* cut */
    free(s);
    qry_release(&q);

    /* found right at the prefix's end: more, so the passage is not cut */
    {
        char *t2 = long_text(100, "");
        size_t n = strlen(t2);
        char *t3 = malloc(n + 64);
        memcpy(t3, t2, n);
        strcpy(t3 + n, "斑马线在这里。更多文字。");
        CHECK_INTEQ(qry_parse(&p, "斑马线", strlen("斑马线"), &q, &e), 0);
        s = snip_best(t3, n + 9, SIZE_MAX, 0, &q, p.ana.stem, 110, &more);
        CHECK(s == NULL);
        CHECK(more > n + 9);
        s = snip_best(t3, strlen(t3), strlen(t3), 0, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "<mark>斑马线</mark>在这里"));
        free(s);
        qry_release(&q);
        free(t2);
        free(t3);
    }

    /* a match 700 bytes before a prefix's end: the passage read from the
     * prefix would be cut short of the one the whole text gives (up to
     * 800 bytes on), so more is asked for; the whole text answers */
    {
        char *t2 = long_text(100, "");
        size_t n = strlen(t2), m;
        char *t5 = malloc(n + 2048), *whole;
        memcpy(t5, t2, n);
        strcpy(t5 + n, "斑马线在这里。");
        m = strlen(t5);
        while (strlen(t5) < m + 1200)
            strcat(t5, "斑马线之后还有很多文字。");
        CHECK_INTEQ(qry_parse(&p, "斑马线", strlen("斑马线"), &q, &e), 0);
        s = snip_best(t5, n + 700, SIZE_MAX, 0, &q, p.ana.stem, 110, &more);
        CHECK(s == NULL);
        CHECK(more > n + 700);
        whole = snip_best(t5, strlen(t5), strlen(t5), 0, &q, p.ana.stem, 110, &more);
        CHECK(has(whole, "<mark>斑马线</mark>"));
        free(s);
        free(whole);
        qry_release(&q);
        free(t2);
        free(t5);
    }

    /* English: a capitalised word is found and marked, white space is
     * squashed, markup characters are escaped */
    {
        const char *en = "Section 1.  The <b>Climate</b> &\n\n  Energy Office "
                         "reports on climate change every year.";
        CHECK_INTEQ(qry_parse(&p, "climate", 7, &q, &e), 0);
        s = snip_best(en, strlen(en), strlen(en), 0, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "The &lt;b&gt;<mark>Climate</mark>&lt;/b&gt; &amp; Energy"));
        CHECK(has(s, "on <mark>climate</mark> change"));
        free(s);
        qry_release(&q);
    }

    /* English words next to each other are marked as one: across a
     * hyphen or one space, not across a word left unmarked */
    {
        const char *en = "Order of Bill de Blasio. WHEREAS the COVID-19 pandemic "
                         "and the Freedom of Information Act apply.";
        static const char *const cases[][2] = {
            {"covid-19", "the <mark>COVID-19</mark> pandemic"},
            {"covid 19", "the <mark>COVID-19</mark> pandemic"},
            {"bill de blasio", "<mark>Bill de Blasio</mark>."},
            {"freedom information act", "<mark>Freedom</mark> of <mark>Information Act</mark>"}};
        size_t k;
        for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            CHECK_INTEQ(qry_parse(&p, cases[k][0], strlen(cases[k][0]), &q, &e), 0);
            s = snip_best(en, strlen(en), strlen(en), 0, &q, p.ana.stem, 200, &more);
            if (!has(s, cases[k][1]))
                fprintf(stderr, "  '%s': %s\n", cases[k][0], s ? s : "(null)");
            CHECK(has(s, cases[k][1]));
            free(s);
            qry_release(&q);
        }
    }

    /* Traditional text, Simplified query: not met as written. With fold
     * set a short prefix is searched through folding and answers at once;
     * without, more is asked for (the match might lie further on) */
    {
        char *tw = long_text(200, "");
        size_t n = strlen(tw), pre = 48 + 54 * 20; /* whole characters */
        char *t4 = malloc(n + 64);
        strcpy(t4, "本條例所稱斑馬線，指行人穿越道。");
        strcat(t4, tw);
        CHECK_INTEQ(qry_parse(&p, "斑马线", strlen("斑马线"), &q, &e), 0);
        s = snip_best(t4, pre, SIZE_MAX, 1, &q, p.ana.stem, 110, &more);
        CHECK_INTEQ(more, 0);
        CHECK(has(s, "本條例所稱<mark>斑馬線</mark>，指行人穿越道。"));
        free(s);
        s = snip_best(t4, pre, SIZE_MAX, 0, &q, p.ana.stem, 110, &more);
        CHECK(s == NULL);
        CHECK(more > pre);
        qry_release(&q);
        /* folding finds nothing either: more */
        CHECK_INTEQ(qry_parse(&p, "斑鸠", strlen("斑鸠"), &q, &e), 0);
        s = snip_best(t4, pre, SIZE_MAX, 1, &q, p.ana.stem, 110, &more);
        CHECK(s == NULL);
        CHECK(more > pre);
        qry_release(&q);
        free(tw);
        free(t4);
    }

    /* the passage holding the query whole beats one holding its words
     * apart more often */
    {
        char t6[2048];
        size_t i;
        strcpy(t6, "推进公开平台建设，依申请公开办理台账。");
        for (i = 0; i < 40; i++)
            strcat(t6, "天气晴朗。");
        strcat(t6, "做好政府信息公开工作。");
        for (i = 0; i < 40; i++)
            strcat(t6, "天气晴朗。");
        CHECK_INTEQ(qry_parse(&p, "信息公开", strlen("信息公开"), &q, &e), 0);
        s = snip_best(t6, strlen(t6), strlen(t6), 0, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "政府<mark>信息公开</mark>工作"));
        free(s);
        qry_release(&q);
    }

    /* the title as written, marks added: white space the index joins
     * (between Han characters) is kept, next to a mark too, and not
     * squashed; a snippet keeps it too */
    {
        static const char t7[] = "科技部 生态环境部 住房和城乡建设部关于印发  方案的通知";
        CHECK_INTEQ(qry_parse(&p, "住房 方案", strlen("住房 方案"), &q, &e), 0);
        s = snip_title(t7, strlen(t7), &q, p.ana.stem);
        CHECK(s && !strcmp(s, "科技部 生态环境部 <mark>住房</mark>和城乡建设部关于印发  "
                              "<mark>方案</mark>的通知"));
        free(s);
        s = snip_best(t7, strlen(t7), strlen(t7), 0, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "生态环境部 <mark>住房</mark>和城乡建设部关于印发 <mark>方案</mark>"));
        free(s);
        qry_release(&q);
    }

    /* a law's article, as Taiwan's laws write it (第 3 條), deep in the
     * text: the snippet is there, reading on for it */
    {
        char *lt = long_text(6000, "\n第 3 條 申請人應檢附文件。"), *t8;
        size_t l8 = strlen(lt) + 64;
        t8 = malloc(l8);
        snprintf(t8, l8, "依本法第 3 條規定辦理。%s", lt); /* a mention first */
        free(lt);
        l8 = strlen(t8);
        CHECK_INTEQ(qry_parse(&p, "範例法第3條", strlen("範例法第3條"), &q, &e), 0);
        s = snip_best(t8, 2048, l8, 1, &q, p.ana.stem, 110, &more);
        CHECK(more > 2048);
        free(s);
        s = snip_best(t8, l8, l8, 1, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "第 3 條</mark>") || has(s, "第</mark> <mark>3</mark> <mark>條"));
        CHECK(has(s, "申請人應檢附文件"));
        free(s);
        qry_release(&q);
        free(t8);
    }

    /* the heading in one form (第三条) beats a mention in another (第3条) */
    {
        char *lt = long_text(60, "\n第三条 申请人应当提交材料。"), *t9;
        size_t l9 = strlen(lt) + 64;
        t9 = malloc(l9);
        snprintf(t9, l9, "依照本法第3条规定办理。%s", lt);
        free(lt);
        l9 = strlen(t9);
        CHECK_INTEQ(qry_parse(&p, "示例法第3条", strlen("示例法第3条"), &q, &e), 0);
        s = snip_best(t9, l9, l9, 0, &q, p.ana.stem, 110, &more);
        CHECK(has(s, "申请人应当提交材料"));
        free(s);
        qry_release(&q);
        free(t9);
    }

    /* no query: the start of a prefix will do */
    s = snip_best(text, 3000, SIZE_MAX, 0, NULL, p.ana.stem, 110, &more);
    CHECK_INTEQ(more, 0);
    CHECK(has(s, "政府信息公开"));
    free(s);
    qp_release(&p);
    free(text);
}

/* As searchd's hit_object: the head first, then as much as snip_best asks
 * for, a whole character at a time. *read: what the last call had. */
static char *snip_drive(const char *text, size_t tl, int fold,
                        const struct qry *q, void *stem, size_t *read)
{
    size_t len = tl < 2048 ? tl : 2048, more = 0, k;
    char *s = NULL;
    for (k = 0; k < 16; k++) {
        while (len < tl && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--;
        s = snip_best(text, len, len == tl ? tl : SIZE_MAX, fold, q, stem, 110, &more);
        if (!more)
            break;
        CHECK(s == NULL);
        CHECK(more > len);
        len = more < tl ? more : tl;
    }
    *read = len;
    return s;
}

/* Reading on as snip_best asks gives the passage the whole text gives,
 * and reads about as far as the match, not the whole. */
static void test_snip_read_on(void)
{
    static const struct {
        const char *query, *at;  /* at: the text around the match */
        size_t before, after;     /* filler sentences (54 bytes) around it */
        size_t most;              /* the most that may be read; 0: all */
    } cases[] = {
        {"斑马线", "斑马线在这里。", 380, 3000, 32 << 10},   /* at 20 KB */
        {"斑马线", "斑马线在这里。", 28, 3000, 2048 + 1024},  /* near the head's end */
        {"斑马线", "斑马线在这里。", 5, 3000, 2048},          /* in the head */
        {"climate", "THE CLIMATE OFFICE.", 10, 3000, 4096}, /* only folded */
        {"斑鸠", "", 0, 3000, 0},                          /* nowhere: the start */
        {"斑马线", "斑马线在这里。", 1300, 300, 0},          /* past the last doubling */
    };
    struct qp p;
    struct qry q;
    struct err e;
    size_t i;
    if (qp_init(&p, &e) != 0) {
        CHECK(!"qp_init");
        return;
    }
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *a = long_text(cases[i].before, cases[i].at);
        char *b = long_text(cases[i].after, "");
        size_t tl = strlen(a) + strlen(b), read = 0, more = 0;
        char *t = malloc(tl + 1), *whole, *driven;
        strcpy(t, a);
        strcat(t, b);
        CHECK_INTEQ(qry_parse(&p, cases[i].query, strlen(cases[i].query), &q, &e), 0);
        whole = snip_best(t, tl, tl, 0, &q, p.ana.stem, 110, &more);
        CHECK_INTEQ(more, 0);
        driven = snip_drive(t, tl, 0, &q, p.ana.stem, &read);
        CHECK(whole && driven && !strcmp(whole, driven));
        if (cases[i].most)
            CHECK(read <= cases[i].most);
        else
            CHECK_INTEQ(read, tl);
        if (*cases[i].at)
            CHECK(has(driven, "</mark>"));
        free(whole);
        free(driven);
        qry_release(&q);
        free(a);
        free(b);
        free(t);
    }
    qp_release(&p);
}

int main(void)
{
    struct err e;
    /* the dictionary, as in searchd: a query's words are highlight
     * strings of their own (信息公开 -> 信息, 公开, 信息公开) */
    CHECK_INTEQ(ana_global_init(&e), 0);
    test_pieces();
    test_packed();
    test_snip_prefix();
    test_snip_read_on();
    return check_done();
}
