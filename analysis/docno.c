/* docno.c - document numbers: the canonical key (docno_norm), finding them
 * in running text (docno_scan), splitting joint fields (docno_split) and
 * the year they carry (docno_year). Called by the indexer's metadata
 * extraction and by searchd (lookup, docno:). The scanner looks only at a
 * few trigger characters (brackets, 字第, 令, 'F', digits after a word
 * boundary) and tries a pattern there, so it stays linear in the text. */
#include "analysis/docno.h"
#include "analysis/fold.h"

#include <stdint.h>
#include <string.h>

#define DOCNO_MAX_IN 300    /* longer input is no document number */
#define DOCNO_MAX_OUT 80    /* nor is a longer key */
#define ORGAN_MAX 8         /* Han characters before 〔 */
#define ORGAN_MAX_LING 20   /* ... before 令 (中华人民共和国公安部令) */
#define ORGAN_MAX_ZI 10     /* ... before 字第 */

/* ---- characters ---- */

/* Decoding, digit values and spaces come from fold.h (none of those needs
 * the fold tables, so the scanner works before fold_init). */

/* Han characters as organ names use them: not 〇 (a digit here) */
static int han(uint32_t c)
{
    return c != 0x3007 && is_han(c);
}

/* Chinese numeral characters, digits and 十百千 */
static int cn_num(uint32_t c)
{
    return cn_digit_value(c) >= 0 || c == 0x5341 || c == 0x767E || c == 0x5343;
}

static int alnum_cp(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A)
           || (c >= 0xFF41 && c <= 0xFF5A);
}

