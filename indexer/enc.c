/* enc.c - bytes of a file -> UTF-8 (see enc.h). enc_read_file() reads plain
 * and gzip'd files under a cap; enc_to_utf8() picks the charset (BOM, UTF-16
 * NUL pattern, declared <meta>/<?xml?> charset checked against the bytes,
 * strict UTF-8, then a GB18030 / Big5 score over common CJK characters,
 * LIBRARIES.md section 7) and converts with a manual iconv loop. Called by
 * indexer/main.c for every file, from more than one thread. */
#include "indexer/enc.h"
#include "common/buf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <opencc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define ENC_SNIFF 8192          /* bytes looked at for control characters  */
#define ENC_PRESCAN 4096        /* bytes searched for a declared charset   */
#define ENC_SAMPLE 65536        /* bytes decoded per candidate when scoring */
#define ENC_CTRL_PCT 8          /* more control bytes than this: binary    */
#define ENC_BAD_PCT 20          /* more replaced characters than this: binary */
#define ENC_JUNK_MIN 20         /* CJK characters needed to call it junk   */
#define ENC_JUNK_FRAC 0.2       /* common share below which it is junk     */
#define ENC_NCOMMON 2500        /* top jieba characters counted as common  */
#ifndef ENC_JIEBA
#define ENC_JIEBA "/usr/lib/python3/dist-packages/jieba/dict.txt"
#endif

/* ---------------------------------------------------------------------- */
/* sizes in messages                                                        */

static void fmt_size(char *dst, size_t n, size_t v)
{
    const double mb = 1024.0 * 1024.0;
    if (v >= 1024 * 1024) {
        if (v % (1024 * 1024) == 0)
            snprintf(dst, n, "%zu MB", v / (1024 * 1024));
        else
            snprintf(dst, n, "%.1f MB", (double)v / mb);
    } else if (v >= 1024) {
        if (v % 1024 == 0)
            snprintf(dst, n, "%zu KB", v / 1024);
        else
            snprintf(dst, n, "%.1f KB", (double)v / 1024.0);
    } else {
        snprintf(dst, n, "%zu bytes", v);
    }
}

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n, m;
    if (!s)
        return 0;
    n = strlen(s);
    m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* ---------------------------------------------------------------------- */
/* reading files                                                            */

static ssize_t read_full(int fd, void *p, size_t n)
{
    ssize_t r;
    do {
        r = read(fd, p, n);
    } while (r < 0 && errno == EINTR);
    return r;
}

static int read_plain(int fd, const char *path, const struct stat *st,
                      size_t max_bytes, char **out, size_t *len,
                      struct err *e)
{
    size_t cap, n = 0, limit;
    char *p, *np;
    ssize_t r;

    if ((uintmax_t)st->st_size > (uintmax_t)max_bytes) {
        char a[32], b[32];
        fmt_size(a, sizeof a, (size_t)st->st_size);
        fmt_size(b, sizeof b, max_bytes);
        err_set(e, ENC_ETOOBIG, "enc: '%s' is %s, over the %s cap: skipped",
                path, a, b);
        return ENC_ETOOBIG;
    }
    /* The file may grow while we read it: never pass max_bytes + 1. */
    limit = max_bytes < SIZE_MAX - 1 ? max_bytes + 1 : SIZE_MAX - 1;
    /* room for the NUL and one more byte, so that EOF needs no growth */
    cap = (size_t)st->st_size + 2;
    if (cap < 64)
        cap = 64;
    if (cap > limit + 1)
        cap = limit + 1;
    p = malloc(cap);
    if (!p) {
        err_set(e, ENC_ENOMEM, "enc: cannot read '%s': out of memory", path);
        return ENC_ENOMEM;
    }
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap;
            if (cap >= limit + 1)
                break;          /* n == limit > max_bytes: too big */
            ncap = cap * 2 < cap || cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            np = realloc(p, ncap);
            if (!np) {
                free(p);
                err_set(e, ENC_ENOMEM, "enc: cannot read '%s': out of memory",
                        path);
                return ENC_ENOMEM;
            }
            p = np;
            cap = ncap;
        }
        r = read_full(fd, p + n, cap - 1 - n);
        if (r < 0) {
            int saved = errno;
            free(p);
            err_set(e, ENC_EIO, "enc: cannot read '%s': %s", path,
                    strerror(saved));
            return ENC_EIO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max_bytes) {
        char b[32];
        free(p);
        fmt_size(b, sizeof b, max_bytes);
        err_set(e, ENC_ETOOBIG, "enc: '%s' grew over the %s cap: skipped",
                path, b);
        return ENC_ETOOBIG;
    }
    p[n] = 0;
    *out = p;
    *len = n;
    return 0;
}

/* Inflate gzip (or zlib) members one after the other; a member may be
 * followed by another (gzip -c a b > c) or by trailing zero padding, which
 * is ignored as gzip(1) does. Output never passes max_bytes + 1. */
