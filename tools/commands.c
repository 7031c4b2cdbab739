/*
** commands.c: every command of dagloon as a table: operands, a summary for
** dagloon --help, the description, the options and the exit codes. The
** help of each command and the combined help are generated from here, and
** options_parse reads the same options, so they cannot disagree.
*/
#include "tools/commands.h"

#include <string.h>
#include "runtime/i18n.h"
#include "runtime/strutil.h"

/* The exit codes (tools/cli.h), as dagloon --help explains them. */
static const char *const exit_codes = N_(
  "exit status:\n"
  "  0  success\n"
  "  1  the rule files have errors (diagnostics on stderr)\n"
  "  2  usage error (also: an output that is an input or another output), or a file\n"
  "     could not be read\n"
  "  3  run, explain, compare: finished, but some dossiers gave error rows instead of results;\n"
  "     test: some cases failed; replay: something differs\n"
  "  4  an output (a file or standard output) could not be written; a file is then left as\n"
  "     it was (outputs are written to a temporary file renamed over them at the end)\n"
  "  5  out of memory: the command stopped, its outputs are incomplete\n");

#define INPUT_FORMAT_OPTION \
  {"input-format", 0, OPT_VALUE, "csv|jsonl", N_("the format of INPUT (default: from its extension, .jsonl and\n" \
                                              ".ndjson are JSON Lines, .csv CSV; otherwise, and for '-',\n" \
                                              "from its first byte: '{' is JSON Lines, anything else CSV)")}
#define CSV_SAFE_OPTION \
  {"csv-safe", 0, OPT_FLAG, NULL, N_("CSV output and error rows: a text cell starting with =, +, -, @,\n" \
                                  "a tab or a CR gets a ' in front, so that a spreadsheet shows it\n" \
                                  "as text rather than running it as a formula (numbers are left\n" \
                                  "as they are: -12.50 stays a number)")}
#define LIMIT_OPTIONS(steps_help) \
  {"max-steps", 0, OPT_VALUE, "N", steps_help}, \
  {"max-memory", 0, OPT_VALUE, "MIB", N_("the memory one dossier may take (default 256): a longer input\n" \
                                      "record, or rules that build longer lists (of months), give an\n" \
                                      "error row")}

static const OptSpec check_options[] = {
  {"changes", 0, OPT_FLAG, NULL, N_("list what a proposal replaces, takes out and adds")},
  {"format", 0, OPT_VALUE, "text|json|sarif", N_("text: for the terminal, on stderr (default); json\n"
                                              "(docs/DIAGNOSTICS.md) or sarif (SARIF 2.1.0, for CI code\n"
                                              "scanning): every diagnostic with its range, notes and\n"
                                              "fixes, one document on stdout")},
  OPT_END,
};

const CommandSpec cmd_check_spec = {
  "check", "RULES...", N_("check rule sets (files, folders, folders of rule sets)"),
  N_("Checks rule sets: syntax, names, types, money rounding, cycles. Each argument\n"
  "is a rule set: a .rules file, or a folder whose .rules files are read as\n"
  "one. A folder without .rules files of its own is a folder of rule sets (e.g.\n"
  "'dagloon check rules'): each of its folders with .rules files is checked.\n"
  "Every error is printed as file:line:col with the source line and a caret.\n"
  "Warnings do not fail. A proposal (a rule set starting 'voorstel op \"BASE\"')\n"
  "is checked merged with its base; --changes lists what it replaces ('vervang'),\n"
  "takes out ('schrap uitzondering') and adds, each with its place."),
  check_options, N_("0 no errors, 1 errors found, 2 a file could not be read,\n"
                 "             4 an output could not be written"),
};

