/* test_enc.c - unit tests of indexer/enc.c: the fixtures of tests/data/enc
 * (<case>.<charset> decoded and compared with <case>.expected, made by
 * gen.sh), gzip members, truncation and bombs, caps, binary junk, two
 * threads, and every file of $SHARED/corpus (all UTF-8) with its MB/s. */
#define _XOPEN_SOURCE 700
#include "indexer/enc.h"
#include "tests/unit/check.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define MB (1024u * 1024u)

static char data_dir[4096], tmp_dir[64];

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read a whole file without enc.c, for the expected outputs. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long n;
    if (!f)
        return NULL;
    n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = malloc((size_t)n + 1);
        if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
            free(p);
            p = NULL;
        }
        if (p) {
            p[n] = 0;
            *len = (size_t)n;
        }
    }
    fclose(f);
    return p;
}

static void spew(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(fwrite(p, 1, n, f) == n);
    fclose(f);
}

/* ---------------------------------------------------------------------- */

struct fixture {
    const char *file;       /* under tests/data/enc */
    const char *hint;       /* name given to enc_to_utf8 */
    const char *charset;    /* expected result */
    size_t replaced;
    int bom;
};

static const struct fixture fixtures[] = {
    { "utf8.utf-8", "a.txt", "UTF-8", 0, 0 },
    { "utf8_bom.utf-8", "a.csv", "UTF-8", 0, 1 },
    { "utf16le_bom.utf-16le", "a.txt", "UTF-16LE", 0, 1 },
    { "utf16be_bom.utf-16be", "a.txt", "UTF-16BE", 0, 1 },
    { "utf16le_nobom.utf-16le", "a.txt", "UTF-16LE", 0, 0 },
    { "gb2312.gb2312", "a.txt", "GB18030", 0, 0 },
    { "gbk.gbk", "a.txt", "GB18030", 0, 0 },
    { "gb18030_4byte.gb18030", NULL, "GB18030", 0, 0 },
    { "big5.big5", "a.txt", "BIG5-HKSCS", 0, 0 },
    { "hkscs.big5-hkscs", "a.txt", "BIG5-HKSCS", 0, 0 },
    { "latin1.iso-8859-1", "a.txt", "WINDOWS-1252", 0, 0 },
    { "page_gb2312_gbk_chars.gbk", "a.html", "GB18030", 0, 0 },
    { "page_meta_after_title.big5", "a.htm", "BIG5-HKSCS", 0, 0 },
    { "page_meta_after_title.big5", NULL, "BIG5-HKSCS", 0, 0 },
    { "page_http_equiv.gbk", "a.shtml", "GB18030", 0, 0 },
    { "page_http_equiv.gbk", NULL, "GB18030", 0, 0 },
    { "xml_decl.gb2312", "a.xml", "GB18030", 0, 0 },
    { "xml_decl_big5.big5", "a.xml", "BIG5-HKSCS", 0, 0 },
    { "page_lying_utf8.utf-8", "a.html", "UTF-8", 0, 0 },
    { "page_big5_labelled_gb.big5", "a.html", "BIG5-HKSCS", 0, 0 },
    { "invalid_mid.utf-8", "a.txt", "UTF-8", 3, 0 },
    { "invalid_gbk.gbk", "a.txt", "GB18030", 1, 0 },
    { "nul.utf-8", "a.txt", "UTF-8", 3, 0 },
};

static void test_fixtures(void)
{
    size_t i;
    for (i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        const struct fixture *f = &fixtures[i];
        char path[4200], exp_path[4200];
        char *raw = NULL, *exp;
        size_t rawlen = 0, explen = 0;
        struct enc_result r;
        struct err e;
        const char *dot;
        int rc;

        snprintf(path, sizeof path, "%s/%s", data_dir, f->file);
        dot = strrchr(f->file, '.');
        snprintf(exp_path, sizeof exp_path, "%s/%.*s.expected", data_dir,
                 (int)(dot - f->file), f->file);
        err_clear(&e);
        rc = enc_read_file(path, 32 * MB, &raw, &rawlen, &e);
        CHECK_INTEQ(rc, 0);
        exp = slurp(exp_path, &explen);
        CHECK(exp != NULL);
        if (rc || !exp) {
            fprintf(stderr, "%s: %s\n", f->file, e.msg);
            free(raw);
            free(exp);
            continue;
        }
        rc = enc_to_utf8(raw, rawlen, f->hint, &r, &e);
        CHECK_INTEQ(rc, 0);
        if (rc == 0) {
            int same = r.len == explen && memcmp(r.text, exp, explen) == 0;
            CHECK(same);
            CHECK_STREQ(r.charset, f->charset);
            CHECK_INTEQ(r.replaced, f->replaced);
            CHECK_INTEQ(r.had_bom, f->bom);
            CHECK(r.text[r.len] == 0);
            if (!same || strcmp(r.charset, f->charset) != 0)
                fprintf(stderr, "%s: got %s, %zu bytes:\n%.300s\n", f->file,
                        r.charset, r.len, r.text);
        } else {
            fprintf(stderr, "%s: %s\n", f->file, e.msg);
        }
        enc_result_release(&r);
        free(raw);
        free(exp);
    }
}

