/*
** sandbox.c: the rule-set tree and the files rule files may name in it (see
** sandbox.h). Paths are compared as real paths, so neither "../" nor a
** symbolic link gets out; a file is judged before it is opened (nothing
** outside the tree is ever opened, so a device or FIFO there cannot act on
** the open), and the open descriptor is judged again (a link swapped in
** between is caught).
*/
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "runtime/i18n.h"

static Sandbox operator_roots;   /* --allow-path, for every rule set of the process */

static void add_root(Sandbox *sb, char *real) {
  for (size_t i = 0; i < sb->n; i++)
    if (strcmp(sb->roots[i], real) == 0) {
      xfree(real);
      return;
    }
  VEC_PUSH(sb->roots, sb->n, sb->cap, real);
}

void sandbox_free(Sandbox *sb) {
  for (size_t i = 0; i < sb->n; i++) xfree(sb->roots[i]);
  xfree(sb->roots);
  memset(sb, 0, sizeof *sb);
}

/* The folder part of a path ("." for a bare name). Malloc'd. */
static char *folder_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return xstrdup(".");
  if (slash == path) return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

/* The nearest folder from `real` (a real folder path) upwards that holds the marker; NULL if none. */
static char *marked_folder(const char *real) {
  char *dir = xstrdup(real);
  for (;;) {
    size_t len = strlen(dir);
    char *marker = xmalloc(len + sizeof SANDBOX_MARKER + 2);
    sprintf(marker, "%s%s%s", dir, len > 1 ? "/" : "", SANDBOX_MARKER);
    struct stat st;
    bool found = stat(marker, &st) == 0 && S_ISREG(st.st_mode);
    xfree(marker);
    if (found) return dir;
    if (len <= 1) break;
    char *slash = strrchr(dir, '/');
    if (slash == dir) slash[1] = 0;
    else *slash = 0;
  }
  xfree(dir);
  return NULL;
}

/* The root for the folder `dir`: its marked ancestor, or itself. */
static void add_tree_of(Sandbox *sb, const char *dir) {
  char *real = xrealpath(dir);
  if (!real) return;
  char *marked = marked_folder(real);
  if (marked) {
    xfree(real);
    add_root(sb, marked);
  } else {
    add_root(sb, real);
  }
}

void sandbox_add_named(Sandbox *sb, const char *path) {
  struct stat st;
  bool found = stat(path, &st) == 0;
  if (found && S_ISDIR(st.st_mode)) {
    add_tree_of(sb, path);
    return;
  }
  if (found && !S_ISREG(st.st_mode)) {   /* rule text from /dev/stdin or a FIFO: not /dev's tree, the working folder's */
    add_tree_of(sb, ".");
    return;
  }
  char *dir = folder_of(path);   /* the file's folder as named ... */
  add_tree_of(sb, dir);
  xfree(dir);
  char *real = xrealpath(path);   /* ... and where it really is, if it is a link */
  if (real) {
    dir = folder_of(real);
    add_tree_of(sb, dir);
    xfree(dir);
    xfree(real);
  }
}

bool sandbox_allow_path(const char *dir, char *why, size_t cap) {
  char *real = xrealpath(dir);
  struct stat st;
  if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
    snprintf(why, cap, _("--allow-path %s: %s"), dir, real ? _("not a folder") : strerror(errno));
    xfree(real);
    return false;
  }
  add_root(&operator_roots, real);
  return true;
}

static bool under(const char *real, const char *root) {
  size_t n = strlen(root);
  if (strcmp(root, "/") == 0) return true;
  return strncmp(real, root, n) == 0 && (real[n] == 0 || real[n] == '/');
}

static bool inside(const Sandbox *sb, const char *real) {
  for (size_t i = 0; sb && i < sb->n; i++)
    if (under(real, sb->roots[i])) return true;
  for (size_t i = 0; i < operator_roots.n; i++)
    if (under(real, operator_roots.roots[i])) return true;
  return false;
}

