/* docbuild.h - one extracted record -> one Xapian document, following the
 * schema at the top of shim/xs.h: title and body terms from the analyzer,
 * filter terms, values, fingerprints, and the zlib-compressed stored data.
 * Called by indexer/main.c from each worker thread (one struct ana each). */
#ifndef INDEXER_DOCBUILD_H
#define INDEXER_DOCBUILD_H
#include "analysis/ana.h"
#include "common/err.h"
#include "indexer/extract.h"
#include "shim/xs.h"

/* What a file becomes in the index: its text, fields and terms. Bump it
 * with any change to reading, decoding, parsing, the profiles or the
 * analyzer that changes that for some file: an index written under another
 * value (or none: written before it existed) is rebuilt in full by the next
 * run, since incremental runs skip unchanged files and would keep their old
 * form. Kept in the index's "content" metadata by --full runs. */
#define INDEX_CONTENT_VERSION "2026-11-29.9"

/* id: the API id; relpath: the source file; filestate: "size mtime hash
 * relpath" for XS_SLOT_FILE. *out is a new document (xs_doc_free it).
 * *textbytes gets the extracted text size. 0 or -1 with e set. */
int docbuild(struct ana *a, const struct rec *r, const char *id,
             const char *relpath, const char *filestate, xs_doc **out,
             size_t *textbytes, struct err *e);

/* Stored document data (the format is at the top of shim/xs.h): a fields
 * line, the text's first DD_HEAD bytes, zlib of the rest (older indexes:
 * zlib of the fields line and the whole text). The fields, in order: */
#include <jansson.h>
enum dd_field {
    DD_ID, DD_TITLE, DD_UNIT, DD_CATEGORY, DD_DATE, DD_YEAR, DD_DOCNO,
    DD_LANG, DD_URL, DD_PATH, DD_NFIELDS
};
#define DD_RECORD '\x1e' /* starts a fields line (else: the older JSON one) */
#define DD_SEP '\x1f'    /* between two fields */
/* Text bytes stored as they are, before the deflated rest: what a result
 * page's snippet nearly always needs (about 7 hits in 10 on the bench's
 * queries), read without inflating; on the shared corpus 9% more index
 * (213 -> 232 MB) for 6% fewer instructions per search. */
#define DD_HEAD 2048

/* The stored data of fields f (NULL = empty) and text t (tl bytes);
 * malloc'd (*outlen bytes), NULL when out of memory. */
char *docdata_pack(const char *const f[DD_NFIELDS], const char *t, size_t tl,
                   size_t *outlen);

/* Reading stored data a piece at a time (a result page needs the fields
 * and the start of the text, not all of a long document): docdata_open
 * inflates about max bytes and splits the fields; docdata_more inflates up
 * to about max bytes of text in all (SIZE_MAX: the rest). f[k] (fl[k]
 * bytes, not NUL-terminated; fl 0 = null) is field k; d->text (textlen
 * bytes, whole characters, NUL-terminated) is the text so far; complete
 * says whether that is all of it. */
struct docdata {
    const char *f[DD_NFIELDS];
    size_t fl[DD_NFIELDS];
    const char *text;
    size_t textlen;
    int complete;
    /* private */
    json_t *js;     /* the parsed fields of the older JSON line */
    char year[24];
    void *zs;
    char *buf;
    size_t n, cap, toff;
};
int docdata_open(struct docdata *d, const char *data, size_t len,
                 size_t max);
int docdata_more(struct docdata *d, size_t max);
void docdata_close(struct docdata *d); /* frees what it holds; d is empty */
/* The fields as API.md's JSON object (year a number, empty ones null;
 * no "path" unless with_path). */
json_t *docdata_json(const struct docdata *d, int with_path);
/* All of it at once: the fields object (json_decref it) with *text
 * (textlen bytes, NUL-terminated) pointing into *buf, which the caller
 * frees after. NULL on corrupt data. */
json_t *docdata_load(const char *data, size_t len, char **buf,
                     const char **text, size_t *textlen);
#endif
