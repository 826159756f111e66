/* xs.cc - the C shim over Xapian 1.4 (the only C++ in the project): opaque
 * handles for the writer, reader, documents, result pages and stemmers.
 * Every extern "C" function checks its arguments, runs Xapian inside one
 * try block and maps any exception to an xs_rc in xs_caught(); results are
 * copied into plain memory so accessors never enter Xapian. */
#include "shim/xs.h"
#include "common/hash.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

#define XS_MAX_DEPTH 64    /* query tree depth */
#define XS_MAX_NVALUES 256 /* xs_search_opts.nvalues */

/* A database without a termlist table (what --full leaves) cannot delete
 * or replace a document in Xapian 1.4: there a deletion is a tombstone,
 * the docid in the sorted "dead" list (user metadata "dead", decimal docids
 * separated by spaces) written with the commit, and every reader leaves
 * those documents out. */
struct xs_writer {
    Xapian::WritableDatabase db;
    bool in_txn;
    bool tomb;                          /* no termlist: tombstones       */
    std::vector<Xapian::docid> dead;    /* sorted; pending included      */
    std::vector<Xapian::docid> dead_at; /* as at xs_writer_begin         */
    bool dead_dirty = false;
    /* document data goes to XS_SLOT_DATA (schema 5), not the docdata
     * table, which an index of schema 3 or 4 keeps using */
    bool data_slot = true;
    /* the added documents' words for the spelling table, summed until the
     * commit (one add_spelling a word, not one a word a document) */
    std::unordered_map<std::string, Xapian::termcount> spell;
};

/* The words summed by xs_add_spelling go to Xapian's spelling table, to
 * be written with the documents. */
static void xs_flush_spelling(xs_writer *w)
{
    for (const auto &p : w->spell)
        w->db.add_spelling(p.first, p.second);
    w->spell.clear();
}

/* A facet slot's values by document, read once per revision: counting a
 * match is then an array step, not a value-stream lookup per document
 * (ValueCountMatchSpy's cost over every match of a broad query). */
struct xs_facet_table {
    uint64_t id;                    /* unique to this table (xs_hits_facet_counts) */
    Xapian::valueno slot;
    Xapian::docid last;             /* db.get_lastdocid() when read */
    std::vector<uint32_t> idx;      /* docid -> index into vals, 0 none */
    std::vector<std::string> vals;  /* vals[0] unused */
    Xapian::doccount nset = 0;      /* documents with a value */
    /* the recency boost of each value (date slot), made on first use */
    std::shared_ptr<const std::vector<double>> rw;
    double rw_maxw = 0, rw_half = 0;
    long rw_newest = 0;
};

struct xs_reader {
    Xapian::Database db;                 /* every shard, combined       */
    std::vector<Xapian::Database> shards; /* each path, sharing internals */
    std::vector<bool> remote;
    size_t doccount;
    unsigned long revision;
    bool rev_known; /* every shard reported a revision */
    std::vector<std::shared_ptr<xs_facet_table>> ftabs; /* this revision's */
    /* tombstoned documents of this revision: docids of the whole (sorted),
     * and each shard's own by its UUID (what a posting source can tell) */
    std::shared_ptr<const std::vector<Xapian::docid>> dead;
    std::shared_ptr<const std::unordered_map<std::string,
                                             std::vector<Xapian::docid>>> dead_by;
    bool dead_known = false; /* read at this revision (a known one) */
};

struct xs_doc {
    Xapian::Document doc;
    /* its words for the spelling table, with their counts */
    std::map<std::string, Xapian::termcount> spell;
};

struct xs_hit {
    unsigned docid;
    double weight;
    std::string data;
    std::vector<std::string> values;
};

struct xs_facet_entry {
    std::string value;
    size_t freq;
};

struct xs_facet_table;

/* Facet k: counted through a table (tab[k] set, count[k] by value number),
 * its sorted list made when first asked for; else (Xapian's spy) the list. */
struct xs_hits {
    size_t total;
    std::vector<xs_hit> hits;
    mutable std::vector<std::vector<xs_facet_entry>> facets;
    std::vector<std::shared_ptr<const xs_facet_table>> tab;
    std::vector<std::vector<unsigned>> count;
    mutable std::vector<bool> listed;
};

/* A stemmer and a memo of its recent answers: English text repeats its
 * words, and Snowball costs ~2,000 instructions a word (5% of a full
 * index) where a memo hit costs a hash. Direct-mapped, so its memory is
 * fixed (XS_STEM_MEMO entries); a word longer than an entry's room is
 * stemmed every time. */
enum { XS_STEM_MEMO = 8192, XS_STEM_ROOM = 31 };
struct xs_stem_memo {
    unsigned char klen, vlen;   /* klen 0: empty */
    char k[XS_STEM_ROOM], v[XS_STEM_ROOM];
};
struct xs_stem {
    Xapian::Stem stem;
    std::vector<xs_stem_memo> memo;
};

/* The bytes of a C enum as an int: C callers may pass values outside the
 * enum's range, which C++ must not load as the enum type (UBSan: enum). */
template <typename E> static int xs_enum_int(const E &e) noexcept
{
    static_assert(sizeof(E) == sizeof(int), "enum is int-sized");
    int v;
    memcpy(&v, &e, sizeof v);
    return v;
}

/* ---- errors --------------------------------------------------------- */

static xs_rc xs_ok(xs_err *err) noexcept
{
    if (err) {
        err->rc = XS_OK;
        err->msg[0] = 0;
    }
    return XS_OK;
}

__attribute__((format(printf, 3, 4)))
static xs_rc xs_fail(xs_err *err, xs_rc rc, const char *fmt, ...) noexcept
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->rc = rc;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* A Xapian exception's type, message and the system's reason when it
 * has one (strerror of the errno it saw: "No space left on device"). */
static void xapian_why(const Xapian::Error &e, const char **type,
                       const char **msg, const char **sys) noexcept
{
    *type = e.get_type();
    *msg = e.get_msg().c_str();
    try {
        *sys = e.get_error_string();
    } catch (...) {
        *sys = nullptr;
    }
}

/* The one exception mapper: call only from inside a catch block. what and
 * subject name the failed operation for the message; query says the
 * exception came from running the caller's query (argument errors are then
 * the query's fault: XS_EQUERY). */
static xs_rc xs_caught(xs_err *err, const char *what, const char *subject,
                       bool query = false) noexcept
{
    xs_rc rc = XS_EINTERNAL;
    const char *type = "unknown exception";
    const char *msg = "";
    const char *sys = nullptr;
    try {
        throw;
    } catch (const Xapian::DatabaseModifiedError &e) {
        rc = XS_EMODIFIED, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DatabaseLockError &e) {
        rc = XS_ELOCKED, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DatabaseNotFoundError &e) {
        rc = XS_ENOTFOUND, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DatabaseVersionError &e) {
        rc = XS_ESCHEMA, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DatabaseOpeningError &e) {
        rc = XS_ENOTFOUND, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DatabaseCorruptError &e) {
        rc = XS_ECORRUPT, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::DocNotFoundError &e) {
        rc = XS_ENOTFOUND, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::QueryParserError &e) {
        rc = XS_EQUERY, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::InvalidArgumentError &e) {
        rc = query ? XS_EQUERY : XS_EINVAL;
        xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::InvalidOperationError &e) {
        rc = query ? XS_EQUERY : XS_EINVAL;
        xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::UnimplementedError &e) {
        rc = query ? XS_EQUERY : XS_EXAPIAN;
        xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::NetworkError &e) {
        rc = XS_ENETWORK, xapian_why(e, &type, &msg, &sys);
    } catch (const Xapian::Error &e) {
        rc = XS_EXAPIAN, xapian_why(e, &type, &msg, &sys);
    } catch (const std::bad_alloc &) {
        rc = XS_ENOMEM, type = "bad_alloc", msg = "out of memory";
    } catch (const std::exception &e) {
        rc = XS_EINTERNAL, type = "exception", msg = e.what();
    } catch (...) {
        rc = XS_EINTERNAL;
    }
    if (!subject)
        return xs_fail(err, rc, "xs: %s: %s: %s%s%s%s", what, type, msg,
                       sys ? " (" : "", sys ? sys : "", sys ? ")" : "");
    return xs_fail(err, rc, "xs: %s '%s': %s: %s%s%s%s", what, subject, type, msg,
                   sys ? " (" : "", sys ? sys : "", sys ? ")" : "");
}

extern "C" const char *xs_rc_str(xs_rc rc) noexcept
{
    switch (xs_enum_int(rc)) {
    case XS_OK: return "ok";
    case XS_EINVAL: return "invalid argument";
    case XS_ENOMEM: return "out of memory";
    case XS_ENOTFOUND: return "not found";
    case XS_ELOCKED: return "index locked by another writer";
    case XS_EMODIFIED: return "index modified: reopen";
    case XS_ECORRUPT: return "index corrupt";
    case XS_EQUERY: return "bad query";
    case XS_EXAPIAN: return "xapian error";
    case XS_EINTERNAL: return "internal error";
    case XS_ESCHEMA: return "incompatible index schema";
    case XS_ENETWORK: return "remote shard unreachable";
    }
    return "unknown error";
}

/* ---- test hook ------------------------------------------------------ */

static std::atomic<unsigned> xs_fail_n{0};
static std::atomic<int> xs_fail_kind{0};

extern "C" void xs_test_fail_after(unsigned n, int kind) noexcept
{
    xs_fail_kind.store(kind, std::memory_order_relaxed);
    xs_fail_n.store(n, std::memory_order_relaxed);
}

/* Called first inside every try block: one relaxed load when disarmed. */
static void xs_test_point()
{
    if (xs_fail_n.load(std::memory_order_relaxed) == 0)
        return;
    if (xs_fail_n.fetch_sub(1, std::memory_order_relaxed) != 1)
        return;
    switch (xs_fail_kind.load(std::memory_order_relaxed)) {
    case 0: throw std::bad_alloc();
    case 1: throw Xapian::DatabaseModifiedError("test: modified");
    case 2: throw Xapian::DatabaseLockError("test: locked");
    case 3: throw Xapian::DatabaseCorruptError("test: corrupt");
    case 4: throw Xapian::InvalidArgumentError("test: invalid argument");
    case 5: throw Xapian::NetworkError("test: network");
    case 6: throw std::runtime_error("test: runtime error");
    case 7: throw 7;
    case 8: throw Xapian::DatabaseNotFoundError("test: not found");
    case 9: throw Xapian::QueryParserError("test: query parser");
    case 10: throw Xapian::DatabaseOpeningError("test: opening");
    case 11: throw Xapian::InvalidOperationError("test: invalid operation");
    case 12: throw Xapian::DocNotFoundError("test: no document");
    case 13: throw Xapian::RangeError("test: range");
    case 14: throw Xapian::DatabaseVersionError("test: version");
    default: throw Xapian::UnimplementedError("test: unimplemented");
    }
}

/* ---- helpers -------------------------------------------------------- */

/* malloc'd NUL-terminated copy; throws std::bad_alloc. */
static char *xs_dup(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    return p;
}

/* Compares the "schema" metadata with ours: XS_OK or XS_ESCHEMA. */
static xs_rc xs_schema_check(const std::string &have, const char *path,
                             xs_err *err)
{
    /* 3 is 4 with a termlist and so never a tombstone: still ours */
    if (have == XS_SCHEMA_VERSION || have == "4" || have == "3")
        return XS_OK;
    return xs_fail(err, XS_ESCHEMA,
                   "xs: '%s': index schema version %s, this program writes "
                   "%s: rebuild with --full",
                   path, have.empty() ? "(none)" : have.c_str(),
                   XS_SCHEMA_VERSION);
}

