/*
** divisor.h: dividing by the same number many times at the cost of a
** multiplication. A divisor keeps its reciprocal m = floor((2^64 - 1) / d);
** the high half of x * m is the quotient or falls short of it by at most 2
** (m is within 2^64/d of 2^64/d - 1), and the remainder's correction makes
** it exact. A hardware division takes 15 to 90 cycles, this a few: the VM
** keeps the last denominator it rounded by (MUL_ROUND_MONEY), which in a
** loop over months is nearly always the one it needs next.
*/
#ifndef DAGLOON_DIVISOR_H
#define DAGLOON_DIVISOR_H

#include <stdint.h>

typedef struct Divisor {
  uint64_t d;     /* 0: not set */
  uint64_t m;     /* floor((2^64 - 1) / d) */
} Divisor;

static inline void divisor_set(Divisor *v, uint64_t d) {   /* d >= 1 */
  v->d = d;
  v->m = UINT64_MAX / d;
}

/* x / d, exactly, and the remainder in *r. */
static inline uint64_t divisor_divide(const Divisor *v, uint64_t x, uint64_t *r) {
  __extension__ unsigned __int128 product = (unsigned __int128)x * v->m;
  uint64_t q = (uint64_t)(product >> 64);
  uint64_t rest = x - q * v->d;
  while (rest >= v->d) {   /* at most twice */
    q++;
    rest -= v->d;
  }
  *r = rest;
  return q;
}

#endif
