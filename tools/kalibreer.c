/*
** kalibreer.c: the command dagloon kalibreer POP --doel TARGETS (kalibreer.h).
**
** Two passes over POP (JSON Lines), so that memory holds only a category
** per dimension and a weight per dossier: the first finds each dossier's
** category in every dimension of the targets (a dossier without one, or
** that already has the weight field, is an error row); then the weights
** are raked (kalib_rake.h) from 1 each and rounded to 4 decimals; the
** second pass copies every good line with the weight added. Next to OUT,
** OUT.herkomst.json says where the weights came from (compare reads it).
*/
#include "tools/kalibreer.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime/csv.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "tools/cli.h"
#include "tools/kalib_rake.h"
#include "tools/kalib_targets.h"
#include "tools/outfile.h"
#include "tools/receipt.h"
#include "tools/version.h"

#define OUT_PLACES 4   /* the final weights: 4 decimals, rounded half up */

typedef struct Kalib {
  const char *pop, *doel, *field;
  KalibTargets t;
  uint32_t *target_of;   /* rows with a total: index into t.rows, in raking order */
  size_t ntargets;
  uint32_t *cat;         /* per good dossier, ndims raking target indices */
  size_t n, cap;         /* good dossiers */
  uint64_t records, errors;
  FILE *err;             /* error rows: CSV (--errors) or NULL: standard error */
} Kalib;

static void csv_cell(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void error_row(Kalib *k, uint64_t line, const char *id, const char *reason) {
  k->errors++;
  if (k->err) {
    fprintf(k->err, "%" PRIu64 ",%" PRIu64 ",", k->records, line);
    csv_cell(k->err, id ? id : "");
    fputc(',', k->err);
    csv_cell(k->err, reason);
    fputc('\n', k->err);
  } else {
    fprintf(stderr, _("dagloon kalibreer: %s:%" PRIu64 ": dossier %s: %s\n"), k->pop, line, id ? id : "-", reason);
  }
}

/* The text of a field as a category: a string, a whole number or true/false; NULL otherwise. */
static const char *category_text(json_t *v, char *buf, size_t cap) {
  if (json_is_string(v)) return json_string_value(v);
  if (json_is_integer(v)) return snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), buf;
  if (json_is_boolean(v)) return json_is_true(v) ? "true" : "false";
  return NULL;
}

/* One line of POP: its categories appended (true), or an error row (false). */
static bool classify(Kalib *k, const char *text, uint64_t line) {
  json_error_t je;
  json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
  char why[512];
  if (!json_is_object(o)) {
    snprintf(why, sizeof why, _("not a JSON object: %s"), o ? _("another JSON value") : je.text);
    error_row(k, line, NULL, why);
    json_decref(o);
    return false;
  }
  const char *id = json_string_value(json_object_get(o, "id"));
  if (json_object_get(o, k->field)) {
    snprintf(why, sizeof why, _("already has a field '%s' (the weight kalibreer writes; choose another with --gewicht)"), k->field);
    error_row(k, line, id, why);
    json_decref(o);
    return false;
  }
  size_t nd = k->t.ndims;
  if (k->n == k->cap) k->cap = k->cap ? 2 * k->cap : 1024, k->cat = xrealloc(k->cat, k->cap * nd * sizeof *k->cat);
  for (size_t d = 0; d < nd; d++) {
    char buf[32];
    json_t *v = json_object_get(o, k->t.dims[d]);
    const char *c = v ? category_text(v, buf, sizeof buf) : NULL;
    size_t j = 0;
    while (c && j < k->ntargets && !(k->t.rows[k->target_of[j]].dim_index == d && strcmp(k->t.rows[k->target_of[j]].cat, c) == 0)) j++;
    if (!v) snprintf(why, sizeof why, _("no field '%s' (a dimension of the targets)"), k->t.dims[d]);
    else if (!c) snprintf(why, sizeof why, _("field '%s' is not a text, whole number or true/false"), k->t.dims[d]);
    else if (j == k->ntargets) snprintf(why, sizeof why, _("%s '%s' has no target in %s (add the category, or a rest category)"),
                                       k->t.dims[d], c, k->doel);
    if (!c || j == k->ntargets) {
      error_row(k, line, id, why);
      json_decref(o);
      return false;
    }
    k->cat[k->n * nd + d] = (uint32_t)j;
  }
  k->n++;
  json_decref(o);
  return true;
}

