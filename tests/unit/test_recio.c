/*
** test_recio.c: the CSV tokenizer, the CSV and JSON Lines record readers,
** the row and error writers and value_format (runtime/csv.h, recio.h).
**
** The schema is built by hand: enum Sector{bouw, zorg, overig}, record
** Loonregel{maand: date, sv_loon: money}, input Dossier{id, eerste_ao_dag,
** sector, uren, factor, actief, loon: list Loonregel} and a flat variant
** DossierPlat without the list for CSV. Input comes from fmemopen strings.
*/
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/csv.h"
#include "runtime/date.h"
#include "runtime/recio.h"

enum { R_LOON = 0, R_DOSSIER = 1, R_FLAT = 2 };
enum { F_ID, F_DAG, F_SECTOR, F_UREN, F_FACTOR, F_ACTIEF, F_LOON };

static Schema sch;

static void add_field(RecordType *rt, const char *name, uint8_t kind, uint8_t elem, uint16_t ref) {
  rt->fields[rt->nfields].name = xstrdup(name);
  rt->fields[rt->nfields].type = (TypeRef){kind, elem, ref};
  rt->nfields++;
}

static void build_schema(void) {
  memset(&sch, 0, sizeof sch);
  sch.nenums = 1;
  sch.enums = xcalloc(1, sizeof *sch.enums);
  sch.enums[0].name = xstrdup("Sector");
  sch.enums[0].nmembers = 3;
  sch.enums[0].members = xcalloc(3, sizeof(char *));
  sch.enums[0].members[0] = xstrdup("bouw");
  sch.enums[0].members[1] = xstrdup("zorg");
  sch.enums[0].members[2] = xstrdup("overig");
  sch.nrecords = 3;
  sch.records = xcalloc(3, sizeof *sch.records);
  const char *names[3] = {"Loonregel", "Dossier", "DossierPlat"};
  for (int i = 0; i < 3; i++) {
    sch.records[i].name = xstrdup(names[i]);
    sch.records[i].fields = xcalloc(8, sizeof(FieldDesc));
  }
  add_field(&sch.records[R_LOON], "maand", VK_DATE, 0, 0);
  add_field(&sch.records[R_LOON], "sv_loon", VK_MONEY, 0, 0);
  for (int r = R_DOSSIER; r <= R_FLAT; r++) {
    RecordType *rt = &sch.records[r];
    add_field(rt, "id", VK_TEXT, 0, 0);
    add_field(rt, "eerste_ao_dag", VK_DATE, 0, 0);
    add_field(rt, "sector", VK_ENUM, 0, 0);
    add_field(rt, "uren", VK_INT, 0, 0);
    add_field(rt, "factor", VK_DEC, 0, 0);
    add_field(rt, "actief", VK_BOOL, 0, 0);
  }
  add_field(&sch.records[R_DOSSIER], "loon", VK_LIST, VK_RECORD, R_LOON);
  sch.input = R_FLAT;
  sch.key_field = F_ID;
}

static void free_schema(void) { schema_free(&sch); }

TestSuite(recio, .init = build_schema, .fini = free_schema);

/* ---- helpers ---- */

static FILE *mem_in(const char *text, size_t len) {
  FILE *f = len ? fmemopen((void *)text, len, "r") : tmpfile();
  cr_assert_not_null(f);
  return f;
}

typedef struct Rd {
  FILE *f;
  RecordReader *r;
  Arena a;
  char *err;
  Record *rec;
  ReadInfo info;
} Rd;

static bool rd_open_n(Rd *d, const char *text, size_t len, RecFormat fmt) {
  memset(d, 0, sizeof *d);
  arena_init(&d->a);
  d->f = mem_in(text, len);
  d->r = reader_open(&sch, d->f, "test", fmt, &d->err);
  return d->r != NULL;
}

static void rd_open(Rd *d, const char *text, RecFormat fmt) {
  bool ok = rd_open_n(d, text, strlen(text), fmt);
  cr_assert(ok, "reader_open failed: %s", d->err ? d->err : "(no message)");
}

static ReadStatus rd_next(Rd *d) {
  arena_reset(&d->a);
  return reader_next(d->r, &d->a, &d->rec, &d->info);
}

static void rd_close(Rd *d) {
  reader_close(d->r);
  free(d->err);
  arena_free(&d->a);
  fclose(d->f);
}

static void expect_ok(Rd *d) {
  ReadStatus st = rd_next(d);
  cr_assert_eq(st, READ_OK, "expected READ_OK, got %d (field '%s': %s)", st, d->info.field, d->info.reason);
  cr_assert_not_null(d->rec);
}

static void expect_bad(Rd *d, const char *field, const char *reason) {
  ReadStatus st = rd_next(d);
  cr_assert_eq(st, READ_BAD, "expected READ_BAD, got %d", st);
  cr_assert_null(d->rec);
  cr_assert_str_eq(d->info.field, field);
  cr_assert_str_eq(d->info.reason, reason);
}

static void expect_eof(Rd *d) { cr_assert_eq(rd_next(d), READ_EOF); }

static int64_t day(int y, int m, int dd) { return date_from_ymd(y, m, dd); }

static const char *text_of(const Value v) { return v.text->bytes; }

#define HDR "id,eerste_ao_dag,sector,uren,factor,actief\n"

/* ---- CSV tokenizer ---- */

Test(recio, csv_tokenizer_quotes_newlines_and_long_lines) {
  /* A 200 KB field is longer than the 64 KiB input block. */
  size_t big = 200000;
  char *text = xmalloc(big + 64);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "a,\"x,\"\"y\"\"\nz\"\r\n\r\n\n");
  memset(text + n, 'q', big);
  n += big;
  n += (size_t)sprintf(text + n, ",\"\"\nlast");
  FILE *f = mem_in(text, n);
  CsvReader *c = csv_open(f);
  CsvRecord r;
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 1);
  cr_assert_eq(r.nfields, 2);
  cr_assert_str_eq(r.fields[0].s, "a");
  cr_assert_not(r.fields[0].quoted);
  cr_assert_eq(r.fields[1].len, 7);
  cr_assert_str_eq(r.fields[1].s, "x,\"y\"\nz");
  cr_assert(r.fields[1].quoted);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 5, "line %lu", (unsigned long)r.line);
  cr_assert_eq(r.nfields, 2);
  cr_assert_eq(r.fields[0].len, big);
  cr_assert_eq(r.fields[0].s[big - 1], 'q');
  cr_assert_eq(r.fields[1].len, 0);
  cr_assert(r.fields[1].quoted);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 6);
  cr_assert_eq(r.nfields, 1);
  cr_assert_str_eq(r.fields[0].s, "last");
  cr_assert_eq(csv_next(c, &r), CSV_EOF);
  csv_close(c);
  fclose(f);
  free(text);
}

Test(recio, csv_tokenizer_errors_resync) {
  const char *text = "a,b\"c,d\n"       /* stray quote: bad, resume at line 2 */
                     "\"x\"y,z\n"        /* text after a closing quote */
                     "ok,1\n"
                     "p,\"open\n"        /* never closed: resume at line 5 */
                     "q,2\n";
  FILE *f = mem_in(text, strlen(text));
  CsvReader *c = csv_open(f);
  CsvRecord r;
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 1);
  cr_assert_eq(r.bad_field, 1);
  cr_assert_eq(r.nfields, 1);
  cr_assert_str_eq(r.fields[0].s, "a");
  cr_assert(strstr(r.error, "stray quote") != NULL, "%s", r.error);
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 2);
  cr_assert_eq(r.bad_field, 0);
  cr_assert(strstr(r.error, "after the closing quote") != NULL, "%s", r.error);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 3);
  cr_assert_str_eq(r.fields[0].s, "ok");
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 4);
  cr_assert_eq(r.bad_field, 1);
  cr_assert_str_eq(r.error, "unterminated quoted field (the quote on line 4 is never closed)");
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 5);
  cr_assert_str_eq(r.fields[0].s, "q");
  cr_assert_str_eq(r.fields[1].s, "2");
  cr_assert_eq(csv_next(c, &r), CSV_EOF);
  csv_close(c);
  fclose(f);
}