static int read_gzip(int fd, const char *path, size_t max_bytes, char **out,
                     size_t *len, struct err *e)
{
    enum { CHUNK = 65536 };
    unsigned char *in = NULL;
    char *o = NULL, *no;
    size_t cap = 0, n = 0, limit;
    z_stream zs;
    int zrc, eof = 0, ended = 0, rc = 0, any_input = 0;
    ssize_t r;

    memset(&zs, 0, sizeof zs);
    limit = max_bytes < SIZE_MAX - 2 ? max_bytes + 1 : SIZE_MAX - 2;
    in = malloc(CHUNK);
    if (!in || inflateInit2(&zs, 15 + 32) != Z_OK) {
        free(in);
        err_set(e, ENC_ENOMEM, "enc: cannot inflate '%s': out of memory",
                path);
        return ENC_ENOMEM;
    }
    for (;;) {
        if (zs.avail_in == 0 && !eof) {
            r = read_full(fd, in, CHUNK);
            if (r < 0) {
                err_set(e, ENC_EIO, "enc: cannot read '%s': %s", path,
                        strerror(errno));
                rc = ENC_EIO;
                break;
            }
            if (r == 0)
                eof = 1;
            else
                any_input = 1;
            zs.next_in = in;
            zs.avail_in = (uInt)r;
        }
        if (ended) {
            /* Between members: another gzip member, or the end. */
            if (zs.avail_in == 0 && !eof)
                continue;
            if (zs.avail_in == 0 || zs.next_in[0] != 0x1f)
                break;
            inflateReset(&zs);
            ended = 0;
        }
        if (zs.avail_in == 0 && eof) {
            err_set(e, ENC_EGZIP, "enc: cannot inflate '%s': %s", path,
                    any_input ? "truncated gzip stream" : "empty file");
            rc = ENC_EGZIP;
            break;
        }
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : (size_t)CHUNK * 4;
            if (cap >= limit + 1)
                goto toobig;
            if (ncap > limit + 1 || ncap < cap)
                ncap = limit + 1;
            no = realloc(o, ncap);
            if (!no) {
                err_set(e, ENC_ENOMEM,
                        "enc: cannot inflate '%s': out of memory", path);
                rc = ENC_ENOMEM;
                break;
            }
            o = no;
            cap = ncap;
        }
        zs.next_out = (unsigned char *)o + n;
        zs.avail_out = (uInt)((cap - 1 - n) > 0x40000000u ? 0x40000000u
                                                           : cap - 1 - n);
        {
            uInt before = zs.avail_out;
            zrc = inflate(&zs, Z_NO_FLUSH);
            n += before - zs.avail_out;
        }
        if (n > max_bytes)
            goto toobig;
        if (zrc == Z_STREAM_END) {
            ended = 1;
        } else if (zrc == Z_OK || zrc == Z_BUF_ERROR) {
            /* Z_BUF_ERROR: no progress; more input or more room next turn */
        } else if (zrc == Z_MEM_ERROR) {
            err_set(e, ENC_ENOMEM, "enc: cannot inflate '%s': out of memory",
                    path);
            rc = ENC_ENOMEM;
            break;
        } else {
            err_set(e, ENC_EGZIP, "enc: cannot inflate '%s': %s", path,
                    zs.msg ? zs.msg : "corrupt gzip stream");
            rc = ENC_EGZIP;
            break;
        }
        continue;
toobig:
        {
            char b[32];
            fmt_size(b, sizeof b, max_bytes);
            err_set(e, ENC_ETOOBIG, "enc: '%s' decompresses to more than %s: "
                    "rejected as a possible gzip bomb", path, b);
            rc = ENC_ETOOBIG;
            break;
        }
    }
    inflateEnd(&zs);
    free(in);
    if (rc) {
        free(o);
        return rc;
    }
    if (!o) {
        o = malloc(1);
        if (!o) {
            err_set(e, ENC_ENOMEM, "enc: cannot inflate '%s': out of memory",
                    path);
            return ENC_ENOMEM;
        }
    }
    o[n] = 0;
    *out = o;
    *len = n;
    return 0;
}

int enc_read_file(const char *path, size_t max_bytes, char **out, size_t *len,
                  struct err *e)
{
    struct stat st;
    int fd, rc;

    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!path || !out || !len) {
        err_set(e, ENC_EIO, "enc: cannot read: NULL argument");
        return ENC_EIO;
    }
    /* O_NONBLOCK so that a FIFO cannot hang us before fstat() rejects it;
     * it changes nothing for regular files. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        err_set(e, ENC_EIO, "enc: cannot open '%s': %s", path,
                strerror(errno));
        return ENC_EIO;
    }
    if (fstat(fd, &st) < 0) {
        err_set(e, ENC_EIO, "enc: cannot stat '%s': %s", path,
                strerror(errno));
        close(fd);
        return ENC_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        err_set(e, ENC_EIO, "enc: cannot read '%s': not a regular file", path);
        close(fd);
        return ENC_EIO;
    }
    if (ends_with_ci(path, ".gz"))
        rc = read_gzip(fd, path, max_bytes, out, len, e);
    else
        rc = read_plain(fd, path, &st, max_bytes, out, len, e);
    close(fd);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* UTF-8                                                                    */

/* Length of the well-formed UTF-8 sequence at p (1..4, Unicode table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF), or minus the length
 * of its longest well-formed prefix (at least 1 byte) to skip. */
static int utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    unsigned lo = 0x80, hi = 0xbf;
    int need, i;

    if (c < 0x80)
        return 1;
    if (c < 0xc2 || c > 0xf4)
        return -1;
    if (c < 0xe0) {
        need = 1;
    } else if (c < 0xf0) {
        need = 2;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else {
        need = 3;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    }
    for (i = 1; i <= need; i++) {
        if ((size_t)i >= n)
            return -i;
        if (p[i] < lo || p[i] > hi)
            return -i;
        lo = 0x80;
        hi = 0xbf;
    }
    return need + 1;
}

