/*
** run_cmd.h: `dagloon run RULES INPUT` (tools/run_cmd.c), the population through libdagloon's batch.
*/
#ifndef DAGLOON_RUN_CMD_H
#define DAGLOON_RUN_CMD_H

#include "tools/options.h"

int cmd_run(const ParsedArgs *a);

#endif
