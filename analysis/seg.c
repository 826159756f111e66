/* seg.c - jieba-dictionary segmentation (see seg.h). One open-addressing
 * hash of every word and every prefix of a word (prefixes let the DAG scan
 * stop as soon as no longer word can follow), FNV-1a hashed incrementally
 * as a candidate word grows by one character. */
#include "analysis/seg.h"
#include "analysis/fold.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEG_MAXLEN 16      /* longest word considered, in characters */
#define SEG_WINDOW 512     /* a longer Han run is segmented in windows */
#define FNV_OFF 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

struct slot {        /* 16 bytes: four to a cache line */
    uint32_t h;     /* high half of the hash; 0 = empty */
    uint32_t off;   /* key bytes in arena */
    uint16_t len;
    uint8_t word;   /* a word (else only a prefix) */
    uint8_t pad;
    float logp;
};

static struct slot *slots;
static size_t nslots;   /* power of two */
static char *arena;
static size_t arena_len, arena_cap;
static double log_total;
static int seg_ok;
static char seg_msg[256];
static const char *seg_path;
static pthread_once_t seg_once = PTHREAD_ONCE_INIT;

static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= FNV_PRIME;
    }
    return h;
}

static struct slot *find(uint64_t h64, const char *s, size_t n)
{
    size_t i = (size_t)h64 & (nslots - 1);
    uint32_t h = (uint32_t)(h64 >> 32);
    if (!h)
        h = 1;
    for (;;) {
        struct slot *sl = &slots[i];
        if (!sl->h)
            return sl;
        if (sl->h == h && sl->len == n && !memcmp(arena + sl->off, s, n))
            return sl;
        i = (i + 1) & (nslots - 1);
    }
}

static int put(const char *s, size_t n, int word, double freq)
{
    uint64_t h64 = fnv_add(FNV_OFF, s, n);
    uint32_t h = (uint32_t)(h64 >> 32);
    struct slot *sl;
    if (!h)
        h = 1;
    sl = find(h64, s, n);
    if (!sl->h) {
        if (arena_len + n > arena_cap) {
            size_t nc = arena_cap ? arena_cap * 2 : 1 << 22;
            char *np = realloc(arena, nc);
            if (!np)
                return -1;
            arena = np;
            arena_cap = nc;
        }
        memcpy(arena + arena_len, s, n);
        sl->h = h;
        sl->off = (uint32_t)arena_len;
        sl->len = (uint16_t)n;
        arena_len += n;
        sl->logp = 0;
    }
    if (word) {
        /* freq is stored now, turned into a log-probability at the end */
        sl->logp = (float)(sl->word ? sl->logp + freq : freq);
        sl->word = 1;
    }
    return 0;
}

static void seg_load(void)
{
    FILE *f = fopen(seg_path, "r");
    char line[512];
    double total = 0;
    size_t i, nwords = 0;
    if (!f) {
        snprintf(seg_msg, sizeof seg_msg,
                 "seg: cannot open the jieba dictionary '%s' (install python3-jieba): "
                 "words are off, n-grams still find everything", seg_path);
        return;
    }
    nslots = 1 << 21;
    slots = calloc(nslots, sizeof *slots);
    if (!slots)
        goto oom;
    while (fgets(line, sizeof line, f)) {
        char *sp = strchr(line, ' '), *folded;
        double freq;
        size_t fl, k;
        if (!sp)
            continue;
        freq = strtod(sp + 1, NULL);
        if (freq <= 0)
            freq = 1;
        folded = fold_str(line, (size_t)(sp - line), &fl);
        if (!folded)
            goto oom;
        /* every prefix (at character boundaries), then the word itself */
        for (k = 1; k < fl; k++) {
            if (((unsigned char)folded[k] & 0xC0) != 0x80 &&
                put(folded, k, 0, 0) < 0) {
                free(folded);
                goto oom;
            }
        }
        if (fl && put(folded, fl, 1, freq) < 0) {
            free(folded);
            goto oom;
        }
        free(folded);
        total += freq;
        nwords++;
        if (arena_len > ((size_t)1 << 30)) /* a sane cap on a huge dictionary */
            break;
    }
    fclose(f);
    f = NULL;
    log_total = log(total);
    for (i = 0; i < nslots; i++)
        if (slots[i].h && slots[i].word)
            slots[i].logp = (float)(log(slots[i].logp) - log_total);
    seg_ok = 1;
    return;
oom:
    if (f)
        fclose(f);
    snprintf(seg_msg, sizeof seg_msg, "seg: out of memory loading '%s'", seg_path);
}

