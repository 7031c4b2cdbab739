/*
** unverified.h: the column `ongeverifieerd` of `run --mark-unverified` and
** of compare's per-dossier rows: the 'unverified' table rows a result used,
** as TABLE@KEY (a date table's row by its first day), ordered by table
** name and key, e.g. "dagloonherziening@2026-01-01;maximumdagloon@2026-07-01"
** in CSV and ["dagloonherziening@2026-01-01","maximumdagloon@2026-07-01"] in
** JSON Lines; empty when the result rests on none.
*/
#ifndef DAGLOON_UNVERIFIED_H
#define DAGLOON_UNVERIFIED_H

#include "runtime/chunk.h"
#include "runtime/mem.h"
#include "runtime/recio.h"
#include "runtime/vm.h"

#define UNVERIFIED_COLUMN "ongeverifieerd"

/* The column's type: tekst in CSV, lijst tekst in JSON Lines. */
TypeRef unverified_type(RecFormat fmt);

/* The rows of the VM's last dossier (vm_mark_unverified on) as the column's value, in `a`. */
Value unverified_value(const Chunk *c, const Vm *vm, RecFormat fmt, Arena *a);

/* The same rows as one text joined by ';' ("" when none), in `a`. */
const char *unverified_text(const Chunk *c, const Vm *vm, Arena *a);

#endif
