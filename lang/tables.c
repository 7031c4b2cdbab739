/*
** tables.c: reading and validating the CSV file behind a 'tabel'
** declaration (see tables.h).
**
** The file is added to the SourceSet first, then tokenised here in memory
** rather than with runtime/csv.c: every cell keeps its byte offset in the
** file, so each message can point at the exact cell with a caret. The
** checks run in three layers -- the header, each row on its own (types,
** status, source, key order), then the rows together (ends, overlaps, gaps,
** coverage) -- and a layer whose input is already broken is skipped, so a
** bad date does not also show up as a gap.
*/
#include "tables.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/date.h"
#include "runtime/mem.h"
#include "runtime/num.h"
#include "runtime/strutil.h"
#include "runtime/i18n.h"

/* The columns a table can have; which ones apply depends on the kind. */
enum { F_KEY, F_UNTIL, F_VALUE, F_STATUS, F_SOURCE, F_NOTE, F__COUNT };

static const char *const date_cols[F__COUNT] = {"vanaf", "tot_en_met", "waarde", "status", "bron", "toelichting"};
static const char *const key_cols[F__COUNT] = {"sleutel", NULL, "waarde", "status", "bron", "toelichting"};
static const bool col_required[F__COUNT] = {true, false, true, true, true, false};

static const char *const status_names[] = {"stated", "derived", "unverified"};

#define MAX_QUOTED 48   /* bytes of a cell shown in a message before it is cut */

/* One cell: its value (unquoted, unescaped) and where it is written in the file. */
typedef struct Cell {
  const char *s;        /* into the file text, or into the loader's arena when quoted */
  uint32_t n;
  uint32_t off, len;    /* the cell as written, quotes included */
} Cell;

/* One record (a row, or the header). */
typedef struct Rec {
  uint32_t off, len;    /* the first line of the record, for messages about the whole row */
  uint32_t line;
  Cell *cells;
  uint32_t ncells;
  size_t cap;
  bool bad;             /* malformed CSV, already reported */
} Rec;

/* What the row checks learn per row, for the checks across rows. */
typedef struct RowInfo {
  bool key_ok;          /* the key parsed */
  bool has_until;       /* tot_en_met given */
  bool until_bad;       /* tot_en_met before vanaf (reported) */
  Span key, until;      /* the cells */
  uint32_t run_start;   /* the first row of its run of equal keys (found once, not by walking back) */
} RowInfo;

typedef struct Loader {
  DiagList *d;
  const Schema *schema;
  const TableSpec *spec;
  Table *out;
  uint32_t file;
  const char *t;
  uint32_t len;
  uint32_t p, line;     /* scan position and its 1-based line */
  Arena arena;          /* unescaped quoted cells of the current record */
  Rec rec;
  const char *const *cols;
  int col[F__COUNT];    /* header index of each column, -1 when absent */
  uint32_t ncols;
  size_t rows_cap;
  RowInfo *info;        /* parallel to out->rows */
  uint32_t ninfo;
  size_t info_cap;
  uint32_t last_ok;     /* 1 + the index of the last row whose key could be read; 0 none yet */
} Loader;

static Span cell_span(const Loader *L, const Cell *c) { return (Span){L->file, c->off, c->len}; }
static Span rec_span(const Loader *L) { return (Span){L->file, L->rec.off, L->rec.len}; }

/*
** A cell's text for a message, in single quotes. Long values are cut at a
** character boundary; control bytes, and every byte of text that is not
** UTF-8, are shown as \xNN so the message itself stays printable.
*/
static const char *quoted(const char *s, size_t n, char *buf, size_t cap) {
  size_t cut = n;
  if (cut > MAX_QUOTED) {
    cut = MAX_QUOTED;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
  }
  bool utf8 = utf8_valid(s, cut);
  size_t k = 0;
  buf[k++] = '\'';
  for (size_t i = 0; i < cut && k + 8 < cap; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && !utf8)) k += (size_t)snprintf(buf + k, cap - k, "\\x%02X", ch);
    else buf[k++] = (char)ch;
  }
  if (cut < n) {
    memcpy(buf + k, "...", 3);
    k += 3;
  }
  buf[k++] = '\'';
  buf[k] = '\0';
  return buf;
}

