/*
** csv.h: a streaming RFC 4180 CSV tokenizer over a FILE*.
**
** Fields are separated by ',' and may be quoted ("..."); a quoted field may
** hold commas, line ends and doubled quotes ("" for one "). Records end at
** CRLF, LF or a bare CR. A UTF-8 byte order mark at the very start is
** skipped. A record may be as long as csv_set_max_record allows (default
** CSV_DEFAULT_MAX_RECORD bytes); a longer one is CSV_BAD, and reading goes on
** at the line after its first line without keeping the rest of it in
** memory. Empty lines are not records. The tokenizer knows nothing of types: it hands out raw bytes.
**
** A malformed record (a quote inside an unquoted field, text after a closing
** quote, a quoted field that is never closed) is reported as CSV_BAD with
** the fields read before the fault, and reading resumes at the next line:
** after a stray quote at the line following the fault, after an unterminated
** quote at the line following the record's first line (so one bad quote does
** not swallow the rest of the file).
*/
#ifndef DAGLOON_CSV_H
#define DAGLOON_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct CsvReader CsvReader;

typedef enum CsvStatus {
  CSV_OK = 0,     /* a record was read */
  CSV_BAD,        /* a malformed record: see CsvRecord.error */
  CSV_EOF         /* no more records (or a read error: check ferror) */
} CsvStatus;

/* One field: its bytes (unquoted and unescaped) plus a NUL terminator. */
typedef struct CsvField {
  const char *s;
  size_t len;         /* excludes the terminator; the bytes may hold NULs */
  bool quoted;        /* written in quotes ("" is an empty quoted field) */
} CsvField;

/* Valid until the next csv_next or csv_close. */
typedef struct CsvRecord {
  uint64_t line;            /* 1-based line where the record starts */
  uint32_t nfields;         /* CSV_BAD: only the fields before the faulty one */
  const CsvField *fields;
  uint32_t bad_field;       /* CSV_BAD: 0-based index of the faulty field */
  const char *error;        /* CSV_BAD: e.g. "unterminated quoted field" */
} CsvRecord;

/* `f` is not closed by the reader. */
CsvReader *csv_open(FILE *f);
CsvStatus csv_next(CsvReader *c, CsvRecord *rec);
#define CSV_DEFAULT_MAX_RECORD ((size_t)256 << 20)
void csv_set_max_record(CsvReader *c, size_t bytes);
void csv_close(CsvReader *c);

#endif