static bool blank(const char *s) {
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  return *s == '\0';
}

/* Pass 1 over POP; false when it cannot be read. ok[] gets one byte per record: good or not. */
static bool first_pass(Kalib *k, FILE *in, unsigned char **ok) {
  char *line = NULL;
  size_t cap = 0, okcap = 0;
  uint64_t lineno = 0;
  while (getline(&line, &cap, in) >= 0) {
    lineno++;
    if (blank(line)) continue;
    k->records++;
    if (k->records > okcap) okcap = okcap ? 2 * okcap : 1024, *ok = xrealloc(*ok, okcap);
    (*ok)[k->records - 1] = classify(k, line, lineno);
  }
  free(line);
  return !ferror(in);
}

/* Bytes to OUT, hashed on the way (the sidecar's output_sha256: OUT is never read back). */
static void emit(FILE *out, struct sha256_ctx *h, const char *s, size_t n) {
  sha256_update(h, n, (const uint8_t *)s);
  fwrite(s, 1, n, out);
}

/* Pass 2: every good line with the weight added before its closing brace. */
static bool second_pass(Kalib *k, FILE *in, FILE *out, const unsigned char *ok, const kalib_num *w, char out_sha[65]) {
  struct sha256_ctx h;
  sha256_init(&h);
  json_t *key = json_string(k->field);
  char *kt = json_dumps(key, JSON_ENCODE_ANY);
  json_decref(key);
  char *line = NULL;
  size_t cap = 0, rec = 0, good = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, in)) >= 0) {
    if (blank(line)) continue;
    if (!ok[rec++]) continue;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
    ssize_t close = len - 1;   /* a JSON object (pass 1 checked): ends with '}' */
    ssize_t before = close - 1;
    while (before >= 0 && (line[before] == ' ' || line[before] == '\t')) before--;
    char wbuf[64], tail[160];
    kalib_format(w[good++], OUT_PLACES, wbuf, sizeof wbuf);
    emit(out, &h, line, (size_t)close);
    if (line[before] != '{') emit(out, &h, ",", 1);
    emit(out, &h, kt, strlen(kt));
    int n = snprintf(tail, sizeof tail, ":\"%s\"}\n", wbuf);   /* a string: the reader keeps decimals exact only so */
    emit(out, &h, tail, (size_t)n);
  }
  free(line);
  free(kt);
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_digest(&h, SHA256_DIGEST_SIZE, d);
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) sprintf(out_sha + 2 * i, "%02x", d[i]);
  return !ferror(in);
}

/* The report: per target its total, what the rounded weights reach, the difference, status and source. */
static void write_report(FILE *f, bool csv, const Kalib *k, const kalib_num *achieved) {
  if (csv) fputs("dimensie,categorie,doel,bereikt,verschil,status,bron\n", f);
  size_t j = 0;
  for (size_t i = 0; i < k->t.n; i++) {
    const KalibTarget *x = &k->t.rows[i];
    char doel[64] = "", got[64] = "", diff[64] = "";
    if (x->has_total) {
      kalib_format(x->total, OUT_PLACES, doel, sizeof doel);
      kalib_format(achieved[j], OUT_PLACES, got, sizeof got);
      kalib_format(achieved[j] - x->total, OUT_PLACES, diff, sizeof diff);
      j++;
    }
    if (csv) {
      csv_cell(f, x->dim), fputc(',', f), csv_cell(f, x->cat);
      fprintf(f, ",%s,%s,%s,%s,", doel, got, diff, x->status);
      csv_cell(f, x->bron), fputc('\n', f);
    } else if (x->has_total) {
      fprintf(f, "  %-16s %-20s %16s %18s %10s  %s  %s\n", x->dim, x->cat, doel, got, diff, x->status, x->bron);
    } else {
      fprintf(f, _("  %-16s %-20s (no total: left out)  %s  %s\n"), x->dim, x->cat, x->status, x->bron);
    }
  }
}