Test(recio, csv_tokenizer_record_longer_than_the_limit) {
  /* Limit 40 bytes: a long unquoted line, a long quoted field over three
  ** lines (resumes at its second line, which is then read as records), a
  ** first line alone far longer than the window; good records around them. */
  char *text = xmalloc(300000);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "a,1\n");
  n += (size_t)sprintf(text + n, "b,%060d\n", 7);
  n += (size_t)sprintf(text + n, "c,\"%030d\n%030d\nx\"\n", 1, 2);
  n += (size_t)sprintf(text + n, "d,2\n");
  memset(text + n, 'z', 200000);
  n += 200000;
  n += (size_t)sprintf(text + n, "\r\ne,3");
  FILE *f = mem_in(text, n);
  CsvReader *c = csv_open(f);
  csv_set_max_record(c, 40);
  CsvRecord r;
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_str_eq(r.fields[0].s, "a");
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 2);
  cr_assert_str_eq(r.error, "the record is longer than 40 bytes, the most one record may take (--max-memory)");
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 3);
  cr_assert(strstr(r.error, "longer than 40 bytes") != NULL, "%s", r.error);
  cr_assert_eq(csv_next(c, &r), CSV_OK);       /* the quoted field's second line, as a record */
  cr_assert_eq(r.line, 4);
  cr_assert_eq(r.nfields, 1);
  cr_assert_eq(r.fields[0].len, 30);
  cr_assert_eq(csv_next(c, &r), CSV_BAD);      /* x" : a stray quote */
  cr_assert_eq(r.line, 5);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 6);
  cr_assert_str_eq(r.fields[0].s, "d");
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.line, 7);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.line, 8);
  cr_assert_str_eq(r.fields[0].s, "e");
  cr_assert_str_eq(r.fields[1].s, "3");
  cr_assert_eq(csv_next(c, &r), CSV_EOF);
  csv_close(c);
  fclose(f);
  free(text);
}

Test(recio, csv_unterminated_quote_stops_at_the_limit) {
  /* Without a limit an unclosed quote keeps the rest of the file in the
  ** window until the end; with one it is a too-long record at the limit. */
  size_t big = 100000;
  char *text = xmalloc(big + 32);
  size_t n = (size_t)sprintf(text, "p,\"open\n");
  for (size_t i = 0; i < big / 4; i++) n += (size_t)sprintf(text + n, "q,%d\n", (int)(i % 10));
  FILE *f = mem_in(text, n);
  CsvReader *c = csv_open(f);
  csv_set_max_record(c, 1000);
  CsvRecord r;
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert(strstr(r.error, "longer than 1000 bytes") != NULL, "%s", r.error);
  size_t ok = 0;
  while (csv_next(c, &r) == CSV_OK) ok++;
  cr_assert_eq(ok, big / 4, "%zu records after the bad one", ok);
  csv_close(c);
  fclose(f);
  free(text);
}

/* Unquoted fields are handed out where they lie in the input window: every one right across many
   64 KiB blocks, a last line without a line end, and a bad record's fields intact when reading goes
   back over them (the unquoted field after a quoted field of two lines). */
Test(recio, csv_unquoted_fields_in_the_window) {
  size_t nrec = 30000;
  char *text = xmalloc(nrec * 32 + 64);
  size_t n = 0;
  for (size_t i = 0; i < nrec; i++) n += (size_t)sprintf(text + n, "%zu,v%zu,\"q%zu\",%s\n", i, i * 7, i, i % 3 ? "" : "e");
  n += (size_t)sprintf(text + n, "\"x\ny\",c,\"open\nlast,1");
  FILE *f = mem_in(text, n);
  CsvReader *c = csv_open(f);
  CsvRecord r;
  char want[32];
  for (size_t i = 0; i < nrec; i++) {
    cr_assert_eq(csv_next(c, &r), CSV_OK);
    cr_assert_eq(r.nfields, 4);
    sprintf(want, "%zu", i);
    cr_assert_str_eq(r.fields[0].s, want);
    cr_assert_eq(r.fields[0].len, strlen(want));
    sprintf(want, "v%zu", i * 7);
    cr_assert_str_eq(r.fields[1].s, want);
    sprintf(want, "q%zu", i);
    cr_assert_str_eq(r.fields[2].s, want);
    cr_assert(r.fields[2].quoted);
    cr_assert_str_eq(r.fields[3].s, i % 3 ? "" : "e");
  }
  cr_assert_eq(csv_next(c, &r), CSV_BAD);   /* the quote of "open is never closed */
  cr_assert_eq(r.nfields, 2);
  cr_assert_str_eq(r.fields[0].s, "x\ny");
  cr_assert_str_eq(r.fields[1].s, "c");
  cr_assert_eq(csv_next(c, &r), CSV_BAD);   /* resumed at its second line: y",c,"open is a stray quote */
  cr_assert_eq(r.bad_field, 0);
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_eq(r.nfields, 2);
  cr_assert_str_eq(r.fields[0].s, "last");
  cr_assert_str_eq(r.fields[1].s, "1");
  cr_assert_eq(csv_next(c, &r), CSV_EOF);
  csv_close(c);
  fclose(f);
  free(text);
}

/* A record longer than the limit: the fields before the fault are given, though the window has moved
   on past the rest of its line (the reader names the dossier by its id field). */
Test(recio, csv_too_long_record_keeps_its_first_fields) {
  size_t big = 300000;
  char *text = xmalloc(big + 64);
  size_t n = (size_t)sprintf(text, "k1,");
  memset(text + n, 'z', big);
  n += big;
  n += (size_t)sprintf(text + n, "\nk2,2\n");
  FILE *f = mem_in(text, n);
  CsvReader *c = csv_open(f);
  csv_set_max_record(c, 1000);
  CsvRecord r;
  cr_assert_eq(csv_next(c, &r), CSV_BAD);
  cr_assert_eq(r.nfields, 1);
  cr_assert_str_eq(r.fields[0].s, "k1");
  cr_assert_eq(csv_next(c, &r), CSV_OK);
  cr_assert_str_eq(r.fields[0].s, "k2");
  cr_assert_eq(csv_next(c, &r), CSV_EOF);
  csv_close(c);
  fclose(f);
  free(text);
}

/* ---- CSV reader ---- */

