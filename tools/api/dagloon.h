/*
** dagloon.h: libdagloon, the Dagloon engine as a C library.
**
** Load a rule set once (rule files, or a bundle made by `dagloon compile`), share it read-only
** between threads, give each thread an evaluator, and ask it for one dossier at a time:
**
**   dagloon_error *err = NULL;
**   const char *paths[] = {"rules/wia"};
**   dagloon_rules *rules = dagloon_rules_load(paths, 1, NULL, &err);
**   dagloon_evaluator *ev = dagloon_evaluator_new(rules);
**   const char *row = dagloon_evaluate(ev, dossier_json, strlen(dossier_json), &err);
**   ... row is one JSON object, the line `dagloon run --format jsonl` writes for the dossier ...
**   dagloon_evaluator_free(ev);
**   dagloon_rules_free(rules);
**
** Conventions. Every function that can fail takes `dagloon_error **err` last: on failure it
** returns NULL (or a negative number) and, when err is not NULL, sets *err to a new error object
** the caller frees with dagloon_error_free (*err must be NULL on entry). Bad input -- a dossier
** that is not JSON, a missing field, a wrong type, a rule set with errors, a damaged bundle --
** is an error, never an abort or an exit. Only running out of memory ends the process (as the
** engine does everywhere, with a message on stderr).
**
** Thread safety, per function, as "[any thread]" (may be called from many threads at once,
** also on the same object), "[one thread per object]" (many threads may each use their own
** object), or "[serialised]" (the library serialises these calls itself; they may be made
** from any thread).
**
** Strings are UTF-8 and NUL-terminated. Money is a decimal string with two decimals
** ("1234.56"), as in `dagloon run --format jsonl`; dates are "YYYY-MM-DD".
**
** This header is the whole interface: no header of the engine's runtime/ or lang/ is needed
** or exposed. Only the dagloon_* symbols are exported from libdagloon.so.
*/
#ifndef DAGLOON_H
#define DAGLOON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(DAGLOON_STATIC_BUILD)
#define DAGLOON_API __attribute__((visibility("default")))
#else
#define DAGLOON_API
#endif

/* The API's version: MAJOR changes break callers (and the soname), MINOR adds to the API. */
#define DAGLOON_API_VERSION_MAJOR 0
#define DAGLOON_API_VERSION_MINOR 3
#define DAGLOON_API_VERSION ((DAGLOON_API_VERSION_MAJOR << 16) | DAGLOON_API_VERSION_MINOR)

/* The engine's version ("0.1.0", as `dagloon --version`). [any thread] */
DAGLOON_API const char *dagloon_version(void);
/* The API version the library was built with (DAGLOON_API_VERSION of its header). [any thread] */
DAGLOON_API int dagloon_api_version(void);

/* ---- errors ---- */

typedef enum dagloon_status {
  DAGLOON_OK = 0,
  DAGLOON_ERR_ARGUMENT,   /* a NULL or impossible argument (a path list of 0, a limit of 0, ...) */
  DAGLOON_ERR_LOAD,       /* a rule file, folder or bundle could not be read, or a bundle is refused */
  DAGLOON_ERR_RULES,      /* the rule files have errors (the message holds every diagnostic) */
  DAGLOON_ERR_INPUT,      /* the dossier cannot be read: not JSON, a missing or unknown field, a wrong type */
  DAGLOON_ERR_EVAL,       /* the dossier was read but its computation failed (overflow, no value, ...) */
  DAGLOON_ERR_LIMIT,      /* the computation took more steps or memory than the evaluator's limits */
  DAGLOON_ERR_NO_TRACE,   /* explain on a bundle compiled without trace points (`dagloon compile --trace`) */
  DAGLOON_ERR_INTERRUPTED, /* the evaluator's interrupt check (dagloon_evaluator_set_interrupt) stopped it */
  DAGLOON_ERR_WRITE       /* dagloon_run_batch: writing the rows, error rows or explanations failed */
} dagloon_status;

typedef struct dagloon_error dagloon_error;

