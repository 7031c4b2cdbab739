/*
** receipt.h: a receipt for a run, test or explain (`--receipt FILE`), and
** `dagloon replay RECEIPT`, which runs the same command again from the same
** files and fails loudly if anything differs.
**
** A receipt is JSON (schema "dagloon-receipt/1"): the engine version, the
** bundle format and opcode signature, the command line and the directory
** it ran in, the calculation date (the day it ran; rules take every other
** date from the dossier), the sha256 of every rule file and table as
** compiled and of the compiled bundle, of the input, and of every output
** (standard output, -o, --errors, --junit), and the exit status.
*/
#ifndef DAGLOON_RECEIPT_H
#define DAGLOON_RECEIPT_H

#include "tools/options.h"
#include "runtime/chunk.h"

typedef struct Receipt Receipt;

/*
** Starts a receipt for the command argv[0..argc) (argv[0] is the program),
** to be written to `path`; from here on standard output also goes into the
** receipt's hash (it is kept in a temporary file and copied out at the end).
** NULL path: no receipt, and the other calls do nothing.
*/
Receipt *receipt_begin(const char *path, int argc, char **argv);

/* The rules as compiled: each of c's files (rule files and tables) and the bundle they make ("compiled"). */
void receipt_rules(Receipt *r, const char *rules_arg, const Chunk *c);

/* A file read (role "input") or written ("output", "errors", "junit"), hashed as it is now. */
void receipt_file(Receipt *r, const char *role, const char *path);

/*
** A written file with a part that differs from run to run by design (the
** times in JUnit XML): recorded by the hash of `data`, its bytes without that
** part, so that a replay compares what must be the same.
*/
void receipt_bytes(Receipt *r, const char *role, const char *path, const char *data, size_t len);

/*
** Ends the command: standard output is written out and hashed, and the
** receipt written. Returns `status`, or 4 (EXIT_WRITE_ERROR) if the
** receipt or standard output could not be written (said on standard error).
*/
int receipt_end(Receipt *r, int status, const char *engine);
/* No receipt is written at receipt_end (standard output is still given back): the command was refused. */
void receipt_discard(Receipt *r);

/*
** dagloon replay RECEIPT [--allow-native LIB]... (tools/replay.c): 0
** reproduced, 3 not (what differs on stderr), 2 usage or I/O, or a receipt
** that replay refuses.
*/
int cmd_replay(const ParsedArgs *a, const char *engine);

/* The program's whole command line, set by main: a receipt records it. */
extern int dagloon_argc;
extern char **dagloon_argv;

/* sha256 of n bytes as 64 hex digits (into hex[65]). */
void sha256_hex(const void *data, size_t n, char hex[65]);
/* sha256 of a file's bytes (and their count, if bytes is not NULL); false (errno set) if it cannot be read. */
bool sha256_file(const char *path, char hex[65], uint64_t *bytes);

#endif
