/*
** dagloon.c: the command-line program. Parses arguments, calls the front
** end (lang/front.h) and the runtime (runtime/vm.h, recio.h), prints
** diagnostics and summaries. No language or VM logic lives here.
*/
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/front.h"
#include "tools/casetest.h"
#include "tools/check_report.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "tools/rulesets.h"
#include "tools/compare.h"
#include "tools/explain.h"
#include "tools/explain_eval.h"
#include "tools/explain_trace.h"
#include "tools/letter.h"
#include "tools/letter_run.h"
#include "tools/outfile.h"
#include "tools/suggest.h"
#include "tools/receipt.h"
#include "tools/fmt.h"
#include "tools/kalibreer.h"
#include "tools/lsp/server.h"
#include "tools/native_compile.h"
#include "tools/run_cmd.h"
#include "tools/serve_cmd.h"
#include "tools/sleutel_cmd.h"
#include "tools/version.h"
#include "lang/lexer.h"
#include "lang/parser.h"
#include "runtime/bundle.h"
#include "runtime/chunk.h"
#include "runtime/i18n.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/trace.h"
#include "runtime/vm.h"


static int cmd_compile(const ParsedArgs *a) {
  const CommandSpec *cmd = a->command;
  const char *outpath = option_value(a, "output");
  if (a->noperands != 1 || !outpath) return command_usage_error(cmd, "compile needs one RULES and -o FILE");
  const char *rules = a->operands[0];
  if (bundle_is(rules)) return command_usage_error(cmd, "RULES is already a bundle");
  Front f;
  front_init(&f);
  int status;
  char *paths[1] = {(char *)rules};
  Chunk *c = load_rules(&f, paths, 1, FRONT_COMPILE, &status);
  if (c && !outputs_not_sources(a, c)) {   /* -o inside the RULES folder, onto one of its files */
    chunk_free(c);
    c = NULL;
    status = EXIT_USAGE;
  }
  /* --trace: the same rules once more with the trace points explanations need (diagnostics shown once) */
  Front tf;
  bool traced = c && option_given(a, "trace");
  Chunk *tc = NULL;
  if (traced) {
    front_init(&tf);
    tf.trace = true;
    tc = front_compile(&tf, (const char *const *)paths, 1, FRONT_COMPILE);
    if (!tc) {
      fprintf(stderr, _("dagloon: %s: the rules do not compile with trace points\n"), rules);
      chunk_free(c);
      c = NULL;
      status = EXIT_RULE_ERRORS;
    }
  }
  BundleKey key;
  bool key_ok;
  const BundleKey *sign = c ? signing_key(a, &key, &key_ok) : NULL;
  if (c && !key_ok) {
    chunk_free(c);
    c = NULL;
    status = EXIT_USAGE;
  }
  if (c && option_given(a, "native") && sign) {   /* a native bundle is trusted by --allow-native's sha256 */
    chunk_free(c);
    c = NULL;
    status = command_usage_error(cmd, "--sign is for bundles; a native bundle loads by --allow-native FILE=SHA256");
  }
  if (c && option_given(a, "native")) {   /* a shared object: the bundle and its code (native_compile.h) */
    status = native_compile(c, tc, outpath);
    if (status == EXIT_OK)
      fprintf(stderr, _("dagloon: %s: a native bundle; it loads only with --allow-native %s=SHA256\n"), outpath, outpath);
    chunk_free(c);
    c = NULL;
  }
  if (c) {
    OutFile of;   /* a temporary file renamed over FILE: a failed write never leaves half a bundle */
    FILE *out = outfile_open(&of, outpath);
    char err[400];
    if (!out) {
      status = EXIT_WRITE_ERROR;
    } else if (!bundle_write_signed(c, tc, DAGLOON_VERSION, sign, out, err, sizeof err)) {
      fprintf(stderr, "dagloon: %s: %s\n", outpath, err);
      outfile_abort(&of);
      status = EXIT_WRITE_ERROR;
    } else if (!outfile_commit(&of)) {
      status = EXIT_WRITE_ERROR;
    } else {
      /* one sentence in three parts, each with its own plural; a bundle with trace points says so */
      fprintf(stderr, ngettext("dagloon: %s: %" PRIu32 " rule, ", "dagloon: %s: %" PRIu32 " rules, ", c->nprotos), outpath,
              c->nprotos);
      fprintf(stderr, ngettext("%" PRIu32 " table, ", "%" PRIu32 " tables, ", c->ntables), c->ntables);
      fprintf(stderr, ngettext("%" PRIu32 " file", "%" PRIu32 " files", c->nfiles), c->nfiles);
      fprintf(stderr, "%s\n", tc ? _(", with trace points") : "");
    }
    chunk_free(c);
  }
  if (tc) chunk_free(tc);
  if (traced) front_free(&tf);
  front_free(&f);
  return status;
}

