/* date.c - dates as our documents write them, to (y, m, d): Chinese
 * 年月日 with Arabic, full-width or Chinese numerals, ROC (民國) years,
 * ISO and slash/dot forms, YYYYMMDD, English month names. date_parse reads
 * a whole field (metadata, searchd's from/to); date_find / date_find_last
 * look through running text, starting only at trigger bytes (digits,
 * capitals, 年) so that they stay linear. Called by the indexer and searchd. */
#include "analysis/date.h"
#include "analysis/fold.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- characters (decoding and digit values: fold.h) ---- */

static uint32_t peek(const unsigned char *s, size_t n, size_t i, size_t *l)
{
    uint32_t c = 0;
    *l = 0;
    if (i < n) *l = utf8_dec(s + i, n - i, &c);
    return c;
}

/* 〇○零 and the letter O some typists use in 二O一三 */
static int cn_zero(uint32_t c)
{
    return c == 0x3007 || c == 0x25CB || c == 0x96F6 || c == 0x25EF
           || c == 'O' || c == 'o' || c == 0xFF2F || c == 0xFF4F;
}

/* fold.h's Chinese digits plus 兩 and the Latin O */
static int cn_digit(uint32_t c)
{
    int v = cn_digit_value(c);
    if (v >= 0) return v;
    if (c == 0x5169) return 2;  /* 兩 */
    return cn_zero(c) ? 0 : -1;
}

#define CP_SHI 0x5341  /* 十 */
#define CP_BAI 0x767E  /* 百 */
#define CP_NIAN2 0x5EFF /* 廿 */
#define CP_SA 0x5345   /* 卅 */
#define CP_NIAN 0x5E74 /* 年 */
#define CP_YUE 0x6708  /* 月 */
#define CP_RI 0x65E5   /* 日 */

static int cn_num(uint32_t c)
{
    return cn_digit(c) >= 0 || c == CP_SHI || c == CP_BAI || c == CP_NIAN2 || c == CP_SA;
}

static int anyspace(uint32_t c)
{
    return is_hspace(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xFEFF;
}

static size_t skip_sp(const unsigned char *s, size_t n, size_t i)
{
    size_t l;
    while (i < n && is_hspace(peek(s, n, i, &l))) i += l;
    return i;
}

/* Back over the spaces ending at i, not below from. */
static size_t skip_sp_back(const unsigned char *s, size_t from, size_t i)
{
    uint32_t c;
    size_t at;
    while (i > from) {
        at = utf8_prev(s, i, &c);
        if (!is_hspace(c)) break;
        i = at;
    }
    return i;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int valid(int y, int m, int d)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 2999) return 0;
    if (m == 0) return d == 0;
    if (m < 1 || m > 12) return 0;
    if (d == 0) return 1;
    return d >= 1 && d <= dim[m - 1] + (m == 2 && leap(y));
}

/* ---- numbers ---- */

enum num_kind { NUM_NONE, NUM_ARABIC, NUM_CNDIGITS, NUM_CNVALUE };

/* A number at i: Arabic (ASCII/full-width) digits, Chinese digits read as a
 * digit string (二〇一三), or a Chinese numeral with 十/百 (三十一, 九十四,
 * 一百零二). *nd = characters read. Returns the end (i when none). */
static size_t read_num(const unsigned char *s, size_t n, size_t i, long *val,
                       size_t *nd, enum num_kind *kind)
{
    size_t j = i, l, cnt = 0, cn = 0;
    uint32_t c;
    int structured = 0, real_cn = 0;
    *val = 0;
    *nd = 0;
    *kind = NUM_NONE;
    while (cnt < 9) {
        c = peek(s, n, j, &l);
        if (!l || digit_value(c) < 0) break;
        if (*val < 100000000L) *val = *val * 10 + digit_value(c);
        cnt++;
        j += l;
    }
    if (cnt) {
        *nd = cnt;
        *kind = NUM_ARABIC;
        return j;
    }
    j = i;
    while (cn < 8) {
        c = peek(s, n, j, &l);
        if (!l || !cn_num(c)) break;
        if (c == CP_SHI || c == CP_BAI || c == CP_NIAN2 || c == CP_SA) structured = 1;
        if (!(c >= 'A' && c <= 'z') && c != 0xFF2F && c != 0xFF4F) real_cn = 1;
        cn++;
        j += l;
    }
    if (!cn || !real_cn) return i;
    /* a trailing Latin O is not part of the number */
    {
        uint32_t last;
        size_t at = utf8_prev(s, j, &last);
        if (last == 'O' || last == 'o') { j = at; cn--; }
    }
    *nd = cn;
    if (!structured) {
        size_t k = i;
        long v = 0;
        while (k < j) {
            c = peek(s, n, k, &l);
            v = v * 10 + cn_digit(c);
            k += l;
        }
        *val = v;
        *kind = NUM_CNDIGITS;
        return j;
    } else {
        long total = 0, cur = 0;
        size_t k = i;
        while (k < j) {
            c = peek(s, n, k, &l);
            k += l;
            if (c == CP_SHI) { total += (cur ? cur : 1) * 10; cur = 0; }
            else if (c == CP_BAI) { total += (cur ? cur : 1) * 100; cur = 0; }
            else if (c == CP_NIAN2) { total += 20; cur = 0; }
            else if (c == CP_SA) { total += 30; cur = 0; }
            else if (cn_zero(c)) cur = 0;
            else cur = cur * 10 + cn_digit(c);
        }
        *val = total + cur;
        *kind = NUM_CNVALUE;
        return j;
    }
}

