/*
** compare_explain_ids.c: see compare_explain_ids.h.
*/
#include "tools/compare_explain_ids.h"

#include <errno.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/bundle.h"
#include "runtime/i18n.h"
#include "runtime/trace.h"
#include "runtime/vm.h"
#include "tools/cli.h"
#include "tools/compare_explain.h"

bool compare_explain_record(const Chunk *cb, const Chunk *cp, const Changes *changes, Record *rec, Arena *arena,
                            const char *id, FILE *out) {
  Trace tb, tp;
  trace_init(&tb);
  trace_init(&tp);
  Vm *vb = vm_new(cb), *vp = vm_new(cp);
  vm_set_trace(vb, &tb);
  vm_set_trace(vp, &tp);
  Value *ob = xcalloc(cb->noutputs + 1, sizeof *ob), *op = xcalloc(cp->noutputs + 1, sizeof *op);
  VmError eb, ep;
  bool okb = vm_run(vb, rec, arena, ob, &eb) == VM_OK;
  bool okp = vm_run(vp, rec, arena, op, &ep) == VM_OK;
  compare_explain_write(cb, &tb, okb ? ob : NULL, okb ? NULL : &eb, cp, &tp, okp ? op : NULL, okp ? NULL : &ep, changes,
                        id, out);
  free(ob);
  free(op);
  vm_free(vb);
  vm_free(vp);
  trace_free(&tb);
  trace_free(&tp);
  return okb && okp;
}

/* A rule set with trace points: a bundle's traced code (NULL, *failed false, when it has none), or the
   sources compiled again for explanations (their diagnostics were shown by the first compile). NULL with
   *failed true when what read fine the first time cannot be read now (a read error): never a page that
   quietly lacks its explanations. */
static Chunk *traced_chunk(Front *f, const char *path, bool *failed) {
  *failed = false;
  if (bundle_kind(path) != BUNDLE_NOT) {
    char err[600];
    Chunk *traced = NULL, *c = bundle_read_traced(path, &traced, err, sizeof err);
    if (c) chunk_free(c);
    else {
      fprintf(stderr, _("dagloon: %s: cannot be read again for the report's explanations: %s\n"), path, err);
      *failed = true;
    }
    return traced;
  }
  int st;
  f->trace = true;
  Chunk *c = load_chunk(f, path, &st);
  *failed = c == NULL;
  return c;
}

json_t *compare_explain_listed(const char *base, const char *proposal, const char *input, int in_fmt, VmLimits limits,
                               json_t *summary, const char **why, int *failed) {
  *failed = EXIT_OK;
  json_t *ids = json_array();   /* the listed ids, gains first */
  const char *lists[2] = {"largest_gains", "largest_losses"};
  for (int l = 0; l < 2; l++) {
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(summary, lists[l]), i, e) json_array_append(ids, json_object_get(e, "id"));
  }
  *why = NULL;
  if (json_array_size(ids) == 0) return ids;
  if (strcmp(input, "-") == 0) {
    json_decref(ids);
    *why = "de dossiers kwamen van standaardinvoer, die niet twee keer gelezen kan worden";
    return NULL;
  }
  Front fb, fp;
  front_init(&fb);
  front_init(&fp);
  bool bad_b = false, bad_p = false;
  Chunk *cb = traced_chunk(&fb, base, &bad_b), *cp = cb ? traced_chunk(&fp, proposal, &bad_p) : NULL;
  FILE *in = cb && cp ? open_input(input) : NULL;
  if (cb && cp && !in)
    fprintf(stderr, _("dagloon: %s: cannot be read again for the report's explanations: %s\n"), input, strerror(errno));
  RecFormat fmt;
  RecordReader *rd = NULL;
  if (in && dossier_format(in, input, in_fmt, &fmt)) {
    char *err = NULL;
    rd = reader_open(&cb->schema, in, input, fmt, &err);
    if (!rd) fprintf(stderr, _("dagloon: %s: cannot be read again for the report's explanations: %s\n"), input, err ? err : "");
    free(err);
    if (rd) apply_reader_limits(rd, limits);
  }
  if (bad_b || bad_p || (cb && cp && !rd)) *failed = EXIT_USAGE;
  json_t *texts = json_object();   /* id -> text, as found in the input */
  if (rd) {
    Arena arena;
    arena_init(&arena);
    for (size_t found = 0; found < json_array_size(ids);) {
      Record *rec = NULL;
      ReadInfo info;
      ReadStatus rs = reader_next(rd, &arena, &rec, &info);
      if (rs == READ_EOF) break;
      bool listed = false;
      for (size_t k = 0; k < json_array_size(ids) && !listed; k++)
        listed = strcmp(json_string_value(json_array_get(ids, k)), info.id) == 0;
      if (rs == READ_OK && listed && !json_object_get(texts, info.id)) {
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        if (m) compare_explain_record(cb, cp, fp.is_proposal ? &fp.changes : NULL, rec, &arena, info.id, m);
        if (!m || ferror(m) | (fclose(m) != 0)) {   /* the page must not quietly lack an explanation */
          if (errno == ENOMEM) {   /* a memory stream fails for want of memory: as every allocation (mem.h) */
            fprintf(stderr, _("dagloon: out of memory writing the explanation of '%s' for the report\n"), info.id);
            *failed = MEM_EXIT_STATUS;
          } else {
            fprintf(stderr, _("dagloon: cannot write the explanation of '%s' for the report: %s\n"), info.id, strerror(errno));
            *failed = EXIT_WRITE_ERROR;
          }
          free(text);
          break;
        }
        json_object_set_new(texts, info.id, json_stringn(text, len));
        free(text);
        found++;
      }
      arena_reset(&arena);
    }
    arena_free(&arena);
    if (!*failed && reader_read_failed(rd)) {
      fprintf(stderr, _("dagloon: %s: cannot be read again for the report's explanations\n"), input);
      *failed = EXIT_USAGE;
    }
  }
  json_t *out = NULL;
  if (!cb || !cp) *why = "een bundel zonder uitlegpunten (maak hem met 'dagloon compile --trace')";
  else if (!rd) *why = "de dossiers konden niet opnieuw gelezen worden";
  else {
    out = json_array();
    size_t k;
    json_t *id;
    json_array_foreach(ids, k, id) {
      json_t *t = json_object_get(texts, json_string_value(id));
      if (!t) continue;   /* (an input changed since the first pass: that id stays without a link) */
      json_t *e = json_object();
      json_object_set(e, "id", id);
      json_object_set(e, "text", t);
      json_array_append_new(out, e);
    }
  }
  json_decref(texts);
  json_decref(ids);
  if (rd) reader_close(rd);
  if (in && in != stdin) fclose(in);
  if (cb) chunk_free(cb);
  if (cp) chunk_free(cp);
  front_free(&fb);
  front_free(&fp);
  return out;
}
