/*
** test_allocator.c: dagloon_set_allocator -- every block the library allocates comes from the
** host's allocator and goes back to it (a database server accounts the engine's memory in its
** own memory context: issue 19). A checking allocator puts a magic word and the size before each
** block: a block of the hook freed with free() crashes libc (or AddressSanitizer reports it), and
** a block of libc's released through the hook fails the magic check and aborts -- either way the
** test fails. Everything the API does is done under it, then freed: no byte may stay live.
*/
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

#define LIVE_MAGIC 0x4441474c4f4f4e21ull   /* "DAGLOON!" */
#define DEAD_MAGIC 0x6465616462656566ull

/* 16 bytes, so the block after it keeps malloc's alignment (the API asks for any type's) */
typedef struct Head {
  _Alignas(16) uint64_t magic;
  uint64_t size;
} Head;

static int token;                        /* the `arg` the hooks must be called with */
static atomic_size_t live_bytes, live_blocks, allocs, releases;

static Head *head_of(void *p, const char *who) {
  Head *h = (Head *)p - 1;
  if (h->magic != LIVE_MAGIC) {   /* not ours, or ours twice: the library mixed up its allocators */
    fprintf(stderr, "test_allocator: %s of %p, a block the hook did not hand out (magic %llx)\n", who, p,
            (unsigned long long)h->magic);
    abort();
  }
  return h;
}

static void check_arg(void *arg) {
  if (arg != &token) {
    fprintf(stderr, "test_allocator: a hook called with another arg\n");
    abort();
  }
}

static void *check_alloc(size_t n, void *arg) {
  check_arg(arg);
  Head *h = malloc(sizeof *h + n);
  if (!h) return NULL;
  h->magic = LIVE_MAGIC;
  h->size = n;
  atomic_fetch_add(&live_bytes, n);
  atomic_fetch_add(&live_blocks, 1);
  atomic_fetch_add(&allocs, 1);
  return h + 1;
}

static void *check_resize(void *p, size_t n, void *arg) {
  check_arg(arg);
  Head *h = head_of(p, "resize");
  size_t old = h->size;
  Head *q = realloc(h, sizeof *q + n);
  if (!q) return NULL;
  q->size = n;
  atomic_fetch_add(&live_bytes, n);
  atomic_fetch_sub(&live_bytes, old);
  return q + 1;
}

static void check_release(void *p, void *arg) {
  check_arg(arg);
  Head *h = head_of(p, "release");
  atomic_fetch_sub(&live_bytes, h->size);
  atomic_fetch_sub(&live_blocks, 1);
  atomic_fetch_add(&releases, 1);
  h->magic = DEAD_MAGIC;
  free(h);
}

static void install(void) {
  cr_assert_eq(dagloon_set_allocator(check_alloc, check_resize, check_release, &token), 0);
  /* once anything is allocated it stays: a second allocator is refused */
  cr_assert_eq(dagloon_set_allocator(check_alloc, check_resize, check_release, &token), -1);
}

static void drop(dagloon_error **err) {
  dagloon_error_free(*err);
  *err = NULL;
}

