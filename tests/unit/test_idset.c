/*
** test_idset.c: the set of dossier ids a run has seen (runtime/idset.h):
** a repeated id gives the record that had it first, decimal ids and other
** ids stay apart ("007" is not "7"), and nothing is forgotten while the
** tables grow.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "runtime/idset.h"

static uint32_t add(IdSet *t, const char *id, uint64_t recno) { return idset_add(t, id, strlen(id), recno); }

Test(idset, first_sighting_of_a_repeated_id) {
  IdSet t;
  idset_init(&t);
  cr_assert_eq(add(&t, "17", 1), 0);
  cr_assert_eq(add(&t, "abc", 2), 0);
  cr_assert_eq(add(&t, "18", 3), 0);
  cr_assert_eq(add(&t, "17", 4), 1);
  cr_assert_eq(add(&t, "abc", 5), 2);
  cr_assert_eq(add(&t, "17", 6), 1, "the first sighting, not the last repeat");
  idset_free(&t);
}

Test(idset, decimal_and_text_ids_apart) {
  IdSet t;
  idset_init(&t);
  const char *ids[] = {"7", "007", "07", "+7", "-7", "7 ", "0", "00", "", "999999999999999999",
                       "1000000000000000000", "18446744073709551616", "abc\0x"};
  size_t n = sizeof ids / sizeof *ids;
  for (size_t i = 0; i < n; i++) cr_assert_eq(add(&t, ids[i], i + 1), 0, "'%s' is new", ids[i]);
  for (size_t i = 0; i < n; i++) cr_assert_eq(add(&t, ids[i], 100 + i), i + 1, "'%s' seen in record %zu", ids[i], i + 1);
  /* the same bytes with a NUL inside and without: different ids */
  cr_assert_eq(idset_add(&t, "abc\0x", 5, 200), 0);
  cr_assert_eq(idset_add(&t, "abc\0x", 5, 201), 200);
  idset_free(&t);
}

Test(idset, nothing_forgotten_while_growing) {
  IdSet t;
  idset_init(&t);
  char s[32];
  for (uint64_t i = 0; i < 300000; i++) {   /* spread ids, decimal and text, through many doublings */
    snprintf(s, sizeof s, i % 3 ? "%llu" : "x%llu", (unsigned long long)(i * 7919));
    cr_assert_eq(add(&t, s, i + 1), 0, "%s", s);
  }
  for (uint64_t i = 0; i < 300000; i += 997) {
    snprintf(s, sizeof s, i % 3 ? "%llu" : "x%llu", (unsigned long long)(i * 7919));
    cr_assert_eq(add(&t, s, 1000000), i + 1, "%s", s);
  }
  cr_assert_lt(idset_bytes(&t), (size_t)300000 * 40, "a compact set: %zu bytes", idset_bytes(&t));
  idset_free(&t);
}

Test(idset, record_numbers_saturate) {
  IdSet t;
  idset_init(&t);
  cr_assert_eq(add(&t, "5", (uint64_t)UINT32_MAX + 10), 0);
  cr_assert_eq(add(&t, "5", 1), UINT32_MAX);
  idset_free(&t);
}

/* ---- the spilled runs (runtime/idspill.c): memory flat in the number of ids ---- */

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

/* id number i as text: decimal for two in three, "G..." for the others */
static const char *id_text(char *s, size_t cap, uint64_t i) {
  snprintf(s, cap, i % 3 ? "%llu" : "G%07llu", (unsigned long long)i);
  return s;
}

/*
** A spill every 1,000 ids: 60,000 ids make 60 runs. Every id seen again -- right after its run was
** written, or 59 runs later -- gives the record that had it first, and nothing new is taken for a
** repeat. The memory beside the runs stays that of 1,000 ids and the filter (a few bytes an id).
*/
Test(idset, duplicates_far_apart_beyond_many_spills) {
  IdSet t;
  idset_init(&t);
  t.run_ids = 1000;
  char s[32];
  for (uint64_t i = 0; i < 60000; i++) cr_assert_eq(add(&t, id_text(s, sizeof s, i * 7), i + 1), 0, "%s", s);
  cr_assert_eq(t.spill.nruns, 60);
  for (uint64_t i = 0; i < 60000; i += 37)
    cr_assert_eq(add(&t, id_text(s, sizeof s, i * 7), 100000 + i), i + 1, "%s", s);
  for (uint64_t i = 1; i < 60000; i += 101)   /* near misses: between the ids, never seen */
    cr_assert_eq(add(&t, id_text(s, sizeof s, i * 7 + 3), 200000 + i), 0, "%s", s);
  cr_assert_null(idset_error(&t));
  cr_assert_lt(idset_bytes(&t), (size_t)400000, "the ids in memory: %zu bytes", idset_bytes(&t));
  idset_free(&t);
}

