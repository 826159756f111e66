/* test_rank.c - ranking rules of /api/search on a small index built the
 * indexer's way (indexer/docbuild.c, the real analyzer) and queried the
 * searchd way (api_handle):
 *  - words typed one after another rank the documents holding them as that
 *    exact phrase above documents holding them apart, even apart in the
 *    title (analysis/query.c: phrase_boost);
 *  - the snippet of a phrase query shows the phrase, not an earlier lone
 *    word (searchd/snippet.c: QHL_PHRASE);
 *  - equal matches go newest first; a clearly better older one stays above
 *    a newer weak one (the recency boost is mild);
 *  - a query that is (nearly) a document's whole title ranks it above
 *    documents whose longer titles merely contain it and whose texts use
 *    it more often, also when the title segments it otherwise (国家赔偿
 *    in 国家|赔偿法) or opens with the state's name (XS_Q_TITLEFIT);
 *  - characters the dictionary leaves alone, typed side by side (an
 *    unknown name), match only side by side;
 *  - an abbreviation finds the full name and back (低保 / 最低生活保障);
 *  - question words (怎么, 什么, what, the) only rank when the query has
 *    other words (analysis/fillers.txt);
 *  - a year typed ranks the documents of that year higher (2019年 is the
 *    year 2019, not 2019 and a 年 in the words that follow);
 *  - when no document holds all the words, those holding the most of them
 *    come, marked "relaxed" (api.c: do_search, QRY_RELAXED);
 *  - a repeated search is answered from the cache when it is on. */
#include "tests/unit/check.h"
#include "indexer/docbuild.h"
#include "searchd/api.h"
#include "searchd/cache.h"
#include "tests/unit/scratch.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

struct tdoc {
    const char *id, *title, *date, *text;
};

/* an even length for the texts below */
#define FILL "本条例所称机关，包括各级人民政府及其工作部门，应当依法履行职责，接受社会监督，做好相关工作。"