/* ---------------------------------------------------------------------- */

static void test_small_inputs(void)
{
    struct enc_result r;
    struct err e;
    int rc;

    rc = enc_to_utf8("", 0, "empty.txt", &r, &e);
    CHECK_INTEQ(rc, 0);
    CHECK(r.text != NULL && r.len == 0 && r.text[0] == 0);
    enc_result_release(&r);

    rc = enc_to_utf8("plain ascii\n", 12, NULL, &r, &e);
    CHECK_INTEQ(rc, 0);
    CHECK_STREQ(r.charset, "UTF-8");
    CHECK_INTEQ(r.len, 12);
    enc_result_release(&r);

    /* a UTF-8 BOM and nothing else */
    rc = enc_to_utf8("\xef\xbb\xbf", 3, NULL, &r, &e);
    CHECK_INTEQ(rc, 0);
    CHECK_INTEQ(r.len, 0);
    CHECK_INTEQ(r.had_bom, 1);
    enc_result_release(&r);

    /* overlong, surrogate and > U+10FFFF are not UTF-8: inside UTF-8
     * text they are replaced, never copied */
    {
        static const char *const bad[] = { "\xc0\xaf", "\xed\xa0\x80",
                                           "\xf4\x90\x80\x80", "\xe0\x80\xaf" };
        static const char zh[] = "\xe6\x94\xbf\xe5\xba\x9c\xe4\xbf\xa1\xe6"
            "\x81\xaf\xe5\x85\xac\xe5\xbc\x80\xe5\xb7\xa5\xe4\xbd\x9c";
        size_t i;
        for (i = 0; i < 4; i++) {
            char in[128];
            size_t n = (size_t)snprintf(in, sizeof in, "%s %s %s", zh, bad[i],
                                        zh);
            rc = enc_to_utf8(in, n, NULL, &r, &e);
            CHECK_INTEQ(rc, 0);
            if (rc)
                continue;
            CHECK_STREQ(r.charset, "UTF-8");
            CHECK(r.replaced >= 2);
            CHECK(strstr(r.text, bad[i]) == NULL);
            CHECK(strncmp(r.text, zh, sizeof zh - 1) == 0);
            CHECK(r.len > 2 * (sizeof zh - 1) &&
                  strcmp(r.text + r.len - (sizeof zh - 1), zh) == 0);
            enc_result_release(&r);
        }
    }

    /* a UTF-8 BOM with a broken sequence: stays UTF-8, one replacement */
    rc = enc_to_utf8("\xef\xbb\xbf\xe6\x94\xbf\xe5\xba\x9c x\xff y", 14, NULL,
                     &r, &e);
    CHECK_INTEQ(rc, 0);
    CHECK_STREQ(r.charset, "UTF-8");
    CHECK_INTEQ(r.replaced, 1);
    CHECK_STREQ(r.text, "\xe6\x94\xbf\xe5\xba\x9c x\xef\xbf\xbd y");
    enc_result_release(&r);

    /* a UTF-32LE BOM */
    rc = enc_to_utf8("\xff\xfe\0\0" "a\0\0\0" "\x3f\x65\0\0", 12, NULL, &r, &e);
    CHECK_INTEQ(rc, 0);
    CHECK_STREQ(r.charset, "UTF-32LE");
    CHECK_STREQ(r.text, "a\xe6\x94\xbf");
    enc_result_release(&r);
}

