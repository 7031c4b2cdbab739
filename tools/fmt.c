/*
** fmt.c: the canonical layout of a rule file (tools/fmt.h says why it
** works on tokens). The layout is the one rules/ was written in by hand:
**   - declarations (regel, uitzondering, keuze, gegevens, invoer, uitvoer,
**     tabel, taal, module, and 'bron X = ...') start in column 0; 'versie'
**     lines in column 2; the 'bron', '=' and 'peildatum' lines of a
**     declaration in column 2, of a version in column 4;
**   - other lines (continuations, fields, rows of a table) keep their
**     place relative to the head line above them (they move as far as it
**     did): rules/ aligns them under an opening parenthesis or a column by
**     hand, and that alignment is the author's;
**   - between two tokens on a line: none inside '( )', before ',', ':',
**     '.' and ')', after '.', between a name and its '(', after a '-'
**     that negates; one space elsewhere, but a fraction of two whole
**     numbers (108/100) as written; two or more spaces after ':', before
**     '=' and inside '{ }' are alignment (field types, source
**     declarations, items on one line) and kept;
**   - computed alignment: the types of the fields of an 'invoer' or
**     'gegevens' block in one column, and the '=' of the file's one-line
**     source declarations in one column -- the column most padded lines
**     already share, a longer name one space past it (compute_alignment);
**   - comments kept byte for byte (without trailing whitespace), also their
**     indentation and the spaces before a comment at the end of a line;
**   - at most one blank line between paragraphs, none at the start or end,
**     no trailing whitespace, LF line ends, one final newline.
** Line breaks are the author's: fmt never joins or splits lines.
*/
#include "tools/fmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/lexer.h"
#include "runtime/mem.h"