static const struct tdoc docs[] = {
    /* the phrase, once */
    {"phrase.txt", "Pension payments", "2018-05-01",
     "Guards were hired last year. The social security office pays "
     "pensions."},
    /* both words, apart, as often or more, in texts as long */
    {"apart.txt", "Club rules", "2018-05-01",
     "Social events at the club. Security staff guard the social hall."},
    {"apart2.txt", "Harbour rules", "2018-05-01",
     "Social workers visit the harbour. Port security checks every ship."},
    /* the phrase late in a long text, a lone "security" at its start */
    {"long.txt", "Pension office", "2018-05-01", NULL},
    /* equal documents of different dates, and one undated */
    {"old.txt", "Harbour fees", "2012-03-01", "The harbour fee is due yearly."},
    {"new.txt", "Harbour fees", "2021-03-01", "The harbour fee is due yearly."},
    {"undated.txt", "Harbour fees", NULL, "The harbour fee is due yearly."},
    /* an older, clearly better match for "fee" */
    {"best.txt", "Fee schedule: every fee", "2005-01-01",
     "Each fee, the fee table and the fee rules."},
    /* the law itself (its title segmented 国家|赔偿法), and documents
     * about it with long titles and more mentions */
    /* an act by its name, and notices about it that use the name more */
    {"act.txt", "Freedom of Information Act", "2016-06-30",
     "An act to provide public access to records of agencies. Records are "
     "released on request within twenty days."},
    {"notice1.txt", "Notice of changes to agency procedures under the freedom of information act",
     "2020-01-15",
     "Freedom of information requests: the freedom of information office "
     "answers freedom of information act requests."},
    {"notice2.txt", "Annual report of the freedom of information act officer of the harbour agency",
     "2021-02-01",
     "The freedom of information act officer handled freedom of information "
     "requests for the freedom of information act register."},
    /* a proclamation, and later ones whose titles hold the same words
     * apart and whose texts quote its name: its name typed without the
     * last word finds it first */
    {"proc.txt", "Proclamation of a State of Emergency", "1999-12-14",
     "The Mayor proclaims that a state of emergency exists in the city."},
    {"proc-ext1.txt", "Proclamation Extending a State of Emergency", "2014-05-21",
     "The Proclamation of a State of Emergency of 1999 is extended. Under the "
     "Proclamation of a State of Emergency the orders remain in force."},
    {"proc-ext2.txt", "Proclamation Extending a State of Emergency", "2014-06-20",
     "The Proclamation of a State of Emergency of 1999 is extended again. The "
     "Proclamation of a State of Emergency stays in force for thirty days."},
    /* a notice, and a compilation quoting it whole that says its words
     * more often: a draft of the notice finds the notice first */
    {"notice-gx.txt", "关于冬季供暖收费的通知", "2019-11-01",
     "各供热单位：冬季供暖收费标准按照本市物价部门核定的价格执行，"
     "不得擅自提高收费标准，不得收取其他费用。"},
    {"compilation-gx.txt", "供暖政策汇编", "2020-01-01",
     "各供热单位：冬季供暖收费标准按照本市物价部门核定的价格执行，"
     "不得擅自提高收费标准，不得收取其他费用。"
     "重申：各供热单位：冬季供暖收费标准按照本市物价部门核定的价格执行，"
     "不得擅自提高收费标准，不得收取其他费用。"
     "再次重申：各供热单位：冬季供暖收费标准按照本市物价部门核定的价格执行，"
     "不得擅自提高收费标准，不得收取其他费用。"},
    {"law.txt", "中华人民共和国国家赔偿法", "2012-10-26",
     "第一条 为保障公民依法取得国家赔偿的权利，制定本法。" FILL FILL FILL FILL},
    {"law-tw.txt", "國家賠償法", "2019-12-18",
     "第二條 公務員於執行職務行使公權力時，國家應負損害賠償責任。" FILL FILL FILL FILL},
    {"about1.txt", "最高人民法院关于审理国家赔偿案件确定精神损害赔偿责任适用法律若干问题的解释",
     "2021-03-24",
     "为正确适用国家赔偿法有关规定，结合国家赔偿审判实际。国家赔偿案件，"
     "国家赔偿请求人，国家赔偿决定。" FILL FILL FILL},
    {"about2.txt", "关于进一步做好国家赔偿案件审理工作中若干具体问题的通知",
     "2020-05-01",
     "各地要做好国家赔偿工作，国家赔偿案件及时立案，国家赔偿金及时支付，"
     "国家赔偿决定及时执行。" FILL FILL FILL},
    /* a name the dictionary does not know (新北 = 新|北), and a text with
     * its two characters apart */
    {"xinbei.txt", "新北市公共运输处组织规程", "2015-01-01",
     "新北市公共运输处掌理本市公共运输事项。"},
    {"scatter.txt", "关于北方地区冬季清洁取暖的通知", "2017-12-01",
     "推进新能源利用，做好北方地区冬季清洁取暖工作。"},
    /* a national regulation, and a local one of the same name that says
     * its words more often: typed whole, the national one first */
    {"av-law.txt", "音像制品管理条例", "2020-11-29",
     "第一条 为了加强音像制品的管理，制定本条例。" FILL},
    {"av-local.txt", "上海市音像制品管理条例", "2024-12-31",
     "第一条 为了加强本市音像制品管理，根据《音像制品管理条例》，制定本条例。"
     "音像制品出版、音像制品制作、音像制品复制、音像制品进口、音像制品批发、"
     "音像制品零售和音像制品出租，适用本条例。音像制品管理条例另有规定的除外。"},
    /* a full name, and its abbreviation (analysis/synonyms.txt) */
    {"dibao.txt", "关于提高城乡最低生活保障标准的通知", "2021-06-01",
     "城乡最低生活保障标准提高百分之五。"},
    {"dibao2.txt", "低保对象认定办法", "2022-01-01", "低保对象应当每年复核。"},
    /* a question a citizen types (怎么申请低保, what is ...): its question
     * words are in no document (analysis/fillers.txt) */
    {"dibao-apply.txt", "最低生活保障审核确认办法", "2021-07-01",
     "申请最低生活保障，由共同生活的家庭成员向户籍所在地的乡镇人民政府提出书面申请。"},
    {"faq.txt", "常见问题", "2020-04-01", "问：什么是主动公开？答：依法应当主动公开的政府信息。"},
    /* an abbreviation the dictionary cuts (公租房 = 公|租房) */
    {"gongzu.txt", "公共租赁住房管理办法", "2012-05-28", "申请公共租赁住房，应当符合下列条件。"},
    /* a year typed: the report of that year, not the one whose text
     * happens to hold the number and the words more often */
    {"report2019.txt", "2019年国务院政府工作报告", "2019-03-05",
     "各位代表：现在，我代表国务院，向大会报告政府工作。2019年是新中国成立70周年。"},
    {"report2007.txt", "2007年国务院政府工作报告", "2007-03-05",
     "各位代表：现在，我代表国务院，向大会报告政府工作，请审议政府工作报告。"
     "社会保障支出2019亿元。政府工作报告附件。"},
    /* the report titled with the state's name inside, against the short
     * resolution on it that says the year and the words */
    {"report2020.txt", "2020年中华人民共和国国务院政府工作报告", "2020-05-22",
     "各位代表：现在，我代表国务院，向大会报告政府工作。" FILL FILL FILL FILL},
    {"resolution2020.txt", "第十三届全国人民代表大会第三次会议关于政府工作报告的决议", "2020-05-28",
     "会议审议了政府工作报告，同意政府工作报告提出的2020年主要任务，批准政府工作报告。"},
    /* a law typed by its whole title, and a longer title holding it whose
     * text says the name more often: the title typed first */
    /* a two-character law name typed alone: the law, not the short
     * amendment saying the name in every line */
    {"xf-law.txt", "中华人民共和国刑法", "1997-03-14",
     "第一条 为了惩罚犯罪，保护人民，结合我国同犯罪作斗争的具体经验，制定本法。" FILL FILL FILL FILL},
    {"xf-amend.txt", "中华人民共和国刑法修正案", "1999-12-25",
     "一、刑法第一百六十二条后增加一条。二、刑法第一百六十八条修改为。三、刑法第一百七十四条修改为。"},
    {"tm-law.txt", "中华人民共和国商标法", "2019-04-23",
     "第一条 为了加强商标管理，保护商标专用权，制定本法。" FILL FILL},
    {"tm-rules.txt", "中华人民共和国商标法实施条例", "2014-04-29",
     "第一条 根据《中华人民共和国商标法》（以下简称商标法），制定本条例。"
     "依照中华人民共和国商标法的规定，适用中华人民共和国商标法。" FILL},
    {"tm-guide.txt", "商标法释义：商标法条文与商标法实务", "2015-01-01",
     "本书解读商标法。" FILL},
    /* titles the query's brackets and quotes cut apart: the title typed
     * whole, not the one holding most of it */
    {"interp1.txt", "最高人民法院关于审理专利纠纷案件若干问题的解释", "2009-12-28",
     "最高人民法院关于审理专利纠纷案件若干问题的解释第二条。"
     "审理专利纠纷案件，适用本解释。专利纠纷案件若干问题。" FILL},
    {"interp2.txt", "最高人民法院关于审理专利纠纷案件若干问题的解释（二）", "2020-12-29",
     "为正确审理专利纠纷案件，制定本解释。" FILL FILL},
    {"plan-12.txt", "关于印发生态环境保护“十二五”规划的通知", "2012-01-19",
     "现将生态环境保护“十二五”规划印发给你们。" FILL},
    {"plan-14.txt", "关于印发生态环境保护“十四五”规划的通知", "2021-11-17",
     "现将生态环境保护“十四五”规划印发给你们。“十二五”期间生态环境保护"
     "规划的通知要求全部完成，生态环境保护规划印发后，生态环境保护成效明显。" FILL},
    /* numbers written with a point: 2.2 is 2 and 2 with a hole between
     * them in the index, a phrase only across that hole */
    {"eeo2.txt", "Emergency Executive Order 2", "2026-01-05",
     "Emergency Executive Order 2 extends the emergency. Section 2 applies "
     "to all agencies and 2 more orders follow."},
    {"eeo22.txt", "Emergency Executive Order 2.2", "2026-01-15",
     "This order amends Emergency Executive Order 2.2 of the city."},
    /* a document number only in the catalogue (not the text): its parts
     * typed as words find it (EEO 317), as the number's organ does beside
     * a document that merely mentions another EEO */
    {"eeo317.txt", "Emergency Executive Order", "2021-12-15",
     "The Mayor extends the state of emergency declared earlier."},
    {"eeo-cites.txt", "Emergency Executive Order", "2021-12-20",
     "This order amends EEO No. 886 and EEO 12 of the Mayor."},
    {"sf-notice.txt", "关于做好春季农业生产工作的通知", "2025-03-02",
     "为做好今年春季农业生产工作，现就有关事项通知如下。" FILL},
    /* a title typed in the other side's vocabulary (資訊 for 信息): the
     * title it is, before a text that says the words as typed */
    {"gi-rules.txt", "示例市政府信息公开规定", "2019-04-03",
     "第一条 为了保障公民、法人依法获取政府信息，制定本规定。" FILL},
    {"tw-fee.txt", "示例機關提供政府資訊收費標準", "2019-07-23",
     "第一條 本標準依政府資訊公開規定訂定之。政府資訊公開規定之收費，依本標準辦理。" FILL},
    /* a term the other side's vocabulary cuts into other words
     * (智慧|财产权 for 知识产权) */
    {"ip-rules.txt", "示例省知识产权保护条例", "2022-03-01",
     "第一条 为了加强知识产权保护，激发创新活力，制定本条例。" FILL},
    /* an issuing unit only in the catalogue (a mayor's orders) */
    {"eo-trees.txt", "Executive Order on Street Trees", "2009-05-01",
     "Agencies shall plant trees along the streets of the city."},
    /* an abbreviation typed alone (个税): the law its full name is the
     * title of, before a notice saying the full name more often */
    {"iit-law.txt", "中华人民共和国个人所得税法", "2018-08-31",
     "第一条 在中国境内有住所的个人，依照本法规定缴纳个人所得税。" FILL},
    {"iit-notice.txt", "关于个人所得税专项附加扣除有关问题的通知", "2019-01-01",
     "个人所得税专项附加扣除：个人所得税预扣预缴时扣除，个人所得税汇算清缴。" FILL},
};
#define NDOCS (sizeof docs / sizeof docs[0])

