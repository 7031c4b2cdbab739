/*
** rulesets.h: folders on the command line (check, test). A folder with .rules files of its
** own is one rule set; a folder without is a folder of rule sets (rules/),
** as check and test read it.
*/
#ifndef DAGLOON_RULESETS_H
#define DAGLOON_RULESETS_H

#include <stdbool.h>
#include <stddef.h>

bool is_dir(const char *path);
/* True if dir holds a .rules file (not counting its folders). */
bool has_rule_files(const char *dir);
/* A folder without .rules files of its own: a folder of rule sets. */
bool is_rule_set_folder(const char *path);
/* The paths of a folder's entries ("dir/name"), in name order, without those starting with '.'; malloc'd. */
char **folder_entries(const char *dir, size_t *n);
/*
** The rule sets below a folder of rule sets, in name order: each folder
** with .rules files of its own (not looked into further), found depth
** first. Appended to *sets (malloc'd paths).
*/
void rule_sets_below(const char *dir, char ***sets, size_t *n, size_t *cap);

#endif
