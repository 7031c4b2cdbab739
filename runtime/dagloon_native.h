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
**                storage is fine), NULL is an error
**
** After the declared parameters every function takes `const char **fout`.
** To refuse a dossier (a value out of range, a date the calendar does not
** know), set *fout to a message in static storage and return anything: the
** dossier gets an error row with that message, naming the rule. Leave *fout
** alone otherwise. A native function must be pure: the same arguments give
** the same result, whatever was called before (results may be memoised).
**
** A library may state the signature of each function, so that a rule file
** that declares it differently is refused at load instead of calling it
** wrongly: export `const char dagloon_signature_SYMBOL[]` holding the rule
** types, e.g. "datum -> waarheid" or "geld, getal -> geld".
*/
#ifndef DAGLOON_NATIVE_H
#define DAGLOON_NATIVE_H

#include <stdint.h>

typedef struct dagloon_getal {
  int64_t teller;
  int64_t noemer;
} dagloon_getal;

#endif