/* [one thread per object] for all the dagloon_error_* functions */
DAGLOON_API dagloon_status dagloon_error_code(const dagloon_error *e);
/* What went wrong, in one or more lines (never NULL). */
DAGLOON_API const char *dagloon_error_message(const dagloon_error *e);
/* The dossier's key as read (its id), or "" when unknown. */
DAGLOON_API const char *dagloon_error_record(const dagloon_error *e);
/* DAGLOON_ERR_INPUT: the field path, e.g. "loon[2].sv_loon" ("" for the whole dossier); else "". */
DAGLOON_API const char *dagloon_error_field(const dagloon_error *e);
/* DAGLOON_ERR_EVAL and _LIMIT: the rule being computed; else "". */
DAGLOON_API const char *dagloon_error_rule(const dagloon_error *e);
/* "file:line:col" in the rule files: the failing expression (EVAL, LIMIT) or the first rule error
** (RULES); else "". */
DAGLOON_API const char *dagloon_error_location(const dagloon_error *e);
/* NULL is fine. */
DAGLOON_API void dagloon_error_free(dagloon_error *e);

/* ---- the operator's options for loading ---- */

/*
** What the command line's --allow-native and --allow-path say. The caller of this library is
** the operator: the paths are trusted as given, as on the command line.
*/
typedef struct dagloon_options dagloon_options;

/* [one thread per object] for the dagloon_options_* functions; a loaded rule set keeps no reference. */
DAGLOON_API dagloon_options *dagloon_options_new(void);
/* A native library the rule files may call ('extern regel'); "PATH" or "PATH=SHA256" as --allow-native. */
DAGLOON_API int dagloon_options_allow_native(dagloon_options *o, const char *spec, dagloon_error **err);
DAGLOON_API void dagloon_options_free(dagloon_options *o);

/*
** A folder rule files may name files in besides their own tree (--allow-path DIR). This is
** process-wide, as on the command line: it holds for every rule set loaded afterwards.
** 0, or -1 with *err. [serialised]
*/
DAGLOON_API int dagloon_allow_path(const char *dir, dagloon_error **err);

/* With on 0, dagloon_rules_load compiles rule files once, without the trace points explanations
** need (half the load time; dagloon_explain and a batch's explanations then give
** DAGLOON_ERR_NO_TRACE). The default, 1, compiles them twice. A bundle is read as it is.
** [one thread per object] */
DAGLOON_API void dagloon_options_explain(dagloon_options *o, int on);

/* ---- a rule set ---- */

typedef struct dagloon_rules dagloon_rules;

/*
** Loads a rule set: `paths` are .rules files or folders of them, read as one rule set (as
** `dagloon run RULES`), or a single bundle file (`dagloon compile`; recognised by its first
** bytes, verified before use). Rule files are compiled twice: plainly, and with the trace
** points explanations need. options may be NULL (no native library allowed). NULL with *err:
** DAGLOON_ERR_LOAD, _RULES (the message has every diagnostic as `dagloon check` prints them),
** _ARGUMENT. [serialised]
*/
DAGLOON_API dagloon_rules *dagloon_rules_load(const char *const *paths, size_t npaths, const dagloon_options *options,
                                              dagloon_error **err);
/* Once every evaluator made from it is freed. NULL is fine. [one thread per object] */
DAGLOON_API void dagloon_rules_free(dagloon_rules *r);
/* 1 when dagloon_explain works on it (rule files, or a bundle made with --trace), else 0. [any thread] */
DAGLOON_API int dagloon_rules_can_explain(const dagloon_rules *r);

/*
** Loads a rule set from a bundle in memory (the bytes of a file `dagloon compile` wrote, e.g.
** kept in a database), verified as dagloon_rules_load verifies a bundle file: its checksum,
** format, opcodes and code; native libraries it names must be allowed by options (NULL: none).
** The bytes are not kept. "rules" in its explanations is "bundle". NULL with *err:
** DAGLOON_ERR_LOAD (not a bundle, damaged, another format, a native library not allowed),
** _RULES (no invoer or uitvoer), _ARGUMENT. [serialised]
*/
DAGLOON_API dagloon_rules *dagloon_rules_load_bundle(const void *bytes, size_t len, const dagloon_options *options,
                                                     dagloon_error **err);

