/*
** test_host.c: what a host that keeps rule sets itself needs (a database: issue 19) -- a bundle
** loaded from bytes in memory, the same rule set as from the file, refused when damaged; and the
** interrupt check, asked every 65,536 steps, which stops a long computation when it says so; and the
** out-of-memory handler, called before the engine's exit.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "api_test.h"

static dagloon_rules *from_memory(const char *file, dagloon_error **err) {
  size_t len;
  char *bytes = read_all(data_path(file), &len);
  dagloon_rules *r = dagloon_rules_load_bundle(bytes, len, NULL, err);
  memset(bytes, 0, len);   /* the library keeps no reference to them */
  free(bytes);
  return r;
}

Test(host, bundle_from_memory_equals_the_file) {
  dagloon_error *err = NULL;
  dagloon_rules *mem = from_memory("wia.traced.bundle", &err);
  cr_assert(mem != NULL, "%s", err ? dagloon_error_message(err) : "");
  cr_assert(dagloon_rules_can_explain(mem));
  dagloon_rules *file = load_or_fail(data_path("wia.bundle"));
  dagloon_evaluator *a = dagloon_evaluator_new(mem), *b = dagloon_evaluator_new(file);
  size_t n;
  char **in = read_lines(data_path("wia.in.jsonl"), &n);
  size_t rows = 0;
  for (size_t i = 0; i < n; i++) {
    dagloon_error *ea = NULL, *eb = NULL;
    const char *ra = dagloon_evaluate(a, in[i], strlen(in[i]), &ea);
    const char *rb = dagloon_evaluate(b, in[i], strlen(in[i]), &eb);
    cr_assert_eq(ra == NULL, rb == NULL, "line %zu", i + 1);
    if (ra) {
      cr_assert_str_eq(ra, rb, "line %zu", i + 1);
      rows++;
    } else {
      cr_assert_eq(dagloon_error_code(ea), dagloon_error_code(eb));
      cr_assert_str_eq(dagloon_error_location(ea), dagloon_error_location(eb));
    }
    dagloon_error_free(ea);
    dagloon_error_free(eb);
  }
  cr_assert_gt(rows, 250);
  const char *explained = dagloon_explain(a, in[0], strlen(in[0]), NULL, &err);
  cr_assert(explained && strstr(explained, "\"rules\": \"bundle\""), "%s", explained ? explained : "");
  free_lines(in, n);
  dagloon_evaluator_free(a);
  dagloon_evaluator_free(b);
  dagloon_rules_free(mem);
  dagloon_rules_free(file);
}

Test(host, plain_bundle_from_memory_cannot_explain) {
  dagloon_rules *r = from_memory("wia.bundle", NULL);
  cr_assert(r != NULL);
  cr_assert_not(dagloon_rules_can_explain(r));
  dagloon_rules_free(r);
}

