/*
** fmt_cmd.c: the command dagloon fmt [--check] FILES... (tools/fmt.h).
** The diff of --check is diff -u (diffutils, on every Debian system) of
** the file against its formatted text in a temporary file.
*/
#define _GNU_SOURCE
#include "tools/fmt.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lang/source.h"
#include "tools/cli.h"
#include "tools/options.h"
#include "tools/outfile.h"
#include "runtime/i18n.h"

extern char **environ;

/* diff -u of path against text[0..n) on standard output. */
static bool show_diff(const char *path, const char *text, size_t n) {
  const char *dir = getenv("TMPDIR");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s/dagloon-fmt-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(tmp);
  if (fd < 0) return false;
  bool ok = write(fd, text, n) == (ssize_t)n;
  close(fd);
  if (ok) {
    fflush(stdout);
    char label[4200];
    snprintf(label, sizeof label, _("%s (dagloon fmt)"), path);
    char *argv[] = {"diff", "-u", "--label", (char *)path, "--label", label, "--", (char *)path, tmp, NULL};
    pid_t pid;
    int st;
    ok = posix_spawnp(&pid, "diff", NULL, NULL, argv, environ) == 0 && waitpid(pid, &st, 0) == pid &&
         WIFEXITED(st) && WEXITSTATUS(st) <= 1;
  }
  unlink(tmp);
  return ok;
}

int cmd_fmt(const ParsedArgs *a) {
  if (a->noperands < 1) return command_usage_error(a->command, "fmt needs at least one rule file");
  bool check = option_given(a, "check");
  int worst = EXIT_OK;
  for (size_t i = 0; i < a->noperands; i++) {
    const char *path = a->operands[i];
    SourceSet ss = {0};
    char err[512];
    int idx = src_load(&ss, path, err, sizeof err);
    if (idx < 0) {
      fprintf(stderr, "dagloon: %s\n", err);
      src_free(&ss);
      if (worst < EXIT_USAGE) worst = EXIT_USAGE;
      continue;
    }
    const SourceFile *sf = &ss.files[idx];
    char *out = NULL;
    size_t n;
    uint32_t off;
    if (!fmt_text(sf->text, sf->len, &out, &n, err, sizeof err, &off)) {
      uint32_t line, col;
      src_line_col(sf, off, &line, &col);
      fprintf(stderr, _("%s:%u:%u: error: %s (not formatted)\n"), path, line, col, err);
      if (worst < EXIT_RULE_ERRORS) worst = EXIT_RULE_ERRORS;
    } else if (n != sf->len || memcmp(out, sf->text, n) != 0) {
      if (check) {
        if (!show_diff(path, out, n)) fprintf(stderr, _("dagloon: %s: not formatted (diff -u could not run)\n"), path);
        if (worst < EXIT_RULE_ERRORS) worst = EXIT_RULE_ERRORS;
      } else {
        OutFile o;
        FILE *f = outfile_open(&o, path);
        if (!f) worst = EXIT_WRITE_ERROR;
        else {
          fwrite(out, 1, n, f);
          if (!outfile_commit(&o)) worst = EXIT_WRITE_ERROR;
        }
      }
    }
    free(out);
    src_free(&ss);
  }
  return worst;
}
