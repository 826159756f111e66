/* check.h - the unit-test harness: CHECK() and friends count passes and
 * failures; check_done() prints "N passed, N failed" (read by tests/run.sh)
 * and gives the exit status. Include once per test program. */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>
#include <string.h>

static int check_pass, check_fail;

#define CHECK(cond) do { \
    if (cond) check_pass++; \
    else { check_fail++; \
        fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STREQ(a, b) do { \
    const char *check_a_ = (a), *check_b_ = (b); \
    if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) check_pass++; \
    else { check_fail++; \
        fprintf(stderr, "%s:%d: '%s' != '%s' (%s vs %s)\n", __FILE__, __LINE__, \
                check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)", \
                #a, #b); } \
} while (0)

#define CHECK_INTEQ(a, b) do { \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
    if (check_a_ == check_b_) check_pass++; \
    else { check_fail++; \
        fprintf(stderr, "%s:%d: %lld != %lld (%s vs %s)\n", __FILE__, __LINE__, \
                check_a_, check_b_, #a, #b); } \
} while (0)

#define CHECK_NEAR(a, b, tol) do { \
    double check_a_ = (double)(a), check_b_ = (double)(b); \
    if (check_a_ - check_b_ <= (tol) && check_b_ - check_a_ <= (tol)) check_pass++; \
    else { check_fail++; \
        fprintf(stderr, "%s:%d: %.9g != %.9g within %g (%s vs %s)\n", __FILE__, \
                __LINE__, check_a_, check_b_, (double)(tol), #a, #b); } \
} while (0)

static inline int check_done(void)
{
    printf("%d passed, %d failed\n", check_pass, check_fail);
    return check_fail ? 1 : 0;
}
#endif
