/*
** writer.c: result rows (CSV or JSON Lines), error rows (CSV) and the
** machine text form of values, see recio.h.
**
** Rows are built in the writer's own buffer and handed to the FILE in large
** blocks: one fwrite per 256 KiB instead of stdio calls per field, and no
** allocation per row. The price is that rows reach `f` only when the buffer
** fills or at writer_close; nothing else should write to `f` meanwhile.
** A write error is left in ferror(f), and writer_close returns its errno. (setvbuf is
** not used: it must precede all other I/O on the stream, and a buffer freed
** by writer_close would be left dangling inside stdout.)
**
** Error rows, in contrast, go to their FILE one row at a time, so they keep
** their order with anything else written there (stderr, say).
**
** A list or record column (JSON Lines writes it as nested JSON) is written
** to CSV as that same JSON text in one quoted cell, rather than dropped.
*/
#include "recio.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "num.h"
#include "strutil.h"

#define OUT_BLOCK 262144

/* ---- output buffer: flushes to f when full, or grows when f is NULL ---- */

typedef struct Out {
  FILE *f;
  char *p;
  size_t n, cap;
  int err;   /* errno of the first write to f that failed; 0: none */
} Out;

static void out_init(Out *o, FILE *f, size_t cap) {
  o->f = f;
  o->cap = cap;
  o->p = xmalloc(cap);
  o->n = 0;
  o->err = 0;
}

/* A write to f that failed: its errno kept for the caller's message (ferror(f) says only that one did). */
static void out_failed(Out *o) {
  if (!o->err) o->err = errno ? errno : EIO;
}

static void out_flush(Out *o) {
  if (o->f && o->n && fwrite(o->p, 1, o->n, o->f) != o->n) out_failed(o);
  o->n = 0;
}

/* The buffer and then f flushed; the errno of the first write that failed, or 0. */
static int out_finish(Out *o) {
  out_flush(o);
  if (o->f && fflush(o->f) != 0) out_failed(o);
  if (o->f && ferror(o->f) && !o->err) o->err = EIO;
  return o->err;
}

static void out_room(Out *o, size_t n) {
  if (n <= o->cap - o->n) return;
  if (o->f) {
    out_flush(o);
    return;
  }
  while (n > o->cap - o->n) o->cap *= 2;
  o->p = xrealloc(o->p, o->cap);
}

static void out_bytes(Out *o, const char *s, size_t n) {
  if (n == 0) return;   /* s may be NULL then (a batch of error rows only has no bytes at all) */
  out_room(o, n);
  if (n > o->cap - o->n) {      /* bigger than the whole buffer: straight through */
    if (fwrite(s, 1, n, o->f) != n) out_failed(o);
    return;
  }
  memcpy(o->p + o->n, s, n);
  o->n += n;
}

static void out_char(Out *o, char c) {
  if (o->n == o->cap) out_room(o, 1);
  o->p[o->n++] = c;
}

static void out_str(Out *o, const char *s) { out_bytes(o, s, strlen(s)); }

static void out_free(Out *o) { xfree(o->p); }

bool csv_formula_like(const char *s, size_t n) {
  return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

/*
** RFC 4180: quote only a field holding a comma, quote, CR or LF; "" for a
** quote. guard: a field that looks like a formula gets a ' in front (inside
** the quotes when it is quoted).
*/
static void out_csv_cell(Out *o, const char *s, size_t n, bool guard) {
  bool prefix = guard && csv_formula_like(s, n);
  size_t i = 0;
  while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n') i++;
  if (i == n) {
    if (prefix) out_char(o, '\'');
    out_bytes(o, s, n);
    return;
  }
  out_char(o, '"');
  if (prefix) out_char(o, '\'');
  size_t run = 0;
  for (i = 0; i < n; i++) {
    if (s[i] != '"') continue;
    out_bytes(o, s + run, i + 1 - run);   /* up to and including the quote */
    out_char(o, '"');                       /* written twice */
    run = i + 1;
  }
  out_bytes(o, s + run, n - run);
  out_char(o, '"');
}

static void out_csv_field(Out *o, const char *s, size_t n) { out_csv_cell(o, s, n, false); }

/* A JSON string literal. Bytes >= 0x80 pass through (texts are valid UTF-8). */
static void out_json_str(Out *o, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  out_char(o, '"');
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_bytes(o, s + run, i - run);
    run = i + 1;
    out_char(o, '\\');
    switch (c) {
    case '"': out_char(o, '"'); break;
    case '\\': out_char(o, '\\'); break;
    case '\n': out_char(o, 'n'); break;
    case '\r': out_char(o, 'r'); break;
    case '\t': out_char(o, 't'); break;
    case '\b': out_char(o, 'b'); break;
    case '\f': out_char(o, 'f'); break;
    default:
      out_bytes(o, "u00", 3);
      out_char(o, hex[c >> 4]);
      out_char(o, hex[c & 15]);
    }
  }
  out_bytes(o, s + run, n - run);
  out_char(o, '"');
}

