/*
** strict.c: the files of a rule set that declares it is law (see strict.h).
*/
#include "strict.h"

#include <string.h>
#include "runtime/mem.h"

/* The length of a path's folder part ("rules/wia/x.rules" -> 9; "x.rules" -> 0). */
static size_t folder_len(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? (size_t)(slash - path) : 0;
}

static bool same_folder(const char *a, const char *b) {
  size_t n = folder_len(a);
  return n == folder_len(b) && strncmp(a, b, n) == 0;
}

uint8_t *strict_files(const AstList *decls, const SourceSet *src, uint32_t nfiles, DiagList *d) {
  uint8_t *strict = xcalloc(nfiles ? nfiles : 1, 1);
  for (uint32_t i = 0; i < decls->n; i++) {
    const AstNode *s = decls->items[i];
    if (s->kind != AST_STRICT || s->span.file >= nfiles) continue;
    for (uint32_t j = 0; j < decls->n; j++) {
      const AstNode *x = decls->items[j];
      if (x->span.file == s->span.file && x->span.off < s->span.off && x->kind != AST_MODULE &&
          x->kind != AST_STRICT) {
        Diag *dg = diag_error(d, s->span, "E098", "'strikt' belongs at the top of the file, before its declarations");
        diag_note(dg, "write it after 'taal' and 'module': it says the whole rule set is law");
        break;
      }
    }
    for (uint32_t f = 0; f < nfiles; f++)
      if (same_folder(src->files[f].name, src->files[s->span.file].name)) strict[f] = 1;
  }
  return strict;
}
