/*
** The language queries of the language server (tools/lsp/features.h) over
** the fixture rule sets of tests/lsp/fixtures-xref/ (regels: two files, a
** table and a case file; fouten: one error of each kind with a fix;
** gebruiker: a set that uses regels). Every expected line and character is
** counted by hand from the fixture's text (lines and characters from 0),
** written beside the assertion. The last tests call every query at every
** byte of every rule file in rules/: no crash, JSON every time.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tools/lsp/casefiles.h"
#include "tools/lsp/features.h"
#include "tools/lsp/position.h"
#include "tools/lsp/xref.h"

#define FIX "tests/lsp/fixtures-xref/"

static Analysis A;
static bool built;

static void build(const char *set) {
  cr_assert(analysis_build(&A, set), "%s: %s", set, A.front.load_error);
  built = true;
}

static void teardown(void) {
  if (built) analysis_free(&A);
  built = false;
}

/* The index of a fixture file in the analysis. */
static uint32_t file_of(const char *path) {
  int f = analysis_file(&A, path);
  cr_assert(f >= 0, "%s is not in the analysis", path);
  return (uint32_t)f;
}

static uint32_t at(uint32_t file, uint32_t line, uint32_t ch) {
  const SourceFile *f = &A.front.src.files[file];
  return lsp_offset_of(f->text, f->len, line, ch);
}

/* The range of a location (or edit) as "l:c-l:c". */
static const char *range_text(const json_t *r) {
  static char buf[8][64];
  static int k;
  char *b = buf[k++ & 7];
  json_t *s = json_object_get(r, "start"), *e = json_object_get(r, "end");
  snprintf(b, 64, "%lld:%lld-%lld:%lld", json_integer_value(json_object_get(s, "line")),
           json_integer_value(json_object_get(s, "character")), json_integer_value(json_object_get(e, "line")),
           json_integer_value(json_object_get(e, "character")));
  return b;
}

/* Whether a location is in file `name` (the URI's end) at range `want`. */
static bool loc_is(const json_t *loc, const char *name, const char *want) {
  const char *uri = json_string_value(json_object_get(loc, "uri"));
  size_t n = strlen(name), u = uri ? strlen(uri) : 0;
  return uri && u >= n && strcmp(uri + u - n, name) == 0 && strcmp(range_text(json_object_get(loc, "range")), want) == 0;
}

static char *dump(const json_t *j) { return json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT); }

static const char *hover_text(const json_t *h) {
  return json_string_value(json_object_get(json_object_get(h, "contents"), "value"));
}

/* ---- definition and references ---- */

Test(lsp_features, definition_across_files_fields_locals_and_members, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules"), b = file_of(FIX "regels/b.rules");
  /* b.rules line 12 "    = min(afgerond(per_dag, ...": per_dag at 19..26 -> a.rules line 24 "regel per_dag", 6..13 */
  json_t *d = feat_definition(&A, b, at(b, 12, 20));
  cr_assert_eq(json_array_size(d), 1);
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "24:6-24:13"), "%s", dump(d));
  json_decref(d);
  /* a.rules line 22 "  = som(r.bedrag voor elke r in loon)": bedrag at 10 -> line 9 "  bedrag: geld", 2..8 */
  d = feat_definition(&A, a, at(a, 22, 10));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "9:2-9:8"), "%s", dump(d));
  json_decref(d);
  /* the r before '.', at 8 -> the variable after 'elke' at 27 */
  d = feat_definition(&A, a, at(a, 22, 8));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "22:27-22:28"), "%s", dump(d));
  json_decref(d);
  /* b.rules line 19 "  = soort = maand": maand at 12 -> a.rules line 5 "keuze Soort { maand, week }", 14..19 */
  d = feat_definition(&A, b, at(b, 19, 14));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "5:14-5:19"), "%s", dump(d));
  json_decref(d);
  /* b.rules line 10 "  peildatum peil": peil at 12 -> a.rules line 14 "  peil:  datum", 2..6 */
  d = feat_definition(&A, b, at(b, 10, 12));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "14:2-14:6"), "%s", dump(d));
  json_decref(d);
  /* a keyword has no definition */
  d = feat_definition(&A, b, at(b, 8, 2));
  cr_assert_eq(json_array_size(d), 0);
  json_decref(d);
}

Test(lsp_features, definition_of_a_table_is_its_declaration_and_csv_row, .fini = teardown) {
  build(FIX "regels");
  uint32_t b = file_of(FIX "regels/b.rules");
  /* line 15 "    = min(totaal, maximum(2020-06-01))": maximum at 18 -> line 3 "tabel maximum", 6..13, and the
     row in force on 2020-06-01: maximum.csv line 2 (from 0: 1), "2020-01-01,200.00,stated,https://example.org/max2020",
     10 + 1 + 6 + 1 + 6 + 1 + 27 = 52 characters */
  json_t *d = feat_definition(&A, b, at(b, 15, 18));
  cr_assert_eq(json_array_size(d), 2, "%s", dump(d));
  cr_assert(loc_is(json_array_get(d, 0), "regels/b.rules", "3:6-3:13"), "%s", dump(d));
  cr_assert(loc_is(json_array_get(d, 1), "regels/maximum.csv", "1:0-1:52"), "%s", dump(d));
  json_decref(d);
  /* maximum(peil) (line 12, at 61): no literal day, so the file's header line: "vanaf,waarde,status,bron", 24 */
  d = feat_definition(&A, b, at(b, 12, 62));
  cr_assert(loc_is(json_array_get(d, 1), "regels/maximum.csv", "0:0-0:24"), "%s", dump(d));
  json_decref(d);
  /* on the path of 'uit "maximum.csv"' (line 6, the string at 6..19): the CSV file */
  d = feat_definition(&A, b, at(b, 6, 10));
  cr_assert_eq(json_array_size(d), 1, "%s", dump(d));
  cr_assert(loc_is(json_array_get(d, 0), "regels/maximum.csv", "0:0-0:24"), "%s", dump(d));
  json_decref(d);
}

