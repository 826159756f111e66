/* profile.h - ingest profiles (profiles/NAME.conf, see profiles/README.md):
 * parsing, selection by path glob, and the unit alias table ([@units]).
 * Used by extract.c; a profile names per field where its value is found.
 * A profile set is built once (extract_init) and read-only afterwards. */
#ifndef INDEXER_PROFILE_H
#define INDEXER_PROFILE_H
#include <stddef.h>
#include "common/err.h"

enum pfield_id {
    PF_TITLE, PF_CATEGORY, PF_DATE, PF_YEAR, PF_DOCNO, PF_URL, PF_LANG,
    PF_UNIT, PF_KEY, PF_TEXT, PF_N
};
enum prule_kind {
    PR_XPATH, PR_KEY, PR_META, PR_INFO, PR_PATH, PR_VALUE, PR_FIELD,
    PR_LINE
};
struct prule {
    int kind;
    char *arg;          /* XPath, key/column/label name, path selector,
                           fixed value, field name, line glob (lower case) */
    char **ops;         /* post-processing words: seg SEP N, word N ... */
    size_t nops;
};
struct pmap {
    char *pat, *val;    /* glob on the raw value -> value ("" = none) */
};
struct pfield {
    struct prule *r;
    size_t nr;
    struct pmap *m;
    size_t nm;
};
struct profile {
    char *name;
    char **match;       /* path globs */
    size_t nmatch;
    char **root;        /* XML root elements ("RULE", or "法規/法規類別":
                           a <法規> root with a <法規類別> child): matches
                           wherever the file lies */
    size_t nroot;
    char **keys;        /* record formats: matches wherever the file lies
                           when its first record has all these keys */
    size_t nkeys;
    char *format;       /* NULL: by extension */
    char *records;      /* XML: XPath selecting the record nodes */
    struct pfield f[PF_N];
};
struct ualias {
    char *prefix, *unit;
};
struct profset {
    struct profile *v;
    size_t n, cap;
    struct ualias *u;
    size_t nu, ucap;
};

/* Parse one .conf text (name for messages) into ps. 0 or -1 with e set
 * (the message names the file and line). */
int profile_parse(struct profset *ps, const char *name, const char *text,
                  size_t len, struct err *e);
void profset_release(struct profset *ps);
/* What is known of a parsed file, for the profiles that know a source by
 * its content: root_is(doc, spec) says whether an XML document's root is
 * spec ("NAME" or "NAME/CHILD"); has_key(rec, name) whether the first
 * record holds key name. Either may be NULL. */
struct pprobe {
    int (*root_is)(void *doc, const char *spec);
    void *doc;
    int (*has_key)(const void *rec, const char *name);
    const void *rec;
};
/* Per field, the profile (the last matching one that defines it) for
 * relpath, or for the parsed file probe describes (NULL: not parsed yet);
 * out[PF_N] entries NULL where none. Also *format and *records (borrowed,
 * NULL when no matching profile sets them). */
void profile_select(const struct profset *ps, const char *relpath,
                    const struct pprobe *probe, const struct pfield *out[PF_N],
                    const char **format, const char **records);
/* Glob: '*' any run within a path segment, '**' any run, '?' one byte.
 * A pattern not starting with '/' also matches at any '/' boundary. */
int profile_glob(const char *pat, const char *s);
/* Glob on a whole value (map keys): '*' also crosses '/'. */
int profile_glob_value(const char *pat, const char *s);
/* Unit for a document number by its longest alias prefix, or NULL. */
const char *profile_unit_alias(const struct profset *ps, const char *docno);
const char *profile_field_name(int id);
#endif