typedef struct Buf {
  char *s;
  size_t n, cap;
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    b->cap = (b->n + n + 1) * 2;
    b->s = xrealloc(b->s, b->cap);
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

static void put_spaces(Buf *b, size_t n) {
  for (size_t i = 0; i < n; i++) put(b, " ", 1);
}

typedef struct Toks {
  Token *t;
  size_t n;
  uint32_t *align;   /* align[i] > 0: exactly that many spaces before token i (computed columns) */
} Toks;

/* Every token of text up to (not including) end of file; false at a lexical error. */
static bool lex_all(const char *text, uint32_t len, Toks *out, char *err, size_t cap, uint32_t *erroff) {
  Lexer lx;
  lex_init(&lx, text, len, 0);
  size_t ncap = 64;
  out->t = xmalloc(ncap * sizeof *out->t);
  out->n = 0;
  out->align = NULL;
  for (;;) {
    Token t = lex_next(&lx);
    if (t.kind == TK_ILLEGAL) {
      snprintf(err, cap, "%s", lx.hint ? lx.hint : "illegal character");
      *erroff = t.span.off;
      return false;
    }
    if (out->n == ncap) out->t = xrealloc(out->t, (ncap *= 2) * sizeof *out->t);
    out->t[out->n] = t;
    /* 'uitkering' is a name unless it opens a line and a name follows ('uitkering X per maand') */
    if (out->n > 0 && out->t[out->n - 1].kind == TK_BENEFIT && t.kind != TK_IDENT) out->t[out->n - 1].kind = TK_IDENT;
    if (t.kind == TK_BENEFIT && out->n > 0 && !memchr(text + out->t[out->n - 1].span.off, '\n',
                                                       t.span.off - out->t[out->n - 1].span.off))
      t.kind = TK_IDENT;
    if (t.kind == TK_DURATION || t.kind == TK_AFTERWARDS || t.kind == TK_VALUES) t.kind = TK_IDENT;   /* 'duur', 'daarna', 'waarden': laid out as names */
    if (t.kind == TK_EOF) return true;
    /* 'taal en' at the top: English keywords from here on, as the parser does */
    if (out->n == 1 && out->t[0].kind == TK_LANGUAGE && t.span.len == 2 && memcmp(text + t.span.off, "en", 2) == 0)
      lx.lang = LANG_EN;
    out->n++;
  }
}

static bool is_declaration_start(int kind) {
  switch (kind) {
  case TK_RULE: case TK_EXCEPTION: case TK_CHOICE: case TK_RECORD: case TK_INPUT: case TK_OUTPUT:
  case TK_TABLE: case TK_LANGUAGE: case TK_MODULE:
    return true;
  default:
    return false;
  }
}

/* A whole number over a whole number: 108/100 may be written as one fraction. */
static bool in_fraction(const Toks *tk, size_t i) {
  int a = tk->t[i - 1].kind, b = tk->t[i].kind;
  if (a == TK_INT && b == TK_SLASH) return i + 1 < tk->n && tk->t[i + 1].kind == TK_INT;
  if (a == TK_SLASH && b == TK_INT) return i >= 2 && tk->t[i - 2].kind == TK_INT;
  return false;
}

/* A token after which '-' subtracts (an operand ends here); after anything else '-' negates. */
static bool ends_operand(int kind) {
  switch (kind) {
  case TK_IDENT: case TK_INT: case TK_DEC: case TK_PERCENT: case TK_DATE: case TK_MONEY: case TK_STRING:
  case TK_RPAREN: case TK_TRUE: case TK_FALSE:
    return true;
  default:
    return false;
  }
}

/* Whether tokens i-1 and i written together still lex as those two ('- -a' would become a comment). */
static bool may_touch(const Toks *tk, size_t i, const char *text) {
  const Token *a = &tk->t[i - 1], *b = &tk->t[i];
  char buf[256];
  if (a->span.len + b->span.len >= sizeof buf) return false;
  memcpy(buf, text + a->span.off, a->span.len);
  memcpy(buf + a->span.len, text + b->span.off, b->span.len);
  buf[a->span.len + b->span.len] = 0;
  Lexer lx;
  lex_init(&lx, buf, a->span.len + b->span.len, 0);
  Token x = lex_next(&lx), y = lex_next(&lx);
  return x.span.len == a->span.len && y.span.len == b->span.len && x.kind != TK_ILLEGAL && y.kind != TK_ILLEGAL;
}

/*
** The spaces between tokens i-1 and i on one line; `gap` the spaces the
** author wrote. Two or more are alignment, kept where rules/ aligns: after
** ':' (the types of fields, the values of 'geval' arms), before '=' (source
** declarations), and between the items of a '{ }' on one line.
*/
static size_t spacing_of(const Toks *tk, size_t i, size_t gap, bool tab, int braces) {
  int a = tk->t[i - 1].kind, b = tk->t[i].kind;
  if (tk->align && tk->align[i]) return tk->align[i];
  if (b == TK_RPAREN || b == TK_COMMA || b == TK_COLON || b == TK_DOT) return 0;
  if (a == TK_LPAREN || a == TK_DOT) return 0;
  if (b == TK_LPAREN && a == TK_IDENT) return 0;
  if (a == TK_MINUS && !(i >= 2 && ends_operand(tk->t[i - 2].kind))) return 0;   /* -a: a negation */
  if (in_fraction(tk, i)) return gap ? 1 : 0;   /* 108/100, or 70 / 100 of a product */
  if (gap >= 2 && !tab && (a == TK_COLON || b == TK_EQ || braces > 0)) return gap;
  return 1;
}

/* ---- computed alignment: field types and source declarations ---- */

static bool same_line(const char *text, const Token *a, const Token *b) {
  return !memchr(text + a->span.off, '\n', b->span.off - a->span.off);
}

/*
** One column for the values of a group of lines 'NAME: value' (fields,
** colon = 1) or 'bron NAME = ...' (colon = 0), as rules/ writes them: the
** column most of the padded lines (more than one space before the value)
** share; a longer name gets one space; no padded line: one space past the
** longest name. names[k] is the index of a name; the value (the type, or
** '=') is the token after the ':', or the next token. Columns count from the name's first byte. Formatting keeps the
** padded lines at that column, so a second fmt finds the same column.
*/
static void align_group(Toks *tk, const size_t *names, size_t n, uint32_t colon) {
  size_t v = colon + 1;   /* from a name to its value */
  uint32_t col = 0, best = 0, longest = 0;
  for (size_t k = 0; k < n; k++) {
    uint32_t fixed = tk->t[names[k]].span.len + colon;   /* the name and its ':' */
    uint32_t at = tk->t[names[k] + v].span.off - tk->t[names[k]].span.off;
    if (fixed + 1 > longest) longest = fixed + 1;
    if (at < fixed + 2) continue;   /* one space: not padded */
    uint32_t count = 0;
    for (size_t m = 0; m < n; m++) {
      uint32_t fixed2 = tk->t[names[m]].span.len + colon;
      uint32_t at2 = tk->t[names[m] + v].span.off - tk->t[names[m]].span.off;
      count += at2 == at && at2 >= fixed2 + 2;
    }
    if (count > best || (count == best && at < col)) best = count, col = at;
  }
  if (best == 0) col = longest;
  for (size_t k = 0; k < n; k++) {
    uint32_t fixed = tk->t[names[k]].span.len + colon;
    tk->align[names[k] + v] = col > fixed ? col - fixed : 1;
  }
}

/*
** Fills tk->align: the fields of 'invoer' and 'gegevens' blocks (a name,
** ':' and its type on the line the name starts) aligned per block, and the
** '=' of the one-line source declarations ('bron WIA = "..."') of the file
** as one group (rules/ aligns them across the file's paragraphs).
*/
static void compute_alignment(const char *text, Toks *tk) {
  tk->align = xcalloc(tk->n + 1, sizeof *tk->align);
  size_t *fields = xmalloc((tk->n + 1) * sizeof *fields), nfields = 0;
  int depth = 0;
  bool in_block = false;    /* inside the '{ }' of an 'invoer' or 'gegevens' declaration */
  int line_head = TK_EOF;   /* the first token of the current line */
  size_t *sources = xmalloc((tk->n + 1) * sizeof *sources), nsources = 0;
  for (size_t i = 0; i < tk->n; i++) {
    const Token *t = &tk->t[i];
    bool starts_line = i == 0 || !same_line(text, &tk->t[i - 1], t);
    if (starts_line) line_head = t->kind;
    if (starts_line && depth == 0 && t->kind == TK_SOURCE && i + 2 < tk->n && tk->t[i + 1].kind == TK_IDENT &&
        tk->t[i + 2].kind == TK_EQ && same_line(text, t, &tk->t[i + 2]))
      sources[nsources++] = i + 1;
    if (starts_line && in_block && depth == 1 && t->kind == TK_IDENT && i + 2 < tk->n &&
        tk->t[i + 1].kind == TK_COLON && same_line(text, t, &tk->t[i + 2]))
      fields[nfields++] = i;
    if (t->kind == TK_LBRACE || t->kind == TK_LPAREN) {
      if (depth++ == 0 && t->kind == TK_LBRACE) in_block = line_head == TK_INPUT || line_head == TK_RECORD;
    } else if ((t->kind == TK_RBRACE || t->kind == TK_RPAREN) && depth > 0 && --depth == 0) {
      if (in_block) align_group(tk, fields, nfields, 1);
      in_block = false;
      nfields = 0;
    }
  }
  align_group(tk, sources, nsources, 0);
  free(sources);
  free(fields);
}

typedef struct State {
  Buf out;
  bool started;      /* something is on the output */
  bool blank;        /* a blank line is owed before the next line */
  int parens, braces;
  bool in_version;
  long shift;        /* how far the last head line moved: the lines after it move as far */
  bool keep_apart;   /* take out no space the author wrote (the second try of fmt_text) */
} State;

static size_t spacing(const Toks *tk, size_t i, size_t gap, bool tab, const State *s, const char *text) {
  size_t n = spacing_of(tk, i, gap, tab, s->braces);
  if (n == 0 && (gap > 0 && s->keep_apart)) return 1;
  return n == 0 && !may_touch(tk, i, text) ? 1 : n;
}

static void new_line(State *s) {
  if (s->started) {
    put(&s->out, "\n", 1);
    if (s->blank) put(&s->out, "\n", 1);
  }
  s->blank = false;
  s->started = true;
}

/* The comment text[p..end of line) without trailing whitespace; returns where the line ends. */
static size_t put_comment(State *s, const char *text, size_t p, size_t end) {
  size_t e = p;
  while (e < end && text[e] != '\n') e++;
  size_t r = e;
  while (r > p && (text[r - 1] == ' ' || text[r - 1] == '\t' || text[r - 1] == '\r')) r--;
  put(&s->out, text + p, r - p);
  return e;
}

/* The column of a line that starts a part of a declaration, or -1 for any other line. */
static long head_indent(State *s, const Toks *tk, size_t i, const char *text) {
  if (s->parens > 0 || s->braces > 0) return -1;
  int k = tk->t[i].kind;
  if (is_declaration_start(k) || k == TK_BENEFIT) {   /* 'uitkering X per maand' (lex_all: else a name) */
    s->in_version = false;
    return 0;
  }
  if (k == TK_SOURCE && i + 2 < tk->n && tk->t[i + 2].kind == TK_EQ &&
      !memchr(text + tk->t[i].span.off, '\n', tk->t[i + 2].span.off - tk->t[i].span.off))
    return 0;   /* 'bron WIA = "..."' on one line declares a source; 'bron X' then '=' is a rule's */
  if (k == TK_VERSION) {
    s->in_version = true;
    return 2;
  }
  if (k == TK_SOURCE || k == TK_EQ || k == TK_PEILDATUM) return s->in_version ? 4 : 2;
  return -1;
}

/*
** The column a code line starting with token i goes in; `written` the
** author's. Any other line moves with the head line above it, so that
** what was aligned under an opening parenthesis stays aligned.
*/
static size_t indent_for(State *s, const Toks *tk, size_t i, const char *text, size_t written) {
  long head = head_indent(s, tk, i, text);
  if (head >= 0) {
    s->shift = head - (long)written;
    return (size_t)head;
  }
  long col = (long)written + s->shift;
  return col < 0 ? 0 : (size_t)col;
}

/*
** The text between the end of the previous token (`prev`, -1: none) and
** token i (i == n: end of file), text[p..end).
*/
static void put_gap(State *s, const Toks *tk, const char *text, size_t p, size_t end, size_t i) {
  bool same_line = s->started;   /* still on the line of the previous token */
  while (p < end) {
    /* one line of the gap: its leading blanks, then a comment, a newline or the next token */
    size_t q = p;
    bool tab = false;
    while (q < end && (text[q] == ' ' || text[q] == '\t' || text[q] == '\r')) tab |= text[q++] == '\t';
    if (q < end && text[q] == '-') {   /* a comment */
      if (same_line) put_spaces(&s->out, q > p ? q - p : 1);
      else {
        new_line(s);
        put(&s->out, text + p, q - p);   /* a comment line keeps its indentation: it aligns with the comments above */
      }
      p = put_comment(s, text, q, end);
      same_line = true;
      continue;
    }
    if (q < end && text[q] == '\n') {
      if (!same_line && s->started) s->blank = true;
      same_line = false;
      p = q + 1;
      continue;
    }
    /* q == end: the next token (or the end of the file) follows */
    if (i == tk->n) return;
    if (same_line && i > 0) {
      put_spaces(&s->out, spacing(tk, i, q - p, tab, s, text));
    } else {
      new_line(s);
      size_t written = 0;
      for (size_t c = p; c < q; c++) written += text[c] == '\t' ? 8 - written % 8 : (text[c] == ' ');
      put_spaces(&s->out, indent_for(s, tk, i, text, written));
    }
    return;
  }
  if (i < tk->n) {   /* two tokens with nothing between them */
    if (same_line && i > 0) put_spaces(&s->out, spacing(tk, i, 0, false, s, text));
    else {
      new_line(s);
      put_spaces(&s->out, indent_for(s, tk, i, text, 0));
    }
  }
}

/* Tokens and comments of a text, in order, as "kind:text\n" lines: what formatting must keep. */
static char *meaning(const char *text, uint32_t len, const Toks *tk) {
  Buf b = {0};
  size_t p = 0;
  for (size_t i = 0; i <= tk->n; i++) {
    size_t end = i < tk->n ? tk->t[i].span.off : len;
    for (size_t c = p; c < end; c++)
      if (text[c] == '-') {
        size_t e = c;
        while (e < end && text[e] != '\n') e++;
        while (e > c && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) e--;
        put(&b, "comment:", 8);
        put(&b, text + c, e - c);
        put(&b, "\n", 1);
        while (c < end && text[c] != '\n') c++;
      }
    if (i == tk->n) break;
    char k[16];
    int n = snprintf(k, sizeof k, "%d:", tk->t[i].kind);
    put(&b, k, (size_t)n);
    put(&b, text + tk->t[i].span.off, tk->t[i].span.len);
    put(&b, "\n", 1);
    p = tk->t[i].span.off + tk->t[i].span.len;
  }
  if (!b.s) put(&b, "", 0);
  return b.s;
}

/* One pass of the layout over the tokens; `keep_apart`: no space the author wrote is taken out. */
static Buf layout(const char *text, uint32_t len, const Toks *tk, bool keep_apart) {
  State s = {0};
  s.keep_apart = keep_apart;
  size_t p = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;   /* the byte order mark goes: UTF-8 needs none */
  for (size_t i = 0; i <= tk->n; i++) {
    size_t end = i < tk->n ? tk->t[i].span.off : len;
    put_gap(&s, tk, text, p, end, i);
    if (i == tk->n) break;
    const Token *t = &tk->t[i];
    put(&s.out, text + t->span.off, t->span.len);
    s.started = true;
    if (t->kind == TK_LPAREN) s.parens++;
    if (t->kind == TK_RPAREN && s.parens > 0) s.parens--;
    if (t->kind == TK_LBRACE) s.braces++;
    if (t->kind == TK_RBRACE && s.braces > 0) s.braces--;
    p = t->span.off + t->span.len;
  }
  put(&s.out, s.started ? "\n" : "", s.started ? 1 : 0);
  return s.out;
}

/* Whether out lexes to the same tokens and comments as the input (`want`: meaning of the input). */
static bool reads_the_same(const Buf *out, const char *want) {
  Toks again;
  char err[256];
  uint32_t off;
  bool ok = lex_all(out->s, (uint32_t)out->n, &again, err, sizeof err, &off);
  if (ok) {
    char *got = meaning(out->s, (uint32_t)out->n, &again);
    ok = strcmp(want, got) == 0;
    free(got);
  }
  free(again.t);
  return ok;
}

int fmt_text(const char *text, uint32_t len, char **out, size_t *outlen, char *err, size_t cap, uint32_t *erroff) {
  Toks tk;
  if (!lex_all(text, len, &tk, err, cap, erroff)) {
    free(tk.t);
    return 0;
  }
  compute_alignment(text, &tk);
  char *want = meaning(text, len, &tk);
  /* the result must hold the same tokens and comments; when taking a space out joined tokens that
     the pairwise test (may_touch) let pass ('0 . 7' -> '0.7'), once more keeping the author's spaces */
  Buf b = layout(text, len, &tk, false);
  bool ok = reads_the_same(&b, want);
  if (!ok) {
    free(b.s);
    b = layout(text, len, &tk, true);
    ok = reads_the_same(&b, want);
  }
  free(want);
  free(tk.t);
  free(tk.align);
  if (!ok) {
    snprintf(err, cap, "internal error: the formatted text would read differently; the file is left as it was");
    *erroff = 0;
    free(b.s);
    return 0;
  }
  *out = b.s;
  *outlen = b.n;
  return 1;
}
