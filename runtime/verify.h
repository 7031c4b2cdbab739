/*
** verify.h: the bytecode verifier. Run on every Chunk before a Vm uses it
** (compiled in-process or, later, loaded from a bundle), so the VM's hot
** path can trust operand kinds, register and constant indexes, field
** indexes and jump targets without checking them.
*/
#ifndef DAGLOON_VERIFY_H
#define DAGLOON_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include "chunk.h"

/*
** Returns true if the chunk is well-formed. Otherwise false and a message
** naming the rule, pc and the broken promise is written to err[0..cap).
*/
bool verify_chunk(const Chunk *c, char *err, size_t cap);

#endif
