/* xs.h - the only header C code includes to reach Xapian (1.4). The C++
 * behind it is shim/xs.cc; no exception ever crosses this boundary. Used by
 * the indexer (write side), searchd (read side) and analysis (stemmer).
 *
 * ======================== THE INDEX SCHEMA (version 5) ========================
 * Every term is made by the analyzer (analysis/ana.h) with one rule: a term
 * with a prefix is PREFIX + value for content prefixes (one capital letter:
 * S, Z, W, T) and PREFIX + ':' + value for boolean prefixes (two or more
 * capitals: XC:, XU: ...), so a value can never be mistaken for a prefix.
 *
 *   content terms (ranked). The body layer is made from the title, the
 *   document number (as written: EEO 317 finds 2021-EEO-317), the unit
 *   and the text; the title alone gets the same terms again with prefix S in front
 *   (S信, S信息, SW信息, Sfreedom, SZinform). Positions: one per Han
 *   character and per Latin word; punctuation leaves a hole of one position
 *   (no phrase matches across it), white space does not; white space between
 *   two Han characters is dropped (one run across a line break).
 *     <c>        one Han character (folded: NFKC, case, Traditional->Simplified
 *                per character), positional: exact phrases are checked here
 *     <cc>       Han bigram, positionless: a 2-character string is exactly its
 *                bigram; longer strings AND their bigrams (selective lists)
 *                with the phrase of characters
 *     W<word>    jieba dictionary word (2-16 characters) and the dictionary
 *                words inside it, positionless: the ranking layer
 *     <latin>    lower-cased Latin word or number, positional, unstemmed
 *     Z<stem>    Snowball English stem, positionless, only when the stem
 *                differs from the word (queries look for Z<stem> OR <stem>)
 *     T<docno>   normalised document number met in the text, positionless
 *     ST<docno>  the document's own number (its metadata), positionless
 *   boolean terms (filters; wdf 0)
 *     Q:<id>     unique id: the API id, or "Q:#" + 32 hex digits of a hash
 *                when the id would pass Xapian's 245-byte term limit
 *     XP:<path>  the source file as written (absent when too long)
 *     XC:<cat>   category, folded: the whole path, every path prefix and every
 *                segment (行政＞環境部＞氣候變遷目 -> 行政, 行政>环境部, 环境部 ...)
 *     XU:<unit>  issuing unit, folded; joint issuers also each alone
 *                (split as analysis/units.h says, as the unit facet is)
 *     XY:<yyyy>  year
 *     XL:<lang>  zh-Hans | zh-Hant | en
 *     XD:<docno> normalised document number of the document (exact lookup);
 *                each number of a joint issue
 *   values (slots)
 *     0 XS_SLOT_DATE     "YYYYMMDD" (sort by date, from/to ranges, recency)
 *     1 XS_SLOT_YEAR     "YYYY" (facet; year ranges)
 *     2 XS_SLOT_CATEGORY category as written (facet)
 *     3 XS_SLOT_UNIT     unit as written (facet)
 *     4 XS_SLOT_LANG     lang (facet)
 *     5 XS_SLOT_FILE     "size mtime hash relpath" of the source file
 *                        (incremental runs: what changed, what vanished)
 *     6 XS_SLOT_ID       the API id (full, never hashed)
 *     7 XS_SLOT_DATEASC  "YYYYMMDD", or "99999999" when undated (oldest-first
 *                        sort puts undated documents last)
 *     8 XS_SLOT_TITLELEN the title's length in positions (Han characters and
 *                        Latin words, a punctuation hole each), decimal:
 *                        how much of the title a query covers (XS_Q_TITLEFIT)
 *     9 XS_SLOT_DATA     the document data below (not in XS_NSLOTS: read it
 *                        with xs_hits_data / xs_reader_get). Schema 5 keeps
 *                        it here, not in Xapian's docdata table, because
 *                        Xapian 1.4 tries to deflate every docdata entry
 *                        again, when it is added and again when compacted:
 *                        5% of a full run's CPU, and most of the final
 *                        compaction, spent failing to shrink deflated bytes.
 *                        Schema 3 and 4 indexes keep their data in the
 *                        docdata table, and a writer adding to one keeps
 *                        it there; readers take either
 *   document data
 *     A fields line, a newline, the extracted text's first DD_HEAD (2,048)
 *     bytes as they are (whole UTF-8 characters), then zlib (deflate, zlib
 *     header) of the rest of the text; nothing after the head when the
 *     text fits in it. The fields line is 0x1E followed by id, title,
 *     unit, category, date, year, docno, lang, url, path and the head's
 *     length in bytes (decimal), joined by 0x1F ("" = null; a separator or
 *     line break inside a value was written as a space): a result page
 *     splits it, no JSON parse, and most snippets lie in the head, read
 *     without inflating anything (indexer/docbuild.c: docdata_pack). Older
 *     indexes hold zlib of the fields line (without the head's length, or
 *     a JSON object {"id","title",...} before that) and the whole text;
 *     the readers take every form (indexer/docbuild.h: docdata_open),
 *     inflating only as far as the snippet needs
 *   tables
 *     The spelling table holds the body's Latin words of 3 to 24 letters
 *     with their counts (Xapian's spelling data): xs_reader_suggest's
 *     "did you mean". A tombstoned document's words stay in it until the
 *     next --full run.
 *     A --full run writes no termlist table (shards opened XS_NOTERMLIST,
 *     merged by xs_compact with XS_COMPACT_NO_TERMLIST): 64 of 277 MB on
 *     the shared corpus and 15% of the indexing CPU, needed by Xapian 1.4
 *     only to delete or replace a document. Writers open such an
 *     index with DB_NO_TERMLIST, and a deletion (a changed or vanished
 *     file in an incremental run) becomes a tombstone: the docid joins
 *     "dead" in the same commit, the changed document is added anew.
 *     Readers leave tombstoned documents out of every match, count, facet,
 *     id lookup and document count (xs_reader_*, xs_search; not on a
 *     xapian-tcpsrv remote, which matches without our filter); their terms
 *     still count in Xapian's statistics until the next --full run, which
 *     the indexer starts by itself once they pass a fifth of the index.
 *   user metadata
 *     "schema"  XS_SCHEMA_VERSION: a reader or writer meeting another value
 *               refuses the index with XS_ESCHEMA ("rebuild with --full");
 *               "4" (data in the docdata table) and "3" (the same, always
 *               a termlist) are still read and written
 *     "last_run" ISO time of the last committed indexer run
 *     "files"   how many files that run listed under ROOT (the indexer
 *               refuses a later run that finds less than half of them,
 *               unless --allow-shrink)
 *     "content" the indexer's INDEX_CONTENT_VERSION (indexer/docbuild.h) at
 *               the --full run that wrote the index: an incremental run
 *               meeting another value (or none) rebuilds in full instead
 *     "dead"    tombstones: docids (decimal, space-separated, ascending) of
 *               deleted documents of an index without a termlist
 * ============================================================================
 *
 * Conventions (STYLE.md section 3): every call that enters Xapian returns an
 * xs_rc and fills the caller-owned *err when err is not NULL; on failure *out
 * is NULL. Accessors of copied results never fail. Handles are not
 * thread-safe: one xs_reader per thread.
 */