/*
** The schema: the invoer's fields (what a dossier holds) and the uitvoer's columns (what an
** evaluation gives), each with its name and type. Iterate 0 .. count-1; the strings live as
** long as the rule set. [any thread]
*/
typedef enum dagloon_kind {
  DAGLOON_BOOL = 0,   /* waarheid: JSON true/false */
  DAGLOON_INT,        /* geheel: a JSON integer */
  DAGLOON_DECIMAL,    /* getal: an exact decimal; a JSON number or decimal string in, a decimal string out */
  DAGLOON_MONEY,      /* geld: a decimal string with two decimals, "1234.56" */
  DAGLOON_DATE,       /* datum: "YYYY-MM-DD" */
  DAGLOON_TEXT,       /* tekst */
  DAGLOON_CHOICE,     /* keuze: one of dagloon_choice_* names, as a string */
  DAGLOON_RECORD,     /* gegevens: a JSON object with its own fields */
  DAGLOON_LIST,       /* lijst: a JSON array; dagloon_field.element is the kind of its items */
  DAGLOON_PERIOD,     /* periode: "YYYY-MM-DD/YYYY-MM-DD" */
  DAGLOON_DAYS,       /* dagen: an integer */
  DAGLOON_MONTHS,     /* maanden: an integer */
  DAGLOON_YEARS       /* jaren: an integer */
} dagloon_kind;

typedef struct dagloon_field {
  const char *name;       /* "eerste_ao_dag" */
  const char *type;       /* the type as the rules write it: "datum", "lijst Loonregel", "keuze Tijdvak" */
  dagloon_kind kind;
  dagloon_kind element;   /* for DAGLOON_LIST: the items' kind; else equal to kind */
  const char *type_name;  /* DAGLOON_CHOICE, DAGLOON_RECORD (or a list of them): the keuze's or gegevens' name; else NULL */
  int optional;           /* 1: 'optioneel' (may be left out of a dossier) */
  int key;                /* 1: the invoer's key field (the dossier's id) */
  const char *label;      /* its human label ('label "..."'), or NULL */
  /* Added after API 0.1 (at the end: the fields above keep their places). An output column computed
  ** by a rule: the rule's 'bron' citations as text, "; " between them ("DB art 20; BDR art 19";
  ** a rule with versions: "versie vanaf 2013-07-01: DB art 20; ..."); NULL when it cites none and
  ** for invoer and gegevens fields (the language gives fields no bron). */
  const char *source;
} dagloon_field;

DAGLOON_API size_t dagloon_input_count(const dagloon_rules *r);
/* Field i of the invoer (NULL when i is out of range). */
DAGLOON_API const dagloon_field *dagloon_input_field(const dagloon_rules *r, size_t i);
DAGLOON_API size_t dagloon_output_count(const dagloon_rules *r);
/* Output column i, in the order of an evaluation's JSON (NULL when out of range); `key` is 0. */
DAGLOON_API const dagloon_field *dagloon_output_column(const dagloon_rules *r, size_t i);
/* The fields of a gegevens type named by dagloon_field.type_name (lists of records), or NULL. */
DAGLOON_API size_t dagloon_record_count(const dagloon_rules *r, const char *record);
DAGLOON_API const dagloon_field *dagloon_record_field(const dagloon_rules *r, const char *record, size_t i);
/* The names of a keuze's choices, or NULL when out of range. */
DAGLOON_API size_t dagloon_choice_count(const dagloon_rules *r, const char *choice);
DAGLOON_API const char *dagloon_choice_name(const dagloon_rules *r, const char *choice, size_t i);

