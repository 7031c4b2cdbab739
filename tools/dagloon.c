/*
** dagloon.c: the command-line program. Parses arguments, calls the front
** end (lang/front.h) and the runtime (runtime/vm.h, recio.h), prints
** diagnostics and summaries. No language or VM logic lives here.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/front.h"
#include "tools/casetest.h"
#include "tools/cli.h"
#include "tools/compare.h"
#include "tools/explain.h"
#include "tools/parallel.h"
#include "tools/progress.h"
#include "tools/receipt.h"
#include "tools/unverified.h"
#include "tools/version.h"
#include "lang/lexer.h"
#include "lang/parser.h"
#include "runtime/bundle.h"
#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/trace.h"
#include "runtime/vm.h"


/* Exit codes, documented in --help. */

static const char *const usage_main =
  "usage: dagloon COMMAND [OPTIONS] ...\n"
  "\n"
  "Rules-as-data engine for the Dutch dagloon (WIA, WW, ZW).\n"
  "\n"
  "commands:\n"
  "  check RULES...                 check rule files (or directories of .rules files)\n"
  "  run RULES INPUT [options]      compute the output columns for every dossier in INPUT\n"
  "  compile RULES -o FILE          save the compiled rules as a bundle that run and disasm load\n"
  "  explain RULES INPUT --id ID    why one dossier came out as it did: rules, articles, table rows\n"
  "  replay RECEIPT                 run a command again from its receipt; fail if anything differs\n"
  "  compare BASE PROPOSAL INPUT    a proposed rule set beside the current one: who gains, who loses\n"
  "  disasm RULES...                show the compiled bytecode with source locations\n"
  "  test RULES CASES...            run case files (expected values from rulings) against the rules\n"
  "  tokens FILE                    show the tokens of a rule file (for debugging the lexer)\n"
  "  ast FILE                       show the syntax tree of a rule file (for debugging the parser)\n"
  "\n"
  "  dagloon COMMAND --help         help on one command\n"
  "  dagloon --version              engine version\n"
  "\n"
  "for every command:\n"
  "  --allow-native PATH            let rule files load this native library ('extern regel'),\n"
  "                                 repeatable; no other library is ever loaded\n"
  "\n"
  "exit status:\n"
  "  0  success\n"
  "  1  the rule files have errors (diagnostics on stderr)\n"
  "  2  usage error, or a file could not be read or written\n"
  "  3  run: finished, but some dossiers gave error rows instead of results;\n"
  "     test: some cases failed\n";

static const char *const usage_check =
  "usage: dagloon check RULES... [--changes]\n"
  "\n"
  "Checks rule sets: syntax, names, types, money rounding, cycles. Each argument\n"
  "is a rule set: a .rules file, or a directory whose .rules files are read as\n"
  "one. Every error is printed as file:line:col with the source line and a caret.\n"
  "Warnings do not fail. A proposal (a rule set starting 'voorstel op \"BASE\"')\n"
  "is checked merged with its base; --changes lists what it replaces ('vervang'),\n"
  "takes out ('schrap uitzondering') and adds, each with its place.\n"
  "\n"
  "exit status: 0 no errors, 1 errors found, 2 a file could not be read\n";

static const char *const usage_compile =
  "usage: dagloon compile RULES -o FILE\n"
  "\n"
  "Checks and compiles a rule set (a .rules file or a directory) and saves it as\n"
  "a bundle: bytecode, tables with their sources, and the rule text for error\n"
  "locations. 'dagloon run FILE INPUT' and 'dagloon disasm FILE' then start\n"
  "without parsing the rules again. A bundle is tied to the engine that made it:\n"
  "another version refuses it and asks for a new compile. run warns when a rule\n"
  "file has changed since its bundle was made.\n"
  "\n"
  "exit status: 0 written, 1 the rules have errors, 2 usage or I/O error\n";

