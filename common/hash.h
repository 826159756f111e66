/* hash.h - FNV-1a, 64 bits, of a byte string: for hash tables and change
 * detection (indexer: the content hash kept in XS_SLOT_FILE, so the values
 * must never change). Not for anything an attacker may choose to collide. */
#ifndef COMMON_HASH_H
#define COMMON_HASH_H
#include <stddef.h>
#include <stdint.h>

static inline uint64_t fnv1a64(const void *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p; /* C++ too (shim) */
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}
#endif
