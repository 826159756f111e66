/* buf.h - a growable byte buffer with a size cap (curl's dynbuf idea):
 * every buffer filled from outside input says how big it may grow. The
 * content is always NUL-terminated. Knows nothing of the programs. */
#ifndef COMMON_BUF_H
#define COMMON_BUF_H
#include <stddef.h>

struct buf {
    char *p;        /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    size_t max;     /* 0 = no cap */
    int toobig;     /* set when an append was refused by the cap */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/* 0 on success; -1 when out of memory or the cap would be passed (toobig). */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addc(struct buf *b, char c);
int buf_adds(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int buf_reserve(struct buf *b, size_t extra);
/* Hand the memory to the caller (free() it); b is empty again. */
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
#endif
