/*
** dagloon_native.h: the calling convention for C functions that rules call
** (native functions, declared in a rule file and allowed by the operator
** with --allow-native). Include it in the library; it has no other needs.
**
** Rule type      C type (argument and result)
** geheel         int64_t
** geld           int64_t, in eurocents
** getal          dagloon_getal, by value: teller / noemer, noemer > 0
** datum          int32_t, the date as YYYYMMDD (20240115)
** waarheid       int, 0 or 1 (a result other than 0 or 1 is an error)
** dagen, maanden, jaren   int64_t
** tekst          const char *, UTF-8 and NUL-terminated; an argument is valid
**                during the call only; a result is copied at once (static
**                storage is fine); NULL or bytes that are not UTF-8 are an error
**
** After the declared parameters every function takes `const char **fout`.
** To refuse a dossier (a value out of range, a date the calendar does not
** know), set *fout to a message in static storage and return anything: the
** dossier gets an error row with that message, naming the rule. Leave *fout
** alone otherwise. A native function must be pure: the same arguments give
** the same result, whatever was called before (results may be memoised).
**
** The library must state the signature of every function it offers, so that
** a rule file that declares it differently is refused at load instead of
** calling it wrongly: export `const char dagloon_signature_SYMBOL[]` holding
** the rule types, e.g. "datum -> waarheid" or "geld, getal -> geld". A
** function without it is refused (E081).
**
** Only the library's own functions bind: a plain function (STT_FUNC) defined
** in this library -- not one of a library it uses (libc's `system`), not
** data, not an indirect function (STT_GNU_IFUNC, whose resolver's choice is
** no symbol that can be checked). What loads is the copy of the library made
** when the operator allowed it (a sealed memory file under /proc/self/fd, so
** $ORIGIN in its run path does not point at its folder).
*/
#ifndef DAGLOON_NATIVE_H
#define DAGLOON_NATIVE_H

#include <stdint.h>

typedef struct dagloon_getal {
  int64_t teller;
  int64_t noemer;
} dagloon_getal;

#endif