/* "file:line:col" of a span in the front end's sources. */
static void src_location(const Front *f, Span sp, char *buf, size_t cap) {
  if (sp.file >= f->src.n) {
    snprintf(buf, cap, "?");
    return;
  }
  const SourceFile *sf = &f->src.files[sp.file];
  uint32_t line, col;
  src_line_col(sf, sp.off, &line, &col);
  snprintf(buf, cap, "%s:%u:%u", sf->name, line, col);
}

/* What a proposal replaces, takes out and adds (dagloon check --changes), on standard output. */
static void print_changes(const Front *f, const char *path) {
  if (!f->is_proposal) {
    printf(_("%s: not a proposal (no 'voorstel op \"...\"'): no changes to list\n"), path);
    return;
  }
  printf(ngettext("%s: a proposal on %s: %zu change\n", "%s: a proposal on %s: %zu changes\n", f->changes.n), path, f->base,
         f->changes.n);
  for (size_t i = 0; i < f->changes.n; i++) {
    const Change *ch = &f->changes.v[i];
    const char *what = ch->what == AST_RULE_DECL ? "regel" : ch->what == AST_EXCEPTION_DECL ? "uitzondering"
                       : ch->what == AST_TABLE_DECL ? "tabel" : ch->what == AST_OUTPUT_DECL ? "uitvoer" : "declaratie";
    char here[600], base[600];
    src_location(f, ch->here, here, sizeof here);
    src_location(f, ch->base, base, sizeof base);
    switch (ch->kind) {
    case CHANGE_REPLACED:
      if (ch->what == AST_OUTPUT_DECL) printf(_("  replaces %s (base %s)\n"), what, base);
      else printf(_("  replaces %s %s (base %s) by %s\n"), what, ch->name, base, here);
      break;
    case CHANGE_REMOVED: printf(_("  takes out %s %s (base %s) at %s\n"), what, ch->name, base, here); break;
    case CHANGE_ADDED: printf(_("  adds %s %s at %s\n"), what, ch->name, here); break;
    case CHANGE_ROWS: printf(_("  replaces or adds rows of tabel %s (base %s) at %s\n"), ch->name, base, here); break;
    case CHANGE_VERSION: printf(_("  adds a version of regel %s (base %s) at %s\n"), ch->name, base, here); break;
    }
  }
}

/*
** Checks one rule set (a file, or a folder read as one); its exit status.
** With a report (--format json|sarif) the diagnostics go into it, not to stderr.
*/
static int check_rule_set(const char *path, bool changes, CheckReport *report) {
  Front f;
  front_init(&f);
  int status;
  char *paths[1] = {(char *)path};
  Chunk *c;
  if (report) {
    c = front_compile(&f, (const char *const *)paths, 1, FRONT_CHECK);
    check_report_add(report, path, &f);
    status = f.load_error[0] ? EXIT_USAGE : f.diags.nerrors ? EXIT_RULE_ERRORS : EXIT_OK;
    if (f.load_error[0]) fprintf(stderr, "dagloon: %s\n", f.load_error);
  } else {
    c = load_rules(&f, paths, 1, FRONT_CHECK, &status);
  }
  if (status == EXIT_OK) {
    fprintf(stderr, ngettext("%s: ok (%u file", "%s: ok (%u files", f.src.n), path, f.src.n);
    if (f.diags.nwarnings) fprintf(stderr, ngettext(", %d warning", ", %d warnings", f.diags.nwarnings), f.diags.nwarnings);
    fputs(")\n", stderr);
    if (changes) print_changes(&f, path);
  }
  if (c) chunk_free(c);
  front_free(&f);
  return status;
}

/* The worse of two exit statuses: a usage or I/O error over rule errors over success. */
static int worse(int a, int b) { return a == EXIT_USAGE || b == EXIT_USAGE ? EXIT_USAGE : a > b ? a : b; }

