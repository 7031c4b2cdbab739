/*
** compare_report.h: the HTML impact report of dagloon compare (--html).
*/
#ifndef DAGLOON_COMPARE_REPORT_H
#define DAGLOON_COMPARE_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include "lang/proposal.h"

/* The summary (compare.c's JSON) as one self-contained Dutch page; money: the value column is geld. */
void compare_report_html(json_t *summary, const Changes *changes, bool money, FILE *f);

#endif
