/* walk.h - the files under ROOT to index: regular files of the supported
 * types (also .gz'd), never a hidden file or directory, never the index
 * directory, never anything outside ROOT (a symbolic link is followed only
 * to a regular file inside ROOT; directory links are not followed, so link
 * loops cannot happen). Called by indexer/main.c. */
#ifndef INDEXER_WALK_H
#define INDEXER_WALK_H
#include <stddef.h>
#include "common/err.h"

struct walk_file {
    char *rel;          /* id path: relative to ROOT, '/'-separated */
    char *abs;          /* path to open */
    long long size, mtime;
    long mtime_ns;
};
struct walk_list {
    struct walk_file *v;
    size_t n, cap;
    char **skipped_msgs;    /* "'path': reason" for links etc. not followed;
                               "!'path': reason" for a rejected file */
    size_t nskipped_msgs, nunsupported;
    size_t nrejected;       /* of those, files rejected (bad names) */
};

/* root: a real path (realpath()); skip: the index directory's real path
 * (may be NULL). Files are sorted by rel. 0, or -1 with e set when ROOT
 * cannot be read. */
int walk_tree(const char *root, const char *skip, struct walk_list *out,
              struct err *e);
void walk_release(struct walk_list *l);
/* Is this a file name the indexer reads? */
int walk_supported(const char *name);
#endif
