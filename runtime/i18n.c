/*
** i18n.c: choosing the messages' language (i18n.h) with GNU gettext.
**
** Only LC_MESSAGES is taken from the environment, never LC_ALL: LC_NUMERIC
** would make printf write "0,5" and strtod stop at a point, and output data
** must be the same bytes whatever the user's locale.
**
** The catalogs: $DAGLOON_LOCALEDIR if set; else <folder of the executable>/locale
** when it exists (a build tree: build/dagloon finds build/locale); else the
** installed DAGLOON_LOCALEDIR given at compile time.
*/
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef DAGLOON_LOCALEDIR
#define DAGLOON_LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "dagloon"

/* LANGUAGE as the environment had it at i18n_init (i18n_use(NULL) goes back to it); no allocation. */
static char env_language[256];
static bool env_language_set;

static bool is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <exe dir>/locale into buf, if that folder exists. */
static bool beside_exe(char *buf, size_t cap) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return false;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash) return false;
  *slash = 0;
  size_t len = strlen(exe);
  if (len + sizeof "/locale" > cap) return false;
  memcpy(buf, exe, len);
  memcpy(buf + len, "/locale", sizeof "/locale");
  return is_dir(buf);
}

void i18n_init(void) {
  setlocale(LC_MESSAGES, "");
  const char *lang = getenv("LANGUAGE");
  env_language_set = lang && strlen(lang) < sizeof env_language;   /* a longer one is no language list */
  if (env_language_set) strcpy(env_language, lang);
  const char *dir = getenv("DAGLOON_LOCALEDIR");
  char here[PATH_MAX];
  if (!dir || !*dir) dir = beside_exe(here, sizeof here) ? here : DAGLOON_LOCALEDIR;
  bindtextdomain(DOMAIN, dir);
  bind_textdomain_codeset(DOMAIN, "UTF-8");
  textdomain(DOMAIN);
}

/* "nl-NL" -> "nl_NL" (gettext also tries "nl"); false for anything but letters, '-' and '_'. */
static bool posix_name(const char *lang, char *buf, size_t cap) {
  size_t n = strlen(lang);
  if (n == 0 || n >= cap) return false;
  for (size_t i = 0; i < n; i++) {
    char c = lang[i];
    if (c == '-') c = '_';
    else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
    buf[i] = c;
  }
  buf[n] = 0;
  return true;
}

void i18n_use(const char *lang) {
  char name[32];
  if (lang && *lang && posix_name(lang, name, sizeof name)) {
    setenv("LANGUAGE", name, 1);
    /*
    ** gettext ignores LANGUAGE under the "C" locale; any other locale name will do, and
    ** C.UTF-8 is always there. setlocale also makes gettext forget what it looked up before.
    */
    const char *cur = setlocale(LC_MESSAGES, NULL);
    if (!cur || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0) {
      if (!setlocale(LC_MESSAGES, "C.UTF-8")) setlocale(LC_MESSAGES, "C.utf8");
    } else {
      char keep[256];
      size_t k = strlen(cur);
      if (k >= sizeof keep) k = sizeof keep - 1;
      memcpy(keep, cur, k);
      keep[k] = 0;
      setlocale(LC_MESSAGES, keep);
    }
    textdomain(DOMAIN);
    return;
  }
  /* back to the environment's choice (a name we cannot use counts as none) */
  if (env_language_set) setenv("LANGUAGE", env_language, 1);
  else unsetenv("LANGUAGE");
  setlocale(LC_MESSAGES, "");
  textdomain(DOMAIN);
}
