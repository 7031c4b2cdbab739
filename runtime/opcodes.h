/*
** opcodes.h: the Opcode enum and its tables, expanded from opcodes.def,
** and the instruction layout.
*/
#ifndef DAGLOON_OPCODES_H
#define DAGLOON_OPCODES_H

#include <stdint.h>

typedef enum Opcode {
#define OP(name, a, b, c, syn) OP_##name,
#include "opcodes.def"
#undef OP
  OP__COUNT
} Opcode;

/*
** One instruction: 8 bytes. `x` is reserved (0). b doubles as a signed
** 16-bit jump offset or immediate for operand kinds 'J' and 'S'.
*/
typedef struct Instr {
  uint8_t op;     /* Opcode */
  uint8_t x;      /* 0, except MUL_ROUND_MONEY: its rounding method */
  uint16_t a;
  uint16_t b;
  uint16_t c;
} Instr;

#define INSTR_SB(ins) ((int16_t)(ins).b)

extern const char *const op_name[OP__COUNT];       /* "ADD_MONEY" */
extern const char *const op_synopsis[OP__COUNT];   /* "R[A] := R[B] + R[C] ..." */
extern const char op_operands[OP__COUNT][3];       /* operand kind letters for A, B, C */

#endif
