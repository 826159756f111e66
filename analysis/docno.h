/* docno.h - document numbers (发文字号 / 發文字號 / FR Doc. / EO ids):
 * recognition in running text and normalisation to one canonical key, so
 * that every variant API.md lists is equal: bracket variants 〔〕 [] () （）
 * 【】 ［］ 〈〉, full-width/half-width digits and letters, Traditional and
 * Simplified, spaces, a trailing 号/號, "FR Doc." prefix and case.
 * Used by the indexer (metadata, T/XD terms) and searchd (lookup, docno:).
 * Pure C over UTF-8; the Traditional->Simplified step calls fold.h. */
#ifndef ANALYSIS_DOCNO_H
#define ANALYSIS_DOCNO_H
#include <stddef.h>

/* Canonical key of a document number as written, into out (cap bytes incl.
 * NUL). Returns its length, or 0 when s does not look like a document
 * number at all (or out is too small). Examples, all equal:
 *   国办发〔2013〕26号, 国办发[2013]26号, 國辦發（２０１３）２６號, 国办发 (2013) 26,
 *   国办发2013年26号, 国办发2013 26号 -> "国办发(2013)26"
 *   院臺秘字第1100012345號 -> "院台秘字第1100012345"
 *   FR Doc. 2019-04711 / 2019-04711 -> "2019-04711";  2015-EEO-87 -> "2015-eeo-87" */
size_t docno_norm(const char *s, size_t len, char *out, size_t cap);
/* Is key (from docno_norm) the GB/T 9704 shape organ(year)serial? Such a
 * key typed without brackets (国办发2019年6号) is still a number. */
int docno_key_gb(const char *key, size_t n);

/* Find document numbers in text: calls cb for each one found, with its
 * byte range in s. Returns the number found. Recognises the GB/T 9704
 * shape (organ abbreviation + 〔year〕 + number + 号, also with [] () and
 * 第...号), 字第...號 (Taiwan), "FR Doc. ...", and NNNN-EO-NN ids. */
typedef void (*docno_cb)(void *ctx, size_t start, size_t end);
size_t docno_scan(const char *s, size_t len, docno_cb cb, void *ctx);

/* Year carried by a document number (国办发〔2013〕26号 -> 2013), or 0. */
int docno_year(const char *s, size_t len);

/* Split a field holding several numbers joined by 、 ， , ； ; or newlines
 * ("A字第1號、B字第2號") into parts: the byte range of part i is
 * [starts[i], ends[i]), spaces trimmed, empty parts skipped; at most max
 * parts. Returns the number of parts (1 for a single number). The parts
 * are not checked: pass each to docno_norm. */
size_t docno_split(const char *s, size_t len, size_t starts[], size_t ends[],
                   size_t max);
#endif
