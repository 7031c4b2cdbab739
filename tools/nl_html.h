/*
** nl_html.h: values and names as a Dutch reader expects them in an HTML
** page (the explanation page, the letter): amounts "€ 1.234,56", dates
** "23-01-2020" or "23 januari 2020", a choice or a rule by its human label
** (the name kept as a tooltip), citations linked to wetten.overheid.nl or
** uitspraken.rechtspraak.nl.
*/
#ifndef DAGLOON_NL_HTML_H
#define DAGLOON_NL_HTML_H

#include <stdio.h>
#include "runtime/chunk.h"

void nlh_money(int64_t cents, char *buf, size_t cap);      /* € 1.234,56 (€ -12,00) */
void nlh_date(int64_t day, char *buf, size_t cap);         /* 23-01-2020 */
void nlh_date_long(int64_t day, char *buf, size_t cap);    /* 23 januari 2020 */
void nlh_month(int64_t day, char *buf, size_t cap);        /* januari 2020 (the month of the day) */
void nlh_dec(Dec x, char *buf, size_t cap);                /* a getal with a decimal comma */

/* Any value as a reader expects it; a choice by its label when it has one. */
void nlh_value(const Chunk *c, TypeRef t, Value v, char *buf, size_t cap);
void nlh_put_value(FILE *f, const Chunk *c, TypeRef t, Value v);   /* the same, escaped into the page */

/* A name as words ("dagloon_onbegrensd" -> "dagloon onbegrensd"), escaped. */
void nlh_words(FILE *f, const char *name);

/* A rule, field or choice: its label with the name as a tooltip, or, without a label, the name as words. */
void nlh_named(FILE *f, const char *name, const char *label);

/* The label of an output column's rule or input field, or NULL. */
const char *nlh_output_label(const Chunk *c, const OutputDesc *d);

/* A 'bron' text: citations separated by "; ", each linked where it says where (BWB id + article, ECLI, URL). */
void nlh_cite(FILE *f, const char *src);

/* The link of one citation ("X (BWBR0033471) art 16 lid 1", "ECLI:...", a URL) into url, "" if none. */
void nlh_cite_url(const char *part, char *url, size_t cap);

#endif