/* ---- values ---- */

int value_format(const Schema *s, TypeRef t, Value v, char *buf, size_t cap) {
  char tmp[192];
  const char *src = tmp;
  size_t n;
  switch (t.kind) {
  case VK_BOOL:
    src = v.i ? "true" : "false";
    n = strlen(src);
    break;
  case VK_INT:
  case VK_DAYS:
  case VK_MONTHS:
  case VK_YEARS:
    n = (size_t)int_format(v.i, tmp);
    break;
  case VK_PERIOD:
    date_format(v.per.lo, tmp);
    tmp[10] = '/';
    date_format(v.per.hi, tmp + 11);
    n = 21;
    break;
  case VK_MONEY:
    n = (size_t)money_format(v.i, tmp, sizeof tmp);
    break;
  case VK_DEC: {
    int k = dec_format(v.dec, tmp, sizeof tmp);
    if (k < 0 || (size_t)k >= sizeof tmp) return -1;
    n = (size_t)k;
    break;
  }
  case VK_DATE:
    n = (size_t)date_format(v.i, tmp);
    break;
  case VK_TEXT:
    src = v.text ? v.text->bytes : "";
    n = v.text ? v.text->len : 0;
    break;
  case VK_ENUM:
    if (!s || t.ref >= s->nenums || v.i < 0 || (uint64_t)v.i >= s->enums[t.ref].nmembers) return -1;
    src = s->enums[t.ref].members[v.i];
    n = strlen(src);
    break;
  default:
    return -1;    /* records and lists have no one-field text form */
  }
  if (n >= cap || n > INT32_MAX) return -1;
  memcpy(buf, src, n);
  buf[n] = '\0';
  return (int)n;
}

/* A value as JSON: numbers of kind int and bools bare, exact amounts and decimals as strings. */
static void out_json_value(Out *o, const Schema *s, TypeRef t, Value v) {
  char tmp[192];
  switch (t.kind) {
  case VK_BOOL:
  case VK_INT:
  case VK_DAYS:
  case VK_MONTHS:
  case VK_YEARS: {
    int n = value_format(s, t, v, tmp, sizeof tmp);
    out_bytes(o, tmp, (size_t)n);
    return;
  }
  case VK_TEXT:
    if (v.text) out_json_str(o, v.text->bytes, v.text->len);
    else out_json_str(o, "", 0);
    return;
  case VK_LIST: {
    TypeRef et = {t.elem, 0, t.ref};
    out_char(o, '[');
    for (uint32_t i = 0; v.list && i < v.list->n; i++) {
      if (i) out_char(o, ',');
      out_json_value(o, s, et, v.list->items[i]);
    }
    out_char(o, ']');
    return;
  }
  case VK_RECORD: {
    if (!v.rec || !s || t.ref >= s->nrecords) {
      out_str(o, "null");
      return;
    }
    const RecordType *rt = &s->records[t.ref];
    out_char(o, '{');
    for (uint32_t i = 0; i < rt->nfields && i < v.rec->nfields; i++) {
      if (i) out_char(o, ',');
      out_json_str(o, rt->fields[i].name, strlen(rt->fields[i].name));
      out_char(o, ':');
      out_json_value(o, s, rt->fields[i].type, v.rec->fields[i]);
    }
    out_char(o, '}');
    return;
  }
  default: {
    int n = value_format(s, t, v, tmp, sizeof tmp);
    if (n < 0) out_str(o, "null");   /* an enum ordinal outside its enum: a bug upstream */
    else out_json_str(o, tmp, (size_t)n);
    return;
  }
  }
}

/* ---- row writer ---- */

struct RowWriter {
  Out o;
  Out scratch;          /* JSON of a list/record column in CSV */
  RecFormat fmt;
  const Schema *s;
  uint32_t ncols;
  TypeRef *types;
  bool csv_safe;        /* text cells that look like formulas get a ' (writer_set_csv_safe) */
  char *keys;           /* JSONL: "{\"a\":" then ",\"b\":" ..., back to back */
  size_t *key_at;       /* ncols + 1 offsets into keys */
};

static RowWriter *writer_new(FILE *f, RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols,
                             bool header);

RowWriter *writer_open(FILE *f, RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols) {
  return writer_new(f, fmt, s, cols, ncols, true);
}

RowWriter *writer_open_memory(RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols) {
  return writer_new(NULL, fmt, s, cols, ncols, false);
}

void writer_take(RowWriter *w, const char **bytes, size_t *len) {
  *bytes = w->o.p;
  *len = w->o.n;
  w->o.n = 0;
}