/* The document number (f 1), unit (f 2) or category (f 3) of the few
 * documents above that have one. */
static const char *meta_of(const char *id, int f)
{
    static const char *const t[][4] = {
        {"eeo317.txt", "2021-EEO-317", NULL, NULL},
        {"eeo-cites.txt", "2021-EEO-320", NULL, NULL},
        {"sf-notice.txt", "示政办发〔2025〕7号", NULL, NULL},
        {"eo-trees.txt", NULL, "Bloomberg", NULL},
        /* issued jointly, and by one of them; a category, one below it
         * and one holding it as an inner level */
        {"tm-law.txt", NULL, NULL, "其他"},
        {"tm-rules.txt", NULL, "国务院;国家知识产权局", "行政＞其他"},
        {"tm-guide.txt", NULL, "国家知识产权局", "其他＞释义"},
        /* a joint issue written with a space; Latin names with spaces and
         * a comma, which stay whole */
        {"iit-notice.txt", NULL, "财政部 税务总局", NULL},
        {"iit-law.txt", NULL, "税务总局；", NULL}, /* a stray separator */
        {"old.txt", NULL, "Office of the Mayor, City of New York", NULL},
        {"new.txt", NULL, "BUREAU OF CONSUMER FINANCIAL PROTECTION", NULL},
    };
    size_t k;
    for (k = 0; k < sizeof t / sizeof t[0]; k++)
        if (!strcmp(t[k][0], id))
            return t[k][f];
    return NULL;
}
#define NFILLER 30

