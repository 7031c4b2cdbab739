/*
** server.c: the language server's lifecycle, notifications and the
** dispatch of requests to features.h (server.h).
*/
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */
#include "server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "diagnostics.h"
#include "features.h"
#include "jsonrpc.h"
#include "position.h"
#include "workspace.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "tools/check_report.h"
#include "tools/commands.h"
#include "tools/fmt.h"
#include "tools/version.h"

typedef struct Server {
  RpcReader in;
  int out;
  Workspace ws;
  LspSettings settings;
  bool initialized, shutdown, done, write_failed;
  int exit_code;
  long long deadline;   /* monotonic ms when the dirty rule sets are checked again; 0: none waits */
  bool unpublished;     /* a rule set was checked (found for a CSV) and its diagnostics not yet sent */
  json_t *published;    /* uri -> Diagnostic[] as last sent */
} Server;

enum { SETS_PER_DOC = 8 };

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void send(Server *s, json_t *msg) {
  if (!msg) msg = rpc_error(NULL, RPC_INTERNAL_ERROR, _("the answer could not be made"));
  if (!s->write_failed && !rpc_write(s->out, msg)) {
    fprintf(stderr, "dagloon lsp: %s\n", _("cannot write to the client; stopping"));
    s->write_failed = true;
    s->done = true;
    s->exit_code = 1;
  }
  json_decref(msg);
}

/* ---- the rule sets, checked again when the debounce has run out ---- */

/* The log line of a check (the tests count them) and the diagnostics in the order the terminal shows them. */
static void checked(RuleSet *rs, long long ms) {
  const Front *f = &rs->newest->front;
  diag_sort(&rs->newest->front.diags);
  if (f->load_error[0]) fprintf(stderr, "dagloon lsp: %s: %s\n", rs->root, f->load_error);
  fprintf(stderr, _("dagloon lsp: checked %s: %u files, %d errors, %d warnings (%lld ms)\n"), rs->root, f->src.n,
          f->diags.nerrors, f->diags.nwarnings, ms);
}

static void build(Server *s, RuleSet *rs) {
  long long t0 = now_ms();
  ws_build(&s->ws, rs);
  checked(rs, now_ms() - t0);
}

static void publish(Server *s) {
  if (!s->write_failed && !diagnostics_publish(&s->ws, &s->published, s->out)) {
    fprintf(stderr, "dagloon lsp: %s\n", _("cannot write to the client; stopping"));
    s->write_failed = true;
    s->done = true;
    s->exit_code = 1;
  }
}

static void build_dirty(Server *s) {
  bool any = s->unpublished;
  s->unpublished = false;
  for (size_t i = 0; i < s->ws.nsets; i++)
    if (s->ws.sets[i]->dirty) {
      build(s, s->ws.sets[i]);
      any = true;
    }
  s->deadline = 0;
  if (any) publish(s);
}

/* A request about a set with unchecked changes: check it now, so positions mean the text the client shows. */
static void fresh(Server *s, RuleSet *rs) {
  if (!rs->dirty && rs->newest) return;
  build(s, rs);
  publish(s);
}

static void check_at(Server *s, long long when) {
  if (s->deadline == 0 || when < s->deadline) s->deadline = when;
}

/* A document changed (or opened, or closed): every set that reads it is dirty. */
static void changed(Server *s, const Document *d, const char *real, long long when) {
  ws_touch(&s->ws, real);
  if (d) {
    unsigned before = s->ws.builds;
    long long t0 = now_ms();
    RuleSet *sets[SETS_PER_DOC];
    size_t n = ws_sets_of(&s->ws, d, sets, SETS_PER_DOC);
    for (size_t i = 0; i < n; i++) {
      if (sets[i]->built > before) {   /* just checked to see whether it reads the CSV: with this text already */
        checked(sets[i], now_ms() - t0);
        s->unpublished = true;
      } else {
        sets[i]->dirty = true;
      }
    }
  }
  s->deadline = 0;
  check_at(s, when);
}

/* ---- parameters ---- */

static const char *str_at(const json_t *o, const char *a, const char *b) {
  const json_t *v = json_object_get(o, a);
  if (b) v = json_object_get(v, b);
  return json_string_value(v);
}

static bool pos_of(const json_t *p, uint32_t *line, uint32_t *ch) {
  json_t *l = json_object_get(p, "line"), *c = json_object_get(p, "character");
  if (!json_is_integer(l) || !json_is_integer(c) || json_integer_value(l) < 0 || json_integer_value(c) < 0) return false;
  *line = json_integer_value(l) > UINT32_MAX ? UINT32_MAX : (uint32_t)json_integer_value(l);
  *ch = json_integer_value(c) > UINT32_MAX ? UINT32_MAX : (uint32_t)json_integer_value(c);
  return true;
}