static const char *const usage_explain =
  "usage: dagloon explain RULES INPUT --id ID [--format text|json|html] [-o OUT] [--receipt FILE]\n"
  "\n"
  "Computes the dossier whose key is ID in INPUT and explains every output\n"
  "column as a tree: each rule with its value and its source (article, lid),\n"
  "the version chosen and the peildatum that chose it, the exceptions that\n"
  "applied and those that did not, the input fields read, each table row used\n"
  "with its source and status, and every rounding and revision step. A dossier\n"
  "whose computation fails is explained up to the failure.\n"
  "\n"
  "options:\n"
  "  --id ID                the dossier (the value of the invoer's key field)\n"
  "  --format text|json|html  text for the terminal (default), JSON (docs/EXPLAIN.md), or\n"
  "                         one self-contained Dutch HTML page to hand to a citizen\n"
  "  -o OUT                 write to OUT instead of standard output\n"
  "  --receipt FILE         write a receipt of this explanation (see dagloon run --help)\n"
  "\n"
  "exit status: 0 explained, 1 rule errors, 2 usage or I/O error or no dossier ID,\n"
  "             3 explained, but the dossier gives an error row\n";

static const char *const usage_run =
  "usage: dagloon run RULES INPUT [-o OUT] [--format csv|jsonl] [--input-format csv|jsonl]\n"
  "                   [--errors FILE] [--threads N] [--fail-fast] [--max-steps N]\n"
  "                   [--max-memory MIB] [--explain FILE]\n"
  "                   [--receipt FILE] [--mark-unverified]\n"
  "\n"
  "RULES is a rule set (a .rules file or a directory) or a bundle made by\n"
  "'dagloon compile'. Reads dossiers from INPUT ('-' for standard input) and\n"
  "writes one row per dossier with the columns of the rule set's 'uitvoer'. A\n"
  "dossier that cannot be read (a bad field, a wrong number of columns, an id\n"
  "used before) or computed (overflow, division by zero, ...) gives an error\n"
  "row naming the record, its id, the field or rule, and the reason; the run\n"
  "goes on with the next dossier. A summary goes to standard error.\n"
  "\n"
  "options:\n"
  "  -o OUT                 write results to OUT instead of standard output\n"
  "  --format csv|jsonl     output format (default: from OUT's extension, else csv)\n"
  "  --input-format F       input format (default: from INPUT's extension: .jsonl/.ndjson\n"
  "                         are JSON Lines, anything else CSV)\n"
  "  --errors FILE          write error rows as CSV to FILE (columns: record, line, id,\n"
  "                         field, rule, location, reason) instead of standard error\n"
  "  --threads N            evaluate on N threads (default: every core); the output is\n"
  "                         the same, byte for byte and in input order, for any N\n"
  "  --fail-fast            stop at the first error row (one thread), saying so\n"
  "  --max-steps N          stop a dossier after N steps -- passes of a loop and calls of\n"
  "                         rules with parameters -- with an error row (default 100000000):\n"
  "                         a runaway rule cannot hold up the run\n"
  "  --max-memory MIB       the memory one dossier may take (default 256): a longer input\n"
  "                         record, or rules that build longer lists (of months), give an\n"
  "                         error row\n"
  "  --allow-native PATH    let the rules load this native library (see dagloon --help)\n"
  "  --explain FILE         also write the explanation of every dossier to FILE, one JSON\n"
  "                         object per line (as explain --format json); one thread\n"
  "  --receipt FILE         write a receipt: engine, sha256 of every rule file, table,\n"
  "                         the compiled bundle, the input and the output (dagloon replay)\n"
  "  --mark-unverified      one more column, 'ongeverifieerd': the table rows marked\n"
  "                         'unverified' that each result used, as TABLE@KEY (a date\n"
  "                         table's row by its first day), by table name and key, joined\n"
  "                         by ';' in CSV, a list in JSON Lines; empty when none\n"
  "\n"
  "exit status: 0 every dossier computed, 1 rule errors, 2 usage or I/O error,\n"
  "             3 finished with error rows\n";

static const char *const usage_disasm =
  "usage: dagloon disasm RULES...\n"
  "\n"
  "Compiles the rules (or loads a bundle made by 'dagloon compile') and prints\n"
  "the constant pool and, per rule, each instruction as:\n"
  "pc OPNAME operands ; synopsis ; file:line:col\n";

static int fail_usage(const char *msg, const char *usage) {
  fprintf(stderr, "dagloon: %s\n\n%s", msg, usage);
  return EXIT_USAGE;
}

static bool wants_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  return false;
}

