/*
** openapi.c: the OpenAPI 3.1 document of one served rule set (openapi.h), built with jansson
** from the schema dagloon.h gives. Every pattern here states what runtime/reader.c accepts
** (a dossier in) or runtime/writer.c writes (a row out) -- tests/openapi checks both against
** real traffic, so a change there that is not made here fails the tests.
*/
#include "openapi.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dossiers in: money with at most two decimals, getal as a JSON integer or such a string. */
#define MONEY_IN "^[+-]?[0-9]+(\\.[0-9]{1,2})?$"
#define DECIMAL_IN "^[+-]?[0-9]+(\\.[0-9]+)?$"
/* Rows out: money always with two decimals; a getal exactly, as a fraction when it has no finite decimals. */
#define MONEY_OUT "^-?[0-9]+\\.[0-9]{2}$"
#define DECIMAL_OUT "^-?[0-9]+(\\.[0-9]+)?$|^-?[0-9]+/[0-9]+$"
/* Dates from 1900 to 2200 (runtime/date.h); format "date" says which days exist. */
#define YEAR "(19[0-9]{2}|2[01][0-9]{2}|2200)"
#define DATE_PATTERN "^" YEAR "-[0-9]{2}-[0-9]{2}$"
#define PERIOD_PATTERN "^" YEAR "-[0-9]{2}-[0-9]{2}/" YEAR "-[0-9]{2}-[0-9]{2}$"
#define MAX_LIST_ITEMS 1000000   /* the reader's limit on one list */

typedef enum side { IN, OUT } side;

typedef struct doc {
  const dagloon_rules *r;
  json_t *schemas;   /* components.schemas, filled as the fields name them */
} doc;

/* Names of the document's own schemas: a keuze or gegevens type of the same name gets a suffix. */
static const char *const fixed_names[] = {"Dossier", "Uitvoer", "Problem", "ErrorRow", "Uitleg", "Receipt",
                                          "UitvoerMetReceipt", "UitleggingMetReceipt"};

/* s as a JSON string; "" when it is not UTF-8 (jansson refuses those). */
static json_t *text(const char *s) {
  json_t *j = json_string(s ? s : "");
  return j ? j : json_string("");
}

static json_t *typed(const char *type) { return json_pack("{s:s}", "type", type); }

static json_t *ref_to(const char *component) {
  char buf[512];
  snprintf(buf, sizeof buf, "#/components/schemas/%s", component);
  return json_pack("{s:s}", "$ref", buf);
}

/* The component name of type `name`: itself, with `suffix` when it is a fixed name or when `always`. */
static void component_name(const char *name, const char *suffix, int always, char *buf, size_t cap) {
  int clash = always;
  for (size_t i = 0; i < sizeof fixed_names / sizeof *fixed_names; i++)
    if (strcmp(name, fixed_names[i]) == 0) clash = 1;
  snprintf(buf, cap, "%s%s", name, clash ? suffix : "");
}

static json_t *record_ref(doc *d, const char *name, side s);

/* A keuze: its choices as an enum, the schema once under components. */
static json_t *choice_ref(doc *d, const char *name) {
  char comp[256];
  component_name(name, "_keuze", 0, comp, sizeof comp);
  if (!json_object_get(d->schemas, comp)) {
    json_t *names = json_array();
    size_t n = dagloon_choice_count(d->r, name);
    for (size_t i = 0; i < n; i++) json_array_append_new(names, text(dagloon_choice_name(d->r, name, i)));
    char desc[320];
    snprintf(desc, sizeof desc, "keuze %s: one of its choices, by name", name);
    json_object_set_new(d->schemas, comp,
                        json_pack("{s:s, s:o, s:s}", "type", "string", "enum", names, "description", desc));
  }
  return ref_to(comp);
}

