/*
** native_compile.c: the steps of `dagloon compile --native` (native_compile.h).
** The C compiler runs as a child process (no shell), in a private temporary
** folder that is removed afterwards; the object it makes is copied to FILE
** through an OutFile, so a failed compile never leaves half a FILE.
*/
#define _GNU_SOURCE
#include "tools/native_compile.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/bundle.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "runtime/native.h"
#include "runtime/native_bundle.h"
#include "tools/cli.h"
#include "tools/native_gen.h"
#include "tools/outfile.h"
#include "tools/version.h"

extern char **environ;

/* The bundle bytes of c (and traced) in memory; NULL and a message on failure. */
static unsigned char *bundle_bytes(const Chunk *c, const Chunk *traced, size_t *n) {
  char *buf = NULL, err[400];
  FILE *ms = open_memstream(&buf, n);
  if (!ms) {
    fprintf(stderr, _("dagloon: cannot make the bundle in memory: %s\n"), strerror(errno));
    return NULL;
  }
  bool ok = bundle_write_traced(c, traced, DAGLOON_VERSION, ms, err, sizeof err);
  if (fclose(ms) != 0 && ok) {
    ok = false;
    snprintf(err, sizeof err, "%s", strerror(errno));
  }
  if (!ok) {
    fprintf(stderr, _("dagloon: cannot make the bundle: %s\n"), err);
    free(buf);
    return NULL;
  }
  return (unsigned char *)buf;
}

static bool temp_dir(char *dir, size_t cap);

/* Runs the C compiler on src into obj; true when it exits 0. */
static bool run_cc(const char *src, const char *obj) {
  const char *cc = getenv("CC");
  if (!cc || !*cc) cc = "cc";
  char flags[] = NATIVE_CFLAGS;
  char *argv[32];
  int n = 0;
  argv[n++] = (char *)cc;
  for (char *save = NULL, *t = strtok_r(flags, " ", &save); t && n < 26; t = strtok_r(NULL, " ", &save)) argv[n++] = t;
  argv[n++] = "-o";
  argv[n++] = (char *)obj;
  argv[n++] = (char *)src;
  argv[n] = NULL;
  pid_t pid;
  int rc = posix_spawnp(&pid, cc, NULL, NULL, argv, environ);
  if (rc != 0) {
    fprintf(stderr, _("dagloon: cannot run the C compiler '%s' (set CC): %s\n"), cc, strerror(rc));
    return false;
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return false;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, _("dagloon: the C compiler '%s' failed on the translated rules\n"), cc);
    return false;
  }
  return true;
}

/* Copies the file at from to the OutFile at to. */
static int copy_out(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) {
    fprintf(stderr, "dagloon: %s: %s\n", from, strerror(errno));
    return EXIT_WRITE_ERROR;
  }
  OutFile of;
  FILE *out = outfile_open(&of, to);
  if (!out) {
    fclose(in);
    return EXIT_WRITE_ERROR;
  }
  char buf[65536];
  size_t got;
  bool ok = true;
  while (ok && (got = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, got, out) == got;
  ok = ok && !ferror(in);
  fclose(in);
  if (!ok) {
    outfile_abort(&of);
    fprintf(stderr, "dagloon: %s: %s\n", to, strerror(errno));
    return EXIT_WRITE_ERROR;
  }
  return outfile_commit(&of) ? EXIT_OK : EXIT_WRITE_ERROR;
}

int native_compile(const Chunk *c, const Chunk *traced, const char *outpath) {
  size_t n = 0;
  unsigned char *bytes = bundle_bytes(c, traced, &n);
  if (!bytes) return EXIT_WRITE_ERROR;
  char err[600];
  Chunk *verified = bundle_read_mem(bytes, n, outpath, err, sizeof err);   /* what is translated passed the verifier */
  if (!verified) {
    fprintf(stderr, "dagloon: %s\n", err);
    free(bytes);
    return EXIT_RULE_ERRORS;
  }
  char dir[4096], src[4200], obj[4200];
  int status = EXIT_WRITE_ERROR;
  if (!temp_dir(dir, sizeof dir)) {
    chunk_free(verified);
    free(bytes);
    return status;
  }
  snprintf(src, sizeof src, "%s/rules.c", dir);
  snprintf(obj, sizeof obj, "%s/rules.so", dir);
  FILE *f = fopen(src, "w");
  bool ok = f && native_gen(verified, bytes, n, NATIVE_CFLAGS, f, err, sizeof err);
  if (f && fclose(f) != 0) ok = false;
  if (!ok) fprintf(stderr, _("dagloon: cannot write the translated rules: %s\n"), f ? err : strerror(errno));
  if (ok && run_cc(src, obj)) status = copy_out(obj, outpath);
  else if (ok) status = EXIT_USAGE;
  if (getenv("DAGLOON_KEEP_NATIVE_C") == NULL) {   /* for a look at the C: keep the folder */
    unlink(src);
    unlink(obj);
    rmdir(dir);
  } else {
    fprintf(stderr, "dagloon: %s\n", src);
  }
  chunk_free(verified);
  free(bytes);
  return status;
}

/* A private temporary folder under $TMPDIR (or /tmp) into dir; false (said) when none can be made. */
static bool temp_dir(char *dir, size_t cap) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, cap, "%s/dagloon-native-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(dir)) return true;
  fprintf(stderr, _("dagloon: cannot make a temporary folder: %s\n"), strerror(errno));
  return false;
}

Chunk *native_rebuild(Chunk *c, int *status) {
  char dir[4096], so[4200], why[600];
  *status = EXIT_WRITE_ERROR;
  if (!temp_dir(dir, sizeof dir)) return NULL;
  snprintf(so, sizeof so, "%s/rules.so", dir);
  Chunk *n = NULL;
  *status = native_compile(c, NULL, so);
  if (*status == EXIT_OK) {
    NativeAllow own = {0};   /* the object just made, in our own folder: the operator asked for it */
    if (native_allow_add(&own, so, why, sizeof why)) n = native_bundle_read_allowed(&own, so, NULL, why, sizeof why);
    native_allow_free(&own);
    if (!n) {
      fprintf(stderr, "dagloon: %s\n", why);
      *status = EXIT_USAGE;
    }
  }
  unlink(so);
  rmdir(dir);
  if (n) chunk_free(c);
  return n;
}
