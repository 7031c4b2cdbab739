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

char **folder_entries(const char *dir, size_t *n) {
  *n = 0;
  struct dirent **ents;
  int k = scandir(dir, &ents, NULL, alphasort);
  char **paths = xcalloc(k > 0 ? (size_t)k : 1, sizeof *paths);
  size_t dl = strlen(dir);
  if (dl > 1 && dir[dl - 1] == '/') dl--;   /* "rules/" and "rules": no double slash in messages */
  for (int i = 0; i < k; i++) {
    const char *nm = ents[i]->d_name;
    if (nm[0] != '.') {
      size_t len = dl + strlen(nm) + 2;
      paths[*n] = xmalloc(len);
      snprintf(paths[(*n)++], len, "%.*s/%s", (int)dl, dir, nm);
    }
    free(ents[i]);
  }
  if (k >= 0) free(ents);
  return paths;
}

void rule_sets_below(const char *dir, char ***sets, size_t *n, size_t *cap) {
  size_t k;
  char **entries = folder_entries(dir, &k);
  for (size_t i = 0; i < k; i++) {
    if (is_dir(entries[i]) && has_rule_files(entries[i])) {
      VEC_PUSH(*sets, *n, *cap, entries[i]);
      continue;
    }
    if (is_dir(entries[i])) rule_sets_below(entries[i], sets, n, cap);
    free(entries[i]);
  }
  free(entries);
}
