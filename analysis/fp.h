/* fp.h - shingles for the "already published?" check (DESIGN.md §6):
 * 8-character shingles over the content characters of FOLDED text (Han,
 * letters, digits; spaces and punctuation ignored, so layout and script do
 * not matter), hashed. The score of a candidate is the share of the
 * draft's shingles found in it. (Candidates come from the index's own
 * n-gram layer: the draft's rarest bigrams and words; see searchd/api.c.)
 * Used by searchd and the tests. */
#ifndef ANALYSIS_FP_H
#define ANALYSIS_FP_H
#include <stddef.h>
#include <stdint.h>

#define FP_K 8

/* All shingle hashes of s (UTF-8, original text; folded inside), in text
 * order. *out malloc'd (free it); returns the count ((size_t)-1 on OOM). */
size_t fp_shingles(const char *s, size_t len, uint64_t **out);
/* Sort and remove duplicates in place; returns the new count. */
size_t fp_unique(uint64_t *h, size_t n);
/* |a ∩ b| for sorted unique arrays. */
size_t fp_overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);
/* How many of the sorted unique set are among h[0..n) (any order, with
 * repeats): the draft's shingles found in a candidate, without sorting the
 * candidate's (which may be long). */
size_t fp_contained(const uint64_t *set, size_t nset, const uint64_t *h,
                    size_t n);
/* The same for the shingles of a text, computed as it is read and no
 * further once the whole set is found (a long candidate holding the
 * draft near its start is not read to its end). */
size_t fp_contained_text(const uint64_t *set, size_t nset, const char *s,
                         size_t len);
/* The same for a document: its title (may be NULL), running on into its
 * text, and its text. A draft pasted with the title above its text has
 * those words in the document too, where the stored text lacks them. */
size_t fp_contained_doc(const uint64_t *set, size_t nset, const char *title,
                        size_t tlen, const char *s, size_t len);
/* The same, and the longest stretch of s (the document's text) it shares
 * unbroken with the draft: consecutive shingles of s in the set, as bytes
 * [*ra, *rb) of s (from the first content character of the first shingle
 * to the end of the last's; both 0 when none), as far as s was read (the
 * reading stops once the whole set is found). ra, rb may be NULL. */
size_t fp_contained_run(const uint64_t *set, size_t nset, const char *title,
                        size_t tlen, const char *s, size_t len, size_t *ra,
                        size_t *rb);
#endif
