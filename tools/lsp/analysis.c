/*
** analysis.c: a rule set compiled for the language server (analysis.h).
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "analysis.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "xref.h"

bool analysis_build(Analysis *a, const char *root) { return analysis_build_with(a, root, NULL); }

bool analysis_build_with(Analysis *a, const char *root, const SourceOverlay *overlay) {
  memset(a, 0, sizeof *a);
  front_init(&a->front);
  a->front.src.overlay = overlay;
  a->front.keep_program = true;
  a->root = xstrdup(root);
  const char *paths[] = {root};
  front_compile(&a->front, paths, 1, FRONT_CHECK);
  a->xref = xmalloc(sizeof *a->xref);
  xref_build(a->xref, a->front.prog);
  return a->front.load_error[0] == 0;
}

void analysis_free(Analysis *a) {
  if (a->xref) xref_free(a->xref);
  free(a->xref);
  front_free(&a->front);
  free(a->root);
  memset(a, 0, sizeof *a);
}

int analysis_file(const Analysis *a, const char *path) {
  char want[PATH_MAX];
  if (!realpath(path, want)) snprintf(want, sizeof want, "%s", path);
  for (uint32_t i = 0; i < a->front.src.n; i++) {
    char have[PATH_MAX];
    const char *name = a->front.src.files[i].name;
    if (strcmp(realpath(name, have) ? have : name, want) == 0) return (int)i;
  }
  return -1;
}