Test(lsp_features, references_with_and_without_the_declaration, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules");
  /* per_dag: declared a.rules 24:6-13, used in b.rules line 12 at 19..26 */
  json_t *r = feat_references(&A, a, at(a, 24, 8), true);
  cr_assert_eq(json_array_size(r), 2, "%s", dump(r));
  cr_assert(loc_is(json_array_get(r, 0), "regels/a.rules", "24:6-24:13"));
  cr_assert(loc_is(json_array_get(r, 1), "regels/b.rules", "12:19-12:26"));
  json_decref(r);
  r = feat_references(&A, a, at(a, 24, 8), false);
  cr_assert_eq(json_array_size(r), 1);
  json_decref(r);
  /* totaal: a.rules 20:6-12, a.rules line 26 "  = totaal / 261" at 4..10, b.rules line 15 at 10..16,
     c.rules line 9 "  = verdubbeld(totaal)" at 15..21 */
  r = feat_references(&A, a, at(a, 20, 6), true);
  cr_assert_eq(json_array_size(r), 4, "%s", dump(r));
  cr_assert(loc_is(json_array_get(r, 3), "regels/c.rules", "9:15-9:21"), "%s", dump(r));
  cr_assert(loc_is(json_array_get(r, 1), "regels/a.rules", "26:4-26:10"), "%s", dump(r));
  cr_assert(loc_is(json_array_get(r, 2), "regels/b.rules", "15:10-15:16"), "%s", dump(r));
  json_decref(r);
  /* the source DB: declared line 3 at 5..7, cited in a.rules line 21, b.rules lines 4, 9, 14, 18, c.rules lines 4, 8, 12 */
  r = feat_references(&A, a, at(a, 3, 5), true);
  cr_assert_eq(json_array_size(r), 9, "%s", dump(r));
  json_decref(r);
}

Test(lsp_features, parameters_calls_and_exceptions, .fini = teardown) {
  build(FIX "regels");
  uint32_t c = file_of(FIX "regels/c.rules");
  /* line 5 "  = bedrag_in * 2": the parameter at 4..13 -> line 3 "regel verdubbeld(bedrag_in: geld)", 17..26 */
  json_t *d = feat_definition(&A, c, at(c, 5, 6));
  cr_assert(loc_is(json_array_get(d, 0), "regels/c.rules", "3:17-3:26"), "%s", dump(d));
  json_decref(d);
  /* line 9 "  = verdubbeld(totaal)": the call at 4..14 -> line 3, 6..16 */
  d = feat_definition(&A, c, at(c, 9, 5));
  cr_assert(loc_is(json_array_get(d, 0), "regels/c.rules", "3:6-3:16"), "%s", dump(d));
  json_decref(d);
  /* line 11 "uitzondering niets_in_week op twee_keer": the rule at 30..39 -> line 7 "regel twee_keer", 6..15 */
  d = feat_definition(&A, c, at(c, 11, 31));
  cr_assert(loc_is(json_array_get(d, 0), "regels/c.rules", "7:6-7:15"), "%s", dump(d));
  json_decref(d);
  char err[256];
  cr_assert_null(feat_rename(&A, c, at(c, 5, 6), "b", err, sizeof err));
  cr_assert(strstr(err, "only a rule or a field"), "%s", err);
  json_t *h = feat_hover(&A, c, at(c, 7, 7), NULL);
  cr_assert(strstr(hover_text(h), "Exceptions: `niets_in_week`"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, c, at(c, 3, 7), NULL);
  cr_assert(strstr(hover_text(h), "regel verdubbeld(bedrag_in: geld): geld"), "%s", hover_text(h));
  json_decref(h);
  /* the outline: the exception below its rule */
  json_t *s = feat_document_symbols(&A, c);
  cr_assert_eq(json_array_size(s), 3, "%s", dump(s));
  json_t *kids = json_object_get(json_array_get(s, 2), "children");
  cr_assert_eq(json_array_size(kids), 1, "%s", dump(s));
  cr_assert_str_eq(json_string_value(json_object_get(json_array_get(kids, 0), "name")), "niets_in_week");
  cr_assert_eq(json_integer_value(json_object_get(json_array_get(kids, 0), "kind")), 24);   /* Event */
  json_decref(s);
}

Test(lsp_features, definition_into_the_base_of_a_proposal, .fini = teardown) {
  build("rules/voorstellen/twaalf_maanden_loon");
  uint32_t v = file_of("rules/voorstellen/twaalf_maanden_loon/wijziging.rules");
  /* line 6 "  bron DB art 17 lid 1": DB at 7..9 -> rules/wia/bronnen.rules line 8 "bron DB   = ...", 5..7 */
  json_t *d = feat_definition(&A, v, at(v, 6, 8));
  cr_assert(loc_is(json_array_get(d, 0), "rules/wia/bronnen.rules", "8:5-8:7"), "%s", dump(d));
  json_decref(d);
}

Test(lsp_features, definition_into_a_used_set, .fini = teardown) {
  build(FIX "gebruiker");
  uint32_t g = file_of(FIX "gebruiker/g.rules");
  /* g.rules line 6 "  = basis.dagloon": the name at 4..17 -> regels/b.rules line 8 "regel dagloon", 6..13 */
  json_t *d = feat_definition(&A, g, at(g, 6, 12));
  cr_assert(loc_is(json_array_get(d, 0), "regels/b.rules", "8:6-8:13"), "%s", dump(d));
  json_decref(d);
  /* line 0 'gebruik "../regels" als basis met dossier': the path -> the set's first file, regels/a.rules */
  d = feat_definition(&A, g, at(g, 0, 12));
  cr_assert_eq(json_array_size(d), 1, "%s", dump(d));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "0:0-0:0"), "%s", dump(d));
  json_decref(d);
  /* line 3 "  dossier: basis.Dossier": the type -> regels/a.rules line 12 "invoer Dossier", 7..14 */
  d = feat_definition(&A, g, at(g, 2, 18));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "12:7-12:14"), "%s", dump(d));
  json_decref(d);
}