#ifndef XS_H
#define XS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#define XS_NOEXCEPT noexcept /* no exception ever crosses into C */
#else
#define XS_NOEXCEPT
#endif

/* "4" (data in the docdata table) and "3" (the same without tombstones)
 * are still read and written */
#define XS_SCHEMA_VERSION "5"
enum xs_slot {
    XS_SLOT_DATE = 0,
    XS_SLOT_YEAR = 1,
    XS_SLOT_CATEGORY = 2,
    XS_SLOT_UNIT = 3,
    XS_SLOT_LANG = 4,
    XS_SLOT_FILE = 5,
    XS_SLOT_ID = 6,
    XS_SLOT_DATEASC = 7,
    XS_SLOT_TITLELEN = 8,
    XS_NSLOTS = 9,      /* the catalogue slots: 0 .. XS_NSLOTS-1 */
    XS_SLOT_DATA = 9    /* the document data (schema 5) */
};
#define XS_MAX_TERM 245 /* Xapian's limit on a term's bytes */

typedef struct xs_writer xs_writer; /* the single writable index        */
typedef struct xs_reader xs_reader; /* read-only; one per searchd thread */
typedef struct xs_doc xs_doc;       /* a document being assembled       */
typedef struct xs_hits xs_hits;     /* one page of results, copied to C */
typedef struct xs_stem xs_stem;     /* a Snowball stemmer               */