/*
** The compiled rule set's identity: the SHA-256 (64 lowercase hex digits) of its plain code as
** a bundle without an engine version -- the "compiled" entry of a receipt of `dagloon run
** RULES ... --receipt FILE` for the same rules (rule files or a bundle of them). Equal rules give
** equal hashes whatever the engine's version or the bundle's trace points; "" in the rare case
** the code cannot be written as a bundle (the receipt then has no hash either). The string lives
** as long as the rule set. [any thread]
*/
DAGLOON_API const char *dagloon_rules_hash(const dagloon_rules *r);

/* ---- evaluating dossiers ---- */

typedef struct dagloon_evaluator dagloon_evaluator;

/* An evaluator of the rule set, for one thread at a time; many evaluators may share one rule set.
** [any thread] (on the shared rule set) */
DAGLOON_API dagloon_evaluator *dagloon_evaluator_new(const dagloon_rules *r);
/* NULL is fine. [one thread per object] */
DAGLOON_API void dagloon_evaluator_free(dagloon_evaluator *ev);

/*
** The work one dossier may take, as `dagloon run --max-steps N --max-memory MIB`: steps counts
** every pass of a loop and every call of a rule with parameters (0: the default, 100,000,000);
** memory bounds the bytes of the dossier's JSON and of what the rules build for it (0: the
** default, 256 MiB). Past either the dossier gives DAGLOON_ERR_LIMIT. [one thread per object]
*/
DAGLOON_API void dagloon_evaluator_set_limits(dagloon_evaluator *ev, uint64_t max_steps, size_t max_memory_bytes);

/*
** Evaluates one dossier, given as one JSON object (the form of a line of a JSON Lines input
** to `dagloon run`; line breaks between tokens are fine). Returns the output row: one JSON
** object without a newline, byte for byte the line `dagloon run --format jsonl` writes for
** the dossier (money as decimal strings). The string belongs to the evaluator and is valid
** until its next call. NULL with *err when the dossier cannot be read (DAGLOON_ERR_INPUT,
** naming the field) or computed (DAGLOON_ERR_EVAL or _LIMIT, naming the rule and its place).
** [one thread per object]
*/
DAGLOON_API const char *dagloon_evaluate(dagloon_evaluator *ev, const char *json, size_t len, dagloon_error **err);

/*
** Explains one dossier: the explanation JSON of `dagloon explain RULES INPUT --id ID --format
** json`, byte for byte when `input_name` is the INPUT named there and the dossier is its
** first line ("rules" in it is the first path given to dagloon_rules_load; input_name NULL:
** "-"). A dossier whose computation fails is explained up to the failure (as the command
** does); one that cannot be read is DAGLOON_ERR_INPUT. DAGLOON_ERR_NO_TRACE for a bundle made
** without --trace. Owned by the evaluator as dagloon_evaluate's row. [one thread per object]
*/
DAGLOON_API const char *dagloon_explain(dagloon_evaluator *ev, const char *json, size_t len, const char *input_name,
                                        dagloon_error **err);

/*
** The same explanation as the Dutch HTML page of `dagloon explain ... --format html` (one
** self-contained page), byte for byte under the same conditions as dagloon_explain. Owned by
** the evaluator as dagloon_evaluate's row. [one thread per object]
*/
DAGLOON_API const char *dagloon_explain_html(dagloon_evaluator *ev, const char *json, size_t len,
                                             const char *input_name, dagloon_error **err);

/*
** A check the evaluator makes now and then during a long computation (every 65,536 steps, as
** counted for the limits): non-zero stops the dossier with DAGLOON_ERR_INTERRUPTED. For a host
** that must be able to cancel (a database's statement timeout): the check should only test a
** flag -- it must return, never jump out (longjmp) or throw -- and the host acts on the flag
** after dagloon_evaluate or dagloon_explain returned. NULL check: none (the default).
** [one thread per object]
*/
DAGLOON_API void dagloon_evaluator_set_interrupt(dagloon_evaluator *ev, int (*check)(void *arg), void *arg);

/* ---- running a population (`dagloon run`) ---- */

