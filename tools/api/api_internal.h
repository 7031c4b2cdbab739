/*
** api_internal.h: what the files of libdagloon share behind tools/api/dagloon.h -- the
** structs behind its opaque handles and the error constructor. Not installed.
*/
#ifndef DAGLOON_API_INTERNAL_H
#define DAGLOON_API_INTERNAL_H

#include "tools/api/dagloon.h"
#include "lang/front.h"
#include "runtime/chunk.h"
#include "runtime/native.h"

struct dagloon_error {
  dagloon_status code;
  char *message, *record, *field, *rule, *location;
};

/* Sets *err (when err is not NULL) to a new error; NULL strings become "". Returns NULL, for `return api_fail(...)`. */
void *api_fail(dagloon_error **err, dagloon_status code, const char *record, const char *field, const char *rule,
               const char *location, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

struct dagloon_options {
  NativeAllow natives;
};

/* One record type's fields as the API shows them. */
typedef struct ApiRecord {
  const char *name;
  size_t n;
  dagloon_field *fields;
} ApiRecord;

struct dagloon_rules {
  char *name;              /* the first path as given: "rules" in explanations */
  Front *front, *traced_front;   /* kept while their chunks live (NULL for a bundle) */
  Chunk *plain;            /* what evaluations run */
  Chunk *traced;           /* the same rules with trace points (explanations), or NULL */
  ApiRecord input, outputs;
  ApiRecord *records;      /* every gegevens type, schema order */
  size_t nrecords;
  char hash[65];           /* dagloon_rules_hash, made at load (hash.c) */
};

/* Builds r->input, r->outputs and r->records from r->plain's schema; frees them. */
void api_schema_build(struct dagloon_rules *r);
void api_schema_free(struct dagloon_rules *r);
/* Sets r->hash from r->plain; false when the code cannot be written as a bundle (why in err). */
bool api_hash_build(struct dagloon_rules *r, char *err, size_t cap);

#endif
