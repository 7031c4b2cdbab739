/*
** serve_cmd.c: `dagloon serve RULES...`: the options (tools/commands.c's table) into a
** serve_config for the server of tools/serve/, which sees the engine only through dagloon.h.
*/
#include "tools/serve_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "runtime/i18n.h"
#include "tools/cli.h"
#include "tools/serve/serve.h"

/* A whole number from 1 to max, or 0. */
static unsigned long number(const char *s, unsigned long max) {
  char *end;
  if (!s || !*s || *s == '-') return 0;
  unsigned long v = strtoul(s, &end, 10);
  return *end || v > max ? 0 : v;
}

int cmd_serve(const ParsedArgs *a) {
  const CommandSpec *cmd = a->command;
  if (a->noperands == 0) return command_usage_error(cmd, N_("give one or more rule sets (folders, .rules files or bundles)"));
  VmLimits limits = {0, 0};
  const char *why = parse_limits(a, &limits);
  if (why) return command_usage_error(cmd, why);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  serve_config c = {
      .rulesets = (const char *const *)a->operands,
      .nrulesets = a->noperands,
      .listen = option_value(a, "listen") ? option_value(a, "listen") : "127.0.0.1:8080",
      .threads = cores > 0 ? (unsigned)cores : 1,
      .max_body = (size_t)16 << 20,
      .timeout = 30,
      .max_steps = limits.steps,
      .max_memory = limits.memory,
  };
  if (option_value(a, "threads")) {
    c.threads = (unsigned)number(option_value(a, "threads"), 256);
    if (!c.threads) return command_usage_error(cmd, N_("--threads needs a number from 1 to 256"));
  }
  if (option_value(a, "max-body")) {
    size_t mib = number(option_value(a, "max-body"), 4096);
    if (!mib) return command_usage_error(cmd, N_("--max-body needs a number of MiB from 1 to 4096"));
    c.max_body = mib << 20;
  }
  if (option_value(a, "timeout")) {
    c.timeout = (unsigned)number(option_value(a, "timeout"), 3600);
    if (!c.timeout) return command_usage_error(cmd, N_("--timeout needs a number of seconds from 1 to 3600"));
  }
  dagloon_options *o = dagloon_options_new();
  size_t pos = 0;
  for (const char *lib; (lib = option_next(a, "allow-native", &pos));) {
    dagloon_error *err = NULL;
    if (dagloon_options_allow_native(o, lib, &err) < 0) {
      fprintf(stderr, "dagloon: %s\n", dagloon_error_message(err));
      dagloon_error_free(err);
      dagloon_options_free(o);
      return EXIT_USAGE;
    }
  }
  c.options = o;
  int rc = serve_run(&c);
  dagloon_options_free(o);
  return rc;
}
