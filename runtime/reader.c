/*
** reader.c: typed dossier records from CSV (flat) or JSON Lines (nested),
** see recio.h.
**
** Both formats end in the same scalar conversions (conv_scalar), so a date
** or an amount means the same in either. A record stops at its first bad
** field; the field's path and the reason go to ReadInfo, and the next call
** carries on with the next record. Record memory comes from the caller's
** arena; messages, the id and the line buffers belong to the reader.
**
** CSV cannot tell an empty value from an absent one, so an empty field is
** "missing value" -- except a quoted empty field ("") for a text, which is
** the empty text (as in PostgreSQL's CSV). JSON says what it means: null is
** "missing value", "" is an empty text.
*/
#include "recio.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "csv.h"
#include "date.h"
#include "idset.h"
#include "jsonmem.h"
#include "period.h"
#include "num.h"
#include "strutil.h"

#define MAX_LIST_ITEMS 1000000
#define MAX_DEPTH 64              /* records in lists in records ...; jansson stops at 2048 */
#define MAX_QUOTED 64             /* bytes of a bad value repeated in a message */

/* ---- a growable, always NUL-terminated string ---- */

typedef struct Buf {
  char *p;
  size_t n, cap;
} Buf;

static void buf_init(Buf *b) {
  b->cap = 64;
  b->p = xmalloc(b->cap);
  b->n = 0;
  b->p[0] = '\0';
}

static void buf_truncate(Buf *b, size_t n) {
  b->n = n;
  b->p[n] = '\0';
}

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    while (b->n + n + 1 > b->cap) b->cap *= 2;
    b->p = xrealloc(b->p, b->cap);
  }
  memcpy(b->p + b->n, s, n);
  buf_truncate(b, b->n + n);
}

static void buf_str(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

__attribute__((format(printf, 2, 0)))
static void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
  if (n >= 0 && (size_t)n >= b->cap - b->n) {
    while (b->n + (size_t)n + 1 > b->cap) b->cap *= 2;
    b->p = xrealloc(b->p, b->cap);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap2);
  }
  va_end(ap2);
  if (n > 0) b->n += (size_t)n;
  b->p[b->n] = '\0';
}

__attribute__((format(printf, 2, 3)))
static void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

/*
** Append a value from the input for a message, in single quotes. Long
** values are cut (at a character boundary); control bytes, and every
** non-ASCII byte of text that is not UTF-8, are shown as \xNN so that the
** message itself stays printable UTF-8.
*/
static void buf_value(Buf *b, const char *s, size_t len) {
  size_t cut = len;
  if (cut > MAX_QUOTED) {
    cut = MAX_QUOTED;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
  }
  bool utf8 = utf8_valid(s, cut);
  buf_add(b, "'", 1);
  for (size_t i = 0; i < cut; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && !utf8)) buf_printf(b, "\\x%02X", ch);
    else buf_add(b, s + i, 1);
  }
  if (cut < len) buf_add(b, "...", 3);
  buf_add(b, "'", 1);
}

/* A list "a, b, c" of names. */
static void buf_names(Buf *b, const char *const *names, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) buf_str(b, ", ");
    buf_str(b, names[i]);
  }
}

static void buf_suggest(Buf *b, const char *s, size_t len, const char *const *cands, size_t n) {
  const char *best = str_suggest(s, len, cands, n);
  if (best) buf_printf(b, " (did you mean '%s'?)", best);
}

static void buf_free(Buf *b) { xfree(b->p); }

/* ---- the reader ---- */

struct RecordReader {
  const Schema *s;
  const RecordType *rt;       /* the input record type */
  uint32_t input;
  RecFormat fmt;
  FILE *f;
  char *name;
  uint64_t recno;
  bool read_error_done;       /* a read error has been reported once */
  const char **fnames;        /* field names of every record type, for suggestions */
  uint32_t *fname_at;         /* record type -> its first name in fnames */
  /* CSV */
  CsvReader *csv;
  uint32_t ncols;
  uint32_t *col_field;        /* column -> field index */
  int64_t key_col;            /* column of the key field, -1 if none */
  IdSet seen;                 /* ids of the records read so far */
  /* JSON Lines */
  char *line;
  size_t line_cap;
  uint64_t lineno;
  size_t max_record;          /* bytes a line may take (reader_set_max_record) */
  bool line_too_long;         /* the last line passed it: only its start is in `line` */
  /* the current record */
  bool failed;
  Buf id, field, reason, path;
};