/* One value of a kind (not a list, not optional) as the reader takes it in or the writer gives it out. */
static json_t *value_schema(doc *d, dagloon_kind kind, const char *type_name, side s) {
  switch (kind) {
  case DAGLOON_BOOL: return typed("boolean");
  case DAGLOON_INT:
  case DAGLOON_DAYS:
  case DAGLOON_MONTHS:
  case DAGLOON_YEARS: return json_pack("{s:s, s:s}", "type", "integer", "format", "int64");
  case DAGLOON_DECIMAL:
    if (s == IN)   /* a JSON integer, or a decimal string: a JSON number with a fraction is not exact */
      return json_pack("{s:[s,s], s:s, s:[s,i]}", "type", "integer", "string", "pattern", DECIMAL_IN, "examples",
                       "0.75", 3);
    return json_pack("{s:s, s:s}", "type", "string", "pattern", DECIMAL_OUT);
  case DAGLOON_MONEY:   /* a string only: a JSON number is not exact and does not say euros or cents */
    return json_pack("{s:s, s:s, s:[s]}", "type", "string", "pattern", s == IN ? MONEY_IN : MONEY_OUT, "examples",
                     "1234.56");
  case DAGLOON_DATE:
    return json_pack("{s:s, s:s, s:s}", "type", "string", "format", "date", "pattern", DATE_PATTERN);
  case DAGLOON_PERIOD:
    return json_pack("{s:s, s:s, s:[s]}", "type", "string", "pattern", PERIOD_PATTERN, "examples",
                     "2023-01-01/2023-12-31");
  case DAGLOON_TEXT: return typed("string");
  case DAGLOON_CHOICE: return type_name ? choice_ref(d, type_name) : typed("string");
  case DAGLOON_RECORD: return type_name ? record_ref(d, type_name, s) : typed("object");
  case DAGLOON_LIST: return typed("array");
  }
  return json_object();
}

/* "label\n\nBron: ...\n\nType in de regels: `geld`" -- what a reader of the document needs. */
static json_t *description(const dagloon_field *f) {
  char buf[4096];
  size_t n = 0;
  if (f->label && *f->label) n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n\n", f->label);
  if (f->source && n < sizeof buf) n += (size_t)snprintf(buf + n, sizeof buf - n, "Bron: %s\n\n", f->source);
  if (f->key && n < sizeof buf) n += (size_t)snprintf(buf + n, sizeof buf - n, "De sleutel van het dossier.\n\n");
  if (n < sizeof buf)
    snprintf(buf + n, sizeof buf - n, "Type in de regels: `%s%s`.", f->optional ? "optioneel " : "",
             f->type ? f->type : "");
  return text(buf);
}

/* One field or column: its value, a list of them, or an optional one. */
static json_t *field_schema(doc *d, const dagloon_field *f, side s) {
  json_t *v;
  if (f->kind == DAGLOON_LIST) {
    v = json_pack("{s:s, s:o}", "type", "array", "items", value_schema(d, f->element, f->type_name, s));
    if (s == IN) json_object_set_new(v, "maxItems", json_integer(MAX_LIST_ITEMS));
  } else
    v = value_schema(d, f->kind, f->type_name, s);
  if (f->optional) {
    /* in: left out or null is "not given"; out: the writer gives the optional value as a list of 0 or 1 */
    if (s == IN) v = json_pack("{s:[o,{s:s}]}", "anyOf", v, "type", "null");
    else v = json_pack("{s:s, s:o, s:i}", "type", "array", "items", v, "maxItems", 1);
  }
  json_object_set_new(v, "description", description(f));
  return v;
}

/*
** Fills obj with the object schema of fields: no other property (the reader refuses an unknown
** field); required: in, the fields that are not optional; out, every one (the writer writes all).
*/
static void fill_record(doc *d, json_t *obj, const dagloon_field *const *fields, size_t n, side s) {
  json_t *props = json_object(), *required = json_array();
  for (size_t i = 0; i < n; i++) {
    json_object_set_new(props, fields[i]->name, field_schema(d, fields[i], s));
    if (s == OUT || !fields[i]->optional) json_array_append_new(required, text(fields[i]->name));
  }
  json_object_set_new(obj, "type", json_string("object"));
  json_object_set_new(obj, "properties", props);
  json_object_set_new(obj, "required", required);
  json_object_set_new(obj, "additionalProperties", json_false());
}

