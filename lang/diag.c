/*
** diag.c: collecting and rendering diagnostics (see diag.h). Columns are
** counted in characters, so a caret lines up under UTF-8 text; tabs in the
** excerpt are copied into the caret line for the same reason.
*/
#include "diag.h"

#include <stdlib.h>
#include <string.h>
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "runtime/strutil.h"

void diag_init(DiagList *d, const SourceSet *src) {
  memset(d, 0, sizeof *d);
  d->src = src;
  d->dropped.dropped = true;
}

/* The counters of a code "E012" / "W001": NULL for a code of another shape (never capped). */
static uint32_t *code_slot(uint32_t table[2][1000], const char *code) {
  if (!code || (code[0] != 'E' && code[0] != 'W')) return NULL;
  unsigned num = 0;
  int i = 1;
  for (; i < 4 && code[i] >= '0' && code[i] <= '9'; i++) num = num * 10 + (unsigned)(code[i] - '0');
  if (i != 4 || code[4]) return NULL;
  return &table[code[0] == 'W'][num];
}

void diag_free(DiagList *d) {
  for (size_t i = 0; i < d->n; i++) {
    xfree(d->items[i].msg);
    xfree(d->items[i].notes);
    for (size_t k = 0; k < d->items[i].nnotes; k++) xfree(d->items[i].notev[k].text);
    xfree(d->items[i].notev);
    for (size_t k = 0; k < d->items[i].nfixes; k++) xfree(d->items[i].fixes[k].text);
    xfree(d->items[i].fixes);
  }
  xfree(d->items);
  d->items = NULL;
  d->n = d->cap = 0;
  memset(d->kept, 0, sizeof d->kept);
  memset(d->more, 0, sizeof d->more);
}

Diag *diag_report(DiagList *d, DiagLevel lvl, Span span, const char *code, const char *fmt, ...) {
  if (lvl == DIAG_ERROR) d->nerrors++;
  else if (lvl == DIAG_WARNING) d->nwarnings++;
  uint32_t *kept = code_slot(d->kept, code);
  if (kept && (*kept >= DIAG_MAX_PER_CODE || d->n >= DIAG_MAX_SHOWN)) {
    (*code_slot(d->more, code))++;
    d->dropped = (Diag){.level = lvl, .span = span, .code = code, .dropped = true};
    return &d->dropped;
  }
  if (kept) (*kept)++;
  Diag dg = {.level = lvl, .span = span, .code = code, .seq = (uint32_t)d->n};
  va_list ap;
  va_start(ap, fmt);
  dg.msg = xvasprintf(_(fmt), ap);   /* xgettext knows diag_error, diag_warn, diag_report as keywords (Makefile) */
  va_end(ap);
  VEC_PUSH(d->items, d->n, d->cap, dg);
  return &d->items[d->n - 1];
}

static void add_note(Diag *dg, char *line, const Span *at) {
  size_t old = dg->notes ? strlen(dg->notes) : 0;
  size_t add = strlen(line);
  const char *label = _("note");
  size_t ln = strlen(label);
  dg->notes = xrealloc(dg->notes, old + ln + add + 8);
  memcpy(dg->notes + old, label, ln);
  memcpy(dg->notes + old + ln, ": ", 2);
  memcpy(dg->notes + old + ln + 2, line, add);
  dg->notes[old + ln + 2 + add] = '\n';
  dg->notes[old + ln + 3 + add] = 0;
  DiagNote n = {line, at ? *at : (Span){0}, at != NULL};
  VEC_PUSH(dg->notev, dg->nnotes, dg->capnotes, n);
}

void diag_note(Diag *dg, const char *fmt, ...) {
  if (dg->dropped) return;
  va_list ap;
  va_start(ap, fmt);
  char *line = xvasprintf(_(fmt), ap);
  va_end(ap);
  add_note(dg, line, NULL);
}

void diag_note_at(Diag *dg, Span at, const char *fmt, ...) {
  if (dg->dropped) return;
  va_list ap;
  va_start(ap, fmt);
  char *line = xvasprintf(_(fmt), ap);
  va_end(ap);
  add_note(dg, line, &at);
}

void diag_fix(Diag *dg, Span span, const char *text) {
  if (dg->dropped) return;
  DiagFix fx = {span, xstrdup(text)};
  VEC_PUSH(dg->fixes, dg->nfixes, dg->capfixes, fx);
}

void diag_suggest(const DiagList *d, Diag *dg, const char *name, size_t len, const char *best) {
  if (dg->dropped || !best) return;
  diag_note(dg, "did you mean '%s'?", best);
  const SourceSet *src = d->src;
  if (!src || dg->span.file >= src->n || dg->span.len != len) return;
  const SourceFile *f = &src->files[dg->span.file];
  if (dg->span.off + len <= f->len && memcmp(f->text + dg->span.off, name, len) == 0) diag_fix(dg, dg->span, best);
}

