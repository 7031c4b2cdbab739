/*
** run_report.h: the report page of `dagloon run --html FILE` -- run's
** population summary (tools/run_summary.h) as one self-contained Dutch page.
*/
#ifndef DAGLOON_RUN_REPORT_H
#define DAGLOON_RUN_REPORT_H

#include <jansson.h>
#include <stdio.h>

/* The summary (run_summary_json) as a page into f. */
void run_report_html(json_t *summary, FILE *f);

#endif
