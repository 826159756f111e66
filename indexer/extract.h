/* extract.h - decoded text of one file -> records (title, unit, category,
 * date, docno, lang, url, body text), by format (HTML, XML, Markdown with
 * front matter, JSON / JSON Lines, CSV, SQL INSERT dumps, plain text) and by
 * ingest profile (profiles/NAME.conf: declarative, selected by path pattern),
 * with fallbacks that read the fields from the text itself (GB/T 9704
 * layout, 民國 dates, English headers) and metadata normalisation (dates to
 * YYYY-MM-DD, unit aliases, category paths). Called by indexer/main.c. */
#ifndef INDEXER_EXTRACT_H
#define INDEXER_EXTRACT_H
#include <stddef.h>
#include "common/err.h"

struct rec {
    char *key;      /* NULL for a single-record file; else the record's own
                       stable identifier, or its 1-based number as text:
                       the API id is then path#key */
    char *title, *unit, *category, *date, *docno, *lang, *url;
    int year;       /* 0 = unknown */
    char *text;     /* the body as plain text (no markup), UTF-8 */
};
struct recs {
    struct rec *v;
    size_t n, cap;
};

/* Load the built-in profiles (compiled into the binary) and then every
 * *.conf in dir (may be NULL), later ones winning. Once per process. */
int extract_init(const char *dir, struct err *e);

/* relpath: the file's path relative to ROOT ('/'-separated), used for
 * profile selection and path-derived fields; utf8/len: its decoded text.
 * Appends records to out. 0 on success; negative with e set when the file
 * cannot be parsed at all (the caller rejects it with e->msg). On success
 * e->msg may still hold a warning (code 0): part of the file was skipped
 * (a JSON Lines line that is not JSON), the rest was read. Thread-safe
 * after extract_init. */
int extract_file(const char *relpath, const char *utf8, size_t len,
                 struct recs *out, struct err *e);
void recs_release(struct recs *r);
#endif