static const char *const *field_names(const RecordReader *r, uint32_t type) {
  return r->fnames + r->fname_at[type];
}

static const char *const *enum_names(const EnumType *et) {
  return (const char *const *)et->members;
}

/* Record the first error of the current record: the path so far and a reason. */
__attribute__((format(printf, 2, 3)))
static bool fail(RecordReader *r, const char *fmt, ...) {
  if (r->failed) return false;
  r->failed = true;
  buf_truncate(&r->field, 0);
  buf_add(&r->field, r->path.p, r->path.n);
  buf_truncate(&r->reason, 0);
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&r->reason, fmt, ap);
  va_end(ap);
  return false;
}

/* The same, with a reason already built in `msg`. */
static bool fail_buf(RecordReader *r, Buf *msg) {
  return fail(r, "%s", msg->p);
}

/* Path helpers: push returns the old length for path_pop. */
static size_t path_push_name(RecordReader *r, const char *name, size_t len) {
  size_t old = r->path.n;
  if (old) buf_add(&r->path, ".", 1);
  buf_add(&r->path, name, len);
  return old;
}

static size_t path_push_index(RecordReader *r, size_t i) {
  size_t old = r->path.n;
  char tmp[24];
  size_t k = sizeof tmp;
  tmp[--k] = ']';
  do {
    tmp[--k] = (char)('0' + i % 10);
    i /= 10;
  } while (i);
  tmp[--k] = '[';
  buf_add(&r->path, tmp + k, sizeof tmp - k);   /* once per list item: no printf */
  return old;
}

static void path_pop(RecordReader *r, size_t old) { buf_truncate(&r->path, old); }

/* ---- scalar conversions (shared by both formats) ---- */

