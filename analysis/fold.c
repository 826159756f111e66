/* fold.c - the per-code-point folding table (see fold.h). ICU gives
 * NFKC_Casefold, OpenCC gives t2s; both are asked once per code point at
 * start-up and the answers kept, so folding a document is a table lookup
 * per character and offsets map one folded character to one original one.
 * Character-level t2s is deliberate: it is a normalisation applied the same
 * way to documents and queries, not a translation. */
#include "analysis/fold.h"
#include <opencc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#define FOLD_MAX FOLD_TAB_MAX /* the BMP and planes 1-2 (Ext-B..) */

struct fold_ent {
    uint32_t off;     /* into pool */
    uint8_t len;      /* bytes */
    uint8_t trad;     /* t2s changed it */
};

static struct fold_ent *tab;
const uint32_t *fold_one_tab; /* set once the tables are complete */
static char *pool;
static int fold_ok;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;
static char fold_msg[256];

size_t utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len, i;
    if (n == 0) {
        *cp = 0xFFFD;
        return 0;
    }
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF))) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return len;
}

size_t utf8_prev(const unsigned char *s, size_t i, uint32_t *cp)
{
    size_t j = i - 1, k = 0;
    while (j > 0 && k < 3 && (s[j] & 0xC0) == 0x80) {
        j--;
        k++;
    }
    if (utf8_dec(s + j, i - j, cp) != i - j) {
        *cp = 0xFFFD;
        return i - 1;
    }
    return j;
}

int digit_value(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    return -1;
}

int cn_digit_value(uint32_t cp)
{
    switch (cp) {
    case 0x3007: case 0x25CB: case 0x25EF: case 0x96F6: return 0; /* 〇 ○ ◯ 零 */
    case 0x4E00: return 1;
    case 0x4E8C: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    default: return -1;
    }
}

int is_hspace(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x3000 || cp == 0x202F ||
           (cp >= 0x2000 && cp <= 0x200B);
}


/* NFKC_Casefold of one code point into UTF-8; returns bytes (<= 18). */
static size_t nfkc_one(const UNormalizer2 *n2, uint32_t cp, char *out, size_t cap)
{
    UChar src[2], dst[32];
    int32_t slen = 0, dlen, olen = 0;
    UErrorCode st = U_ZERO_ERROR;
    U16_APPEND_UNSAFE(src, slen, cp);
    dlen = unorm2_normalize(n2, src, slen, dst, 32, &st);
    if (U_FAILURE(st))
        return utf8_enc(cp, out);
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap, &olen, dst, dlen, &st);
    if (U_FAILURE(st) || olen < 0 || (size_t)olen >= cap)
        return utf8_enc(cp, out);
    return (size_t)olen;
}

struct buf_like {
    char *p;
    size_t len, cap;
};

