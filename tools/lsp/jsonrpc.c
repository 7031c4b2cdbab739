/*
** jsonrpc.c: Content-Length framing and JSON-RPC messages (jsonrpc.h).
*/
#include "jsonrpc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "runtime/i18n.h"
#include "runtime/mem.h"

void rpc_reader_init(RpcReader *r, int fd) {
  memset(r, 0, sizeof *r);
  r->fd = fd;
}

void rpc_reader_free(RpcReader *r) {
  free(r->buf);
  memset(r, 0, sizeof *r);
}

/* Where the header section ends (just past "\r\n\r\n"), or 0 when it has not all arrived. */
static size_t header_end(const RpcReader *r) {
  for (size_t i = 0; i + 3 < r->len; i++)
    if (memcmp(r->buf + i, "\r\n\r\n", 4) == 0) return i + 4;
  return 0;
}

/*
** The Content-Length of the header section buf[0, n): -1 with err when a
** line is not "Name: value", the length is missing, not a number, or too big.
*/
static long long content_length(const char *buf, size_t n, char *err, size_t cap) {
  long long length = -1;
  for (size_t at = 0; at + 2 < n;) {
    const char *line = buf + at, *eol = memchr(line, '\r', n - at);
    size_t k = (size_t)(eol - line);
    const char *colon = memchr(line, ':', k);
    if (!colon || eol[1] != '\n') {
      snprintf(err, cap, _("a header line without 'Name: value'"));
      return -1;
    }
    if ((size_t)(colon - line) == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
      const char *p = colon + 1;
      while (p < eol && (*p == ' ' || *p == '\t')) p++;
      if (p == eol) {
        snprintf(err, cap, _("Content-Length without a number"));
        return -1;
      }
      length = 0;
      for (; p < eol && *p != ' ' && *p != '\t'; p++) {
        if (*p < '0' || *p > '9') {
          snprintf(err, cap, _("Content-Length is not a number"));
          return -1;
        }
        length = length * 10 + (*p - '0');
        if (length > RPC_MAX_BODY) {
          snprintf(err, cap, _("a message larger than %d bytes (Content-Length); refused"), RPC_MAX_BODY);
          return -1;
        }
      }
    }
    at += k + 2;
  }
  if (length < 0) snprintf(err, cap, _("a message without Content-Length"));
  return length;
}

/* One complete message from the buffer into *body: 1, 0 when more must be read, -1 on a framing error. */
static int take_message(RpcReader *r, char **body, size_t *len, char *err, size_t cap) {
  size_t hend = header_end(r);
  if (hend == 0) {
    if (r->len > RPC_MAX_HEADER) {
      snprintf(err, cap, _("a message header longer than %d bytes"), RPC_MAX_HEADER);
      return -1;
    }
    return 0;
  }
  if (hend > RPC_MAX_HEADER) {
    snprintf(err, cap, _("a message header longer than %d bytes"), RPC_MAX_HEADER);
    return -1;
  }
  long long n = content_length(r->buf, hend - 2, err, cap);
  if (n < 0) return -1;
  if (r->len - hend < (size_t)n) {
    vec_reserve((void **)&r->buf, &r->cap, hend + (size_t)n, 1);   /* the body once, not grown by doubling */
    return 0;
  }
  *body = xmalloc((size_t)n + 1);
  memcpy(*body, r->buf + hend, (size_t)n);
  (*body)[n] = 0;
  *len = (size_t)n;
  memmove(r->buf, r->buf + hend + n, r->len - hend - (size_t)n);
  r->len -= hend + (size_t)n;
  return 1;
}

RpcStatus rpc_read(RpcReader *r, int timeout_ms, char **body, size_t *len, char *err, size_t cap) {
  for (;;) {
    int got = take_message(r, body, len, err, cap);
    if (got > 0) return RPC_MESSAGE;
    if (got < 0) return RPC_BROKEN;
    if (r->eof) {
      if (r->len == 0) return RPC_EOF;
      snprintf(err, cap, _("the input ended inside a message"));
      return RPC_BROKEN;
    }
    if (timeout_ms >= 0) {
      struct pollfd p = {r->fd, POLLIN, 0};
      int ready = poll(&p, 1, timeout_ms);
      if (ready == 0) return RPC_TIMEOUT;
      if (ready < 0 && errno != EINTR) {
        snprintf(err, cap, _("cannot wait for input: %s"), strerror(errno));
        return RPC_BROKEN;
      }
      if (ready < 0) continue;
    }
    vec_reserve((void **)&r->buf, &r->cap, r->len + 65536, 1);
    ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      snprintf(err, cap, _("cannot read the input: %s"), strerror(errno));
      return RPC_BROKEN;
    }
    if (n == 0) r->eof = true;
    r->len += (size_t)n;
  }
}

static bool write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= (size_t)w;
  }
  return true;
}

bool rpc_write(int fd, const json_t *msg) {
  char *body = json_dumps(msg, JSON_COMPACT);
  if (!body) return false;
  char head[64];
  size_t n = strlen(body);
  int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
  bool ok = write_all(fd, head, (size_t)h) && write_all(fd, body, n);
  free(body);
  return ok;
}

json_t *rpc_response(const json_t *id, json_t *result) {
  return json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "result", result ? result : json_null());
}

json_t *rpc_error(const json_t *id, int code, const char *message) {
  return json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", "code", code,
                   "message", message);
}

json_t *rpc_notification(const char *method, json_t *params) {
  return json_pack("{s:s,s:s,s:o}", "jsonrpc", "2.0", "method", method, "params", params);
}
