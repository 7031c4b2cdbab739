/*
** letter_folder.c: the letters of a population in a folder (see letter_folder.h).
** Every file is made with openat(O_CREAT|O_EXCL|O_NOFOLLOW) in the folder's own
** descriptor, under a name that letter_file_name made safe, first as a
** temporary name and then linked to its own (link never replaces a file), so an
** interrupted run leaves whole letters or none, and nothing outside the folder.
*/
#include "tools/letter_folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "tools/letter.h"
#include "runtime/i18n.h"

#define ERRORS_FILE "fouten.csv"

struct LetterFolder {
  char *dir;
  int fd;
  FILE *errf;
  ErrorWriter *ew;
  size_t letters, errors;
};

static bool empty_folder(int fd) {
  int dup_fd = dup(fd);
  DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
  if (!d) return false;
  bool empty = true;
  struct dirent *e;
  while (empty && (e = readdir(d)))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = false;
  closedir(d);
  return empty;
}

LetterFolder *letter_folder_open(const char *dir) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, _("dagloon: cannot make the letter folder '%s': %s\n"), dir, strerror(errno));
    return NULL;
  }
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, _("dagloon: cannot open the letter folder '%s': %s\n"), dir, strerror(errno));
    return NULL;
  }
  if (!empty_folder(fd)) {
    fprintf(stderr, _("dagloon: the letter folder '%s' is not empty; give a new or an empty folder, so no letter of "
                    "another run is replaced or mixed in\n"), dir);
    close(fd);
    return NULL;
  }
  int efd = openat(fd, ERRORS_FILE, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  FILE *errf = efd >= 0 ? fdopen(efd, "w") : NULL;
  if (!errf) {
    fprintf(stderr, _("dagloon: cannot write %s/%s: %s\n"), dir, ERRORS_FILE, strerror(errno));
    if (efd >= 0) close(efd);
    close(fd);
    return NULL;
  }
  LetterFolder *lf = xcalloc(1, sizeof *lf);
  lf->dir = xstrdup(dir);
  lf->fd = fd;
  lf->errf = errf;
  lf->ew = errwriter_open(errf);
  errwriter_set_csv_safe(lf->ew, true);   /* ids come from the dossiers: a caseworker opens this in a spreadsheet */
  return lf;
}

bool letter_folder_put(LetterFolder *lf, const char *id, const char *ext, const char *bytes, size_t len, char *why,
                       size_t cap) {
  char name[320], tmp[340];
  if (!letter_file_name(id, ext, name, sizeof name)) {
    snprintf(why, cap, _("the id is empty or longer than 80 bytes, so it cannot name a letter"));
    return false;
  }
  snprintf(tmp, sizeof tmp, ".%s.tmp", name);   /* a hidden name no letter has (letter names never start with '.') */
  int fd = openat(lf->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) {
    snprintf(why, cap, _("cannot write the letter: %s"), strerror(errno));
    return false;
  }
  bool ok = true;
  for (size_t off = 0; ok && off < len;) {
    ssize_t n = write(fd, bytes + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false;
    else off += (size_t)n;
  }
  int err = ok ? 0 : errno;
  if (ok && fsync(fd) != 0) ok = false, err = errno;
  if (close(fd) != 0 && ok) ok = false, err = errno;
  if (ok && linkat(lf->fd, tmp, lf->fd, name, 0) != 0) {
    err = errno;
    ok = false;
    if (err == EEXIST) {
      unlinkat(lf->fd, tmp, 0);
      snprintf(why, cap, _("another dossier's letter has the same file name '%s' here"), name);
      return false;
    }
  }
  unlinkat(lf->fd, tmp, 0);
  if (!ok) snprintf(why, cap, _("cannot write the letter: %s"), strerror(err));
  else lf->letters++;
  return ok;
}

void letter_folder_error(LetterFolder *lf, uint64_t recno, uint64_t line, const char *id, const char *field,
                         const char *rule, const char *location, const char *reason) {
  errwriter_row(lf->ew, recno, line, id, field, rule, location, reason);
  lf->errors++;
}

bool letter_folder_close(LetterFolder *lf, size_t *letters, size_t *errors) {
  int rc = errwriter_close(lf->ew);
  bool ok = rc == 0 && fflush(lf->errf) == 0 && fsync(fileno(lf->errf)) == 0;
  if (fclose(lf->errf) != 0) ok = false;
  if (!ok) fprintf(stderr, _("dagloon: cannot write %s/%s\n"), lf->dir, ERRORS_FILE);
  *letters = lf->letters;
  *errors = lf->errors;
  close(lf->fd);
  free(lf->dir);
  free(lf);
  return ok;
}
