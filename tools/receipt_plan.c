/*
** receipt_plan.c: a receipt checked as hostile input and turned into the
** command replay runs (see receipt_plan.h). Nothing here opens a file or
** runs anything.
*/
#include "tools/receipt_plan.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "tools/commands.h"
#include "runtime/i18n.h"

#define RECEIPT_SCHEMA "dagloon-receipt/1"

static bool fail(char *err, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, cap, fmt, ap);
  va_end(ap);
  return false;
}

static const char *const read_roles[] = {"rules", "table", "bundle", "native", "input"};
static const char *const other_roles[] = {"compiled", "output", "errors", "junit", "explanations", "summary", "report",
                                           "stdout"};

bool receipt_role_read(const char *role) {
  for (size_t i = 0; i < sizeof read_roles / sizeof *read_roles; i++)
    if (strcmp(role, read_roles[i]) == 0) return true;
  return false;
}

static bool role_known(const char *role) {
  for (size_t i = 0; i < sizeof other_roles / sizeof *other_roles; i++)
    if (strcmp(role, other_roles[i]) == 0) return true;
  return receipt_role_read(role);
}

/*
** A string of the receipt, or NULL with the reason: not a string, longer
** than the limit, or holding a NUL or another control character (a path
** with a newline is no path a receipt of ours records, and would garble
** every message that names it).
*/
static const char *text_of(json_t *v, const char *what, char *err, size_t cap) {
  if (!json_is_string(v)) {
    fail(err, cap, "%s is not a string", what);
    return NULL;
  }
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (n > RECEIPT_MAX_TEXT) {
    fail(err, cap, "%s is longer than %d bytes", what, RECEIPT_MAX_TEXT);
    return NULL;
  }
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
      fail(err, cap, "%s holds a control character (byte %zu)", what, i + 1);
      return NULL;
    }
  return s;
}

static bool is_sha256(const char *s) {
  if (strlen(s) != 64) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
  return true;
}

static bool read_files(json_t *files, ReplayPlan *p, char *err, size_t cap) {
  if (!json_is_array(files)) return fail(err, cap, "\"files\" is not a list");
  size_t n = json_array_size(files);
  if (n > RECEIPT_MAX_FILES) return fail(err, cap, "\"files\" has %zu entries (at most %d)", n, RECEIPT_MAX_FILES);
  p->files = xcalloc(n ? n : 1, sizeof *p->files);
  char what[64];
  for (size_t i = 0; i < n; i++) {
    json_t *e = json_array_get(files, i);
    if (!json_is_object(e)) return fail(err, cap, "file %zu is not an object", i + 1);
    snprintf(what, sizeof what, _("the role of file %zu"), i + 1);
    const char *role = text_of(json_object_get(e, "role"), what, err, cap);
    if (!role) return false;
    if (!role_known(role)) return fail(err, cap, "file %zu has an unknown role '%s'", i + 1, role);
    snprintf(what, sizeof what, _("the path of file %zu"), i + 1);
    const char *path = text_of(json_object_get(e, "path"), what, err, cap);
    if (!path) return false;
    if (!*path) return fail(err, cap, "file %zu has an empty path", i + 1);
    json_t *sha = json_object_get(e, "sha256");
    if (!json_is_null(sha) && (!json_is_string(sha) || !is_sha256(json_string_value(sha))))
      return fail(err, cap, "the sha256 of file %zu is neither null nor 64 lowercase hex digits", i + 1);
    json_t *bytes = json_object_get(e, "bytes");
    if (!json_is_integer(bytes) || json_integer_value(bytes) < 0)
      return fail(err, cap, "the bytes of file %zu are not a count", i + 1);
    ReceiptFile *f = &p->files[p->nfiles++];
    f->role = xstrdup(role);
    f->path = xstrdup(path);
    f->sha256 = json_is_string(sha) ? xstrdup(json_string_value(sha)) : NULL;
    f->bytes = json_integer_value(bytes);
  }
  return true;
}

static void push_arg(ReplayPlan *p, const char *s, PlanArgKind kind) {
  p->args[p->nargs] = xstrdup(s);
  p->kinds[p->nargs++] = kind;
}