static const char *space_hint(const char *s, size_t n) {
  if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t'))
    return _(" (leading or trailing spaces are not allowed)");
  return "";
}

static bool is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t') return false;
  return true;
}

static bool cell_is(const Cell *c, const char *word) {
  return strlen(word) == c->n && memcmp(c->s, word, c->n) == 0;
}

/* ---- the CSV tokenizer (RFC 4180) ---- */

/* A line ends at LF or CRLF; a CR elsewhere is an ordinary byte (diagnostics count lines by LF). */
static bool at_eol(const Loader *L, uint32_t p) {
  return p >= L->len || L->t[p] == '\n' || (L->t[p] == '\r' && (p + 1 >= L->len || L->t[p + 1] == '\n'));
}

/* Move to just past the LF ending the line that holds p (or to the end), counting lines. */
static void skip_line(Loader *L) {
  while (L->p < L->len && L->t[L->p] != '\n') L->p++;
  if (L->p < L->len) {
    L->p++;
    L->line++;
  }
}

static void end_record(Loader *L) {
  if (L->p < L->len && L->t[L->p] == '\r') L->p++;
  if (L->p < L->len && L->t[L->p] == '\n') {
    L->p++;
    L->line++;
  }
}

/*
** Read the next record into L->rec; false at the end of the file. Empty
** lines are skipped. A malformed record is reported (E051), marked bad and
** reading resumes on the next line: after an unterminated quote, on the line
** after the record's first, so one stray quote does not swallow the file.
*/
static bool next_record(Loader *L) {
  const char *t = L->t;
  for (;;) {
    if (L->p >= L->len) return false;
    if (t[L->p] == '\n') {
      L->p++;
      L->line++;
    } else if (t[L->p] == '\r' && at_eol(L, L->p)) {
      L->p++;
    } else {
      break;
    }
  }
  Rec *r = &L->rec;
  r->ncells = 0;
  r->bad = false;
  r->line = L->line;
  r->off = L->p;
  uint32_t e = r->off;
  while (e < L->len && t[e] != '\n') e++;
  if (e > r->off && t[e - 1] == '\r') e--;
  r->len = e - r->off;
  arena_reset(&L->arena);

  for (;;) {
    Cell c;
    c.off = L->p;
    if (L->p < L->len && t[L->p] == '"') {
      uint32_t q = L->p++, n = 0;
      bool closed = false;
      while (L->p < L->len) {
        if (t[L->p] == '"') {
          if (L->p + 1 < L->len && t[L->p + 1] == '"') {
            L->p += 2;
            n++;
            continue;
          }
          closed = true;
          break;
        }
        if (t[L->p] == '\n') L->line++;
        L->p++;
        n++;
      }
      if (!closed) {
        diag_error(L->d, ((Span){L->file, q, 1}), "E051", "unterminated quoted cell");
        r->bad = true;
        L->p = r->off;
        L->line = r->line;
        skip_line(L);
        return true;
      }
      char *v = arena_alloc(&L->arena, (size_t)n + 1);
      uint32_t k = 0;
      for (uint32_t i = q + 1; i < L->p; i++) {
        v[k++] = t[i];
        if (t[i] == '"') i++;   /* "" stands for one " */
      }
      v[k] = '\0';
      L->p++;   /* the closing quote */
      c.s = v;
      c.n = n;
      c.len = L->p - c.off;
      if (L->p < L->len && t[L->p] != ',' && !at_eol(L, L->p)) {
        diag_error(L->d, ((Span){L->file, L->p, 1}), "E051", "text after the closing quote of a cell");
        r->bad = true;
        skip_line(L);
        return true;
      }
    } else {
      while (L->p < L->len && t[L->p] != ',' && !at_eol(L, L->p)) {
        if (t[L->p] == '"') {
          Diag *dg = diag_error(L->d, ((Span){L->file, L->p, 1}), "E051", "a quote inside an unquoted cell");
          diag_note(dg, "put the whole cell in quotes and write each quote inside twice: \"a \"\"b\"\" c\"");
          r->bad = true;
          skip_line(L);
          return true;
        }
        L->p++;
      }
      c.s = t + c.off;
      c.n = c.len = L->p - c.off;
    }
    VEC_PUSH(r->cells, r->ncells, r->cap, c);
    if (L->p < L->len && t[L->p] == ',') {
      L->p++;
      continue;
    }
    end_record(L);
    return true;
  }
}

