/*
** letter_pdf.h: a letter's HTML printed to PDF by headless Chromium
** (--print-to-pdf): the browser the tests already render pages with
** (tools/setup-deps.sh), so no new dependency, and the print CSS of the
** page (A4, margins, tables kept whole) is what the PDF shows.
*/
#ifndef DAGLOON_LETTER_PDF_H
#define DAGLOON_LETTER_PDF_H

#include <stdbool.h>
#include <stddef.h>

/*
** Prints the page `html` (len bytes) to the PDF file `path` (written as
** every output is, tools/outfile.h). Chromium is $DAGLOON_CHROMIUM, else
** `chromium` on the PATH; it runs in a temporary folder of its own, with
** scripts off and no network (the page's Content-Security-Policy loads
** nothing), and is stopped after 120 seconds. False, with a message, when
** the PDF could not be made.
*/
bool letter_pdf(const char *html, size_t len, const char *path);

#endif
