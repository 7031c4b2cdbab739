/*
** i18n.h: messages in the user's language through GNU gettext (message
** catalogs in tools/po/, English msgids). Every layer may mark a message:
**
**   _("cannot open '%s'")    translated where it is printed
**   N_("...")                only marked (a static table), translated later with _()
**
** Output data (result and error rows and their error texts, explanations,
** JSON/SARIF field names, receipts, bundles) is never translated: it is read by
** programs and compared across runs. A command with --receipt writes in English
** (tools/dagloon.c): its receipt hashes what it writes. Which messages are
** translated, and how to add one: tools/po/README.md.
*/
#ifndef DAGLOON_I18N_H
#define DAGLOON_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/*
** Once, at the start of main: LC_MESSAGES from the environment (never LC_NUMERIC:
** the data keeps its decimal point; a locale the machine lacks still gives its
** language) and the catalogs' place: $DAGLOON_LOCALEDIR, else <the executable's
** folder>/locale if it exists, else the installed one.
*/
void i18n_init(void);

/*
** The messages from now on in `lang` ("nl", "en", or an LSP client's locale
** such as "nl-NL"), whatever the environment says; NULL or "" goes back to
** the environment's choice; so does a name of anything but letters, '-' and '_'
** (it becomes LANGUAGE, where a path would lead gettext to other catalogs).
*/
void i18n_use(const char *lang);

#endif