static const OptSpec run_options[] = {
  {"output", 'o', OPT_OUTPUT_FILE, "OUT", N_("write results to OUT instead of standard output")},
  {"format", 0, OPT_VALUE, "csv|jsonl", N_("output format (default: from OUT's extension, else csv)")},
  INPUT_FORMAT_OPTION,
  {"errors", 0, OPT_OUTPUT_FILE, "FILE", N_("write error rows as CSV to FILE (columns: record, line, id,\n"
                                         "field, rule, location, reason) instead of standard error")},
  {"threads", 0, OPT_VALUE, "N", N_("evaluate on N threads (default: every core); the output is\n"
                                 "the same, byte for byte and in input order, for any N")},
  {"fail-fast", 0, OPT_FLAG, NULL, N_("stop at the first error row (one thread), saying so")},
  LIMIT_OPTIONS(N_("stop a dossier after N steps -- passes of a loop and calls of\n"
                   "rules with parameters -- with an error row (default 100000000):\n"
                   "a runaway rule cannot hold up the run")),
  {"explain", 0, OPT_OUTPUT_FILE, "FILE", N_("also write the explanation of every dossier to FILE, one JSON\n"
                                          "object per line (as explain --format json); one thread; RULES\n"
                                          "is rule files or a bundle made with compile --trace")},
  {"explain-format", 0, OPT_VALUE, "trace|jsonl", N_("how --explain FILE is written: jsonl, the JSON of every\n"
                                                   "explanation (the default); or trace, the compact trace\n"
                                                   "(docs/TRACE.md, the default when FILE ends in .dtrace):\n"
                                                   "'dagloon explain RULES --trace FILE' renders it later")},
  {"receipt", 0, OPT_OUTPUT_FILE, "FILE", N_("write a receipt: engine, sha256 of every rule file, table,\n"
                                          "the compiled bundle, the input and the output (dagloon replay)")},
  {"mark-unverified", 0, OPT_FLAG, NULL, N_("one more column, 'ongeverifieerd': the table rows marked\n"
                                        "'unverified' that each result used, as TABLE@KEY (a date\n"
                                        "table's row by its first day), by table name and key, joined\n"
                                        "by ';' in CSV, a list in JSON Lines; empty when none")},
  CSV_SAFE_OPTION,
  {"summary", 0, OPT_OUTPUT_FILE, "FILE", N_("also write a summary of the population: per keuze (and\n"
                                          "waarheid) column the dossiers per value; per geld, geheel and\n"
                                          "getal column the count, how many are not zero, the exact\n"
                                          "total, minimum, quartiles, median, maximum and mean; the\n"
                                          "largest cases per geld column with their ids; the error rows\n"
                                          "by reason. Text, JSON if FILE ends in .json, CSV in .csv")},
  {"by", 0, OPT_VALUE, "COLUMN", N_("the summary also per value of this keuze (or waarheid) output\n"
                                 "column (e.g. herstelactie: counts per herstelactie x richting)")},
  {"html", 0, OPT_OUTPUT_FILE, "FILE", N_("the summary as one self-contained Dutch report page (as\n"
                                       "compare --html): key figures, charts and tables")},
  OPT_END,
};

const CommandSpec cmd_run_spec = {
  "run", "RULES INPUT", N_("compute the output columns for every dossier in INPUT"),
  N_("RULES is a rule set (a .rules file or a folder) or a bundle made by\n"
  "'dagloon compile'. Reads dossiers from INPUT ('-' for standard input) and\n"
  "writes one row per dossier with the columns of the rule set's 'uitvoer'. A\n"
  "dossier that cannot be read (a bad field, a wrong number of columns, an id\n"
  "used before) or computed (overflow, division by zero, ...) gives an error\n"
  "row naming the record, its id, the field or rule, and the reason; the run\n"
  "goes on with the next dossier. A summary goes to standard error; --summary\n"
  "and --html summarise the results themselves (exact totals and quartiles,\n"
  "counts per keuze value, per group with --by), the same for any --threads."),
  run_options, N_("0 every dossier computed, 1 rule errors, 2 usage or read error,\n"
               "             3 finished with error rows, 4 an output could not be written"),
};

static const OptSpec compile_options[] = {
  {"output", 'o', OPT_OUTPUT_FILE, "FILE", N_("the bundle to write (required)")},
  {"trace", 0, OPT_FLAG, NULL, N_("also the code with trace points beside the plain code, so that\n"
                               "'dagloon explain FILE' (and the library's explain) work from\n"
                               "the bundle; run uses the plain code as before")},
  {"native", 0, OPT_FLAG, NULL, N_("translate the rules to C and compile them with the system C compiler\n"
                                "($CC, else cc) into FILE, a shared object that carries the bundle;\n"
                                "it loads only with --allow-native FILE=SHA256 (explanations: VM)")},
  {"sign", 0, OPT_INPUT_FILE, "KEY", N_("sign the bundle with your key (dagloon sleutel): with\n"
                                     "DAGLOON_KEY=KEY it loads without the verifier")},
  OPT_END,
};