/* The file's name without its folder: the sidecar lies beside OUT, and stays right when both move. */
static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* OUT.herkomst.json, opened as `of` and finished (committed with the other outputs): where the weights came from. */
static bool write_provenance(const Kalib *k, const char *out, const char *const sha[3], int passes, kalib_num gap,
                             OutFile *of) {
  const char *pop_sha = sha[0], *doel_sha = sha[1], *out_sha = sha[2];
  char gbuf[64], date[32];
  /* SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the date, for outputs compared byte for byte */
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
  kalib_format(gap, KALIB_PLACES, gbuf, sizeof gbuf);
  json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:I}",
                        "schema", "dagloon-kalibreer/1", "engine", DAGLOON_VERSION, "output", base_name(out), "output_sha256", out_sha,
                        "input", k->pop, "input_sha256", pop_sha, "targets", k->doel, "targets_sha256", doel_sha,
                        "passes", passes, "largest_gap", gbuf, "rounding", "4 decimals, half up", "dossiers",
                        (json_int_t)k->n, "error_rows", (json_int_t)k->errors);
  json_object_set_new(j, "weight_field", json_string(k->field));
  json_object_set_new(j, "date", json_string(date));
  char *path = xmalloc(strlen(out) + 16);
  sprintf(path, "%s.herkomst.json", out);
  FILE *f = outfile_open(of, path);
  bool ok = f != NULL;
  if (ok) {
    json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', f);
    ok = outfile_finish(of);
  }
  free(path);
  json_decref(j);
  return ok;
}

static bool parse_count(const char *s, int *out) {
  char *end;
  errno = 0;
  long v = s ? strtol(s, &end, 10) : 0;
  if (!s || errno || *end || end == s || v < 1 || v > 1000000) return false;
  *out = (int)v;
  return true;
}

