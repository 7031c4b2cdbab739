/*
** csv.c: the streaming RFC 4180 tokenizer (see csv.h).
**
** Input is read in blocks into a window `in`. Bytes from the start of the
** record being parsed (`mark`) are kept in the window, so that after an
** unterminated quote the tokenizer can go back and resume at the line after
** the record's first line. Field bytes are unescaped into `data`; the
** CsvField pointers are made only when the record is complete, because
** `data` may move while it grows.
*/
#include "csv.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "mem.h"

#define CSV_BLOCK 65536

typedef struct Span {
  size_t off, len;
  bool quoted;
} Span;

struct CsvReader {
  FILE *f;
  char *in;                 /* input window */
  size_t cap, len, pos;     /* window size, bytes in it, read position */
  size_t mark;              /* start of the current record; bytes before it may be dropped */
  bool eof;                 /* fread has returned 0 */
  size_t max_record;        /* bytes a record may take (csv_set_max_record) */
  bool too_long;            /* the current record passed max_record: fill gives no more */
  bool started;             /* the BOM check has been done */
  uint64_t line;            /* line of in[pos] */
  char *data;               /* unescaped field bytes, each followed by a NUL */
  size_t dlen, dcap;
  Span *spans;
  size_t nspans, spcap;
  CsvField *out;
  size_t outcap;
  char err[128];
};

CsvReader *csv_open(FILE *f) {
  CsvReader *c = xcalloc(1, sizeof *c);
  c->f = f;
  c->cap = CSV_BLOCK;
  c->in = xmalloc(c->cap);
  c->dcap = 256;
  c->data = xmalloc(c->dcap);
  c->line = 1;
  c->max_record = CSV_DEFAULT_MAX_RECORD;
  return c;
}

void csv_set_max_record(CsvReader *c, size_t bytes) { c->max_record = bytes ? bytes : CSV_DEFAULT_MAX_RECORD; }

void csv_close(CsvReader *c) {
  if (!c) return;
  xfree(c->in);
  xfree(c->data);
  xfree(c->spans);
  xfree(c->out);
  xfree(c);
}

/* Make at least `need` unread bytes available; false if the input ends first. */
static bool fill(CsvReader *c, size_t need) {
  while (c->len - c->pos < need) {
    if (c->eof || c->too_long) return false;
    if (c->len - c->mark >= c->max_record) {   /* everything from mark is this record */
      c->too_long = true;
      return false;
    }
    if (c->mark > 0) {
      memmove(c->in, c->in + c->mark, c->len - c->mark);
      c->len -= c->mark;
      c->pos -= c->mark;
      c->mark = 0;
    }
    if (c->len == c->cap) {
      c->cap *= 2;
      c->in = xrealloc(c->in, c->cap);
    }
    size_t n = fread(c->in + c->len, 1, c->cap - c->len, c->f);
    if (n == 0) c->eof = true;
    c->len += n;
  }
  return true;
}

/* The next byte, or -1 at the end of the input. */
static int peekc(CsvReader *c) {
  if (c->pos < c->len) return (unsigned char)c->in[c->pos];
  return fill(c, 1) ? (unsigned char)c->in[c->pos] : -1;
}

static void append(CsvReader *c, const char *p, size_t n) {
  if (c->dlen + n + 1 > c->dcap) {
    while (c->dlen + n + 1 > c->dcap) c->dcap *= 2;
    c->data = xrealloc(c->data, c->dcap);
  }
  memcpy(c->data + c->dlen, p, n);
  c->dlen += n;
}

/* Consume a line end (CRLF, LF or bare CR) at pos, if there is one. */
static bool eat_line_end(CsvReader *c) {
  int ch = peekc(c);
  if (ch == '\n') {
    c->pos++;
  } else if (ch == '\r') {
    c->pos++;
    if (peekc(c) == '\n') c->pos++;
  } else {
    return false;
  }
  c->line++;
  return true;
}

/* Skip the rest of the current line, line end included. */
static void skip_line(CsvReader *c) {
  for (;;) {
    int ch = peekc(c);
    if (ch < 0 || eat_line_end(c)) return;
    c->pos++;
  }
}

/*
** After an unterminated quote: go back to the line after the record's
** first line (the window still holds everything from `mark` on).
*/
static void resync_after_record_start(CsvReader *c, uint64_t start_line) {
  size_t k = c->mark;
  while (k < c->len && c->in[k] != '\n' && c->in[k] != '\r') k++;
  if (k < c->len) {
    if (c->in[k] == '\r' && k + 1 < c->len && c->in[k + 1] == '\n') k++;
    k++;
  }
  c->pos = k;
  c->line = start_line + 1;
}

/*
** After a record longer than max_record: go on at the line after its first
** line, like after an unterminated quote, but reading that line through
** without keeping it (the first line alone may be longer than the limit).
*/
static void skip_after_record_start(CsvReader *c, uint64_t start_line) {
  c->too_long = false;
  c->pos = c->mark;
  for (;;) {
    c->mark = c->pos;             /* nothing behind pos is needed: fill may drop it */
    int ch = peekc(c);
    if (ch < 0 || eat_line_end(c)) break;
    c->pos++;
  }
  c->line = start_line + 1;
}

