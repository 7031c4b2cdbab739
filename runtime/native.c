/*
** native.c: marshalling rule values to C and back with libffi, and opening
** only the libraries the operator allowed, as they were when allowed, and
** only the functions they define themselves (see native.h, dagloon_native.h).
*/
#define _GNU_SOURCE   /* memfd_create, F_ADD_SEALS, dladdr1, dlinfo */
#include "runtime/native.h"
#include "i18n.h"

#include <ctype.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/dagloon_native.h"
#include "runtime/date.h"
#include "runtime/num.h"
#include "runtime/strutil.h"

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
  case VK_ENUM: return _("a keuze has no C form (pass a tekst or a geheel instead)");
  case VK_PERIOD: return _("a periode has no C form (pass its begin and einde as two datums)");
  case VK_LIST: return _("a lijst cannot be passed to C");
  case VK_RECORD: return _("gegevens cannot be passed to C");
  default: return _("unknown type");
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
    snprintf(why, cap, _("a native function takes at most %d parameters"), NATIVE_MAX_PARAMS);
    return false;
  }
  for (unsigned i = 0; i <= sig->nparams; i++) {
    uint8_t k = i < sig->nparams ? sig->params[i] : sig->result;
    const char *p = native_kind_problem(k);
    if (p) {
      if (i < sig->nparams) snprintf(why, cap, _("parameter %u: %s"), i + 1, p);
      else snprintf(why, cap, _("result: %s"), p);
      return false;
    }
    if (i < sig->nparams) nf->types[i] = ffi_of(k);
  }
  nf->types[sig->nparams] = &ffi_type_pointer;   /* const char **fout */
  nf->fn = fn;
  nf->sig = *sig;
  if (ffi_prep_cif(&nf->cif, FFI_DEFAULT_ABI, sig->nparams + 1u, ffi_of(sig->result), nf->types) != FFI_OK) {
    snprintf(why, cap, _("libffi cannot prepare this signature"));
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
    if (!utf8_valid(r.text, len)) {   /* every tekst in the engine is UTF-8 (readers and rule files check theirs) */
      snprintf(msg, cap, "returned a tekst that is not valid UTF-8");
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

/* ---- allowing: the library's bytes, once, into a sealed memory file ---- */

/* "PATH=<64 hex digits>": the pin's start (after '='), else NULL. */
static const char *pin_of(const char *spec) {
  size_t n = strlen(spec);
  if (n < 66 || spec[n - 65] != '=') return NULL;
  for (size_t i = n - 64; i < n; i++)
    if (!isxdigit((unsigned char)spec[i])) return NULL;
  return spec + n - 64;
}

/* Copy all of `from` into `to`; false with errno set on a failed read or write. */
static bool copy_all(int from, int to) {
  char buf[65536];
  for (;;) {
    ssize_t got = read(from, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) return true;
    for (ssize_t put = 0; put < got;) {
      ssize_t w = write(to, buf + put, (size_t)(got - put));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return false;
      put += w;
    }
  }
}

/* sha256 of the sealed file fd (nothing can change it any more) into *o. */
static bool hash_sealed(int fd, NativeOrigin *o) {
  struct stat st;
  if (fstat(fd, &st) != 0) return false;
  uint8_t d[SHA256_DIGEST_SIZE];
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  if (st.st_size > 0) {
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) return false;
    sha256_update(&ctx, (size_t)st.st_size, m);
    munmap(m, (size_t)st.st_size);
  }
  sha256_digest(&ctx, sizeof d, d);
  for (size_t i = 0; i < sizeof d; i++) snprintf(o->sha256 + 2 * i, 3, "%02x", d[i]);
  o->bytes = (uint64_t)st.st_size;
  return true;
}

/* A sealed memory file holding the bytes of the regular file `real`, or -1 (why said). */
static int sealed_copy(const char *spec_path, const char *real, char *why, size_t cap) {
  int src = open(real, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);   /* a FIFO must not hang us */
  if (src < 0) {
    snprintf(why, cap, _("--allow-native %s: %s"), spec_path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, cap, _("--allow-native %s: not a regular file"), spec_path);
    close(src);
    return -1;
  }
  int fd = memfd_create("dagloon-native", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  const char *step = "cannot make a memory file for it";
  bool ok = fd >= 0;
  if (ok && !(ok = copy_all(src, fd))) step = "cannot copy it";
  if (ok && !(ok = fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) == 0))
    step = "cannot seal its copy";
  if (!ok) {
    snprintf(why, cap, _("--allow-native %s: %s: %s"), spec_path, step, strerror(errno));
    if (fd >= 0) close(fd);
    fd = -1;
  }
  close(src);
  return fd;
}

bool native_allow_add(NativeAllow *al, const char *spec, char *why, size_t cap) {
  const char *pin = pin_of(spec);
  char *path = pin ? xstrndup(spec, (size_t)(pin - 1 - spec)) : xstrdup(spec);
  NativeAllowed lib = {xrealpath(path), -1, {{0}, 0}};
  bool ok = lib.path != NULL;
  if (!ok) snprintf(why, cap, _("--allow-native %s: %s"), path, strerror(errno));
  if (ok) ok = (lib.fd = sealed_copy(path, lib.path, why, cap)) >= 0;
  if (ok && !(ok = hash_sealed(lib.fd, &lib.origin)))
    snprintf(why, cap, _("--allow-native %s: cannot hash its copy: %s"), path, strerror(errno));
  if (ok && pin && !(ok = strncasecmp(pin, lib.origin.sha256, 64) == 0))
    snprintf(why, cap, _("--allow-native %s: its sha256 is %s, not %.64s as pinned; not loaded"), path,
             lib.origin.sha256, pin);
  if (ok) {
    VEC_PUSH(al->libs, al->n, al->cap, lib);
  } else {
    xfree(lib.path);
    if (lib.fd >= 0) close(lib.fd);
  }
  xfree(path);
  return ok;
}

static const NativeAllow *process_allowed;

void native_set_allowed(const NativeAllow *al) { process_allowed = al; }

const NativeAllow *native_allowed(void) {
  static const NativeAllow none;
  return process_allowed ? process_allowed : &none;
}

void native_allow_free(NativeAllow *al) {
  for (size_t i = 0; i < al->n; i++) {
    xfree(al->libs[i].path);
    close(al->libs[i].fd);
  }
  xfree(al->libs);
  memset(al, 0, sizeof *al);
}

/* ---- opening: the sealed copy, never the path again ---- */

void *native_open(const NativeAllow *al, const char *path, NativeOrigin *origin, char *why, size_t cap) {
  char *real = xrealpath(path);
  if (!real) {
    snprintf(why, cap, _("cannot find the library '%s': %s"), path, strerror(errno));
    return NULL;
  }
  const NativeAllowed *lib = NULL;
  for (size_t i = 0; i < al->n && !lib; i++)
    if (strcmp(al->libs[i].path, real) == 0) lib = &al->libs[i];
  xfree(real);
  if (!lib) {
    snprintf(why, cap,
             _("the library '%s' is not allowed: only the operator can allow a native library, with "
             "--allow-native %s on the command line"), path, path);
    return NULL;
  }
  char fdpath[64];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", lib->fd);
  dlerror();
  void *handle = dlopen(fdpath, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *e = dlerror();
    size_t n = strlen(fdpath);   /* "/proc/self/fd/5: invalid ELF header" says less than the path */
    if (e && strncmp(e, fdpath, n) == 0 && strncmp(e + n, ": ", 2) == 0) e += n + 2;
    snprintf(why, cap, _("cannot load the library '%s': %s"), path, e ? e : "unknown error");
    return NULL;
  }
  if (origin) *origin = lib->origin;
  return handle;
}

void native_close(void *lib) {
  if (lib) dlclose(lib);
}

/* ---- binding: only what the library itself defines ---- */

/*
** The address of `name` when it is a symbol lib itself defines, of ELF type
** `type`, starting at that address; NULL otherwise, with why and *status.
** dlsym on a handle also searches the libraries it depends on (libc's
** `system`), so where the address lies is checked, and what is there: a
** string must not be called, nor a function be read as a signature. An
** indirect function (STT_GNU_IFUNC) is refused: dlsym gives the code its
** resolver chose, which is no symbol of the library that can be checked.
*/
static void *own_symbol(void *lib, const char *name, unsigned type, NativeLookup *status, char *why, size_t cap) {
  dlerror();
  void *p = dlsym(lib, name);
  if (!p) {
    *status = NATIVE_NO_SYMBOL;
    return NULL;
  }
  *status = NATIVE_NOT_OWN_FUNCTION;
  struct link_map *own = NULL, *in = NULL;
  const ElfW(Sym) *sym = NULL;
  Dl_info info;
  if (dlinfo(lib, RTLD_DI_LINKMAP, &own) != 0 || !dladdr1(p, &info, (void **)&in, RTLD_DL_LINKMAP) || in != own) {
    const char *other = in && in->l_name && *in->l_name ? in->l_name : "the program";
    const char *base = strrchr(other, '/');
    snprintf(why, cap, _("'%s' is not defined in the library but in %s, a library it uses"), name, base ? base + 1 : other);
    return NULL;
  }
  if (!dladdr1(p, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym || info.dli_saddr != p) {
    snprintf(why, cap, _("'%s' is not a plain symbol of the library (an indirect function, STT_GNU_IFUNC, is not "
                       "accepted)"), name);
    return NULL;
  }
  unsigned t = ELF64_ST_TYPE(sym->st_info);   /* the same macro body as ELF32_ST_TYPE */
  if (t != type) {
    snprintf(why, cap, _("'%s' is %s, not %s"), name,
             t == STT_FUNC ? "a function" : t == STT_OBJECT ? "data" : t == STT_GNU_IFUNC ? "an indirect function"
                                                                                           : "no plain symbol",
             type == STT_FUNC ? "a function" : "a string");
    return NULL;
  }
  *status = NATIVE_FOUND;
  if (type == STT_OBJECT && !memchr(p, '\0', sym->st_size)) {   /* st_size bounds what may be read */
    snprintf(why, cap, _("'%s' is not a NUL-terminated string"), name);
    *status = NATIVE_BAD_SIGNATURE;
    return NULL;
  }
  return p;
}

NativeLookup native_lookup(void *lib, const char *symbol, const NativeSig *sig, void (**fn)(void), char *why,
                           size_t cap) {
  *fn = NULL;
  NativeLookup st;
  void *p = own_symbol(lib, symbol, STT_FUNC, &st, why, cap);
  if (!p) {
    if (st == NATIVE_NO_SYMBOL) snprintf(why, cap, _("the library has no function '%s'"), symbol);
    else if (st == NATIVE_NOT_OWN_FUNCTION) {
      char inner[600];
      snprintf(inner, sizeof inner, "%s", why);
      snprintf(why, cap, _("%s: only a function of the library itself can be bound"), inner);
    }
    return st;
  }
  char declared[256], name[300];
  native_sig_text(sig, declared, sizeof declared);
  snprintf(name, sizeof name, "dagloon_signature_%s", symbol);
  const char *stated = own_symbol(lib, name, STT_OBJECT, &st, why, cap);
  if (!stated) {
    if (st == NATIVE_NO_SYMBOL) {
      snprintf(why, cap, _("the library does not state the signature of '%s' (it must export %s)"), symbol, name);
      return NATIVE_NO_SIGNATURE;
    }
    char inner[600];
    snprintf(inner, sizeof inner, "%s", why);
    snprintf(why, cap, _("the library's statement of the signature of '%s' is unusable: %s"), symbol, inner);
    return NATIVE_BAD_SIGNATURE;
  }
  if (strcmp(stated, declared) != 0) {
    snprintf(why, cap, _("the library says '%s' is %s, the rule file declares %s"), symbol, stated, declared);
    return NATIVE_OTHER_SIGNATURE;
  }
  memcpy(fn, &p, sizeof *fn);   /* object pointer to function pointer, as POSIX dlsym allows */
  return NATIVE_FOUND;
}