/* A text of about 3 KB: a lone "security" at the start, the phrase near
 * the end (the snippet must show the phrase). */
static char *long_phrase_text(void)
{
    static char t[4096];
    size_t i;
    if (t[0])
        return t;
    strcpy(t, "Security guards were hired last year. ");
    for (i = 0; i < 40; i++)
        strcat(t, "Pensions are paid every month to retired workers. ");
    strcat(t, "The social security office pays them.");
    return t;
}

static int build(const char *db)
{
    struct ana a;
    struct err e = {0};
    xs_writer *w = NULL;
    xs_err xe;
    size_t i;
    int rc = 0;
    if (ana_global_init(&e) < 0 || ana_init(&a, &e) < 0) {
        fprintf(stderr, "analyzer: %s\n", e.msg);
        return -1;
    }
    if (xs_writer_open(db, XS_CREATE, 0, &w, &xe) != XS_OK) {
        ana_release(&a);
        return -1;
    }
    for (i = 0; i < NDOCS + NFILLER; i++) {
        struct rec r = {0};
        xs_doc *d = NULL;
        char term[300], id[32];
        if (i >= NDOCS) { /* other documents: the words are rare */
            snprintf(id, sizeof id, "filler%zu.txt", i);
            r.title = "Annual report";
            r.text = "The annual report of the city council on roads and parks.";
            r.lang = "en";
            if (docbuild(&a, &r, id, id, "0 0 0 x", &d, NULL, &e) == 0) {
                ana_id_term(id, term, sizeof term);
                if (xs_writer_replace(w, term, d, &xe) != XS_OK)
                    rc = -1;
            }
            xs_doc_free(d);
            continue;
        }
        r.title = (char *)docs[i].title;
        r.text = docs[i].text ? (char *)docs[i].text : long_phrase_text();
        r.lang = "en";
        r.date = (char *)docs[i].date;
        r.year = docs[i].date ? atoi(docs[i].date) : 0;
        r.docno = (char *)meta_of(docs[i].id, 1);
        r.unit = (char *)meta_of(docs[i].id, 2);
        r.category = (char *)meta_of(docs[i].id, 3);
        if (docbuild(&a, &r, docs[i].id, docs[i].id, "0 0 0 x", &d, NULL, &e) < 0) {
            fprintf(stderr, "docbuild: %s\n", e.msg);
            rc = -1;
            continue;
        }
        ana_id_term(docs[i].id, term, sizeof term);
        if (xs_writer_replace(w, term, d, &xe) != XS_OK)
            rc = -1;
        xs_doc_free(d);
    }
    if (xs_writer_commit(w, &xe) != XS_OK || xs_writer_close(w, &xe) != XS_OK)
        rc = -1;
    ana_release(&a);
    return rc;
}

/* The answer to /api/search?q=q (NULL on failure). */
static json_t *search(struct worker *w, const char *q)
{
    return scratch_get(w, "/api/search", "q", q);
}

/* Rank of id in answer r (-1 when absent). */
static int rank_of(json_t *r, const char *id)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(r, "hits"), i, h)
        if (!strcmp(json_string_value(json_object_get(h, "id")), id))
            return (int)i;
    return -1;
}

/* Whether every hit of the answer b has the score it has in the answer a
 * (an excluded word removes documents; it does not reorder the rest; the
 * same query in full-width forms is the same query). */
static int same_scores(json_t *a, json_t *b)
{
    size_t i, j;
    json_t *h, *g;
    if (!json_array_size(json_object_get(b, "hits")))
        return 0;
    json_array_foreach(json_object_get(b, "hits"), i, h) {
        int found = 0;
        json_array_foreach(json_object_get(a, "hits"), j, g)
            if (json_equal(json_object_get(g, "id"), json_object_get(h, "id")))
                found = json_real_value(json_object_get(g, "score")) ==
                        json_real_value(json_object_get(h, "score"));
        if (!found)
            return 0;
    }
    return 1;
}

/* Search q (in the worker w of the test): its total unless -1, whether
 * the answer was relaxed, and the id that comes first unless NULL. A
 * macro, so that a failure names the caller's line. */
#define CHECK_SEARCH(q, total, relaxed, first) do { \
    json_t *r_ = search(&w, (q)); \
    if ((total) >= 0) \
        CHECK_INTEQ(json_integer_value(json_object_get(r_, "total")), (total)); \
    CHECK_INTEQ(json_is_true(json_object_get(r_, "relaxed")), (relaxed)); \
    if (first) \
        CHECK_INTEQ(rank_of(r_, (first)), 0); \
    json_decref(r_); \
} while (0)

