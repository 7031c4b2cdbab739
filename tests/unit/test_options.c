/*
** test_options.c: the option tables of tools/options.h -- parsing with
** getopt_long (both value forms, "--", operands among options, no prefixes),
** which options name files, reading an option back from an argv token --
** and the edit distance behind "did you mean" (runtime/strutil.h).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "runtime/strutil.h"
#include "tools/options.h"

static const OptSpec demo_options[] = {
  {"output", 'o', OPT_OUTPUT_FILE, "OUT", "the rows"},
  {"errors", 0, OPT_OUTPUT_FILE, "FILE", "the error rows"},
  {"table", 0, OPT_INPUT_FILE, "FILE", "a table"},
  {"threads", 0, OPT_VALUE, "N", "threads"},
  {"fail-fast", 0, OPT_FLAG, NULL, "stop early"},
  OPT_END,
};
static const CommandSpec demo = {"demo", "RULES INPUT", "a demo", "A command to test with.", demo_options, "0 ok"};

/* Parses the words of `line` (at most 15) as the command line "demo ...". */
static bool parse(const char *line, ParsedArgs *a, char *buf, char **argv) {
  snprintf(buf, 512, "%s", line);
  int argc = 0;
  argv[argc++] = "demo";
  for (char *w = strtok(buf, " "); w && argc < 15; w = strtok(NULL, " ")) argv[argc++] = w;
  argv[argc] = NULL;
  return options_parse(&demo, argc, argv, a);
}

Test(options, both_value_forms_and_operands_among_options) {
  char buf[512], *argv[16];
  ParsedArgs a;
  cr_assert(parse("rules --threads 2 -o out.csv input --errors=e.csv --fail-fast", &a, buf, argv));
  cr_assert_str_eq(option_value(&a, "threads"), "2");
  cr_assert_str_eq(option_value(&a, "output"), "out.csv");
  cr_assert_str_eq(option_value(&a, "errors"), "e.csv");
  cr_assert(option_given(&a, "fail-fast"));
  cr_assert_eq(a.noperands, 2);
  cr_assert_str_eq(a.operands[0], "rules");
  cr_assert_str_eq(a.operands[1], "input");
  parsed_args_free(&a);
}

Test(options, double_dash_ends_options) {
  char buf[512], *argv[16];
  ParsedArgs a;
  cr_assert(parse("rules -- -x --threads", &a, buf, argv));
  cr_assert_eq(a.noptions, 0);
  cr_assert_eq(a.noperands, 3);
  cr_assert_str_eq(a.operands[1], "-x");
  cr_assert_str_eq(a.operands[2], "--threads");
  parsed_args_free(&a);
}

Test(options, refuses_prefixes_unknown_names_and_missing_values) {
  char buf[512], *argv[16];
  ParsedArgs a;
  FILE *saved = stderr;
  stderr = fopen("/dev/null", "w");   /* the messages (with the help) are not what is tested here */
  cr_assert_not(parse("rules --thread 2", &a, buf, argv));
  cr_assert_not(parse("rules --bogus", &a, buf, argv));
  cr_assert_not(parse("rules --threads", &a, buf, argv));
  cr_assert_not(parse("rules --fail-fast=yes", &a, buf, argv));
  fclose(stderr);
  stderr = saved;
}

Test(options, lists_the_files_a_command_writes_and_reads) {
  char buf[512], *argv[16];
  ParsedArgs a;
  cr_assert(parse("rules input -o a.csv --table t.csv --errors=b.csv --allow-native lib.so", &a, buf, argv));
  const char *files[4];
  cr_assert_eq(options_files(&a, OPT_OUTPUT_FILE, files, 4), 2);
  cr_assert_str_eq(files[0], "a.csv");
  cr_assert_str_eq(files[1], "b.csv");
  cr_assert_eq(options_files(&a, OPT_INPUT_FILE, files, 4), 2);   /* --allow-native names a file too */
  cr_assert_str_eq(files[0], "t.csv");
  cr_assert_str_eq(files[1], "lib.so");
  cr_assert_eq(options_files(&a, OPT_OUTPUT_FILE, files, 1), 2, "the count of all, even when only cap fit");
  parsed_args_free(&a);
}

Test(options, option_of_an_argv_token) {
  const char *v;
  cr_assert_str_eq(option_of_token(&demo, "--errors", &v)->name, "errors");
  cr_assert_null(v);
  cr_assert_str_eq(option_of_token(&demo, "--errors=x.csv", &v)->name, "errors");
  cr_assert_str_eq(v, "x.csv");
  cr_assert_str_eq(option_of_token(&demo, "-ox.csv", &v)->name, "output");
  cr_assert_str_eq(v, "x.csv");
  cr_assert_null(option_of_token(&demo, "--err", &v), "a prefix is no option");
  cr_assert_null(option_of_token(&demo, "input.csv", &v));
  cr_assert_null(option_of_token(&demo, "-", &v));
}

Test(options, help_is_generated_from_the_table) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  command_help(&demo, f);
  fclose(f);
  cr_assert(strstr(text, "usage: dagloon demo RULES INPUT [OPTIONS]\n"));
  cr_assert(strstr(text, "  -o, --output OUT        the rows\n"));
  cr_assert(strstr(text, "  --allow-native PATH"));
  cr_assert(strstr(text, "exit status: 0 ok\n"));
  free(text);
}

Test(options, edit_distance_counts_a_swap_as_one) {
  cr_assert_eq(str_edit_distance("rnu", 3, "run", 3), 1);
  cr_assert_eq(str_edit_distance("thread", 6, "threads", 7), 1);
  cr_assert_eq(str_edit_distance("compare", 7, "compile", 7), 2);
  const char *const commands[] = {"check", "run", "compile", "explain", "compare", "test"};
  cr_assert_str_eq(str_suggest("rnu", 3, commands, 6), "run");
  cr_assert_str_eq(str_suggest("chekc", 5, commands, 6), "check");
  cr_assert_null(str_suggest("zzz", 3, commands, 6));
}
