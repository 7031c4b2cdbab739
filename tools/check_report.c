/*
** check_report.c: 'dagloon check --format json|sarif' (see check_report.h).
** One builder of places (file, 1-based start and end) serves both formats,
** so the JSON, the SARIF and the text form cannot disagree on a position.
*/
#include "tools/check_report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/strutil.h"
#include "tools/version.h"
#include "runtime/i18n.h"

struct CheckReport {
  CheckFormat fmt;
  json_t *sets;      /* json: one object per rule set */
  json_t *results;   /* sarif: every result of every rule set */
  json_t *codes;     /* sarif: the codes seen, in order (the run's rules) */
  json_t *notices;   /* sarif: files that could not be read */
  json_t *more;      /* sarif: per code, messages counted past the cap */
};

bool check_format_parse(const char *s, CheckFormat *fmt) {
  if (strcmp(s, "text") == 0) *fmt = CHECK_TEXT;
  else if (strcmp(s, "json") == 0) *fmt = CHECK_JSON;
  else if (strcmp(s, "sarif") == 0) *fmt = CHECK_SARIF;
  else return false;
  return true;
}

CheckReport *check_report_new(CheckFormat fmt) {
  CheckReport *r = xcalloc(1, sizeof *r);
  r->fmt = fmt;
  r->sets = json_array();
  r->results = json_array();
  r->codes = json_array();
  r->notices = json_array();
  r->more = json_object();
  return r;
}

/*
** A JSON string of text from outside (a path, a message quoting a file): a
** byte that is not well-formed UTF-8 becomes U+FFFD, since jansson refuses
** such a string and the diagnostic would silently go missing.
*/
static json_t *text(const char *s) {
  size_t n = strlen(s);
  char *out = xmalloc(n * 3 + 1), *w = out;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (c >= 0x80 && (k > n - i || !utf8_valid(s + i, k))) {
      memcpy(w, "\xEF\xBF\xBD", 3);
      w += 3;
      i++;
    } else {
      memcpy(w, s + i, k);
      w += k;
      i += k;
    }
  }
  json_t *j = json_stringn(out, (size_t)(w - out));
  free(out);
  return j;
}

json_t *check_report_text(const char *s) { return text(s); }

char *check_report_message(const Diag *dg) {
  /* notes without a place are part of what the reader must see: they follow the message, as in the text form */
  const char *note = _("note");   /* the label of lang/diag.c's text form */
  size_t len = strlen(dg->msg) + 1;
  for (size_t i = 0; i < dg->nnotes; i++)
    if (!dg->notev[i].has_at) len += strlen(dg->notev[i].text) + strlen(note) + 4;
  char *msg = xmalloc(len), *w = msg;
  w += sprintf(w, "%s", dg->msg);
  for (size_t i = 0; i < dg->nnotes; i++)
    if (!dg->notev[i].has_at) w += sprintf(w, "\n%s: %s", note, dg->notev[i].text);
  return msg;
}

typedef struct Place {
  const char *file;
  uint32_t line, col, end_line, end_col;
} Place;

static bool place_of(const SourceSet *src, Span sp, Place *p) {
  if (sp.file >= src->n) return false;
  const SourceFile *f = &src->files[sp.file];
  uint32_t end = sp.off + sp.len > f->len ? f->len : sp.off + sp.len;
  p->file = f->name;
  src_line_col(f, sp.off, &p->line, &p->col);
  src_line_col(f, end, &p->end_line, &p->end_col);
  return true;
}

