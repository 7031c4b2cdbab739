/*
** server.c: the HTTP side of `dagloon serve` on libmicrohttpd: the daemon with its thread
** pool and limits, the routes, a request's body, the graceful stop on SIGTERM/SIGINT, and
** SIGHUP handed to the reload thread (reload.c).
**
** Routes: GET /healthz; GET /metrics (metrics.c); POST /v1/{ruleset}/bereken (application/json:
** one dossier; application/x-ndjson: a batch, streamed back); POST /v1/{ruleset}/uitleg (JSON, or
** the HTML page when the client prefers it: accept.c); ?receipt=1 on both (http_receipt.c);
** GET /v1/{ruleset}/openapi.json (openapi.c).
*/
#include "serve.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "accept.h"
#include "catalog.h"
#include "dossier.h"
#include "http_receipt.h"
#include "metrics.h"
#include "openapi.h"
#include "problem.h"
#include "reload.h"

typedef enum route { R_NONE, R_HEALTH, R_BEREKEN, R_UITLEG, R_METRICS, R_OPENAPI } route;

typedef struct server {
  const serve_config *c;
  catalog cat;
  atomic_int inflight;   /* requests begun and not yet completed */
  metrics *m;
} server;

/* One request: its route, the generation of rule sets it began with, and the body read so far. */
typedef struct request {
  route r;
  generation *gen;   /* held from the request's first call to its completion (NULL for /healthz, 404s) */
  served_rules *s;
  int ndjson;
  int too_large;
  char *body;
  size_t len, cap;
  int receipt;              /* ?receipt=1 */
  int html;                 /* uitleg as the HTML page (Accept) */
  struct timespec start;    /* for the latency histogram */
  int status;               /* the answer's status once queued (0: none) */
  metrics_error error;      /* a problem's kind, or MX_COUNT */
} request;

/*
** What the last answer queued on this thread was: on_request copies it into its request. (MHD
** calls the handler on the connection's thread, and the answer is queued within that call.)
*/
static _Thread_local struct {
  int status;
  metrics_error error;
} this_answer;

static enum MHD_Result send_answer(struct MHD_Connection *con, int status, const char *type, char *body, size_t len,
                                   const char *allow) {
  struct MHD_Response *rsp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  if (allow) MHD_add_response_header(rsp, MHD_HTTP_HEADER_ALLOW, allow);
  this_answer.status = status;
  enum MHD_Result ok = MHD_queue_response(con, (unsigned)status, rsp);
  MHD_destroy_response(rsp);
  return ok;
}

static enum MHD_Result send_problem(struct MHD_Connection *con, int status, const char *slug, const char *title,
                                    const char *detail, const char *allow) {
  char *p = problem_json(status, slug, title, detail, NULL);
  enum MHD_Result ok = send_answer(con, status, PROBLEM_TYPE, p, strlen(p), allow);
  this_answer.error = metrics_error_of_problem(slug);
  return ok;
}

/*
** The route of url, and its rule set in the current generation, which rq then holds; R_NONE for
** anything else (also /v1/NAME/... of no rule set).
*/
static route route_of(server *sv, const char *url, request *rq) {
  served_rules **s = &rq->s;
  *s = NULL;
  if (strcmp(url, "/healthz") == 0) return R_HEALTH;
  if (strcmp(url, "/metrics") == 0) return R_METRICS;
  if (strncmp(url, "/v1/", 4) != 0) return R_NONE;
  const char *name = url + 4, *slash = strchr(name, '/');
  if (!slash) return R_NONE;
  route r = strcmp(slash, "/bereken") == 0  ? R_BEREKEN
            : strcmp(slash, "/uitleg") == 0 ? R_UITLEG
            : strcmp(slash, "/openapi.json") == 0 ? R_OPENAPI
                                                  : R_NONE;
  if (r == R_NONE) return R_NONE;
  rq->gen = generation_acquire(&sv->cat);
  *s = generation_find(rq->gen, name, (size_t)(slash - name));
  return *s ? r : R_NONE;
}

