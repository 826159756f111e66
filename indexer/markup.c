/* markup.c - XML and HTML through libxml2 for the extraction layer: safe
 * parsing (no network, no external entities, no entity substitution, the
 * default amplification limits), body text without page chrome, <meta>
 * tags, the 索引号/发文机关/成文日期 info table, XML record nodes and XPath.
 * Called by extract.c and recfmt.c (HTML columns of SQL/CSV records). */
#include "indexer/xsrc.h"
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <stdlib.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xmlerror.h>

static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

void markup_init(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

/* The error handlers are per thread in a threaded libxml2: set them again
 * on every parse (cheap). */
static void quiet_thread(void)
{
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

int markup_xml(const char *s, size_t n, void **doc, char *msg, size_t cap)
{
    xmlDocPtr d;
    xmlErrorPtr er;
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
               | XML_PARSE_COMPACT;
    quiet_thread();
    *doc = NULL;
    if (n > (size_t)INT32_MAX) {
        snprintf(msg, cap, "too large");
        return -1;
    }
    xmlResetLastError();
    d = xmlReadMemory(s, (int)n, NULL, "UTF-8", opts);
    if (!d) {
        /* not well-formed: keep the reason, then try to recover unless the
           document was refused for entity amplification */
        er = xmlGetLastError();
        snprintf(msg, cap, "line %d: %s", er ? er->line : 0,
                 er && er->message ? er->message : "not well-formed");
        msg[strcspn(msg, "\n")] = 0;
        if (er && (er->code == XML_ERR_ENTITY_LOOP
                   || er->code == XML_ERR_ENTITY_BOUNDARY
                   || strstr(msg, "mplification") || strstr(msg, "ntity")))
            return -1;
        d = xmlReadMemory(s, (int)n, NULL, "UTF-8", opts | XML_PARSE_RECOVER);
        if (!d || !xmlDocGetRootElement(d)) {
            if (d)
                xmlFreeDoc(d);
            return -1;
        }
    }
    if (!xmlDocGetRootElement(d)) {
        xmlFreeDoc(d);
        snprintf(msg, cap, "no root element");
        return -1;
    }
    *doc = d;
    return 0;
}

int markup_html(const char *s, size_t n, void **doc)
{
    htmlDocPtr d;
    quiet_thread();
    *doc = NULL;
    if (n > (size_t)INT32_MAX)
        return -1;
    d = htmlReadMemory(n ? s : " ", n ? (int)n : 1, NULL, "UTF-8",
                       HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                       | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
                       | HTML_PARSE_COMPACT);
    if (!d)
        return -1;
    *doc = d;
    return 0;
}

void markup_free(void *doc)
{
    if (doc)
        xmlFreeDoc(doc);
}

/* ---- text extraction ------------------------------------------------ */

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name
           && strcasecmp((const char *)n->name, name) == 0;
}

static int is_skip_tag(const xmlNode *n)
{
    static const char *const tags[] = {
        "script", "style", "noscript", "nav", "header", "footer", "iframe",
        "select", "button", "template", "svg", "head", "object", NULL
    };
    int i;
    for (i = 0; tags[i]; i++)
        if (name_is(n, tags[i]))
            return 1;
    return 0;
}

static int is_block_tag(const xmlNode *n)
{
    static const char *const tags[] = {
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "ul", "ol", "section", "article", "blockquote", "pre", "dd",
        "dt", "dl", "title", "form", "hr", "center", "address", "tbody",
        "main", "aside", "figure", "caption", NULL
    };
    int i;
    for (i = 0; tags[i]; i++)
        if (name_is(n, tags[i]))
            return 1;
    return 0;
}

static int has_word_ci(const char *hay, const char *w)
{
    size_t k = strlen(w);
    for (; *hay; hay++)
        if (strncasecmp(hay, w, k) == 0)
            return 1;
    return 0;
}

/* Does the id or class attribute contain one of the words (ASCII case
 * insensitive substring)? */
static int attr_has(const xmlNode *n, const char *const *words)
{
    static const char *const attrs[] = {"id", "class", NULL};
    int a, w;
    for (a = 0; attrs[a]; a++) {
        xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[a]);
        if (!v)
            continue;
        for (w = 0; words[w]; w++)
            if (has_word_ci((const char *)v, words[w])) {
                xmlFree(v);
                return 1;
            }
        xmlFree(v);
    }
    return 0;
}