Test(lsp_features, case_file_keys_lead_to_their_declarations, .fini = teardown) {
  build(FIX "regels");
  FILE *f = fopen(FIX "tests/cases/regels/een.case", "rb");
  cr_assert_not_null(f);
  char text[4096];
  uint32_t n = (uint32_t)fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  /* line 6 "  peil: 2021-03-01" (an invoer field) -> a.rules 14:2-6 */
  json_t *d = feat_case_definition(&A, text, n, lsp_offset_of(text, n, 6, 3));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "14:2-14:6"), "%s", dump(d));
  json_decref(d);
  /* line 9 "    - {maand: 2020-01-01, ...": maand at 7, a field of a line of loon -> Loonregel's, a.rules 8:2-7 */
  d = feat_case_definition(&A, text, n, lsp_offset_of(text, n, 9, 8));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "8:2-8:7"), "%s", dump(d));
  json_decref(d);
  /* line 11 "  totaal: ..." under verwacht -> the rule, a.rules 20:6-12 */
  d = feat_case_definition(&A, text, n, lsp_offset_of(text, n, 11, 2));
  cr_assert(loc_is(json_array_get(d, 0), "regels/a.rules", "20:6-20:12"), "%s", dump(d));
  json_decref(d);
  /* the value 'maand' on line 7 is no key */
  d = feat_case_definition(&A, text, n, lsp_offset_of(text, n, 7, 10));
  cr_assert_eq(json_array_size(d), 0, "%s", dump(d));
  json_decref(d);
}

/* ---- rename ---- */

/* The edits of a WorkspaceEdit for a file whose URI ends in name, as "l:c-l:c=text;..." in order. */
static const char *edits_of(const json_t *we, const char *name) {
  static char buf[1024];
  buf[0] = 0;
  const char *uri;
  json_t *edits;
  json_object_foreach(json_object_get(we, "changes"), uri, edits) {
    size_t n = strlen(name), u = strlen(uri);
    if (u < n || strcmp(uri + u - n, name) != 0) continue;
    size_t i;
    json_t *e;
    json_array_foreach(edits, i, e) {
      size_t len = strlen(buf);
      snprintf(buf + len, sizeof buf - len, "%s=%s;", range_text(json_object_get(e, "range")),
               json_string_value(json_object_get(e, "newText")));
    }
  }
  return buf;
}

Test(lsp_features, rename_an_invoer_field_everywhere_and_in_the_case_file, .fini = teardown) {
  build(FIX "regels");
  uint32_t b = file_of(FIX "regels/b.rules");
  char err[256] = "";
  json_t *p = feat_prepare_rename(&A, b, at(b, 10, 13));
  cr_assert_str_eq(range_text(json_object_get(p, "range")), "10:12-10:16");
  cr_assert_str_eq(json_string_value(json_object_get(p, "placeholder")), "peil");
  json_decref(p);
  json_t *we = feat_rename(&A, b, at(b, 10, 13), "peildag", err, sizeof err);
  cr_assert_not_null(we, "%s", err);
  cr_assert_eq(json_object_size(json_object_get(we, "changes")), 3, "%s", dump(we));
  cr_assert_str_eq(edits_of(we, "regels/a.rules"), "14:2-14:6=peildag;");
  /* 'peildatum peil' at 12, and maximum(peil) on line 12 at 69 (counted: "    = min(afgerond(per_dag, op: cent, methode: rekenkundig), maximum(") */
  cr_assert_str_eq(edits_of(we, "regels/b.rules"), "10:12-10:16=peildag;12:69-12:73=peildag;");
  cr_assert_str_eq(edits_of(we, "regels/een.case"), "6:2-6:6=peildag;");
  json_decref(we);
}

Test(lsp_features, rename_a_rule_and_a_record_field, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules");
  char err[256] = "";
  json_t *we = feat_rename(&A, a, at(a, 20, 7), "som_loon", err, sizeof err);
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "regels/a.rules"), "20:6-20:12=som_loon;26:4-26:10=som_loon;");
  cr_assert_str_eq(edits_of(we, "regels/b.rules"), "15:10-15:16=som_loon;");
  cr_assert_str_eq(edits_of(we, "regels/c.rules"), "9:15-9:21=som_loon;");
  cr_assert_str_eq(edits_of(we, "regels/een.case"), "11:2-11:8=som_loon;");   /* under verwacht */
  json_decref(we);
  /* Loonregel.bedrag: the declaration, r.bedrag, and the key inside the case's line of loon (line 9 at 26) */
  we = feat_rename(&A, a, at(a, 9, 3), "brutoloon", err, sizeof err);
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "regels/a.rules"), "9:2-9:8=brutoloon;22:10-22:16=brutoloon;");
  cr_assert_str_eq(edits_of(we, "regels/een.case"), "9:26-9:32=brutoloon;");
  json_decref(we);
}