static void push_span(CsvReader *c, size_t off, bool quoted) {
  Span sp = {off, c->dlen - off, quoted};
  VEC_PUSH(c->spans, c->nspans, c->spcap, sp);
  c->data[c->dlen++] = '\0';    /* append() always leaves room for it */
}

static void finish(CsvReader *c, CsvRecord *rec, uint64_t start_line) {
  vec_reserve((void **)&c->out, &c->outcap, c->nspans ? c->nspans : 1, sizeof *c->out);
  for (size_t i = 0; i < c->nspans; i++) {
    c->out[i].s = c->data + c->spans[i].off;
    c->out[i].len = c->spans[i].len;
    c->out[i].quoted = c->spans[i].quoted;
  }
  rec->line = start_line;
  rec->nfields = (uint32_t)c->nspans;
  rec->fields = c->out;
}

/* Scan an unquoted run up to a delimiter, line end or quote. */
static void unquoted_run(CsvReader *c) {
  while (fill(c, 1)) {
    const char *p = c->in + c->pos, *e = c->in + c->len, *q = p;
    while (q < e && *q != ',' && *q != '\n' && *q != '\r' && *q != '"') q++;
    append(c, p, (size_t)(q - p));
    c->pos += (size_t)(q - p);
    if (q < e) return;
  }
}

/*
** Scan the inside of a quoted field (the opening quote consumed) up to and
** including its closing quote. False if the input ends first.
*/
static bool quoted_run(CsvReader *c) {
  bool cr = false;    /* the previous byte was a CR: a following LF is the same line end */
  for (;;) {
    if (!fill(c, 1)) return false;
    const char *p = c->in + c->pos, *e = c->in + c->len, *q = p;
    for (; q < e && *q != '"'; q++) {
      if (*q == '\n') {
        if (!cr) c->line++;
        cr = false;
      } else if (*q == '\r') {
        c->line++;
        cr = true;
      } else {
        cr = false;
      }
    }
    append(c, p, (size_t)(q - p));
    c->pos += (size_t)(q - p);
    if (q == e) continue;
    c->pos++;                       /* the quote */
    if (peekc(c) != '"') return true;
    append(c, "\"", 1);             /* "" stands for one quote */
    c->pos++;
    cr = false;
  }
}

CsvStatus csv_next(CsvReader *c, CsvRecord *rec) {
  memset(rec, 0, sizeof *rec);
  c->dlen = 0;
  c->nspans = 0;
  c->too_long = false;   /* a CR at the very limit may have set it for the LF after it */
  if (!c->started) {
    c->started = true;
    if (fill(c, 3) && memcmp(c->in + c->pos, "\xEF\xBB\xBF", 3) == 0) c->pos += 3;
  }
  if (ferror(c->f)) return CSV_EOF;   /* nothing is read past a read error */
  /* Empty lines are not records. */
  for (;;) {
    c->mark = c->pos;
    int ch = peekc(c);
    if (ch < 0) return CSV_EOF;
    if (!eat_line_end(c)) break;
  }
  c->mark = c->pos;
  uint64_t start = c->line;
  for (;;) {
    size_t off = c->dlen;
    bool quoted = peekc(c) == '"';
    if (quoted) {
      uint64_t qline = c->line;
      c->pos++;
      if (!quoted_run(c)) {
        if (c->too_long) goto too_long;
        snprintf(c->err, sizeof c->err, "unterminated quoted field (the quote on line %" PRIu64 " is never closed)",
                 qline);
        resync_after_record_start(c, start);
        goto bad;
      }
      int nx = peekc(c);
      if (nx >= 0 && nx != ',' && nx != '\n' && nx != '\r') {
        snprintf(c->err, sizeof c->err, "unexpected text after the closing quote of a quoted field");
        skip_line(c);
        goto bad;
      }
    } else {
      unquoted_run(c);
      if (c->too_long) goto too_long;
      if (peekc(c) == '"') {
        snprintf(c->err, sizeof c->err,
                 "stray quote in an unquoted field (quote the whole field and write a quote as \"\")");
        skip_line(c);
        goto bad;
      }
    }
    push_span(c, off, quoted);
    int sep = peekc(c);
    if (c->too_long) goto too_long;
    if (sep == ',') {
      c->pos++;
      continue;
    }
    eat_line_end(c);    /* or the end of the input */
    break;
  }
  if (ferror(c->f)) return CSV_EOF;   /* a record cut short by a read error is none (the caller sees ferror) */
  if (c->pos - c->mark > c->max_record) goto too_long;   /* read whole, within one window */
  finish(c, rec, start);
  c->mark = c->pos;
  return CSV_OK;

too_long:
  snprintf(c->err, sizeof c->err,
           "the record is longer than %zu bytes, the most one record may take (--max-memory)", c->max_record);
  skip_after_record_start(c, start);
  /* fall through */
bad:
  if (ferror(c->f)) return CSV_EOF;
  finish(c, rec, start);
  rec->bad_field = (uint32_t)c->nspans;
  rec->error = c->err;
  c->mark = c->pos;
  return CSV_BAD;
}
