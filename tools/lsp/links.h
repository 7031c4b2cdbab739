/*
** links.h: a 'bron' as a link a reader can follow: a regulation's BWB id
** with its article and paragraph as wetten.overheid.nl's JCI address
** (https://wetten.overheid.nl/jci1.3:c:BWBR0033471&artikel=16&lid=1), a
** ruling's ECLI on uitspraken.rechtspraak.nl, a URL written as text.
*/
#ifndef DAGLOON_LSP_LINKS_H
#define DAGLOON_LSP_LINKS_H

#include "lang/check.h"

/* The address of a citation (a CITE node), or NULL when it has none. Malloc'd. */
char *link_of_cite(const Program *p, const AstNode *cite);

/* The address of a regulation (a SOURCE_DECL with a BWB id): https://wetten.overheid.nl/BWBR.../, or NULL. Malloc'd. */
char *link_of_source(const AstNode *source);

/* "[DB art 16 lid 1](https://...) (Dagloonbesluit werknemersverzekeringen)" in Markdown, one line. Malloc'd. */
char *link_markdown(const Program *p, const AstNode *cite);

#endif
