/*
** native.c: marshalling rule values to C and back with libffi, and opening
** only the libraries the operator allowed (see native.h, dagloon_native.h).
*/
#define _XOPEN_SOURCE 700
#include "runtime/native.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/dagloon_native.h"
#include "runtime/date.h"
#include "runtime/num.h"

static const char *kind_name(uint8_t k) {
  static const char *const names[VK__COUNT] = {"waarheid", "geheel", "getal", "geld", "datum", "tekst", "keuze",
                                               "gegevens", "lijst", "periode", "dagen", "maanden", "jaren"};
  return k < VK__COUNT ? names[k] : "?";
}

const char *native_kind_problem(uint8_t kind) {
  switch (kind) {
  case VK_BOOL: case VK_INT: case VK_DEC: case VK_MONEY: case VK_DATE: case VK_TEXT:
  case VK_DAYS: case VK_MONTHS: case VK_YEARS:
    return NULL;
  case VK_ENUM: return "a keuze has no C form (pass a tekst or a geheel instead)";
  case VK_PERIOD: return "a periode has no C form (pass its begin and einde as two datums)";
  case VK_LIST: return "a lijst cannot be passed to C";
  case VK_RECORD: return "gegevens cannot be passed to C";
  default: return "unknown type";
  }
}

void native_sig_text(const NativeSig *sig, char *buf, size_t cap) {
  size_t n = 0;
  buf[0] = '\0';
  for (unsigned i = 0; i < sig->nparams && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", kind_name(sig->params[i]));
  if (n < cap) snprintf(buf + n, cap - n, "%s-> %s", sig->nparams ? " " : "", kind_name(sig->result));
}

/* getal as a C struct: two int64_t, by value */
static ffi_type *getal_elements[3] = {&ffi_type_sint64, &ffi_type_sint64, NULL};
static ffi_type getal_type = {0, 0, FFI_TYPE_STRUCT, getal_elements};

static ffi_type *ffi_of(uint8_t kind) {
  switch (kind) {
  case VK_BOOL: return &ffi_type_sint;
  case VK_DEC: return &getal_type;
  case VK_DATE: return &ffi_type_sint32;
  case VK_TEXT: return &ffi_type_pointer;
  default: return &ffi_type_sint64;   /* geheel, geld, dagen, maanden, jaren */
  }
}

bool native_prepare(NativeFn *nf, void (*fn)(void), const NativeSig *sig, char *why, size_t cap) {
  memset(nf, 0, sizeof *nf);
  if (sig->nparams > NATIVE_MAX_PARAMS) {
    snprintf(why, cap, "a native function takes at most %d parameters", NATIVE_MAX_PARAMS);
    return false;
  }
  for (unsigned i = 0; i <= sig->nparams; i++) {
    uint8_t k = i < sig->nparams ? sig->params[i] : sig->result;
    const char *p = native_kind_problem(k);
    if (p) {
      if (i < sig->nparams) snprintf(why, cap, "parameter %u: %s", i + 1, p);
      else snprintf(why, cap, "result: %s", p);
      return false;
    }
    if (i < sig->nparams) nf->types[i] = ffi_of(k);
  }
  nf->types[sig->nparams] = &ffi_type_pointer;   /* const char **fout */
  nf->fn = fn;
  nf->sig = *sig;
  if (ffi_prep_cif(&nf->cif, FFI_DEFAULT_ABI, sig->nparams + 1u, ffi_of(sig->result), nf->types) != FFI_OK) {
    snprintf(why, cap, "libffi cannot prepare this signature");
    return false;
  }
  return true;
}

/* One argument in its C form; storage for every kind, so `slot` can be pointed at. */
typedef union CArg {
  int64_t i64;
  int32_t i32;
  int ival;
  dagloon_getal getal;
  const char *text;
} CArg;

static int32_t date_to_c(int64_t day) {
  int y, m, d;
  date_to_ymd(day, &y, &m, &d);
  return (int32_t)(y * 10000 + m * 100 + d);
}

NativeStatus native_call(const NativeFn *nf, const Value *args, Arena *a, Value *out, char *msg, size_t cap) {
  CArg cargs[NATIVE_MAX_PARAMS];
  void *slots[NATIVE_MAX_PARAMS + 1];
  for (unsigned i = 0; i < nf->sig.nparams; i++) {
    switch (nf->sig.params[i]) {
    case VK_BOOL: cargs[i].ival = args[i].i != 0; break;
    case VK_DEC: cargs[i].getal = (dagloon_getal){args[i].dec.num, args[i].dec.den}; break;
    case VK_DATE: cargs[i].i32 = date_to_c(args[i].i); break;
    case VK_TEXT: cargs[i].text = args[i].text->bytes; break;
    default: cargs[i].i64 = args[i].i; break;
    }
    slots[i] = &cargs[i];
  }
  const char *fout = NULL;
  const char **foutp = &fout;
  slots[nf->sig.nparams] = &foutp;
  /* libffi widens results narrower than a register to ffi_arg */
  union {
    ffi_arg word;
    int64_t i64;
    dagloon_getal getal;
    const char *text;
  } r;
  memset(&r, 0, sizeof r);
  ffi_call((ffi_cif *)&nf->cif, nf->fn, &r, slots);
  if (fout) {
    snprintf(msg, cap, "%s", fout);
    return NATIVE_REFUSED;
  }
  switch (nf->sig.result) {
  case VK_BOOL: {
    int b = (int)r.word;
    if (b != 0 && b != 1) {
      snprintf(msg, cap, "returned %d for a waarheid (0 or 1 expected)", b);
      return NATIVE_BAD_RESULT;
    }
    out->i = b;
    return NATIVE_OK;
  }
  case VK_DEC: {
    if (r.getal.noemer <= 0) {
      snprintf(msg, cap, "returned a getal with noemer %lld (above 0 expected)", (long long)r.getal.noemer);
      return NATIVE_BAD_RESULT;
    }
    if (dec_make(r.getal.teller, r.getal.noemer, &out->dec) != NUM_OK) {
      snprintf(msg, cap, "returned a getal that does not fit");
      return NATIVE_BAD_RESULT;
    }
    return NATIVE_OK;
  }
  case VK_DATE: {
    int32_t v = (int32_t)r.word;
    int y = v / 10000, m = v / 100 % 100, d = v % 100;
    if (v < 0 || !date_valid_ymd(y, m, d)) {
      snprintf(msg, cap, "returned %ld for a datum (a valid YYYYMMDD within 1900..2200 expected)", (long)v);
      return NATIVE_BAD_RESULT;
    }
    out->i = date_from_ymd(y, m, d);
    return NATIVE_OK;
  }
  case VK_TEXT: {
    if (!r.text) {
      snprintf(msg, cap, "returned NULL for a tekst");
      return NATIVE_BAD_RESULT;
    }
    size_t len = strlen(r.text);
    if (len > UINT32_MAX - 1) {
      snprintf(msg, cap, "returned a tekst that is too long");
      return NATIVE_BAD_RESULT;
    }
    Text *t = arena_alloc(a, sizeof(Text) + len + 1);
    t->len = (uint32_t)len;
    memcpy(t->bytes, r.text, len + 1);
    out->text = t;
    return NATIVE_OK;
  }
  default:
    out->i = r.i64;
    return NATIVE_OK;
  }
}

bool native_allow_add(NativeAllow *al, const char *path, char *why, size_t cap) {
  char *real = realpath(path, NULL);
  if (!real) {
    snprintf(why, cap, "--allow-native %s: %s", path, strerror(errno));
    return false;
  }
  VEC_PUSH(al->paths, al->n, al->cap, real);
  return true;
}

static const NativeAllow *process_allowed;

void native_set_allowed(const NativeAllow *al) { process_allowed = al; }

const NativeAllow *native_allowed(void) {
  static const NativeAllow none;
  return process_allowed ? process_allowed : &none;
}

void native_allow_free(NativeAllow *al) {
  for (size_t i = 0; i < al->n; i++) free(al->paths[i]);
  free(al->paths);
  memset(al, 0, sizeof *al);
}

void *native_open(const NativeAllow *al, const char *path, char *why, size_t cap) {
  char *real = realpath(path, NULL);
  if (!real) {
    snprintf(why, cap, "cannot find the library '%s': %s", path, strerror(errno));
    return NULL;
  }
  bool allowed = false;
  for (size_t i = 0; i < al->n && !allowed; i++) allowed = strcmp(al->paths[i], real) == 0;
  if (!allowed) {
    snprintf(why, cap,
             "the library '%s' is not allowed: only the operator can allow a native library, with "
             "--allow-native %s on the command line", path, path);
    free(real);
    return NULL;
  }
  dlerror();
  void *lib = dlopen(real, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *e = dlerror();
    snprintf(why, cap, "cannot load the library '%s': %s", path, e ? e : "unknown error");
  }
  free(real);
  return lib;
}

void native_close(void *lib) {
  if (lib) dlclose(lib);
}

void (*native_lookup(void *lib, const char *symbol, const NativeSig *sig, char *why, size_t cap))(void) {
  dlerror();
  void *p = dlsym(lib, symbol);
  if (!p) {
    snprintf(why, cap, "the library has no function '%s'", symbol);
    return NULL;
  }
  char name[300];
  snprintf(name, sizeof name, "dagloon_signature_%s", symbol);
  const char *stated = dlsym(lib, name);
  if (stated) {
    char declared[256];
    native_sig_text(sig, declared, sizeof declared);
    if (strcmp(stated, declared) != 0) {
      snprintf(why, cap, "the library says '%s' is %s, the rule file declares %s", symbol, stated, declared);
      return NULL;
    }
  }
  void (*fn)(void);
  memcpy(&fn, &p, sizeof fn);   /* object pointer to function pointer, as POSIX dlsym allows */
  return fn;
}