static int cmd_compile(int argc, char **argv) {
  if (wants_help(argc, argv)) { fputs(usage_compile, stdout); return EXIT_OK; }
  const char *rules = NULL, *outpath = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      if (i + 1 >= argc) return fail_usage("-o needs a value", usage_compile);
      outpath = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] != 0) {
      char msg[128];
      snprintf(msg, sizeof msg, "unknown option '%s'", argv[i]);
      return fail_usage(msg, usage_compile);
    } else if (!rules) rules = argv[i];
    else return fail_usage("compile takes one rule path", usage_compile);
  }
  if (!rules || !outpath) return fail_usage("compile needs RULES and -o FILE", usage_compile);
  if (bundle_is(rules)) return fail_usage("RULES is already a bundle", usage_compile);
  Front f;
  front_init(&f);
  int status;
  char *paths[1] = {(char *)rules};
  Chunk *c = load_rules(&f, paths, 1, FRONT_COMPILE, &status);
  if (c) {
    /* write to a temporary name and rename, so a failed write never leaves half a bundle */
    size_t tl = strlen(outpath) + 8;
    char *tmp = xmalloc(tl);
    snprintf(tmp, tl, "%s.tmp", outpath);
    FILE *out = fopen(tmp, "wb");
    char err[400];
    if (!out) {
      fprintf(stderr, "dagloon: cannot write '%s': %s\n", tmp, strerror(errno));
      status = EXIT_USAGE;
    } else {
      bool ok = bundle_write(c, DAGLOON_VERSION, out, err, sizeof err);
      if (fclose(out) != 0 && ok) {
        snprintf(err, sizeof err, "cannot write: %s", strerror(errno));
        ok = false;
      }
      if (ok && rename(tmp, outpath) != 0) {
        snprintf(err, sizeof err, "cannot rename '%s' to '%s': %s", tmp, outpath, strerror(errno));
        ok = false;
      }
      if (!ok) {
        fprintf(stderr, "dagloon: %s: %s\n", outpath, err);
        remove(tmp);
        status = EXIT_USAGE;
      } else {
        fprintf(stderr, "dagloon: %s: %" PRIu32 " rule%s, %" PRIu32 " table%s, %" PRIu32 " file%s\n", outpath,
                c->nprotos, c->nprotos == 1 ? "" : "s", c->ntables, c->ntables == 1 ? "" : "s", c->nfiles,
                c->nfiles == 1 ? "" : "s");
      }
    }
    free(tmp);
    chunk_free(c);
  }
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
  srcpos_line_col(sf->text, sf->len, sp.off, &line, &col);
  snprintf(buf, cap, "%s:%u:%u", sf->name, line, col);
}

/* What a proposal replaces, takes out and adds (dagloon check --changes), on standard output. */
static void print_changes(const Front *f, const char *path) {
  if (!f->is_proposal) {
    printf("%s: not a proposal (no 'voorstel op \"...\"'): no changes to list\n", path);
    return;
  }
  printf("%s: a proposal on %s: %zu change%s\n", path, f->base, f->changes.n, f->changes.n == 1 ? "" : "s");
  for (size_t i = 0; i < f->changes.n; i++) {
    const Change *ch = &f->changes.v[i];
    const char *what = ch->what == AST_RULE_DECL ? "regel" : ch->what == AST_EXCEPTION_DECL ? "uitzondering"
                       : ch->what == AST_TABLE_DECL ? "tabel" : ch->what == AST_OUTPUT_DECL ? "uitvoer" : "declaratie";
    char here[600], base[600];
    src_location(f, ch->here, here, sizeof here);
    src_location(f, ch->base, base, sizeof base);
    switch (ch->kind) {
    case CHANGE_REPLACED:
      if (ch->what == AST_OUTPUT_DECL) printf("  replaces %s (base %s)\n", what, base);
      else printf("  replaces %s %s (base %s) by %s\n", what, ch->name, base, here);
      break;
    case CHANGE_REMOVED: printf("  takes out %s %s (base %s) at %s\n", what, ch->name, base, here); break;
    case CHANGE_ADDED: printf("  adds %s %s at %s\n", what, ch->name, here); break;
    case CHANGE_ROWS: printf("  replaces or adds rows of tabel %s (base %s) at %s\n", ch->name, base, here); break;
    case CHANGE_VERSION: printf("  adds a version of regel %s (base %s) at %s\n", ch->name, base, here); break;
    }
  }
}

