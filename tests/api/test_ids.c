/*
** test_ids.c: the library's batch path refuses a duplicate id as `run` does when the first
** sighting is long spilled to the temporary file (runtime/idspill.h, a spill every 52,428 ids):
** 60,000 dossiers of rules/bench and then id 5 again, on 1 and 2 threads, give 60,000 rows and
** one error row with run's words.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api_test.h"

enum { DOSSIERS = 60000 };

/* rules/bench's CSV: the header and DOSSIERS copies of the sample's first dossier under ids
   1..DOSSIERS, then one more with id 5. */
static char *population(size_t *len) {
  char *buf = NULL;
  FILE *m = open_memstream(&buf, len);
  FILE *sample = fopen("tests/bench/sample.csv", "r");
  cr_assert(m && sample);
  char header[1024], first[1024];
  cr_assert(fgets(header, sizeof header, sample) && fgets(first, sizeof first, sample));
  fclose(sample);
  const char *rest = strchr(first, ',');
  fputs(header, m);
  for (int i = 1; i <= DOSSIERS; i++) fprintf(m, "%d%s", i, rest);
  fprintf(m, "5%s", rest);
  fclose(m);
  return buf;
}

Test(ids, a_duplicate_beyond_a_spill_is_an_error_row_in_a_batch, .timeout = 120) {
  size_t len;
  char *input = population(&len);
  dagloon_rules *r = load_or_fail("rules/bench/herstel.rules");
  for (int threads = 1; threads <= 2; threads++) {
    dagloon_batch_options *o = dagloon_batch_options_new();
    dagloon_error *err = NULL;
    cr_assert_eq(dagloon_batch_set_formats(o, DAGLOON_FORMAT_CSV, DAGLOON_FORMAT_CSV, &err), 0);
    cr_assert_eq(dagloon_batch_set_threads(o, threads, &err), 0);
    char *out = NULL, *errs = NULL;
    size_t nout, nerrs;
    FILE *fout = open_memstream(&out, &nout), *ferrs = open_memstream(&errs, &nerrs);
    dagloon_batch_set_errors(o, ferrs, DAGLOON_ERRORS_CSV);
    FILE *in = fmemopen(input, len, "r");
    dagloon_batch_counts c;
    int rc = dagloon_run_batch(r, o, in, "population.csv", fout, &c, &err);
    fclose(in);
    fclose(fout);
    fclose(ferrs);
    cr_assert_eq(rc, 0, "%s", err ? dagloon_error_message(err) : "");
    cr_assert_eq(c.ok, DOSSIERS, "threads %d: %llu rows", threads, (unsigned long long)c.ok);
    cr_assert_eq(c.input_errors, 1);
    cr_assert_eq(c.read_failed, 0);
    cr_assert(strstr(errs, "id '5' was already used by record 5: every dossier needs its own"), "%s", errs);
    free(out);
    free(errs);
    dagloon_batch_options_free(o);
  }
  dagloon_rules_free(r);
  free(input);
}
