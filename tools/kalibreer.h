/*
** kalibreer.h: dagloon kalibreer POP --doel TARGETS: weights for a population
** so that it adds up to published totals (raking, tools/kalib_rake.h).
*/
#ifndef DAGLOON_KALIBREER_H
#define DAGLOON_KALIBREER_H

#include "tools/options.h"

/* Exit status when raking did not reach the tolerance within the iteration cap. */
enum { EXIT_NO_CONVERGENCE = 6 };

int cmd_kalibreer(const ParsedArgs *a);

#endif
