/* xsrc.h - one record's raw source fields as the format readers of the
 * extraction layer find them (name/value pairs by kind, the libxml2 node
 * the record lives in, its body text), plus the small string helpers those
 * readers share. Internal to extract.c, markup.c, recfmt.c, gbt9704.c and
 * meta.c; the public contract is extract.h. */
#ifndef INDEXER_XSRC_H
#define INDEXER_XSRC_H
#include <stddef.h>
#include "common/buf.h"

enum xkind {
    XK_KEY = 'k',       /* JSON key, front-matter key, CSV/SQL column,
                           XML leaf element name */
    XK_META = 'm',      /* HTML <meta name|property> */
    XK_INFO = 'i'       /* HTML info-table label (索引号, 发文机关 ...) */
};
struct xkv {
    int kind;
    char *name, *val;
};
/* Cap on the body text of one record (bytes); a file is at most 32 MB. */
#define XSRC_TEXT_MAX ((size_t)64 << 20)

struct xsrc {
    struct xkv *kv;
    size_t nkv, cap;
    struct buf text;    /* body as plain text */
    char *key;          /* record key (NULL: single-record file) */
    void *doc;          /* xmlDocPtr of the file (borrowed; XML/HTML) */
    void *node;         /* xmlNodePtr of the record (borrowed) */
    int html;           /* doc is an HTML document */
    char *md_title;     /* Markdown "# " line */
    size_t md_info;     /* Markdown: 1 + the length of text before the
                           "<!-- INFO END -->" comment; 0 when none */
};

void xsrc_init(struct xsrc *s);
void xsrc_release(struct xsrc *s);
/* Add a copy of name and val[0..n); the first value per (kind, name) wins
 * in xsrc_get. 0 or -1 (out of memory). */
int xsrc_add(struct xsrc *s, int kind, const char *name, const char *val,
             size_t n);
/* Borrowed value for (kind, name), matched ASCII-case-insensitively;
 * NULL when absent. Empty values count as absent. */
const char *xsrc_get(const struct xsrc *s, int kind, const char *name);
/* The body text from the first key named as a body (content, text, 正文,
 * 内容 …; HTML parsed), and info-table fields from every HTML one: a
 * record's columns, or an XML record's leaf elements. */
void xsrc_body_from_keys(struct xsrc *src);

/* Trimmed copy of s[0..n) (ASCII space, tab, CR, LF, U+3000, U+00A0);
 * NULL when empty. */
char *xstr_trim(const char *s, size_t n);
/* Trim, and collapse inner runs of white space to one ASCII space. */
char *xstr_clean(const char *s, size_t n);
/* Length of the UTF-8 white space (as above) at s, 0 if none. */
size_t xstr_space(const unsigned char *s, size_t n);
/* UTF-8 characters in p[0..n). */
size_t xstr_nchars(const char *p, size_t n);
/* Does s look like an HTML fragment (a few tags)? */
int xstr_is_html(const char *s, size_t n);

/* markup.c: libxml2 readers. Init once (from extract_init). */
void markup_init(void);
/* Parse an XML document; *doc is an xmlDocPtr to free with markup_free.
 * 0, or -1 with msg set (not well-formed beyond recovery). */
int markup_xml(const char *s, size_t n, void **doc, char *msg, size_t cap);
/* Parse HTML (page or fragment): never fails on content; -1 on OOM. */
int markup_html(const char *s, size_t n, void **doc);
void markup_free(void *doc);
/* Fill src from an HTML document: metas, info table, title, canonical URL,
 * main-content body text. */
void markup_html_fields(void *doc, struct xsrc *src);
/* Append the visible text of an HTML fragment to b; also collects info-table
 * fields into src when src != NULL. */
void markup_html_text(const char *s, size_t n, struct buf *b,
                      struct xsrc *src);
/* XML: is the root element of doc spec ("NAME", or "NAME/CHILD": with a
 * CHILD element among its children)? */
int markup_xml_root_is(void *doc, const char *spec);
/* XML: the record nodes (children of the root named like records, or the
 * nodes an XPath selects); returns malloc'd array (caller frees), *n set. */
void **markup_xml_records(void *doc, const char *xpath, size_t *n);
/* Fill src from one XML record node: leaf elements as XK_KEY, text. */
void markup_xml_fields(void *doc, void *node, struct xsrc *src);
/* Whole text of an XML record (the default body), appended to b. */
void markup_xml_text(void *doc, void *node, struct buf *b);
/* Evaluate an XPath relative to the record node: its string value (for a
 * node set the text of the first node, or of all nodes one per line when
 * all), malloc'd, or NULL. */
char *markup_xpath(void *doc, void *node, const char *expr, int all);

/* gbt9704.c: fields from the text of a plain-text document (GB/T 9704
 * layout, or English: first line as title). Adds XK_KEY pairs named
 * "title", "unit", "docno", "date" for those it finds. */
void gbt_fields(const char *s, size_t n, struct xsrc *src);
/* The date of a law's 题注, the parenthesised line under its title
 * (（2022年3月1日示例市人民政府令第5号公布）, （2009年6月27日通过 2015年4月24日
 * 修正）: the last date, not one a 起施行 follows) in the first lines of s:
 * YYYY-MM-DD in out, 0; -1 when there is none. */
int gbt_note_date(const char *s, size_t n, char out[11]);

/* recfmt.c: record formats. Each appends one xsrc per record to out (the
 * caller releases them); 0, or -1 with msg set when nothing can be read. */
struct xsrcs {
    struct xsrc *v;
    size_t n, cap;
};
struct xsrc *xsrcs_push(struct xsrcs *a);
void xsrcs_release(struct xsrcs *a);
int recfmt_csv(const char *s, size_t n, struct xsrcs *out, char *msg,
               size_t cap);
int recfmt_sql(const char *s, size_t n, struct xsrcs *out, char *msg,
               size_t cap);
int recfmt_json(const char *s, size_t n, int lines, struct xsrcs *out,
                char *msg, size_t cap);
int recfmt_md(const char *s, size_t n, struct xsrcs *out, char *msg,
              size_t cap);
#endif