static void test_binary(void)
{
    enum { N = 65536 };
    unsigned char *p = malloc(N);
    uint32_t x = 12345;
    struct enc_result r;
    struct err e;
    size_t i;
    int rc, seed;

    CHECK(p != NULL);
    if (!p)
        return;
    for (seed = 1; seed <= 20; seed++) {
        x = (uint32_t)seed * 2654435761u;
        for (i = 0; i < N; i++) {
            x = x * 1103515245u + 12345u;
            p[i] = (unsigned char)(x >> 23);
        }
        err_clear(&e);
        rc = enc_to_utf8((const char *)p, N, "junk.bin", &r, &e);
        CHECK_INTEQ(rc, ENC_EBINARY);
        CHECK_INTEQ(e.code, ENC_EBINARY);
        CHECK(r.text == NULL);
        if (seed == 1) {
            CHECK(strstr(e.msg, "enc: 'junk.bin' does not look like text (")
                  == e.msg);
            CHECK(strstr(e.msg, "% control bytes)") != NULL);
        }
        enc_result_release(&r);
    }
    /* random bytes without any control byte: rare characters as GB */
    x = 7;
    for (i = 0; i < N;) {
        x = x * 1103515245u + 12345u;
        p[i] = (unsigned char)(x >> 23);
        if (p[i] >= 0x20 && p[i] != 0x7f)
            i++;
    }
    rc = enc_to_utf8((const char *)p, N, "junk.bin", &r, &e);
    CHECK_INTEQ(rc, ENC_EBINARY);
    CHECK(strstr(e.msg, "rare characters") != NULL);
    enc_result_release(&r);

    /* mostly NULs, as in a sparse binary file */
    memset(p, 0, N);
    memcpy(p + 100, "some text", 9);
    rc = enc_to_utf8((const char *)p, N, "zeros.dat", &r, &e);
    CHECK_INTEQ(rc, ENC_EBINARY);
    enc_result_release(&r);
    free(p);
}

/* ---------------------------------------------------------------------- */
/* gzip                                                                     */

/* gzip-compress src into a new malloc'd buffer */
static unsigned char *gz(const void *src, size_t n, size_t *outlen)
{
    z_stream zs;
    size_t cap;
    unsigned char *o;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        != Z_OK)
        return NULL;
    cap = deflateBound(&zs, (uLong)n) + 64;
    o = malloc(cap);
    zs.next_in = (unsigned char *)src;
    zs.avail_in = (uInt)n;
    zs.next_out = o;
    zs.avail_out = (uInt)cap;
    if (!o || deflate(&zs, Z_FINISH) != Z_STREAM_END) {
        free(o);
        deflateEnd(&zs);
        return NULL;
    }
    *outlen = cap - zs.avail_out;
    deflateEnd(&zs);
    return o;
}

