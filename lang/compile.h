/*
** compile.h: checked Program -> Chunk. The compiler sees the runtime only
** through chunk.h/opcodes.h/value.h, the way SQLite's code generator sees
** only vdbe.h. It reports no user errors the checker could have caught;
** the only ones it can raise are limits (a rule too large for 16-bit
** registers or jumps).
*/
#ifndef DAGLOON_COMPILE_H
#define DAGLOON_COMPILE_H

#include "check.h"
#include "diag.h"
#include "runtime/chunk.h"

/*
** Compile every rule of p into a new Chunk. The schema is moved from p into
** the chunk (p->schema is left empty). Returns NULL after reporting into d.
**
** CG_COVERAGE: emit COVER instructions (versions and exceptions taken,
** inlined rules evaluated) for test suites; a production run leaves them
** out. CG_TRACE: code for explanations: coverage points with the peildatum
** of each version, points for exceptions that did not apply, and no rule
** inlined (so every rule shows up in the trace).
*/
enum { CG_PLAIN = 0, CG_COVERAGE = 1, CG_TRACE = 2 };
Chunk *cg_program(Program *p, DiagList *d, int mode);

#endif