Test(recio, csv_good_rows_every_value) {
  Rd d;
  /* Columns in another order than the fields. */
  rd_open(&d,
          "actief,uren,factor,sector,id,eerste_ao_dag\n"
          "true,38,0.75,zorg,D-1,2023-03-15\n"
          "nee,-5,-12.5,overig,D-2,1999-12-31\n",
          FMT_CSV);
  expect_ok(&d);
  Record *r = d.rec;
  cr_assert_eq(r->type, R_FLAT);
  cr_assert_eq(r->nfields, 6);
  cr_assert_str_eq(text_of(r->fields[F_ID]), "D-1");
  cr_assert_eq(r->fields[F_ID].text->len, 3);
  cr_assert_eq(r->fields[F_DAG].i, day(2023, 3, 15));
  cr_assert_eq(r->fields[F_SECTOR].i, 1);
  cr_assert_eq(r->fields[F_UREN].i, 38);
  cr_assert_eq(r->fields[F_FACTOR].dec.num, 3);
  cr_assert_eq(r->fields[F_FACTOR].dec.den, 4);
  cr_assert_eq(r->fields[F_ACTIEF].i, 1);
  cr_assert_eq(d.info.recno, 1);
  cr_assert_eq(d.info.line, 2);
  cr_assert_str_eq(d.info.id, "D-1");
  cr_assert_str_eq(d.info.field, "");
  expect_ok(&d);
  r = d.rec;
  cr_assert_str_eq(text_of(r->fields[F_ID]), "D-2");
  cr_assert_eq(r->fields[F_DAG].i, day(1999, 12, 31));
  cr_assert_eq(r->fields[F_SECTOR].i, 2);
  cr_assert_eq(r->fields[F_UREN].i, -5);
  cr_assert_eq(r->fields[F_FACTOR].dec.num, -25);
  cr_assert_eq(r->fields[F_FACTOR].dec.den, 2);
  cr_assert_eq(r->fields[F_ACTIEF].i, 0);
  cr_assert_eq(d.info.recno, 2);
  cr_assert_eq(d.info.line, 3);
  expect_eof(&d);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_boolean_words) {
  Rd d;
  rd_open(&d,
          HDR "a,2023-01-02,bouw,1,1,waar\nb,2023-01-02,bouw,1,1,onwaar\nc,2023-01-02,bouw,1,1,ja\n"
              "d,2023-01-02,bouw,1,1,false\ne,2023-01-02,bouw,1,1,True\n",
          FMT_CSV);
  int64_t want[4] = {1, 0, 1, 0};
  for (int i = 0; i < 4; i++) {
    expect_ok(&d);
    cr_assert_eq(d.rec->fields[F_ACTIEF].i, want[i], "row %d", i + 1);
  }
  expect_bad(&d, "actief", "invalid boolean 'True': expected true/false, waar/onwaar or ja/nee");
  cr_assert_str_eq(d.info.id, "e");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_bad_date_in_row_7_of_9) {
  char text[2048];
  size_t n = (size_t)snprintf(text, sizeof text, HDR);
  for (int i = 1; i <= 9; i++) {
    n += (size_t)snprintf(text + n, sizeof text - n, "D%d,%s,bouw,%d,1.5,ja\n", i,
                          i == 7 ? "2023-02-30" : "2023-02-28", i * 10);
  }
  Rd d;
  rd_open(&d, text, FMT_CSV);
  for (int i = 1; i <= 6; i++) {
    expect_ok(&d);
    cr_assert_eq(d.info.recno, (uint64_t)i);
    cr_assert_eq(d.rec->fields[F_UREN].i, i * 10);
  }
  expect_bad(&d, "eerste_ao_dag", "invalid date '2023-02-30': day 30 does not exist in February 2023");
  cr_assert_eq(d.info.recno, 7);
  cr_assert_eq(d.info.line, 8);
  cr_assert_str_eq(d.info.id, "D7");
  for (int i = 8; i <= 9; i++) {
    expect_ok(&d);
    cr_assert_eq(d.info.recno, (uint64_t)i);
    cr_assert_eq(d.info.line, (uint64_t)i + 1);
    cr_assert_str_eq(text_of(d.rec->fields[F_ID]), i == 8 ? "D8" : "D9");
  }
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_quoted_fields_and_line_numbers) {
  Rd d;
  rd_open(&d,
          HDR "\"a,b \"\"c\"\"\",2023-01-02,bouw,1,1,ja\n"
              "\"two\nlines\n\",2023-01-03,zorg,2,2,nee\n"
              "x,2023-01-04,overig,3,3,ja\n"
              "y,2023-01-05,overig,3,3,ja\n",
          FMT_CSV);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "a,b \"c\"");
  cr_assert_eq(d.info.line, 2);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "two\nlines\n");
  cr_assert_eq(d.rec->fields[F_ID].text->len, 10);
  cr_assert_eq(d.info.line, 3);
  expect_ok(&d);
  cr_assert_eq(d.info.line, 6);
  cr_assert_eq(d.info.recno, 3);
  expect_ok(&d);
  cr_assert_eq(d.info.line, 7);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_crlf_and_bom) {
  Rd d;
  rd_open(&d,
          "\xEF\xBB\xBFid,eerste_ao_dag,sector,uren,factor,actief\r\n"
          "a,2023-01-02,bouw,1,1,ja\r\n"
          "\r\n"
          "\"b\r\nc\",2023-01-03,zorg,7,0.5,nee\r\n"
          "d,2023-01-04,zorg,8,0.5,nee",     /* no line end at the end */
          FMT_CSV);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "a");
  cr_assert_eq(d.rec->fields[F_ACTIEF].i, 1);   /* "ja", not "ja\r" */
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "b\r\nc");
  cr_assert_eq(d.info.line, 4);
  cr_assert_eq(d.info.recno, 2);
  expect_ok(&d);
  cr_assert_eq(d.info.line, 6);
  cr_assert_eq(d.rec->fields[F_UREN].i, 8);
  cr_assert_eq(d.rec->fields[F_ACTIEF].i, 0);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_empty_lines_skipped) {
  Rd d;
  rd_open(&d, "\n\n" HDR "\n\na,2023-01-02,bouw,1,1,ja\n\n\nb,2023-01-02,bouw,2,1,ja\n\n", FMT_CSV);
  expect_ok(&d);
  cr_assert_eq(d.info.recno, 1);
  cr_assert_eq(d.info.line, 6);
  expect_ok(&d);
  cr_assert_eq(d.info.recno, 2);
  cr_assert_eq(d.info.line, 9);
  cr_assert_eq(d.rec->fields[F_UREN].i, 2);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_wrong_column_count) {
  Rd d;
  rd_open(&d, HDR "a,2023-01-02,bouw,1,1\nb,2023-01-02,bouw,1,1,ja,extra\nc,2023-01-02,bouw,1,1,ja\n", FMT_CSV);
  expect_bad(&d, "", "expected 6 columns, got 5");
  cr_assert_str_eq(d.info.id, "a");
  cr_assert_eq(d.info.recno, 1);
  expect_bad(&d, "", "expected 6 columns, got 7");
  cr_assert_eq(d.info.recno, 2);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "c");
  cr_assert_eq(d.info.recno, 3);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_malformed_quotes_are_bad_records) {
  Rd d;
  rd_open(&d, HDR "a,2023-01-02,bo\"uw,1,1,ja\nb,2023-01-02,bouw,1,1,ja\n", FMT_CSV);
  ReadStatus st = rd_next(&d);
  cr_assert_eq(st, READ_BAD);
  cr_assert_str_eq(d.info.field, "sector");
  cr_assert(strstr(d.info.reason, "stray quote") != NULL, "%s", d.info.reason);
  cr_assert_str_eq(d.info.id, "a");
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "b");
  cr_assert_eq(d.info.line, 3);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_unknown_column_suggests) {
  Rd d;
  const char *t1 = "id,eerste_ao_dag,sectr,uren,factor,actief\n";
  cr_assert_not(rd_open_n(&d, t1, strlen(t1), FMT_CSV));
  cr_assert_str_eq(d.err, "unknown column 'sectr' (did you mean 'sector'?)");
  rd_close(&d);
  const char *t2 = "id,eerste_ao_dag,sector,uren,factor,actief,postcode\n";
  cr_assert_not(rd_open_n(&d, t2, strlen(t2), FMT_CSV));
  cr_assert_str_eq(d.err, "unknown column 'postcode'");
  rd_close(&d);
}

