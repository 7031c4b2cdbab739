/*
** test_batch.c: dagloon_run_batch gives what `dagloon run` gives for the same input and options,
** byte for byte: rows (CSV and JSON Lines), error rows (CSV and lines), fail-fast, limits,
** mark-unverified and csv-safe, explanations; 1 and 4 threads the same; and refuses what it
** cannot run (a bad format, a CSV of a nested invoer, explanations without trace points), says
** when its input cannot be read to the end, and when its output cannot be written. run.sh wrote
** the command's files (batch.*).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

/* A batch's streams in memory: what it wrote, for comparison with the command's files. */
typedef struct Outputs {
  char *out, *errs;
  size_t nout, nerrs;
  FILE *fout, *ferrs;
} Outputs;

static void outputs_open(Outputs *o) {
  memset(o, 0, sizeof *o);
  o->fout = open_memstream(&o->out, &o->nout);
  o->ferrs = open_memstream(&o->errs, &o->nerrs);
  cr_assert(o->fout && o->ferrs);
}

static void outputs_close(Outputs *o) {
  fclose(o->fout);
  fclose(o->ferrs);
}

static void outputs_free(Outputs *o) {
  free(o->out);
  free(o->errs);
}

/* The bytes written equal the file the command wrote. */
static void same_as_file(const char *what, const char *bytes, size_t n, const char *name) {
  size_t len;
  char *want = read_all(data_path(name), &len);
  cr_assert(len > 0, "%s is empty", name);
  cr_assert_eq(n, len, "%s: %zu bytes, the command's %s %zu", what, n, name, len);
  cr_assert(memcmp(bytes, want, n) == 0, "%s differs from the command's %s", what, name);
  free(want);
}

/* Runs `input` through a batch with options o into memory; the return value, counts in *c. */
static int run_into(dagloon_rules *r, dagloon_batch_options *o, const char *input, Outputs *out,
                    dagloon_batch_counts *c, dagloon_error **err) {
  char path[4096];
  snprintf(path, sizeof path, "%s", input);
  FILE *in = fopen(path, "r");
  cr_assert(in != NULL, "cannot open %s", path);
  outputs_open(out);
  int rc = dagloon_run_batch(r, o, in, path, out->fout, c, err);
  fclose(in);
  outputs_close(out);
  return rc;
}

static dagloon_batch_options *options(dagloon_format in, dagloon_format out, int threads, unsigned flags) {
  dagloon_batch_options *o = dagloon_batch_options_new();
  dagloon_error *err = NULL;
  cr_assert_eq(dagloon_batch_set_formats(o, in, out, &err), 0);
  cr_assert_eq(dagloon_batch_set_threads(o, threads, &err), 0);
  cr_assert_eq(dagloon_batch_set_flags(o, flags, &err), 0);
  return o;
}

Test(batch, csv_rows_and_error_csv_same_as_run, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_CSV, 1, 0);
  Outputs m;
  outputs_open(&m);   /* (the error stream first: run_into opens its own) */
  FILE *errs = m.ferrs;
  dagloon_batch_set_errors(o, errs, DAGLOON_ERRORS_CSV);
  Outputs x;
  dagloon_batch_counts c;
  dagloon_error *err = NULL;
  int rc = run_into(r, o, data_path("wia.in.jsonl"), &x, &c, &err);
  cr_assert_eq(rc, 0, "%s", err ? dagloon_error_message(err) : "");
  fclose(m.fout);
  fclose(errs);
  same_as_file("rows", x.out, x.nout, "batch.out.csv");
  same_as_file("error rows", m.errs, m.nerrs, "batch.errors.csv");
  cr_assert_eq(c.input_errors, 2);
  cr_assert_eq(c.computation_errors, 5);
  cr_assert_gt(c.ok, 250);
  cr_assert(!c.stopped && !c.read_failed);
  outputs_free(&x);
  outputs_free(&m);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

Test(batch, jsonl_rows_and_error_lines_same_as_run, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_JSONL, DAGLOON_FORMAT_JSONL, 1, 0);
  char *lines = NULL;
  size_t nlines = 0;
  FILE *fl = open_memstream(&lines, &nlines);
  dagloon_batch_set_errors(o, fl, DAGLOON_ERRORS_LINES);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, data_path("wia.in.jsonl"), &x, &c, NULL), 0);
  fclose(fl);
  same_as_file("rows", x.out, x.nout, "batch.lines.out.jsonl");
  same_as_file("rows", x.out, x.nout, "wia.out.jsonl");
  same_as_file("error lines", lines, nlines, "batch.lines");
  free(lines);
  outputs_free(&x);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

