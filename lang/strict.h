/*
** strict.h: which rule files belong to a rule set that is law. A file that
** says 'strikt' (English 'strict') makes every rule file in its folder strict:
** a rule set is a folder, so one line in it (by custom in bronnen.rules, beside
** the sources) covers all its files, and a used set or a proposal in another
** folder keeps its own choice. In a strict file every rule, exception and
** table must cite a bron (E097, an error; elsewhere W001 warns in rules/ trees).
*/
#ifndef DAGLOON_STRICT_H
#define DAGLOON_STRICT_H

#include <stdint.h>
#include "ast.h"
#include "diag.h"
#include "source.h"

/*
** Per file of `src` (its first `nfiles`), 1 when it is strict; malloc'd.
** Reports E098 for a 'strikt' after a declaration of its file ('module' aside).
*/
uint8_t *strict_files(const AstList *decls, const SourceSet *src, uint32_t nfiles, DiagList *d);

#endif
