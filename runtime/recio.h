/*
** recio.h: dossier records in and result rows out.
**
** A RecordReader turns a CSV file (flat dossiers) or a JSON Lines file
** (nested dossiers: lists of records) into typed Records of the schema's
** input type, checking every field against its declared type. A bad record
** is reported (record number, line, id, field path, reason) and reading
** continues with the next one: nothing is dropped silently and nothing is
** guessed.
**
** A RowWriter writes one output row per dossier (CSV with a header, or one
** JSON object per line) and one error row per failed dossier.
*/
#ifndef DAGLOON_RECIO_H
#define DAGLOON_RECIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "mem.h"
#include "schema.h"
#include "value.h"

typedef enum RecFormat { FMT_CSV = 0, FMT_JSONL } RecFormat;

/* Guess the format from a file name: ".jsonl"/".ndjson" -> JSONL, else CSV. */
RecFormat recio_format_from_name(const char *path);

/* True, with *fmt, when the name tells the format: ".jsonl"/".ndjson" or ".csv". */
bool recio_format_named(const char *path, RecFormat *fmt);

/*
** The format of what `f` holds from its first non-blank byte: '{' is JSON
** Lines, anything else (or nothing) CSV. The bytes read are pushed back, so
** a reader opened on `f` afterwards sees them all. False when they cannot
** be pushed back (then the stream has lost them: report it).
*/
bool recio_sniff_format(FILE *f, RecFormat *fmt);

typedef struct RecordReader RecordReader;

/*
** Open a reader over `f` (not closed by the reader). For CSV the header line
** is read and matched against the input record type: every field of the
** input must have a column, and every column must name a field; otherwise
** NULL is returned and *err (malloc'd) says which column, e.g.
** "unknown column 'sv_loonn' (did you mean 'sv_loon'?)". CSV cannot carry
** list fields: such a schema needs JSON Lines, which is said in *err.
** `name` is used in messages.
*/
RecordReader *reader_open(const Schema *s, FILE *f, const char *name, RecFormat fmt, char **err);

typedef enum ReadStatus {
  READ_OK = 0,    /* *out holds a record */
  READ_BAD,       /* this record is bad; info says why; call again for the next */
  READ_EOF        /* no more records */
} ReadStatus;

/* What the reader knows of the record it just read (valid until the next call). */
typedef struct ReadInfo {
  uint64_t recno;       /* 1-based number of the data record (header excluded) */
  uint64_t line;        /* 1-based line in the file where the record starts */
  const char *id;       /* the key field's raw text if it could be read, else "" */
  const char *field;    /* READ_BAD: field path, e.g. "loon[2].sv_loon", or "" for the whole record */
  const char *reason;   /* READ_BAD: e.g. "invalid date '2023-02-30': day 30 does not exist in February 2023" */
} ReadInfo;

/*
** Read the next record; all its memory comes from `arena` (the caller
** resets it per dossier). Empty lines are skipped (not records).
*/
ReadStatus reader_next(RecordReader *r, Arena *arena, Record **out, ReadInfo *info);

/*
** The most bytes one record may take in the file (a CSV record or a JSON
** line; default READER_DEFAULT_MAX_RECORD): a longer one is READ_BAD and is
** skipped without being held in memory, so one runaway line cannot exhaust
** it. 0: the default.
*/
#define READER_DEFAULT_MAX_RECORD ((size_t)256 << 20)
void reader_set_max_record(RecordReader *r, size_t bytes);
void reader_close(RecordReader *r);
/*
** One JSON object in text[0..len) (no line breaks in it) read as one record, as a JSON Lines reader
** reads a line: for a reader opened with fmt FMT_JSONL and f NULL, called once per dossier (the
** library's evaluator). Record 1 on line 1 each time; ids are not compared across calls.
*/
ReadStatus reader_parse_jsonl(RecordReader *r, Arena *arena, const char *text, size_t len, Record **out,
                              ReadInfo *info);
/* True once reading the input failed (its error row says so): the run did not read all of it. */
bool reader_read_failed(const RecordReader *r);

/* ---- output ---- */

typedef struct OutColumn {
  const char *name;
  TypeRef type;
} OutColumn;

/*
** True if a spreadsheet (Excel, LibreOffice) would read a CSV cell starting
** like s[0..n) as a formula: '=', '+', '-', '@', a tab or a CR first (OWASP,
** "CSV injection"). --csv-safe writes such text cells with a ' in front.
*/
bool csv_formula_like(const char *s, size_t n);

typedef struct RowWriter RowWriter;

/* CSV writes the header at once. Values print in machine form: money "1234.56", dates YYYY-MM-DD, decimals exact. */
RowWriter *writer_open(FILE *f, RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols);
void writer_row(RowWriter *w, const Value *vals);
/* Flushes; does not close f. 0, or the errno of the first write to f that failed (also left in ferror(f)). */
int writer_close(RowWriter *w);
/* A writer into memory, without the header (a batch of rows made by one thread): take the rows made
** so far with writer_take (valid until the next row), and pass them to a real writer in order with
** writer_bytes. */
RowWriter *writer_open_memory(RecFormat fmt, const Schema *s, const OutColumn *cols, uint32_t ncols);
void writer_take(RowWriter *w, const char **bytes, size_t *len);
void writer_bytes(RowWriter *w, const char *bytes, size_t len);
/* CSV: text cells that csv_formula_like says a spreadsheet would run get a ' in front (--csv-safe);
** numbers, dates and the other typed cells are left as they are. */
void writer_set_csv_safe(RowWriter *w, bool on);
bool writer_csv_safe(const RowWriter *w);

/* Format one value of type t into buf (machine form as above). Returns length, or -1 if cap is too small. */
int value_format(const Schema *s, TypeRef t, Value v, char *buf, size_t cap);

/*
** Error rows: CSV with header "record,line,id,field,rule,location,reason".
** `field` is set for input errors, `rule` and `location` ("file:line:col")
** for run-time errors; unused ones are empty.
*/
typedef struct ErrorWriter ErrorWriter;
ErrorWriter *errwriter_open(FILE *f);
/* Every cell but the numbers guarded as csv_formula_like says (--csv-safe). */
void errwriter_set_csv_safe(ErrorWriter *w, bool on);
void errwriter_row(ErrorWriter *w, uint64_t recno, uint64_t line, const char *id, const char *field,
                   const char *rule, const char *location, const char *reason);
int errwriter_close(ErrorWriter *w);   /* as writer_close */

/*
** Parse one scalar value of type t (bool, integer, number, amount, date,
** period, text, or a keuze by name) written as in a CSV cell. Returns false
** with *err (malloc'd) saying why; lists and records are not scalars.
*/
bool reader_parse_scalar(const Schema *s, TypeRef t, const char *text, size_t len, Arena *a, Value *out, char **err);

#endif
