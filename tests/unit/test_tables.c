/*
** test_tables.c: the table loader (lang/tables.c) and the runtime lookups
** (runtime/table.c). Each test writes a small CSV to a temporary file,
** loads it against a declaration held in a one-line rule file, and checks
** the rows (exact cents, rationals, statuses, sources, computed ends) or
** the one diagnostic it should give: its code, its exact message and notes,
** and the line, column and length of the cell it points at.
*/
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/diag.h"
#include "lang/source.h"
#include "lang/tables.h"
#include "runtime/chunk.h"
#include "runtime/date.h"
#include "runtime/table.h"

/* ---- fixture ---- */

static char *klasse_members[] = {"laag", "midden", "hoog"};
static EnumType test_enums[] = {{"Klasse", 3, klasse_members, NULL}};
static const Schema test_schema = {1, test_enums, 0, NULL, -1, -1};

/* The declaration the messages about the whole table point at: 'maxdagloon' on line 1, column 7. */
#define RULES "tabel maxdagloon per datum: geld uit \"x.csv\"\n"
#define DECL_OFF 6
#define DECL_LEN 10

#define TY(k) ((TypeRef){(k), 0, 0})
#define KLASSE ((TypeRef){VK_ENUM, 0, 0})
#define D(y, m, d) date_from_ymd((y), (m), (d))

typedef struct Fx {
  SourceSet src;
  DiagList d;
  Table t;
  TableSpec spec;
  char path[64];
} Fx;

/* A date series of amounts from `csv` (written to a fresh temporary file); adjust f->spec before fx_load. */
static void fx_init(Fx *f, const char *csv) {
  memset(f, 0, sizeof *f);
  uint32_t rf = src_add(&f->src, "t.rules", RULES, (uint32_t)strlen(RULES));
  diag_init(&f->d, &f->src);
  strcpy(f->path, "/tmp/dagloon_tab_XXXXXX");
  int fd = mkstemp(f->path);
  cr_assert(fd >= 0, "mkstemp");
  size_t n = strlen(csv);
  cr_assert_eq(write(fd, csv, n), (ssize_t)n);
  close(fd);
  f->spec.name = "maxdagloon";
  f->spec.path = f->path;
  f->spec.decl = (Span){rf, DECL_OFF, DECL_LEN};
  f->spec.kind = TABLE_BY_DATE;
  f->spec.keytype = TY(VK_DATE);
  f->spec.valtype = TY(VK_MONEY);
}

static bool fx_load(Fx *f) {
  bool ok = tables_load(&f->src, &f->d, &test_schema, &f->spec, &f->t);
  unlink(f->path);
  cr_assert_eq(ok, f->d.nerrors == 0, "the result must say whether errors were reported");
  return ok;
}

static void fx_free(Fx *f) {
  table_free(&f->t);
  diag_free(&f->d);
  src_free(&f->src);
}

/* Loads without any diagnostic. */
static void load_ok(Fx *f) {
  bool ok = fx_load(f);
  if (f->d.n) diag_render(&f->d, stderr);
  cr_assert(ok);
  cr_assert_eq(f->d.n, 0);
}

/* Loads with exactly one diagnostic, an error with `code` and message `msg`. */
static const Diag *load_one(Fx *f, const char *code, const char *msg) {
  cr_assert_not(fx_load(f), "the load must fail");
  if (f->d.n != 1) diag_render(&f->d, stderr);
  cr_assert_eq(f->d.n, 1, "expected one diagnostic, got %zu", f->d.n);
  const Diag *dg = &f->d.items[0];
  cr_assert_eq(dg->level, DIAG_ERROR);
  cr_assert_str_eq(dg->code, code);
  cr_assert_str_eq(dg->msg, msg);
  return dg;
}

/* The span starts in the CSV (file 1) at line:col and covers `len` bytes. */
static void assert_at(const Fx *f, const Diag *dg, uint32_t line, uint32_t col, uint32_t len) {
  cr_assert_eq(dg->span.file, 1, "span in file %u, expected the CSV", dg->span.file);
  const SourceFile *sf = &f->src.files[1];
  uint32_t l, c;
  srcpos_line_col(sf->text, sf->len, dg->span.off, &l, &c);
  cr_assert_eq(l, line, "line %u, expected %u (%s)", l, line, dg->msg);
  cr_assert_eq(c, col, "column %u, expected %u (%s)", c, col, dg->msg);
  cr_assert_eq(dg->span.len, len, "length %u, expected %u (%s)", dg->span.len, len, dg->msg);
}

static void assert_at_decl(const Diag *dg) {
  cr_assert_eq(dg->span.file, 0);
  cr_assert_eq(dg->span.off, DECL_OFF);
  cr_assert_eq(dg->span.len, DECL_LEN);
}

static void assert_notes(const Diag *dg, const char *notes) {
  cr_assert_not_null(dg->notes, "no notes on '%s'", dg->msg);
  cr_assert_str_eq(dg->notes, notes);
}

