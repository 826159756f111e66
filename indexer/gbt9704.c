/* gbt9704.c - metadata from the text of a plain-text official document
 * laid out after GB/T 9704 (发文机关标志 banner, 发文字号 line, title lines,
 * signature and 成文日期 at the end), or an English one (first line is the
 * title, the first written date). Called by extract.c for .txt files and
 * as the fallback when nothing else names a field. */
#include "indexer/xsrc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "analysis/date.h"
#include "analysis/docno.h"

struct line {
    const char *p;
    size_t n;       /* trimmed */
};

/* Up to max lines of s: trimmed, empty ones dropped. */
static size_t get_lines(const char *s, size_t n, struct line *v, size_t max,
                        int from_end)
{
    size_t cnt = 0;
    if (!from_end) {
        size_t i = 0;
        while (i < n && cnt < max) {
            const char *nl = memchr(s + i, '\n', n - i);
            size_t e = nl ? (size_t)(nl - s) : n, b = i, k;
            while (b < e && (k = xstr_space((const unsigned char *)s + b,
                                            e - b)) > 0)
                b += k;
            while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\r'
                             || s[e - 1] == '\t'))
                e--;
            while (e >= b + 3 && (unsigned char)s[e - 3] == 0xe3
                   && (unsigned char)s[e - 2] == 0x80
                   && (unsigned char)s[e - 1] == 0x80)
                e -= 3;
            if (e > b) {
                v[cnt].p = s + b;
                v[cnt].n = e - b;
                cnt++;
            }
            i = (nl ? (size_t)(nl - s) : n) + 1;
        }
    } else {
        size_t e = n;
        while (e > 0 && cnt < max) {
            size_t b = e, le, k;
            while (b > 0 && s[b - 1] != '\n')
                b--;
            le = e;
            while (b < le && (k = xstr_space((const unsigned char *)s + b,
                                             le - b)) > 0)
                b += k;
            while (le > b && (s[le - 1] == ' ' || s[le - 1] == '\r'
                              || s[le - 1] == '\t'))
                le--;
            while (le >= b + 3 && (unsigned char)s[le - 3] == 0xe3
                   && (unsigned char)s[le - 2] == 0x80
                   && (unsigned char)s[le - 1] == 0x80)
                le -= 3;
            if (le > b) {
                v[cnt].p = s + b;
                v[cnt].n = le - b;
                cnt++;
            }
            while (b > 0 && s[b - 1] != '\n')
                b--; /* b back at the line start (trim moved it) */
            if (b == 0)
                break;
            e = b - 1;
        }
    }
    return cnt;
}

static int ends_with(const struct line *l, const char *suf)
{
    size_t k = strlen(suf);
    return l->n >= k && memcmp(l->p + l->n - k, suf, k) == 0;
}

static int has_any(const char *p, size_t n, const char *const *w)
{
    size_t i;
    for (i = 0; w[i]; i++) {
        size_t k = strlen(w[i]), j;
        for (j = 0; j + k <= n; j++)
            if (memcmp(p + j, w[i], k) == 0)
                return 1;
    }
    return 0;
}


static int is_cjk_start(const struct line *l)
{
    return l->n >= 3 && (unsigned char)l->p[0] >= 0xe4
           && (unsigned char)l->p[0] <= 0xe9;
}

struct dn {
    size_t s, e, cnt;
};

static void dn_cb(void *ctx, size_t start, size_t end)
{
    struct dn *d = ctx;
    if (!d->cnt) {
        d->s = start;
        d->e = end;
    }
    d->cnt++;
}

static const char *const punct[] = {
    "，", "。", "；", "：", ",", ";", ":", "、", "（", "(", "“", NULL
};

static const char *const title_ends[] = {
    "通知", "意见", "决定", "办法", "规定", "批复", "通报", "报告", "请示",
    "函", "公告", "通告", "决议", "命令", "纪要", "方案", "规划", "细则",
    "条例", "规则", "议案", "令", "公报", "指引", "标准", "要点", "计划",
    NULL
};

/* The value of a labelled line ("發文字號：院臺秘字第…號"): the label is one
 * of labs, then a colon (either width); *v is what follows, trimmed. */
