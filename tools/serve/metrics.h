/*
** metrics.h: what `GET /metrics` shows, in the Prometheus text exposition format 0.0.4: counts
** of requests, dossiers and errors, a latency histogram, the requests in flight, the build and
** the loaded rule sets. Counts only -- never a dossier's content (docs/SECURITY.md).
**
** Every counter is a C11 atomic (relaxed: each is a count on its own), so the hooks in the
** request path take no lock; durations are counted in whole nanoseconds and printed as exact
** decimal seconds.
*/
#ifndef DAGLOON_SERVE_METRICS_H
#define DAGLOON_SERVE_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "serve.h"

/* The endpoint a request went to (the label `endpoint`). */
typedef enum metrics_endpoint { ME_BEREKEN, ME_UITLEG, ME_HEALTHZ, ME_METRICS, ME_OPENAPI, ME_OTHER, ME_COUNT } metrics_endpoint;

/* Why a request or a batch row failed (the label `kind` of dagloon_errors_total). */
typedef enum metrics_error {
  MX_INPUT,            /* engine: the dossier cannot be read */
  MX_EVAL,             /* engine: its computation failed */
  MX_LIMIT,            /* engine: --max-steps / --max-memory */
  MX_NO_TRACE,         /* engine: uitleg on a bundle without trace points */
  MX_INVALID_JSON,     /* 400: the body is not one JSON object */
  MX_BAD_REQUEST,      /* 400: a bad query (receipt=) */
  MX_NOT_FOUND,        /* 404 */
  MX_METHOD,           /* 405 */
  MX_NOT_ACCEPTABLE,   /* 406 */
  MX_TOO_LARGE,        /* 413 */
  MX_MEDIA_TYPE,       /* 415 */
  MX_OTHER,            /* anything else the engine reports */
  MX_COUNT
} metrics_error;

typedef struct metrics metrics;

/* Counters for the rule sets named names[0..n) (copied); "" counts requests of no rule set. */
metrics *metrics_new(const char *const *names, size_t n);
void metrics_free(metrics *m);

/* A request answered: its rule set (NULL: none), endpoint, status and duration. [any thread] */
void metrics_request(metrics *m, const char *ruleset, metrics_endpoint e, int status, uint64_t nanoseconds);
/* A dossier computed by bereken (alone or as a batch row): ok when code is DAGLOON_OK; an error
** also counts in dagloon_errors_total by its kind. [any thread] */
void metrics_dossier(metrics *m, const char *ruleset, dagloon_status code);
/* An error answer that is not a computed dossier's (a problem of the request, or of uitleg). [any thread] */
void metrics_error_count(metrics *m, metrics_error kind);
/* The kind of an engine error code. */
metrics_error metrics_error_of(dagloon_status code);
/* The kind of a problem by its type's slug ("not-found"; MX_OTHER for one it does not know). */
metrics_error metrics_error_of_problem(const char *slug);

/* The rule sets loaded, for the page: their names and rules (for their hashes). */
typedef struct metrics_ruleset {
  const char *name;
  const dagloon_rules *rules;
} metrics_ruleset;

/* The page (malloc'ed, its length in *len): every family with HELP and TYPE. [any thread] */
char *metrics_render(metrics *m, long inflight, const metrics_ruleset *sets, size_t nsets, size_t *len);

#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

#endif