static const char *const chrome_words[] = {
    "nav", "menu", "footer", "header", "breadcrumb", "share", NULL
};

struct tw {
    struct buf *b;
    int html;           /* collapse source white space; skip chrome */
    size_t max;         /* stop after this many bytes (0: cap of b) */
    size_t nodes, max_nodes;
    int stop;
};

static void tw_space(struct tw *t)
{
    if (t->b->len && t->b->p[t->b->len - 1] != ' '
        && t->b->p[t->b->len - 1] != '\n' && t->b->p[t->b->len - 1] != '\t')
        buf_addc(t->b, ' ');
}

static void tw_nl(struct tw *t, char c)
{
    struct buf *b = t->b;
    while (b->len && b->p[b->len - 1] == ' ')
        b->p[--b->len] = 0;
    if (c == '\t') {
        if (b->len && b->p[b->len - 1] != '\n' && b->p[b->len - 1] != '\t')
            buf_addc(b, '\t');
    } else if (b->len && b->p[b->len - 1] != '\n') {
        if (b->p[b->len - 1] == '\t')
            b->p[b->len - 1] = '\n';
        else
            buf_addc(b, '\n');
    }
}

/* Append HTML text: runs of white space become one space, U+00A0 too. */
static void tw_html_text(struct tw *t, const unsigned char *s)
{
    const unsigned char *run = s;
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'
            || (s[0] == 0xc2 && s[1] == 0xa0)) {
            if (s > run)
                buf_add(t->b, run, (size_t)(s - run));
            tw_space(t);
            s += (*s == 0xc2) ? 2 : 1;
            run = s;
        } else {
            s++;
        }
    }
    if (s > run)
        buf_add(t->b, run, (size_t)(s - run));
}

static void tw_xml_text(struct tw *t, const unsigned char *s)
{
    buf_adds(t->b, (const char *)s);
}

static void tw_walk(struct tw *t, const xmlNode *n)
{
    for (; n && !t->stop; n = n->next) {
        if (t->max_nodes && ++t->nodes > t->max_nodes) {
            t->stop = 1;
            return;
        }
        if ((t->max && t->b->len >= t->max) || t->b->toobig) {
            t->stop = 1;
            return;
        }
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
            if (n->content) {
                if (t->html)
                    tw_html_text(t, n->content);
                else
                    tw_xml_text(t, n->content);
            }
            break;
        case XML_ENTITY_REF_NODE:
            /* never expand user entities through the tree (amplification):
               only a short replacement text is inlined */
            if (n->children && n->children->type == XML_ENTITY_DECL) {
                const xmlEntity *ent = (const xmlEntity *)n->children;
                if (ent->etype == XML_INTERNAL_GENERAL_ENTITY && ent->content
                    && ent->length < 64
                    && !strchr((const char *)ent->content, '&'))
                    buf_adds(t->b, (const char *)ent->content);
            }
            break;
        case XML_ELEMENT_NODE:
            if (t->html && (is_skip_tag(n) || attr_has(n, chrome_words)))
                break;
            if (t->html && (name_is(n, "td") || name_is(n, "th"))) {
                tw_walk(t, n->children);
                tw_nl(t, '\t');
                break;
            }
            if (t->html && is_block_tag(n))
                tw_nl(t, '\n');
            tw_walk(t, n->children);
            if (!t->html || is_block_tag(n))
                tw_nl(t, '\n');
            break;
        default:
            break;
        }
    }
}