Test(recio, csv_missing_and_duplicate_columns) {
  Rd d;
  const char *t1 = "id,sector,uren,factor\n";
  cr_assert_not(rd_open_n(&d, t1, strlen(t1), FMT_CSV));
  cr_assert_str_eq(d.err, "missing columns 'eerste_ao_dag', 'actief'");
  rd_close(&d);
  const char *t2 = "id,sector,uren,factor,actief\n";
  cr_assert_not(rd_open_n(&d, t2, strlen(t2), FMT_CSV));
  cr_assert_str_eq(d.err, "missing column 'eerste_ao_dag'");
  rd_close(&d);
  const char *t3 = "id,eerste_ao_dag,sector,uren,id,factor,actief\n";
  cr_assert_not(rd_open_n(&d, t3, strlen(t3), FMT_CSV));
  cr_assert_str_eq(d.err, "duplicate column 'id' (columns 1 and 5)");
  rd_close(&d);
  cr_assert_not(rd_open_n(&d, "", 0, FMT_CSV));
  cr_assert(strstr(d.err, "'test' is empty") != NULL, "%s", d.err);
  rd_close(&d);
}

Test(recio, csv_refuses_list_fields) {
  sch.input = R_DOSSIER;
  Rd d;
  const char *t = "id,eerste_ao_dag,sector,uren,factor,actief,loon\n";
  cr_assert_not(rd_open_n(&d, t, strlen(t), FMT_CSV));
  cr_assert(strstr(d.err, "field 'loon' is a list (lijst Loonregel)") != NULL, "%s", d.err);
  cr_assert(strstr(d.err, "JSON Lines") != NULL, "%s", d.err);
  rd_close(&d);
}

Test(recio, csv_text_must_be_utf8) {
  Rd d;
  rd_open(&d, HDR "ab\xFF" "c,2023-01-02,bouw,1,1,ja\n\xC3\xA9t\xC3\xA9,2023-01-02,bouw,1,1,ja\n"
                  "\xC0\xAF,2023-01-02,bouw,1,1,ja\n", FMT_CSV);
  expect_bad(&d, "id", "text is not valid UTF-8");
  cr_assert_str_eq(d.info.id, "ab\\xFFc");   /* the bad byte shown, not copied into messages and error rows */
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "\xC3\xA9t\xC3\xA9");
  expect_bad(&d, "id", "text is not valid UTF-8");  /* overlong '/' */
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_integer_range) {
  Rd d;
  rd_open(&d,
          HDR "a,2023-01-02,bouw,9223372036854775807,1,ja\n"
              "b,2023-01-02,bouw,-9223372036854775808,1,ja\n"
              "c,2023-01-02,bouw,9223372036854775808,1,ja\n"
              "d,2023-01-02,bouw,123456789012345678901234567890,1,ja\n"
              "e,2023-01-02,bouw,+7,1,ja\n"
              "f,2023-01-02,bouw,12a,1,ja\n"
              "g,2023-01-02,bouw,-,1,ja\n",
          FMT_CSV);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_UREN].i, INT64_MAX);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_UREN].i, INT64_MIN);
  expect_bad(&d, "uren", "integer out of range: '9223372036854775808'");
  expect_bad(&d, "uren", "integer out of range: '123456789012345678901234567890'");
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_UREN].i, 7);
  expect_bad(&d, "uren", "invalid integer '12a': expected digits with an optional sign");
  expect_bad(&d, "uren", "invalid integer '-': expected digits with an optional sign");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_numbers_and_dates_are_not_trimmed) {
  Rd d;
  rd_open(&d,
          HDR "a,2023-01-02,bouw, 12,1,ja\n"
              "b,2023-01-02 ,bouw,12,1,ja\n"
              "c,2023-01-02,bouw,12,1.5 ,ja\n"
              " spaced ,2023-01-02,bouw,12,1,ja\n",
          FMT_CSV);
  expect_bad(&d, "uren",
             "invalid integer ' 12': expected digits with an optional sign (leading or trailing spaces are not allowed)");
  expect_bad(&d, "eerste_ao_dag",
             "invalid date '2023-01-02 ': expected YYYY-MM-DD (leading or trailing spaces are not allowed)");
  expect_bad(&d, "factor", "invalid number '1.5 ': expected digits with an optional sign and a '.' for decimals "
                           "(leading or trailing spaces are not allowed)");
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), " spaced ");   /* text keeps its spaces */
  rd_close(&d);
}

Test(recio, csv_empty_field_is_missing) {
  Rd d;
  rd_open(&d,
          HDR "a,,bouw,1,1,ja\n"
              ",2023-01-02,bouw,1,1,ja\n"
              "\"\",2023-01-02,bouw,1,1,ja\n"
              "b,\"\",bouw,1,1,ja\n",
          FMT_CSV);
  expect_bad(&d, "eerste_ao_dag", "missing value");
  cr_assert_str_eq(d.info.id, "a");
  expect_bad(&d, "id", "missing value");
  cr_assert_str_eq(d.info.id, "");
  /* A quoted empty field is an empty text, but still no date. */
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_ID].text->len, 0);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "");
  expect_bad(&d, "eerste_ao_dag", "missing value");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_money) {
  sch.records[R_FLAT].fields[F_FACTOR].type = (TypeRef){VK_MONEY, 0, 0};
  Rd d;
  rd_open(&d,
          HDR "a,2023-01-02,bouw,1,1234.56,ja\n"
              "b,2023-01-02,bouw,1,-0.5,ja\n"
              "c,2023-01-02,bouw,1,12,ja\n"
              "d,2023-01-02,bouw,1,12.345,ja\n"
              "e,2023-01-02,bouw,1,\xE2\x82\xAC" "12,ja\n"
              "f,2023-01-02,bouw,1,1.234.5,ja\n"
              "g,2023-01-02,bouw,1,99999999999999999999,ja\n",
          FMT_CSV);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_FACTOR].i, 123456);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_FACTOR].i, -50);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_FACTOR].i, 1200);
  expect_bad(&d, "factor", "amount '12.345' has more than 2 decimals (amounts are whole cents)");
  expect_bad(&d, "factor", "invalid amount '\xE2\x82\xAC" "12': expected e.g. 1234.56 (a '.' and at most 2 decimals)");
  expect_bad(&d, "factor", "invalid amount '1.234.5': expected e.g. 1234.56 (a '.' and at most 2 decimals)");
  expect_bad(&d, "factor", "amount out of range: '99999999999999999999'");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_unknown_enum_member) {
  Rd d;
  rd_open(&d, HDR "a,2023-01-02,bow,1,1,ja\nb,2023-01-02,industrie,1,1,ja\nc,2023-01-02,Zorg,1,1,ja\n", FMT_CSV);
  expect_bad(&d, "sector", "'bow' is not one of: bouw, zorg, overig (did you mean 'bouw'?)");
  expect_bad(&d, "sector", "'industrie' is not one of: bouw, zorg, overig");
  expect_bad(&d, "sector", "'Zorg' is not one of: bouw, zorg, overig (did you mean 'zorg'?)");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, csv_message_quotes_control_bytes) {
  Rd d;
  rd_open(&d, HDR "a,\"2023\n01-02\",bouw,1,1,ja\n", FMT_CSV);
  expect_bad(&d, "eerste_ao_dag", "invalid date '2023\\x0A01-02': expected YYYY-MM-DD");
  rd_close(&d);
}

/* ---- JSON Lines reader ---- */

#define JROW(id, loon) \
  "{\"id\":\"" id "\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":36," \
  "\"factor\":\"0.25\",\"actief\":true,\"loon\":" loon "}"

