/*
** test_native.c: calling C from rules (runtime/native.h): every type there
** and back, the fout convention, results that are not values of their type,
** kinds that have no C form, the allow-list (a sealed copy, hashed and
** pinned, that swapping the file does not change), missing files and
** symbols, symbols the library does not itself define as functions (the
** test library tests/native/proef.c), signatures it states differently or
** not at all, and the example library
** rules/kalender/feestdagen.c (built into NATIVE_DIR by the Makefile).
**
** Holiday facts used below, worked out by hand: Easter 2024 is 31 March, so
** tweede Paasdag is 1 April, Hemelvaartsdag (+39) 9 May, tweede
** Pinksterdag (+50) 20 May. 27 April 2014 was a Sunday, so Koningsdag was
** 26 April; 30 April 2006 was a Sunday, so Koninginnedag was 29 April. 2024
** starts on a Monday and has 366 days: 52 weeks and Mon-Tue, so 262
** weekdays; the holidays on a weekday are 1 Jan (Mon), 1 Apr (Mon), 9 May
** (Thu), 20 May (Mon), 25 Dec (Wed) and 26 Dec (Thu) -- 27 April was a
** Saturday, 5 May a Sunday -- so 256 working days.
*/
#include <criterion/criterion.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/dagloon_native.h"
#include "runtime/date.h"
#include "runtime/native.h"

#ifndef NATIVE_DIR
#define NATIVE_DIR "build/natives"
#endif
#define FEESTDAGEN NATIVE_DIR "/libfeestdagen.so"
#define PROEF NATIVE_DIR "/libproef.so"   /* tests/native/proef.c */

/* ---- functions in this binary, called through libffi ---- */

static int64_t t_sum(int64_t a, int64_t cents, int64_t days, const char **fout) {
  (void)fout;
  return a + cents + days;
}

static dagloon_getal t_half(dagloon_getal g, const char **fout) {
  (void)fout;
  return (dagloon_getal){g.teller, g.noemer * 2};
}

static int32_t t_next_day(int32_t ymd, int flag, const char **fout) {
  (void)fout;
  return flag ? ymd + 1 : ymd;
}

static const char *t_greet(const char *s, const char **fout) {
  static char buf[64];
  if (!*s) {
    *fout = "t_greet: an empty name";
    return NULL;
  }
  snprintf(buf, sizeof buf, "dag %s", s);
  return buf;
}

static int t_bool(int64_t v, const char **fout) {
  (void)fout;
  return (int)v;
}

static dagloon_getal t_bad_getal(int64_t v, const char **fout) {
  (void)fout;
  return (dagloon_getal){1, v};
}

static const char *t_latin1(int64_t v, const char **fout) {
  (void)v;
  (void)fout;
  return "caf\xe9";   /* Latin-1, not UTF-8 */
}

static const char *t_null(int64_t v, const char **fout) {
  (void)v;
  (void)fout;
  return NULL;
}

typedef void (*Fn)(void);

static NativeSig sig(uint8_t result, unsigned n, ...) {
  NativeSig s = {0};
  va_list ap;
  va_start(ap, n);
  s.nparams = (uint8_t)n;
  for (unsigned i = 0; i < n; i++) {   /* more than fit: counted (to be refused), not stored */
    uint8_t k = (uint8_t)va_arg(ap, int);
    if (i < NATIVE_MAX_PARAMS) s.params[i] = k;
  }
  va_end(ap);
  s.result = result;
  return s;
}

static void prepare(NativeFn *nf, Fn fn, NativeSig s) {
  char why[200];
  cr_assert(native_prepare(nf, fn, &s, why, sizeof why), "%s", why);
}