/* ---- the header ---- */

static void list_names(char *buf, size_t cap, const char *const *names, size_t n) {
  size_t k = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    if (!names[i]) continue;
    int w = snprintf(buf + k, cap - k, "%s%s", k ? ", " : "", names[i]);
    if (w < 0 || (size_t)w >= cap - k) break;
    k += (size_t)w;
  }
}

/* Map each header cell to a column; false when a required column is missing (rows cannot be read). */
static bool read_header(Loader *L) {
  const TableSpec *sp = L->spec;
  char q[256], names[256];
  list_names(names, sizeof names, L->cols, F__COUNT);
  for (int f = 0; f < F__COUNT; f++) L->col[f] = -1;
  if (!next_record(L)) {
    diag_error(L->d, ((Span){L->file, L->p, 0}), "E051", "empty file: expected a header with the columns %s",
               names);
    return false;
  }
  if (L->rec.bad) return false;
  const Rec *r = &L->rec;
  L->ncols = r->ncells;
  for (uint32_t i = 0; i < r->ncells; i++) {
    const Cell *c = &r->cells[i];
    int f = -1;
    for (int k = 0; k < F__COUNT; k++)
      if (L->cols[k] && cell_is(c, L->cols[k])) f = k;
    if (f >= 0 && L->col[f] < 0) {
      L->col[f] = (int)i;
      continue;
    }
    if (f >= 0) {
      Diag *dg = diag_error(L->d, cell_span(L, c), "E051", "duplicate column '%s'", L->cols[f]);
      diag_note(dg, "it is already column %d", L->col[f] + 1);
      continue;
    }
    if (c->n == 0) {
      Diag *dg = diag_error(L->d, cell_span(L, c), "E051", "empty column name");
      diag_note(dg, "the columns are %s", names);
      continue;
    }
    Diag *dg = diag_error(L->d, cell_span(L, c), "E051", "unknown column %s", quoted(c->s, c->n, q, sizeof q));
    /* A column of the other kind of table: say why it does not fit rather than guess a spelling. */
    if (sp->kind == TABLE_BY_KEY && (cell_is(c, "vanaf") || cell_is(c, "tot_en_met"))) {
      diag_note(dg, "'%.*s' belongs to a date series ('per datum'); a keyed table has 'sleutel'", (int)c->n, c->s);
    } else if (sp->kind == TABLE_BY_DATE && cell_is(c, "sleutel")) {
      diag_note(dg, "'sleutel' belongs to a keyed table; a date series has 'vanaf' (and optionally 'tot_en_met')");
    } else {
      const char *s = str_suggest(c->s, c->n, L->cols, F__COUNT);
      if (s) diag_suggest(L->d, dg, c->s, c->n, s);
      else diag_note(dg, "the columns are %s", names);
    }
  }
  bool ok = true;
  for (int f = 0; f < F__COUNT; f++) {
    if (L->cols[f] && col_required[f] && L->col[f] < 0) {
      diag_error(L->d, rec_span(L), "E051", "missing column '%s'", L->cols[f]);
      ok = false;
    }
  }
  return ok;
}

/* ---- cells ---- */

static const char *enum_list(const EnumType *et, char *buf, size_t cap) {
  list_names(buf, cap, (const char *const *)et->members, et->nmembers);
  return buf;
}

/* A plain decimal, or an exact fraction "108/100" (each side a plain decimal). */
static NumStatus parse_getal(const char *s, size_t n, Dec *out) {
  const char *slash = memchr(s, '/', n);
  if (!slash) return dec_parse(s, n, out);
  Dec a, b;
  size_t k = (size_t)(slash - s);
  NumStatus st = dec_parse(s, k, &a);
  if (st == NUM_OK) st = dec_parse(slash + 1, n - k - 1, &b);
  if (st == NUM_OK) st = dec_div(a, b, out);
  return st;
}

static const char *text_problem(const char *s, size_t n) {
  if (memchr(s, '\0', n)) return _("contains a NUL byte");
  if (!utf8_valid(s, n)) return _("not valid UTF-8");
  return NULL;
}

