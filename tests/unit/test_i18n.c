/*
** test_i18n.c: choosing the messages' language (runtime/i18n.h) -- the
** environment's choice at i18n_init, an LSP client's locale through i18n_use
** ("nl", "nl-NL", "en-US"), back to the environment with NULL, a name that is
** no language refused -- and a diagnostic reported after the switch.
** The catalog is the build's (TEST_LOCALEDIR, the Makefile's $(BUILD)/locale).
*/
#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"
#include "runtime/i18n.h"

/* The environment of a user who asked for nothing: C locale, no LANGUAGE. */
static void plain_environment(void) {
  setenv("DAGLOON_LOCALEDIR", TEST_LOCALEDIR, 1);
  setenv("LC_ALL", "C", 1);
  unsetenv("LANGUAGE");
  i18n_init();
}

Test(i18n, environment_without_a_language_is_english) {
  plain_environment();
  cr_assert_str_eq(_("error"), "error");
  cr_assert_str_eq(ngettext("%d error, ", "%d errors, ", 2), "%d errors, ");
}

Test(i18n, environment_with_language_nl_is_dutch) {
  setenv("DAGLOON_LOCALEDIR", TEST_LOCALEDIR, 1);
  setenv("LC_ALL", "C.UTF-8", 1);
  setenv("LANGUAGE", "nl", 1);
  i18n_init();
  cr_assert_str_eq(_("error"), "fout");
  cr_assert_str_eq(ngettext("%d error, ", "%d errors, ", 1), "%d fout, ");
  cr_assert_str_eq(ngettext("%d error, ", "%d errors, ", 2), "%d fouten, ");
}

Test(i18n, an_lsp_clients_locale_switches_at_run_time) {
  plain_environment();
  i18n_use("nl");
  cr_assert_str_eq(_("warning"), "waarschuwing");
  i18n_use("en-US");
  cr_assert_str_eq(_("warning"), "warning");
  i18n_use("nl-NL");
  cr_assert_str_eq(_("warning"), "waarschuwing");
  i18n_use("nl_BE");   /* no Belgian catalog: gettext falls back to nl */
  cr_assert_str_eq(_("warning"), "waarschuwing");
  i18n_use(NULL);      /* back to the environment: English */
  cr_assert_str_eq(_("warning"), "warning");
  i18n_use("nl");
  i18n_use("");
  cr_assert_str_eq(_("warning"), "warning");
}

Test(i18n, back_to_an_environment_that_chose_dutch) {
  setenv("DAGLOON_LOCALEDIR", TEST_LOCALEDIR, 1);
  setenv("LC_ALL", "C.UTF-8", 1);
  setenv("LANGUAGE", "nl", 1);
  i18n_init();
  i18n_use("en");
  cr_assert_str_eq(_("note"), "note");
  i18n_use(NULL);
  cr_assert_str_eq(_("note"), "opmerking");
}

Test(i18n, a_name_that_is_no_language_counts_as_none) {
  plain_environment();
  i18n_use("nl");
  i18n_use("nl;rm -rf /");   /* not letters, '-' and '_': the environment's choice again */
  cr_assert_str_eq(_("error"), "error");
  const char *env = getenv("LANGUAGE");
  cr_assert(env == NULL);
  i18n_use("nl");
  i18n_use("../../tmp/nl");   /* a path: gettext would look for catalogs there */
  cr_assert_str_eq(_("error"), "error");
  i18n_use("a-very-long-name-that-no-locale-has-and-that-does-not-fit");
  cr_assert_str_eq(_("error"), "error");
}

Test(i18n, numbers_keep_their_point) {
  setenv("DAGLOON_LOCALEDIR", TEST_LOCALEDIR, 1);
  setenv("LC_ALL", "C.UTF-8", 1);
  i18n_init();
  i18n_use("nl");
  char buf[16];
  snprintf(buf, sizeof buf, "%.2f", 1.5);
  cr_assert_str_eq(buf, "1.50");   /* only LC_MESSAGES changes, never LC_NUMERIC */
}

Test(i18n, a_diagnostic_in_the_language_of_the_moment) {
  plain_environment();
  i18n_use("nl");
  DiagList d;
  diag_init(&d, NULL);
  Diag *dg = diag_error(&d, (Span){0}, "E012", "unknown name '%s'", "sv_loom");
  diag_suggest(&d, dg, "sv_loom", 7, "sv_loon");
  cr_assert_str_eq(d.items[0].msg, "onbekende naam 'sv_loom'");
  cr_assert_str_eq(d.items[0].notes, "opmerking: bedoelt u 'sv_loon'?\n");
  i18n_use("en");
  diag_error(&d, (Span){0}, "E012", "unknown name '%s'", "x");
  cr_assert_str_eq(d.items[1].msg, "unknown name 'x'");
  diag_free(&d);
}
