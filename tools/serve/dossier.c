/*
** dossier.c: the answers for dossiers (dossier.h) through the library's evaluators.
*/
#include "dossier.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "problem.h"

static answer problem_answer(int status, char *body) {
  return (answer){status, PROBLEM_TYPE, body, strlen(body), DAGLOON_OK};
}

static char *copy(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (!c) abort();
  memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

answer dossier_answer(served_rules *s, const char *body, size_t len, dossier_mode mode) {
  /* the syntax first, with jansson, so a malformed body is a 400 that says where */
  json_error_t jerr;
  json_t *j = json_loadb(body, len, 0, &jerr);
  if (!j || !json_is_object(j)) {
    char detail[320];
    if (!j)
      snprintf(detail, sizeof detail, "line %d, column %d (byte %d): %s", jerr.line, jerr.column, jerr.position,
               jerr.text);
    else
      snprintf(detail, sizeof detail, "the body is a JSON %s, not an object (one dossier)",
               json_is_array(j) ? "array" : "value");
    json_decref(j);
    return problem_answer(400, problem_json(400, "invalid-json", "the body is not one JSON object", detail, NULL));
  }
  json_decref(j);

  dagloon_evaluator *ev = evaluator_acquire(s);
  dagloon_error *err = NULL;
  const char *out = mode == DOSSIER_EXPLAIN_HTML   ? dagloon_explain_html(ev, body, len, NULL, &err)
                    : mode == DOSSIER_EXPLAIN_JSON ? dagloon_explain(ev, body, len, NULL, &err)
                                                   : dagloon_evaluate(ev, body, len, &err);
  answer a;
  if (out) {
    a = (answer){200, mode == DOSSIER_EXPLAIN_HTML ? "text/html; charset=utf-8" : "application/json",
                 copy(out, strlen(out)), strlen(out), DAGLOON_OK};
  } else {
    int status;
    char *p = problem_from_error(err, &status);
    a = problem_answer(status, p);
    a.code = dagloon_error_code(err);
    dagloon_error_free(err);
  }
  evaluator_release(s, ev);
  return a;
}

struct batch {
  served_rules *s;
  char *body;
  size_t len, at;      /* the next line starts at body[at] */
  uint64_t line, record;
  char *pending;       /* the answer's line being sent, with its newline */
  size_t plen, psent;
  void (*on_row)(void *ctx, const char *ruleset, dagloon_status code);
  void *ctx;
  char *last;          /* batch_end_with's line, until it is sent */
};

batch *batch_new(served_rules *s, char *body, size_t len) {
  batch *b = calloc(1, sizeof *b);
  if (!b) abort();
  b->s = s;
  generation_hold(s->gen);   /* the batch finishes on the rules it began with, even after a reload */
  b->body = body;
  b->len = len;
  return b;
}

void batch_on_row(batch *b, void (*on_row)(void *ctx, const char *ruleset, dagloon_status code), void *ctx) {
  b->on_row = on_row;
  b->ctx = ctx;
}

void batch_end_with(batch *b, char *line) {
  free(b->last);
  b->last = line;
}

/* Makes text and a newline the line being sent. */
static void set_pending(batch *b, const char *text) {
  size_t tl = strlen(text);
  free(b->pending);
  b->pending = malloc(tl + 1);
  if (!b->pending) abort();
  memcpy(b->pending, text, tl);
  b->pending[tl] = '\n';
  b->plen = tl + 1;
  b->psent = 0;
}

static int blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return 0;
  return 1;
}

/* Computes the next non-blank line into b->pending, after them the last line; 0 when there is none left. */
static int next_row(batch *b) {
  while (b->at < b->len) {
    const char *p = b->body + b->at;
    const char *nl = memchr(p, '\n', b->len - b->at);
    size_t n = nl ? (size_t)(nl - p) : b->len - b->at;
    b->at += n + (nl ? 1 : 0);
    b->line++;
    if (blank(p, n)) continue;
    b->record++;
    dagloon_evaluator *ev = evaluator_acquire(b->s);
    dagloon_error *err = NULL;
    const char *row = dagloon_evaluate(ev, p, n, &err);
    char *owned = row ? NULL : error_line(err, b->record, b->line);
    set_pending(b, row ? row : owned);
    if (b->on_row) b->on_row(b->ctx, b->s->name, row ? DAGLOON_OK : dagloon_error_code(err));
    free(owned);
    dagloon_error_free(err);
    evaluator_release(b->s, ev);
    return 1;
  }
  if (b->last) {   /* after every row */
    set_pending(b, b->last);
    free(b->last);
    b->last = NULL;
    return 1;
  }
  return 0;
}

ssize_t batch_read(void *cls, uint64_t pos, char *buf, size_t max) {
  (void)pos;
  batch *b = cls;
  size_t n = 0;
  while (n < max) {
    if (b->psent == b->plen && !next_row(b)) break;
    size_t k = b->plen - b->psent < max - n ? b->plen - b->psent : max - n;
    memcpy(buf + n, b->pending + b->psent, k);
    b->psent += k;
    n += k;
  }
  return n ? (ssize_t)n : -1;
}

void batch_free(void *cls) {
  batch *b = cls;
  if (!b) return;
  generation_release(b->s->gen);
  free(b->pending);
  free(b->last);
  free(b->body);
  free(b);
}
