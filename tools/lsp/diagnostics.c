/*
** diagnostics.c: publishDiagnostics for every file of the known rule sets
** (diagnostics.h).
*/
#include "diagnostics.h"

#include <stdlib.h>
#include <string.h>
#include "jsonrpc.h"
#include "position.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "tools/check_report.h"

/* The URI the client knows a file by: an open document's own, else file:// of its real path. */
static char *uri_of(Workspace *ws, const char *name) {
  char *real = ws_real(name);
  for (size_t i = 0; i < ws->ndocs; i++)
    if (strcmp(ws->docs[i].real, real) == 0) {
      free(real);
      return xstrdup(ws->docs[i].uri);
    }
  char *uri = lsp_uri_from_path(real);
  free(real);
  return uri;
}

static json_t *location(Workspace *ws, const SourceSet *src, Span at) {
  if (at.file >= src->n) return NULL;
  char *uri = uri_of(ws, src->files[at.file].name);
  if (!uri) return NULL;
  json_t *loc = json_pack("{s:s,s:o}", "uri", uri, "range", lsp_range(&src->files[at.file], at.off, at.len));
  free(uri);
  return loc;
}

static int severity(DiagLevel l) { return l == DIAG_ERROR ? 1 : l == DIAG_WARNING ? 2 : 3; }

static json_t *diagnostic(Workspace *ws, const SourceSet *src, const Diag *dg) {
  char *msg = check_report_message(dg);   /* the notes without a place belong to the message */
  json_t *o = json_pack("{s:o,s:i,s:s,s:s,s:o}", "range", lsp_range(&src->files[dg->span.file], dg->span.off, dg->span.len),
                        "severity", severity(dg->level), "code", dg->code ? dg->code : "E000", "source", "dagloon",
                        "message", check_report_text(msg));
  free(msg);
  json_t *related = json_array();
  for (size_t i = 0; i < dg->nnotes; i++) {
    json_t *loc = dg->notev[i].has_at ? location(ws, src, dg->notev[i].at) : NULL;
    if (loc)
      json_array_append_new(related, json_pack("{s:o,s:o}", "location", loc, "message", check_report_text(dg->notev[i].text)));
  }
  if (json_array_size(related)) json_object_set_new(o, "relatedInformation", related);
  else json_decref(related);
  return o;
}

json_t *diagnostics_of_file(Workspace *ws, const Analysis *a, uint32_t file) {
  json_t *out = json_array();
  const DiagList *d = &a->front.diags;
  for (size_t i = 0; i < d->n; i++)
    if (d->items[i].span.file == file && file < a->front.src.n)
      json_array_append_new(out, diagnostic(ws, &a->front.src, &d->items[i]));
  return out;
}

/* Append to the list of `uri` in `by_uri` unless an equal diagnostic is there (two sets reading one CSV). */
static void add(json_t *by_uri, const char *uri, json_t *dg) {
  json_t *list = json_object_get(by_uri, uri);
  if (!list) {
    list = json_array();
    json_object_set_new(by_uri, uri, list);
  }
  size_t i;
  json_t *have;
  json_array_foreach(list, i, have) if (json_equal(have, dg)) {
    json_decref(dg);
    return;
  }
  json_array_append_new(list, dg);
}

/*
** The messages counted past the cap: one diagnostic per code at the last
** one kept (the first file when none was), "and N more like this".
*/
static void add_capped(Workspace *ws, const Analysis *a, json_t *by_uri) {
  const DiagList *d = &a->front.diags;
  if (a->front.src.n == 0) return;
  for (int warn = 0; warn < 2; warn++)
    for (int num = 0; num < 1000; num++) {
      if (!d->more[warn][num]) continue;
      char code[8];
      snprintf(code, sizeof code, "%c%03d", warn ? 'W' : 'E', num);
      Span at = {0, 0, 0};
      for (size_t i = 0; i < d->n; i++)
        if (d->items[i].code && strcmp(d->items[i].code, code) == 0) at = d->items[i].span;
      if (at.file >= a->front.src.n) at = (Span){0, 0, 0};
      char msg[200];
      snprintf(msg, sizeof msg, _("and %u more like this, not shown"), d->more[warn][num]);
      const SourceFile *f = &a->front.src.files[at.file];
      char *uri = uri_of(ws, f->name);
      if (!uri) continue;
      add(by_uri, uri, json_pack("{s:o,s:i,s:s,s:s,s:s}", "range", lsp_range(f, at.off, at.len), "severity", 3, "code",
                                 code, "source", "dagloon", "message", msg));
      free(uri);
    }
}

json_t *diagnostics_collect(Workspace *ws) {
  json_t *by_uri = json_object();
  for (size_t s = 0; s < ws->nsets; s++) {
    const Analysis *a = ws->sets[s]->newest;
    if (!a) continue;
    char **uris = xcalloc(a->front.src.n + 1, sizeof *uris);
    for (uint32_t f = 0; f < a->front.src.n; f++) {
      uris[f] = uri_of(ws, a->front.src.files[f].name);
      if (uris[f] && !json_object_get(by_uri, uris[f])) json_object_set_new(by_uri, uris[f], json_array());
    }
    const DiagList *d = &a->front.diags;
    for (size_t i = 0; i < d->n; i++) {
      uint32_t f = d->items[i].span.file;
      if (f < a->front.src.n && uris[f]) add(by_uri, uris[f], diagnostic(ws, &a->front.src, &d->items[i]));
    }
    add_capped(ws, a, by_uri);
    for (uint32_t f = 0; f < a->front.src.n; f++) free(uris[f]);
    free(uris);
  }
  return by_uri;
}

static bool send(Workspace *ws, int fd, const char *uri, json_t *list) {
  json_t *params = json_pack("{s:s,s:O}", "uri", uri, "diagnostics", list);
  Document *d = ws_find(ws, uri);
  if (d) json_object_set_new(params, "version", json_integer(d->version));
  json_t *msg = rpc_notification("textDocument/publishDiagnostics", params);
  bool ok = rpc_write(fd, msg);
  json_decref(msg);
  return ok;
}

bool diagnostics_publish(Workspace *ws, json_t **last, int fd) {
  json_t *now = diagnostics_collect(ws);
  bool ok = true;
  const char *uri;
  json_t *list;
  json_object_foreach(now, uri, list) {
    json_t *before = *last ? json_object_get(*last, uri) : NULL;
    bool same = before ? json_equal(before, list) : json_array_size(list) == 0 && !ws_find(ws, uri);
    if (ok && !same) ok = send(ws, fd, uri, list);   /* an open file hears once that it is clean */
  }
  if (*last) {
    json_object_foreach(*last, uri, list) {
      if (ok && !json_object_get(now, uri) && json_array_size(list) > 0) {
        json_t *empty = json_array();
        ok = send(ws, fd, uri, empty);
        json_decref(empty);
      }
      /* a file no set reads any more and that had none: nothing to say */
    }
  }
  json_decref(*last);
  *last = now;
  return ok;
}
