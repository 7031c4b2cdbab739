/*
** jsonrpc.h: the LSP base protocol over a pair of descriptors: messages
** framed by a "Content-Length: N" header, bodies of JSON-RPC 2.0. Reading
** never trusts the peer's numbers: a header section longer than
** RPC_MAX_HEADER, a line without a colon, no Content-Length, or a length
** above RPC_MAX_BODY end the conversation (RPC_BROKEN) before anything that
** size is allocated. Writing goes through write(2) and reports a closed pipe
** instead of raising SIGPIPE (the server ignores it).
*/
#ifndef DAGLOON_LSP_JSONRPC_H
#define DAGLOON_LSP_JSONRPC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum {
  RPC_MAX_HEADER = 8192,                  /* bytes of one message's header section */
  RPC_MAX_BODY = 64 * 1024 * 1024,        /* bytes of one message's body */
};

/* JSON-RPC and LSP error codes. */
enum {
  RPC_PARSE_ERROR = -32700,
  RPC_INVALID_REQUEST = -32600,
  RPC_METHOD_NOT_FOUND = -32601,
  RPC_INVALID_PARAMS = -32602,
  RPC_INTERNAL_ERROR = -32603,
  RPC_SERVER_NOT_INITIALIZED = -32002,
  RPC_REQUEST_FAILED = -32803,
  RPC_REQUEST_CANCELLED = -32800,
};

typedef struct RpcReader {
  int fd;
  char *buf;
  size_t len, cap;   /* bytes read and not yet taken */
  bool eof;
} RpcReader;

typedef enum RpcStatus {
  RPC_MESSAGE,   /* *body holds one message's body (malloc'd, NUL-terminated) */
  RPC_TIMEOUT,   /* nothing complete arrived within the time asked */
  RPC_EOF,       /* the peer closed its end between messages */
  RPC_BROKEN,    /* a framing error, a length over the limit, a read error or EOF inside a message: why in err */
} RpcStatus;

void rpc_reader_init(RpcReader *r, int fd);
void rpc_reader_free(RpcReader *r);

/*
** The next message's body. timeout_ms < 0 waits as long as it takes; a
** message already buffered is returned without waiting.
*/
RpcStatus rpc_read(RpcReader *r, int timeout_ms, char **body, size_t *len, char *err, size_t cap);

/* Frame and write one message to fd; false when it could not be written whole (a closed pipe). */
bool rpc_write(int fd, const json_t *msg);

/* The messages themselves (id may be NULL for a notification or a response to an unreadable request). */
json_t *rpc_response(const json_t *id, json_t *result);                         /* steals result */
json_t *rpc_error(const json_t *id, int code, const char *message);
json_t *rpc_notification(const char *method, json_t *params);                   /* steals params */

#endif
