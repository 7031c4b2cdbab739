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

/*
** The environment names a locale this machine lacks (LANG=nl_NL.UTF-8 without
** the locale generated): setlocale fails and gettext would speak English. The
** messages need no locale data, so C.UTF-8 and the language from the name do.
*/
static void locale_not_installed(void) {
  const char *names[] = {getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG")};
  const char *name = NULL;
  for (size_t i = 0; i < sizeof names / sizeof *names && !name; i++)
    if (names[i] && *names[i]) name = names[i];
  if (!name) return;
  char lang[32];
  size_t n = 0;
  for (; name[n] && name[n] != '.' && name[n] != '@' && n < sizeof lang - 1; n++) {
    char c = name[n];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return;
    lang[n] = c;
  }
  lang[n] = 0;
  if (n == 0 || (name[n] && name[n] != '.' && name[n] != '@')) return;
  if (!setlocale(LC_MESSAGES, "C.UTF-8")) return;
  const char *given = getenv("LANGUAGE");
  if (!given || !*given) setenv("LANGUAGE", lang, 1);
}

void i18n_init(void) {
  if (!setlocale(LC_MESSAGES, "")) locale_not_installed();
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
