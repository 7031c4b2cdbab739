/*
** hash.c: dagloon_rules_hash -- a compiled rule set's identity, the SHA-256 of its plain code
** written as a bundle with no engine version. That is what a receipt of `dagloon run` records as
** "compiled" (tools/receipt.c receipt_rules), so a hash an HTTP receipt shows can be checked
** against the command's receipt of the same rules, from rule files or from a bundle.
*/
#include "tools/api/api_internal.h"

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include "runtime/bundle.h"

bool api_hash_build(struct dagloon_rules *r, char *err, size_t cap) {
  char *mem = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&mem, &len);
  if (!m) {
    snprintf(err, cap, "out of memory");
    return false;
  }
  bool ok = bundle_write(r->plain, "", m, err, cap);
  fclose(m);
  if (ok) {
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)mem);
    sha256_digest(&ctx, sizeof d, d);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof d; i++) {
      r->hash[2 * i] = digits[d[i] >> 4];
      r->hash[2 * i + 1] = digits[d[i] & 15];
    }
    r->hash[64] = '\0';
  }
  free(mem);   /* open_memstream's: libc's memory */
  return ok;
}