static int labelled(const struct line *l, const char *const *labs,
                    struct line *v)
{
    size_t k;
    for (k = 0; labs[k]; k++) {
        size_t ll = strlen(labs[k]), i = ll;
        if (l->n <= ll || memcmp(l->p, labs[k], ll) != 0)
            continue;
        while (i < l->n && l->p[i] == ' ')
            i++;
        if (i + 3 <= l->n && !memcmp(l->p + i, "：", 3))
            i += 3;
        else if (i < l->n && l->p[i] == ':')
            i++;
        else
            continue;
        while (i < l->n && l->p[i] == ' ')
            i++;
        v->p = l->p + i;
        v->n = l->n - i;
        return v->n > 0;
    }
    return 0;
}

static const char *const lab_docno[] = {"發文字號", "发文字号", NULL};
static const char *const lab_subject[] = {"主旨", NULL};
static const char *const lab_day[] = {"發文日期", "发文日期", NULL};
/* what a Taiwan 公文 calls itself after the organ's name */
static const char *const tw_kinds[] = {"開會通知單", "书函", "書函", "函", "令",
                                       "公告", NULL};

/* The length of the kind a Taiwan 公文's organ line ("範例部　函") ends
 * with, else 0. */
static size_t tw_organ(const struct line *l)
{
    size_t k, kl;
    if (xstr_nchars(l->p, l->n) > 24 || has_any(l->p, l->n, punct))
        return 0;
    for (k = 0; tw_kinds[k]; k++)
        if (ends_with(l, tw_kinds[k])) {
            kl = strlen(tw_kinds[k]);
            return l->n >= kl + 6 ? kl : 0;
        }
    return 0;
}

/* A Taiwan 公文 (文書處理手冊 layout): "範例部 函" (after the 檔號 and
 * 保存年限 lines, when kept), then labelled lines (發文日期：, 發文字號：,
 * 主旨：). Its title is the organ and kind with the 主旨, as the Executive
 * Yuan gazette writes them ("…部令：核釋…"), its unit the organ, its date
 * the 發文日期. Nothing when the text is not laid out so. */
static void tw_letter(const struct line *head, size_t nh, struct xsrc *src)
{
    struct line subj = {0}, dn = {0}, day = {0}, org = {0};
    size_t i, kl = 0, sl;
    struct buf b;
    char *c;
    for (i = 0; i < nh && i < 4 && !kl; i++)
        if ((kl = tw_organ(&head[i])))
            org = head[i];
    if (!kl)
        return;
    for (; i < nh; i++) {
        if (!dn.n)
            labelled(&head[i], lab_docno, &dn);
        if (!day.n)
            labelled(&head[i], lab_day, &day);
        if (!subj.n)
            labelled(&head[i], lab_subject, &subj);
    }
    if (!subj.n)
        return;
    if (day.n) {
        struct date d;
        size_t ds, de;
        if (date_find(day.p, day.n, &d, &ds, &de) == 0 && d.m && d.d) {
            char out[11];
            date_format(&d, out);
            xsrc_add(src, XK_KEY, "gbt:date", out, strlen(out));
        }
    }
    /* a long 主旨: its first 600 bytes, whole characters */
    sl = subj.n;
    if (sl > 600) {
        sl = 600;
        while (sl > 0 && ((unsigned char)subj.p[sl] & 0xC0) == 0x80)
            sl--;
    }
    buf_init(&b, 0);
    /* "範例部　函": the name without the spaces before the kind */
    c = xstr_clean(org.p, org.n - kl);
    if (c) {
        xsrc_add(src, XK_KEY, "gbt:unit", c, strlen(c));
        buf_adds(&b, c);
        buf_add(&b, org.p + org.n - kl, kl);
        buf_adds(&b, "：");
        buf_add(&b, subj.p, sl);
        free(c);
        c = xstr_clean(b.p, b.len);
        if (c)
            xsrc_add(src, XK_KEY, "gbt:title", c, strlen(c));
        free(c);
    }
    buf_release(&b);
    if (dn.n) {
        struct dn d = {0, 0, 0};
        docno_scan(dn.p, dn.n, dn_cb, &d);
        if (d.cnt && (c = xstr_trim(dn.p + d.s, d.e - d.s)) != NULL) {
            xsrc_add(src, XK_KEY, "gbt:docno", c, strlen(c));
            free(c);
        }
    }
}

