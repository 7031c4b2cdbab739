/*
** compare_labels.c: see compare_labels.h.
*/
#include "tools/compare_labels.h"

#include <string.h>

/* The label of an output column: its rule's, or its invoer field's; NULL if none. */
static const char *output_label(const Chunk *c, const char *name) {
  for (uint32_t k = 0; k < c->noutputs; k++) {
    const OutputDesc *o = &c->outputs[k];
    if (strcmp(o->name, name) != 0) continue;
    if (o->from == OUT_RULE) return o->index < c->nprotos ? c->protos[o->index].label : NULL;
    const Schema *s = &c->schema;
    if (s->input < 0 || o->index >= s->records[s->input].nfields) return NULL;
    return s->records[s->input].fields[o->index].label;
  }
  return NULL;
}

static const FieldDesc *input_field(const Chunk *c, const char *name) {
  const Schema *s = &c->schema;
  if (s->input < 0) return NULL;
  const RecordType *rt = &s->records[s->input];
  int k = schema_field_index(rt, name, strlen(name));
  return k < 0 ? NULL : &rt->fields[k];
}

static void set_label(json_t *o, const char *key, const char *label) {
  if (label) json_object_set_new(o, key, json_string(label));
}

void compare_labels_add(json_t *j, const Chunk *c) {
  json_t *v = json_object_get(j, "value"), *d = json_object_get(j, "deciles_of"), *by = json_object_get(j, "by");
  if (json_is_string(v)) set_label(j, "value_label", output_label(c, json_string_value(v)));
  if (json_is_string(d)) set_label(j, "deciles_of_label", output_label(c, json_string_value(d)));
  /* the benefit paid and, for the cohort, its duration and what follows (tools/compare_budget.c) */
  json_t *b = json_object_get(j, "budget"), *co = json_object_get(b, "cohort");
  const struct { json_t *o; const char *key, *label_key; } budget[] = {
    {b, "benefit", "benefit_label"}, {co, "duration", "duration_label"}, {co, "afterwards", "afterwards_label"}};
  for (size_t k = 0; k < sizeof budget / sizeof *budget; k++) {
    json_t *name = json_object_get(budget[k].o, budget[k].key);
    if (json_is_string(name)) set_label(budget[k].o, budget[k].label_key, output_label(c, json_string_value(name)));
  }
  const FieldDesc *f = json_is_string(by) ? input_field(c, json_string_value(by)) : NULL;
  if (!f) return;
  set_label(j, "by_label", f->label);
  /* a keuze (optioneel or not): each group is a choice's name, its label the choice's; a tekst field
     with 'waarden K': the values K knows get their labels, any other text is shown as it is */
  TypeRef t = f->type;
  bool is_enum = t.kind == VK_ENUM || (f->optional && t.kind == VK_LIST && t.elem == VK_ENUM);
  const EnumType *et = is_enum && t.ref < c->schema.nenums ? &c->schema.enums[t.ref] : schema_field_values(&c->schema, f);
  if (!et || !et->labels) return;
  size_t i;
  json_t *g;
  json_array_foreach(json_object_get(j, "groups"), i, g) {
    const char *name = json_string_value(json_object_get(g, "group"));
    int m = name ? schema_enum_member(et, name, strlen(name)) : -1;
    if (m >= 0 && et->labels[m]) set_label(g, "label", et->labels[m]);
  }
}