const CommandSpec cmd_compile_spec = {
  "compile", "RULES -o FILE", N_("save the compiled rules as a bundle for run and disasm"),
  N_("Checks and compiles a rule set (a .rules file or a folder) and saves it as\n"
  "a bundle: bytecode, tables with their sources, and the rule text for error\n"
  "locations. 'dagloon run FILE INPUT' and 'dagloon disasm FILE' then start\n"
  "without parsing the rules again. A bundle is tied to the engine that made it:\n"
  "another version refuses it and asks for a new compile. run warns when a rule\n"
  "file has changed since its bundle was made. With --trace the bundle can be\n"
  "explained too (explain refuses a bundle made without it, saying so)."),
  compile_options, N_("0 written, 1 the rules have errors, 2 usage or read error,\n"
                   "             4 the bundle could not be written (the old one is left)"),
};

static const OptSpec explain_options[] = {
  {"id", 0, OPT_VALUE, "ID", N_("the dossier (the value of the invoer's key field; required,\n"
                                  "but not for a folder of letters)")},
  {"format", 0, OPT_VALUE, "text|json|html|brief", N_("text for the terminal (default), JSON (docs/EXPLAIN.md),\n"
                                                   "one self-contained Dutch HTML page to hand to a citizen, or\n"
                                                   "brief: the letter of a repair dossier (rules/herstel) to send")},
  INPUT_FORMAT_OPTION,
  {"output", 'o', OPT_OUTPUT_FILE, "OUT", N_("write to OUT instead of standard output; a letter as PDF when\n"
                                          "OUT ends in .pdf (headless Chromium), and with OUT a folder\n"
                                          "ending in '/' (new or empty) the letter of every dossier,\n"
                                          "one file per id, and fouten.csv for those without one")},
  {"receipt", 0, OPT_OUTPUT_FILE, "FILE", N_("write a receipt of this explanation (see dagloon run --help)")},
  {"trace", 0, OPT_INPUT_FILE, "FILE", N_("render from FILE, the compact trace of 'run --explain FILE\n"
                                       "--explain-format trace', instead of computing: RULES only,\n"
                                       "no INPUT; without --id every dossier, as run --explain's JSON")},
  {"column", 0, OPT_VALUE, "NAME", N_("explain only the output column NAME")},
  {"depth", 0, OPT_VALUE, "N", N_("show N levels below each column's rule (text and JSON), and\n"
                               "how many rules and steps were left out below them")},
  OPT_END,
};

const CommandSpec cmd_explain_spec = {
  "explain", "RULES INPUT --id ID", N_("why one dossier came out as it did: rules, articles, rows"),
  N_("Computes the dossier whose key is ID in INPUT ('-' for standard input) and\n"
  "explains every output column as a tree: each rule with its value and its\n"
  "source (article, lid), the version chosen and the peildatum that chose it,\n"
  "the exceptions that applied and those that did not, the input fields read,\n"
  "each table row used with its source and status, and every rounding and\n"
  "revision step. A dossier whose computation fails is explained up to the\n"
  "failure. In the text form the calls of a rule asked per month or tijdvak (a\n"
  "rule with a periode parameter, or one asked per wage line) are one block: a\n"
  "line per call with its arguments and value, and the first call in full.\n"
  "RULES is rule files, or a bundle made by 'dagloon compile --trace'.\n"
  "\n"
  "--format brief writes the Dutch letter (B1 level) a caseworker can send:\n"
  "what was decided, what it should have been and why (the articles and\n"
  "rulings, linked), paid and correct per month, the compensation or that\n"
  "nothing is recovered, from when the benefit is corrected, and how to object.\n"
  "Rules, fields and choices are shown by their labels. A dossier that gives an\n"
  "error row gets no letter (exit 3). See docs/EXPLAIN.md, \"The letter\"."),
  explain_options, N_("0 explained, 1 rule errors, 2 usage or read error or no dossier ID,\n"
                   "             3 explained, but the dossier gives an error row,\n"
                   "             4 an output could not be written"),
};

const CommandSpec cmd_replay_spec = {
  "replay", "RECEIPT", N_("run a command again from its receipt; fail if anything differs"),
  N_("Runs the command of a receipt again, in the directory it ran in, and checks that\n"
  "nothing differs: the engine, every rule file and table, the compiled bundle, the\n"
  "input, the output and the exit status. What differs is named on standard error.\n"
  "A receipt is input, not a command line: its outputs go to a temporary folder,\n"
  "and it allows no native library -- name each one it records with --allow-native\n"
  "(the same file, the same sha256). See docs/RECEIPTS.md."),
  NULL, N_("0 reproduced, 3 something differs, 2 usage or I/O error, or a receipt\n"
        "             that replay refuses, 4 an output could not be written"),
};