static int cmd_check(const ParsedArgs *a) {
  if (a->noperands < 1) return command_usage_error(a->command, "check needs at least one rule file");
  bool changes = option_given(a, "changes");
  CheckFormat fmt = CHECK_TEXT;
  const char *fmt_name = option_value(a, "format");
  if (fmt_name && !check_format_parse(fmt_name, &fmt))
    return command_usage_error(a->command, "--format is text, json or sarif");
  if (changes && fmt != CHECK_TEXT) return command_usage_error(a->command, "--changes lists as text: leave out --format");
  CheckReport *report = fmt == CHECK_TEXT ? NULL : check_report_new(fmt);
  int worst = EXIT_OK;
  /* Each argument is a rule set of its own (a file, or a folder read as one), or a folder of them. */
  for (size_t i = 0; i < a->noperands; i++) {
    const char *path = a->operands[i];
    if (!is_rule_set_folder(path)) {
      worst = worse(worst, check_rule_set(path, changes, report));
      continue;
    }
    char **sets = NULL;
    size_t n = 0, cap = 0;
    rule_sets_below(path, &sets, &n, &cap);
    if (n == 0) {
      fprintf(stderr, _("dagloon: %s: no .rules files in it or in its folders\n"), path);
      worst = EXIT_USAGE;
    }
    for (size_t k = 0; k < n; k++) {
      worst = worse(worst, check_rule_set(sets[k], changes, report));
      free(sets[k]);
    }
    free(sets);
  }
  if (report && !check_report_finish(report, stdout)) worst = worse(worst, EXIT_WRITE_ERROR);
  return worst;
}

static int cmd_disasm(const ParsedArgs *a) {
  if (a->noperands < 1) return command_usage_error(a->command, "disasm needs at least one rule file");
  int argc = (int)a->noperands;
  char **argv = a->operands;
  int worst = EXIT_OK;
  for (int i = 0; i < argc; i++) {
    Front f;
    front_init(&f);
    int status;
    Chunk *c = load_chunk(&f, argv[i], &status);
    if (c) {
      if (argc > 1) printf("%s; %s\n", i ? "\n" : "", argv[i]);
      chunk_disasm(c, stdout);
      chunk_free(c);
    }
    front_free(&f);
    worst = worse(worst, status);
  }
  return worst;
}

static int cmd_tokens(const ParsedArgs *a) {
  if (a->noperands != 1) return command_usage_error(a->command, "tokens needs one rule file");
  char **argv = a->operands;
  Front f;
  front_init(&f);
  char err[512];
  int idx = src_load(&f.src, argv[0], err, sizeof err);
  if (idx < 0) {
    fprintf(stderr, "dagloon: %s\n", err);
    front_free(&f);
    return EXIT_USAGE;
  }
  const SourceFile *sf = &f.src.files[idx];
  Lexer lx;
  lex_init(&lx, sf->text, sf->len, (uint32_t)idx);
  for (bool first = true;; first = false) {
    Token t = lex_next(&lx);
    uint32_t line, col;
    src_line_col(sf, t.span.off, &line, &col);
    if (first && t.kind == TK_LANGUAGE) {
      Lexer peek = lx;
      Token n = lex_next(&peek);
      if (n.span.len == 2 && memcmp(sf->text + n.span.off, "en", 2) == 0) lx.lang = LANG_EN;
    }
    printf("%u:%u %s '%.*s'\n", line, col, lex_token_desc(t.kind, lx.lang), (int)t.span.len, sf->text + t.span.off);
    if (t.kind == TK_EOF) break;
  }
  front_free(&f);
  return EXIT_OK;
}

static int cmd_ast(const ParsedArgs *a) {
  if (a->noperands != 1) return command_usage_error(a->command, "ast needs one rule file");
  char **argv = a->operands;
  Front f;
  front_init(&f);
  int status;
  load_rules(&f, argv, 1, FRONT_PARSE, &status);
  for (uint32_t i = 0; i < f.ast.decls.n; i++) ast_dump(f.ast.decls.items[i], 0, stdout);
  front_free(&f);
  return status;
}

/* ---- explain ---- */

static int explain_dossier(const ParsedArgs *a, const char *rules, const char *input, int in_fmt, const char *id,
                           const char *outpath, ExplainFormat fmt, ExplainOptions *show, Receipt *receipt);