/* ---- tombstones ------------------------------------------------------ */

/* The "dead" metadata -> sorted, distinct docids (junk is skipped). */
static std::vector<Xapian::docid> xs_dead_parse(const std::string &v)
{
    std::vector<Xapian::docid> d;
    const char *p = v.c_str();
    while (*p) {
        char *end;
        errno = 0;
        unsigned long x = strtoul(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        if (!errno && x > 0 && x <= 0xffffffffUL)
            d.push_back(static_cast<Xapian::docid>(x));
        p = end;
    }
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
    return d;
}

static std::string xs_dead_format(const std::vector<Xapian::docid> &d)
{
    std::string s;
    char b[16];
    for (Xapian::docid x : d) {
        int n = snprintf(b, sizeof b, "%s%u", s.empty() ? "" : " ", x);
        s.append(b, static_cast<size_t>(n));
    }
    return s;
}

static bool xs_is_dead(const std::vector<Xapian::docid> &d, Xapian::docid x)
{
    return !d.empty() && std::binary_search(d.begin(), d.end(), x);
}

/* Tombstones docid (it must exist): false when it already was one. */
static bool xs_tombstone(xs_writer *w, Xapian::docid did)
{
    auto at = std::lower_bound(w->dead.begin(), w->dead.end(), did);
    if (at != w->dead.end() && *at == did)
        return false;
    w->dead.insert(at, did);
    w->dead_dirty = true;
    return true;
}

/* Tombstones every live document holding term. */
static void xs_tombstone_term(xs_writer *w, const std::string &term)
{
    std::vector<Xapian::docid> ids;
    for (Xapian::PostingIterator p = w->db.postlist_begin(term);
         p != w->db.postlist_end(term); ++p)
        ids.push_back(*p);
    for (Xapian::docid d : ids)
        xs_tombstone(w, d);
}

/* A glass database on disk without its termlist table (xs_compact with
 * XS_COMPACT_NO_TERMLIST): Xapian opens it for writing only when told. */
static bool xs_no_termlist(const char *path)
{
    struct stat st;
    std::string p(path);
    return stat((p + "/iamglass").c_str(), &st) == 0 &&
           stat((p + "/termlist.glass").c_str(), &st) != 0 && errno == ENOENT;
}

/* ---- write side ----------------------------------------------------- */

extern "C" xs_rc xs_writer_open(const char *path, int flags,
                                unsigned flush_docs, xs_writer **out,
                                xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!path || !out || !*path)
        return xs_fail(err, XS_EINVAL, "xs: writer open: %s",
                       !path || !*path ? "no path" : "NULL out");
    if (flags & ~(XS_CREATE | XS_OVERWRITE | XS_NOSYNC | XS_NOTERMLIST))
        return xs_fail(err, XS_EINVAL, "xs: writer open '%s': bad flags %#x",
                       path, (unsigned)flags);
    xs_writer *w = nullptr;
    try {
        xs_test_point();
        int action = Xapian::DB_OPEN;
        if (flags & XS_OVERWRITE)
            action = Xapian::DB_CREATE_OR_OVERWRITE;
        else if (flags & XS_CREATE)
            action = Xapian::DB_CREATE_OR_OPEN;
        if (flags & XS_NOSYNC)
            action |= Xapian::DB_NO_SYNC;
        bool tomb = (flags & XS_NOTERMLIST) ||
                    (!(flags & XS_OVERWRITE) && xs_no_termlist(path));
        if (tomb)
            action |= Xapian::DB_NO_TERMLIST;
        if (flush_docs > 0) {
            /* Process-wide, read by Xapian when the database opens. */
            char buf[32];
            snprintf(buf, sizeof buf, "%u", flush_docs);
            setenv("XAPIAN_FLUSH_THRESHOLD", buf, 1);
        }
        w = new xs_writer{Xapian::WritableDatabase(path, action), false, tomb,
                          {}, {}, false, true, {}};
        if (tomb)
            w->dead = xs_dead_parse(w->db.get_metadata("dead"));
        std::string schema = w->db.get_metadata("schema");
        if (schema.empty() && w->db.get_doccount() == 0) {
            w->db.set_metadata("schema", XS_SCHEMA_VERSION);
            w->db.commit();
        } else if (xs_schema_check(schema, path, err) != XS_OK) {
            delete w;
            return XS_ESCHEMA;
        } else {
            w->data_slot = schema == XS_SCHEMA_VERSION;
        }
        *out = w;
        return xs_ok(err);
    } catch (...) {
        delete w;
        return xs_caught(err, "cannot open index", path);
    }
}

extern "C" xs_rc xs_writer_close(xs_writer *w, xs_err *err) noexcept
{
    if (!w)
        return xs_ok(err);
    xs_rc rc = XS_OK;
    try {
        xs_test_point();
        /* Cancels an active transaction; outside one Xapian commits, and
         * the documents' words go with them */
        if (!w->in_txn)
            xs_flush_spelling(w);
        w->db.close();
        rc = xs_ok(err);
    } catch (...) {
        rc = xs_caught(err, "cannot close index", nullptr);
    }
    delete w; /* never throws: Xapian swallows errors in destructors */
    return rc;
}

extern "C" xs_rc xs_writer_begin(xs_writer *w, xs_err *err) noexcept
{
    if (!w)
        return xs_fail(err, XS_EINVAL, "xs: begin: NULL writer");
    try {
        xs_test_point();
        w->db.begin_transaction(false);
        w->in_txn = true;
        w->dead_at = w->dead;
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot begin transaction", nullptr);
    }
}

extern "C" xs_rc xs_writer_commit(xs_writer *w, xs_err *err) noexcept
{
    if (!w)
        return xs_fail(err, XS_EINVAL, "xs: commit: NULL writer");
    try {
        xs_test_point();
        xs_flush_spelling(w);
        if (w->dead_dirty) { /* the tombstones go with the documents */
            w->db.set_metadata("dead", xs_dead_format(w->dead));
            w->dead_dirty = false;
        }
        if (w->in_txn) {
            w->in_txn = false; /* ended even when the commit throws */
            /* begun unflushed (no commit before it), so write it out */
            w->db.commit_transaction();
            w->db.commit();
        } else {
            w->db.commit();
        }
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot commit", nullptr);
    }
}

extern "C" xs_rc xs_writer_cancel(xs_writer *w, xs_err *err) noexcept
{
    if (!w)
        return xs_fail(err, XS_EINVAL, "xs: cancel: NULL writer");
    if (!w->in_txn)
        return xs_fail(err, XS_EINVAL, "xs: cancel: no transaction active");
    try {
        xs_test_point();
        w->in_txn = false;
        w->dead = w->dead_at;
        w->dead_dirty = false;
        w->db.cancel_transaction();
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot cancel transaction", nullptr);
    }
}

static bool xs_term_ok(const char *t)
{
    return t && *t && strlen(t) <= XS_MAX_TERM;
}

/* The document as this writer stores it: its data (kept in XS_SLOT_DATA
 * by xs_doc_data) moves to the docdata table for an index of schema 3/4.
 * The move changes the caller's document too (a Xapian::Document is a
 * handle); adding it anywhere after that is still right, since readers
 * take the data from either place (xs_data_of). */
static const Xapian::Document &xs_doc_for(const xs_writer *w, const xs_doc *d)
{
    if (!w->data_slot) {
        Xapian::Document doc = d->doc; /* a handle: the same document */
        std::string v = doc.get_value(XS_SLOT_DATA);
        if (!v.empty()) {
            doc.set_data(v);
            doc.remove_value(XS_SLOT_DATA);
        }
    }
    return d->doc;
}

/* The document's words join the spelling table (its suggestions) at the
 * next commit. */
static void xs_add_spelling(xs_writer *w, const xs_doc *d)
{
    for (const auto &p : d->spell)
        w->spell[p.first] += p.second;
}

extern "C" xs_rc xs_writer_replace(xs_writer *w, const char *idterm,
                                   const xs_doc *doc, xs_err *err) noexcept
{
    if (!w || !doc)
        return xs_fail(err, XS_EINVAL, "xs: replace: NULL %s",
                       !w ? "writer" : "document");
    if (!xs_term_ok(idterm))
        return xs_fail(err, XS_EINVAL, "xs: replace: bad id term");
    try {
        xs_test_point();
        if (w->tomb) {
            xs_tombstone_term(w, idterm);
            w->db.add_document(xs_doc_for(w, doc));
            xs_add_spelling(w, doc);
        } else {
            w->db.replace_document(idterm, xs_doc_for(w, doc));
            xs_add_spelling(w, doc);
        }
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot replace document", idterm);
    }
}

extern "C" xs_rc xs_writer_add(xs_writer *w, const xs_doc *doc,
                               xs_err *err) noexcept
{
    if (!w || !doc)
        return xs_fail(err, XS_EINVAL, "xs: add: NULL %s",
                       !w ? "writer" : "document");
    try {
        xs_test_point();
        w->db.add_document(xs_doc_for(w, doc));
        xs_add_spelling(w, doc);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot add document", nullptr);
    }
}

extern "C" xs_rc xs_writer_delete(xs_writer *w, const char *idterm,
                                  xs_err *err) noexcept
{
    if (!w)
        return xs_fail(err, XS_EINVAL, "xs: delete: NULL writer");
    if (!xs_term_ok(idterm))
        return xs_fail(err, XS_EINVAL, "xs: delete: bad id term");
    try {
        xs_test_point();
        if (w->tomb)
            xs_tombstone_term(w, idterm);
        else
            w->db.delete_document(idterm);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot delete document", idterm);
    }
}

extern "C" xs_rc xs_writer_delete_docid(xs_writer *w, unsigned docid,
                                        xs_err *err) noexcept
{
    if (!w || docid == 0)
        return xs_fail(err, XS_EINVAL, "xs: delete: %s",
                       !w ? "NULL writer" : "docid 0");
    try {
        xs_test_point();
        if (!w->tomb) {
            w->db.delete_document(docid);
            return xs_ok(err);
        }
        (void)w->db.get_document(docid); /* DocNotFoundError when none */
        if (!xs_tombstone(w, docid))
            return xs_fail(err, XS_ENOTFOUND, "xs: delete: document %u was "
                           "deleted already", docid);
        return xs_ok(err);
    } catch (...) {
        char id[16];
        snprintf(id, sizeof id, "%u", docid);
        return xs_caught(err, "cannot delete document", id);
    }
}

extern "C" xs_rc xs_writer_set_meta(xs_writer *w, const char *key,
                                    const char *value, xs_err *err) noexcept
{
    if (!w || !key || !*key || !value)
        return xs_fail(err, XS_EINVAL, "xs: set metadata: %s",
                       !w ? "NULL writer" : !value ? "NULL value" : "no key");
    try {
        xs_test_point();
        w->db.set_metadata(key, value);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot set metadata", key);
    }
}

extern "C" xs_rc xs_writer_get_meta(xs_writer *w, const char *key,
                                    char **out, xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!w || !key || !*key || !out)
        return xs_fail(err, XS_EINVAL, "xs: get metadata: %s",
                       !w ? "NULL writer" : !out ? "NULL out" : "no key");
    try {
        xs_test_point();
        *out = xs_dup(w->db.get_metadata(key));
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot get metadata", key);
    }
}

extern "C" xs_rc xs_writer_doccount(xs_writer *w, size_t *out,
                                    xs_err *err) noexcept
{
    if (out)
        *out = 0;
    if (!w || !out)
        return xs_fail(err, XS_EINVAL, "xs: doccount: NULL argument");
    try {
        xs_test_point();
        *out = w->db.get_doccount() - w->dead.size();
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot count documents", nullptr);
    }
}