/* Does l begin with one of the words w (ASCII case ignored), followed by a
 * space or the line's end? The length matched, else 0. */
static size_t starts_word(const struct line *l, const char *const *w)
{
    size_t k;
    for (k = 0; w[k]; k++) {
        size_t wl = strlen(w[k]);
        if (l->n >= wl && !strncasecmp(l->p, w[k], wl) && (l->n == wl || l->p[wl] == ' '))
            return wl;
    }
    return 0;
}

/* No lower-case letter, and some upper-case ones. */
static int all_caps(const struct line *l)
{
    size_t i, up = 0;
    for (i = 0; i < l->n; i++) {
        if (islower((unsigned char)l->p[i]))
            return 0;
        up += isupper((unsigned char)l->p[i]) != 0;
    }
    return up > 0;
}

/* "EXECUTIVE ORDER NO. 7", "Public Notice 2021-07", "Proclamation No. 12":
 * a kind of act and its number, nothing else. */
static int en_number_line(const struct line *l)
{
    static const char *const kinds[] = {
        "emergency executive order", "executive order", "public notice", "notice",
        "proclamation", "resolution", "local law", "directive", "order",
        "memorandum", "circular", "bulletin", "ordinance", "decree", NULL};
    size_t i = starts_word(l, kinds), digits = 0;
    if (!i)
        return 0;
    while (i < l->n && l->p[i] == ' ')
        i++;
    if (i + 3 <= l->n && !strncasecmp(l->p + i, "no", 2) && (l->p[i + 2] == '.' || l->p[i + 2] == ' '))
        i += 3;
    else if (i < l->n && l->p[i] == '#')
        i++;
    while (i < l->n && l->p[i] == ' ')
        i++;
    if (i >= l->n || !isdigit((unsigned char)l->p[i]))
        return 0;
    for (; i < l->n; i++) {
        unsigned char c = (unsigned char)l->p[i];
        if (isdigit(c))
            digits++;
        else if (!(c == '-' || c == '.' || c == '/' || isupper(c)))
            return 0;
    }
    return digits > 0 && digits <= 12;
}

/* A line that is a date, perhaps with its weekday ("Monday, March 3,
 * 2020"). */
static int date_line(const struct line *l)
{
    struct date d;
    size_t ds, de;
    return date_find(l->p, l->n, &d, &ds, &de) == 0 && de - ds + 12 >= l->n;
}

/* The heading block of an English letterhead layout, its short lines before
 * the body: the jurisdiction ("THE CITY OF EXAMPLE"), the issuing unit
 * ("OFFICE OF THE MAYOR", "DEPARTMENT OF TRANSPORTATION"), the number
 * ("EXECUTIVE ORDER NO. 7"), the date, and the first other line, the title
 * (with the next line when both are in capitals). A press release's "FOR
 * IMMEDIATE RELEASE" is skipped. Fields only for what is there. */
