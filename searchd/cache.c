/* cache.c - answers to repeated requests (see cache.h): a hash table of
 * keys to response bodies with a least-recently-used list, under one
 * mutex. Portal traffic repeats a lot (the same popular queries, the
 * same facet clicks); Groonga and Elasticsearch keep such a cache too. */
#include "searchd/cache.h"
#include "common/hash.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct ent {
    char *key, *body;
    size_t klen, blen;
    uint64_t h;
    const char *ctype;
    int status, is_page;
    struct ent *prev, *next;    /* LRU list, most recent first */
    struct ent *chain;          /* hash chain */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct ent **tab;
static size_t nbuckets = 4096, count, bytes, max_bytes = (size_t)64 << 20,
              max_count = 4096;
static struct ent *head, *tail;
static unsigned long hits, misses;
static int enabled = 1;

void cache_config(size_t mb, size_t entries)
{
    pthread_mutex_lock(&mu);
    max_bytes = mb << 20;
    max_count = entries;
    enabled = mb > 0 && entries > 0;
    pthread_mutex_unlock(&mu);
}

int cache_enabled(void)
{
    int on;
    pthread_mutex_lock(&mu);
    on = enabled;
    pthread_mutex_unlock(&mu);
    return on;
}

static void unlink_lru(struct ent *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(struct ent *e)
{
    e->next = head;
    e->prev = NULL;
    if (head)
        head->prev = e;
    head = e;
    if (!tail)
        tail = e;
}

static void drop(struct ent *e)
{
    struct ent **pp = &tab[e->h & (nbuckets - 1)];
    while (*pp && *pp != e)
        pp = &(*pp)->chain;
    if (*pp)
        *pp = e->chain;
    unlink_lru(e);
    count--;
    bytes -= e->klen + e->blen + sizeof *e;
    free(e->key);
    free(e->body);
    free(e);
}

int cache_get(const char *key, size_t klen, struct cache_hit *out)
{
    uint64_t h = fnv1a64(key, klen);
    struct ent *e;
    int found = 0;
    pthread_mutex_lock(&mu);
    if (enabled && tab) {
        for (e = tab[h & (nbuckets - 1)]; e; e = e->chain) {
            if (e->h == h && e->klen == klen && !memcmp(e->key, key, klen)) {
                out->body = malloc(e->blen + 1);
                if (out->body) {
                    memcpy(out->body, e->body, e->blen + 1);
                    out->len = e->blen;
                    out->ctype = e->ctype;
                    out->status = e->status;
                    out->is_page = e->is_page;
                    found = 1;
                    unlink_lru(e);
                    push_front(e);
                }
                break;
            }
        }
    }
    if (found)
        hits++;
    else
        misses++;
    pthread_mutex_unlock(&mu);
    return found;
}

void cache_put(const char *key, size_t klen, const char *body, size_t blen,
               const char *ctype, int status, int is_page)
{
    uint64_t h = fnv1a64(key, klen);
    struct ent *e, *x;
    if (!enabled || blen > max_bytes / 16)
        return;
    e = calloc(1, sizeof *e);
    if (!e)
        return;
    e->key = malloc(klen + 1);
    e->body = malloc(blen + 1);
    if (!e->key || !e->body) {
        free(e->key);
        free(e->body);
        free(e);
        return;
    }
    memcpy(e->key, key, klen);
    e->key[klen] = 0;
    memcpy(e->body, body, blen);
    e->body[blen] = 0;
    e->klen = klen;
    e->blen = blen;
    e->h = h;
    e->ctype = ctype;
    e->status = status;
    e->is_page = is_page;
    pthread_mutex_lock(&mu);
    if (!tab)
        tab = calloc(nbuckets, sizeof *tab);
    if (!tab) {
        pthread_mutex_unlock(&mu);
        free(e->key);
        free(e->body);
        free(e);
        return;
    }
    for (x = tab[h & (nbuckets - 1)]; x; x = x->chain)
        if (x->h == h && x->klen == klen && !memcmp(x->key, key, klen))
            break;
    if (x)
        drop(x);
    e->chain = tab[h & (nbuckets - 1)];
    tab[h & (nbuckets - 1)] = e;
    push_front(e);
    count++;
    bytes += klen + blen + sizeof *e;
    while ((bytes > max_bytes || count > max_count) && tail && tail != e)
        drop(tail);
    pthread_mutex_unlock(&mu);
}

void cache_stats(unsigned long *h, unsigned long *m, size_t *n, size_t *b)
{
    pthread_mutex_lock(&mu);
    *h = hits;
    *m = misses;
    *n = count;
    *b = bytes;
    pthread_mutex_unlock(&mu);
}

void cache_clear(void)
{
    pthread_mutex_lock(&mu);
    while (tail)
        drop(tail);
    free(tab);
    tab = NULL;
    pthread_mutex_unlock(&mu);
}
