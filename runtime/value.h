/*
** value.h: the runtime value model shared by the VM, the record readers
** and the compiler (which builds constants with it).
**
** Registers are untagged: the static type of every register is known to
** the compiler and checked by the verifier, so the hot path never looks at
** a tag. The kind of a value lives beside it in a TypeRef (schemas, register
** type tables, constant pool), never inside the Value.
**
** Integers, money (eurocents), dates (day numbers), booleans, enum ordinals
** and durations (days, months, years) all live in the int64 slot `i`, so
** one comparison opcode serves them all. Exact decimals are reduced rationals (see num.h for why).
*/
#ifndef DAGLOON_VALUE_H
#define DAGLOON_VALUE_H

#include <stdint.h>
#include <stddef.h>
#include "period.h"

/* The value kinds of the rule language. Order is part of the bundle format. */
typedef enum ValueKind {
  VK_BOOL = 0,   /* waarheid: i is 0 or 1 */
  VK_INT,        /* geheel: i, overflow is an error */
  VK_DEC,        /* getal: exact rational dec */
  VK_MONEY,      /* geld: i holds eurocents */
  VK_DATE,       /* datum: i holds days since 1970-01-01 (date.h) */
  VK_TEXT,       /* tekst: text points to an immutable Text */
  VK_ENUM,       /* keuze: i holds the member ordinal; ref = enum index */
  VK_RECORD,     /* gegevens: rec; ref = record type index */
  VK_LIST,       /* lijst: list; elem kind/ref in TypeRef */
  VK_PERIOD,     /* periode: per, a closed interval of day numbers */
  VK_DAYS,       /* dagen: i, a number of days */
  VK_MONTHS,     /* maanden: i, a number of months */
  VK_YEARS,      /* jaren: i, a number of years */
  VK__COUNT
} ValueKind;

/*
** A static type as the runtime sees it. For VK_ENUM and VK_RECORD `ref`
** indexes the schema's enums/records. For VK_LIST, `elem` and `ref`
** describe the element (lists of lists are not part of the language).
*/
typedef struct TypeRef {
  uint8_t kind;     /* ValueKind */
  uint8_t elem;     /* element ValueKind when kind == VK_LIST */
  uint16_t ref;     /* enum/record index for kind (or elem) ENUM/RECORD */
} TypeRef;

/* Exact decimal: num/den, den > 0, gcd(|num|, den) == 1. */
typedef struct Dec {
  int64_t num;
  int64_t den;
} Dec;

/* Immutable text; bytes are NUL-terminated for convenience, len excludes it. */
typedef struct Text {
  uint32_t len;
  char bytes[];
} Text;

typedef struct Record Record;
typedef struct List List;

typedef union Value {
  int64_t i;          /* bool, int, money (cents), date (day number), enum */
  Dec dec;            /* exact decimal */
  Period per;         /* period: first and last day */
  const Text *text;   /* text */
  Record *rec;        /* record */
  List *list;         /* list */
} Value;

struct Record {
  uint32_t type;      /* index into the schema's record types */
  uint32_t nfields;
  Value fields[];     /* in declaration order */
};

struct List {
  uint32_t n;         /* number of items */
  TypeRef elem;       /* type of the items */
  Value *items;
};

const char *vk_name(ValueKind k);   /* "money", "date", ... (English, for tools) */

#endif