/* tests/lsp/fixtures-xref/uitkering/u.rules, line 16: 'uitkering per_maand per maand duur maanden daarna
   maandloon' -- the benefit's columns are occurrences of their rule or input field, so a rename reaches them */
Test(lsp_features, rename_reaches_the_benefit_declaration, .fini = teardown) {
  build(FIX "uitkering");
  uint32_t u = file_of(FIX "uitkering/u.rules");
  char err[256] = "";
  json_t *we = feat_rename(&A, u, at(u, 11, 8), "looptijd", err, sizeof err);   /* regel maanden */
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "uitkering/u.rules"), "11:6-11:13=looptijd;14:25-14:32=looptijd;16:35-16:42=looptijd;");
  json_decref(we);
  we = feat_rename(&A, u, at(u, 16, 12), "bedrag", err, sizeof err);   /* from the declaration: regel per_maand */
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "uitkering/u.rules"), "8:6-8:15=bedrag;14:14-14:23=bedrag;16:10-16:19=bedrag;");
  json_decref(we);
  we = feat_rename(&A, u, at(u, 5, 3), "loon", err, sizeof err);   /* the invoer field maandloon, 'daarna' */
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "uitkering/u.rules"), "5:2-5:11=loon;9:4-9:13=loon;14:34-14:43=loon;16:50-16:59=loon;");
  json_decref(we);
}

Test(lsp_features, the_benefit_declaration_is_a_document_symbol, .fini = teardown) {
  build(FIX "uitkering");
  uint32_t u = file_of(FIX "uitkering/u.rules");
  json_t *s = feat_document_symbols(&A, u);
  cr_assert_eq(json_array_size(s), 6, "%s", dump(s));   /* module, invoer, two rules, uitvoer, uitkering */
  json_t *b = json_array_get(s, 5);
  cr_assert_str_eq(json_string_value(json_object_get(b, "name")), "per_maand");
  cr_assert_str_eq(json_string_value(json_object_get(b, "detail")), "per maand duur maanden daarna maandloon");
  cr_assert_eq(json_integer_value(json_object_get(b, "kind")), 20);   /* Key */
  cr_assert_str_eq(range_text(json_object_get(b, "selectionRange")), "16:10-16:19");
  json_t *kids = json_object_get(b, "children");
  cr_assert_eq(json_array_size(kids), 2);
  cr_assert_str_eq(range_text(json_object_get(json_array_get(kids, 0), "selectionRange")), "16:35-16:42");
  cr_assert_str_eq(range_text(json_object_get(json_array_get(kids, 1), "selectionRange")), "16:50-16:59");
  json_decref(s);
}

Test(lsp_features, rename_refuses_collisions_keywords_and_other_sets, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules"), b = file_of(FIX "regels/b.rules");
  char err[256];
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "totaal", err, sizeof err));
  cr_assert(strstr(err, "'totaal' is already a rule"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "peil", err, sizeof err));   /* an invoer field */
  cr_assert(strstr(err, "invoer field"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "r", err, sizeof err));      /* the variable in totaal */
  cr_assert(strstr(err, "variable"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "als", err, sizeof err));
  cr_assert(strstr(err, "not a name"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "source", err, sizeof err)); /* an English keyword */
  cr_assert(strstr(err, "not a name"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "9x", err, sizeof err));
  cr_assert_null(feat_rename(&A, a, at(a, 24, 8), "som", err, sizeof err));
  cr_assert(strstr(err, "built-in function"), "%s", err);
  cr_assert_null(feat_rename(&A, a, at(a, 9, 3), "maand", err, sizeof err));  /* Loonregel has maand */
  cr_assert(strstr(err, "field of the same record"), "%s", err);
  /* a table is not renamed; nor is a keyword */
  cr_assert_null(feat_rename(&A, b, at(b, 3, 7), "hoogste", err, sizeof err));
  cr_assert(strstr(err, "only a rule or a field"), "%s", err);
  json_t *p = feat_prepare_rename(&A, b, at(b, 3, 7));
  cr_assert(json_is_null(p));
  json_decref(p);
  p = feat_prepare_rename(&A, b, at(b, 8, 1));
  cr_assert(json_is_null(p));
  json_decref(p);
}

Test(lsp_features, rename_refuses_a_name_of_a_used_set, .fini = teardown) {
  build(FIX "gebruiker");
  uint32_t g = file_of(FIX "gebruiker/g.rules");
  char err[256];
  cr_assert_null(feat_rename(&A, g, at(g, 6, 12), "x", err, sizeof err));
  cr_assert(strstr(err, "another rule set"), "%s", err);
  json_t *p = feat_prepare_rename(&A, g, at(g, 6, 12));
  cr_assert(json_is_null(p));
  json_decref(p);
  /* its own rule is renamed: line 4 "regel uitkomst", 6..14, and 'uitvoer { uitkomst }' on line 7 at 10 */
  json_t *we = feat_rename(&A, g, at(g, 4, 7), "uitkering", err, sizeof err);
  cr_assert_not_null(we, "%s", err);
  cr_assert_str_eq(edits_of(we, "gebruiker/g.rules"), "4:6-4:14=uitkering;7:10-7:18=uitkering;");
  json_decref(we);
}

