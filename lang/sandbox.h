/*
** sandbox.h: the files a rule file may name. A rule author is trusted only
** inside the rule-set tree: every path a rule file writes (a table's
** 'uit "..."', a proposal's rows, 'voorstel op "..."', an 'extern regel'
** library, a .rules file found in a folder) must resolve -- after every
** symbolic link is followed -- inside one of the tree's roots, and only a
** regular file is opened (without blocking, so a FIFO cannot hang a check).
**
** The root of a rule set named on the command line is the nearest folder
** above it (itself included) that holds the marker file SANDBOX_MARKER; when
** there is none, the folder named (or a single file's folder). The operator
** adds roots with --allow-path DIR (sandbox_allow_path); a native library
** the operator named with --allow-native may live anywhere.
*/
#ifndef DAGLOON_SANDBOX_H
#define DAGLOON_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "source.h"
#include "runtime/native.h"

#define SANDBOX_MARKER ".dagloon-root"

typedef struct Sandbox {
  char **roots;   /* real paths (no trailing '/', except "/" itself) */
  size_t n, cap;
} Sandbox;

/* The tree of a rule set named on the command line (a folder or a .rules file). */
void sandbox_add_named(Sandbox *sb, const char *path);
void sandbox_free(Sandbox *sb);

/* --allow-path DIR: a root for every rule set of this process. False (and why) if DIR is no folder. */
bool sandbox_allow_path(const char *dir, char *why, size_t cap);

typedef enum SandboxVerdict {
  SANDBOX_OK,            /* inside the tree, and a regular file (or a folder, where one is asked for) */
  SANDBOX_MISSING,       /* inside the tree, but not there: the caller says so as it always did */
  SANDBOX_OUTSIDE,       /* resolves outside every root */
  SANDBOX_NOT_REGULAR,   /* inside, but a FIFO, a device, a socket (or a folder where a file is named) */
} SandboxVerdict;

/* May a rule file name `path`? `dir_ok`: a folder is as good as a file (a proposal's base). */
SandboxVerdict sandbox_judge(const Sandbox *sb, const char *path, bool dir_ok);

/*
** E083 at `at` (the path as the rule file writes it) for a verdict other
** than OK and MISSING. `library`: the real path of a native library (the
** hint then names --allow-native, the only way one outside loads), or NULL.
*/
void sandbox_report(const Sandbox *sb, DiagList *d, Span at, const char *path, SandboxVerdict v,
                    const char *library);

/* The same in words, for a file found in a folder (no path string to point at). */
void sandbox_explain(const Sandbox *sb, const char *path, SandboxVerdict v, char *buf, size_t cap);

/*
** Load a file a rule file names into ss: judged, opened O_NONBLOCK|O_NOCTTY,
** checked again on the open descriptor (a regular file, still inside), then
** read. Returns its index; -2 when refused (E083 about `written` at `at`, nothing
** read); -1 with err when it cannot be read (the caller reports that).
*/
int sandbox_load(const Sandbox *sb, SourceSet *ss, DiagList *d, Span at, const char *written, const char *path,
                 char *err, size_t cap);

/* The same for a folder's entry: refused with the reason in err (-1), no diagnostic. */
int sandbox_load_entry(const Sandbox *sb, SourceSet *ss, const char *path, char *err, size_t cap);

/* True when the operator named the library at `path` with --allow-native (it may live anywhere). */
bool sandbox_native_by_operator(const NativeAllow *al, const char *path);

#endif
