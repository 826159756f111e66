/* date.h - dates in the written forms of our documents, to YYYY-MM-DD:
 * 2013年7月1日, 2013年07月01日, 二〇一三年七月一日 / 二○一三年七月一日,
 * 中華民國102年7月5日 / 民國102年7月5日 / 民国102年 (ROC = year + 1911),
 * 2019-03-14, 2019/3/14, 2019.3.14, 20190314 (8 digits, valid date only),
 * March 14, 2019 / 14 March 2019 / Mar. 14, 2019, "2013-06-08 10:21" (time
 * ignored), full-width digits too. Used by the indexer's metadata extraction
 * (and by searchd for from/to). */
#ifndef ANALYSIS_DATE_H
#define ANALYSIS_DATE_H
#include <stddef.h>

struct date { int y, m, d; }; /* m, d 0 when only the year/month is known */

/* Parse the whole of s (surrounding spaces allowed) as one date.
 * 0 on success, -1 when s is not a date or not a valid calendar date. */
int date_parse(const char *s, size_t len, struct date *out);

/* Find the first date in running text at or after s; returns 0 and sets
 * *start, *end (bytes) and *out, or -1 when none. Only full dates (y, m, d),
 * and not the bare 8-digit form (too many other numbers look like it). */
int date_find(const char *s, size_t len, struct date *out, size_t *start,
              size_t *end);
/* Like date_find but the LAST full date in s (the 成文日期 at the end of a
 * GB/T 9704 document). */
int date_find_last(const char *s, size_t len, struct date *out, size_t *start,
                   size_t *end);

/* "YYYY-MM-DD" into out (11 bytes); "YYYY" alone when m == 0, "YYYY-MM"
 * when only d == 0. */
void date_format(const struct date *d, char out[11]);
#endif
