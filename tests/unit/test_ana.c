/* test_ana.c - invariants of the analyzer (analysis/ana.c, fold.c, seg.c,
 * fp.c) on text we make up: every token's byte range, folded, is its term;
 * positions grow; Traditional and Simplified text give the same terms;
 * folding keeps one folded character per original one for Han text; words
 * include the dictionary words inside long ones; shingles are
 * script-independent. The golden files (tests/golden/) pin exact output. */
#include "analysis/ana.h"
#include "analysis/fold.h"
#include "analysis/fp.h"
#include "analysis/seg.h"
#include "analysis/units.h"
#include "check.h"
#include <stdlib.h>
#include <string.h>

static const char *const texts[] = {
    "国务院办公厅关于推进政府信息公开实施方案的通知",
    "國務院辦公廳關於推進政府資訊公開實施方案的通知",
    "ＡＢＣ１２３ Ｆｕｌｌwidth 〔２０１３〕",
    "The Freedom of Information Act requires agencies to publish records.",
    "部署5G网络和COVID-19疫情防控，PM2.5下降3.5%",
    "根据国办发〔2013〕26号文件，于2013年7月1日起施行。",
    "中華民國102年7月5日　院臺秘字第1020012345號",
    "",
    "a",
    "的",
    "个\n月 信 息　公开",
};

/* the folded text of s[start, end), white space removed (a bigram or word
 * may span a line break inside a Han run) */
static char *folded(const char *s, size_t start, size_t end)
{
    size_t n, i, o = 0;
    char *f = fold_str(s + start, end - start, &n);
    for (i = 0; f && i < n; i++)
        if (f[i] != ' ' && f[i] != '\n' && f[i] != '\t' && f[i] != '\r')
            f[o++] = f[i];
    if (f)
        f[o] = 0;
    return f;
}

static void check_offsets(struct ana *a, const char *s)
{
    size_t i;
    uint32_t lastpos = 0;
    for (i = 0; i < a->n; i++) {
        const struct ana_tok *t = &a->toks[i];
        CHECK(t->start <= t->end && t->end <= strlen(s));
        if (t->kind == ANA_CHAR || t->kind == ANA_NGRAM || t->kind == ANA_WORD ||
            t->kind == ANA_LATIN || t->kind == ANA_NUMBER) {
            char *f = folded(s, t->start, t->end);
            /* a compatibility expansion (㈠ -> (一)) may hold more than the
             * term; otherwise the range folds to exactly the term */
            CHECK(f && strstr(f, ana_term(a, t)) != NULL);
            free(f);
        }
        if (t->positional) {
            CHECK(t->pos >= 1);
            if (t->kind == ANA_CHAR || t->kind == ANA_LATIN || t->kind == ANA_NUMBER) {
                CHECK(t->pos > lastpos);
                lastpos = t->pos;
            }
        }
    }
}

/* Sorted "kind:term" lines of an analysis, for comparing two texts. */
static char *term_set(struct ana *a)
{
    size_t i, cap = 1, o = 0;
    char *out;
    for (i = 0; i < a->n; i++)
        cap += a->toks[i].len + 4;
    out = malloc(cap);
    out[0] = 0;
    for (i = 0; i < a->n; i++) {
        const struct ana_tok *t = &a->toks[i];
        o += (size_t)sprintf(out + o, "%d:%s|", t->kind, ana_term(a, t));
    }
    return out;
}

static int has_term(struct ana *a, int kind, const char *term)
{
    size_t i;
    for (i = 0; i < a->n; i++)
        if (a->toks[i].kind == kind && !strcmp(ana_term(a, &a->toks[i]), term))
            return 1;
    return 0;
}

/* The inline fast path of the fold (3-byte characters through fold_one)
 * agrees with the general one (fold_cp) for every 3-byte code point, and
 * invalid 3-byte sequences still decode as U+FFFD per byte. */