typedef enum xs_rc { /* append new codes at the end; never renumber */
    XS_OK = 0,
    XS_EINVAL,    /* bad argument from the caller                   */
    XS_ENOMEM,    /* std::bad_alloc                                 */
    XS_ENOTFOUND, /* no index at that path / no such document       */
    XS_ELOCKED,   /* another writer holds the lock: try again later */
    XS_EMODIFIED, /* index changed under a reader: reopen and retry */
    XS_ECORRUPT,  /* index is damaged                               */
    XS_EQUERY,    /* query cannot be run: the user's input          */
    XS_EXAPIAN,   /* any other Xapian::Error                        */
    XS_EINTERNAL, /* anything else: a bug                           */
    XS_ESCHEMA,   /* index written by an incompatible version       */
    XS_ENETWORK   /* a remote shard cannot be reached               */
} xs_rc;

typedef struct xs_err {
    xs_rc rc;
    char msg[256];
} xs_err;

const char *xs_rc_str(xs_rc rc) XS_NOEXCEPT; /* static text, never NULL */

/* ---- write side ---------------------------------------------------- */

enum xs_open_flags {
    XS_CREATE = 1 << 0,    /* create when missing                      */
    XS_OVERWRITE = 1 << 1, /* start empty even when one exists         */
    XS_NOSYNC = 1 << 2,    /* no fsync (scratch shards merged later)   */
    XS_NOTERMLIST = 1 << 3 /* create without a termlist table: faster to
                            * write; a deletion is then a tombstone     */
};
/* Opens (takes Xapian's exclusive lock; XS_ELOCKED when held). Checks the
 * "schema" metadata (XS_ESCHEMA on mismatch; a new index gets it set).
 * flush_docs: documents buffered before Xapian flushes (0 = default; else
 * sets XAPIAN_FLUSH_THRESHOLD in the process environment). */
xs_rc xs_writer_open(const char *path, int flags, unsigned flush_docs,
                     xs_writer **out, xs_err *err) XS_NOEXCEPT;
/* NULL fine. No explicit commit: an active transaction is cancelled, but
 * changes made outside a transaction are committed by Xapian itself (as at
 * every flush), so a run that must leave nothing behind on failure works
 * inside xs_writer_begin/xs_writer_commit. */
xs_rc xs_writer_close(xs_writer *w, xs_err *err) XS_NOEXCEPT;
/* A transaction (XS_EINVAL when one is already active). Changes pending
 * from before it are not committed first: they join it (cancel drops them
 * too). Xapian does not commit on its own while it is active. */
xs_rc xs_writer_begin(xs_writer *w, xs_err *err) XS_NOEXCEPT;
/* Commit the transaction (or the pending changes when none is active). */
xs_rc xs_writer_commit(xs_writer *w, xs_err *err) XS_NOEXCEPT;
/* Drop the transaction's changes (XS_EINVAL when none is active). */
xs_rc xs_writer_cancel(xs_writer *w, xs_err *err) XS_NOEXCEPT;
/* Add, or replace the document holding boolean term idterm. The caller
 * still owns doc (free it with xs_doc_free). Without a termlist the old
 * document becomes a tombstone and the new one is added. */
xs_rc xs_writer_replace(xs_writer *w, const char *idterm, const xs_doc *doc,
                        xs_err *err) XS_NOEXCEPT;
/* Add doc as a new document, whatever it holds (the caller knows its id
 * term is new: a full run's shards). The caller still owns doc. */
xs_rc xs_writer_add(xs_writer *w, const xs_doc *doc, xs_err *err) XS_NOEXCEPT;
/* Delete every document holding term idterm (none is not an error). */
xs_rc xs_writer_delete(xs_writer *w, const char *idterm,
                       xs_err *err) XS_NOEXCEPT;
xs_rc xs_writer_set_meta(xs_writer *w, const char *key, const char *value,
                         xs_err *err) XS_NOEXCEPT;
/* *out is malloc'd (free()); "" when unset. */
xs_rc xs_writer_get_meta(xs_writer *w, const char *key, char **out,
                         xs_err *err) XS_NOEXCEPT;
xs_rc xs_writer_doccount(xs_writer *w, size_t *out, xs_err *err) XS_NOEXCEPT;

/* Every (document, value) pair of one slot, copied: vals[i] for docids[i];
 * documents without the value are left out. Free with xs_values_free. */
typedef struct xs_values {
    size_t n;
    unsigned *docids;
    char **vals;
} xs_values;
xs_rc xs_writer_values(xs_writer *w, unsigned slot, xs_values *out,
                       xs_err *err) XS_NOEXCEPT;
