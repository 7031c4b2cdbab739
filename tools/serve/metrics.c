/*
** metrics.c: the counters behind `GET /metrics` and their page (metrics.h).
*/
#include "metrics.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef atomic_uint_fast64_t counter;

#define CODES 500   /* the status codes 100..599, by code - 100 */

/* The latency buckets' upper bounds: as printed (le) and in nanoseconds (what is counted). */
static const char *const bucket_le[] = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                                        "0.25",   "0.5",   "1",      "2.5",   "5",    "10",    "30"};
static const uint64_t bucket_ns[] = {500000,     1000000,    2500000,    5000000,     10000000,
                                     25000000,   50000000,   100000000,  250000000,   500000000,
                                     1000000000, 2500000000, 5000000000, 10000000000, 30000000000};
#define BUCKETS (sizeof bucket_ns / sizeof bucket_ns[0])

static const char *const endpoint_name[ME_COUNT] = {"bereken", "uitleg", "healthz", "metrics", "openapi", "other"};
static const char *const error_name[MX_COUNT] = {
    "input",     "eval",           "limit",     "no_trace",  "invalid_json",           "bad_request",
    "not_found", "method_not_allowed", "not_acceptable", "too_large", "unsupported_media_type", "other"};

struct metrics {
  char **names;                 /* the rule sets; index n is "" (no rule set) */
  size_t n;
  counter *requests;            /* [(n + 1) * ME_COUNT * CODES] */
  counter *dossiers;            /* [(n + 1) * 2]: ok, error */
  counter errors[MX_COUNT];
  counter buckets[ME_COUNT][BUCKETS + 1];   /* per bucket, not cumulative; the last is +Inf */
  counter sum_ns[ME_COUNT];
};

metrics *metrics_new(const char *const *names, size_t n) {
  metrics *m = calloc(1, sizeof *m);
  if (!m) abort();
  m->n = n;
  m->names = calloc(n + 1, sizeof *m->names);
  m->requests = calloc((n + 1) * ME_COUNT * CODES, sizeof *m->requests);
  m->dossiers = calloc((n + 1) * 2, sizeof *m->dossiers);
  if (!m->names || !m->requests || !m->dossiers) abort();
  for (size_t i = 0; i < n; i++)
    if (!(m->names[i] = strdup(names[i]))) abort();
  /* (calloc's zero bytes are not promised to be a valid atomic zero: atomic_init says so) */
  for (size_t i = 0; i < (n + 1) * ME_COUNT * CODES; i++) atomic_init(&m->requests[i], 0);
  for (size_t i = 0; i < (n + 1) * 2; i++) atomic_init(&m->dossiers[i], 0);
  for (size_t i = 0; i < MX_COUNT; i++) atomic_init(&m->errors[i], 0);
  for (size_t e = 0; e < ME_COUNT; e++) {
    for (size_t b = 0; b <= BUCKETS; b++) atomic_init(&m->buckets[e][b], 0);
    atomic_init(&m->sum_ns[e], 0);
  }
  return m;
}

void metrics_free(metrics *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n; i++) free(m->names[i]);
  free(m->names);
  free(m->requests);
  free(m->dossiers);
  free(m);
}

static size_t set_index(const metrics *m, const char *ruleset) {
  for (size_t i = 0; ruleset && i < m->n; i++)
    if (strcmp(m->names[i], ruleset) == 0) return i;
  return m->n;
}

static void add(counter *c, uint64_t v) { atomic_fetch_add_explicit(c, v, memory_order_relaxed); }

void metrics_request(metrics *m, const char *ruleset, metrics_endpoint e, int status, uint64_t nanoseconds) {
  if ((unsigned)e >= ME_COUNT) e = ME_OTHER;
  if (status < 100 || status > 599) status = 500;
  add(&m->requests[(set_index(m, ruleset) * ME_COUNT + e) * CODES + (size_t)(status - 100)], 1);
  size_t b = 0;
  while (b < BUCKETS && nanoseconds > bucket_ns[b]) b++;
  add(&m->buckets[e][b], 1);
  add(&m->sum_ns[e], nanoseconds);
}

metrics_error metrics_error_of(dagloon_status code) {
  switch (code) {
    case DAGLOON_ERR_INPUT: return MX_INPUT;
    case DAGLOON_ERR_EVAL: return MX_EVAL;
    case DAGLOON_ERR_LIMIT: return MX_LIMIT;
    case DAGLOON_ERR_NO_TRACE: return MX_NO_TRACE;
    default: return MX_OTHER;
  }
}

metrics_error metrics_error_of_problem(const char *slug) {
  for (size_t k = 0; k < MX_COUNT; k++) {
    const char *a = error_name[k], *b = slug;
    while (*a && (*a == *b || (*a == '_' && *b == '-'))) a++, b++;
    if (!*a && !*b) return (metrics_error)k;
  }
  return MX_OTHER;
}

void metrics_dossier(metrics *m, const char *ruleset, dagloon_status code) {
  add(&m->dossiers[set_index(m, ruleset) * 2 + (code != DAGLOON_OK)], 1);
  if (code != DAGLOON_OK) add(&m->errors[metrics_error_of(code)], 1);
}

void metrics_error_count(metrics *m, metrics_error kind) {
  if ((unsigned)kind >= MX_COUNT) kind = MX_OTHER;
  add(&m->errors[kind], 1);
}

static uint64_t get(counter *c) { return atomic_load_explicit(c, memory_order_relaxed); }

static void family(FILE *f, const char *name, const char *type, const char *help) {
  fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void seconds(FILE *f, uint64_t ns) {
  fprintf(f, "%" PRIu64 ".%09" PRIu64, ns / 1000000000u, ns % 1000000000u);
}

char *metrics_render(metrics *m, long inflight, const metrics_ruleset *sets, size_t nsets, size_t *len) {
  char *text = NULL;
  FILE *f = open_memstream(&text, len);
  if (!f) abort();
  int api = dagloon_api_version();
  family(f, "dagloon_build_info", "gauge", "The engine's version and the API version it was built with (always 1).");
  fprintf(f, "dagloon_build_info{version=\"%s\",api_version=\"%d.%d\"} 1\n", dagloon_version(), api >> 16,
          api & 0xffff);

  family(f, "dagloon_rulesets_loaded", "gauge", "Rule sets being served.");
  fprintf(f, "dagloon_rulesets_loaded %zu\n", nsets);
  family(f, "dagloon_ruleset_info", "gauge",
         "A rule set served, with its compiled code's SHA-256 (dagloon_rules_hash; always 1).");
  for (size_t i = 0; i < nsets; i++)
    fprintf(f, "dagloon_ruleset_info{ruleset=\"%s\",rules_sha256=\"%s\"} 1\n", sets[i].name,
            dagloon_rules_hash(sets[i].rules));

  family(f, "dagloon_http_requests_in_flight", "gauge", "Requests begun and not yet completed (this one included).");
  fprintf(f, "dagloon_http_requests_in_flight %ld\n", inflight);

  family(f, "dagloon_http_requests_total", "counter", "Requests answered, by rule set, endpoint and status code.");
  for (size_t s = 0; s <= m->n; s++)
    for (size_t e = 0; e < ME_COUNT; e++)
      for (size_t c = 0; c < CODES; c++) {
        uint64_t v = get(&m->requests[(s * ME_COUNT + e) * CODES + c]);
        if (v)
          fprintf(f, "dagloon_http_requests_total{ruleset=\"%s\",endpoint=\"%s\",code=\"%zu\"} %" PRIu64 "\n",
                  s < m->n ? m->names[s] : "", endpoint_name[e], c + 100, v);
      }

  family(f, "dagloon_dossiers_total", "counter",
         "Dossiers computed by bereken (one per JSON request, one per NDJSON line), by rule set and result.");
  for (size_t s = 0; s < m->n; s++)
    for (int err = 0; err < 2; err++)
      fprintf(f, "dagloon_dossiers_total{ruleset=\"%s\",result=\"%s\"} %" PRIu64 "\n", m->names[s],
              err ? "error" : "ok", get(&m->dossiers[s * 2 + (size_t)err]));

  family(f, "dagloon_errors_total", "counter",
         "Errors by kind: each problem answered and each error line of an NDJSON batch.");
  for (size_t k = 0; k < MX_COUNT; k++)
    fprintf(f, "dagloon_errors_total{kind=\"%s\"} %" PRIu64 "\n", error_name[k], get(&m->errors[k]));

  family(f, "dagloon_http_request_duration_seconds", "histogram",
         "Time from a request's first byte read to its answer's last byte sent, by endpoint.");
  for (size_t e = 0; e < ME_COUNT; e++) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= BUCKETS; b++) {
      cumulative += get(&m->buckets[e][b]);
      fprintf(f, "dagloon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%s\"} %" PRIu64 "\n",
              endpoint_name[e], b < BUCKETS ? bucket_le[b] : "+Inf", cumulative);
    }
    fprintf(f, "dagloon_http_request_duration_seconds_sum{endpoint=\"%s\"} ", endpoint_name[e]);
    seconds(f, get(&m->sum_ns[e]));
    /* the count is the buckets' total, so that +Inf equals it whatever is counted meanwhile */
    fprintf(f, "\ndagloon_http_request_duration_seconds_count{endpoint=\"%s\"} %" PRIu64 "\n", endpoint_name[e],
            cumulative);
  }
  if (fclose(f) != 0) abort();
  return text;
}