/* Every Unicode space (docno_norm drops them all). */
static int anyspace(uint32_t c)
{
    return is_hspace(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v'
           || c == 0x85 || c == 0x1680 || c == 0x2028 || c == 0x2029
           || c == 0x205F || c == 0xFEFF;
}

static int middot(uint32_t c)
{
    return c == 0xB7 || c == 0x2027 || c == 0x30FB || c == 0xFF65 || c == 0x2022
           || c == 0x2219;
}

static int open_br(uint32_t c)
{
    return c == 0x3014 || c == '[' || c == 0xFF08 || c == '(' || c == 0x3010
           || c == 0xFF3B || c == 0x3008 || c == 0xFF5B || c == '{' || c == 0x3016
           || c == 0x3018 || c == 0xFE5D || c == 0xFE59;
}

static int close_br(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == 0xFF09 || c == ')' || c == 0x3011
           || c == 0xFF3D || c == 0x3009 || c == 0xFF5D || c == '}' || c == 0x3017
           || c == 0x3019 || c == 0xFE5E || c == 0xFE5A;
}

#define CP_HAO 0x53F7   /* 号 */
#define CP_HAO_T 0x865F /* 號 */
#define CP_DI 0x7B2C    /* 第 */
#define CP_ZI 0x5B57    /* 字 */
#define CP_LING 0x4EE4  /* 令 */
#define CP_NIAN 0x5E74  /* 年 */

static int hao(uint32_t c) { return c == CP_HAO || c == CP_HAO_T; }

/* Han characters that end an organ abbreviation going backwards: function
 * words and the tail of a date or a title (…的通知, 根据, 按照, …日). */
static int organ_stop(uint32_t c)
{
    switch (c) {
    case 0x7684: /* 的 */ case 0x53CA: /* 及 */ case 0x4E0E: /* 与 */
    case 0x8207: /* 與 */ case 0x6216: /* 或 */ case 0x5728: /* 在 */
    case 0x5BF9: /* 对 */ case 0x5C0D: /* 對 */ case 0x5C06: /* 将 */
    case 0x5C07: /* 將 */ case 0x628A: /* 把 */ case 0x88AB: /* 被 */
    case 0x662F: /* 是 */ case 0x4E3A: /* 为 */ case 0x70BA: /* 為 */
    case 0x4E8E: /* 于 */ case 0x65BC: /* 於 */ case 0x636E: /* 据 */
    case 0x64DA: /* 據 */ case 0x7167: /* 照 */ case 0x89C1: /* 见 */
    case 0x898B: /* 見 */ case 0x7B49: /* 等 */ case 0x4E86: /* 了 */
    case 0x5373: /* 即 */ case 0x8BE5: /* 该 */ case 0x8A72: /* 該 */
    case 0x5176: /* 其 */ case 0x4E4B: /* 之 */ case 0x5E76: /* 并 */
    case 0x4E26: /* 並 */ case 0x65E5: /* 日 */ case 0x6708: /* 月 */
    case CP_NIAN: case 0x77E5: /* 知 */ case 0x6309: /* 按 */
    case 0x4F9D: /* 依 */ case 0x4ECE: /* 从 */ case 0x5F9E: /* 從 */
    case 0x5411: /* 向 */ case 0x7531: /* 由 */ case 0x8F6C: /* 转 */
    case 0x8F49: /* 轉 */ case 0x53F7: /* 号 */ case 0x865F: /* 號 */
    case 0x4EE5: /* 以 */ case 0x6B64: /* 此 */ case 0x5370: /* 印 */
    case 0x4E0D: /* 不 */ case 0x5B9E: /* 实 */ case 0x5BE6: /* 實 */
    case 0x5B9A: /* 定 */ case 0x5219: /* 则 */ case 0x5247: /* 則 */
    case 0x4F8B: /* 例 */ case 0x4F60: /* 你 */ case 0x6211: /* 我 */
        return 1;
    default:
        return 0;
    }
}

/* ---- the scanner ---- */

/* The shorter list for Taiwan's 字第 numbers, whose abbreviations use
 * almost any character (衛署照字, 工知字, 署授食字). */
static int organ_stop_tw(uint32_t c)
{
    switch (c) {
    case 0x7684: /* 的 */ case 0x53CA: /* 及 */ case 0x4E0E: /* 与 */
    case 0x8207: /* 與 */ case 0x6216: /* 或 */ case 0x65E5: /* 日 */
    case 0x6708: /* 月 */ case CP_NIAN: case 0x53F7: /* 号 */
    case 0x865F: /* 號 */ case 0x4F9D: /* 依 */ case 0x636E: /* 据 */
    case 0x64DA: /* 據 */ case 0x65BC: /* 於 */ case 0x4E8E: /* 于 */
    case 0x70BA: /* 為 */ case 0x4E3A: /* 为 */ case 0x4E4B: /* 之 */
    case 0x4E26: /* 並 */ case 0x5E76: /* 并 */ case 0x51FD: /* 函 */
    case 0x4EE5: /* 以 */ case 0x5728: /* 在 */ case 0x5C0D: /* 對 */
        return 1;
    default:
        return 0;
    }
}

/* Verbs ending in 发 (印发, 转发, 下发, 颁发) and 办法: the 发/法 is then not
 * part of an organ abbreviation. c is the character before b. */
static int organ_stop2(uint32_t c, uint32_t b)
{
    if (b == 0x53D1 || b == 0x767C)    /* 发 發 */
        return c == 0x5370 || c == 0x8F6C || c == 0x8F49 || c == 0x4E0B
               || c == 0x9881 || c == 0x9812;
    if (b == 0x6CD5) return c == 0x529E || c == 0x8FA6;   /* 办法 */
    return 0;
}

/* The last character of a unit's full name (办公厅, 人民政府, 科委, 总署):
 * an abbreviation that follows it is the number's organ part. */
static int unit_suffix(uint32_t c)
{
    return c == 0x5385 || c == 0x5EF3 || c == 0x5C40 || c == 0x59D4 || c == 0x5BA4
           || c == 0x5E9C || c == 0x7F72;     /* 厅 廳 局 委 室 府 署 */
}

enum organ_flags {
    ORG_DIGITS = 1 << 0, ORG_PARENS = 1 << 1, ORG_CUT = 1 << 2, ORG_TW = 1 << 3
};

/* Start of the organ abbreviation that ends at byte pos: at most maxhan Han
 * characters going back, never below lo, stopping at punctuation, spaces
 * and organ_stop() characters. *nhan = Han characters taken. */
static size_t organ_start(const unsigned char *s, size_t n, size_t lo,
                          size_t pos, size_t maxhan, int flags, size_t *nhan)
{
    size_t i = pos, start = pos, count = 0, digits = 0;
    while (i > lo) {
        uint32_t c;
        size_t at = utf8_prev(s, i, &c);
        if (at < lo) break;
        if (han(c)) {
            if (count > 0 && i == start && !(flags & ORG_TW)) {
                uint32_t b;
                size_t l = utf8_dec(s + i, n - i, &b);
                if (organ_stop2(c, b)) {    /* drop the 发 already taken */
                    start = i = i + l;
                    count--;
                    break;
                }
            }
            if ((flags & ORG_TW ? organ_stop_tw(c) : organ_stop(c)) || count >= maxhan)
                break;
            count++;
            i = at;
            start = i;
        } else if ((flags & ORG_DIGITS) && digit_value(c) >= 0 && digits < 2) {
            digits++;
            i = at;
        } else if ((flags & ORG_PARENS) && (c == ')' || c == 0xFF09)) {
            /* 臺教技(三)字: one or two characters in parentheses */
            size_t j = at, k = 0, found = 0;
            while (j > lo && k < 3) {
                uint32_t d;
                size_t at2 = utf8_prev(s, j, &d);
                if (at2 < lo) break;
                j = at2;
                if (d == '(' || d == 0xFF08) { found = k > 0; break; }
                if (!han(d) && digit_value(d) < 0) break;
                k++;
            }
            if (!found) break;
            i = j;
        } else {
            break;
        }
    }
    if ((flags & ORG_CUT) && count > 2) {
        /* 办公厅国办发 -> 国办发: cut after the last unit suffix that still
         * leaves two characters */
        size_t j = start, cut = start, after = 0;
        while (j < pos) {
            uint32_t c;
            size_t l = utf8_dec(s + j, n - j, &c);
            j += l;
            if (!han(c)) continue;
            after++;
            if (unit_suffix(c)) { cut = j; after = 0; }
        }
        if (cut != start && after >= 2) {
            size_t k;
            for (k = start; k < cut;) {
                uint32_t c;
                k += utf8_dec(s + k, n - k, &c);
                if (han(c)) count--;
            }
            start = cut;
        }
    }
    *nhan = count;
    return start;
}

/* The code point at i, or 0 at the end. */
static uint32_t cp_at(const unsigned char *s, size_t n, size_t i)
{
    uint32_t c = 0;
    if (i < n) utf8_dec(s + i, n - i, &c);
    return c;
}

static size_t skip_hspace(const unsigned char *s, size_t n, size_t i)
{
    while (i < n) {
        uint32_t c;
        size_t l = utf8_dec(s + i, n - i, &c);
        if (!is_hspace(c)) break;
        i += l;
    }
    return i;
}

/* A run of digits (ASCII or full-width) at i: count and value (capped). */
static size_t read_digits(const unsigned char *s, size_t n, size_t i,
                          size_t *ndig, long *val)
{
    *ndig = 0;
    *val = 0;
    while (i < n) {
        uint32_t c;
        size_t l = utf8_dec(s + i, n - i, &c);
        int d = digit_value(c);
        if (d < 0) break;
        if (*val < 100000000L) *val = *val * 10 + d;
        (*ndig)++;
        i += l;
    }
    return i;
}

/* A year as 4 digits or 4 Chinese digits (二〇一三), 1900-2100. Returns the
 * end, or 0. */
static size_t read_year(const unsigned char *s, size_t n, size_t i, int *year)
{
    size_t nd, j;
    long v;
    j = read_digits(s, n, i, &nd, &v);
    if (nd == 0) {
        v = 0;
        j = i;
        while (j < n && nd < 5) {
            uint32_t c;
            size_t l = utf8_dec(s + j, n - j, &c);
            int d = cn_digit_value(c);
            if (d < 0) break;
            v = v * 10 + d;
            nd++;
            j += l;
        }
    }
    if (nd != 4 || v < 1900 || v > 2100) return 0;
    *year = (int)v;
    return j;
}

/* The number after 〔year〕 / 第: 1-6 digits, or Chinese numerals when a 号
 * follows. Then an optional 号. Returns the end or 0. */
static size_t read_serial(const unsigned char *s, size_t n, size_t i, int need_hao)
{
    size_t nd, j, k;
    long v;
    uint32_t c;
    j = read_digits(s, n, i, &nd, &v);
    if (nd == 0) {
        j = i;
        while (j < n && nd < 7) {
            size_t l = utf8_dec(s + j, n - j, &c);
            if (!cn_num(c)) break;
            nd++;
            j += l;
        }
        if (nd == 0 || nd > 6) return 0;
        need_hao = 1;
    } else if (nd > 6) {
        return 0;
    }
    k = skip_hspace(s, n, j);
    if (k < n) {
        size_t l = utf8_dec(s + k, n - k, &c);
        if (hao(c)) return k + l;
    }
    return need_hao ? 0 : j;
}

/* 〔year〕 at i (any bracket variants); returns the end or 0. */
static size_t read_bracket_year(const unsigned char *s, size_t n, size_t i, int *yp)
{
    uint32_t c;
    size_t l;
    int y;
    if (i >= n) return 0;
    l = utf8_dec(s + i, n - i, &c);
    if (!open_br(c)) return 0;
    i = skip_hspace(s, n, i + l);
    i = read_year(s, n, i, &y);
    if (!i) return 0;
    i = skip_hspace(s, n, i);
    if (i >= n) return 0;
    l = utf8_dec(s + i, n - i, &c);
    if (!close_br(c)) return 0;
    if (yp) *yp = y;
    return i + l;
}

/* GB/T 9704: organ〔2013〕26号 with the bracket at pos. */
static int try_bracket(const unsigned char *s, size_t n, size_t lo, size_t pos,
                       size_t *st, size_t *en)
{
    size_t j = read_bracket_year(s, n, pos, NULL), nhan, start, maxhan = ORGAN_MAX;
    if (!j) return 0;
    j = skip_hspace(s, n, j);
    if (cp_at(s, n, j) == CP_DI) j = skip_hspace(s, n, j + 3);
    j = read_serial(s, n, j, 0);
    if (!j) return 0;
    if (pos > lo) {
        uint32_t c;
        utf8_prev(s, pos, &c);
        if (c == CP_LING) maxhan = ORGAN_MAX_LING;
    }
    start = organ_start(s, n, lo, pos, maxhan,
                        maxhan == ORGAN_MAX ? ORG_CUT : 0, &nhan);
    if (nhan < 2) return 0;
    *st = start;
    *en = j;
    return 1;
}

/* Taiwan: organ字第0930175242B號 with 字 at pos (第 follows). */
static int try_zidi(const unsigned char *s, size_t n, size_t lo, size_t pos,
                    size_t *st, size_t *en)
{
    size_t j = skip_hspace(s, n, pos + 6), k = 0, nd = 0, nhan, start;
    uint32_t c;
    while (j < n && k < 24) {
        size_t l = utf8_dec(s + j, n - j, &c);
        if (!alnum_cp(c) && c != '-') break;
        if (digit_value(c) >= 0) nd++;
        k++;
        j += l;
    }
    if (nd == 0) return 0;
    j = skip_hspace(s, n, j);
    if (j >= n) return 0;
    {
        size_t l = utf8_dec(s + j, n - j, &c);
        if (!hao(c)) return 0;
        j += l;
    }
    start = organ_start(s, n, lo, pos, ORGAN_MAX_ZI, ORG_DIGITS | ORG_PARENS | ORG_TW,
                        &nhan);
    if (nhan < 1) return 0;
    *st = start;
    *en = j;
    return 1;
}

/* 令 at pos: organ令第125号, organ令〔2011〕第5号, organ令2004年第15号, or
 * organ第15号令. */
static int try_ling(const unsigned char *s, size_t n, size_t lo, size_t pos,
                    size_t *st, size_t *en)
{
    size_t j = skip_hspace(s, n, pos + 3), nhan, start, at;
    uint32_t c;
    /* forward: 令 [〔year〕 | year年] 第 N 号 */
    if (j < n) {
        size_t k = read_bracket_year(s, n, j, NULL);
        int y;
        if (!k) {
            k = read_year(s, n, j, &y);
            if (k) {
                k = skip_hspace(s, n, k);
                if (cp_at(s, n, k) == CP_NIAN) k += 3;
                else k = 0;
            }
        }
        if (k) j = skip_hspace(s, n, k);
        if (cp_at(s, n, j) == CP_DI) {
            j = read_serial(s, n, skip_hspace(s, n, j + 3), 1);
            if (j) {    /* 国令第706号: one character is enough here */
                start = organ_start(s, n, lo, pos, ORGAN_MAX_LING, 0, &nhan);
                if (nhan >= 1) {
                    *st = start;
                    *en = j;
                    return 1;
                }
            }
        }
    }
    /* backward: 第 N 号 令 */
    if (pos <= lo) return 0;
    at = utf8_prev(s, pos, &c);
    if (!hao(c)) return 0;
    j = at;
    {
        size_t nd = 0;
        while (j > lo) {
            at = utf8_prev(s, j, &c);
            if (at < lo || (digit_value(c) < 0 && !cn_num(c))) break;
            nd++;
            j = at;
        }
        if (nd == 0 || nd > 6 || j <= lo) return 0;
    }
    at = utf8_prev(s, j, &c);
    if (c != CP_DI || at < lo) return 0;
    start = organ_start(s, n, lo, at, ORGAN_MAX_LING, 0, &nhan);
    if (nhan < 2) return 0;
    *st = start;
    *en = pos + 3;
    return 1;
}

static int is_alpha(unsigned char b)
{
    return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
}

static int is_alnum(unsigned char b)
{
    return is_alpha(b) || (b >= '0' && b <= '9');
}

/* FR Doc. E8-23178 / FR Doc. 2013-00734 / FR Doc No. ... at pos ('F'). */
static int try_fr(const unsigned char *s, size_t n, size_t pos, size_t *st, size_t *en)
{
    size_t j = pos, k;
    if (pos > 0 && is_alnum(s[pos - 1])) return 0;
    if (n - pos < 10 || memcmp(s + pos, "FR ", 3) != 0) return 0;
    j = pos + 3;
    if (memcmp(s + j, "Doc", 3) != 0 && memcmp(s + j, "DOC", 3) != 0) return 0;
    j += 3;
    if (j < n && s[j] == '.') j++;
    while (j < n && s[j] == ' ') j++;
    if (j + 2 < n && (s[j] == 'N' || s[j] == 'n') && s[j + 1] == 'o'
        && (s[j + 2] == '.' || s[j + 2] == ' ')) {
        j += 2;
        if (s[j] == '.') j++;
        while (j < n && s[j] == ' ') j++;
    }
    k = j;
    while (j < n && j - k < 2 && s[j] >= 'A' && s[j] <= 'Z') j++;
    k = j;
    while (j < n && s[j] >= '0' && s[j] <= '9' && j - k < 5) j++;
    if (j == k || j - k > 4 || j >= n || s[j] != '-') return 0;
    k = ++j;
    while (j < n && s[j] >= '0' && s[j] <= '9') j++;
    if (j == k || j - k > 6 || (j < n && is_alnum(s[j]))) return 0;
    *st = pos;
    *en = j;
    return 1;
}

/* NYC executive orders: 2015-EEO-87, 1978-EO-013 at pos (a digit). */
static int try_eo(const unsigned char *s, size_t n, size_t pos, size_t *st, size_t *en)
{
    size_t j = pos + 4, k;
    int i;
    if (pos > 0 && (is_alnum(s[pos - 1]) || s[pos - 1] == '-')) return 0;
    if (n - pos < 9) return 0;
    for (i = 0; i < 4; i++)
        if (s[pos + i] < '0' || s[pos + i] > '9') return 0;
    if (s[j++] != '-') return 0;
    if ((s[j] == 'E' || s[j] == 'e') && (s[j + 1] == 'E' || s[j + 1] == 'e')) j++;
    if (j + 2 >= n || (s[j] != 'E' && s[j] != 'e') || (s[j + 1] != 'O' && s[j + 1] != 'o')
        || s[j + 2] != '-')
        return 0;
    k = j += 3;
    while (j < n && s[j] >= '0' && s[j] <= '9') j++;
    if (j == k || j - k > 6) return 0;
    if (j + 1 < n && s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9') {
        k = ++j;                                    /* 2026-EEO-1.1 */
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        if (j - k > 3) return 0;
    }
    if (j < n && is_alnum(s[j])) return 0;
    *st = pos;
    *en = j;
    return 1;
}

size_t docno_scan(const char *text, size_t n, docno_cb cb, void *ctx)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, lo = 0, found = 0;
    while (i < n) {
        unsigned char b = s[i];
        size_t st = 0, en = 0;
        int hit = 0;
        if (b < 0x80) {
            if (b == '[' || b == '(') hit = try_bracket(s, n, lo, i, &st, &en);
            else if (b == 'F') hit = try_fr(s, n, i, &st, &en);
            else if (b >= '0' && b <= '9') {
                hit = try_eo(s, n, i, &st, &en);
                if (!hit) { /* skip the rest of the number */
                    while (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') i++;
                }
            } else if (is_alpha(b)) {
                while (i + 1 < n && is_alpha(s[i + 1]) && s[i + 1] != 'F') i++;
            }
        } else if (i + 2 < n) {
            unsigned char b1 = s[i + 1], b2 = s[i + 2];
            if (b == 0xE3 && b1 == 0x80 && (b2 == 0x94 || b2 == 0x90 || b2 == 0x88
                                            || b2 == 0x96 || b2 == 0x98))
                hit = try_bracket(s, n, lo, i, &st, &en);              /* 〔【〈〖〘 */
            else if (b == 0xEF && b1 == 0xBC && (b2 == 0x88 || b2 == 0xBB))
                hit = try_bracket(s, n, lo, i, &st, &en);              /* （［ */
            else if (b == 0xE5 && b1 == 0xAD && b2 == 0x97 && i + 5 < n
                     && s[i + 3] == 0xE7 && s[i + 4] == 0xAC && s[i + 5] == 0xAC)
                hit = try_zidi(s, n, lo, i, &st, &en);                 /* 字第 */
            else if (b == 0xE4 && b1 == 0xBB && b2 == 0xA4)
                hit = try_ling(s, n, lo, i, &st, &en);                 /* 令 */
        }
        if (hit && st >= lo && en > i) {
            found++;
            if (cb) cb(ctx, st, en);
            lo = i = en;
            continue;
        }
        i++;
        while (i < n && (s[i] & 0xC0) == 0x80) /* the rest of a character */
            i++;
    }
    return found;
}

/* ---- normalisation ---- */

/* Append cp (already folded) to out with the bracket/space mapping. */
static int norm_put(uint32_t c, char *out, size_t cap, size_t *o)
{
    char tmp[4];
    size_t l;
    if (anyspace(c) || middot(c)) return 0;
    if (open_br(c)) c = '(';
    else if (close_br(c)) c = ')';
    l = utf8_enc(c, tmp);
    if (*o + l >= cap) return -1;
    memcpy(out + *o, tmp, l);
    *o += l;
    return 0;
}

static int starts(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(p, lit, l) == 0;
}

/* Does the key carry Chinese numerals in a number's place: (二〇一三) or
 * 第五号? (k: the key before the trailing 号 is dropped) */
static int cn_number_ok(const char *k, size_t n)
{
    const unsigned char *s = (const unsigned char *)k;
    size_t i = 0;
    uint32_t prev = 0, c;
    while (i < n) {
        size_t l = utf8_dec(s + i, n - i, &c), j = i, cnt = 0;
        if (cn_num(c)) {
            uint32_t after = 0;
            while (j < n) {
                size_t l2 = utf8_dec(s + j, n - j, &after);
                if (!cn_num(after)) break;
                cnt++;
                j += l2;
            }
            if (j >= n) after = 0;
            if ((prev == '(' && after == ')' && cnt >= 4)
                || (prev == CP_DI && hao(after)))
                return 1;
            i = j;
            prev = 0;
            continue;
        }
        prev = c;
        i += l;
    }
    return 0;
}

/* The number as written without brackets (国办发2019年6号, 国办发2019 6号,
 * 公安部令2004年第15号): the key organ + year [年] [第] + serial becomes
 * organ(year)serial, as with brackets. Not a Taiwan 字第 number, whose
 * serial starts with its year (院臺秘字第1100012345). k[0..*n) is
 * rewritten in place (it has room: two bytes in, up to six out). */
static void norm_bare_year(char *k, size_t *n, size_t cap)
{
    const unsigned char *s = (const unsigned char *)k;
    size_t i = 0, nh = 0, j, d;
    uint32_t c = 0, last = 0;
    char tail[16];
    int year = 0;
    while (i < *n && s[i] >= 0xE0) {
        size_t l = utf8_dec(s + i, *n - i, &c);
        if (!han(c) || c == CP_ZI)
            break;
        last = c;
        nh++;
        i += l;
    }
    if (nh < 2 || i >= *n || c == CP_ZI || last == CP_DI || last == CP_NIAN)
        return;
    for (j = i; j < i + 4; j++) {
        if (j >= *n || s[j] < '0' || s[j] > '9')
            return;
        year = year * 10 + (s[j] - '0');
    }
    if (year < 1900 || year > 2100)
        return;
    if (cp_at(s, *n, j) == CP_NIAN) j += 3;
    if (cp_at(s, *n, j) == CP_DI) j += 3;
    for (d = 0; j + d < *n && s[j + d] >= '0' && s[j + d] <= '9'; d++)
        ;
    if (d < 1 || d > 6 || j + d != *n || i + 4 + 2 + d > cap)
        return;
    memcpy(tail, k + j, d);
    memmove(k + i + 1, k + i, 4); /* the year, after the bracket */
    k[i] = '(';
    k[i + 5] = ')';
    memcpy(k + i + 6, tail, d);
    *n = i + 6 + d;
}

int docno_key_gb(const char *key, size_t n)
{
    const unsigned char *s = (const unsigned char *)key;
    size_t i = 0, nh = 0, d = 0;
    uint32_t c;
    while (i < n && s[i] >= 0xE0) {
        i += utf8_dec(s + i, n - i, &c);
        if (!han(c))
            return 0;
        nh++;
    }
    if (nh < 2 || i + 6 > n || s[i] != '(' || s[i + 5] != ')')
        return 0;
    for (i += 6; i < n; i++, d++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return d >= 1 && d <= 6;
}

size_t docno_norm(const char *src, size_t len, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)src;
    char key[DOCNO_MAX_IN * 4 + 8];
    size_t i = 0, o = 0, p, k = 0;
    int has_digit = 0;
    if (!src || !out || cap == 0) return 0;
    out[0] = 0;
    if (len == 0 || len > DOCNO_MAX_IN) return 0;
    while (i < len) {
        uint32_t c;
        size_t l = utf8_dec(s + i, len - i, &c), fl, j = 0;
        const char *f;
        i += l;
        if (open_br(c) || close_br(c) || anyspace(c) || middot(c)) {
            if (norm_put(c, key, sizeof key, &o) < 0) return 0;
            continue;
        }
        f = fold_cp(c, &fl);
        while (j < fl) {
            uint32_t d;
            j += utf8_dec((const unsigned char *)f + j, fl - j, &d);
            if (norm_put(d, key, sizeof key, &o) < 0) return 0;
        }
    }
    key[o] = 0;
    /* "fr doc." / "fr doc no." prefix */
    p = 0;
    if (starts(key, o, "frdoc")) {
        p = 5;
        if (p < o && key[p] == '.') p++;
        if (starts(key + p, o - p, "no") && p + 2 < o
            && (key[p + 2] == '.' || (key[p + 2] >= '0' && key[p + 2] <= '9'))) {
            p += 2;
            if (key[p] == '.') p++;
        }
    }
    /* ")第" -> ")"; copy to out */
    for (i = p; i < o; i++) {
        if (key[i] == ')' && starts(key + i + 1, o - i - 1, "\xE7\xAC\xAC")) {
            key[k++] = ')';
            i += 3;
            continue;
        }
        if (key[i] >= '0' && key[i] <= '9') has_digit = 1;
        key[k++] = key[i];
    }
    o = k;
    if (!has_digit && !cn_number_ok(key, o)) return 0;
    if (o >= 3 && starts(key + o - 3, 3, "\xE5\x8F\xB7")) o -= 3;   /* 号 */
    norm_bare_year(key, &o, sizeof key);
    if (o == 0 || o > DOCNO_MAX_OUT || o >= cap) return 0;
    memcpy(out, key, o);
    out[o] = 0;
    return o;
}

size_t docno_split(const char *src, size_t len, size_t starts_[], size_t ends[],
                   size_t max)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, seg = 0, cnt = 0;
    if (!src) return 0;
    for (;;) {
        uint32_t c = 0;
        size_t l = 0;
        int sep = 1;
        if (i < len) {
            l = utf8_dec(s + i, len - i, &c);
            sep = c == 0x3001 || c == ';' || c == 0xFF1B || c == 0xFF0C || c == ','
                  || c == 0xFF64 || c == '\n';
        }
        if (sep) {
            size_t a = seg, b = i;
            /* trim spaces */
            while (a < b) {
                uint32_t d;
                size_t m = utf8_dec(s + a, len - a, &d);
                if (!anyspace(d)) break;
                a += m;
            }
            while (b > a) {
                uint32_t d;
                size_t at = utf8_prev(s, b, &d);
                if (!anyspace(d)) break;
                b = at;
            }
            if (b > a && cnt < max) {
                starts_[cnt] = a;
                ends[cnt] = b;
                cnt++;
            }
            if (i >= len) break;
            seg = i + l;
        }
        i += l;
    }
    return cnt;
}

