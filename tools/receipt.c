/*
** receipt.c: receipts and `dagloon replay` (see receipt.h).
**
** Standard output is caught in an unlinked temporary file for the length
** of the command (its descriptor 1 is swapped), so a receipt can hash
** whatever the command printed, however it printed it, and then copies it
** to the real standard output. Files are hashed with nettle's sha256.
**
** Replaying a receipt is tools/replay.c.
*/
#include "tools/receipt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "runtime/bundle.h"
#include "runtime/mem.h"
#include "tools/cli.h"
#include "tools/outfile.h"
#include "runtime/i18n.h"

#define RECEIPT_SCHEMA "dagloon-receipt/1"

struct Receipt {
  char *path;
  json_t *top;
  json_t *files;       /* [{role, path, sha256, bytes}] in the order they were met */
  int saved_stdout;    /* the real standard output, while fd 1 is the capture file */
  int capture;         /* the capture file (unlinked), or -1 */
  bool discarded;      /* receipt_discard: write no receipt */
};

/* ---- sha256 ---- */

static void hex_of(const uint8_t *d, char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[64] = 0;
}

void sha256_hex(const void *data, size_t n, char hex[65]) {
  struct sha256_ctx ctx;
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, n, data);
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
  hex_of(d, hex);
}

/* sha256 of what fd holds from its current position on; optionally copied to `copy_to`. */
static bool sha256_fd(int fd, int copy_to, char hex[65], uint64_t *bytes) {
  struct sha256_ctx ctx;
  uint8_t d[SHA256_DIGEST_SIZE];
  char buf[65536];
  uint64_t total = 0;
  sha256_init(&ctx);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    sha256_update(&ctx, (size_t)n, (const uint8_t *)buf);
    total += (uint64_t)n;
    for (ssize_t off = 0; copy_to >= 0 && off < n;) {
      ssize_t w = write(copy_to, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return false;
      off += w;
    }
  }
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
  hex_of(d, hex);
  if (bytes) *bytes = total;
  return true;
}

bool sha256_file(const char *path, char hex[65], uint64_t *bytes) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return false;
  bool ok = sha256_fd(fd, -1, hex, bytes);
  close(fd);
  return ok;
}

/* ---- writing a receipt ---- */

static void add_entry(Receipt *r, const char *role, const char *path, const char *hex, uint64_t bytes) {
  json_t *e = json_object();
  json_object_set_new(e, "role", json_string(role));
  json_object_set_new(e, "path", json_string(path));
  json_object_set_new(e, "sha256", hex ? json_string(hex) : json_null());
  json_object_set_new(e, "bytes", json_integer((json_int_t)bytes));
  json_array_append_new(r->files, e);
}

Receipt *receipt_begin(const char *path, int argc, char **argv) {
  if (!path) return NULL;
  Receipt *r = xcalloc(1, sizeof *r);
  r->path = xstrdup(path);
  r->top = json_object();
  r->files = json_array();
  r->capture = -1;
  r->saved_stdout = -1;
  json_t *cmd = json_array();
  for (int i = 0; i < argc; i++) json_array_append_new(cmd, json_string(argv[i]));
  char cwd[4096];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  char when[32];
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json_object_set_new(r->top, "schema", json_string(RECEIPT_SCHEMA));
  json_object_set_new(r->top, "command", cmd);
  json_object_set_new(r->top, "directory", json_string(getcwd(cwd, sizeof cwd) ? cwd : "."));
  json_object_set_new(r->top, "calculation_date", json_string(when));
  /* standard output into an unlinked temporary file until receipt_end */
  char tmpl[] = "/tmp/dagloon-stdout-XXXXXX";
  const char *dir = getenv("TMPDIR");
  char *name = dir && *dir ? NULL : tmpl;
  char buf[4096];
  if (!name) {
    snprintf(buf, sizeof buf, "%s/dagloon-stdout-XXXXXX", dir);
    name = buf;
  }
  fflush(stdout);
  int fd = mkstemp(name);
  if (fd >= 0) {
    unlink(name);
    r->saved_stdout = dup(STDOUT_FILENO);
    if (r->saved_stdout >= 0 && dup2(fd, STDOUT_FILENO) >= 0) r->capture = fd;
    else close(fd);
  }
  if (r->capture < 0) fprintf(stderr, _("dagloon: warning: cannot catch standard output for the receipt: %s\n"), strerror(errno));
  return r;
}

