/*
** actions.c: code actions (features.h feat_code_actions): one quick fix per
** fix a diagnostic carries (DiagFix, diag.h: "did you mean", the rounding
** of E016, the month-end behaviours of E060, a 'bron' placeholder for E097
** and W001), each a WorkspaceEdit with its diagnostic attached.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "feature_util.h"
#include "features.h"
#include "position.h"
#include "runtime/i18n.h"
#include "tools/check_report.h"

/*
** The diagnostic as the client got it (range, severity, code, source, and the
** message with its notes as diagnostics.c publishes it), to attach to its actions.
*/
static json_t *diag_json(const Analysis *a, const Diag *d) {
  const SourceFile *f = &a->front.src.files[d->span.file];
  int sev = d->level == DIAG_ERROR ? 1 : d->level == DIAG_WARNING ? 2 : 3;
  char *msg = check_report_message(d);
  json_t *o = json_pack("{s:o,s:i,s:s,s:s,s:o}", "range", lsp_range(f, d->span.off, d->span.len), "severity", sev,
                        "code", d->code ? d->code : "E000", "source", "dagloon", "message", check_report_text(msg));
  free(msg);
  return o;
}

/* The last word of a fix ('..., maandeinde: afkappen)' -> afkappen): the behaviour it chooses. */
static void last_word(const char *t, char *out, size_t cap) {
  size_t n = strlen(t);
  while (n > 0 && (t[n - 1] == ')' || t[n - 1] == ' ')) n--;
  size_t s = n;
  while (s > 0 && t[s - 1] != ' ' && t[s - 1] != ':') s--;
  snprintf(out, cap, "%.*s", (int)(n - s), t + s);
}

static void title_of(const Diag *d, const DiagFix *fx, char *out, size_t cap) {
  char w[64];
  if (strcmp(d->code, "E016") == 0) snprintf(out, cap, _("Round it: %s"), fx->text);
  else if (strcmp(d->code, "E060") == 0) {
    last_word(fx->text, w, sizeof w);
    snprintf(out, cap, _("At the end of the month: %s"), w);
  } else if (strcmp(d->code, "E097") == 0 || strcmp(d->code, "W001") == 0) snprintf(out, cap, "%s", _("Add a 'bron' placeholder"));
  else snprintf(out, cap, _("Change to '%s'"), fx->text);
}

json_t *feat_code_actions(const Analysis *a, uint32_t file, uint32_t off, uint32_t len) {
  json_t *out = json_array();
  if (!a) return out;
  const DiagList *dl = &a->front.diags;
  uint64_t end = (uint64_t)off + len;
  for (size_t i = 0; i < dl->n; i++) {
    const Diag *d = &dl->items[i];
    if (d->dropped || d->nfixes == 0 || d->span.file != file || d->span.file >= a->front.src.n) continue;
    if ((uint64_t)d->span.off > end || (uint64_t)d->span.off + d->span.len < off) continue;
    for (size_t k = 0; k < d->nfixes; k++) {
      const DiagFix *fx = &d->fixes[k];
      if (fx->span.file >= a->front.src.n || !fx->text) continue;
      const SourceFile *ff = &a->front.src.files[fx->span.file];
      char *uri = lsp_uri_from_path(ff->name);
      if (!uri) continue;
      char title[512];
      title_of(d, fx, title, sizeof title);
      json_t *edit = json_pack("{s:{s:[{s:o,s:s}]}}", "changes", uri, "range", lsp_range(ff, fx->span.off, fx->span.len), "newText",
                               fx->text);
      json_t *act = edit ? json_pack("{s:s,s:s,s:[o],s:o,s:b}", "title", title, "kind", "quickfix", "diagnostics", diag_json(a, d),
                                     "edit", edit, "isPreferred", d->nfixes == 1)
                         : NULL;
      if (act) json_array_append_new(out, act);
      free(uri);
    }
  }
  return out;
}
