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
#include "tools/letter.h"
#include "tools/letter_run.h"
#include "tools/outfile.h"
#include "tools/suggest.h"
#include "tools/parallel.h"
#include "tools/progress.h"
#include "tools/receipt.h"
#include "tools/run_report.h"
#include "tools/run_summary.h"
#include "tools/fmt.h"
#include "tools/lsp/server.h"
#include "tools/serve_cmd.h"
#include "tools/unverified.h"
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
  if (c) {
    OutFile of;   /* a temporary file renamed over FILE: a failed write never leaves half a bundle */
    FILE *out = outfile_open(&of, outpath);
    char err[400];
    if (!out) {
      status = EXIT_WRITE_ERROR;
    } else if (!bundle_write_traced(c, tc, DAGLOON_VERSION, out, err, sizeof err)) {
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
  if (a->noperands < 2 || (!id && !folder)) return command_usage_error(cmd, "explain needs RULES, INPUT and --id ID");
  const char *rules = a->operands[0], *input = a->operands[1];
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
      Trace t;
      trace_init(&t);
      Vm *vm = vm_new(c);
      vm_set_trace(vm, &t);
      Value *vals = xcalloc(c->noutputs ? c->noutputs : 1, sizeof *vals);
      VmError ve;
      memset(&ve, 0, sizeof ve);
      bool ok = vm_run(vm, rec, &arena, vals, &ve) == VM_OK;
      ExplainRun run = {rules, input, id, info.line, rec, ok ? vals : NULL, ok ? NULL : &ve, vm_unverified_lookups(vm),
                        DAGLOON_VERSION, show};
      if (fmt == EXPLAIN_BRIEF) {
        rc = ok ? letter_to_file(c, &t, &run, outpath) : EXIT_RECORD_ERRORS;
        if (!ok)
          fprintf(stderr, _("dagloon: dossier %s gives an error row, so no letter is written: %s\n"), id, ve.msg);
      } else {
        explain_write(c, &t, &run, fmt, out);
        if (!ok) rc = EXIT_RECORD_ERRORS;
        if (!outfile_commit(&of)) rc = EXIT_WRITE_ERROR;
      }
      free(vals);
      vm_free(vm);
      trace_free(&t);
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

/* ---- run ---- */

typedef struct RunOptions {
  const char *rules, *input, *out, *errors, *receipt, *explain;
  const char *summary, *by, *html;   /* the population summary (tools/run_summary.h) */
  int out_fmt, in_fmt;   /* -1: from the file name */
  int threads;           /* 0: every core */
  VmLimits limits;       /* per dossier; 0s: the VM's defaults */
  bool fail_fast;        /* stop at the first error row */
  bool mark_unverified;  /* the column 'ongeverifieerd' (tools/unverified.h) */
  bool csv_safe;         /* text cells that look like formulas get a ' (runtime/recio.h) */
  const ParsedArgs *args;   /* the command line, for its output files */
} RunOptions;

static int run_rules(const RunOptions *op, Receipt *receipt);

static int cmd_run(const ParsedArgs *a) {
  const CommandSpec *cmd = a->command;
  RunOptions o = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, 0, {0, 0}, false, false, false, NULL};
  const char *threads = option_value(a, "threads"), *why = parse_limits(a, &o.limits);
  if (why) return command_usage_error(cmd, why);
  if (threads) {
    char *end;
    long t = strtol(threads, &end, 10);
    if (!*threads || *end || t < 1 || t > 256) return command_usage_error(cmd, "--threads needs a number from 1 to 256");
    o.threads = (int)t;
  }
  RecFormat fmt;
  const char *out_fmt = option_value(a, "format"), *in_fmt = option_value(a, "input-format");
  if (out_fmt && !parse_record_format(out_fmt, &fmt)) return command_usage_error(cmd, "formats are csv and jsonl");
  if (out_fmt) o.out_fmt = (int)fmt;
  if (in_fmt && !parse_record_format(in_fmt, &fmt)) return command_usage_error(cmd, "formats are csv and jsonl");
  if (in_fmt) o.in_fmt = (int)fmt;
  o.out = option_value(a, "output");
  o.receipt = option_value(a, "receipt");
  o.explain = option_value(a, "explain");
  o.errors = option_value(a, "errors");
  o.fail_fast = option_given(a, "fail-fast");
  o.mark_unverified = option_given(a, "mark-unverified");
  o.csv_safe = option_given(a, "csv-safe");
  o.summary = option_value(a, "summary");
  o.by = option_value(a, "by");
  o.html = option_value(a, "html");
  if (o.by && !o.summary && !o.html) return command_usage_error(cmd, "--by groups the summary: give --summary FILE or --html FILE");
  o.args = a;
  if (a->noperands > 2) return command_usage_error(cmd, "run takes one rule path and one input file");
  if (a->noperands < 2) return command_usage_error(cmd, "run needs RULES and INPUT");
  o.rules = a->operands[0];
  o.input = a->operands[1];
  if (o.explain && o.threads > 1) return command_usage_error(cmd, "--explain runs on one thread (leave out --threads)");
  Receipt *receipt = receipt_begin(o.receipt, dagloon_argc, dagloon_argv);
  return receipt_end(receipt, run_rules(&o, receipt), DAGLOON_VERSION);
}

/* dagloon run, once its options are read. */
static int run_rules(const RunOptions *op, Receipt *receipt) {
  RunOptions o = *op;
  Front f;
  front_init(&f);
  f.trace = o.explain != NULL;   /* explanations need the code with trace points */
  int status;
  Chunk *c = load_chunk(&f, o.rules, &status);
  if (!c) {
    front_free(&f);
    return status;
  }
  if (c->noutputs == 0 || c->schema.input < 0) {
    fprintf(stderr, _("dagloon: %s: the rule set declares no %s; nothing to compute\n"), o.rules,
            c->noutputs == 0 ? "'uitvoer' (output columns)" : "'invoer' (dossier fields)");
    chunk_free(c);
    front_free(&f);
    return EXIT_RULE_ERRORS;
  }

  for (uint32_t i = 0; o.mark_unverified && i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, UNVERIFIED_COLUMN) == 0) {
      fprintf(stderr, _("dagloon: %s: the rule set has an output column '%s' already; --mark-unverified would add "
              "another\n"), o.rules, UNVERIFIED_COLUMN);
      chunk_free(c);
      front_free(&f);
      return EXIT_USAGE;
    }
  if (!outputs_not_sources(o.args, c)) {
    receipt_discard(receipt);   /* --receipt may be the file refused */
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  receipt_rules(receipt, o.rules, c);
  receipt_file(receipt, "input", o.input);
  FILE *in = open_input(o.input);
  if (!in) {
    fprintf(stderr, _("dagloon: cannot open '%s': %s\n"), o.input, strerror(errno));
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  char why[300];
  RunSummary *sum = NULL;
  if ((o.summary || o.html) && !(sum = run_summary_new(c, o.by, why, sizeof why))) {
    fprintf(stderr, "dagloon: %s\n", why);
    if (in != stdin) fclose(in);
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  /* the rows, the error rows, the explanations, the summary and its page: renamed over their names at the end */
  enum { NOUTS = 5 };
  OutFile outs[NOUTS] = {{0}};
  FILE *out = outfile_open(&outs[0], o.out);
  FILE *errf = out && o.errors ? outfile_open(&outs[1], o.errors) : NULL;
  FILE *xf = out && (!o.errors || errf) && o.explain ? outfile_open(&outs[2], o.explain) : NULL;
  if (!out || (o.errors && !errf) || (o.explain && !xf)) {
    if (in != stdin) fclose(in);
    for (int i = 0; i < NOUTS; i++) outfile_abort(&outs[i]);
    run_summary_free(sum);
    chunk_free(c);
    front_free(&f);
    return EXIT_WRITE_ERROR;
  }
  RecFormat in_fmt;
  bool in_known = dossier_format(in, o.input, o.in_fmt, &in_fmt);
  RecFormat out_fmt = o.out_fmt >= 0 ? (RecFormat)o.out_fmt : o.out ? recio_format_from_name(o.out) : FMT_CSV;

  char *err = NULL;
  RecordReader *rd = in_known ? reader_open(&c->schema, in, o.input, in_fmt, &err) : NULL;
  apply_reader_limits(rd, o.limits);
  int rc = EXIT_OK;
  uint64_t n_ok = 0, n_bad_input = 0, n_bad_run = 0, n_unverified = 0;
  if (!rd) {
    if (in_known) fprintf(stderr, _("%s: error: %s\n"), o.input, err ? err : _("cannot read"));
    free(err);
    rc = EXIT_USAGE;
  } else {
    uint32_t ncols = c->noutputs + o.mark_unverified;   /* 'ongeverifieerd' last */
    OutColumn *cols = xcalloc(ncols, sizeof *cols);
    for (uint32_t i = 0; i < c->noutputs; i++) cols[i] = (OutColumn){c->outputs[i].name, c->outputs[i].type};
    if (o.mark_unverified) cols[c->noutputs] = (OutColumn){UNVERIFIED_COLUMN, unverified_type(out_fmt)};
    RowWriter *w = writer_open(out, out_fmt, &c->schema, cols, ncols);
    writer_set_csv_safe(w, o.csv_safe);
    ErrorWriter *ew = errf ? errwriter_open(errf) : NULL;
    if (ew) errwriter_set_csv_safe(ew, o.csv_safe);
    int threads = o.explain || o.fail_fast ? 1 : o.threads;
    if (threads == 0) {
      long cores = sysconf(_SC_NPROCESSORS_ONLN);
      threads = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
    }
    Progress *prog = progress_start(in);
    if (threads > 1) {
      RunCounts rc2 = {0};
      run_parallel(c, rd, w, ew, cols, ncols, out_fmt, o.input, threads, o.limits, &rc2, prog, sum);
      n_ok = rc2.ok, n_bad_input = rc2.bad_input, n_bad_run = rc2.bad_run, n_unverified = rc2.unverified;
    }
    Vm *vm = vm_new(c);
    vm_set_limits(vm, o.limits);
    vm_mark_unverified(vm, o.mark_unverified);
    Arena arena;
    arena_init(&arena);
    Value *vals = xcalloc(ncols, sizeof *vals);
    Trace trace;
    trace_init(&trace);
    if (xf) vm_set_trace(vm, &trace);
    for (; threads == 1;) {
      Record *rec = NULL;
      ReadInfo info;
      ReadStatus st = reader_next(rd, &arena, &rec, &info);
      if (st == READ_EOF) break;
      if (st == READ_BAD) {
        char where[600];
        snprintf(where, sizeof where, "%s:%" PRIu64, o.input, info.line);
        report_row_error(ew, where, info.recno, info.line, info.id, info.field, "", info.reason);
        if (sum) run_summary_error(sum, true, info.reason);
        n_bad_input++;
      } else {
        VmError ve;
        if (xf) trace_clear(&trace);
        bool ok = vm_run(vm, rec, &arena, vals, &ve) == VM_OK;
        if (ok) {
          if (o.mark_unverified) vals[c->noutputs] = unverified_value(c, vm, out_fmt, &arena);
          writer_row(w, vals);
          if (sum) run_summary_add(sum, info.id, vals, false);
          n_ok++;
          if (vm_unverified_lookups(vm) > 0) n_unverified++;
        } else {
          char where[600];
          chunk_location(c, ve.span, where, sizeof where);
          report_row_error(ew, where, info.recno, info.line, info.id, "", c->protos[ve.proto].name, ve.msg);
          if (sum) run_summary_error(sum, false, ve.msg);
          n_bad_run++;
        }
        if (xf) {   /* one explanation per line, as dagloon explain --format json writes it */
          ExplainRun er = {o.rules, o.input, info.id, info.line, rec, ok ? vals : NULL, ok ? NULL : &ve,
                           vm_unverified_lookups(vm), DAGLOON_VERSION, NULL};
          explain_write(c, &trace, &er, EXPLAIN_JSON_LINE, xf);
        }
      }
      progress_tick(prog, n_ok + n_bad_input + n_bad_run);
      arena_reset(&arena);
      if (o.fail_fast && n_bad_input + n_bad_run > 0) {
        fprintf(stderr, _("dagloon: stopped at the first error row (--fail-fast); the rest of '%s' is not read\n"), o.input);
        break;
      }
    }
    progress_end(prog);
    trace_free(&trace);
    outfile_note_error(&outs[0], writer_close(w));   /* a failed write, with its reason */
    if (ew) outfile_note_error(&outs[1], errwriter_close(ew));
    bool read_failed = reader_read_failed(rd);
    reader_close(rd);
    vm_free(vm);
    arena_free(&arena);
    free(vals);
    free(cols);
    uint64_t total = n_ok + n_bad_input + n_bad_run;
    fprintf(stderr, ngettext("dagloon: %" PRIu64 " record: ", "dagloon: %" PRIu64 " records: ", total), total);
    fprintf(stderr, ngettext("%" PRIu64 " ok, %" PRIu64 " error (%" PRIu64 " input, %" PRIu64 " computation)\n",
                             "%" PRIu64 " ok, %" PRIu64 " errors (%" PRIu64 " input, %" PRIu64 " computation)\n",
                             n_bad_input + n_bad_run),
            n_ok, n_bad_input + n_bad_run, n_bad_input, n_bad_run);
    if (n_unverified)
      fprintf(stderr,
              o.mark_unverified
                ? ngettext("dagloon: warning: %" PRIu64 " result rests on table values marked 'unverified'; column '%s' "
                           "names the rows\n",
                           "dagloon: warning: %" PRIu64 " results rest on table values marked 'unverified'; column '%s' "
                           "names the rows\n", n_unverified)
                : ngettext("dagloon: warning: %" PRIu64 " result rests on table values marked 'unverified' "
                           "(--mark-unverified names them)%s\n",
                           "dagloon: warning: %" PRIu64 " results rest on table values marked 'unverified' "
                           "(--mark-unverified names them)%s\n", n_unverified),
              n_unverified, o.mark_unverified ? UNVERIFIED_COLUMN : "");
    if (n_bad_input + n_bad_run) rc = EXIT_RECORD_ERRORS;
    if (read_failed) {   /* not a finished run with error rows: the rest of the input is missing */
      fprintf(stderr, _("dagloon: cannot read '%s' to its end: the results stop at the read error\n"), o.input);
      rc = EXIT_USAGE;
    }
  }
  if (in != stdin) fclose(in);
  /* the summary and its page, once every row is in (not for a run that could not read its input) */
  bool written = rc != EXIT_USAGE;
  json_t *sj = written && sum ? run_summary_json(sum, o.rules, o.input) : NULL;
  if (sum && written && !sj) rc = EXIT_USAGE;
  if (sj && o.summary) {
    FILE *sf = outfile_open(&outs[3], o.summary);
    if (sf) run_summary_write(sj, o.summary, o.csv_safe, sf);
    else written = false;
  }
  if (sj && o.html) {
    FILE *hf = outfile_open(&outs[4], o.html);
    if (hf) run_report_html(sj, hf);
    else written = false;
  }
  json_decref(sj);
  run_summary_free(sum);
  written = written && rc != EXIT_USAGE;
  /* every output checked (each failure named); when one fails, none is put in place */
  for (int i = 0; i < NOUTS; i++) written = outfile_finish(&outs[i]) && written;
  for (int i = 0; i < NOUTS && written; i++) written = outfile_commit(&outs[i]);
  for (int i = 0; i < NOUTS; i++) outfile_abort(&outs[i]);
  if (!written && rc != EXIT_USAGE) rc = EXIT_WRITE_ERROR;
  if (o.out) receipt_file(receipt, "output", o.out);
  if (o.explain) receipt_file(receipt, "explanations", o.explain);
  if (o.errors) receipt_file(receipt, "errors", o.errors);
  if (o.summary) receipt_file(receipt, "summary", o.summary);
  if (o.html) receipt_file(receipt, "report", o.html);
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
  {&cmd_serve_spec, cmd_serve},
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
