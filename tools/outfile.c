/*
** outfile.c: writing an output file through a temporary file renamed over
** it, or directly when it is no regular file; and refusing an output that
** is an input or another output (see outfile.h).
*/
#define _XOPEN_SOURCE 700   /* realpath, fchmod */
#include "tools/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "runtime/i18n.h"

/* "dagloon: cannot write 'NAME': REASON" (standard output when name is NULL). */
static void say_cannot_write(const char *name, int err) {
  const char *why = err ? strerror(err) : "a write failed";
  if (name) fprintf(stderr, _("dagloon: cannot write '%s': %s\n"), name, why);
  else fprintf(stderr, _("dagloon: cannot write standard output: %s\n"), why);
}

/*
** The temporary files not yet renamed or removed, so that a run stopped by
** a signal (Ctrl-C, kill) removes them too instead of leaving hidden
** '.NAME.XXXXXX' files beside the outputs. The handler only unlinks (which
** is async-signal-safe) and then dies of the same signal.
*/
enum { MAX_LIVE = 16 };   /* a command writes at most some five files at once */
static char *volatile live[MAX_LIVE];

static void remove_live_and_die(int sig) {
  for (int i = 0; i < MAX_LIVE; i++)
    if (live[i]) unlink(live[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void live_add(char *tmp) {
  static bool handled;
  if (!handled) {
    handled = true;
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
      struct sigaction sa;
      memset(&sa, 0, sizeof sa);
      sa.sa_handler = remove_live_and_die;
      sigemptyset(&sa.sa_mask);
      struct sigaction old;
      if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;   /* nohup: stay ignored */
      sigaction(sigs[i], &sa, NULL);
    }
  }
  for (int i = 0; i < MAX_LIVE; i++)
    if (!live[i]) {
      live[i] = tmp;
      return;
    }
}

static void live_remove(const char *tmp) {
  for (int i = 0; i < MAX_LIVE; i++)
    if (live[i] == tmp) live[i] = NULL;
}

/* The mode fopen would give a new file: 0666 less the umask. */
static mode_t new_file_mode(void) {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

static FILE *open_directly(OutFile *o, const char *path) {
  o->f = fopen(path, "wb");
  if (!o->f) {
    say_cannot_write(path, errno);
    free(o->path);
    o->path = NULL;
  }
  return o->f;
}

FILE *outfile_open(OutFile *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (!path) return o->f = stdout;
  o->path = xstrdup(path);
  struct stat st, lst;
  bool exists = stat(path, &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) return open_directly(o, path);   /* a device, a FIFO: never renamed over */
  if (!exists && (errno != ENOENT || lstat(path, &lst) == 0)) return open_directly(o, path);   /* a dangling link */
  if (exists && access(path, W_OK) != 0) {   /* a file fopen could not write is not replaced either */
    say_cannot_write(path, errno);
    outfile_abort(o);
    return NULL;
  }
  char *target = exists ? realpath(path, NULL) : xstrdup(path);
  if (!target) {
    say_cannot_write(path, errno);
    outfile_abort(o);
    return NULL;
  }
  char *dircopy = xstrdup(target), *basecopy = xstrdup(target);
  const char *dir = dirname(dircopy), *base = basename(basecopy);
  size_t tl = strlen(dir) + strlen(base) + 16;
  char *tmp = xmalloc(tl);
  snprintf(tmp, tl, "%s/.%s.XXXXXX", dir, base);
  free(dircopy);
  free(basecopy);
  /* the stopping signals held from creating the file until it is on the list their handler
     removes (a kill in between would leave it behind) */
  sigset_t stops, before;
  sigemptyset(&stops);
  sigaddset(&stops, SIGINT);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stops, &before);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    say_cannot_write(path, err);
    free(tmp);
    free(target);
    outfile_abort(o);
    return NULL;
  }
  o->tmp = tmp;
  o->target = target;
  live_add(tmp);
  pthread_sigmask(SIG_SETMASK, &before, NULL);
  /* what fopen would leave: an existing file keeps its permissions (and, where we may, its owner),
     a new one gets 0666 less the umask */
  if (exists && fchown(fd, st.st_uid, st.st_gid) != 0) {
    /* not allowed (we are not root): the file becomes ours, as a copy would */
  }
  if (fchmod(fd, exists ? st.st_mode & 0777 : new_file_mode()) != 0 || !(o->f = fdopen(fd, "wb"))) {
    say_cannot_write(path, errno);
    if (!o->f) close(fd);
    outfile_abort(o);
    return NULL;
  }
  return o->f;
}

static void outfile_clear(OutFile *o) {
  if (o->tmp) live_remove(o->tmp);
  free(o->path);
  free(o->tmp);
  free(o->target);
  memset(o, 0, sizeof *o);
}

/* Standard output flushed and checked; `known` the errno of a write that failed before, or 0. */
static bool stdout_checked(int known) {
  errno = 0;
  bool ok = fflush(stdout) == 0 && !ferror(stdout) && !known;
  if (!ok) {
    say_cannot_write(NULL, errno ? errno : known);
    clearerr(stdout);   /* said once */
  }
  return ok;
}

bool stdout_check(void) { return stdout_checked(0); }

void outfile_note_error(OutFile *o, int err) {
  if (!o->err) o->err = err;
}

bool outfile_finish(OutFile *o) {
  if (!o->f || o->failed) return !o->failed;
  if (o->f == stdout) {
    o->f = NULL;
    o->failed = !stdout_checked(o->err);
    return !o->failed;
  }
  errno = 0;
  bool ok = fflush(o->f) == 0 && !ferror(o->f) && !o->err;
  int err = errno ? errno : o->err;
  if (ok && o->tmp && fsync(fileno(o->f)) != 0) ok = false, err = errno;
  if (fclose(o->f) != 0 && ok) ok = false, err = errno;
  o->f = NULL;
  if (!ok) say_cannot_write(o->path, err);
  o->failed = !ok;
  return ok;
}

bool outfile_commit(OutFile *o) {
  bool ok = outfile_finish(o);
  struct stat st;
  if (ok && o->tmp && lstat(o->target, &st) == 0 && !S_ISREG(st.st_mode)) {   /* made a device or FIFO meanwhile */
    fprintf(stderr, _("dagloon: cannot write '%s': it is no longer a regular file; not replaced\n"), o->path);
    ok = false;
  } else if (ok && o->tmp && rename(o->tmp, o->target) != 0) {
    say_cannot_write(o->path, errno);
    ok = false;
  }
  if (!ok && o->tmp) unlink(o->tmp);
  outfile_clear(o);
  return ok;
}

void outfile_abort(OutFile *o) {
  if (o->f && o->f != stdout) fclose(o->f);
  if (o->tmp) unlink(o->tmp);
  outfile_clear(o);
}

/* ---- the same file twice ---- */

/*
** What a name stands for: an existing file by device and inode; a file not
** made yet by its folder's device and inode and its own name.
*/
typedef struct FileId {
  const char *label;   /* as the command line wrote it */
  dev_t dev;
  ino_t ino;
  char *new_name;      /* not made yet: the name in its folder; NULL for an existing file */
} FileId;

/* False for a name nothing can be said of (no folder to make it in), or one that may be shared. */
static bool output_id(const char *path, FileId *id) {
  struct stat st;
  memset(id, 0, sizeof *id);
  id->label = path;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) return false;   /* /dev/null, a terminal: written directly, may be shared */
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    return true;
  }
  char *dircopy = xstrdup(path), *basecopy = xstrdup(path);
  bool ok = stat(dirname(dircopy), &st) == 0;
  if (ok) {
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->new_name = xstrdup(basename(basecopy));
  }
  free(dircopy);
  free(basecopy);
  return ok;
}

