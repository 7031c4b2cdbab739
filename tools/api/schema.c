/*
** schema.c: a rule set's schema as libdagloon shows it (dagloon.h, "the schema"): the invoer's
** fields, the uitvoer's columns and the gegevens types, built once at load from the chunk's
** schema, so the getters only index arrays (any thread may read them).
*/
#include "tools/api/api_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/schema.h"

static dagloon_kind kind_of(uint8_t vk) {
  switch ((ValueKind)vk) {
  case VK_BOOL: return DAGLOON_BOOL;
  case VK_INT: return DAGLOON_INT;
  case VK_DEC: return DAGLOON_DECIMAL;
  case VK_MONEY: return DAGLOON_MONEY;
  case VK_DATE: return DAGLOON_DATE;
  case VK_TEXT: return DAGLOON_TEXT;
  case VK_ENUM: return DAGLOON_CHOICE;
  case VK_RECORD: return DAGLOON_RECORD;
  case VK_LIST: return DAGLOON_LIST;
  case VK_PERIOD: return DAGLOON_PERIOD;
  case VK_DAYS: return DAGLOON_DAYS;
  case VK_MONTHS: return DAGLOON_MONTHS;
  case VK_YEARS: return DAGLOON_YEARS;
  case VK__COUNT: break;
  }
  return DAGLOON_TEXT;
}

/* One field or column: its strings point into the chunk, but for the type text (owned: freed with the rule set). */
static dagloon_field describe(const Schema *s, const char *name, TypeRef t, bool optional, bool key, const char *label) {
  char buf[256];
  dagloon_field f = {name, xstrdup(schema_type_name(s, t, buf, sizeof buf)), kind_of(t.kind), kind_of(t.kind), NULL,
                     optional, key, label, NULL};
  uint8_t inner = t.kind;
  if (t.kind == VK_LIST) {
    f.element = kind_of(t.elem);
    inner = t.elem;
  }
  if (inner == VK_ENUM && t.ref < s->nenums) f.type_name = s->enums[t.ref].name;
  if (inner == VK_RECORD && t.ref < s->nrecords) f.type_name = s->records[t.ref].name;
  /* 'optioneel T' is held as a list of T: show the T the rules wrote */
  if (optional && t.kind == VK_LIST) {
    TypeRef in = {t.elem, 0, t.ref};
    xfree((char *)f.type);
    f.type = xstrdup(schema_type_name(s, in, buf, sizeof buf));
    f.kind = f.element;
  }
  return f;
}

static ApiRecord record_of(const Schema *s, uint32_t i, int32_t key_field) {
  const RecordType *rt = &s->records[i];
  ApiRecord a = {rt->name, rt->nfields, xcalloc(rt->nfields ? rt->nfields : 1, sizeof(dagloon_field))};
  for (uint32_t k = 0; k < rt->nfields; k++) {
    const FieldDesc *fd = &rt->fields[k];
    a.fields[k] = describe(s, fd->name, fd->type, fd->optional, (int32_t)k == key_field, fd->label);
  }
  return a;
}

/* Appends "; " (unless first), prefix and text to the growing string *acc (owned). */
static void add_citation(char **acc, const char *prefix, const char *text) {
  size_t have = *acc ? strlen(*acc) : 0, more = (have ? 2 : 0) + strlen(prefix) + strlen(text) + 1;
  *acc = xrealloc(*acc, have + more);
  snprintf(*acc + have, more, "%s%s%s", have ? "; " : "", prefix, text);
}

