/*
** http_receipt.c: receipts of HTTP answers (http_receipt.h). The body is hashed with nettle's
** SHA-256, as the command's receipts hash files.
*/
#include "http_receipt.h"

#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct receipt_arg {
  int seen, value;
} receipt_arg;

static enum MHD_Result each_argument(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  receipt_arg *a = cls;
  if (strcmp(key, "receipt") != 0) return MHD_YES;
  int v = value && strcmp(value, "1") == 0 ? 1 : value && strcmp(value, "0") == 0 ? 0 : -1;
  if (a->seen && v != a->value) v = -1;   /* receipt=1&receipt=0: which? neither */
  a->seen = 1;
  a->value = v;
  return v < 0 ? MHD_NO : MHD_YES;
}

int http_receipt_wanted(struct MHD_Connection *con) {
  receipt_arg a = {0, 0};
  MHD_get_connection_values(con, MHD_GET_ARGUMENT_KIND, each_argument, &a);
  return a.value;
}

char *http_receipt_json(const served_rules *s, const char *body, size_t len) {
  struct sha256_ctx ctx;
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, (const uint8_t *)body);
  sha256_digest(&ctx, sizeof d, d);
  char hex[2 * SHA256_DIGEST_SIZE + 1];
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < sizeof d; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[sizeof hex - 1] = '\0';
  int api = dagloon_api_version();
  char api_version[32];
  snprintf(api_version, sizeof api_version, "%d.%d", api >> 16, api & 0xffff);
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "schema", "dagloon-http-receipt/1", "ruleset", s->name,
                        "rules_sha256", dagloon_rules_hash(s->rules), "input_sha256", hex, "input_bytes",
                        (json_int_t)len, "engine", dagloon_version(), "api_version", api_version);
  if (!o) abort();
  char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!text) abort();
  return text;
}

char *http_receipt_wrap(const char *member, const char *result, size_t rlen, const char *receipt, size_t *len) {
  size_t ml = strlen(member), cl = strlen(receipt);
  /* {"member":  result  ,"receipt":  receipt  } */
  size_t n = 2 + ml + 2 + rlen + 11 + cl + 1;
  char *out = malloc(n + 1), *p = out;
  if (!out) abort();
  memcpy(p, "{\"", 2), p += 2;
  memcpy(p, member, ml), p += ml;
  memcpy(p, "\":", 2), p += 2;
  memcpy(p, result, rlen), p += rlen;
  memcpy(p, ",\"receipt\":", 11), p += 11;
  memcpy(p, receipt, cl), p += cl;
  *p++ = '}';
  *p = '\0';
  *len = (size_t)(p - out);
  return out;
}

char *http_receipt_line(const served_rules *s, const char *body, size_t len) {
  char *receipt = http_receipt_json(s, body, len);
  size_t n = strlen(receipt);
  char *line = malloc(n + 13);
  if (!line) abort();
  memcpy(line, "{\"receipt\":", 11);
  memcpy(line + 11, receipt, n);
  memcpy(line + 11 + n, "}", 2);
  free(receipt);
  return line;
}
