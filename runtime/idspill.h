/*
** idspill.h: the ids a run has seen and no longer keeps in memory (idset.c
** spills them here every IDSET_RUN ids), so that the memory of a run stays
** flat however many dossiers it reads. Each spill is one sorted run in a
** temporary file: 16-byte entries (the id's key, the record that had it,
** where its text is) and the text of the run's non-decimal ids. In memory
** stay, per run, its smallest and largest key and the key of every 256th
** entry; and over all runs one blocked Bloom filter (about 12-24 bits an id,
** rebuilt from the file at twice the size when it fills). A key the filter
** has not seen is new without a look at the file; any other is looked up
** exactly in the runs whose key range holds it (a read of one 4 KiB block,
** and of the text of a text id whose key matches), so a false positive of the
** filter costs a read, never a wrong answer.
**
** The file is made with mkstemp in $TMPDIR (else /tmp), mode 0600, and
** unlinked at once (gone when the process ends, however it ends). Every write
** and read is checked: a failure is kept as a message and the set answers no
** more (the reader stops with that message as an error row).
*/
#ifndef DAGLOON_IDSPILL_H
#define DAGLOON_IDSPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One id as a run keeps it: its key (a decimal id: its value; other ids: a hash with bit 63 set),
   the record that had it first, and for a text id the offset of its NUL-terminated text in the
   run's text, else UINT32_MAX. */
typedef struct IdEntry {
  uint64_t key;
  uint32_t recno;
  uint32_t text;
} IdEntry;

typedef struct IdRun IdRun;

typedef struct IdSpill {
  int fd;                 /* the temporary file, when opened (a zeroed IdSpill is an empty one) */
  bool opened;
  uint64_t end;           /* bytes written to it */
  IdRun *runs;
  size_t nruns, capruns;
  uint32_t *bloom;        /* 8 words a block */
  size_t nblocks;
  uint64_t nkeys;         /* keys in the runs */
  uint64_t bloom_cap;     /* keys the filter takes before it is rebuilt larger */
  char error[300];        /* the first failure; "" while none */
} IdSpill;

void idspill_init(IdSpill *s);
void idspill_free(IdSpill *s);

/* Writes e[0..n) (sorted here) and their text (pool[0..npool)) as a new run. False on failure (s->error). */
bool idspill_add_run(IdSpill *s, IdEntry *e, size_t n, const char *pool, size_t npool);

/* The record that had the id (key, and for a text id its bytes) in a run, 0 if none; 0 with s->error set
   on failure. */
uint32_t idspill_find(IdSpill *s, uint64_t key, const char *text, size_t n);

/* The bytes kept in memory (the filter and the runs' index). */
size_t idspill_bytes(const IdSpill *s);

#endif