void xs_values_free(xs_values *v) XS_NOEXCEPT; /* NULL fine */
/* Delete by Xapian docid (from xs_writer_values); XS_ENOTFOUND when no
 * such document (or it was deleted already). */
xs_rc xs_writer_delete_docid(xs_writer *w, unsigned docid,
                             xs_err *err) XS_NOEXCEPT;

/* Documents deleted as tombstones and not yet committed away: what a
 * --full rebuild would reclaim (0 for an index with a termlist). */
size_t xs_writer_dead(const xs_writer *w) XS_NOEXCEPT;

enum xs_compact_flags {
    /* leave the termlist table out of dst (about a quarter of the index);
     * deletions there are then tombstones (see THE INDEX SCHEMA) */
    XS_COMPACT_NO_TERMLIST = 1 << 0
};
/* Merge several databases into one new compacted database at dst
 * (xapian-compact --multipass); dst must not exist (XS_EINVAL), and on
 * failure may be left partly written. Document ids are renumbered, so a
 * source holding tombstones is refused (XS_EINVAL). */
xs_rc xs_compact(const char *const *srcs, size_t nsrcs, const char *dst,
                 int flags, xs_err *err) XS_NOEXCEPT;

/* ---- documents ----------------------------------------------------- */

xs_rc xs_doc_new(xs_doc **out, xs_err *err) XS_NOEXCEPT;
void xs_doc_free(xs_doc *d) XS_NOEXCEPT; /* NULL fine */
/* Add term with wdf increment (0 = boolean). Terms longer than XS_MAX_TERM
 * are skipped silently (they cannot be stored). */
xs_rc xs_doc_term(xs_doc *d, const char *term, size_t len, unsigned wdfinc,
                  xs_err *err) XS_NOEXCEPT;
/* Add one positional occurrence (wdf += wdfinc). pos >= 1. */
xs_rc xs_doc_posting(xs_doc *d, const char *term, size_t len, unsigned pos,
                     unsigned wdfinc, xs_err *err) XS_NOEXCEPT;
xs_rc xs_doc_value(xs_doc *d, unsigned slot, const char *val, size_t len,
                   xs_err *err) XS_NOEXCEPT;
xs_rc xs_doc_data(xs_doc *d, const void *data, size_t len,
                  xs_err *err) XS_NOEXCEPT;
/* count occurrences of a word for the spelling table (Xapian's spelling
 * data: the suggestions of xs_reader_suggest), added with the document
 * (summed in the writer until its commit). */
xs_rc xs_doc_spelling(xs_doc *d, const char *word, size_t len, unsigned count,
                      xs_err *err) XS_NOEXCEPT;

/* ---- read side ----------------------------------------------------- */

/* Open one database: a local directory, a stub file or a directory holding
 * a XAPIANDB stub (which may name remote "remote host:port" shards). Checks
 * the "schema" metadata of each path (of a stub: its first shard); unset
 * is accepted, another value is XS_ESCHEMA. */
xs_rc xs_reader_open(const char *path, xs_reader **out,
                     xs_err *err) XS_NOEXCEPT;
/* Open several as one (Database::add_database); paths as above, or
 * "tcp:HOST:PORT" for a xapian-tcpsrv remote. */
xs_rc xs_reader_open_many(const char *const *paths, size_t n,
                          xs_reader **out, xs_err *err) XS_NOEXCEPT;
/* Bring the reader to the latest committed revision. *changed (may be
 * NULL) says whether it moved. The schema is checked again. */
xs_rc xs_reader_reopen(xs_reader *r, int *changed, xs_err *err) XS_NOEXCEPT;
void xs_reader_close(xs_reader *r) XS_NOEXCEPT; /* NULL fine */
/* Cached at open/reopen. The revision is the sum over shards; a remote
 * shard (or a stub naming several) counts 0. */
size_t xs_reader_doccount(const xs_reader *r) XS_NOEXCEPT;
unsigned long xs_reader_revision(const xs_reader *r) XS_NOEXCEPT;
/* *out malloc'd, "" when unset. */
xs_rc xs_reader_meta(xs_reader *r, const char *key, char **out,
                     xs_err *err) XS_NOEXCEPT;
/* Number of documents holding term (0 when none). */
xs_rc xs_reader_termfreq(xs_reader *r, const char *term, size_t *out,
                         xs_err *err) XS_NOEXCEPT;
xs_rc xs_reader_collfreq(xs_reader *r, const char *term, size_t *out,
                         xs_err *err) XS_NOEXCEPT;