static const OptSpec compare_options[] = {
  {"output", 'o', OPT_OUTPUT_FILE, "ROWS", N_("per-dossier rows (.jsonl: JSON Lines, else CSV; default: none)")},
  {"html", 0, OPT_OUTPUT_FILE, "FILE", N_("the impact report: one self-contained Dutch page with the\n"
                                       "summary, charts (histogram, groups, deciles) and top changes")},
  {"summary", 0, OPT_OUTPUT_FILE, "FILE", N_("the summary as text, or as JSON if FILE ends in .json\n"
                                          "(default: text on standard output)")},
  {"errors", 0, OPT_OUTPUT_FILE, "FILE", N_("write the dossiers with an error row as CSV to FILE, in the\n"
                                         "columns of run --errors (the reason names the side: basis\n"
                                         "or voorstel)")},
  INPUT_FORMAT_OPTION,
  {"column", 0, OPT_VALUE, "COLUMN", N_("an output column to compare (repeatable; default: every geld,\n"
                                     "getal or geheel column the two rule sets both have)")},
  {"value", 0, OPT_VALUE, "COLUMN", N_("the column the summary is about (default: 'dagloon' if\n"
                                    "compared, else the first geld column, else the first geheel,\n"
                                    "else the first getal one; a getal with more than two decimals\n"
                                    "makes that dossier an error row)")},
  {"by", 0, OPT_VALUE, "FIELD", N_("also summarise per value of this input field (e.g. sector;\n"
                                "a datum per decade, e.g. geboortedatum; 'niet gegeven' for an\n"
                                "optioneel field left out)")},
  {"deciles", 0, OPT_VALUE, "COLUMN", N_("summarise per tenth of the dossiers ordered by this\n"
                                      "column's base value (default: the value column)")},
  {"weight", 0, OPT_VALUE, "FIELD", N_("an input field (geheel or getal): how many people a dossier\n"
                                    "stands for; counts and totals are weighted")},
  {"jaren", 0, OPT_VALUE, "N", N_("the cost of the cohort of new rights over its first N years\n"
                               "(1 to 50): the rule sets declare the benefit's duration\n"
                               "('uitkering X per maand duur D'; docs/LANGUAGE.md)")},
  {"threads", 0, OPT_VALUE, "N", N_("compare on N threads (default: every core); the rows, the\n"
                                 "summary, the report and the error rows are the same, byte for\n"
                                 "byte and in input order, for any N")},
  LIMIT_OPTIONS(N_("each side of a dossier stops after N steps -- passes of a loop and calls of\n"
                   "rules with parameters -- with an error row (default 100000000):\n"
                   "a runaway rule cannot hold up the run")),
  {"id", 0, OPT_VALUE, "ID", N_("instead: for dossier ID, what differs between the two\n"
                             "computations -- the rules whose value changed (with their\n"
                             "sources and whether the proposal replaced them), exceptions,\n"
                             "versions and table rows")},
  {"mark-unverified", 0, OPT_FLAG, NULL, N_("the rows get ongeverifieerd_basis and ongeverifieerd_voorstel:\n"
                                        "the 'unverified' table rows each side used (see dagloon run)")},
  CSV_SAFE_OPTION,
  {"explain", 0, OPT_VALUE, "ID", N_("the old name of --id (deprecated)")},
  OPT_END,
};

const CommandSpec cmd_compare_spec = {
  "compare", "BASE PROPOSAL INPUT", N_("a proposal beside the current rules: who gains, who loses"),
  N_("Runs every dossier of INPUT ('-' for standard input) through the current\n"
  "rules (BASE) and a proposal (PROPOSAL), rule files or bundles that read the\n"
  "same invoer, in one pass. Per dossier: the base and proposal values of each\n"
  "compared output column and their difference (proposal - base), and the\n"
  "outcome on the value column: beter (higher), slechter, gelijk, or fout (an\n"
  "error row on either side). Then a summary: counts (the dossiers with an\n"
  "error row beside the others), total and mean change, the base and proposal\n"
  "totals, percentiles, a histogram of the changes, the largest gains and\n"
  "losses, groups, and per side how many compared dossiers rest on table rows\n"
  "marked 'unverified'."),
  compare_options, N_("0 done, 1 rule errors, 2 usage or read error or the rule sets read\n"
                   "             different invoer, 3 done, but some dossiers gave error rows,\n"
                   "             4 an output could not be written"),
};