static bool offset_in(const char *text, uint32_t len, const json_t *pos, uint32_t *off) {
  uint32_t line, ch;
  if (!pos_of(pos, &line, &ch)) return false;
  *off = lsp_offset_of(text, len, line, ch);
  return true;
}

/* "dagloon.datum": from {"datum": ...} or {"dagloon": {"datum": ...}}; a day as YYYY-MM-DD or nothing. */
static void settings_from(Server *s, const json_t *o) {
  const json_t *inner = json_object_get(o, "dagloon");
  const char *d = json_string_value(json_object_get(inner ? inner : o, "datum"));
  if (!d) return;
  bool ok = strlen(d) == 10 || d[0] == 0;
  for (int i = 0; ok && d[i]; i++) ok = (i == 4 || i == 7) ? d[i] == '-' : d[i] >= '0' && d[i] <= '9';
  if (ok) snprintf(s->settings.date, sizeof s->settings.date, "%s", d);
  else fprintf(stderr, "dagloon lsp: %s\n", _("the setting 'datum' is not a date YYYY-MM-DD; ignored"));
}

/* ---- requests ---- */

typedef struct Target {
  Document *doc;
  RuleSet *rs;
  const Analysis *a;
  uint32_t file, off;
} Target;

/* The document of params.textDocument, its rule set checked up to now, and the file in it; false: none. */
static bool target(Server *s, const json_t *params, Target *t) {
  memset(t, 0, sizeof *t);
  const char *uri = str_at(params, "textDocument", "uri");
  t->doc = uri ? ws_find(&s->ws, uri) : NULL;
  if (!t->doc) return false;
  RuleSet *sets[SETS_PER_DOC];
  if (ws_sets_of(&s->ws, t->doc, sets, SETS_PER_DOC) == 0) return false;
  t->rs = sets[0];
  fresh(s, t->rs);
  t->a = t->rs->newest;
  if (t->doc->kind == DOC_CASE) return true;
  int f = ws_file_in(t->a, t->doc->real);
  if (f < 0) return false;
  t->file = (uint32_t)f;
  return true;
}

/* ... and the byte offset of params.position in that file. */
static bool target_at(Server *s, const json_t *params, Target *t) {
  if (!target(s, params, t)) return false;
  const json_t *pos = json_object_get(params, "position");
  if (t->doc->kind == DOC_CASE) return offset_in(t->doc->text, t->doc->len, pos, &t->off);
  const SourceFile *f = &t->a->front.src.files[t->file];
  return offset_in(f->text, f->len, pos, &t->off);
}

static json_t *or_null(json_t *j) { return j ? j : json_null(); }

typedef struct Answer {
  json_t *result;     /* the result, or NULL with an error */
  int code;
  char message[512];
} Answer;

static void fail(Answer *ans, int code, const char *msg) {
  ans->result = NULL;
  ans->code = code;
  snprintf(ans->message, sizeof ans->message, "%s", msg);
}

static json_t *capabilities(void) {
  return json_pack("{s:s,s:{s:b,s:i,s:{s:b}},s:b,s:b,s:b,s:{s:b},s:{s:[s]},s:{s:[s]},s:b,s:b,s:{s:o,s:b}}",
                   "positionEncoding", "utf-16",
                   "textDocumentSync", "openClose", 1, "change", 2, "save", "includeText", 0,
                   "hoverProvider", 1, "definitionProvider", 1, "referencesProvider", 1,
                   "renameProvider", "prepareProvider", 1,
                   "completionProvider", "triggerCharacters", ".",
                   "codeActionProvider", "codeActionKinds", "quickfix",
                   "documentSymbolProvider", 1, "documentFormattingProvider", 1,
                   "semanticTokensProvider", "legend", feat_semantic_legend(), "full", 1);
}

static void on_initialize(Server *s, const json_t *params, Answer *ans) {
  if (s->initialized) {
    fail(ans, RPC_INVALID_REQUEST, _("initialize was already sent"));
    return;
  }
  const char *locale = json_string_value(json_object_get(params, "locale"));
  if (locale) i18n_use(locale);
  json_t *opts = json_object_get(params, "initializationOptions");
  if (json_is_object(opts)) settings_from(s, opts);
  s->initialized = true;
  ans->result = json_pack("{s:o,s:{s:s,s:s}}", "capabilities", capabilities(), "serverInfo", "name", "dagloon",
                          "version", DAGLOON_VERSION);
}

