/*
** chunk.c: building, freeing and disassembling a Chunk (see chunk.h), and
** turning byte offsets into line:column for every message that points at
** the rule source. The disassembly format is used by golden tests: change
** it only together with them.
*/
#include "chunk.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "mem.h"
#include "num.h"

/*
** A Chunk made by chunk_new is the first member of a ChunkImpl, which also
** owns every Text handed out by chunk_text (texts that never became a
** constant are freed too, and a text used by two constants only once).
*/
typedef struct ChunkImpl {
  Chunk c;
  Text **texts;
  size_t ntexts, captexts;
} ChunkImpl;

Chunk *chunk_new(void) {
  ChunkImpl *impl = xcalloc(1, sizeof *impl);
  impl->c.schema.input = -1;
  impl->c.schema.key_field = -1;
  impl->c.benefit_duration = impl->c.benefit_then = BENEFIT_NO_COLUMN;
  return &impl->c;
}

uint32_t chunk_add_file(Chunk *c, const char *name, const char *text, uint32_t len) {
  c->files = xrealloc(c->files, ((size_t)c->nfiles + 1) * sizeof *c->files);
  ChunkFile *f = &c->files[c->nfiles];
  f->name = xstrdup(name);
  f->text = xstrndup(text, len);
  f->len = len;
  f->lines = NULL;
  f->nlines = 0;
  chunk_index_file(c, c->nfiles);
  return c->nfiles++;
}

void chunk_index_file(Chunk *c, uint32_t i) {
  ChunkFile *f = &c->files[i];
  size_t n = 0, cap = 0;
  xfree(f->lines);
  f->lines = NULL;
  for (const char *p = f->text, *end = f->text + f->len; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
    VEC_PUSH(f->lines, n, cap, (uint32_t)(p - f->text) + 1);
  f->nlines = (uint32_t)n;
}

/*
** The arrays grow one element at a time (realloc amortises): the compiler
** or a bundle loader may also have filled them directly, so there is no
** hidden capacity to keep in step.
*/
uint32_t chunk_add_const(Chunk *c, TypeRef t, Value v) {
  size_t n = (size_t)c->nconsts + 1;
  c->consts = xrealloc(c->consts, n * sizeof *c->consts);
  c->ktypes = xrealloc(c->ktypes, n * sizeof *c->ktypes);
  c->consts[c->nconsts] = v;
  c->ktypes[c->nconsts] = t;
  return c->nconsts++;
}

const Text *chunk_text(Chunk *c, const char *s, size_t len) {
  ChunkImpl *impl = (ChunkImpl *)c;
  Text *t = xmalloc(sizeof(Text) + len + 1);
  t->len = (uint32_t)len;
  if (len) memcpy(t->bytes, s, len);
  t->bytes[len] = 0;
  VEC_PUSH(impl->texts, impl->ntexts, impl->captexts, t);
  return t;
}

static void free_proto(Proto *p) {
  xfree(p->name);
  xfree(p->source);
  xfree(p->label);
  xfree(p->code);
  xfree(p->spans);
  xfree(p->regtypes);
}

void chunk_free(Chunk *c) {
  if (!c) return;
  ChunkImpl *impl = (ChunkImpl *)c;
  for (uint32_t i = 0; i < c->nprotos; i++) free_proto(&c->protos[i]);
  xfree(c->protos);
  for (uint32_t i = 0; i < c->noutputs; i++) xfree(c->outputs[i].name);
  xfree(c->outputs);
  for (uint32_t i = 0; i < c->nfiles; i++) {
    xfree(c->files[i].name);
    xfree(c->files[i].text);
    xfree(c->files[i].lines);
  }
  xfree(c->files);
  for (size_t i = 0; i < impl->ntexts; i++) xfree(impl->texts[i]);
  xfree(impl->texts);
  xfree(c->consts);
  xfree(c->ktypes);
  for (uint32_t i = 0; i < c->ntables; i++) table_free(&c->tables[i]);
  xfree(c->tables);
  for (uint32_t i = 0; i < c->ncovers; i++) {
    xfree(c->covers[i].label);
    xfree(c->covers[i].source);
    xfree(c->covers[i].reader_label);
  }
  xfree(c->covers);
  xfree(c->revsites);
  for (uint32_t i = 0; i < c->nnatives; i++) chunk_native_clear(&c->natives[i]);
  xfree(c->natives);
  native_close(c->native_handle);   /* a native bundle's code: nothing runs it any more */
  schema_free(&c->schema);
  xfree(impl);
}

/* ---- source positions ---- */

void srcpos_line_col(const char *text, uint32_t len, uint32_t off, uint32_t *line, uint32_t *col) {
  uint32_t l = 1, k = 1;
  if (off > len) off = len;
  /* A UTF-8 byte order mark takes no column: editors do not show it. */
  uint32_t start = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 && off >= 3 ? 3 : 0;
  for (uint32_t i = start; i < off; i++) {
    unsigned char ch = (unsigned char)text[i];
    if (ch == '\n') {
      l++;
      k = 1;
    } else if ((ch & 0xC0) != 0x80) {
      k++;
    }
  }
  *line = l;
  *col = k;
}

void chunk_line_col(const Chunk *c, Span s, uint32_t *line, uint32_t *col) {
  if (s.file >= c->nfiles) {
    *line = 0;
    *col = 0;
    return;
  }
  const ChunkFile *f = &c->files[s.file];
  if (!f->lines || s.off < 3) {
    srcpos_line_col(f->text, f->len, s.off, line, col);
    return;
  }
  /* the last line start at or before off, then count characters from there */
  uint32_t off = s.off > f->len ? f->len : s.off, lo = 0, hi = f->nlines;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->lines[mid] <= off) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) {   /* on the first line: the byte order mark rule applies */
    srcpos_line_col(f->text, f->len, off, line, col);
    return;
  }
  uint32_t k = 1;
  for (uint32_t b = f->lines[lo - 1]; b < off; b++)
    if (((unsigned char)f->text[b] & 0xC0) != 0x80) k++;
  *line = lo + 1;
  *col = k;
}

