/*
** strutil.h: small text helpers shared by the front end and the record
** readers: edit distance for "did you mean" suggestions, UTF-8 checks.
*/
#ifndef DAGLOON_STRUTIL_H
#define DAGLOON_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Edit distance between a[0..alen) and b[0..blen), capped at 255: insertions, deletions,
   substitutions and swaps of two adjacent characters each count 1 (optimal string alignment). */
int str_edit_distance(const char *a, size_t alen, const char *b, size_t blen);

/*
** The candidate closest to name[0..len), if close enough to be a plausible
** typo (distance <= max(1, len/3) and smaller than len); NULL otherwise.
** Ties go to the earliest candidate, so suggestions are deterministic.
** Failing that, a candidate of 3+ characters that is a prefix of the name,
** or that the name is a prefix of.
*/
const char *str_suggest(const char *name, size_t len, const char *const *cands, size_t ncands);

/* True if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);

/*
** s[0..len) for a message or a CSV cell: as it is when it is valid UTF-8,
** else with every byte >= 0x80 written as \xNN, so that what is written is
** always UTF-8. out holds 4 * len + 1 bytes; returns the length written
** (out is NUL-terminated).
*/
size_t utf8_or_escaped(const char *s, size_t len, char *out);

#endif
