/* docbuild.c - record -> Xapian document (see docbuild.h and the schema in
 * shim/xs.h). The body layer holds the title, the document number and the
 * unit too, so a title match is also a body match and the S (title) terms
 * only add rank. */
#include "indexer/docbuild.h"
#include "analysis/docno.h"
#include "analysis/fold.h"
#include "analysis/units.h"
#include "common/buf.h"
#include "common/hash.h"
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define TITLE_WDF 1

/* Positionless terms repeat a lot (each character, each word): sum their
 * wdf in a small hash first and hand Xapian each term once, which halves
 * the work of Xapian's per-document term map. */
struct wdf_ent {
    uint32_t tok;       /* index of the first token with this term */
    uint32_t wdf;
};

/* Count token i of a in the open-addressing table tab (nslots, a power of
 * two, more than the tokens): the first token of its kind and text, and
 * how many there are. */
static void count_tok(struct wdf_ent *tab, size_t nslots, const struct ana *a,
                      size_t i, size_t *used)
{
    const struct ana_tok *k = &a->toks[i];
    size_t j = (size_t)fnv1a64(ana_term(a, k), k->len) ^ k->kind;
    for (j &= nslots - 1;; j = (j + 1) & (nslots - 1)) {
        const struct ana_tok *o;
        if (!tab[j].wdf) {
            tab[j].tok = (uint32_t)i;
            tab[j].wdf = 1;
            (*used)++;
            return;
        }
        o = &a->toks[tab[j].tok];
        if (o->kind == k->kind && o->len == k->len &&
            !memcmp(ana_term(a, o), ana_term(a, k), k->len)) {
            tab[j].wdf++;
            return;
        }
    }
}