/* Text of one node's subtree into b (appending). */
static void node_text(const xmlNode *n, int html, struct buf *b, size_t max,
                      size_t max_nodes)
{
    struct tw t = {b, html, max, 0, max_nodes, 0};
    if (n->type == XML_ELEMENT_NODE || n->type == XML_DOCUMENT_NODE
        || n->type == XML_HTML_DOCUMENT_NODE)
        tw_walk(&t, n->children);
    else {
        xmlNode one = *n;
        one.next = NULL;
        tw_walk(&t, &one);
    }
}

/* Final clean-up of extracted text: trim spaces at line ends and collapse
 * runs of blank lines (linear, in place). */
static void text_tidy(struct buf *b)
{
    size_t i, o = 0, nls = 0;
    char *p = b->p;
    if (!p)
        return;
    for (i = 0; i < b->len; i++) {
        char c = p[i];
        if (c == '\r')
            continue;
        if (c == '\n') {
            while (o && (p[o - 1] == ' ' || p[o - 1] == '\t'))
                o--;
            if (o == 0 || ++nls > 2)
                continue;
            p[o++] = '\n';
            continue;
        }
        if ((c == ' ' || c == '\t') && (o == 0 || p[o - 1] == '\n'))
            continue;
        nls = 0;
        p[o++] = c;
    }
    while (o && (p[o - 1] == '\n' || p[o - 1] == ' '))
        o--;
    p[o] = 0;
    b->len = o;
}

/* ---- HTML fields ----------------------------------------------------- */

static char *node_text_dup(const xmlNode *n, int html, size_t max,
                           size_t max_nodes)
{
    struct buf b;
    char *r;
    buf_init(&b, 0);
    node_text(n, html, &b, max, max_nodes);
    r = xstr_trim(b.p ? b.p : "", b.len);
    buf_release(&b);
    return r;
}

/* Info-table labels, without white space and the colon. */
static const char *const info_labels[] = {
    "索引号", "主题分类", "发文机关", "成文日期", "发文字号", "标题", "发布日期",
    "主题词", "文号", "发布机构", "发文单位", "生成日期", "公开日期", "有效性",
    "名称", "分类", "体裁分类", "组配分类", "信息来源", "来源", "发布时间",
    "發文機關", "發文字號", "發文日期", "主旨", "公文种类", "文种", "实施日期",
    "废止日期", "效力状态", "信息分类", "所属主题", "來源", "發布日期",
    "發布時間", NULL
};

/* Label of a short cell text: the known label it is (static), else NULL.
 * *rest points after the colon when the cell is "label：value". */
static const char *info_label(const char *s, const char **rest)
{
    char lab[64];
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    int i;
    *rest = NULL;
    while (*p && o < sizeof lab - 4) {
        size_t sp = xstr_space(p, strlen((const char *)p));
        if (sp) {
            p += sp;
            continue;
        }
        if (*p == ':' || (p[0] == 0xef && p[1] == 0xbc && p[2] == 0x9a)) {
            p += *p == ':' ? 1 : 3;
            *rest = (const char *)p;
            break;
        }
        lab[o++] = (char)*p++;
    }
    lab[o] = 0;
    if (!*rest && *p)
        return NULL;
    for (i = 0; info_labels[i]; i++)
        if (strcmp(lab, info_labels[i]) == 0)
            return info_labels[i];
    return NULL;
}