/* ---- hover ---- */

Test(lsp_features, hover_a_rule_links_its_sources_versions_and_keuze, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules"), b = file_of(FIX "regels/b.rules");
  json_t *h = feat_hover(&A, b, at(b, 15, 12), NULL);   /* totaal in b.rules line 15 */
  const char *t = hover_text(h);
  cr_assert(t && strstr(t, "regel totaal: geld"), "%s", t);
  cr_assert(strstr(t, "[DB art 16 lid 1](https://wetten.overheid.nl/jci1.3:c:BWBR0033471&artikel=16&lid=1)"), "%s", t);
  cr_assert(strstr(t, "Dagloonbesluit werknemersverzekeringen"), "%s", t);
  cr_assert(strstr(t, "KEUZE `fixture-totaal`"), "%s", t);
  cr_assert_str_eq(range_text(json_object_get(h, "range")), "15:10-15:16");
  json_decref(h);
  h = feat_hover(&A, a, at(a, 24, 7), NULL);
  t = hover_text(h);
  cr_assert(strstr(t, "regel per_dag: getal"), "%s", t);
  cr_assert(strstr(t, "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:CRVB:2024:1523"), "%s", t);
  cr_assert_null(strstr(t, "KEUZE"), "%s", t);   /* the comment above totaal is not per_dag's */
  json_decref(h);
  h = feat_hover(&A, b, at(b, 8, 7), NULL);
  t = hover_text(h);
  cr_assert(strstr(t, "versie geldig vanaf 2021-01-01"), "%s", t);
  cr_assert(strstr(t, "versie geldig t/m 2020-12-31"), "%s", t);
  cr_assert(strstr(t, "(https://wetten.overheid.nl/jci1.3:c:BWBR0033471&artikel=27e&lid=1)"), "%s", t);
  json_decref(h);
}

Test(lsp_features, hover_a_table_shows_the_row_in_force, .fini = teardown) {
  build(FIX "regels");
  uint32_t b = file_of(FIX "regels/b.rules");
  /* maximum(peil): no setting, so the first case's day: een.case gives peil 2021-03-01 (the rules' peildatum),
     in force from 2021-01-01: 210.50, derived, "Regeling 2021", maximum.csv line 3 */
  LspSettings none = {""};
  json_t *h = feat_hover(&A, b, at(b, 12, 62), &none);
  const char *t = hover_text(h);
  cr_assert(t && strstr(t, "tabel maximum: geld per datum"), "%s", t);
  cr_assert(strstr(t, "2021-03-01"), "%s", t);
  cr_assert(strstr(t, "een.case, peil"), "%s", t);
  cr_assert(strstr(t, "| 2021-01-01 | 210.50 | derived | Regeling 2021 |"), "%s", t);
  cr_assert(strstr(t, "maximum.csv:3"), "%s", t);
  json_decref(h);
  /* the setting wins: 2020-05-05 is in the row of 2020-01-01 (200.00, stated, its source a link) */
  LspSettings s = {"2020-05-05"};
  h = feat_hover(&A, b, at(b, 12, 62), &s);
  t = hover_text(h);
  cr_assert(strstr(t, "the setting dagloon.datum"), "%s", t);
  cr_assert(strstr(t, "| 2020-01-01 | 200.00 | stated | [https://example.org/max2020](https://example.org/max2020) |"), "%s", t);
  json_decref(h);
  /* a literal day in the lookup is the day */
  h = feat_hover(&A, b, at(b, 15, 18), &none);
  t = hover_text(h);
  cr_assert(strstr(t, "for this lookup"), "%s", t);
  cr_assert(strstr(t, "| 2020-01-01 | 200.00 | stated |"), "%s", t);
  json_decref(h);
}

