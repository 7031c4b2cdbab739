/*
** schema.h: the types of a compiled rule set as the runtime needs them --
** enums (keuze), record types (gegevens), and which record is the input
** (invoer) with its key field. Built by the compiler, owned by the Chunk,
** read by the record readers and writers.
*/
#ifndef DAGLOON_SCHEMA_H
#define DAGLOON_SCHEMA_H

#include <stdint.h>
#include "value.h"

typedef struct EnumType {
  char *name;
  uint32_t nmembers;
  char **members;          /* member names, ordinal = index */
  char **labels;           /* labels[ordinal]: the choice's human label ('label "..."'), NULL if none; or labels NULL */
} EnumType;

typedef struct FieldDesc {
  char *name;
  TypeRef type;
  uint8_t optional;        /* 'optioneel T': type is lijst T holding zero values (not given) or one */
  char *label;             /* its human label ('label "..."'), or NULL */
  uint32_t values;         /* 'tekst waarden K': 1 + the index of the keuze K whose labels name the values it
                              knows (other text stays allowed), 0 if none -- 0 so a zeroed FieldDesc has none */
} FieldDesc;

typedef struct RecordType {
  char *name;
  uint32_t nfields;
  FieldDesc *fields;
} RecordType;

typedef struct Schema {
  uint32_t nenums;
  EnumType *enums;
  uint32_t nrecords;
  RecordType *records;
  int32_t input;           /* index of the invoer record type, -1 if none */
  int32_t key_field;       /* field of the input record that identifies a dossier, -1 if none */
} Schema;

/* Index of field `name` in record type `rt`, or -1. */
int schema_field_index(const RecordType *rt, const char *name, size_t len);

/* Ordinal of member `name` in enum `et`, or -1. */
int schema_enum_member(const EnumType *et, const char *name, size_t len);

/* The label of a choice if it has one, else its name. */
const char *schema_enum_label(const EnumType *et, uint32_t ordinal);

/* The keuze that labels the values of tekst field f ('waarden K'), or NULL. */
const EnumType *schema_field_values(const Schema *s, const FieldDesc *f);

/* The label of text value `v` of field f by its keuze ('waarden K'), or NULL if it has none. */
const char *schema_value_label(const Schema *s, const FieldDesc *f, const char *v, size_t len);

/* Writes a readable type name ("geld", "lijst Loonregel") into buf; returns buf. */
const char *schema_type_name(const Schema *s, TypeRef t, char *buf, size_t cap);

void schema_free(Schema *s);

#endif