static int cmd_explain(const ParsedArgs *a) {
  const CommandSpec *cmd = a->command;
  const char *id = option_value(a, "id"), *f = option_value(a, "format"), *inf = option_value(a, "input-format");
  ExplainFormat fmt = EXPLAIN_TEXT;
  if (!f || strcmp(f, "text") == 0) fmt = EXPLAIN_TEXT;
  else if (strcmp(f, "json") == 0) fmt = EXPLAIN_JSON;
  else if (strcmp(f, "html") == 0) fmt = EXPLAIN_HTML;
  else if (strcmp(f, "brief") == 0) fmt = EXPLAIN_BRIEF;
  else return command_usage_error(cmd, "formats are text, json, html and brief");
  RecFormat in_fmt = FMT_CSV;
  if (inf && !parse_record_format(inf, &in_fmt)) return command_usage_error(cmd, "input formats are csv and jsonl");
  if (a->noperands > 2) return command_usage_error(cmd, "explain takes one rule path and one input file");
  const char *outpath = option_value(a, "output");
  bool folder = fmt == EXPLAIN_BRIEF && outpath && *outpath && outpath[strlen(outpath) - 1] == '/';
  if (folder && id) return command_usage_error(cmd, "-o FOLDER/ writes the letter of every dossier: leave out --id");
  if (folder && option_value(a, "receipt"))   /* replay maps one output file, not a folder */
    return command_usage_error(cmd, "a receipt records one explanation: leave out --receipt with -o FOLDER/");
  ExplainOptions show = {option_value(a, "column"), -1, -1};   /* --column, --depth */
  const char *depth = option_value(a, "depth");
  if (depth) {
    char *end;
    long d = strtol(depth, &end, 10);
    if (*end || end == depth || d < 0 || d > 1000000)
      return command_usage_error(cmd, "--depth takes a number of levels (0 or more)");
    show.depth = (int)d;
  }
  if (fmt == EXPLAIN_BRIEF && (show.column_name || depth))
    return command_usage_error(cmd, "a letter shows the whole outcome: --column and --depth are for text and json");
  const char *trace = option_value(a, "trace");
  if (trace) {   /* rendered from a run's compact trace (tools/explain_trace.h) */
    if (a->noperands != 1) return command_usage_error(cmd, "explain --trace FILE takes RULES only: the dossiers are in FILE");
    if (folder || option_value(a, "receipt") || inf)
      return command_usage_error(cmd, "--trace FILE renders what a run recorded: leave out -o FOLDER/, --receipt and --input-format");
    if (!id && f && fmt != EXPLAIN_JSON)
      return command_usage_error(cmd, "without --id every dossier is written as JSON Lines: give --id ID for text, html or brief");
    return explain_from_trace(a, a->operands[0], trace, id, fmt, outpath, &show);
  }
  if (a->noperands < 2 || (!id && !folder)) return command_usage_error(cmd, "explain needs RULES, INPUT and --id ID");
  const char *rules = a->operands[0], *input = a->operands[1];
  Receipt *receipt = receipt_begin(option_value(a, "receipt"), dagloon_argc, dagloon_argv);
  if (folder)
    return receipt_end(receipt, letter_folder_run(a, rules, input, inf ? (int)in_fmt : -1, outpath, receipt),
                       DAGLOON_VERSION);
  return receipt_end(receipt, explain_dossier(a, rules, input, inf ? (int)in_fmt : -1, id, outpath, fmt,
                                              &show, receipt), DAGLOON_VERSION);
}

/* "dossier X not found": with the ids closest to X among those read. */
static void explain_no_dossier(const Chunk *c, const char *input, const char *id, char **ids, size_t nids) {
  char near[600];
  suggest_phrase(id, (const char *const *)ids, nids, near, sizeof near);
  fprintf(stderr, _("dagloon: %s has no dossier with %s = %s%s%s\n"), input,
          c->schema.records[c->schema.input].fields[c->schema.key_field].name, id, *near ? "; " : "", near);
}

