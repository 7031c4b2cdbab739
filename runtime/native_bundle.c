/*
** native_bundle.c: loading a native bundle (native_bundle.h): the operator's
** allow first (native_open: only the sealed copy of an allowed file, hashed
** as pinned), then the ABI and the carried bytecode's hash, then the bundle
** itself as any bundle, verified.
*/
#include "runtime/native_bundle.h"

#include <dlfcn.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "runtime/bundle.h"
#include "runtime/i18n.h"
#include "runtime/native.h"
#include "runtime/native_abi.h"

bool native_bundle_is(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char head[4];
  bool elf = fread(head, 1, sizeof head, f) == sizeof head && memcmp(head, "\177ELF", 4) == 0;
  fclose(f);
  return elf;
}

void native_abi_string(char *buf, size_t cap) {
  snprintf(buf, cap, "dagloon-native-abi-%d/%016" PRIx64, NATIVE_ABI_VERSION, bundle_opcode_signature());
}

void native_sha256_hex(const void *data, size_t n, char out[65]) {
  uint8_t d[SHA256_DIGEST_SIZE];
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, n, data);
  sha256_digest(&ctx, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

Chunk *native_bundle_read(const char *path, Chunk **traced, char *err, size_t cap) {
  return native_bundle_read_allowed(native_allowed(), path, traced, err, cap);
}

Chunk *native_bundle_read_allowed(const NativeAllow *al, const char *path, Chunk **traced, char *err, size_t cap) {
  if (traced) *traced = NULL;
  char why[400];
  void *h = native_open(al, path, NULL, why, sizeof why);
  if (!h) {
    snprintf(err, cap, _("%s: a native bundle runs its code when loaded: %s"), path, why);
    return NULL;
  }
  const NativeModule *m = dlsym(h, "dagloon_native_module");
  char abi[64], sha[65];
  native_abi_string(abi, sizeof abi);
  if (!m || !m->abi || !m->bytecode_sha256 || !m->bundle || !m->entries) {
    snprintf(err, cap, _("%s: a shared object, but not a native bundle made by 'dagloon compile --native'"), path);
  } else if (strcmp(m->abi, abi) != 0) {
    snprintf(err, cap, _("%s: made for another engine (%.80s; this one is %s): compile it again"), path, m->abi, abi);
  } else if (native_sha256_hex(m->bundle, (size_t)m->bundle_len, sha), strcmp(sha, m->bytecode_sha256) != 0) {
    snprintf(err, cap, _("%s: its code was made from bytecode with sha256 %.64s, but the bytecode it carries has "
                         "sha256 %s: refused"), path, m->bytecode_sha256, sha);
  } else {
    Chunk *c = bundle_read_mem_traced(m->bundle, (size_t)m->bundle_len, path, traced, err, cap);
    if (c && m->nentries != c->nprotos) {
      snprintf(err, cap, _("%s: its code has %" PRIu32 " rules, its bytecode %" PRIu32 ": refused"), path, m->nentries,
               c->nprotos);
      chunk_free(c);
      if (traced && *traced) chunk_free(*traced);
      if (traced) *traced = NULL;
      c = NULL;
    }
    if (c) {
      c->native = m;
      c->native_handle = h;
      return c;
    }
  }
  native_close(h);
  return NULL;
}
