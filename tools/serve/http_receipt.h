/*
** http_receipt.h: `?receipt=1` on bereken and uitleg -- what a response was computed from: the
** rule set's compiled hash (dagloon_rules_hash, a `dagloon run --receipt`'s "compiled" entry),
** the SHA-256 of the request body as received, the engine and API versions.
*/
#ifndef DAGLOON_SERVE_HTTP_RECEIPT_H
#define DAGLOON_SERVE_HTTP_RECEIPT_H

#include <microhttpd.h>
#include <stddef.h>
#include "catalog.h"

/* The query's receipt: 0 when absent or "0", 1 for "1", -1 for any other value (a 400). */
int http_receipt_wanted(struct MHD_Connection *con);

/*
** {"schema":"dagloon-http-receipt/1","ruleset":..,"rules_sha256":..,"input_sha256":..,
** "input_bytes":N,"engine":"0.1.0","api_version":"0.1"} on one line (malloc'ed).
*/
char *http_receipt_json(const served_rules *s, const char *body, size_t len);

/* An NDJSON batch's last line, without its newline: {"receipt":{...}} (malloc'ed). */
char *http_receipt_line(const served_rules *s, const char *body, size_t len);

/* `{"<member>":<result>,"receipt":<receipt>}` around a result that is JSON text (malloc'ed). */
char *http_receipt_wrap(const char *member, const char *result, size_t rlen, const char *receipt, size_t *len);

#endif