Test(recio, jsonl_nested_lists) {
  sch.input = R_DOSSIER;
  Rd d;
  rd_open(&d,
          "\n" JROW("J1", "[{\"maand\":\"2023-01-01\",\"sv_loon\":\"3000.10\"},"
                          "{\"sv_loon\":\"-1.05\",\"maand\":\"2023-02-01\"}]") "\n"
          "   \n"
          "{\"loon\":[],\"id\":\"J2\",\"eerste_ao_dag\":\"2024-02-29\",\"sector\":\"bouw\",\"uren\":-3,"
          "\"factor\":7,\"actief\":false}\r\n",
          FMT_JSONL);
  expect_ok(&d);
  Record *r = d.rec;
  cr_assert_eq(d.info.recno, 1);
  cr_assert_eq(d.info.line, 2);
  cr_assert_str_eq(d.info.id, "J1");
  cr_assert_eq(r->type, R_DOSSIER);
  cr_assert_eq(r->nfields, 7);
  cr_assert_str_eq(text_of(r->fields[F_ID]), "J1");
  cr_assert_eq(r->fields[F_DAG].i, day(2023, 5, 1));
  cr_assert_eq(r->fields[F_SECTOR].i, 1);
  cr_assert_eq(r->fields[F_UREN].i, 36);
  cr_assert_eq(r->fields[F_FACTOR].dec.num, 1);
  cr_assert_eq(r->fields[F_FACTOR].dec.den, 4);
  cr_assert_eq(r->fields[F_ACTIEF].i, 1);
  List *l = r->fields[F_LOON].list;
  cr_assert_eq(l->n, 2);
  cr_assert_eq(l->elem.kind, VK_RECORD);
  cr_assert_eq(l->elem.ref, R_LOON);
  cr_assert_eq(l->items[0].rec->type, R_LOON);
  cr_assert_eq(l->items[0].rec->nfields, 2);
  cr_assert_eq(l->items[0].rec->fields[0].i, day(2023, 1, 1));
  cr_assert_eq(l->items[0].rec->fields[1].i, 300010);
  cr_assert_eq(l->items[1].rec->fields[0].i, day(2023, 2, 1));
  cr_assert_eq(l->items[1].rec->fields[1].i, -105);
  expect_ok(&d);
  r = d.rec;
  cr_assert_eq(d.info.recno, 2);
  cr_assert_eq(d.info.line, 4);
  cr_assert_eq(r->fields[F_DAG].i, day(2024, 2, 29));
  cr_assert_eq(r->fields[F_SECTOR].i, 0);
  cr_assert_eq(r->fields[F_UREN].i, -3);
  cr_assert_eq(r->fields[F_FACTOR].dec.num, 7);
  cr_assert_eq(r->fields[F_FACTOR].dec.den, 1);
  cr_assert_eq(r->fields[F_ACTIEF].i, 0);
  cr_assert_eq(r->fields[F_LOON].list->n, 0);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, jsonl_error_in_list_item) {
  sch.input = R_DOSSIER;
  Rd d;
  rd_open(&d,
          JROW("J1", "[{\"maand\":\"2023-01-01\",\"sv_loon\":\"1.00\"},{\"maand\":\"2023-02-01\",\"sv_loon\":\"1.005\"}]")
          "\n" JROW("J2", "[{\"maand\":\"2023-01-01\",\"sv_loon\":\"1.00\"},{\"maand\":\"2023-02-01\"}]")
          "\n" JROW("J3", "[{\"maand\":\"2023-01-01\",\"sv_loon\":\"1.00\",\"sv_loonn\":\"2\"}]")
          "\n" JROW("J4", "[null]")
          "\n" JROW("J5", "{\"maand\":\"2023-01-01\"}")
          "\n" JROW("J6", "[{\"maand\":\"2023-01-01\",\"sv_loon\":\"4.00\"}]") "\n",
          FMT_JSONL);
  expect_bad(&d, "loon[1].sv_loon", "amount '1.005' has more than 2 decimals (amounts are whole cents)");
  cr_assert_str_eq(d.info.id, "J1");
  expect_bad(&d, "loon[1].sv_loon", "missing field");
  cr_assert_str_eq(d.info.id, "J2");
  expect_bad(&d, "loon[0].sv_loonn", "unknown field 'sv_loonn' (did you mean 'sv_loon'?)");
  expect_bad(&d, "loon[0]", "missing value");
  expect_bad(&d, "loon", "expected a list (a JSON array), got an object");
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_LOON].list->items[0].rec->fields[1].i, 400);
  cr_assert_eq(d.info.recno, 6);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, jsonl_money_as_number_refused) {
  sch.input = R_DOSSIER;
  Rd d;
  rd_open(&d,
          JROW("J1", "[{\"maand\":\"2023-01-01\",\"sv_loon\":1234.56}]") "\n"
          JROW("J2", "[{\"maand\":\"2023-01-01\",\"sv_loon\":1234}]") "\n"
          "{\"id\":\"J3\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":36,"
          "\"factor\":0.25,\"actief\":true,\"loon\":[]}\n",
          FMT_JSONL);
  const char *money = "write an amount as a JSON string, e.g. \"1234.56\": a JSON number is not exact and does "
                      "not say euros or cents";
  expect_bad(&d, "loon[0].sv_loon", money);
  expect_bad(&d, "loon[0].sv_loon", money);
  expect_bad(&d, "factor", "write a decimal number as a JSON string, e.g. \"0.75\": a JSON number with a fraction "
                           "or exponent is not exact");
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, jsonl_keys_nulls_and_invalid_json) {
  Rd d;   /* the flat input: no 'loon' */
  rd_open(&d,
          "{\"id\":\"A\",\"eerste_ao_dag\":\"2023-05-01\",\"sectr\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":true}\n"
          "{\"id\":\"B\",\"eerste_ao_dag\":\"2023-05-01\",\"uren\":1,\"factor\":\"1\",\"actief\":true}\n"
          "{\"id\":\"C\",\"eerste_ao_dag\":null,\"sector\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":true}\n"
          "{\"id\":\"D\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":tru}\n"
          "[1,2]\n"
          "{\"id\":\"F\",\"id\":\"G\"}\n"
          "{\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":\"1\",\"factor\":\"1\",\"actief\":true,\"id\":7}\n"
          "{\"id\":\"H\",\"eerste_ao_dag\":20230501,\"sector\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":1}\n"
          "{\"id\":\"I\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"bow\",\"uren\":1,\"factor\":\"1\",\"actief\":\"ja\"}\n"
          "{\"id\":\"J\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":\"ja\"}\n",
          FMT_JSONL);
  expect_bad(&d, "sectr", "unknown field 'sectr' (did you mean 'sector'?)");
  cr_assert_str_eq(d.info.id, "A");
  expect_bad(&d, "sector", "missing field");
  cr_assert_str_eq(d.info.id, "B");
  expect_bad(&d, "eerste_ao_dag", "missing value");
  cr_assert_str_eq(d.info.id, "C");
  ReadStatus st = rd_next(&d);
  cr_assert_eq(st, READ_BAD);
  cr_assert_str_eq(d.info.field, "");
  cr_assert(strncmp(d.info.reason, "invalid JSON: ", 14) == 0, "%s", d.info.reason);
  cr_assert(strstr(d.info.reason, "(column ") != NULL, "%s", d.info.reason);
  cr_assert_str_eq(d.info.id, "");
  cr_assert_eq(d.info.line, 4);
  expect_bad(&d, "", "expected a JSON object, got a list");
  st = rd_next(&d);
  cr_assert_eq(st, READ_BAD);
  cr_assert(strstr(d.info.reason, "duplicate") != NULL, "%s", d.info.reason);
  expect_bad(&d, "uren", "expected an integer, got a string");
  cr_assert_str_eq(d.info.id, "7");
  expect_bad(&d, "eerste_ao_dag", "expected a date string \"YYYY-MM-DD\", got an integer");
  expect_bad(&d, "sector", "'bow' is not one of: bouw, zorg, overig (did you mean 'bouw'?)");
  expect_bad(&d, "actief", "expected true or false, got a string");
  cr_assert_eq(d.info.recno, 10);
  cr_assert_eq(d.info.line, 10);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, jsonl_list_too_long) {
  sch.input = R_DOSSIER;
  size_t items = 1000001;
  const char *head = "{\"id\":\"L\",\"loon\":[";
  size_t cap = strlen(head) + items * 2 + 8;
  char *text = xmalloc(cap);
  size_t n = (size_t)sprintf(text, "%s", head);
  for (size_t i = 0; i < items; i++) {
    text[n++] = '0';
    text[n++] = i + 1 < items ? ',' : ']';
  }
  text[n++] = '}';
  text[n++] = '\n';
  Rd d;
  cr_assert(rd_open_n(&d, text, n, FMT_JSONL));
  expect_bad(&d, "loon", "the list has 1000001 items; at most 1000000 are allowed");
  cr_assert_str_eq(d.info.id, "L");
  expect_eof(&d);
  rd_close(&d);
  free(text);
}