extern "C" size_t xs_writer_dead(const xs_writer *w) noexcept
{
    return w ? w->dead.size() : 0;
}

extern "C" void xs_values_free(xs_values *v) noexcept
{
    if (!v)
        return;
    if (v->vals)
        for (size_t i = 0; i < v->n; i++)
            free(v->vals[i]);
    free(v->vals);
    free(v->docids);
    v->n = 0;
    v->vals = nullptr;
    v->docids = nullptr;
}

extern "C" xs_rc xs_writer_values(xs_writer *w, unsigned slot,
                                  xs_values *out, xs_err *err) noexcept
{
    if (out) {
        out->n = 0;
        out->docids = nullptr;
        out->vals = nullptr;
    }
    if (!w || !out)
        return xs_fail(err, XS_EINVAL, "xs: values: NULL argument");
    if (slot == Xapian::BAD_VALUENO)
        return xs_fail(err, XS_EINVAL, "xs: values: bad slot %u", slot);
    try {
        xs_test_point();
        std::vector<std::pair<unsigned, std::string>> all;
        for (Xapian::ValueIterator i = w->db.valuestream_begin(slot);
             i != w->db.valuestream_end(slot); ++i)
            if (!xs_is_dead(w->dead, i.get_docid()))
                all.emplace_back(i.get_docid(), *i);
        size_t n = all.size();
        out->docids = static_cast<unsigned *>(calloc(n ? n : 1,
                                                     sizeof(unsigned)));
        out->vals = static_cast<char **>(calloc(n ? n : 1, sizeof(char *)));
        if (!out->docids || !out->vals)
            throw std::bad_alloc();
        for (size_t i = 0; i < n; i++) {
            out->vals[i] = xs_dup(all[i].second);
            out->docids[i] = all[i].first;
            out->n = i + 1;
        }
        return xs_ok(err);
    } catch (...) {
        xs_values_free(out);
        char s[16];
        snprintf(s, sizeof s, "%u", slot);
        return xs_caught(err, "cannot read values of slot", s);
    }
}

extern "C" xs_rc xs_compact(const char *const *srcs, size_t nsrcs,
                            const char *dst, int flags, xs_err *err) noexcept
{
    if (flags & ~XS_COMPACT_NO_TERMLIST)
        return xs_fail(err, XS_EINVAL, "xs: compact: bad flags %#x",
                       (unsigned)flags);
    if (!srcs || nsrcs == 0 || !dst || !*dst)
        return xs_fail(err, XS_EINVAL, "xs: compact: %s",
                       !dst || !*dst ? "no destination" : "no source");
    for (size_t i = 0; i < nsrcs; i++)
        if (!srcs[i] || !*srcs[i])
            return xs_fail(err, XS_EINVAL, "xs: compact: source %zu is empty",
                           i);
    struct stat st;
    if (lstat(dst, &st) == 0)
        return xs_fail(err, XS_EINVAL, "xs: compact: destination '%s' exists",
                       dst);
    const char *cur = srcs[0];
    try {
        xs_test_point();
        Xapian::Database all;
        for (size_t i = 0; i < nsrcs; i++) {
            cur = srcs[i];
            Xapian::Database one(srcs[i]);
            /* its docids change: a tombstone list would name others */
            if (!one.get_metadata("dead").empty())
                return xs_fail(err, XS_EINVAL, "xs: compact: '%s' has deleted "
                               "documents (tombstones); rebuild it instead",
                               srcs[i]);
            all.add_database(one);
        }
        cur = dst;
        all.compact(dst, Xapian::DBCOMPACT_MULTIPASS);
        if (flags & XS_COMPACT_NO_TERMLIST) {
            std::string tl = std::string(dst) + "/termlist.glass";
            if (unlink(tl.c_str()) != 0 && errno != ENOENT)
                return xs_fail(err, XS_EXAPIAN, "xs: compact: cannot remove "
                               "'%s': %s", tl.c_str(), strerror(errno));
        }
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot compact", cur);
    }
}

/* ---- documents ------------------------------------------------------ */

extern "C" xs_rc xs_doc_spelling(xs_doc *d, const char *word, size_t len,
                                 unsigned count, xs_err *err) noexcept
{
    if (!d || !word || !len || len > XS_MAX_TERM)
        return xs_fail(err, XS_EINVAL, "xs: spelling: %s",
                       !d ? "NULL document" : "no word, or one too long");
    try {
        d->spell[std::string(word, len)] += count;
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot keep a word for spelling", nullptr);
    }
}

extern "C" xs_rc xs_doc_new(xs_doc **out, xs_err *err) noexcept
{
    if (!out)
        return xs_fail(err, XS_EINVAL, "xs: doc new: NULL out");
    *out = nullptr;
    try {
        xs_test_point();
        *out = new xs_doc;
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot create document", nullptr);
    }
}

extern "C" void xs_doc_free(xs_doc *d) noexcept
{
    delete d;
}

extern "C" xs_rc xs_doc_term(xs_doc *d, const char *term, size_t len,
                             unsigned wdfinc, xs_err *err) noexcept
{
    if (!d || !term || len == 0)
        return xs_fail(err, XS_EINVAL, "xs: doc term: %s",
                       !d ? "NULL document" : "empty term");
    if (len > XS_MAX_TERM)
        return xs_ok(err); /* cannot be stored: skipped (xs.h) */
    try {
        xs_test_point();
        std::string t(term, len);
        if (wdfinc == 0)
            d->doc.add_boolean_term(t);
        else
            d->doc.add_term(t, wdfinc);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot add term", nullptr);
    }
}

extern "C" xs_rc xs_doc_posting(xs_doc *d, const char *term, size_t len,
                                unsigned pos, unsigned wdfinc,
                                xs_err *err) noexcept
{
    if (!d || !term || len == 0 || pos == 0)
        return xs_fail(err, XS_EINVAL, "xs: doc posting: %s",
                       !d ? "NULL document"
                          : pos == 0 ? "position 0" : "empty term");
    if (len > XS_MAX_TERM)
        return xs_ok(err);
    try {
        xs_test_point();
        d->doc.add_posting(std::string(term, len), pos, wdfinc);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot add posting", nullptr);
    }
}

extern "C" xs_rc xs_doc_value(xs_doc *d, unsigned slot, const char *val,
                              size_t len, xs_err *err) noexcept
{
    if (!d || (!val && len) || slot == Xapian::BAD_VALUENO)
        return xs_fail(err, XS_EINVAL, "xs: doc value: %s",
                       !d ? "NULL document"
                          : slot == Xapian::BAD_VALUENO ? "bad slot"
                                                        : "NULL value");
    try {
        xs_test_point();
        d->doc.add_value(slot, std::string(val ? val : "", len));
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot set value", nullptr);
    }
}

extern "C" xs_rc xs_doc_data(xs_doc *d, const void *data, size_t len,
                             xs_err *err) noexcept
{
    if (!d || (!data && len))
        return xs_fail(err, XS_EINVAL, "xs: doc data: NULL %s",
                       !d ? "document" : "data");
    try {
        xs_test_point();
        /* a value, not Document::set_data(): Xapian 1.4 tries to deflate
         * every docdata entry again, at each add and again at compaction,
         * and our data is deflated already (xs_writer_* move it back to
         * the docdata table for an index of schema 3 or 4) */
        d->doc.add_value(XS_SLOT_DATA,
                         std::string(data ? static_cast<const char *>(data)
                                          : "", len));
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot set data", nullptr);
    }
}

/* ---- read side ------------------------------------------------------ */

/* A document's data: XS_SLOT_DATA, or the docdata table of schema 3/4. */
static std::string xs_data_of(const Xapian::Document &doc)
{
    std::string v = doc.get_value(XS_SLOT_DATA);
    if (v.empty())
        return doc.get_data();
    return v; /* moved, not copied (a conditional expression would copy) */
}

/* "tcp:HOST:PORT" (HOST may be [v6]) -> host, port; false when malformed. */
static bool xs_parse_tcp(const char *p, std::string &host, unsigned &port)
{
    const char *s = p + 4;
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return false;
    host.assign(s, colon - s);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || v == 0 || v > 65535)
        return false;
    port = static_cast<unsigned>(v);
    return true;
}

/* The tombstones of every shard as docids of the whole: Xapian 1.4 gives
 * docid d of sub-database k of n the docid (d - 1) * n + k + 1. A path
 * naming several sub-databases (a stub of shards) has none we can read. */
static void xs_reader_dead(xs_reader *r)
{
    auto all = std::make_shared<std::vector<Xapian::docid>>();
    auto by = std::make_shared<std::unordered_map<std::string,
                                                  std::vector<Xapian::docid>>>();
    Xapian::docid n = static_cast<Xapian::docid>(r->db.size()), k = 0;
    for (size_t i = 0; i < r->shards.size(); i++) {
        std::string v;
        if (r->shards[i].size() == 1) {
            try {
                v = r->shards[i].get_metadata("dead");
            } catch (const Xapian::NetworkError &) {
                throw;
            } catch (const Xapian::Error &) {
                if (!r->remote[i])
                    throw;
            }
        }
        std::vector<Xapian::docid> own = xs_dead_parse(v);
        for (Xapian::docid d : own)
            all->push_back((d - 1) * n + k + 1);
        if (!own.empty())
            (*by)[r->shards[i].get_uuid()] = std::move(own);
        k += static_cast<Xapian::docid>(r->shards[i].size());
    }
    std::sort(all->begin(), all->end());
    r->dead = all->empty() ? nullptr : std::move(all);
    r->dead_by = by->empty() ? nullptr : std::move(by);
}

/* Recomputes the cached doccount, tombstones and revision; says whether
 * they moved. */
static bool xs_reader_stat(xs_reader *r)
{
    unsigned long rev = 0;
    bool known = true;
    for (const Xapian::Database &s : r->shards) {
        try {
            rev += s.get_revision();
        } catch (const Xapian::Error &) {
            known = false; /* remote, or a stub of several shards */
        }
    }
    if (!known || rev != r->revision || !r->dead_known) { /* they move together */
        xs_reader_dead(r);
        r->dead_known = known;
    }
    size_t n = r->db.get_doccount() - (r->dead ? r->dead->size() : 0);
    bool moved = n != r->doccount || rev != r->revision;
    r->doccount = n;
    r->revision = rev;
    r->rev_known = known;
    return moved;
}

/* Every shard's "schema" must be ours or unset (remote shards that cannot
 * answer are skipped). */
static xs_rc xs_reader_schema(xs_reader *r, const char *const *paths,
                              xs_err *err)
{
    for (size_t i = 0; i < r->shards.size(); i++) {
        std::string have;
        try {
            have = r->shards[i].get_metadata("schema");
        } catch (const Xapian::NetworkError &) {
            throw;
        } catch (const Xapian::Error &) {
            if (!r->remote[i])
                throw;
            continue;
        }
        if (!have.empty() && xs_schema_check(have, paths ? paths[i] : "index",
                                             err) != XS_OK)
            return XS_ESCHEMA;
    }
    return XS_OK;
}