static void test_gzip(void)
{
    char src_path[4200], path[256];
    char *text, *out;
    unsigned char *z1, *z2, *both;
    size_t tlen = 0, z1len = 0, z2len = 0, olen;
    struct err e;
    int rc;

    snprintf(src_path, sizeof src_path, "%s/gbk.gbk", data_dir);
    text = slurp(src_path, &tlen);
    CHECK(text != NULL);
    if (!text)
        return;
    z1 = gz(text, tlen, &z1len);
    z2 = gz("tail\n", 5, &z2len);
    CHECK(z1 && z2);
    if (!z1 || !z2)
        goto out;

    /* one member: the original bytes come back */
    snprintf(path, sizeof path, "%s/a.txt.gz", tmp_dir);
    spew(path, z1, z1len);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, 0);
    CHECK(rc == 0 && olen == tlen && memcmp(out, text, tlen) == 0);
    free(out);

    /* the name decides: the same bytes without .gz are read as they are */
    snprintf(path, sizeof path, "%s/a.txt", tmp_dir);
    spew(path, z1, z1len);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, 0);
    CHECK_INTEQ(olen, z1len);
    free(out);

    /* two members, then trailing zero padding */
    both = malloc(z1len + z2len + 16);
    CHECK(both != NULL);
    if (both) {
        memcpy(both, z1, z1len);
        memcpy(both + z1len, z2, z2len);
        memset(both + z1len + z2len, 0, 16);
        snprintf(path, sizeof path, "%s/b.txt.GZ", tmp_dir);
        spew(path, both, z1len + z2len + 16);
        rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
        CHECK_INTEQ(rc, 0);
        CHECK(rc == 0 && olen == tlen + 5 && memcmp(out, text, tlen) == 0 &&
              memcmp(out + tlen, "tail\n", 5) == 0);
        free(out);
        free(both);
    }

    /* truncated: no end of stream */
    snprintf(path, sizeof path, "%s/trunc.gz", tmp_dir);
    spew(path, z1, z1len - 12);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);
    CHECK(out == NULL);
    CHECK(strstr(e.msg, "truncated gzip stream") != NULL);
    spew(path, z1, 10);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);

    /* corrupt: a damaged CRC, then damaged data */
    z1[z1len - 6] ^= 0x55;
    snprintf(path, sizeof path, "%s/crc.gz", tmp_dir);
    spew(path, z1, z1len);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);
    CHECK(strstr(e.msg, "enc: cannot inflate '") == e.msg);
    z1[z1len - 6] ^= 0x55;
    memset(z1 + 12, 0xff, 8);
    spew(path, z1, z1len);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);

    /* not gzip at all, and empty */
    spew(path, "hello, world\n", 13);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);
    spew(path, "", 0);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EGZIP);

    /* decompressed size exactly at the cap is fine, one byte over is not */
    snprintf(path, sizeof path, "%s/a.txt.gz", tmp_dir);
    spew(path, z2, z2len);
    rc = enc_read_file(path, 5, &out, &olen, &e);
    CHECK_INTEQ(rc, 0);
    free(out);
    rc = enc_read_file(path, 4, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_ETOOBIG);
out:
    free(z1);
    free(z2);
    free(text);
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 200 MB of zeros, compressed in chunks (never held whole), must stop at
 * the 32 MB cap quickly. */
static void test_gzip_bomb(void)
{
    enum { CHUNK = 1 << 20 };
    static unsigned char zero[CHUNK];
    char path[256];
    z_stream zs;
    unsigned char *o;
    size_t cap = 1 << 20, olen, zlen, i;
    char *out = NULL;
    struct err e;
    double t;
    long rss0, rss1;
    int rc;

    memset(&zs, 0, sizeof zs);
    o = malloc(cap);
    CHECK(o != NULL);
    if (!o || deflateInit2(&zs, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY)
        != Z_OK) {
        free(o);
        return;
    }
    zs.next_out = o;
    zs.avail_out = (uInt)cap;
    for (i = 0; i < 200; i++) {
        zs.next_in = zero;
        zs.avail_in = CHUNK;
        rc = deflate(&zs, i == 199 ? Z_FINISH : Z_NO_FLUSH);
        CHECK(zs.avail_out > 0);
    }
    CHECK_INTEQ(rc, Z_STREAM_END);
    zlen = cap - zs.avail_out;
    deflateEnd(&zs);
    snprintf(path, sizeof path, "%s/bomb.txt.gz", tmp_dir);
    spew(path, o, zlen);
    free(o);

    rss0 = maxrss_kb();
    t = now();
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    t = now() - t;
    rss1 = maxrss_kb();
    CHECK_INTEQ(rc, ENC_ETOOBIG);
    CHECK(out == NULL);
    CHECK(strstr(e.msg, "decompresses to more than 32 MB: rejected as a "
                 "possible gzip bomb") != NULL);
    CHECK(t < 5.0);
    CHECK(rss1 - rss0 < 160 * 1024);  /* the cap (ASan: + quarantine) */
    printf("info: gzip bomb (%zu KB -> 200 MB) rejected in %.3f s, "
           "max RSS +%ld MB\n", zlen / 1024, t, (rss1 - rss0) / 1024);
}

