/*
** opcodes.c: name, synopsis and operand tables expanded from opcodes.def.
*/
#include "opcodes.h"

const char *const op_name[OP__COUNT] = {
#define OP(name, a, b, c, syn) #name,
#include "opcodes.def"
#undef OP
};

const char *const op_synopsis[OP__COUNT] = {
#define OP(name, a, b, c, syn) syn,
#include "opcodes.def"
#undef OP
};

const char op_operands[OP__COUNT][3] = {
#define OP(name, a, b, c, syn) {a, b, c},
#include "opcodes.def"
#undef OP
};
