/* substr_check.c - the exact-substring property of quoted Chinese queries,
 * checked by brute force: for random strings of 1-10 Han characters taken
 * from random documents, the documents a quoted query returns must be
 * exactly those whose (folded) title, document number, unit or text
 * contains the string (the body layer: indexer/docbuild.c).
 *   substr_check CORPUS_ROOT INDEX_DIR [N [SEED]]
 * Prints recall and precision over all queries and "N passed, N failed"
 * (one check per query). Used by tests/e2e/corpus.sh. */
#define _GNU_SOURCE
#include "analysis/ana.h"
#include "analysis/fold.h"
#include "analysis/query.h"
#include "indexer/enc.h"
#include "indexer/extract.h"
#include "indexer/walk.h"
#include "shim/xs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc {
    char *id;
    char *folded;       /* folded title。docno。unit。text */
    size_t len;
};

static unsigned long long rng = 88172645463325252ULL;
static unsigned long long next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* s folded the engine's way: one folded character per original one, white
 * space between two Han characters dropped (a phrase matches across a line
 * broken inside a sentence). malloc'd. */
static char *fold_join(const char *s, size_t len, size_t *outlen)
{
    uint32_t *c, *st, *en;
    size_t n = ana_fold_cps(s, len, &c, &st, &en), i, o = 0;
    char *out;
    if (n == (size_t)-1)
        return NULL;
    n = ana_join_han(c, st, en, n);
    out = malloc(4 * n + 1);
    for (i = 0; out && i < n; i++)
        o += utf8_enc(c[i], out + o);
    if (out)
        out[o] = 0;
    free(c);
    *outlen = o;
    return out;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    struct walk_list wl;
    struct err e = {0};
    struct doc *docs = NULL;
    size_t ndocs = 0, cap = 0, i, nq, pass = 0, fail = 0;
    size_t tp = 0, fp = 0, fn = 0;
    struct qp qp;
    xs_reader *r;
    xs_err xe;
    char root[4096];

    if (argc < 3) {
        fprintf(stderr, "usage: substr_check CORPUS_ROOT INDEX_DIR [N [SEED]]\n");
        return 2;
    }
    nq = argc > 3 ? (size_t)atol(argv[3]) : 300;
    if (argc > 4)
        rng = (unsigned long long)atoll(argv[4]) * 2654435761ULL + 1;
    if (!realpath(argv[1], root) || ana_global_init(&e) < 0 ||
        extract_init(NULL, &e) < 0 || qp_init(&qp, &e) < 0 ||
        walk_tree(root, NULL, &wl, &e) < 0) {
        fprintf(stderr, "substr_check: %s\n", e.msg);
        return 2;
    }
    if (xs_reader_open(argv[2], &r, &xe) != XS_OK) {
        fprintf(stderr, "substr_check: %s\n", xe.msg);
        return 2;
    }
    for (i = 0; i < wl.n; i++) {
        char *bytes;
        size_t len, k;
        struct enc_result er = {0};
        struct recs rs = {0};
        if (enc_read_file(wl.v[i].abs, 32 << 20, &bytes, &len, &e) < 0)
            continue;
        if (len && enc_to_utf8(bytes, len, wl.v[i].rel, &er, &e) == 0 &&
            extract_file(wl.v[i].rel, er.text, er.len, &rs, &e) == 0) {
            for (k = 0; k < rs.n; k++) {
                /* what the body layer holds (indexer/docbuild.c): title,
                 * document number, unit and text, each its own field */
                const char *fs[4];
                size_t f, fl, tot = 0;
                char *fv[4];
                size_t fvl[4];
                fs[0] = rs.v[k].title;
                fs[1] = rs.v[k].docno;
                fs[2] = rs.v[k].unit;
                fs[3] = rs.v[k].text;
                for (f = 0; f < 4; f++) {
                    const char *v = fs[f] ? fs[f] : "";
                    fv[f] = fold_join(v, strlen(v), &fvl[f]);
                    tot += fvl[f] + 3;
                }
                if (ndocs == cap) {
                    cap = cap ? cap * 2 : 1024;
                    docs = realloc(docs, cap * sizeof *docs);
                }
                docs[ndocs].id = malloc(strlen(wl.v[i].rel) + (rs.v[k].key ? strlen(rs.v[k].key) : 0) + 2);
                if (rs.v[k].key)
                    sprintf(docs[ndocs].id, "%s#%s", wl.v[i].rel, rs.v[k].key);
                else
                    strcpy(docs[ndocs].id, wl.v[i].rel);
                /* separate fields: joined by a punctuation mark, which no
                 * phrase crosses */
                docs[ndocs].folded = malloc(tot + 1);
                for (f = 0, fl = 0; f < 4; f++) {
                    if (f) {
                        memcpy(docs[ndocs].folded + fl, "\xE3\x80\x82", 3);
                        fl += 3;
                    }
                    memcpy(docs[ndocs].folded + fl, fv[f], fvl[f]);
                    fl += fvl[f];
                    free(fv[f]);
                }
                docs[ndocs].folded[fl] = 0;
                docs[ndocs].len = fl;
                ndocs++;
            }
        }
        free(bytes);
        enc_result_release(&er);
        recs_release(&rs);
    }
    printf("substr_check: %zu documents loaded, %zu in the index\n", ndocs,
           xs_reader_doccount(r));
    for (i = 0; i < nq && ndocs; i++) {
        /* a random run of 1-10 Han characters from a random document */
        struct doc *d = &docs[next_rand() % ndocs];
        size_t want = 1 + next_rand() % 10, tries, k;
        size_t start = 0, end = 0, got = 0;
        char q[128];
        struct qry qr;
        xs_search_opts o;
        xs_hits *h = NULL;
        char **hit_ids;
        size_t nh, expect = 0, inter = 0;
        for (tries = 0; tries < 50 && got == 0; tries++) {
            size_t pos = d->len ? next_rand() % d->len : 0, p = pos, n = 0;
            while (p > 0 && ((unsigned char)d->folded[p] & 0xC0) == 0x80)
                p--;
            start = p;
            while (p < d->len && n < want) {
                uint32_t c;
                size_t cl = utf8_dec((const unsigned char *)d->folded + p, d->len - p, &c);
                if (!is_han(c))
                    break;
                p += cl;
                n++;
            }
            if (n == want) {
                end = p;
                got = n;
            } else if (tries % 10 == 9 && want > 1) {
                want--;
            }
        }
        if (!got) {
            d = &docs[next_rand() % ndocs];
            i--;
            continue;
        }
        if (end - start + 3 > sizeof q)
            continue;
        q[0] = '"';
        memcpy(q + 1, d->folded + start, end - start);
        q[end - start + 1] = '"';
        q[end - start + 2] = 0;
        if (qry_parse(&qp, q, strlen(q), &qr, &e) < 0 || !qr.root) {
            printf("FAIL %s: cannot parse: %s\n", q, e.msg);
            fail++;
            continue;
        }
        memset(&o, 0, sizeof o);
        o.query = qr.root;
        o.size = xs_reader_doccount(r);
        o.nvalues = XS_SLOT_ID + 1;
        if (xs_search(r, &o, &h, &xe) != XS_OK) {
            printf("FAIL %s: %s\n", q, xe.msg);
            fail++;
            qry_release(&qr);
            continue;
        }
        nh = xs_hits_count(h);
        hit_ids = malloc((nh + 1) * sizeof *hit_ids);
        for (k = 0; k < nh; k++)
            hit_ids[k] = (char *)xs_hits_value(h, k, XS_SLOT_ID, NULL);
        qsort(hit_ids, nh, sizeof *hit_ids, cmp_str);
        for (k = 0; k < ndocs; k++) {
            if (memmem(docs[k].folded, docs[k].len, d->folded + start, end - start)) {
                expect++;
                if (bsearch(&docs[k].id, hit_ids, nh, sizeof *hit_ids, cmp_str))
                    inter++;
            }
        }
        tp += inter;
        fn += expect - inter;
        fp += nh - inter;
        if (inter == expect && nh == expect) {
            pass++;
        } else {
            fail++;
            printf("FAIL %s: expected %zu documents, got %zu (%zu in common)\n", q,
                   expect, nh, inter);
        }
        free(hit_ids);
        xs_hits_free(h);
        qry_release(&qr);
    }
    printf("substr_check: %zu quoted queries; recall %.4f, precision %.4f "
           "(%zu true hits, %zu missed, %zu extra)\n", pass + fail,
           tp + fn ? (double)tp / (double)(tp + fn) : 1.0,
           tp + fp ? (double)tp / (double)(tp + fp) : 1.0, tp, fn, fp);
    printf("%zu passed, %zu failed\n", pass, fail);
    for (i = 0; i < ndocs; i++) {
        free(docs[i].id);
        free(docs[i].folded);
    }
    free(docs);
    walk_release(&wl);
    qp_release(&qp);
    xs_reader_close(r);
    return fail ? 1 : 0;
}
