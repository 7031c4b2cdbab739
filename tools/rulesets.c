/*
** rulesets.c: telling a rule set from a folder of rule sets (see rulesets.h).
*/
#include "tools/rulesets.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "runtime/mem.h"

bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool has_rule_files(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return false;
  bool found = false;
  struct dirent *e;
  while (!found && (e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    found = e->d_name[0] != '.' && n > 6 && strcmp(e->d_name + n - 6, ".rules") == 0;
  }
  closedir(d);
  return found;
}

bool is_rule_set_folder(const char *path) { return is_dir(path) && !has_rule_files(path); }

void rule_sets_below(const char *dir, char ***sets, size_t *n, size_t *cap) {
  struct dirent **ents;
  int k = scandir(dir, &ents, NULL, alphasort);
  for (int i = 0; i < k; i++) {
    const char *nm = ents[i]->d_name;
    if (nm[0] != '.') {
      size_t len = strlen(dir) + strlen(nm) + 2;
      char *full = xmalloc(len);
      /* "rules/" and "rules" name the same folder: no double slash in messages */
      size_t dl = strlen(dir);
      snprintf(full, len, "%.*s/%s", (int)(dl > 1 && dir[dl - 1] == '/' ? dl - 1 : dl), dir, nm);
      if (!is_dir(full)) free(full);
      else if (has_rule_files(full)) VEC_PUSH(*sets, *n, *cap, full);
      else {
        rule_sets_below(full, sets, n, cap);
        free(full);
      }
    }
    free(ents[i]);
  }
  if (k >= 0) free(ents);
}
