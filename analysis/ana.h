/* ana.h - the analyzer: UTF-8 text -> terms with a kind, a position and
 * the byte range of the ORIGINAL text each came from. The same code runs
 * in the indexer (documents) and in searchd (queries, snippets, /api/analyze),
 * so both sides always agree (DESIGN.md section 3). Layers:
 *   Han runs   -> single characters (positional: phrases are checked on them),
 *                 bigrams (positionless: the selective lists a phrase query
 *                 is driven by; a 2-character string is exactly its bigram),
 *                 jieba words and the words inside them (positionless, ranking)
 *   Latin runs -> lower-cased words and numbers (positional) + English stems
 *   document numbers anywhere -> one normalised term each
 * The index schema that gives each kind its prefix is at the top of
 * shim/xs.h; ana_prefix() is the one place that applies it. */
#ifndef ANALYSIS_ANA_H
#define ANALYSIS_ANA_H
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

enum ana_kind {
    ANA_CHAR = 0,   /* one Han character       (no prefix) */
    ANA_NGRAM,      /* Han bigram              (no prefix) */
    ANA_WORD,       /* dictionary word         W           */
    ANA_LATIN,      /* Latin word              (no prefix) */
    ANA_NUMBER,     /* digits                  (no prefix) */
    ANA_STEM,       /* English stem            Z           */
    ANA_DOCNO,      /* document number         T           */
    ANA_NKINDS
};

enum ana_flags {
    ANA_NO_WORDS = 1 << 0,  /* skip the dictionary-word layer   */
    ANA_NO_STEMS = 1 << 1,  /* skip English stems               */
    ANA_NO_DOCNO = 1 << 2,  /* skip document-number recognition */
};

struct ana_tok {
    uint32_t term;      /* offset of the term (NUL-terminated) in a->terms */
    uint16_t len;       /* term bytes */
    uint8_t kind;       /* enum ana_kind */
    uint8_t positional;
    uint32_t pos;       /* >= 1 when positional, else 0 */
    uint32_t start, end; /* byte range in the original text */
};

struct ana {
    struct ana_tok *toks;
    size_t n, cap;
    char *terms;        /* term arena */
    size_t tlen, tcap;
    uint32_t pos;       /* last position given; continues across calls */
    int failed;         /* sticky: out of memory */
    /* scratch: the folded code points and where each came from */
    uint32_t *cps, *cst, *cen;
    size_t ccap;
    void *stem;         /* xs_stem*, per analyzer (not thread-safe) */
    void *segw;         /* scratch for segmentation */
    size_t segcap;
};

/* Load the shared tables once per process (folding, the jieba dictionary).
 * A missing dictionary is reported in e but is not fatal (returns 1). */
int ana_global_init(struct err *e);

/* A per-thread analyzer. 0 or -1 with e set. */
int ana_init(struct ana *a, struct err *e);
void ana_release(struct ana *a);
/* Forget tokens and positions (keeps the memory). */
void ana_reset(struct ana *a);
/* Analyze s; tokens are appended, positions continue after a->pos. Token
 * offsets are relative to s plus base (so several fields can share one
 * numbering). Returns 0, -1 when out of memory. */
int ana_text(struct ana *a, const char *s, size_t len, size_t base, int flags);
static inline const char *ana_term(const struct ana *a, const struct ana_tok *t)
{
    return a->terms + t->term;
}

const char *ana_kind_name(int kind);   /* "char", "ngram", "word" ... */
const char *ana_prefix(int kind);      /* "", "W", "Z", "T" */
/* Write prefix + term into out (cap bytes incl. NUL); returns the length
 * or 0 when it does not fit. field_prefix: "" for the body, "S" title. */
size_t ana_make_term(char *out, size_t cap, const char *field_prefix,
                     int kind, const char *term, size_t len);
/* Boolean filter term "XC:" + folded value etc.; returns malloc'd string. */
char *ana_bool_term(const char *prefix, const char *value, size_t len);

/* Folded code points of s with the original byte range of each (for
 * snippets and near-duplicate shingles). The arrays are malloc'd together:
 * free(*cps) frees all three. Returns the count, or (size_t)-1 on OOM. */
size_t ana_fold_cps(const char *s, size_t len, uint32_t **cps,
                    uint32_t **start, uint32_t **end);
/* The unique-id term of an API id: "Q:" + id, or "Q:#" + 32 hex digits of
 * a hash when that would pass Xapian's term limit. Returns the length. */
size_t ana_id_term(const char *id, char *out, size_t cap);
/* Drop white space between two Han characters from folded code points
 * (a line broken inside a sentence, or 信 息 spaced out, is one run):
 * compacts the three arrays in place and returns the new count. */
size_t ana_join_han(uint32_t *cps, uint32_t *start, uint32_t *end, size_t n);
/* White space (after folding)? It separates words but, unlike punctuation,
 * leaves no hole in the positions. */
static inline int ana_is_space(uint32_t c)
{
    if (c > 0x3000) /* Han, kana, full-width forms: the common case */
        return 0;
    if (c <= ' ')
        return c == ' ' || (c >= '\t' && c <= '\r');
    return c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x3000;
}
/* Is cp (folded) part of a Latin/number word? */
int ana_is_alnum_slow(uint32_t cp);
static inline int ana_is_alnum(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
               (cp >= 'A' && cp <= 'Z');
    return ana_is_alnum_slow(cp);
}
#endif
