/*
** i18n.h: messages in the user's language through GNU gettext (message
** catalogs in tools/po/, English msgids). Every layer may mark a message:
**
**   _("cannot open '%s'")    translated where it is printed
**   N_("...")                only marked (a static table), translated later with _()
**
** Output data (result and error rows, receipts, bundles) is never translated:
** it is read by programs and compared across runs.
*/
#ifndef DAGLOON_I18N_H
#define DAGLOON_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* Once, at the start of main: the locale from the environment and the catalog's place. */
void i18n_init(void);

/*
** The messages from now on in `lang` ("nl", "en", or an LSP client's locale
** such as "nl-NL"), whatever the environment says; NULL or "" goes back to
** the environment's choice.
*/
void i18n_use(const char *lang);

#endif
