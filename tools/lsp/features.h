/*
** features.h: what the language server answers about a rule set, one
** function per LSP request. Each takes an Analysis (analysis.h), the file
** index in it and a byte offset, and returns the request's `result` as LSP
** JSON (a new reference; json_null() for "nothing here"). The server
** (server.c) turns positions into offsets and back (position.h) and owns
** the protocol; these own the language.
*/
#ifndef DAGLOON_LSP_FEATURES_H
#define DAGLOON_LSP_FEATURES_H

#include <jansson.h>
#include <stdbool.h>
#include "analysis.h"

/* textDocument/hover: Hover {contents: MarkupContent markdown, range} or null. */
json_t *feat_hover(const Analysis *a, uint32_t file, uint32_t off, const LspSettings *s);

/* textDocument/definition: Location[] (empty when the name is unknown). */
json_t *feat_definition(const Analysis *a, uint32_t file, uint32_t off);

/* textDocument/references: Location[]; with the declaration itself when include_decl. */
json_t *feat_references(const Analysis *a, uint32_t file, uint32_t off, bool include_decl);

/* textDocument/prepareRename: {range, placeholder} or null when nothing renamable is here. */
json_t *feat_prepare_rename(const Analysis *a, uint32_t file, uint32_t off);
/*
** textDocument/rename: WorkspaceEdit, or NULL with a message in err (a
** collision, not a name, a name of a used set or base) for a ResponseError.
*/
json_t *feat_rename(const Analysis *a, uint32_t file, uint32_t off, const char *new_name, char *err, size_t cap);

/*
** textDocument/completion: CompletionItem[]. `text`/`len` is the buffer as
** it is now and `off` the cursor in it; `a` is the last analysis whose
** checking ran (may be NULL, and its copy of this file may be older).
*/
json_t *feat_completion(const Analysis *a, const char *path, const char *text, uint32_t len, uint32_t off);

/*
** textDocument/codeAction: CodeAction[] for the diagnostics of a->front.diags
** in file `file` that overlap bytes [off, off+len) and carry a fix.
*/
json_t *feat_code_actions(const Analysis *a, uint32_t file, uint32_t off, uint32_t len);

/* textDocument/documentSymbol: DocumentSymbol[] (rules, exceptions, versions, tables, types, the input). */
json_t *feat_document_symbols(const Analysis *a, uint32_t file);

/* The semantic-token legend for the server's capabilities, and textDocument/semanticTokens/full: {data}. */
json_t *feat_semantic_legend(void);
json_t *feat_semantic_tokens(const Analysis *a, uint32_t file);

/*
** In a case file (a .case file of tests/cases/, not part of the rule set):
** definition of the field name at `off` -> its invoer declaration in `a`.
*/
json_t *feat_case_definition(const Analysis *a, const char *text, uint32_t len, uint32_t off);

#endif