/* What a cell of type t should hold, for a message about an empty cell. */
static const char *expected(const Loader *L, TypeRef t, char *buf, size_t cap) {
  switch (t.kind) {
  case VK_BOOL: return _("true, false, waar or onwaar");
  case VK_INT: return _("a whole number");
  case VK_DEC: return _("a number such as 1.08 or 108/100");
  case VK_MONEY: return _("an amount such as 274.44");
  case VK_DATE: return _("a date (YYYY-MM-DD)");
  case VK_ENUM: {
    char ms[200];
    snprintf(buf, cap, _("one of %s"), enum_list(&L->schema->enums[t.ref], ms, sizeof ms));
    return buf;
  }
  default: return _("a value");
  }
}

/*
** Parse cell c of column `col` as a value of type t (E052 on failure).
** Text is checked here and copied by the caller; `out` is untouched on failure.
*/
static bool parse_cell(Loader *L, TypeRef t, const Cell *c, const char *col, Value *out) {
  char q[256], buf[256];
  const char *s = c->s;
  size_t n = c->n;
  Span sp = cell_span(L, c);
  if (n == 0 && t.kind != VK_TEXT) {
    diag_error(L->d, sp, "E052", "empty cell in column '%s': expected %s", col, expected(L, t, buf, sizeof buf));
    return false;
  }
  quoted(s, n, q, sizeof q);
  const char *hint = space_hint(s, n);
  switch (t.kind) {
  case VK_BOOL: {
    static const char *const words[] = {"true", "false", "waar", "onwaar"};
    for (int i = 0; i < 4; i++) {
      if (cell_is(c, words[i])) {
        out->i = i % 2 == 0;
        return true;
      }
    }
    diag_error(L->d, sp, "E052", "invalid boolean %s in column '%s': expected true, false, waar or onwaar%s", q,
               col, hint);
    return false;
  }
  case VK_INT: {
    NumStatus st = int_parse(s, n, &out->i);
    if (st == NUM_OK) return true;
    diag_error(L->d, sp, "E052", "invalid integer %s in column '%s': %s%s", q, col,
               st == NUM_OVERFLOW ? _("does not fit in 64 bits") : _("expected digits with an optional sign"), hint);
    return false;
  }
  case VK_DEC: {
    Dec v;
    NumStatus st = parse_getal(s, n, &v);
    if (st == NUM_OK) {
      out->dec = v;
      return true;
    }
    diag_error(L->d, sp, "E052", "invalid number %s in column '%s': %s%s", q, col,
               st == NUM_OVERFLOW  ? _("too many digits to keep exact")
               : st == NUM_DIV_ZERO ? _("the fraction divides by zero")
                                    : _("expected digits with an optional sign and a '.' for decimals, "
                                        "or a fraction such as 108/100"),
               hint);
    return false;
  }
  case VK_MONEY: {
    int64_t cents;
    Dec dummy;
    NumStatus st = money_parse(s, n, &cents);
    if (st == NUM_OK) {
      out->i = cents;
      return true;
    }
    /* A number, but not a whole number of cents, is bad data: never rounded. */
    const char *why = st == NUM_OVERFLOW                     ? _("out of range")
                      : dec_parse(s, n, &dummy) != NUM_SYNTAX ? _("more than 2 decimals (amounts are whole cents)")
                      : _("expected an amount such as 274.44 (a '.' and at most 2 decimals)");
    diag_error(L->d, sp, "E052", "invalid amount %s in column '%s': %s%s", q, col, why, hint);
    return false;
  }
  case VK_DATE: {
    const char *why = NULL;
    int64_t day;
    if (date_parse(s, n, &day, &why)) {
      out->i = day;
      return true;
    }
    diag_error(L->d, sp, "E052", "invalid date %s in column '%s': %s%s", q, col, why ? why : "expected YYYY-MM-DD",
               hint);
    return false;
  }
  case VK_ENUM: {
    const EnumType *et = &L->schema->enums[t.ref];
    int m = schema_enum_member(et, s, n);
    if (m >= 0) {
      out->i = m;
      return true;
    }
    char ms[200];
    Diag *dg = diag_error(L->d, sp, "E052", "invalid choice %s in column '%s': not a choice of '%s' (%s)%s", q, col,
                          et->name, enum_list(et, ms, sizeof ms), hint);
    const char *best = str_suggest(s, n, (const char *const *)et->members, et->nmembers);
    diag_suggest(L->d, dg, s, n, best);
    return false;
  }
  case VK_TEXT: {
    const char *why = text_problem(s, n);
    if (!why) return true;
    diag_error(L->d, sp, "E052", "invalid text %s in column '%s': %s", q, col, why);
    return false;
  }
  default:
    return false;   /* excluded by check_types */
  }
}

