/*
** serve_cmd.h: `dagloon serve`'s command line (tools/serve/ is the server itself).
*/
#ifndef DAGLOON_SERVE_CMD_H
#define DAGLOON_SERVE_CMD_H

#include "tools/options.h"

int cmd_serve(const ParsedArgs *a);

#endif
