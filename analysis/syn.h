/* syn.h - the word tables of queries, compiled in: abbreviations
 * (analysis/synonyms.txt: 低保 also finds 最低生活保障, and the full name
 * finds the abbreviation) and fillers (analysis/fillers.txt: 怎么, 如何,
 * what, the ... only rank when a query has other words). Used by the query
 * parser only; documents are indexed as written. */
#ifndef ANALYSIS_SYN_H
#define ANALYSIS_SYN_H
#include <stddef.h>
#include <stdint.h>

#define SYN_MAX 4 /* alternatives of one word at most */

/* The other forms of the folded word w[0..n): up to max pointers to folded
 * code points (static, valid for the process) and their counts; returns
 * how many. The table is read on the first call (thread-safe); the fold
 * tables must be built (fold_init). */
size_t syn_lookup(const uint32_t *w, size_t n, const uint32_t **alt,
                  size_t *altn, size_t max);
/* The full names of a Latin abbreviation (the folded, lower-case word
 * w[0..n): foia -> "freedom of information act"): up to max static
 * strings; returns how many. One way only: a full name is a phrase, which
 * the query parser does not look up. */
size_t syn_latin(const char *w, size_t n, const char **full, size_t max);
/* The length of the longest abbreviation (Han) that c[0..n) starts with,
 * 0 when none: a query keeps it one word however the dictionary cuts it
 * (公租房 = 公|租房). */
size_t syn_longest(const uint32_t *c, size_t n);
/* Is the folded Han word w[0..n) (code points), or the folded Latin word
 * w[0..n) (bytes, lower case), one of the fillers? */
int syn_filler(const uint32_t *w, size_t n);
int syn_filler_latin(const char *w, size_t n);
#endif