/* A word worth suggesting as a spelling: 3 to 24 letters a-z. */
static int spell_word(const char *w, size_t n)
{
    size_t i;
    if (n < 3 || n > 24)
        return 0;
    for (i = 0; i < n; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    return 1;
}

/* Add the analyzer's tokens to d with field prefix fp (the body's Latin
 * words, fp "", also to the spelling table). */
static int add_tokens(xs_doc *d, const struct ana *a, const char *fp,
                      struct err *e)
{
    size_t i, nslots = 64, used = 0;
    char t[XS_MAX_TERM + 8];
    xs_err xe;
    struct wdf_ent *tab;
    while (nslots < a->n * 2 + 2)
        nslots *= 2;
    tab = malloc(nslots * sizeof *tab);
    if (!tab) {
        err_set(e, -1, "index: out of memory");
        return -1;
    }
    for (i = 0; i < nslots; i++)
        tab[i].wdf = 0;
    for (i = 0; i < a->n; i++) {
        const struct ana_tok *k = &a->toks[i];
        size_t tl;
        if (k->positional) {
            tl = ana_make_term(t, sizeof t, fp, k->kind, ana_term(a, k), k->len);
            if (tl && xs_doc_posting(d, t, tl, k->pos, 1, &xe) != XS_OK)
                goto xfail;
            /* the body's English words are counted for the spelling table */
            if (!*fp && k->kind == ANA_LATIN && spell_word(ana_term(a, k), k->len))
                count_tok(tab, nslots, a, i, &used);
        } else {
            count_tok(tab, nslots, a, i, &used);
        }
    }
    for (i = 0; i < nslots && used; i++) {
        const struct ana_tok *k;
        size_t tl;
        if (!tab[i].wdf)
            continue;
        k = &a->toks[tab[i].tok];
        if (k->positional) { /* a word for the spelling table */
            if (xs_doc_spelling(d, ana_term(a, k), k->len, tab[i].wdf, &xe) != XS_OK)
                goto xfail;
            continue;
        }
        tl = ana_make_term(t, sizeof t, fp, k->kind, ana_term(a, k), k->len);
        if (tl && xs_doc_term(d, t, tl, tab[i].wdf, &xe) != XS_OK)
            goto xfail;
    }
    free(tab);
    return 0;
xfail:
    free(tab);
    err_set(e, -1, "index: cannot add term: %s", xe.msg);
    return -1;
}

static int add_bool(xs_doc *d, const char *prefix, const char *v, size_t len,
                    struct err *e)
{
    char *t = ana_bool_term(prefix, v, len);
    xs_err xe;
    int rc = 0;
    if (!t) {
        err_set(e, -1, "index: out of memory");
        return -1;
    }
    if (strlen(t) > strlen(prefix) + 1 &&
        xs_doc_term(d, t, strlen(t), 0, &xe) != XS_OK) {
        err_set(e, -1, "index: cannot add term: %s", xe.msg);
        rc = -1;
    }
    free(t);
    return rc;
}

static int is_sep_at(const char *s, size_t *cl)
{
    /* hierarchy separators: ＞ > \ / » */
    if (!strncmp(s, "\xEF\xBC\x9E", 3) || !strncmp(s, "\xC2\xBB", 2)) {
        *cl = (unsigned char)s[0] == 0xEF ? 3 : 2;
        return 1;
    }
    if (*s == '>' || *s == '\\' || *s == '/') {
        *cl = 1;
        return 1;
    }
    return 0;
}

/* XC: terms for every level of a category path and every segment. */
static int add_category(xs_doc *d, const char *c, struct err *e)
{
    size_t i = 0, seg = 0, n = strlen(c), cl = 0;
    if (add_bool(d, "XC", c, n, e) < 0)
        return -1;
    while (i <= n) {
        if (i == n || is_sep_at(c + i, &cl)) {
            if (i > seg && i < n) {
                if (add_bool(d, "XC", c, i, e) < 0)
                    return -1;
            }
            if (i > seg && add_bool(d, "XC", c + seg, i - seg, e) < 0)
                return -1;
            if (i == n)
                break;
            i += cl;
            seg = i;
        } else {
            i++;
        }
    }
    return 0;
}

/* XU: the whole unit, and each unit of a joint issue (analysis/units.h). */
static int add_unit(xs_doc *d, const char *u, struct err *e)
{
    size_t n = strlen(u), at = 0, b, end;
    if (add_bool(d, "XU", u, n, e) < 0)
        return -1;
    /* a lone unit gives the whole field's term again: no harm ("国务院;"
     * must still give 国务院) */
    while (ana_unit_next(u, n, &at, &b, &end))
        if (add_bool(d, "XU", u + b, end - b, e) < 0)
            return -1;
    return 0;
}

/* The stored data (shim/xs.h) of fields f (NULL = empty) and text t (tl
 * bytes): the fields line, the text's first DD_HEAD bytes (whole
 * characters) as they are, then zlib of the rest. malloc'd; NULL when out
 * of memory. */
char *docdata_pack(const char *const f[DD_NFIELDS], const char *t, size_t tl,
                   size_t *outlen)
{
    struct buf b;
    size_t k, i, hl = tl;
    int bad = 0;
    if (hl > DD_HEAD) { /* cut before a continuation byte, not inside */
        hl = DD_HEAD;
        while (hl > 0 && ((unsigned char)t[hl] & 0xC0) == 0x80)
            hl--;
    }
    buf_init(&b, 0);
    bad |= buf_addc(&b, DD_RECORD);
    for (k = 0; k < DD_NFIELDS; k++) {
        if (k)
            bad |= buf_addc(&b, DD_SEP);
        for (i = 0; f[k] && f[k][i]; i++) {
            char c = f[k][i];
            bad |= buf_addc(&b, c == DD_SEP || c == DD_RECORD || c == '\n' ||
                                        c == '\r' ? ' ' : c);
        }
    }
    bad |= buf_printf(&b, "%c%zu\n", DD_SEP, hl);
    bad |= buf_add(&b, t, hl);
    if (!bad && tl > hl) {
        /* level 5: 1.6x the speed of 6 for 1% more bytes (measured on the
         * shared corpus); 9 gains nothing */
        uLongf zl = compressBound((uLong)(tl - hl));
        size_t at = b.len;
        bad |= buf_reserve(&b, zl + 1);
        if (!bad && compress2((Bytef *)b.p + at, &zl, (const Bytef *)t + hl,
                              (uLong)(tl - hl), 5) != Z_OK)
            bad = -1;
        if (!bad) {
            b.len = at + zl;
            b.p[b.len] = 0;
        }
    }
    if (bad) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, outlen);
}