Test(recio, record_longer_than_the_limit_is_an_error_row) {
  char *csv = xmalloc(4096), *jl = xmalloc(4096);
  size_t n = (size_t)sprintf(csv, HDR "a,2023-01-02,bouw,1,1,ja\nb,2023-01-02,bouw,%0100d,1,ja\nc,2023-01-02,bouw,3,1,ja\n", 2);
  Rd d;
  cr_assert(rd_open_n(&d, csv, n, FMT_CSV));
  reader_set_max_record(d.r, 64);
  expect_ok(&d);
  expect_bad(&d, "", "the record is longer than 64 bytes, the most one record may take (--max-memory)");
  cr_assert_eq(d.info.recno, 2);
  cr_assert_eq(d.info.line, 3);
  expect_ok(&d);
  cr_assert_eq(d.rec->fields[F_UREN].i, 3);
  cr_assert_eq(d.info.recno, 3);
  expect_eof(&d);
  rd_close(&d);

  const char *good = "{\"id\":\"%s\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":1,\"factor\":\"1\",\"actief\":true}\n";
  n = (size_t)sprintf(jl, good, "A");
  n += (size_t)sprintf(jl + n, good, "B-with-a-long-id-that-passes-the-limit-of-this-test-by-far-xxxxxxxxxxxx");
  n += (size_t)sprintf(jl + n, good, "C");
  cr_assert(rd_open_n(&d, jl, n, FMT_JSONL));
  reader_set_max_record(d.r, 120);
  expect_ok(&d);
  expect_bad(&d, "", "the line is longer than 120 bytes, the most one record may take (--max-memory)");
  cr_assert_eq(d.info.line, 2);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "C");
  cr_assert_eq(d.info.line, 3);
  expect_eof(&d);
  rd_close(&d);
  free(csv);
  free(jl);
}

/*
** A line of a few MB of small nested objects: jansson's tree for it is some
** 75 times the text, far past a 16 MiB --max-memory, though the line itself
** is within it. The parse is refused on the way (an error row naming the
** limit), and the next line is read as usual.
*/
Test(recio, json_parse_tree_within_max_memory) {
  const char *head = "{\"id\":\"M\",\"pad\":[", *item = "{\"a\":[1]},";
  size_t items = 400000, ilen = strlen(item);
  const char *good = "{\"id\":\"N\",\"eerste_ao_dag\":\"2023-05-01\",\"sector\":\"zorg\",\"uren\":1,"
                     "\"factor\":\"1\",\"actief\":true}\n";
  char *text = xmalloc(strlen(head) + items * ilen + strlen(good) + 16);
  size_t n = (size_t)sprintf(text, "%s", head);
  for (size_t i = 0; i < items; i++, n += ilen) memcpy(text + n, item, ilen);
  n--;   /* the last comma */
  n += (size_t)sprintf(text + n, "]}\n%s", good);
  Rd d;
  cr_assert(rd_open_n(&d, text, n, FMT_JSONL));
  reader_set_max_record(d.r, (size_t)16 << 20);
  expect_bad(&d, "", "parsing the line takes more than 16777216 bytes of memory, the most one record may take "
                     "(--max-memory)");
  cr_assert_eq(d.info.line, 1);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "N");
  expect_eof(&d);
  rd_close(&d);
  free(text);
}

Test(recio, read_errors_are_not_eof) {
  /* Reading a directory fails in fread/getline with EISDIR. */
  Rd d;
  memset(&d, 0, sizeof d);
  arena_init(&d.a);
  d.f = fopen("/", "r");
  cr_assert_not_null(d.f);
  d.r = reader_open(&sch, d.f, "dir", FMT_CSV, &d.err);
  cr_assert_null(d.r);
  cr_assert_str_eq(d.err, "cannot read 'dir'");
  rd_close(&d);
  memset(&d, 0, sizeof d);
  arena_init(&d.a);
  d.f = fopen("/", "r");
  d.r = reader_open(&sch, d.f, "dir", FMT_JSONL, &d.err);
  cr_assert_not_null(d.r);
  expect_bad(&d, "", "read error in 'dir' after record 0; the rest of the input is not read");
  cr_assert_eq(d.info.recno, 1);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, empty_input_is_eof) {
  Rd d;
  cr_assert(rd_open_n(&d, "", 0, FMT_JSONL));
  expect_eof(&d);
  rd_close(&d);
  rd_open(&d, HDR "\n\r\n", FMT_CSV);
  expect_eof(&d);
  rd_close(&d);
}

Test(recio, format_from_name) {
  cr_assert_eq(recio_format_from_name("a/b/dossiers.jsonl"), FMT_JSONL);
  cr_assert_eq(recio_format_from_name("X.NDJSON"), FMT_JSONL);
  cr_assert_eq(recio_format_from_name("dossiers.csv"), FMT_CSV);
  cr_assert_eq(recio_format_from_name("jsonl"), FMT_CSV);
  cr_assert_eq(recio_format_from_name("-"), FMT_CSV);
}

/* ---- writers ---- */

static const Text *mktext(Arena *a, const char *s, size_t n) {
  Text *t = arena_alloc(a, sizeof(Text) + n + 1);
  t->len = (uint32_t)n;
  memcpy(t->bytes, s, n);
  return t;
}

typedef struct Sink {
  FILE *f;
  char *buf;
  size_t len;
} Sink;

static void sink_open(Sink *k) {
  k->buf = NULL;
  k->len = 0;
  k->f = open_memstream(&k->buf, &k->len);
  cr_assert_not_null(k->f);
}

static void sink_done(Sink *k) { fclose(k->f); }

#define NCOLS 8

static const OutColumn out_cols[NCOLS] = {
  {"b", {VK_BOOL, 0, 0}}, {"i", {VK_INT, 0, 0}}, {"m", {VK_MONEY, 0, 0}}, {"d", {VK_DEC, 0, 0}},
  {"dt", {VK_DATE, 0, 0}}, {"t", {VK_TEXT, 0, 0}}, {"e", {VK_ENUM, 0, 0}}, {"l", {VK_LIST, VK_RECORD, R_LOON}},
};

