/* syn.c - the query word tables (see syn.h): parsed once from the texts
 * compiled in from analysis/synonyms.txt and analysis/fillers.txt, looked
 * up by a linear scan (a few hundred entries; a query has a few words). */
#include "analysis/syn.h"
#include "analysis/ana.h"
#include "analysis/fold.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct asset { const char *name, *type; const unsigned char *data; size_t len; };
extern const struct asset builtin_synonyms[];

struct syn_form {
    uint32_t *c; /* folded code points (owned by the table) */
    size_t n;
    size_t line; /* forms of one line belong together */
    int abbrev;  /* the line's first form */
};

static struct syn_form *forms;
static size_t nforms;

/* Latin abbreviations (FOIA = freedom of information act): folded,
 * abbreviation -> full names only */
struct syn_latin {
    char *abbr;
    char *full[SYN_MAX];
    size_t nfull;
};
static struct syn_latin *latin;
static size_t nlatin;

/* fillers (fillers.txt): Han words as folded code points, Latin words
 * folded (lower case) */
struct filler {
    uint32_t *c;
    char *s;
    size_t n;
};
static struct filler *fillers;
static size_t nfillers;

/* s[0..*len) without the spaces, tabs (and CR) around it. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && (*s == ' ' || *s == '\t'))
        s++, (*len)--;
    while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t' || s[*len - 1] == '\r'))
        (*len)--;
    return s;
}

static int has_han(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        i += utf8_dec((const unsigned char *)s + i, len - i, &cp);
        if (is_han(cp))
            return 1;
    }
    return 0;
}

/* A trimmed, folded (lower-case) copy of s[0..len), or NULL. */
static char *latin_form(const char *s, size_t len)
{
    size_t ol;
    s = trim(s, &len);
    return len ? fold_str(s, len, &ol) : NULL;
}

static void latin_add(const char *s, const char *eq, const char *le)
{
    struct syn_latin *nl, e = {0};
    const char *p = eq + 1;
    if (!(e.abbr = latin_form(s, (size_t)(eq - s))))
        return;
    while (p < le && e.nfull < SYN_MAX) {
        const char *bar = memchr(p, '|', (size_t)(le - p));
        const char *fe = bar ? bar : le;
        char *f = latin_form(p, (size_t)(fe - p));
        if (f)
            e.full[e.nfull++] = f;
        p = fe + 1;
    }
    nl = e.nfull ? realloc(latin, (nlatin + 1) * sizeof *latin) : NULL;
    if (!nl) {
        size_t k;
        for (k = 0; k < e.nfull; k++)
            free(e.full[k]);
        free(e.abbr);
        return;
    }
    latin = nl;
    latin[nlatin++] = e;
}
static pthread_once_t syn_once = PTHREAD_ONCE_INIT;

/* The Han characters of s[0..len), folded as queries see a word: malloc'd
 * code points (their count in *n), or NULL. */
static uint32_t *fold_han(const char *s, size_t len, size_t *n)
{
    uint32_t *c, *st, *en; /* st and en live in c's block: unused */
    size_t i, m = ana_fold_cps(s, len, &c, &st, &en);
    *n = 0;
    if (m == (size_t)-1)
        return NULL;
    for (i = 0; i < m; i++)
        if (is_han(c[i]))
            c[(*n)++] = c[i];
    return c;
}

static void syn_add(const char *s, size_t len, size_t line, int abbrev)
{
    uint32_t *c;
    size_t o;
    struct syn_form *nf;
    s = trim(s, &len);
    if (!len || !(c = fold_han(s, len, &o)))
        return;
    nf = o >= 2 ? realloc(forms, (nforms + 1) * sizeof *forms) : NULL;
    if (!nf) {
        free(c);
        return;
    }
    forms = nf;
    forms[nforms].c = c;
    forms[nforms].n = o;
    forms[nforms].line = line;
    forms[nforms].abbrev = abbrev;
    nforms++;
}

static void filler_add(const char *s, size_t len)
{
    struct filler f = {0}, *nf;
    if (has_han(s, len)) {
        if (!(f.c = fold_han(s, len, &f.n)))
            return;
    } else if ((f.s = latin_form(s, len))) {
        f.n = strlen(f.s);
    }
    nf = f.n ? realloc(fillers, (nfillers + 1) * sizeof *fillers) : NULL;
    if (!nf) {
        free(f.c);
        free(f.s);
        return;
    }
    fillers = nf;
    fillers[nfillers++] = f;
}

