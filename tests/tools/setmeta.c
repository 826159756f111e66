/* setmeta DB KEY VALUE: sets one user metadata entry of a local index
 * through the shim, which opens an index without a termlist (what --full
 * leaves) for writing; xapian-metadata cannot. For tests that damage an
 * index on purpose (a foreign "schema"). Exit 0, or 2 with a message. */
#include "shim/xs.h"
#include <stdio.h>

int main(int argc, char **argv)
{
    xs_writer *w = NULL;
    xs_err e;
    if (argc != 4) {
        fprintf(stderr, "usage: setmeta DB KEY VALUE\n");
        return 2;
    }
    if (xs_writer_open(argv[1], 0, 0, &w, &e) != XS_OK ||
        xs_writer_set_meta(w, argv[2], argv[3], &e) != XS_OK ||
        xs_writer_commit(w, &e) != XS_OK) {
        fprintf(stderr, "setmeta: %s\n", e.msg);
        xs_writer_close(w, NULL);
        return 2;
    }
    return xs_writer_close(w, &e) == XS_OK ? 0 : 2;
}