/*
** The receipt's command line, token by token, as options_parse will read it
** in the replayed process: options from the command's table (and the common
** ones), their values, operands, and everything after "--" an operand.
*/
static bool read_command(json_t *cmd, ReplayPlan *p, char *err, size_t cap) {
  if (!json_is_array(cmd)) return fail(err, cap, "\"command\" is not a list");
  size_t n = json_array_size(cmd);
  if (n < 2) return fail(err, cap, "\"command\" names no command");
  if (n > RECEIPT_MAX_ARGS) return fail(err, cap, "\"command\" has %zu arguments (at most %d)", n, RECEIPT_MAX_ARGS);
  const char **argv = xcalloc(n, sizeof *argv);
  char what[64];
  for (size_t i = 0; i < n; i++) {
    snprintf(what, sizeof what, _("argument %zu of the command"), i);
    if (!(argv[i] = text_of(json_array_get(cmd, i), what, err, cap))) {
      free(argv);
      return false;
    }
  }
  /* room for every token (an output given in one, "-oFILE", becomes two), and --receipt FILE if none */
  p->args = xcalloc(2 * n + 2, sizeof *p->args);
  p->kinds = xcalloc(2 * n + 2, sizeof *p->kinds);
  bool ok = false;
  size_t i = 1;   /* argv[0] was the program; the replay runs this one */
  /* main takes --allow-native PATH and --allow-path DIR before the command too: never from a receipt */
  for (; i + 1 < n && (strcmp(argv[i], "--allow-native") == 0 || strcmp(argv[i], "--allow-path") == 0); i += 2) {
    if (strcmp(argv[i], "--allow-native") == 0) p->dropped_natives++;
    else p->dropped_paths++;
  }
  const CommandSpec *spec = i < n ? command_find(argv[i]) : NULL;
  bool has_receipt = false, operands_only = false;
  if (!spec) {
    fail(err, cap, "'%s' is not a dagloon command", i < n ? argv[i] : "");
    goto out;
  }
  if (spec == &cmd_replay_spec) {
    fail(err, cap, "it is the receipt of a replay: a replay is not replayed");
    goto out;
  }
  for (const OptSpec *o = spec->options; o && o->name && !has_receipt; o++)
    has_receipt = strcmp(o->name, "receipt") == 0 && o->kind == OPT_OUTPUT_FILE;
  if (!has_receipt) {
    fail(err, cap, "'%s' writes no receipt", spec->name);
    goto out;
  }
  has_receipt = false;
  p->command = spec;
  push_arg(p, spec->name, PLAN_TEXT);
  for (i++; i < n; i++) {
    const char *a = argv[i];
    if (operands_only || a[0] != '-' || !a[1]) {   /* an operand (or '-', standard input) */
      push_arg(p, a, PLAN_TEXT);
      continue;
    }
    if (strcmp(a, "--") == 0) {
      operands_only = true;
      push_arg(p, a, PLAN_TEXT);
      continue;
    }
    const char *inline_value = NULL;
    const OptSpec *o = option_of_token(spec, a, &inline_value);
    if (!o) {
      fail(err, cap, "'%s' is not an option of %s", a, spec->name);
      goto out;
    }
    bool is_short = a[1] != '-';
    if (o->kind == OPT_FLAG) {
      /* "-hX" would be read by getopt as -h and then the letters after it; "--flag=x" is refused */
      if ((is_short && a[2]) || (!is_short && strchr(a, '='))) {
        fail(err, cap, "'%s': --%s takes no value", a, o->name);
        goto out;
      }
      push_arg(p, a, PLAN_TEXT);
      continue;
    }
    const char *value = inline_value;
    if (!value && i + 1 >= n) {
      fail(err, cap, "'%s' has no value", a);
      goto out;
    }
    if (!value) value = argv[++i];
    if (strcmp(o->name, "allow-native") == 0) {   /* a receipt never allows native code */
      p->dropped_natives++;
      continue;
    }
    if (strcmp(o->name, "allow-path") == 0) {   /* nor lets rule files read outside their tree */
      p->dropped_paths++;
      continue;
    }
    if (o->kind == OPT_OUTPUT_FILE) {   /* every file the command writes goes to the temporary directory */
      bool receipt = strcmp(o->name, "receipt") == 0;
      has_receipt |= receipt;
      if (!receipt) p->noutputs++;
      char opt[64];
      snprintf(opt, sizeof opt, "--%s", o->name);
      push_arg(p, opt, PLAN_TEXT);
      push_arg(p, receipt ? "" : value, receipt ? PLAN_RECEIPT : PLAN_OUTPUT);   /* its name: for its extension */
      continue;
    }
    if (inline_value) {
      push_arg(p, a, PLAN_TEXT);
    } else {
      push_arg(p, a, PLAN_TEXT);
      push_arg(p, value, PLAN_TEXT);
    }
  }
  if (!has_receipt) {   /* the replay needs the receipt of what it ran */
    if (operands_only) {
      /* after "--" an option would be an operand: put it before */
      memmove(p->args + 3, p->args + 1, (p->nargs - 1) * sizeof *p->args);
      memmove(p->kinds + 3, p->kinds + 1, (p->nargs - 1) * sizeof *p->kinds);
      p->args[1] = xstrdup("--receipt");
      p->kinds[1] = PLAN_TEXT;
      p->args[2] = xstrdup("");
      p->kinds[2] = PLAN_RECEIPT;
      p->nargs += 2;
    } else {
      push_arg(p, "--receipt", PLAN_TEXT);
      push_arg(p, "", PLAN_RECEIPT);
    }
  }
  ok = true;
out:
  free(argv);
  return ok;
}