const CommandSpec cmd_disasm_spec = {
  "disasm", "RULES...", N_("show the compiled bytecode with source locations"),
  N_("Compiles the rules (or loads a bundle made by 'dagloon compile') and prints\n"
  "the constant pool and, per rule, each instruction as:\n"
  "pc OPNAME operands ; synopsis ; file:line:col"),
  NULL, N_("0 shown, 1 rule errors, 2 usage or read error, 4 an output could not be written"),
};

static const OptSpec test_options[] = {
  {"junit", 0, OPT_OUTPUT_FILE, "FILE", N_("also write the results as JUnit XML")},
  {"receipt", 0, OPT_OUTPUT_FILE, "FILE", N_("write a receipt (rules, cases, output; see dagloon replay)")},
  {"coverage", 0, OPT_FLAG, NULL, N_("report which rules, versions, exceptions and table rows\n"
                                  "the cases exercised, and which they never did")},
  {"native", 0, OPT_FLAG, NULL, N_("run the cases on the rules compiled to C (as compile --native)")},
  OPT_END,
};

const CommandSpec cmd_test_spec = {
  "test", "RULES CASES...", N_("run case files (expected values from rulings)"),
  N_("Runs case files (YAML, *.case; a folder stands for every .case file\n"
  "below it) against the rule set RULES. When RULES is a folder of rule sets\n"
  "(no .rules files of its own, e.g. 'dagloon test rules tests/cases'), each\n"
  "case file runs against the rule set named by the nearest folder of its\n"
  "path (tests/cases/wia/x.case -> rules/wia). Each case gives a dossier, the\n"
  "expected values of rules (exact, money to the cent), optional reasons\n"
  "(which version, exception or table row must have been used), its source\n"
  "and how the expected values were derived by hand. The format is in\n"
  "docs/CASES.md. The run ends with 'N passed, N failed'."),
  test_options, N_("0 all cases passed, 1 rule errors, 2 usage or read error,\n"
                "             3 some cases failed (or could not be read),\n"
                   "             4 an output could not be written"),
};

const CommandSpec cmd_tokens_spec = {
  "tokens", "FILE", N_("show the tokens of a rule file (lexer debugging)"),
  N_("Prints each token of the rule file FILE as line:col, its kind and its text."),
  NULL, N_("0 shown, 2 the file could not be read, 4 an output could not be written"),
};

const CommandSpec cmd_ast_spec = {
  "ast", "FILE", N_("show the syntax tree of a rule file (parser debugging)"),
  N_("Parses the rule file FILE and prints its syntax tree, one node a line."),
  NULL, N_("0 shown, 1 syntax errors, 2 the file could not be read,\n"
        "             4 an output could not be written"),
};

static const OptSpec fmt_options[] = {
  {"check", 0, OPT_FLAG, NULL, N_("change nothing: show a unified diff of each file that is not\n"
                               "in the canonical layout, and exit with status 1")},
  OPT_END,
};

const CommandSpec cmd_fmt_spec = {
  "fmt", "FILES...", N_("rewrite rule files in the canonical layout"),
  N_("Rewrites each rule file FILE in the one layout of rules/: declarations in\n"
  "column 0, 'versie' in column 2, the 'bron', '=' and 'peildatum' lines of a\n"
  "declaration in column 2 (of a version in column 4), the lines below such a\n"
  "line moved as far as it was (what was aligned stays aligned); the types of\n"
  "the fields of a block, and the '=' of the source declarations of a file, in\n"
  "one column (the one most padded lines share; a longer name: one space);\n"
  "one space between tokens (none inside parentheses, before ',', ':', '.'\n"
  "and after '.'; two or more after ':', before '=' and inside { } are\n"
  "alignment and kept), at most one blank line, no trailing whitespace, one\n"
  "final newline. Line breaks and comments stay as written; the compiled\n"
  "code is the same. A file is replaced only when it changes (a temporary\n"
  "file renamed over it). fmt twice changes nothing the second time.\n"
  "docs/FMT.md: the layout."),
  fmt_options, N_("0 formatted (--check: every file already was), 1 --check: some file\n"
               "             is not formatted, or a file has a lexical error, 2 usage or read\n"
               "             error, 4 an output could not be written"),
};