/* CSV dossiers in (herstel's bench sample), JSON Lines out. */
Test(batch, csv_input_same_as_run, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/bench/herstel.rules");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, 2, 0);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, "tests/bench/sample.csv", &x, &c, NULL), 0);
  same_as_file("rows", x.out, x.nout, "batch.sample.jsonl");
  cr_assert_eq(c.ok, 1000);
  outputs_free(&x);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

Test(batch, one_and_four_threads_give_the_same_bytes, .timeout = 300) {
  dagloon_rules *r = load_or_fail("rules/wia");
  Outputs x[2];
  dagloon_batch_counts c[2];
  int threads[2] = {1, 4};
  for (int k = 0; k < 2; k++) {
    dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, threads[k], 0);
    cr_assert_eq(run_into(r, o, data_path("batch.big.jsonl"), &x[k], &c[k], NULL), 0);
    dagloon_batch_options_free(o);
    same_as_file("rows", x[k].out, x[k].nout, "batch.big.out.jsonl");
  }
  cr_assert_eq(c[0].ok, 3000);
  cr_assert(memcmp(&c[0], &c[1], sizeof c[0]) == 0);
  for (int k = 0; k < 2; k++) outputs_free(&x[k]);
  dagloon_rules_free(r);
}

Test(batch, fail_fast_stops_at_the_first_error_row, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, 4, DAGLOON_BATCH_FAIL_FAST);
  Outputs m;
  outputs_open(&m);
  dagloon_batch_set_errors(o, m.ferrs, DAGLOON_ERRORS_CSV);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, data_path("wia.in.jsonl"), &x, &c, NULL), 0);
  outputs_close(&m);
  same_as_file("rows", x.out, x.nout, "batch.failfast.jsonl");
  same_as_file("error rows", m.errs, m.nerrs, "batch.failfast.errors.csv");
  cr_assert(c.stopped);
  cr_assert_eq(c.input_errors + c.computation_errors, 1);
  outputs_free(&x);
  outputs_free(&m);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

Test(batch, limits_make_error_rows_as_run_max_steps, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_CSV, 3, 0);
  dagloon_batch_set_limits(o, 200, 0);
  Outputs m;
  outputs_open(&m);
  dagloon_batch_set_errors(o, m.ferrs, DAGLOON_ERRORS_CSV);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, data_path("wia.in.jsonl"), &x, &c, NULL), 0);
  outputs_close(&m);
  same_as_file("rows", x.out, x.nout, "batch.limits.csv");
  same_as_file("error rows", m.errs, m.nerrs, "batch.limits.errors.csv");
  cr_assert_gt(c.computation_errors, 5);   /* more than without the limit */
  cr_assert_gt(c.ok, 0);
  outputs_free(&x);
  outputs_free(&m);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

/* A dossier longer than the memory limit is an error row, read through unkept; the next one runs. */
Test(batch, memory_limit_makes_an_error_row) {
  size_t nin;
  char **dossiers = read_lines("rules/wia/populatie.jsonl", &nin);
  size_t big = (size_t)2 << 20, len = strlen(dossiers[0]);
  char *text = malloc(big + len + strlen(dossiers[1]) + 3), *p = text;
  *p++ = '{';
  memset(p, ' ', big);   /* white space inside the object: 2 MiB of it */
  p += big;
  memcpy(p, dossiers[0] + 1, len - 1);
  p += len - 1;
  *p++ = '\n';
  memcpy(p, dossiers[1], len = strlen(dossiers[1]));
  p += len;
  *p++ = '\n';
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_counts c[2];
  for (int k = 0; k < 2; k++) {
    dagloon_batch_options *o = options(DAGLOON_FORMAT_JSONL, DAGLOON_FORMAT_JSONL, 1, 0);
    if (k == 1) dagloon_batch_set_limits(o, 0, (size_t)1 << 20);
    FILE *quiet = fopen("/dev/null", "w"), *in = fmemopen(text, (size_t)(p - text), "r");
    dagloon_batch_set_errors(o, quiet, DAGLOON_ERRORS_LINES);
    cr_assert_eq(dagloon_run_batch(r, o, in, "big.jsonl", quiet, &c[k], NULL), 0);
    fclose(in);
    fclose(quiet);
    dagloon_batch_options_free(o);
  }
  cr_assert_eq(c[0].ok, 2, "without the limit both run");
  cr_assert_eq(c[1].ok, 1);
  cr_assert_eq(c[1].input_errors, 1);
  free(text);
  free_lines(dossiers, nin);
  dagloon_rules_free(r);
}

