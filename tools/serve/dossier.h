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
} answer;

/*
** One dossier (a JSON object) of body: 200 with the row of `dagloon run --format jsonl`
** (without its newline), 400 when the body is not one JSON object (naming line and column),
** or 422/409 with a problem naming the record, field, rule and location. explain: the
** explanation JSON of dagloon_explain instead of the row.
*/
answer dossier_answer(served_rules *s, const char *body, size_t len, int explain);

/*
** An NDJSON batch: body's lines, computed as they are sent. Takes body (malloc'ed); holds a
** reference on s's generation until batch_free, so a reload meanwhile does not change its rules.
*/
typedef struct batch batch;
batch *batch_new(served_rules *s, char *body, size_t len);
/* The next bytes of the answer into buf (at most max), or -1 at the end (MHD's content reader). */
ssize_t batch_read(void *cls, uint64_t pos, char *buf, size_t max);
void batch_free(void *cls);

#endif
