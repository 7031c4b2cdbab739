/*
** source.h: the rule files of one compilation, held in memory. A Span's
** `file` indexes this list; line and column are computed only when a
** message is printed (runtime/chunk.h srcpos_line_col).
*/
#ifndef DAGLOON_SOURCE_H
#define DAGLOON_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include "runtime/chunk.h"

typedef struct SourceFile {
  char *name;         /* path as given, normalised (path_normalise) */
  char *text;         /* contents, NUL-terminated */
  uint32_t len;
  uint32_t *lines;    /* byte offset of the start of each line after the first, so a position is found in log time */
  uint32_t nlines;
} SourceFile;

/*
** Text that stands in for a file on disk (the language server's unsaved
** buffers): asked by src_load and src_load_fd with the path as given; true
** and the text (not copied by the callee, copied by the loader) to read it
** instead. src_load_fd asks only after the descriptor was opened, so what
** decides whether a path may be read (sandbox.h) still decides for it.
*/
typedef struct SourceOverlay {
  bool (*text_of)(void *ctx, const char *path, const char **text, uint32_t *len);
  void *ctx;
} SourceOverlay;

typedef struct SourceSet {
  SourceFile *files;
  uint32_t n, cap;
  const SourceOverlay *overlay;   /* NULL: every file from the disk */
} SourceSet;

/* Read a file; returns its index, or -1 with a message in err (errno text). */
int src_load(SourceSet *ss, const char *path, char *err, size_t cap);
/* The same from an open descriptor (taken over: closed here); `path` names it in messages. */
int src_load_fd(SourceSet *ss, int fd, const char *path, char *err, size_t cap);

/*
** The path with its '.' and '..' components worked out lexically (no
** symlink is followed) and no doubled or trailing '/': "a/./b/../c" ->
** "a/c". A relative path stays relative ("../x" stays). Malloc'd.
*/
char *path_normalise(const char *path);
/* Add text already in memory (tests, fuzzing); copies it. */
uint32_t src_add(SourceSet *ss, const char *name, const char *text, uint32_t len);
void src_free(SourceSet *ss);

/*
** Line and column (characters, from 1) of byte `off`, as runtime/chunk.h's
** srcpos_line_col but through the line index: a message at the end of a
** 50 MB file costs a binary search, not a scan of the whole file.
*/
void src_line_col(const SourceFile *f, uint32_t off, uint32_t *line, uint32_t *col);

/* The text of the line containing byte `off`: start offset and length (without newline). */
void src_line_extent(const SourceFile *f, uint32_t off, uint32_t *start, uint32_t *len);

#endif
