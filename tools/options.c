/*
** options.c: parsing a command's options from its table with getopt_long,
** its --help generated from the same table, and "did you mean" for a
** mistyped name (see options.h).
*/
#include "tools/options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/strutil.h"
#include "tools/cli.h"
#include "runtime/i18n.h"

const OptSpec common_options[] = {
  {"allow-native", 0, OPT_INPUT_FILE, "PATH", N_("let rule files load this native library ('extern regel'),\n"
                                              "repeatable; PATH=SHA256 also pins the hash of its bytes")},
  {"allow-path", 0, OPT_VALUE, "DIR", N_("let rule files name files in this folder too (tables, proposals,\n"
                                     "libraries), besides their rule-set tree; repeatable")},
  {"help", 'h', OPT_FLAG, NULL, N_("this help")},
  OPT_END,
};

/* Both tables of a command, as one list: the command's own options first. */
enum { MAX_OPTIONS = 96 };   /* a command has some 15; more would be a table to split, not to parse */
typedef struct OptList {
  const OptSpec *v[MAX_OPTIONS];
  size_t n;
} OptList;

static void opt_list(const CommandSpec *cmd, OptList *l) {
  l->n = 0;
  for (const OptSpec *o = cmd->options; o && o->name && l->n < MAX_OPTIONS; o++) l->v[l->n++] = o;
  for (const OptSpec *o = common_options; o->name && l->n < MAX_OPTIONS; o++) l->v[l->n++] = o;
}

/* ---- help ---- */

enum { HELP_COLUMN = 26 };

/* "  -o, --output FILE" padded to the help column, then the help lines, indented alike. */
void option_help(const OptSpec *o, FILE *f) {
  int w = o->short_name ? fprintf(f, "  -%c, --%s", o->short_name, o->name) : fprintf(f, "  --%s", o->name);
  if (o->arg) w += fprintf(f, " %s", o->arg);
  if (w + 2 > HELP_COLUMN) {
    fputc('\n', f);
    w = 0;
  }
  fprintf(f, "%*s", HELP_COLUMN - w, "");
  for (const char *p = _(o->help); *p; p++) {
    fputc(*p, f);
    if (*p == '\n' && p[1]) fprintf(f, "%*s", HELP_COLUMN, "");
  }
  fputc('\n', f);
}

void command_help(const CommandSpec *cmd, FILE *f) {
  bool has_own = cmd->options && cmd->options->name;
  fprintf(f, _("usage: dagloon %s%s%s%s\n\n"), cmd->name, *cmd->operands ? " " : "", cmd->operands,
          has_own ? _(" [OPTIONS]") : "");
  fprintf(f, "%s\n", _(cmd->description));
  if (has_own) {
    fputs(_("\noptions:\n"), f);
    for (const OptSpec *o = cmd->options; o->name; o++) option_help(o, f);
  }
  fputs(_("\nfor every command:\n"), f);
  for (const OptSpec *o = common_options; o->name; o++) option_help(o, f);
  if (cmd->exit_status) fprintf(f, _("\nexit status: %s\n"), _(cmd->exit_status));
}

int command_usage_error(const CommandSpec *cmd, const char *msg) {
  fprintf(stderr, "dagloon: %s\n\n", _(msg));   /* command_usage_error is an xgettext keyword (Makefile) */
  command_help(cmd, stderr);
  return EXIT_USAGE;
}

/* ---- parsing ---- */

/* getopt_long returns this plus the option's index for an option given by its long name. */
enum { LONG_BASE = 1000 };

/* An unknown option (or a prefix of one, which is not taken): the message, with the nearest name. */
static int unknown_option(const CommandSpec *cmd, const OptList *l, const char *token) {
  char name[128];
  snprintf(name, sizeof name, "%s", token);
  name[strcspn(name, "=")] = '\0';
  const char *bare = name[0] == '-' && name[1] == '-' ? name + 2 : name + 1;
  const char *longs[MAX_OPTIONS];
  for (size_t i = 0; i < l->n; i++) longs[i] = l->v[i]->name;
  const char *near = *bare ? str_suggest(bare, strlen(bare), longs, l->n) : NULL;
  char msg[400];
  if (near) snprintf(msg, sizeof msg, _("unknown option '%s' (did you mean '--%s'?)"), name, near);
  else snprintf(msg, sizeof msg, _("unknown option '%s'"), name);
  return command_usage_error(cmd, msg);
}

/* The option a short letter names, or NULL. */
static const OptSpec *by_short(const OptList *l, int c) {
  for (size_t i = 0; i < l->n; i++)
    if (c && l->v[i]->short_name == c) return l->v[i];
  return NULL;
}

/*
** What getopt_long refused: c is ':' (a value is missing) or '?' (optopt is
** 0 for an unknown long option, or a prefix of several -- `token` -- the
** letter of an unknown short one, or the long option given a value it does
** not take).
*/
static void usage_of_getopt(const CommandSpec *cmd, const OptList *l, int c, const char *token) {
  char msg[200];
  const OptSpec *named = optopt >= LONG_BASE ? l->v[optopt - LONG_BASE] : by_short(l, optopt);
  if (token) {
    unknown_option(cmd, l, token);
    return;
  }
  if (!named) {
    char letter[3] = {'-', (char)optopt, 0};
    unknown_option(cmd, l, letter);
    return;
  }
  if (c == ':' && optopt < LONG_BASE) snprintf(msg, sizeof msg, _("-%c needs a value"), optopt);
  else if (c == ':') snprintf(msg, sizeof msg, _("--%s needs a value"), named->name);
  else snprintf(msg, sizeof msg, _("--%s takes no value"), named->name);
  command_usage_error(cmd, msg);
}