const CommandSpec cmd_lsp_spec = {
  "lsp", "", N_("the language server, for editors (LSP over standard input and output)"),
  N_("Speaks the Language Server Protocol (JSON-RPC with Content-Length framing)\n"
  "on standard input and output; an editor starts it. Rule files, table CSVs\n"
  "and case files the editor opens are checked as they are typed (unsaved\n"
  "text, not the disk), 200 ms after the last change, and every diagnostic of\n"
  "every file of their rule sets is published; hover, definition, references,\n"
  "rename, completion, code actions, symbols and semantic tokens answer from\n"
  "the same analysis. Files are read as by check: inside the rule-set tree,\n"
  "native libraries only those allowed with --allow-native. Logs go to\n"
  "standard error. tools/lsp/README.md: the capabilities."),
  NULL, N_("0 after 'shutdown' and 'exit', 1 otherwise (exit without shutdown,\n"
        "             the input ended, a broken or oversized message, a failed write),\n"
        "             2 usage error"),
};

static const OptSpec serve_options[] = {
  {"listen", 0, OPT_VALUE, "HOST:PORT", N_("the numeric address and port to listen on, IPv4 or [IPv6]\n"
                                         "(default 127.0.0.1:8080, or [::1]:8080; port 0: a free one,\n"
                                         "named on standard error)")},
  {"threads", 0, OPT_VALUE, "N", N_("worker threads (default: every core)")},
  {"max-body", 0, OPT_VALUE, "MIB", N_("the largest request body (default 16); a larger one is\n"
                                    "refused with 413")},
  {"timeout", 0, OPT_VALUE, "SECONDS", N_("how long a connection may stay idle -- a slow client, a body\n"
                                       "that stops coming -- before it is closed (default 30)")},
  LIMIT_OPTIONS(N_("stop a dossier after N steps -- passes of a loop and calls of\n"
                   "rules with parameters -- with a 422 answer (default 100000000)")),
  OPT_END,
};

const CommandSpec cmd_serve_spec = {
  "serve", "RULES...", N_("the rule sets as an HTTP service (JSON in, JSON out)"),
  N_("Loads each RULES (a folder, a .rules file or a bundle) and serves it under\n"
  "its base name without extension (rules/wia -> wia): POST /v1/wia/bereken\n"
  "with one dossier as JSON gives its row as 'run --format jsonl' writes it,\n"
  "with application/x-ndjson one row per line, in order, error rows included;\n"
  "POST /v1/wia/uitleg gives the explanation; GET /healthz. Bad input gets a\n"
  "4xx answer with an RFC 9457 problem body. SIGTERM or SIGINT: the requests in\n"
  "flight finish, then it exits. No TLS: put it behind a proxy.\n"
  "tools/serve/README.md: the endpoints."),
  serve_options, N_("0 stopped by SIGTERM or SIGINT, 1 a rule set does not load or the\n"
                 "             address cannot be bound, 2 usage error"),
};

static const OptSpec kalibreer_options[] = {
  {"doel", 0, OPT_INPUT_FILE, "TARGETS", N_("the targets: a CSV with the columns dimensie, categorie, totaal,\n"
                                          "status, bron (and toelichting), e.g. rules/populatie/doelen_wia.csv")},
  {"output", 'o', OPT_OUTPUT_FILE, "OUT", N_("write the weighted population to OUT (and OUT.herkomst.json: the\n"
                                          "input, the targets, their sha256 and the date) instead of\n"
                                          "standard output")},
  {"gewicht", 0, OPT_VALUE, "FIELD", N_("the name of the weight field added to every dossier (default\n"
                                     "gewicht); a dossier that already has it is an error row")},
  {"verslag", 0, OPT_OUTPUT_FILE, "FILE", N_("write the report (per target: target, reached, residue, status,\n"
                                          "source) as CSV to FILE instead of standard error")},
  {"errors", 0, OPT_OUTPUT_FILE, "FILE", N_("write error rows as CSV to FILE (columns: record, line, id,\n"
                                         "reason) instead of standard error")},
  {"tolerantie", 0, OPT_VALUE, "X", N_("stop when every total is reached within X people (default 0.001)")},
  {"max-iteraties", 0, OPT_VALUE, "N", N_("give up after N passes over the dimensions (default 1000)")},
  OPT_END,
};

