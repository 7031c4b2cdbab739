/*
** lsan.c: what LeakSanitizer is told to ignore in the sanitizer builds (make SAN=1, FAULT=1).
**
** libmicrohttpd brings in gnutls and with it p11-kit, whose library constructor calls
** newlocale(): under a locale the machine lacks (tests/i18n's LANG=de_DE.UTF-8) glibc keeps
** 29 bytes of it for ever, before main runs. Not ours: suppressed by the library's name, and by
** glibc's __argz_add_sep, where the fast unwinder's stack of that allocation ends (nothing of
** ours uses argz), without the report of suppressions used (stderr is compared in tests).
** Without a sanitizer these functions are never called.
*/
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *__lsan_default_options(void) { return "print_suppressions=0"; }

const char *__lsan_default_suppressions(void) { return "leak:libp11-kit.so\nleak:__argz_add_sep\n"; }