static int set_data(xs_doc *d, const struct rec *r, const char *id,
                    const char *relpath, struct err *e)
{
    char year[16], *data;
    const char *f[DD_NFIELDS];
    size_t dl;
    xs_err xe;
    int rc = 0;
    snprintf(year, sizeof year, "%d", r->year);
    f[DD_ID] = id;
    f[DD_TITLE] = r->title;
    f[DD_UNIT] = r->unit;
    f[DD_CATEGORY] = r->category;
    f[DD_DATE] = r->date;
    f[DD_YEAR] = r->year ? year : NULL;
    f[DD_DOCNO] = r->docno;
    f[DD_LANG] = r->lang;
    f[DD_URL] = r->url;
    f[DD_PATH] = relpath;
    data = docdata_pack(f, r->text ? r->text : "", r->text ? strlen(r->text) : 0, &dl);
    if (!data) {
        err_set(e, -1, "index: out of memory storing document data");
        return -1;
    }
    if (xs_doc_data(d, data, dl, &xe) != XS_OK) {
        err_set(e, -1, "index: %s", xe.msg);
        rc = -1;
    }
    free(data);
    return rc;
}

/* One spare inflate state per thread, reset for the next document instead
 * of a new one (7 KB of state and a 32 KB window) for every hit of every
 * result page; the thread's exit frees it. */
static pthread_key_t dd_spare_key;
static pthread_once_t dd_spare_once = PTHREAD_ONCE_INIT;
static int dd_spare_ok; /* the key exists (else every stream is new) */

static void dd_stream_free(void *p)
{
    if (p) {
        inflateEnd(p);
        free(p);
    }
}

static void dd_spare_init(void)
{
    dd_spare_ok = pthread_key_create(&dd_spare_key, dd_stream_free) == 0;
}

static z_stream *dd_stream(void)
{
    z_stream *zs;
    pthread_once(&dd_spare_once, dd_spare_init);
    zs = dd_spare_ok ? pthread_getspecific(dd_spare_key) : NULL;
    if (zs) {
        pthread_setspecific(dd_spare_key, NULL);
        if (inflateReset(zs) == Z_OK)
            return zs;
        dd_stream_free(zs);
    }
    zs = calloc(1, sizeof *zs);
    if (zs && inflateInit(zs) != Z_OK) {
        free(zs);
        zs = NULL;
    }
    return zs;
}

static void dd_stream_done(z_stream *zs)
{
    if (zs && dd_spare_ok && !pthread_getspecific(dd_spare_key) &&
        pthread_setspecific(dd_spare_key, zs) == 0)
        return;
    dd_stream_free(zs);
}

/* Inflates until d->n >= upto or the stream ends (d->complete). */
static int dd_inflate(struct docdata *d, size_t upto)
{
    z_stream *zs = d->zs;
    int rc;
    while (!d->complete && d->n < upto) {
        if (d->cap - d->n < 2) {
            size_t nc = d->cap * 2;
            char *np = realloc(d->buf, nc);
            if (!np)
                return -1;
            d->buf = np;
            d->cap = nc;
        }
        size_t room = d->cap - d->n - 1;
        if (room > upto - d->n)
            room = upto - d->n;
        if (room > UINT_MAX)
            room = UINT_MAX;
        zs->next_out = (Bytef *)d->buf + d->n;
        zs->avail_out = (uInt)room;
        rc = inflate(zs, Z_NO_FLUSH);
        d->n += room - zs->avail_out;
        if (rc == Z_STREAM_END) {
            d->complete = 1;
            break;
        }
        if (rc != Z_OK && !(rc == Z_BUF_ERROR && zs->avail_in))
            return -1;
    }
    d->buf[d->n] = 0;
    return 0;
}

/* d->text and d->textlen from what is inflated: whole characters only. */
static void dd_text(struct docdata *d)
{
    size_t n = d->n;
    if (!d->complete && n > d->toff) {
        size_t j = n - 1, cl;
        unsigned char c;
        while (j > d->toff && ((unsigned char)d->buf[j] & 0xC0) == 0x80)
            j--;
        c = (unsigned char)d->buf[j];
        cl = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (j + cl > n)
            n = j;
    }
    d->text = d->buf + d->toff;
    d->textlen = n > d->toff ? n - d->toff : 0;
}