int main(void)
{
    struct worker w;
    struct err e = {0};
    char db[128];
    const char *dbs[1];
    json_t *r;

    if (scratch_make(dir, sizeof dir, "test_rank", db, sizeof db) < 0)
        return 1;
    dbs[0] = db;
    CHECK_INTEQ(build(db), 0);
    CHECK_INTEQ(worker_init(&w, dbs, 1, &e), 0);

    /* the phrase above the words apart */
    CHECK_SEARCH("social security", 4, 0, "phrase.txt");
    /* a snippet shows the phrase (marked whole), not a lone word before
     * it, also when the phrase lies beyond the first piece of the text read */
    r = search(&w, "\"social security\"");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 2);
    {
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(r, "hits"), i, h) {
            const char *s = json_string_value(json_object_get(h, "snippet_html"));
            CHECK(s && strstr(s, "<mark>social security</mark> office"));
        }
    }
    json_decref(r);

    /* equal matches: newest first, undated last; the clearly better old
     * match stays first */
    r = search(&w, "fee");
    CHECK_INTEQ(rank_of(r, "best.txt"), 0);
    CHECK_INTEQ(rank_of(r, "new.txt"), 1);
    CHECK_INTEQ(rank_of(r, "old.txt"), 2);
    CHECK_INTEQ(rank_of(r, "undated.txt"), 3);
    json_decref(r);

    /* the query as (nearly) the whole title: the laws first, in either
     * script, however their titles were segmented */
    r = search(&w, "国家赔偿");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 4);
    CHECK(rank_of(r, "law.txt") < 2);
    CHECK(rank_of(r, "law-tw.txt") < 2);
    json_decref(r);
    r = search(&w, "音像制品管理条例");
    CHECK_INTEQ(rank_of(r, "av-law.txt"), 0);
    CHECK_INTEQ(rank_of(r, "av-local.txt"), 1);
    json_decref(r);
    /* an unknown name is found as typed, not as its characters anywhere
     * in a document (query.c: join_lone_chars) */
    CHECK_SEARCH("新北", 1, 0, "xinbei.txt");
    /* an abbreviation finds the full name (marked as written) and the
     * full name the abbreviation */
    r = search(&w, "低保");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 3);
    CHECK(rank_of(r, "dibao.txt") >= 0);
    {
        size_t i;
        json_t *h;
        int marked = 0;
        json_array_foreach(json_object_get(r, "hits"), i, h) {
            const char *sn = json_string_value(json_object_get(h, "snippet_html"));
            if (sn && strstr(sn, "<mark>最低生活保障</mark>"))
                marked++;
        }
        CHECK_INTEQ(marked, 2);
    }
    json_decref(r);
    r = search(&w, "最低生活保障");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 3);
    CHECK(rank_of(r, "dibao2.txt") >= 0);
    json_decref(r);
    /* question words only rank, and are not marked; the words around
     * them are the query (a title holding an abbreviation's full name
     * ranks as the abbreviation would) */
    CHECK_SEARCH("怎么申请低保", 1, 0, "dibao-apply.txt");
    CHECK_SEARCH("低保 申请 的 条件 是 什么", 4, 1, NULL);
    CHECK_SEARCH("what is the freedom of information act", 3, 0, "act.txt");
    CHECK_SEARCH("what's the freedom of information act", 3, 0, "act.txt");
    r = search(&w, "what is the freedom of information act");
    {
        json_t *h = json_array_get(json_object_get(r, "hits"), 0);
        const char *th = json_string_value(json_object_get(h, "title_html"));
        CHECK(th && strstr(th, "<mark>Freedom</mark>") && !strstr(th, "<mark>of</mark>"));
    }
    json_decref(r);
    CHECK_SEARCH("公租房申请", 1, 0, "gongzu.txt");
    CHECK_SEARCH("2019年政府工作报告", 2, 0, "report2019.txt");
    CHECK_SEARCH("政府工作报告 2019", 2, 0, "report2019.txt");
    CHECK_SEARCH("2020年政府工作报告", 2, 0, "report2020.txt");
    /* the title typed whole comes first */
    CHECK_SEARCH("中华人民共和国商标法", 2, 0, "tm-law.txt");
    CHECK_SEARCH("中華人民共和國商標法", 2, 0, "tm-law.txt");
    CHECK_SEARCH("刑法", 2, 0, "xf-law.txt");
    CHECK_SEARCH("中华人民共和国刑法", 2, 0, "xf-law.txt");
    /* a law's name and an article of it: the law, showing the article
     * (its heading, not the rules' mention of it) */
    CHECK_SEARCH("商标法第一条", 2, 0, "tm-law.txt");
    CHECK_SEARCH("商标法 第1条", 2, 0, "tm-law.txt");
    CHECK_SEARCH("商標法第1條", 2, 0, "tm-law.txt");
    {
        json_t *ar = search(&w, "商标法第1条");
        const char *sn = json_string_value(json_object_get(
            json_array_get(json_object_get(ar, "hits"), 0), "snippet_html"));
        CHECK(sn && strstr(sn, "<mark>第一条</mark>"));
        json_decref(ar);
    }
    /* ... also with a word excluded before or after it */
    CHECK_SEARCH("中华人民共和国商标法 -释义", 2, 0, "tm-law.txt");
    CHECK_SEARCH("-释义 中华人民共和国商标法", 2, 0, "tm-law.txt");
    {
        /* a unit list counts for each unit, as the unit filter finds it */
        json_t *ur = search(&w, "商标法"), *f, *v;
        struct api_req rq = {0};
        size_t i;
        long n_ipo = -1, n_list = -1;
        json_array_foreach(json_object_get(json_object_get(ur, "facets"), "unit"), i, f) {
            const char *u = json_string_value(json_object_get(f, "value"));
            if (u && !strcmp(u, "国家知识产权局"))
                n_ipo = (long)json_integer_value(json_object_get(f, "count"));
            if (u && strchr(u, ';'))
                n_list = 1;
        }
        CHECK_INTEQ(n_ipo, 2);
        CHECK_INTEQ(n_list, -1);
        /* a category counts what its filter finds: itself, the levels
         * below it, and paths holding it as an inner level */
        n_ipo = -1;
        json_array_foreach(json_object_get(json_object_get(ur, "facets"), "category"), i, f) {
            const char *cv = json_string_value(json_object_get(f, "value"));
            if (cv && !strcmp(cv, "其他"))
                n_ipo = (long)json_integer_value(json_object_get(f, "count"));
        }
        CHECK_INTEQ(n_ipo, 3);
        json_decref(ur);
        rq.method = "GET";
        rq.path = "/api/search";
        v = json_pack("{s:s,s:s}", "q", "商标法", "category", "其他");
        ur = scratch_call(&w, &rq, v);
        CHECK_INTEQ(json_integer_value(json_object_get(ur, "total")), 3);
        json_decref(ur);
        v = json_pack("{s:s,s:s}", "q", "商标法", "unit", "国家知识产权局");
        ur = scratch_call(&w, &rq, v);
        CHECK_INTEQ(json_integer_value(json_object_get(ur, "total")), 2);
        json_decref(ur);
    }
    {
        /* a misspelt English word: the answer says how the index spells it
         * (other words and operators as typed); none for a query spelt right */
        json_t *dr = search(&w, "harbuor fees");
        CHECK_STREQ(json_string_value(json_object_get(dr, "did_you_mean")), "harbour fees");
        json_decref(dr);
        dr = search(&w, "title:harbuor OR 2021");
        CHECK_STREQ(json_string_value(json_object_get(dr, "did_you_mean")),
                    "title:harbour OR 2021");
        json_decref(dr);
        dr = search(&w, "harbour fees");
        CHECK(json_object_get(dr, "did_you_mean") == NULL);
        json_decref(dr);
        /* nor for another form of a word the stems find anyway */
        dr = search(&w, "harbours fee");
        CHECK(json_integer_value(json_object_get(dr, "total")) > 0);
        CHECK(json_object_get(dr, "did_you_mean") == NULL);
        json_decref(dr);
    }
    {
        /* every unit facet entry is a filter finding as many as it counts;
         * a joint issue counts for each unit, a Latin name stays whole */
        static const char *const qs[] = {"个人所得税", "harbour"};
        static const char *const want[][2] = {
            {"税务总局", "2"}, {"财政部", "1"},
            {"Office of the Mayor, City of New York", "1"},
            {"BUREAU OF CONSUMER FINANCIAL PROTECTION", "1"}};
        struct api_req rq = {0};
        size_t k, i, j, seen = 0, nent = 0;
        json_t *f;
        rq.method = "GET";
        rq.path = "/api/search";
        for (k = 0; k < 2; k++) {
            json_t *ur = search(&w, qs[k]);
            json_array_foreach(json_object_get(json_object_get(ur, "facets"), "unit"), i, f) {
                const char *u = json_string_value(json_object_get(f, "value"));
                long cnt = (long)json_integer_value(json_object_get(f, "count"));
                json_t *fr = scratch_call(&w, &rq, json_pack("{s:s,s:s}", "q", qs[k],
                                                             "unit", u ? u : ""));
                long tot = (long)json_integer_value(json_object_get(fr, "total"));
                json_decref(fr);
                nent++;
                if (tot != cnt)
                    fprintf(stderr, "  unit facet '%s' of '%s': count %ld, filter %ld\n",
                            u ? u : "(null)", qs[k], cnt, tot);
                CHECK_INTEQ(tot, cnt);
                for (j = 0; u && j < sizeof want / sizeof want[0]; j++)
                    if (!strcmp(u, want[j][0])) {
                        CHECK_INTEQ(cnt, atol(want[j][1]));
                        seen++;
                    }
                CHECK(u && strcmp(u, "财政部 税务总局") && strcmp(u, "City of New York"));
            }
            json_decref(ur);
        }
        CHECK_INTEQ(seen, 4);
        CHECK(nent >= 4);
        /* a word of a name is not a unit */
        f = scratch_call(&w, &rq, json_pack("{s:s,s:s}", "q", "harbour", "unit", "of"));
        CHECK_INTEQ(json_integer_value(json_object_get(f, "total")), 0);
        json_decref(f);
    }
    {
        /* two databases (here the same one twice) have no facet tables:
         * the facets are made from Xapian's lists, search by search
         * (searchd/facets.c), and must say what the tables say, twice.
         * w has answered many searches before: its kept facet objects,
         * reused with their counts set anew, must not show old counts */
        const char *two[2] = {db, db};
        struct worker w2;
        static const char *const fq[] = {"商标法", "法", "条例"};
        size_t k;
        CHECK_INTEQ(worker_init(&w2, two, 2, &e), 0);
        for (k = 0; k < sizeof fq / sizeof fq[0]; k++) {
            json_t *a = search(&w, fq[k]), *b = search(&w2, fq[k]);
            json_t *fa = json_object_get(a, "facets"), *fb = json_object_get(b, "facets");
            const char *key;
            json_t *arr;
            int same = fa && fb && json_object_size(fa) == 3;
            json_object_foreach(fa, key, arr) {
                json_t *brr = json_object_get(fb, key), *x;
                size_t i;
                same = same && json_array_size(arr) > 0 &&
                       json_array_size(arr) == json_array_size(brr);
                json_array_foreach(arr, i, x) {
                    json_t *y = json_array_get(brr, i);
                    same = same && json_equal(json_object_get(x, "value"),
                                              json_object_get(y, "value")) &&
                           2 * json_integer_value(json_object_get(x, "count")) ==
                               json_integer_value(json_object_get(y, "count"));
                }
            }
            if (!same)
                fprintf(stderr, "  facets of '%s': one database %s, two %s\n", fq[k],
                        json_dumps(fa, JSON_COMPACT), json_dumps(fb, JSON_COMPACT));
            CHECK(same);
            json_decref(a);
            json_decref(b);
        }
        worker_release(&w2);
    }
    {
        static const char *const pairs[][2] = {
            {"商标法", "商标法 -释义"}, {"商标法", "-释义 商标法"},
            {"title:商标法", "title:商标法 -释义"},
            {"2021-EEO-317", "２０２１－ＥＥＯ－３１７"}};
        size_t k;
        for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
            json_t *a = search(&w, pairs[k][0]), *b = search(&w, pairs[k][1]);
            int same = same_scores(a, b);
            if (!same)
                fprintf(stderr, "  '%s' scored otherwise than '%s'\n", pairs[k][1],
                        pairs[k][0]);
            CHECK(same);
            json_decref(a);
            json_decref(b);
        }
    }
    CHECK_SEARCH("最高人民法院关于审理专利纠纷案件若干问题的解释（二）", 2, 0, "interp2.txt");
    CHECK_SEARCH("最高人民法院关于审理专利纠纷案件若干问题的解释", 2, 0, "interp1.txt");
    CHECK_SEARCH("关于印发生态环境保护“十二五”规划的通知", 2, 0, "plan-12.txt");
    /* a number written with a point is a phrase across its hole */
    CHECK_SEARCH("emergency executive order 2.2", 2, 0, "eeo22.txt");
    CHECK_SEARCH("\"2.2\"", 1, 0, "eeo22.txt");
    /* an abbreviation alone and title: words weigh the whole title too */
    CHECK_SEARCH("政府資訊公開規定", 2, 0, "gi-rules.txt");
    CHECK_SEARCH("政府信息公开规定", 2, 0, "gi-rules.txt");
    CHECK_SEARCH("智慧財產權保護條例", 1, 0, "ip-rules.txt");
    CHECK_SEARCH("EEO 317", 1, 0, "eeo317.txt");
    CHECK_SEARCH("bloomberg trees", 1, 0, "eo-trees.txt");
    CHECK_SEARCH("emergency executive order 317", 1, 0, "eeo317.txt");
    CHECK_SEARCH("示政办发 7号", 1, 0, "sf-notice.txt");
    CHECK_SEARCH("个税", 2, 0, "iit-law.txt");
    CHECK_SEARCH("title:个人所得税", 2, 0, "iit-law.txt");
    CHECK_SEARCH("请问最高人民法院关于审理专利纠纷案件若干问题的解释（二）是什么", 2, 0,
                 "interp2.txt");
    CHECK_SEARCH("title:商标法", 3, 0, "tm-law.txt");
    /* a query of nothing but question words still needs them */
    CHECK_SEARCH("什么", 1, 0, "faq.txt");
    CHECK_SEARCH("如何 -低保", 0, 0, NULL);
    /* an English abbreviation finds its full name (one way) */
    CHECK_SEARCH("foia", 3, 0, NULL);
    CHECK_SEARCH("FOIA office", 2, 0, NULL);
    /* no document holds all the words: those holding most of them, said
     * so; -word still excludes */
    r = search(&w, "新北 取暖");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 2);
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    CHECK(json_is_string(json_object_get(r, "notice")));
    json_decref(r);
    { /* sorted by date: not relaxed */
        struct api_req rq = {0};
        json_t *params = json_object();
        json_object_set_new(params, "q", json_string("新北 取暖"));
        json_object_set_new(params, "sort", json_string("date"));
        rq.method = "GET";
        rq.path = "/api/search";
        r = scratch_call(&w, &rq, params);
    }
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 0);
    CHECK(json_object_get(r, "relaxed") == NULL);
    json_decref(r);
    r = search(&w, "新北 运输 取暖");
    CHECK(json_is_true(json_object_get(r, "relaxed")));
    CHECK_INTEQ(rank_of(r, "xinbei.txt"), 0);
    CHECK_INTEQ(rank_of(r, "scatter.txt"), 1);
    json_decref(r);
    CHECK_SEARCH("新北 取暖 -运输", 1, 1, "scatter.txt");
    /* a quoted phrase stays required; a field-prefixed word too; an
     * excluded word is excluded as written, not with its abbreviation;
     * nothing found relaxed either: the plain answer */
    CHECK_SEARCH("\"新北\" 取暖", 1, 1, "xinbei.txt");
    CHECK_SEARCH("title:取暖 新北", 1, 1, "scatter.txt");
    CHECK_SEARCH("低保 -最低生活保障", 1, 0, "dibao2.txt");
    CHECK_SEARCH("qqzzxx 新北 -新北", 0, 0, NULL);
    /* a query some document holds whole is not relaxed */
    CHECK_SEARCH("新北 运输", 1, 0, "xinbei.txt");
    r = search(&w, "國家賠償");
    CHECK(rank_of(r, "law.txt") < 2);
    CHECK(rank_of(r, "law-tw.txt") < 2);
    json_decref(r);
    r = search(&w, "freedom of information act");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 3);
    CHECK_INTEQ(rank_of(r, "act.txt"), 0);
    json_decref(r);
    r = search(&w, "proclamation of a state of");
    CHECK_INTEQ(json_integer_value(json_object_get(r, "total")), 3);
    CHECK_INTEQ(rank_of(r, "proc.txt"), 0);
    json_decref(r);

    /* the duplicate check: both hold the whole draft; the notice itself
     * (the shorter) comes first */
    {
        static const char draft[] = "各供热单位：冬季供暖收费标准按照本市物价部门核定的价格执行，"
                                    "不得擅自提高收费标准，不得收取其他费用。";
        json_t *hits;
        r = scratch_post(&w, "/api/similar", draft);
        hits = json_object_get(r, "hits");
        CHECK(json_array_size(hits) >= 2);
        CHECK_STREQ(json_string_value(json_object_get(json_array_get(hits, 0), "id")),
                    "notice-gx.txt");
        CHECK_STREQ(json_string_value(json_object_get(json_array_get(hits, 1), "id")),
                    "compilation-gx.txt");
        CHECK(json_real_value(json_object_get(json_array_get(hits, 1), "similarity")) > 0.99);
        json_decref(r);
        /* pasted with its title above it (the stored text lacks the
         * title), or sent as JSON with the title: still all of it */
        {
            char both[512];
            struct api_req rq = {0};
            snprintf(both, sizeof both, "关于冬季供暖收费的通知\n%s", draft);
            r = scratch_post(&w, "/api/similar", both);
            hits = json_object_get(r, "hits");
            CHECK_STREQ(json_string_value(json_object_get(json_array_get(hits, 0), "id")),
                        "notice-gx.txt");
            CHECK(json_real_value(json_object_get(json_array_get(hits, 0), "similarity")) >= 0.999);
            json_decref(r);
            snprintf(both, sizeof both, "{\"title\": \"关于冬季供暖收费的通知\", \"text\": \"%s\"}",
                     draft);
            rq.method = "POST";
            rq.path = "/api/similar";
            rq.body = both;
            rq.body_len = strlen(both);
            rq.content_type = "application/json";
            r = scratch_call(&w, &rq, json_object());
            hits = json_object_get(r, "hits");
            CHECK_STREQ(json_string_value(json_object_get(json_array_get(hits, 0), "id")),
                        "notice-gx.txt");
            CHECK(json_real_value(json_object_get(json_array_get(hits, 0), "similarity")) >= 0.999);
            json_decref(r);
        }
    }

    /* the answer cache: a repeated search is served from it (the same
     * answer) when it is on, and no key is even made when it is off */
    {
        unsigned long h0, h1, h2, m0, m1, m2;
        size_t ne, nb;
        json_t *a, *b;
        char *sa, *sb;
        cache_config(4, 64);
        cache_stats(&h0, &m0, &ne, &nb);
        a = search(&w, "harbour fee");
        b = search(&w, "harbour fee");
        cache_stats(&h1, &m1, &ne, &nb);
        CHECK_INTEQ(h1 - h0, 1);
        CHECK_INTEQ(m1 - m0, 1);
        json_object_del(a, "took_ms"); /* the cached answer keeps its own */
        json_object_del(b, "took_ms");
        sa = json_dumps(a, JSON_SORT_KEYS);
        sb = json_dumps(b, JSON_SORT_KEYS);
        CHECK(sa && sb && !strcmp(sa, sb));
        free(sa);
        free(sb);
        json_decref(a);
        json_decref(b);
        cache_config(0, 0);
        json_decref(search(&w, "harbour fee"));
        cache_stats(&h2, &m2, &ne, &nb);
        CHECK_INTEQ(h2, h1);
        CHECK_INTEQ(m2, m1);
    }

    worker_release(&w);
    scratch_remove(dir);
    return check_done();
}
