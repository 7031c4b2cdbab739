/*
** server.c: the HTTP side of `dagloon serve` on libmicrohttpd: the daemon with its thread
** pool and limits, the routes, a request's body, and the graceful stop on SIGTERM/SIGINT.
**
** Routes: GET /healthz; POST /v1/{ruleset}/bereken (application/json: one dossier;
** application/x-ndjson: a batch, streamed back); POST /v1/{ruleset}/uitleg.
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
#include "catalog.h"
#include "dossier.h"
#include "problem.h"

typedef enum route { R_NONE, R_HEALTH, R_BEREKEN, R_UITLEG } route;

typedef struct server {
  const serve_config *c;
  catalog cat;
  atomic_int inflight;   /* requests begun and not yet completed */
} server;

/* One request: its route and the body read so far. */
typedef struct request {
  route r;
  served_rules *s;
  int ndjson;
  int too_large;
  char *body;
  size_t len, cap;
} request;

static enum MHD_Result send_answer(struct MHD_Connection *con, int status, const char *type, char *body, size_t len,
                                   const char *allow) {
  struct MHD_Response *rsp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  if (allow) MHD_add_response_header(rsp, MHD_HTTP_HEADER_ALLOW, allow);
  enum MHD_Result ok = MHD_queue_response(con, (unsigned)status, rsp);
  MHD_destroy_response(rsp);
  return ok;
}

static enum MHD_Result send_problem(struct MHD_Connection *con, int status, const char *slug, const char *title,
                                    const char *detail, const char *allow) {
  char *p = problem_json(status, slug, title, detail, NULL);
  return send_answer(con, status, PROBLEM_TYPE, p, strlen(p), allow);
}

/* The route of url, and its rule set; R_NONE for anything else (also /v1/NAME/... of no rule set). */
static route route_of(server *sv, const char *url, served_rules **s) {
  *s = NULL;
  if (strcmp(url, "/healthz") == 0) return R_HEALTH;
  if (strncmp(url, "/v1/", 4) != 0) return R_NONE;
  const char *name = url + 4, *slash = strchr(name, '/');
  if (!slash) return R_NONE;
  route r = strcmp(slash, "/bereken") == 0 ? R_BEREKEN : strcmp(slash, "/uitleg") == 0 ? R_UITLEG : R_NONE;
  if (r == R_NONE) return R_NONE;
  *s = catalog_find(&sv->cat, name, (size_t)(slash - name));
  return *s ? r : R_NONE;
}

static enum MHD_Result health(server *sv, struct MHD_Connection *con) {
  json_t *o = json_object(), *names = json_array();
  for (size_t i = 0; i < sv->cat.n; i++) json_array_append_new(names, json_string(sv->cat.sets[i].name));
  json_object_set_new(o, "status", json_string("ok"));
  json_object_set_new(o, "version", json_string(dagloon_version()));
  json_object_set_new(o, "rulesets", names);
  char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!s) abort();
  return send_answer(con, 200, "application/json", s, strlen(s), NULL);
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
  rq->r = route_of(sv, url, &rq->s);
  if (ambiguous_length(con)) {
    char *p = problem_json(400, "ambiguous-length", "the request's length is ambiguous",
                           "send either Content-Length (once) or Transfer-Encoding: chunked", NULL);
    struct MHD_Response *rsp = MHD_create_response_from_buffer(strlen(p), p, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, PROBLEM_TYPE);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ok = MHD_queue_response(con, 400, rsp);
    MHD_destroy_response(rsp);
    return ok;
  }
  int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0, is_post = strcmp(method, "POST") == 0;
  if (rq->r == R_NONE)
    return send_problem(con, 404, "not-found", "no such resource",
                        "the paths are /healthz, /v1/{ruleset}/bereken and /v1/{ruleset}/uitleg; /healthz lists "
                        "the rule sets",
                        NULL);
  if (rq->r == R_HEALTH) {
    if (!is_get) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use GET", "GET, HEAD");
    return health(sv, con);
  }
  if (!is_post) return send_problem(con, 405, "method-not-allowed", "method not allowed", "use POST", "POST");
  const char *type = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  rq->ndjson = type && strncasecmp(type, "application/x-ndjson", 20) == 0;
  if (rq->ndjson && rq->r == R_UITLEG)
    return send_problem(con, 415, "unsupported-media-type", "one dossier at a time",
                        "uitleg explains one dossier: send it as application/json", NULL);
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
    batch *b = batch_new(rq->s, rq->body, rq->len);
    rq->body = NULL;
    struct MHD_Response *rsp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, batch_read, b, batch_free);
    MHD_add_response_header(rsp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/x-ndjson");
    enum MHD_Result ok = MHD_queue_response(con, MHD_HTTP_OK, rsp);
    MHD_destroy_response(rsp);
    return ok;
  }
  answer a = dossier_answer(rq->s, rq->body ? rq->body : "", rq->len, rq->r == R_UITLEG);
  return send_answer(con, a.status, a.content_type, a.body, a.len, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)version;
  server *sv = cls;
  if (!*con_cls) return begin(sv, con, url, method, con_cls);
  request *rq = *con_cls;
  if (*upload_data_size) {
    take(sv, rq, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return MHD_YES;
  }
  return finish(sv, con, rq);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls, enum MHD_RequestTerminationCode why) {
  (void)con;
  (void)why;
  server *sv = cls;
  request *rq = *con_cls;
  if (!rq) return;
  free(rq->body);
  free(rq);
  *con_cls = NULL;
  atomic_fetch_sub(&sv->inflight, 1);
}

/* "HOST:PORT" (IPv4) into sa; 0 when it is not one. */
static int parse_listen(const char *s, struct sockaddr_in *sa) {
  const char *colon = strrchr(s, ':');
  if (!colon || colon == s || colon - s >= 64) return 0;
  char host[64];
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (!colon[1] || *end || port > 65535) return 0;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  return inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa->sin_addr) == 1;
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
  struct sockaddr_in sa;
  if (!parse_listen(c->listen, &sa)) {
    fprintf(stderr, _("dagloon serve: --listen '%s' is not HOST:PORT with an IPv4 address (127.0.0.1:8080)\n"),
            c->listen);
    return 2;
  }
  server sv = {.c = c};
  atomic_init(&sv.inflight, 0);
  int st = catalog_load(&sv.cat, c);
  if (st) {
    catalog_free(&sv.cat);
    return st;
  }
  /* the workers inherit a mask without SIGTERM and SIGINT: only this thread takes them, in sigwait */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);

  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, &sv, MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads > 1 ? c->threads : 0), MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)c->timeout, MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, _("dagloon serve: cannot listen on %s (in use, or not an address of this machine)\n"), c->listen);
    catalog_free(&sv.cat);
    return 1;
  }
  const union MHD_DaemonInfo *port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  char addr[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
  fprintf(stderr, _("dagloon serve: listening on http://%s:%u/\n"), addr,
          port ? (unsigned)port->port : (unsigned)ntohs(sa.sin_port));

  int sig = 0;
  sigwait(&stop, &sig);
  /* graceful: no new connections; the requests in flight finish (bounded by the idle timeout) */
  fprintf(stderr, _("dagloon serve: stopping (%s): finishing the requests in flight\n"),
          sig == SIGTERM ? "SIGTERM" : "SIGINT");
  MHD_quiesce_daemon(d);
  drain(&sv, c->timeout);
  MHD_stop_daemon(d);
  catalog_free(&sv.cat);
  fprintf(stderr, _("dagloon serve: stopped\n"));
  return 0;
}