static int cmp_diag(const void *pa, const void *pb) {
  const Diag *a = pa, *b = pb;
  if (a->span.file != b->span.file) return a->span.file < b->span.file ? -1 : 1;
  if (a->span.off != b->span.off) return a->span.off < b->span.off ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const char *level_name(DiagLevel l) {
  return l == DIAG_ERROR ? _("error") : l == DIAG_WARNING ? _("warning") : _("note");
}

void diag_sort(DiagList *d) {
  if (d->n > 1) qsort(d->items, d->n, sizeof *d->items, cmp_diag);
}

void diag_render(DiagList *d, FILE *out) {
  diag_sort(d);
  for (size_t i = 0; i < d->n; i++) {
    Diag *dg = &d->items[i];
    diag_render_one(d->src, level_name(dg->level), dg->span, dg->msg, dg->code, dg->notes, out);
  }
  for (int w = 0; w < 2; w++)
    for (int num = 0; num < 1000; num++)
      if (d->more[w][num]) fprintf(out, _("%c%03d: and %u more like this\n"), w ? 'W' : 'E', num, d->more[w][num]);
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

enum { EXCERPT_MAX = 200, EXCERPT_BEFORE = 60 };   /* bytes of a long line shown, and before the span */
/*
** The excerpt of a source line: each byte that is not text (a control byte
** other than a tab, a byte that is not part of well-formed UTF-8) as '?', one
** column like the character it stands for, so that the terminal gets text and
** the caret still lines up.
*/
static void put_excerpt(const char *s, uint32_t n, FILE *out) {
  for (uint32_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    uint32_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c < 0x80 ? (c < 0x20 && c != '\t') || c == 0x7F : k > n - i || !utf8_valid(s + i, k)) {
      fputc('?', out);
      i++;
    } else {
      fwrite(s + i, 1, k, out);
      i += k;
    }
  }
}

void diag_render_one(const SourceSet *src, const char *level, Span span, const char *msg,
                     const char *code, const char *notes, FILE *out) {
  if (!src || span.file >= src->n) {
    fprintf(out, "%s: %s%s%s%s\n", level, msg, code ? " [" : "", code ? code : "", code ? "]" : "");
    if (notes) fputs(notes, out);
    return;
  }
  const SourceFile *f = &src->files[span.file];
  uint32_t line, col;
  src_line_col(f, span.off, &line, &col);
  fprintf(out, "%s:%u:%u: %s: %s%s%s%s\n", f->name, line, col, level, msg, code ? " [" : "",
          code ? code : "", code ? "]" : "");
  uint32_t ls, ll;
  src_line_extent(f, span.off, &ls, &ll);
  if (ls == 0 && ll >= 3 && memcmp(f->text, "\xEF\xBB\xBF", 3) == 0) {   /* no byte order mark in the excerpt */
    ls = 3;
    ll -= 3;
  }
  char gutter[16];
  int gw = snprintf(gutter, sizeof gutter, "%u", line);
  if (gw < 4) gw = 4;
  /*
  ** A long line (a table file that is not CSV, a file without newlines) is
  ** shown only around the span, and control bytes as '?': an excerpt never
  ** floods the screen with a file's contents nor drives the terminal.
  */
  uint32_t off = span.off > ls + ll ? ls + ll : span.off < ls ? ls : span.off;
  uint32_t ws = ls, we = ls + ll;
  if (ll > EXCERPT_MAX) {
    if (off > ls + EXCERPT_BEFORE) ws = off - EXCERPT_BEFORE;
    if (we > ws + EXCERPT_MAX) we = ws + EXCERPT_MAX;
    while (ws > ls && is_cont((unsigned char)f->text[ws])) ws--;
    while (we < ls + ll && is_cont((unsigned char)f->text[we])) we++;
  }
  fprintf(out, " %*u | %s", gw, line, ws > ls ? "..." : "");
  put_excerpt(f->text + ws, we - ws, out);
  fprintf(out, "%s\n", we < ls + ll ? "..." : "");
  fprintf(out, " %*s | %s", gw, "", ws > ls ? "   " : "");
  ls = ws;
  ll = we - ws;
  /* Spaces (or the same tabs) up to the span, then ^ and ~ under it, one per character. */
  for (uint32_t i = ls; i < off; i++) {
    unsigned char c = (unsigned char)f->text[i];
    if (is_cont(c)) continue;
    fputc(c == '\t' ? '\t' : ' ', out);
  }
  uint32_t end = span.off + span.len;
  if (end > we) end = we;   /* underline only the first line of a multi-line span, and only in the window */
  int first = 1;
  for (uint32_t i = off; i < end; i++) {
    if (is_cont((unsigned char)f->text[i])) continue;
    fputc(first ? '^' : '~', out);
    first = 0;
  }
  if (first) fputc('^', out);
  fputc('\n', out);
  if (notes) fputs(notes, out);
}