static Text *make_text(const char *s, size_t n) {
  Text *tx = xmalloc(sizeof(Text) + n + 1);
  tx->len = (uint32_t)n;
  memcpy(tx->bytes, s, n);
  tx->bytes[n] = '\0';
  return tx;
}

/* A key as the messages show it: a date, a number or a choice name. */
static const char *key_text(const Loader *L, int64_t k, char *buf, size_t cap) {
  TypeRef t = L->out->keytype;
  if (t.kind == VK_DATE && cap >= 11) date_format(k, buf);
  else if (t.kind == VK_ENUM && k >= 0 && (uint64_t)k < L->schema->enums[t.ref].nmembers)
    snprintf(buf, cap, "'%s'", L->schema->enums[t.ref].members[k]);
  else snprintf(buf, cap, "%" PRId64, k);
  return buf;
}

static const char *day_text(int64_t day, char *buf) {
  date_format(day, buf);
  return buf;
}

/* ---- rows ---- */

/*
** Check one data record and append it to out->rows (with its RowInfo).
** False if it cannot take part in the checks across rows.
*/
static bool read_row(Loader *L) {
  const Rec *r = &L->rec;
  Table *out = L->out;
  const char *const *cols = L->cols;
  if (r->ncells != L->ncols) {
    diag_error(L->d, rec_span(L), "E051", ngettext("row has %u cell, the header has %u", "row has %u cells, the header has %u",
                                                   r->ncells),
               r->ncells, L->ncols);
    return false;
  }
  TableRow row;
  memset(&row, 0, sizeof row);
  RowInfo info;
  memset(&info, 0, sizeof info);
  row.line = r->line;
  row.until = INT64_MAX;
  bool until_ok = true;

  const Cell *kc = &r->cells[L->col[F_KEY]];
  Value kv;
  info.key = cell_span(L, kc);
  info.key_ok = parse_cell(L, out->keytype, kc, cols[F_KEY], &kv);
  if (info.key_ok) row.key = kv.i;

  if (out->kind == TABLE_BY_DATE && L->col[F_UNTIL] >= 0 && r->cells[L->col[F_UNTIL]].n > 0) {
    const Cell *uc = &r->cells[L->col[F_UNTIL]];
    Value uv;
    info.has_until = true;
    info.until = cell_span(L, uc);
    if (parse_cell(L, (TypeRef){VK_DATE, 0, 0}, uc, cols[F_UNTIL], &uv)) row.until = uv.i;
    else until_ok = false;
  }

  char q[256];
  const Cell *sc = &r->cells[L->col[F_STATUS]];
  int st = -1;
  for (int i = 0; i < 3; i++)
    if (cell_is(sc, status_names[i])) st = i;

  /* An unverified row may leave its value empty: known to exist, not known what it is. */
  const Cell *vc = &r->cells[L->col[F_VALUE]];
  Value v;
  if (vc->n == 0 && st == ROW_UNVERIFIED) {
    row.unknown = 1;
  } else if (parse_cell(L, out->valtype, vc, cols[F_VALUE], &v)) {
    if (out->valtype.kind == VK_TEXT) row.value.text = make_text(vc->s, vc->n);
    else row.value = v;
  }
  if (st >= 0) {
    row.status = (uint8_t)st;
  } else if (sc->n == 0) {
    diag_error(L->d, cell_span(L, sc), "E053", "empty cell in column 'status': expected stated, derived or unverified");
  } else {
    Diag *dg = diag_error(L->d, cell_span(L, sc), "E053", "unknown status %s: expected stated, derived or unverified%s",
                          quoted(sc->s, sc->n, q, sizeof q), space_hint(sc->s, sc->n));
    const char *best = str_suggest(sc->s, sc->n, status_names, 3);
    diag_suggest(L->d, dg, sc->s, sc->n, best);
  }

  const Cell *bc = &r->cells[L->col[F_SOURCE]];
  if (is_blank(bc->s, bc->n)) {
    Diag *dg = diag_error(L->d, cell_span(L, bc), "E054",
                          "empty cell in column 'bron': every row must cite its source");
    diag_note(dg, "give a URL, an article or a ruling where the value can be checked");
  } else if (parse_cell(L, (TypeRef){VK_TEXT, 0, 0}, bc, cols[F_SOURCE], &v)) {
    row.source = xstrndup(bc->s, bc->n);
  }
  if (!row.source) row.source = xstrdup("");

  if (L->col[F_NOTE] >= 0) {
    const Cell *nc = &r->cells[L->col[F_NOTE]];
    if (parse_cell(L, (TypeRef){VK_TEXT, 0, 0}, nc, cols[F_NOTE], &v)) row.note = xstrndup(nc->s, nc->n);
  }
  if (!row.note) row.note = xstrdup("");

  if (info.key_ok && info.has_until && until_ok && row.until < row.key) {
    char a[16], b[16];
    diag_error(L->d, info.until, "E057", "row ends before it starts: 'tot_en_met' %s is before 'vanaf' %s",
               day_text(row.until, a), day_text(row.key, b));
    info.until_bad = true;
  }

  /* Order against the previous row whose key could be read. */
  bool ordered = info.key_ok;
  info.run_start = out->nrows;
  if (info.key_ok && L->last_ok) {
    uint32_t i = L->last_ok - 1;
    const TableRow *prev = &out->rows[i];
    char a[256], b[256];
    if (row.key < prev->key) {
      Diag *dg = diag_error(L->d, info.key, "E055", "rows out of order: '%s' %s comes after %s", cols[F_KEY],
                            key_text(L, row.key, a, sizeof a), key_text(L, prev->key, b, sizeof b));
      diag_note(dg, "the row before, on line %u, has '%s' %s", prev->line, cols[F_KEY], b);
      if (out->keytype.kind == VK_ENUM) {
        const EnumType *et = &L->schema->enums[out->keytype.ref];
        diag_note(dg, "rows follow the order of the choices of '%s': %s", et->name, enum_list(et, a, sizeof a));
      } else {
        diag_note(dg, "sort the rows by '%s', %s first", cols[F_KEY],
                  out->keytype.kind == VK_DATE ? "earliest" : "smallest");
      }
      ordered = false;
    } else if (row.key == prev->key) {
      Diag *dg = diag_error(L->d, info.key, "E056", "duplicate row for '%s' %s", cols[F_KEY],
                            key_text(L, row.key, a, sizeof a));
      info.run_start = L->info[i].run_start;
      diag_note(dg, "the first is on line %u", out->rows[info.run_start].line);
      ordered = false;
    }
  }
  if (info.key_ok) L->last_ok = out->nrows + 1;

  VEC_PUSH(L->info, L->ninfo, L->info_cap, info);
  VEC_PUSH(out->rows, out->nrows, L->rows_cap, row);
  return ordered && until_ok;
}