static const char *severity(DiagLevel l) {
  return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

/* ---- json: LSP's Diagnostic with 1-based positions and the file in the range ---- */

static json_t *json_pos(uint32_t line, uint32_t col) { return json_pack("{s:I,s:I}", "line", (json_int_t)line, "column", (json_int_t)col); }

static json_t *json_range(const Place *p) {
  return json_pack("{s:o,s:o,s:o}", "file", text(p->file), "start", json_pos(p->line, p->col), "end",
                   json_pos(p->end_line, p->end_col));
}

/* A fix's title, on one line: "replace with 'x'", or "insert 'x'" without the inserted line's own break. */
static void fix_title(const DiagFix *fx, char *buf, size_t cap) {
  snprintf(buf, cap, fx->span.len ? _("replace with '%s'") : _("insert '%s'"), fx->text + strspn(fx->text, "\n "));
}

static json_t *json_diag(const SourceSet *src, const Diag *dg) {
  json_t *o = json_pack("{s:s,s:s,s:o}", "code", dg->code ? dg->code : "", "severity", severity(dg->level), "message",
                        text(dg->msg));
  Place p;
  if (place_of(src, dg->span, &p)) json_object_set_new(o, "range", json_range(&p));
  json_t *notes = json_array();
  for (size_t i = 0; i < dg->nnotes; i++) {
    json_t *n = json_pack("{s:o}", "message", text(dg->notev[i].text));
    Place q;
    if (dg->notev[i].has_at && place_of(src, dg->notev[i].at, &q)) json_object_set_new(n, "range", json_range(&q));
    json_array_append_new(notes, n);
  }
  json_object_set_new(o, "notes", notes);
  json_t *fixes = json_array();
  for (size_t i = 0; i < dg->nfixes; i++) {
    Place q;
    if (!place_of(src, dg->fixes[i].span, &q)) continue;
    char title[300];
    fix_title(&dg->fixes[i], title, sizeof title);
    json_array_append_new(fixes, json_pack("{s:o,s:[{s:o,s:o}]}", "title", text(title), "edits", "range", json_range(&q),
                                           "new_text", text(dg->fixes[i].text)));
  }
  json_object_set_new(o, "fixes", fixes);
  return o;
}

/* The messages counted past the cap, per code (the text form's "E010: and 990 more like this"). */
static void add_more(const DiagList *d, json_t *into) {
  for (int w = 0; w < 2; w++)
    for (int num = 0; num < 1000; num++) {
      if (!d->more[w][num]) continue;
      char code[8];
      snprintf(code, sizeof code, "%c%03d", w ? 'W' : 'E', num);
      json_t *had = json_object_get(into, code);
      json_object_set_new(into, code, json_integer((had ? json_integer_value(had) : 0) + d->more[w][num]));
    }
}

/* ---- sarif ---- */

/* A relative path as a URI reference: bytes other than unreserved ones and '/' percent-encoded. */
static char *path_uri(const char *path) {
  size_t n = strlen(path);
  char *u = xmalloc(n * 3 + 8), *w = u;
  if (path[0] == '/') w += sprintf(w, "file://");
  for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || strchr("-._~/", *s))
      *w++ = (char)*s;
    else w += sprintf(w, "%%%02X", *s);
  }
  *w = 0;
  return u;
}

static json_t *sarif_region(const Place *p) {
  return json_pack("{s:I,s:I,s:I,s:I}", "startLine", (json_int_t)p->line, "startColumn", (json_int_t)p->col, "endLine",
                   (json_int_t)p->end_line, "endColumn", (json_int_t)p->end_col);
}

static json_t *sarif_physical(const Place *p) {
  char *uri = path_uri(p->file);
  json_t *o = json_pack("{s:{s:s},s:o}", "artifactLocation", "uri", uri, "region", sarif_region(p));   /* ASCII */
  free(uri);
  return o;
}

static void sarif_code(CheckReport *r, const char *code) {
  size_t i;
  json_t *v;
  json_array_foreach(r->codes, i, v) if (strcmp(json_string_value(v), code) == 0) return;
  json_array_append_new(r->codes, json_string(code));
}

