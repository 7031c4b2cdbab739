/*
** fuzz_receipt.c: bytes from a fuzzer as a receipt for `dagloon replay` --
** the checks of tools/receipt_plan.c and, for what passes, the command line
** replay would run. Nothing is run. A hostile receipt must be refused with a
** message, or give a command line whose every output is in the temporary
** directory and which allows no native library.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/fuzz.h"
#include "tools/commands.h"
#include "tools/receipt_plan.h"

#define TMP "/nonexistent/dagloon-replay-fuzz"

/* The invariants of a replayable receipt's command line; abort() if one fails, for the fuzzer to see. */
static void check_argv(const ReplayPlan *p, char **av) {
  const CommandSpec *spec = command_find(av[1]);
  if (!spec || spec == &cmd_replay_spec || spec != p->command) abort();
  bool receipt = false, operands_only = false;
  for (size_t i = 2; av[i]; i++) {
    const char *a = av[i], *inline_value = NULL;
    if (operands_only || a[0] != '-' || !a[1]) continue;
    if (strcmp(a, "--") == 0) {
      operands_only = true;
      continue;
    }
    const OptSpec *o = option_of_token(spec, a, &inline_value);
    if (!o) abort();   /* every option is one of the table */
    if (o->kind == OPT_FLAG) continue;
    const char *v = inline_value ? inline_value : av[++i];
    if (!v) abort();
    if (strcmp(o->name, "allow-native") == 0 || strcmp(o->name, "allow-path") == 0) abort();   /* none from a receipt */
    if (o->kind == OPT_OUTPUT_FILE && strncmp(v, TMP "/", sizeof TMP) != 0) abort();
    receipt |= strcmp(o->name, "receipt") == 0;
  }
  if (!receipt) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ReplayPlan p;
  char err[600];
  if (!replay_plan_parse((const char *)data, size, &p, err, sizeof err)) {
    if (!err[0]) abort();   /* a refusal always says why */
    return 0;
  }
  char **av = replay_plan_argv(&p, TMP, NULL, 0, NULL, 0);
  check_argv(&p, av);
  plan_argv_free(av);
  replay_plan_free(&p);
  return 0;
}
