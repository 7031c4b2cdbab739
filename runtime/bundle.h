/*
** bundle.h: a compiled rule set saved to a file and loaded back, so that a
** run does not parse, check and compile the rule files again
** (`dagloon compile RULES -o FILE`, then `dagloon run FILE INPUT`).
**
** A bundle holds the whole Chunk: bytecode, constants, schema, outputs,
** tables with every row's source and status, coverage points, herzien call
** sites and the rule files' text (so run-time errors still point at
** file:line:col). The file is little-endian and versioned:
**
**   "DAGLOONB" | u32 format | u64 opcode signature | str engine version
**   | u64 body length | body | u64 traced body length | traced body
**   | u64 FNV-1a checksum of everything before it
**
** The traced body (`dagloon compile --trace`; length 0 when absent) is the same rules compiled
** with the trace points explanations need, so `dagloon explain BUNDLE` and the library's
** explain work from a bundle.
**
** The opcode signature is a hash of the opcode list (names and operand
** kinds), so a bundle made by an engine with other opcodes is refused with
** a message to recompile, never run. A loaded chunk is not trusted: the
** loader checks every count and string against the file's length and then
** runs the bytecode verifier, exactly as for a freshly compiled chunk --
** unless the bundle carries a signature trailer that the operator's own key
** (bundle_set_key, bundlesig.h) reproduces: then it was verified when it was
** compiled, and the checksum and the verifier are skipped (start-up). A
** trailer made with another key is ignored; one with the key's id that does
** not match refuses the bundle.
*/
#ifndef DAGLOON_BUNDLE_H
#define DAGLOON_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "chunk.h"

/* Raise when the meaning of the bytes changes (layout, or an opcode's semantics under the same name). */
#define BUNDLE_FORMAT 9   /* 2: coverage points carry the peildatum register; 3: native functions; 4: table horizons;
                              5: human labels of rules, fields and choices; 6: the traced body beside the plain one;
                              7: the benefit paid ('uitkering X per maand': its period and output column);
                              8: its duration and what follows ('duur D daarna Y': two output columns);
                              9: the keuze that labels a tekst field's values ('waarden K').
                              Older formats are refused with "made by dagloon V with another bundle format ...
                              compile the rules again" */

/* Whether the file at `path` is a regular file that starts like a bundle (so `run` can take either
** kind of RULES). Nothing else is read: /dev/stdin or a FIFO is never a bundle. */
bool bundle_is(const char *path);
/*
** The same, telling a file that is there but cannot be opened or read (not a
** folder) from one that is no bundle: load it as a bundle, and bundle_read
** says why it cannot, rather than parse what a second read returns as rules.
*/
typedef enum { BUNDLE_NOT, BUNDLE_YES, BUNDLE_UNREADABLE, BUNDLE_NATIVE /* a shared object: native_bundle.h */ } BundleKind;
BundleKind bundle_kind(const char *path);

/*
** Writes chunk c to out. On failure (a constant the format cannot hold,
** an I/O error) returns false with a message in err[0..cap).
*/
bool bundle_write(const Chunk *c, const char *engine_version, FILE *out, char *err, size_t cap);
/* The same with `traced` (the rules compiled with trace points; NULL: none) beside c. */
bool bundle_write_traced(const Chunk *c, const Chunk *traced, const char *engine_version, FILE *out, char *err,
                         size_t cap);
/* The same, signed with the operator's key (bundlesig.h; NULL: unsigned). */
struct BundleKey;
bool bundle_write_signed(const Chunk *c, const Chunk *traced, const char *engine_version, const struct BundleKey *key,
                         FILE *out, char *err, size_t cap);

/*
** Loads and verifies a bundle. Returns the chunk (free with chunk_free) or
** NULL with a message in err[0..cap): not a bundle, another format or
** opcode list (recompile), truncated or corrupt (checksum), a native
** library not allowed (native_allowed) or not loadable, or failing the
** verifier.
*/
Chunk *bundle_read(const char *path, char *err, size_t cap);
/*
** The same, and with traced not NULL also the traced code into *traced: NULL when the bundle
** has none (made without --trace); when it has, it is verified like the plain code, and a
** failure there fails the whole load.
*/
Chunk *bundle_read_traced(const char *path, Chunk **traced, char *err, size_t cap);

/* The same from bytes in memory; `name` is used in messages (tests, fuzzing). */
Chunk *bundle_read_mem(const void *data, size_t n, const char *name, char *err, size_t cap);
Chunk *bundle_read_mem_traced(const void *data, size_t n, const char *name, Chunk **traced, char *err, size_t cap);

/* The checksum a bundle ends with, over its first n bytes (for tests that alter a bundle on purpose). */
uint64_t bundle_checksum(const void *data, size_t n);

/* The opcode signature this engine writes and accepts. */
uint64_t bundle_opcode_signature(void);

#endif