const char *chunk_location(const Chunk *c, Span s, char *buf, size_t cap) {
  if (s.file >= c->nfiles) {
    snprintf(buf, cap, "?");
    return buf;
  }
  uint32_t line, col;
  chunk_line_col(c, s, &line, &col);
  snprintf(buf, cap, "%s:%" PRIu32 ":%" PRIu32, c->files[s.file].name, line, col);
  return buf;
}

/* ---- disassembly ---- */

static const char *const method_name[ROUND__COUNT] = {
  "rekenkundig", "naar_boven", "naar_beneden", "richting_nul", "weg_van_nul",
};

/* A text constant in quotes ("..."), with \" \\ \n \t and \xNN escapes. */
static void print_quoted(FILE *out, const Text *t) {
  fputc('"', out);
  for (uint32_t i = 0; i < t->len; i++) {
    unsigned char ch = (unsigned char)t->bytes[i];
    if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
    else if (ch == '\n') fputs("\\n", out);
    else if (ch == '\t') fputs("\\t", out);
    else if (ch < 0x20 || ch == 0x7f) fprintf(out, "\\x%02x", ch);
    else fputc(ch, out);
  }
  fputc('"', out);
}

static void print_value(FILE *out, const Chunk *c, TypeRef t, Value v) {
  char buf[256];
  switch (t.kind) {
  case VK_BOOL: fputs(v.i ? "true" : "false", out); break;
  case VK_INT: fprintf(out, "%" PRId64, v.i); break;
  case VK_DEC:
    dec_format(v.dec, buf, sizeof buf);
    fputs(buf, out);
    break;
  case VK_MONEY:
    money_format(v.i, buf, sizeof buf);
    fputs(buf, out);
    break;
  case VK_DATE:
    if (v.i >= date_from_ymd(DATE_MIN_YEAR, 1, 1) && v.i <= date_from_ymd(DATE_MAX_YEAR, 12, 31)) {
      date_format(v.i, buf);
      fputs(buf, out);
    } else {
      fprintf(out, "day %" PRId64, v.i);
    }
    break;
  case VK_TEXT:
    if (v.text) print_quoted(out, v.text);
    else fputs("(null)", out);
    break;
  case VK_ENUM:
    if (t.ref < c->schema.nenums && v.i >= 0 && (uint64_t)v.i < c->schema.enums[t.ref].nmembers)
      fputs(c->schema.enums[t.ref].members[v.i], out);
    else
      fprintf(out, "#%" PRId64, v.i);
    break;
  case VK_RECORD: fputs("(record)", out); break;
  case VK_LIST: fputs("(list)", out); break;
  case VK_PERIOD: {
    char b2[16];
    date_format(v.per.lo, buf);
    date_format(v.per.hi, b2);
    fprintf(out, "%s/%s", buf, b2);
    break;
  }
  case VK_DAYS: fprintf(out, "%" PRId64 " dagen", v.i); break;
  case VK_MONTHS: fprintf(out, "%" PRId64 " maanden", v.i); break;
  case VK_YEARS: fprintf(out, "%" PRId64 " jaren", v.i); break;
  default: fputs("?", out); break;
  }
}