static const xmlNode *next_elem(const xmlNode *n)
{
    for (n = n->next; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return n;
    return NULL;
}

static void info_cell(const xmlNode *n, struct xsrc *src)
{
    char *t = node_text_dup(n, 1, 96, 300), *v = NULL;
    const char *lab, *rest;
    if (!t)
        return;
    if (strlen(t) >= 90) {
        free(t);
        return;
    }
    lab = info_label(t, &rest);
    if (lab && xsrc_get(src, XK_INFO, lab)) {
        free(t);
        return;
    }
    if (lab && rest && *rest) {
        v = xstr_trim(rest, strlen(rest));
    } else if (lab) {
        const xmlNode *nx = next_elem(n);
        if (nx)
            v = node_text_dup(nx, 1, 2000, 2000);
        else if (n->next && n->next->type == XML_TEXT_NODE && n->next->content)
            v = xstr_trim((const char *)n->next->content,
                          strlen((const char *)n->next->content));
    }
    if (lab && v)
        xsrc_add(src, XK_INFO, lab, v, strlen(v));
    free(v);
    free(t);
}

/* Is n, or an element around it, a page's chrome (a <header> or <nav>, a
 * class or id such as header, nav, logo)? Its <h1> is the site's name. */
static int in_chrome(const xmlNode *n)
{
    static const char *const more[] = {"logo", NULL};
    int d;
    for (d = 0; n && n->type == XML_ELEMENT_NODE && d < 64; n = n->parent, d++)
        if (name_is(n, "header") || name_is(n, "nav") || name_is(n, "footer") ||
            attr_has(n, chrome_words) || attr_has(n, more))
            return 1;
    return 0;
}

struct hwalk {
    struct xsrc *src;
    const xmlNode *title, *canon, *main[8], *h1;
    size_t nodes;
};

static const char *const main_words[] = {
    "UCAP-CONTENT", "TRS_Editor", "pages_content", "zoom", "article",
    "content", "main", NULL
};

static void html_scan(struct hwalk *h, const xmlNode *n, int depth)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (++h->nodes > 2000000 || depth > 256)
            return;
        if (name_is(n, "meta")) {
            xmlChar *nm = xmlGetProp(n, (const xmlChar *)"name");
            xmlChar *ct = xmlGetProp(n, (const xmlChar *)"content");
            if (!nm)
                nm = xmlGetProp(n, (const xmlChar *)"property");
            if (nm && ct && *ct)
                xsrc_add(h->src, XK_META, (const char *)nm, (const char *)ct,
                         strlen((const char *)ct));
            xmlFree(nm);
            xmlFree(ct);
            continue;
        }
        if (name_is(n, "title")) {
            if (!h->title)
                h->title = n;
            continue;
        }
        if (name_is(n, "link") && !h->canon) {
            xmlChar *rel = xmlGetProp(n, (const xmlChar *)"rel");
            if (rel && strcasecmp((const char *)rel, "canonical") == 0)
                h->canon = n;
            xmlFree(rel);
            continue;
        }
        if (name_is(n, "script") || name_is(n, "style"))
            continue;
        if (name_is(n, "h1") && !h->h1 && !in_chrome(n))
            h->h1 = n;
        if (name_is(n, "td") || name_is(n, "th") || name_is(n, "span")
            || name_is(n, "b") || name_is(n, "strong") || name_is(n, "li")
            || name_is(n, "label") || name_is(n, "dt") || name_is(n, "em"))
            info_cell(n, h->src);
        {
            int w;
            for (w = 0; main_words[w]; w++) {
                const char *const ws[2] = {main_words[w], NULL};
                if (!h->main[w] && attr_has(n, ws)
                    && !attr_has(n, chrome_words))
                    h->main[w] = n;
            }
        }
        html_scan(h, n->children, depth + 1);
    }
}

/* A page's title from its <title> t and first <h1> h1 outside the page's
 * chrome (either NULL): the <h1> when the <title> holds it (文章标题_栏目_网站,
 * "Title | Site", 网站 - 文章标题: the rest is the site's), or when there is
 * no <title>; else the
 * <title> without a trailing site name after _ | ｜ " - " " – " "——" (the
 * <h1> if it opens with what is left); a title whose first part is under
 * 4 characters stays whole. Points into t or h1 (t is cut in place). */
