/*
** position.h: where the language server and the front end meet. LSP counts
** lines from 0 and characters in UTF-16 code units; the front end counts bytes
** (Span). A URI is file:// with percent-encoding; the front end has paths.
*/
#ifndef DAGLOON_LSP_POSITION_H
#define DAGLOON_LSP_POSITION_H

#include <jansson.h>
#include <stdint.h>
#include "lang/source.h"

/*
** The byte offset of LSP position (line, character) in text: a line past the
** end gives len, a character past the line's end gives the line's end (before
** "\r\n" or "\n"). A byte that is not valid UTF-8 counts as one unit (it is
** shown as U+FFFD).
*/
uint32_t lsp_offset_of(const char *text, uint32_t len, uint32_t line, uint32_t character);

/* The LSP position of byte `off` (clamped to len; inside a character: that character's start). */
void lsp_position_of(const char *text, uint32_t len, uint32_t off, uint32_t *line, uint32_t *character);

/* {"start":{line,character},"end":{...}} of a span of file f. */
json_t *lsp_range(const SourceFile *f, uint32_t off, uint32_t len);
/* {"uri":..., "range":...}: NULL when the file's path cannot be made a URI. */
json_t *lsp_location(const SourceFile *f, uint32_t off, uint32_t len);

/* file:///abs/path with every byte but [A-Za-z0-9-._~/] percent-encoded; a relative path is made absolute. Malloc'd. */
char *lsp_uri_from_path(const char *path);
/* The path of a file: URI (authority empty or "localhost"), percent-decoded; NULL for any other URI or a %00. Malloc'd. */
char *lsp_path_from_uri(const char *uri);

#endif
