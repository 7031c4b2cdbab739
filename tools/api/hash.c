/*
** hash.c: dagloon_rules_hash -- a compiled rule set's identity, the SHA-256 of its plain code
** written as a bundle with no engine version. That is what a receipt of `dagloon run` records as
** "compiled" (tools/receipt.c receipt_rules), so a hash an HTTP receipt shows can be checked
** against the command's receipt of the same rules, from rule files or from a bundle. The same
** identity of the traced code names the rules of a compact trace (tools/tracefile.h).
*/
#include "tools/api/api_internal.h"

#include "tools/tracefile.h"

bool api_hash_build(struct dagloon_rules *r, char *err, size_t cap) { return tracefile_rules_hash(r->plain, r->hash, err, cap); }
