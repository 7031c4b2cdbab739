/*
** fuzz_native.c: rule text with 'extern regel' declarations through the
** front end and the native loader, against the test library
** build/natives/libproef.so (tests/native/proef.c), which the operator --
** this target -- allows; no other library is allowed. Whatever compiles is
** evaluated once per rule for an empty dossier, as in fuzz_rules.c, so the
** functions are called with what the rules pass them.
**
** Besides no crash, hang or out-of-bounds access, the oracle: every
** function the loader bound lies in the test library, is one of the
** functions it offers to rules (not libc's system, not data, not one without
** a stated signature) and is prepared with the signature the library states
** for it. Anything else aborts before it is called.
*/
#define _GNU_SOURCE   /* dladdr1, dlinfo */
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/mem.h"
#include "runtime/native.h"
#include "tests/fuzz/fuzz.h"

#define PROEF "build/natives/libproef.so"   /* run from the repository root, as make does */

/* The functions of tests/native/proef.c that rules may call, with the signatures it states. */
static const char *const callable[][2] = {
  {"verdubbel", "geheel -> geheel"},   {"lengte", "tekst -> geheel"},          {"eerste_woord", "tekst -> tekst"},
  {"volgende_dag", "datum -> datum"},  {"helft", "getal -> getal"},            {"optellen", "geld, geld -> geld"},
  {"positief", "geheel -> waarheid"}, {"periode_dagen", "dagen, maanden, jaren -> dagen"},
};

static void allow_test_library(void) {
  static NativeAllow al;
  if (al.n) return;
  char why[600];
  if (!native_allow_add(&al, PROEF, why, sizeof why)) {
    fprintf(stderr, "fuzz_native: %s (build it with make, run from the repository root)\n", why);
    abort();
  }
  native_set_allowed(&al);
}

static void check_bound(const ChunkNative *cn) {
  struct link_map *own = NULL, *in = NULL;
  Dl_info info;
  void *p;
  memcpy(&p, &cn->fn.fn, sizeof p);
  if (dlinfo(cn->handle, RTLD_DI_LINKMAP, &own) != 0 || !dladdr1(p, &info, (void **)&in, RTLD_DL_LINKMAP) ||
      in != own || !info.dli_sname || info.dli_saddr != p) {
    fprintf(stderr, "fuzz_native: '%s' was bound to code outside the test library\n", cn->symbol);
    abort();
  }
  char sig[256];
  native_sig_text(&cn->fn.sig, sig, sizeof sig);
  for (size_t i = 0; i < sizeof callable / sizeof *callable; i++)
    if (strcmp(info.dli_sname, callable[i][0]) == 0 && strcmp(sig, callable[i][1]) == 0) return;
  fprintf(stderr, "fuzz_native: '%s' was bound as %s, which the test library does not offer\n", info.dli_sname, sig);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 16) return 0;
  allow_test_library();
  Front f;
  front_init(&f);
  Chunk *c = front_compile_text(&f, "fuzz.rules", (const char *)data, size, FRONT_COMPILE);
  if (c) {
    for (uint32_t i = 0; i < c->nnatives; i++) check_bound(&c->natives[i]);
    fuzz_eval_each_rule(c);
    chunk_free(c);
  }
  front_free(&f);
  return 0;
}