static const char *const dd_names[DD_NFIELDS] = {
    "id", "title", "unit", "category", "date", "year", "docno", "lang", "url",
    "path"};

/* The fields of the line d->buf[0..n): the record, or the older JSON. */
static int dd_fields(struct docdata *d, size_t n)
{
    size_t k;
    if (n && d->buf[0] == DD_RECORD) {
        const char *p = d->buf + 1, *end = d->buf + n;
        for (k = 0; k < DD_NFIELDS; k++) {
            const char *sep = memchr(p, DD_SEP, (size_t)(end - p));
            d->f[k] = p;
            d->fl[k] = sep ? (size_t)(sep - p) : (size_t)(end - p);
            p = sep ? sep + 1 : end;
        }
        return 0;
    }
    if (!(d->js = json_loadb(d->buf, n, 0, NULL)) || !json_is_object(d->js))
        return -1;
    for (k = 0; k < DD_NFIELDS; k++) {
        json_t *v = json_object_get(d->js, dd_names[k]);
        if (json_is_string(v)) {
            d->f[k] = json_string_value(v);
            d->fl[k] = json_string_length(v);
        } else if (json_is_integer(v)) {
            snprintf(d->year, sizeof d->year, "%lld", (long long)json_integer_value(v));
            d->f[k] = d->year;
            d->fl[k] = strlen(d->year);
        }
    }
    return 0;
}

json_t *docdata_json(const struct docdata *d, int with_path)
{
    json_t *o = json_object();
    size_t k;
    for (k = 0; o && k < DD_NFIELDS; k++) {
        json_t *v;
        if (k == DD_PATH && !with_path)
            continue;
        if (!d->fl[k])
            v = json_null();
        else if (k == DD_YEAR)
            v = json_integer(atoi(d->f[k]));
        else
            v = json_stringn(d->f[k], d->fl[k]);
        json_object_set_new(o, dd_names[k], v ? v : json_null());
    }
    return o;
}

/* The stored data of docdata_pack: fields and head copied, the rest
 * inflated as far as max asks. */
static int docdata_open_packed(struct docdata *d, const char *data, size_t len,
                               size_t max)
{
    const char *nl = memchr(data, '\n', len), *hs;
    size_t fl, hl, head;
    char *end;
    if (!nl)
        return -1;
    fl = (size_t)(nl - data);
    /* the head's length: the line's last field */
    for (hs = nl; hs > data && hs[-1] != DD_SEP; hs--)
        ;
    if (hs == data || hs == nl || *hs < '0' || *hs > '9')
        return -1;
    hl = strtoul(hs, &end, 10);
    head = fl + 1 + hl;
    if (end != nl || hl > len - fl - 1)
        return -1;
    d->cap = head + 256 + (head < len ? (max == SIZE_MAX ? (len - head) * 4
                                        : max > head ? max - head : 0) : 0);
    if (!(d->buf = malloc(d->cap)))
        return -1;
    memcpy(d->buf, data, head);
    d->n = head;
    d->buf[d->n] = 0;
    d->toff = fl + 1;
    if (head == len) {
        d->complete = 1;
    } else {
        z_stream *zs = d->zs = dd_stream();
        if (!zs)
            return -1;
        zs->next_in = (Bytef *)data + head;
        zs->avail_in = (uInt)(len - head);
        inflateValidate(zs, max == SIZE_MAX);
        if (max > head && dd_inflate(d, max) < 0)
            return -1;
    }
    /* after inflating: the fields point into buf, which that may move */
    if (dd_fields(d, (size_t)(hs - 1 - data)) < 0)
        return -1;
    dd_text(d);
    return 0;
}