static int pool_add(struct buf_like *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1 << 20;
        char *np;
        while (nc < b->len + n + 1)
            nc *= 2;
        np = realloc(b->p, nc);
        if (!np)
            return -1;
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static void fold_build(void)
{
    struct buf_like pl = {0}, hanin = {0};
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *n2 = unorm2_getNFKCCasefoldInstance(&st);
    opencc_t oc;
    char tmp[64], *conv = NULL;
    uint32_t cp;
    size_t n;

    if (U_FAILURE(st)) {
        snprintf(fold_msg, sizeof fold_msg, "fold: icu nfkc_casefold: %s",
                 u_errorName(st));
        return;
    }
    tab = calloc(FOLD_MAX, sizeof *tab);
    if (!tab)
        goto oom;
    /* pass 1: NFKC_Casefold of every code point; collect the Han results
     * one per line for OpenCC */
    for (cp = 0; cp < FOLD_MAX; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            n = utf8_enc(0xFFFD, tmp);
        } else if (cp < 0x80) {
            tmp[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            n = 1;
        } else {
            n = nfkc_one(n2, cp, tmp, sizeof tmp);
        }
        if (n > 255)
            n = utf8_enc(cp, tmp);
        tab[cp].off = (uint32_t)pl.len;
        tab[cp].len = (uint8_t)n;
        if (pool_add(&pl, tmp, n) < 0)
            goto oom;
        if (is_han(cp)) {
            if (pool_add(&hanin, tmp, n) < 0 || pool_add(&hanin, "\n", 1) < 0)
                goto oom;
        }
    }
    /* pass 2: OpenCC t2s over the Han lines, character by character */
    oc = opencc_open("t2s.json");
    if (oc == (opencc_t)-1) {
        snprintf(fold_msg, sizeof fold_msg,
                 "fold: cannot open opencc 't2s.json': %s (install libopencc-data)",
                 opencc_error());
        goto fail;
    }
    hanin.p[hanin.len] = 0;
    conv = opencc_convert_utf8(oc, hanin.p, hanin.len);
    opencc_close(oc);
    if (!conv) {
        snprintf(fold_msg, sizeof fold_msg, "fold: opencc t2s failed: %s",
                 opencc_error());
        goto fail;
    }
    {
        const char *line = conv;
        for (cp = 0; cp < FOLD_MAX; cp++) {
            const char *nl;
            size_t ll;
            if (!is_han(cp))
                continue;
            nl = strchr(line, '\n');
            if (!nl)
                break;
            ll = (size_t)(nl - line);
            if (ll > 0 && ll < 255 &&
                (ll != tab[cp].len || memcmp(line, pl.p + tab[cp].off, ll))) {
                tab[cp].off = (uint32_t)pl.len;
                tab[cp].len = (uint8_t)ll;
                tab[cp].trad = 1;
                if (pool_add(&pl, line, ll) < 0)
                    goto oom;
            }
            line = nl + 1;
        }
    }
    opencc_convert_utf8_free(conv);
    conv = NULL;
    free(hanin.p);
    hanin.p = NULL;
    pool = pl.p;
    {   /* the one-code-point results, for fold_one() */
        uint32_t *one = malloc(FOLD_MAX * sizeof *one);
        if (!one)
            goto oom_pool;
        for (cp = 0; cp < FOLD_MAX; cp++) {
            uint32_t fc;
            const unsigned char *f = (const unsigned char *)pool + tab[cp].off;
            size_t l = tab[cp].len;
            one[cp] = l && utf8_dec(f, l, &fc) == l ? fc : FOLD_NOT_ONE;
        }
        fold_one_tab = one;
    }
    fold_ok = 1;
    return;
oom_pool:
    pool = NULL;
oom:
    snprintf(fold_msg, sizeof fold_msg, "fold: out of memory building tables");
fail:
    if (conv)
        opencc_convert_utf8_free(conv);
    free(hanin.p);
    free(pl.p);
    free(tab);
    tab = NULL;
}

int fold_init(struct err *e)
{
    pthread_once(&fold_once, fold_build);
    if (!fold_ok) {
        err_set(e, -1, "%s", fold_msg);
        return -1;
    }
    return 0;
}

const char *fold_cp(uint32_t cp, size_t *len)
{
    static __thread char one[4];
    if (cp < FOLD_MAX && tab) {
        *len = tab[cp].len;
        return pool + tab[cp].off;
    }
    *len = utf8_enc(cp, one);
    return one;
}

char *fold_str(const char *s, size_t len, size_t *outlen)
{
    size_t cap = len + len / 2 + 16, o = 0, i = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_dec((const unsigned char *)s + i, len - i, &cp), fl;
        const char *f = fold_cp(cp, &fl);
        i += n;
        if (o + fl + 1 > cap) {
            char *np;
            cap = cap * 2 + fl;
            np = realloc(out, cap);
            if (!np) {
                free(out);
                return NULL;
            }
            out = np;
        }
        memcpy(out + o, f, fl);
        o += fl;
    }
    out[o] = 0;
    if (outlen)
        *outlen = o;
    return out;
}

void fold_count_trad(const char *s, size_t len, size_t *han, size_t *trad)
{
    size_t i = 0, h = 0, t = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_dec((const unsigned char *)s + i, len - i, &cp);
        if (is_han(cp)) {
            h++;
            if (tab && cp < FOLD_MAX && tab[cp].trad)
                t++;
        }
    }
    *han = h;
    *trad = t;
}
