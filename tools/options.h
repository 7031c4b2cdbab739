/*
** options.h: a command's options as one table -- long name, short name,
** what the value is (an input file, an output file, a plain value, or no
** value) and the help text -- parsed with getopt_long, and the --help text
** generated from the same table. Other code asks the table which options
** name files (options_files) instead of knowing option names.
*/
#ifndef DAGLOON_OPTIONS_H
#define DAGLOON_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum OptKind {
  OPT_FLAG,          /* no value */
  OPT_VALUE,         /* a plain value: a number, a format, a column name */
  OPT_INPUT_FILE,    /* the value names a file the command reads */
  OPT_OUTPUT_FILE,   /* the value names a file the command writes */
} OptKind;

typedef struct OptSpec {
  const char *name;   /* long name without "--"; NULL ends a table */
  char short_name;    /* e.g. 'o' for -o; 0: none */
  OptKind kind;
  const char *arg;    /* the value as help shows it ("FILE", "N", "csv|jsonl"); NULL for a flag */
  const char *help;   /* lines separated by '\n' */
} OptSpec;

#define OPT_END {NULL, 0, OPT_FLAG, NULL, NULL}

typedef struct CommandSpec {
  const char *name;          /* "run" */
  const char *operands;      /* "RULES INPUT", with a required option if any: "RULES -o FILE" */
  const char *summary;       /* one line in dagloon --help */
  const char *description;   /* the paragraphs of COMMAND --help */
  const OptSpec *options;    /* ends with OPT_END; the common options are added to every command */
  const char *exit_status;   /* the lines after "exit status: " */
} CommandSpec;

/* Options every command takes: --allow-native PATH, --allow-path DIR and -h/--help. */
extern const OptSpec common_options[];

typedef struct ParsedOption {
  const OptSpec *spec;
  const char *value;   /* NULL for a flag */
} ParsedOption;

typedef struct ParsedArgs {
  const CommandSpec *command;
  ParsedOption *options;   /* in the order given */
  size_t noptions;
  char **operands;         /* what is not an option, in order (everything after "--" included) */
  size_t noperands;
  bool help;               /* -h or --help was given */
} ParsedArgs;

/*
** Parses argv[1..argc) of `cmd` (argv[0] is the command name) with
** getopt_long: "--opt value", "--opt=value", "-o value", "-ovalue" (a
** long name in full, not a prefix of it), "--" ends the options, and
** operands may come before, between and after options. On a usage error prints it to
** stderr (with "did you mean" for a near option name) and the help, and
** returns false; *out is then empty.
*/
bool options_parse(const CommandSpec *cmd, int argc, char **argv, ParsedArgs *out);
void parsed_args_free(ParsedArgs *a);

/* The value of the last `name` given (long name without "--"), or NULL. */
const char *option_value(const ParsedArgs *a, const char *name);
bool option_given(const ParsedArgs *a, const char *name);
/* Every value of a repeatable option, in order: start with *pos = 0; NULL after the last. */
const char *option_next(const ParsedArgs *a, const char *name, size_t *pos);

/*
** The values of the options of `kind` that were given, in order (e.g.
** OPT_OUTPUT_FILE: every file the command will write); at most cap are
** stored, the count of all is returned.
*/
size_t options_files(const ParsedArgs *a, OptKind kind, const char **paths, size_t cap);

/*
** The option an argv token names, for code that rewrites a command line
** (replay): "--name", "--name=value", "-o" or "-oVALUE".
** *inline_value points after '=' (or after "-o") when the value is in the
** token, else is NULL. NULL when the token is no option of cmd.
*/
const OptSpec *option_of_token(const CommandSpec *cmd, const char *token, const char **inline_value);

/* One option's lines of help: "  -o, --output FILE", then its help text beside it. */
void option_help(const OptSpec *o, FILE *f);
/* COMMAND --help, generated from the table. */
void command_help(const CommandSpec *cmd, FILE *f);
/* "dagloon: MSG" and the command's help on stderr; returns the usage exit status (2). */
int command_usage_error(const CommandSpec *cmd, const char *msg);

#endif
