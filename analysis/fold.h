/* fold.h - character folding shared by index and query: NFKC + case fold
 * (ICU's NFKC_Casefold) and Traditional -> Simplified (OpenCC t2s, applied
 * per character), computed once per process into a code-point table so that
 * folding is one lookup per character and every folded character maps back
 * to exactly one character of the original text (offsets stay trivial).
 * Used by ana.c, docno.c, the indexer's metadata and searchd's snippets. */
#ifndef ANALYSIS_FOLD_H
#define ANALYSIS_FOLD_H
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/* Build the tables (ICU + OpenCC; about 0.1 s). Call once before any other
 * fold_* call, from one thread; afterwards everything is thread-safe.
 * Calling it again is a no-op. 0 or -1 with e set. */
int fold_init(struct err *e);

/* Decode one UTF-8 code point at s (n bytes left): returns its length in
 * bytes (1 for an invalid byte, which decodes as U+FFFD). */
size_t utf8_dec(const unsigned char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the length. */
static inline size_t utf8_enc(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}
/* Back from byte i of s to the start of the character it is in (i when
 * one starts there; s[i] must be readable, its NUL included). */
static inline size_t utf8_align(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}
/* Decode the code point ending just before byte i (i > 0): returns its
 * start offset; a byte that ends no valid sequence decodes as U+FFFD of
 * length 1 (start i - 1). Reads only s[0..i). */
size_t utf8_prev(const unsigned char *s, size_t i, uint32_t *cp);

/* The folded form of one code point as UTF-8 (borrowed, static; "" when the
 * character folds to nothing, e.g. a soft hyphen). */
const char *fold_cp(uint32_t cp, size_t *len);
/* Fold a whole UTF-8 string: malloc'd, NUL-terminated (caller frees). */
char *fold_str(const char *s, size_t len, size_t *outlen);

/* The folded form of cp when it is exactly one code point (the common
 * case: a fast path for loops), else FOLD_NOT_ONE: use fold_cp. */
#define FOLD_NOT_ONE 0xFFFFFFFFu
#define FOLD_TAB_MAX 0x32000u
extern const uint32_t *fold_one_tab;
static inline uint32_t fold_one(uint32_t cp)
{
    return cp < FOLD_TAB_MAX && fold_one_tab ? fold_one_tab[cp] : FOLD_NOT_ONE;
}

/* Is cp a Han (CJK ideograph) character? (after folding) */
static inline int is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x3134F) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           cp == 0x3007;
}
/* 0-9 for an ASCII or full-width digit, else -1. */
int digit_value(uint32_t cp);
/* 0-9 for a Chinese digit (〇 ○ ◯ 零 一 二 ... 九), else -1. */
int cn_digit_value(uint32_t cp);
/* Horizontal spaces as typed between the parts of a number or date
 * (space, tab, NBSP, U+2000-U+200B, U+202F, U+3000). */
int is_hspace(uint32_t cp);
/* Does s contain Traditional-only characters (changed by t2s), and how
 * many Han characters: for lang detection. */
void fold_count_trad(const char *s, size_t len, size_t *han, size_t *trad);
#endif