/* ---- across rows ---- */

static void check_date_series(Loader *L, bool ranges_ok) {
  Table *out = L->out;
  const TableSpec *sp = L->spec;
  uint32_t n = out->nrows;
  /* A row without tot_en_met runs until the day before the next row (the last one: up to the horizon, Table.to). */
  for (uint32_t i = 0; i < n; i++)
    if (!L->info[i].has_until) out->rows[i].until = i + 1 < n ? out->rows[i + 1].key - 1 : INT64_MAX;
  char a[16], b[16], c[16];
  for (uint32_t i = 0; i + 1 < n; i++) {
    const TableRow *cur = &out->rows[i], *next = &out->rows[i + 1];
    if (!L->info[i].has_until || L->info[i].until_bad) continue;
    if (cur->until >= next->key) {
      Diag *dg = diag_error(L->d, L->info[i].until, "E057",
                            "rows overlap: 'tot_en_met' %s is on or after the next row's 'vanaf' %s (line %u)",
                            day_text(cur->until, a), day_text(next->key, b), next->line);
      diag_note(dg, "end a row the day before the next one starts, or leave 'tot_en_met' empty");
      ranges_ok = false;
    } else if (cur->until < next->key - 1) {
      int64_t g1 = cur->until + 1, g2 = next->key - 1;
      /* Only a gap inside the declared coverage matters: outside it nothing looks the table up. */
      if ((sp->has_from && g2 < sp->from) || (sp->has_to && g1 > sp->to)) continue;
      Diag *dg;
      if (g1 == g2)
        dg = diag_error(L->d, L->info[i].until, "E057", "gap between rows: no row is in force on %s",
                        day_text(g1, a));
      else
        dg = diag_error(L->d, L->info[i].until, "E057", "gap between rows: no row is in force from %s to %s",
                        day_text(g1, a), day_text(g2, b));
      diag_note(dg, "this row ends on %s and the next, on line %u, starts on %s", day_text(cur->until, c),
                next->line, day_text(next->key, b));
      ranges_ok = false;
    }
  }
  if (!ranges_ok || n == 0) return;
  /* Coverage: the first row must be in force by the start, the last one still on the end. */
  bool has_start = sp->has_from || sp->has_to, has_end = has_start;
  int64_t start = sp->has_from ? sp->from : sp->to;
  int64_t end = sp->has_to ? sp->to : sp->from;
  const TableRow *first = &out->rows[0], *last = &out->rows[n - 1];
  if (has_start && first->key > start) {
    Diag *dg = diag_error(L->d, sp->decl, "E058", "table '%s' does not cover %s: its first row starts on %s", sp->name,
                          day_text(start, a), day_text(first->key, b));
    diag_note(dg, "the first row is line %u of '%s'", first->line, out->path);
  }
  if (has_end && last->until < end) {
    Diag *dg = diag_error(L->d, sp->decl, "E058", "table '%s' does not cover %s: its last row ends on %s", sp->name,
                          day_text(end, a), day_text(last->until, b));
    diag_note(dg, "the last row is line %u of '%s'", last->line, out->path);
  }
}