int cmd_kalibreer(const ParsedArgs *a) {
  if (a->noperands != 1) return command_usage_error(a->command, "kalibreer needs one POP");
  Kalib k = {a->operands[0], option_value(a, "doel"), option_value(a, "gewicht"), {0}, NULL, 0, NULL, 0, 0, 0, 0, NULL};
  if (!k.doel) return command_usage_error(a->command, "kalibreer needs --doel TARGETS.csv");
  if (!k.field) k.field = "gewicht";
  if (strcmp(k.pop, "-") == 0) return command_usage_error(a->command, "kalibreer reads POP twice: it must be a file, not '-'");
  size_t plen = strlen(k.pop);
  if (plen >= 4 && strcmp(k.pop + plen - 4, ".csv") == 0)
    return command_usage_error(a->command, "kalibreer reads JSON Lines; a CSV population is not supported yet");
  kalib_num tol = KALIB_UNIT / 1000;   /* a thousandth of a person */
  const char *ts = option_value(a, "tolerantie");
  if (ts && !kalib_parse(ts, strlen(ts), &tol)) return command_usage_error(a->command, "--tolerantie must be a number such as 0.001");
  int max_iter = 1000;
  if (option_given(a, "max-iteraties") && !parse_count(option_value(a, "max-iteraties"), &max_iter))
    return command_usage_error(a->command, "--max-iteraties must be a whole number from 1 to 1000000");
  if (!outputs_check(a)) return EXIT_USAGE;
  if (!kalib_targets_load(k.doel, &k.t)) return EXIT_USAGE;
  int rc = EXIT_USAGE;
  FILE *in = NULL;
  unsigned char *ok = NULL;
  kalib_num *w = NULL, *sum = NULL, *target = NULL;
  OutFile out = {0}, errs = {0}, rep = {0}, side = {0};
  char pop_sha[65], doel_sha[65], out_sha[65];
  if (!kalib_targets_consistent(&k.t)) goto done;
  /* hashed now, before anything is written: a file that cannot be read stops here (exit 2) */
  const char *unread = !sha256_file(k.pop, pop_sha, NULL) ? k.pop : !sha256_file(k.doel, doel_sha, NULL) ? k.doel : NULL;
  if (unread) {
    fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), unread, strerror(errno));
    goto done;
  }
  k.target_of = xmalloc(k.t.n * sizeof *k.target_of);
  for (size_t i = 0; i < k.t.n; i++)
    if (k.t.rows[i].has_total) k.target_of[k.ntargets++] = (uint32_t)i;
  in = fopen(k.pop, "rb");
  if (!in) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), k.pop, strerror(errno));
    goto done;
  }
  if (option_value(a, "errors")) {
    if (!(k.err = outfile_open(&errs, option_value(a, "errors")))) { rc = EXIT_WRITE_ERROR; goto done; }
    fputs("record,line,id,reason\n", k.err);
  }
  if (!first_pass(&k, in, &ok)) {
    fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), k.pop, strerror(errno));
    goto done;
  }
  /* every category of the targets needs a dossier: raking cannot give weight to nobody */
  target = xmalloc(k.ntargets * sizeof *target);
  sum = xcalloc(k.ntargets, sizeof *sum);
  w = xmalloc((k.n ? k.n : 1) * sizeof *w);
  for (size_t j = 0; j < k.ntargets; j++) target[j] = k.t.rows[k.target_of[j]].total;
  for (size_t i = 0; i < k.n; i++) w[i] = KALIB_UNIT;
  KalibRake r = {k.n, k.t.ndims, k.ntargets, k.cat, target, sum, w};
  kalib_sums(&r);
  bool empty = false;
  for (size_t j = 0; j < k.ntargets; j++)
    if (sum[j] == 0) {
      const KalibTarget *x = &k.t.rows[k.target_of[j]];
      fprintf(stderr, _("%s:%" PRIu64 ": no dossier of %s has %s '%s': its total cannot be reached\n"), k.doel, x->line,
              k.pop, x->dim, x->cat);
      empty = true;
    }
  if (empty) goto done;
  int passes;
  kalib_num gap;
  if (!kalib_rake(&r, tol, max_iter, &passes, &gap)) {
    size_t at;
    kalib_gap(&r, &at);
    char gb[64], tb[64];
    kalib_format(gap, KALIB_PLACES, gb, sizeof gb);
    kalib_format(tol, KALIB_PLACES, tb, sizeof tb);
    fprintf(stderr, _("dagloon kalibreer: no convergence after %d passes: the largest gap is %s (%s '%s'), more than "
                      "the tolerance %s; nothing written\n"), passes, gb, k.t.rows[k.target_of[at]].dim,
            k.t.rows[k.target_of[at]].cat, tb);
    rc = EXIT_NO_CONVERGENCE;
    goto done;
  }
  /* the weights as written: 4 decimals; the totals they reach show the rounding residue */
  for (size_t i = 0; i < k.n; i++) w[i] = kalib_div_round(w[i], KALIB_UNIT / 10000) * (KALIB_UNIT / 10000);
  kalib_sums(&r);
  const char *outpath = option_value(a, "output");
  FILE *of = outfile_open(&out, outpath);
  if (!of) { rc = EXIT_WRITE_ERROR; goto done; }
  rewind(in);
  if (!second_pass(&k, in, of, ok, w, out_sha)) {
    fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), k.pop, strerror(errno));
    goto done;
  }
  const char *vpath = option_value(a, "verslag");
  FILE *vf = vpath ? outfile_open(&rep, vpath) : stderr;
  if (!vf) { rc = EXIT_WRITE_ERROR; goto done; }
  char gb[64];
  kalib_format(gap, KALIB_PLACES, gb, sizeof gb);
  fprintf(stderr, _("kalibreer: %" PRIu64 " dossiers, %zu weighted, %" PRIu64 " error rows; %d passes, largest gap %s "
                    "before rounding the weights to 4 decimals\n"), k.records, k.n, k.errors, passes, gb);
  if (!vpath) fprintf(stderr, _("  dimension        category                   target    reached (rounded)   residue  status  source\n"));
  write_report(vf, vpath != NULL, &k, sum);
  const char *const sha[3] = {pop_sha, doel_sha, out_sha};
  bool written = (!vpath || outfile_finish(&rep)) && (!k.err || outfile_finish(&errs)) && outfile_finish(&out);
  written = written && (!outpath || write_provenance(&k, outpath, sha, passes, gap, &side));
  /* every output finished before any is committed: no weights without their provenance */
  written = written && outfile_commit(&out) && (!outpath || outfile_commit(&side)) && (!vpath || outfile_commit(&rep)) &&
            (!k.err || outfile_commit(&errs));
  rc = !written ? EXIT_WRITE_ERROR : k.errors ? EXIT_RECORD_ERRORS : EXIT_OK;
done:
  if (rc != EXIT_OK && rc != EXIT_RECORD_ERRORS)
    outfile_abort(&out), outfile_abort(&rep), outfile_abort(&errs), outfile_abort(&side);
  if (in) fclose(in);
  free(ok), free(w), free(sum), free(target), free(k.cat), free(k.target_of);
  kalib_targets_free(&k.t);
  return rc;
}
