/*
** letter_folder.h: the letters of a whole population in one folder
** (`dagloon explain RULES INPUT --format brief -o FOLDER/`): one file per
** dossier named by its id (letter_file_name: no path, no '..', no hidden
** file, whatever the id holds), and fouten.csv with the dossiers that got no
** letter and why. The folder must be new or empty, and a file is never
** replaced: two ids that give the same name on this file system (a
** case-insensitive one) make the second an error row, not a lost letter.
*/
#ifndef DAGLOON_LETTER_FOLDER_H
#define DAGLOON_LETTER_FOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct LetterFolder LetterFolder;

/* Makes or opens the folder (new or empty); NULL, with a message, when it cannot be used. */
LetterFolder *letter_folder_open(const char *dir);

/* Writes one letter (name from the id, then ext); false, with the reason in why, when it is not written. */
bool letter_folder_put(LetterFolder *lf, const char *id, const char *ext, const char *bytes, size_t len, char *why,
                       size_t cap);

/* A dossier without a letter: a row of fouten.csv (columns as dagloon run --errors). */
void letter_folder_error(LetterFolder *lf, uint64_t recno, uint64_t line, const char *id, const char *field,
                         const char *rule, const char *location, const char *reason);

/* Closes the folder: fouten.csv written and synced. False, with a message, when that failed. */
bool letter_folder_close(LetterFolder *lf, size_t *letters, size_t *errors);

#endif