Test(host, damaged_or_no_bundle_refused) {
  dagloon_error *err = NULL;
  cr_assert_null(from_memory("damaged.bundle", &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
  cr_assert(strstr(dagloon_error_message(err), "damaged") != NULL, "%s", dagloon_error_message(err));
  dagloon_error_free(err);
  err = NULL;
  const char *text = "regel x: geheel = 1\n";
  cr_assert_null(dagloon_rules_load_bundle(text, strlen(text), NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LOAD);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_null(dagloon_rules_load_bundle(NULL, 10, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_null(dagloon_rules_load_bundle(text, 0, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
}

/* An interrupt check that counts its calls and says stop at call `stop_at` (0: never). */
typedef struct Checks {
  int calls, stop_at;
} Checks;
static int check(void *arg) {
  Checks *c = arg;
  c->calls++;
  return c->stop_at && c->calls >= c->stop_at;
}

static const char *lang = "{\"id\": \"lang\", \"begin\": \"1900-01-01\", \"einde\": \"2200-12-31\"}";
static const char *kort = "{\"id\": \"kort\", \"begin\": \"2024-01-15\", \"einde\": \"2024-07-10\"}";

Test(host, interrupt_check_stops_a_long_computation) {
  dagloon_rules *r = load_or_fail("tests/golden/run/runaway_step_limit/rules.rules");
  dagloon_evaluator *e = dagloon_evaluator_new(r);
  Checks c = {0, 3};
  dagloon_evaluator_set_interrupt(e, check, &c);
  dagloon_error *err = NULL;
  cr_assert_null(dagloon_evaluate(e, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INTERRUPTED, "%s", dagloon_error_message(err));
  cr_assert_eq(c.calls, 3);   /* after 3 x 65,536 steps, of the 13 million it needs */
  cr_assert_str_eq(dagloon_error_rule(err), "n");
  cr_assert_str_eq(dagloon_error_record(err), "lang");
  dagloon_error_free(err);
  err = NULL;
  /* the evaluator goes on with the next dossier: 49 steps, never asked */
  c = (Checks){0, 0};
  const char *row = dagloon_evaluate(e, kort, strlen(kort), &err);
  cr_assert(row != NULL);
  cr_assert_str_eq(row, "{\"id\":\"kort\",\"n\":49}");
  cr_assert_eq(c.calls, 0);
  /* a check that never says stop leaves the step limit as it was: 1,000,000 steps = 15 full slices
     and a last one, the check asked between them */
  dagloon_evaluator_set_limits(e, 1000000, 0);
  cr_assert_null(dagloon_evaluate(e, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LIMIT);
  cr_assert(strstr(dagloon_error_message(err), "stopped after 1000000 steps"), "%s", dagloon_error_message(err));
  cr_assert_eq(c.calls, 15);
  dagloon_error_free(err);
  err = NULL;
  /* no check: none asked */
  dagloon_evaluator_set_interrupt(e, NULL, NULL);
  c = (Checks){0, 1};
  cr_assert_null(dagloon_evaluate(e, lang, strlen(lang), &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_LIMIT);
  cr_assert_eq(c.calls, 0);
  dagloon_error_free(err);
  dagloon_evaluator_free(e);
  dagloon_rules_free(r);
}

Test(host, interrupt_check_stops_an_explanation) {
  dagloon_rules *r = load_or_fail("tests/golden/run/runaway_step_limit/rules.rules");
  dagloon_evaluator *e = dagloon_evaluator_new(r);
  Checks c = {0, 2};
  dagloon_evaluator_set_interrupt(e, check, &c);   /* before the traced VM exists: it gets the check too */
  dagloon_error *err = NULL;
  const char *text = dagloon_explain(e, lang, strlen(lang), NULL, &err);
  /* a computation that fails is explained up to the failure: here the interruption */
  cr_assert(text != NULL || dagloon_error_code(err) == DAGLOON_ERR_INTERRUPTED);
  cr_assert_eq(c.calls, 2);
  if (text) cr_assert(strstr(text, "interrupted") != NULL, "%.400s", text);
  dagloon_error_free(err);
  dagloon_evaluator_free(e);
  dagloon_rules_free(r);
}

/*
** Out of memory: the host's handler is called (with the size asked for) before the engine's exit.
** A child process gets 64 MB of address space more than it uses, and tests/pg/lus, its limits
** raised, builds lists until an allocation fails; the handler ends the child with its own status.
** Not under AddressSanitizer, whose allocator reports an exhausted address space itself.
*/
static int handler_arg;

static void ends_with_42(size_t bytes, void *arg) {
  _exit(bytes > 0 && arg == &handler_arg ? 42 : 43);
}

static void run_out_of_memory(void) {
  dagloon_rules *r = load_or_fail("tests/pg/lus");
  dagloon_evaluator *e = dagloon_evaluator_new(r);
  dagloon_evaluator_set_limits(e, 2000000000, (size_t)16 << 30);
  dagloon_set_out_of_memory(ends_with_42, &handler_arg);
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  unsigned long kb = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmSize: %lu kB", &kb) == 1) break;
  if (f) fclose(f);
  struct rlimit lim = {(rlim_t)kb * 1024 + (64 << 20), (rlim_t)kb * 1024 + (64 << 20)};
  if (kb == 0 || setrlimit(RLIMIT_AS, &lim) != 0) _exit(44);
  dagloon_error *err = NULL;
  dagloon_evaluate(e, lang, strlen(lang), &err);
  _exit(45);   /* the evaluation returned */
}

Test(host, out_of_memory_calls_the_handler) {
#if defined(__SANITIZE_ADDRESS__)
  cr_skip_test("AddressSanitizer's allocator does not return NULL");
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  cr_skip_test("AddressSanitizer's allocator does not return NULL");
#endif
#endif
  pid_t child = fork();
  cr_assert(child >= 0);
  if (child == 0) run_out_of_memory();
  int status = 0;
  cr_assert_eq(waitpid(child, &status, 0), child);
  cr_assert(WIFEXITED(status), "the child did not exit (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  cr_assert_eq(WEXITSTATUS(status), 42, "exit status %d: 43 handler's arguments, 44 no limit set, 45 no failure, 5 no handler",
               WEXITSTATUS(status));
}
