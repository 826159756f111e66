/* enc.h - bytes of a file -> UTF-8 text. Reads plain and gzip'd files with
 * caps, finds the charset (BOM, declared charset checked against the bytes,
 * statistical detection among UTF-8 / GB18030 / Big5-HKSCS / UTF-16) and
 * converts with iconv, replacing invalid bytes with U+FFFD and counting
 * them. Called by indexer/main.c for every file. */
#ifndef INDEXER_ENC_H
#define INDEXER_ENC_H
#include <stddef.h>
#include "common/err.h"

enum enc_err {
    ENC_EIO = -1,       /* cannot open/read the file                     */
    ENC_ETOOBIG = -2,   /* larger than the cap (plain or decompressed)   */
    ENC_EGZIP = -3,     /* corrupt or truncated gzip stream              */
    ENC_EBINARY = -4,   /* not text (NULs, control bytes, undecodable)   */
    ENC_ENOMEM = -5,
};

/* Read path fully into *out (malloc'd, NUL-terminated, *len bytes).
 * A name ending in .gz is inflated (zlib); the decompressed size may not
 * pass max_bytes (a gzip bomb is rejected with ENC_ETOOBIG after at most
 * max_bytes of output, never expanded whole). Plain files larger than
 * max_bytes: ENC_ETOOBIG without reading them. 0 or a negative enc_err. */
int enc_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                  struct err *e);

struct enc_result {
    char *text;          /* UTF-8, NUL-terminated, malloc'd (caller frees) */
    size_t len;
    char charset[32];    /* what was used: "UTF-8", "GB18030", "BIG5-HKSCS",
                            "UTF-16LE", "UTF-16BE" */
    size_t replaced;     /* invalid sequences replaced with U+FFFD        */
    int had_bom;
};

/* hint_name: the file name (for the extension: .html/.htm/.xml decide
 * where to look for a declared charset); may be NULL. Strips a BOM. NUL
 * bytes in otherwise-valid text are dropped, not fatal; a file that is
 * mostly binary is ENC_EBINARY. Never fails for valid text of any size. */
int enc_to_utf8(const char *bytes, size_t len, const char *hint_name,
                struct enc_result *out, struct err *e);
/* The same for bytes that came with a MIME type (an HTTP request body and
 * its Content-Type, which may be NULL): its charset= label is the declared
 * charset, checked against the bytes as a page's <meta> is. */
int enc_to_utf8_mime(const char *bytes, size_t len, const char *content_type,
                     struct enc_result *out, struct err *e);
void enc_result_release(struct enc_result *r);
#endif