static bool same_id(const FileId *a, const FileId *b) {
  if (a->dev != b->dev || a->ino != b->ino) return false;
  if (!a->new_name || !b->new_name) return !a->new_name && !b->new_name;
  return strcmp(a->new_name, b->new_name) == 0;
}

/* The outputs of the command line (and standard output) against `ins` and, if `each_other`, against each other. */
static bool outputs_distinct(const ParsedArgs *a, const char *const *ins, size_t nin, bool each_other) {
  size_t nout = options_files(a, OPT_OUTPUT_FILE, NULL, 0);
  const char **outs = xcalloc(nout + 1, sizeof *outs);
  options_files(a, OPT_OUTPUT_FILE, outs, nout);
  FileId *ids = xcalloc(nout + 1, sizeof *ids);
  size_t nids = 0;
  for (size_t i = 0; i < nout; i++)
    if (output_id(outs[i], &ids[nids])) nids++;
  struct stat st;
  const char *stdout_label = _("standard output");
  if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))   /* `>> in.csv` would read what it writes */
    ids[nids++] = (FileId){stdout_label, st.st_dev, st.st_ino, NULL};
  bool ok = true;
  for (size_t i = 0; i < nids && ok; i++) {
    for (size_t k = 0; k < nin && ok; k++) {
      if (ids[i].new_name || stat(ins[k], &st) != 0 || st.st_dev != ids[i].dev || st.st_ino != ids[i].ino) continue;
      fprintf(stderr, _("dagloon: the output '%s' is the input '%s' (the same file): writing it would destroy what is "
              "to be read; name another output\n"), ids[i].label, ins[k]);
      ok = false;
    }
    for (size_t k = 0; each_other && k < i && ok; k++) {
      if (!same_id(&ids[k], &ids[i]) || ids[i].label == stdout_label) continue;
      fprintf(stderr, _("dagloon: the outputs '%s' and '%s' are the same file: name a file for each\n"), ids[k].label,
              ids[i].label);
      ok = false;
    }
  }
  for (size_t i = 0; i < nids; i++) free(ids[i].new_name);
  free(ids);
  free(outs);
  return ok;
}

bool outputs_check(const ParsedArgs *a) {
  size_t nin = options_files(a, OPT_INPUT_FILE, NULL, 0);
  const char **ins = xcalloc(nin + a->noperands + 1, sizeof *ins);
  options_files(a, OPT_INPUT_FILE, ins, nin);
  for (size_t i = 0; i < a->noperands; i++)
    if (strcmp(a->operands[i], "-") != 0) ins[nin++] = a->operands[i];
  bool ok = outputs_distinct(a, ins, nin, true);
  free(ins);
  return ok;
}

bool outputs_not_inputs(const ParsedArgs *a, const char *const *inputs, size_t n) {
  return outputs_distinct(a, inputs, n, false);
}
