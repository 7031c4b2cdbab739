/*
** test_sandbox.c: lang/sandbox.h, the files a rule file may name. A tree in
** a scratch folder: top/.dagloon-root, top/set/r.rules, top/tables/t.csv, and
** beside top/ a folder outside it.
*/
#define _XOPEN_SOURCE 700   /* mkdtemp, symlink */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang/sandbox.h"

static char scratch[64];

static void write_file(const char *rel, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", scratch, rel);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

static char *at(const char *rel) {
  static char buf[4][256];
  static int k;
  char *p = buf[k++ % 4];
  snprintf(p, sizeof buf[0], "%s/%s", scratch, rel);
  return p;
}

static void setup(void) {
  strcpy(scratch, "/tmp/dagloon-sandbox-XXXXXX");
  cr_assert_not_null(mkdtemp(scratch));
  cr_assert_eq(mkdir(at("top"), 0700), 0);
  cr_assert_eq(mkdir(at("top/set"), 0700), 0);
  cr_assert_eq(mkdir(at("top/tables"), 0700), 0);
  cr_assert_eq(mkdir(at("outside"), 0700), 0);
  write_file("top/.dagloon-root", "");
  write_file("top/set/r.rules", "regel x: geheel = 1\n");
  write_file("top/tables/t.csv", "sleutel,waarde,status,bron\n");
  write_file("outside/geheim.csv", "geheim\n");
  cr_assert_eq(symlink(at("outside/geheim.csv"), at("top/tables/link.csv")), 0);
  cr_assert_eq(mkfifo(at("top/tables/pijp.csv"), 0600), 0);
}

static void teardown(void) {
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
  cr_assert_eq(system(cmd), 0);
}

TestSuite(sandbox, .init = setup, .fini = teardown, .timeout = 10);

Test(sandbox, the_marked_folder_above_the_named_set_is_the_tree) {
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set"));
  cr_assert_eq(sb.n, 1);
  cr_assert_eq(sandbox_judge(&sb, at("top/set/../tables/t.csv"), false), SANDBOX_OK, "'../' inside the tree");
  cr_assert_eq(sandbox_judge(&sb, at("top/set/../../outside/geheim.csv"), false), SANDBOX_OUTSIDE);
  cr_assert_eq(sandbox_judge(&sb, "/etc/passwd", false), SANDBOX_OUTSIDE);
  cr_assert_eq(sandbox_judge(&sb, at("top/tables/link.csv"), false), SANDBOX_OUTSIDE, "a link is judged where it leads");
  cr_assert_eq(sandbox_judge(&sb, at("top/tables/pijp.csv"), false), SANDBOX_NOT_REGULAR);
  cr_assert_eq(sandbox_judge(&sb, at("top/tables"), false), SANDBOX_NOT_REGULAR, "a folder is not a file");
  cr_assert_eq(sandbox_judge(&sb, at("top/tables"), true), SANDBOX_OK, "a proposal's base may be a folder");
  sandbox_free(&sb);
}

Test(sandbox, without_a_marker_the_named_folder_is_the_tree) {
  unlink(at("top/.dagloon-root"));
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set"));
  cr_assert_eq(sandbox_judge(&sb, at("top/set/r.rules"), false), SANDBOX_OK);
  cr_assert_eq(sandbox_judge(&sb, at("top/tables/t.csv"), false), SANDBOX_OUTSIDE, "a sibling folder is outside");
  sandbox_free(&sb);
}

Test(sandbox, whether_a_file_outside_exists_is_never_told) {
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set/r.rules"));
  cr_assert_eq(sandbox_judge(&sb, at("outside/geheim.csv"), false), SANDBOX_OUTSIDE);
  cr_assert_eq(sandbox_judge(&sb, at("outside/bestaat_niet.csv"), false), SANDBOX_OUTSIDE);
  cr_assert_eq(sandbox_judge(&sb, "/geen/map/bestaat_niet.csv", false), SANDBOX_OUTSIDE);
  cr_assert_eq(sandbox_judge(&sb, at("top/tables/bestaat_niet.csv"), false), SANDBOX_MISSING, "inside: said as before");
  sandbox_free(&sb);
}

Test(sandbox, a_refused_file_is_not_read_and_a_fifo_does_not_block) {
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set"));
  SourceSet ss = {0};
  char err[512] = "";
  cr_assert_eq(sandbox_load_entry(&sb, &ss, at("top/tables/link.csv"), err, sizeof err), -1);
  cr_assert(strstr(err, "outside the rule-set tree") != NULL, "%s", err);
  cr_assert(strstr(err, "geheim") == NULL, "nothing of the file, not even where the link leads: %s", err);
  cr_assert_eq(sandbox_load_entry(&sb, &ss, at("top/tables/pijp.csv"), err, sizeof err), -1);
  cr_assert(strstr(err, "not a regular file") != NULL, "%s", err);
  cr_assert_eq(ss.n, 0, "nothing was loaded");
  cr_assert_geq(sandbox_load_entry(&sb, &ss, at("top/tables/t.csv"), err, sizeof err), 0, "%s", err);
  cr_assert_eq(ss.n, 1);
  src_free(&ss);
  sandbox_free(&sb);
}

/* An overlay (source.h) that has a buffer for every path, as if the editor had them all open. */
static bool every_path(void *ctx, const char *path, const char **text, uint32_t *len) {
  (void)path;
  *text = ctx;
  *len = (uint32_t)strlen(ctx);
  return true;
}

Test(sandbox, an_overlay_stands_in_only_for_a_file_that_may_be_read) {
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set"));
  SourceOverlay ov = {every_path, "buffer\n"};
  SourceSet ss = {0};
  ss.overlay = &ov;
  char err[512] = "";
  int fi = sandbox_load_entry(&sb, &ss, at("top/tables/t.csv"), err, sizeof err);
  cr_assert_geq(fi, 0, "%s", err);
  cr_assert_str_eq(ss.files[fi].text, "buffer\n", "the buffer, not the disk");
  cr_assert_eq(sandbox_load_entry(&sb, &ss, at("top/tables/link.csv"), err, sizeof err), -1, "outside: refused");
  cr_assert_eq(sandbox_load_entry(&sb, &ss, at("top/tables/pijp.csv"), err, sizeof err), -1, "a FIFO: refused");
  cr_assert_eq(sandbox_load_entry(&sb, &ss, at("top/tables/bestaat_niet.csv"), err, sizeof err), -1,
               "a buffer without its file inside the tree is not read either");
  cr_assert_eq(ss.n, 1, "only the one that may be read");
  cr_assert_geq(src_load(&ss, at("outside/geheim.csv"), err, sizeof err), 0, "a path the operator names: as named");
  cr_assert_str_eq(ss.files[1].text, "buffer\n");
  src_free(&ss);
  sandbox_free(&sb);
}

Test(sandbox, the_operator_adds_a_folder) {
  Sandbox sb = {0};
  sandbox_add_named(&sb, at("top/set"));
  cr_assert_eq(sandbox_judge(&sb, at("outside/geheim.csv"), false), SANDBOX_OUTSIDE);
  char why[256];
  cr_assert(!sandbox_allow_path(at("outside/geheim.csv"), why, sizeof why), "a file is not a folder");
  cr_assert(sandbox_allow_path(at("outside"), why, sizeof why), "%s", why);
  cr_assert_eq(sandbox_judge(&sb, at("outside/geheim.csv"), false), SANDBOX_OK);
  cr_assert_eq(sandbox_judge(&sb, at("top/tables/link.csv"), false), SANDBOX_OK, "the link now leads inside");
  sandbox_free(&sb);
}
