/*
** compare_population.c: the population and weights a compare used (compare_population.h).
**
** The sidecar is data from elsewhere (docs/SECURITY.md): only its string
** fields named below are copied, and only when its output_sha256 is the
** sha256 of the input compared -- a sidecar left next to an edited file
** describes another population, and the summary says so instead.
*/
#include "tools/compare_population.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "tools/markup.h"
#include "tools/receipt.h"

static const char *const copied[] = {"input", "input_sha256", "targets", "targets_sha256", "date", "largest_gap",
                                     "rounding", "engine"};

/* The sidecar's bytes parsed; NULL when there is none (or it is no JSON); *read_ok false when it cannot be read. */
static json_t *load_sidecar(const char *path, bool *present, bool *read_ok) {
  FILE *f = fopen(path, "rb");
  *present = f || errno != ENOENT;
  if (!f) {
    if (errno != ENOENT) fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), path, strerror(errno)), *read_ok = false;
    return NULL;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0, got;
  do {
    if (n == cap) cap = cap ? 2 * cap : 4096, buf = xrealloc(buf, cap);
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0 && n < (1u << 20));   /* a sidecar is small: a longer file is not one */
  if (ferror(f)) fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), path, strerror(errno)), *read_ok = false;
  fclose(f);
  json_t *j = *read_ok ? json_loadb(buf, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
  free(buf);
  return j;
}

/*
** The kalibreer provenance of input, or NULL; *stale set when a sidecar exists that is not
** kalibreer's or is for other bytes.
*/
static json_t *calibration(const char *input, const char *sha, bool *stale, bool *read_ok) {
  char *path = xmalloc(strlen(input) + 16);
  sprintf(path, "%s.herkomst.json", input);
  bool present;
  json_t *side = load_sidecar(path, &present, read_ok);
  free(path);
  *stale = false;
  if (!json_is_object(side)) {
    *stale = present && *read_ok;   /* there, but no JSON object: not kalibreer's */
    json_decref(side);
    return NULL;
  }
  json_t *out = NULL;
  const char *made = json_string_value(json_object_get(side, "output_sha256"));
  if (!made || !sha || strcmp(made, sha) != 0) {
    *stale = true;
  } else {
    out = json_object();
    for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++) {
      const char *v = json_string_value(json_object_get(side, copied[i]));
      json_object_set_new(out, copied[i], v ? json_string(v) : json_null());
    }
  }
  json_decref(side);
  return out;
}

json_t *population_json(const char *input, const char *weight_field, bool *read_ok) {
  json_t *p = json_object();
  char sha[65];
  struct stat st;
  bool regular = strcmp(input, "-") != 0 && stat(input, &st) == 0 && S_ISREG(st.st_mode);
  bool hashed = regular && sha256_file(input, sha, NULL);
  *read_ok = !regular || hashed;
  if (!*read_ok) fprintf(stderr, _("dagloon: cannot read '%s': %s\n"), input, strerror(errno));
  json_object_set_new(p, "input", json_string(input));
  json_object_set_new(p, "sha256", hashed ? json_string(sha) : json_null());
  json_object_set_new(p, "weight_field", weight_field ? json_string(weight_field) : json_null());
  bool stale = false;
  json_t *cal = hashed && weight_field ? calibration(input, sha, &stale, read_ok) : NULL;
  json_object_set_new(p, "weights", json_string(!weight_field ? "unit" : cal ? "kalibreer" : "field"));
  json_object_set_new(p, "calibration", cal ? cal : json_null());
  if (stale) json_object_set_new(p, "calibration_stale", json_true());
  return p;
}

static const char *str(json_t *o, const char *k) {
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : "-";
}

void population_text(FILE *f, json_t *summary) {
  json_t *p = json_object_get(summary, "population");
  if (!p) return;
  json_t *cal = json_object_get(p, "calibration");
  const char *w = str(p, "weights");
  if (strcmp(w, "unit") == 0)
    fprintf(f, _("population: %s (sha256 %.12s), every dossier weight 1\n"), str(p, "input"), str(p, "sha256"));
  else if (json_is_object(cal))
    fprintf(f, _("population: %s (sha256 %.12s), weights '%s' from dagloon kalibreer on %s with targets %s (sha256 %.12s)\n"),
            str(p, "input"), str(p, "sha256"), str(p, "weight_field"), str(cal, "date"), str(cal, "targets"),
            str(cal, "targets_sha256"));
  else
    fprintf(f, _("population: %s (sha256 %.12s), weights from its field '%s'%s\n"), str(p, "input"), str(p, "sha256"),
            str(p, "weight_field"), json_is_true(json_object_get(p, "calibration_stale"))
                                        ? _(" (its .herkomst.json describes another file: not used)") : "");
}

void population_section(FILE *f, json_t *summary) {
  json_t *p = json_object_get(summary, "population");
  if (!p) return;
  json_t *cal = json_object_get(p, "calibration");
  fputs("<p class=\"meta\" id=\"populatie\">Populatie: <code>", f);
  markup_escape(f, str(p, "input"));
  fputs("</code> (sha256 <code>", f);
  markup_escape(f, str(p, "sha256"));
  fputs("</code>). ", f);
  if (strcmp(str(p, "weights"), "unit") == 0) {
    fputs("Elk dossier telt voor \xC3\xA9\xC3\xA9n persoon (geen gewichten).", f);
  } else if (json_is_object(cal)) {
    fputs("Gewichten <b>", f);
    markup_escape(f, str(p, "weight_field"));
    fputs("</b> van <code>dagloon kalibreer</code> op ", f);
    markup_escape(f, str(cal, "date"));
    fputs(", naar de doelen in <code>", f);
    markup_escape(f, str(cal, "targets"));
    fputs("</code> (sha256 <code>", f);
    markup_escape(f, str(cal, "targets_sha256"));
    fputs("</code>), uit <code>", f);
    markup_escape(f, str(cal, "input"));
    fputs("</code>.", f);
  } else {
    fputs("Gewichten uit het veld <b>", f);
    markup_escape(f, str(p, "weight_field"));
    fputs("</b> van de dossiers; hun herkomst is niet bekend", f);
    if (json_is_true(json_object_get(p, "calibration_stale")))
      fputs(" (het bestand .herkomst.json ernaast hoort bij een ander bestand)", f);
    fputs(".", f);
  }
  fputs("</p>\n", f);
}