Test(native, every_kind_there_and_back) {
  NativeFn nf;
  char msg[200];
  Value out, args[3];
  Arena a;
  arena_init(&a);

  prepare(&nf, (Fn)t_sum, sig(VK_INT, 3, VK_INT, VK_MONEY, VK_DAYS));
  args[0].i = 5, args[1].i = 250, args[2].i = -1;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_eq(out.i, 254);

  prepare(&nf, (Fn)t_half, sig(VK_DEC, 1, VK_DEC));
  args[0].dec = (Dec){3, 4};
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert(out.dec.num == 3 && out.dec.den == 8, "%lld/%lld", (long long)out.dec.num, (long long)out.dec.den);
  args[0].dec = (Dec){2, 3};   /* 2/6 comes back reduced */
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert(out.dec.num == 1 && out.dec.den == 3);

  prepare(&nf, (Fn)t_next_day, sig(VK_DATE, 2, VK_DATE, VK_BOOL));
  args[0].i = date_from_ymd(2024, 1, 15), args[1].i = 1;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_eq(out.i, date_from_ymd(2024, 1, 16));
  args[0].i = date_from_ymd(2024, 1, 31);   /* 20240132 is no date */
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_BAD_RESULT);
  cr_assert_str_eq(msg, "returned 20240132 for a datum (a valid YYYYMMDD within 1900..2200 expected)");

  prepare(&nf, (Fn)t_greet, sig(VK_TEXT, 1, VK_TEXT));
  Text *t = arena_alloc(&a, sizeof(Text) + 8);
  memcpy(t->bytes, "Anna", 5);
  t->len = 4;
  args[0].text = t;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_str_eq(out.text->bytes, "dag Anna");
  cr_assert_eq(out.text->len, 8);
  t->bytes[0] = 0;
  t->len = 0;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_REFUSED);
  cr_assert_str_eq(msg, "t_greet: an empty name");
  arena_free(&a);
}

Test(native, results_that_are_not_values_of_their_type) {
  NativeFn nf;
  char msg[200];
  Value out, args[1];
  Arena a;
  arena_init(&a);
  prepare(&nf, (Fn)t_bool, sig(VK_BOOL, 1, VK_INT));
  args[0].i = 1;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_eq(out.i, 1);
  args[0].i = 2;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_BAD_RESULT);
  cr_assert_str_eq(msg, "returned 2 for a waarheid (0 or 1 expected)");
  prepare(&nf, (Fn)t_bad_getal, sig(VK_DEC, 1, VK_INT));
  args[0].i = 0;
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_BAD_RESULT);
  cr_assert_str_eq(msg, "returned a getal with noemer 0 (above 0 expected)");
  prepare(&nf, (Fn)t_null, sig(VK_TEXT, 1, VK_INT));
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_BAD_RESULT);
  cr_assert_str_eq(msg, "returned NULL for a tekst");
  /* a tekst is UTF-8 everywhere in the engine: bytes that are not are no value of the type */
  prepare(&nf, (Fn)t_latin1, sig(VK_TEXT, 1, VK_INT));
  cr_assert_eq(native_call(&nf, args, &a, &out, msg, sizeof msg), NATIVE_BAD_RESULT);
  cr_assert_str_eq(msg, "returned a tekst that is not valid UTF-8");
  arena_free(&a);
}

Test(native, kinds_without_a_c_form_are_refused) {
  NativeFn nf;
  char why[200];
  NativeSig s = sig(VK_INT, 2, VK_DATE, VK_PERIOD);
  cr_assert_not(native_prepare(&nf, (Fn)t_sum, &s, why, sizeof why));
  cr_assert_str_eq(why, "parameter 2: a periode has no C form (pass its begin and einde as two datums)");
  s = sig(VK_LIST, 1, VK_INT);
  cr_assert_not(native_prepare(&nf, (Fn)t_sum, &s, why, sizeof why));
  cr_assert_str_eq(why, "result: a lijst cannot be passed to C");
  s = sig(VK_INT, 9, VK_INT, VK_INT, VK_INT, VK_INT, VK_INT, VK_INT, VK_INT, VK_INT, VK_INT);
  cr_assert_not(native_prepare(&nf, (Fn)t_sum, &s, why, sizeof why));
  cr_assert_str_eq(why, "a native function takes at most 8 parameters");
  char text[100];
  s = sig(VK_BOOL, 2, VK_DATE, VK_MONEY);
  native_sig_text(&s, text, sizeof text);
  cr_assert_str_eq(text, "datum, geld -> waarheid");
}