/* Append "a" or "a..b" to a list of missing keys; past MAX_ITEMS only count them. */
static void add_missing(char *buf, size_t cap, int *count, int64_t lo, int64_t hi) {
  enum { MAX_ITEMS = 10 };
  size_t k = strlen(buf);
  (*count)++;
  if (*count > MAX_ITEMS) return;
  if (lo == hi) snprintf(buf + k, cap - k, "%s%" PRId64, k ? ", " : "", lo);
  else snprintf(buf + k, cap - k, "%s%" PRId64 "..%" PRId64, k ? ", " : "", lo, hi);
}

static void check_keyed(Loader *L) {
  Table *out = L->out;
  const TableSpec *sp = L->spec;
  uint32_t n = out->nrows;
  char buf[1024];
  buf[0] = '\0';
  if (out->keytype.kind == VK_ENUM) {
    /* Keys are strictly increasing ordinals, so walking both in step finds the missing ones. */
    const EnumType *et = &L->schema->enums[out->keytype.ref];
    uint32_t j = 0, missing = 0;
    size_t k = 0;
    for (uint32_t m = 0; m < et->nmembers; m++) {
      while (j < n && out->rows[j].key < (int64_t)m) j++;
      if (j < n && out->rows[j].key == (int64_t)m) continue;
      missing++;
      int w = snprintf(buf + k, sizeof buf - k, "%s'%s'", k ? ", " : "", et->members[m]);
      if (w > 0 && (size_t)w < sizeof buf - k) k += (size_t)w;
    }
    if (missing)
      diag_error(L->d, sp->decl, "E058", "table '%s' has no row for %s (every choice of '%s' needs one)", sp->name,
                 buf, et->name);
    return;
  }
  if (out->keytype.kind != VK_INT || (!sp->has_from && !sp->has_to) || n == 0) return;
  int64_t lo = sp->has_from ? sp->from : out->rows[0].key;
  int64_t hi = sp->has_to ? sp->to : out->rows[n - 1].key;
  int64_t expect = lo;
  bool done = lo > hi;
  int count = 0;
  for (uint32_t i = 0; i < n && !done; i++) {
    int64_t k = out->rows[i].key;
    if (k < expect) continue;
    if (k > hi) break;
    if (k > expect) add_missing(buf, sizeof buf, &count, expect, k - 1);
    if (k == hi) done = true;
    else expect = k + 1;
  }
  if (!done) add_missing(buf, sizeof buf, &count, expect, hi);
  if (count) {
    char more[48] = "";
    if (count > 10) snprintf(more, sizeof more, _(" and %d more"), count - 10);
    diag_error(L->d, sp->decl, "E058", "table '%s' has no row for %s%s (its coverage is %" PRId64 " t/m %" PRId64 ")",
               sp->name, buf, more, lo, hi);
  }
}

