/*
** native_bundle.h: loading a native bundle, the shared object `dagloon
** compile --native` makes. It carries the bundle it was translated from and
** one C function per rule (native_abi.h). A shared object runs its own code
** the moment it is loaded, so it loads only when the operator allowed it
** (--allow-native FILE=SHA256, as any native library: native.h); then it is
** refused unless it was made for this engine (the ABI string: version and
** opcode signature) and the bundle it carries hashes to the sha256 it
** records. The carried bundle is then loaded like any bundle (checked,
** verified) and the rules' code attached to the chunk (chunk->native).
*/
#ifndef DAGLOON_NATIVE_BUNDLE_H
#define DAGLOON_NATIVE_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "chunk.h"
#include "native.h"

/* Whether the file starts like a shared object (ELF): taken as a native bundle. */
bool native_bundle_is(const char *path);

/* The ABI string of this engine, which a native bundle must record: "dagloon-native-abi-V/OPSIG". */
void native_abi_string(char *buf, size_t cap);

/* sha256 of n bytes as 64 lower-case hex digits and a NUL. */
void native_sha256_hex(const void *data, size_t n, char out[65]);

/* Load a native bundle (see above); NULL and why in err otherwise. traced as bundle_read_traced. */
Chunk *native_bundle_read(const char *path, Chunk **traced, char *err, size_t cap);
/* The same with the allow-list al instead of the process's (dagloon test --native: the object it just made). */
Chunk *native_bundle_read_allowed(const NativeAllow *al, const char *path, Chunk **traced, char *err, size_t cap);

#endif
