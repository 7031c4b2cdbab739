/*
** cli.h: what the commands of tools/ share: the exit codes (documented in
** dagloon --help) and loading a rule set with its diagnostics printed.
*/
#ifndef DAGLOON_CLI_H
#define DAGLOON_CLI_H

#include "lang/front.h"
#include "runtime/chunk.h"
#include "runtime/recio.h"
#include "runtime/vm.h"

enum { EXIT_OK = 0, EXIT_RULE_ERRORS = 1, EXIT_USAGE = 2, EXIT_RECORD_ERRORS = 3 };

/* Compile (or only check) rule paths; prints diagnostics. Returns the chunk or NULL; *status an exit code. */
Chunk *load_rules(Front *f, char **paths, int n, FrontStage stage, int *status);

/*
** The chunk for a RULES argument: a bundle if the file is one (with a
** warning for each rule file changed since), else the rule files compiled
** now. *f must be initialised (and freed by the caller either way).
*/
Chunk *load_chunk(Front *f, const char *path, int *status);

/*
** --max-steps N and --max-memory MIB, shared by run and compare: if `opt` is
** one of them, parse `val` into *l and return true; *why is NULL, or the
** usage error to print.
*/
bool parse_limit_option(const char *opt, const char *val, VmLimits *l, const char **why);

/* The per-dossier limits for a reader and a VM (0s: the defaults). */
void apply_reader_limits(RecordReader *rd, VmLimits l);

#endif