static void check_fold_fast_path(void)
{
    uint32_t cp, *c = NULL, *st = NULL, *en = NULL;
    size_t bad = 0, n;
    for (cp = 0x800; cp <= 0xFFFF; cp++) {
        char s[8], *f;
        size_t fl, k = 0, j = 0;
        const char *slow;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        n = ana_fold_cps(s, utf8_enc(cp, s), &c, &st, &en);
        slow = fold_cp(cp, &fl);
        f = (char *)slow;
        while (k < fl && j < n) {
            uint32_t fc;
            k += utf8_dec((const unsigned char *)f + k, fl - k, &fc);
            if (fc != c[j] || st[j] != 0 || en[j] != 3)
                break;
            j++;
        }
        if (k != fl || j != n)
            bad++;
        if (fold_one(cp) != FOLD_NOT_ONE && (n != 1 || c[0] != fold_one(cp)))
            bad++;
        free(c);
    }
    CHECK_INTEQ(bad, 0);
    CHECK(fold_one(0x570B) == 0x56FD); /* 國 -> 国 */
    CHECK(fold_one(0xFF21) == 'a');    /* full-width A */
    /* a surrogate and an overlong form: three U+FFFD each */
    n = ana_fold_cps("\xED\xA0\x80\xE0\x80\x80", 6, &c, &st, &en);
    CHECK_INTEQ(n, 6);
    CHECK(n == 6 && c[0] == 0xFFFD && c[5] == 0xFFFD && st[5] == 5);
    free(c);
    /* a 3-byte character cut short at the end */
    n = ana_fold_cps("a\xE5\x9B", 3, &c, &st, &en);
    CHECK(n == 3 && c[0] == 'a' && c[1] == 0xFFFD);
    free(c);
}

/* The units of unit fields, joined by '|'. */
static void check_units(const char *u, const char *want)
{
    char got[256] = "";
    size_t at = 0, b, e, n = strlen(u);
    while (ana_unit_next(u, n, &at, &b, &e))
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", *got ? "|" : "",
                 (int)(e - b), u + b);
    if (strcmp(got, want))
        fprintf(stderr, "  units of '%s': '%s', want '%s'\n", u, got, want);
    CHECK_STREQ(got, want);
}

static void test_units(void)
{
    check_units("国务院办公厅", "国务院办公厅");
    check_units("交通部;內政部", "交通部|內政部");
    check_units("国务院办公厅、中央军委办公厅", "国务院办公厅|中央军委办公厅");
    check_units("财政部；税务总局，人民银行", "财政部|税务总局|人民银行");
    check_units("国家发展改革委办公厅 税务总局办公厅", "国家发展改革委办公厅|税务总局办公厅");
    check_units("财政部\xE3\x80\x80 税务总局", "财政部|税务总局");
    check_units("财政部,税务总局", "财政部|税务总局");
    check_units(" 财政部 、 税务总局 ;", "财政部|税务总局");
    check_units("BUREAU OF CONSUMER FINANCIAL PROTECTION",
                "BUREAU OF CONSUMER FINANCIAL PROTECTION");
    check_units("Office of the Mayor, City of New York", "Office of the Mayor, City of New York");
    check_units("Department of Labor; Office of the Mayor", "Department of Labor|Office of the Mayor");
    check_units("国务院 Office", "国务院 Office");
    check_units("  ", "");
    check_units(";;、", "");
}

