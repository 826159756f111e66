/* html.h - escaping for HTML pages and URLs: text into element content or
 * attribute values, and percent-encoding of URL parts. Appends to a
 * struct buf; knows nothing of the programs (the portal page uses it). */
#ifndef COMMON_HTML_H
#define COMMON_HTML_H
#include <stddef.h>
#include "common/buf.h"

/* Append s[0..n) HTML-escaped (& < > " ' become entities), safe both as
 * element content and inside a quoted attribute value. Invalid UTF-8 bytes
 * become U+FFFD and control characters other than tab, newline and carriage
 * return are dropped. 0 on success, -1 when the buffer refused to grow. */
int html_escape(struct buf *b, const char *s, size_t n);
/* Same, for a NUL-terminated string; NULL appends nothing. */
int html_escapes(struct buf *b, const char *s);
/* Append s[0..n) percent-encoded: everything but the unreserved characters
 * A-Z a-z 0-9 - . _ ~ and the bytes listed in keep (may be NULL; "/" for a
 * path) becomes %XX, so the result is safe in a path or a query value and
 * never contains '&', '"', '<' or '#'. 0 on success, -1 on failure. */
int html_urlencode(struct buf *b, const char *s, size_t n, const char *keep);
#endif
