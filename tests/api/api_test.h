/*
** api_test.h: what the libdagloon tests share -- files the test script (run.sh) prepared with
** the command, read back line by line, and one loaded rule set per rule path. Only dagloon.h
** is included: the tests see the library as a program using it does.
*/
#ifndef DAGLOON_API_TEST_H
#define DAGLOON_API_TEST_H

#include <stddef.h>
#include "dagloon.h"

/* The folder run.sh wrote the command's outputs to ($DAGLOON_API_DATA, default build/api). */
const char *data_dir(void);
/* "data_dir()/name" in a static buffer of its own per call site's copy: copy it if you keep it. */
const char *data_path(const char *name);
/* The lines of a file without their newlines, malloc'd; *n their count. Fails the test if unreadable. */
char **read_lines(const char *path, size_t *n);
void free_lines(char **lines, size_t n);
/* The whole file, malloc'd and NUL-terminated. */
char *read_all(const char *path, size_t *len);
/* A rule set loaded from one path; fails the test (with the error's message) if it does not load. */
dagloon_rules *load_or_fail(const char *path);

#endif