/* A month or day number: 1-2 Arabic digits or a Chinese numeral. */
static size_t read_small(const unsigned char *s, size_t n, size_t i, int *v)
{
    long val;
    size_t nd;
    enum num_kind k;
    size_t j = read_num(s, n, i, &val, &nd, &k);
    if (k == NUM_NONE || nd > 3 || (k != NUM_CNVALUE && nd > 2) || val > 99) return 0;
    *v = (int)val;
    return j;
}

/* lo..hi Arabic digits at i into *v: the end, or 0. */
static size_t read_arabic(const unsigned char *s, size_t n, size_t i, size_t lo,
                          size_t hi, long *v)
{
    size_t nd;
    enum num_kind k;
    size_t j = read_num(s, n, i, v, &nd, &k);
    return k == NUM_ARABIC && nd >= lo && nd <= hi ? j : 0;
}

static int lit(const unsigned char *s, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i + l <= n && memcmp(s + i, w, l) == 0;
}

/* ---- Chinese: [中華民國] 2013 年 7 月 1 日 ---- */

enum { FULL = 1 };  /* want y, m and d */

static size_t parse_cn(const unsigned char *s, size_t n, size_t i, int want,
                       struct date *out)
{
    size_t j = i, nd, l;
    long val;
    enum num_kind k;
    int roc = 0, y, m = 0, d = 0;
    uint32_t c;
    if (lit(s, n, j, "中華民國") || lit(s, n, j, "中华民国")) { roc = 1; j += 12; }
    else if (lit(s, n, j, "民國") || lit(s, n, j, "民国")) { roc = 1; j += 6; }
    if (roc) j = skip_sp(s, n, j);
    j = read_num(s, n, j, &val, &nd, &k);
    if (k == NUM_NONE) return 0;
    if (roc) {
        if (val < 1 || val > 200) return 0;
        y = (int)val + 1911;
    } else if ((k == NUM_ARABIC || k == NUM_CNDIGITS) && nd == 4) {
        y = (int)val;
    } else if (k == NUM_ARABIC && (nd == 2 || nd == 3) && val >= 30 && val <= 150) {
        y = (int)val + 1911;    /* a bare ROC year (93年1月2日): full dates only */
        want = FULL;
    } else {
        return 0;
    }
    j = skip_sp(s, n, j);
    if (peek(s, n, j, &l) != CP_NIAN) return 0;
    j += l;
    {
        size_t e = skip_sp(s, n, j), e2;
        int mv = 0, dv = 0;
        e2 = read_small(s, n, e, &mv);
        if (e2) {
            e2 = skip_sp(s, n, e2);
            if (peek(s, n, e2, &l) == CP_YUE) {
                m = mv;
                j = e2 + l;
                e = skip_sp(s, n, j);
                e2 = read_small(s, n, e, &dv);
                if (e2) {
                    e2 = skip_sp(s, n, e2);
                    c = peek(s, n, e2, &l);
                    if (c == CP_RI || c == 0x53F7 || c == 0x865F) { /* 日 号 號 */
                        d = dv;
                        j = e2 + l;
                    }
                }
            }
        }
    }
    if (want == FULL && d == 0) return 0;
    if (!valid(y, m, d)) return 0;
    out->y = y;
    out->m = m;
    out->d = d;
    return j;
}

/* ---- numeric: 2019-03-14, 2019/3/14, 2019.3.14, 20190314 ---- */