Test(lsp_features, hover_fields_choices_and_sources, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules"), b = file_of(FIX "regels/b.rules");
  json_t *h = feat_hover(&A, b, at(b, 19, 5), NULL);   /* soort */
  cr_assert(strstr(hover_text(h), "soort: Soort"), "%s", hover_text(h));
  cr_assert(strstr(hover_text(h), "invoer `Dossier`"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, b, at(b, 19, 13), NULL);          /* maand, a choice */
  cr_assert(strstr(hover_text(h), "Soort.maand"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, a, at(a, 15, 10), NULL);          /* the type Soort of the field soort */
  cr_assert(strstr(hover_text(h), "keuze Soort { maand, week }"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, b, at(b, 4, 7), NULL);            /* 'bron DB art 17' */
  cr_assert(strstr(hover_text(h), "[DB art 17](https://wetten.overheid.nl/jci1.3:c:BWBR0033471&artikel=17)"), "%s",
            hover_text(h));
  json_decref(h);
  h = feat_hover(&A, a, at(a, 3, 5), NULL);            /* the declaration of DB: the regulation without an article */
  cr_assert(strstr(hover_text(h), "https://wetten.overheid.nl/BWBR0033471/"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, a, at(a, 22, 27), NULL);          /* r: a line of loon */
  cr_assert(strstr(hover_text(h), "r: Loonregel"), "%s", hover_text(h));
  json_decref(h);
  h = feat_hover(&A, a, at(a, 0, 1), NULL);            /* 'taal' */
  cr_assert(json_is_null(h));
  json_decref(h);
}

/* ---- completion ---- */

static bool has_item(const json_t *items, const char *label) {
  size_t i;
  json_t *it;
  json_array_foreach(items, i, it) if (strcmp(json_string_value(json_object_get(it, "label")), label) == 0) return true;
  return false;
}

Test(lsp_features, completion_after_a_dot_offers_the_fields_of_the_record, .fini = teardown) {
  build(FIX "regels");
  uint32_t a = file_of(FIX "regels/a.rules");
  const SourceFile *f = &A.front.src.files[a];
  /* line 22: right after "r." (at 10): r runs over loon, a lijst Loonregel: maand and bedrag, nothing else */
  json_t *c = feat_completion(&A, f->name, f->text, f->len, at(a, 22, 10));
  cr_assert_eq(json_array_size(c), 2, "%s", dump(c));
  cr_assert(has_item(c, "maand") && has_item(c, "bedrag"));
  json_decref(c);
  /* Soort. -> its choices */
  const char *t = "regel s: waarheid\n  = soort = Soort.";
  c = feat_completion(&A, "x.rules", t, (uint32_t)strlen(t), (uint32_t)strlen(t));
  cr_assert_eq(json_array_size(c), 2, "%s", dump(c));
  cr_assert(has_item(c, "maand") && has_item(c, "week"));
  json_decref(c);
}

Test(lsp_features, completion_while_the_text_does_not_parse, .fini = teardown) {
  build(FIX "regels");
  /* an English file being typed: names of the last analysis, English keywords only */
  const char *t = "language en\nrule x: money\n  = tot";
  uint32_t n = (uint32_t)strlen(t);
  json_t *c = feat_completion(&A, "x.rules", t, n, n);
  cr_assert(has_item(c, "totaal"), "%s", dump(c));
  cr_assert(!has_item(c, "tot_en_met"), "%s", dump(c));   /* the Dutch keyword */
  json_decref(c);
  const char *t2 = "language en\nrule x: money\n  = ";
  c = feat_completion(&A, "x.rules", t2, (uint32_t)strlen(t2), (uint32_t)strlen(t2));
  cr_assert(has_item(c, "if") && has_item(c, "rounded") && has_item(c, "maximum") && has_item(c, "per_dag"), "%s", dump(c));
  cr_assert(!has_item(c, "als") && !has_item(c, "afgerond"));
  json_decref(c);
  /* no analysis at all: keywords, built-ins and what the text declares */
  const char *t3 = "regel nieuw: geld\n  = 1\nregel b: geld\n  = ";
  c = feat_completion(NULL, "x.rules", t3, (uint32_t)strlen(t3), (uint32_t)strlen(t3));
  cr_assert(has_item(c, "als") && has_item(c, "afgerond") && has_item(c, "nieuw"), "%s", dump(c));
  cr_assert(!has_item(c, "totaal"));
  json_decref(c);
  /* the parameters of the rule being written */
  const char *t5 = "regel f(aantal_dagen: geheel, d: datum): geheel\n  = aan";
  c = feat_completion(&A, "x.rules", t5, (uint32_t)strlen(t5), (uint32_t)strlen(t5));
  cr_assert(has_item(c, "aantal_dagen") && has_item(c, "aantal"), "%s", dump(c));
  json_decref(c);
  const char *t6 = "regel f(aantal_dagen: geheel): geheel\n  = 1\ntabel t: geld per datum\n  uit \"x.csv\"\nregel g: geld = aan";
  c = feat_completion(&A, "x.rules", t6, (uint32_t)strlen(t6), (uint32_t)strlen(t6));
  cr_assert(!has_item(c, "aantal_dagen"), "%s", dump(c));   /* another rule's parameter */
  json_decref(c);
  /* in a comment or a string: nothing */
  const char *t4 = "regel x: geld -- tot";
  c = feat_completion(&A, "x.rules", t4, (uint32_t)strlen(t4), (uint32_t)strlen(t4));
  cr_assert_eq(json_array_size(c), 0);
  json_decref(c);
}

/* ---- code actions ---- */

/* The actions at line:ch of fouten/f.rules as "title|range|newText|code" per action. */
static const char *actions_at(uint32_t line, uint32_t ch) {
  static char buf[2048];
  uint32_t f = file_of(FIX "fouten/f.rules");
  json_t *acts = feat_code_actions(&A, f, at(f, line, ch), 0);
  buf[0] = 0;
  size_t i;
  json_t *act;
  json_array_foreach(acts, i, act) {
    cr_assert_str_eq(json_string_value(json_object_get(act, "kind")), "quickfix");
    const char *uri;
    json_t *edits, *e = NULL;
    json_object_foreach(json_object_get(json_object_get(act, "edit"), "changes"), uri, edits) e = json_array_get(edits, 0);
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s|%s|%s|%s\n", json_string_value(json_object_get(act, "title")),
             range_text(json_object_get(e, "range")), json_string_value(json_object_get(e, "newText")),
             json_string_value(json_object_get(json_array_get(json_object_get(act, "diagnostics"), 0), "code")));
  }
  json_decref(acts);
  return buf;
}

Test(lsp_features, code_actions_carry_the_checker_fixes, .fini = teardown) {
  build(FIX "fouten");
  /* line 12 "  = loonn": E012 at 4..9, did you mean 'loon' */
  cr_assert_str_eq(actions_at(12, 6), "Change to 'loon'|12:4-12:9|loon|E012\n");
  /* line 7 "  = loon * 1.5": E016 over the value at 4..14 */
  cr_assert_str_eq(actions_at(7, 4),
                   "Round it: afgerond(loon * 1.5, op: cent, methode: rekenkundig)|7:4-7:14|afgerond(loon * 1.5, op: cent, methode: "
                   "rekenkundig)|E016\n");
  /* line 10 "  = begin + maanden(1)": E060 over 4..22, one action per month-end behaviour */
  cr_assert_str_eq(actions_at(10, 10), "At the end of the month: afkappen|10:4-10:22|plus(begin, maanden(1), maandeinde: afkappen)|E060\n"
                                       "At the end of the month: doorlopen|10:4-10:22|plus(begin, maanden(1), maandeinde: doorlopen)|E060\n");
  /* line 11 "regel z: geld": E097 at the name (6); the placeholder goes after the type, at 13 */
  cr_assert_str_eq(actions_at(11, 6), "Add a 'bron' placeholder|11:13-11:13|\n  bron \"TODO: regeling art ... lid ...\"|E097\n");
  /* nothing to fix on line 1 */
  cr_assert_str_eq(actions_at(1, 2), "");
}

Test(lsp_features, the_bron_placeholder_makes_the_rule_set_law_again) {
  /* the E097 fix applied to the text: the set checks without errors but the others */
  const char *text = "strikt\ninvoer D {\n  x: geld\n}\nregel z: geld\n  = x\n";
  Front f;
  front_init(&f);
  front_compile_text(&f, "z.rules", text, strlen(text), FRONT_CHECK);
  cr_assert_eq(f.diags.n, 1);
  Diag *d = &f.diags.items[0];
  cr_assert_str_eq(d->code, "E097");
  cr_assert_eq(d->nfixes, 1);
  char fixed[256];
  uint32_t o = d->fixes[0].span.off;
  snprintf(fixed, sizeof fixed, "%.*s%s%s", (int)o, text, d->fixes[0].text, text + o);
  front_free(&f);
  front_init(&f);
  front_compile_text(&f, "z.rules", fixed, strlen(fixed), FRONT_CHECK);
  cr_assert_eq(f.diags.nerrors, 0, "%s", fixed);
  front_free(&f);
}

/* ---- outline and semantic tokens ---- */

Test(lsp_features, document_symbols_nest_versions_under_their_rule, .fini = teardown) {
  build(FIX "regels");
  uint32_t b = file_of(FIX "regels/b.rules");
  json_t *s = feat_document_symbols(&A, b);
  const char *names[] = {"fixture.b", "maximum", "dagloon", "is_maand", "uitvoer"};
  cr_assert_eq(json_array_size(s), 5, "%s", dump(s));
  for (size_t i = 0; i < 5; i++)
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(s, i), "name")), names[i]);
  json_t *dagloon = json_array_get(s, 2), *kids = json_object_get(dagloon, "children");
  cr_assert_eq(json_integer_value(json_object_get(dagloon, "kind")), 12);   /* Function */
  cr_assert_str_eq(range_text(json_object_get(dagloon, "selectionRange")), "8:6-8:13");
  cr_assert_eq(json_array_size(kids), 2);
  cr_assert_str_eq(json_string_value(json_object_get(json_array_get(kids, 0), "name")), "versie geldig vanaf 2021-01-01");
  cr_assert_str_eq(json_string_value(json_object_get(json_array_get(kids, 1), "name")), "versie geldig t/m 2020-12-31");
  cr_assert_str_eq(json_string_value(json_object_get(json_array_get(s, 1), "detail")), "maximum.csv");
  json_decref(s);
  uint32_t a = file_of(FIX "regels/a.rules");
  s = feat_document_symbols(&A, a);
  /* module, bron DB, keuze Soort (2 members), gegevens Loonregel (2 fields), invoer Dossier (4 fields), 2 rules */
  cr_assert_eq(json_array_size(s), 7, "%s", dump(s));
  cr_assert_eq(json_array_size(json_object_get(json_array_get(s, 4), "children")), 4);
  json_decref(s);
}