static void on_hover(Server *s, const json_t *p, Answer *ans) {
  Target t;
  ans->result = target_at(s, p, &t) && t.doc->kind != DOC_CASE ? or_null(feat_hover(t.a, t.file, t.off, &s->settings))
                                                               : json_null();
}

static void on_definition(Server *s, const json_t *p, Answer *ans) {
  Target t;
  if (!target_at(s, p, &t)) {
    ans->result = json_array();
  } else if (t.doc->kind == DOC_CASE) {   /* a case file is not in the rule set: its field names point into it */
    const Analysis *a = t.rs->newest->front.prog ? t.rs->newest : t.rs->checked;
    ans->result = a ? or_null(feat_case_definition(a, t.doc->text, t.doc->len, t.off)) : json_array();
  } else {
    ans->result = or_null(feat_definition(t.a, t.file, t.off));
  }
}

static void on_references(Server *s, const json_t *p, Answer *ans) {
  Target t;
  bool decl = json_is_true(json_object_get(json_object_get(p, "context"), "includeDeclaration"));
  ans->result = target_at(s, p, &t) && t.doc->kind != DOC_CASE ? or_null(feat_references(t.a, t.file, t.off, decl))
                                                               : json_array();
}

static void on_prepare_rename(Server *s, const json_t *p, Answer *ans) {
  Target t;
  ans->result = target_at(s, p, &t) && t.doc->kind != DOC_CASE ? or_null(feat_prepare_rename(t.a, t.file, t.off))
                                                               : json_null();
}

static void on_rename(Server *s, const json_t *p, Answer *ans) {
  const char *name = json_string_value(json_object_get(p, "newName"));
  if (!name) {
    fail(ans, RPC_INVALID_PARAMS, _("rename needs newName, a string"));
    return;
  }
  Target t;
  if (!target_at(s, p, &t) || t.doc->kind == DOC_CASE) {
    ans->result = json_null();
    return;
  }
  char err[400] = "";
  ans->result = feat_rename(t.a, t.file, t.off, name, err, sizeof err);
  if (!ans->result) fail(ans, RPC_REQUEST_FAILED, err[0] ? err : _("cannot rename here"));
}

static void on_completion(Server *s, const json_t *p, Answer *ans) {
  const char *uri = str_at(p, "textDocument", "uri");
  Document *d = uri ? ws_find(&s->ws, uri) : NULL;
  uint32_t off;
  RuleSet *sets[SETS_PER_DOC];
  if (!d || d->kind != DOC_RULES || !offset_in(d->text, d->len, json_object_get(p, "position"), &off) ||
      ws_sets_of(&s->ws, d, sets, SETS_PER_DOC) == 0) {
    ans->result = json_array();
    return;
  }
  /* as the user types: the last analysis whose checking ran, not one built for every key */
  if (!sets[0]->newest) fresh(s, sets[0]);
  ans->result = or_null(feat_completion(sets[0]->checked, d->real, d->text, d->len, off));
}

static void on_code_action(Server *s, const json_t *p, Answer *ans) {
  Target t;
  const json_t *range = json_object_get(p, "range");
  uint32_t from, to;
  if (!target(s, p, &t) || t.doc->kind == DOC_CASE) {
    ans->result = json_array();
    return;
  }
  const SourceFile *f = &t.a->front.src.files[t.file];
  if (!offset_in(f->text, f->len, json_object_get(range, "start"), &from) ||
      !offset_in(f->text, f->len, json_object_get(range, "end"), &to)) {
    fail(ans, RPC_INVALID_PARAMS, _("codeAction needs a range"));
    return;
  }
  if (to < from) to = from;
  ans->result = or_null(feat_code_actions(t.a, t.file, from, to - from));
}

static void on_document_symbol(Server *s, const json_t *p, Answer *ans) {
  Target t;
  ans->result = target(s, p, &t) && t.doc->kind != DOC_CASE ? or_null(feat_document_symbols(t.a, t.file)) : json_array();
}

static void on_semantic_tokens(Server *s, const json_t *p, Answer *ans) {
  Target t;
  ans->result = target(s, p, &t) && t.doc->kind != DOC_CASE ? or_null(feat_semantic_tokens(t.a, t.file))
                                                            : json_pack("{s:[]}", "data");
}