static const char *space_hint(const char *s, size_t len) {
  if (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'))
    return " (leading or trailing spaces are not allowed)";
  return "";
}

static bool fail_value(RecordReader *r, const char *what, const char *s, size_t len, const char *tail) {
  Buf m;
  buf_init(&m);
  buf_str(&m, what);
  buf_value(&m, s, len);
  buf_str(&m, tail);
  buf_str(&m, space_hint(s, len));
  fail_buf(r, &m);
  buf_free(&m);
  return false;
}

static bool conv_text(RecordReader *r, Arena *a, const char *s, size_t len, Value *out) {
  if (len > UINT32_MAX) return fail(r, "text is longer than 4 GiB");
  if (memchr(s, '\0', len)) return fail(r, "text contains a NUL byte");
  if (!utf8_valid(s, len)) return fail(r, "text is not valid UTF-8");
  Text *t = arena_alloc(a, sizeof(Text) + len + 1);
  t->len = (uint32_t)len;
  memcpy(t->bytes, s, len);
  t->bytes[len] = '\0';
  out->text = t;
  return true;
}

/* A scalar of kind t.kind from its text form s[0..len). */
static bool conv_scalar(RecordReader *r, Arena *a, TypeRef t, const char *s, size_t len, Value *out) {
  switch (t.kind) {
  case VK_BOOL: {
    static const char *const words[] = {"true", "false", "waar", "onwaar", "ja", "nee"};
    for (int i = 0; i < 6; i++) {
      if (strlen(words[i]) == len && memcmp(words[i], s, len) == 0) {
        out->i = i % 2 == 0;
        return true;
      }
    }
    return fail_value(r, "invalid boolean ", s, len, ": expected true/false, waar/onwaar or ja/nee");
  }
  case VK_INT:
  case VK_DAYS:
  case VK_MONTHS:
  case VK_YEARS: {
    NumStatus st = int_parse(s, len, &out->i);
    if (st == NUM_OK) return true;
    if (st == NUM_OVERFLOW) return fail_value(r, "integer out of range: ", s, len, "");
    return fail_value(r, "invalid integer ", s, len, ": expected digits with an optional sign");
  }
  case VK_DEC: {
    NumStatus st = dec_parse(s, len, &out->dec);
    if (st == NUM_OK) return true;
    if (st == NUM_OVERFLOW) return fail_value(r, "number out of range: ", s, len, " (too many digits to keep exact)");
    return fail_value(r, "invalid number ", s, len, ": expected digits with an optional sign and a '.' for decimals");
  }
  case VK_MONEY: {
    Dec d;
    NumStatus st = money_parse(s, len, &out->i);
    if (st == NUM_OK) return true;
    if (st == NUM_OVERFLOW) return fail_value(r, "amount out of range: ", s, len, "");
    if (dec_parse(s, len, &d) != NUM_SYNTAX)   /* a number, but not a whole number of cents */
      return fail_value(r, "amount ", s, len, " has more than 2 decimals (amounts are whole cents)");
    return fail_value(r, "invalid amount ", s, len, ": expected e.g. 1234.56 (a '.' and at most 2 decimals)");
  }
  case VK_DATE: {
    const char *why = NULL;
    if (date_parse(s, len, &out->i, &why)) return true;
    Buf tail;
    buf_init(&tail);
    buf_printf(&tail, ": %s", why ? why : "expected YYYY-MM-DD");
    fail_value(r, "invalid date ", s, len, tail.p);
    buf_free(&tail);
    return false;
  }
  case VK_PERIOD: {
    /* ISO 8601 interval of two dates: 2023-01-01/2023-12-31 */
    const char *why = NULL;
    int64_t lo, hi;
    if (len != 21 || s[10] != '/')
      return fail_value(r, "invalid period ", s, len, ": expected YYYY-MM-DD/YYYY-MM-DD");
    if (!date_parse(s, 10, &lo, &why) || !date_parse(s + 11, 10, &hi, &why)) {
      Buf tail;
      buf_init(&tail);
      buf_printf(&tail, ": %s", why ? why : "expected YYYY-MM-DD/YYYY-MM-DD");
      fail_value(r, "invalid period ", s, len, tail.p);
      buf_free(&tail);
      return false;
    }
    if (!period_make(lo, hi, &out->per)) return fail_value(r, "invalid period ", s, len, ": it ends before it starts");
    return true;
  }
  case VK_TEXT:
    return conv_text(r, a, s, len, out);
  case VK_ENUM: {
    const EnumType *et = &r->s->enums[t.ref];
    int m = schema_enum_member(et, s, len);
    if (m >= 0) {
      out->i = m;
      return true;
    }
    Buf msg;
    buf_init(&msg);
    buf_value(&msg, s, len);
    buf_str(&msg, " is not one of: ");
    buf_names(&msg, enum_names(et), et->nmembers);
    buf_suggest(&msg, s, len, enum_names(et), et->nmembers);
    buf_str(&msg, space_hint(s, len));
    fail_buf(r, &msg);
    buf_free(&msg);
    return false;
  }
  default:
    return fail(r, "a %s cannot be given as text", vk_name((ValueKind)t.kind));
  }
}

/* ---- CSV ---- */

/* The id as messages and error rows show it: raw bytes that are not UTF-8 as \xNN. */
static void set_id(RecordReader *r, const char *s, size_t len) {
  buf_truncate(&r->id, 0);
  if (utf8_valid(s, len)) {
    buf_add(&r->id, s, len);
    return;
  }
  char *esc = xmalloc(4 * len + 1);
  buf_add(&r->id, esc, utf8_or_escaped(s, len, esc));
  xfree(esc);
}

/* The list of zero or one values that holds an 'optioneel' field of type t (lijst T). */
static List *optional_list(Arena *a, TypeRef t, uint32_t n) {
  List *l = arena_alloc(a, sizeof *l);
  l->n = n;
  l->elem = (TypeRef){t.elem, 0, t.ref};
  l->items = arena_alloc(a, (n ? n : 1) * sizeof(Value));
  return l;
}

static bool csv_header(RecordReader *r, Buf *err) {
  const RecordType *rt = r->rt;
  for (uint32_t i = 0; i < rt->nfields; i++) {
    TypeRef t = rt->fields[i].type;
    if ((t.kind == VK_LIST && !rt->fields[i].optional) || t.kind == VK_RECORD) {
      char tn[128];
      buf_printf(err, "field '%s' is a %s (%s): CSV cannot carry nested data; give the dossiers as JSON Lines "
                 "(a .jsonl file) instead", rt->fields[i].name, t.kind == VK_LIST ? "list" : "record",
                 schema_type_name(r->s, t, tn, sizeof tn));
      return false;
    }
  }
  CsvRecord h;
  CsvStatus st = csv_next(r->csv, &h);
  if (st == CSV_EOF && ferror(r->f)) {
    buf_printf(err, "cannot read '%s'", r->name);
    return false;
  }
  if (st == CSV_EOF) {
    buf_printf(err, "'%s' is empty: expected a header line with the columns: ", r->name);
    buf_names(err, field_names(r, r->input), rt->nfields);
    return false;
  }
  if (st == CSV_BAD) {
    buf_printf(err, "bad header line %" PRIu64 ": %s", h.line, h.error);
    return false;
  }
  r->ncols = h.nfields;
  r->col_field = xmalloc(h.nfields * sizeof *r->col_field);
  int64_t *col_of = xmalloc((rt->nfields ? rt->nfields : 1) * sizeof *col_of);
  for (uint32_t i = 0; i < rt->nfields; i++) col_of[i] = -1;
  bool ok = true;
  for (uint32_t c = 0; c < h.nfields && ok; c++) {
    const CsvField *fd = &h.fields[c];
    int fi = schema_field_index(rt, fd->s, fd->len);
    if (fi < 0) {
      buf_str(err, "unknown column ");
      buf_value(err, fd->s, fd->len);
      buf_suggest(err, fd->s, fd->len, field_names(r, r->input), rt->nfields);
      ok = false;
    } else if (col_of[fi] >= 0) {
      buf_printf(err, "duplicate column '%s' (columns %" PRId64 " and %" PRIu32 ")", rt->fields[fi].name,
                 col_of[fi] + 1, c + 1);
      ok = false;
    } else {
      col_of[fi] = c;
      r->col_field[c] = (uint32_t)fi;
    }
  }
  if (ok) {
    uint32_t nmissing = 0;
    for (uint32_t i = 0; i < rt->nfields; i++) nmissing += col_of[i] < 0 && !rt->fields[i].optional;
    if (nmissing) {
      buf_str(err, nmissing == 1 ? "missing column " : "missing columns ");
      uint32_t k = 0;
      for (uint32_t i = 0; i < rt->nfields; i++) {
        if (col_of[i] >= 0 || rt->fields[i].optional) continue;
        buf_printf(err, "%s'%s'", k++ ? ", " : "", rt->fields[i].name);
      }
      ok = false;
    }
  }
  if (ok && r->s->key_field >= 0 && (uint32_t)r->s->key_field < rt->nfields) r->key_col = col_of[r->s->key_field];
  xfree(col_of);
  return ok;
}

static ReadStatus csv_record(RecordReader *r, Arena *a, Record **out, ReadInfo *info) {
  CsvRecord cr;
  CsvStatus st = csv_next(r->csv, &cr);
  if (st == CSV_EOF) return READ_EOF;
  r->recno++;
  info->recno = r->recno;
  info->line = cr.line;
  if (r->key_col >= 0 && (uint64_t)r->key_col < cr.nfields)
    set_id(r, cr.fields[r->key_col].s, cr.fields[r->key_col].len);
  if (st == CSV_BAD) {
    if (cr.bad_field < r->ncols) {
      const char *col = r->rt->fields[r->col_field[cr.bad_field]].name;
      path_push_name(r, col, strlen(col));
    }
    fail(r, "%s", cr.error);
    return READ_BAD;
  }
  if (cr.nfields != r->ncols) {
    fail(r, "expected %" PRIu32 " column%s, got %" PRIu32, r->ncols, r->ncols == 1 ? "" : "s", cr.nfields);
    return READ_BAD;
  }
  const RecordType *rt = r->rt;
  Record *rec = arena_alloc(a, sizeof(Record) + rt->nfields * sizeof(Value));
  rec->type = r->input;
  rec->nfields = rt->nfields;
  /* An optioneel field without a column is not given in any record. */
  for (uint32_t i = 0; i < rt->nfields; i++)
    if (rt->fields[i].optional) rec->fields[i].list = optional_list(a, rt->fields[i].type, 0);
  for (uint32_t c = 0; c < r->ncols; c++) {
    uint32_t fi = r->col_field[c];
    const CsvField *fd = &cr.fields[c];
    TypeRef t = rt->fields[fi].type;
    bool ok;
    if (rt->fields[fi].optional) {
      /* An empty cell is "not given"; a value is the one value of the list. */
      List *l = optional_list(a, t, fd->len == 0 && !(fd->quoted && t.elem == VK_TEXT) ? 0 : 1);
      ok = l->n == 0 || conv_scalar(r, a, l->elem, fd->s, fd->len, &l->items[0]);
      rec->fields[fi].list = l;
    } else if (fd->len == 0 && !(fd->quoted && t.kind == VK_TEXT)) ok = fail(r, "missing value");
    else ok = conv_scalar(r, a, t, fd->s, fd->len, &rec->fields[fi]);
    if (!ok) {
      /* The path is just the column: set it here rather than on every good field. */
      buf_truncate(&r->field, 0);
      buf_str(&r->field, rt->fields[fi].name);
      return READ_BAD;
    }
  }
  *out = rec;
  return READ_OK;
}

/* ---- JSON Lines ---- */

static const char *json_kind(const json_t *j) {
  switch (json_typeof(j)) {
  case JSON_OBJECT: return "an object";
  case JSON_ARRAY: return "a list";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: return "an integer";
  case JSON_REAL: return "a number with a fraction or exponent";
  case JSON_TRUE: return "true";
  case JSON_FALSE: return "false";
  case JSON_NULL: return "null";
  }
  return "something else";
}

static bool conv_json(RecordReader *r, Arena *a, TypeRef t, json_t *j, Value *out, int depth);

static bool conv_object(RecordReader *r, Arena *a, uint32_t type, json_t *obj, Record **out, int depth) {
  const RecordType *rt = &r->s->records[type];
  Record *rec = arena_alloc(a, sizeof(Record) + rt->nfields * sizeof(Value));
  rec->type = type;
  rec->nfields = rt->nfields;
  const char *key;
  json_t *val;
  uint32_t matched = 0;
  json_object_foreach(obj, key, val) {
    size_t klen = strlen(key);    /* keys hold no NUL: JSON_ALLOW_NUL is not given */
    int fi = schema_field_index(rt, key, klen);
    size_t old = path_push_name(r, key, klen);
    if (fi < 0) {
      Buf msg;
      buf_init(&msg);
      buf_str(&msg, "unknown field ");
      buf_value(&msg, key, klen);
      buf_suggest(&msg, key, klen, field_names(r, type), rt->nfields);
      fail_buf(r, &msg);
      buf_free(&msg);
      return false;
    }
    if (rt->fields[fi].optional) {
      /* null is "not given"; a value is the one value of the list */
      List *l = optional_list(a, rt->fields[fi].type, json_is_null(val) ? 0 : 1);
      if (l->n && !conv_json(r, a, l->elem, val, &l->items[0], depth + 1)) return false;
      rec->fields[fi].list = l;
    } else if (!conv_json(r, a, rt->fields[fi].type, val, &rec->fields[fi], depth + 1)) return false;
    path_pop(r, old);
    matched++;
  }
  if (matched < rt->nfields) {
    /* Duplicate keys are rejected by the parser, so fewer matches means a missing field. */
    for (uint32_t i = 0; i < rt->nfields; i++) {
      if (json_object_get(obj, rt->fields[i].name)) continue;
      if (rt->fields[i].optional) {   /* left out: not given */
        rec->fields[i].list = optional_list(a, rt->fields[i].type, 0);
        continue;
      }
      path_push_name(r, rt->fields[i].name, strlen(rt->fields[i].name));
      return fail(r, "missing field");
    }
  }
  *out = rec;
  return true;
}

static bool conv_json(RecordReader *r, Arena *a, TypeRef t, json_t *j, Value *out, int depth) {
  if (json_is_null(j)) return fail(r, "missing value");
  if (depth > MAX_DEPTH) return fail(r, "nested more than %d levels deep", MAX_DEPTH);
  switch (t.kind) {
  case VK_LIST: {
    if (!json_is_array(j)) return fail(r, "expected a list (a JSON array), got %s", json_kind(j));
    size_t n = json_array_size(j);
    if (n > MAX_LIST_ITEMS)
      return fail(r, "the list has %zu items; at most %d are allowed", n, MAX_LIST_ITEMS);
    List *l = arena_alloc(a, sizeof *l);
    l->n = (uint32_t)n;
    l->elem = (TypeRef){t.elem, 0, t.ref};
    l->items = arena_alloc(a, n * sizeof(Value));
    for (size_t i = 0; i < n; i++) {
      size_t old = path_push_index(r, i);
      if (!conv_json(r, a, l->elem, json_array_get(j, i), &l->items[i], depth + 1)) return false;
      path_pop(r, old);
    }
    out->list = l;
    return true;
  }
  case VK_RECORD:
    if (!json_is_object(j)) return fail(r, "expected a record (a JSON object), got %s", json_kind(j));
    return conv_object(r, a, t.ref, j, &out->rec, depth);
  case VK_BOOL:
    if (!json_is_boolean(j)) return fail(r, "expected true or false, got %s", json_kind(j));
    out->i = json_is_true(j);
    return true;
  case VK_INT:
  case VK_DAYS:
  case VK_MONTHS:
  case VK_YEARS:
    if (!json_is_integer(j)) return fail(r, "expected an integer, got %s", json_kind(j));
    out->i = (int64_t)json_integer_value(j);
    return true;
  case VK_DEC:
    if (json_is_integer(j)) {
      out->dec = dec_from_int((int64_t)json_integer_value(j));
      return true;
    }
    if (json_is_real(j))
      return fail(r, "write a decimal number as a JSON string, e.g. \"0.75\": a JSON number with a fraction "
                  "or exponent is not exact");
    break;
  case VK_MONEY:
    /* An integer is refused too: 1234 could mean euros or cents. */
    if (json_is_number(j))
      return fail(r, "write an amount as a JSON string, e.g. \"1234.56\": a JSON number is not exact and "
                  "does not say euros or cents");
    break;
  default:
    break;
  }
  if (!json_is_string(j)) {
    if (t.kind == VK_DATE) return fail(r, "expected a date string \"YYYY-MM-DD\", got %s", json_kind(j));
    return fail(r, "expected a string, got %s", json_kind(j));
  }
  return conv_scalar(r, a, t, json_string_value(j), json_string_length(j), out);
}

/*
** One line into r->line, its end included; its length, or -1 at the end of
** the input. Unlike getline, a line longer than max_record is read through
** but not kept (line_too_long is set and `line` holds its start).
*/
static ssize_t read_line(RecordReader *r) {
  size_t n = 0;
  int ch = EOF;
  r->line_too_long = false;
  if (ferror(r->f)) return -1;   /* nothing is read past a read error */
  while ((ch = getc_unlocked(r->f)) != EOF) {
    if (n < r->max_record) {
      if (n + 2 > r->line_cap) {
        size_t cap = r->line_cap ? r->line_cap * 2 : 256;
        if (cap > r->max_record + 2) cap = r->max_record + 2;
        r->line = xrealloc(r->line, cap);
        r->line_cap = cap;
      }
      r->line[n++] = (char)ch;
    } else {
      r->line_too_long = true;
    }
    if (ch == '\n') break;
  }
  if (ch == EOF && (n == 0 || ferror(r->f))) return -1;   /* a line cut short by a read error is not a record */
  r->line[n] = '\0';
  return (ssize_t)n;
}

/* The next non-blank line into r->line; its length, or -1 at the end. */
static ssize_t next_line(RecordReader *r, const char **start) {
  for (;;) {
    ssize_t n = read_line(r);
    if (n < 0) return -1;
    if (r->line_too_long) {   /* a record, whatever it holds */
      *start = r->line;
      r->lineno++;
      return n;
    }
    r->lineno++;
    const char *p = r->line;
    if (n > 0 && p[n - 1] == '\n') n--;
    if (n > 0 && p[n - 1] == '\r') n--;
    if (r->lineno == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
      p += 3;
      n -= 3;
    }
    for (ssize_t i = 0; i < n; i++) {
      if (p[i] != ' ' && p[i] != '\t') {
        *start = p;
        return n;
      }
    }
  }
}

static ReadStatus jsonl_parse(RecordReader *r, Arena *a, const char *p, size_t n, Record **out);

static ReadStatus jsonl_record(RecordReader *r, Arena *a, Record **out, ReadInfo *info) {
  const char *p;
  ssize_t n = next_line(r, &p);
  if (n < 0) return READ_EOF;
  r->recno++;
  info->recno = r->recno;
  if (r->line_too_long) {
    info->line = r->lineno;
    fail(r, "the line is longer than %zu bytes, the most one record may take (--max-memory)", r->max_record);
    return READ_BAD;
  }
  info->line = r->lineno;
  return jsonl_parse(r, a, p, (size_t)n, out);
}

/* The JSON object p[0..n) as a record of the input type (the id, when readable, into r->id). */
static ReadStatus jsonl_parse(RecordReader *r, Arena *a, const char *p, size_t n, Record **out) {
  json_error_t e;
  /* the parse tree, too, within what one record may take (at least 1 MiB, the least --max-memory) */
  size_t budget = r->max_record > ((size_t)1 << 20) ? r->max_record : (size_t)1 << 20;
  jsonmem_begin(budget);
  json_t *root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &e);
  if (!jsonmem_end()) {
    json_decref(root);
    fail(r, "parsing the line takes more than %zu bytes of memory, the most one record may take (--max-memory)",
         budget);
    return READ_BAD;
  }
  if (!root) {
    fail(r, "invalid JSON: %s (column %d)", e.text, e.column);
    return READ_BAD;
  }
  ReadStatus st = READ_BAD;
  if (!json_is_object(root)) {
    fail(r, "expected a JSON object, got %s", json_kind(root));
  } else {
    if (r->s->key_field >= 0 && (uint32_t)r->s->key_field < r->rt->nfields) {
      json_t *k = json_object_get(root, r->rt->fields[r->s->key_field].name);
      if (json_is_string(k)) set_id(r, json_string_value(k), json_string_length(k));
      else if (json_is_integer(k)) buf_printf(&r->id, "%" JSON_INTEGER_FORMAT, json_integer_value(k));
    }
    if (conv_object(r, a, r->input, root, out, 0)) st = READ_OK;
  }
  json_decref(root);
  return st;
}