/* Queries are plain C trees, built and owned by the caller; the shim turns
 * one into a Xapian::Query inside xs_search (so building never fails). */
typedef enum xs_qop {
    XS_Q_TERM,        /* term (wqf)                                      */
    XS_Q_AND,
    XS_Q_OR,
    XS_Q_AND_NOT,     /* kids[0] AND NOT (kids[1] OR kids[2] ...)       */
    XS_Q_AND_MAYBE,   /* kids[0] ranked by kids[1..]                     */
    XS_Q_FILTER,      /* kids[0] filtered (no weight) by kids[1..] AND'd */
    XS_Q_PHRASE,      /* kids (terms) in order within window positions   */
    XS_Q_NEAR,        /* kids (terms) in any order within window         */
    XS_Q_SCALE,       /* kids[0] weight times factor                     */
    XS_Q_VALUE_RANGE, /* slot between lo and hi (NULL = open end)        */
    XS_Q_ALL,         /* every document                                  */
    XS_Q_NONE,        /* no document                                     */
    XS_Q_SYNONYM,     /* kids OR'ed, weighted as one term                */
    XS_Q_MAX,         /* kids OR'ed, weighted as the best of them        */
    XS_Q_TITLEFIT,    /* kids[0] (no weight of its own) weighted factor *
                       * min(1, window / value of slot), squared when   *
                       * wqf is 2: a title match counts more the more   *
                       * of the title it covers                         */
    XS_Q_WILDCARD     /* every term starting with term (term_len bytes), *
                       * weighted as one term (at most XS_WILDCARD_MAX  *
                       * of them, the first in order)                   */
} xs_qop;
#define XS_WILDCARD_MAX 1000

typedef struct xs_query {
    xs_qop op;
    const char *term; /* XS_Q_TERM: bytes, term_len long */
    size_t term_len;
    unsigned wqf;     /* XS_Q_TERM: 0 taken as 1; TITLEFIT: 2 = squared */
    unsigned window;  /* PHRASE/NEAR: 0 = number of kids */
    double factor;    /* SCALE */
    unsigned slot;    /* VALUE_RANGE */
    const char *lo, *hi;
    struct xs_query **kids;
    size_t nkids;
} xs_query;

enum xs_sort {
    XS_SORT_RELEVANCE = 0,
    XS_SORT_VALUE_DESC,     /* by sort_slot, highest first, then relevance */
    XS_SORT_VALUE_ASC,      /* by sort_slot, lowest first, then relevance  */
    XS_SORT_RELEVANCE_THEN_VALUE /* relevance; equal scores by sort_slot,
                                    highest first                          */
};

typedef struct xs_search_opts {
    const xs_query *query;    /* required                                 */
    const xs_query *filter;   /* boolean filter AND'd without weight; NULL */
    size_t offset, size;      /* the page                                 */
    int sort;                 /* enum xs_sort                             */
    unsigned sort_slot;
    const unsigned *facet_slots; /* exact counts over all matches         */
    size_t nfacets;
    size_t check_at_least;    /* 0 = exact totals (doccount); else a bound */
    double bm25_k1, bm25_b;   /* 0 = Xapian's defaults                    */
    int want_data;            /* copy document data of each hit           */
    unsigned nvalues;         /* copy values 0..nvalues-1 (<= 256)        */
    double time_limit;        /* seconds; 0 = none. Past it Xapian stops
                                 looking at more matches (totals and facet
                                 counts become estimates) */
    /* recency boost, with sort XS_SORT_RELEVANCE: > 0 adds up to this much
     * weight to a match dated in recency_slot ("YYYYMMDD"), halving every
     * recency_halflife years (0: 3) before the newest date of the index
     * (never later than today); an undated match gets nothing. A tcp:
     * remote cannot run it: there equal scores go newest first instead. */
    double recency;
    unsigned recency_slot;
    double recency_halflife;
    /* re-ranking, with sort XS_SORT_RELEVANCE: the weight this query gives
     * a document is added to its score, for the first rescore_window (0:
     * 100) matches only, which are then put in order again (the costly
     * positional checks of phrase boosts run on a hundred documents, not
     * on every match). Pages past the window are not re-ranked. Several
     * shards or a remote: added to every match instead (AND_MAYBE). */
    const xs_query *rescore;
    size_t rescore_window;
} xs_search_opts;

xs_rc xs_search(xs_reader *r, const xs_search_opts *o, xs_hits **out,
                xs_err *err) XS_NOEXCEPT;