/*
** A whole input of dossiers -- a CSV file or JSON Lines -- evaluated as `dagloon run RULES INPUT`
** does, on one thread or many, into rows in input order (byte for byte the command's output),
** error rows (the --errors CSV, or the lines run prints on standard error) and, when asked for,
** one explanation per dossier (run --explain). Memory stays bounded whatever the input's size:
** dossiers stream through.
**
**   dagloon_batch_options *o = dagloon_batch_options_new();
**   dagloon_batch_set_formats(o, DAGLOON_FORMAT_AUTO, DAGLOON_FORMAT_JSONL, &err);
**   dagloon_batch_counts n;
**   if (dagloon_run_batch(rules, o, stdin, "-", stdout, &n, &err) == 0 && n.input_errors == 0) ...
*/
typedef enum dagloon_format {
  DAGLOON_FORMAT_AUTO = -1,   /* input only: from the name (.csv, .jsonl, .ndjson), else the first byte ('{': JSON Lines) */
  DAGLOON_FORMAT_CSV = 0,
  DAGLOON_FORMAT_JSONL = 1
} dagloon_format;

/* How error rows are written (dagloon_batch_set_errors). */
typedef enum dagloon_error_rows {
  DAGLOON_ERRORS_LINES = 0,   /* "INPUT:LINE: error: record N (id 'X'): field 'F': REASON", one a line, as run on stderr */
  DAGLOON_ERRORS_CSV = 1      /* the CSV of run --errors FILE: record,line,id,field,rule,location,reason */
} dagloon_error_rows;

/* The flags of dagloon_batch_set_flags. */
#define DAGLOON_BATCH_FAIL_FAST 1u        /* stop at the first error row (--fail-fast; one thread) */
#define DAGLOON_BATCH_MARK_UNVERIFIED 2u  /* the column 'ongeverifieerd' last (--mark-unverified) */
#define DAGLOON_BATCH_CSV_SAFE 4u         /* CSV text cells a spreadsheet would run get a ' in front (--csv-safe) */

/*
** The options of a batch. The defaults are `dagloon run`'s: input format AUTO, output CSV,
** every core (threads 0), the default limits, no flags, error rows as lines on stderr, no
** explanations. [one thread per object]; an options object may be used by many batches, one
** after the other, and by none while it is being changed.
*/
typedef struct dagloon_batch_options dagloon_batch_options;
DAGLOON_API dagloon_batch_options *dagloon_batch_options_new(void);
DAGLOON_API void dagloon_batch_options_free(dagloon_batch_options *o);   /* NULL is fine */
/* 0, or -1 with DAGLOON_ERR_ARGUMENT for a format that is not one of the above (output AUTO too). */
DAGLOON_API int dagloon_batch_set_formats(dagloon_batch_options *o, dagloon_format input, dagloon_format output,
                                          dagloon_error **err);
/* 1 to 256 worker threads, 0 every core (at most 64); -1 with DAGLOON_ERR_ARGUMENT otherwise. Explanations
** and fail-fast run on one thread. The output is the same bytes for any number. */
DAGLOON_API int dagloon_batch_set_threads(dagloon_batch_options *o, int threads, dagloon_error **err);
/* Each dossier's limits, as dagloon_evaluator_set_limits (0s: the defaults); a dossier past them is an error row. */
DAGLOON_API void dagloon_batch_set_limits(dagloon_batch_options *o, uint64_t max_steps, size_t max_memory_bytes);
/* DAGLOON_BATCH_* or'ed together; -1 with DAGLOON_ERR_ARGUMENT for an unknown bit. */
DAGLOON_API int dagloon_batch_set_flags(dagloon_batch_options *o, unsigned flags, dagloon_error **err);
/* Where error rows go and in which form; f NULL: standard error. The stream stays the caller's (not closed). */
DAGLOON_API void dagloon_batch_set_errors(dagloon_batch_options *o, FILE *f, dagloon_error_rows form);
/* One explanation per dossier, a JSON line each (run --explain FILE; the rule set must explain:
** dagloon_rules_can_explain), or NULL for none. Not closed. */
DAGLOON_API void dagloon_batch_set_explanations(dagloon_batch_options *o, FILE *f);

