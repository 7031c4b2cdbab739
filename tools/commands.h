/*
** commands.h: the table of dagloon's commands -- each with its operands,
** options (tools/options.h) and help -- and the combined dagloon --help.
*/
#ifndef DAGLOON_COMMANDS_H
#define DAGLOON_COMMANDS_H

#include <stdio.h>
#include "tools/options.h"

extern const CommandSpec cmd_check_spec, cmd_run_spec, cmd_compile_spec, cmd_explain_spec, cmd_replay_spec,
    cmd_compare_spec, cmd_disasm_spec, cmd_test_spec, cmd_tokens_spec, cmd_ast_spec, cmd_fmt_spec, cmd_lsp_spec,
    cmd_serve_spec, cmd_kalibreer_spec, cmd_sleutel_spec;

/* The command named `name`, or NULL. */
const CommandSpec *command_find(const char *name);
/* The command `name` is probably a typo of, or NULL. */
const char *command_nearest(const char *name);
/* The commands in --help's order, for generators of man pages and completion (tools/man/, tools/completion/). */
size_t command_count(void);
const CommandSpec *command_at(size_t i);
/* The exit codes as dagloon --help explains them (untranslated; _() gives the user's language). */
const char *command_exit_codes(void);
/* dagloon --help: the commands, the options of every command, the exit codes. */
void main_help(FILE *f);

#endif
