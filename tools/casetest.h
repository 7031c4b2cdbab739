/*
** casetest.h: `dagloon test`, the runner of case suites (jurisprudence and
** hand-derived cases written as YAML files; see docs/CASES.md).
*/
#ifndef DAGLOON_CASETEST_H
#define DAGLOON_CASETEST_H

/* argv holds what follows "test". Returns the process exit status. */
int cmd_test(int argc, char **argv);

#endif
