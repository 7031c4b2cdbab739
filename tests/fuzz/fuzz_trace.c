/*
** fuzz_trace.c: bytes from a fuzzer as a compact trace file (tools/tracefile.h) for the rules
** of tests/golden/explain/perioden (a rule with a periode parameter, records, a division that
** fails), read to its end, and every dossier that passes the reader's checks rendered as text,
** JSON and HTML (explain_write): a file from elsewhere must be refused with a reason, never
** crash the reader or the renderer. The seed (tests/fuzz/corpus/trace) is a trace of that
** golden's dossiers: `dagloon run RULES INPUT --explain FILE.dtrace`, run from the repository.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "lang/front.h"
#include "runtime/mem.h"
#include "tests/fuzz/fuzz.h"
#include "tools/explain.h"
#include "tools/tracefile.h"

#define RULES "tests/golden/explain/perioden/rules.rules"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Front f;
  static Chunk *c;
  if (!c) {
    front_init(&f);
    f.trace = true;
    const char *paths[1] = {RULES};
    c = front_compile(&f, paths, 1, FRONT_COMPILE);
    if (!c) abort();   /* run from the repository's top folder */
  }
  if (size > 1 << 20) return 0;
  /* every record's CRC-32 made right, so that the fuzzer reaches the checks behind it (the CRC's
     own refusal is tests/trace/run.sh's) */
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);
  for (size_t at = 12; at + 8 <= size;) {
    size_t len = (size_t)copy[at] | (size_t)copy[at + 1] << 8 | (size_t)copy[at + 2] << 16 | (size_t)copy[at + 3] << 24;
    if (len > size - at - 8) break;
    uint32_t crc = (uint32_t)crc32_z(0, copy + at + 8, len);
    for (int i = 0; i < 4; i++) copy[at + 4 + i] = (uint8_t)(crc >> (8 * i));
    at += 8 + len;
  }
  FILE *in = fmemopen(copy, size, "rb");
  if (!in) {
    free(copy);
    return 0;
  }
  char err[800] = "";
  TraceReader *r = tracer_open(in, "fuzz", c, err, sizeof err);
  if (!r && !err[0]) abort();   /* a refusal always says why */
  FILE *out = fopen("/dev/null", "w");
  TraceDossier d;
  int got = 0;
  while (r && out && (got = tracer_next(r, NULL, &d, err, sizeof err)) > 0) {
    ExplainRun run = {RULES, tracer_input(r), d.id, d.line, d.record, d.outputs, d.error, d.unverified,
                      tracer_engine(r), NULL};
    for (int fmt = EXPLAIN_TEXT; fmt <= EXPLAIN_HTML; fmt++) explain_write(c, d.trace, &run, (ExplainFormat)fmt, out);
  }
  if (r && got < 0 && !err[0]) abort();
  if (out) fclose(out);
  tracer_close(r);
  fclose(in);
  free(copy);
  return 0;
}
