/*
** test_bundle.c: compiled bundles (runtime/bundle.c) -- a round trip keeps
** every byte of the disassembly, and a damaged, truncated, foreign or
** hostile bundle is refused with a message, never loaded half-way.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lang/front.h"
#include "runtime/bundle.h"
#include "runtime/chunk.h"
#include "runtime/date.h"
#include "runtime/native.h"

#ifndef NATIVE_DIR
#define NATIVE_DIR "build/natives"
#endif

typedef struct Bytes {
  char *p;
  size_t n;
} Bytes;

static Chunk *compile_path(Front *f, const char *path) {
  front_init(f);
  const char *paths[1] = {path};
  Chunk *c = front_compile(f, paths, 1, FRONT_COMPILE);
  cr_assert_not_null(c, "%s did not compile", path);
  return c;
}

static Bytes write_bundle(const Chunk *c) {
  Bytes b = {NULL, 0};
  FILE *m = open_memstream(&b.p, &b.n);
  char err[400];
  cr_assert(bundle_write(c, "test", m, err, sizeof err), "bundle_write: %s", err);
  fclose(m);
  return b;
}

static Bytes disasm(const Chunk *c) {
  Bytes b = {NULL, 0};
  FILE *m = open_memstream(&b.p, &b.n);
  chunk_disasm(c, m);
  fclose(m);
  return b;
}

/* Writes the checksum of an altered bundle again, so the loader gets past it to the parser and verifier. */
static void fix_checksum(Bytes *b) {
  uint64_t h = bundle_checksum(b->p, b->n - 8);
  for (int i = 0; i < 8; i++) b->p[b->n - 8 + (size_t)i] = (char)(h >> (8 * i));
}

Test(bundle, round_trip_keeps_code_tables_and_locations) {
  Front f;
  Chunk *c = compile_path(&f, "rules/wia");
  Bytes b = write_bundle(c);
  char err[600];
  Chunk *back = bundle_read_mem(b.p, b.n, "wia.dlb", err, sizeof err);
  cr_assert_not_null(back, "%s", err);
  Bytes d1 = disasm(c), d2 = disasm(back);
  cr_assert(d1.n > 1000);
  cr_assert(d1.n == d2.n && memcmp(d1.p, d2.p, d1.n) == 0, "the disassembly differs after a round trip");
  cr_assert_eq(back->ntables, c->ntables);
  for (uint32_t t = 0; t < c->ntables; t++) {
    cr_assert_eq(back->tables[t].nrows, c->tables[t].nrows);
    cr_assert_eq(back->tables[t].from, c->tables[t].from);   /* the horizon travels with the table */
    cr_assert_eq(back->tables[t].to, c->tables[t].to);
    /* rules/tables is known through 2026-12-31, except the minimumloon of the Besluit dagloonregels
       2005 (BDR art 5), a table of rights up to 2013-06-30 that ends there */
    if (c->tables[t].kind == TABLE_BY_DATE && strcmp(c->tables[t].name, "minimumloon_per_maand_bdr") != 0)
      cr_assert_eq(back->tables[t].to, date_from_ymd(2026, 12, 31), "table '%s'", c->tables[t].name);
    for (uint32_t i = 0; i < c->tables[t].nrows; i++) {
      cr_assert_str_eq(back->tables[t].rows[i].source, c->tables[t].rows[i].source);
      cr_assert_eq(back->tables[t].rows[i].status, c->tables[t].rows[i].status);
      cr_assert_eq(back->tables[t].rows[i].unknown, c->tables[t].rows[i].unknown);
    }
  }
  cr_assert_eq(back->nrevsites, c->nrevsites);
  free(d1.p);
  free(d2.p);
  free(b.p);
  chunk_free(back);
  chunk_free(c);
  front_free(&f);
}