/* A gegevens type, in (as a dossier holds it) or out (as a row shows it): once under components. */
static json_t *record_ref(doc *d, const char *name, side s) {
  char comp[256];
  component_name(name, s == IN ? "_gegevens" : "_uitvoer", s == OUT, comp, sizeof comp);
  if (!json_object_get(d->schemas, comp)) {
    json_t *obj = json_object();
    json_object_set_new(d->schemas, comp, obj);   /* before its fields: a type may name itself */
    size_t n = dagloon_record_count(d->r, name);
    const dagloon_field **fields = calloc(n ? n : 1, sizeof *fields);
    if (!fields) abort();
    for (size_t i = 0; i < n; i++) fields[i] = dagloon_record_field(d->r, name, i);
    fill_record(d, obj, fields, n, s);
    free(fields);
    char desc[320];
    snprintf(desc, sizeof desc, "gegevens %s%s", name, s == OUT ? ", as a row shows it" : "");
    json_object_set_new(obj, "description", text(desc));
  }
  return ref_to(comp);
}

static void fill_fields(doc *d, json_t *obj, size_t n, const dagloon_field *(*get)(const dagloon_rules *, size_t),
                        side s) {
  const dagloon_field **fields = calloc(n ? n : 1, sizeof *fields);
  if (!fields) abort();
  for (size_t i = 0; i < n; i++) fields[i] = get(d->r, i);
  fill_record(d, obj, fields, n, s);
  free(fields);
}

static json_t *problem_schema(void) {
  return json_pack(
      "{s:s, s:s, s:[s,s,s,s], s:b, s:{s:{s:s,s:s}, s:{s:s}, s:{s:s,s:i,s:i}, s:{s:s}, s:{s:[s,s,s,s,s]}, "
      "s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}",
      "description",
      "RFC 9457 problem details (application/problem+json); for an engine error also its code and the record, "
      "field, rule and location it names (those that are known)",
      "type", "object", "required", "type", "title", "status", "detail", "additionalProperties", 0, "properties",
      "type", "type", "string", "pattern", "^urn:dagloon:problem:[a-z-]+$", "title", "type", "string", "status", "type",
      "integer", "minimum", 400, "maximum", 599, "detail", "type", "string", "code", "enum", "input", "eval", "limit",
      "no-trace", "engine", "record", "type", "string", "field", "type", "string", "rule", "type", "string",
      "location", "type", "string");
}

static json_t *error_row_schema(void) {
  return json_pack("{s:s, s:s, s:[s], s:b, s:{s:{s:s, s:[s,s,s,s,s,s,s], s:b, s:{s:{s:s,s:i}, s:{s:s,s:i}, "
                   "s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}}}",
                   "description",
                   "an NDJSON line for a dossier that cannot be read or computed: the columns of `dagloon run "
                   "--errors` (record and line count from 1)",
                   "type", "object", "required", "error", "additionalProperties", 0, "properties", "error", "type",
                   "object", "required", "record", "line", "id", "field", "rule", "location", "reason",
                   "additionalProperties", 0, "properties", "record", "type", "integer", "minimum", 1, "line", "type",
                   "integer", "minimum", 1, "id", "type", "string", "field", "type", "string", "rule", "type",
                   "string", "location", "type", "string", "reason", "type", "string");
}

/* ?receipt=1 (http_receipt.c): what an answer was computed from */
static json_t *receipt_schema(void) {
  return json_pack("{s:s, s:s, s:[s,s,s,s,s,s,s], s:b, s:{s:{s:s}, s:{s:s}, s:{s:s,s:s}, s:{s:s,s:s}, s:{s:s,s:i}, "
                   "s:{s:s}, s:{s:s,s:s}}}",
                   "description",
                   "asked with ?receipt=1: the rule set's rules hash (dagloon_rules_hash, the 'compiled' entry of a "
                   "`dagloon run --receipt`), the SHA-256 of the request body as received, the engine and API version",
                   "type", "object", "required", "schema", "ruleset", "rules_sha256", "input_sha256", "input_bytes",
                   "engine", "api_version", "additionalProperties", 0, "properties", "schema", "const",
                   "dagloon-http-receipt/1", "ruleset", "type", "string", "rules_sha256", "type", "string", "pattern",
                   "^[0-9a-f]{64}$", "input_sha256", "type", "string", "pattern", "^[0-9a-f]{64}$", "input_bytes",
                   "type", "integer", "minimum", 0, "engine", "type", "string", "api_version", "type", "string",
                   "pattern", "^[0-9]+\\.[0-9]+$");
}

/* {member: the answer, "receipt": Receipt}: a 200 asked with ?receipt=1 */
static json_t *with_receipt(const char *member, const char *answer) {
  json_t *o = json_pack("{s:s, s:[s,s], s:b, s:{}}", "type", "object", "required", member, "receipt",
                        "additionalProperties", 0, "properties");
  json_t *props = json_object_get(o, "properties");
  json_object_set_new(props, member, ref_to(answer));
  json_object_set_new(props, "receipt", ref_to("Receipt"));
  return o;
}

static json_t *receipt_parameter(void) {
  return json_pack("{s:s, s:s, s:b, s:s, s:{s:s, s:[s,s]}}", "name", "receipt", "in", "query", "required", 0,
                   "description",
                   "1: the answer with a receipt (JSON: {answer, receipt}; NDJSON: a last line {\"receipt\": ...}; "
                   "HTML: the Dagloon-Receipt header); 0 or left out: the answer alone; any other value is a 400",
                   "schema", "type", "string", "enum", "0", "1");
}

/* anyOf [a, b] */
static json_t *either(json_t *a, json_t *b) { return json_pack("{s:[o,o]}", "anyOf", a, b); }

/* {"description": d, "content": {type: {"schema": schema}}} */
static json_t *body_of(const char *desc, const char *type, json_t *schema) {
  return json_pack("{s:s, s:{s:{s:o}}}", "description", desc, "content", type, "schema", schema);
}

static json_t *problem_response(const char *desc) {
  return body_of(desc, "application/problem+json", ref_to("Problem"));
}

static json_t *ndjson_text(const char *desc) { return json_pack("{s:s, s:s}", "type", "string", "description", desc); }

static json_t *bereken(void) {
  json_t *req = body_of("one dossier (application/json), or many, one per line (application/x-ndjson)",
                        "application/json", ref_to("Dossier"));
  json_object_set_new(req, "required", json_true());
  json_object_set_new(json_object_get(req, "content"), "application/x-ndjson",
                      json_pack("{s:o}", "schema", ndjson_text("JSON Lines: one Dossier per line; blank lines are "
                                                               "skipped")));
  json_t *ok = body_of("the row of `dagloon run --format jsonl` (one dossier), or one line per dossier in order "
                       "(NDJSON, streamed): an Uitvoer or an ErrorRow",
                       "application/json", either(ref_to("Uitvoer"), ref_to("UitvoerMetReceipt")));
  json_object_set_new(json_object_get(ok, "content"), "application/x-ndjson",
                      json_pack("{s:o}", "schema",
                                ndjson_text("JSON Lines: per dossier an Uitvoer or an ErrorRow; with ?receipt=1 a "
                                            "last line {\"receipt\": Receipt}")));
  return json_pack("{s:s, s:s, s:[o], s:o, s:{s:o, s:o, s:o, s:o}}", "operationId", "bereken", "summary",
                   "compute dossiers", "parameters", receipt_parameter(), "requestBody", req, "responses", "200", ok,
                   "400", problem_response("the body is not one JSON object (invalid-json), or a bad ?receipt= "
                                           "(bad-request)"),
                   "413",
                   problem_response("the body is larger than the server takes (too-large)"), "422",
                   problem_response("the dossier cannot be read or computed, or exceeds the limits"));
}

static json_t *uitleg(void) {
  json_t *req = body_of("one dossier", "application/json", ref_to("Dossier"));
  json_object_set_new(req, "required", json_true());
  json_t *ok = body_of("the explanation of `dagloon explain --format json`; or, when the Accept header prefers "
                       "text/html, the page of `dagloon explain --format html` (with ?receipt=1 the receipt in the "
                       "Dagloon-Receipt header)",
                       "application/json", either(ref_to("Uitleg"), ref_to("UitleggingMetReceipt")));
  json_object_set_new(json_object_get(ok, "content"), "text/html",
                      json_pack("{s:{s:s}}", "schema", "type", "string"));
  json_object_set_new(ok, "headers",
                      json_pack("{s:{s:s, s:{s:s}}}", "Dagloon-Receipt", "description",
                                "the Receipt as compact JSON: only for the HTML page asked with ?receipt=1", "schema",
                                "type", "string"));
  return json_pack(
      "{s:s, s:s, s:[o], s:o, s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o}}", "operationId", "uitleg", "summary",
      "explain one dossier", "parameters", receipt_parameter(), "requestBody", req, "responses", "200", ok, "400",
      problem_response("the body is not one JSON object (invalid-json), or a bad ?receipt= (bad-request)"), "406",
      problem_response("the Accept header takes neither application/json nor text/html (not-acceptable)"), "409",
      problem_response("the rule set is a bundle compiled without --trace (no-trace)"), "413",
      problem_response("the body is larger than the server takes (too-large)"), "415",
      problem_response("an NDJSON body: uitleg explains one dossier (unsupported-media-type)"), "422",
      problem_response("the dossier cannot be read, or exceeds the limits"));
}

static json_t *self(void) {
  return json_pack("{s:s, s:s, s:{s:o}}", "operationId", "openapi", "summary", "this document", "responses", "200",
                   body_of("the OpenAPI 3.1 document of this rule set", "application/json", typed("object")));
}

char *openapi_document(const char *name, const dagloon_rules *r) {
  doc d = {r, json_object()};
  json_t *dossier = json_object(), *uitvoer = json_object();
  /* Dossier and Uitvoer first: the types they name follow them, in the order they are named */
  json_object_set_new(d.schemas, "Dossier", dossier);
  json_object_set_new(d.schemas, "Uitvoer", uitvoer);
  fill_fields(&d, dossier, dagloon_input_count(r), dagloon_input_field, IN);
  json_object_set_new(dossier, "description",
                      text("the invoer: one dossier, a line of `dagloon run`'s JSON Lines input; a field left out or "
                           "null is not given (only an optional one may be)"));
  fill_fields(&d, uitvoer, dagloon_output_count(r), dagloon_output_column, OUT);
  json_object_set_new(uitvoer, "description",
                      text("the uitvoer: the row of `dagloon run --format jsonl`, its columns in this order"));
  json_object_set_new(d.schemas, "Problem", problem_schema());
  json_object_set_new(d.schemas, "ErrorRow", error_row_schema());
  json_object_set_new(d.schemas, "Uitleg",
                      json_pack("{s:s, s:s}", "type", "object", "description",
                                "an explanation: the JSON of `dagloon explain --format json` (its form is the "
                                "command's, not described here)"));
  json_object_set_new(d.schemas, "Receipt", receipt_schema());
  json_object_set_new(d.schemas, "UitvoerMetReceipt", with_receipt("uitvoer", "Uitvoer"));
  json_object_set_new(d.schemas, "UitleggingMetReceipt", with_receipt("uitleg", "Uitleg"));

  char title[320], desc[1024], path[3][320];
  snprintf(title, sizeof title, "Dagloon: %s", name);
  snprintf(desc, sizeof desc,
           "The rule set %s served by `dagloon serve` (Dagloon %s). Money is a decimal string (\"1234.56\": at "
           "most two decimals in, exactly two out), a getal a JSON integer or a decimal string in and a string "
           "out, a date \"YYYY-MM-DD\", a period \"YYYY-MM-DD/YYYY-MM-DD\", a keuze one of its names. Generated "
           "from the rule set's schema; descriptions are the rules' labels and bron lines.",
           name, dagloon_version());
  const char *ops[3] = {"bereken", "uitleg", "openapi.json"};
  for (int i = 0; i < 3; i++) snprintf(path[i], sizeof path[i], "/v1/%s/%s", name, ops[i]);
  json_t *o = json_pack("{s:s, s:{s:o, s:s, s:o}, s:{s:{s:o}, s:{s:o}, s:{s:o}}, s:{s:o}}", "openapi", "3.1.0",
                        "info", "title", text(title), "version", dagloon_version(), "description", text(desc),
                        "paths", path[0], "post", bereken(), path[1], "post", uitleg(), path[2], "get", self(),
                        "components", "schemas", d.schemas);
  if (!o) abort();
  char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s) abort();
  return s;
}