/* What a batch did: the dossiers per outcome, and whether it read its input to the end. */
typedef struct dagloon_batch_counts {
  uint64_t ok;                  /* rows written */
  uint64_t input_errors;        /* error rows of dossiers that could not be read */
  uint64_t computation_errors;  /* error rows of dossiers whose computation failed or passed a limit */
  uint64_t unverified;          /* rows resting on table values marked 'unverified' */
  int stopped;                  /* 1: fail-fast stopped at the first error row, the rest is not read */
  int read_failed;              /* 1: reading the input failed (its last error row says so): the rest is missing */
} dagloon_batch_counts;

/*
** Evaluates every dossier of `in` (read to its end; not closed) with the rule set and writes the
** rows to `out` (not closed; flushed): the CSV header and rows, or JSON Lines, of `dagloon run
** RULES INPUT --format FMT`, byte for byte. `input_name` names the input in error rows ("INPUT:LINE")
** and explanations (NULL: "-"). `options` NULL: the defaults. Error rows and explanations go where
** the options say. *counts (may be NULL) is set whenever the batch started, even on -1.
** Returns 0 when every dossier was handled -- error rows are results, not failures: see counts. -1
** with *err when the batch could not start: DAGLOON_ERR_ARGUMENT (no rule set, no stream), _INPUT
** (a CSV header that does not fit the invoer, list fields in CSV, the first bytes lost),
** _NO_TRACE (explanations from a bundle without trace points); or, after the run, DAGLOON_ERR_WRITE
** (a write to out, the error rows or the explanations failed). [any thread]: many batches may
** share one rule set and one options object and run at once, each with its own streams.
*/
DAGLOON_API int dagloon_run_batch(const dagloon_rules *rules, const dagloon_batch_options *options, FILE *in,
                                  const char *input_name, FILE *out, dagloon_batch_counts *counts,
                                  dagloon_error **err);

/* ---- running out of memory ---- */

/*
** Added after API 0.2. The library ends the process when an allocation fails (a message on stderr,
** exit status 5): a half-made evaluation, rule set or error object cannot be carried on with. A
** host that must end otherwise -- a database server ends the one session cleanly, where an unknown
** exit status makes it restart every session -- sets a handler, called with the size asked for
** before that exit. It may end the process its own way (exit, a server's fatal error); it must not
** jump back (longjmp, an exception) into code that goes on using the library, whose objects in use
** are then in an unknown state and whose [serialised] calls may hold a lock. If it returns, the
** exit follows. Only the engine's own allocations come here (the JSON and YAML libraries report a
** failure as an error). Process-wide; set it once, before any thread uses the library. NULL: none.
*/
DAGLOON_API void dagloon_set_out_of_memory(void (*handler)(size_t bytes, void *arg), void *arg);

/* ---- the host's allocator ---- */

/*
** Added in API 0.3. Every block the library allocates -- rule sets, evaluators, error objects,
** result strings, and the JSON library's values while the library uses it -- then comes from
** alloc, grows through resize (which keeps the contents; p is never NULL) and goes back through
** release, each called with `arg`: a database server accounts the engine's memory in its own
** memory context. Blocks must be aligned for any type (16 bytes on x86-64). When alloc or resize
** returns NULL, the out-of-memory handler above runs (then the exit): they must return NULL, not
** jump out. Process-wide: call it once, before the library allocates anything (before any other
** dagloon_* call that allocates, and before any other thread uses the library); later it returns
** -1 and changes nothing, as it does when a function is NULL. Returns 0 when set. The functions
** are called from every thread that uses the library, so with more than one (run_batch's threads,
** evaluators on several threads) they must be thread-safe. The JSON library (jansson) is
** process-wide too: from this call on, its allocation functions are the library's, so a host that
** uses jansson itself frees json_dumps' text with jansson's free function (json_get_alloc_funcs),
** not free(). Without this call the library uses malloc and free, as the command does.
*/
DAGLOON_API int dagloon_set_allocator(void *(*alloc)(size_t bytes, void *arg),
                                      void *(*resize)(void *p, size_t bytes, void *arg),
                                      void (*release)(void *p, void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif
