/*
** i18n.c: choosing the messages' language (i18n.h). Placeholder until the
** catalogs arrive: messages stay in English.
*/
#include "i18n.h"

void i18n_init(void) {}

void i18n_use(const char *lang) { (void)lang; }