Test(bundle, damage_truncation_and_other_engines_are_refused) {
  Front f;
  Chunk *c = compile_path(&f, "rules/bench");
  Bytes b = write_bundle(c);
  char err[600];

  b.p[b.n / 2] ^= 0x20;   /* one bit, checksum not fixed */
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "checksum mismatch"), "%s", err);
  b.p[b.n / 2] ^= 0x20;

  cr_assert_null(bundle_read_mem(b.p, b.n - 100, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "truncated"), "%s", err);

  b.p[8] ^= 1;   /* the format number */
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "another bundle format") && strstr(err, "compile the rules again"), "%s", err);
  b.p[8] ^= 1;
  b.p[12] ^= 1;  /* the opcode signature */
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "another opcode list"), "%s", err);
  b.p[12] ^= 1;

  cr_assert_null(bundle_read_mem("taal nl\n", 8, "x.rules", err, sizeof err));
  cr_assert(strstr(err, "not a dagloon bundle"), "%s", err);

  Chunk *ok = bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err);
  cr_assert_not_null(ok, "the restored bundle should load: %s", err);
  chunk_free(ok);
  free(b.p);
  chunk_free(c);
  front_free(&f);
}

Test(bundle, bytecode_the_verifier_refuses_is_not_loaded) {
  Front f;
  Chunk *c = compile_path(&f, "rules/bench");
  c->protos[0].code[0].op = 250;   /* no such opcode; written faithfully, refused on load */
  Bytes b = write_bundle(c);
  char err[600];
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "verifier") && strstr(err, "bad opcode"), "%s", err);
  free(b.p);
  chunk_free(c);
  front_free(&f);
}

/*
** A bundle whose constants are out of their types' domains -- a date past
** 2200 (once an "ok" row of ????-??-??), a keuze ordinal of 1,000,000 (once
** an empty cell) -- is refused with the constant named, though its checksum
** is right.
*/
Test(bundle, constants_outside_their_domain_are_refused) {
  Front f;
  Chunk *c = compile_path(&f, "rules/bench");
  chunk_add_const(c, (TypeRef){VK_DATE, 0, 0}, (Value){.i = date_from_ymd(2200, 12, 31) + 1});
  Bytes b = write_bundle(c);
  char err[600];
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "verifier") && strstr(err, "datum (day 84371) outside the years 1900-2200"), "%s", err);
  free(b.p);
  chunk_free(c);
  front_free(&f);
  c = compile_path(&f, "rules/wia");
  cr_assert_gt(c->schema.nenums, 0);
  chunk_add_const(c, (TypeRef){VK_ENUM, 0, 0}, (Value){.i = 1000000});
  b = write_bundle(c);
  cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "verifier") && strstr(err, "keuze 1000000 of"), "%s", err);
  free(b.p);
  chunk_free(c);
  front_free(&f);
}

/*
** Every altered byte (checksum made right again, so the parser and the
** verifier see it) gives a message or a chunk that passed the verifier,
** never a crash or a read past the end (the sanitizer pass watches).
*/
Test(bundle, altered_bytes_never_crash_the_loader) {
  Front f;
  Chunk *c = compile_path(&f, "rules/bench");
  Bytes b = write_bundle(c);
  char *copy = malloc(b.n);
  size_t refused = 0, loaded = 0;
  for (size_t pos = 0; pos + 8 < b.n; pos += pos < 256 ? 1 : 7) {
    for (int v = 0; v < 2; v++) {
      memcpy(copy, b.p, b.n);
      copy[pos] = v ? (char)0xFF : (char)(copy[pos] ^ 0x41);
      Bytes m = {copy, b.n};
      fix_checksum(&m);
      char err[600] = "";
      Chunk *x = bundle_read_mem(copy, b.n, "b.dlb", err, sizeof err);
      if (x) {
        loaded++;
        chunk_free(x);
      } else {
        cr_assert(err[0], "refused without a message (byte %zu)", pos);
        refused++;
      }
    }
  }
  cr_assert(refused > 100 && loaded > 100, "refused %zu, loaded %zu", refused, loaded);
  free(copy);
  free(b.p);
  chunk_free(c);
  front_free(&f);
}