/* The record type a FIELD/INPUT operand refers to, or NULL if it is out of range. */
static const RecordType *record_of(const Chunk *c, uint32_t ref) {
  return ref < c->schema.nrecords ? &c->schema.records[ref] : NULL;
}

/*
** The bracketed note after the synopsis: a constant's value, a field's or
** rule's name, a jump's absolute target. Nothing for other operand kinds.
** Every index is range-checked: the disassembler must also show chunks the
** verifier refused.
*/
static void print_resolved(FILE *out, const Chunk *c, const Proto *p, uint32_t pc, Instr ins) {
  const char *kinds = op_operands[ins.op];
  uint16_t ops[3] = {ins.a, ins.b, ins.c};
  for (int j = 0; j < 3; j++) {
    uint16_t v = ops[j];
    switch (kinds[j]) {
    case 'K':
      fputs(" [", out);
      if (v >= c->nconsts) {
        fputs("no such constant", out);
      } else if (ins.op == OP_ROUND_MONEY && c->ktypes[v].kind == VK_INT) {
        int64_t spec = c->consts[v].i;
        int64_t unit = spec / 8, m = spec % 8;
        fprintf(out, "%" PRId64 " = %" PRId64 " cent%s, %s", spec, unit, unit == 1 ? "" : "s",
                m >= 0 && m < ROUND__COUNT ? method_name[m] : "?");
      } else if (ins.op == OP_ROUND_DEC && c->ktypes[v].kind == VK_INT) {
        int64_t spec = c->consts[v].i;
        int64_t places = spec / 8, m = spec % 8;
        fprintf(out, "%" PRId64 " = %" PRId64 " decimal%s, %s", spec, places, places == 1 ? "" : "s",
                m >= 0 && m < ROUND__COUNT ? method_name[m] : "?");
      } else {
        print_value(out, c, c->ktypes[v], c->consts[v]);
      }
      fputc(']', out);
      break;
    case 'F': {
      const RecordType *rt = NULL;
      if (ins.op == OP_INPUT && c->schema.input >= 0) rt = record_of(c, (uint32_t)c->schema.input);
      else if (ins.op == OP_FIELD && ins.b < p->nregs && p->regtypes[ins.b].kind == VK_RECORD)
        rt = record_of(c, p->regtypes[ins.b].ref);
      fprintf(out, " [%s]", rt && v < rt->nfields ? rt->fields[v].name : "no such field");
      break;
    }
    case 'R':
      fprintf(out, " [%s]", v < c->nprotos && c->protos[v].name ? c->protos[v].name : "no such rule");
      break;
    case 'T':
      fprintf(out, " [%s]", v < c->ntables && c->tables[v].name ? c->tables[v].name : "no such table");
      break;
    case 'J':
      fprintf(out, " [-> %" PRId64 "]", (int64_t)pc + 1 + (int16_t)v);
      break;
    default: break;
    }
  }
  if (ins.op == OP_MUL_ROUND_MONEY)
    fprintf(out, " [1 cent, %s]", ins.x < ROUND__COUNT ? method_name[ins.x] : "?");
  if (ins.op == OP_REVISE && ins.b < c->nrevsites) {
    const RevisionSite *rs = &c->revsites[ins.b];
    int64_t unit = rs->spec / 8, m = rs->spec % 8;
    fprintf(out, " [%s R%u by %s after R%u through R%u, %" PRId64 " cent%s, %s]", rs->money ? "money" : "decimal",
            rs->amount, rs->table < c->ntables && c->tables[rs->table].name ? c->tables[rs->table].name : "no such table",
            rs->after, rs->through, unit, unit == 1 ? "" : "s", m >= 0 && m < ROUND__COUNT ? method_name[m] : "?");
  }
}

