/* snippet.h - title_html and snippet_html (API.md): HTML-escaped ORIGINAL
 * text with <mark> around what the query matched, found through the same
 * folding the index uses. Called by searchd's API handlers. */
#ifndef SEARCHD_SNIPPET_H
#define SEARCHD_SNIPPET_H
#include <stddef.h>
#include "analysis/query.h"

/* The whole text (a title), escaped and marked. q may be NULL (no marks);
 * stem: the thread's xs_stem* (or NULL). malloc'd. */
char *snip_title(const char *text, size_t len, const struct qry *q, void *stem);
/* The best passage of about width characters: the one holding the most
 * matches, starting at a sentence when one starts shortly before; "…"
 * where cut. The text's start when nothing matches. malloc'd.
 * text may be the first len bytes of a text of full bytes (full: SIZE_MAX
 * when not known); when the answer needs more than that prefix, NULL is
 * returned and *more says how many bytes of the text to call again with
 * (SIZE_MAX: the whole), always more than len; else *more is 0. fold: the
 * text is likely to differ from the query as written (another script or
 * case), so a prefix is searched through folding before more is asked for. */
char *snip_best(const char *text, size_t len, size_t full, int fold,
                const struct qry *q, void *stem, size_t width, size_t *more);
#endif
