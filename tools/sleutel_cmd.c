/*
** sleutel_cmd.c: the operator's key for signing bundles (see sleutel_cmd.h).
*/
#include "tools/sleutel_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include "runtime/i18n.h"
#include "tools/cli.h"

int cmd_sleutel(const ParsedArgs *a) {
  if (a->noperands != 1) return command_usage_error(a->command, "sleutel needs one FILE");
  char why[600];
  if (!bundle_key_create(a->operands[0], why, sizeof why)) {
    fprintf(stderr, "dagloon: %s\n", why);
    return EXIT_USAGE;
  }
  fprintf(stderr, _("dagloon: %s: a new key; keep it to yourself (it never goes into a bundle)\n"), a->operands[0]);
  return EXIT_OK;
}

bool operator_key_from_environment(void) {
  static BundleKey key;
  const char *path = getenv("DAGLOON_KEY");
  if (!path || !*path) return true;
  char why[600];
  if (!bundle_key_load(path, &key, why, sizeof why)) {
    fprintf(stderr, "dagloon: DAGLOON_KEY: %s\n", why);
    return false;
  }
  bundle_set_key(&key);
  return true;
}

const BundleKey *signing_key(const ParsedArgs *a, BundleKey *k, bool *ok) {
  const char *path = option_value(a, "sign");
  *ok = true;
  if (!path) return NULL;
  char why[600];
  if (bundle_key_load(path, k, why, sizeof why)) return k;
  fprintf(stderr, "dagloon: --sign: %s\n", why);
  *ok = false;
  return NULL;
}