/* ---- the public face ---- */

RecFormat recio_format_from_name(const char *path) {
  static const char *const exts[] = {".jsonl", ".ndjson"};
  size_t n = path ? strlen(path) : 0;
  for (int i = 0; i < 2; i++) {
    size_t k = strlen(exts[i]);
    if (n < k) continue;
    bool same = true;
    for (size_t j = 0; j < k; j++) {
      char ch = path[n - k + j];
      if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
      if (ch != exts[i][j]) same = false;
    }
    if (same) return FMT_JSONL;
  }
  return FMT_CSV;
}

bool recio_format_named(const char *path, RecFormat *fmt) {
  size_t n = path ? strlen(path) : 0;
  if (recio_format_from_name(path) == FMT_JSONL) {
    *fmt = FMT_JSONL;
    return true;
  }
  if (n >= 4 && strcasecmp(path + n - 4, ".csv") == 0) {
    *fmt = FMT_CSV;
    return true;
  }
  return false;
}

bool recio_sniff_format(FILE *f, RecFormat *fmt) {
  /* blanks before the first byte that tells; a longer run of them is no JSON Lines file worth guessing */
  unsigned char seen[256];
  size_t n = 0;
  int c;
  while (n < sizeof seen && (c = getc(f)) != EOF) {
    seen[n++] = (unsigned char)c;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
  }
  *fmt = n && seen[n - 1] == '{' ? FMT_JSONL : FMT_CSV;
  /* glibc keeps any number of pushed-back bytes; elsewhere only one is promised, so check each */
  bool ok = true;
  while (n > 0 && ok) ok = ungetc(seen[--n], f) != EOF;
  return ok;
}

