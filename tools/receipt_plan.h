/*
** receipt_plan.h: a receipt read as hostile input -- checked field by field
** and turned into the command `dagloon replay` may run, without touching a
** file or running anything (so that a fuzzer can call it).
**
** A receipt is input, not a command line. Its command must be a command of
** the table (tools/commands.c) that writes receipts, never `replay`; every
** token of its argv must be an option of that command's table or an
** operand; every output option (OPT_OUTPUT_FILE) is sent into the replay's
** temporary directory; --allow-native from the receipt is dropped (only the
** replay's own command line can allow a library). See docs/RECEIPTS.md.
*/
#ifndef DAGLOON_RECEIPT_PLAN_H
#define DAGLOON_RECEIPT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tools/options.h"

/* The hard limits on a receipt (docs/RECEIPTS.md). */
enum {
  RECEIPT_MAX_BYTES = 16 << 20,   /* the whole JSON text */
  RECEIPT_MAX_ARGS = 4096,        /* tokens of its command line */
  RECEIPT_MAX_FILES = 100000,     /* entries of "files" */
  RECEIPT_MAX_TEXT = 4096,        /* one argument, path or field, in bytes */
};

/* One entry of "files". */
typedef struct ReceiptFile {
  char *role;     /* rules, table, bundle, native, compiled, input, output, errors, junit, explanations, stdout */
  char *path;
  char *sha256;   /* 64 lowercase hex digits, or NULL: not hashed (standard input) */
  int64_t bytes;
} ReceiptFile;

/* What a token of the replayed command line is. */
typedef enum PlanArgKind {
  PLAN_TEXT,      /* passed on as it is */
  PLAN_OUTPUT,    /* the value of an output option: a file in the temporary directory */
  PLAN_RECEIPT,   /* the value of --receipt: the replay's own receipt, in the temporary directory */
} PlanArgKind;

typedef struct ReplayPlan {
  char *engine, *opcodes, *directory;
  int64_t bundle_format;
  int exit;                        /* the recorded exit status */
  const CommandSpec *command;
  char **args;                     /* the command line after "dagloon" (command name first) */
  PlanArgKind *kinds;              /* of each of args */
  size_t nargs;
  size_t noutputs;                 /* output files: out1 .. outN in the temporary directory */
  size_t dropped_natives;          /* --allow-native options dropped from the receipt's command */
  size_t dropped_paths;            /* --allow-path options dropped from the receipt's command */
  ReceiptFile *files;
  size_t nfiles;
} ReplayPlan;

/*
** Reads a receipt's JSON text (len bytes, not NUL-terminated) into *p.
** False with the reason in err (and *p empty) when it is not a receipt that
** can be replayed: malformed, over a limit, a field of the wrong type, a
** control character in a path, a command that is not in the table, is
** `replay` or writes no receipt, or an argument that is no option of it.
*/
bool replay_plan_parse(const char *text, size_t len, ReplayPlan *p, char *err, size_t cap);
void replay_plan_free(ReplayPlan *p);

/* The role of a file the command read (rules, table, bundle, native, input): not one it wrote. */
bool receipt_role_read(const char *role);

/*
** The argv to run (NULL-terminated, every string owned: free with
** plan_argv_free): "dagloon", the command line with its outputs as
** TMPDIR/outK and its receipt as TMPDIR/receipt.json, then
** "--allow-native LIB" for each of the n libraries the operator allowed and
** "--allow-path DIR" for each folder the operator added (a receipt grants
** neither).
*/
char **replay_plan_argv(const ReplayPlan *p, const char *tmpdir, char *const *natives, size_t n,
                        char *const *paths, size_t npaths);
void plan_argv_free(char **argv);

#endif
