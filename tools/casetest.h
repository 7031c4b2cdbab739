/*
** casetest.h: `dagloon test`, the runner of case suites (jurisprudence and
** hand-derived cases written as YAML files; see docs/CASES.md).
*/
#ifndef DAGLOON_CASETEST_H
#define DAGLOON_CASETEST_H

#include "tools/options.h"

/* `a` holds the parsed command line of test. Returns the process exit status. */
int cmd_test(const ParsedArgs *a);

#endif