RecordReader *reader_open(const Schema *s, FILE *f, const char *name, RecFormat fmt, char **err) {
  if (err) *err = NULL;
  if (s->input < 0 || (uint32_t)s->input >= s->nrecords) {
    if (err) *err = xstrdup("the rules declare no input record type ('invoer')");
    return NULL;
  }
  RecordReader *r = xcalloc(1, sizeof *r);
  r->max_record = READER_DEFAULT_MAX_RECORD;
  r->s = s;
  r->input = (uint32_t)s->input;
  r->rt = &s->records[r->input];
  r->fmt = fmt;
  r->f = f;
  r->name = xstrdup(name ? name : "input");
  r->key_col = -1;
  buf_init(&r->id);
  buf_init(&r->field);
  buf_init(&r->reason);
  buf_init(&r->path);
  size_t total = 0;
  r->fname_at = xmalloc((s->nrecords ? s->nrecords : 1) * sizeof *r->fname_at);
  for (uint32_t i = 0; i < s->nrecords; i++) {
    r->fname_at[i] = (uint32_t)total;
    total += s->records[i].nfields;
  }
  r->fnames = xmalloc((total ? total : 1) * sizeof *r->fnames);
  for (uint32_t i = 0; i < s->nrecords; i++)
    for (uint32_t j = 0; j < s->records[i].nfields; j++) r->fnames[r->fname_at[i] + j] = s->records[i].fields[j].name;
  if (fmt == FMT_CSV) {
    r->csv = csv_open(f);
    Buf msg;
    buf_init(&msg);
    if (!csv_header(r, &msg)) {
      if (err) *err = xstrdup(msg.p);
      buf_free(&msg);
      reader_close(r);
      return NULL;
    }
    buf_free(&msg);
  }
  return r;
}