int docdata_open(struct docdata *d, const char *data, size_t len, size_t max)
{
    z_stream *zs;
    char *nl;
    memset(d, 0, sizeof *d);
    if (len && data[0] == DD_RECORD) {
        if (docdata_open_packed(d, data, len, max) == 0)
            return 0;
        docdata_close(d);
        return -1;
    }
    d->cap = len * 4 + 256;
    if (max != SIZE_MAX && d->cap > max + 256)
        d->cap = max + 256;
    if (!(d->zs = zs = dd_stream()) || !(d->buf = malloc(d->cap)))
        goto fail;
    zs->next_in = (Bytef *)data;
    zs->avail_in = (uInt)len;
    /* a piece (a result page) never reaches the check value at the end:
     * do not compute it; a whole read (SIZE_MAX) still checks it (a spare
     * stream keeps the setting: always set it) */
    inflateValidate(zs, max == SIZE_MAX);
    if (dd_inflate(d, max) < 0)
        goto fail;
    while (!(nl = memchr(d->buf, '\n', d->n)) && !d->complete)
        if (dd_inflate(d, d->n * 2 + 4096) < 0) /* long fields */
            goto fail;
    d->toff = nl ? (size_t)(nl + 1 - d->buf) : d->n;
    if (dd_fields(d, nl ? (size_t)(nl - d->buf) : d->n) < 0)
        goto fail;
    dd_text(d);
    return 0;
fail:
    docdata_close(d);
    return -1;
}

int docdata_more(struct docdata *d, size_t max)
{
    size_t upto = max == SIZE_MAX ? SIZE_MAX : d->toff + max;
    if (dd_inflate(d, upto) < 0)
        return -1;
    dd_text(d);
    return 0;
}

void docdata_close(struct docdata *d)
{
    dd_stream_done(d->zs);
    json_decref(d->js);
    free(d->buf);
    memset(d, 0, sizeof *d);
}

json_t *docdata_load(const char *data, size_t len, char **buf,
                     const char **text, size_t *textlen)
{
    struct docdata d;
    json_t *o;
    if (docdata_open(&d, data, len, SIZE_MAX) < 0)
        return NULL;
    o = docdata_json(&d, 1);
    if (text)
        *text = d.text;
    if (textlen)
        *textlen = d.textlen;
    *buf = d.buf;
    d.buf = NULL;
    docdata_close(&d);
    return o;
}