/*
** The 'bron' citations of rule `index`: its own, then those of its versions and exceptions
** ("versie vanaf 2013-07-01: DB art 20"), which only the traced chunk keeps (its trace points);
** NULL when there are none.
*/
static char *rule_sources(const struct dagloon_rules *r, uint32_t index) {
  const Chunk *c = r->plain, *t = r->traced;
  char *acc = NULL;
  if (index >= c->nprotos) return NULL;
  if (c->protos[index].source && *c->protos[index].source) add_citation(&acc, "", c->protos[index].source);
  uint32_t at = UINT32_MAX;   /* the rule in the traced chunk, found by its name */
  for (uint32_t i = 0; t && i < t->nprotos && at == UINT32_MAX; i++)
    if (strcmp(t->protos[i].name, c->protos[index].name) == 0) at = i;
  for (uint32_t i = 0; t && i < t->ncovers; i++) {
    const CoverPoint *cp = &t->covers[i];
    if (cp->rule != at || !cp->source || !*cp->source) continue;
    if (cp->kind != COVER_VERSION && cp->kind != COVER_EXCEPTION) continue;
    char prefix[160];
    snprintf(prefix, sizeof prefix, "%s: ", cp->label ? cp->label : "");
    add_citation(&acc, prefix, cp->source);
  }
  return acc;
}

void api_schema_build(struct dagloon_rules *r) {
  const Chunk *c = r->plain;
  const Schema *s = &c->schema;
  r->input = record_of(s, (uint32_t)s->input, s->key_field);
  r->nrecords = s->nrecords;
  r->records = xcalloc(s->nrecords ? s->nrecords : 1, sizeof *r->records);
  for (uint32_t i = 0; i < s->nrecords; i++) r->records[i] = record_of(s, i, -1);
  r->outputs = (ApiRecord){"uitvoer", c->noutputs, xcalloc(c->noutputs ? c->noutputs : 1, sizeof(dagloon_field))};
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *d = &c->outputs[k];
    const char *label = d->from == OUT_RULE && d->index < c->nprotos ? c->protos[d->index].label : NULL;
    r->outputs.fields[k] = describe(s, d->name, d->type, false, false, label);
    if (d->from == OUT_RULE) r->outputs.fields[k].source = rule_sources(r, d->index);
  }
}

static void record_free(ApiRecord *a) {
  for (size_t k = 0; a->fields && k < a->n; k++) {
    xfree((char *)a->fields[k].type);
    xfree((char *)a->fields[k].source);
  }
  xfree(a->fields);
  a->fields = NULL;
}

void api_schema_free(struct dagloon_rules *r) {
  record_free(&r->input);
  record_free(&r->outputs);
  for (size_t i = 0; i < r->nrecords; i++) record_free(&r->records[i]);
  xfree(r->records);
  r->records = NULL;
}

size_t dagloon_input_count(const dagloon_rules *r) { return r ? r->input.n : 0; }
const dagloon_field *dagloon_input_field(const dagloon_rules *r, size_t i) {
  return r && i < r->input.n ? &r->input.fields[i] : NULL;
}
size_t dagloon_output_count(const dagloon_rules *r) { return r ? r->outputs.n : 0; }
const dagloon_field *dagloon_output_column(const dagloon_rules *r, size_t i) {
  return r && i < r->outputs.n ? &r->outputs.fields[i] : NULL;
}

static const ApiRecord *record_named(const dagloon_rules *r, const char *name) {
  for (size_t i = 0; r && name && i < r->nrecords; i++)
    if (strcmp(r->records[i].name, name) == 0) return &r->records[i];
  return NULL;
}

size_t dagloon_record_count(const dagloon_rules *r, const char *record) {
  const ApiRecord *a = record_named(r, record);
  return a ? a->n : 0;
}
const dagloon_field *dagloon_record_field(const dagloon_rules *r, const char *record, size_t i) {
  const ApiRecord *a = record_named(r, record);
  return a && i < a->n ? &a->fields[i] : NULL;
}

static const EnumType *choice_named(const dagloon_rules *r, const char *name) {
  const Schema *s = r ? &r->plain->schema : NULL;
  for (uint32_t i = 0; s && name && i < s->nenums; i++)
    if (strcmp(s->enums[i].name, name) == 0) return &s->enums[i];
  return NULL;
}

size_t dagloon_choice_count(const dagloon_rules *r, const char *choice) {
  const EnumType *e = choice_named(r, choice);
  return e ? e->nmembers : 0;
}
const char *dagloon_choice_name(const dagloon_rules *r, const char *choice, size_t i) {
  const EnumType *e = choice_named(r, choice);
  return e && i < e->nmembers ? e->members[i] : NULL;
}