bool replay_plan_parse(const char *text, size_t len, ReplayPlan *p, char *err, size_t cap) {
  memset(p, 0, sizeof *p);
  if (len > RECEIPT_MAX_BYTES) return fail(err, cap, "it is larger than %d MiB", RECEIPT_MAX_BYTES >> 20);
  json_error_t jerr;
  json_t *top = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
  if (!top) return fail(err, cap, "not JSON: %s (line %d)", jerr.text, jerr.line);
  bool ok = false;
  const char *s;
  if (!json_is_object(top)) {
    fail(err, cap, "not a JSON object");
    goto out;
  }
  json_t *schema = json_object_get(top, "schema");
  if (!json_is_string(schema) || strcmp(json_string_value(schema), RECEIPT_SCHEMA) != 0) {
    fail(err, cap, "no \"schema\": \"" RECEIPT_SCHEMA "\"");
    goto out;
  }
  if (!(s = text_of(json_object_get(top, "engine"), "\"engine\"", err, cap))) goto out;
  p->engine = xstrdup(s);
  if (!(s = text_of(json_object_get(top, "opcodes"), "\"opcodes\"", err, cap))) goto out;
  p->opcodes = xstrdup(s);
  if (!(s = text_of(json_object_get(top, "directory"), "\"directory\"", err, cap))) goto out;
  if (s[0] != '/') {
    fail(err, cap, "\"directory\" is not an absolute path");
    goto out;
  }
  p->directory = xstrdup(s);
  json_t *fmt = json_object_get(top, "bundle_format"), *exit = json_object_get(top, "exit");
  if (!json_is_integer(fmt)) {
    fail(err, cap, "\"bundle_format\" is not a whole number");
    goto out;
  }
  p->bundle_format = json_integer_value(fmt);
  if (!json_is_integer(exit) || json_integer_value(exit) < 0 || json_integer_value(exit) > 255) {
    fail(err, cap, "\"exit\" is not an exit status (0 to 255)");
    goto out;
  }
  p->exit = (int)json_integer_value(exit);
  if (!read_files(json_object_get(top, "files"), p, err, cap)) goto out;
  if (!read_command(json_object_get(top, "command"), p, err, cap)) goto out;
  ok = true;
out:
  json_decref(top);
  if (!ok) replay_plan_free(p);
  return ok;
}

void replay_plan_free(ReplayPlan *p) {
  free(p->engine);
  free(p->opcodes);
  free(p->directory);
  for (size_t i = 0; i < p->nargs; i++) free(p->args[i]);
  free(p->args);
  free(p->kinds);
  for (size_t i = 0; i < p->nfiles; i++) {
    free(p->files[i].role);
    free(p->files[i].path);
    free(p->files[i].sha256);
  }
  free(p->files);
  memset(p, 0, sizeof *p);
}

static char *path_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *s = xmalloc(n);
  snprintf(s, n, "%s/%s", dir, name);
  return s;
}

/*
** The extension of an output's name (".json", ".csv"), kept on its name in the temporary directory:
** commands choose a format by it (run -o X.jsonl, --summary X.json). Only 1-8 letters or digits;
** anything else, none.
*/
static const char *output_extension(const char *name) {
  const char *base = strrchr(name, '/'), *dot = strrchr(base ? base + 1 : name, '.');
  size_t n = dot ? strlen(dot + 1) : 0;
  if (n < 1 || n > 8 || dot == (base ? base + 1 : name)) return "";
  for (const char *c = dot + 1; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) return "";
  return dot;
}

char **replay_plan_argv(const ReplayPlan *p, const char *tmpdir, char *const *natives, size_t n,
                        char *const *paths, size_t npaths) {
  char **av = xcalloc(p->nargs + 2 * n + 2 * npaths + 2, sizeof *av);
  size_t k = 0, out = 0;
  av[k++] = xstrdup("dagloon");
  for (size_t i = 0; i < p->nargs; i++) {
    char name[32];
    if (p->kinds[i] == PLAN_OUTPUT) snprintf(name, sizeof name, "out%zu%s", ++out, output_extension(p->args[i]));
    av[k++] = p->kinds[i] == PLAN_TEXT      ? xstrdup(p->args[i])
              : p->kinds[i] == PLAN_RECEIPT ? path_in(tmpdir, "receipt.json")
                                            : path_in(tmpdir, name);
    /* the operator's libraries and folders go right after the command name, before any "--" */
    if (i == 0) {
      for (size_t j = 0; j < n; j++) {
        av[k++] = xstrdup("--allow-native");
        av[k++] = xstrdup(natives[j]);
      }
      for (size_t j = 0; j < npaths; j++) {
        av[k++] = xstrdup("--allow-path");
        av[k++] = xstrdup(paths[j]);
      }
    }
  }
  av[k] = NULL;
  return av;
}

void plan_argv_free(char **argv) {
  for (char **a = argv; a && *a; a++) free(*a);
  free(argv);
}
