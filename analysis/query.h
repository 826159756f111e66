/* query.h - the query language of API.md: words, "phrases", AND / OR /
 * NOT / -word, title: unit: docno:, parentheses; a lenient parser that
 * repairs what people type (stray quotes, unbalanced parentheses, lone
 * operators) and turns the result, through the same analyzer the indexer
 * uses, into an xs_query tree plus the strings to highlight. Used by
 * searchd (and by tests, and indexer --analyze). */
#ifndef ANALYSIS_QUERY_H
#define ANALYSIS_QUERY_H
#include <stddef.h>
#include "analysis/ana.h"
#include "common/err.h"
#include "shim/xs.h"

#define QRY_MAX_BYTES 2048   /* longer queries are refused (400)       */
#define QRY_MAX_LEAVES 64    /* words/phrases used; the rest is ignored */

/* A per-thread query parser: an analyzer plus OpenCC converters for the
 * regional-vocabulary variants (信息 / 資訊, 网络 / 網路 ...). */
struct qp {
    struct ana ana;
    void *s2twp, *tw2sp, *s2t; /* opencc_t, or NULL when unavailable */
};
int qp_init(struct qp *p, struct err *e);
void qp_release(struct qp *p);

enum qry_hl_kind { QHL_HAN, QHL_LATIN, QHL_STEM, QHL_PHRASE };
struct qry_hl {
    char *s;        /* folded text (QHL_HAN: a character string to find;
                       QHL_LATIN: a whole word; QHL_STEM: an English stem;
                       QHL_PHRASE: Latin words joined by one space, the
                       words of a phrase: where a snippet should be, its
                       words are marked through their own entries) */
    size_t len;
    int kind;
};

struct qry_block;
struct qry {
    xs_query *root;       /* NULL when the query has nothing to match   */
    int negative_only;    /* root is "everything but ..."               */
    struct qry_hl *hl;    /* what to highlight in titles and snippets   */
    size_t nhl, hlcap;
    int truncated;        /* some words were ignored (QRY_MAX_LEAVES)   */
    xs_query *rescore;    /* phrase boosts needing positions: weighed on
                             the best matches only (xs_search_opts.rescore);
                             NULL when none */
    int relaxed;          /* parsed with QRY_RELAXED                    */
    int no_syn;           /* parsing a negated word: no abbreviations   */
    size_t conj;          /* words required together that QRY_RELAXED
                             would let stand alone (0: relaxing changes
                             nothing)                                    */
    int fill_opt;         /* fillers (syn_filler) are optional: the
                             query has other words                       */
    size_t ncontent, nfill; /* positive words met that are not fillers,
                             and fillers (the parser's counts)           */
    char article[3][64];  /* an article reference (第三十四条) the snippet
                             should show: folded as typed, with its number
                             in Chinese numerals (第30条 -> 第三十条), and
                             as Taiwan's laws write it (第 30 條); ""
                             when none                                   */
    struct qry_block *mem;  /* arena owning the nodes and strings       */
    /* regional variants already looked up for this query (query.c:
     * variants; a word, its run and the query's piece are often one
     * string, and each lookup is four OpenCC conversions) */
    struct qry_vc {
        const char *s;
        size_t len, max, nv, vn[3];
        uint32_t *v[3];
    } vc[8];
    size_t nvc;
};

/* Parse q. 0 on success (root may be NULL for an empty query); -1 with a
 * sentence for the user in e->msg when the query cannot mean anything
 * (e.g. only operators or punctuation) or is too long. */
int qry_parse(struct qp *p, const char *q, size_t len, struct qry *out,
              struct err *e);
/* The same with flags. QRY_RELAXED: the plain words of the query (and of
 * a Chinese run) are alternatives, not all required - documents holding
 * more and rarer ones rank higher; quoted phrases, field-prefixed words
 * (title:, unit:, docno:), parenthesised groups, NOT and -word stay as
 * they are. For a query no document matches whole (a pasted passage with
 * a word the document does not have, a typo among five words). */
#define QRY_RELAXED 1
int qry_parse_flags(struct qp *p, const char *q, size_t len, int flags,
                    struct qry *out, struct err *e);
void qry_release(struct qry *q);

/* A readable form of the query tree (for /api/analyze?mode=query).
 * malloc'd. */
char *qry_describe(const xs_query *q);

/* Arena helpers for other code building queries (filters in searchd):
 * nodes live as long as the struct qry. */
xs_query *qry_node(struct qry *q, xs_qop op, size_t nkids);
xs_query *qry_term(struct qry *q, const char *term, size_t len, unsigned wqf);
/* A NUL-terminated copy of s[0..n) in the query's arena (NULL on OOM). */
char *qry_strdup(struct qry *q, const char *s, size_t n);
#endif