/* Two rows covering every kind; texts need escaping in both formats. */
static void write_rows(RowWriter *w, Arena *a) {
  Value v[NCOLS];
  Record *lr = arena_alloc(a, sizeof(Record) + 2 * sizeof(Value));
  lr->type = R_LOON;
  lr->nfields = 2;
  lr->fields[0].i = day(2023, 1, 1);
  lr->fields[1].i = 10000;
  List *l = arena_alloc(a, sizeof *l);
  l->n = 1;
  l->elem = (TypeRef){VK_RECORD, 0, R_LOON};
  l->items = arena_alloc(a, sizeof(Value));
  l->items[0].rec = lr;
  v[0].i = 1;
  v[1].i = -42;
  v[2].i = -123405;
  v[3].dec = (Dec){1, 3};
  v[4].i = day(2024, 2, 29);
  v[5].text = mktext(a, "a,b \"c\"\n\x01\xC3\xA9\\", 12);
  v[6].i = 1;
  v[7].list = l;
  writer_row(w, v);
  List *empty = arena_alloc(a, sizeof *empty);
  empty->elem = l->elem;
  v[0].i = 0;
  v[1].i = INT64_MIN;
  v[2].i = 5;
  v[3].dec = (Dec){-3, 4};
  v[4].i = day(1900, 1, 1);
  v[5].text = mktext(a, "plain", 5);
  v[6].i = 2;
  v[7].list = empty;
  writer_row(w, v);
}

Test(recio, writer_csv_every_kind) {
  Arena a;
  arena_init(&a);
  Sink k;
  sink_open(&k);
  RowWriter *w = writer_open(k.f, FMT_CSV, &sch, out_cols, NCOLS);
  write_rows(w, &a);
  writer_close(w);
  sink_done(&k);
  const char *want =
    "b,i,m,d,dt,t,e,l\n"
    "true,-42,-1234.05,1/3,2024-02-29,\"a,b \"\"c\"\"\n\x01\xC3\xA9\\\",zorg,"
    "\"[{\"\"maand\"\":\"\"2023-01-01\"\",\"\"sv_loon\"\":\"\"100.00\"\"}]\"\n"
    "false,-9223372036854775808,0.05,-0.75,1900-01-01,plain,overig,[]\n";
  cr_assert_str_eq(k.buf, want);
  cr_assert_eq(k.len, strlen(want));
  free(k.buf);
  arena_free(&a);
}

Test(recio, writer_jsonl_every_kind) {
  Arena a;
  arena_init(&a);
  Sink k;
  sink_open(&k);
  RowWriter *w = writer_open(k.f, FMT_JSONL, &sch, out_cols, NCOLS);
  write_rows(w, &a);
  writer_close(w);
  sink_done(&k);
  const char *want =
    "{\"b\":true,\"i\":-42,\"m\":\"-1234.05\",\"d\":\"1/3\",\"dt\":\"2024-02-29\","
    "\"t\":\"a,b \\\"c\\\"\\n\\u0001\xC3\xA9\\\\\",\"e\":\"zorg\","
    "\"l\":[{\"maand\":\"2023-01-01\",\"sv_loon\":\"100.00\"}]}\n"
    "{\"b\":false,\"i\":-9223372036854775808,\"m\":\"0.05\",\"d\":\"-0.75\",\"dt\":\"1900-01-01\","
    "\"t\":\"plain\",\"e\":\"overig\",\"l\":[]}\n";
  cr_assert_str_eq(k.buf, want);
  free(k.buf);
  arena_free(&a);
}

Test(recio, writer_csv_quoting_and_many_rows) {
  /* Names needing quotes in the header; enough rows to pass the 256 KiB buffer. */
  OutColumn cols[2] = {{"naam, voluit", {VK_TEXT, 0, 0}}, {"\"n\"", {VK_INT, 0, 0}}};
  Arena a;
  arena_init(&a);
  Sink k;
  sink_open(&k);
  RowWriter *w = writer_open(k.f, FMT_CSV, &sch, cols, 2);
  Value v[2];
  int rows = 30000;
  for (int i = 0; i < rows; i++) {
    v[0].text = mktext(&a, i % 2 ? "x\ry" : "abcdefgh", 8 - (i % 2) * 5);
    v[1].i = i;
    writer_row(w, v);
  }
  writer_close(w);
  sink_done(&k);
  const char *head = "\"naam, voluit\",\"\"\"n\"\"\"\nabcdefgh,0\n\"x\ry\",1\nabcdefgh,2\n";
  cr_assert(strncmp(k.buf, head, strlen(head)) == 0, "got: %.60s", k.buf);
  const char *tail = "\"x\ry\",29999\n";
  cr_assert_str_eq(k.buf + k.len - strlen(tail), tail);
  size_t lines = 0;
  for (size_t i = 0; i < k.len; i++) lines += k.buf[i] == '\n';
  cr_assert_eq(lines, (size_t)rows + 1);
  free(k.buf);
  arena_free(&a);
}

Test(recio, writer_close_reports_a_failed_write) {
  /* /dev/full fails every write: rows past the 256 KiB buffer (an fwrite in the middle of the run,
     whose error fclose alone would not see) and the last ones (the flush at the end) both count */
  OutColumn cols[2] = {{"t", {VK_TEXT, 0, 0}}, {"n", {VK_INT, 0, 0}}};
  Arena a;
  arena_init(&a);
  for (int rows = 1; rows <= 30000; rows += 29999) {
    FILE *f = fopen("/dev/full", "wb");
    cr_assert_not_null(f);
    RowWriter *w = writer_open(f, rows > 1 ? FMT_CSV : FMT_JSONL, &sch, cols, 2);
    Value v[2];
    for (int i = 0; i < rows; i++) {
      v[0].text = mktext(&a, "abcdefgh", 8);
      v[1].i = i;
      writer_row(w, v);
    }
    cr_assert_eq(writer_close(w), ENOSPC, "%d rows", rows);
    clearerr(f);
    ErrorWriter *ew = errwriter_open(f);
    errwriter_row(ew, 1, 2, "id", "veld", "", "", "reden");
    cr_assert_eq(errwriter_close(ew), ENOSPC);
    fclose(f);
  }
  Sink k;   /* and 0 when every byte was written */
  sink_open(&k);
  cr_assert_eq(writer_close(writer_open(k.f, FMT_CSV, &sch, cols, 2)), 0);
  cr_assert_eq(errwriter_close(errwriter_open(k.f)), 0);
  sink_done(&k);
  free(k.buf);
  arena_free(&a);
}

Test(recio, writer_output_reads_back) {
  /* CSV written by the writer is read back to the same values. */
  OutColumn cols[6];
  const RecordType *rt = &sch.records[R_FLAT];
  for (int i = 0; i < 6; i++) cols[i] = (OutColumn){rt->fields[i].name, rt->fields[i].type};
  Arena a;
  arena_init(&a);
  Sink k;
  sink_open(&k);
  RowWriter *w = writer_open(k.f, FMT_CSV, &sch, cols, 6);
  Value v[6];
  v[F_ID].text = mktext(&a, "x, \"y\"\nz", 8);
  v[F_DAG].i = day(2023, 12, 31);
  v[F_SECTOR].i = 2;
  v[F_UREN].i = -17;
  v[F_FACTOR].dec = (Dec){-1, 8};
  v[F_ACTIEF].i = 1;
  writer_row(w, v);
  writer_close(w);
  sink_done(&k);
  Rd d;
  rd_open(&d, k.buf, FMT_CSV);
  expect_ok(&d);
  cr_assert_str_eq(text_of(d.rec->fields[F_ID]), "x, \"y\"\nz");
  cr_assert_eq(d.rec->fields[F_DAG].i, v[F_DAG].i);
  cr_assert_eq(d.rec->fields[F_SECTOR].i, 2);
  cr_assert_eq(d.rec->fields[F_UREN].i, -17);
  cr_assert_eq(d.rec->fields[F_FACTOR].dec.num, -1);
  cr_assert_eq(d.rec->fields[F_FACTOR].dec.den, 8);
  cr_assert_eq(d.rec->fields[F_ACTIEF].i, 1);
  expect_eof(&d);
  rd_close(&d);
  free(k.buf);
  arena_free(&a);
}

