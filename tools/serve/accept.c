/*
** accept.c: html or json from an Accept header (accept.h). Qualities are kept as whole
** thousandths (q has at most three decimals), so comparing them is exact.
*/
#include "accept.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* "q=0.5" (already past the ';' and spaces) as thousandths; 1000 when it is not a valid q. */
static int quality(const char *p, const char *end) {
  if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') return -1;   /* not q: another parameter */
  p += 2;
  int q = 0;
  if (*p == '0' || *p == '1') q = (*p++ - '0') * 1000;
  else return 1000;
  if (p < end && *p == '.') {
    p++;
    for (int scale = 100; scale >= 1 && p < end && *p >= '0' && *p <= '9'; scale /= 10) q += (*p++ - '0') * scale;
  }
  while (p < end && (*p == ' ' || *p == '\t')) p++;
  return p == end && q <= 1000 ? q : 1000;
}

/* How specifically the range type/subtype matches want ("text/html"): 3 exactly, 2 by type, 1 by * / *, 0 not. */
static int specificity(const char *range, size_t n, const char *want) {
  const char *slash = memchr(range, '/', n);
  if (!slash) return 0;
  size_t tn = (size_t)(slash - range), sn = n - tn - 1;
  const char *wslash = strchr(want, '/');
  size_t wtn = (size_t)(wslash - want);
  if (tn == 1 && range[0] == '*') return sn == 1 && slash[1] == '*' ? 1 : 0;
  if (tn != wtn || strncasecmp(range, want, tn) != 0) return 0;
  if (sn == 1 && slash[1] == '*') return 2;
  return sn == strlen(wslash + 1) && strncasecmp(slash + 1, wslash + 1, sn) == 0 ? 3 : 0;
}

/* The quality the header gives `want`: that of the most specific matching range, 0 when none matches. */
static int quality_of(const char *accept, const char *want) {
  int best = 0, q_best = 0;
  for (const char *p = accept; *p;) {
    const char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    const char *range = skip_space(p), *semi = memchr(range, ';', (size_t)(end - range));
    const char *rend = semi ? semi : end;
    while (rend > range && (rend[-1] == ' ' || rend[-1] == '\t')) rend--;
    int spec = specificity(range, (size_t)(rend - range), want), q = 1000;
    for (const char *param = semi; param && param < end;) {
      const char *next = memchr(param + 1, ';', (size_t)(end - param - 1));
      int pq = quality(skip_space(param + 1), next ? next : end);
      if (pq >= 0) q = pq;
      param = next;
    }
    if (spec > best) best = spec, q_best = q;
    p = *end ? end + 1 : end;
  }
  return q_best;
}

accept_choice accept_html_or_json(const char *accept) {
  if (!accept || !*skip_space(accept)) return ACCEPT_JSON;
  int html = quality_of(accept, "text/html"), json = quality_of(accept, "application/json");
  if (html == 0 && json == 0) return ACCEPT_NONE;
  return html > json ? ACCEPT_HTML : ACCEPT_JSON;
}
