/* cache.h - searchd's cache of whole answers to repeated GET requests
 * (searches, lookups, portal pages). The key holds the request and the
 * index revision the answer was computed on, so an answer is never served
 * across a new revision. Thread-safe (one mutex). Used by api.c. */
#ifndef SEARCHD_CACHE_H
#define SEARCHD_CACHE_H
#include <stddef.h>
#include <stdint.h>

struct cache_hit {
    char *body;         /* malloc'd copy: the caller owns it */
    size_t len;
    const char *ctype;  /* static */
    int status, is_page;
};

/* Size limits (MB of bodies, number of answers); 0 turns the cache off. */
void cache_config(size_t mb, size_t entries);
/* 1 when answers are cached at all (callers skip making keys otherwise). */
int cache_enabled(void);
/* 1 and *out filled when key is cached, else 0. */
int cache_get(const char *key, size_t klen, struct cache_hit *out);
void cache_put(const char *key, size_t klen, const char *body, size_t blen,
               const char *ctype, int status, int is_page);
void cache_stats(unsigned long *hits, unsigned long *misses, size_t *entries,
                 size_t *bytes);
void cache_clear(void);
#endif
