/*
** dagloon.c: libdagloon's version, the operator's options and loading a rule set
** (tools/api/dagloon.h). The schema is in schema.c, evaluation in evaluate.c.
**
** Loading goes through the same front end and bundle loader as the command. Both read
** process-wide settings (the allowed native libraries, the --allow-path folders), so loads are
** serialised by one lock, and the allowed libraries are those of this load's options only.
*/
#include "tools/api/api_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/sandbox.h"
#include "runtime/bundle.h"
#include "runtime/mem.h"
#include "tools/version.h"

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

const char *dagloon_version(void) { return DAGLOON_VERSION; }

void dagloon_set_out_of_memory(void (*handler)(size_t bytes, void *arg), void *arg) { mem_set_out_of_memory(handler, arg); }
int dagloon_api_version(void) { return DAGLOON_API_VERSION; }

dagloon_options *dagloon_options_new(void) { return xcalloc(1, sizeof(dagloon_options)); }

void dagloon_options_explain(dagloon_options *o, int on) {
  if (o) o->no_trace = !on;
}

int dagloon_options_allow_native(dagloon_options *o, const char *spec, dagloon_error **err) {
  if (!o || !spec) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no options or no library"), -1;
  char why[600];
  if (!native_allow_add(&o->natives, spec, why, sizeof why))
    return api_fail(err, DAGLOON_ERR_LOAD, NULL, NULL, NULL, NULL, "%s", why), -1;
  return 0;
}

void dagloon_options_free(dagloon_options *o) {
  if (!o) return;
  native_allow_free(&o->natives);
  xfree(o);
}

int dagloon_allow_path(const char *dir, dagloon_error **err) {
  if (!dir) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no folder"), -1;
  char why[600];
  pthread_mutex_lock(&load_lock);
  bool ok = sandbox_allow_path(dir, why, sizeof why);
  pthread_mutex_unlock(&load_lock);
  if (!ok) return api_fail(err, DAGLOON_ERR_LOAD, NULL, NULL, NULL, NULL, "%s", why), -1;
  return 0;
}

/* The front end's verdict as an error: the unreadable file, or every diagnostic as `dagloon check` prints it. */
static void *front_failed(Front *f, dagloon_error **err) {
  if (f->load_error[0]) return api_fail(err, DAGLOON_ERR_LOAD, NULL, NULL, NULL, NULL, "%s", f->load_error);
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (m) {
    diag_render(&f->diags, m);   /* sorts them: the first error below is the first printed */
    fclose(m);
  }
  char where[600] = "";
  for (size_t i = 0; i < f->diags.n; i++) {
    const Diag *d = &f->diags.items[i];
    if (d->level != DIAG_ERROR || d->span.file >= f->src.n) continue;
    uint32_t line, col;
    src_line_col(&f->src.files[d->span.file], d->span.off, &line, &col);
    snprintf(where, sizeof where, "%s:%u:%u", f->src.files[d->span.file].name, line, col);
    break;
  }
  api_fail(err, DAGLOON_ERR_RULES, NULL, NULL, NULL, where, "%d error%s, %d warning%s\n%s", f->diags.nerrors,
           f->diags.nerrors == 1 ? "" : "s", f->diags.nwarnings, f->diags.nwarnings == 1 ? "" : "s",
           text ? text : "");
  free(text);   /* open_memstream's: libc's memory */
  return NULL;
}

/* The rule files compiled, with trace points or without; NULL with *err. */
static Chunk *compile_files(const char *const *paths, size_t n, bool trace, Front **out, dagloon_error **err) {
  Front *f = xcalloc(1, sizeof *f);
  front_init(f);
  f->trace = trace;
  Chunk *c = front_compile(f, paths, (int)n, FRONT_COMPILE);
  if (!c || f->diags.nerrors || f->load_error[0]) {
    front_failed(f, err);
    if (c) chunk_free(c);
    front_free(f);
    xfree(f);
    return NULL;
  }
  *out = f;
  return c;
}

static void *load_refused(dagloon_rules *r, dagloon_error **err, const char *fmt, const char *name) {
  dagloon_rules_free(r);
  return api_fail(err, DAGLOON_ERR_RULES, NULL, NULL, NULL, NULL, fmt, name);
}