/*
** Near collisions: text ids a byte apart, "7" beside "07" and "007" across spills, and text ids that
** share their key (a weak hash: sixteen keys for all of them), so every lookup in the runs has to
** compare the text itself.
*/
Test(idset, near_collisions_and_shared_keys_across_spills) {
  idset_test_weak_hash(true);
  IdSet t;
  idset_init(&t);
  t.run_ids = 300;
  char s[40];
  uint64_t rec = 0;
  for (int i = 0; i < 3000; i++) {
    snprintf(s, sizeof s, "dossier-%04d", i);
    cr_assert_eq(add(&t, s, ++rec), 0, "%s", s);
    snprintf(s, sizeof s, "dossier-%04d ", i);   /* a trailing space: another id */
    cr_assert_eq(add(&t, s, ++rec), 0, "%s", s);
  }
  cr_assert_eq(add(&t, "7", ++rec), 0);
  for (int i = 0; i < 400; i++) {   /* push "7" into a run */
    snprintf(s, sizeof s, "%d", 100000 + i);
    add(&t, s, ++rec);
  }
  cr_assert_eq(add(&t, "007", ++rec), 0, "'007' is not '7'");
  cr_assert_eq(add(&t, "07", ++rec), 0, "'07' is not '7'");
  cr_assert_eq(add(&t, "7", ++rec), 6001);
  for (int i = 0; i < 3000; i += 7) {
    snprintf(s, sizeof s, "dossier-%04d", i);
    cr_assert_eq(add(&t, s, 999999), (uint32_t)(2 * i + 1), "%s", s);
    snprintf(s, sizeof s, "dossier-%04d ", i);
    cr_assert_eq(add(&t, s, 999999), (uint32_t)(2 * i + 2), "'%s'", s);
    snprintf(s, sizeof s, "dossier-%04dx", i);
    cr_assert_eq(add(&t, s, 999999), 0, "%s is new", s);
  }
  cr_assert_null(idset_error(&t));
  idset_free(&t);
  idset_test_weak_hash(false);
}

/* The temporary file: in $TMPDIR, gone from the folder at once (the process keeps it open). */
Test(idset, the_temporary_file_is_in_tmpdir_and_never_left) {
  char dir[] = "/tmp/dagloon-idset-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  setenv("TMPDIR", dir, 1);
  IdSet t;
  idset_init(&t);
  t.run_ids = 100;
  char s[32];
  for (uint64_t i = 0; i < 1000; i++) add(&t, id_text(s, sizeof s, i), i + 1);
  cr_assert_eq(t.spill.nruns, 10);
  struct stat st;
  cr_assert(fstat(t.spill.fd, &st) == 0);
  cr_assert_eq(st.st_mode & 0777, 0600);
  cr_assert_eq(st.st_nlink, 0, "the file is unlinked");
  DIR *d = opendir(dir);
  int entries = 0;
  for (struct dirent *e; (e = readdir(d));) entries += e->d_name[0] != '.';
  closedir(d);
  cr_assert_eq(entries, 0);
  idset_free(&t);
  rmdir(dir);
}

/*
** A full disk (a file size limit, as a full file system answers a write: an error, not a signal) and
** a $TMPDIR that is no folder: the set says why and answers no more, never a silent "new".
*/
Test(idset, a_full_temporary_disk_is_an_error) {
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit lim = {8192, 8192};
  cr_assert(setrlimit(RLIMIT_FSIZE, &lim) == 0);
  setenv("TMPDIR", "/tmp", 1);
  IdSet t;
  idset_init(&t);
  t.run_ids = 100;
  char s[32];
  uint64_t i = 0;
  for (; i < 10000 && !idset_error(&t); i++) add(&t, id_text(s, sizeof s, i), i + 1);
  cr_assert_not_null(idset_error(&t), "10,000 ids of 16 bytes each went into 8 KiB");
  cr_assert(strstr(idset_error(&t), "cannot write the ids seen to a temporary file in /tmp"), "%s", idset_error(&t));
  cr_assert_lt(i, 10000);
  cr_assert_eq(add(&t, id_text(s, sizeof s, 0), 99999), 0);   /* no more answers */
  idset_free(&t);

  setenv("TMPDIR", "/nonexistent/folder", 1);
  idset_init(&t);
  t.run_ids = 100;
  for (i = 0; i < 200 && !idset_error(&t); i++) add(&t, id_text(s, sizeof s, i), i + 1);
  cr_assert_not_null(idset_error(&t));
  cr_assert(strstr(idset_error(&t), "cannot make a temporary file for the ids seen in /nonexistent/folder"), "%s",
            idset_error(&t));
  idset_free(&t);
}
