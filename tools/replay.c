/*
** replay.c: `dagloon replay RECEIPT [--allow-native LIB]...` -- the
** command of a receipt run again, and its new receipt compared with the old.
**
** The receipt is hostile input (receipt_plan.c checks it and makes the
** command line). Here: the operator's libraries are matched against the
** receipt's (a receipt never allows native code itself), the command runs in
** the recorded directory with every output, and its receipt, in a temporary
** directory that is removed on every way out (signals included), and the
** two receipts are compared. Replay hashes no file itself except the
** libraries the operator named: what the command read is hashed by the
** command, so nothing is said about a path the command does not read.
*/
#define _XOPEN_SOURCE 700   /* realpath */
#include "tools/receipt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runtime/bundle.h"
#include "runtime/mem.h"
#include "tools/cli.h"
#include "tools/receipt_plan.h"
#include "runtime/i18n.h"

extern char **environ;

/* ---- the receipt's text ---- */

/* The whole file, if it is a regular file within the size limit; NULL and the reason otherwise. */
static char *read_receipt(const char *path, size_t *len, char *err, size_t cap) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);   /* a FIFO must not hold us up */
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(err, cap, "%s", strerror(errno));
    if (fd >= 0) close(fd);
    return NULL;
  }
  if (!S_ISREG(st.st_mode) || st.st_size > RECEIPT_MAX_BYTES) {
    snprintf(err, cap, S_ISREG(st.st_mode) ? "it is larger than %d MiB" : "it is not a regular file",
             RECEIPT_MAX_BYTES >> 20);
    close(fd);
    return NULL;
  }
  char *buf = xmalloc((size_t)st.st_size + 1);
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      snprintf(err, cap, "%s", strerror(errno));
      free(buf);
      close(fd);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
    if (n > (size_t)st.st_size) {   /* grew while read */
      snprintf(err, cap, _("it changed while it was read"));
      free(buf);
      close(fd);
      return NULL;
    }
  }
  close(fd);
  *len = n;
  return buf;
}

/* ---- the operator's native libraries against the receipt's ---- */

typedef struct Allowed {
  char *real;   /* realpath of what the operator named */
  char hex[65];
  bool matched;
} Allowed;

/* "PATH" or "PATH=SHA256" (64 hex digits after the last '='): the path, and the pinned hash or "". */
static char *split_pinned(const char *value, char pin[65]) {
  const char *eq = strrchr(value, '=');
  pin[0] = 0;
  if (eq && strlen(eq + 1) == 64 && strspn(eq + 1, "0123456789abcdefABCDEF") == 64) {
    for (int i = 0; i < 64; i++) pin[i] = (char)(eq[1 + i] | 0x20);
    pin[64] = 0;
    return xstrndup(value, (size_t)(eq - value));
  }
  return xstrdup(value);
}

/*
** The next value of the operator's --NAME (allow-native or allow-path): those
** main took before the command ('dagloon --allow-native LIB replay R'), then
** those after it. NULL when there are no more; *before and *pos start at 1 and 0.
*/
static const char *operator_value(const ParsedArgs *args, const char *name, size_t *before, size_t *pos) {
  while (*before + 1 < (size_t)dagloon_argc && (strcmp(dagloon_argv[*before], "--allow-native") == 0 ||
                                               strcmp(dagloon_argv[*before], "--allow-path") == 0)) {
    const char *opt = dagloon_argv[*before] + 2, *v = dagloon_argv[*before + 1];
    *before += 2;
    if (strcmp(opt, name) == 0) return v;
  }
  return option_next(args, name, pos);
}

/*
** The operator's --allow-native libraries, hashed; before the replay
** enters the receipt's directory (the operator's paths are relative to where
** they typed them). False with the reason printed.
*/
static bool operator_natives(const ParsedArgs *args, Allowed **out, size_t *n) {
  size_t pos = 0, cap = 0, before = 1;
  *out = NULL;
  *n = 0;
  for (const char *v; (v = operator_value(args, "allow-native", &before, &pos));) {
    char pin[65];
    char *path = split_pinned(v, pin);
    Allowed a = {realpath(path, NULL), "", false};
    uint64_t bytes;
    bool ok = a.real && sha256_file(a.real, a.hex, &bytes);
    if (!ok) fprintf(stderr, _("replay: --allow-native %s: %s\n"), path, strerror(errno));
    else if (*pin && strcmp(pin, a.hex) != 0)
      fprintf(stderr, _("replay: --allow-native %s: its sha256 is %s, not %s\n"), path, a.hex, pin);
    free(path);
    if (!ok || (*pin && strcmp(pin, a.hex) != 0)) {
      free(a.real);
      return false;
    }
    VEC_PUSH(*out, *n, cap, a);
  }
  return true;
}