int seg_init(const char *path, struct err *e)
{
    if (!path)
        path = getenv("GOVSEARCH_DICT");
    if (!path)
        path = "/usr/lib/python3/dist-packages/jieba/dict.txt";
    if (!seg_path)
        seg_path = path;
    if (fold_init(e) < 0)
        return -1;
    pthread_once(&seg_once, seg_load);
    if (!seg_ok) {
        err_set(e, -1, "%s", seg_msg);
        return -1;
    }
    return 0;
}

int seg_ready(void)
{
    return seg_ok;
}

int seg_is_word(const char *s, size_t len)
{
    struct slot *sl;
    uint64_t h;
    if (!seg_ok)
        return 0;
    h = fnv_add(FNV_OFF, s, len);
    sl = find(h, s, len);
    return sl->h && sl->word;
}

/* Segment one window of at most SEG_WINDOW characters. */
static size_t seg_window(const uint32_t *cps, size_t n, struct seg_word *out,
                         size_t max)
{
    double best[SEG_WINDOW + 1];
    uint16_t next[SEG_WINDOW + 1];
    float wlogp[SEG_WINDOW][SEG_MAXLEN + 1]; /* NaN-free: -1e30 = not a word */
    size_t i, j, nout = 0;
    double miss = -log_total; /* log(1) - log(total), jieba's default */

    for (i = 0; i < n; i++) {
        uint64_t h = FNV_OFF;
        char key[SEG_MAXLEN * 4];
        size_t kl = 0;
        for (j = 0; j <= SEG_MAXLEN; j++)
            wlogp[i][j] = -1e30f;
        for (j = i; j < n && j - i < SEG_MAXLEN; j++) {
            char enc[4];
            size_t el = utf8_enc(cps[j], enc);
            struct slot *sl;
            memcpy(key + kl, enc, el);
            kl += el;
            h = fnv_add(h, enc, el);
            sl = find(h, key, kl);
            if (!sl->h)
                break;          /* not even a prefix: no longer word */
            if (sl->word)
                wlogp[i][j - i + 1] = sl->logp;
        }
    }
    best[n] = 0;
    for (i = n; i-- > 0;) {
        size_t lim = n - i < SEG_MAXLEN ? n - i : SEG_MAXLEN;
        double b = (wlogp[i][1] > -1e29f ? wlogp[i][1] : miss) + best[i + 1];
        size_t bn = i + 1;
        for (j = 2; j <= lim; j++) {
            if (wlogp[i][j] > -1e29f) {
                double v = wlogp[i][j] + best[i + j];
                if (v > b) {
                    b = v;
                    bn = i + j;
                }
            }
        }
        best[i] = b;
        next[i] = (uint16_t)bn;
    }
    for (i = 0; i < n && nout < max; i = next[i]) {
        size_t e = next[i], len = e - i, k, l;
        out[nout].start = (uint32_t)i;
        out[nout].end = (uint32_t)e;
        out[nout].sub = 0;
        nout++;
        /* cut_for_search: dictionary 2- and 3-grams inside longer words */
        for (l = 2; l <= 3 && len > l; l++) {
            for (k = i; k + l <= e && nout < max; k++) {
                if (wlogp[k][l] > -1e29f) {
                    out[nout].start = (uint32_t)k;
                    out[nout].end = (uint32_t)(k + l);
                    out[nout].sub = 1;
                    nout++;
                }
            }
        }
    }
    return nout;
}

size_t seg_run(const uint32_t *cps, size_t n, struct seg_word *out, size_t max)
{
    size_t done = 0, nout = 0;
    if (!seg_ok) {
        /* no dictionary: every character is its own word */
        for (; done < n && nout < max; done++, nout++) {
            out[nout].start = (uint32_t)done;
            out[nout].end = (uint32_t)done + 1;
            out[nout].sub = 0;
        }
        return nout;
    }
    while (done < n && nout < max) {
        size_t w = n - done < SEG_WINDOW ? n - done : SEG_WINDOW, k, got;
        got = seg_window(cps + done, w, out + nout, max - nout);
        for (k = nout; k < nout + got; k++) {
            out[k].start += (uint32_t)done;
            out[k].end += (uint32_t)done;
        }
        nout += got;
        done += w;
    }
    return nout;
}
