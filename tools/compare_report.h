/*
** compare_report.h: the HTML impact report of dagloon compare (--html).
*/
#ifndef DAGLOON_COMPARE_REPORT_H
#define DAGLOON_COMPARE_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "lang/proposal.h"

/* The summary (compare.c's JSON) as one self-contained Dutch page; money: the value column is geld;
   explained: the explanation diffs of listed dossiers (compare_explain_ids.h), or NULL and not_explained
   says why (NULL: nothing listed). */
void compare_report_html(json_t *summary, const Changes *changes, json_t *explained, const char *not_explained,
                         bool money, FILE *f);

#endif