/*
** The operator's --allow-path folders (before the command or after it), as
** real paths: the replayed command runs in the receipt's directory. A
** receipt's own --allow-path is dropped (receipt_plan.c), so only these let
** its rule files read outside their tree. False with the reason printed.
*/
static bool operator_paths(const ParsedArgs *args, char ***out, size_t *n) {
  size_t pos = 0, cap = 0, before = 1;
  *out = NULL;
  *n = 0;
  for (const char *v; (v = operator_value(args, "allow-path", &before, &pos));) {
    char *real = realpath(v, NULL);
    if (!real) {
      fprintf(stderr, _("replay: --allow-path %s: %s\n"), v, strerror(errno));
      return false;
    }
    VEC_PUSH(*out, *n, cap, real);
  }
  return true;
}

/*
** Every native library the receipt records must be one the operator named,
** with the same sha256, and every library the operator named must be one
** the receipt records. In the receipt's directory. False with the reasons.
*/
static bool natives_match(const ReplayPlan *p, const char *receipt, Allowed *al, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < p->nfiles; i++) {
    const ReceiptFile *f = &p->files[i];
    if (strcmp(f->role, "native") != 0) continue;
    char *real = realpath(f->path, NULL);
    Allowed *same = NULL;
    for (size_t k = 0; k < n && !same; k++)
      if (real && strcmp(real, al[k].real) == 0) same = &al[k];
    free(real);
    if (!same) {
      fprintf(stderr, _("replay: refused: the receipt records the native library %s, which this replay does not "
              "allow: a receipt cannot allow native code; if you trust it: dagloon replay %s --allow-native %s%s%s\n"),
              f->path, receipt, f->path[0] == '/' ? "" : p->directory, f->path[0] == '/' ? "" : "/", f->path);
      ok = false;
    } else if (!f->sha256 || strcmp(f->sha256, same->hex) != 0) {
      fprintf(stderr, _("replay: refused: --allow-native %s: sha256 %s, but the receipt recorded %s for the native "
              "library %s\n"), same->real, same->hex, f->sha256 ? f->sha256 : "none", f->path);
      same->matched = true;
      ok = false;
    } else {
      same->matched = true;
    }
  }
  for (size_t k = 0; k < n; k++)
    if (!al[k].matched) {
      fprintf(stderr, _("replay: refused: --allow-native %s: the receipt records no such native library\n"), al[k].real);
      ok = false;
    }
  return ok;
}

/* ---- the temporary directory, removed on every way out ---- */

enum { MAX_TEMP_NAMES = 16 };
static char *temp_dir;                         /* while a replay runs, else NULL */
static char *temp_names[MAX_TEMP_NAMES];       /* the files it is known to hold (for a signal) */
static volatile pid_t temp_child = -1;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
static struct sigaction saved_actions[sizeof cleanup_signals / sizeof *cleanup_signals];

/* Removes what the directory holds (flat: the command writes no folders) and the directory. */
static void remove_temp_dir(void) {
  if (!temp_dir) return;
  DIR *d = opendir(temp_dir);
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    unlinkat(dirfd(d), e->d_name, 0);
  }
  if (d) closedir(d);
  rmdir(temp_dir);
}

/* A signal during the replay: the command stopped, the directory removed, then the signal as usual. */
static void on_signal(int sig) {
  pid_t child = temp_child;
  if (child > 0) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
  }
  for (int i = 0; i < MAX_TEMP_NAMES && temp_names[i]; i++) unlink(temp_names[i]);   /* async-signal-safe only */
  if (temp_dir) rmdir(temp_dir);
  signal(sig, SIG_DFL);
  raise(sig);
}

static char *temp_path(const char *name) {
  size_t n = strlen(temp_dir) + strlen(name) + 2;
  char *s = xmalloc(n);
  snprintf(s, n, "%s/%s", temp_dir, name);
  return s;
}

/* A fresh directory in $TMPDIR (else /tmp), with the signal handlers that remove it; false if none. */
static bool make_temp_dir(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base) base = "/tmp";
  size_t n = strlen(base) + 32;
  temp_dir = xmalloc(n);
  snprintf(temp_dir, n, "%s/dagloon-replay-XXXXXX", base);
  if (!mkdtemp(temp_dir)) {
    fprintf(stderr, _("replay: cannot make a temporary directory in %s: %s\n"), base, strerror(errno));
    free(temp_dir);
    temp_dir = NULL;
    return false;
  }
  const char *names[] = {"receipt.json", "receipt.json.tmp", "stderr", "out1", "out2", "out3", "out4"};
  for (size_t i = 0; i < sizeof names / sizeof *names && i < MAX_TEMP_NAMES; i++) temp_names[i] = temp_path(names[i]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++)
    sigaction(cleanup_signals[i], &sa, &saved_actions[i]);
  return true;
}