/* dagloon explain, once its options are read. */
static int explain_dossier(const ParsedArgs *a, const char *rules, const char *input, int in_fmt, const char *id,
                           const char *outpath, ExplainFormat fmt, ExplainOptions *show, Receipt *receipt) {
  Front f;
  int status;
  Chunk *c = load_traced(&f, rules, &status);
  if (!c) return status;
  int rc = EXIT_OK;
  char why[400];
  if (fmt == EXPLAIN_BRIEF && !letter_supported(c, why, sizeof why)) {
    fprintf(stderr, "dagloon: %s: %s\n", rules, why);
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  bool refused = !outputs_not_sources(a, c);
  if (refused) receipt_discard(receipt);   /* --receipt may be the file refused */
  if (refused || (show->column_name && (show->column = explain_find_column(c, show->column_name, stderr)) < 0)) {
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  receipt_rules(receipt, rules, c);
  receipt_file(receipt, "input", input);
  FILE *in = open_input(input);
  char *err = NULL;
  RecordReader *rd = NULL;
  RecFormat rf;
  if (!in) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), input, strerror(errno));
    rc = EXIT_USAGE;
  } else if (c->schema.input < 0 || c->schema.key_field < 0) {
    fprintf(stderr, _("dagloon: %s: the invoer has no key field ('sleutel'), so no dossier can be named\n"), rules);
    rc = EXIT_USAGE;
  } else if (!dossier_format(in, input, in_fmt, &rf)) {
    rc = EXIT_USAGE;
  } else if (!(rd = reader_open(&c->schema, in, input, rf, &err))) {
    fprintf(stderr, _("%s: error: %s\n"), input, err ? err : _("cannot read"));
    free(err);
    rc = EXIT_USAGE;
  }
  if (rd) {
    Arena arena;
    arena_init(&arena);
    bool found = false;
    char **ids = NULL;   /* the keys read, for "did you mean" when ID is not among them */
    size_t nids = 0, capids = 0;
    for (;;) {
      Record *rec = NULL;
      ReadInfo info;
      ReadStatus st = reader_next(rd, &arena, &rec, &info);
      if (st == READ_EOF) break;
      if (strcmp(info.id, id) != 0) {
        char *seen = xstrdup(info.id);
        VEC_PUSH(ids, nids, capids, seen);
        arena_reset(&arena);
        continue;
      }
      found = true;
      if (st == READ_BAD) {
        fprintf(stderr, _("%s:%" PRIu64 ": dossier %s cannot be read: %s%s%s\n"), input, info.line, id,
                info.field && *info.field ? info.field : "", info.field && *info.field ? ": " : "", info.reason);
        rc = EXIT_RECORD_ERRORS;
        break;
      }
      OutFile of;
      FILE *out = fmt == EXPLAIN_BRIEF ? NULL : outfile_open(&of, outpath);   /* a letter: once it is known there is one */
      if (!out && fmt != EXPLAIN_BRIEF) {
        rc = EXIT_WRITE_ERROR;
        break;
      }
      TracedEval t;
      traced_eval_init(&t, c, (VmLimits){0, 0});
      bool ok = traced_eval(&t, rec, &arena);
      ExplainRun run = traced_eval_run(&t, rules, input, id, info.line, rec, show);
      if (fmt == EXPLAIN_BRIEF) {
        rc = ok ? letter_to_file(c, &t.trace, &run, outpath) : EXIT_RECORD_ERRORS;
        if (!ok)
          fprintf(stderr, _("dagloon: dossier %s gives an error row, so no letter is written: %s\n"), id, t.error.msg);
      } else {
        explain_write(c, &t.trace, &run, fmt, out);
        if (!ok) rc = EXIT_RECORD_ERRORS;
        if (!outfile_commit(&of)) rc = EXIT_WRITE_ERROR;
      }
      traced_eval_free(&t);
      break;
    }
    if (!found && reader_read_failed(rd)) {
      fprintf(stderr, _("dagloon: cannot read '%s' to its end: dossier %s was not reached\n"), input, id);
      rc = EXIT_USAGE;
    } else if (!found) {
      explain_no_dossier(c, input, id, ids, nids);
      rc = EXIT_USAGE;
    }
    for (size_t i = 0; i < nids; i++) free(ids[i]);
    free(ids);
    arena_free(&arena);
    reader_close(rd);
  }
  if (in && in != stdin) fclose(in);
  if (outpath) receipt_file(receipt, "output", outpath);
  chunk_free(c);
  front_free(&f);
  return rc;
}

int dagloon_argc;
char **dagloon_argv;

/* The native libraries rule files may load: --allow-native PATH, for every command. */
static NativeAllow allowed_natives;

static bool allow_native(const char *path) {
  char why[600];
  if (native_allow_add(&allowed_natives, path, why, sizeof why)) return true;
  fprintf(stderr, "dagloon: %s\n", why);
  return false;
}