Test(lsp_features, semantic_tokens_classify_the_lexer_tokens, .fini = teardown) {
  build(FIX "regels");
  json_t *legend = feat_semantic_legend();
  cr_assert_str_eq(json_string_value(json_array_get(json_object_get(legend, "tokenTypes"), 0)), "keyword");
  cr_assert_str_eq(json_string_value(json_array_get(json_object_get(legend, "tokenTypes"), 12)), "lawSource");
  json_decref(legend);
  uint32_t a = file_of(FIX "regels/a.rules");
  json_t *t = feat_semantic_tokens(&A, a);
  json_t *d = json_object_get(t, "data");
  /* 'taal' (0:0, 4, keyword), 'module' (1:0, 6), 'bron' (3:0, 4), 'DB' declared (3:5, 2, lawSource, declaration),
     the string (3:10, 40 characters), then 'keuze' (5:0, 5), 'Soort' declared (5:6, 5, type) */
  long long want[] = {0, 0, 4, 0, 0, 1, 0, 6, 0, 0, 2, 0, 4, 0, 0, 0, 5, 2, 12, 1, 0, 5, 40, 7, 0, 2, 0, 5, 0, 0, 0, 6, 5, 3, 1};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    cr_assert_eq(json_integer_value(json_array_get(d, i)), want[i], "data[%zu] in %s", i, dump(d));
  /* the comment of line 19, "-- KEUZE [fixture-totaal]: alles opgeteld" (41 characters), is a comment token */
  bool comment = false;
  for (size_t i = 0, line = 0; i + 4 < json_array_size(d); i += 5) {
    line += (size_t)json_integer_value(json_array_get(d, i));
    if (line == 19 && json_integer_value(json_array_get(d, i + 3)) == 9 && json_integer_value(json_array_get(d, i + 2)) == 41)
      comment = true;
  }
  cr_assert(comment, "%s", dump(d));
  json_decref(t);
}