static enum MHD_Result health(server *sv, struct MHD_Connection *con) {
  generation *g = generation_acquire(&sv->cat);
  json_t *o = json_object(), *names = json_array(), *loaded = json_object();
  char when[32];
  struct tm tm;
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&g->loaded, &tm));
  for (size_t i = 0; i < g->n; i++) {
    json_array_append_new(names, json_string(g->sets[i].name));
    json_object_set_new(loaded, g->sets[i].name, json_pack("{s:I,s:s,s:s}", "generation", (json_int_t)g->number,
                                                            "loaded_at", when, "hash", dagloon_rules_hash(g->sets[i].rules)));
  }
  json_object_set_new(o, "status", json_string("ok"));
  json_object_set_new(o, "version", json_string(dagloon_version()));
  json_object_set_new(o, "rulesets", names);
  json_object_set_new(o, "generation", json_integer((json_int_t)g->number));
  json_object_set_new(o, "loaded", loaded);
  generation_release(g);
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s) abort();
  return send_answer(con, 200, "application/json", s, strlen(s), NULL);
}

static enum MHD_Result metrics_page(server *sv, struct MHD_Connection *con) {
  generation *g = generation_acquire(&sv->cat);   /* the rule sets serving now, with their hashes */
  metrics_ruleset *sets = calloc(g->n + 1, sizeof *sets);
  if (!sets) abort();
  for (size_t i = 0; i < g->n; i++) sets[i] = (metrics_ruleset){g->sets[i].name, g->sets[i].rules};
  size_t len;
  char *page = metrics_render(sv->m, atomic_load(&sv->inflight), sets, g->n, &len);
  free(sets);
  generation_release(g);
  return send_answer(con, 200, METRICS_TYPE, page, len, NULL);
}

/* The answer's status and problem kind, once queued, into rq (the metrics count it when it completes). */
static void note_answer(request *rq) {
  if (!rq || !this_answer.status) return;
  rq->status = this_answer.status;
  if (this_answer.error != MX_COUNT) rq->error = this_answer.error;
}

/* A batch row computed (batch_on_row). */
static void count_row(void *m, const char *ruleset, dagloon_status code) { metrics_dossier(m, ruleset, code); }

/* One dossier's answer: bereken counts it as a dossier (with its error); uitleg's engine error is a problem. */
static void count_answer(server *sv, request *rq, const answer *a) {
  if (a->status == 400) rq->error = MX_INVALID_JSON;
  else if (rq->r == R_BEREKEN) metrics_dossier(sv->m, rq->s->name, a->code);
  else if (a->code != DAGLOON_OK) rq->error = metrics_error_of(a->code);
}

/* A request completed: its status, endpoint and time, and its problem's kind. */
static void count_request(server *sv, const request *rq) {
  if (!rq->status) return;   /* never answered (the client went away first) */
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t ns = (int64_t)(now.tv_sec - rq->start.tv_sec) * 1000000000 + (now.tv_nsec - rq->start.tv_nsec);
  metrics_endpoint e = rq->r == R_BEREKEN ? ME_BEREKEN : rq->r == R_UITLEG ? ME_UITLEG : rq->r == R_HEALTH ? ME_HEALTHZ
                       : rq->r == R_METRICS ? ME_METRICS : rq->r == R_OPENAPI ? ME_OPENAPI : ME_OTHER;
  metrics_request(sv->m, rq->s ? rq->s->name : NULL, e, rq->status, ns > 0 ? (uint64_t)ns : 0);
  if (rq->error != MX_COUNT) metrics_error_count(sv->m, rq->error);
}