extern "C" xs_rc xs_reader_open_many(const char *const *paths, size_t n,
                                     xs_reader **out, xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!paths || n == 0 || !out)
        return xs_fail(err, XS_EINVAL, "xs: reader open: %s",
                       !out ? "NULL out" : "no path");
    for (size_t i = 0; i < n; i++)
        if (!paths[i] || !*paths[i])
            return xs_fail(err, XS_EINVAL, "xs: reader open: path %zu empty",
                           i);
    xs_reader *r = nullptr;
    const char *cur = paths[0];
    try {
        xs_test_point();
        r = new xs_reader{Xapian::Database(), {}, {}, 0, 0, true, {}, nullptr, nullptr,
                          false};
        for (size_t i = 0; i < n; i++) {
            cur = paths[i];
            if (strncmp(cur, "tcp:", 4) == 0) {
                std::string host;
                unsigned port = 0;
                if (!xs_parse_tcp(cur, host, port)) {
                    delete r;
                    return xs_fail(err, XS_EINVAL,
                                   "xs: reader open '%s': expected "
                                   "tcp:HOST:PORT", cur);
                }
                r->shards.push_back(Xapian::Remote::open(host, port, 10000,
                                                         10000));
                r->remote.push_back(true);
            } else {
                r->shards.push_back(Xapian::Database(cur));
                r->remote.push_back(false);
            }
            r->db.add_database(r->shards.back());
        }
        cur = n == 1 ? paths[0] : "index";
        if (xs_reader_schema(r, paths, err) != XS_OK) {
            delete r;
            return XS_ESCHEMA;
        }
        xs_reader_stat(r);
        *out = r;
        return xs_ok(err);
    } catch (...) {
        delete r;
        return xs_caught(err, "cannot open index", cur);
    }
}

extern "C" xs_rc xs_reader_open(const char *path, xs_reader **out,
                                xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!path)
        return xs_fail(err, XS_EINVAL, "xs: reader open: no path");
    return xs_reader_open_many(&path, 1, out, err);
}

extern "C" xs_rc xs_reader_reopen(xs_reader *r, int *changed,
                                  xs_err *err) noexcept
{
    if (changed)
        *changed = 0;
    if (!r)
        return xs_fail(err, XS_EINVAL, "xs: reopen: NULL reader");
    try {
        xs_test_point();
        bool might = r->db.reopen(); /* the shards share its internals */
        bool moved = xs_reader_stat(r);
        if (might || moved)
            r->ftabs.clear();
        if (changed)
            *changed = (r->rev_known ? moved : might || moved) ? 1 : 0;
        if (xs_reader_schema(r, nullptr, err) != XS_OK)
            return XS_ESCHEMA;
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot reopen index", nullptr);
    }
}

extern "C" void xs_reader_close(xs_reader *r) noexcept
{
    delete r;
}

extern "C" size_t xs_reader_doccount(const xs_reader *r) noexcept
{
    return r ? r->doccount : 0;
}

extern "C" unsigned long xs_reader_revision(const xs_reader *r) noexcept
{
    return r ? r->revision : 0;
}

extern "C" xs_rc xs_reader_meta(xs_reader *r, const char *key, char **out,
                                xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!r || !key || !*key || !out)
        return xs_fail(err, XS_EINVAL, "xs: reader metadata: %s",
                       !r ? "NULL reader" : !out ? "NULL out" : "no key");
    try {
        xs_test_point();
        *out = xs_dup(r->db.get_metadata(key));
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot get metadata", key);
    }
}

extern "C" xs_rc xs_reader_termfreq(xs_reader *r, const char *term,
                                    size_t *out, xs_err *err) noexcept
{
    if (out)
        *out = 0;
    if (!r || !term || !out)
        return xs_fail(err, XS_EINVAL, "xs: termfreq: NULL argument");
    try {
        xs_test_point();
        *out = r->db.get_termfreq(term);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot get term frequency", term);
    }
}

extern "C" xs_rc xs_reader_collfreq(xs_reader *r, const char *term,
                                    size_t *out, xs_err *err) noexcept
{
    if (out)
        *out = 0;
    if (!r || !term || !out)
        return xs_fail(err, XS_EINVAL, "xs: collfreq: NULL argument");
    try {
        xs_test_point();
        *out = r->db.get_collection_freq(term);
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot get collection frequency", term);
    }
}

/* ---- search --------------------------------------------------------- */

/* How a title fit weighs the share of the title a query covers. */
enum xs_fit { XS_FIT_SHARE, XS_FIT_SQUARE, XS_FIT_BOTH /* share + square */ };

/* factor * min(1, n / the slot's number), or its square, or both summed
 * (one source where a query has the two over the same terms: xs_build_opt):
 * how much of a document's title (its length in the slot) a query of n
 * positions covers. */
class XsTitleFit : public Xapian::ValuePostingSource {
    unsigned n_;
    double f_;
    xs_fit mode_;

  public:
    XsTitleFit(Xapian::valueno slot, unsigned n, double f, xs_fit mode)
        : Xapian::ValuePostingSource(slot), n_(n), f_(f), mode_(mode) {}
    void init(const Xapian::Database &db) override
    {
        Xapian::ValuePostingSource::init(db);
        set_maxweight(mode_ == XS_FIT_BOTH ? f_ + f_ : f_);
    }
    double get_weight() const override
    {
        unsigned long len = strtoul(get_value().c_str(), nullptr, 10);
        if (len == 0)
            return 0.0;
        if (len <= n_)
            return mode_ == XS_FIT_BOTH ? f_ + f_ : f_;
        double share = n_ / static_cast<double>(len);
        switch (mode_) {
        case XS_FIT_SQUARE:
            return f_ * (share * share);
        case XS_FIT_BOTH: /* as the two sources' weights would add up */
            return f_ * share + f_ * (share * share);
        default:
            return f_ * share;
        }
    }
    XsTitleFit *clone() const override
    {
        return new XsTitleFit(get_slot(), n_, f_, mode_);
    }
    std::string name() const override { return "XsTitleFit"; }
};

/* The C query tree -> Xapian::Query; XS_EQUERY (message in err) when the
 * tree is malformed. */
static xs_rc xs_build(const xs_query *q, int depth, Xapian::Query &out,
                      xs_err *err, bool match_only = false)
{
    if (!q)
        return xs_fail(err, XS_EQUERY, "xs: query: NULL subquery");
    if (depth > XS_MAX_DEPTH)
        return xs_fail(err, XS_EQUERY, "xs: query: deeper than %d levels",
                       XS_MAX_DEPTH);
    int op = xs_enum_int(q->op);
    switch (op) {
    case XS_Q_TERM:
        if (!q->term || q->term_len == 0)
            return xs_fail(err, XS_EQUERY, "xs: query: empty term");
        out = Xapian::Query(std::string(q->term, q->term_len),
                            q->wqf ? q->wqf : 1);
        return XS_OK;
    case XS_Q_WILDCARD:
        if (!q->term || q->term_len == 0)
            return xs_fail(err, XS_EQUERY, "xs: query: empty wildcard");
        out = Xapian::Query(Xapian::Query::OP_WILDCARD,
                            std::string(q->term, q->term_len),
                            XS_WILDCARD_MAX,
                            Xapian::Query::WILDCARD_LIMIT_FIRST);
        return XS_OK;
    case XS_Q_ALL:
        out = Xapian::Query::MatchAll;
        return XS_OK;
    case XS_Q_NONE:
        out = Xapian::Query::MatchNothing;
        return XS_OK;
    case XS_Q_VALUE_RANGE: {
        if (q->slot == Xapian::BAD_VALUENO)
            return xs_fail(err, XS_EQUERY, "xs: query: bad value slot");
        if (q->lo && q->hi)
            out = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, q->slot,
                                q->lo, q->hi);
        else if (q->hi)
            out = Xapian::Query(Xapian::Query::OP_VALUE_LE, q->slot, q->hi);
        else if (q->lo && *q->lo)
            out = Xapian::Query(Xapian::Query::OP_VALUE_GE, q->slot, q->lo);
        else /* any value: Xapian takes GE "" as every document */
            out = Xapian::Query(Xapian::Query::OP_VALUE_GE, q->slot,
                                std::string(1, '\0'));
        return XS_OK;
    }
    case XS_Q_AND:
    case XS_Q_OR:
    case XS_Q_AND_NOT:
    case XS_Q_AND_MAYBE:
    case XS_Q_FILTER:
    case XS_Q_PHRASE:
    case XS_Q_NEAR:
    case XS_Q_SCALE:
    case XS_Q_SYNONYM:
    case XS_Q_MAX:
    case XS_Q_TITLEFIT:
        break;
    default:
        return xs_fail(err, XS_EQUERY, "xs: query: unknown operator %d",
                       op);
    }
    if (q->nkids == 0 || !q->kids)
        return xs_fail(err, XS_EQUERY, "xs: query: operator %d without "
                       "subqueries", op);
    if ((op == XS_Q_SCALE || op == XS_Q_TITLEFIT) && q->nkids != 1)
        return xs_fail(err, XS_EQUERY, "xs: query: %s takes one subquery",
                       op == XS_Q_SCALE ? "scale" : "title fit");
    if (op == XS_Q_TITLEFIT &&
        (q->slot == Xapian::BAD_VALUENO || q->window == 0 ||
         !std::isfinite(q->factor) || q->factor < 0))
        return xs_fail(err, XS_EQUERY, "xs: query: bad title fit");
    /* which documents match, not how well: what only ranks goes */
    if (match_only && (op == XS_Q_AND_MAYBE || op == XS_Q_SCALE))
        return xs_build(q->kids[0], depth + 1, out, err, true);
    std::vector<Xapian::Query> kids(q->nkids);
    for (size_t i = 0; i < q->nkids; i++) {
        xs_rc rc = xs_build(q->kids[i], depth + 1, kids[i], err, match_only);
        if (rc != XS_OK)
            return rc;
    }
    switch (op) {
    case XS_Q_AND:
        out = Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end());
        break;
    case XS_Q_OR:
        out = Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
        break;
    case XS_Q_SYNONYM:
        out = Xapian::Query(Xapian::Query::OP_SYNONYM, kids.begin(),
                            kids.end());
        break;
    case XS_Q_MAX:
        out = Xapian::Query(Xapian::Query::OP_MAX, kids.begin(), kids.end());
        break;
    case XS_Q_TITLEFIT: {
        Xapian::Query fit((new XsTitleFit(q->slot, q->window, q->factor,
                                          q->wqf == 2 ? XS_FIT_SQUARE
                                                      : XS_FIT_SHARE))
                              ->release());
        out = Xapian::Query(Xapian::Query::OP_AND,
                            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                          kids[0], 0.0),
                            fit);
        break;
    }
    case XS_Q_AND_NOT:
    case XS_Q_AND_MAYBE:
    case XS_Q_FILTER: {
        if (kids.size() == 1) {
            out = kids[0];
            break;
        }
        /* AND_NOT and AND_MAYBE take the rest OR'ed, FILTER AND'ed */
        Xapian::Query rest(q->op == XS_Q_FILTER ? Xapian::Query::OP_AND
                                                : Xapian::Query::OP_OR,
                           kids.begin() + 1, kids.end());
        Xapian::Query::op xop = q->op == XS_Q_AND_NOT
            ? Xapian::Query::OP_AND_NOT
            : q->op == XS_Q_AND_MAYBE ? Xapian::Query::OP_AND_MAYBE
                                      : Xapian::Query::OP_FILTER;
        out = Xapian::Query(xop, kids[0], rest);
        break;
    }
    case XS_Q_PHRASE:
    case XS_Q_NEAR: {
        size_t window = q->window ? q->window : q->nkids;
        if (window < q->nkids)
            return xs_fail(err, XS_EQUERY, "xs: query: window %u smaller "
                           "than %zu terms", q->window, q->nkids);
        out = Xapian::Query(q->op == XS_Q_PHRASE ? Xapian::Query::OP_PHRASE
                                                 : Xapian::Query::OP_NEAR,
                            kids.begin(), kids.end(),
                            static_cast<Xapian::termcount>(window));
        break;
    }
    case XS_Q_SCALE:
        if (!std::isfinite(q->factor) || q->factor < 0)
            return xs_fail(err, XS_EQUERY, "xs: query: bad scale factor");
        out = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, kids[0],
                            q->factor);
        break;
    default:
        break;
    }
    return XS_OK;
}