void reader_set_max_record(RecordReader *r, size_t bytes) {
  r->max_record = bytes ? bytes : READER_DEFAULT_MAX_RECORD;
  if (r->csv) csv_set_max_record(r->csv, r->max_record);
}

ReadStatus reader_next(RecordReader *r, Arena *arena, Record **out, ReadInfo *info) {
  *out = NULL;
  r->failed = false;
  buf_truncate(&r->id, 0);
  buf_truncate(&r->field, 0);
  buf_truncate(&r->reason, 0);
  buf_truncate(&r->path, 0);
  info->recno = r->recno;
  info->line = r->fmt == FMT_CSV ? 0 : r->lineno;
  if (idset_error(&r->seen)) {   /* said once, as an error row: the rest is not read */
    info->id = info->field = info->reason = "";
    return READ_EOF;
  }
  ReadStatus st = r->fmt == FMT_CSV ? csv_record(r, arena, out, info) : jsonl_record(r, arena, out, info);
  if (st == READ_EOF && ferror(r->f) && !r->read_error_done) {
    /* A failing disk must not look like the end of the file. */
    r->read_error_done = true;
    r->recno++;
    info->recno = r->recno;
    fail(r, "read error in '%s' after record %" PRIu64 "; the rest of the input is not read", r->name,
         r->recno - 1);
    st = READ_BAD;
  }
  /* every dossier its own id: a second one with an id seen before is an error row */
  if (st != READ_EOF && r->id.n > 0 && r->s->key_field >= 0) {
    uint32_t first = idset_add(&r->seen, r->id.p, r->id.n, info->recno);
    if (idset_error(&r->seen)) {   /* duplicates can no longer be refused: stop, never go on unchecked */
      *out = NULL;
      r->read_error_done = true;
      r->failed = false;
      buf_truncate(&r->reason, 0);
      fail(r, "%s; the rest of the input is not read", idset_error(&r->seen));
      st = READ_BAD;
    } else if (first && st == READ_OK) {
      *out = NULL;
      fail(r, "id '%s' was already used by record %" PRIu32 ": every dossier needs its own", r->id.p, first);
      buf_truncate(&r->field, 0);
      buf_str(&r->field, r->rt->fields[r->s->key_field].name);
      st = READ_BAD;
    }
  }
  info->id = r->id.p;
  info->field = st == READ_BAD ? r->field.p : "";
  info->reason = st == READ_BAD ? r->reason.p : "";
  return st;
}