Test(batch, mark_unverified_as_run, .timeout = 120) {
  dagloon_rules *r = load_or_fail("tests/golden/run/unverified_csv");
  for (int threads = 1; threads <= 3; threads += 2) {   /* this thread's loop, and the workers' */
    dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, threads, DAGLOON_BATCH_MARK_UNVERIFIED);
    FILE *quiet = fopen("/dev/null", "w");
    dagloon_batch_set_errors(o, quiet, DAGLOON_ERRORS_CSV);
    Outputs x;
    dagloon_batch_counts c;
    cr_assert_eq(run_into(r, o, "tests/golden/run/unverified_csv/input.csv", &x, &c, NULL), 0);
    fclose(quiet);
    same_as_file("rows", x.out, x.nout, "batch.marked.jsonl");
    cr_assert(strstr(x.out, "\"ongeverifieerd\":[\"maximum@2025-07-01\"]") != NULL, "%s", x.out);
    cr_assert_eq(c.unverified, 5);
    cr_assert_eq(c.computation_errors, 1);
    outputs_free(&x);
    dagloon_batch_options_free(o);
  }
  dagloon_rules_free(r);
}

/* Cells a spreadsheet would run as a formula get a ' in rows and error rows, as run --csv-safe. */
Test(batch, csv_safe_as_run) {
  dagloon_rules *r = load_or_fail("tests/golden/run/csv_safe/rules.rules");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_CSV, 1, DAGLOON_BATCH_CSV_SAFE);
  Outputs m;
  outputs_open(&m);
  dagloon_batch_set_errors(o, m.ferrs, DAGLOON_ERRORS_CSV);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, "tests/golden/run/csv_safe/input.csv", &x, &c, NULL), 0);
  outputs_close(&m);
  same_as_file("rows", x.out, x.nout, "batch.safe.csv");
  same_as_file("error rows", m.errs, m.nerrs, "batch.safe.errors.csv");
  cr_assert(strstr(x.out, "\n'=1+1,") != NULL && strstr(m.errs, ",'@evil,") != NULL, "the guarded cells");
  outputs_free(&x);
  outputs_free(&m);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

/* One explanation per dossier, as run --explain; the rows the same as without. */
Test(batch, explanations_same_as_run_explain, .timeout = 120) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_CSV, 4, 0);
  char *x = NULL;
  size_t nx = 0;
  FILE *fx = open_memstream(&x, &nx);
  dagloon_batch_set_explanations(o, fx);
  FILE *quiet = fopen("/dev/null", "w");
  dagloon_batch_set_errors(o, quiet, DAGLOON_ERRORS_LINES);
  Outputs rows;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, data_path("fout.jsonl"), &rows, &c, NULL), 0);
  fclose(fx);
  fclose(quiet);
  same_as_file("explanations", x, nx, "x1.jsonl");
  cr_assert_eq(c.computation_errors, 5);
  free(x);
  outputs_free(&rows);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