/* Whether operator op occurs in the tree q. */
static bool xs_has_op(const xs_query *q, int op, int depth)
{
    if (!q || depth > XS_MAX_DEPTH)
        return false;
    if (xs_enum_int(q->op) == op)
        return true;
    for (size_t i = 0; q->kids && i < q->nkids; i++)
        if (xs_has_op(q->kids[i], op, depth + 1))
            return true;
    return false;
}

/* A part of a query that only adds weight: the node, weighted by mul (the
 * scales above it), at depth. */
struct xs_optn {
    const xs_query *q;
    double mul;
    int depth;
};

/* The ranking part q into v, an OR's parts one by one (their weights add
 * up either way). */
static void xs_opt_collect(const xs_query *q, int depth, double mul,
                           std::vector<xs_optn> &v)
{
    if (q && depth < XS_MAX_DEPTH && xs_enum_int(q->op) == XS_Q_OR && q->kids &&
        q->nkids > 0) {
        for (size_t i = 0; i < q->nkids; i++)
            xs_opt_collect(q->kids[i], depth + 1, mul, v);
        return;
    }
    v.push_back({q, mul, depth});
}

/* Whether two query trees are the same. */
static bool xs_same(const xs_query *a, const xs_query *b, int depth)
{
    if (a == b)
        return true;
    if (!a || !b || depth > XS_MAX_DEPTH || a->op != b->op ||
        a->nkids != b->nkids || a->term_len != b->term_len || a->wqf != b->wqf ||
        a->window != b->window || a->slot != b->slot ||
        !(a->factor == b->factor) || (a->term_len && (!a->term || !b->term ||
                                      memcmp(a->term, b->term, a->term_len))))
        return false;
    if ((a->lo || b->lo) && (!a->lo || !b->lo || strcmp(a->lo, b->lo)))
        return false;
    if ((a->hi || b->hi) && (!a->hi || !b->hi || strcmp(a->hi, b->hi)))
        return false;
    for (size_t i = 0; i < a->nkids; i++)
        if (!a->kids || !xs_same(a->kids[i], b->kids[i], depth + 1))
            return false;
    return true;
}

/* A title fit that could pair with another (its share and its square over
 * the same terms): well-formed, one subquery. */
static bool xs_fit_pairable(const xs_query *q)
{
    return q && xs_enum_int(q->op) == XS_Q_TITLEFIT && q->nkids == 1 && q->kids &&
           q->kids[0] && q->slot != Xapian::BAD_VALUENO && q->window != 0 &&
           std::isfinite(q->factor) && q->factor >= 0;
}

/* The ranking parts as Xapian queries for the top OR. A title fit and its
 * squared twin over the same terms (what a query's words make: a share,
 * and its square where the title is typed whole) become one posting
 * source weighing both, so the title terms' lists are opened and walked
 * once less: the same weights. */
static xs_rc xs_build_opt(std::vector<xs_optn> &v, std::vector<Xapian::Query> &opt,
                          xs_err *err)
{
    for (size_t i = 0; i < v.size(); i++) {
        const xs_query *q = v[i].q;
        Xapian::Query x;
        xs_rc rc;
        if (v[i].depth < 0)
            continue; /* merged into an earlier one */
        size_t twin = v.size();
        if (xs_fit_pairable(q))
            for (size_t j = i + 1; j < v.size() && twin == v.size(); j++) {
                const xs_query *t = v[j].q;
                if (v[j].depth >= 0 && xs_fit_pairable(t) && v[j].mul == v[i].mul &&
                    (t->wqf == 2) != (q->wqf == 2) && t->slot == q->slot &&
                    t->window == q->window && t->factor == q->factor &&
                    xs_same(t->kids[0], q->kids[0], v[i].depth + 1))
                    twin = j;
            }
        if (twin < v.size()) {
            Xapian::Query terms;
            v[twin].q = nullptr;
            v[twin].depth = -1;
            rc = xs_build(q->kids[0], v[i].depth + 1, terms, err);
            if (rc != XS_OK)
                return rc;
            Xapian::Query fit((new XsTitleFit(q->slot, q->window, q->factor,
                                              XS_FIT_BOTH))->release());
            x = Xapian::Query(Xapian::Query::OP_AND,
                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                            terms, 0.0),
                              fit);
        } else if ((rc = xs_build(q, v[i].depth, x, err)) != XS_OK) {
            return rc;
        }
        opt.push_back(v[i].mul == 1.0 ? x : Xapian::Query(
            Xapian::Query::OP_SCALE_WEIGHT, x, v[i].mul));
    }
    return XS_OK;
}

/* A query as one AND_MAYBE at the top: req (what a document must match)
 * and opt (what only adds weight, each part scaled by mul as where it
 * stood; xs_build_opt makes their queries). An AND_MAYBE on the left of
 * another loses matches when Xapian 1.4.22 skips the documents that
 * cannot reach the page (found with
 * check_at_least 0; tests/unit/test_xs.c has the case); AND, FILTER and
 * AND_NOT (their left), SCALE and AND_MAYBE pass the ranking parts up
 * unchanged in weight. Under any other operator an AND_MAYBE stays where
 * it is and *nested says so: such a query must not be pruned. */
static xs_rc xs_build_split(const xs_query *q, int depth, double mul,
                            Xapian::Query &req, std::vector<xs_optn> &opt,
                            bool &nested, xs_err *err)
{
    if (!q || depth > XS_MAX_DEPTH || !q->kids || q->nkids == 0)
        goto plain;
    switch (xs_enum_int(q->op)) {
    case XS_Q_AND: {
        std::vector<Xapian::Query> kids(q->nkids);
        for (size_t i = 0; i < q->nkids; i++) {
            xs_rc rc = xs_build_split(q->kids[i], depth + 1, mul, kids[i],
                                      opt, nested, err);
            if (rc != XS_OK)
                return rc;
        }
        req = Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end());
        return XS_OK;
    }
    case XS_Q_AND_MAYBE:
    case XS_Q_FILTER:
    case XS_Q_AND_NOT: {
        xs_rc rc = xs_build_split(q->kids[0], depth + 1, mul, req, opt,
                                  nested, err);
        if (rc != XS_OK || q->nkids == 1)
            return rc;
        if (q->op == XS_Q_AND_MAYBE) {
            for (size_t i = 1; i < q->nkids; i++)
                xs_opt_collect(q->kids[i], depth + 1, mul, opt);
            return XS_OK;
        }
        std::vector<Xapian::Query> rest(q->nkids - 1);
        for (size_t i = 1; i < q->nkids; i++) {
            /* a filter or an exclusion only matches: built so */
            rc = xs_build(q->kids[i], depth + 1, rest[i - 1], err, true);
            if (rc != XS_OK)
                return rc;
        }
        if (q->op == XS_Q_FILTER) {
            req = Xapian::Query(Xapian::Query::OP_FILTER, req,
                                Xapian::Query(Xapian::Query::OP_AND,
                                              rest.begin(), rest.end()));
        } else {
            req = Xapian::Query(Xapian::Query::OP_AND_NOT, req,
                                Xapian::Query(Xapian::Query::OP_OR,
                                              rest.begin(), rest.end()));
        }
        return XS_OK;
    }
    case XS_Q_SCALE: {
        if (q->nkids != 1 || !std::isfinite(q->factor) || q->factor < 0)
            goto plain; /* xs_build says what is wrong */
        xs_rc rc = xs_build_split(q->kids[0], depth + 1, mul * q->factor,
                                  req, opt, nested, err);
        if (rc == XS_OK)
            req = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, req,
                                q->factor);
        return rc;
    }
    default:
        break;
    }
plain:
    nested = nested || xs_has_op(q, XS_Q_AND_MAYBE, depth);
    return xs_build(q, depth, req, err);
}

/* ---- counting ---------------------------------------------------------- */

/* The documents matching q, sorted, read straight from the posting lists:
 * exact totals and facet counts without a pass of Xapian's matcher, which
 * hands each match to a MatchSpy as a Document (an object made per match:
 * most of the cost of counting a broad query). Boolean structure only:
 * false for an operator that needs positions or values (phrases, ranges,
 * wildcards), and the caller counts through Xapian instead. */
using xs_ids = std::vector<Xapian::docid>;

static bool xs_count_term(const Xapian::Database &db, const std::string &t,
                          xs_ids &out)
{
    out.clear();
    out.reserve(db.get_termfreq(t));
    for (Xapian::PostingIterator p = db.postlist_begin(t);
         p != db.postlist_end(t); ++p)
        out.push_back(*p);
    return true;
}

/* Keep the ids of v that t's posting list holds (or lacks, when keep is
 * false): one skip_to per id, for a short v against a long list. */
static void xs_filter_term(const Xapian::Database &db, const std::string &t,
                           xs_ids &v, bool keep)
{
    Xapian::PostingIterator p = db.postlist_begin(t), end = db.postlist_end(t);
    size_t n = 0;
    for (Xapian::docid d : v) {
        if (p != end && *p < d)
            p.skip_to(d);
        bool has = p != end && *p == d;
        if (has == keep)
            v[n++] = d;
    }
    v.resize(n);
}

static bool xs_count(const Xapian::Database &db, const xs_query *q, int depth,
                     xs_ids &out);

/* The kids of an AND or FILTER: the rarest read, the others checked
 * against it. */
static bool xs_count_and(const Xapian::Database &db,
                         const xs_query *const *kids, size_t n, int depth,
                         xs_ids &out)
{
    std::vector<std::pair<Xapian::doccount, size_t>> order;
    for (size_t i = 0; i < n; i++) {
        const xs_query *k = kids[i];
        Xapian::doccount est = db.get_doccount();
        if (k && xs_enum_int(k->op) == XS_Q_TERM && k->term)
            est = db.get_termfreq(std::string(k->term, k->term_len));
        order.emplace_back(est, i);
    }
    std::stable_sort(order.begin(), order.end());
    if (!xs_count(db, kids[order[0].second], depth + 1, out))
        return false;
    xs_ids other;
    for (size_t j = 1; j < n && !out.empty(); j++) {
        const xs_query *k = kids[order[j].second];
        if (k && xs_enum_int(k->op) == XS_Q_TERM && k->term) {
            xs_filter_term(db, std::string(k->term, k->term_len), out, true);
            continue;
        }
        if (!xs_count(db, k, depth + 1, other))
            return false;
        xs_ids both;
        std::set_intersection(out.begin(), out.end(), other.begin(),
                              other.end(), std::back_inserter(both));
        out.swap(both);
    }
    return true;
}

static bool xs_count(const Xapian::Database &db, const xs_query *q, int depth,
                     xs_ids &out)
{
    out.clear();
    if (!q || depth > XS_MAX_DEPTH)
        return false;
    switch (xs_enum_int(q->op)) {
    case XS_Q_TERM:
        if (!q->term || q->term_len == 0)
            return false;
        return xs_count_term(db, std::string(q->term, q->term_len), out);
    case XS_Q_ALL:
        return xs_count_term(db, std::string(), out);
    case XS_Q_NONE:
        return true;
    case XS_Q_SCALE:
    case XS_Q_AND_MAYBE:
        return q->kids && q->nkids >= 1 && xs_count(db, q->kids[0], depth + 1, out);
    case XS_Q_AND:
    case XS_Q_FILTER:
        return q->kids && q->nkids >= 1 &&
               xs_count_and(db, q->kids, q->nkids, depth, out);
    case XS_Q_OR:
    case XS_Q_SYNONYM:
    case XS_Q_MAX: {
        if (!q->kids || q->nkids == 0)
            return false;
        xs_ids kid, merged;
        for (size_t i = 0; i < q->nkids; i++) {
            if (!xs_count(db, q->kids[i], depth + 1, kid))
                return false;
            merged.clear();
            std::set_union(out.begin(), out.end(), kid.begin(), kid.end(),
                           std::back_inserter(merged));
            out.swap(merged);
        }
        return true;
    }
    case XS_Q_AND_NOT: {
        if (!q->kids || q->nkids == 0 || !xs_count(db, q->kids[0], depth + 1, out))
            return false;
        xs_ids kid, rest;
        for (size_t i = 1; i < q->nkids && !out.empty(); i++) {
            const xs_query *k = q->kids[i];
            if (k && xs_enum_int(k->op) == XS_Q_TERM && k->term) {
                xs_filter_term(db, std::string(k->term, k->term_len), out, false);
                continue;
            }
            if (!xs_count(db, k, depth + 1, kid))
                return false;
            rest.clear();
            std::set_difference(out.begin(), out.end(), kid.begin(), kid.end(),
                                std::back_inserter(rest));
            out.swap(rest);
        }
        return true;
    }
    default: /* phrases, ranges, wildcards, title fit: the matcher's */
        return false;
    }
}

