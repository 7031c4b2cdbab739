/*
** progress.h: a progress line for long runs -- records done, rate, time
** left -- on standard error, only when standard error is a terminal (a run
** in a pipeline or under CI stays silent). Redrawn at most twice a second.
*/
#ifndef DAGLOON_PROGRESS_H
#define DAGLOON_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

typedef struct Progress Progress;

/* `in` is the input being read (its size and position give the time left when it is a file). */
Progress *progress_start(FILE *in);
void progress_tick(Progress *p, uint64_t records);   /* cheap: looks at the clock every 1,024 calls */
void progress_end(Progress *p);                      /* clears the line */

#endif