Test(native, only_allowed_libraries_open) {
  NativeAllow al = {0};
  char why[400];
  cr_assert_null(native_open(&al, FEESTDAGEN, NULL, why, sizeof why));
  cr_assert(strstr(why, "is not allowed") && strstr(why, "--allow-native " FEESTDAGEN), "%s", why);
  /* allowing another file does not allow this one */
  cr_assert(native_allow_add(&al, "Makefile", why, sizeof why), "%s", why);
  cr_assert_null(native_open(&al, FEESTDAGEN, NULL, why, sizeof why));
  /* the same file by another path is the same file */
  cr_assert(native_allow_add(&al, FEESTDAGEN, why, sizeof why), "%s", why);
  void *lib = native_open(&al, "./" NATIVE_DIR "/../natives/libfeestdagen.so", NULL, why, sizeof why);
  cr_assert_not_null(lib, "%s", why);
  native_close(lib);
  /* an allowed file that is not a library (the loader's message names the path, not the memory file) */
  cr_assert_null(native_open(&al, "Makefile", NULL, why, sizeof why));
  cr_assert(strstr(why, "cannot load the library 'Makefile': ") && !strstr(why, "/proc/self/fd"), "%s", why);
  /* a file that does not exist can be neither allowed nor opened */
  cr_assert_not(native_allow_add(&al, "no/such/lib.so", why, sizeof why));
  cr_assert_str_eq(why, "--allow-native no/such/lib.so: No such file or directory");
  cr_assert_null(native_open(&al, "no/such/lib.so", NULL, why, sizeof why));
  cr_assert_str_eq(why, "cannot find the library 'no/such/lib.so': No such file or directory");
  /* only a regular file is read: a device or a FIFO (which would block the read) is refused at once */
  cr_assert_not(native_allow_add(&al, "/dev/null", why, sizeof why));
  cr_assert_str_eq(why, "--allow-native /dev/null: not a regular file");
  char dir[] = "/tmp/dagloon-native-XXXXXX", fifo[64];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(fifo, sizeof fifo, "%s/fifo.so", dir);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  cr_assert_not(native_allow_add(&al, fifo, why, sizeof why));
  cr_assert(strstr(why, "not a regular file"), "%s", why);
  unlink(fifo);
  rmdir(dir);
  native_allow_free(&al);
}

Test(native, symbols_and_stated_signatures) {
  NativeAllow al = {0};
  char why[400];
  cr_assert(native_allow_add(&al, FEESTDAGEN, why, sizeof why));
  void *lib = native_open(&al, FEESTDAGEN, NULL, why, sizeof why);
  cr_assert_not_null(lib, "%s", why);
  NativeSig s = sig(VK_BOOL, 1, VK_DATE);
  Fn fn = (Fn)t_sum;
  cr_assert_eq(native_lookup(lib, "geen_feestdag", &s, &fn, why, sizeof why), NATIVE_NO_SYMBOL);
  cr_assert_str_eq(why, "the library has no function 'geen_feestdag'");
  cr_assert_null(fn);
  NativeSig wrong = sig(VK_INT, 1, VK_DATE);
  cr_assert_eq(native_lookup(lib, "feestdag", &wrong, &fn, why, sizeof why), NATIVE_OTHER_SIGNATURE);
  cr_assert_str_eq(why, "the library says 'feestdag' is datum -> waarheid, the rule file declares datum -> geheel");
  cr_assert_null(fn);
  cr_assert_eq(native_lookup(lib, "feestdag", &s, &fn, why, sizeof why), NATIVE_FOUND, "%s", why);
  cr_assert_not_null(fn);
  native_close(lib);
  native_allow_free(&al);
}

/*
** Issue 14, items 1 and 2: dlsym on the handle also finds what the
** libraries it uses define (libc's system), and data. Only a function the
** library itself defines, whose signature it states, binds; the test library
** (tests/native/proef.c) offers one of each kind that must not.
*/
Test(native, only_the_librarys_own_functions_bind) {
  NativeAllow al = {0};
  char why[400];
  cr_assert(native_allow_add(&al, PROEF, why, sizeof why), "%s", why);
  void *lib = native_open(&al, PROEF, NULL, why, sizeof why);
  cr_assert_not_null(lib, "%s", why);
  NativeSig text_int = sig(VK_INT, 1, VK_TEXT), int_int = sig(VK_INT, 1, VK_INT);
  Fn fn;
  cr_assert_eq(native_lookup(lib, "system", &text_int, &fn, why, sizeof why), NATIVE_NOT_OWN_FUNCTION);
  cr_assert_str_eq(why, "'system' is not defined in the library but in libc.so.6, a library it uses: only a function "
                        "of the library itself can be bound");
  cr_assert_null(fn);
  cr_assert_eq(native_lookup(lib, "een_getal", &int_int, &fn, why, sizeof why), NATIVE_NOT_OWN_FUNCTION);
  cr_assert_str_eq(why, "'een_getal' is data, not a function: only a function of the library itself can be bound");
  cr_assert_eq(native_lookup(lib, "dagloon_signature_verdubbel", &int_int, &fn, why, sizeof why),
               NATIVE_NOT_OWN_FUNCTION);
  cr_assert(strstr(why, "is data, not a function"), "%s", why);
  cr_assert_eq(native_lookup(lib, "indirect", &int_int, &fn, why, sizeof why), NATIVE_NOT_OWN_FUNCTION);
  cr_assert(strstr(why, "STT_GNU_IFUNC, is not accepted"), "%s", why);
  cr_assert_eq(native_lookup(lib, "zonder_handtekening", &int_int, &fn, why, sizeof why), NATIVE_NO_SIGNATURE);
  cr_assert_str_eq(why, "the library does not state the signature of 'zonder_handtekening' (it must export "
                        "dagloon_signature_zonder_handtekening)");
  cr_assert_eq(native_lookup(lib, "onbeeindigd", &int_int, &fn, why, sizeof why), NATIVE_BAD_SIGNATURE);
  cr_assert(strstr(why, "'dagloon_signature_onbeeindigd' is not a NUL-terminated string"), "%s", why);
  cr_assert_eq(native_lookup(lib, "als_functie", &int_int, &fn, why, sizeof why), NATIVE_BAD_SIGNATURE);
  cr_assert(strstr(why, "'dagloon_signature_als_functie' is a function, not a string"), "%s", why);
  cr_assert_null(fn);
  cr_assert_eq(native_lookup(lib, "verdubbel", &int_int, &fn, why, sizeof why), NATIVE_FOUND, "%s", why);
  cr_assert_not_null(fn);
  native_close(lib);
  native_allow_free(&al);
}