/* ---- loading ---- */

#define SERIES \
  "vanaf,tot_en_met,waarde,status,bron,toelichting\n" \
  "2022-01-01,,232.68,stated,https://wetten.overheid.nl/a,\n" \
  "2022-07-01,,\"242.95\",derived,\"Regeling, art. 2\",\"index \"\"juli\"\"\"\n" \
  "2023-01-01,2023-06-30,-0.05,unverified,b3,\n" \
  "2023-07-01,2023-12-31,274.44,stated,b4,laatste\n"

Test(tables, date_series_values) {
  Fx f;
  fx_init(&f, SERIES);
  load_ok(&f);
  const Table *t = &f.t;
  cr_assert_str_eq(t->name, "maxdagloon");
  cr_assert_str_eq(t->path, f.path);
  cr_assert_eq(t->kind, TABLE_BY_DATE);
  cr_assert_eq(t->keytype.kind, VK_DATE);
  cr_assert_eq(t->valtype.kind, VK_MONEY);
  cr_assert_eq(t->nrows, 4);
  const int64_t keys[] = {D(2022, 1, 1), D(2022, 7, 1), D(2023, 1, 1), D(2023, 7, 1)};
  const int64_t untils[] = {D(2022, 6, 30), D(2022, 12, 31), D(2023, 6, 30), D(2023, 12, 31)};
  const int64_t cents[] = {23268, 24295, -5, 27444};
  const uint8_t status[] = {ROW_STATED, ROW_DERIVED, ROW_UNVERIFIED, ROW_STATED};
  const char *src[] = {"https://wetten.overheid.nl/a", "Regeling, art. 2", "b3", "b4"};
  const char *note[] = {"", "index \"juli\"", "", "laatste"};
  for (uint32_t i = 0; i < 4; i++) {
    const TableRow *r = &t->rows[i];
    cr_assert_eq(r->key, keys[i], "row %u key", i);
    cr_assert_eq(r->until, untils[i], "row %u until", i);
    cr_assert_eq(r->value.i, cents[i], "row %u cents %lld", i, (long long)r->value.i);
    cr_assert_eq(r->status, status[i], "row %u status", i);
    cr_assert_eq(r->line, i + 2, "row %u line", i);
    cr_assert_str_eq(r->source, src[i]);
    cr_assert_str_eq(r->note, note[i]);
  }
  fx_free(&f);
}

Test(tables, last_row_open_ended) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n2021-01-01,2.00,stated,y\n");
  load_ok(&f);
  cr_assert_eq(f.t.nrows, 2);
  cr_assert_eq(f.t.rows[0].until, D(2020, 12, 31));
  cr_assert_eq(f.t.rows[1].until, INT64_MAX);
  cr_assert_str_eq(f.t.rows[0].note, "");
  cr_assert_eq(table_row_on(&f.t, D(2200, 12, 31)), &f.t.rows[1]);
  fx_free(&f);
}

/* A byte order mark, CRLF line ends, empty lines and no final newline; columns in another order. */
Test(tables, crlf_bom_empty_lines) {
  Fx f;
  fx_init(&f, "\xEF\xBB\xBF" "bron,status,waarde,vanaf\r\n\r\nx,stated,1.00,2020-01-01\r\n\ny,derived,2.50,2021-01-01");
  load_ok(&f);
  cr_assert_eq(f.t.nrows, 2);
  cr_assert_eq(f.t.rows[0].line, 3);
  cr_assert_eq(f.t.rows[1].line, 5);
  cr_assert_eq(f.t.rows[0].value.i, 100);
  cr_assert_eq(f.t.rows[1].value.i, 250);
  cr_assert_str_eq(f.t.rows[0].source, "x");
  cr_assert_str_eq(f.t.rows[1].source, "y");
  cr_assert_eq(f.t.rows[1].status, ROW_DERIVED);
  fx_free(&f);
}

/* A quoted cell may hold a line end; the next row's line number counts it. */
Test(tables, quoted_newline) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,\"art. 1\nlid 2\"\n2021-01-01,bad,stated,y\n");
  const Diag *dg = load_one(&f, "E052",
                            "invalid amount 'bad' in column 'waarde': expected an amount such as 274.44 (a '.' and at "
                            "most 2 decimals)");
  assert_at(&f, dg, 4, 12, 3);
  cr_assert_str_eq(f.t.rows[0].source, "art. 1\nlid 2");
  cr_assert_eq(f.t.rows[1].line, 4);
  fx_free(&f);
}

Test(tables, getal_decimals_and_fractions) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.08,stated,a\n2021-01-01,108/100,derived,b\n"
              "2022-01-01,-0.5,stated,c\n2023-01-01,1/3,derived,d\n2024-01-01,2.5/-10,derived,e\n");
  f.spec.valtype = TY(VK_DEC);
  load_ok(&f);
  cr_assert_eq(f.t.nrows, 5);
  const int64_t num[] = {27, 27, -1, 1, -1}, den[] = {25, 25, 2, 3, 4};
  for (uint32_t i = 0; i < 5; i++) {
    cr_assert_eq(f.t.rows[i].value.dec.num, num[i], "row %u", i);
    cr_assert_eq(f.t.rows[i].value.dec.den, den[i], "row %u", i);
  }
  fx_free(&f);
}

