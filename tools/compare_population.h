/*
** compare_population.h: which population and which weights a compare used
** (issue 20 part 3): the input file and its sha256, the weight field, and --
** when the weights came from dagloon kalibreer -- its provenance, read from
** the sidecar INPUT.herkomst.json that kalibreer wrote next to its output.
*/
#ifndef DAGLOON_COMPARE_POPULATION_H
#define DAGLOON_COMPARE_POPULATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/*
** The summary's "population" object. Only a regular file is hashed (not "-", a pipe or a
** device: reading it again would block or eat input). *read_ok false, with the message
** printed, when the input or its sidecar exists but cannot be read.
*/
json_t *population_json(const char *input, const char *weight_field, bool *read_ok);
/* One line of the text summary from summary["population"]. */
void population_text(FILE *f, json_t *summary);
/* A short paragraph of the HTML report from summary["population"]. */
void population_section(FILE *f, json_t *summary);

#endif