/* ---- allowed by content: a sealed copy, hashed, optionally pinned ---- */

static void sha256_file_hex(const char *path, char hex[65]) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) sha256_update(&ctx, n, (const uint8_t *)buf);
  fclose(f);
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");   /* "wb" on an existing file: an edit in place */
  cr_assert(in && out, "%s -> %s", from, to);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) cr_assert_eq(fwrite(buf, 1, n, out), n);
  fclose(in);
  cr_assert_eq(fclose(out), 0);
}

Test(native, pinned_by_sha256) {
  NativeAllow al = {0};
  char why[600], hex[65], spec[600];
  sha256_file_hex(PROEF, hex);
  snprintf(spec, sizeof spec, "%s=%s", PROEF, hex);
  cr_assert(native_allow_add(&al, spec, why, sizeof why), "%s", why);
  cr_assert_str_eq(al.libs[0].origin.sha256, hex);
  NativeOrigin o = {{0}, 0};
  void *lib = native_open(&al, PROEF, &o, why, sizeof why);
  cr_assert_not_null(lib, "%s", why);
  cr_assert_str_eq(o.sha256, hex);
  struct stat st;
  cr_assert_eq(stat(PROEF, &st), 0);
  cr_assert_eq(o.bytes, (uint64_t)st.st_size);
  native_close(lib);
  /* the hash of another library: refused, naming the path, the pinned hash and the actual one */
  char other[65], want[800];
  sha256_file_hex(FEESTDAGEN, other);
  snprintf(spec, sizeof spec, "%s=%s", PROEF, other);
  cr_assert_not(native_allow_add(&al, spec, why, sizeof why));
  snprintf(want, sizeof want, "--allow-native %s: its sha256 is %s, not %s as pinned; not loaded", PROEF, hex, other);
  cr_assert_str_eq(why, want);
  cr_assert_eq(al.n, 1);
  native_allow_free(&al);
}

/*
** Issue 14, item 3: the file at the allowed path is replaced (renamed over,
** or rewritten in place) after it was allowed and before it is loaded: what
** loads is what was allowed -- the test library, not the holiday library now
** at the path -- and its origin is the allowed bytes' hash. On the old code
** (dlopen of the path) the swapped library loaded.
*/
static void swapped_after_allowing(bool in_place) {
  char dir[] = "/tmp/dagloon-native-XXXXXX", path[80], tmp[80], hex[65], why[600];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/libx.so", dir);
  snprintf(tmp, sizeof tmp, "%s/new.so", dir);
  copy_file(PROEF, path);
  sha256_file_hex(path, hex);
  NativeAllow al = {0};
  cr_assert(native_allow_add(&al, path, why, sizeof why), "%s", why);
  if (in_place) {
    copy_file(FEESTDAGEN, path);
  } else {
    copy_file(FEESTDAGEN, tmp);
    cr_assert_eq(rename(tmp, path), 0);
  }
  NativeOrigin o = {{0}, 0};
  void *lib = native_open(&al, path, &o, why, sizeof why);
  cr_assert_not_null(lib, "%s", why);
  cr_assert_str_eq(o.sha256, hex);
  NativeSig int_int = sig(VK_INT, 1, VK_INT), date_bool = sig(VK_BOOL, 1, VK_DATE);
  Fn fn;
  cr_assert_eq(native_lookup(lib, "feestdag", &date_bool, &fn, why, sizeof why), NATIVE_NO_SYMBOL);
  cr_assert_eq(native_lookup(lib, "verdubbel", &int_int, &fn, why, sizeof why), NATIVE_FOUND, "%s", why);
  NativeFn nf;
  prepare(&nf, fn, int_int);
  Value args[1] = {{.i = 21}}, out;
  Arena a;
  arena_init(&a);
  cr_assert_eq(native_call(&nf, args, &a, &out, why, sizeof why), NATIVE_OK);
  cr_assert_eq(out.i, 42);
  arena_free(&a);
  native_close(lib);
  native_allow_free(&al);
  unlink(path);
  rmdir(dir);
}

