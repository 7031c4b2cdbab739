/*
** letter_pdf.c: HTML to PDF through headless Chromium (see letter_pdf.h).
*/
#define _XOPEN_SOURCE 700   /* nftw */
#include "tools/letter_pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "tools/outfile.h"
#include "runtime/i18n.h"

extern char **environ;

#define CHROMIUM_SECONDS 120

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path);
  return 0;
}

static bool write_all(const char *path, const char *bytes, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return false;
  bool ok = fwrite(bytes, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* Runs argv, waiting at most CHROMIUM_SECONDS; true when it exited with status 0. */
static bool run_bounded(char *const argv[]) {
  pid_t pid;
  posix_spawn_file_actions_t fa;   /* its chatter (D-Bus, GPU) is not ours to show */
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    fprintf(stderr, _("dagloon: cannot start %s to make the PDF: %s (install it: tools/setup-deps.sh chromium, or set "
                    "DAGLOON_CHROMIUM)\n"), argv[0], strerror(rc));
    return false;
  }
  int status = 0;
  for (int tenths = 0;; tenths++) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) return false;
    if (tenths >= CHROMIUM_SECONDS * 10) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      fprintf(stderr, _("dagloon: %s did not finish the PDF within %d seconds\n"), argv[0], CHROMIUM_SECONDS);
      return false;
    }
    struct timespec ts = {0, 100000000L};
    nanosleep(&ts, NULL);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  fprintf(stderr, _("dagloon: %s failed to make the PDF (status %d)\n"), argv[0], status);
  return false;
}

bool letter_pdf(const char *html, size_t len, const char *path) {
  const char *tmp = getenv("TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/dagloon-brief-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, _("dagloon: cannot make a temporary folder for the PDF: %s\n"), strerror(errno));
    return false;
  }
  char page[4200], pdf[4200], profile[4200], url[4300], out_arg[4300], profile_arg[4300];
  snprintf(page, sizeof page, "%s/brief.html", dir);
  snprintf(pdf, sizeof pdf, "%s/brief.pdf", dir);
  snprintf(profile, sizeof profile, "%s/profiel", dir);
  snprintf(url, sizeof url, "file://%s", page);
  snprintf(out_arg, sizeof out_arg, "--print-to-pdf=%s", pdf);
  snprintf(profile_arg, sizeof profile_arg, "--user-data-dir=%s", profile);
  const char *chromium = getenv("DAGLOON_CHROMIUM");
  bool ok = write_all(page, html, len);
  if (ok) {
    /* --no-sandbox: Chromium refuses to start as root without it; the page is our own, without scripts, and
       its Content-Security-Policy (default-src 'none') lets it run or load nothing. (Switching scripts off
       with --blink-settings makes --print-to-pdf write nothing.) */
    char *argv[] = {(char *)(chromium && *chromium ? chromium : "chromium"), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", profile_arg, out_arg, url, NULL};
    ok = run_bounded(argv);
  }
  FILE *in = ok ? fopen(pdf, "rb") : NULL;
  if (!in && ok) fprintf(stderr, _("dagloon: Chromium made no PDF\n"));
  ok = in != NULL;
  if (ok) {
    OutFile of;
    FILE *out = outfile_open(&of, path);
    char buf[65536];
    size_t n;
    if (!out) ok = false;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    if (out && ferror(in)) {
      outfile_abort(&of);
      ok = false;
    } else if (out && !outfile_commit(&of)) {
      ok = false;
    }
  }
  if (in) fclose(in);
  nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  return ok;
}