static const char *page_title(char *t, char *h1)
{
    /* (spaces after the cut are trimmed; a lone - is inside words) */
    static const char *const seps[] = {"_", "|", "｜", " - ", " – ", " — ",
                                       "——", NULL};
    size_t k, cut = (size_t)-1;
    if (h1 && xstr_nchars(h1, strlen(h1)) >= 4 && (!t || !*t || strstr(t, h1)))
        return h1;
    if (!t || !*t)
        return h1 && *h1 ? h1 : NULL;
    for (k = 0; seps[k]; k++) {
        const char *p = strstr(t, seps[k]);
        if (p && (size_t)(p - t) < cut)
            cut = (size_t)(p - t);
    }
    if (cut != (size_t)-1) {
        char c = t[cut];
        t[cut] = 0;
        if (xstr_nchars(t, strlen(t)) >= 4) {
            size_t e = cut;
            while (e > 0 && t[e - 1] == ' ')
                t[--e] = 0;
            /* "Notice of Hearing | County" and <h1> "Notice of Hearing on
             * the Plan": the <h1> says more */
            return h1 && !strncmp(h1, t, strlen(t)) ? h1 : t;
        }
        t[cut] = c;
    }
    return t;
}

static void html_fields(xmlDocPtr d, struct xsrc *src, struct buf *text)
{
    struct hwalk h;
    const xmlNode *root = xmlDocGetRootElement(d), *body = NULL;
    int w;
    memset(&h, 0, sizeof h);
    h.src = src;
    if (!root)
        return;
    html_scan(&h, root, 0);
    if ((h.title || h.h1) && src) {
        char *t = h.title ? node_text_dup(h.title, 1, 4000, 100) : NULL;
        char *h1 = h.h1 ? node_text_dup(h.h1, 1, 4000, 100) : NULL;
        const char *v = page_title(t, h1);
        if (v)
            xsrc_add(src, XK_KEY, "html:title", v, strlen(v));
        free(t);
        free(h1);
    }
    if (h.canon && src) {
        xmlChar *href = xmlGetProp(h.canon, (const xmlChar *)"href");
        if (href && strstr((const char *)href, "://"))
            xsrc_add(src, XK_KEY, "html:canonical", (const char *)href,
                     strlen((const char *)href));
        xmlFree(href);
    }
    /* the main content container, if one with real text exists */
    for (w = 0; main_words[w]; w++) {
        if (!h.main[w])
            continue;
        {
            struct buf b;
            buf_init(&b, XSRC_TEXT_MAX);
            node_text(h.main[w], 1, &b, 0, 0);
            if (b.len >= 100 || (w < 3 && b.len > 0)) {
                text_tidy(&b);
                buf_add(text, b.p, b.len);
                buf_release(&b);
                return;
            }
            buf_release(&b);
        }
    }
    for (body = root->children; body; body = body->next)
        if (name_is(body, "body"))
            break;
    node_text(body ? body : root, 1, text, 0, 0);
    text_tidy(text);
}

void markup_html_fields(void *doc, struct xsrc *src)
{
    html_fields(doc, src, &src->text);
}

void markup_html_text(const char *s, size_t n, struct buf *b,
                      struct xsrc *src)
{
    void *doc;
    struct xsrc tmp;
    if (markup_html(s, n, &doc))
        return;
    xsrc_init(&tmp);
    html_fields(doc, src ? src : &tmp, b);
    xsrc_release(&tmp);
    markup_free(doc);
}

/* ---- XML records and fields ----------------------------------------- */

int markup_xml_root_is(void *doc, const char *spec)
{
    xmlNode *root = xmlDocGetRootElement(doc), *c;
    const char *child = strchr(spec, '/');
    size_t nl = child ? (size_t)(child - spec) : strlen(spec);
    if (!root || strlen((const char *)root->name) != nl ||
        memcmp(root->name, spec, nl) != 0)
        return 0;
    if (!child)
        return 1;
    for (c = root->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, child + 1))
            return 1;
    return 0;
}