Test(recio, errwriter_quoting) {
  Sink k;
  sink_open(&k);
  ErrorWriter *w = errwriter_open(k.f);
  errwriter_row(w, 7, 8, "D,7", "loon[1].sv_loon", "", "", "invalid date '2023-02-30': \"x\"\nnext");
  errwriter_row(w, 3, 4, "D3", NULL, "dagloon", "wia.rules:12:5", "division by zero");
  errwriter_row(w, 0, 0, NULL, NULL, NULL, NULL, "read error");
  errwriter_close(w);
  sink_done(&k);
  cr_assert_str_eq(k.buf,
                   "record,line,id,field,rule,location,reason\n"
                   "7,8,\"D,7\",loon[1].sv_loon,,,\"invalid date '2023-02-30': \"\"x\"\"\nnext\"\n"
                   "3,4,D3,,dagloon,wia.rules:12:5,division by zero\n"
                   ",,,,,,read error\n");
  free(k.buf);
}

/* Error rows are UTF-8 whatever the input held; --csv-safe guards every text cell, also inside quotes. */
Test(recio, errwriter_escapes_bytes_and_guards_formulas) {
  Sink k;
  sink_open(&k);
  ErrorWriter *w = errwriter_open(k.f);
  errwriter_row(w, 1, 2, "ab\xFF" "c", "id", "", "", "text is not valid UTF-8");
  errwriter_set_csv_safe(w, true);
  errwriter_row(w, 2, 3, "=1+1", "-x", "", "", "@a,b");
  errwriter_row(w, 3, 4, "\xC3\xA9", "+", "", "", "ok");
  errwriter_close(w);
  sink_done(&k);
  cr_assert_str_eq(k.buf,
                   "record,line,id,field,rule,location,reason\n"
                   "1,2,ab\\xFFc,id,,,text is not valid UTF-8\n"
                   "2,3,'=1+1,'-x,,,\"'@a,b\"\n"
                   "3,4,\xC3\xA9,'+,,,ok\n");
  free(k.buf);
}

/* A text column under writer_set_csv_safe: formula-like text guarded, numbers (even negative) left alone. */
Test(recio, writer_csv_safe_guards_text_only) {
  static const OutColumn cols[2] = {{"t", {VK_TEXT, 0, 0}}, {"m", {VK_MONEY, 0, 0}}};
  const char *texts[] = {"=SUM(A1)", "-3", "\tx", "\rx", "@x", "+x", "a=b", ""};
  Arena a;
  arena_init(&a);
  Sink k;
  sink_open(&k);
  RowWriter *w = writer_open(k.f, FMT_CSV, &sch, cols, 2);
  writer_set_csv_safe(w, true);
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    Text *t = arena_alloc(&a, sizeof *t + strlen(texts[i]) + 1);
    t->len = (uint32_t)strlen(texts[i]);
    memcpy(t->bytes, texts[i], t->len + 1);
    Value v[2] = {{.text = t}, {.i = -1250}};
    writer_row(w, v);
  }
  writer_close(w);
  sink_done(&k);
  cr_assert_str_eq(k.buf, "t,m\n'=SUM(A1),-12.50\n'-3,-12.50\n'\tx,-12.50\n\"'\rx\",-12.50\n'@x,-12.50\n"
                          "'+x,-12.50\na=b,-12.50\n,-12.50\n");
  free(k.buf);
  arena_free(&a);
}

Test(recio, value_format_kinds) {
  char buf[64];
  Value v;
  v.i = 0;
  cr_assert_eq(value_format(&sch, (TypeRef){VK_BOOL, 0, 0}, v, buf, sizeof buf), 5);
  cr_assert_str_eq(buf, "false");
  v.i = 123456;
  cr_assert_eq(value_format(&sch, (TypeRef){VK_MONEY, 0, 0}, v, buf, sizeof buf), 7);
  cr_assert_str_eq(buf, "1234.56");
  cr_assert_eq(value_format(&sch, (TypeRef){VK_MONEY, 0, 0}, v, buf, 7), -1);   /* no room for the NUL */
  cr_assert_eq(value_format(&sch, (TypeRef){VK_MONEY, 0, 0}, v, buf, 8), 7);
  v.dec = (Dec){5, 8};
  cr_assert_eq(value_format(&sch, (TypeRef){VK_DEC, 0, 0}, v, buf, sizeof buf), 5);
  cr_assert_str_eq(buf, "0.625");
  v.i = day(2023, 2, 28);
  cr_assert_eq(value_format(&sch, (TypeRef){VK_DATE, 0, 0}, v, buf, sizeof buf), 10);
  cr_assert_str_eq(buf, "2023-02-28");
  v.i = 0;
  cr_assert_eq(value_format(&sch, (TypeRef){VK_ENUM, 0, 0}, v, buf, sizeof buf), 4);
  cr_assert_str_eq(buf, "bouw");
  v.i = 3;
  cr_assert_eq(value_format(&sch, (TypeRef){VK_ENUM, 0, 0}, v, buf, sizeof buf), -1);
  Arena a;
  arena_init(&a);
  v.text = mktext(&a, "tekst, met komma", 16);
  cr_assert_eq(value_format(&sch, (TypeRef){VK_TEXT, 0, 0}, v, buf, sizeof buf), 16);
  cr_assert_str_eq(buf, "tekst, met komma");
  cr_assert_eq(value_format(&sch, (TypeRef){VK_TEXT, 0, 0}, v, buf, 16), -1);
  v.list = NULL;
  cr_assert_eq(value_format(&sch, (TypeRef){VK_LIST, VK_RECORD, 0}, v, buf, sizeof buf), -1);
  arena_free(&a);
}

/* ---- one value outside a record (the arguments of a rule call in a case file) ---- */

Test(recio, parse_scalar_by_type) {
  Arena a;
  arena_init(&a);
  Value v;
  char *err = NULL;
  cr_assert(reader_parse_scalar(&sch, (TypeRef){VK_MONEY, 0, 0}, "1234.56", 7, &a, &v, &err));
  cr_assert_eq(v.i, 123456);
  cr_assert(reader_parse_scalar(&sch, (TypeRef){VK_PERIOD, 0, 0}, "2020-01-01/2020-01-31", 21, &a, &v, &err));
  cr_assert_eq(v.per.hi - v.per.lo, 30);
  cr_assert(reader_parse_scalar(&sch, (TypeRef){VK_ENUM, 0, 0}, "zorg", 4, &a, &v, &err));
  cr_assert_eq(v.i, 1);
  cr_assert_not(reader_parse_scalar(&sch, (TypeRef){VK_MONEY, 0, 0}, "12.345", 6, &a, &v, &err));
  cr_assert_not_null(strstr(err, "more than 2 decimals"), "%s", err);
  free(err);
  cr_assert_not(reader_parse_scalar(&sch, (TypeRef){VK_DATE, 0, 0}, "2022-02-30", 10, &a, &v, &err));
  cr_assert_not_null(strstr(err, "day 30 does not exist"), "%s", err);
  free(err);
  arena_free(&a);
}
