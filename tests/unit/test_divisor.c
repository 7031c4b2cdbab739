/*
** test_divisor.c: division by a kept reciprocal (runtime/divisor.h) gives
** the quotient and remainder of the hardware division, for divisors and
** dividends at the edges of 64 bits and for many drawn at random.
*/
#include <criterion/criterion.h>
#include <stdint.h>

#include "runtime/divisor.h"

static void check(uint64_t x, uint64_t d) {
  Divisor v;
  divisor_set(&v, d);
  uint64_t r, q = divisor_divide(&v, x, &r);
  cr_assert(q == x / d && r == x % d, "%llu / %llu: %llu rest %llu", (unsigned long long)x, (unsigned long long)d,
            (unsigned long long)q, (unsigned long long)r);
}

Test(divisor, edges) {
  const uint64_t ds[] = {1, 2, 3, 5, 7, 10, 100, 10000, 30450, 1u << 31, (1ull << 32) - 1, 1ull << 32,
                         (1ull << 32) + 1, (1ull << 63) - 1, 1ull << 63, (1ull << 63) + 1, UINT64_MAX - 1, UINT64_MAX};
  for (size_t i = 0; i < sizeof ds / sizeof *ds; i++) {
    uint64_t d = ds[i];
    const uint64_t xs[] = {0, 1, d - 1, d, d + 1, 2 * d - 1, 2 * d, 1ull << 62, (1ull << 63) - 1, 1ull << 63,
                           UINT64_MAX - d, UINT64_MAX - 1, UINT64_MAX};
    for (size_t j = 0; j < sizeof xs / sizeof *xs; j++) check(xs[j], d);
  }
}

Test(divisor, random) {
  uint64_t s = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 2000000; i++) {
    s ^= s << 13;   /* xorshift64 */
    s ^= s >> 7;
    s ^= s << 17;
    uint64_t x = s >> (s & 63);
    uint64_t d = (s * 0xD6E8FEB86659FD93ull) >> ((s >> 8) & 63);
    check(x, d ? d : 1);
  }
}
