/* portal.h - the HTML pages of searchd for people: the citizens' search
 * page (GET /), a document page (GET /doc/<id>), the staff "check a draft"
 * page (GET and POST /check) and the OpenSearch description. Server-rendered
 * so that everything works without JavaScript; the pages load only
 * /assets/style.css, /assets/app.js and /assets/favicon.svg (compiled in
 * from searchd/assets/), so they pass the CSP "default-src 'self';
 * img-src 'self' data:; style-src 'self'; script-src 'self'" (no inline
 * script, no style attribute).
 * http.c calls these; they do no I/O and keep no state (thread-safe).
 *
 * params: the request's query parameters as a jansson object. A repeatable
 * parameter (category, unit) may be a string or an array of strings; page,
 * size and year may be strings or integers. Keys read: q, category, unit,
 * year, from, to, lang, sort, page, size, ui ("en" = English interface,
 * anything else = Chinese, the default).
 * NULL is taken as an empty object.
 *
 * Links the pages make (searchd must route them):
 *   /?q=..&category=..&unit=..&year=..&sort=..&page=..&ui=en  search page;
 *       values percent-encoded (space = %20), defaults left out
 *   /doc/<id>?ui=en    id percent-encoded except '/', so '#' is %23, ' ' %20
 *   /check?ui=en       GET: the empty form; POST (the form's action keeps
 *                      ui in the URL): application/x-www-form-urlencoded
 *                      body with one field, text (the draft)
 *   /opensearch.xml    portal_opensearch_xml()
 *   /assets/<name>?v=<tag>  the compiled-in static files; tag =
 *                      portal_asset_tag(name), so a changed file is a new
 *                      URL and the old one may be cached for good
 *
 * Every function returns a malloc'd NUL-terminated UTF-8 page the caller
 * free()s (Content-Type: text/html; charset=utf-8), or NULL when out of
 * memory. Everything taken from params, result, doc or text is HTML-escaped,
 * except title_html and snippet_html, which API.md defines as escaped text
 * with <mark> and are inserted as they are. */
#ifndef SEARCHD_PORTAL_H
#define SEARCHD_PORTAL_H
#include <jansson.h>
#include <stddef.h>

/* The static files compiled in from searchd/assets/ (build/assets.c),
 * ended by a NULL name. */
extern const struct asset {
    const char *name, *type;
    const unsigned char *data;
    size_t len;
} assets[];

/* The tag of an asset's content (16 hex digits of its hash; "" for an
 * unknown name): its URLs' ?v= and, quoted, its ETag. */
const char *portal_asset_tag(const char *name);

/* The search page. result: the /api/search response object (API.md), or
 * NULL for the front page (no q and no filter); error: NULL or an API.md
 * error object, {"error": {"code", "message"}} or just the inner
 * {"code", "message"}, whose message is shown (send it with the status the
 * API would use). With result NULL and an error this is also the generic
 * HTML error page (e.g. code "not_found" for an unknown path). */
char *portal_render_search(const json_t *params, const json_t *result,
                           const json_t *error);

/* The "check a draft" page. text: the draft that was posted (NULL or "" for
 * the empty form; it is put back in the textarea); result: the
 * /api/similar response {"hits": [{id, title, docno, date, unit,
 * similarity}]} or NULL; error as above (e.g. a draft too large). */
char *portal_render_check(const json_t *params, const char *text,
                          const json_t *result, const json_t *error);

/* A document page: the /api/doc/{id} object (fields plus text; the text is
 * shown escaped, one paragraph per line). doc NULL gives a "not found" page
 * (send it with status 404). */
char *portal_render_doc(const json_t *params, const json_t *doc);

/* The OpenSearch description, its search template
 * "<base_url>/?q={searchTerms}". base_url: scheme and host without a final
 * '/', e.g. "http://" plus the request's Host header (escaped here; NULL or
 * "" gives "http://localhost"). Serve as
 * application/opensearchdescription+xml; charset=utf-8. */
char *portal_opensearch_xml(const char *base_url);
#endif