static RowWriter *writer_new(FILE *f, RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols,
                             bool header) {
  RowWriter *w = xcalloc(1, sizeof *w);
  out_init(&w->o, f, f ? OUT_BLOCK : 65536);
  out_init(&w->scratch, NULL, 256);
  w->fmt = fmt;
  w->s = s;
  w->ncols = ncols;
  w->types = xmalloc((ncols ? ncols : 1) * sizeof *w->types);
  for (uint32_t i = 0; i < ncols; i++) w->types[i] = cols[i].type;
  if (fmt == FMT_CSV) {
    if (header) {
      for (uint32_t i = 0; i < ncols; i++) {
        if (i) out_char(&w->o, ',');
        out_csv_field(&w->o, cols[i].name, strlen(cols[i].name));
      }
      out_char(&w->o, '\n');
      out_flush(&w->o);
    }
  } else {
    /* The keys never change: escape them once. */
    Out k;
    out_init(&k, NULL, 256);
    w->key_at = xmalloc((ncols + 1) * sizeof *w->key_at);
    for (uint32_t i = 0; i < ncols; i++) {
      w->key_at[i] = k.n;
      out_char(&k, i ? ',' : '{');
      out_json_str(&k, cols[i].name, strlen(cols[i].name));
      out_char(&k, ':');
    }
    w->key_at[ncols] = k.n;
    w->keys = k.p;
  }
  return w;
}

void writer_row(RowWriter *w, const Value *vals) {
  Out *o = &w->o;
  char tmp[192];
  if (w->fmt == FMT_CSV) {
    for (uint32_t i = 0; i < w->ncols; i++) {
      if (i) out_char(o, ',');
      TypeRef t = w->types[i];
      if (t.kind == VK_TEXT) {
        if (vals[i].text) out_csv_cell(o, vals[i].text->bytes, vals[i].text->len, w->csv_safe);
      } else if (t.kind == VK_LIST || t.kind == VK_RECORD) {
        w->scratch.n = 0;
        out_json_value(&w->scratch, w->s, t, vals[i]);
        out_csv_field(o, w->scratch.p, w->scratch.n);
      } else {
        int n = value_format(w->s, t, vals[i], tmp, sizeof tmp);
        if (n > 0) out_csv_field(o, tmp, (size_t)n);
      }
    }
    out_char(o, '\n');
  } else {
    if (w->ncols == 0) out_char(o, '{');
    for (uint32_t i = 0; i < w->ncols; i++) {
      out_bytes(o, w->keys + w->key_at[i], w->key_at[i + 1] - w->key_at[i]);
      out_json_value(o, w->s, w->types[i], vals[i]);
    }
    out_bytes(o, "}\n", 2);
  }
}

void writer_bytes(RowWriter *w, const char *bytes, size_t len) { out_bytes(&w->o, bytes, len); }

void writer_set_csv_safe(RowWriter *w, bool on) { w->csv_safe = on; }

bool writer_csv_safe(const RowWriter *w) { return w->csv_safe; }

int writer_close(RowWriter *w) {
  if (!w) return 0;
  int err = out_finish(&w->o);
  out_free(&w->o);
  out_free(&w->scratch);
  xfree(w->types);
  xfree(w->keys);
  xfree(w->key_at);
  xfree(w);
  return err;
}

/* ---- error writer ---- */

struct ErrorWriter {
  Out o;
  bool csv_safe;
};

ErrorWriter *errwriter_open(FILE *f) {
  ErrorWriter *w = xcalloc(1, sizeof *w);
  out_init(&w->o, f, 4096);
  out_str(&w->o, "record,line,id,field,rule,location,reason\n");
  out_flush(&w->o);
  return w;
}

/* A 1-based number, or an empty field for 0 (not known). */
static void out_count(Out *o, uint64_t n) {
  char tmp[24];
  if (n) out_bytes(o, tmp, (size_t)snprintf(tmp, sizeof tmp, "%" PRIu64, n));
}

/* A text cell of an error row: always UTF-8 (an id from the input may not be), guarded when asked. */
static void out_csv_str(ErrorWriter *w, const char *s) {
  if (!s) return;
  size_t n = strlen(s);
  if (utf8_valid(s, n)) {
    out_csv_cell(&w->o, s, n, w->csv_safe);
    return;
  }
  char *esc = xmalloc(4 * n + 1);
  out_csv_cell(&w->o, esc, utf8_or_escaped(s, n, esc), w->csv_safe);
  xfree(esc);
}

void errwriter_set_csv_safe(ErrorWriter *w, bool on) { w->csv_safe = on; }

void errwriter_row(ErrorWriter *w, uint64_t recno, uint64_t line, const char *id, const char *field,
                   const char *rule, const char *location, const char *reason) {
  Out *o = &w->o;
  out_count(o, recno);
  out_char(o, ',');
  out_count(o, line);
  out_char(o, ',');
  out_csv_str(w, id);
  out_char(o, ',');
  out_csv_str(w, field);
  out_char(o, ',');
  out_csv_str(w, rule);
  out_char(o, ',');
  out_csv_str(w, location);
  out_char(o, ',');
  out_csv_str(w, reason);
  out_char(o, '\n');
  out_flush(o);
}

int errwriter_close(ErrorWriter *w) {
  if (!w) return 0;
  int err = out_finish(&w->o);
  out_free(&w->o);
  xfree(w);
  return err;
}