static void en_heading(const struct line *head, size_t nh, struct xsrc *src)
{
    static const char *const places[] = {
        "the city of", "city of", "the county of", "county of", "state of",
        "the state of", "town of", "the town of", "village of", "commonwealth of",
        "the commonwealth of", "city and county of", NULL};
    static const char *const units[] = {
        "office of", "the office of", "department of", "the department of",
        "bureau of", "board of", "commission on", "commission of", "ministry of",
        "agency of", "division of", "mayor's office", "office of the", NULL};
    static const char *const boiler[] = {
        "for immediate release", "press release", "news release", "media advisory",
        "for release", NULL};
    size_t i;
    int seen_unit = 0, top = 1; /* top: only letterhead lines so far */
    for (i = 0; i < nh && i < 8; i++) {
        const struct line *l = &head[i];
        char *c;
        /* the body has begun: a long line, or a sentence */
        if (l->n > 160 || (l->n > 60 && l->p[l->n - 1] == '.' && !all_caps(l)))
            return;
        if (starts_word(l, boiler) || date_line(l)) {
            top = 0;
            continue; /* the caller finds the first date */
        }
        if (en_number_line(l)) {
            top = 0;
            if (!xsrc_get(src, XK_KEY, "gbt:docno") && (c = xstr_clean(l->p, l->n))) {
                xsrc_add(src, XK_KEY, "gbt:docno", c, strlen(c));
                free(c);
            }
            continue;
        }
        /* the jurisdiction and the office open the letterhead */
        if (top && starts_word(l, places) && all_caps(l) && l->n < 60)
            continue;
        if (top && starts_word(l, units) && l->n < 80) {
            if (!seen_unit++ && (c = xstr_clean(l->p, l->n))) {
                xsrc_add(src, XK_KEY, "gbt:unit", c, strlen(c));
                free(c);
            }
            continue;
        }
        /* the title */
        {
            struct buf b;
            buf_init(&b, 0);
            buf_add(&b, l->p, l->n);
            if (all_caps(l) && i + 1 < nh && all_caps(&head[i + 1]) && head[i + 1].n < 160 &&
                !en_number_line(&head[i + 1]) && !date_line(&head[i + 1]) &&
                (head[i + 1].p - (l->p + l->n)) <= 2) { /* the next line, no blank between */
                buf_addc(&b, ' ');
                buf_add(&b, head[i + 1].p, head[i + 1].n);
            }
            if ((c = xstr_clean(b.p, b.len))) {
                xsrc_add(src, XK_KEY, "gbt:title", c, strlen(c));
                free(c);
            }
            buf_release(&b);
        }
        return;
    }
}

