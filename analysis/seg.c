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
#include <sys/mman.h>

#define SEG_MAXLEN 16      /* longest word considered, in characters */
#define SEG_WINDOW 512     /* a longer Han run is segmented in windows */
#define FNV_OFF 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

struct slot {        /* 12 bytes; no key is stored: a 64-bit hash of the
                        code points (slot index + 32 check bits + length)
                        identifies a word among ~500,000 keys */
    uint32_t h;     /* high half of the hash; 0 = empty */
    uint8_t len;    /* characters */
    uint8_t word;   /* a word (else only a prefix) */
    uint8_t more;   /* some longer key starts with it */
    uint8_t pad;
    float logp;
};

static struct slot *slots;
static size_t nslots;   /* power of two */
/* the two-character keys again, in a table a tenth the size: the second
 * step at every position (cache-friendly; the longer steps are rarer).
 * h: high hash bits with bit 0 set when a longer key follows; 0 = empty */
struct bislot {
    uint32_t h;
    float logp;     /* -1e30 = a prefix only */
};
#define SEG_NBI ((size_t)1 << 19)
static struct bislot *bis;
static size_t nbi;
static int bi_ok = 1;   /* bis holds every two-character key */
/* single characters looked up directly: the first step at every position */
#define SEG_CHARS 0x30000u
static float *char_logp;        /* -1e30 = not a word */
static uint8_t *char_prefix;    /* starts a longer word */
static size_t nkeys;
static double log_total;
static int seg_ok;
static char seg_msg[256];
static const char *seg_path;
static pthread_once_t seg_once = PTHREAD_ONCE_INIT;

static inline uint64_t hash_cp(uint64_t h, uint32_t c)
{
    h ^= c;
    h *= FNV_PRIME;
    return h;
}

static inline uint64_t hash_fin(uint64_t h)
{
    h ^= h >> 31;
    h *= 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
    return h;
}

static struct slot *find(uint64_t h64, size_t n)
{
    size_t i = (size_t)h64 & (nslots - 1);
    uint32_t h = (uint32_t)(h64 >> 32);
    if (!h)
        h = 1;
    for (;;) {
        struct slot *sl = &slots[i];
        if (!sl->h || (sl->h == h && sl->len == n))
            return sl;
        i = (i + 1) & (nslots - 1);
    }
}

static uint32_t bi_check(uint64_t h64)
{
    uint32_t h = (uint32_t)(h64 >> 32) & ~1u;
    return h ? h : 2;
}

/* The two-character key of hash h64: its slot, or NULL. */
static inline const struct bislot *bi_find(uint64_t h64)
{
    size_t i = (size_t)h64 & (SEG_NBI - 1);
    uint32_t h = bi_check(h64);
    for (;;) {
        const struct bislot *b = &bis[i];
        if (!b->h)
            return NULL;
        if ((b->h & ~1u) == h)
            return b;
        i = (i + 1) & (SEG_NBI - 1);
    }
}

static void bi_put(uint64_t h64, const struct slot *sl)
{
    size_t i = (size_t)h64 & (SEG_NBI - 1);
    uint32_t h = bi_check(h64);
    while (bis[i].h && (bis[i].h & ~1u) != h)
        i = (i + 1) & (SEG_NBI - 1);
    if (!bis[i].h && ++nbi > SEG_NBI * 3 / 4) {
        bi_ok = 0; /* too full to probe well: not used */
        return;
    }
    bis[i].h = h | (sl->more ? 1u : 0u);
    bis[i].logp = sl->word ? sl->logp : -1e30f;
}

static struct slot *put(uint64_t h64, size_t n, int word, double freq)
{
    struct slot *sl = find(h64, n);
    if (!sl->h) {
        uint32_t h = (uint32_t)(h64 >> 32);
        sl->h = h ? h : 1;
        sl->len = (uint8_t)n;
        sl->logp = 0;
        nkeys++;
    }
    if (word) {
        /* freq is stored now, turned into a log-probability at the end */
        sl->logp = (float)(sl->word ? sl->logp + freq : freq);
        sl->word = 1;
    }
    return sl;
}