static int sep_of(uint32_t c)
{
    switch (c) {
    case '-': case 0xFF0D: case 0x2010: case 0x2011: case 0x2013: return '-';
    case '/': case 0xFF0F: return '/';
    case '.': case 0xFF0E: return '.';
    default: return 0;
    }
}

/* The rest of an ISO timestamp after the date: [T| ]HH:MM[:SS[.f]][Z|±HH[:MM]] */
static size_t skip_time(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i, l, nd;
    long v;
    enum num_kind k;
    uint32_t c = peek(s, n, j, &l);
    if (c == 'T' || c == 't') j += l;
    else if (is_hspace(c)) j = skip_sp(s, n, j);
    else return i;
    j = read_arabic(s, n, j, 1, 2, &v);
    if (!j) return i;
    c = peek(s, n, j, &l);
    if (c != ':' && c != 0xFF1A) return i;
    j = read_arabic(s, n, j + l, 2, 2, &v);
    if (!j) return i;
    c = peek(s, n, j, &l);
    if (c == ':' || c == 0xFF1A) {
        j = read_arabic(s, n, j + l, 2, 2, &v);
        if (!j) return i;
        if (j < n && s[j] == '.') {
            size_t e = read_arabic(s, n, j + 1, 1, 9, &v);
            if (e) j = e;
        }
    }
    c = peek(s, n, j, &l);
    if (c == 'Z' || c == 'z') {
        j += l;
    } else if (c == '+' || c == '-') {
        size_t e = read_num(s, n, j + 1, &v, &nd, &k);
        if (k == NUM_ARABIC && (nd == 2 || nd == 4)) {
            j = e;
            if (nd == 2 && j < n && s[j] == ':') {
                e = read_arabic(s, n, j + 1, 2, 2, &v);
                if (e) j = e;
            }
        }
    }
    return j;
}

enum { NUM_FIND = 1 };

static size_t parse_numeric(const unsigned char *s, size_t n, size_t i, int mode,
                            struct date *out)
{
    size_t j, nd, l, e;
    long y, m, d;
    enum num_kind k;
    int sep, roc = 0;
    uint32_t c;
    j = read_num(s, n, i, &y, &nd, &k);
    if (k != NUM_ARABIC) return 0;
    if (nd == 8) {                       /* YYYYMMDD */
        if (mode == NUM_FIND) return 0;
        d = y % 100;
        m = y / 100 % 100;
        y /= 10000;
        if (!valid((int)y, (int)m, (int)d) || m == 0 || d == 0) return 0;
        out->y = (int)y; out->m = (int)m; out->d = (int)d;
        return j;
    }
    if (nd == 3 && mode != NUM_FIND && y >= 100 && y <= 150) {
        roc = 1;    /* a Taiwan site's date field: 112-05-03 is 2023-05-03 */
        y += 1911;
    } else if (nd != 4) {
        return 0;
    }
    c = peek(s, n, j, &l);
    sep = sep_of(c);
    if (!sep) {
        if (roc || mode == NUM_FIND || !valid((int)y, 0, 0)) return 0;
        out->y = (int)y; out->m = 0; out->d = 0;    /* a year alone */
        return j;
    }
    e = read_arabic(s, n, j + l, 1, 2, &m);
    if (!e) return 0;
    j = e;
    c = peek(s, n, j, &l);
    if (sep_of(c) != sep) {
        if (roc || mode == NUM_FIND || sep == '.' || !valid((int)y, (int)m, 0) || m == 0)
            return 0;
        out->y = (int)y; out->m = (int)m; out->d = 0;   /* 2019-03 */
        return j;
    }
    e = read_arabic(s, n, j + l, 1, 2, &d);
    if (!e) return 0;
    j = e;
    if (!valid((int)y, (int)m, (int)d) || m == 0 || d == 0) return 0;
    if (mode == NUM_FIND) {
        /* 2019.3.14.5 or 2019-03-145 is something else */
        c = peek(s, n, j, &l);
        if (sep_of(c) == sep && l && digit_value(peek(s, n, j + l, &e)) >= 0) return 0;
    } else {
        j = skip_time(s, n, j);
    }
    out->y = (int)y; out->m = (int)m; out->d = (int)d;
    return j;
}

/* ---- English: March 14, 2019 / 14 March 2019 / Mar. 14, 2019 ---- */

static int is_alpha(unsigned char b)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

/* A month name at i (full, 3-letter or Sept, any case, optional '.');
 * returns the end and *m, or 0. */