Test(native, a_file_renamed_over_the_allowed_one_is_not_loaded) { swapped_after_allowing(false); }
Test(native, a_file_rewritten_after_allowing_is_not_loaded) { swapped_after_allowing(true); }

/* The example library through the whole path: allowed, looked up, prepared, called. */
static void load(NativeFn *nf, const char *symbol, NativeSig s) {
  static NativeAllow al;
  static void *lib;
  char why[400];
  if (!lib) {
    cr_assert(native_allow_add(&al, FEESTDAGEN, why, sizeof why), "%s", why);
    lib = native_open(&al, FEESTDAGEN, NULL, why, sizeof why);
    cr_assert_not_null(lib, "%s", why);
  }
  Fn fn;
  cr_assert_eq(native_lookup(lib, symbol, &s, &fn, why, sizeof why), NATIVE_FOUND, "%s", why);
  prepare(nf, fn, s);
}

static int64_t feestdag(const NativeFn *nf, int y, int m, int d) {
  Value args[1] = {{.i = date_from_ymd(y, m, d)}}, out;
  char msg[200];
  Arena a;
  arena_init(&a);
  cr_assert_eq(native_call(nf, args, &a, &out, msg, sizeof msg), NATIVE_OK, "%d-%d-%d: %s", y, m, d, msg);
  arena_free(&a);
  return out.i;
}

Test(native, feestdagen_library) {
  NativeFn is, name, work;   /* prepared in place: a NativeFn points into itself */
  load(&is, "feestdag", sig(VK_BOOL, 1, VK_DATE));
  int yes[][3] = {{2024, 1, 1}, {2024, 4, 1}, {2024, 5, 9}, {2024, 5, 20}, {2024, 12, 25}, {2024, 12, 26},
                  {2024, 5, 5}, {2024, 4, 27}, {2014, 4, 26}, {2006, 4, 29}, {2013, 4, 30}};
  int no[][3] = {{2024, 3, 31}, {2024, 3, 29}, {2024, 5, 19}, {2014, 4, 27}, {2006, 4, 30}, {2024, 7, 1}};
  for (size_t k = 0; k < sizeof yes / sizeof *yes; k++)
    cr_assert_eq(feestdag(&is, yes[k][0], yes[k][1], yes[k][2]), 1, "%d-%d-%d", yes[k][0], yes[k][1], yes[k][2]);
  for (size_t k = 0; k < sizeof no / sizeof *no; k++)
    cr_assert_eq(feestdag(&is, no[k][0], no[k][1], no[k][2]), 0, "%d-%d-%d", no[k][0], no[k][1], no[k][2]);

  load(&name, "feestdag_naam", sig(VK_TEXT, 1, VK_DATE));
  Value args[2] = {{.i = date_from_ymd(2014, 4, 26)}}, out;
  char msg[200];
  Arena a;
  arena_init(&a);
  cr_assert_eq(native_call(&name, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_str_eq(out.text->bytes, "Koningsdag");
  args[0].i = date_from_ymd(1975, 4, 30);   /* before 1980: refused through fout */
  cr_assert_eq(native_call(&name, args, &a, &out, msg, sizeof msg), NATIVE_REFUSED);
  cr_assert(strstr(msg, "before 1980 are not encoded"), "%s", msg);

  load(&work, "werkdagen_zonder_feestdagen", sig(VK_INT, 2, VK_DATE, VK_DATE));
  args[0].i = date_from_ymd(2024, 1, 1), args[1].i = date_from_ymd(2024, 12, 31);
  cr_assert_eq(native_call(&work, args, &a, &out, msg, sizeof msg), NATIVE_OK);
  cr_assert_eq(out.i, 256);
  args[0].i = date_from_ymd(2024, 12, 31), args[1].i = date_from_ymd(2024, 1, 1);
  cr_assert_eq(native_call(&work, args, &a, &out, msg, sizeof msg), NATIVE_REFUSED);
  cr_assert_str_eq(msg, "werkdagen_zonder_feestdagen: the last day is before the first");
  arena_free(&a);
}