/*
** A bundle names its native libraries, never holds them: loading it opens
** them again, and only when this process allows them (the command line's
** --allow-native) -- otherwise it is refused with the declaration's place.
*/
Test(bundle, native_functions_load_again_only_when_allowed) {
  NativeAllow al = {0};
  char why[600];
  cr_assert(native_allow_add(&al, NATIVE_DIR "/libfeestdagen.so", why, sizeof why), "%s", why);
  native_set_allowed(&al);
  Front f;
  Chunk *c = compile_path(&f, "tests/golden/run/native_feestdagen/rules.rules");
  cr_assert_eq(c->nnatives, 3);
  Bytes b = write_bundle(c);
  char err[1600];
  Chunk *back = bundle_read_mem(b.p, b.n, "mem", err, sizeof err);
  cr_assert_not_null(back, "%s", err);
  cr_assert_eq(back->nnatives, 3);
  cr_assert_not_null(back->natives[2].fn.fn);
  cr_assert_str_eq(back->natives[2].symbol, "werkdagen_zonder_feestdagen");
  /* opened again from the sealed copy made when it was allowed: its hash is what the receipt records */
  cr_assert_str_eq(back->natives[2].origin.sha256, al.libs[0].origin.sha256);
  cr_assert_eq(back->natives[2].origin.bytes, al.libs[0].origin.bytes);
  cr_assert_gt(back->natives[2].origin.bytes, 0);
  chunk_free(back);
  native_set_allowed(NULL);
  cr_assert_null(bundle_read_mem(b.p, b.n, "mem", err, sizeof err));
  cr_assert(strstr(err, "mem: native function at tests/golden/run/native_feestdagen/rules.rules:16:7: the library") &&
            strstr(err, "is not allowed"), "%s", err);
  free(b.p);
  chunk_free(c);
  front_free(&f);
  native_allow_free(&al);
}

/* The human labels of rules, fields and choices travel in the bundle; a label a page cannot show is refused. */
Test(bundle, labels_travel_and_bad_labels_are_refused) {
  Front f;
  Chunk *c = compile_path(&f, "rules/herstel");
  Bytes b = write_bundle(c);
  char err[600];
  Chunk *back = bundle_read_mem(b.p, b.n, "herstel.dlb", err, sizeof err);
  cr_assert_not_null(back, "%s", err);
  uint32_t labelled = 0;
  for (uint32_t i = 0; i < c->nprotos; i++) {
    cr_assert_eq(back->protos[i].label == NULL, c->protos[i].label == NULL, "rule %s", c->protos[i].name);
    if (c->protos[i].label) {
      cr_assert_str_eq(back->protos[i].label, c->protos[i].label);
      labelled++;
    }
  }
  cr_assert_gt(labelled, 10);
  const Schema *s = &back->schema;
  bool choice = false, field = false;
  for (uint32_t e = 0; e < s->nenums; e++)
    if (strcmp(s->enums[e].name, "Richting") == 0)
      choice = strcmp(schema_enum_label(&s->enums[e], 0), "u kreeg te weinig") == 0;
  const RecordType *in = &s->records[s->input];
  for (uint32_t k = 0; k < in->nfields; k++)
    if (strcmp(in->fields[k].name, "vastgestelde_dagloon") == 0)
      field = in->fields[k].label && strcmp(in->fields[k].label, "het dagloon in ons besluit") == 0;
  cr_assert(choice && field, "a choice's or a field's label did not travel");
  cr_assert_eq(back->ncovers, c->ncovers);
  for (uint32_t i = 0; i < c->ncovers; i++)   /* an exception's label (rules/wia's loonloze_kalendermaanden) */
    cr_assert_eq(back->covers[i].reader_label == NULL, c->covers[i].reader_label == NULL);
  chunk_free(back);
  free(b.p);
  /* an empty label and one with a control character, written by hand */
  const char *bad[] = {"", "regel\n2"};
  for (int k = 0; k < 2; k++) {
    free(c->protos[0].label);
    c->protos[0].label = strdup(bad[k]);
    b = write_bundle(c);
    cr_assert_null(bundle_read_mem(b.p, b.n, "b.dlb", err, sizeof err));
    cr_assert(strstr(err, "an empty label or one with control characters"), "%s", err);
    free(b.p);
  }
  chunk_free(c);
  front_free(&f);
}
