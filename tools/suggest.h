/*
** suggest.h: "did you mean" for names a user typed on the command line (a
** dossier id, an output column): the closest candidates by edit distance.
** The single-name suggestion of the front end is str_suggest (runtime/strutil.h);
** this one offers up to a few, because ids differ from each other by a
** character or two and the user should see every plausible one.
*/
#ifndef DAGLOON_SUGGEST_H
#define DAGLOON_SUGGEST_H

#include <stddef.h>

/*
** Up to `max` candidates close enough to `name` to be a typo (edit distance
** at most max(2, length/3), and less than its length), nearest first, ties
** in the candidates' order. Returns how many were written to out.
*/
size_t suggest_nearest(const char *name, const char *const *cands, size_t ncands, const char **out, size_t max);

/* "did you mean 'a', 'b' or 'c'?" for the nearest (at most three) into buf; "" when none is close. */
void suggest_phrase(const char *name, const char *const *cands, size_t ncands, char *buf, size_t cap);

#endif