/* A 200 with ?receipt=1: JSON as {"uitvoer"|"uitleg": answer, "receipt": {...}}; the HTML page with the
** receipt in a Dagloon-Receipt header (the page stays the command's, byte for byte). */
static enum MHD_Result send_with_receipt(struct MHD_Connection *con, const request *rq, answer *a, const char *body) {
  char *receipt = http_receipt_json(rq->s, body, rq->len);
  if (rq->html) {
    struct MHD_Response *rsp = MHD_create_response_from_buffer(a->len, a->body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, a->content_type);
    MHD_add_response_header(rsp, "Dagloon-Receipt", receipt);
    free(receipt);
    this_answer.status = a->status;
    enum MHD_Result ok = MHD_queue_response(con, (unsigned)a->status, rsp);
    MHD_destroy_response(rsp);
    return ok;
  }
  size_t len;
  char *wrapped = http_receipt_wrap(rq->r == R_BEREKEN ? "uitvoer" : "uitleg", a->body, a->len, receipt, &len);
  free(receipt);
  free(a->body);
  return send_answer(con, a->status, a->content_type, wrapped, len, NULL);
}

static enum MHD_Result count_length(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  (void)value;
  if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) ++*(int *)cls;
  return MHD_YES;
}

/* RFC 9112 6.3: Transfer-Encoding with Content-Length, or two Content-Lengths, could be framed
   otherwise by a proxy in front (request smuggling): refused, and the connection closed after it. */
static int ambiguous_length(struct MHD_Connection *con) {
  int lengths = 0;
  MHD_get_connection_values(con, MHD_HEADER_KIND, count_length, &lengths);
  return lengths > 1 ||
         (lengths && MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING));
}

/* The first call of a request: its route; an answer at once for what needs no body (or is refused). */
static enum MHD_Result begin(server *sv, struct MHD_Connection *con, const char *url, const char *method,
                             void **con_cls) {
  request *rq = calloc(1, sizeof *rq);
  if (!rq) abort();
  *con_cls = rq;
  atomic_fetch_add(&sv->inflight, 1);
  rq->r = route_of(sv, url, rq);
  rq->error = MX_COUNT;
  clock_gettime(CLOCK_MONOTONIC, &rq->start);
  if (ambiguous_length(con)) {
    char *p = problem_json(400, "ambiguous-length", "the request's length is ambiguous",
                           "send either Content-Length (once) or Transfer-Encoding: chunked", NULL);
    struct MHD_Response *rsp = MHD_create_response_from_buffer(strlen(p), p, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, PROBLEM_TYPE);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONNECTION, "close");
    this_answer.status = 400;
    this_answer.error = MX_BAD_REQUEST;
    enum MHD_Result ok = MHD_queue_response(con, 400, rsp);
    MHD_destroy_response(rsp);
    return ok;
  }
  int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0, is_post = strcmp(method, "POST") == 0;
  if (rq->r == R_NONE)
    return send_problem(con, 404, "not-found", "no such resource",
                        "the paths are /healthz, /v1/{ruleset}/bereken, /v1/{ruleset}/uitleg and "
                        "/v1/{ruleset}/openapi.json; /healthz lists the rule sets",
                        NULL);
  if (rq->r == R_HEALTH) {
    if (!is_get) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use GET", "GET, HEAD");
    return health(sv, con);
  }
  if (rq->r == R_METRICS) {
    if (!is_get) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use GET", "GET, HEAD");
    return metrics_page(sv, con);
  }
  if (rq->r == R_OPENAPI) {
    if (!is_get) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use GET", "GET, HEAD");
    char *doc = openapi_document(rq->s->name, rq->s->rules);
    return send_answer(con, 200, "application/json", doc, strlen(doc), NULL);
  }
  if (!is_post) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use POST", "POST");
  const char *type = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  rq->ndjson = type && strncasecmp(type, "application/x-ndjson", 20) == 0;
  if (rq->ndjson && rq->r == R_UITLEG)
    return send_problem(con, 415, "unsupported-media-type", "one dossier at a time",
                        "uitleg explains one dossier: send it as application/json", NULL);
  if ((rq->receipt = http_receipt_wanted(con)) < 0)
    return send_problem(con, 400, "bad-request", "bad receipt parameter", "receipt is 1 (a receipt) or 0 (none)",
                        NULL);
  if (rq->r == R_UITLEG) {
    accept_choice want = accept_html_or_json(MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
    if (want == ACCEPT_NONE)
      return send_problem(con, 406, "not-acceptable", "neither JSON nor HTML is acceptable",
                          "uitleg answers application/json or text/html", NULL);
    rq->html = want == ACCEPT_HTML;
  }
  const char *length = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  if (length && strtoull(length, NULL, 10) > sv->c->max_body) {
    char detail[96];
    snprintf(detail, sizeof detail, "the body may have at most %zu bytes", sv->c->max_body);
    return send_problem(con, 413, "too-large", "the request body is too large", detail, NULL);
  }
  return MHD_YES;   /* the body follows */
}

