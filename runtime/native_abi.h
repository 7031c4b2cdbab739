/*
** native_abi.h: what a native bundle (`dagloon compile --native`, a shared
** object) and the engine that loads it share. The generated C gets these
** declarations as text (NATIVE_ABI_TEXT, the same tokens as compiled here),
** so the shared object needs no header of ours and no symbol of libdagloon:
** everything it calls comes in through a NativeCtx at run time.
**
** The layout mirrors value.h (Value, Record); vm.c asserts the sizes and
** offsets agree. Raise NATIVE_ABI_VERSION when anything here changes
** meaning: the ABI string the object records (version and opcode signature)
** must equal the engine's or the object is refused.
*/
#ifndef DAGLOON_NATIVE_ABI_H
#define DAGLOON_NATIVE_ABI_H

#include <stdint.h>

#define NATIVE_ABI_VERSION 1

/*
** NativeValue, NativeRecord, NativeList: Value, Record and List as the generated code sees them;
** NativeRevMemo: vm.c's REVISE memo, whose hit the code takes itself.
** NativeCtx: one per Vm; pointers to the VM's own state (memo and state move
** under AS_KNOWN, so they are reached through the VM's fields), and `step`,
** which runs one instruction of rule p at pc with the VM's own code (vm_exec.h)
** and says the next pc: the generated code calls it for every instruction it
** does not translate itself and for every error, so messages are the VM's.
** NativeModule: the table the object exports as `dagloon_native_module`.
*/
#define NATIVE_ABI_DECLS                                                                     \
  typedef union NativeValue {                                                                \
    int64_t i;                                                                               \
    struct { int64_t num, den; } dec;                                                        \
    struct { int64_t lo, hi; } per;                                                          \
    const void *ptr;                                                                         \
    struct NativeRecord *rec;                                                                \
    struct NativeList *list;                                                                 \
  } NativeValue;                                                                             \
  typedef struct NativeRecord {                                                              \
    uint32_t type, nfields;                                                                  \
    NativeValue fields[];                                                                    \
  } NativeRecord;                                                                            \
  typedef struct NativeList {                                                                \
    uint32_t n, elem;                                                                        \
    NativeValue *items;                                                                      \
  } NativeList;                                                                              \
  typedef struct NativeRevMemo {                                                             \
    uint64_t dossier;                                                                        \
    int64_t start, after, through, result;                                                   \
    uint32_t next;                                                                           \
    uint64_t unverified;                                                                     \
    int64_t same_from, same_to;                                                              \
  } NativeRevMemo;                                                                           \
  typedef struct NativeCtx {                                                                 \
    void *vm;                                                                                \
    int (*step)(void *vm, uint32_t p, NativeValue *base, uint32_t pc, uint32_t *next);      \
    NativeValue **memo;                                                                      \
    uint8_t **state;                                                                         \
    uint32_t *depth;                                                                         \
    uint64_t *steps_left;                                                                    \
    NativeRecord **input;                                                                    \
    uint64_t **cov_rules;                                                                    \
    const NativeRevMemo *revmemo;                                                            \
    const uint64_t *dossier;                                                                 \
    uint64_t *unverified;                                                                    \
  } NativeCtx;                                                                               \
  typedef int (*NativeEntry)(NativeCtx *x, NativeValue *base);                               \
  typedef struct NativeModule {                                                              \
    const char *abi;                                                                         \
    const char *bytecode_sha256;                                                             \
    const char *cflags;                                                                      \
    const unsigned char *bundle;                                                             \
    uint64_t bundle_len;                                                                     \
    uint32_t nentries;                                                                       \
    const NativeEntry *entries;                                                              \
  } NativeModule;

NATIVE_ABI_DECLS

#define NATIVE_ABI_STR_(...) #__VA_ARGS__
#define NATIVE_ABI_STR(...) NATIVE_ABI_STR_(__VA_ARGS__)
/* The declarations above as C text, for the generated file. */
#define NATIVE_ABI_TEXT NATIVE_ABI_STR(NATIVE_ABI_DECLS)

/* Rule states as vm.c keeps them (RULE_NEW, RULE_BUSY, RULE_DONE) and its nesting limit. */
#define NATIVE_RULE_NEW 0
#define NATIVE_RULE_BUSY 1
#define NATIVE_RULE_DONE 2
#define NATIVE_MAX_DEPTH 200

#endif
