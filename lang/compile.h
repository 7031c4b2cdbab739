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
*/
/*
** with_coverage: emit COVER instructions (versions and exceptions taken,
** inlined rules evaluated) for test suites; a production run leaves them out.
*/
Chunk *cg_program(Program *p, DiagList *d, bool with_coverage);

#endif
