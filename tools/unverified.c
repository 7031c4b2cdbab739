/*
** unverified.c: the `ongeverifieerd` column (see unverified.h): the rows
** the VM recorded, named the way the table files name them.
*/
#include "tools/unverified.h"

#include <string.h>

TypeRef unverified_type(RecFormat fmt) {
  return fmt == FMT_JSONL ? (TypeRef){VK_LIST, VK_TEXT, 0} : (TypeRef){VK_TEXT, 0, 0};
}

/* "table@key" as a Text in a: the key in its machine form (a date, a number, a keuze member). */
static const Text *label(const Chunk *c, RowRef r, Arena *a) {
  const Table *t = &c->tables[r.table];
  TypeRef kt = t->kind == TABLE_BY_DATE ? (TypeRef){VK_DATE, 0, 0} : t->keytype;
  char key[64];
  int k = value_format(&c->schema, kt, (Value){.i = t->rows[r.row].key}, key, sizeof key);
  if (k < 0) k = 0;   /* a key type with no text form: the table name alone still says where to look */
  size_t n = strlen(t->name);
  Text *x = arena_alloc(a, sizeof *x + n + 1 + (size_t)k + 1);
  memcpy(x->bytes, t->name, n);
  x->bytes[n] = '@';
  memcpy(x->bytes + n + 1, key, (size_t)k + 1);
  x->len = (uint32_t)(n + 1 + (size_t)k);
  return x;
}

Value unverified_value(const Chunk *c, const Vm *vm, RecFormat fmt, Arena *a) {
  if (fmt != FMT_JSONL) {
    const char *s = unverified_text(c, vm, a);
    size_t n = strlen(s);
    Text *x = arena_alloc(a, sizeof *x + n + 1);
    memcpy(x->bytes, s, n + 1);
    x->len = (uint32_t)n;
    return (Value){.text = x};
  }
  uint32_t n;
  const RowRef *rows = vm_unverified_rows(vm, &n);
  List *l = arena_alloc(a, sizeof *l);
  l->n = n;
  l->elem = (TypeRef){VK_TEXT, 0, 0};
  l->items = arena_alloc(a, (n ? n : 1) * sizeof *l->items);
  for (uint32_t k = 0; k < n; k++) l->items[k].text = label(c, rows[k], a);
  return (Value){.list = l};
}

const char *unverified_text(const Chunk *c, const Vm *vm, Arena *a) {
  uint32_t n;
  const RowRef *rows = vm_unverified_rows(vm, &n);
  const Text **names = arena_alloc(a, (n ? n : 1) * sizeof *names);
  size_t len = 0;
  for (uint32_t k = 0; k < n; k++) {
    names[k] = label(c, rows[k], a);
    len += names[k]->len + 1;
  }
  char *s = arena_alloc(a, len + 1), *p = s;
  for (uint32_t k = 0; k < n; k++) {
    if (k) *p++ = ';';
    memcpy(p, names[k]->bytes, names[k]->len);
    p += names[k]->len;
  }
  *p = '\0';
  return s;
}
