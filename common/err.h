/* err.h - the caller-owned error of every C module (STYLE.md section 5):
 * a code and a message; err_set() is NULL-safe and never allocates. */
#ifndef COMMON_ERR_H
#define COMMON_ERR_H

struct err {
    int code;        /* 0 = no error; negative = module-specific */
    char msg[256];
};

void err_set(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void err_clear(struct err *e) { if (e) { e->code = 0; e->msg[0] = 0; } }
#endif