static int cmd_check(int argc, char **argv) {
  if (wants_help(argc, argv)) { fputs(usage_check, stdout); return EXIT_OK; }
  bool changes = false;
  int nsets = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--changes") == 0) changes = true;
    else if (argv[i][0] == '-' && argv[i][1]) {
      char msg[128];
      snprintf(msg, sizeof msg, "unknown option '%s'", argv[i]);
      return fail_usage(msg, usage_check);
    } else nsets++;
  }
  if (nsets < 1) return fail_usage("check needs at least one rule file", usage_check);
  /* Each argument is a rule set of its own (a file, or a directory read as one). */
  int worst = EXIT_OK;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--changes") == 0) continue;
    Front f;
    front_init(&f);
    int status;
    Chunk *c = load_rules(&f, argv + i, 1, FRONT_CHECK, &status);
    if (status == EXIT_OK) {
      fprintf(stderr, "%s: ok (%u file%s", argv[i], f.src.n, f.src.n == 1 ? "" : "s");
      if (f.diags.nwarnings) fprintf(stderr, ", %d warning%s", f.diags.nwarnings, f.diags.nwarnings == 1 ? "" : "s");
      fputs(")\n", stderr);
      if (changes) print_changes(&f, argv[i]);
    }
    if (c) chunk_free(c);
    front_free(&f);
    if (status == EXIT_USAGE || (status == EXIT_RULE_ERRORS && worst == EXIT_OK)) worst = status;
  }
  return worst;
}

static int cmd_disasm(int argc, char **argv) {
  if (wants_help(argc, argv)) { fputs(usage_disasm, stdout); return EXIT_OK; }
  if (argc < 1) return fail_usage("disasm needs at least one rule file", usage_disasm);
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
    if (status == EXIT_USAGE || (status == EXIT_RULE_ERRORS && worst == EXIT_OK)) worst = status;
  }
  return worst;
}

static int cmd_tokens(int argc, char **argv) {
  if (argc != 1) return fail_usage("tokens needs one rule file", usage_main);
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
    srcpos_line_col(sf->text, sf->len, t.span.off, &line, &col);
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

static int cmd_ast(int argc, char **argv) {
  if (argc != 1) return fail_usage("ast needs one rule file", usage_main);
  Front f;
  front_init(&f);
  int status;
  load_rules(&f, argv, 1, FRONT_PARSE, &status);
  for (uint32_t i = 0; i < f.ast.decls.n; i++) ast_dump(f.ast.decls.items[i], 0, stdout);
  front_free(&f);
  return status;
}

/* ---- explain ---- */

static int explain_dossier(const char *rules, const char *input, const char *id, const char *outpath,
                           ExplainFormat fmt, Receipt *receipt);

static int cmd_explain(int argc, char **argv) {
  if (wants_help(argc, argv)) { fputs(usage_explain, stdout); return EXIT_OK; }
  const char *rules = NULL, *input = NULL, *id = NULL, *outpath = NULL, *receipt_path = NULL;
  ExplainFormat fmt = EXPLAIN_TEXT;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    bool takes = strcmp(a, "--id") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
                 strcmp(a, "--receipt") == 0;
    if (takes && i + 1 >= argc) {
      char msg[96];
      snprintf(msg, sizeof msg, "%s needs a value", a);
      return fail_usage(msg, usage_explain);
    }
    if (strcmp(a, "--id") == 0) id = argv[++i];
    else if (strcmp(a, "-o") == 0) outpath = argv[++i];
    else if (strcmp(a, "--receipt") == 0) receipt_path = argv[++i];
    else if (strcmp(a, "--format") == 0) {
      const char *f = argv[++i];
      if (strcmp(f, "text") == 0) fmt = EXPLAIN_TEXT;
      else if (strcmp(f, "json") == 0) fmt = EXPLAIN_JSON;
      else if (strcmp(f, "html") == 0) fmt = EXPLAIN_HTML;
      else return fail_usage("formats are text, json and html", usage_explain);
    } else if (a[0] == '-' && a[1] != 0) {
      char msg[128];
      snprintf(msg, sizeof msg, "unknown option '%s'", a);
      return fail_usage(msg, usage_explain);
    } else if (!rules) rules = a;
    else if (!input) input = a;
    else return fail_usage("explain takes one rule path and one input file", usage_explain);
  }
  if (!rules || !input || !id) return fail_usage("explain needs RULES, INPUT and --id ID", usage_explain);
  if (bundle_is(rules))
    return fail_usage("explain needs the rule files, not a bundle (it compiles them with the trace points)",
                      usage_explain);
  Receipt *receipt = receipt_begin(receipt_path, dagloon_argc, dagloon_argv);
  return receipt_end(receipt, explain_dossier(rules, input, id, outpath, fmt, receipt), DAGLOON_VERSION);
}

