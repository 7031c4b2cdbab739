/*
** serve.h: `dagloon serve`, the engine as an HTTP service (tools/serve/README.md).
**
** Everything in tools/serve/ reaches the engine through the public API (dagloon.h) only,
** never a header of runtime/ or lang/ (tests/serve/run.sh checks it); the command's glue in
** tools/serve_cmd.c turns the command line into a serve_config.
*/
#ifndef DAGLOON_SERVE_H
#define DAGLOON_SERVE_H

#include <libintl.h>
#include <stddef.h>
#include <stdint.h>
#include "dagloon.h"

/* messages to the operator in the user's language (the catalogs of runtime/i18n.h, set up by main) */
#ifndef _
#define _(msgid) gettext(msgid)
#endif

typedef struct serve_config {
  const char *const *rulesets;    /* RULES arguments: a folder, a .rules file or a bundle, one rule set each */
  size_t nrulesets;
  const dagloon_options *options; /* --allow-native; may be NULL */
  const char *listen;             /* "HOST:PORT", HOST numeric IPv4 or [IPv6]; port 0 picks a free one */
  unsigned threads;               /* worker threads, >= 1 */
  size_t max_body;                /* bytes of one request body */
  unsigned timeout;               /* seconds a connection may stay idle (a slow client) */
  uint64_t max_steps;             /* per dossier; 0: the library's default */
  size_t max_memory;              /* per dossier in bytes; 0: the library's default */
} serve_config;

/*
** Loads the rule sets, listens, serves until SIGTERM or SIGINT, then finishes the requests in
** flight and returns 0. 2 for a usage error (an address that cannot be parsed, two rule sets
** of one name), 1 when a rule set does not load or the address cannot be bound; the reason
** is on stderr.
*/
int serve_run(const serve_config *c);

#endif
