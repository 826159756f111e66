/* err.c - err_set(): fill a caller-owned error. */
#include "common/err.h"
#include <stdarg.h>
#include <stdio.h>

void err_set(struct err *e, int code, const char *fmt, ...)
{
    va_list ap;
    if (!e)
        return;
    e->code = code ? code : -1;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}
