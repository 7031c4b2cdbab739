/*
** trace.h: what the VM did for one dossier, step by step, when asked
** (vm_set_trace): every rule evaluated and its value, every rule used
** again, every input field read, table row looked up, rounding and
** revision step, and the versions and exceptions taken or passed over.
** dagloon explain turns it into a tree; the events stay in execution
** order, so nesting follows from RULE ... VALUE pairs.
**
** Values that live in the dossier's arena (texts, lists, records) are
** valid until the arena is reset: render the trace before that.
*/
#ifndef DAGLOON_TRACE_H
#define DAGLOON_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include "value.h"

typedef enum TraceKind {
  TRACE_RULE = 0,   /* rule `index` starts (its code runs); `args` are its parameters, if any */
  TRACE_VALUE,      /* the rule that started last ends with value v */
  TRACE_USE,        /* rule `index`, evaluated earlier for this dossier, is used again: v */
  TRACE_INPUT,      /* input field `index` read: v */
  TRACE_ROW,        /* table `index`, row `row` looked up for key v */
  TRACE_ROUND,      /* a rounding: exact v (a getal) to w, by `method` to `unit` (cents, or decimals if `places`) */
  TRACE_REVISE,     /* herzien: v (cents) revised by table `index` after day `after` through `through` gives w */
  TRACE_STEP,       /* one revision of the TRACE_REVISE before it: row `row` of table `index` took v to w (cents) */
  TRACE_POINT,      /* coverage point `index` of the chunk was reached (a version taken, an exception applied or
                       not); for a version, v is the peildatum */
  TRACE_AS_KNOWN,   /* 'zoals bekend op': from here the facts are as known on day v, until TRACE_AS_KNOWN_END */
  TRACE_LEFT_OUT,   /* KNOWN left line `index` (0-based) of a list out: v the line (type its record); `after` the day it
                       became known; `through` the day the facts are as known on (INT64_MAX: now); `row` 0 when it
                       became known after that day, else 1 + the line that replaces it, known on day `unit`
                       (`after`, `unit`: INT64_MIN when the line does not give its day, only in the view of now) */
  TRACE_AS_KNOWN_END, /* back to the facts as known now */
  TRACE__COUNT
} TraceKind;

typedef struct TraceEvent {
  uint8_t kind;       /* TraceKind */
  uint8_t method;     /* TRACE_ROUND: RoundMethod */
  uint8_t places;     /* TRACE_ROUND: 1 when `unit` counts decimals (afgerond(..., decimalen: n)) */
  uint8_t then;       /* TRACE_RULE, TRACE_USE: 1 inside 'zoals bekend op' (the values of then, memoised apart) */
  uint32_t rule;      /* the rule whose code made the event */
  uint32_t pc;        /* its instruction */
  uint32_t index;     /* rule, field, table or coverage point, by kind */
  uint32_t row;       /* TRACE_ROW, TRACE_STEP */
  int64_t unit;       /* TRACE_ROUND */
  int64_t after, through;   /* TRACE_REVISE */
  TypeRef type;       /* of v */
  Value v, w;
  size_t args;        /* TRACE_RULE of a rule with parameters: its values are argbuf[args ..] (nparams of them) */
} TraceEvent;

typedef struct Trace {
  TraceEvent *ev;
  size_t n, cap;
  Value *argbuf;      /* parameter copies, freed with the trace */
  size_t nargs, capargs;
  size_t limit;       /* at most this many events (0: 1,000,000); beyond it `truncated` is set */
  int truncated;
} Trace;

void trace_init(Trace *t);
void trace_clear(Trace *t);   /* for the next dossier */
void trace_free(Trace *t);

/* Appends an event (a copy); drops it and sets `truncated` past the limit. */
void trace_add(Trace *t, const TraceEvent *e);

/* Keeps a copy of n parameter values; returns their position in argbuf. */
size_t trace_keep_args(Trace *t, const Value *args, size_t n);

const char *trace_kind_name(TraceKind k);   /* "rule", "value", ... (for debugging and tests) */

#endif