/* ---- lookups ---- */

/* Rows: 2020-01-01..2020-06-30, gap, 2021-01-01..2021-12-31 (explicit), 2022-01-01..open. */
#define GAPPED \
  "vanaf,tot_en_met,waarde,status,bron\n" \
  "2020-01-01,2020-06-30,1.00,stated,a\n" \
  "2021-01-01,2021-12-31,2.00,unverified,b\n" \
  "2022-01-01,,3.00,stated,c\n"

Test(tables, row_on) {
  Fx f;
  fx_init(&f, GAPPED);
  f.spec.has_from = true;   /* the gap lies before the coverage, so it is allowed */
  f.spec.from = D(2021, 1, 1);
  load_ok(&f);
  const Table *t = &f.t;
  cr_assert_null(table_row_on(t, D(2019, 12, 31)), "before the first row");
  cr_assert_eq(table_row_on(t, D(2020, 1, 1)), &t->rows[0], "on the first day");
  cr_assert_eq(table_row_on(t, D(2020, 3, 15)), &t->rows[0], "inside a row");
  cr_assert_eq(table_row_on(t, D(2020, 6, 30)), &t->rows[0], "on its own tot_en_met");
  cr_assert_null(table_row_on(t, D(2020, 7, 1)), "the day after tot_en_met, in the gap");
  cr_assert_null(table_row_on(t, D(2020, 12, 31)), "the last day of the gap");
  cr_assert_eq(table_row_on(t, D(2021, 1, 1)), &t->rows[1]);
  cr_assert_eq(table_row_on(t, D(2021, 12, 31)), &t->rows[1], "on its own tot_en_met, next row adjacent");
  cr_assert_eq(table_row_on(t, D(2022, 1, 1)), &t->rows[2]);
  cr_assert_eq(table_row_on(t, D(2150, 1, 1)), &t->rows[2], "after the last row (open ended)");
  cr_assert_eq(table_row_on(t, INT64_MAX), &t->rows[2]);
  cr_assert_null(table_row_on(t, INT64_MIN));
  cr_assert_eq(table_row_on(t, D(2021, 6, 1))->status, ROW_UNVERIFIED);
  cr_assert_str_eq(row_status_name(ROW_STATED), "stated");
  cr_assert_str_eq(row_status_name(ROW_DERIVED), "derived");
  cr_assert_str_eq(row_status_name(ROW_UNVERIFIED), "unverified");
  fx_free(&f);
}

Test(tables, row_on_ends_with_last_tot_en_met) {
  Fx f;
  fx_init(&f, SERIES);
  load_ok(&f);
  cr_assert_eq(table_row_on(&f.t, D(2023, 12, 31)), &f.t.rows[3]);
  cr_assert_null(table_row_on(&f.t, D(2024, 1, 1)));
  cr_assert_eq(table_row_on(&f.t, D(2022, 6, 30)), &f.t.rows[0]);
  cr_assert_eq(table_row_on(&f.t, D(2022, 7, 1)), &f.t.rows[1]);
  fx_free(&f);
}

/* Many rows, to exercise the binary search beyond a handful. */
Test(tables, row_on_many_rows) {
  char *csv = malloc(64 * 1024);
  size_t k = (size_t)sprintf(csv, "vanaf,waarde,status,bron\n");
  for (int y = 1950; y <= 2150; y++) k += (size_t)sprintf(csv + k, "%d-01-01,%d.00,stated,s\n", y, y);
  Fx f;
  fx_init(&f, csv);
  free(csv);
  load_ok(&f);
  cr_assert_eq(f.t.nrows, 201);
  for (int y = 1950; y <= 2150; y++) {
    cr_assert_eq(table_row_on(&f.t, D(y, 1, 1))->value.i, y * 100);
    cr_assert_eq(table_row_on(&f.t, D(y, 12, 31))->value.i, y * 100);
  }
  cr_assert_null(table_row_on(&f.t, D(1949, 12, 31)));
  fx_free(&f);
}

Test(tables, keyed_keuze) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron,toelichting\nlaag,0.7,stated,a,\nmidden,0.75,stated,b,\nhoog,1/3,derived,c,x\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = KLASSE;
  f.spec.valtype = TY(VK_DEC);
  load_ok(&f);
  cr_assert_eq(f.t.kind, TABLE_BY_KEY);
  cr_assert_eq(f.t.keytype.kind, VK_ENUM);
  cr_assert_eq(f.t.nrows, 3);
  const TableRow *r = table_row_for(&f.t, 1);
  cr_assert_not_null(r);
  cr_assert_eq(r->value.dec.num, 3);
  cr_assert_eq(r->value.dec.den, 4);
  cr_assert_eq(table_row_for(&f.t, 0)->value.dec.num, 7);
  cr_assert_eq(table_row_for(&f.t, 2)->value.dec.den, 3);
  cr_assert_null(table_row_for(&f.t, 3));
  cr_assert_null(table_row_for(&f.t, -1));
  fx_free(&f);
}

Test(tables, keyed_geheel_text) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n-3,min drie,stated,a\n1,één,stated,b\n2,,stated,c\n5,\"a,b\",stated,d\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_INT);
  f.spec.valtype = TY(VK_TEXT);
  load_ok(&f);
  cr_assert_eq(f.t.nrows, 4);
  const TableRow *r = table_row_for(&f.t, 1);
  cr_assert_not_null(r);
  cr_assert_eq(r->value.text->len, 5);   /* two 2-byte characters */
  cr_assert_str_eq(r->value.text->bytes, "één");
  cr_assert_str_eq(table_row_for(&f.t, -3)->value.text->bytes, "min drie");
  cr_assert_eq(table_row_for(&f.t, 2)->value.text->len, 0);
  cr_assert_str_eq(table_row_for(&f.t, 5)->value.text->bytes, "a,b");
  cr_assert_null(table_row_for(&f.t, 3));
  cr_assert_null(table_row_for(&f.t, 4));
  cr_assert_null(table_row_for(&f.t, 6));
  fx_free(&f);
}

Test(tables, keyed_datum_bool) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n2020-01-01,waar,stated,a\n2020-01-02,onwaar,stated,b\n"
              "2021-05-05,true,stated,c\n2022-12-31,false,stated,d\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_DATE);
  f.spec.valtype = TY(VK_BOOL);
  load_ok(&f);
  cr_assert_eq(table_row_for(&f.t, D(2020, 1, 1))->value.i, 1);
  cr_assert_eq(table_row_for(&f.t, D(2020, 1, 2))->value.i, 0);
  cr_assert_eq(table_row_for(&f.t, D(2021, 5, 5))->value.i, 1);
  cr_assert_eq(table_row_for(&f.t, D(2022, 12, 31))->value.i, 0);
  cr_assert_null(table_row_for(&f.t, D(2021, 5, 4)));
  fx_free(&f);
}

Test(tables, keyed_geheel_coverage_met) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n0,1,stated,a\n1,2,stated,b\n2,3,stated,c\n3,4,stated,d\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_INT);
  f.spec.valtype = TY(VK_INT);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = 1;
  f.spec.to = 3;
  load_ok(&f);
  cr_assert_eq(table_row_for(&f.t, 3)->value.i, 4);
  fx_free(&f);
}

/* ---- E050 ---- */

Test(tables, e050_missing_file) {
  Fx f;
  fx_init(&f, "");
  f.spec.path = "/nonexistent/dagloon/x.csv";
  const Diag *dg = load_one(&f, "E050",
                            "table 'maxdagloon': cannot open '/nonexistent/dagloon/x.csv': No such file or directory");
  assert_at_decl(dg);
  cr_assert_str_eq(f.t.name, "maxdagloon");
  cr_assert_eq(f.t.nrows, 0);
  cr_assert_eq(f.src.n, 1, "nothing added to the sources");
  fx_free(&f);
}

/* ---- E051 ---- */

Test(tables, e051_unknown_column) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron,toelichtng\n2020-01-01,1.00,stated,x,\n");
  const Diag *dg = load_one(&f, "E051", "unknown column 'toelichtng'");
  assert_at(&f, dg, 1, 26, 10);
  assert_notes(dg, "note: did you mean 'toelichting'?\n");
  fx_free(&f);
}

Test(tables, e051_unknown_column_no_suggestion) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron,xyz\n2020-01-01,1.00,stated,x,\n");
  const Diag *dg = load_one(&f, "E051", "unknown column 'xyz'");
  assert_at(&f, dg, 1, 26, 3);
  assert_notes(dg, "note: the columns are vanaf, tot_en_met, waarde, status, bron, toelichting\n");
  fx_free(&f);
}

/* A keyed table with the columns of a date series: the unknown 'vanaf' says why, and 'sleutel' is missing. */
Test(tables, e051_column_of_other_kind) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_DATE);
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  const Diag *u = &f.d.items[0], *m = &f.d.items[1];
  cr_assert_str_eq(u->msg, "unknown column 'vanaf'");
  assert_at(&f, u, 1, 1, 5);
  assert_notes(u, "note: 'vanaf' belongs to a date series ('per datum'); a keyed table has 'sleutel'\n");
  cr_assert_str_eq(m->code, "E051");
  cr_assert_str_eq(m->msg, "missing column 'sleutel'");
  assert_at(&f, m, 1, 1, 24);
  cr_assert_eq(f.t.nrows, 0, "no rows read without a key column");
  fx_free(&f);
}

