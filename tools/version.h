/*
** version.h: the engine version, printed by --version and written into
** bundles and receipts (a receipt made by another version does not replay).
*/
#ifndef DAGLOON_VERSION_H
#define DAGLOON_VERSION_H

#define DAGLOON_VERSION "0.1.0"

#endif