/*
** Where `path` really is. A missing file is placed by its folder's real
** path; a missing folder by the path itself, made absolute and worked out
** lexically -- so whether it exists never changes an "outside" answer.
*/
static char *where_really(const char *path, bool *exists, int *why_not) {
  char *real = xrealpath(path);
  *exists = real != NULL;
  *why_not = real ? 0 : errno;
  if (real) return real;
  char *dir = folder_of(path);
  char *rdir = xrealpath(dir);
  xfree(dir);
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  char *joined;
  if (rdir) {
    joined = xmalloc(strlen(rdir) + strlen(base) + 2);
    sprintf(joined, "%s/%s", strcmp(rdir, "/") == 0 ? "" : rdir, base);
    xfree(rdir);
  } else {
    char cwd[4096];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    joined = xmalloc(strlen(cwd) + strlen(path) + 2);
    sprintf(joined, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
  }
  char *out = path_normalise(joined);
  xfree(joined);
  return out;
}

static SandboxVerdict judge_real(const Sandbox *sb, const char *real, bool exists, bool dir_ok) {
  if (!inside(sb, real)) return SANDBOX_OUTSIDE;
  struct stat st;
  if (!exists || stat(real, &st) != 0) return SANDBOX_MISSING;
  if (S_ISREG(st.st_mode) || (dir_ok && S_ISDIR(st.st_mode))) return SANDBOX_OK;
  return SANDBOX_NOT_REGULAR;
}

SandboxVerdict sandbox_judge(const Sandbox *sb, const char *path, bool dir_ok) {
  bool exists;
  int why_not;
  char *real = where_really(path, &exists, &why_not);
  SandboxVerdict v = judge_real(sb, real, exists, dir_ok);
  xfree(real);
  return v;
}

/* A root as messages show it: relative to the working folder when it is below it (machine independent). */
static void root_shown(const Sandbox *sb, char *buf, size_t cap) {
  const char *root = sb && sb->n ? sb->roots[0] : NULL;
  if (!root) {
    snprintf(buf, cap, "(none)");
    return;
  }
  char cwd[4096];
  char *rcwd = getcwd(cwd, sizeof cwd) ? xrealpath(cwd) : NULL;
  if (rcwd && strcmp(rcwd, root) == 0) snprintf(buf, cap, ".");
  else if (rcwd && strcmp(rcwd, "/") != 0 && under(root, rcwd)) snprintf(buf, cap, "%s", root + strlen(rcwd) + 1);
  else snprintf(buf, cap, "%s", root);
  xfree(rcwd);
}

void sandbox_report(const Sandbox *sb, DiagList *d, Span at, const char *path, SandboxVerdict v,
                    const char *library) {
  char root[4096];
  root_shown(sb, root, sizeof root);
  Diag *dg = diag_error(d, at, "E083", v == SANDBOX_OUTSIDE ? N_("'%s' is outside the rule-set tree") : N_("'%s' is not a regular file"),
                        path);
  if (v != SANDBOX_OUTSIDE)
    diag_note(dg, "only regular files are read: not a FIFO, a device, a socket or a folder");
  else if (library)
    diag_note(dg, "rule files may name files only inside their rule-set tree '%s'; a library elsewhere loads "
                  "only when the operator names it: --allow-native %s", root, library);
  else
    diag_note(dg, "rule files may name files only inside their rule-set tree '%s' (the nearest folder with a "
                  "%s file, else the folder named on the command line); the operator can allow another "
                  "folder with --allow-path DIR", root, SANDBOX_MARKER);
}

void sandbox_explain(const Sandbox *sb, const char *path, SandboxVerdict v, char *buf, size_t cap) {
  char root[4096];
  root_shown(sb, root, sizeof root);
  if (v == SANDBOX_OUTSIDE)
    snprintf(buf, cap, _("'%s' is outside the rule-set tree '%s' [E083]; the operator can allow another folder with "
                         "--allow-path DIR"), path, root);
  else
    snprintf(buf, cap, _("'%s' is not a regular file [E083]"), path);
}

/*
** Open a judged file: without blocking (a FIFO swapped in does not hang),
** without becoming a controlling terminal, and then judged again by what
** was opened: a regular file whose real path is still inside.
*/
static int open_judged(const Sandbox *sb, const char *real, SandboxVerdict *v, int *why_not) {
  int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    *why_not = errno;
    *v = SANDBOX_MISSING;
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    *v = SANDBOX_NOT_REGULAR;
    return -1;
  }
  char proc[64], opened[4096];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(proc, opened, sizeof opened - 1);
  if (n > 0) {   /* without /proc the judgement before the open stands */
    opened[n] = 0;
    if (!inside(sb, opened)) {
      close(fd);
      *v = SANDBOX_OUTSIDE;
      return -1;
    }
  }
  *v = SANDBOX_OK;
  return fd;
}

static int load_judged(const Sandbox *sb, SourceSet *ss, const char *path, SandboxVerdict *v, char *err,
                       size_t cap) {
  bool exists;
  int why_not;
  char *real = where_really(path, &exists, &why_not);
  *v = judge_real(sb, real, exists, false);
  int fd = *v == SANDBOX_OK ? open_judged(sb, real, v, &why_not) : -1;
  xfree(real);
  if (*v == SANDBOX_MISSING) snprintf(err, cap, _("cannot open '%s': %s"), path, strerror(why_not ? why_not : ENOENT));
  if (fd < 0) return -1;
  return src_load_fd(ss, fd, path, err, cap);
}

int sandbox_load(const Sandbox *sb, SourceSet *ss, DiagList *d, Span at, const char *written, const char *path,
                 char *err, size_t cap) {
  SandboxVerdict v;
  int fi = load_judged(sb, ss, path, &v, err, cap);
  if (v == SANDBOX_OK || v == SANDBOX_MISSING) return fi;
  sandbox_report(sb, d, at, written, v, NULL);
  return -2;
}

int sandbox_load_entry(const Sandbox *sb, SourceSet *ss, const char *path, char *err, size_t cap) {
  SandboxVerdict v;
  int fi = load_judged(sb, ss, path, &v, err, cap);
  if (v != SANDBOX_OK && v != SANDBOX_MISSING) sandbox_explain(sb, path, v, err, cap);
  return fi;
}

bool sandbox_native_by_operator(const NativeAllow *al, const char *path) {
  char *real = al && al->n ? xrealpath(path) : NULL;
  bool named = false;
  for (size_t i = 0; real && i < al->n && !named; i++) named = strcmp(al->libs[i].path, real) == 0;
  xfree(real);
  return named;
}