extern "C" void xs_hits_free(xs_hits *h) noexcept
{
    delete h;
}

/* The facet table of slot in r's revision, read on first use; nullptr when
 * the reader has several sub-databases (Xapian 1.4 hands a spy the docid
 * within the current sub-database, not which one it is), a remote shard (a
 * spy must then be serialisable and run there) or too many documents. */
static std::shared_ptr<xs_facet_table> xs_facet_table_get(xs_reader *r,
                                                          Xapian::valueno slot)
{
    if (r->db.size() != 1)
        return nullptr;
    for (bool rem : r->remote)
        if (rem)
            return nullptr;
    Xapian::docid last = r->db.get_lastdocid();
    if (last >= (1u << 26))
        return nullptr;
    for (auto &t : r->ftabs)
        if (t->last != last) { /* moved without a reopen: read them anew */
            r->ftabs.clear();  /* (before any spy holds a table) */
            break;
        }
    for (auto &t : r->ftabs)
        if (t->slot == slot)
            return t;
    static std::atomic<uint64_t> ids{0};
    std::shared_ptr<xs_facet_table> t(new xs_facet_table);
    t->id = ++ids;
    t->slot = slot;
    t->last = last;
    t->idx.assign(static_cast<size_t>(last) + 1, 0);
    t->vals.emplace_back();
    std::unordered_map<std::string, uint32_t> seen;
    for (Xapian::ValueIterator v = r->db.valuestream_begin(slot);
         v != r->db.valuestream_end(slot); ++v) {
        Xapian::docid d = v.get_docid();
        if (d > last)
            continue;
        auto ins = seen.emplace(*v, static_cast<uint32_t>(t->vals.size()));
        if (ins.second)
            t->vals.push_back(ins.first->first);
        t->idx[d] = ins.first->second;
        t->nset++;
    }
    r->ftabs.push_back(t);
    return t;
}

/* Counts the matches' values of one facet slot through its table. */
class XsTableSpy : public Xapian::MatchSpy {
    const xs_facet_table &t_;

  public:
    std::vector<unsigned> counts;
    explicit XsTableSpy(const xs_facet_table &t)
        : t_(t), counts(t.vals.size(), 0) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        Xapian::docid d = doc.get_docid();
        if (d < t_.idx.size())
            counts[t_.idx[d]]++;
    }
    void count(const std::vector<Xapian::docid> &ids)
    {
        for (Xapian::docid d : ids)
            if (d < t_.idx.size())
                counts[t_.idx[d]]++;
    }
};

/* The weighting of o (BM25 with its k1 and b; Xapian's defaults when 0). */
static void xs_weighting(Xapian::Enquire &enq, const xs_search_opts *o)
{
    if (o->bm25_k1 > 0 || o->bm25_b > 0)
        enq.set_weighting_scheme(Xapian::BM25Weight(
            o->bm25_k1 > 0 ? o->bm25_k1 : 1.0, 0, 1,
            o->bm25_b > 0 ? std::min(o->bm25_b, 1.0) : 0.5, 0.5));
}

/* ---- recency ---------------------------------------------------------- */

/* Days since 1970-01-01 of a "YYYYMMDD" value; -1 when it is not one. */
static long xs_days(const std::string &v)
{
    if (v.size() != 8)
        return -1;
    for (char c : v)
        if (c < '0' || c > '9')
            return -1;
    long y = std::stol(v.substr(0, 4)), m = std::stol(v.substr(4, 2)),
         d = std::stol(v.substr(6, 2));
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    /* days from civil (proleptic Gregorian), H. Hinnant's algorithm */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct xs_recency {
    double maxw, half; /* weight of the newest date; years per halving */
    long newest;       /* days; later dates count as the newest          */
    double weight(const std::string &v) const
    {
        long d = xs_days(v);
        if (d < 0)
            return 0.0;
        double age = d >= newest ? 0.0 : (newest - d) / 365.25;
        return maxw * std::exp2(-age / half);
    }
};

/* The newest date of slot over all shards, never later than today. */
static xs_recency xs_recency_make(const Xapian::Database &db,
                                  const xs_search_opts *o)
{
    xs_recency rc;
    rc.maxw = o->recency;
    rc.half = o->recency_halflife > 0 ? o->recency_halflife : 3.0;
    time_t now = time(nullptr);
    struct tm tm;
    char today[16];
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y%m%d", &tm);
    rc.newest = xs_days(today);
    long hi = xs_days(db.get_value_upper_bound(o->recency_slot));
    if (hi >= 0 && hi < rc.newest)
        rc.newest = hi;
    return rc;
}

/* The boost through a date table of this revision (one local database):
 * an array step per match instead of a value-stream lookup. */
class XsRecencyTable : public Xapian::PostingSource {
    const xs_facet_table &t_;
    std::shared_ptr<const std::vector<double>> w_; /* by value index */
    Xapian::doccount n_;                           /* dated documents */
    Xapian::docid did_ = 0;

    void to(Xapian::docid d)
    {
        Xapian::docid last = static_cast<Xapian::docid>(t_.idx.size() - 1);
        while (d <= last && !t_.idx[d])
            d++;
        did_ = d;
    }

  public:
    XsRecencyTable(const xs_facet_table &t,
                   std::shared_ptr<const std::vector<double>> w,
                   Xapian::doccount n, double maxw)
        : t_(t), w_(std::move(w)), n_(n)
    {
        set_maxweight(maxw);
    }
    Xapian::doccount get_termfreq_min() const override { return n_; }
    Xapian::doccount get_termfreq_est() const override { return n_; }
    Xapian::doccount get_termfreq_max() const override { return n_; }
    void next(double) override { to(did_ + 1); }
    void skip_to(Xapian::docid d, double) override
    {
        if (d > did_)
            to(d);
    }
    bool at_end() const override { return did_ >= t_.idx.size(); }
    Xapian::docid get_docid() const override { return did_; }
    double get_weight() const override { return (*w_)[t_.idx[did_]]; }
    void init(const Xapian::Database &) override { did_ = 0; }
    PostingSource *clone() const override
    {
        return new XsRecencyTable(t_, w_, n_, get_maxweight());
    }
    std::string name() const override { return "XsRecencyTable"; }
};

/* The same boost read from the value slot (several local shards). */
class XsRecencyValues : public Xapian::ValuePostingSource {
    xs_recency rc_;

  public:
    XsRecencyValues(Xapian::valueno slot, const xs_recency &rc)
        : Xapian::ValuePostingSource(slot), rc_(rc) {}
    void init(const Xapian::Database &db) override
    {
        Xapian::ValuePostingSource::init(db);
        set_maxweight(rc_.maxw);
    }
    double get_weight() const override { return rc_.weight(get_value()); }
    XsRecencyValues *clone() const override
    {
        return new XsRecencyValues(get_slot(), rc_);
    }
    std::string name() const override { return "XsRecencyValues"; }
};

/* A match's sort key from a table (its date): no value-stream lookup. */
class XsTableKey : public Xapian::KeyMaker {
    const xs_facet_table &t_;

  public:
    explicit XsTableKey(const xs_facet_table &t) : t_(t) {}
    std::string operator()(const Xapian::Document &doc) const override
    {
        Xapian::docid d = doc.get_docid();
        return d < t_.idx.size() ? t_.vals[t_.idx[d]] : std::string();
    }
};

/* The boost, added to opt, when it can run here (not with a remote); the
 * recency slot's table when there is one (one local database). */
static const xs_facet_table *xs_recency_query(xs_reader *r,
                                              const xs_search_opts *o,
                                              std::vector<Xapian::Query> &opt)
{
    for (bool rem : r->remote)
        if (rem)
            return nullptr;
    xs_recency rc = xs_recency_make(r->db, o);
    Xapian::PostingSource *ps;
    xs_facet_table *t = xs_facet_table_get(r, o->recency_slot).get();
    if (t) {
        if (!t->rw || t->rw_maxw != rc.maxw || t->rw_half != rc.half ||
            t->rw_newest != rc.newest) {
            auto w = std::make_shared<std::vector<double>>(t->vals.size(), 0.0);
            for (size_t i = 1; i < t->vals.size(); i++)
                (*w)[i] = rc.weight(t->vals[i]);
            t->rw = std::move(w);
            t->rw_maxw = rc.maxw;
            t->rw_half = rc.half;
            t->rw_newest = rc.newest;
        }
        ps = new XsRecencyTable(*t, t->rw, t->nset, rc.maxw);
    } else {
        ps = new XsRecencyValues(o->recency_slot, rc);
    }
    opt.push_back(Xapian::Query(ps->release()));
    return t;
}

/* A posting source over a sorted list of docids (weight 0), the list
 * chosen by a subclass when the match starts on a (sub-)database. */
class XsSortedIds : public Xapian::PostingSource {
  protected:
    const std::vector<Xapian::docid> *d_ = nullptr;
    size_t i_ = 0;
    bool started_ = false;

    void start(const std::vector<Xapian::docid> *d)
    {
        d_ = d;
        i_ = 0;
        started_ = false;
    }

    Xapian::doccount count() const
    {
        return d_ ? static_cast<Xapian::doccount>(d_->size()) : 0;
    }

  public:
    Xapian::doccount get_termfreq_min() const override { return count(); }
    Xapian::doccount get_termfreq_est() const override { return count(); }
    Xapian::doccount get_termfreq_max() const override { return count(); }
    void next(double) override
    {
        if (started_)
            i_++;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override
    {
        started_ = true;
        while (i_ < d_->size() && (*d_)[i_] < did)
            i_++;
    }
    bool at_end() const override { return started_ && i_ >= d_->size(); }
    Xapian::docid get_docid() const override { return (*d_)[i_]; }
};

/* The tombstoned documents of the (sub-)database being searched, found by
 * its UUID: Xapian 1.4 runs a posting source (and a match decider or spy)
 * on each sub-database with its own docids. q AND_NOT this leaves them
 * out before any match spy counts. */
class XsDead : public XsSortedIds {
    using by_uuid = std::unordered_map<std::string, std::vector<Xapian::docid>>;
    std::shared_ptr<const by_uuid> by_;

  public:
    explicit XsDead(std::shared_ptr<const by_uuid> by) : by_(std::move(by)) {}
    Xapian::doccount get_termfreq_min() const override { return 0; }
    void init(const Xapian::Database &db) override
    {
        static const std::vector<Xapian::docid> none;
        auto f = by_->find(db.get_uuid());
        start(f == by_->end() ? &none : &f->second);
    }
    PostingSource *clone() const override { return new XsDead(by_); }
    std::string name() const override { return "XsDead"; }
};

/* A fixed, sorted set of documents: what a rescore query is run on. One
 * local database only (docids of the whole). */
class XsDocSet : public XsSortedIds {
    std::shared_ptr<const std::vector<Xapian::docid>> ids_;

  public:
    explicit XsDocSet(std::shared_ptr<const std::vector<Xapian::docid>> d)
        : ids_(std::move(d))
    {
        start(ids_.get());
    }
    void init(const Xapian::Database &) override { start(ids_.get()); }
    PostingSource *clone() const override { return new XsDocSet(ids_); }
    std::string name() const override { return "XsDocSet"; }
};

/* The best window matches of ms (in order) re-scored: each gains what
 * rescore weighs in it; stable, so equal scores keep their order. */
static void xs_rescore(xs_reader *r, const xs_search_opts *o,
                       const Xapian::Query &rescore, const Xapian::MSet &ms,
                       std::vector<std::pair<Xapian::docid, double>> &out)
{
    out.clear();
    for (Xapian::MSetIterator i = ms.begin(); i != ms.end(); ++i)
        out.emplace_back(*i, i.get_weight());
    if (out.empty())
        return;
    auto ids = std::make_shared<std::vector<Xapian::docid>>();
    for (auto &h : out)
        ids->push_back(h.first);
    std::sort(ids->begin(), ids->end());
    Xapian::Enquire enq(r->db);
    xs_weighting(enq, o);
    Xapian::Query set((new XsDocSet(ids))->release());
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, rescore, set));
    enq.set_docid_order(Xapian::Enquire::DONT_CARE);
    Xapian::MSet add = enq.get_mset(0, static_cast<Xapian::doccount>(ids->size()));
    std::unordered_map<Xapian::docid, double> extra;
    for (Xapian::MSetIterator i = add.begin(); i != add.end(); ++i)
        extra[*i] = i.get_weight();
    if (extra.empty())
        return;
    for (auto &h : out) {
        auto e = extra.find(h.first);
        if (e != extra.end())
            h.second += e->second;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const std::pair<Xapian::docid, double> &a,
                        const std::pair<Xapian::docid, double> &b) {
                         return a.second > b.second;
                     });
}

