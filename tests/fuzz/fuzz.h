/*
** fuzz.h: what the fuzz targets share. Each target defines
** LLVMFuzzerTestOneInput; built with clang's libFuzzer by `make fuzz`, and
** with replay.c (which feeds every file of a corpus to it) by `make test`,
** so that a crash once found and fixed stays fixed.
*/
#ifndef DAGLOON_FUZZ_H
#define DAGLOON_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "runtime/chunk.h"
#include "runtime/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A dossier of c's input type with every field empty (zero, empty lists), or NULL without one. */
Record *fuzz_empty_input(const Chunk *c, Arena *a);

/* Each rule of the dossier evaluated once for an empty dossier (fuzz_empty_input), within small limits. */
void fuzz_eval_each_rule(const Chunk *c);

#endif