static void print_instr(FILE *out, const Chunk *c, const Proto *p, uint32_t pc) {
  Instr ins = p->code[pc];
  if (ins.op >= OP__COUNT) {
    fprintf(out, "  %4" PRIu32 "  %-14s  %u %u %u %u\n", pc, "(bad opcode)", ins.op, ins.a, ins.b,
            ins.c);
    return;
  }
  const char *kinds = op_operands[ins.op];
  uint16_t ops[3] = {ins.a, ins.b, ins.c};
  char operands[40];
  size_t n = 0;
  for (int j = 0; j < 3; j++) {
    if (kinds[j] == '_') continue;
    int w;
    if (kinds[j] == 'J' || kinds[j] == 'S')
      w = snprintf(operands + n, sizeof operands - n, "%s%d", n ? " " : "", (int)(int16_t)ops[j]);
    else
      w = snprintf(operands + n, sizeof operands - n, "%s%u", n ? " " : "", (unsigned)ops[j]);
    n += (size_t)w;
  }
  operands[n] = 0;
  fprintf(out, "  %4" PRIu32 "  %-14s  %-12s  ; %s", pc, op_name[ins.op], operands, op_synopsis[ins.op]);
  print_resolved(out, c, p, pc, ins);
  if (c->nfiles > 0 && p->spans) {
    char loc[300];
    fprintf(out, "  ; %s", chunk_location(c, p->spans[pc], loc, sizeof loc));
  }
  fputc('\n', out);
}

void chunk_disasm(const Chunk *c, FILE *out) {
  char tbuf[160], loc[300];
  fputs("; constants\n", out);
  for (uint32_t i = 0; i < c->nconsts; i++) {
    fprintf(out, "K%" PRIu32 "  %s  ", i, schema_type_name(&c->schema, c->ktypes[i], tbuf, sizeof tbuf));
    print_value(out, c, c->ktypes[i], c->consts[i]);
    fputc('\n', out);
  }
  for (uint32_t r = 0; r < c->nprotos; r++) {
    const Proto *p = &c->protos[r];
    fprintf(out, "\nrule %" PRIu32 " %s: %s", r, p->name ? p->name : "?",
            schema_type_name(&c->schema, p->result, tbuf, sizeof tbuf));
    if (c->nfiles > 0) fprintf(out, "  ; %s", chunk_location(c, p->span, loc, sizeof loc));
    fprintf(out, "  ; %u register%s\n", (unsigned)p->nregs, p->nregs == 1 ? "" : "s");
    if (p->source && p->source[0]) fprintf(out, "  ; bron: %s\n", p->source);
    for (uint32_t pc = 0; pc < p->ncode; pc++) print_instr(out, c, p, pc);
  }
  if (c->noutputs > 0) fputs("\n; outputs\n", out);
  for (uint32_t i = 0; i < c->noutputs; i++) {
    const OutputDesc *o = &c->outputs[i];
    fprintf(out, "O%" PRIu32 "  %s  %s  <- ", i, o->name ? o->name : "?",
            schema_type_name(&c->schema, o->type, tbuf, sizeof tbuf));
    if (o->from == OUT_RULE)
      fprintf(out, "rule %" PRIu32 " %s\n", o->index,
              o->index < c->nprotos && c->protos[o->index].name ? c->protos[o->index].name : "?");
    else if (c->schema.input >= 0 && (uint32_t)c->schema.input < c->schema.nrecords &&
             o->index < c->schema.records[c->schema.input].nfields)
      fprintf(out, "input %s\n", c->schema.records[c->schema.input].fields[o->index].name);
    else
      fprintf(out, "input field %" PRIu32 "\n", o->index);
  }
}

const ChunkNative *chunk_native_of(const Chunk *c, uint32_t proto) {
  if (proto >= c->nprotos || !c->protos[proto].name) return NULL;
  for (uint32_t i = 0; i < c->nnatives; i++)
    if (c->natives[i].rule && strcmp(c->natives[i].rule, c->protos[proto].name) == 0) return &c->natives[i];
  return NULL;
}

void chunk_native_clear(ChunkNative *cn) {
  xfree(cn->rule);
  xfree(cn->library);
  xfree(cn->symbol);
  native_close(cn->handle);
  memset(cn, 0, sizeof *cn);
}
