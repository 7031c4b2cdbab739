/*
** suggest.c: the nearest candidates to a mistyped name (see suggest.h).
*/
#include "tools/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runtime/mem.h"
#include "runtime/strutil.h"
#include "runtime/i18n.h"

size_t suggest_nearest(const char *name, const char *const *cands, size_t ncands, const char **out, size_t max) {
  size_t len = strlen(name);
  int limit = len / 3 > 2 ? (int)(len / 3) : 2;
  if ((size_t)limit >= len) limit = len ? (int)len - 1 : 0;
  int *dist = xmalloc((ncands ? ncands : 1) * sizeof *dist);
  for (size_t i = 0; i < ncands; i++) dist[i] = str_edit_distance(name, len, cands[i], strlen(cands[i]));
  size_t n = 0;
  /* nearest first: each distance in turn, candidates in their order */
  for (int d = 0; d <= limit && n < max; d++)
    for (size_t i = 0; i < ncands && n < max; i++)
      if (dist[i] == d) out[n++] = cands[i];
  xfree(dist);
  return n;
}

void suggest_phrase(const char *name, const char *const *cands, size_t ncands, char *buf, size_t cap) {
  const char *near[3];
  size_t n = suggest_nearest(name, cands, ncands, near, 3);
  size_t k = 0;
  buf[0] = 0;
  if (n == 0 || cap == 0) return;
  char list[512];
  list[0] = 0;
  /* TRANSLATORS: between the last two names of "did you mean 'a', 'b' or 'c'?" */
  const char *or = _(" or ");
  for (size_t i = 0; i < n && k < sizeof list; i++)
    k += (size_t)snprintf(list + k, sizeof list - k, "%s'%s'", i == 0 ? "" : i + 1 == n ? or : ", ", near[i]);
  snprintf(buf, cap, _("did you mean %s?"), list);
}