const CommandSpec cmd_kalibreer_spec = {
  "kalibreer", "POP --doel TARGETS", N_("weight a population so that it adds up to published totals"),
  N_("Gives every dossier of POP (JSON Lines) a weight so that the weighted counts\n"
  "per category reach the totals of TARGETS, by raking (iterative proportional\n"
  "fitting): starting from 1, each pass scales the weights of every category of\n"
  "one dimension after the other by target / sum. The arithmetic is exact (whole\n"
  "units of 10^-9 person); the weights written are rounded half up to 4 decimals,\n"
  "and the report shows the residue that rounding leaves on every total. A\n"
  "dimension is a field of the dossier, a category its value. Every dimension must\n"
  "add up to the same total. A dossier whose value has no target (or that lacks\n"
  "the field) is an error row: give the targets a rest category to keep it. A\n"
  "category no dossier has stops the command. Use the weights with\n"
  "'dagloon compare ... --weight gewicht'."),
  kalibreer_options, N_("0 success, 2 usage error, an unreadable file, a bad targets file,\n"
                     "             margins that disagree or a target no dossier has, 3 some\n"
                     "             dossiers gave error rows, 4 an output could not be written,\n"
                     "             6 no convergence (the largest gap is printed; nothing written)"),
};

const CommandSpec cmd_sleutel_spec = {
  "sleutel", "FILE", N_("make a key to sign your own bundles with (compile --sign)"),
  N_("Writes a new random key (32 bytes as 64 hex digits) to FILE, readable by\n"
  "you alone (mode 0600); an existing file is never overwritten. Sign a bundle\n"
  "with 'dagloon compile RULES -o B --sign FILE'; with DAGLOON_KEY=FILE in the\n"
  "environment every command loads a bundle signed with that key without the\n"
  "bytecode verifier (it was verified when it was compiled), which makes start-up\n"
  "faster. Any other bundle is verified as always; one signed with the key and\n"
  "altered since is refused. A key file others can read or write is refused."),
  NULL, N_("0 written, 2 usage error or the file exists or cannot be written"),
};

static const CommandSpec *const commands[] = {
  &cmd_check_spec, &cmd_run_spec, &cmd_compile_spec, &cmd_explain_spec, &cmd_replay_spec,
  &cmd_compare_spec, &cmd_disasm_spec, &cmd_test_spec, &cmd_tokens_spec, &cmd_ast_spec,
  &cmd_fmt_spec, &cmd_lsp_spec, &cmd_serve_spec, &cmd_kalibreer_spec, &cmd_sleutel_spec,
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

size_t command_count(void) { return NCOMMANDS; }
const CommandSpec *command_at(size_t i) { return i < NCOMMANDS ? commands[i] : NULL; }
const char *command_exit_codes(void) { return exit_codes; }

const CommandSpec *command_find(const char *name) {
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i]->name, name) == 0) return commands[i];
  return NULL;
}

const char *command_nearest(const char *name) {
  const char *names[NCOMMANDS];
  for (size_t i = 0; i < NCOMMANDS; i++) names[i] = commands[i]->name;
  return str_suggest(name, strlen(name), names, NCOMMANDS);
}

void main_help(FILE *f) {
  fputs(_("usage: dagloon COMMAND [OPTIONS] ...\n"
        "\n"
        "Rules-as-data engine for the Dutch dagloon (WIA, WW, ZW).\n"
        "\n"
        "commands:\n"), f);
  for (size_t i = 0; i < NCOMMANDS; i++) {
    char head[64];
    snprintf(head, sizeof head, "%s %s", commands[i]->name, commands[i]->operands);
    fprintf(f, "  %-30s %s\n", head, _(commands[i]->summary));
  }
  fputs(_("\n"
        "  dagloon COMMAND --help         help on one command: its options\n"
        "  dagloon --version              the engine's version\n"
        "\n"
        "Options are written '--name value' or '--name=value', in full; '--' ends\n"
        "them (a file named '-x' after it is an operand). INPUT '-' is standard input.\n"
        "\n"
        "for every command:\n"), f);
  for (const OptSpec *o = common_options; o->name; o++) option_help(o, f);
  fprintf(f, "\n%s", _(exit_codes));
}