/* The outputs in the temporary directory whose names carry an extension ("out3.json"), for a signal's cleanup. */
static void register_outputs(char **argv) {
  size_t dl = strlen(temp_dir), k = 0;
  while (k < MAX_TEMP_NAMES && temp_names[k]) k++;
  for (char **a = argv; *a && k < MAX_TEMP_NAMES; a++)
    if (strncmp(*a, temp_dir, dl) == 0 && (*a)[dl] == '/' && strchr(*a + dl + 1, '.') &&
        strncmp(*a + dl + 1, "receipt", 7) != 0)
      temp_names[k++] = xstrdup(*a);
}

static void drop_temp_dir(void) {
  if (!temp_dir) return;
  for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++)
    sigaction(cleanup_signals[i], &saved_actions[i], NULL);
  remove_temp_dir();
  for (int i = 0; i < MAX_TEMP_NAMES; i++) {
    free(temp_names[i]);
    temp_names[i] = NULL;
  }
  free(temp_dir);
  temp_dir = NULL;
}

/* ---- running the command ---- */

/* Runs argv with standard input and output /dev/null and standard error into `errpath`; its exit status or -1. */
static int run_command(char **argv, const char *errpath) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  int st = -1;
  int sp = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (sp != 0) return -1;
  temp_child = pid;
  pid_t w;
  while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {}
  temp_child = -1;
  return w == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The command's messages, when it wrote no receipt: at most a screenful. */
static void show_messages(const char *errpath) {
  FILE *ef = fopen(errpath, "r");
  char line[1024];
  int shown = 0;
  while (ef && fgets(line, sizeof line, ef) && shown++ < 40) fprintf(stderr, "  %s%s", line, strchr(line, '\n') ? "" : "\n");
  if (ef) fclose(ef);
}

/* ---- comparing the receipts ---- */

static bool role_written(const char *role) { return !receipt_role_read(role) && strcmp(role, "compiled") != 0; }

/*
** The old receipt's files against the new one's, in order. A file the
** command read is named with the hash the receipt recorded, never with its
** hash now; an entry the command did not read is only said to be missing.
*/
static bool files_differ(const ReplayPlan *was, const ReplayPlan *now) {
  bool differ = false;
  size_t n = was->nfiles > now->nfiles ? was->nfiles : now->nfiles;
  if (was->nfiles != now->nfiles) {
    fprintf(stderr, _("replay: DIFFERS: %zu files in the receipt, %zu now\n"), was->nfiles, now->nfiles);
    differ = true;
  }
  for (size_t j = 0; j < n; j++) {
    const ReceiptFile *a = j < was->nfiles ? &was->files[j] : NULL, *b = j < now->nfiles ? &now->files[j] : NULL;
    if (a && b && strcmp(a->role, b->role) == 0 && (role_written(a->role) || strcmp(a->path, b->path) == 0)) {
      if (a->sha256 && b->sha256 && strcmp(a->sha256, b->sha256) == 0) continue;
      differ = true;
      if (receipt_role_read(a->role) && !a->sha256)
        fprintf(stderr, _("replay: DIFFERS: %s %s was not hashed (standard input cannot be replayed)\n"), a->role, a->path);
      else if (receipt_role_read(a->role))
        fprintf(stderr, _("replay: DIFFERS: %s %s has changed: its sha256 is not %s, as in the receipt\n"), a->role,
                a->path, a->sha256 ? a->sha256 : "-");
      else
        fprintf(stderr, _("replay: DIFFERS: %s %s: sha256 %s in the receipt, %s now%s\n"), a->role, a->path,
                a->sha256 ? a->sha256 : "-", b->sha256 ? b->sha256 : "-",
                strcmp(a->role, "compiled") == 0 ? " (the rules compile to other bytecode)"
                                                 : " (the output is not byte-identical)");
    } else if (a && b) {
      differ = true;
      fprintf(stderr, _("replay: DIFFERS: file %zu is %s %s in the receipt, %s %s now\n"), j + 1, a->role, a->path,
              b->role, role_written(b->role) ? "(in the replay's directory)" : b->path);
    } else if (a) {
      differ = true;
      fprintf(stderr, _("replay: DIFFERS: %s %s is in the receipt, but was not %s now\n"), a->role, a->path,
              role_written(a->role) ? "written" : "read");
    } else {
      differ = true;
      fprintf(stderr, _("replay: DIFFERS: %s %s now, not in the receipt\n"), b->role,
              role_written(b->role) ? "(written)" : b->path);
    }
  }
  return differ;
}