static void test_plain_caps(void)
{
    char path[256];
    char *out = (char *)1;
    size_t olen = 7;
    struct err e;
    int fd, rc;

    /* a sparse 60.2 MB file: rejected from its size, never read */
    snprintf(path, sizeof path, "%s/x.txt", tmp_dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(ftruncate(fd, (off_t)(60.2 * MB)) == 0);
        close(fd);
    }
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_ETOOBIG);
    CHECK(out == NULL && olen == 0);
    CHECK(strstr(e.msg, "x.txt' is 60.2 MB, over the 32 MB cap: skipped")
          != NULL);

    /* exactly at the cap, and one byte over */
    spew(path, "0123456789", 10);
    rc = enc_read_file(path, 10, &out, &olen, &e);
    CHECK_INTEQ(rc, 0);
    CHECK(rc == 0 && olen == 10 && strcmp(out, "0123456789") == 0);
    free(out);
    rc = enc_read_file(path, 9, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_ETOOBIG);

    /* an empty file is read (the caller decides) */
    spew(path, "", 0);
    rc = enc_read_file(path, 10, &out, &olen, &e);
    CHECK_INTEQ(rc, 0);
    CHECK(rc == 0 && olen == 0 && out[0] == 0);
    free(out);

    /* a directory and a missing file */
    rc = enc_read_file(tmp_dir, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EIO);
    CHECK(strstr(e.msg, "not a regular file") != NULL);
    snprintf(path, sizeof path, "%s/missing.txt", tmp_dir);
    rc = enc_read_file(path, 32 * MB, &out, &olen, &e);
    CHECK_INTEQ(rc, ENC_EIO);
    CHECK(strstr(e.msg, "enc: cannot open '") == e.msg);
}

/* ---------------------------------------------------------------------- */
/* two threads race to build the common-character set                      */

struct job {
    const char *file, *charset;
    int ok;
};

static void *run_job(void *arg)
{
    struct job *j = arg;
    char path[4200];
    char *raw;
    size_t n = 0;
    int k;
    snprintf(path, sizeof path, "%s/%s", data_dir, j->file);
    raw = slurp(path, &n);
    j->ok = raw != NULL;
    for (k = 0; raw && k < 20; k++) {
        struct enc_result r;
        struct err e;
        if (enc_to_utf8(raw, n, "x.txt", &r, &e) != 0 ||
            strcmp(r.charset, j->charset) != 0)
            j->ok = 0;
        enc_result_release(&r);
    }
    free(raw);
    return NULL;
}

static void test_threads(void)
{
    struct job a = { "big5.big5", "BIG5-HKSCS", 0 };
    struct job b = { "gbk.gbk", "GB18030", 0 };
    pthread_t ta, tb;
    CHECK(pthread_create(&ta, NULL, run_job, &a) == 0);
    CHECK(pthread_create(&tb, NULL, run_job, &b) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.ok);
    CHECK(b.ok);
}

/* ---------------------------------------------------------------------- */
/* the shared corpus: every file is UTF-8                                   */

static size_t corp_files, corp_bytes, corp_bad;
static double corp_time, corp_read_time;

static int corp_visit(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    char *raw = NULL;
    size_t n = 0;
    struct enc_result r;
    struct err e;
    double t;
    int rc;
    (void)st;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    t = now();
    rc = enc_read_file(path, 32 * MB, &raw, &n, &e);
    corp_read_time += now() - t;
    if (rc) {
        if (corp_bad++ < 5)
            fprintf(stderr, "corpus: %s\n", e.msg);
        return 0;
    }
    t = now();
    rc = enc_to_utf8(raw, n, path, &r, &e);
    corp_time += now() - t;
    corp_files++;
    corp_bytes += n;
    if (rc || strcmp(r.charset, "UTF-8") != 0 || r.replaced) {
        if (corp_bad++ < 5)
            fprintf(stderr, "corpus: %s: rc %d %s %zu replaced %s\n", path,
                    rc, rc ? "" : r.charset, rc ? 0 : r.replaced, e.msg);
    }
    enc_result_release(&r);
    free(raw);
    return 0;
}

static void test_corpus(void)
{
    char dir[4200];
    const char *shared = getenv("SHARED");
    const char *root = getenv("ROOT");
    struct stat st;
    if (shared)
        snprintf(dir, sizeof dir, "%s/corpus", shared);
    else
        snprintf(dir, sizeof dir, "%s/../shared/corpus", root ? root : ".");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("SKIP enc corpus: %s not found\n", dir);
        return;
    }
    CHECK(nftw(dir, corp_visit, 32, FTW_PHYS) == 0);
    CHECK(corp_files > 0);
    CHECK_INTEQ(corp_bad, 0);
    printf("info: corpus %zu files, %.1f MB: enc_to_utf8 %.0f MB/s, "
           "enc_read_file %.0f MB/s\n", corp_files, corp_bytes / 1048576.0,
           corp_bytes / 1048576.0 / (corp_time > 0 ? corp_time : 1e-9),
           corp_bytes / 1048576.0 /
           (corp_read_time > 0 ? corp_read_time : 1e-9));
}