int docbuild(struct ana *a, const struct rec *r, const char *id,
             const char *relpath, const char *filestate, xs_doc **out,
             size_t *textbytes, struct err *e)
{
    xs_doc *d = NULL;
    xs_err xe;
    char t[XS_MAX_TERM + 8];
    size_t tl, textlen = r->text ? strlen(r->text) : 0;
    const char *title = r->title ? r->title : "";

    *out = NULL;
    if (textbytes)
        *textbytes = textlen;
    if (xs_doc_new(&d, &xe) != XS_OK) {
        err_set(e, -1, "index: %s", xe.msg);
        return -1;
    }
    /* body (with the title), then the title alone with prefix S */
    ana_reset(a);
    if (ana_text(a, title, strlen(title), 0, 0) < 0)
        goto oom;
    a->pos += 1;
    /* the document number's and the issuing unit's words are words of the
     * document too: EEO 317 or 示政办发 7号 finds the number, Bloomberg or
     * 金融監督管理委員會 the unit, where the text does not carry them */
    if (r->docno && *r->docno) {
        if (ana_text(a, r->docno, strlen(r->docno), 0, 0) < 0)
            goto oom;
        a->pos += 1;
    }
    if (r->unit && *r->unit) {
        if (ana_text(a, r->unit, strlen(r->unit), 0, 0) < 0)
            goto oom;
        a->pos += 1;
    }
    if (ana_text(a, r->text ? r->text : "", textlen, 0, 0) < 0)
        goto oom;
    if (add_tokens(d, a, "", e) < 0)
        goto fail;
    ana_reset(a);
    if (ana_text(a, title, strlen(title), 0, 0) < 0)
        goto oom;
    if (add_tokens(d, a, "S", e) < 0)
        goto fail;
    if (a->pos > 0) { /* the title's length: what a query of it covers */
        char tl_s[16];
        unsigned tlen = (unsigned)a->pos;
        /* nobody types the state's name: 国家赔偿 covers
         * 中华人民共和国国家赔偿法 as much as 國家賠償法, and 2019年政府工作报告
         * most of 2019年中华人民共和国国务院政府工作报告 */
        if (tlen > 7 && (strstr(title, "中华人民共和国") ||
                         strstr(title, "中華人民共和國")))
            tlen -= 7;
        snprintf(tl_s, sizeof tl_s, "%u", tlen);
        if (xs_doc_value(d, XS_SLOT_TITLELEN, tl_s, strlen(tl_s), &xe) != XS_OK)
            goto xfail;
    }

    tl = ana_id_term(id, t, sizeof t);
    if (!tl || xs_doc_term(d, t, tl, 0, &xe) != XS_OK)
        goto xfail;
    if (strlen(relpath) + 3 < XS_MAX_TERM) { /* the file, as written */
        snprintf(t, sizeof t, "XP:%s", relpath);
        if (xs_doc_term(d, t, strlen(t), 0, &xe) != XS_OK)
            goto xfail;
    }
    if (r->category && *r->category && add_category(d, r->category, e) < 0)
        goto fail;
    if (r->unit && *r->unit && add_unit(d, r->unit, e) < 0)
        goto fail;
    if (r->year > 0) {
        char y[16];
        snprintf(y, sizeof y, "%04d", r->year);
        if (add_bool(d, "XY", y, strlen(y), e) < 0 ||
            xs_doc_value(d, XS_SLOT_YEAR, y, strlen(y), &xe) != XS_OK)
            goto fail;
    }
    if (r->lang && *r->lang) {
        if (add_bool(d, "XL", r->lang, strlen(r->lang), e) < 0 ||
            xs_doc_value(d, XS_SLOT_LANG, r->lang, strlen(r->lang), &xe) != XS_OK)
            goto fail;
    }
    if (r->docno && *r->docno) {
        /* each number of a joint issue is its own key */
        size_t st[16], en[16], k, nn = docno_split(r->docno, strlen(r->docno), st, en, 16);
        for (k = 0; k < nn; k++) {
            char key[200];
            size_t kl = docno_norm(r->docno + st[k], en[k] - st[k], key, sizeof key);
            if (!kl)
                continue;
            snprintf(t, sizeof t, "XD:%s", key);
            if (xs_doc_term(d, t, strlen(t), 0, &xe) != XS_OK)
                goto xfail;
            snprintf(t, sizeof t, "ST%s", key);
            if (xs_doc_term(d, t, strlen(t), 1, &xe) != XS_OK)
                goto xfail;
            snprintf(t, sizeof t, "T%s", key);
            if (xs_doc_term(d, t, strlen(t), 1, &xe) != XS_OK)
                goto xfail;
        }
    }
    if (r->date && strlen(r->date) == 10) {
        char v[9];
        memcpy(v, r->date, 4);
        memcpy(v + 4, r->date + 5, 2);
        memcpy(v + 6, r->date + 8, 2);
        v[8] = 0;
        if (xs_doc_value(d, XS_SLOT_DATE, v, 8, &xe) != XS_OK ||
            xs_doc_value(d, XS_SLOT_DATEASC, v, 8, &xe) != XS_OK)
            goto xfail;
    } else if (xs_doc_value(d, XS_SLOT_DATEASC, "99999999", 8, &xe) != XS_OK) {
        goto xfail;
    }
    if (r->category && *r->category &&
        xs_doc_value(d, XS_SLOT_CATEGORY, r->category, strlen(r->category), &xe) != XS_OK)
        goto xfail;
    if (r->unit && *r->unit &&
        xs_doc_value(d, XS_SLOT_UNIT, r->unit, strlen(r->unit), &xe) != XS_OK)
        goto xfail;
    if (xs_doc_value(d, XS_SLOT_FILE, filestate, strlen(filestate), &xe) != XS_OK ||
        xs_doc_value(d, XS_SLOT_ID, id, strlen(id), &xe) != XS_OK)
        goto xfail;
    if (set_data(d, r, id, relpath, e) < 0)
        goto fail;
    *out = d;
    return 0;
oom:
    err_set(e, -1, "index: out of memory analysing the text");
    goto fail;
xfail:
    err_set(e, -1, "index: %s", xe.msg);
fail:
    xs_doc_free(d);
    return -1;
}