/* The command's receipt, as the command wrote it (still read with the same checks). */
static bool read_new_receipt(const char *path, ReplayPlan *now) {
  char err[400];
  size_t len = 0;
  char *text = read_receipt(path, &len, err, sizeof err);
  bool ok = text && replay_plan_parse(text, len, now, err, sizeof err);
  free(text);
  return ok;
}

static int replay_plan_run(const ReplayPlan *p, const char *receipt, Allowed *al, size_t nal, char **dirs,
                           size_t ndirs, const char *engine) {
  bool differ = false;
  char sig[32];
  snprintf(sig, sizeof sig, "%016" PRIx64, bundle_opcode_signature());
  if (strcmp(p->engine, engine) != 0 || p->bundle_format != BUNDLE_FORMAT || strcmp(p->opcodes, sig) != 0) {
    fprintf(stderr, _("replay: DIFFERS: the receipt was made by dagloon %s (bundle format %" PRId64
            ", opcodes %s); this is dagloon %s (bundle format %d, opcodes %s)\n"), p->engine, p->bundle_format,
            p->opcodes, engine, BUNDLE_FORMAT, sig);
    differ = true;
  }
  if (chdir(p->directory) != 0) {
    fprintf(stderr, _("replay: cannot enter the receipt's directory %s: the paths in the receipt are relative to it\n"),
            p->directory);
    return EXIT_USAGE;
  }
  if (!natives_match(p, receipt, al, nal)) return EXIT_USAGE;
  if (!make_temp_dir()) return EXIT_USAGE;
  /* pinned to the hash checked here, so a file swapped in before the command loads it is refused */
  char **libs = xcalloc(nal ? nal : 1, sizeof *libs);
  for (size_t k = 0; k < nal; k++) {
    size_t len = strlen(al[k].real) + sizeof al[k].hex + 2;
    libs[k] = xmalloc(len);
    snprintf(libs[k], len, "%s=%s", al[k].real, al[k].hex);
  }
  char **argv = replay_plan_argv(p, temp_dir, libs, nal, dirs, ndirs);
  register_outputs(argv);
  for (size_t k = 0; k < nal; k++) free(libs[k]);
  free(libs);
  char *errpath = temp_path("stderr"), *again = temp_path("receipt.json");
  int st = run_command(argv, errpath);
  plan_argv_free(argv);
  ReplayPlan now;
  int rc;
  if (!read_new_receipt(again, &now)) {
    fprintf(stderr, _("replay: the command did not write its receipt (exit %d); its messages:\n"), st);
    show_messages(errpath);
    rc = 3;
  } else {
    if (p->exit != now.exit) {
      fprintf(stderr, _("replay: DIFFERS: exit status %d in the receipt, %d now\n"), p->exit, now.exit);
      differ = true;
    }
    differ |= files_differ(p, &now);
    if (!differ)
      fprintf(stderr, _("replay: reproduced: the same engine, rules, compiled bundle, input and output (%zu files), "
              "exit %d\n"), p->nfiles, p->exit);
    rc = differ ? 3 : 0;
    replay_plan_free(&now);
  }
  free(errpath);
  free(again);
  drop_temp_dir();
  return rc;
}

int cmd_replay(const ParsedArgs *args, const char *engine) {
  if (args->noperands != 1) return command_usage_error(args->command, "replay needs one RECEIPT");
  const char *path = args->operands[0];
  char err[600];
  size_t len = 0;
  char *text = read_receipt(path, &len, err, sizeof err);
  ReplayPlan p;
  if (!text || !replay_plan_parse(text, len, &p, err, sizeof err)) {
    fprintf(stderr, _("replay: refused: %s is not a receipt that can be replayed: %s\n"), path, err);
    free(text);
    return EXIT_USAGE;
  }
  free(text);
  Allowed *al = NULL;
  size_t nal = 0, ndirs = 0;
  char **dirs = NULL;
  int rc = EXIT_USAGE;
  if (operator_natives(args, &al, &nal) && operator_paths(args, &dirs, &ndirs))
    rc = replay_plan_run(&p, path, al, nal, dirs, ndirs, engine);
  for (size_t k = 0; k < nal; k++) free(al[k].real);
  free(al);
  for (size_t k = 0; k < ndirs; k++) free(dirs[k]);
  free(dirs);
  replay_plan_free(&p);
  return rc;
}