void gbt_fields(const char *s, size_t n, struct xsrc *src)
{
    struct line head[16], tail[12];
    size_t nh, nt, i, t0 = 0, title_from = 0, nb;
    int han;
    struct buf b;
    nh = get_lines(s, n < 8192 ? n : 8192, head, 16, 0);
    if (nh == 0)
        return;
    han = 0;
    for (i = 0; i < nh && i < 6; i++)
        if (is_cjk_start(&head[i]))
            han++;
    buf_init(&b, 0);
    if (han)
        tw_letter(head, nh, src); /* its fields come first: they win */
    if (!han) {
        /* English: the letterhead's unit, number, date and title, else the
         * first line is the title; the first written date */
        char *t = NULL;
        struct date d;
        size_t ds, de;
        if (!src->html) /* a page's first lines are its menus */
            en_heading(head, nh, src);
        if (!xsrc_get(src, XK_KEY, "gbt:title") && (t = xstr_clean(head[0].p, head[0].n)))
            xsrc_add(src, XK_KEY, "gbt:title", t, strlen(t));
        free(t);
        if (date_find(s, n < 4096 ? n : 4096, &d, &ds, &de) == 0) {
            char out[11];
            date_format(&d, out);
            xsrc_add(src, XK_KEY, "gbt:date", out, strlen(out));
        }
        buf_release(&b);
        return;
    }
    /* banner: "XX文件" in the first lines, joint issuers on the next
       short lines, up to the 发文字号 line */
    for (i = 0; i < nh && i < 6; i++) {
        struct dn d = {0, 0, 0};
        docno_scan(head[i].p, head[i].n, dn_cb, &d);
        if (d.cnt && xstr_nchars(head[i].p, head[i].n) < 40
            && d.e - d.s + 12 >= head[i].n) {
            char *v = xstr_trim(head[i].p + d.s, d.e - d.s);
            if (v)
                xsrc_add(src, XK_KEY, "gbt:docno", v, strlen(v));
            free(v);
            t0 = i + 1;
            break;
        }
    }
    if (t0 == 0) {
        /* no 发文字号 line: skip a banner line ending in 文件 */
        for (i = 0; i < nh && i < 3; i++)
            if (ends_with(&head[i], "文件") && xstr_nchars(head[i].p, head[i].n) < 30)
                t0 = i + 1;
    }
    /* banner unit: the lines before the 发文字号 line (or up to and
       including the "文件" line) */
    nb = xsrc_get(src, XK_KEY, "gbt:docno") ? t0 - 1 : t0;
    for (i = 0; i < nb; i++) {
        struct line l = head[i];
        char *c;
        if (ends_with(&l, "文件"))
            l.n -= strlen("文件");
        if (xstr_nchars(l.p, l.n) > 30 || has_any(l.p, l.n, punct))
            break;
        c = xstr_clean(l.p, l.n);
        if (c) {
            if (b.len)
                buf_addc(&b, ' ');
            buf_adds(&b, c);
        }
        free(c);
    }
    if (b.len)
        xsrc_add(src, XK_KEY, "gbt:banner", b.p, b.len);
    buf_reset(&b);
    /* title: from t0, up to three lines, ending at a document-type word
       or before the addressee line (ends with a colon) */
    title_from = t0 < nh ? t0 : 0;
    for (i = title_from; i < nh && i < title_from + 3; i++) {
        const struct line *l = &head[i];
        size_t nc = xstr_nchars(l->p, l->n);
        int end = 0, k;
        if (nc > 80 || (i > title_from && (ends_with(l, "：")
                                           || ends_with(l, ":"))))
            break;
        buf_add(&b, l->p, l->n);
        for (k = 0; title_ends[k]; k++)
            if (ends_with(l, title_ends[k]))
                end = 1;
        if (end || i + 1 >= nh || ends_with(&head[i + 1], "：")
            || ends_with(&head[i + 1], ":"))
            break;
        if (ends_with(l, "。") || ends_with(l, "；"))
            break;
    }
    if (b.len)
        xsrc_add(src, XK_KEY, "gbt:title", b.p, b.len);
    buf_reset(&b);
    /* 成文日期 at the end, signature lines just before it */
    nt = get_lines(s, n, tail, 12, 1);
    for (i = 0; i < nt; i++) {
        struct date d;
        size_t ds, de;
        if (xstr_nchars(tail[i].p, tail[i].n) > 24)
            continue;
        if (date_find_last(tail[i].p, tail[i].n, &d, &ds, &de) == 0
            && d.m && d.d) {
            char out[11];
            size_t j, nsig = 0;
            struct line sig[4];
            date_format(&d, out);
            xsrc_add(src, XK_KEY, "gbt:date", out, strlen(out));
            for (j = i + 1; j < nt && nsig < 4; j++) {
                const struct line *l = &tail[j];
                if (xstr_nchars(l->p, l->n) > 25 || has_any(l->p, l->n, punct)
                    || !is_cjk_start(l))
                    break;
                sig[nsig++] = *l;
            }
            while (nsig > 0) {
                char *c = xstr_clean(sig[nsig - 1].p, sig[nsig - 1].n);
                if (c) {
                    if (b.len)
                        buf_addc(&b, ' ');
                    buf_adds(&b, c);
                }
                free(c);
                nsig--;
            }
            if (b.len)
                xsrc_add(src, XK_KEY, "gbt:unit", b.p, b.len);
            break;
        }
    }
    buf_release(&b);
}

int gbt_note_date(const char *s, size_t n, char out[11])
{
    static const char *const nian[] = {"年", NULL};
    struct line head[8];
    size_t nh = get_lines(s, n < 2048 ? n : 2048, head, 8, 0), i;
    for (i = 0; i < nh; i++) {
        const struct line *l = &head[i];
        size_t at = 0, ds, de;
        struct date d, best = {0, 0, 0};
        /* a Chinese date in it: an English text's "(...)" line is a
         * reference, not a note */
        if (!(l->p[0] == '(' || (l->n >= 3 && !memcmp(l->p, "（", 3))) ||
            !has_any(l->p, l->n, nian))
            continue;
        while (at < l->n && date_find(l->p + at, l->n - at, &d, &ds, &de) == 0) {
            size_t after = at + de;
            while (after < l->n && l->p[after] == ' ')
                after++;
            /* 自2022年5月1日起施行: when it takes effect, not its date */
            if (d.m && d.d && !(l->n - after >= 9 && !memcmp(l->p + after, "起施行", 9)))
                best = d;
            at += de;
        }
        if (best.y) {
            date_format(&best, out);
            return 0;
        }
    }
    return -1;
}