/* fillers.txt: words separated by white space, # comments */
static void fillers_load(const char *s, const char *end)
{
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *le = nl ? nl : end;
        while (s < le && *s != '#') {
            const char *w;
            while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
                s++;
            for (w = s; s < le && *s != ' ' && *s != '\t' && *s != '\r'; s++)
                ;
            if (s > w)
                filler_add(w, (size_t)(s - w));
        }
        s = le + 1;
    }
}

/* The compiled-in text of one of the tables, or NULL. */
static const struct asset *table(const char *name)
{
    size_t i;
    for (i = 0; builtin_synonyms[i].name; i++)
        if (!strcmp(builtin_synonyms[i].name, name))
            return &builtin_synonyms[i];
    return NULL;
}

static void syn_load(void)
{
    const char *s, *end;
    size_t line = 0;
    const struct asset *a = table("fillers.txt");
    if (a)
        fillers_load((const char *)a->data, (const char *)a->data + a->len);
    if (!(a = table("synonyms.txt")))
        return;
    s = (const char *)a->data;
    end = s + a->len;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s)), *le = nl ? nl : end;
        const char *eq = memchr(s, '=', (size_t)(le - s));
        if (*s != '#' && eq && !has_han(s, (size_t)(eq - s))) {
            latin_add(s, eq, le);
        } else if (*s != '#' && eq) {
            const char *p = eq + 1;
            line++;
            syn_add(s, (size_t)(eq - s), line, 1);
            while (p < le) {
                const char *bar = memchr(p, '|', (size_t)(le - p));
                const char *fe = bar ? bar : le;
                syn_add(p, (size_t)(fe - p), line, 0);
                p = fe + 1;
            }
        }
        s = le + 1;
    }
}

size_t syn_lookup(const uint32_t *w, size_t n, const uint32_t **alt,
                  size_t *altn, size_t max)
{
    size_t i, j, got = 0;
    pthread_once(&syn_once, syn_load);
    for (i = 0; i < nforms; i++) {
        const struct syn_form *f = &forms[i];
        if (f->n != n || f->c[0] != w[0] || memcmp(f->c, w, n * sizeof *w))
            continue;
        /* the abbreviation: all its full names; a full name: the
         * abbreviation alone */
        for (j = 0; j < nforms && got < max; j++)
            if (j != i && forms[j].line == f->line && (f->abbrev || forms[j].abbrev)) {
                alt[got] = forms[j].c;
                altn[got] = forms[j].n;
                got++;
            }
        break;
    }
    return got;
}

size_t syn_latin(const char *w, size_t n, const char **full, size_t max)
{
    size_t i, k, got = 0;
    pthread_once(&syn_once, syn_load);
    for (i = 0; i < nlatin; i++)
        if (strlen(latin[i].abbr) == n && !memcmp(latin[i].abbr, w, n)) {
            for (k = 0; k < latin[i].nfull && got < max; k++)
                full[got++] = latin[i].full[k];
            break;
        }
    return got;
}

int syn_filler(const uint32_t *w, size_t n)
{
    size_t i;
    pthread_once(&syn_once, syn_load);
    for (i = 0; i < nfillers; i++)
        if (fillers[i].c && fillers[i].n == n && !memcmp(fillers[i].c, w, n * sizeof *w))
            return 1;
    return 0;
}

int syn_filler_latin(const char *w, size_t n)
{
    size_t i;
    pthread_once(&syn_once, syn_load);
    for (i = 0; i < nfillers; i++)
        if (fillers[i].s && fillers[i].n == n && !memcmp(fillers[i].s, w, n))
            return 1;
    return 0;
}

size_t syn_longest(const uint32_t *c, size_t n)
{
    size_t i, best = 0;
    pthread_once(&syn_once, syn_load);
    for (i = 0; i < nforms; i++)
        if (forms[i].abbrev && forms[i].n <= n && forms[i].n > best && forms[i].c[0] == c[0] &&
            !memcmp(forms[i].c, c, forms[i].n * sizeof *c))
            best = forms[i].n;
    return best;
}
