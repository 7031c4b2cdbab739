/*
** fuzz_records.c: bytes from a fuzzer as a dossier file, CSV (first byte
** even) or JSON Lines (odd), read against the schema of rules/voorbeeld
** (a list of records, a keuze, dates, money) and of a flat schema, record by
** record to the end. The first byte's second bit sets a record limit of 64
** bytes, so that long records and their resynchronisation are fuzzed too. Every record is a record or an error row; nothing may
** crash or read out of bounds.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "lang/front.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "tests/fuzz/fuzz.h"

static const char schema_src[] =
  "keuze Sector { bouw, zorg }\n"
  "gegevens Loonregel { maand: datum  sv_loon: geld  deel: optioneel getal }\n"
  "invoer Dossier sleutel id { id: tekst  dag: datum  sector: Sector  n: geheel  p: periode  b: waarheid\n"
  "  loon: lijst Loonregel  extra: optioneel tekst }\n"
  "regel x: geheel = n\n"
  "uitvoer { id, x }\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Front f;
  static Chunk *c;
  if (!c) {
    front_init(&f);
    c = front_compile_text(&f, "schema.rules", schema_src, sizeof schema_src - 1, FRONT_COMPILE);
    if (!c) abort();
  }
  if (size == 0 || size > 1 << 16) return 0;
  RecFormat fmt = data[0] % 2 ? FMT_JSONL : FMT_CSV;
  FILE *in = fmemopen((void *)(data + 1), size - 1, "rb");
  if (!in) return 0;
  char *err = NULL;
  RecordReader *rd = reader_open(&c->schema, in, "fuzz", fmt, &err);
  free(err);
  if (rd && (data[0] & 2)) reader_set_max_record(rd, 64);
  if (rd) {
    Arena a;
    arena_init(&a);
    for (int k = 0; k < 100000; k++) {
      Record *rec = NULL;
      ReadInfo info;
      if (reader_next(rd, &a, &rec, &info) == READ_EOF) break;
      arena_reset(&a);
    }
    arena_free(&a);
    reader_close(rd);
  }
  fclose(in);
  return 0;
}