/* A chunk of the body: kept up to the limit (beyond it, dropped, and the answer is 413). */
static void take(server *sv, request *rq, const char *data, size_t n) {
  if (rq->too_large || n > sv->c->max_body - rq->len) {
    rq->too_large = 1;
    return;
  }
  if (rq->len + n + 1 > rq->cap) {
    size_t cap = rq->cap ? rq->cap : 4096;
    while (cap < rq->len + n + 1) cap *= 2;
    rq->body = realloc(rq->body, cap);
    if (!rq->body) abort();
    rq->cap = cap;
  }
  memcpy(rq->body + rq->len, data, n);
  rq->len += n;
  rq->body[rq->len] = '\0';
}

/* The whole body is in: the answer. */
static enum MHD_Result finish(server *sv, struct MHD_Connection *con, request *rq) {
  if (rq->too_large) {
    char detail[96];
    snprintf(detail, sizeof detail, "the body may have at most %zu bytes", sv->c->max_body);
    return send_problem(con, 413, "too-large", "the request body is too large", detail, NULL);
  }
  if (rq->ndjson) {
    char *receipt = rq->receipt ? http_receipt_line(rq->s, rq->body ? rq->body : "", rq->len) : NULL;
    batch *b = batch_new(rq->s, rq->body, rq->len);
    rq->body = NULL;
    batch_on_row(b, count_row, sv->m);
    if (receipt) batch_end_with(b, receipt);
    struct MHD_Response *rsp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, batch_read, b, batch_free);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/x-ndjson");
    this_answer.status = MHD_HTTP_OK;
    enum MHD_Result ok = MHD_queue_response(con, MHD_HTTP_OK, rsp);
    MHD_destroy_response(rsp);
    return ok;
  }
  const char *body = rq->body ? rq->body : "";
  answer a = dossier_answer(rq->s, body, rq->len,
                            rq->r == R_BEREKEN ? DOSSIER_ROW : rq->html ? DOSSIER_EXPLAIN_HTML : DOSSIER_EXPLAIN_JSON);
  count_answer(sv, rq, &a);
  if (rq->receipt && a.status == 200) return send_with_receipt(con, rq, &a, body);
  return send_answer(con, a.status, a.content_type, a.body, a.len, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)version;
  server *sv = cls;
  this_answer.status = 0;
  this_answer.error = MX_COUNT;
  if (!*con_cls) {
    enum MHD_Result ok = begin(sv, con, url, method, con_cls);
    note_answer(*con_cls);
    return ok;
  }
  request *rq = *con_cls;
  if (*upload_data_size) {
    take(sv, rq, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  enum MHD_Result ok = finish(sv, con, rq);
  note_answer(rq);
  return ok;
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode why) {
  (void)con;
  (void)why;
  server *sv = cls;
  request *rq = *con_cls;
  if (!rq) return;
  count_request(sv, rq);   /* before the generation goes: it names the rule set */
  if (rq->gen) generation_release(rq->gen);
  free(rq->body);
  free(rq);
  *con_cls = NULL;
  atomic_fetch_sub(&sv->inflight, 1);
}

/*
** "HOST:PORT" into sa: HOST an IPv4 address or "localhost" (127.0.0.1), or "[IPv6 address]"
** ("[::1]", "[::]"). Numeric addresses only: no name is looked up, so what is bound is what the
** operator wrote. 0 when s is not one of these.
*/
static int parse_listen(const char *s, struct sockaddr_storage *sa) {
  const char *colon = strrchr(s, ':');
  if (!colon || colon == s || colon - s >= 64) return 0;
  char host[64];
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (!colon[1] || colon[1] < '0' || colon[1] > '9' || *end || port > 65535) return 0;
  memset(sa, 0, sizeof *sa);
  size_t hl = strlen(host);
  if (host[0] == '[') {
    if (hl < 3 || host[hl - 1] != ']') return 0;
    host[hl - 1] = '\0';
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t)port);
    return inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1;
  }
  struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
  v4->sin_family = AF_INET;
  v4->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &v4->sin_addr) == 1;
}

static void log_mhd(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  fputs("dagloon serve: ", stderr);
  vfprintf(stderr, fmt, ap);
}

/* Waits until every request in flight has completed, at most `seconds`. */
static void drain(server *sv, unsigned seconds) {
  struct timespec tick = {0, 10 * 1000 * 1000};
  for (unsigned long waited = 0; atomic_load(&sv->inflight) > 0 && waited < 100UL * seconds; waited++)
    nanosleep(&tick, NULL);
}

int serve_run(const serve_config *c) {
  struct sockaddr_storage sa;
  if (!parse_listen(c->listen, &sa)) {
    fprintf(stderr,
            _("dagloon serve: --listen '%s' is not HOST:PORT with a numeric address (127.0.0.1:8080, [::1]:8080)\n"),
            c->listen);
    return 2;
  }
  int v6 = sa.ss_family == AF_INET6;
  /* the workers and the reload thread inherit a mask without SIGTERM, SIGINT and SIGHUP: only this
     thread takes them, in sigwait (no signal handler); blocked before the load, so that a SIGHUP
     during it waits instead of ending the process */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  server sv = {.c = c};
  atomic_init(&sv.inflight, 0);
  int st = catalog_load(&sv.cat, c);
  if (st) {
    catalog_free(&sv.cat);
    return st;
  }
  generation *g0 = generation_acquire(&sv.cat);   /* the names stay the same over reloads */
  const char **names = calloc(g0->n + 1, sizeof *names);
  if (!names) abort();
  for (size_t i = 0; i < g0->n; i++) names[i] = g0->sets[i].name;
  sv.m = metrics_new(names, g0->n);
  free(names);
  generation_release(g0);

  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                   (v6 ? MHD_USE_IPv6 : 0);
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, &sv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads > 1 ? c->threads : 0), MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)c->timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, _("dagloon serve: cannot listen on %s (in use, or not an address of this machine)\n"), c->listen);
    metrics_free(sv.m);
    catalog_free(&sv.cat);
    return 1;
  }
  const union MHD_DaemonInfo *port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  char addr[INET6_ADDRSTRLEN + 2];
  if (v6) {
    addr[0] = '[';
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, addr + 1, INET6_ADDRSTRLEN);
    strcat(addr, "]");
  } else {
    inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, addr, sizeof addr);
  }
  fprintf(stderr, _("dagloon serve: listening on http://%s:%u/\n"), addr, port ? (unsigned)port->port : 0u);

  reloader rl;
  reloader_start(&rl, &sv.cat);
  int sig = 0;
  for (;;) {
    if (sigwait(&stop, &sig) != 0) continue;
    if (sig != SIGHUP) break;
    reloader_ask(&rl);
  }
  /* graceful: no new connections; the requests in flight finish (bounded by the idle timeout) */
  fprintf(stderr, _("dagloon serve: stopping (%s): finishing the requests in flight\n"),
          sig == SIGTERM ? "SIGTERM" : "SIGINT");
  MHD_quiesce_daemon(d);
  drain(&sv, c->timeout);
  MHD_stop_daemon(d);
  reloader_stop(&rl);   /* a reload under way ends first: its generation is freed with the catalog */
  metrics_free(sv.m);
  catalog_free(&sv.cat);
  fprintf(stderr, _("dagloon serve: stopped\n"));
  return 0;
}
