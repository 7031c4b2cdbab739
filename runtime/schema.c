/*
** schema.c: lookups over the rule set's enum and record types (see schema.h).
*/
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

int schema_field_index(const RecordType *rt, const char *name, size_t len) {
  for (uint32_t i = 0; i < rt->nfields; i++)
    if (strlen(rt->fields[i].name) == len && memcmp(rt->fields[i].name, name, len) == 0) return (int)i;
  return -1;
}

int schema_enum_member(const EnumType *et, const char *name, size_t len) {
  for (uint32_t i = 0; i < et->nmembers; i++)
    if (strlen(et->members[i]) == len && memcmp(et->members[i], name, len) == 0) return (int)i;
  return -1;
}

static const char *scalar_name(const Schema *s, uint8_t kind, uint16_t ref) {
  switch (kind) {
  case VK_BOOL: return "waarheid";
  case VK_INT: return "geheel";
  case VK_DEC: return "getal";
  case VK_MONEY: return "geld";
  case VK_DATE: return "datum";
  case VK_TEXT: return "tekst";
  case VK_ENUM: return s && ref < s->nenums ? s->enums[ref].name : "keuze";
  case VK_RECORD: return s && ref < s->nrecords ? s->records[ref].name : "gegevens";
  case VK_PERIOD: return "periode";
  case VK_DAYS: return "dagen";
  case VK_MONTHS: return "maanden";
  case VK_YEARS: return "jaren";
  default: return "?";
  }
}

const char *schema_enum_label(const EnumType *et, uint32_t ordinal) {
  if (ordinal >= et->nmembers) return "?";
  return et->labels && et->labels[ordinal] ? et->labels[ordinal] : et->members[ordinal];
}

const EnumType *schema_field_values(const Schema *s, const FieldDesc *f) {
  return f->values > 0 && f->values <= s->nenums ? &s->enums[f->values - 1] : NULL;
}

const char *schema_value_label(const Schema *s, const FieldDesc *f, const char *v, size_t len) {
  const EnumType *et = schema_field_values(s, f);
  int m = et ? schema_enum_member(et, v, len) : -1;
  return m >= 0 && et->labels ? et->labels[m] : NULL;
}

const char *schema_type_name(const Schema *s, TypeRef t, char *buf, size_t cap) {
  if (t.kind == VK_LIST) snprintf(buf, cap, "lijst %s", scalar_name(s, t.elem, t.ref));
  else snprintf(buf, cap, "%s", scalar_name(s, t.kind, t.ref));
  return buf;
}

const char *vk_name(ValueKind k) {
  static const char *names[] = {"bool", "integer", "decimal", "money", "date", "text", "enum", "record", "list",
                                "period", "days", "months", "years"};
  return (unsigned)k < VK__COUNT ? names[k] : "?";
}

void schema_free(Schema *s) {
  for (uint32_t i = 0; i < s->nenums; i++) {
    for (uint32_t j = 0; j < s->enums[i].nmembers; j++) {
      xfree(s->enums[i].members[j]);
      if (s->enums[i].labels) xfree(s->enums[i].labels[j]);
    }
    xfree(s->enums[i].members);
    xfree(s->enums[i].labels);
    xfree(s->enums[i].name);
  }
  xfree(s->enums);
  for (uint32_t i = 0; i < s->nrecords; i++) {
    for (uint32_t j = 0; j < s->records[i].nfields; j++) {
      xfree(s->records[i].fields[j].name);
      xfree(s->records[i].fields[j].label);
    }
    xfree(s->records[i].fields);
    xfree(s->records[i].name);
  }
  xfree(s->records);
  memset(s, 0, sizeof *s);
  s->input = -1;
  s->key_field = -1;
}