static size_t read_month(const unsigned char *s, size_t n, size_t i, int *m)
{
    static const char *names[12] = {"january", "february", "march", "april", "may",
                                     "june", "july", "august", "september",
                                     "october", "november", "december"};
    char w[12];
    size_t j = i, l = 0;
    int k;
    while (j < n && is_alpha(s[j])) {
        if (l >= sizeof w - 1) return 0;
        w[l++] = (char)(s[j] | 0x20);
        j++;
    }
    w[l] = 0;
    if (l < 3) return 0;
    for (k = 0; k < 12; k++) {
        if (strcmp(w, names[k]) == 0 || (l == 3 && strncmp(w, names[k], 3) == 0)
            || (k == 8 && strcmp(w, "sept") == 0))
            break;
    }
    if (k == 12) return 0;
    if (l < strlen(names[k]) && j < n && s[j] == '.') j++;
    *m = k + 1;
    return j;
}

static size_t read_year4(const unsigned char *s, size_t n, size_t i, int *y)
{
    long v;
    size_t j = read_arabic(s, n, i, 4, 4, &v);
    if (!j) return 0;
    *y = (int)v;
    return j;
}

/* day with an optional st/nd/rd/th */
static size_t read_day(const unsigned char *s, size_t n, size_t i, int *d)
{
    long v;
    size_t j = read_arabic(s, n, i, 1, 2, &v);
    if (!j) return 0;
    if (j + 1 < n && (lit(s, n, j, "st") || lit(s, n, j, "nd") || lit(s, n, j, "rd")
                      || lit(s, n, j, "th"))
        && !(j + 2 < n && is_alpha(s[j + 2])))
        j += 2;
    *d = (int)v;
    return j;
}

static size_t skip_comma_sp(const unsigned char *s, size_t n, size_t i, int *any)
{
    size_t j = skip_sp(s, n, i);
    if (j < n && s[j] == ',') j = skip_sp(s, n, j + 1);
    *any = j > i;
    return j;
}

/* Month D, YYYY (or Month YYYY when !full) starting with the month name */
static size_t parse_en_month_first(const unsigned char *s, size_t n, size_t i,
                                   int want, struct date *out)
{
    int m, d = 0, y, any;
    size_t j = read_month(s, n, i, &m), e;
    if (!j) return 0;
    j = skip_comma_sp(s, n, j, &any);
    if (!any) return 0;
    e = read_day(s, n, j, &d);
    if (e) {
        size_t e2 = skip_comma_sp(s, n, e, &any);
        if (any && (e2 = read_year4(s, n, e2, &y)) != 0) {
            j = e2;
        } else {
            d = 0;
            e = 0;
        }
    }
    if (!e) {
        d = 0;
        if (want == FULL) return 0;
        j = read_year4(s, n, j, &y);
        if (!j) return 0;
    }
    if (!valid(y, m, d)) return 0;
    out->y = y; out->m = m; out->d = d;
    return j;
}

/* 14 March 2019 */
static size_t parse_en_day_first(const unsigned char *s, size_t n, size_t i,
                                 struct date *out)
{
    int m, d, y, any;
    size_t j = read_day(s, n, i, &d);
    if (!j) return 0;
    j = skip_sp(s, n, j);
    j = read_month(s, n, j, &m);
    if (!j) return 0;
    j = skip_comma_sp(s, n, j, &any);
    if (!any) return 0;
    j = read_year4(s, n, j, &y);
    if (!j || !valid(y, m, d) || d == 0) return 0;
    out->y = y; out->m = m; out->d = d;
    return j;
}

/* ---- the API ---- */

int date_parse(const char *str, size_t len, struct date *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, j, l, e = len;
    struct date d = {0, 0, 0};
    if (!str || !out) return -1;
    while (i < len && anyspace(peek(s, len, i, &l))) i += l;
    while (e > i) {
        uint32_t c;
        size_t at = utf8_prev(s, e, &c);
        if (!anyspace(c)) break;
        e = at;
    }
    if (i >= e) return -1;
    if ((j = parse_cn(s, e, i, 0, &d)) == e || (j = parse_numeric(s, e, i, 0, &d)) == e
        || (j = parse_en_month_first(s, e, i, 0, &d)) == e
        || (j = parse_en_day_first(s, e, i, &d)) == e) {
        *out = d;
        return 0;
    }
    return -1;
}

