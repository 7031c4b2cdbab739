/*
** regfile.h: opening a file for reading only when it is a regular file.
** A name may stand for /dev/stdin, a FIFO or a terminal: reading one to
** look at it (is it a bundle? has it changed?) would eat what is piped to
** the program, or block.
*/
#ifndef DAGLOON_REGFILE_H
#define DAGLOON_REGFILE_H

#include <stdio.h>

/*
** `path` opened for reading ("rb") if it is a regular file: looked at with
** stat first, opened without blocking and without becoming a controlling
** terminal, and checked again on the descriptor (a file swapped for a FIFO
** between the two looks is not read either). NULL otherwise (errno set;
** EINVAL for a file that is not regular).
*/
FILE *fopen_regular(const char *path);

#endif