Test(tables, e051_missing_column) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status\n2020-01-01,1.00,stated\n");
  const Diag *dg = load_one(&f, "E051", "missing column 'bron'");
  assert_at(&f, dg, 1, 1, 19);
  fx_free(&f);
}

Test(tables, e051_duplicate_column) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron,waarde\n2020-01-01,1.00,stated,x,2.00\n");
  const Diag *dg = load_one(&f, "E051", "duplicate column 'waarde'");
  assert_at(&f, dg, 1, 26, 6);
  assert_notes(dg, "note: it is already column 2\n");
  cr_assert_eq(f.t.rows[0].value.i, 100, "the first 'waarde' counts");
  fx_free(&f);
}

Test(tables, e051_wrong_cell_count) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n2021-01-01,1.00,stated\n"
              "2022-01-01,1.00,stated,x,y\n");
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  cr_assert_str_eq(f.d.items[0].code, "E051");
  cr_assert_str_eq(f.d.items[0].msg, "row has 3 cells, the header has 4");
  assert_at(&f, &f.d.items[0], 3, 1, 22);
  cr_assert_str_eq(f.d.items[1].msg, "row has 5 cells, the header has 4");
  assert_at(&f, &f.d.items[1], 4, 1, 26);
  fx_free(&f);
}

Test(tables, e051_empty_file) {
  Fx f;
  fx_init(&f, "");
  const Diag *dg =
    load_one(&f, "E051", "empty file: expected a header with the columns vanaf, tot_en_met, waarde, status, bron, toelichting");
  assert_at(&f, dg, 1, 1, 0);
  fx_free(&f);
}

/* An unterminated quote is reported at the quote; reading resumes on the next line. */
Test(tables, e051_unterminated_quote) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,\"1.00,stated,x\n2021-01-01,bad,stated,y\n");
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  cr_assert_str_eq(f.d.items[0].code, "E051");
  cr_assert_str_eq(f.d.items[0].msg, "unterminated quoted cell");
  assert_at(&f, &f.d.items[0], 2, 12, 1);
  cr_assert_str_eq(f.d.items[1].code, "E052");
  assert_at(&f, &f.d.items[1], 3, 12, 3);
  fx_free(&f);
}

Test(tables, e051_stray_quotes) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,art \"3\"\n2021-01-01,\"2.00\"x,stated,y\n");
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  cr_assert_str_eq(f.d.items[0].msg, "a quote inside an unquoted cell");
  assert_at(&f, &f.d.items[0], 2, 28, 1);
  cr_assert_str_eq(f.d.items[1].msg, "text after the closing quote of a cell");
  assert_at(&f, &f.d.items[1], 3, 18, 1);
  fx_free(&f);
}

/* ---- E052 ---- */

Test(tables, e052_bad_date) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01,1.00,stated,x\n2023-02-30,1.00,stated,x\n");
  const Diag *dg = load_one(&f, "E052",
                            "invalid date '2023-02-30' in column 'vanaf': day 30 does not exist in February 2023");
  assert_at(&f, dg, 3, 1, 10);
  fx_free(&f);
}

Test(tables, e052_bad_tot_en_met) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2023-01-01,2023-13-01,1.00,stated,x\n");
  const Diag *dg = load_one(&f, "E052", "invalid date '2023-13-01' in column 'tot_en_met': month 13 does not exist");
  assert_at(&f, dg, 2, 12, 10);
  fx_free(&f);
}

Test(tables, e052_date_with_space) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01 ,1.00,stated,x\n");
  load_one(&f, "E052",
           "invalid date '2023-01-01 ' in column 'vanaf': expected YYYY-MM-DD (leading or trailing spaces are not allowed)");
  fx_free(&f);
}

Test(tables, e052_amount_decimals) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01,274.444,stated,x\n");
  const Diag *dg = load_one(&f, "E052",
                            "invalid amount '274.444' in column 'waarde': more than 2 decimals (amounts are whole cents)");
  assert_at(&f, dg, 2, 12, 7);
  fx_free(&f);
}

Test(tables, e052_amount_comma_quoted) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01,\"274,44\",stated,x\n");
  const Diag *dg = load_one(&f, "E052",
                            "invalid amount '274,44' in column 'waarde': expected an amount such as 274.44 (a '.' and "
                            "at most 2 decimals)");
  assert_at(&f, dg, 2, 12, 8);   /* the cell as written, quotes included */
  fx_free(&f);
}

Test(tables, e052_amount_empty) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01,,stated,x\n");
  const Diag *dg = load_one(&f, "E052", "empty cell in column 'waarde': expected an amount such as 274.44");
  assert_at(&f, dg, 2, 12, 0);
  fx_free(&f);
}

Test(tables, e052_amount_out_of_range) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2023-01-01,999999999999999999999,stated,x\n");
  load_one(&f, "E052", "invalid amount '999999999999999999999' in column 'waarde': out of range");
  fx_free(&f);
}

