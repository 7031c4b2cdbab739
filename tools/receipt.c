/*
** receipt.c: receipts and `dagloon replay` (see receipt.h).
**
** Standard output is caught in an unlinked temporary file for the length
** of the command (its descriptor 1 is swapped), so a receipt can hash
** whatever the command printed, however it printed it, and then copies it
** to the real standard output. Files are hashed with nettle's sha256.
**
** Replay runs this program again with the recorded command line (in the
** recorded directory), its output files moved to a temporary directory and
** a receipt of its own, and compares the two receipts field by field.
*/
#include "tools/receipt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "runtime/bundle.h"
#include "runtime/mem.h"
#include "tools/commands.h"

extern char **environ;

#define RECEIPT_SCHEMA "dagloon-receipt/1"

struct Receipt {
  char *path;
  json_t *top;
  json_t *files;       /* [{role, path, sha256, bytes}] in the order they were met */
  int saved_stdout;    /* the real standard output, while fd 1 is the capture file */
  int capture;         /* the capture file (unlinked), or -1 */
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

static bool sha256_file(const char *path, char hex[65], uint64_t *bytes) {
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
  if (r->capture < 0) fprintf(stderr, "dagloon: warning: cannot catch standard output for the receipt: %s\n", strerror(errno));
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
  }
  if (r->saved_stdout >= 0) close(r->saved_stdout);
  char sig[32];
  snprintf(sig, sizeof sig, "%016" PRIx64, bundle_opcode_signature());
  json_object_set_new(r->top, "engine", json_string(engine));
  json_object_set_new(r->top, "bundle_format", json_integer(BUNDLE_FORMAT));
  json_object_set_new(r->top, "opcodes", json_string(sig));
  json_object_set_new(r->top, "files", r->files);
  json_object_set_new(r->top, "exit", json_integer(status));
  int rc = status;
  size_t tl = strlen(r->path) + 8;
  char *tmp = xmalloc(tl);
  snprintf(tmp, tl, "%s.tmp", r->path);
  if (json_dump_file(r->top, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || rename(tmp, r->path) != 0) {
    fprintf(stderr, "dagloon: cannot write the receipt '%s': %s\n", r->path, strerror(errno));
    remove(tmp);
    rc = 2;
  }
  free(tmp);
  json_decref(r->top);
  free(r->path);
  free(r);
  return rc;
}

/* ---- replay ---- */

static const char *str_at(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

int cmd_replay(const ParsedArgs *args, const char *engine) {
  if (args->noperands != 1) return command_usage_error(args->command, "replay needs one RECEIPT");
  char **argv = args->operands;
  json_error_t jerr;
  json_t *rec = json_load_file(argv[0], 0, &jerr);
  if (!rec || !json_is_object(rec) || !str_at(rec, "schema") || strcmp(str_at(rec, "schema"), RECEIPT_SCHEMA) != 0) {
    fprintf(stderr, "replay: %s is not a dagloon receipt%s%s\n", argv[0], rec ? "" : ": ", rec ? "" : jerr.text);
    json_decref(rec);
    return 2;
  }
  int differ = 0;
  char sig[32];
  snprintf(sig, sizeof sig, "%016" PRIx64, bundle_opcode_signature());
  const char *was = str_at(rec, "engine");
  if (!was || strcmp(was, engine) != 0 || json_integer_value(json_object_get(rec, "bundle_format")) != BUNDLE_FORMAT ||
      !str_at(rec, "opcodes") || strcmp(str_at(rec, "opcodes"), sig) != 0) {
    fprintf(stderr, "replay: DIFFERS: the receipt was made by dagloon %s (bundle format %" JSON_INTEGER_FORMAT
            ", opcodes %s); this is dagloon %s (bundle format %d, opcodes %s)\n", was ? was : "?",
            json_integer_value(json_object_get(rec, "bundle_format")), str_at(rec, "opcodes") ? str_at(rec, "opcodes") : "?",
            engine, BUNDLE_FORMAT, sig);
    differ = 1;
  }
  const char *dir = str_at(rec, "directory");
  if (dir && chdir(dir) != 0) {
    fprintf(stderr, "replay: cannot enter %s (%s): the paths in the receipt are relative to it\n", dir, strerror(errno));
    json_decref(rec);
    return 2;
  }
  /* the files read must be the files read then */
  json_t *files = json_object_get(rec, "files");
  size_t i;
  json_t *e;
  json_array_foreach(files, i, e) {
    const char *role = str_at(e, "role"), *path = str_at(e, "path"), *sha = str_at(e, "sha256");
    if (!role || !path) continue;
    bool read_side = strcmp(role, "rules") == 0 || strcmp(role, "table") == 0 || strcmp(role, "bundle") == 0 ||
                     strcmp(role, "input") == 0 || strcmp(role, "native") == 0;
    if (!read_side) continue;
    char hex[65];
    if (!sha) {
      fprintf(stderr, "replay: DIFFERS: %s %s was not hashed (standard input cannot be replayed)\n", role, path);
      differ = 1;
    } else if (!sha256_file(path, hex, NULL)) {
      fprintf(stderr, "replay: DIFFERS: %s %s cannot be read now: %s\n", role, path, strerror(errno));
      differ = 1;
    } else if (strcmp(hex, sha) != 0) {
      fprintf(stderr, "replay: DIFFERS: %s %s has changed: sha256 %s in the receipt, %s now\n", role, path, sha, hex);
      differ = 1;
    }
  }
  /* the command again: outputs and its receipt into a temporary directory */
  char tdir[] = "/tmp/dagloon-replay-XXXXXX";
  if (!mkdtemp(tdir)) {
    fprintf(stderr, "replay: cannot make a temporary directory: %s\n", strerror(errno));
    json_decref(rec);
    return 2;
  }
  json_t *cmd = json_object_get(rec, "command");
  size_t n = json_array_size(cmd);
  char **av = xcalloc(n + 3, sizeof *av);
  char **owned = xcalloc(n + 3, sizeof *owned);
  size_t k = 0, nowned = 0;
  char again[4200];
  snprintf(again, sizeof again, "%s/receipt.json", tdir);
  char **texts = xcalloc(n + 3, sizeof *texts);   /* "--name=PATH" made here */
  size_t ntexts = 0;
  const CommandSpec *spec = NULL;   /* known once the command's name is passed */
  bool operands_only = false;       /* after "--" */
  for (size_t j = 0; j < n; j++) {
    const char *a = json_string_value(json_array_get(cmd, j));
    if (!a) a = "";
    const char *inline_value = NULL;
    const OptSpec *o = spec && !operands_only ? option_of_token(spec, a, &inline_value) : NULL;
    if (j == 0) {
      av[k++] = "dagloon";
    } else if (!spec && !operands_only && a[0] != '-' && command_find(a)) {
      spec = command_find(a);
      av[k++] = (char *)a;
    } else if (o && o->kind == OPT_OUTPUT_FILE && (inline_value || j + 1 < n)) {
      /* every file the command writes goes to the temporary directory; its receipt to `again` */
      const char *to = again;
      if (strcmp(o->name, "receipt") != 0) {
        size_t len = strlen(tdir) + 32;
        char *p = xmalloc(len);
        snprintf(p, len, "%s/out%zu", tdir, j + 1);
        owned[nowned++] = p;
        to = p;
      }
      if (inline_value) {
        size_t len = (size_t)(inline_value - a) + strlen(to) + 1;
        char *t = xmalloc(len);
        snprintf(t, len, "%.*s%s", (int)(inline_value - a), a, to);
        texts[ntexts++] = t;
        av[k++] = t;
      } else {
        av[k++] = (char *)a;
        av[k++] = (char *)to;
        j++;
      }
    } else {
      if (strcmp(a, "--") == 0 && spec) operands_only = true;
      /* the value of another option is passed on as it is (it may look like anything) */
      bool takes_value = o && o->kind != OPT_FLAG && !inline_value && j + 1 < n;
      av[k++] = (char *)a;
      const char *v = takes_value ? json_string_value(json_array_get(cmd, ++j)) : NULL;
      if (takes_value) av[k++] = (char *)(v ? v : "");
    }
  }
  av[k] = NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  char errpath[4200];
  snprintf(errpath, sizeof errpath, "%s/stderr", tdir);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  int st = -1;
  int sp = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, av, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (sp == 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st)) st = WEXITSTATUS(st);
  else st = -1;
  json_t *now = json_load_file(again, 0, &jerr);
  int rc = 0;
  if (!now) {
    fprintf(stderr, "replay: the command did not write its receipt (exit %d); its messages:\n", st);
    FILE *ef = fopen(errpath, "r");
    char line[1024];
    while (ef && fgets(line, sizeof line, ef)) fprintf(stderr, "  %s", line);
    if (ef) fclose(ef);
    rc = 3;
  } else {
    json_int_t x1 = json_integer_value(json_object_get(rec, "exit")), x2 = json_integer_value(json_object_get(now, "exit"));
    if (x1 != x2) {
      fprintf(stderr, "replay: DIFFERS: exit status %" JSON_INTEGER_FORMAT " in the receipt, %" JSON_INTEGER_FORMAT " now\n", x1, x2);
      differ = 1;
    }
    /* every file, read or written, in order, by role and hash */
    json_t *f2 = json_object_get(now, "files");
    if (json_array_size(files) != json_array_size(f2)) {
      fprintf(stderr, "replay: DIFFERS: %zu files in the receipt, %zu now\n", json_array_size(files), json_array_size(f2));
      differ = 1;
    }
    for (size_t j = 0; j < json_array_size(files) && j < json_array_size(f2); j++) {
      json_t *a = json_array_get(files, j), *b = json_array_get(f2, j);
      const char *ra = str_at(a, "role"), *sa = str_at(a, "sha256"), *sb = str_at(b, "sha256");
      if (!ra || !str_at(b, "role") || strcmp(ra, str_at(b, "role")) != 0 || !sa || !sb || strcmp(sa, sb) != 0) {
        bool written = ra && (strcmp(ra, "stdout") == 0 || strcmp(ra, "output") == 0 || strcmp(ra, "errors") == 0 ||
                              strcmp(ra, "junit") == 0 || strcmp(ra, "explanations") == 0);
        bool compiled = ra && strcmp(ra, "compiled") == 0;
        fprintf(stderr, "replay: DIFFERS: %s %s: sha256 %s in the receipt, %s now%s\n", ra ? ra : "?",
                str_at(a, "path") ? str_at(a, "path") : "?", sa ? sa : "-", sb ? sb : "-",
                written ? " (the output is not byte-identical)" : compiled ? " (the rules compile to other bytecode)" : "");
        differ = 1;
      }
    }
    if (differ) rc = 3;
    else
      fprintf(stderr, "replay: reproduced: the same engine, rules, compiled bundle, input and output (%zu files), exit %"
              JSON_INTEGER_FORMAT "\n", json_array_size(files), x1);
  }
  json_decref(now);
  /* clean up the temporary directory */
  remove(again);
  remove(errpath);
  for (size_t j = 0; j < nowned; j++) {
    remove(owned[j]);
    free(owned[j]);
  }
  rmdir(tdir);
  for (size_t j = 0; j < ntexts; j++) free(texts[j]);
  free(texts);
  free(owned);
  free(av);
  json_decref(rec);
  return differ ? 3 : rc;
}