/* ---- every query at every byte of every rule file in rules/ ---- */

static void json_ok(json_t *j, const char *what, const char *file, uint32_t off) {
  cr_assert_not_null(j, "%s at %s:%u", what, file, off);
  char *s = dump(j);
  cr_assert_not_null(s, "%s at %s:%u is not JSON", what, file, off);
  free(s);
  json_decref(j);
}

static void every_offset(const char *set) {
  Analysis a;
  analysis_build(&a, set);
  LspSettings s = {""};
  for (uint32_t f = 0; f < a.front.src.n; f++) {
    const SourceFile *sf = &a.front.src.files[f];
    size_t n = strlen(sf->name);
    if (n < 6 || strcmp(sf->name + n - 6, ".rules") != 0 || strncmp(sf->name, set, strlen(set)) != 0) continue;
    json_ok(feat_document_symbols(&a, f), "symbols", sf->name, 0);
    json_ok(feat_semantic_tokens(&a, f), "tokens", sf->name, 0);
    for (uint32_t off = 0; off <= sf->len; off++) {
      json_ok(feat_hover(&a, f, off, &s), "hover", sf->name, off);
      json_ok(feat_definition(&a, f, off), "definition", sf->name, off);
      json_ok(feat_references(&a, f, off, true), "references", sf->name, off);
      json_ok(feat_prepare_rename(&a, f, off), "prepareRename", sf->name, off);
      json_ok(feat_code_actions(&a, f, off, 0), "codeAction", sf->name, off);
      /* completion reads the whole text each time: every 16th byte and every byte after a '.' */
      if (off % 16 == 0 || (off > 0 && sf->text[off - 1] == '.'))
        json_ok(feat_completion(&a, sf->name, sf->text, sf->len, off), "completion", sf->name, off);
    }
    /* rename at every declaration of the file (a rename reads the case files: not at every byte) */
    for (uint32_t i = 0; i < a.xref->noccs; i++) {
      const XOcc *o = &a.xref->occs[i];
      if (!o->decl || o->span.file != f) continue;
      char err[256] = "";
      json_t *we = feat_rename(&a, f, o->span.off, "nieuwe_naam", err, sizeof err);
      if (we) json_ok(we, "rename", sf->name, o->span.off);
      else cr_assert(err[0], "rename without a reason at %s:%u", sf->name, o->span.off);
    }
  }
  analysis_free(&a);
}

/* One test per rule set of rules/ (the folders with .rules files, proposals one level down), so they run in parallel. */
Test(lsp_every_offset, wia) { every_offset("rules/wia"); }
Test(lsp_every_offset, ww) { every_offset("rules/ww"); }
Test(lsp_every_offset, zw) { every_offset("rules/zw"); }
Test(lsp_every_offset, herstel) { every_offset("rules/herstel"); }
Test(lsp_every_offset, wia_uitkering) { every_offset("rules/wia_uitkering"); }
Test(lsp_every_offset, kalender) { every_offset("rules/kalender"); }
Test(lsp_every_offset, voorbeeld) { every_offset("rules/voorbeeld"); }
Test(lsp_every_offset, bench) { every_offset("rules/bench"); }
Test(lsp_every_offset, voorstellen) {
  every_offset("rules/voorstellen/een_referteperiode");
  every_offset("rules/voorstellen/loonloze_maanden_bij_wet");
  every_offset("rules/voorstellen/twaalf_maanden_loon");
  every_offset("rules/voorstellen/een_referteperiode/in_euros");
  every_offset("rules/voorstellen/loonloze_maanden_bij_wet/in_euros");
  every_offset("rules/voorstellen/twaalf_maanden_loon/in_euros");
}

/* The set of folders above is every rule set in rules/: a new one must be added here. */
Test(lsp_every_offset, covers_every_rule_set) {
  const char *known[] = {"wia", "ww", "zw", "herstel", "wia_uitkering", "kalender", "voorbeeld", "bench", "voorstellen", "tables"};
  DIR *d = opendir("rules");
  cr_assert_not_null(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.' || strchr(e->d_name, '.')) continue;
    bool found = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) found = found || strcmp(known[i], e->d_name) == 0;
    cr_assert(found, "rules/%s is not covered by lsp_every_offset", e->d_name);
  }
  closedir(d);
}

Test(lsp_features, a_fifo_case_file_is_skipped) {
  alarm(20);   /* a hang on the FIFO ends the test as a crash (not .timeout: Criterion leaks with several timed tests) */
  char dir[] = "/tmp/dagloon-cases-XXXXXX", cmd[1024], root[256];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s/rules/s %s/tests/cases/s && mkfifo %s/tests/cases/s/a.case && echo 'rekendatum: 2024-01-31' > %s/tests/cases/s/b.case",
           dir, dir, dir, dir);
  cr_assert_eq(system(cmd), 0);
  snprintf(root, sizeof root, "%s/rules/s", dir);
  CaseFiles cf;
  casefiles_find(&cf, root);   /* would block on the FIFO if it were opened for reading as a file */
  cr_assert_eq(cf.n, 1);
  char day[11], from[128];
  cr_assert(casefiles_date(&cf, NULL, 0, day, from, sizeof from));
  cr_assert_str_eq(day, "2024-01-31");
  cr_assert_str_eq(from, "b.case, rekendatum");
  casefiles_free(&cf);
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  cr_assert_eq(system(cmd), 0);
}