/* Strict validation at memory speed: ASCII runs 16 bytes at a time. */
static int utf8_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            while (i + 16 <= n) {
                uint64_t a, b;
                memcpy(&a, p + i, 8);
                memcpy(&b, p + i + 8, 8);
                if ((a | b) & 0x8080808080808080ull)
                    break;
                i += 16;
            }
            while (i < n && p[i] < 0x80)
                i++;
            continue;
        }
        /* the common case in Chinese text: a 3-byte sequence of
         * U+1000-U+CFFF or U+E000-U+FFFF, no special second-byte range */
        while (i + 2 < n && p[i] >= 0xe1 && p[i] != 0xed && p[i] <= 0xef &&
               (p[i + 1] & 0xc0) == 0x80 && (p[i + 2] & 0xc0) == 0x80)
            i += 3;
        if (i < n && p[i] >= 0x80) {
            int k = utf8_seq(p + i, n - i);
            if (k < 0)
                return 0;
            i += (size_t)k;
        }
    }
    return 1;
}

/* Count well-formed multibyte sequences and ill-formed ones. */
static void utf8_count(const unsigned char *p, size_t n, size_t *good,
                       size_t *bad)
{
    size_t i = 0;
    *good = *bad = 0;
    while (i < n) {
        int k;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = utf8_seq(p + i, n - i);
        if (k > 0) {
            (*good)++;
            i += (size_t)k;
        } else {
            (*bad)++;
            i += (size_t)-k;
        }
    }
}

static const char REPL[] = "\xef\xbf\xbd";      /* U+FFFD */

/* Copy, replacing each ill-formed subpart with U+FFFD. */
static int utf8_lossy(const unsigned char *p, size_t n, struct buf *b,
                      size_t *replaced)
{
    size_t i = 0, start;
    int k = 0;
    if (buf_reserve(b, n + n / 2 + 4) < 0)
        return -1;
    while (i < n) {
        start = i;
        while (i < n) {
            if (p[i] < 0x80) {
                i++;
                continue;
            }
            k = utf8_seq(p + i, n - i);
            if (k < 0)
                break;
            i += (size_t)k;
        }
        if (buf_add(b, p + start, i - start) < 0)
            return -1;
        if (i >= n)
            break;
        i += (size_t)-k;
        if (buf_add(b, REPL, 3) < 0)
            return -1;
        (*replaced)++;
    }
    return 0;
}

/* Drop NUL bytes in place; returns how many. */
static size_t strip_nul(char *p, size_t *len)
{
    char *w, *r, *end = p + *len;
    size_t dropped;
    r = memchr(p, 0, *len);
    if (!r)
        return 0;
    w = r;
    while (r < end) {
        char *z;
        r++;                            /* skip the NUL */
        z = memchr(r, 0, (size_t)(end - r));
        if (!z)
            z = end;
        memmove(w, r, (size_t)(z - r));
        w += z - r;
        r = z;
    }
    dropped = *len - (size_t)(w - p);
    *len = (size_t)(w - p);
    *w = 0;
    return dropped;
}

/* ---------------------------------------------------------------------- */
/* the common-character set (LIBRARIES.md section 7)                       */

static unsigned char common_bits[65536 / 8];
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

/* Fallback when the jieba dictionary is missing: about 500 of the most
 * frequent characters of jieba's dictionary with their s2t/s2tw forms. */
static const char common_builtin[] =
    "一万三上下不与专世业东两並个中为主举么义之也书了争事二于五亚些亞交产京亲"
    "人什今从他代令以们件价任众会传但位住体何作你使來便保信個們候值做備傳像價"
    "儿元先光克兒党入內全兩八公共关兵其具内再军农决况准几出分划则別利别到制則"
    "前劃力办功加务动势動務勢包化北区區十千半华单南即却卻历原去县参參又及反发"
    "取受变口古只叫可台史号司吃各合同名后向听告员周命和品員商問喫單器四回因团"
    "国图國圖團土在地场型城基報場境增士声处备复外多大天太夫头女她好如始委子字"
    "学學它安完官定实家容實对导将將專對導小少尔就展属屬山州工己已市布师帝带師"
    "帶常干平年并幹幾广应府度廣建开式张張強强当形影往很律後得從復德心必快怎思"
    "性总息情想意愛感應成我或战戰所手才打技把投报拉持指据接提據支收改放政教数"
    "整數文料断斯新斷方於族无日早时明是時更書最會月有望朝期本术机权李条来東极"
    "构林果校样根格條業極構樣機權次正此步武歷死段每比民气氣水求汉江決沒没河治"
    "況法活派流济海深清游湖源準漢濟火点為热無然熱爭爱爲爾片物特王现現理生產用"
    "由电界當病發白百的皇目直相省看真眼眾着知石研示社神种科积称程種稱積究空立"
    "笑第等算管米类精系紀約紅級組結給統經網線編縣總红约级纪线组经结给统编网美"
    "羣群義老考者而职联聯聲職聽股育能自至臺與舉色花英華萬著處號衆行術表被装裏"
    "裝裡西要見規親觀见观规解言計記設許話該認語說調論證議變讓计认让议记许论设"
    "证话该语说调象資質质资走起路身車軍較轉车转较辦農边达过运近还这进远连选這"
    "通速造連進遊運過道達遠選還邊那部都里重量金鐵铁長长門開間關门问间队阳际院"
    "陽隊随際隨难集難電需非面革領頭題類领题風风首馬马體高魚鱼麼黃黄點黨";

static void common_add_utf8(const char *s, size_t n);