/* A loaded rule set that has an invoer and an uitvoer, with its schema built; else freed, NULL with *err. */
static dagloon_rules *usable(dagloon_rules *r, dagloon_error **err) {
  if (r->plain->noutputs == 0) return load_refused(r, err, "%s: the rule set declares no 'uitvoer' (output columns)", r->name);
  if (r->plain->schema.input < 0) return load_refused(r, err, "%s: the rule set declares no 'invoer' (dossier fields)", r->name);
  char why[300];
  if (!api_hash_build(r, why, sizeof why)) r->hash[0] = '\0';   /* (as a receipt's "compiled" then has no sha256) */
  api_schema_build(r);
  return r;
}

dagloon_rules *dagloon_rules_load(const char *const *paths, size_t npaths, const dagloon_options *options,
                                  dagloon_error **err) {
  if (!paths || npaths == 0 || npaths > 100000 || !paths[0])
    return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no rule paths given");
  for (size_t i = 0; i < npaths; i++)
    if (!paths[i]) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "rule path %zu is NULL", i);
  static const NativeAllow none;
  dagloon_rules *r = xcalloc(1, sizeof *r);
  r->name = xstrdup(paths[0]);
  pthread_mutex_lock(&load_lock);
  const NativeAllow *before = native_allowed();
  native_set_allowed(options ? &options->natives : &none);
  BundleKind kind = npaths == 1 ? bundle_kind(paths[0]) : BUNDLE_NOT;
  if (kind != BUNDLE_NOT) {
    char why[600];
    r->plain = bundle_read_traced(paths[0], &r->traced, why, sizeof why);   /* traced: NULL without --trace */
    if (!r->plain) api_fail(err, DAGLOON_ERR_LOAD, NULL, NULL, NULL, NULL, "%s", why);
  } else {
    r->plain = compile_files(paths, npaths, false, &r->front, err);
    bool trace = !(options && options->no_trace);
    if (r->plain && trace) r->traced = compile_files(paths, npaths, true, &r->traced_front, err);
  }
  native_set_allowed(before);
  pthread_mutex_unlock(&load_lock);
  if (!r->plain || (kind == BUNDLE_NOT && !r->traced && !(options && options->no_trace))) {   /* (a bundle may come without traced code) */
    dagloon_rules_free(r);
    return NULL;
  }
  return usable(r, err);
}

dagloon_rules *dagloon_rules_load_bundle(const void *bytes, size_t len, const dagloon_options *options,
                                         dagloon_error **err) {
  if (!bytes || len == 0) return api_fail(err, DAGLOON_ERR_ARGUMENT, NULL, NULL, NULL, NULL, "no bundle given");
  static const NativeAllow none;
  dagloon_rules *r = xcalloc(1, sizeof *r);
  r->name = xstrdup("bundle");
  char why[600];
  pthread_mutex_lock(&load_lock);
  const NativeAllow *before = native_allowed();
  native_set_allowed(options ? &options->natives : &none);
  r->plain = bundle_read_mem_traced(bytes, len, r->name, &r->traced, why, sizeof why);
  native_set_allowed(before);
  pthread_mutex_unlock(&load_lock);
  if (!r->plain) {
    dagloon_rules_free(r);
    return api_fail(err, DAGLOON_ERR_LOAD, NULL, NULL, NULL, NULL, "%s", why);
  }
  return usable(r, err);
}

int dagloon_rules_can_explain(const dagloon_rules *r) { return r && r->traced; }

const char *dagloon_rules_hash(const dagloon_rules *r) { return r ? r->hash : NULL; }

dagloon_rules *api_rules_borrow(Chunk *c, bool traced, const char *name) {
  dagloon_rules *r = xcalloc(1, sizeof *r);
  r->name = xstrdup(name);
  r->plain = c;
  r->traced = traced ? c : NULL;
  r->borrowed = true;
  return r;
}

void dagloon_rules_free(dagloon_rules *r) {
  if (!r) return;
  api_schema_free(r);
  if (r->borrowed) {   /* the chunk is the caller's */
    xfree(r->name);
    xfree(r);
    return;
  }
  if (r->traced) chunk_free(r->traced);
  if (r->plain) chunk_free(r->plain);
  Front *fronts[2] = {r->front, r->traced_front};
  for (int i = 0; i < 2; i++)
    if (fronts[i]) {
      front_free(fronts[i]);
      xfree(fronts[i]);
    }
  xfree(r->name);
  xfree(r);
}