/* Rule files that fail to compile, a damaged bundle, a missing folder: errors, each freed. */
static void load_failures(void) {
  dagloon_error *err = NULL;
  const char *bad[] = {"tests/api/data/fout.rules"};
  cr_assert_null(dagloon_rules_load(bad, 1, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_RULES);
  drop(&err);
  const char *missing[] = {"rules/no-such-folder"};
  cr_assert_null(dagloon_rules_load(missing, 1, NULL, &err));
  drop(&err);
  size_t len;
  char *bytes = read_all(data_path("damaged.bundle"), &len);
  cr_assert_null(dagloon_rules_load_bundle(bytes, len, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
  drop(&err);
  free(bytes);
  dagloon_options *o = dagloon_options_new();
  cr_assert_eq(dagloon_options_allow_native(o, "/no/such/lib.so", &err), -1);   /* realpath's path */
  drop(&err);
  dagloon_options_free(o);
}

/* Every dossier of wia.in.jsonl: the rows the command wrote, then the error objects of the rest. */
static void evaluate_all(dagloon_rules *r) {
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  size_t n, nwant;
  char **in = read_lines(data_path("wia.in.jsonl"), &n);
  char **want = read_lines(data_path("wia.out.jsonl"), &nwant);
  size_t rows = 0, errors = 0;
  for (size_t i = 0; i < n; i++) {
    dagloon_error *err = NULL;
    const char *row = dagloon_evaluate(ev, in[i], strlen(in[i]), &err);
    if (row) {
      cr_assert_lt(rows, nwant);
      cr_assert_str_eq(row, want[rows], "line %zu", i + 1);
      rows++;
    } else {
      cr_assert(err != NULL);
      errors++;
      drop(&err);
    }
  }
  cr_assert_eq(rows, nwant);
  cr_assert_eq(errors, 7);
  /* the memory limit on the dossier's JSON parse */
  dagloon_error *err = NULL;
  dagloon_evaluator_set_limits(ev, 0, 100);
  cr_assert_null(dagloon_evaluate(ev, in[0], strlen(in[0]), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT, "%s", dagloon_error_message(err));
  drop(&err);
  free_lines(in, n);
  free_lines(want, nwant);
  dagloon_evaluator_free(ev);
}

/* A runaway rule stopped by the step limit, then by the memory limit. */
static void limits(void) {
  dagloon_rules *r = load_or_fail("tests/golden/run/runaway_step_limit/rules.rules");
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  const char *lang = "{\"id\": \"lang\", \"begin\": \"1900-01-01\", \"einde\": \"2200-12-31\"}";
  dagloon_error *err = NULL;
  dagloon_evaluator_set_limits(ev, 100000, 0);
  cr_assert_null(dagloon_evaluate(ev, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LIMIT);
  drop(&err);
  dagloon_evaluator_set_limits(ev, 0, 65536);
  cr_assert_null(dagloon_evaluate(ev, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LIMIT, "%s", dagloon_error_message(err));
  drop(&err);
  dagloon_evaluator_free(ev);
  dagloon_rules_free(r);
}

/* Explanations in JSON and HTML, the command's bytes; an error dossier's too. */
static void explain(dagloon_rules *r) {
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  char input[4096];
  snprintf(input, sizeof input, "%s", data_path("wia.one.jsonl"));
  size_t n;
  char *dossier = read_all(input, &n);
  char *json = read_all(data_path("wia.explain.json"), NULL);
  char *html = read_all(data_path("wia.explain.html"), NULL);
  dagloon_error *err = NULL;
  const char *got = dagloon_explain(ev, dossier, n, input, &err);
  cr_assert(got != NULL, "%s", err ? dagloon_error_message(err) : "");
  cr_assert_str_eq(got, json);
  got = dagloon_explain_html(ev, dossier, n, input, &err);
  cr_assert(got != NULL, "%s", err ? dagloon_error_message(err) : "");
  cr_assert_str_eq(got, html);
  size_t fn;
  char *fout = read_all(data_path("wia_fout.one.jsonl"), &fn);
  got = dagloon_explain(ev, fout, fn, NULL, &err);
  if (!got) drop(&err);
  cr_assert_null(dagloon_explain(ev, "{", 1, NULL, &err));
  drop(&err);
  free(dossier);
  free(json);
  free(html);
  free(fout);
  dagloon_evaluator_free(ev);
}

/* A batch into memory streams (libc's memory: the test's own); the command's bytes. */
static void batch(dagloon_rules *r, dagloon_format out_format, int threads, const char *want_rows) {
  dagloon_batch_options *o = dagloon_batch_options_new();
  dagloon_error *err = NULL;
  cr_assert_eq(dagloon_batch_set_formats(o, DAGLOON_FORMAT_AUTO, out_format, &err), 0);
  cr_assert_eq(dagloon_batch_set_threads(o, threads, &err), 0);
  char *out = NULL, *errs = NULL, *expl = NULL;
  size_t nout = 0, nerrs = 0, nexpl = 0;
  FILE *fout = open_memstream(&out, &nout), *ferrs = open_memstream(&errs, &nerrs);
  FILE *fexpl = open_memstream(&expl, &nexpl);
  cr_assert(fout && ferrs && fexpl);
  dagloon_batch_set_errors(o, ferrs, out_format == DAGLOON_FORMAT_CSV ? DAGLOON_ERRORS_CSV : DAGLOON_ERRORS_LINES);
  dagloon_batch_set_explanations(o, fexpl);
  char path[4096];
  snprintf(path, sizeof path, "%s", data_path("wia.in.jsonl"));
  FILE *in = fopen(path, "r");
  cr_assert(in != NULL);
  dagloon_batch_counts c;
  cr_assert_eq(dagloon_run_batch(r, o, in, path, fout, &c, &err), 0, "%s", err ? dagloon_error_message(err) : "");
  fclose(in);
  fclose(fout);
  fclose(ferrs);
  fclose(fexpl);
  size_t len;
  char *want = read_all(data_path(want_rows), &len);
  cr_assert_eq(nout, len, "%s: %zu bytes, the command's %zu", want_rows, nout, len);
  cr_assert(memcmp(out, want, len) == 0, "%s differs", want_rows);
  cr_assert_gt(nerrs, 0);
  cr_assert_gt(nexpl, 1000);
  free(want);
  free(out);
  free(errs);
  free(expl);
  dagloon_batch_options_free(o);
}

Test(allocator, every_block_through_the_host_and_back, .timeout = 300) {
  install();
  load_failures();
  /* rule sets from files: wia (with its tables), ww, zw, herstel */
  const char *sets[] = {"rules/ww", "rules/zw", "rules/herstel"};
  for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) dagloon_rules_free(load_or_fail(sets[i]));
  dagloon_rules *wia = load_or_fail("rules/wia");
  cr_assert_eq(strlen(dagloon_rules_hash(wia)), 64);
  /* a bundle from memory */
  size_t len;
  char *bytes = read_all(data_path("wia.traced.bundle"), &len);
  dagloon_error *err = NULL;
  dagloon_rules *bundle = dagloon_rules_load_bundle(bytes, len, NULL, &err);
  cr_assert(bundle != NULL, "%s", err ? dagloon_error_message(err) : "");
  free(bytes);
  cr_assert_str_eq(dagloon_rules_hash(bundle), dagloon_rules_hash(wia));
  size_t before = atomic_load(&allocs);
  evaluate_all(bundle);
  cr_assert_gt(atomic_load(&allocs), before, "evaluating allocated nothing through the hook");
  limits();
  explain(wia);
  batch(wia, DAGLOON_FORMAT_CSV, 2, "batch.out.csv");
  batch(bundle, DAGLOON_FORMAT_JSONL, 1, "batch.lines.out.jsonl");
  dagloon_rules_free(bundle);
  dagloon_rules_free(wia);
  cr_assert_gt(atomic_load(&releases), 1000);
  cr_assert_eq(atomic_load(&live_blocks), 0, "%zu blocks (%zu bytes) still live", atomic_load(&live_blocks),
               atomic_load(&live_bytes));
  cr_assert_eq(atomic_load(&live_bytes), 0);
}

/* Once the library has allocated with malloc, a host's allocator would be handed malloc's blocks. */
Test(allocator, refused_after_the_first_allocation) {
  dagloon_options_free(dagloon_options_new());
  cr_assert_eq(dagloon_set_allocator(check_alloc, check_resize, check_release, &token), -1);
  cr_assert_eq(atomic_load(&allocs), 0);
}

Test(allocator, refused_without_every_function) {
  cr_assert_eq(dagloon_set_allocator(check_alloc, NULL, check_release, &token), -1);
  cr_assert_eq(dagloon_set_allocator(NULL, check_resize, check_release, &token), -1);
  cr_assert_eq(dagloon_set_allocator(check_alloc, check_resize, check_release, &token), 0);
}
