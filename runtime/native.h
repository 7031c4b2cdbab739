/*
** native.h: C functions called from rules, through libffi (the convention a
** library follows is in dagloon_native.h).
**
** Three steps, each with its own failure said in words. The operator allows
** a library (native_allow_add, from --allow-native PATH[=SHA256]): its bytes
** are copied once into a sealed memory file and hashed there (and compared
** with the pinned hash, if any), so what is loaded later is what was allowed,
** whatever then happens to the file. A rule file's library opens only when it
** is (by real path, so links and "../" do not get round it) an allowed one:
** the sealed copy is loaded. A symbol binds only when it is a function the
** library itself defines (not one of a library it uses, not data, not an
** indirect function) and the library states its signature, equal to the
** declared one. The call is prepared once (native_prepare) and made per
** dossier (native_call), which turns the arguments into C values and the
** result back, checking what comes back.
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

/* What was loaded: the sha256 (64 hex digits) and size of the library's sealed copy. */
typedef struct NativeOrigin {
  char sha256[65];
  uint64_t bytes;
} NativeOrigin;

/* One library the operator allowed: its real path then, and a sealed memory file with its bytes. */
typedef struct NativeAllowed {
  char *path;
  int fd;
  NativeOrigin origin;
} NativeAllowed;

typedef struct NativeAllow {
  NativeAllowed *libs;
  size_t n, cap;
} NativeAllow;

/*
** Allow the library `spec` names: "PATH" or "PATH=SHA256" (64 hex digits, the
** hash its bytes must have). Reads the file once, into a sealed memory file
** (memfd, sealed against every change) that is hashed and later loaded; false
** and why when the file is missing, not a regular file, unreadable or not
** what the pin says.
*/
bool native_allow_add(NativeAllow *al, const char *spec, char *why, size_t cap);
void native_allow_free(NativeAllow *al);

/*
** The allow-list of this process (the command line's --allow-native), for
** whatever loads rules: rule files and bundles. NULL (the default): none.
*/
void native_set_allowed(const NativeAllow *al);
const NativeAllow *native_allowed(void);

/*
** dlopen the sealed copy of `path` if it is allowed, and say what was loaded
** in *origin (may be NULL); NULL and why otherwise (not allowed, missing, not
** a library).
*/
void *native_open(const NativeAllow *al, const char *path, NativeOrigin *origin, char *why, size_t cap);

void native_close(void *lib);   /* NULL is fine */

typedef enum NativeLookup {
  NATIVE_FOUND = 0,
  NATIVE_NO_SYMBOL,          /* neither the library nor one it uses has the name */
  NATIVE_NOT_OWN_FUNCTION,   /* a function of another library, data, or an indirect function */
  NATIVE_NO_SIGNATURE,       /* the library does not state the function's signature */
  NATIVE_BAD_SIGNATURE,      /* its statement is not a string of the library's own */
  NATIVE_OTHER_SIGNATURE     /* it states another signature than the declared one */
} NativeLookup;

/*
** The function `symbol` of lib, into *fn: only a function (STT_FUNC) defined
** in lib itself, whose signature lib states (dagloon_signature_SYMBOL) equal
** to sig. Anything else: why, and *fn NULL.
*/
NativeLookup native_lookup(void *lib, const char *symbol, const NativeSig *sig, void (**fn)(void), char *why,
                           size_t cap);

#endif