static json_t *sarif_result(CheckReport *r, const SourceSet *src, const Diag *dg) {
  char *msg = check_report_message(dg);
  const char *code = dg->code ? dg->code : "E000";
  sarif_code(r, code);
  json_t *o = json_pack("{s:s,s:s,s:{s:o}}", "ruleId", code, "level", severity(dg->level), "message", "text", text(msg));
  free(msg);
  Place p;
  if (place_of(src, dg->span, &p)) json_object_set_new(o, "locations", json_pack("[{s:o}]", "physicalLocation", sarif_physical(&p)));
  json_t *related = json_array();
  for (size_t i = 0; i < dg->nnotes; i++) {
    Place q;
    if (!dg->notev[i].has_at || !place_of(src, dg->notev[i].at, &q)) continue;
    json_array_append_new(related, json_pack("{s:I,s:o,s:{s:o}}", "id", (json_int_t)json_array_size(related),
                                             "physicalLocation", sarif_physical(&q), "message", "text",
                                             text(dg->notev[i].text)));
  }
  if (json_array_size(related)) json_object_set_new(o, "relatedLocations", related);
  else json_decref(related);
  json_t *fixes = json_array();
  for (size_t i = 0; i < dg->nfixes; i++) {
    Place q;
    if (!place_of(src, dg->fixes[i].span, &q)) continue;
    char title[300];
    fix_title(&dg->fixes[i], title, sizeof title);
    char *uri = path_uri(q.file);
    json_array_append_new(fixes, json_pack("{s:{s:o},s:[{s:{s:s},s:[{s:o,s:{s:o}}]}]}", "description", "text", text(title),
                                           "artifactChanges", "artifactLocation", "uri", uri, "replacements",
                                           "deletedRegion", sarif_region(&q), "insertedContent", "text",
                                           text(dg->fixes[i].text)));
    free(uri);
  }
  if (json_array_size(fixes)) json_object_set_new(o, "fixes", fixes);
  else json_decref(fixes);
  return o;
}

void check_report_add(CheckReport *r, const char *path, Front *f) {
  DiagList *d = &f->diags;
  diag_sort(d);
  if (r->fmt == CHECK_SARIF) {
    for (size_t i = 0; i < d->n; i++) json_array_append_new(r->results, sarif_result(r, &f->src, &d->items[i]));
    if (f->load_error[0])
      json_array_append_new(r->notices, json_pack("{s:s,s:{s:o}}", "level", "error", "message", "text", text(f->load_error)));
    add_more(d, r->more);
    return;
  }
  json_t *files = json_array();
  for (uint32_t i = 0; i < f->src.n; i++) json_array_append_new(files, text(f->src.files[i].name));
  json_t *diags = json_array();
  for (size_t i = 0; i < d->n; i++) json_array_append_new(diags, json_diag(&f->src, &d->items[i]));
  json_t *more = json_object();
  add_more(d, more);
  json_t *set = json_pack("{s:o,s:o,s:I,s:I,s:o,s:o}", "path", text(path), "files", files, "errors", (json_int_t)d->nerrors,
                          "warnings", (json_int_t)d->nwarnings, "diagnostics", diags, "more", more);
  if (f->load_error[0]) json_object_set_new(set, "load_error", text(f->load_error));
  json_array_append_new(r->sets, set);
}

static json_t *sarif_log(CheckReport *r) {
  json_t *rules = json_array();
  size_t i;
  json_t *v;
  json_array_foreach(r->codes, i, v) json_array_append_new(rules, json_pack("{s:O}", "id", v));
  json_t *invocation = json_pack("{s:b}", "executionSuccessful", json_array_size(r->notices) == 0);
  if (json_array_size(r->notices)) json_object_set(invocation, "toolExecutionNotifications", r->notices);
  json_t *run = json_pack("{s:{s:{s:s,s:s,s:o}},s:s,s:[o],s:O}", "tool", "driver", "name", "dagloon", "version",
                          DAGLOON_VERSION, "rules", rules, "columnKind", "unicodeCodePoints", "invocations", invocation,
                          "results", r->results);
  if (json_object_size(r->more)) json_object_set_new(run, "properties", json_pack("{s:O}", "more", r->more));
  return json_pack("{s:s,s:s,s:[o]}", "$schema", "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                   "runs", run);
}

bool check_report_finish(CheckReport *r, FILE *out) {
  json_t *doc = r->fmt == CHECK_SARIF ? sarif_log(r) : json_pack("{s:s,s:i,s:O}", "format", "dagloon-check", "version", 1,
                                                                     "rule_sets", r->sets);
  bool ok = doc && json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', out) != EOF;
  json_decref(doc);
  json_decref(r->sets);
  json_decref(r->results);
  json_decref(r->codes);
  json_decref(r->notices);
  json_decref(r->more);
  free(r);
  return ok;
}
