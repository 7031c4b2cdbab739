/*
** proef.c: a test library for the native loader (runtime/native.c), built
** by the Makefile into build/natives/libproef.so like the example libraries.
** The first functions follow the convention of runtime/dagloon_native.h and
** are safe for any argument (the fuzz target tests/fuzz/fuzz_native.c calls
** them with whatever a rule file passes); the rest are what a rule file must
** never be able to bind, each refused at load:
**   zonder_handtekening   a function whose signature the library does not state
**   een_getal             data, not a function (its signature stated all the same)
**   system                not defined here: libc's, which dlsym on this handle also finds
**   indirect              an indirect function (STT_GNU_IFUNC): its resolver picks the code
**   onbeeindigd           its stated signature is not NUL-terminated
**   als_functie           its "signature" is a function, not a string
*/
#include <stdint.h>
#include <string.h>
#include "runtime/dagloon_native.h"

/* ---- what rules may call ---- */

const char dagloon_signature_verdubbel[] = "geheel -> geheel";
int64_t verdubbel(int64_t x, const char **fout) {
  if (x > INT64_MAX / 2 || x < INT64_MIN / 2) {
    *fout = "verdubbel: too large";
    return 0;
  }
  return 2 * x;
}

const char dagloon_signature_lengte[] = "tekst -> geheel";
int64_t lengte(const char *s, const char **fout) {
  (void)fout;
  return (int64_t)strlen(s);
}

const char dagloon_signature_eerste_woord[] = "tekst -> tekst";
const char *eerste_woord(const char *s, const char **fout) {
  static const char *const words[] = {"leeg", "kort", "lang"};
  size_t n = strlen(s);
  if (n > 1000) {
    *fout = "eerste_woord: longer than 1000 bytes";
    return NULL;
  }
  return words[n == 0 ? 0 : n < 10 ? 1 : 2];
}

const char dagloon_signature_volgende_dag[] = "datum -> datum";
int32_t volgende_dag(int32_t ymd, const char **fout) {
  (void)fout;
  return ymd + 1;   /* 20240131 + 1 is no date: the engine must say so */
}

const char dagloon_signature_helft[] = "getal -> getal";
dagloon_getal helft(dagloon_getal g, const char **fout) {
  if (g.noemer > INT64_MAX / 2) {
    *fout = "helft: the noemer is too large";
    return g;
  }
  return (dagloon_getal){g.teller, g.noemer * 2};
}

const char dagloon_signature_optellen[] = "geld, geld -> geld";
int64_t optellen(int64_t a, int64_t b, const char **fout) {
  int64_t s;
  if (__builtin_add_overflow(a, b, &s)) {
    *fout = "optellen: too large";
    return 0;
  }
  return s;
}

const char dagloon_signature_positief[] = "geheel -> waarheid";
int positief(int64_t x, const char **fout) {
  (void)fout;
  return x > 0 ? 1 : x == 0 ? 0 : 2;   /* 2 for a negative number: not a waarheid, an error row */
}

const char dagloon_signature_periode_dagen[] = "dagen, maanden, jaren -> dagen";
int64_t periode_dagen(int64_t d, int64_t m, int64_t j, const char **fout) {
  if (d < -1000000 || d > 1000000 || m < -100000 || m > 100000 || j < -10000 || j > 10000) {
    *fout = "periode_dagen: out of range";
    return 0;
  }
  return d + 30 * m + 365 * j;
}

/* ---- what rules must never call ---- */

int64_t zonder_handtekening(int64_t x, const char **fout) {
  (void)fout;
  return x;
}

const char dagloon_signature_een_getal[] = "geheel -> geheel";
const int64_t een_getal = 42;

/* libc's system, stated as if it were this library's: the statement does not make it so */
const char dagloon_signature_system[] = "tekst -> geheel";

const char dagloon_signature_indirect[] = "geheel -> geheel";
static int64_t indirect_impl(int64_t x, const char **fout) {
  (void)fout;
  return x;
}
typedef int64_t (*IndirectFn)(int64_t, const char **);
static IndirectFn indirect_resolver(void) { return indirect_impl; }
int64_t indirect(int64_t x, const char **fout) __attribute__((ifunc("indirect_resolver")));

const char dagloon_signature_onbeeindigd[4] = {'a', 'b', 'c', 'd'};
int64_t onbeeindigd(int64_t x, const char **fout) {
  (void)fout;
  return x;
}

void dagloon_signature_als_functie(void) {}
int64_t als_functie(int64_t x, const char **fout) {
  (void)fout;
  return x;
}