void **markup_xml_records(void *doc, const char *xpath, size_t *n)
{
    xmlNode *root = xmlDocGetRootElement(doc), *c;
    void **v = NULL;
    size_t cnt = 0, cap = 0;
    *n = 0;
    if (!root)
        return NULL;
    if (xpath) {
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
        xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression(
                                  (const xmlChar *)xpath, ctx) : NULL;
        if (o && o->type == XPATH_NODESET && o->nodesetval
            && o->nodesetval->nodeNr > 0) {
            int i;
            v = malloc((size_t)o->nodesetval->nodeNr * sizeof *v);
            for (i = 0; v && i < o->nodesetval->nodeNr; i++)
                v[cnt++] = o->nodesetval->nodeTab[i];
        }
        xmlXPathFreeObject(o);
        xmlXPathFreeContext(ctx);
        *n = cnt;
        return v;
    }
    {
        static const char *const rec[] = {
            "record", "item", "row", "doc", "document", "entry", NULL
        };
        int ok = 0, i;
        for (c = root->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            for (i = 0; rec[i]; i++)
                if (name_is(c, rec[i]))
                    break;
            if (!rec[i]) {
                ok = 0;
                break;
            }
            ok++;
        }
        if (ok < 2)
            return NULL;
        for (c = root->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (cnt == cap) {
                void **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
                if (!nv)
                    break;
                v = nv;
            }
            v[cnt++] = c;
        }
    }
    *n = cnt;
    return v;
}

static int has_elem_child(const xmlNode *n)
{
    for (n = n->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

static void xml_leaves(const xmlNode *n, struct xsrc *src, int depth,
                       size_t *budget)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || !*budget)
            continue;
        (*budget)--;
        if (!has_elem_child(n)) {
            if (!xsrc_get(src, XK_KEY, (const char *)n->name)) {
                char *t = node_text_dup(n, 0, 1 << 20, 0);
                if (t)
                    xsrc_add(src, XK_KEY, (const char *)n->name, t, strlen(t));
                free(t);
            }
        } else if (depth < 3) {
            xml_leaves(n->children, src, depth + 1, budget);
        }
    }
}

void markup_xml_fields(void *doc, void *node, struct xsrc *src)
{
    xmlNode *n = node ? node : xmlDocGetRootElement(doc);
    size_t budget = 2000;
    if (!n)
        return;
    src->doc = doc;
    src->node = n;
    xml_leaves(n->children, src, 1, &budget);
    xsrc_add(src, XK_KEY, "xml:root", (const char *)n->name,
             strlen((const char *)n->name));
}

char *markup_xpath(void *doc, void *node, const char *expr, int all)
{
    xmlXPathContextPtr ctx;
    xmlXPathObjectPtr o;
    char *r = NULL;
    if (!doc)
        return NULL;
    quiet_thread();
    ctx = xmlXPathNewContext(doc);
    if (!ctx)
        return NULL;
    ctx->node = node ? node : xmlDocGetRootElement(doc);
    o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    if (o) {
        if (o->type == XPATH_NODESET) {
            if (o->nodesetval && o->nodesetval->nodeNr > 0) {
                struct buf b;
                int i;
                buf_init(&b, XSRC_TEXT_MAX);
                /* all selected nodes, one per line (several 條文 ...) */
                for (i = 0; i < o->nodesetval->nodeNr && (all || i < 1);
                     i++) {
                    node_text(o->nodesetval->nodeTab[i], 0, &b, 0, 0);
                    if (b.len && b.p[b.len - 1] != '\n')
                        buf_addc(&b, '\n');
                }
                r = xstr_trim(b.p ? b.p : "", b.len);
                buf_release(&b);
            }
        } else {
            xmlChar *s = xmlXPathCastToString(o);
            if (s)
                r = xstr_trim((const char *)s, strlen((const char *)s));
            xmlFree(s);
        }
        xmlXPathFreeObject(o);
    }
    xmlXPathFreeContext(ctx);
    return r;
}

void markup_xml_text(void *doc, void *node, struct buf *b)
{
    xmlNode *n = node ? node : xmlDocGetRootElement(doc);
    if (!n)
        return;
    node_text(n, 0, b, 0, 0);
    text_tidy(b);
}
