/* facets.h - the facet arrays of API.md (category, unit, year) from a
 * search's counts.
 *
 * Values that filter alike are counted alike: spellings that fold to the
 * same value (示範 / 示范) are one entry, shown in the spelling most of the
 * matches have; a unit list (交通部;內政部) counts for each unit, as the
 * unit filter matches each; a category counts the matches of the
 * categories below it (行政>其他 counts for 行政, and for 其他 as an inner
 * level), as a category filter matches every level below it - for a
 * category the matches themselves hold, so no entry appears that no match
 * carries.
 *
 * What the values make (folded entries, a list's parts, a category's
 * ancestors) depends on the values only: with a facet table (one local
 * database) it is made once per table and kept in *plan, and a search
 * costs an array walk over its counts. Without (shards, remotes) it is
 * made for the one search from the values it found. */
#ifndef SEARCHD_FACETS_H
#define SEARCHD_FACETS_H
#include "shim/xs.h"
#include <jansson.h>
#include <stddef.h>

enum facet_kind { FACET_UNIT = 0, FACET_CATEGORY = 1, FACET_YEAR = 2 };

struct fplan;

/* Facet k of h as API.md's array (at most max entries: most matches
 * first, years newest first); *plan is the kept plan of this facet (NULL
 * at first; replaced when h's table is another). NULL when out of memory. */
json_t *facet_json(struct fplan **plan, const xs_hits *h, size_t k,
                   enum facet_kind kind, size_t max);
void fplan_free(struct fplan *p); /* NULL fine */
#endif