Test(batch, explanations_need_trace_points) {
  dagloon_options *lo = dagloon_options_new();
  dagloon_options_explain(lo, 0);
  const char *paths[] = {"rules/wia"};
  dagloon_error *err = NULL;
  dagloon_rules *r = dagloon_rules_load(paths, 1, lo, &err);
  cr_assert(r != NULL);
  cr_assert_eq(dagloon_rules_can_explain(r), 0);
  dagloon_batch_options *o = dagloon_batch_options_new();
  FILE *fx = fopen("/dev/null", "w");
  dagloon_batch_set_explanations(o, fx);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, "rules/wia/populatie.jsonl", &x, &c, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_NO_TRACE);
  cr_assert_eq(x.nout, 0, "nothing is written");
  dagloon_error_free(err);
  err = NULL;
  /* ... and without them the same rule set runs, and evaluates, but does not explain */
  dagloon_batch_set_explanations(o, NULL);
  dagloon_batch_set_threads(o, 1, NULL);
  dagloon_batch_set_formats(o, DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, NULL);
  outputs_free(&x);
  cr_assert_eq(run_into(r, o, "rules/wia/populatie.jsonl", &x, &c, &err), 0);
  cr_assert_eq(c.ok, 81);
  dagloon_evaluator *ev = dagloon_evaluator_new(r);
  cr_assert_null(dagloon_explain(ev, "{}", 2, NULL, &err));
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_NO_TRACE);
  dagloon_error_free(err);
  dagloon_evaluator_free(ev);
  fclose(fx);
  outputs_free(&x);
  dagloon_batch_options_free(o);
  dagloon_options_free(lo);
  dagloon_rules_free(r);
}

Test(batch, bad_formats_threads_and_flags_refused) {
  dagloon_batch_options *o = dagloon_batch_options_new();
  dagloon_error *err = NULL;
  cr_assert_eq(dagloon_batch_set_formats(o, (dagloon_format)7, DAGLOON_FORMAT_CSV, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_eq(dagloon_batch_set_formats(o, DAGLOON_FORMAT_CSV, DAGLOON_FORMAT_AUTO, &err), -1);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_eq(dagloon_batch_set_threads(o, 257, &err), -1);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_eq(dagloon_batch_set_threads(o, -1, &err), -1);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_eq(dagloon_batch_set_flags(o, 8, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
  err = NULL;
  cr_assert_eq(dagloon_run_batch(NULL, o, stdin, "-", stdout, NULL, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_ARGUMENT);
  dagloon_error_free(err);
  dagloon_batch_options_free(o);
}

/* JSON Lines dossiers read as CSV: wia's invoer has lists, which CSV cannot carry; nothing is written. */
Test(batch, csv_input_for_a_nested_invoer_refused) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_CSV, DAGLOON_FORMAT_CSV, 1, 0);
  Outputs x;
  dagloon_batch_counts c;
  dagloon_error *err = NULL;
  cr_assert_eq(run_into(r, o, "rules/wia/populatie.jsonl", &x, &c, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_INPUT);
  cr_assert(strstr(dagloon_error_message(err), "JSON Lines") != NULL, "%s", dagloon_error_message(err));
  cr_assert_eq(x.nout, 0);
  dagloon_error_free(err);
  outputs_free(&x);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

/* A stream that fails when read (a folder opened as a file): an error row, and read_failed. */
Test(batch, unreadable_stream_is_said) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_JSONL, DAGLOON_FORMAT_JSONL, 1, 0);
  Outputs m;
  outputs_open(&m);
  dagloon_batch_set_errors(o, m.ferrs, DAGLOON_ERRORS_CSV);
  Outputs x;
  dagloon_batch_counts c;
  cr_assert_eq(run_into(r, o, "tests/api", &x, &c, NULL), 0);
  outputs_close(&m);
  cr_assert(c.read_failed);
  cr_assert_eq(c.ok, 0);
  cr_assert_eq(c.input_errors, 1);
  cr_assert(strstr(m.errs, "read error in 'tests/api'") != NULL, "%s", m.errs);
  outputs_free(&x);
  outputs_free(&m);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}

/* Rows that cannot be written: DAGLOON_ERR_WRITE, with the counts of what was read. */
Test(batch, failed_write_is_an_error) {
  dagloon_rules *r = load_or_fail("rules/wia");
  dagloon_batch_options *o = options(DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_CSV, 1, 0);
  FILE *in = fopen("rules/wia/populatie.jsonl", "r"), *full = fopen("/dev/full", "w");
  cr_assert(in && full);
  dagloon_batch_counts c;
  dagloon_error *err = NULL;
  cr_assert_eq(dagloon_run_batch(r, o, in, "populatie.jsonl", full, &c, &err), -1);
  cr_assert_eq(dagloon_error_code(err), DAGLOON_ERR_WRITE);
  cr_assert_eq(c.ok, 81);
  dagloon_error_free(err);
  fclose(in);
  fclose(full);
  dagloon_batch_options_free(o);
  dagloon_rules_free(r);
}