bool reader_read_failed(const RecordReader *r) { return r && r->read_error_done; }

ReadStatus reader_parse_jsonl(RecordReader *r, Arena *arena, const char *text, size_t len, Record **out,
                              ReadInfo *info) {
  *out = NULL;
  r->failed = false;
  buf_truncate(&r->id, 0);
  buf_truncate(&r->field, 0);
  buf_truncate(&r->reason, 0);
  buf_truncate(&r->path, 0);
  info->recno = info->line = 1;
  ReadStatus st;
  if (len > r->max_record) {
    fail(r, "the line is longer than %zu bytes, the most one record may take (--max-memory)", r->max_record);
    st = READ_BAD;
  } else {
    st = jsonl_parse(r, arena, text, len, out);
  }
  info->id = r->id.p;
  info->field = st == READ_BAD ? r->field.p : "";
  info->reason = st == READ_BAD ? r->reason.p : "";
  return st;
}

void reader_close(RecordReader *r) {
  if (!r) return;
  csv_close(r->csv);
  xfree(r->col_field);
  xfree(r->line);
  xfree(r->fnames);
  xfree(r->fname_at);
  xfree(r->name);
  buf_free(&r->id);
  buf_free(&r->field);
  buf_free(&r->reason);
  buf_free(&r->path);
  idset_free(&r->seen);
  xfree(r);
}

/*
** One value written as in a CSV cell, for callers outside a record (the
** arguments of a rule with parameters in a case file). On failure *err gets
** the reason (malloc'd), worded as the readers word it.
*/
bool reader_parse_scalar(const Schema *s, TypeRef t, const char *text, size_t len, Arena *a, Value *out, char **err) {
  RecordReader r;
  memset(&r, 0, sizeof r);
  r.s = s;
  buf_init(&r.id);
  buf_init(&r.field);
  buf_init(&r.reason);
  buf_init(&r.path);
  bool ok = conv_scalar(&r, a, t, text, len, out);
  if (err) *err = ok ? NULL : xstrdup(r.reason.p ? r.reason.p : "invalid value");
  buf_free(&r.id);
  buf_free(&r.field);
  buf_free(&r.reason);
  buf_free(&r.path);
  return ok;
}
