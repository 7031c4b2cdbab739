/*
** native.h: C functions called from rules, through libffi (the convention a
** library follows is in dagloon_native.h).
**
** Three steps, each with its own failure said in words: a library is opened
** only when the operator allowed its file (native_allow_add, from
** --allow-native; compared by real path, so links and "../" do not get
** round it); a symbol is looked up and, when the library states its
** signature, compared with the declared one; the call is prepared once
** (native_prepare) and made per dossier (native_call), which turns the
** arguments into C values and the result back, checking what comes back.
*/
#ifndef DAGLOON_NATIVE_H_INTERNAL
#define DAGLOON_NATIVE_H_INTERNAL

#include <ffi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "value.h"

enum { NATIVE_MAX_PARAMS = 8 };

/* A declared signature: parameter and result kinds (ValueKind). */
typedef struct NativeSig {
  uint8_t nparams;
  uint8_t params[NATIVE_MAX_PARAMS];
  uint8_t result;
} NativeSig;

/* NULL when values of kind k can be passed to and from C, else why not. */
const char *native_kind_problem(uint8_t kind);

/* "datum, geld -> waarheid": the form of dagloon_signature_SYMBOL. */
void native_sig_text(const NativeSig *sig, char *buf, size_t cap);

typedef struct NativeFn {
  void (*fn)(void);
  NativeSig sig;
  ffi_cif cif;
  ffi_type *types[NATIVE_MAX_PARAMS + 1];   /* the parameters and `const char **fout` */
} NativeFn;

/*
** Prepare calls of fn with sig; false (and why) if a kind cannot be
** marshalled. The prepared cif points into *nf: prepare it where it will
** stay (never copy a NativeFn after this).
*/
bool native_prepare(NativeFn *nf, void (*fn)(void), const NativeSig *sig, char *why, size_t cap);

typedef enum NativeStatus {
  NATIVE_OK = 0,
  NATIVE_REFUSED,      /* the function set *fout: msg holds its message */
  NATIVE_BAD_RESULT    /* the result is not a value of the declared type: msg says why */
} NativeStatus;

/* Call with args (kinds as declared); a text result is copied into `a`. */
NativeStatus native_call(const NativeFn *nf, const Value *args, Arena *a, Value *out, char *msg, size_t cap);

/* The files the operator allowed (--allow-native), by real path. */
typedef struct NativeAllow {
  char **paths;
  size_t n, cap;
} NativeAllow;

bool native_allow_add(NativeAllow *al, const char *path, char *why, size_t cap);
void native_allow_free(NativeAllow *al);

/*
** The allow-list of this process (the command line's --allow-native), for
** whatever loads rules: rule files and bundles. NULL (the default): none.
*/
void native_set_allowed(const NativeAllow *al);
const NativeAllow *native_allowed(void);

/* dlopen `path` if it is allowed; NULL and why otherwise (not allowed, missing, not a library). */
void *native_open(const NativeAllow *al, const char *path, char *why, size_t cap);

void native_close(void *lib);   /* NULL is fine */

/*
** The function `symbol` of lib, checked against the library's own statement
** of its signature when it makes one; NULL and why otherwise.
*/
void (*native_lookup(void *lib, const char *symbol, const NativeSig *sig, char *why, size_t cap))(void);

#endif