static int alnum_before(const unsigned char *s, size_t i)
{
    uint32_t c;
    if (i == 0) return 0;
    utf8_prev(s, i, &c);
    return (c < 0x80 && (is_alpha((unsigned char)c) || (c >= '0' && c <= '9')))
           || digit_value(c) >= 0;
}

/* The first full date starting at or after from. */
static int find_from(const unsigned char *s, size_t n, size_t from, struct date *out,
                     size_t *start, size_t *end)
{
    size_t i = from;
    struct date d = {0, 0, 0};
    while (i < n) {
        unsigned char b = s[i];
        size_t st = i, en = 0;
        if (b < 0x80) {
            if (b >= '0' && b <= '9') {
                if (!alnum_before(s, i)
                    && !(i > 0 && sep_of(s[i - 1]) && i > 1 && s[i - 2] >= '0'
                         && s[i - 2] <= '9')) {
                    en = parse_numeric(s, n, i, NUM_FIND, &d);
                    if (!en) en = parse_en_day_first(s, n, i, &d);
                    if (en && en < n && s[en] >= '0' && s[en] <= '9') en = 0;
                }
                if (!en) {
                    while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') i++;
                }
            } else if (b >= 'A' && b <= 'Z') {
                if (!(i > 0 && is_alpha(s[i - 1]))) en = parse_en_month_first(s, n, i, FULL, &d);
                if (!en) {
                    while (i + 1 < n && is_alpha(s[i + 1])) i++;
                }
            }
        } else if (b == 0xEF && i + 2 < n && s[i + 1] == 0xBC && s[i + 2] >= 0x90
                   && s[i + 2] <= 0x99 && !alnum_before(s, i)) {
            en = parse_numeric(s, n, i, NUM_FIND, &d);     /* full-width ISO */
        } else if (b == 0xE5 && i + 2 < n && s[i + 1] == 0xB9 && s[i + 2] == 0xB4) {
            /* 年: walk back over spaces, the year's numerals and 民國 */
            size_t j = i, at, cnt = 0, cand[2];
            int nc = 0, t;
            j = skip_sp_back(s, from, j);
            while (j > from && cnt < 9) {
                uint32_t c;
                at = utf8_prev(s, j, &c);
                if (at < from || (digit_value(c) < 0 && !cn_num(c))) break;
                j = at;
                cnt++;
                if (cnt == 4) cand[1] = j;
            }
            if (cnt) {
                size_t k = j;
                cand[0] = j;
                nc = cnt > 4 ? 2 : 1;
                k = skip_sp_back(s, from, k);
                if (k >= from + 6 && (lit(s, n, k - 6, "民國") || lit(s, n, k - 6, "民国"))) {
                    k -= 6;
                    if (k >= from + 6
                        && (lit(s, n, k - 6, "中華") || lit(s, n, k - 6, "中华")))
                        k -= 6;
                    cand[0] = k;
                }
            }
            for (t = 0; t < nc && !en; t++) {
                st = cand[t];
                en = parse_cn(s, n, st, FULL, &d);
            }
        }
        if (en) {
            *out = d;
            *start = st;
            *end = en;
            return 0;
        }
        i++;
    }
    return -1;
}

int date_find(const char *s, size_t len, struct date *out, size_t *start, size_t *end)
{
    size_t st, en;
    struct date d;
    if (!s) return -1;
    if (find_from((const unsigned char *)s, len, 0, &d, &st, &en) < 0) return -1;
    if (out) *out = d;
    if (start) *start = st;
    if (end) *end = en;
    return 0;
}

int date_find_last(const char *s, size_t len, struct date *out, size_t *start,
                   size_t *end)
{
    size_t st, en, from = 0, lst = 0, len_ = 0;
    struct date d, last = {0, 0, 0};
    int found = 0;
    if (!s) return -1;
    while (from < len && find_from((const unsigned char *)s, len, from, &d, &st, &en) == 0) {
        last = d;
        lst = st;
        len_ = en;
        found = 1;
        from = en;
    }
    if (!found) return -1;
    if (out) *out = last;
    if (start) *start = lst;
    if (end) *end = len_;
    return 0;
}

void date_format(const struct date *d, char out[11])
{
    int y = d->y < 0 ? 0 : d->y > 9999 ? 9999 : d->y;
    int m = d->m < 0 ? 0 : d->m > 99 ? 99 : d->m;
    int dd = d->d < 0 ? 0 : d->d > 99 ? 99 : d->d;
    if (m == 0) snprintf(out, 11, "%04d", y);
    else if (dd == 0) snprintf(out, 11, "%04d-%02d", y, m);
    else snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
}