Test(tables, e052_bad_enum) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\nlaag,1,stated,a\nmidde,2,stated,b\nhoog,3,stated,c\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = KLASSE;
  f.spec.valtype = TY(VK_INT);
  const Diag *dg = load_one(&f, "E052",
                            "invalid choice 'midde' in column 'sleutel': not a choice of 'Klasse' (laag, midden, hoog)");
  assert_at(&f, dg, 3, 1, 5);
  assert_notes(dg, "note: did you mean 'midden'?\n");
  fx_free(&f);
}

Test(tables, e052_enum_value) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,hoog,stated,a\n2021-01-01,Hoog,stated,b\n");
  f.spec.valtype = KLASSE;
  const Diag *dg = load_one(&f, "E052",
                            "invalid choice 'Hoog' in column 'waarde': not a choice of 'Klasse' (laag, midden, hoog)");
  assert_at(&f, dg, 3, 12, 4);
  cr_assert_eq(f.t.rows[0].value.i, 2);
  fx_free(&f);
}

Test(tables, e052_bad_numbers) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,\"1,08\",stated,a\n2021-01-01,1/0,stated,b\n"
              "2022-01-01,1e5,stated,c\n");
  f.spec.valtype = TY(VK_DEC);
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 3);
  cr_assert_str_eq(f.d.items[0].msg,
                   "invalid number '1,08' in column 'waarde': expected digits with an optional sign and a '.' for "
                   "decimals, or a fraction such as 108/100");
  assert_at(&f, &f.d.items[0], 2, 12, 6);
  cr_assert_str_eq(f.d.items[1].msg, "invalid number '1/0' in column 'waarde': the fraction divides by zero");
  assert_at(&f, &f.d.items[1], 3, 12, 3);
  cr_assert_str_eq(f.d.items[2].code, "E052");
  assert_at(&f, &f.d.items[2], 4, 12, 3);
  fx_free(&f);
}

Test(tables, e052_bad_integer) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n1,99999999999999999999,stated,a\n2,+7,stated,b\n3,7.0,stated,c\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_INT);
  f.spec.valtype = TY(VK_INT);
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  cr_assert_str_eq(f.d.items[0].msg, "invalid integer '99999999999999999999' in column 'waarde': does not fit in 64 bits");
  assert_at(&f, &f.d.items[0], 2, 3, 20);
  cr_assert_str_eq(f.d.items[1].msg, "invalid integer '7.0' in column 'waarde': expected digits with an optional sign");
  assert_at(&f, &f.d.items[1], 4, 3, 3);
  cr_assert_eq(f.t.rows[1].value.i, 7);
  fx_free(&f);
}

Test(tables, e052_bad_boolean_and_text) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,ja,stated,a\n2021-01-01,true,stated,b\xff\n");
  f.spec.valtype = TY(VK_BOOL);
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  cr_assert_str_eq(f.d.items[0].msg, "invalid boolean 'ja' in column 'waarde': expected true, false, waar or onwaar");
  assert_at(&f, &f.d.items[0], 2, 12, 2);
  cr_assert_str_eq(f.d.items[1].msg, "invalid text 'b\\xFF' in column 'bron': not valid UTF-8");
  assert_at(&f, &f.d.items[1], 3, 24, 2);
  fx_free(&f);
}

/* ---- E053, E054 ---- */

Test(tables, e053_status) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,verified,x\n");
  const Diag *dg = load_one(&f, "E053", "unknown status 'verified': expected stated, derived or unverified");
  assert_at(&f, dg, 2, 17, 8);
  assert_notes(dg, "note: did you mean 'unverified'?\n");
  fx_free(&f);
}

Test(tables, e053_empty_status) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,,x\n");
  const Diag *dg = load_one(&f, "E053", "empty cell in column 'status': expected stated, derived or unverified");
  assert_at(&f, dg, 2, 17, 0);
  fx_free(&f);
}

Test(tables, e054_empty_source) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n2021-01-01,1.00,stated,\n2022-01-01,1.00,stated,\"  \"\n");
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  const Diag *dg = &f.d.items[0];
  cr_assert_str_eq(dg->code, "E054");
  cr_assert_str_eq(dg->msg, "empty cell in column 'bron': every row must cite its source");
  assert_at(&f, dg, 3, 24, 0);
  cr_assert_str_eq(f.d.items[1].code, "E054", "blank counts as empty");
  assert_at(&f, &f.d.items[1], 4, 24, 4);
  fx_free(&f);
}

/* ---- E055, E056 ---- */

Test(tables, e055_out_of_order) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2021-01-01,1.00,stated,x\n2020-01-01,1.00,stated,x\n");
  const Diag *dg = load_one(&f, "E055", "rows out of order: 'vanaf' 2020-01-01 comes after 2021-01-01");
  assert_at(&f, dg, 3, 1, 10);
  assert_notes(dg, "note: the row before, on line 2, has 'vanaf' 2021-01-01\n"
                   "note: sort the rows by 'vanaf', earliest first\n");
  fx_free(&f);
}

