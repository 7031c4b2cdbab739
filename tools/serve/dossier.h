/*
** dossier.h: what the endpoints of one rule set answer: one dossier computed (bereken) or
** explained (uitleg), and an NDJSON batch computed line by line as the response is sent.
*/
#ifndef DAGLOON_SERVE_DOSSIER_H
#define DAGLOON_SERVE_DOSSIER_H

#include <stddef.h>
#include <sys/types.h>
#include "catalog.h"

typedef struct answer {
  int status;
  const char *content_type;
  char *body;       /* malloc'ed */
  size_t len;
  dagloon_status code;   /* the engine's error for a 422/409, else DAGLOON_OK */
} answer;

/* What an answer for one dossier holds: its row, its explanation JSON, or its explanation page. */
typedef enum dossier_mode { DOSSIER_ROW, DOSSIER_EXPLAIN_JSON, DOSSIER_EXPLAIN_HTML } dossier_mode;

/*
** One dossier (a JSON object) of body: 200 with the row of `dagloon run --format jsonl`
** (without its newline), 400 when the body is not one JSON object (naming line and column),
** or 422/409 with a problem naming the record, field, rule and location. DOSSIER_EXPLAIN_JSON:
** the explanation JSON of dagloon_explain instead of the row; DOSSIER_EXPLAIN_HTML: the page of
** dagloon_explain_html (text/html).
*/
answer dossier_answer(served_rules *s, const char *body, size_t len, dossier_mode mode);

/*
** An NDJSON batch: body's lines, computed as they are sent. Takes body (malloc'ed); holds a
** reference on s's generation until batch_free, so a reload meanwhile does not change its rules.
*/
typedef struct batch batch;
batch *batch_new(served_rules *s, char *body, size_t len);
/* Called with each line's outcome as it is computed (DAGLOON_OK or the error row's code); optional. */
void batch_on_row(batch *b, void (*on_row)(void *ctx, const char *ruleset, dagloon_status code), void *ctx);
/* A last line sent after every row (malloc'ed, without its newline; taken): the receipt. */
void batch_end_with(batch *b, char *line);
/* The next bytes of the answer into buf (at most max), or -1 at the end (MHD's content reader). */
ssize_t batch_read(void *cls, uint64_t pos, char *buf, size_t max);
void batch_free(void *cls);

#endif