static unsigned decode_cp(const unsigned char *p, size_t n, size_t *adv)
{
    int k = utf8_seq(p, n);
    unsigned c;
    if (k <= 0) {
        *adv = (size_t)(k < 0 ? -k : 1);
        return 0xfffd;
    }
    *adv = (size_t)k;
    c = p[0];
    if (k == 1)
        return c;
    if (k == 2)
        return ((c & 0x1f) << 6) | (p[1] & 0x3f);
    if (k == 3)
        return ((c & 0x0f) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3f);
    return ((c & 0x07) << 18) | ((p[1] & 0x3fu) << 12) |
           ((p[2] & 0x3fu) << 6) | (p[3] & 0x3f);
}

static int is_cjk(unsigned c)
{
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

static void common_add_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, adv;
    while (i < n) {
        unsigned c = decode_cp(p + i, n - i, &adv);
        if (c < 65536 && is_cjk(c))
            common_bits[c >> 3] |= (unsigned char)(1u << (c & 7));
        i += adv;
    }
}

static int cmp_freq_desc(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;   /* (freq << 16 | code) pairs */
    return *x < *y ? 1 : *x > *y ? -1 : 0;
}

static void common_init(void)
{
    enum { LO = 0x3400, HI = 0xa000 };
    uint64_t *freq = NULL, *rank = NULL;
    FILE *f;
    char *line = NULL;
    size_t cap = 0, nrank = 0, i;
    struct buf top;

    common_add_utf8(common_builtin, sizeof common_builtin - 1);
    f = fopen(ENC_JIEBA, "re");
    if (!f)
        return;
    freq = calloc(HI - LO, sizeof *freq);
    rank = calloc(HI - LO, sizeof *rank);
    buf_init(&top, 0);
    if (!freq || !rank)
        goto out;
    while (getline(&line, &cap, f) > 0) {
        const unsigned char *p = (const unsigned char *)line;
        const char *sp = strchr(line, ' ');
        size_t wl, adv, j = 0;
        unsigned long long fr;
        if (!sp)
            continue;
        wl = (size_t)(sp - line);
        fr = strtoull(sp + 1, NULL, 10);
        while (j < wl) {
            unsigned c = decode_cp(p + j, wl - j, &adv);
            if (c >= LO && c < HI)
                freq[c - LO] += fr;
            j += adv;
        }
    }
    for (i = 0; i < HI - LO; i++)
        if (freq[i] && is_cjk((unsigned)(i + LO)))
            rank[nrank++] = (freq[i] << 16) | (uint64_t)(i + LO);
    qsort(rank, nrank, sizeof *rank, cmp_freq_desc);
    if (nrank > ENC_NCOMMON)
        nrank = ENC_NCOMMON;
    /* one character a line, so OpenCC converts characters, not phrases */
    for (i = 0; i < nrank; i++) {
        unsigned c = (unsigned)(rank[i] & 0xffff);
        char u[4];
        u[0] = (char)(0xe0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        u[3] = '\n';
        if (buf_add(&top, u, 4) < 0)
            goto out;
    }
    if (top.len) {
        /* about 200 ms, once, and only when a non-UTF-8 file turns up */
        static const char *const cfg[] = { "s2t.json", "s2tw.json" };
        common_add_utf8(top.p, top.len);
        for (i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
            opencc_t od = opencc_open(cfg[i]);
            char *t;
            if (od == (opencc_t)-1)
                continue;
            t = opencc_convert_utf8(od, top.p, top.len);
            if (t) {
                common_add_utf8(t, strlen(t));
                opencc_convert_utf8_free(t);
            }
            opencc_close(od);
        }
    }
out:
    buf_release(&top);
    free(line);
    free(freq);
    free(rank);
    fclose(f);
}

static int is_common(unsigned c)
{
    return c < 65536 && (common_bits[c >> 3] >> (c & 7)) & 1;
}

/* ---------------------------------------------------------------------- */
/* conversion                                                               */

/* Decode with iconv, one unit (1 byte, or 2/4 for UTF-16/32) skipped and
 * replaced with U+FFFD per bad sequence: glibc's //IGNORE stops at the
 * first one. -1 if iconv does not know cs, -2 when out of memory. */
static int iconv_decode(const char *cs, const char *in, size_t len,
                        size_t unit, struct buf *b, size_t *replaced)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    char *ip = (char *)in;
    size_t il = len;

    if (cd == (iconv_t)-1)
        return -1;
    if (buf_reserve(b, len + len / 2 + 16) < 0)
        goto nomem;
    for (;;) {
        char *op = b->p + b->len;
        size_t ol = b->cap - 1 - b->len, r;
        r = iconv(cd, il ? &ip : NULL, il ? &il : NULL, &op, &ol);
        b->len = (size_t)(op - b->p);
        if (r != (size_t)-1) {
            if (il == 0)
                break;
            continue;
        }
        if (errno == E2BIG) {
            if (buf_reserve(b, b->cap) < 0)
                goto nomem;
        } else if (errno == EILSEQ || errno == EINVAL) {
            size_t skip = unit < il ? unit : il;
            if (skip == 0)
                skip = il;
            ip += skip;
            il -= skip;
            if (buf_add(b, REPL, 3) < 0)
                goto nomem;
            (*replaced)++;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (il == 0)
                break;
        } else {
            /* should not happen; give up on the rest */
            if (buf_add(b, REPL, 3) < 0)
                goto nomem;
            (*replaced)++;
            break;
        }
    }
    iconv_close(cd);
    if (buf_reserve(b, 0) < 0)
        return -2;
    b->p[b->len] = 0;
    return 0;
nomem:
    iconv_close(cd);
    return -2;
}

/* How plausible a decoding is: the share of its CJK characters that are
 * common, minus 10 x the rate of bad sequences among non-ASCII ones. */
struct score {
    double s;           /* the score */
    double frac;        /* common / cjk */
    size_t cjk;
};

static struct score score_text(const char *s, size_t n, size_t errors)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, adv, cjk = 0, common = 0, nonascii = 0;
    struct score sc;
    double rate;
    while (i < n) {
        unsigned c;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        c = decode_cp(p + i, n - i, &adv);
        i += adv;
        if (c == 0xfffd)
            continue;
        nonascii++;
        if (is_cjk(c)) {
            cjk++;
            common += (size_t)is_common(c);
        }
    }
    sc.cjk = cjk;
    sc.frac = cjk ? (double)common / (double)cjk : 0.0;
    rate = (double)errors / (double)(nonascii + errors ? nonascii + errors : 1);
    sc.s = sc.frac - 10.0 * rate;
    return sc;
}

/* The first ENC_SAMPLE bytes, cut after a byte below 0x30: no GBK, Big5
 * or GB18030 sequence contains one, so no character is cut in two. */
static size_t sample_len(const unsigned char *p, size_t n)
{
    size_t m;
    if (n <= ENC_SAMPLE)
        return n;
    for (m = ENC_SAMPLE; m > ENC_SAMPLE / 2; m--)
        if (p[m - 1] < 0x30)
            return m;
    return ENC_SAMPLE;
}

static struct score score_as(const char *cs, const char *in, size_t n)
{
    struct buf b;
    size_t rep = 0;
    struct score sc = { -100.0, 0.0, 0 };
    buf_init(&b, 0);
    if (iconv_decode(cs, in, n, 1, &b, &rep) == 0)
        sc = score_text(b.p, b.len, rep);
    buf_release(&b);
    return sc;
}

/* Single-byte Latin text: most high bytes stand alone between ASCII
 * bytes; in GBK or Big5 text they come in pairs. */
static int looks_latin(const unsigned char *p, size_t n)
{
    size_t i, high = 0, alone = 0;
    for (i = 0; i < n; i++) {
        if (p[i] < 0x80)
            continue;
        high++;
        if ((i == 0 || p[i - 1] < 0x80) && (i + 1 == n || p[i + 1] < 0x80))
            alone++;
    }
    return high && alone * 2 > high;
}

/* Undeclared legacy bytes: Latin, or the best CJK candidate. *junk is
 * set when even the best candidate is mostly rare characters: real
 * Chinese text scores 0.9 and more, the wrong one of GB and Big5 about
 * 0.3, compressed or random bytes less than 0.1. */
static const char *detect_legacy(const unsigned char *p, size_t n, int *junk)
{
    static const char *const cand[] = { "GB18030", "BIG5-HKSCS", "CP950" };
    size_t m = sample_len(p, n), i;
    const char *best = cand[0];
    struct score bs = { -1e9, 0.0, 0 };

    *junk = 0;
    if (looks_latin(p, m))
        return "WINDOWS-1252";
    pthread_once(&common_once, common_init);
    for (i = 0; i < sizeof cand / sizeof cand[0]; i++) {
        struct score sc = score_as(cand[i], (const char *)p, m);
        if (sc.s > bs.s) {
            bs = sc;
            best = cand[i];
        }
    }
    if (bs.cjk >= ENC_JUNK_MIN && bs.frac < ENC_JUNK_FRAC)
        *junk = (int)((1.0 - bs.frac) * 100.0);
    return best;
}

/* ---------------------------------------------------------------------- */
/* declared charsets                                                        */

static int prefix_ci(const unsigned char *p, size_t n, const char *s)
{
    size_t m = strlen(s);
    return n >= m && strncasecmp((const char *)p, s, m) == 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Copy a label into dst (lower case, trimmed); 0 if it is not plausible. */
static int take_label(const unsigned char *p, size_t n, char *dst, size_t cap)
{
    size_t i, k = 0;
    while (n && is_space(*p)) {
        p++;
        n--;
    }
    while (n && is_space(p[n - 1]))
        n--;
    if (n == 0 || n >= cap)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (!isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':')
            return 0;
        dst[k++] = (char)tolower(c);
    }
    dst[k] = 0;
    return 1;
}

/* "text/html; charset=gb2312" -> gb2312 */
static int charset_in_content(const unsigned char *p, size_t n, char *dst,
                              size_t cap)
{
    size_t i, j;
    for (i = 0; i + 7 <= n; i++) {
        if (strncasecmp((const char *)p + i, "charset", 7) != 0)
            continue;
        j = i + 7;
        while (j < n && is_space(p[j]))
            j++;
        if (j >= n || p[j] != '=')
            continue;
        j++;
        while (j < n && is_space(p[j]))
            j++;
        if (j < n && (p[j] == '"' || p[j] == '\''))
            j++;
        i = j;
        while (j < n && p[j] != '"' && p[j] != '\'' && p[j] != ';' &&
               !is_space(p[j]))
            j++;
        return take_label(p + i, j - i, dst, cap);
    }
    return 0;
}

/* A simplified HTML5 prescan: <meta charset=x> or <meta content=
 * "...charset=x">, skipping comments. */
static int prescan_meta(const unsigned char *p, size_t n, char *dst,
                        size_t cap)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] != '<') {
            const unsigned char *q = memchr(p + i, '<', n - i);
            if (!q)
                return 0;
            i = (size_t)(q - p);
        }
        if (prefix_ci(p + i, n - i, "<!--")) {
            size_t j;
            for (j = i + 4; j + 3 <= n; j++)
                if (memcmp(p + j, "-->", 3) == 0)
                    break;
            i = j + 3;
            continue;
        }
        if (prefix_ci(p + i, n - i, "<meta") && i + 5 < n &&
            (is_space(p[i + 5]) || p[i + 5] == '/')) {
            const unsigned char *content = NULL;
            size_t clen = 0;
            i += 5;
            for (;;) {
                size_t ns, nl, vs, vl = 0;
                while (i < n && (is_space(p[i]) || p[i] == '/'))
                    i++;
                if (i >= n || p[i] == '>')
                    break;
                ns = i;
                while (i < n && !is_space(p[i]) && p[i] != '/' &&
                       p[i] != '>' && p[i] != '=')
                    i++;
                nl = i - ns;
                while (i < n && is_space(p[i]))
                    i++;
                vs = i;
                if (i < n && p[i] == '=') {
                    i++;
                    while (i < n && is_space(p[i]))
                        i++;
                    if (i < n && (p[i] == '"' || p[i] == '\'')) {
                        unsigned char qc = p[i++];
                        vs = i;
                        while (i < n && p[i] != qc)
                            i++;
                        vl = i - vs;
                        if (i < n)
                            i++;
                    } else {
                        vs = i;
                        while (i < n && !is_space(p[i]) && p[i] != '>')
                            i++;
                        vl = i - vs;
                    }
                }
                if (nl == 7 && strncasecmp((const char *)p + ns, "charset",
                                           7) == 0)
                    return take_label(p + vs, vl, dst, cap);
                if (nl == 7 && strncasecmp((const char *)p + ns, "content",
                                           7) == 0) {
                    content = p + vs;
                    clen = vl;
                }
            }
            if (content && charset_in_content(content, clen, dst, cap))
                return 1;
            continue;
        }
        i++;
    }
    return 0;
}

/* <?xml version="1.0" encoding="GB2312"?> at the very start */
static int prescan_xml(const unsigned char *p, size_t n, char *dst,
                       size_t cap)
{
    size_t i, end;
    if (!prefix_ci(p, n, "<?xml"))
        return 0;
    for (end = 5; end + 1 < n && !(p[end] == '?' && p[end + 1] == '>'); end++)
        ;
    for (i = 5; i + 8 <= end; i++) {
        size_t j;
        if (memcmp(p + i, "encoding", 8) != 0)
            continue;
        j = i + 8;
        while (j < end && is_space(p[j]))
            j++;
        if (j >= end || p[j] != '=')
            continue;
        j++;
        while (j < end && is_space(p[j]))
            j++;
        if (j < end && (p[j] == '"' || p[j] == '\'')) {
            unsigned char qc = p[j++];
            size_t s = j;
            while (j < end && p[j] != qc)
                j++;
            return take_label(p + s, j - s, dst, cap);
        }
    }
    return 0;
}

static int looks_html(const unsigned char *p, size_t n, const char *name)
{
    if (ends_with_ci(name, ".html") || ends_with_ci(name, ".htm") ||
        ends_with_ci(name, ".shtml") || ends_with_ci(name, ".xhtml"))
        return 1;
    while (n && is_space(*p)) {
        p++;
        n--;
    }
    return prefix_ci(p, n, "<!doctype html") || prefix_ci(p, n, "<html") ||
           prefix_ci(p, n, "<head") || prefix_ci(p, n, "<meta") ||
           prefix_ci(p, n, "<?xml");
}

/* Map a declared label to the charset we decode with; NULL to ignore it.
 * "gb2312" pages routinely hold GBK characters and "big5" pages HKSCS
 * ones, so both go to the supersets. */
static const char *map_label(const char *l, char *own, size_t cap)
{
    static const char *const gb[] = { "gb2312", "gbk", "x-gbk", "cp936",
        "gb18030", "euc-cn", "x-euc-cn", "gb_2312-80", "gb_2312", "csgb2312",
        "windows-936", "chinese", "iso-ir-58", "csiso58gb231280", "ms936",
        "936", NULL };
    static const char *const big5[] = { "big5", "big5-hkscs", "big5hkscs",
        "cp950", "x-x-big5", "x-big5", "csbig5", "cn-big5", "windows-950",
        "ms950", "950", NULL };
    static const char *const u8[] = { "utf-8", "utf8", "unicode-1-1-utf-8",
        "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2", "utf-32",
        NULL };
    static const char *const latin[] = { "iso-8859-1", "iso8859-1",
        "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252",
        "cp1252", "x-cp1252", NULL };
    size_t i;
    iconv_t cd;

    for (i = 0; gb[i]; i++)
        if (strcmp(l, gb[i]) == 0)
            return "GB18030";
    for (i = 0; big5[i]; i++)
        if (strcmp(l, big5[i]) == 0)
            return "BIG5-HKSCS";
    /* a UTF-16 label in ASCII-readable bytes is wrong: HTML5 reads UTF-8 */
    for (i = 0; u8[i]; i++)
        if (strcmp(l, u8[i]) == 0)
            return "UTF-8";
    for (i = 0; latin[i]; i++)
        if (strcmp(l, latin[i]) == 0)
            return "WINDOWS-1252";
    for (i = 0; l[i] && i + 1 < cap; i++)
        own[i] = (char)toupper((unsigned char)l[i]);
    own[i] = 0;
    cd = iconv_open("UTF-8", own);
    if (cd == (iconv_t)-1)
        return NULL;
    iconv_close(cd);
    return own;
}

/* ---------------------------------------------------------------------- */
/* enc_to_utf8                                                              */

static int is_ctrl(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ||
           c == 0x7f;
}

static unsigned ctrl_pct(const unsigned char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    size_t i = 0, j, c = 0;
    if (n > ENC_SNIFF)
        n = ENC_SNIFF;
    /* whole words with no byte below 0x20 and no 0x7f are skipped
     * (hasless() and haszero() of "Bit Twiddling Hacks") */
    for (; i + 8 <= n; i += 8) {
        uint64_t x, d;
        memcpy(&x, p + i, 8);
        d = x ^ (ones * 0x7f);
        if (((x - ones * 0x20) & ~x & high) || ((d - ones) & ~d & high))
            for (j = 0; j < 8; j++)
                c += (size_t)is_ctrl(p[i + j]);
    }
    for (; i < n; i++)
        c += (size_t)is_ctrl(p[i]);
    return n ? (unsigned)(c * 100 / n) : 0;
}

/* UTF-16 without a BOM: ASCII-heavy text has NULs at one parity only. */
static const char *sniff_utf16(const unsigned char *p, size_t n)
{
    size_t i, even = 0, odd = 0, pairs;
    if (n > ENC_SNIFF)
        n = ENC_SNIFF;
    n &= ~(size_t)1;
    pairs = n / 2;
    if (pairs < 2)
        return NULL;
    for (i = 0; i < n; i += 2) {
        even += p[i] == 0;
        odd += p[i + 1] == 0;
    }
    if (odd * 10 >= pairs && even * 20 <= odd)
        return "UTF-16LE";
    if (even * 10 >= pairs && odd * 20 <= even)
        return "UTF-16BE";
    return NULL;
}

static const char *name_of(const char *hint)
{
    return hint ? hint : "(input)";
}

