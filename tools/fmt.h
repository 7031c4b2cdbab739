/*
** fmt.h: dagloon fmt -- the canonical layout of a rule file.
**
** The formatter works on the lexer's token stream, not on the syntax tree:
** the tree drops comments and blank lines, the token stream keeps every
** byte between two tokens (whitespace and '--' comments), so a formatter
** that re-emits the tokens verbatim and only rewrites the whitespace
** between them keeps every comment and paragraph exactly and cannot
** change what the file means. It also works on a file the parser rejects
** (only a lexical error stops it). After formatting, the result is lexed
** again and its tokens and comments compared with the input's: a
** difference is a bug in the formatter and the file is left alone.
*/
#ifndef DAGLOON_FMT_H
#define DAGLOON_FMT_H

#include <stddef.h>
#include <stdint.h>
#include "tools/options.h"

/*
** The canonical layout of text[0..len) (NUL-terminated at len) in a new
** string (*out, *outlen; free it). False with a message in err when the
** file has a lexical error (at which byte offset: *erroff) or the check
** of the result failed.
*/
int fmt_text(const char *text, uint32_t len, char **out, size_t *outlen, char *err, size_t cap, uint32_t *erroff);

/*
** dagloon fmt [--check] FILES...: each file rewritten in its canonical
** layout (tools/outfile.c: a temporary file renamed over it), or with
** --check left alone and, when it is not in that layout, a unified diff
** (diff -u) on standard output and exit status 1.
*/
int cmd_fmt(const ParsedArgs *a);

#endif