extern "C" xs_rc xs_search(xs_reader *r, const xs_search_opts *o,
                           xs_hits **out, xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!r || !o || !out)
        return xs_fail(err, XS_EINVAL, "xs: search: NULL %s",
                       !r ? "reader" : !o ? "options" : "out");
    if (!o->query)
        return xs_fail(err, XS_EINVAL, "xs: search: no query");
    if (o->sort != XS_SORT_RELEVANCE && o->sort != XS_SORT_VALUE_DESC &&
        o->sort != XS_SORT_VALUE_ASC && o->sort != XS_SORT_RELEVANCE_THEN_VALUE)
        return xs_fail(err, XS_EINVAL, "xs: search: unknown sort %d",
                       o->sort);
    if (o->sort != XS_SORT_RELEVANCE && o->sort_slot == Xapian::BAD_VALUENO)
        return xs_fail(err, XS_EINVAL, "xs: search: bad sort slot");
    if (o->nfacets && !o->facet_slots)
        return xs_fail(err, XS_EINVAL, "xs: search: NULL facet slots");
    for (size_t k = 0; k < o->nfacets; k++)
        if (o->facet_slots[k] == Xapian::BAD_VALUENO)
            return xs_fail(err, XS_EINVAL, "xs: search: bad facet slot");
    if (o->nvalues > XS_MAX_NVALUES)
        return xs_fail(err, XS_EINVAL, "xs: search: nvalues %u above %d",
                       o->nvalues, XS_MAX_NVALUES);
    if (!(o->bm25_k1 >= 0) || !(o->bm25_b >= 0) ||
        !std::isfinite(o->bm25_k1) || !std::isfinite(o->bm25_b))
        return xs_fail(err, XS_EINVAL, "xs: search: bad bm25 parameters");
    xs_hits *h = nullptr;
    try {
        xs_test_point();
        /* req: what a document must match (the counting pass's query);
         * opt: what only adds weight, under one AND_MAYBE at the top */
        Xapian::Query req;
        std::vector<Xapian::Query> opt;
        std::vector<xs_optn> optn;
        bool nested = false;
        xs_rc rc = xs_build_split(o->query, 1, 1.0, req, optn, nested, err);
        if (rc == XS_OK)
            rc = xs_build_opt(optn, opt, err);
        if (rc == XS_OK && o->filter) {
            Xapian::Query f;
            rc = xs_build(o->filter, 1, f, err, true);
            if (rc == XS_OK)
                req = Xapian::Query(Xapian::Query::OP_FILTER, req, f);
        }
        if (rc != XS_OK)
            return rc;
        if (r->dead_by) { /* tombstones: never matched, never counted */
            bool remote = false;
            for (bool rem : r->remote)
                remote = remote || rem;
            if (!remote) /* a remote shard cannot run our posting source */
                req = Xapian::Query(Xapian::Query::OP_AND_NOT, req,
                                    Xapian::Query((new XsDead(r->dead_by))->release()));
        }
        /* re-ranking: on the first window matches of one local database,
         * else (shards, remotes) on every match */
        Xapian::Query rq;
        bool rescore = false;
        size_t window = o->rescore_window ? o->rescore_window : 100;
        if (o->rescore && o->sort == XS_SORT_RELEVANCE) {
            rc = xs_build(o->rescore, 1, rq, err);
            if (rc != XS_OK)
                return rc;
            bool local = r->db.size() == 1;
            for (bool rem : r->remote)
                local = local && !rem;
            if (!local)
                opt.push_back(rq);
            else if (o->offset + o->size <= window)
                rescore = true;
        }

        Xapian::doccount dbsize = r->db.get_doccount();
        Xapian::doccount atleast = o->check_at_least == 0 ||
                o->check_at_least > dbsize
            ? dbsize : static_cast<Xapian::doccount>(o->check_at_least);
        /* Exact counts, ranked by relevance: two passes, cheaper than one
         * doing both. The ranking pass skips the matches that cannot reach
         * the page (Xapian's bounds on weights); the counting pass visits
         * every match but weighs none and reads no ranking-only part.
         * Sorted by date, every match is visited anyway: one pass. */
        bool split = atleast >= dbsize && !nested &&
                     (o->sort == XS_SORT_RELEVANCE ||
                      o->sort == XS_SORT_RELEVANCE_THEN_VALUE);
        /* Nor with a value range (a year or date filter): Xapian 1.4.22
         * crashes skipping matches with one under a ranked AND_MAYBE on
         * some indexes (tests/e2e/api: a year filter, one hit a page) */
        if (split && (xs_has_op(o->query, XS_Q_VALUE_RANGE, 1) ||
                      xs_has_op(o->filter, XS_Q_VALUE_RANGE, 1)))
            split = false;
        /* The spies must outlive get_mset(): declared before enquire. */
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        std::vector<std::unique_ptr<XsTableSpy>> tspies;
        Xapian::Enquire enq(r->db), cnt(r->db);
        Xapian::Enquire &spied = split ? cnt : enq;
        xs_weighting(enq, o);
        if (o->time_limit > 0) {
            enq.set_time_limit(o->time_limit);
            cnt.set_time_limit(o->time_limit);
        }
        if (split) {
            cnt.set_weighting_scheme(Xapian::BoolWeight());
            cnt.set_query(req);
        }
        if (o->recency > 0 && o->sort == XS_SORT_RELEVANCE) {
            /* equal scores (undated, or the same date): newest first. The
             * date table is fetched before the facet tables: only the first
             * xs_facet_table_get of a search may drop stale tables, and the
             * boost and the key maker hold this one until get_mset ends */
            const xs_facet_table *t = xs_recency_query(r, o, opt);
            if (t) /* cheaper than Xapian's pure relevance order, which
                    * handles every match when counts are exact */
                enq.set_sort_by_relevance_then_key(
                    (new XsTableKey(*t))->release(), true);
            else
                enq.set_sort_by_relevance_then_value(o->recency_slot, true);
        }
        enq.set_query(opt.empty() ? req
                                  : Xapian::Query(Xapian::Query::OP_AND_MAYBE, req,
                                                  Xapian::Query(Xapian::Query::OP_OR,
                                                                opt.begin(), opt.end())));
        if (o->sort == XS_SORT_VALUE_DESC)
            enq.set_sort_by_value_then_relevance(o->sort_slot, true);
        else if (o->sort == XS_SORT_VALUE_ASC)
            enq.set_sort_by_value_then_relevance(o->sort_slot, false);
        else if (o->sort == XS_SORT_RELEVANCE_THEN_VALUE)
            enq.set_sort_by_relevance_then_value(o->sort_slot, true);
        /* the facet tables (each read now if not yet: see get), shared
         * with the hits, which keep their values; counting from the posting
         * lists needs one local database (its docids, its tombstones) */
        bool tables = r->db.size() == 1 && !(r->remote.size() && r->remote[0]);
        std::vector<std::shared_ptr<const xs_facet_table>> tab(o->nfacets);
        for (size_t k = 0; k < o->nfacets; k++) {
            tab[k] = xs_facet_table_get(r, o->facet_slots[k]);
            tables = tables && tab[k];
        }
        /* counted from the posting lists when the query allows */
        xs_ids ids;
        bool counted = false;
        if (split && tables) {
            const xs_query *both[2] = {o->query, o->filter};
            counted = xs_count_and(r->db, both, o->filter ? 2 : 1, 0, ids);
            if (counted && r->dead_by) {
                auto f = r->dead_by->find(r->db.get_uuid());
                if (f != r->dead_by->end()) {
                    xs_ids live;
                    std::set_difference(ids.begin(), ids.end(), f->second.begin(),
                                        f->second.end(), std::back_inserter(live));
                    ids.swap(live);
                }
            }
        }
        for (size_t k = 0; k < o->nfacets; k++) {
            if (tab[k]) {
                tspies.emplace_back(new XsTableSpy(*tab[k]));
                spies.emplace_back(nullptr);
                if (counted)
                    tspies.back()->count(ids);
                else
                    spied.add_matchspy(tspies.back().get());
            } else {
                tspies.emplace_back(nullptr);
                spies.emplace_back(new Xapian::ValueCountMatchSpy(
                    o->facet_slots[k]));
                spied.add_matchspy(spies.back().get());
            }
        }
        Xapian::doccount first = o->offset > dbsize
            ? dbsize : static_cast<Xapian::doccount>(o->offset);
        Xapian::doccount size = o->size > dbsize
            ? dbsize : static_cast<Xapian::doccount>(o->size);
        Xapian::doccount rank_atleast = split ? 0 : atleast;
        std::vector<std::pair<Xapian::docid, double>> page;
        Xapian::MSet ms;
        if (rescore) {
            ms = enq.get_mset(0, static_cast<Xapian::doccount>(
                                     std::min<size_t>(window, dbsize)),
                              rank_atleast);
            xs_rescore(r, o, rq, ms, page);
            page.erase(page.begin(), page.begin() + std::min(page.size(), (size_t)first));
            if (page.size() > size)
                page.resize(size);
        } else {
            ms = enq.get_mset(first, size, rank_atleast);
            for (Xapian::MSetIterator i = ms.begin(); i != ms.end(); ++i)
                page.emplace_back(*i, i.get_weight());
        }

        h = new xs_hits;
        h->total = counted ? ids.size()
                   : split ? cnt.get_mset(0, 0, dbsize).get_matches_estimated()
                           : ms.get_matches_estimated();
        h->hits.resize(page.size());
        /* read in docid order: neighbours share the B-tree's upper blocks,
         * which Xapian's cursor keeps from one read to the next */
        std::vector<size_t> order(page.size());
        for (size_t i = 0; i < page.size(); i++)
            order[i] = i;
        std::sort(order.begin(), order.end(), [&page](size_t a, size_t b) {
            return page[a].first < page[b].first;
        });
        for (size_t oi : order) {
            const auto &pg = page[oi];
            xs_hit &hit = h->hits[oi];
            hit.docid = pg.first;
            hit.weight = pg.second;
            if (!o->want_data && o->nvalues == 0)
                continue;
            /* the match said it is there: no lookup to check */
            Xapian::Document doc =
                r->db.get_document(pg.first, Xapian::DOC_ASSUME_VALID);
            if (o->want_data)
                hit.data = xs_data_of(doc);
            if (o->nvalues) { /* slot by slot: no termlist needed */
                hit.values.resize(o->nvalues);
                for (unsigned s = 0; s < o->nvalues; s++)
                    hit.values[s] = doc.get_value(s);
            }
        }
        h->facets.resize(o->nfacets);
        h->tab.resize(o->nfacets);
        h->count.resize(o->nfacets);
        h->listed.assign(o->nfacets, false);
        for (size_t k = 0; k < o->nfacets; k++) {
            if (tspies[k]) {
                h->tab[k] = tab[k];
                h->count[k].swap(tspies[k]->counts);
                continue;
            }
            for (Xapian::TermIterator t = spies[k]->values_begin();
                 t != spies[k]->values_end(); ++t)
                h->facets[k].push_back(xs_facet_entry{*t, t.get_termfreq()});
        }
        *out = h;
        return xs_ok(err);
    } catch (...) {
        delete h;
        return xs_caught(err, "search failed", nullptr, true);
    }
}

