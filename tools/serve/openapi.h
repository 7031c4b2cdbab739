/*
** openapi.h: GET /v1/{ruleset}/openapi.json, an OpenAPI 3.1 document of one rule set's
** endpoints, generated from its schema as dagloon.h shows it (invoer, uitvoer, gegevens,
** keuzes), saying what the engine's reader accepts and its writer gives (tools/serve/README.md).
*/
#ifndef DAGLOON_SERVE_OPENAPI_H
#define DAGLOON_SERVE_OPENAPI_H

#include "serve.h"

/* The document of the rule set served as `name`, as JSON text; the caller frees it. [any thread] */
char *openapi_document(const char *name, const dagloon_rules *r);

#endif
