/*
** server.h: `dagloon lsp`, the language server: the LSP lifecycle
** (initialize, shutdown, exit), the documents' notifications, diagnostics
** after LSP_DEBOUNCE_MS without further changes, and every request handed
** to features.h with its position turned into a file and a byte offset.
*/
#ifndef DAGLOON_LSP_SERVER_H
#define DAGLOON_LSP_SERVER_H

#include "tools/options.h"

/* After a change, wait this long for another before checking the rule set again. */
enum { LSP_DEBOUNCE_MS = 200 };

/*
** Serve the client on in_fd/out_fd until 'exit' or the end of the input:
** 0 after shutdown then exit, 1 otherwise (exit without shutdown, the input
** ended, a broken message, a write that failed).
*/
int lsp_serve(int in_fd, int out_fd);

/* The command: dagloon lsp (no operands; --allow-native and --allow-path as for every command). */
int cmd_lsp(const ParsedArgs *a);

#endif
