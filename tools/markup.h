/*
** markup.h: writing text into HTML and XML (the explanation page, the
** impact report, JUnit output).
*/
#ifndef DAGLOON_MARKUP_H
#define DAGLOON_MARKUP_H

#include <stdio.h>

/* s with & < > " escaped (safe in element text and in double-quoted attributes). */
void markup_escape(FILE *f, const char *s);

#endif