static void seg_load(void)
{
    FILE *f = fopen(seg_path, "r");
    char line[512];
    double total = 0;
    size_t i, nbikeys = 0, bicap = 1 << 18;
    uint64_t *bikeys = NULL;
    if (!f) {
        snprintf(seg_msg, sizeof seg_msg,
                 "seg: cannot open the jieba dictionary '%s' (install python3-jieba): "
                 "words are off, n-grams still find everything", seg_path);
        return;
    }
    nslots = 1 << 21;
    {
        size_t bytes = nslots * sizeof *slots;
        /* 2 MB pages where the kernel gives them: fewer TLB misses */
        if (posix_memalign((void **)&slots, (size_t)2 << 20, bytes) == 0) {
            memset(slots, 0, bytes);
            madvise(slots, bytes, MADV_HUGEPAGE);
        } else {
            slots = NULL;
        }
    }
    char_logp = malloc(SEG_CHARS * sizeof *char_logp);
    char_prefix = calloc(SEG_CHARS, 1);
    if (!slots || !char_logp || !char_prefix) {
        fclose(f);
        snprintf(seg_msg, sizeof seg_msg, "seg: out of memory loading '%s'", seg_path);
        return;
    }
    bis = calloc(SEG_NBI, sizeof *bis);
    bikeys = malloc(bicap * sizeof *bikeys);
    if (!bis || !bikeys) {
        fclose(f);
        free(bikeys);
        snprintf(seg_msg, sizeof seg_msg, "seg: out of memory loading '%s'", seg_path);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *sp = strchr(line, ' '), *folded;
        double freq;
        size_t fl, k = 0, n = 0;
        uint64_t h = FNV_OFF;
        if (!sp)
            continue;
        freq = strtod(sp + 1, NULL);
        if (freq <= 0)
            freq = 1;
        folded = fold_str(line, (size_t)(sp - line), &fl);
        if (!folded)
            continue;
        /* every prefix (as a prefix), then the word itself; each key says
         * whether a longer one follows it */
        {
            struct slot *prev = NULL;
            while (k < fl && n < SEG_MAXLEN) {
                uint32_t c;
                struct slot *sl;
                k += utf8_dec((const unsigned char *)folded + k, fl - k, &c);
                h = hash_cp(h, c);
                n++;
                sl = put(hash_fin(h), n, k == fl, freq);
                if (prev)
                    prev->more = 1;
                prev = sl;
                if (n == 2) {
                    if (nbikeys == bicap) {
                        uint64_t *nb = realloc(bikeys, 2 * bicap * sizeof *nb);
                        if (nb) {
                            bikeys = nb;
                            bicap *= 2;
                        }
                    }
                    if (nbikeys < bicap)
                        bikeys[nbikeys++] = hash_fin(h);
                    else
                        bi_ok = 0; /* the step falls back to the big table */
                }
            }
        }
        free(folded);
        total += freq;
        if (nkeys * 2 > nslots) /* keep the load factor under one half */
            break;
    }
    fclose(f);
    log_total = log(total);
    for (i = 0; i < nslots; i++)
        if (slots[i].h && slots[i].word)
            slots[i].logp = (float)(log(slots[i].logp) - log_total);
    for (i = 0; i < nbikeys; i++)
        bi_put(bikeys[i], find(bikeys[i], 2));
    free(bikeys);
    for (i = 0; i < SEG_CHARS; i++) {
        struct slot *sl = find(hash_fin(hash_cp(FNV_OFF, (uint32_t)i)), 1);
        char_logp[i] = sl->h && sl->word ? sl->logp : -1e30f;
        char_prefix[i] = sl->h != 0;
    }
    seg_ok = 1;
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
    uint64_t h = FNV_OFF;
    size_t k = 0, n = 0;
    if (!seg_ok)
        return 0;
    while (k < len) {
        uint32_t c;
        k += utf8_dec((const unsigned char *)s + k, len - k, &c);
        h = hash_cp(h, c);
        n++;
    }
    if (n == 0 || n > SEG_MAXLEN)
        return 0;
    sl = find(hash_fin(h), n);
    return sl->h && sl->word;
}

/* Segment one window of at most SEG_WINDOW characters. */
static size_t seg_window(const uint32_t *cps, size_t n, struct seg_word *out,
                         size_t max)
{
    double best[SEG_WINDOW + 1];
    uint16_t next[SEG_WINDOW + 1];
    /* wlogp[i][l]: the word of l characters at i (-1e30 = none), set for
     * l <= mx[i] only: the lengths probed */
    float wlogp[SEG_WINDOW][SEG_MAXLEN + 1];
    uint8_t mx[SEG_WINDOW];
    size_t i, j, nout = 0;
    double miss = -log_total; /* log(1) - log(total), jieba's default */
    for (i = 0; i < n; i++) {
        uint64_t h = FNV_OFF;
        mx[i] = 1;
        wlogp[i][1] = -1e30f;
        j = i;
        if (cps[i] < SEG_CHARS) {
            /* the one-character step is a table lookup, not a hash probe */
            wlogp[i][1] = char_logp[cps[i]];
            if (!char_prefix[cps[i]])
                continue;
            h = hash_cp(h, cps[i]);
            j = i + 1;
        }
        if (bi_ok && j == i + 1 && j < n) { /* the two-character step */
            const struct bislot *b;
            h = hash_cp(h, cps[j]);
            b = bi_find(hash_fin(h));
            if (!b)
                continue;       /* not even a prefix: no longer word */
            wlogp[i][2] = b->logp;
            mx[i] = 2;
            if (!(b->h & 1u))
                continue;       /* no longer key starts with it */
            j++;
        }
        for (; j < n && j - i < SEG_MAXLEN; j++) {
            struct slot *sl;
            size_t l = j - i + 1;
            h = hash_cp(h, cps[j]);
            sl = find(hash_fin(h), l);
            if (!sl->h)
                break;          /* not even a prefix: no longer word */
            wlogp[i][l] = sl->word ? sl->logp : -1e30f;
            mx[i] = (uint8_t)l;
            if (!sl->more)
                break;          /* no longer key starts with it */
        }
    }
    best[n] = 0;
    for (i = n; i-- > 0;) {
        size_t lim = n - i < SEG_MAXLEN ? n - i : SEG_MAXLEN;
        double b = (wlogp[i][1] > -1e29f ? wlogp[i][1] : miss) + best[i + 1];
        size_t bn = i + 1;
        if (lim > mx[i])
            lim = mx[i];
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
                if (l <= mx[k] && wlogp[k][l] > -1e29f) {
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