/* dagloon explain, once its options are read. */
static int explain_dossier(const char *rules, const char *input, const char *id, const char *outpath,
                           ExplainFormat fmt, Receipt *receipt) {
  Front f;
  front_init(&f);
  f.trace = true;
  int status;
  char *paths[1] = {(char *)rules};
  Chunk *c = load_rules(&f, paths, 1, FRONT_COMPILE, &status);
  if (!c) {
    front_free(&f);
    return status;
  }
  int rc = EXIT_OK;
  receipt_rules(receipt, rules, c);
  receipt_file(receipt, "input", input);
  FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "rb");
  char *err = NULL;
  RecordReader *rd = NULL;
  if (!in) {
    fprintf(stderr, "dagloon: cannot open '%s': %s\n", input, strerror(errno));
    rc = EXIT_USAGE;
  } else if (c->schema.input < 0 || c->schema.key_field < 0) {
    fprintf(stderr, "dagloon: %s: the invoer has no key field ('sleutel'), so no dossier can be named\n", rules);
    rc = EXIT_USAGE;
  } else if (!(rd = reader_open(&c->schema, in, input, recio_format_from_name(input), &err))) {
    fprintf(stderr, "%s: error: %s\n", input, err ? err : "cannot read");
    free(err);
    rc = EXIT_USAGE;
  }
  if (rd) {
    Arena arena;
    arena_init(&arena);
    bool found = false;
    for (;;) {
      Record *rec = NULL;
      ReadInfo info;
      ReadStatus st = reader_next(rd, &arena, &rec, &info);
      if (st == READ_EOF) break;
      if (strcmp(info.id, id) != 0) {
        arena_reset(&arena);
        continue;
      }
      found = true;
      if (st == READ_BAD) {
        fprintf(stderr, "%s:%" PRIu64 ": dossier %s cannot be read: %s%s%s\n", input, info.line, id,
                info.field && *info.field ? info.field : "", info.field && *info.field ? ": " : "", info.reason);
        rc = EXIT_RECORD_ERRORS;
        break;
      }
      FILE *out = outpath ? fopen(outpath, "wb") : stdout;
      if (!out) {
        fprintf(stderr, "dagloon: cannot write '%s': %s\n", outpath, strerror(errno));
        rc = EXIT_USAGE;
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
                        DAGLOON_VERSION};
      explain_write(c, &t, &run, fmt, out);
      if (!ok) rc = EXIT_RECORD_ERRORS;
      if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "dagloon: error writing '%s'\n", outpath);
        rc = EXIT_USAGE;
      }
      free(vals);
      vm_free(vm);
      trace_free(&t);
      break;
    }
    if (!found) {
      fprintf(stderr, "dagloon: %s has no dossier with %s = %s\n", input,
              c->schema.records[c->schema.input].fields[c->schema.key_field].name, id);
      rc = EXIT_USAGE;
    }
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
  int out_fmt, in_fmt;   /* -1: from the file name */
  int threads;           /* 0: every core */
  VmLimits limits;       /* per dossier; 0s: the VM's defaults */
  bool fail_fast;        /* stop at the first error row */
  bool mark_unverified;  /* the column 'ongeverifieerd' (tools/unverified.h) */
} RunOptions;

static int parse_format(const char *s) {
  if (strcmp(s, "csv") == 0) return FMT_CSV;
  if (strcmp(s, "jsonl") == 0) return FMT_JSONL;
  return -1;
}