/* ---- the loader ---- */

/* The types the declaration gives must be ones a table can hold (the checker should ensure this). */
static bool check_types(Loader *L) {
  const TableSpec *sp = L->spec;
  char tn[128];
  TypeRef kt = L->out->keytype, vt = L->out->valtype;
  uint32_t nenums = L->schema ? L->schema->nenums : 0;
  if (sp->kind == TABLE_BY_KEY && kt.kind != VK_INT && kt.kind != VK_DATE && kt.kind != VK_ENUM) {
    diag_error(L->d, sp->decl, "E099", "internal error: table '%s' cannot have keys of type '%s'", sp->name,
               schema_type_name(L->schema, kt, tn, sizeof tn));
    return false;
  }
  if (vt.kind > VK_ENUM) {
    diag_error(L->d, sp->decl, "E099", "internal error: table '%s' cannot hold values of type '%s'", sp->name,
               schema_type_name(L->schema, vt, tn, sizeof tn));
    return false;
  }
  if ((kt.kind == VK_ENUM && kt.ref >= nenums) || (vt.kind == VK_ENUM && vt.ref >= nenums)) {
    diag_error(L->d, sp->decl, "E099", "internal error: table '%s' refers to an unknown keuze", sp->name);
    return false;
  }
  return true;
}

bool tables_load(SourceSet *src, DiagList *d, const Schema *schema, const TableSpec *spec, Table *out) {
  int before = d->nerrors;
  memset(out, 0, sizeof *out);
  out->name = xstrdup(spec->name);
  out->path = xstrdup(spec->path);
  out->kind = (uint8_t)spec->kind;
  out->keytype = spec->kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : spec->keytype;
  out->valtype = spec->valtype;
  out->from = spec->has_from ? spec->from : INT64_MIN;
  out->to = spec->has_to ? spec->to : INT64_MAX;
  if (spec->kind != TABLE_BY_DATE) out->from = INT64_MIN, out->to = INT64_MAX;   /* integer bounds, checked here only */

  Loader L;
  memset(&L, 0, sizeof L);
  L.d = d;
  L.schema = schema;
  L.spec = spec;
  L.out = out;
  L.cols = spec->kind == TABLE_BY_DATE ? date_cols : key_cols;
  if (!check_types(&L)) return false;

  char err[512];
  int fi = spec->sandbox ? sandbox_load(spec->sandbox, src, d, spec->where, spec->written, spec->path, err, sizeof err)
                         : src_load(src, spec->path, err, sizeof err);
  if (fi == -2) return false;   /* outside the rule-set tree or not a regular file: reported, never read */
  if (fi < 0) {
    diag_error(d, spec->decl, "E050", "table '%s': %s", spec->name, err);
    return false;
  }
  L.file = (uint32_t)fi;
  L.t = src->files[fi].text;
  L.len = src->files[fi].len;
  L.line = 1;
  arena_init(&L.arena);
  if (L.len >= 3 && memcmp(L.t, "\xEF\xBB\xBF", 3) == 0) L.p = 3;   /* a UTF-8 byte order mark */

  if (read_header(&L)) {
    bool keys_ok = true, ranges_ok = true;
    uint32_t nrecords = 0;
    while (next_record(&L)) {
      nrecords++;
      if (L.rec.bad || !read_row(&L)) keys_ok = false;
    }
    for (uint32_t i = 0; i < out->nrows; i++)
      if (L.info[i].until_bad) ranges_ok = false;
    if (nrecords == 0) {
      Diag *dg = diag_error(d, spec->decl, "E058", "table '%s' has no rows", spec->name);
      diag_note(dg, "'%s' holds only a header", spec->path);
    } else if (keys_ok) {
      /* Checks across rows only make sense when every key could be read and they are in order. */
      if (spec->kind == TABLE_BY_DATE) check_date_series(&L, ranges_ok);
      else check_keyed(&L);
    }
  }
  xfree(L.rec.cells);
  xfree(L.info);
  arena_free(&L.arena);
  return d->nerrors == before;
}
