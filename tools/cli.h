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
#include "tools/options.h"

/* EXIT_WRITE_ERROR: an output (a file, standard output) could not be written; it is then left as it was. */
enum { EXIT_OK = 0, EXIT_RULE_ERRORS = 1, EXIT_USAGE = 2, EXIT_RECORD_ERRORS = 3, EXIT_WRITE_ERROR = 4 };

/* Compile (or only check) rule paths; prints diagnostics. Returns the chunk or NULL; *status an exit code. */
Chunk *load_rules(Front *f, char **paths, int n, FrontStage stage, int *status);

/*
** The rule files at `rules` compiled with trace points (explain, letters), or the traced code of
** a bundle made with `dagloon compile --trace` (a bundle without is refused, saying so): initialises f. On
** failure f is already freed, NULL returned and *status an exit code; else the caller frees both.
*/
Chunk *load_traced(Front *f, const char *rules, int *status);

/*
** The chunk for a RULES argument: a bundle if the file is one (with a
** warning for each rule file changed since; with f->trace set, its traced
** code from `compile --trace`, refused when it has none), else the rule
** files compiled now. *f must be initialised (and freed by the caller either way).
*/
Chunk *load_chunk(Front *f, const char *path, int *status);

/*
** --max-steps N and --max-memory MIB, shared by run and compare, into *l.
** NULL, or the usage error to print.
*/
const char *parse_limits(const ParsedArgs *a, VmLimits *l);

/* --threads N (1 to 256), shared by run and compare, into *threads (left as it is when not given). */
const char *parse_threads(const ParsedArgs *a, int *threads);

/* --input-format and --format: "csv" or "jsonl" into *fmt; false for anything else. */
bool parse_record_format(const char *s, RecFormat *fmt);

/* The file INPUT names, "-" standard input; NULL (errno set) when it cannot be opened. */
FILE *open_input(const char *path);

/*
** The format of the dossiers in INPUT, read from `in`: `asked` if given
** (--input-format; -1 if not), else from the name (.csv, .jsonl, .ndjson),
** else -- standard input, another extension -- from the first byte ('{':
** JSON Lines). False, with the reason printed, when that byte is lost.
*/
bool dossier_format(FILE *in, const char *path, int asked, RecFormat *fmt);

/*
** False, with a message, when an output of the command line is one of the
** files the chunk was made from (a rule file or table inside a RULES folder)
** or a native library it calls (tools/outfile.h).
*/
bool outputs_not_sources(const ParsedArgs *a, const Chunk *c);

/* The per-dossier limits for a reader and a VM (0s: the defaults). */
void apply_reader_limits(RecordReader *rd, VmLimits l);

#endif
