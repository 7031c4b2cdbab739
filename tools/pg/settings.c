/*
** settings.c: the module's entry (_PG_init) and its settings. The step limit may be changed by
** anyone (statement_timeout bounds time anyway); memory and native libraries are the
** superuser's: memory is the server's, and a native library is code the backend would run.
*/
#include "dagloon_pg.h"

#include <limits.h>
#include <string.h>
#include "fmgr.h"
#include "utils/guc.h"

PG_MODULE_MAGIC;

int dagloon_pg_max_steps = 100000000;
int dagloon_pg_max_memory_kb = 256 * 1024;
char *dagloon_pg_allow_native = NULL;

void _PG_init(void);

void _PG_init(void) {
  DefineCustomIntVariable("dagloon.max_steps",
                          "Steps one dossier may take: passes of a loop and calls of rules with parameters.",
                          "Past it the dossier gives a limit error (as dagloon run --max-steps).",
                          &dagloon_pg_max_steps, 100000000, 1, INT_MAX, PGC_USERSET, 0, NULL, NULL, NULL);
  DefineCustomIntVariable("dagloon.max_memory", "Memory one dossier may take (its JSON and what the rules build).",
                          "Past it the dossier gives a limit error (as dagloon run --max-memory).",
                          &dagloon_pg_max_memory_kb, 256 * 1024, 64, INT_MAX, PGC_SUSET, GUC_UNIT_KB, NULL, NULL,
                          NULL);
  DefineCustomStringVariable("dagloon.allow_native",
                             "Native libraries a bundle may call, as PATH=SHA256, separated by commas.",
                             "A bundle naming another library is refused.", &dagloon_pg_allow_native, "",
                             PGC_SUSET, 0, NULL, NULL, NULL);
  MarkGUCPrefixReserved("dagloon");
  dagloon_set_out_of_memory(dagloon_pg_out_of_memory, NULL);
  dagloon_pg_memory_init();
}

/* A library named by its path and pinned by its hash: PATH=64 hex digits. */
static bool pinned(const char *spec) {
  const char *eq = strrchr(spec, '=');
  if (!eq || eq == spec || strlen(eq + 1) != 64) return false;
  return strspn(eq + 1, "0123456789abcdefABCDEF") == 64;
}

dagloon_options *dagloon_pg_options(void) {
  dagloon_options *o = dagloon_options_new();
  char *list = pstrdup(dagloon_pg_allow_native ? dagloon_pg_allow_native : "");
  for (char *save = NULL, *spec = strtok_r(list, ",", &save); spec; spec = strtok_r(NULL, ",", &save)) {
    while (*spec == ' ') spec++;
    size_t n = strlen(spec);
    while (n > 0 && spec[n - 1] == ' ') spec[--n] = 0;
    if (n == 0) continue;
    if (!pinned(spec)) {
      dagloon_options_free(o);
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("dagloon.allow_native: \"%s\" does not name a library by its hash", spec),
                      errhint("Write PATH=SHA256, the sha256 of the library file in 64 hex digits.")));
    }
    dagloon_error *err = NULL;
    if (dagloon_options_allow_native(o, spec, &err) != 0) {
      dagloon_options_free(o);
      dagloon_pg_raise(err, "dagloon.allow_native");
    }
  }
  pfree(list);
  return o;
}