void xs_hits_free(xs_hits *h) XS_NOEXCEPT; /* NULL fine */
/* Accessors: borrowed pointers live as long as h. */
/* Hits on this page; matches in all (exact when check_at_least was 0). */
size_t xs_hits_count(const xs_hits *h) XS_NOEXCEPT;
size_t xs_hits_total(const xs_hits *h) XS_NOEXCEPT;
unsigned xs_hits_docid(const xs_hits *h, size_t i) XS_NOEXCEPT;
double xs_hits_score(const xs_hits *h, size_t i) XS_NOEXCEPT;
const char *xs_hits_data(const xs_hits *h, size_t i, size_t *len) XS_NOEXCEPT;
const char *xs_hits_value(const xs_hits *h, size_t i, unsigned slot,
                          size_t *len) XS_NOEXCEPT; /* "" when absent */
/* Facets: for facet k (index into facet_slots), the distinct values and
 * their counts, most frequent first (ties by value). */
size_t xs_hits_facet_count(const xs_hits *h, size_t k) XS_NOEXCEPT;
const char *xs_hits_facet_value(const xs_hits *h, size_t k, size_t j,
                                size_t *len) XS_NOEXCEPT;
size_t xs_hits_facet_freq(const xs_hits *h, size_t k, size_t j) XS_NOEXCEPT;
/* The same counts by value number, when facet k was counted through the
 * slot's table (one local database): *n numbers, counts[i] the matches
 * with value i (xs_hits_facet_number_value; number 0 = no value, "").
 * *table names the numbering: a later search answering the same *table
 * numbers the same values alike, so what is made of them can be kept.
 * NULL (*n 0) when the facet has no table: use the list above. */
const unsigned *xs_hits_facet_counts(const xs_hits *h, size_t k, size_t *n,
                                     uint64_t *table) XS_NOEXCEPT;
const char *xs_hits_facet_number_value(const xs_hits *h, size_t k, size_t i,
                                       size_t *len) XS_NOEXCEPT;

/* The document holding boolean term idterm: its data (malloc'd copy) and
 * values 0..XS_NSLOTS-1 (malloc'd array of malloc'd strings; free each and
 * the array). XS_ENOTFOUND when none. vals may be NULL. */
xs_rc xs_reader_get(xs_reader *r, const char *idterm, char **data,
                    size_t *len, char ***vals, xs_err *err) XS_NOEXCEPT;

/* The indexed word nearest to word (at most two edits; the commonest
 * among the nearest) when word is in at most a twentieth as many
 * documents as it (a typo, or not there at all) and it is in three or
 * more; none for a word in 50 documents or more: malloc'd in *out; *out
 * NULL when there is none, or a shard is remote. */
xs_rc xs_reader_suggest(xs_reader *r, const char *word, char **out,
                        xs_err *err) XS_NOEXCEPT;
/* Value slot of document docid (a hit's docid, same revision): a malloc'd
 * copy, "" when unset. XS_ENOTFOUND when there is no such document. */
xs_rc xs_reader_value(xs_reader *r, unsigned docid, unsigned slot, char **out,
                      xs_err *err) XS_NOEXCEPT;

/* ---- stemming (read-only data; one per thread) ---------------------- */
xs_rc xs_stem_new(const char *lang, xs_stem **out, xs_err *err) XS_NOEXCEPT;
void xs_stem_free(xs_stem *s) XS_NOEXCEPT;
/* Stem word into out (cap bytes incl. NUL); returns the length, or 0 when
 * it does not fit or fails (the caller then keeps the word unstemmed). */
size_t xs_stem_word(xs_stem *s, const char *word, size_t len, char *out,
                    size_t cap) XS_NOEXCEPT;

/* Test hook (always built; one relaxed atomic load per call when unarmed):
 * the Nth entry into Xapian from now (1 = the next; every call that enters
 * a try block counts) throws the given kind of exception: 0 std::bad_alloc,
 * 1 DatabaseModifiedError, 2 DatabaseLockError, 3 DatabaseCorruptError,
 * 4 InvalidArgumentError, 5 Xapian::NetworkError, 6 std::runtime_error,
 * 7 an int, 8 DatabaseNotFoundError, 9 QueryParserError,
 * 10 DatabaseOpeningError, 11 InvalidOperationError, 12 DocNotFoundError,
 * 13 RangeError (another Xapian::Error), 14 DatabaseVersionError,
 * other values UnimplementedError. n = 0 disarms. */
void xs_test_fail_after(unsigned n, int kind) XS_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif
