/*
** problem.c: problem details and error lines (problem.h), built with jansson so that every
** string the engine or a request gives is escaped.
*/
#include "problem.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dump(json_t *j) {
  char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(j);
  if (!s) abort();
  return s;
}

/* s as a JSON string; "" when it is not UTF-8 (jansson refuses those). */
static json_t *text(const char *s) {
  json_t *j = json_string(s ? s : "");
  return j ? j : json_string("");
}

static void set_if(json_t *o, const char *key, const char *s) {
  if (s && *s) json_object_set_new(o, key, text(s));
}

static const char *code_name(dagloon_status st) {
  switch (st) {
  case DAGLOON_ERR_INPUT: return "input";
  case DAGLOON_ERR_EVAL: return "eval";
  case DAGLOON_ERR_LIMIT: return "limit";
  case DAGLOON_ERR_NO_TRACE: return "no-trace";
  default: return "engine";
  }
}

char *problem_json(int status, const char *slug, const char *title, const char *detail, const dagloon_error *err) {
  json_t *o = json_object();
  char type[96];
  snprintf(type, sizeof type, "urn:dagloon:problem:%s", slug);
  json_object_set_new(o, "type", json_string(type));
  json_object_set_new(o, "title", text(title));
  json_object_set_new(o, "status", json_integer(status));
  json_object_set_new(o, "detail", text(detail));
  if (err) {
    json_object_set_new(o, "code", json_string(code_name(dagloon_error_code(err))));
    set_if(o, "record", dagloon_error_record(err));
    set_if(o, "field", dagloon_error_field(err));
    set_if(o, "rule", dagloon_error_rule(err));
    set_if(o, "location", dagloon_error_location(err));
  }
  return dump(o);
}

char *problem_from_error(const dagloon_error *err, int *status) {
  switch (dagloon_error_code(err)) {
  case DAGLOON_ERR_INPUT:
    *status = 422;
    return problem_json(422, "invalid-dossier", "the dossier cannot be read", dagloon_error_message(err), err);
  case DAGLOON_ERR_LIMIT:
    *status = 422;
    return problem_json(422, "limit", "the dossier exceeds the limits", dagloon_error_message(err), err);
  case DAGLOON_ERR_NO_TRACE:
    *status = 409;
    return problem_json(409, "no-trace", "this rule set cannot explain", dagloon_error_message(err), err);
  default:
    *status = 422;
    return problem_json(422, "computation-failed", "the dossier cannot be computed", dagloon_error_message(err), err);
  }
}

char *error_line(const dagloon_error *err, uint64_t record, uint64_t line) {
  json_t *e = json_object();
  json_object_set_new(e, "record", json_integer((json_int_t)record));
  json_object_set_new(e, "line", json_integer((json_int_t)line));
  json_object_set_new(e, "id", text(dagloon_error_record(err)));
  json_object_set_new(e, "field", text(dagloon_error_field(err)));
  json_object_set_new(e, "rule", text(dagloon_error_rule(err)));
  json_object_set_new(e, "location", text(dagloon_error_location(err)));
  json_object_set_new(e, "reason", text(dagloon_error_message(err)));
  json_t *o = json_object();
  json_object_set_new(o, "error", e);
  return dump(o);
}