static int run_rules(const RunOptions *op, Receipt *receipt);

static int cmd_run(int argc, char **argv) {
  if (wants_help(argc, argv)) { fputs(usage_run, stdout); return EXIT_OK; }
  RunOptions o = {NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, 0, {0, 0}, false, false};
  const char *why;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if ((strcmp(a, "-o") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "--input-format") == 0 ||
         strcmp(a, "--errors") == 0 || strcmp(a, "--threads") == 0 || strcmp(a, "--receipt") == 0 ||
         strcmp(a, "--explain") == 0 || strcmp(a, "--max-steps") == 0 || strcmp(a, "--max-memory") == 0) &&
        i + 1 >= argc) {
      char msg[96];
      snprintf(msg, sizeof msg, "%s needs a value", a);
      return fail_usage(msg, usage_run);
    }
    if (strcmp(a, "--threads") == 0) {
      char *end;
      long t = strtol(argv[++i], &end, 10);
      if (*end || t < 1 || t > 256) return fail_usage("--threads needs a number from 1 to 256", usage_run);
      o.threads = (int)t;
    } else if (strcmp(a, "-o") == 0) o.out = argv[++i];
    else if (strcmp(a, "--receipt") == 0) o.receipt = argv[++i];
    else if (strcmp(a, "--explain") == 0) o.explain = argv[++i];
    else if (strcmp(a, "--fail-fast") == 0) o.fail_fast = true;
    else if (strcmp(a, "--mark-unverified") == 0) o.mark_unverified = true;
    else if (parse_limit_option(a, argv[i + 1], &o.limits, &why)) {
      if (why) return fail_usage(why, usage_run);
      i++;
    }
    else if (strcmp(a, "--errors") == 0) o.errors = argv[++i];
    else if (strcmp(a, "--format") == 0 || strcmp(a, "--input-format") == 0) {
      int fmt = parse_format(argv[++i]);
      if (fmt < 0) return fail_usage("formats are csv and jsonl", usage_run);
      if (a[2] == 'f') o.out_fmt = fmt;
      else o.in_fmt = fmt;
    } else if (a[0] == '-' && a[1] != 0) {
      char msg[128];
      snprintf(msg, sizeof msg, "unknown option '%s'", a);
      return fail_usage(msg, usage_run);
    } else if (!o.rules) o.rules = a;
    else if (!o.input) o.input = a;
    else return fail_usage("run takes one rule path and one input file", usage_run);
  }
  if (!o.rules || !o.input) return fail_usage("run needs RULES and INPUT", usage_run);
  if (o.explain && bundle_is(o.rules))
    return fail_usage("--explain needs the rule files, not a bundle (they are compiled with the trace points)", usage_run);
  if (o.explain && o.threads > 1) return fail_usage("--explain runs on one thread (leave out --threads)", usage_run);
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
    fprintf(stderr, "dagloon: %s: the rule set declares no %s; nothing to compute\n", o.rules,
            c->noutputs == 0 ? "'uitvoer' (output columns)" : "'invoer' (dossier fields)");
    chunk_free(c);
    front_free(&f);
    return EXIT_RULE_ERRORS;
  }

  for (uint32_t i = 0; o.mark_unverified && i < c->noutputs; i++)
    if (strcmp(c->outputs[i].name, UNVERIFIED_COLUMN) == 0) {
      fprintf(stderr, "dagloon: %s: the rule set has an output column '%s' already; --mark-unverified would add "
              "another\n", o.rules, UNVERIFIED_COLUMN);
      chunk_free(c);
      front_free(&f);
      return EXIT_USAGE;
    }
  receipt_rules(receipt, o.rules, c);
  receipt_file(receipt, "input", o.input);
  FILE *in = strcmp(o.input, "-") == 0 ? stdin : fopen(o.input, "rb");
  if (!in) {
    fprintf(stderr, "dagloon: cannot open '%s': %s\n", o.input, strerror(errno));
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  FILE *out = o.out ? fopen(o.out, "wb") : stdout;
  FILE *errf = o.errors ? fopen(o.errors, "wb") : NULL;
  FILE *xf = o.explain ? fopen(o.explain, "wb") : NULL;
  if (!out || (o.errors && !errf) || (o.explain && !xf)) {
    fprintf(stderr, "dagloon: cannot write '%s': %s\n", !out ? o.out : o.errors && !errf ? o.errors : o.explain,
            strerror(errno));
    if (in != stdin) fclose(in);
    if (out && out != stdout) fclose(out);
    if (errf) fclose(errf);
    if (xf) fclose(xf);
    chunk_free(c);
    front_free(&f);
    return EXIT_USAGE;
  }
  RecFormat in_fmt = o.in_fmt >= 0 ? (RecFormat)o.in_fmt : recio_format_from_name(o.input);
  RecFormat out_fmt = o.out_fmt >= 0 ? (RecFormat)o.out_fmt : o.out ? recio_format_from_name(o.out) : FMT_CSV;

  char *err = NULL;
  RecordReader *rd = reader_open(&c->schema, in, o.input, in_fmt, &err);
  apply_reader_limits(rd, o.limits);
  int rc = EXIT_OK;
  uint64_t n_ok = 0, n_bad_input = 0, n_bad_run = 0, n_unverified = 0;
  if (!rd) {
    fprintf(stderr, "%s: error: %s\n", o.input, err ? err : "cannot read");
    free(err);
    rc = EXIT_USAGE;
  } else {
    uint32_t ncols = c->noutputs + o.mark_unverified;   /* 'ongeverifieerd' last */
    OutColumn *cols = xcalloc(ncols, sizeof *cols);
    for (uint32_t i = 0; i < c->noutputs; i++) cols[i] = (OutColumn){c->outputs[i].name, c->outputs[i].type};
    if (o.mark_unverified) cols[c->noutputs] = (OutColumn){UNVERIFIED_COLUMN, unverified_type(out_fmt)};
    RowWriter *w = writer_open(out, out_fmt, &c->schema, cols, ncols);
    ErrorWriter *ew = errf ? errwriter_open(errf) : NULL;
    int threads = o.explain || o.fail_fast ? 1 : o.threads;
    if (threads == 0) {
      long cores = sysconf(_SC_NPROCESSORS_ONLN);
      threads = cores < 1 ? 1 : cores > 64 ? 64 : (int)cores;
    }
    Progress *prog = progress_start(in);
    if (threads > 1) {
      RunCounts rc2 = {0};
      run_parallel(c, rd, w, ew, cols, ncols, out_fmt, o.input, threads, o.limits, &rc2, prog);
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
        n_bad_input++;
      } else {
        VmError ve;
        if (xf) trace_clear(&trace);
        bool ok = vm_run(vm, rec, &arena, vals, &ve) == VM_OK;
        if (ok) {
          if (o.mark_unverified) vals[c->noutputs] = unverified_value(c, vm, out_fmt, &arena);
          writer_row(w, vals);
          n_ok++;
          if (vm_unverified_lookups(vm) > 0) n_unverified++;
        } else {
          char where[600];
          chunk_location(c, ve.span, where, sizeof where);
          report_row_error(ew, where, info.recno, info.line, info.id, "", c->protos[ve.proto].name, ve.msg);
          n_bad_run++;
        }
        if (xf) {   /* one explanation per line, as dagloon explain --format json writes it */
          ExplainRun er = {o.rules, o.input, info.id, info.line, rec, ok ? vals : NULL, ok ? NULL : &ve,
                           vm_unverified_lookups(vm), DAGLOON_VERSION};
          explain_write(c, &trace, &er, EXPLAIN_JSON_LINE, xf);
        }
      }
      progress_tick(prog, n_ok + n_bad_input + n_bad_run);
      arena_reset(&arena);
      if (o.fail_fast && n_bad_input + n_bad_run > 0) {
        fprintf(stderr, "dagloon: stopped at the first error row (--fail-fast); the rest of '%s' is not read\n", o.input);
        break;
      }
    }
    progress_end(prog);
    trace_free(&trace);
    writer_close(w);
    if (ew) errwriter_close(ew);
    reader_close(rd);
    vm_free(vm);
    arena_free(&arena);
    free(vals);
    free(cols);
    uint64_t total = n_ok + n_bad_input + n_bad_run;
    fprintf(stderr, "dagloon: %" PRIu64 " record%s: %" PRIu64 " ok, %" PRIu64 " error%s (%" PRIu64 " input, %" PRIu64
            " computation)\n", total, total == 1 ? "" : "s", n_ok, n_bad_input + n_bad_run,
            n_bad_input + n_bad_run == 1 ? "" : "s", n_bad_input, n_bad_run);
    if (n_unverified)
      fprintf(stderr, "dagloon: warning: %" PRIu64 " result%s rest%s on table values marked 'unverified'%s\n",
              n_unverified, n_unverified == 1 ? "" : "s", n_unverified == 1 ? "s" : "",
              o.mark_unverified ? "; column '" UNVERIFIED_COLUMN "' names the rows" : " (--mark-unverified names them)");
    if (n_bad_input + n_bad_run) rc = EXIT_RECORD_ERRORS;
  }
  if (in != stdin) fclose(in);
  if (out != stdout && fclose(out) != 0) {
    fprintf(stderr, "dagloon: error writing '%s'\n", o.out);
    rc = EXIT_USAGE;
  } else if (out == stdout && fflush(stdout) != 0) {
    fprintf(stderr, "dagloon: error writing standard output\n");
    rc = EXIT_USAGE;
  }
  if (errf) fclose(errf);
  if (xf && fclose(xf) != 0) {
    fprintf(stderr, "dagloon: error writing '%s'\n", o.explain);
    rc = EXIT_USAGE;
  }
  if (o.out) receipt_file(receipt, "output", o.out);
  if (o.explain) receipt_file(receipt, "explanations", o.explain);
  if (o.errors) receipt_file(receipt, "errors", o.errors);
  chunk_free(c);
  front_free(&f);
  return rc;
}