/*
** The canonical layout of a rule file (dagloon fmt, tools/fmt.c) as one edit over the whole
** buffer, or none when it is in that layout already; a lexical error is an error answer, the
** buffer is left alone. The buffer as the editor has it, saved or not.
*/
static void on_formatting(Server *s, const json_t *p, Answer *ans) {
  const char *uri = str_at(p, "textDocument", "uri");
  Document *d = uri ? ws_find(&s->ws, uri) : NULL;
  if (!d || d->kind != DOC_RULES) {
    ans->result = json_array();
    return;
  }
  char *text = xmalloc((size_t)d->len + 1), *out = NULL, err[400] = "";
  memcpy(text, d->text, d->len);
  text[d->len] = 0;
  size_t outlen = 0;
  uint32_t erroff = 0;
  if (!fmt_text(text, d->len, &out, &outlen, err, sizeof err, &erroff)) {
    char msg[512];
    uint32_t line, ch;
    lsp_position_of(d->text, d->len, erroff, &line, &ch);
    snprintf(msg, sizeof msg, _("cannot format: line %u, character %u: %s"), line + 1, ch + 1, err);
    fail(ans, RPC_REQUEST_FAILED, msg);
  } else if (outlen == d->len && memcmp(out, d->text, outlen) == 0) {
    ans->result = json_array();
  } else {
    uint32_t line, ch;
    lsp_position_of(d->text, d->len, d->len, &line, &ch);
    ans->result = json_pack("[{s:{s:{s:i,s:i},s:{s:I,s:I}},s:s%}]", "range", "start", "line", 0, "character", 0,
                            "end", "line", (json_int_t)line, "character", (json_int_t)ch, "newText", out, outlen);
  }
  free(out);
  free(text);
}

static void on_shutdown(Server *s, const json_t *p, Answer *ans) {
  (void)p;
  s->shutdown = true;
  ans->result = json_null();
}

static const struct {
  const char *method;
  void (*run)(Server *s, const json_t *params, Answer *ans);
} requests[] = {
  {"initialize", on_initialize},
  {"shutdown", on_shutdown},
  {"textDocument/hover", on_hover},
  {"textDocument/definition", on_definition},
  {"textDocument/references", on_references},
  {"textDocument/prepareRename", on_prepare_rename},
  {"textDocument/rename", on_rename},
  {"textDocument/completion", on_completion},
  {"textDocument/codeAction", on_code_action},
  {"textDocument/documentSymbol", on_document_symbol},
  {"textDocument/semanticTokens/full", on_semantic_tokens},
  {"textDocument/formatting", on_formatting},
};

static void request(Server *s, const json_t *id, const char *method, const json_t *params) {
  if (!s->initialized && strcmp(method, "initialize") != 0) {
    send(s, rpc_error(id, RPC_SERVER_NOT_INITIALIZED, _("the server is not initialized yet")));
    return;
  }
  if (s->shutdown) {
    send(s, rpc_error(id, RPC_INVALID_REQUEST, _("the server is shutting down")));
    return;
  }
  for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
    if (strcmp(requests[i].method, method) != 0) continue;
    Answer ans = {0};
    requests[i].run(s, params, &ans);
    if (ans.result) send(s, rpc_response(id, ans.result));
    else {
      json_t *msg = check_report_text(ans.message);
      send(s, rpc_error(id, ans.code, json_string_value(msg)));
      json_decref(msg);
    }
    return;
  }
  char msg[300];
  snprintf(msg, sizeof msg, _("unknown method '%.200s'"), method);
  json_t *m = check_report_text(msg);
  send(s, rpc_error(id, RPC_METHOD_NOT_FOUND, json_string_value(m)));
  json_decref(m);
}

/* ---- notifications ---- */

static void did_open(Server *s, const json_t *p) {
  const json_t *td = json_object_get(p, "textDocument");
  const char *uri = str_at(td, "uri", NULL);
  const json_t *text = json_object_get(td, "text");
  if (!uri || !json_is_string(text)) return;
  Document *d = ws_open(&s->ws, uri, json_string_value(text), json_string_length(text),
                        json_integer_value(json_object_get(td, "version")));
  if (d) changed(s, d, d->real, now_ms());
}

