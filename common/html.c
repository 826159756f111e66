/* html.c - HTML escaping and URL percent-encoding; see html.h. */
#include "common/html.h"
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seqlen(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len, i;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (n < len)
        return 0;
    for (i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && s[1] < 0xA0)
        return 0;
    if (c == 0xED && s[1] > 0x9F)
        return 0;
    if (c == 0xF0 && s[1] < 0x90)
        return 0;
    if (c == 0xF4 && s[1] > 0x8F)
        return 0;
    return len;
}

int html_escape(struct buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, k;
    const char *rep;
    if (!s)
        return 0;
    while (i < n) {
        unsigned char c = p[i];
        rep = NULL;
        k = 1;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                rep = "";
            } else if (c == 0x7F) {
                rep = "";
            } else if (c >= 0x80) {
                k = utf8_seqlen(p + i, n - i);
                if (k == 0) {
                    rep = "\xEF\xBF\xBD";
                    k = 1;
                }
            }
        }
        if (!rep) {
            i += k;
            run += k;
            continue;
        }
        if (run && buf_add(b, p + i - run, run) < 0)
            return -1;
        run = 0;
        if (buf_adds(b, rep) < 0)
            return -1;
        i += k;
    }
    if (run && buf_add(b, p + i - run, run) < 0)
        return -1;
    return 0;
}

int html_escapes(struct buf *b, const char *s)
{
    return s ? html_escape(b, s, strlen(s)) : 0;
}

int html_urlencode(struct buf *b, const char *s, size_t n, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    char esc[3];
    if (!s)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
            || c == '~' || (c && keep && strchr(keep, c))) {
            if (buf_addc(b, (char)c) < 0)
                return -1;
            continue;
        }
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        if (buf_add(b, esc, 3) < 0)
            return -1;
    }
    return 0;
}
