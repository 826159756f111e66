/* units.c - splitting a unit field into the units of a joint issue (units.h). */
#include "analysis/units.h"
#include <stdint.h>
#include <string.h>
#include "analysis/fold.h"

#define U_FSEMI "\xEF\xBC\x9B"  /* ； */
#define U_DUN "\xE3\x80\x81"    /* 、 */
#define U_FCOMMA "\xEF\xBC\x8C" /* ， */
#define U_FSPACE "\xE3\x80\x80" /* U+3000 */

static int at3(const char *s, size_t left, const char *what)
{
    return left >= 3 && !memcmp(s, what, 3);
}

/* Bytes of space (ASCII or U+3000) at s, else 0. */
static size_t space_at(const char *s, size_t left)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    return at3(s, left, U_FSPACE) ? 3 : 0;
}

/* Length of the separator at u[i] (0: none); prev is the last code point
 * before it that is not a space. */
static size_t sep_len(const char *u, size_t n, size_t i, uint32_t prev)
{
    size_t j = i, sl;
    int comma = 0;
    uint32_t next = 0;
    if (u[i] == ';')
        return 1;
    if (at3(u + i, n - i, U_FSEMI) || at3(u + i, n - i, U_DUN) ||
        at3(u + i, n - i, U_FCOMMA))
        return 3;
    if (!is_han(prev))
        return 0;
    /* spaces, or a comma with spaces around it, between two Han characters */
    for (;;) {
        if (j < n && (sl = space_at(u + j, n - j)))
            j += sl;
        else if (j < n && u[j] == ',' && !comma)
            comma = 1, j++;
        else
            break;
    }
    if (j == i || j >= n)
        return 0;
    utf8_dec((const unsigned char *)u + j, n - j, &next);
    return is_han(next) ? j - i : 0;
}

int ana_unit_next(const char *u, size_t n, size_t *at, size_t *b, size_t *e)
{
    while (*at < n) {
        size_t i = *at, sl = 0, cl;
        uint32_t cp = 0, prev = 0;
        /* the unit starts after any spaces */
        while (i < n && (sl = space_at(u + i, n - i)))
            i += sl;
        *b = i;
        *e = i;
        while (i < n && !(sl = sep_len(u, n, i, prev))) {
            cl = utf8_dec((const unsigned char *)u + i, n - i, &cp);
            i += cl;
            if (!space_at(u + i - cl, cl)) {
                prev = cp;
                *e = i; /* trailing spaces trimmed */
            }
        }
        *at = i < n ? i + sl : n;
        if (*e > *b)
            return 1;
    }
    return 0;
}