static int rm_visit(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

/* A request body and its Content-Type (searchd's drafts): the declared
 * charset is read, checked against the bytes, and detection takes over
 * when there is none or it is wrong. */
static void test_mime(void)
{
    static const char gb[] = /* 为加强食品安全监督管理，制定本办法。 */
        "\xce\xaa\xbc\xd3\xc7\xbf\xca\xb3\xc6\xb7\xb0\xb2\xc8\xab\xbc\xe0"
        "\xb6\xbd\xb9\xdc\xc0\xed\xa3\xac\xd6\xc6\xb6\xa8\xb1\xbe\xb0\xec"
        "\xb7\xa8\xa1\xa3";
    static const char b5[] = /* 為加強資訊公開，制定本條例。 */
        "\xac\xb0\xa5\x5b\xb1\x6a\xb8\xea\xb0\x54\xa4\xbd\xb6\x7d\xa1\x41"
        "\xa8\xee\xa9\x77\xa5\xbb\xb1\xf8\xa8\xd2\xa1\x43";
    static const char gb_u8[] = "为加强食品安全监督管理，制定本办法。";
    static const char b5_u8[] = "為加強資訊公開，制定本條例。";
    static const struct {
        const char *bytes, *ctype, *want, *cs;
    } cases[] = {
        { gb, "text/plain; charset=gbk", gb_u8, "GB18030" },
        { gb, "text/plain; charset=\"GB2312\"", gb_u8, "GB18030" },
        { gb, "text/plain", gb_u8, "GB18030" },          /* detected */
        { gb, NULL, gb_u8, "GB18030" },
        { gb, "text/plain; charset=utf-8", gb_u8, "GB18030" }, /* a lie */
        { gb, "text/plain; charset=big5", gb_u8, "GB18030" },  /* checked */
        { b5, "text/plain; charset=big5", b5_u8, "BIG5-HKSCS" },
        { b5, "text/plain", b5_u8, "BIG5-HKSCS" },
        { gb_u8, "text/plain; charset=gbk", gb_u8, "UTF-8" }, /* valid UTF-8 */
        { gb_u8, NULL, gb_u8, "UTF-8" },
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct enc_result r;
        struct err e = {0};
        int rc = enc_to_utf8_mime(cases[i].bytes, strlen(cases[i].bytes),
                                  cases[i].ctype, &r, &e);
        CHECK_INTEQ(rc, 0);
        if (rc == 0) {
            CHECK_STREQ(r.text, cases[i].want);
            CHECK_STREQ(r.charset, cases[i].cs);
            CHECK_INTEQ(r.replaced, 0);
            enc_result_release(&r);
        }
    }
    {   /* NUL bytes are dropped, not an end */
        static const char nul[] = "为加强\0食品安全";
        struct enc_result r;
        struct err e = {0};
        CHECK_INTEQ(enc_to_utf8_mime(nul, sizeof nul - 1, "text/plain", &r, &e), 0);
        CHECK_STREQ(r.text, "为加强食品安全");
        enc_result_release(&r);
    }
    {   /* binary junk is not text, whatever it says it is */
        unsigned char junk[2048];
        struct enc_result r;
        struct err e = {0};
        for (i = 0; i < sizeof junk; i++)
            junk[i] = (unsigned char)(i * 7 + (i >> 3));
        CHECK(enc_to_utf8_mime((const char *)junk, sizeof junk,
                               "text/plain; charset=utf-8", &r, &e) == ENC_EBINARY);
        CHECK(r.text == NULL);
    }
}

int main(void)
{
    const char *root = getenv("ROOT");
    snprintf(data_dir, sizeof data_dir, "%s/tests/data/enc",
             root ? root : ".");
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/test_enc.XXXXXX");
    if (!mkdtemp(tmp_dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_threads();
    test_fixtures();
    test_small_inputs();
    test_mime();
    test_binary();
    test_gzip();
    test_gzip_bomb();
    test_plain_caps();
    test_corpus();
    nftw(tmp_dir, rm_visit, 16, FTW_DEPTH | FTW_PHYS);
    return check_done();
}