int dagloon_argc;
char **dagloon_argv;

/*
** --allow-native PATH, anywhere after the command and as often as needed:
** the native libraries rule files may load (for every command). Taken out
** of argv here; the receipt still records the command line as given.
*/
static NativeAllow allowed_natives;

static int take_allow_native(int argc, char **argv) {
  int out = 0;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--allow-native") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "dagloon: --allow-native needs the path of a library\n");
        return -1;
      }
      char why[600];
      if (!native_allow_add(&allowed_natives, argv[++i], why, sizeof why)) {
        fprintf(stderr, "dagloon: %s\n", why);
        return -1;
      }
      continue;
    }
    argv[out++] = argv[i];
  }
  argv[out] = NULL;
  return out;
}

int main(int argc, char **argv) {
  dagloon_argc = argc;
  dagloon_argv = xcalloc((size_t)argc + 1, sizeof *dagloon_argv);
  memcpy(dagloon_argv, argv, (size_t)argc * sizeof *argv);
  argc = take_allow_native(argc, argv);
  if (argc < 0) return EXIT_USAGE;
  native_set_allowed(&allowed_natives);
  if (argc < 2) {
    fputs(usage_main, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage_main, stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("dagloon %s\n", DAGLOON_VERSION);
    return EXIT_OK;
  }
  if (strcmp(cmd, "check") == 0) return cmd_check(argc - 2, argv + 2);
  if (strcmp(cmd, "run") == 0) return cmd_run(argc - 2, argv + 2);
  if (strcmp(cmd, "compile") == 0) return cmd_compile(argc - 2, argv + 2);
  if (strcmp(cmd, "explain") == 0) return cmd_explain(argc - 2, argv + 2);
  if (strcmp(cmd, "compare") == 0) return cmd_compare(argc - 2, argv + 2);
  if (strcmp(cmd, "replay") == 0) return cmd_replay(argc - 2, argv + 2, DAGLOON_VERSION);
  if (strcmp(cmd, "disasm") == 0) return cmd_disasm(argc - 2, argv + 2);
  if (strcmp(cmd, "tokens") == 0) return cmd_tokens(argc - 2, argv + 2);
  if (strcmp(cmd, "ast") == 0) return cmd_ast(argc - 2, argv + 2);
  if (strcmp(cmd, "test") == 0) return cmd_test(argc - 2, argv + 2);
  fprintf(stderr, "dagloon: unknown command '%s'\n\n%s", cmd, usage_main);
  return EXIT_USAGE;
}