/* The folders rule files may name files in besides their tree: --allow-path DIR, for every command. */
static bool allow_path(const char *dir) {
  char why[600];
  if (sandbox_allow_path(dir, why, sizeof why)) return true;
  fprintf(stderr, "dagloon: %s\n", why);
  return false;
}

typedef int (*CommandFn)(const ParsedArgs *a);

static int cmd_replay_here(const ParsedArgs *a) { return cmd_replay(a, DAGLOON_VERSION); }

static const struct {
  const CommandSpec *spec;
  CommandFn run;
} command_fns[] = {
  {&cmd_check_spec, cmd_check}, {&cmd_run_spec, cmd_run}, {&cmd_compile_spec, cmd_compile},
  {&cmd_explain_spec, cmd_explain}, {&cmd_replay_spec, cmd_replay_here}, {&cmd_compare_spec, cmd_compare},
  {&cmd_disasm_spec, cmd_disasm}, {&cmd_test_spec, cmd_test}, {&cmd_tokens_spec, cmd_tokens},
  {&cmd_ast_spec, cmd_ast}, {&cmd_fmt_spec, cmd_fmt}, {&cmd_lsp_spec, cmd_lsp},
  {&cmd_serve_spec, cmd_serve}, {&cmd_kalibreer_spec, cmd_kalibreer}, {&cmd_sleutel_spec, cmd_sleutel},
};

int main(int argc, char **argv) {
  i18n_init();   /* first: every message after this is in the user's language */
  /* jansson's allocations checked like ours: a NULL inside jansson would silently drop a member of a JSON output */
  json_set_alloc_funcs(xmalloc, free);
  dagloon_argc = argc;
  dagloon_argv = xcalloc((size_t)argc + 1, sizeof *dagloon_argv);
  memcpy(dagloon_argv, argv, (size_t)argc * sizeof *argv);
  int first = 1;   /* the command; --allow-native PATH may also come before it */
  for (; first + 1 < argc && (strcmp(argv[first], "--allow-native") == 0 || strcmp(argv[first], "--allow-path") == 0);
       first += 2)
    if (!(argv[first][8] == 'n' ? allow_native(argv[first + 1]) : allow_path(argv[first + 1]))) return EXIT_USAGE;
  if (argc <= first) {
    main_help(stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[first];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    main_help(stdout);
    return stdout_check() ? EXIT_OK : EXIT_WRITE_ERROR;
  }
  if (strcmp(name, "--version") == 0) {
    printf("dagloon %s\n", DAGLOON_VERSION);
    return stdout_check() ? EXIT_OK : EXIT_WRITE_ERROR;
  }
  const CommandSpec *spec = command_find(name);
  if (!spec) {
    const char *near = command_nearest(name);
    if (near) fprintf(stderr, _("dagloon: unknown command '%s' (did you mean '%s'?)\n\n"), name, near);
    else fprintf(stderr, _("dagloon: unknown command '%s'\n\n"), name);
    main_help(stderr);
    return EXIT_USAGE;
  }
  ParsedArgs a;
  if (!options_parse(spec, argc - first, argv + first, &a)) return EXIT_USAGE;
  /*
  ** A receipt holds the sha256 of the outputs (the test report on stdout, a summary): they are
  ** written in the msgids' language, so that a replay reproduces them in any locale.
  */
  if (option_value(&a, "receipt")) i18n_use("en");
  int rc = EXIT_USAGE;
  bool allowed = true;
  size_t pos = 0;
  for (const char *lib; allowed && (lib = option_next(&a, "allow-native", &pos));) allowed = allow_native(lib);
  pos = 0;
  for (const char *dir; allowed && (dir = option_next(&a, "allow-path", &pos));) allowed = allow_path(dir);
  native_set_allowed(&allowed_natives);
  allowed = allowed && operator_key_from_environment();
  if (a.help) {
    command_help(spec, stdout);
    rc = EXIT_OK;
  } else if (allowed && outputs_check(&a)) {   /* before anything is opened for writing */
    for (size_t i = 0; i < sizeof command_fns / sizeof command_fns[0]; i++)
      if (command_fns[i].spec == spec) rc = command_fns[i].run(&a);
  }
  parsed_args_free(&a);
  if (!stdout_check()) rc = EXIT_WRITE_ERROR;
  return rc;
}
