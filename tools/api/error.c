/*
** error.c: libdagloon's error object (dagloon.h, "errors").
*/
#include "tools/api/api_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "runtime/mem.h"

void *api_fail(dagloon_error **err, dagloon_status code, const char *record, const char *field, const char *rule,
               const char *location, const char *fmt, ...) {
  if (!err) return NULL;
  dagloon_error *e = xcalloc(1, sizeof *e);
  e->code = code;
  va_list ap;   /* a message may hold every diagnostic of a rule set: as long as it needs */
  va_start(ap, fmt);
  e->message = xvasprintf(fmt, ap);
  va_end(ap);
  e->record = xstrdup(record ? record : "");
  e->field = xstrdup(field ? field : "");
  e->rule = xstrdup(rule ? rule : "");
  e->location = xstrdup(location ? location : "");
  if (*err) dagloon_error_free(*err);   /* the contract says NULL on entry; an old one is not leaked */
  *err = e;
  return NULL;
}

dagloon_status dagloon_error_code(const dagloon_error *e) { return e ? e->code : DAGLOON_OK; }
const char *dagloon_error_message(const dagloon_error *e) { return e ? e->message : ""; }
const char *dagloon_error_record(const dagloon_error *e) { return e ? e->record : ""; }
const char *dagloon_error_field(const dagloon_error *e) { return e ? e->field : ""; }
const char *dagloon_error_rule(const dagloon_error *e) { return e ? e->rule : ""; }
const char *dagloon_error_location(const dagloon_error *e) { return e ? e->location : ""; }

void dagloon_error_free(dagloon_error *e) {
  if (!e) return;
  xfree(e->message);
  xfree(e->record);
  xfree(e->field);
  xfree(e->rule);
  xfree(e->location);
  xfree(e);
}
