/*
** native_gen.h: a verified chunk's bytecode as C (dagloon compile --native).
** One C function per rule; what the translator does not turn into C itself
** (and every error) runs as one step of the VM's own code through the
** NativeCtx (runtime/native_abi.h), so results and messages are the VM's.
*/
#ifndef DAGLOON_NATIVE_GEN_H
#define DAGLOON_NATIVE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "runtime/chunk.h"

/*
** Writes the C file for chunk c to out: the ABI declarations, the bundle
** bytes it was made from (bundle[0..n), whose sha256 it records), one
** function per rule and the exported table `dagloon_native_module`.
** `cflags` is recorded as said. False and why on a write error.
*/
bool native_gen(const Chunk *c, const unsigned char *bundle, size_t n, const char *cflags, FILE *out, char *why,
                size_t cap);

#endif