void receipt_rules(Receipt *r, const char *rules_arg, const Chunk *c) {
  if (!r) return;
  for (uint32_t i = 0; i < c->nfiles; i++) {
    char hex[65];
    sha256_hex(c->files[i].text, c->files[i].len, hex);
    size_t n = strlen(c->files[i].name);
    bool table = n > 4 && strcmp(c->files[i].name + n - 4, ".csv") == 0;
    add_entry(r, table ? "table" : "rules", c->files[i].name, hex, c->files[i].len);
  }
  if (bundle_is(rules_arg)) {
    char hex[65];
    uint64_t bytes = 0;
    bool ok = sha256_file(rules_arg, hex, &bytes);
    add_entry(r, "bundle", rules_arg, ok ? hex : NULL, bytes);
  }
  /* the native libraries the rules called: the code that computed part of the result */
  for (uint32_t i = 0; i < c->nnatives; i++) {
    bool seen = false;
    for (uint32_t k = 0; k < i && !seen; k++) seen = strcmp(c->natives[k].library, c->natives[i].library) == 0;
    if (seen) continue;
    /* what was loaded: the sealed copy made when the operator allowed it, not the file now */
    const NativeOrigin *o = &c->natives[i].origin;
    add_entry(r, "native", c->natives[i].library, o->sha256[0] ? o->sha256 : NULL, o->bytes);
  }
  /* the compiled rule set's own identity: the bytes of its bundle */
  char *mem = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&mem, &len);
  char err[300];
  if (m && bundle_write(c, "", m, err, sizeof err)) {
    fclose(m);
    char hex[65];
    sha256_hex(mem, len, hex);
    add_entry(r, "compiled", rules_arg, hex, len);
  } else {
    if (m) fclose(m);
    add_entry(r, "compiled", rules_arg, NULL, 0);
  }
  free(mem);
}

void receipt_file(Receipt *r, const char *role, const char *path) {
  if (!r || !path) return;
  if (strcmp(path, "-") == 0) {   /* standard input cannot be read again */
    add_entry(r, role, "-", NULL, 0);
    return;
  }
  char hex[65];
  uint64_t bytes = 0;
  bool ok = sha256_file(path, hex, &bytes);
  add_entry(r, role, path, ok ? hex : NULL, bytes);
}

void receipt_bytes(Receipt *r, const char *role, const char *path, const char *data, size_t len) {
  if (!r || !path) return;
  char hex[65];
  sha256_hex(data, len, hex);
  add_entry(r, role, path, hex, len);
}

void receipt_discard(Receipt *r) {
  if (r) r->discarded = true;
}

int receipt_end(Receipt *r, int status, const char *engine) {
  if (!r) return status;
  fflush(stdout);
  if (r->capture >= 0) {
    dup2(r->saved_stdout, STDOUT_FILENO);
    char hex[65];
    uint64_t bytes = 0;
    bool ok = lseek(r->capture, 0, SEEK_SET) == 0 && sha256_fd(r->capture, STDOUT_FILENO, hex, &bytes);
    add_entry(r, "stdout", "-", ok ? hex : NULL, bytes);
    close(r->capture);
    if (!ok) {   /* what the command printed did not reach standard output */
      fprintf(stderr, _("dagloon: cannot write standard output: %s\n"), strerror(errno));
      status = EXIT_WRITE_ERROR;
    }
  }
  if (r->saved_stdout >= 0) close(r->saved_stdout);
  if (r->discarded) {
    json_decref(r->files);
    json_decref(r->top);
    free(r->path);
    free(r);
    return status;
  }
  char sig[32];
  snprintf(sig, sizeof sig, "%016" PRIx64, bundle_opcode_signature());
  json_object_set_new(r->top, "engine", json_string(engine));
  json_object_set_new(r->top, "bundle_format", json_integer(BUNDLE_FORMAT));
  json_object_set_new(r->top, "opcodes", json_string(sig));
  json_object_set_new(r->top, "files", r->files);
  json_object_set_new(r->top, "exit", json_integer(status));
  int rc = status;
  OutFile of;
  FILE *f = outfile_open(&of, r->path);
  if (!f || json_dumpf(r->top, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || !outfile_commit(&of)) {
    outfile_abort(&of);
    fprintf(stderr, _("dagloon: the receipt '%s' is not written\n"), r->path);
    rc = EXIT_WRITE_ERROR;
  }
  json_decref(r->top);
  free(r->path);
  free(r);
  return rc;
}