extern "C" size_t xs_hits_count(const xs_hits *h) noexcept
{
    return h ? h->hits.size() : 0;
}

extern "C" size_t xs_hits_total(const xs_hits *h) noexcept
{
    return h ? h->total : 0;
}

extern "C" unsigned xs_hits_docid(const xs_hits *h, size_t i) noexcept
{
    return h && i < h->hits.size() ? h->hits[i].docid : 0;
}

extern "C" double xs_hits_score(const xs_hits *h, size_t i) noexcept
{
    return h && i < h->hits.size() ? h->hits[i].weight : 0.0;
}

extern "C" const char *xs_hits_data(const xs_hits *h, size_t i,
                                    size_t *len) noexcept
{
    if (!h || i >= h->hits.size()) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = h->hits[i].data.size();
    return h->hits[i].data.c_str();
}

extern "C" const char *xs_hits_value(const xs_hits *h, size_t i,
                                     unsigned slot, size_t *len) noexcept
{
    if (!h || i >= h->hits.size() || slot >= h->hits[i].values.size()) {
        if (len)
            *len = 0;
        return "";
    }
    const std::string &v = h->hits[i].values[slot];
    if (len)
        *len = v.size();
    return v.c_str();
}

/* Facet k's list, most frequent first: made from the table's counts when
 * first asked for. */
static const std::vector<xs_facet_entry> *xs_facet_list(const xs_hits *h,
                                                        size_t k)
{
    if (!h || k >= h->facets.size())
        return nullptr;
    std::vector<xs_facet_entry> &f = h->facets[k];
    if (!h->listed[k]) {
        h->listed[k] = true;
        if (h->tab[k])
            for (size_t i = 1; i < h->count[k].size(); i++)
                if (h->count[k][i])
                    f.push_back(xs_facet_entry{h->tab[k]->vals[i], h->count[k][i]});
        std::sort(f.begin(), f.end(),
                  [](const xs_facet_entry &a, const xs_facet_entry &b) {
                      if (a.freq != b.freq)
                          return a.freq > b.freq;
                      return a.value < b.value;
                  });
    }
    return &f;
}

extern "C" size_t xs_hits_facet_count(const xs_hits *h, size_t k) noexcept
{
    try {
        const std::vector<xs_facet_entry> *f = xs_facet_list(h, k);
        return f ? f->size() : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" const unsigned *xs_hits_facet_counts(const xs_hits *h, size_t k,
                                                size_t *n,
                                                uint64_t *table) noexcept
{
    if (n)
        *n = 0;
    if (table)
        *table = 0;
    if (!h || k >= h->tab.size() || !h->tab[k] || h->count[k].empty())
        return nullptr;
    if (n)
        *n = h->count[k].size();
    if (table)
        *table = h->tab[k]->id;
    return h->count[k].data();
}

extern "C" const char *xs_hits_facet_number_value(const xs_hits *h, size_t k,
                                                  size_t i, size_t *len) noexcept
{
    if (!h || k >= h->tab.size() || !h->tab[k] || i >= h->tab[k]->vals.size()) {
        if (len)
            *len = 0;
        return "";
    }
    const std::string &v = h->tab[k]->vals[i];
    if (len)
        *len = v.size();
    return v.c_str();
}

extern "C" const char *xs_hits_facet_value(const xs_hits *h, size_t k,
                                           size_t j, size_t *len) noexcept
{
    if (!h || k >= h->facets.size() || j >= xs_hits_facet_count(h, k)) {
        if (len)
            *len = 0;
        return "";
    }
    const std::string &v = h->facets[k][j].value;
    if (len)
        *len = v.size();
    return v.c_str();
}

extern "C" size_t xs_hits_facet_freq(const xs_hits *h, size_t k,
                                     size_t j) noexcept
{
    if (!h || k >= h->facets.size() || j >= xs_hits_facet_count(h, k))
        return 0;
    return h->facets[k][j].freq;
}

/* How much rarer than its suggestion a word must be to be corrected, and
 * in how many documents at least the suggestion must be. */
#define XS_SUGGEST_RARER 20
#define XS_SUGGEST_MIN 3
#define XS_SUGGEST_COMMON 50 /* a word in this many documents is kept */

extern "C" xs_rc xs_reader_suggest(xs_reader *r, const char *word, char **out,
                                   xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!r || !word || !out)
        return xs_fail(err, XS_EINVAL, "xs: suggest: NULL %s",
                       !r ? "reader" : !word ? "word" : "out");
    try {
        xs_test_point();
        for (size_t i = 0; i < r->shards.size(); i++)
            if (r->remote[i]) /* xapian-tcpsrv keeps its spelling to itself */
                return xs_ok(err);
        /* a word in many documents is a word, not a typo: no search of
         * the spelling table (what costs) */
        Xapian::doccount wf = r->db.get_termfreq(word);
        if (wf >= XS_SUGGEST_COMMON || wf * XS_SUGGEST_RARER >= r->db.get_doccount())
            return xs_ok(err);
        std::string s = r->db.get_spelling_suggestion(word, 2);
        /* Xapian offers a commoner word even for one that is there
         * (mandate -> mandated): only a word far rarer than its
         * suggestion (a typo, or nothing) is corrected */
        Xapian::doccount sf = s.empty() ? 0 : r->db.get_termfreq(s);
        if (s.empty() || s == word || sf < XS_SUGGEST_MIN || wf * XS_SUGGEST_RARER >= sf)
            return xs_ok(err);
        if (!(*out = xs_dup(s)))
            return xs_fail(err, XS_ENOMEM, "xs: suggest: out of memory");
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot suggest a spelling", nullptr);
    }
}

extern "C" xs_rc xs_reader_value(xs_reader *r, unsigned docid, unsigned slot,
                                 char **out, xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!r || !out || !docid)
        return xs_fail(err, XS_EINVAL, "xs: value: %s",
                       !r ? "NULL reader" : !out ? "NULL out" : "docid 0");
    try {
        xs_test_point();
        if (r->dead && xs_is_dead(*r->dead, docid))
            return xs_fail(err, XS_ENOTFOUND, "xs: document %u was deleted",
                           docid);
        std::string v = r->db.get_document(docid).get_value(slot);
        char *d = xs_dup(v);
        *out = d;
        return xs_ok(err);
    } catch (const Xapian::DocNotFoundError &) {
        return xs_fail(err, XS_ENOTFOUND, "xs: no document %u", docid);
    } catch (...) {
        return xs_caught(err, "cannot read a value", nullptr);
    }
}

extern "C" xs_rc xs_reader_get(xs_reader *r, const char *idterm, char **data,
                               size_t *len, char ***vals, xs_err *err) noexcept
{
    if (data)
        *data = nullptr;
    if (len)
        *len = 0;
    if (vals)
        *vals = nullptr;
    if (!r || !data)
        return xs_fail(err, XS_EINVAL, "xs: get: NULL %s",
                       !r ? "reader" : "data");
    if (!idterm || !*idterm)
        return xs_fail(err, XS_EINVAL, "xs: get: no id term");
    char *d = nullptr;
    char **v = nullptr;
    try {
        xs_test_point();
        Xapian::PostingIterator p = r->db.postlist_begin(idterm);
        while (p != r->db.postlist_end(idterm) && r->dead &&
               xs_is_dead(*r->dead, *p)) /* an earlier version */
            ++p;
        if (p == r->db.postlist_end(idterm))
            return xs_fail(err, XS_ENOTFOUND, "xs: no document '%s'",
                           idterm);
        Xapian::Document doc = r->db.get_document(*p);
        std::string s = xs_data_of(doc);
        d = xs_dup(s);
        if (vals) {
            v = static_cast<char **>(calloc(XS_NSLOTS, sizeof(char *)));
            if (!v)
                throw std::bad_alloc();
            for (unsigned k = 0; k < XS_NSLOTS; k++)
                v[k] = xs_dup(doc.get_value(k));
            *vals = v;
        }
        *data = d;
        if (len)
            *len = s.size();
        return xs_ok(err);
    } catch (...) {
        free(d);
        if (v)
            for (unsigned k = 0; k < XS_NSLOTS; k++)
                free(v[k]);
        free(v);
        if (vals)
            *vals = nullptr;
        return xs_caught(err, "cannot get document", idterm);
    }
}

/* ---- stemming ------------------------------------------------------- */

extern "C" xs_rc xs_stem_new(const char *lang, xs_stem **out,
                             xs_err *err) noexcept
{
    if (out)
        *out = nullptr;
    if (!lang || !out)
        return xs_fail(err, XS_EINVAL, "xs: stemmer: NULL %s",
                       !lang ? "language" : "out");
    try {
        xs_test_point();
        *out = new xs_stem{Xapian::Stem(lang), std::vector<xs_stem_memo>(XS_STEM_MEMO)};
        return xs_ok(err);
    } catch (...) {
        return xs_caught(err, "cannot create stemmer", lang);
    }
}

extern "C" void xs_stem_free(xs_stem *s) noexcept
{
    delete s;
}

extern "C" size_t xs_stem_word(xs_stem *s, const char *word, size_t len,
                               char *out, size_t cap) noexcept
{
    if (!s || !word || !out || cap == 0 || len == 0)
        return 0;
    xs_stem_memo *m = nullptr;
    if (len <= XS_STEM_ROOM && !s->memo.empty()) {
        m = &s->memo[fnv1a64(word, len) % XS_STEM_MEMO];
        if (m->klen == len && !memcmp(m->k, word, len)) {
            if (m->vlen + 1u > cap)
                return 0;
            memcpy(out, m->v, m->vlen);
            out[m->vlen] = 0;
            return m->vlen;
        }
    }
    try {
        xs_test_point();
        std::string st = s->stem(std::string(word, len));
        if (st.empty() || st.size() + 1 > cap)
            return 0;
        memcpy(out, st.data(), st.size());
        out[st.size()] = 0;
        if (m && st.size() <= XS_STEM_ROOM) {
            m->klen = (unsigned char)len;
            memcpy(m->k, word, len);
            m->vlen = (unsigned char)st.size();
            memcpy(m->v, st.data(), st.size());
        }
        return st.size();
    } catch (...) {
        return 0;
    }
}