static void did_change(Server *s, const json_t *p) {
  const char *uri = str_at(p, "textDocument", "uri");
  Document *d = uri ? ws_find(&s->ws, uri) : NULL;
  const json_t *changes = json_object_get(p, "contentChanges");
  if (!d || !json_is_array(changes)) return;
  size_t i;
  const json_t *c;
  json_array_foreach(changes, i, c) {
    const json_t *text = json_object_get(c, "text"), *range = json_object_get(c, "range");
    if (!json_is_string(text)) continue;
    uint32_t from, to;
    if (!range) ws_set_text(d, json_string_value(text), json_string_length(text), d->version);
    else if (offset_in(d->text, d->len, json_object_get(range, "start"), &from) &&
             offset_in(d->text, d->len, json_object_get(range, "end"), &to))
      ws_splice(d, from, to, json_string_value(text), json_string_length(text));
  }
  json_t *v = json_object_get(json_object_get(p, "textDocument"), "version");
  if (json_is_integer(v)) d->version = json_integer_value(v);
  changed(s, d, d->real, now_ms() + LSP_DEBOUNCE_MS);
}

static void did_close(Server *s, const json_t *p) {
  const char *uri = str_at(p, "textDocument", "uri");
  Document *d = uri ? ws_find(&s->ws, uri) : NULL;
  if (!d) return;
  char *real = xstrdup(d->real);
  ws_close(&s->ws, uri);
  changed(s, NULL, real, now_ms());   /* read from the disk again */
  free(real);
}

static void notification(Server *s, const char *method, const json_t *params) {
  if (strcmp(method, "exit") == 0) {
    s->done = true;
    s->exit_code = s->shutdown ? 0 : 1;
    return;
  }
  if (!s->initialized || s->shutdown) return;   /* before initialize and after shutdown: dropped */
  if (strcmp(method, "textDocument/didOpen") == 0) did_open(s, params);
  else if (strcmp(method, "textDocument/didChange") == 0) did_change(s, params);
  else if (strcmp(method, "textDocument/didClose") == 0) did_close(s, params);
  else if (strcmp(method, "workspace/didChangeConfiguration") == 0) settings_from(s, json_object_get(params, "settings"));
  /* initialized, didSave, $/cancelRequest (every answer is given at once), $/setTrace and the rest: nothing to do */
}

static void message(Server *s, const json_t *msg) {
  const json_t *id = json_object_get(msg, "id");
  const char *method = json_string_value(json_object_get(msg, "method"));
  if (!json_is_object(msg) || (id && !json_is_integer(id) && !json_is_string(id)) ||
      (!method && !json_object_get(msg, "result") && !json_object_get(msg, "error"))) {
    send(s, rpc_error(id && (json_is_integer(id) || json_is_string(id)) ? id : NULL, RPC_INVALID_REQUEST,
                      _("not a JSON-RPC request or notification")));
    return;
  }
  if (!method) return;   /* a response: the server asks the client nothing */
  const json_t *params = json_object_get(msg, "params");
  if (id) request(s, id, method, params);
  else notification(s, method, params);
}

int lsp_serve(int in_fd, int out_fd) {
  Server s;
  memset(&s, 0, sizeof s);
  rpc_reader_init(&s.in, in_fd);
  s.out = out_fd;
  s.exit_code = 1;
  ws_init(&s.ws);
  while (!s.done) {
    long long now = now_ms();
    int timeout = s.deadline == 0 ? -1 : s.deadline > now ? (int)(s.deadline - now) : 0;
    char *body = NULL, err[300];
    size_t len = 0;
    RpcStatus st = rpc_read(&s.in, timeout, &body, &len, err, sizeof err);
    if (st == RPC_TIMEOUT) {
      build_dirty(&s);
      continue;
    }
    if (st == RPC_EOF) {
      fprintf(stderr, "dagloon lsp: %s\n", _("the input ended without 'exit'"));
      break;
    }
    if (st == RPC_BROKEN) {
      fprintf(stderr, "dagloon lsp: %s\n", err);
      break;
    }
    json_error_t jerr;
    json_t *msg = json_loadb(body, len, 0, &jerr);
    free(body);
    if (!msg) {
      char why[300];
      snprintf(why, sizeof why, _("not JSON: %s"), jerr.text);
      json_t *m = check_report_text(why);
      send(&s, rpc_error(NULL, RPC_PARSE_ERROR, json_string_value(m)));
      json_decref(m);
    } else {
      message(&s, msg);
      json_decref(msg);
    }
    if (!s.done && s.deadline && now_ms() >= s.deadline) build_dirty(&s);
  }
  int rc = s.done ? s.exit_code : 1;
  json_decref(s.published);
  ws_free(&s.ws);
  rpc_reader_free(&s.in);
  return rc;
}

int cmd_lsp(const ParsedArgs *a) {
  if (a->noperands != 0) return command_usage_error(a->command, _("lsp takes no operands: it talks to the editor on standard input and output"));
  signal(SIGPIPE, SIG_IGN);   /* a client gone: write() says EPIPE and the server stops */
  return lsp_serve(0, 1);
}
