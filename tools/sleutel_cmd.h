/*
** sleutel_cmd.h: `dagloon sleutel FILE` makes the operator's key, and
** DAGLOON_KEY names the key loading trusts the operator's own bundles by
** (runtime/bundlesig.h).
*/
#ifndef DAGLOON_SLEUTEL_CMD_H
#define DAGLOON_SLEUTEL_CMD_H

#include "tools/options.h"
#include "runtime/bundlesig.h"

/* dagloon sleutel FILE (its spec, cmd_sleutel_spec, is in tools/commands.c with the others) */
int cmd_sleutel(const ParsedArgs *a);

/* The key DAGLOON_KEY names, set for every bundle the process loads; true when there is none. False (a
   message printed) when it cannot be used: a key that does not work is never ignored silently. */
bool operator_key_from_environment(void);

/* compile --sign FILE: the key, loaded into *k; NULL when not asked, or when it cannot be used (*ok false). */
const BundleKey *signing_key(const ParsedArgs *a, BundleKey *k, bool *ok);

#endif
