/*
** native_compile.h: `dagloon compile RULES --native -o FILE.so`: the bundle
** of the rules (with its traced code, if any) is written in memory and read
** back through the loader and verifier, the verified bytecode translated to
** C (native_gen.h), and that compiled by the system C compiler ($CC, else
** `cc` on PATH) with the fixed flags NATIVE_CFLAGS into FILE.so, which
** carries the bundle and its sha256.
*/
#ifndef DAGLOON_NATIVE_COMPILE_H
#define DAGLOON_NATIVE_COMPILE_H

#include "runtime/chunk.h"

/* The flags every native bundle is compiled with (recorded in it). */
#define NATIVE_CFLAGS "-std=c11 -O2 -fPIC -shared -fvisibility=hidden -fno-strict-aliasing -w"

/* Writes FILE.so for c (and traced, or NULL); an exit status (cli.h), messages on standard error. */
int native_compile(const Chunk *c, const Chunk *traced, const char *outpath);

/*
** c as a native bundle at once (dagloon test --native): compiled into a private temporary
** folder, loaded (allowed by this call alone) and removed; the loaded chunk replaces c (freed).
** NULL, c kept, and *status (cli.h) when it cannot be (messages on standard error).
*/
Chunk *native_rebuild(Chunk *c, int *status);

#endif