Test(tables, e055_keuze_order) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\nlaag,1,stated,a\nhoog,3,stated,c\nmidden,2,stated,b\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = KLASSE;
  f.spec.valtype = TY(VK_INT);
  const Diag *dg = load_one(&f, "E055", "rows out of order: 'sleutel' 'midden' comes after 'hoog'");
  assert_at(&f, dg, 4, 1, 6);
  assert_notes(dg, "note: the row before, on line 3, has 'sleutel' 'hoog'\n"
                   "note: rows follow the order of the choices of 'Klasse': laag, midden, hoog\n");
  fx_free(&f);
}

Test(tables, e056_duplicate) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n2021-01-01,1.00,stated,x\n"
              "2021-01-01,2.00,stated,x\n2021-01-01,3.00,stated,x\n");
  cr_assert_not(fx_load(&f));
  cr_assert_eq(f.d.n, 2);
  for (int i = 0; i < 2; i++) {
    const Diag *dg = &f.d.items[i];
    cr_assert_str_eq(dg->code, "E056");
    cr_assert_str_eq(dg->msg, "duplicate row for 'vanaf' 2021-01-01");
    assert_at(&f, dg, (uint32_t)(4 + i), 1, 10);
    assert_notes(dg, "note: the first is on line 3\n");
  }
  fx_free(&f);
}

Test(tables, e056_duplicate_key) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n1,1,stated,a\n1,2,stated,b\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_INT);
  f.spec.valtype = TY(VK_INT);
  const Diag *dg = load_one(&f, "E056", "duplicate row for 'sleutel' 1");
  assert_at(&f, dg, 3, 1, 1);
  assert_notes(dg, "note: the first is on line 2\n");
  fx_free(&f);
}

/* ---- E057 ---- */

Test(tables, e057_overlap) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2020-01-01,2021-01-15,1.00,stated,x\n2021-01-01,,2.00,stated,x\n");
  const Diag *dg = load_one(&f, "E057",
                            "rows overlap: 'tot_en_met' 2021-01-15 is on or after the next row's 'vanaf' 2021-01-01 "
                            "(line 3)");
  assert_at(&f, dg, 2, 12, 10);
  assert_notes(dg, "note: end a row the day before the next one starts, or leave 'tot_en_met' empty\n");
  fx_free(&f);
}

Test(tables, e057_overlap_same_day) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2020-01-01,2021-01-01,1.00,stated,x\n2021-01-01,,2.00,stated,x\n");
  load_one(&f, "E057",
           "rows overlap: 'tot_en_met' 2021-01-01 is on or after the next row's 'vanaf' 2021-01-01 (line 3)");
  fx_free(&f);
}

Test(tables, e057_gap) {
  Fx f;
  fx_init(&f, GAPPED);
  const Diag *dg = load_one(&f, "E057", "gap between rows: no row is in force from 2020-07-01 to 2020-12-31");
  assert_at(&f, dg, 2, 12, 10);
  assert_notes(dg, "note: this row ends on 2020-06-30 and the next, on line 3, starts on 2021-01-01\n");
  fx_free(&f);
}

Test(tables, e057_gap_of_one_day_inside_coverage) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2020-01-01,2020-12-30,1.00,stated,x\n2021-01-01,,2.00,stated,x\n");
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2020, 12, 31);
  f.spec.to = D(2020, 12, 31);
  const Diag *dg = load_one(&f, "E057", "gap between rows: no row is in force on 2020-12-31");
  assert_at(&f, dg, 2, 12, 10);
  fx_free(&f);
}

/* A gap entirely after the declared coverage is not an error; one reaching into it is. */
Test(tables, e057_gap_outside_coverage) {
  Fx f;
  fx_init(&f, GAPPED);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2020, 1, 1);
  f.spec.to = D(2020, 6, 30);
  load_ok(&f);   /* the gap starts the day after the coverage ends */
  fx_free(&f);

  fx_init(&f, GAPPED);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2020, 1, 1);
  f.spec.to = D(2020, 7, 1);
  load_one(&f, "E057", "gap between rows: no row is in force from 2020-07-01 to 2020-12-31");
  fx_free(&f);
}

Test(tables, e057_until_before_from) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2020-07-01,2020-06-30,1.00,stated,x\n2021-01-01,,2.00,stated,x\n");
  const Diag *dg = load_one(&f, "E057", "row ends before it starts: 'tot_en_met' 2020-06-30 is before 'vanaf' 2020-07-01");
  assert_at(&f, dg, 2, 12, 10);
  fx_free(&f);
}

/* ---- E058 ---- */

Test(tables, e058_coverage_start) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n");
  f.spec.has_from = true;
  f.spec.from = D(2019, 1, 1);
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' does not cover 2019-01-01: its first row starts on 2020-01-01");
  assert_at_decl(dg);
  char note[128];
  snprintf(note, sizeof note, "note: the first row is line 2 of '%s'\n", f.path);
  assert_notes(dg, note);
  fx_free(&f);
}

