/*
** problem.h: the bodies of answers that are not a result: RFC 9457 problem details
** (application/problem+json) and the error line of an NDJSON batch.
*/
#ifndef DAGLOON_SERVE_PROBLEM_H
#define DAGLOON_SERVE_PROBLEM_H

#include <stdint.h>
#include "serve.h"

#define PROBLEM_TYPE "application/problem+json"

/*
** {"type": "urn:dagloon:problem:SLUG", "title", "status", "detail"} and, from err when given,
** the engine's "code", "record", "field", "rule", "location" (those that are known). The
** caller frees it.
*/
char *problem_json(int status, const char *slug, const char *title, const char *detail, const dagloon_error *err);

/*
** The status and problem of an engine error on one dossier: 422 for a dossier that cannot be
** read or computed or exceeds the limits, 409 for an explanation a bundle cannot give.
*/
char *problem_from_error(const dagloon_error *err, int *status);

/*
** One error line of an NDJSON batch, without the newline: {"error": {...}} with the columns of
** `dagloon run --errors` (record, line, id, field, rule, location, reason). The caller frees it.
*/
char *error_line(const dagloon_error *err, uint64_t record, uint64_t line);

#endif
