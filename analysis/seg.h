/* seg.h - Chinese word segmentation with the jieba dictionary (Debian's
 * python3-jieba ships it; we read it as data): a DAG of dictionary words
 * over a Han run and the maximum-probability route, as jieba's cut without
 * HMM, plus the dictionary words inside long words (cut_for_search).
 * Input is FOLDED text (Simplified, see fold.h). Used by ana.c. */
#ifndef ANALYSIS_SEG_H
#define ANALYSIS_SEG_H
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"

/* Load the dictionary once per process (path NULL: $GOVSEARCH_DICT, else
 * /usr/lib/python3/dist-packages/jieba/dict.txt). Thread-safe after.
 * Returns 0, or -1 with e set when the file is missing or unreadable
 * (the caller may go on without words: n-grams still give full recall). */
int seg_init(const char *path, struct err *e);
int seg_ready(void);

/* One segmented word: [start, end) in code-point indexes of the run;
 * sub = 1 for a dictionary word found inside a longer word. */
struct seg_word {
    uint32_t start, end;
    int sub;
};

/* Segment a run of n Han code points (cps, folded). Writes at most max
 * words; returns how many (words in order; sub-words after their word). */
size_t seg_run(const uint32_t *cps, size_t n, struct seg_word *out,
               size_t max);

/* Is the folded UTF-8 string a dictionary word? */
int seg_is_word(const char *s, size_t len);
#endif