int docno_year(const char *src, size_t len)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, nd;
    long v;
    uint32_t c;
    if (!src || len == 0) return 0;
    /* 字第 forms carry ROC years, never a Gregorian one */
    for (i = 0; i + 6 <= len; i++)
        if (memcmp(s + i, "\xE5\xAD\x97\xE7\xAC\xAC", 6) == 0) return 0;
    /* FR Doc. / EO: the 4 digits before the first dash */
    i = 0;
    if (len > 6 && memcmp(s, "FR Doc", 6) == 0) {
        i = 6;
        while (i < len && (s[i] == '.' || s[i] == ' ' || s[i] == 'N' || s[i] == 'o'))
            i++;
    }
    if (i < len && s[i] >= '0' && s[i] <= '9') {
        size_t j = read_digits(s, len, i, &nd, &v);
        if (nd == 4 && j < len && s[j] == '-' && v >= 1900 && v <= 2100) return (int)v;
    }
    /* a bracketed year, or N年 after 令/公告 */
    for (i = 0; i < len;) {
        int y;
        size_t j, l = utf8_dec(s + i, len - i, &c);
        if (open_br(c)) {
            if (read_bracket_year(s, len, i, &y)) return y;
        } else if ((digit_value(c) >= 0 || cn_digit_value(c) >= 0) && i > 0) {
            uint32_t p;
            utf8_prev(s, i, &p);
            if (p == CP_LING || (han(p) && digit_value(c) >= 0)) {
                j = read_year(s, len, i, &y);
                if (j) {
                    j = skip_hspace(s, len, j);
                    if (j + 3 <= len && memcmp(s + j, "\xE5\xB9\xB4", 3) == 0) return y;
                }
            }
        }
        i += l;
    }
    return 0;
}
