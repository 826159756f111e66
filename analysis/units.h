/* units.h - the units of a joint issue in a unit field, one definition for
 * the indexer's XU filter terms (indexer/docbuild.c) and searchd's unit
 * facet (searchd/facets.c), so that every facet entry is a filter that
 * matches. */
#ifndef ANALYSIS_UNITS_H
#define ANALYSIS_UNITS_H
#include <stddef.h>

/* A unit field lists the units of a joint issue separated by ; ； 、 or ，
 * ("交通部;內政部", "国务院办公厅、中央军委办公厅"), or by spaces (ASCII or
 * U+3000) or a comma between two Han characters ("国家发展改革委办公厅
 * 税务总局办公厅"); a Latin name keeps its spaces and commas ("BUREAU OF
 * CONSUMER FINANCIAL PROTECTION", "Office of the Mayor, City of New York").
 * From *at (0 at first) on, the next unit of u[0, n): [*b, *e), trimmed of
 * spaces, never empty; returns 1, or 0 when there is none left. */
int ana_unit_next(const char *u, size_t n, size_t *at, size_t *b, size_t *e);

#endif