bool options_parse(const CommandSpec *cmd, int argc, char **argv, ParsedArgs *out) {
  memset(out, 0, sizeof *out);
  out->command = cmd;
  OptList l;
  opt_list(cmd, &l);
  struct option longs[MAX_OPTIONS + 1];
  char shorts[2 * MAX_OPTIONS + 2];
  size_t ns = 0;
  shorts[ns++] = '-';   /* operands come back in order as 1, wherever they are (POSIXLY_CORRECT or not) */
  shorts[ns++] = ':';   /* a missing value returns ':', not '?' */
  for (size_t i = 0; i < l.n; i++) {
    longs[i] = (struct option){l.v[i]->name, l.v[i]->kind == OPT_FLAG ? no_argument : required_argument, NULL,
                               LONG_BASE + (int)i};
    if (l.v[i]->short_name) {
      shorts[ns++] = l.v[i]->short_name;
      if (l.v[i]->kind != OPT_FLAG) shorts[ns++] = ':';
    }
  }
  longs[l.n] = (struct option){NULL, 0, NULL, 0};
  shorts[ns] = '\0';
  size_t cap = 0, capoperands = 0;
  opterr = 0;   /* our own messages, with the help */
  optind = 0;   /* start afresh (glibc: also re-reads the permutation settings) */
  for (;;) {
    int c = getopt_long(argc, argv, shorts, longs, NULL);
    if (c == -1) break;
    if (c == 1) {
      VEC_PUSH(out->operands, out->noperands, capoperands, optarg);
      continue;
    }
    if (c == '?' || c == ':') {
      usage_of_getopt(cmd, &l, c, c == '?' && optopt == 0 ? argv[optind - 1] : NULL);
      parsed_args_free(out);
      return false;
    }
    const OptSpec *spec = c >= LONG_BASE ? l.v[c - LONG_BASE] : by_short(&l, c);
    if (c >= LONG_BASE) {
      /* getopt_long takes a prefix of a name ('--thread' for '--threads'); we do not, so that a
         typo gets "did you mean" and a script does not break when an option is added */
      const char *token = optarg && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
      size_t len = strcspn(token + 2, "=");
      if (strlen(spec->name) != len) {
        unknown_option(cmd, &l, token);
        parsed_args_free(out);
        return false;
      }
    }
    if (!spec) continue;
    if (strcmp(spec->name, "help") == 0) out->help = true;
    VEC_PUSH(out->options, out->noptions, cap, ((ParsedOption){spec, spec->kind == OPT_FLAG ? NULL : optarg}));
  }
  for (int i = optind; i < argc; i++) VEC_PUSH(out->operands, out->noperands, capoperands, argv[i]);   /* after "--" */
  return true;
}

void parsed_args_free(ParsedArgs *a) {
  free(a->options);
  free(a->operands);
  memset(a, 0, sizeof *a);
}

const char *option_next(const ParsedArgs *a, const char *name, size_t *pos) {
  for (; *pos < a->noptions; (*pos)++)
    if (strcmp(a->options[*pos].spec->name, name) == 0) return a->options[(*pos)++].value;
  return NULL;
}

const char *option_value(const ParsedArgs *a, const char *name) {
  const char *last = NULL;
  for (size_t i = 0; i < a->noptions; i++)
    if (strcmp(a->options[i].spec->name, name) == 0) last = a->options[i].value;
  return last;
}

bool option_given(const ParsedArgs *a, const char *name) {
  for (size_t i = 0; i < a->noptions; i++)
    if (strcmp(a->options[i].spec->name, name) == 0) return true;
  return false;
}

size_t options_files(const ParsedArgs *a, OptKind kind, const char **paths, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < a->noptions; i++) {
    if (a->options[i].spec->kind != kind) continue;
    if (n < cap) paths[n] = a->options[i].value;
    n++;
  }
  return n;
}

const OptSpec *option_of_token(const CommandSpec *cmd, const char *token, const char **inline_value) {
  *inline_value = NULL;
  if (token[0] != '-' || !token[1]) return NULL;
  OptList l;
  opt_list(cmd, &l);
  if (token[1] != '-') {
    const OptSpec *o = by_short(&l, token[1]);
    if (o && o->kind != OPT_FLAG && token[2]) *inline_value = token + 2;
    return o;
  }
  const char *name = token + 2, *eq = strchr(name, '=');
  size_t len = eq ? (size_t)(eq - name) : strlen(name);
  const OptSpec *found = NULL;
  for (size_t i = 0; i < l.n && !found; i++)
    if (strlen(l.v[i]->name) == len && strncmp(l.v[i]->name, name, len) == 0) found = l.v[i];
  if (!found) return NULL;
  if (eq) *inline_value = eq + 1;
  return found;
}
