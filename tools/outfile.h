/*
** outfile.h: how every command writes a file it was asked to write.
**
** A regular file (or a new one) is written to a temporary file in the same
** folder and renamed over its name only when every byte has been written,
** flushed and synced: a failed or interrupted command leaves what was there
** untouched. Anything else -- a device (/dev/stdout, /dev/null, /dev/full),
** a FIFO, a terminal -- is written directly: a rename would replace the
** device node, not write to it. Standard output is checked the same way.
** Each failure is printed naming the file; the command then exits with
** EXIT_WRITE_ERROR (tools/cli.h).
**
** Before anything is opened, outputs_check refuses an output that is the
** same file (device and inode, so also through a hard or symbolic link) as
** an input or as another output: `run R in.csv -o in.csv` would otherwise
** lose in.csv.
*/
#ifndef DAGLOON_OUTFILE_H
#define DAGLOON_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include "tools/options.h"

typedef struct OutFile {
  char *path;   /* the name the operator gave; NULL: standard output */
  char *tmp;    /* the temporary file renamed over `target` at commit; NULL: path is written directly */
  char *target; /* the file path names, its symbolic links followed */
  bool failed;  /* outfile_finish found a failed write */
  int err;      /* errno of a write that failed, as a writer kept it (outfile_note_error); 0: none known */
  FILE *f;
} OutFile;

/*
** Opens `path` for writing (NULL: standard output) as above. NULL, with
** the reason printed naming the file, when it cannot be; *o is then empty.
*/
FILE *outfile_open(OutFile *o, const char *path);

/*
** The file flushed, every earlier write checked (ferror), synced and
** closed, but not yet renamed over its name: a command with several
** outputs finishes them all before it commits any. False, with the
** reason printed naming the file, when a write failed.
*/
bool outfile_finish(OutFile *o);

/*
** Finishes the file (if not yet done): flushed, every earlier write checked (ferror), synced
** and closed, then renamed over its name. False, with the reason printed
** naming the file, when any of that failed; the temporary file is removed
** and the target left as it was. Standard output is flushed, not closed.
** Does nothing (true) for an OutFile never opened.
*/
bool outfile_commit(OutFile *o);

/*
** A write to the file failed, with this errno (0: none), as a writer that
** keeps it reports (writer_close): the file is not committed, and the
** message gives the reason (stdio keeps only that some write failed).
*/
void outfile_note_error(OutFile *o, int err);

/* Gives up on the file: closed, and the temporary file removed (the target is left as it was). */
void outfile_abort(OutFile *o);

/*
** Standard output flushed and checked; false, with a message, when some
** write to it failed (a full disk, a closed pipe, /dev/full).
*/
bool stdout_check(void);

/*
** The command line's outputs (every OPT_OUTPUT_FILE option, and standard
** output when it is a regular file) against its inputs (every operand but
** '-', every OPT_INPUT_FILE option) and against each other: false, with a
** message naming both, when two name the same file. Outputs that are not
** regular files (/dev/null, a terminal) may be shared.
*/
bool outputs_check(const ParsedArgs *a);

/*
** The same for inputs known only once the rules are loaded (the rule files
** and tables of a folder, the native libraries): false, with a message,
** when an output of the command line is one of them.
*/
bool outputs_not_inputs(const ParsedArgs *a, const char *const *inputs, size_t n);

#endif