/* Code points in UTF-8 text. */
static size_t count_chars(const char *s, size_t n)
{
    size_t i, c = 0;
    for (i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

static int too_many_bad(size_t bad, size_t chars)
{
    return bad && bad * 100 > (size_t)ENC_BAD_PCT * (chars ? chars : 1);
}

static int finish(struct buf *b, const char *cs, size_t bad, int bom,
                  const char *hint, struct enc_result *out, struct err *e)
{
    size_t nul;
    if (buf_reserve(b, 0) < 0) {
        buf_release(b);
        err_set(e, ENC_ENOMEM, "enc: cannot convert '%s': out of memory",
                name_of(hint));
        return ENC_ENOMEM;
    }
    b->p[b->len] = 0;
    if (bad && too_many_bad(bad, count_chars(b->p, b->len))) {
        unsigned pct = (unsigned)(bad * 100 /
                                  (count_chars(b->p, b->len) + 1));
        buf_release(b);
        err_set(e, ENC_EBINARY, "enc: '%s' does not look like text "
                "(%u%% invalid as %s)", name_of(hint), pct, cs);
        return ENC_EBINARY;
    }
    nul = strip_nul(b->p, &b->len);
    out->text = buf_detach(b, &out->len);
    snprintf(out->charset, sizeof out->charset, "%s", cs);
    out->replaced = bad + nul;
    out->had_bom = bom;
    return 0;
}

static int nomem(const char *hint, struct err *e)
{
    err_set(e, ENC_ENOMEM, "enc: cannot convert '%s': out of memory",
            name_of(hint));
    return ENC_ENOMEM;
}

/* Decode a whole buffer with cs (UTF-8 through our own lossy copy). */
static int decode_with(const char *cs, const unsigned char *p, size_t n,
                       size_t unit, struct buf *b, size_t *bad,
                       const char *hint, struct err *e)
{
    int r;
    *bad = 0;
    buf_init(b, 0);
    if (strcmp(cs, "UTF-8") == 0)
        r = utf8_lossy(p, n, b, bad) < 0 ? -2 : 0;
    else
        r = iconv_decode(cs, (const char *)p, n, unit, b, bad);
    if (r == -1) {
        buf_release(b);
        err_set(e, ENC_EBINARY, "enc: cannot convert '%s' from '%s': "
                "charset unknown to iconv", name_of(hint), cs);
        return ENC_EBINARY;
    }
    if (r < 0) {
        buf_release(b);
        return nomem(hint, e);
    }
    return 0;
}

/* enc_to_utf8 and enc_to_utf8_mime: ctype, when given, declares the
 * charset instead of the bytes' own <?xml?> or <meta>. */
static int to_utf8(const char *bytes, size_t len, const char *hint_name,
                   const char *ctype, struct enc_result *out, struct err *e)
{
    const unsigned char *p = (const unsigned char *)bytes;
    const char *cs = NULL, *decl = NULL;
    char label[32], own[32];
    size_t unit = 1, bad;
    int bom = 0, rc;
    unsigned pct;
    struct buf b;

    if (!out) {
        err_set(e, ENC_EIO, "enc: cannot convert: NULL argument");
        return ENC_EIO;
    }
    memset(out, 0, sizeof *out);
    if (!p && len) {
        err_set(e, ENC_EIO, "enc: cannot convert: NULL argument");
        return ENC_EIO;
    }

    /* 1. byte order marks (UTF-32LE before UTF-16LE: FF FE 00 00) */
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        cs = "UTF-8";
        p += 3;
        len -= 3;
    } else if (len >= 4 && memcmp(p, "\xff\xfe\0\0", 4) == 0) {
        cs = "UTF-32LE";
        unit = 4;
    } else if (len >= 4 && memcmp(p, "\0\0\xfe\xff", 4) == 0) {
        cs = "UTF-32BE";
        unit = 4;
    } else if (len >= 2 && memcmp(p, "\xff\xfe", 2) == 0) {
        cs = "UTF-16LE";
        unit = 2;
    } else if (len >= 2 && memcmp(p, "\xfe\xff", 2) == 0) {
        cs = "UTF-16BE";
        unit = 2;
    }
    if (cs) {
        bom = 1;
        if (unit > 1) {
            p += unit;
            len -= unit;
        }
    } else {
        /* 2. UTF-16 without a BOM */
        cs = sniff_utf16(p, len);
        if (cs)
            unit = 2;
    }

    if (unit > 1) {
        rc = decode_with(cs, p, len, unit, &b, &bad, hint_name, e);
        if (rc)
            return rc;
        pct = ctrl_pct((const unsigned char *)b.p, b.len);
        if (pct > ENC_CTRL_PCT) {
            buf_release(&b);
            err_set(e, ENC_EBINARY, "enc: '%s' does not look like text "
                    "(%u%% control characters as %s)", name_of(hint_name),
                    pct, cs);
            return ENC_EBINARY;
        }
        return finish(&b, cs, bad, bom, hint_name, out, e);
    }

    /* binary junk: control bytes other than \t \n \r \f, NULs included */
    pct = ctrl_pct(p, len);
    if (pct > ENC_CTRL_PCT) {
        err_set(e, ENC_EBINARY, "enc: '%s' does not look like text "
                "(%u%% control bytes)", name_of(hint_name), pct);
        return ENC_EBINARY;
    }

    /* 3. the fast path: strict UTF-8 is copied, not converted */
    if (utf8_valid(p, len)) {
        buf_init(&b, 0);
        b.p = malloc(len + 1);          /* exact: no doubling for big files */
        if (!b.p)
            return nomem(hint_name, e);
        if (len)
            memcpy(b.p, p, len);
        b.len = len;
        b.cap = len + 1;
        return finish(&b, "UTF-8", 0, bom, hint_name, out, e);
    }
    if (!cs) {
        size_t good, nbad;
        /* 4. mostly UTF-8 with a few broken sequences: still UTF-8 (in
         * GBK or Big5 text only about one pair in ten is valid UTF-8) */
        utf8_count(p, len, &good, &nbad);
        if (good >= 8 && nbad * 4 <= good)
            cs = "UTF-8";
    }
    if (!cs) {
        /* 5. a declared charset: <?xml encoding?>, then an HTML <meta> */
        size_t m = len < ENC_PRESCAN ? len : ENC_PRESCAN;
        if (ctype ? charset_in_content((const unsigned char *)ctype, strlen(ctype),
                                       label, sizeof label)
                  : prescan_xml(p, m, label, sizeof label) ||
                        (looks_html(p, m, hint_name) &&
                         prescan_meta(p, m, label, sizeof label)))
            decl = map_label(label, own, sizeof own);
    }
    if (!cs && decl && strcmp(decl, "UTF-8") == 0)
        decl = NULL;    /* declared UTF-8 but clearly not: the bytes decide */
    if (!cs && decl && (strcmp(decl, "GB18030") == 0 ||
                        strcmp(decl, "BIG5-HKSCS") == 0)) {
        /* the declaration is checked against the bytes */
        size_t m = sample_len(p, len);
        double gb, b5;
        pthread_once(&common_once, common_init);
        gb = score_as("GB18030", (const char *)p, m).s;
        b5 = score_as("BIG5-HKSCS", (const char *)p, m).s;
        if (decl[0] == 'G' && b5 > gb + 0.3)
            decl = "BIG5-HKSCS";
        else if (decl[0] == 'B' && gb > b5 + 0.3)
            decl = "GB18030";
    }
    if (!cs && decl) {
        rc = decode_with(decl, p, len, 1, &b, &bad, hint_name, e);
        if (rc)
            return rc;
        if (!too_many_bad(bad, count_chars(b.p, b.len)))
            return finish(&b, decl, bad, bom, hint_name, out, e);
        buf_release(&b);        /* the declaration lied: detect */
    }
    if (!cs) {
        int junk;
        cs = detect_legacy(p, len, &junk);
        if (junk) {
            err_set(e, ENC_EBINARY, "enc: '%s' does not look like text "
                    "(%d%% rare characters as %s)", name_of(hint_name), junk,
                    cs);
            return ENC_EBINARY;
        }
    }
    rc = decode_with(cs, p, len, 1, &b, &bad, hint_name, e);
    if (rc)
        return rc;
    return finish(&b, cs, bad, bom, hint_name, out, e);
}

int enc_to_utf8(const char *bytes, size_t len, const char *hint_name,
                struct enc_result *out, struct err *e)
{
    return to_utf8(bytes, len, hint_name, NULL, out, e);
}

int enc_to_utf8_mime(const char *bytes, size_t len, const char *content_type,
                     struct enc_result *out, struct err *e)
{
    return to_utf8(bytes, len, NULL, content_type ? content_type : "", out, e);
}

void enc_result_release(struct enc_result *r)
{
    if (!r)
        return;
    free(r->text);
    memset(r, 0, sizeof *r);
}