Test(tables, e058_coverage_start_met) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n");
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2020, 1, 1);
  f.spec.to = D(2200, 12, 31);
  load_ok(&f);
  fx_free(&f);
}

Test(tables, e058_coverage_end) {
  Fx f;
  fx_init(&f, SERIES);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2022, 1, 1);
  f.spec.to = D(2024, 6, 30);
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' does not cover 2024-06-30: its last row ends on 2023-12-31");
  assert_at_decl(dg);
  char note[128];
  snprintf(note, sizeof note, "note: the last row is line 5 of '%s'\n", f.path);
  assert_notes(dg, note);
  fx_free(&f);

  fx_init(&f, SERIES);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = D(2022, 1, 1);
  f.spec.to = D(2023, 12, 31);   /* exactly the last row's tot_en_met */
  load_ok(&f);
  fx_free(&f);
}

Test(tables, e058_missing_keuze_member) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\nhoog,3,stated,c\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = KLASSE;
  f.spec.valtype = TY(VK_INT);
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' has no row for 'laag', 'midden' (every choice of 'Klasse' needs one)");
  assert_at_decl(dg);
  fx_free(&f);
}

Test(tables, e058_missing_geheel_keys) {
  Fx f;
  fx_init(&f, "sleutel,waarde,status,bron\n1,1,stated,a\n2,1,stated,a\n4,1,stated,a\n8,1,stated,a\n");
  f.spec.kind = TABLE_BY_KEY;
  f.spec.keytype = TY(VK_INT);
  f.spec.valtype = TY(VK_INT);
  f.spec.has_from = f.spec.has_to = true;
  f.spec.from = 0;
  f.spec.to = 9;
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' has no row for 0, 3, 5..7, 9 (its coverage is 0 t/m 9)");
  assert_at_decl(dg);
  fx_free(&f);
}

Test(tables, e058_empty_table) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n\n");
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' has no rows");
  assert_at_decl(dg);
  char note[128];
  snprintf(note, sizeof note, "note: '%s' holds only a header\n", f.path);
  assert_notes(dg, note);
  fx_free(&f);
}

/* Broken keys skip the checks across rows: a bad date is not also a gap or a coverage error. */
Test(tables, no_follow_on_errors) {
  Fx f;
  fx_init(&f, "vanaf,tot_en_met,waarde,status,bron\n2020-01-01,2020-06-30,1.00,stated,x\n2020-13-01,,2.00,stated,x\n");
  f.spec.has_from = true;
  f.spec.from = D(2019, 1, 1);
  const Diag *dg = load_one(&f, "E052", "invalid date '2020-13-01' in column 'vanaf': month 13 does not exist");
  assert_at(&f, dg, 3, 1, 10);
  fx_free(&f);
}

/* ---- rendering ---- */

static char *render(const Fx *f, const Diag *dg) {
  char *buf = NULL;
  size_t n = 0;
  FILE *m = open_memstream(&buf, &n);
  cr_assert_not_null(m);
  diag_render_one(&f->src, "error", dg->span, dg->msg, dg->code, dg->notes, m);
  fclose(m);
  return buf;
}

Test(tables, render_caret_under_cell) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\r\n2023-01-01,1.00,stated,x\r\n2023-07-01,274.444,stated,\"a, b\"\r\n");
  const Diag *dg = load_one(&f, "E052",
                            "invalid amount '274.444' in column 'waarde': more than 2 decimals (amounts are whole cents)");
  char *out = render(&f, dg);
  char want[512];
  snprintf(want, sizeof want,
           "%s:3:12: error: invalid amount '274.444' in column 'waarde': more than 2 decimals (amounts are whole "
           "cents) [E052]\n"
           "    3 | 2023-07-01,274.444,stated,\"a, b\"\n"
           "      |            ^~~~~~~\n",
           f.path);
  cr_assert_str_eq(out, want);
  free(out);
  fx_free(&f);
}

Test(tables, render_coverage_at_declaration) {
  Fx f;
  fx_init(&f, "vanaf,waarde,status,bron\n2020-01-01,1.00,stated,x\n");
  f.spec.has_from = true;
  f.spec.from = D(2019, 1, 1);
  const Diag *dg = load_one(&f, "E058", "table 'maxdagloon' does not cover 2019-01-01: its first row starts on 2020-01-01");
  char *out = render(&f, dg);
  char want[512];
  snprintf(want, sizeof want,
           "t.rules:1:7: error: table 'maxdagloon' does not cover 2019-01-01: its first row starts on 2020-01-01 "
           "[E058]\n"
           "    1 | tabel maxdagloon per datum: geld uit \"x.csv\"\n"
           "      |       ^~~~~~~~~~\n"
           "note: the first row is line 2 of '%s'\n",
           f.path);
  cr_assert_str_eq(out, want);
  free(out);
  fx_free(&f);
}
