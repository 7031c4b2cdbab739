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