int main(void)
{
    struct err e = {0};
    struct ana a;
    size_t i;
    int rc = ana_global_init(&e);
    CHECK(rc >= 0);
    if (rc == 1)
        printf("SKIP words: %s\n", e.msg);
    CHECK(ana_init(&a, &e) == 0);
    check_fold_fast_path();
    test_units();

    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ana_reset(&a);
        CHECK(ana_text(&a, texts[i], strlen(texts[i]), 0, 0) == 0);
        check_offsets(&a, texts[i]);
    }

    /* Simplified and Traditional give the same terms */
    {
        char *s1, *s2;
        ana_reset(&a);
        ana_text(&a, texts[0], strlen(texts[0]), 0, ANA_NO_WORDS);
        s1 = term_set(&a);
        ana_reset(&a);
        ana_text(&a, texts[1], strlen(texts[1]), 0, ANA_NO_WORDS);
        s2 = term_set(&a);
        /* 资讯 vs 信息 is vocabulary, not script: compare up to it */
        CHECK(strncmp(s1, s2, 60) == 0);
        free(s1);
        free(s2);
    }

    /* full-width and case fold */
    ana_reset(&a);
    ana_text(&a, texts[2], strlen(texts[2]), 0, 0);
    CHECK(has_term(&a, ANA_LATIN, "abc123"));
    CHECK(has_term(&a, ANA_LATIN, "fullwidth"));
    CHECK(has_term(&a, ANA_NUMBER, "2013"));

    /* layers: characters, bigrams, words (with the words inside), stems */
    ana_reset(&a);
    ana_text(&a, texts[0], strlen(texts[0]), 0, 0);
    CHECK(has_term(&a, ANA_CHAR, "国"));
    CHECK(has_term(&a, ANA_NGRAM, "办公"));
    if (seg_ready()) {
        CHECK(has_term(&a, ANA_WORD, "国务院办公厅"));
        CHECK(has_term(&a, ANA_WORD, "办公厅"));    /* inside the long word */
        CHECK(has_term(&a, ANA_WORD, "实施方案"));
        CHECK(!has_term(&a, ANA_WORD, "的"));       /* no one-character words */
    }
    ana_reset(&a);
    ana_text(&a, texts[3], strlen(texts[3]), 0, 0);
    CHECK(has_term(&a, ANA_STEM, "inform"));
    CHECK(has_term(&a, ANA_LATIN, "information"));
    CHECK(has_term(&a, ANA_STEM, "agenc"));

    /* mixed runs, document numbers */
    ana_reset(&a);
    ana_text(&a, texts[4], strlen(texts[4]), 0, 0);
    CHECK(has_term(&a, ANA_LATIN, "5g"));
    CHECK(has_term(&a, ANA_NGRAM, "网络"));
    CHECK(has_term(&a, ANA_LATIN, "covid"));
    ana_reset(&a);
    ana_text(&a, texts[5], strlen(texts[5]), 0, 0);
    CHECK(has_term(&a, ANA_DOCNO, "国办发(2013)26"));
    ana_reset(&a);
    ana_text(&a, texts[6], strlen(texts[6]), 0, 0);
    CHECK(has_term(&a, ANA_DOCNO, "院台秘字第1020012345"));
    ana_reset(&a);
    ana_text(&a, texts[6], strlen(texts[6]), 0, ANA_NO_DOCNO);
    CHECK(!has_term(&a, ANA_DOCNO, "院台秘字第1020012345"));

    /* punctuation leaves a hole in the positions, white space does not */
    {
        const char *p1 = "信息，公开", *p2 = "信息 公开";
        uint32_t x, y;
        ana_reset(&a);
        ana_text(&a, p1, strlen(p1), 0, ANA_NO_WORDS);
        x = a.toks[a.n - 1].pos;
        ana_reset(&a);
        ana_text(&a, p2, strlen(p2), 0, ANA_NO_WORDS);
        y = a.toks[a.n - 1].pos;
        CHECK_INTEQ(x, y + 1);
    }

    /* positions continue across calls; base shifts offsets */
    ana_reset(&a);
    ana_text(&a, "信息", 6, 0, 0);
    {
        uint32_t p = a.pos;
        size_t n0 = a.n;
        ana_text(&a, "公开", 6, 100, 0);
        CHECK(a.toks[n0].pos > p);
        CHECK_INTEQ(a.toks[n0].start, 100);
    }

    /* folding: one folded code point per Han character, both scripts */
    {
        const char *t = texts[1];
        size_t fl, n1 = 0, n2 = 0, k = 0;
        char *f = fold_str(t, strlen(t), &fl);
        while (k < strlen(t)) {
            uint32_t c;
            k += utf8_dec((const unsigned char *)t + k, strlen(t) - k, &c);
            n1++;
        }
        for (k = 0; k < fl;) {
            uint32_t c;
            k += utf8_dec((const unsigned char *)f + k, fl - k, &c);
            n2++;
        }
        CHECK_INTEQ(n1, n2);
        CHECK(strstr(f, "国务院办公厅") != NULL);
        free(f);
    }
    {
        size_t han, trad;
        fold_count_trad(texts[1], strlen(texts[1]), &han, &trad);
        CHECK(trad > 5 && han > trad);
        fold_count_trad(texts[0], strlen(texts[0]), &han, &trad);
        CHECK_INTEQ(trad, 0);
    }

    /* shingles: the same text in the other script has the same set */
    {
        uint64_t *h1, *h2;
        size_t n1 = fp_shingles(texts[0], strlen(texts[0]), &h1);
        size_t n2 = fp_shingles("国务院办公厅关于推进政府资讯公开实施方案的通知",
                                strlen("国务院办公厅关于推进政府资讯公开实施方案的通知"), &h2);
        size_t u1 = fp_unique(h1, n1), u2 = fp_unique(h2, n2);
        CHECK(n1 > 0 && n1 == n2);
        CHECK(fp_overlap(h1, u1, h2, u2) > 0 && fp_overlap(h1, u1, h2, u2) < u1);
        free(h1);
        free(h2);
        n1 = fp_shingles("短", 3, &h1);
        CHECK_INTEQ(n1, 0);
        free(h1);
    }

    /* ana_is_space: every code point as the plain list says */
    {
        uint32_t cp;
        long bad = 0;
        for (cp = 0; cp < 0x110000; cp++) {
            int want = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
                       cp == '\f' || cp == '\v' || cp == 0x3000 || cp == 0xA0 ||
                       (cp >= 0x2000 && cp <= 0x200B);
            bad += ana_is_space(cp) != want;
        }
        CHECK_INTEQ(bad, 0);
    }

    /* containment read from a text (one pass, early stop) agrees with the
     * shingles of the whole text; the same text in the other script, with
     * another layout and compatibility forms, holds the whole draft */
    {
        static const char draft[] = "第一条　为了保障公民、法人和其他组织依法获取政府信息，"
                                    "提高政府工作的透明度，制定本条例。Article 1 applies.";
        static const char *const cands[] = {
            "序言。第一條 為了保障公民、法人和其他組織依法獲取政府信息，\n提高政府工作的"
            "透明度，制定本條例。ARTICLE 1 APPLIES. 其餘條文……",
            "第一条 为了保障公民、法人和其他组织依法获取政府信息。无关的文字。",
            "㈠ 完全无关的文字，Ｆｕｌｌ　ｗｉｄｔｈ text and ㍿ 株式会社 forms.",
            "",
        };
        uint64_t *d = NULL;
        size_t nd = fp_shingles(draft, strlen(draft), &d), nu = fp_unique(d, nd), k;
        CHECK(nu > 20);
        for (k = 0; k < sizeof cands / sizeof cands[0]; k++) {
            uint64_t *c = NULL;
            size_t nc = fp_shingles(cands[k], strlen(cands[k]), &c);
            size_t ca = fp_contained(d, nu, c, nc);
            size_t b = fp_contained_text(d, nu, cands[k], strlen(cands[k]));
            CHECK_INTEQ(ca, b);
            if (k == 0)
                CHECK_INTEQ(b, nu);
            if (k == 1)
                CHECK(b > 3 && b < nu);
            if (k >= 2)
                CHECK_INTEQ(b, 0);
            {   /* the longest stretch shared: bytes of the candidate */
                size_t ra = 1, rb = 1;
                int got;
                fp_contained_run(d, nu, NULL, 0, cands[k], strlen(cands[k]), &ra, &rb);
                got = rb > ra;
                if (k == 0) { /* the whole draft, in the other script */
                    CHECK(got && !strncmp(cands[k] + ra, "第一條", strlen("第一條")));
                    CHECK(got && rb >= strlen("APPLIES") &&
                          !strncmp(cands[k] + rb - 7, "APPLIES", 7));
                }
                if (k == 1) { /* up to the 。 where the two part */
                    CHECK(got && !strncmp(cands[k] + ra, "第一条", strlen("第一条")));
                    CHECK(got && rb >= strlen("获取政府信息") &&
                          !strncmp(cands[k] + rb - strlen("获取政府信息"), "获取政府信息",
                                   strlen("获取政府信息")));
                }
                if (k >= 2)
                    CHECK(!got && ra == 0 && rb == 0);
            }
            free(c);
        }
        free(d);
    }

    /* ids: long ones are hashed under the term limit */
    {
        char t[300], id[400];
        memset(id, 'x', 300);
        id[300] = 0;
        CHECK(ana_id_term("a/b.txt", t, sizeof t) == 9 && !strcmp(t, "Q:a/b.txt"));
        CHECK(ana_id_term(id, t, sizeof t) > 0 && strlen(t) < 245 && !strncmp(t, "Q:#", 3));
    }
    ana_release(&a);
    return check_done();
}
