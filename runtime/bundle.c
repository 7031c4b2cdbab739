/*
** bundle.c: saving a Chunk to a file and loading it back (see bundle.h).
**
** Writing fills a memory buffer and writes it once, with its checksum.
** Reading takes the whole file into memory and walks it with a cursor that
** checks every length against what is left, so a truncated or hostile
** file ends in a message, never in a read past the end or an allocation
** the file cannot back. The result then goes through verify_chunk.
*/
#include "bundle.h"
#include "i18n.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "bundlesig.h"
#include "mem.h"
#include "native_bundle.h"
#include "regfile.h"
#include "verify.h"

static const char MAGIC[8] = {'D', 'A', 'G', 'L', 'O', 'O', 'N', 'B'};

/* 64-bit FNV-1a: detects a damaged file, not an attack (the verifier guards the VM). */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
  const uint8_t *p = data;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
#define FNV_START 0xcbf29ce484222325ULL

uint64_t bundle_checksum(const void *data, size_t n) { return fnv1a(FNV_START, data, n); }

uint64_t bundle_opcode_signature(void) {
  uint64_t h = FNV_START;
  for (int op = 0; op < OP__COUNT; op++) {
    h = fnv1a(h, op_name[op], strlen(op_name[op]) + 1);
    h = fnv1a(h, op_operands[op], 3);
  }
  uint8_t kinds = VK__COUNT;
  return fnv1a(h, &kinds, 1);
}

/* ---- writing ---- */

typedef struct Writer {
  uint8_t *buf;
  size_t n, cap;
  char *err;
  size_t errcap;
  bool failed;
} Writer;

static void put(Writer *w, const void *p, size_t n) {
  vec_reserve((void **)&w->buf, &w->cap, w->n + n, 1);
  memcpy(w->buf + w->n, p, n);
  w->n += n;
}

static void put_u8(Writer *w, uint8_t v) { put(w, &v, 1); }

static void put_u16(Writer *w, uint16_t v) {
  uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
  put(w, b, 2);
}

static void put_u32(Writer *w, uint32_t v) {
  uint8_t b[4];
  for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
  put(w, b, 4);
}

static void put_u64(Writer *w, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i));
  put(w, b, 8);
}

static void put_i64(Writer *w, int64_t v) { put_u64(w, (uint64_t)v); }

/* A string: u32 length and its bytes; NULL is length 0xFFFFFFFF. */
static void put_bytes(Writer *w, const char *s, uint32_t len) {
  if (!s) {
    put_u32(w, UINT32_MAX);
    return;
  }
  put_u32(w, len);
  put(w, s, len);
}

static void put_str(Writer *w, const char *s) { put_bytes(w, s, s ? (uint32_t)strlen(s) : 0); }

static void put_type(Writer *w, TypeRef t) {
  put_u8(w, t.kind);
  put_u8(w, t.elem);
  put_u16(w, t.ref);
}

static void put_span(Writer *w, Span s) {
  put_u32(w, s.file);
  put_u32(w, s.off);
  put_u32(w, s.len);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void wfail(Writer *w, const char *fmt, ...) {
  if (w->failed) return;
  w->failed = true;
  va_list ap;
  va_start(ap, fmt);
  if (w->err && w->errcap) vsnprintf(w->err, w->errcap, _(fmt), ap);   /* wfail and load_fail: xgettext keywords */
  va_end(ap);
}

/* A value of type t; `what` names it if the format cannot hold its kind. */
static void put_value(Writer *w, TypeRef t, Value v, const char *what) {
  switch (t.kind) {
  case VK_BOOL: case VK_INT: case VK_MONEY: case VK_DATE: case VK_ENUM:
  case VK_DAYS: case VK_MONTHS: case VK_YEARS:
    put_i64(w, v.i);
    break;
  case VK_DEC:
    put_i64(w, v.dec.num);
    put_i64(w, v.dec.den);
    break;
  case VK_PERIOD:
    put_i64(w, v.per.lo);
    put_i64(w, v.per.hi);
    break;
  case VK_TEXT:
    put_bytes(w, v.text ? v.text->bytes : NULL, v.text ? v.text->len : 0);
    break;
  default:
    wfail(w, "%s is a %s value, which a bundle cannot hold", what, vk_name((ValueKind)t.kind));
  }
}

static void put_schema(Writer *w, const Schema *s) {
  put_u32(w, s->nenums);
  for (uint32_t i = 0; i < s->nenums; i++) {
    put_str(w, s->enums[i].name);
    put_u32(w, s->enums[i].nmembers);
    for (uint32_t m = 0; m < s->enums[i].nmembers; m++) put_str(w, s->enums[i].members[m]);
    for (uint32_t m = 0; m < s->enums[i].nmembers; m++) put_str(w, s->enums[i].labels ? s->enums[i].labels[m] : NULL);
  }
  put_u32(w, s->nrecords);
  for (uint32_t i = 0; i < s->nrecords; i++) {
    const RecordType *r = &s->records[i];
    put_str(w, r->name);
    put_u32(w, r->nfields);
    for (uint32_t f = 0; f < r->nfields; f++) {
      put_str(w, r->fields[f].name);
      put_type(w, r->fields[f].type);
      put_u8(w, r->fields[f].optional);
      put_str(w, r->fields[f].label);
      put_u32(w, r->fields[f].values);
    }
  }
  put_i64(w, s->input);
  put_i64(w, s->key_field);
}

static void put_proto(Writer *w, const Proto *p) {
  put_str(w, p->name);
  put_str(w, p->source);
  put_str(w, p->label);
  put_span(w, p->span);
  put_type(w, p->result);
  put_u32(w, p->ncode);
  for (uint32_t pc = 0; pc < p->ncode; pc++) {
    Instr i = p->code[pc];
    put_u8(w, i.op);
    put_u8(w, i.x);
    put_u16(w, i.a);
    put_u16(w, i.b);
    put_u16(w, i.c);
  }
  put_u8(w, p->spans != NULL);
  if (p->spans)
    for (uint32_t pc = 0; pc < p->ncode; pc++) put_span(w, p->spans[pc]);
  put_u16(w, p->nregs);
  for (uint32_t r = 0; r < p->nregs; r++) put_type(w, p->regtypes[r]);
  put_u16(w, p->nparams);
}

static void put_table(Writer *w, const Table *t) {
  put_str(w, t->name);
  put_str(w, t->path);
  put_u8(w, t->kind);
  put_type(w, t->keytype);
  put_type(w, t->valtype);
  put_i64(w, t->from);
  put_i64(w, t->to);
  put_u32(w, t->nrows);
  for (uint32_t i = 0; i < t->nrows; i++) {
    const TableRow *r = &t->rows[i];
    put_i64(w, r->key);
    put_i64(w, r->until);
    char what[300];
    snprintf(what, sizeof what, "row %" PRIu32 " of table '%s'", i + 1, t->name ? t->name : "?");
    put_value(w, t->valtype, r->value, what);
    put_u8(w, r->status);
    put_u8(w, r->unknown);
    put_u32(w, r->line);
    put_str(w, r->source);
    put_str(w, r->note);
  }
}

/* One chunk: schema, constants, rules, outputs, files, tables, coverage points, herzien sites, natives. */
static void put_body(Writer *w, const Chunk *c) {
  put_schema(w, &c->schema);
  put_u32(w, c->nconsts);
  for (uint32_t k = 0; k < c->nconsts; k++) {
    char what[64];
    snprintf(what, sizeof what, "constant K%" PRIu32, k);
    put_type(w, c->ktypes[k]);
    put_value(w, c->ktypes[k], c->consts[k], what);
  }
  put_u32(w, c->nprotos);
  for (uint32_t i = 0; i < c->nprotos; i++) put_proto(w, &c->protos[i]);
  put_u32(w, c->noutputs);
  for (uint32_t i = 0; i < c->noutputs; i++) {
    put_str(w, c->outputs[i].name);
    put_u8(w, c->outputs[i].from);
    put_u32(w, c->outputs[i].index);
    put_type(w, c->outputs[i].type);
  }
  put_u8(w, c->benefit_period);
  put_u32(w, c->benefit_output);
  put_u32(w, c->benefit_duration);
  put_u32(w, c->benefit_then);
  put_u32(w, c->nfiles);
  for (uint32_t i = 0; i < c->nfiles; i++) {
    put_str(w, c->files[i].name);
    put_bytes(w, c->files[i].text, c->files[i].len);
  }
  put_u32(w, c->ntables);
  for (uint32_t i = 0; i < c->ntables; i++) put_table(w, &c->tables[i]);
  put_u32(w, c->ncovers);
  for (uint32_t i = 0; i < c->ncovers; i++) {
    const CoverPoint *cp = &c->covers[i];
    put_u8(w, cp->kind);
    put_u32(w, (uint32_t)cp->reg);
    put_u32(w, cp->rule);
    put_str(w, cp->label);
    put_str(w, cp->source);
    put_str(w, cp->reader_label);
    put_span(w, cp->span);
  }
  put_u32(w, c->nrevsites);
  for (uint32_t i = 0; i < c->nrevsites; i++) {
    const RevisionSite *rs = &c->revsites[i];
    put_u32(w, rs->proto);
    put_u16(w, rs->amount);
    put_u16(w, rs->after);
    put_u16(w, rs->through);
    put_u8(w, rs->money);
    put_u32(w, rs->table);
    put_i64(w, rs->spec);
  }
  /* native functions: what to load (the library itself stays outside: the operator allows it at run time) */
  put_u32(w, c->nnatives);
  for (uint32_t i = 0; i < c->nnatives; i++) {
    const ChunkNative *cn = &c->natives[i];
    put_str(w, cn->rule);
    put_str(w, cn->library);
    put_str(w, cn->symbol);
    put_span(w, cn->where);
    put_u8(w, cn->fn.sig.nparams);
    for (unsigned k = 0; k < cn->fn.sig.nparams; k++) put_u8(w, cn->fn.sig.params[k]);
    put_u8(w, cn->fn.sig.result);
  }

}

/* A u64 length at `at`, filled in once what it measures is written. */
static void fill_length(Writer *w, size_t at, uint64_t len) {
  for (int i = 0; i < 8 && !w->failed; i++) w->buf[at + (size_t)i] = (uint8_t)(len >> (8 * i));
}

bool bundle_write(const Chunk *c, const char *engine_version, FILE *out, char *err, size_t cap) {
  return bundle_write_traced(c, NULL, engine_version, out, err, cap);
}

bool bundle_write_traced(const Chunk *c, const Chunk *traced, const char *engine_version, FILE *out, char *err,
                         size_t cap) {
  return bundle_write_signed(c, traced, engine_version, NULL, out, err, cap);
}

bool bundle_write_signed(const Chunk *c, const Chunk *traced, const char *engine_version, const BundleKey *key,
                         FILE *out, char *err, size_t cap) {
  Writer w = {NULL, 0, 0, err, cap, false};
  put(&w, MAGIC, sizeof MAGIC);
  put_u32(&w, BUNDLE_FORMAT);
  put_u64(&w, bundle_opcode_signature());
  put_str(&w, engine_version);
  size_t len_at = w.n;
  put_u64(&w, 0);   /* body length, filled in below */
  size_t body = w.n;
  put_body(&w, c);
  fill_length(&w, len_at, w.n - body);
  size_t tlen_at = w.n;
  put_u64(&w, 0);   /* the traced body's length: 0 for none */
  size_t tbody = w.n;
  if (traced) put_body(&w, traced);
  fill_length(&w, tlen_at, w.n - tbody);
  put_u64(&w, fnv1a(FNV_START, w.buf, w.n));
  if (key) {   /* the operator's signature: a trailer after the bundle's own bytes (bundlesig.h) */
    uint8_t trailer[BUNDLE_SIG_BYTES];
    bundle_sign(key, w.buf, w.n, trailer);
    put(&w, trailer, sizeof trailer);
  }
  bool ok = !w.failed;
  if (ok && (fwrite(w.buf, 1, w.n, out) != w.n || fflush(out) != 0)) {
    wfail(&w, "cannot write the bundle: %s", strerror(errno));
    ok = false;
  }
  xfree(w.buf);
  return ok;
}

/* ---- reading ---- */

typedef struct Reader {
  const uint8_t *p, *end, *start;
  bool bad;
  char *err;
  size_t errcap;
} Reader;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void rfail(Reader *r, const char *fmt, ...) {
  if (r->bad) return;
  r->bad = true;
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (r->err && r->errcap)
    snprintf(r->err, r->errcap, "%s (at byte %zu)", msg, (size_t)(r->p - r->start));
}

static const uint8_t *take(Reader *r, size_t n) {
  if (r->bad) return NULL;
  if ((size_t)(r->end - r->p) < n) {
    rfail(r, "the bundle is truncated");
    return NULL;
  }
  const uint8_t *q = r->p;
  r->p += n;
  return q;
}

/* Little-endian values at b (the compiler makes each one load). */
static inline uint16_t le16(const uint8_t *b) { return (uint16_t)(b[0] | b[1] << 8); }
static inline uint32_t le32(const uint8_t *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24; }
static inline uint64_t le64(const uint8_t *b) { return le32(b) | (uint64_t)le32(b + 4) << 32; }

static uint8_t get_u8(Reader *r) {
  const uint8_t *b = take(r, 1);
  return b ? b[0] : 0;
}
static uint16_t get_u16(Reader *r) {
  const uint8_t *b = take(r, 2);
  return b ? le16(b) : 0;
}
static uint32_t get_u32(Reader *r) {
  const uint8_t *b = take(r, 4);
  return b ? le32(b) : 0;
}
static uint64_t get_u64(Reader *r) {
  const uint8_t *b = take(r, 8);
  return b ? le64(b) : 0;
}
static int64_t get_i64(Reader *r) { return (int64_t)get_u64(r); }

/*
** A count of items that take at least `min_bytes` each: more than the rest
** of the file could hold is corrupt (and would otherwise allocate without
** limit).
*/
static uint32_t get_count(Reader *r, size_t min_bytes, const char *what) {
  uint32_t n = get_u32(r);
  if (!r->bad && (uint64_t)n * min_bytes > (uint64_t)(r->end - r->p)) {
    rfail(r, "corrupt bundle: %" PRIu32 " %s cannot fit in the rest of the file", n, what);
    return 0;
  }
  return r->bad ? 0 : n;
}

/* A string as a malloc'd NUL-terminated copy; *len gets its length. NULL for the NULL marker. */
static char *get_bytes(Reader *r, uint32_t *len, bool allow_null, bool allow_nul_bytes) {
  uint32_t n = get_u32(r);
  if (len) *len = 0;
  if (r->bad) return NULL;
  if (n == UINT32_MAX) {
    if (!allow_null) rfail(r, "corrupt bundle: a missing string where one is required");
    return NULL;
  }
  const uint8_t *b = take(r, n);
  if (!b) return NULL;
  if (!allow_nul_bytes && memchr(b, 0, n)) {
    rfail(r, "corrupt bundle: a name with a NUL byte");
    return NULL;
  }
  char *s = xmalloc((size_t)n + 1);
  memcpy(s, b, n);
  s[n] = 0;
  if (len) *len = n;
  return s;
}

static char *get_str(Reader *r) {
  char *s = get_bytes(r, NULL, false, false);
  return s ? s : xstrdup("");
}

/* A human label: absent (NULL), or text a page can show -- not empty, no control characters. */
static char *get_label(Reader *r) {
  uint32_t n;
  char *s = get_bytes(r, &n, true, false);
  if (!s) return NULL;
  bool ok = n > 0;
  for (uint32_t i = 0; ok && i < n; i++) ok = (unsigned char)s[i] >= 0x20 && s[i] != 0x7f;
  if (!ok) {
    rfail(r, "corrupt bundle: an empty label or one with control characters");
    xfree(s);
    return NULL;
  }
  return s;
}

static TypeRef get_type(Reader *r) {
  TypeRef t;
  t.kind = get_u8(r);
  t.elem = get_u8(r);
  t.ref = get_u16(r);
  return t;
}

static Span span_at(const uint8_t *b) { return (Span){le32(b), le32(b + 4), le32(b + 8)}; }

static Span get_span(Reader *r) {
  const uint8_t *b = take(r, 12);
  return b ? span_at(b) : (Span){0, 0, 0};
}

/* A value of type t. Texts: through chunk_text when c is given, else a malloc'd Text (table rows). */
static Value get_value(Reader *r, Chunk *c, TypeRef t, bool allow_null_text) {
  Value v;
  memset(&v, 0, sizeof v);
  switch (t.kind) {
  case VK_BOOL: case VK_INT: case VK_MONEY: case VK_DATE: case VK_ENUM:
  case VK_DAYS: case VK_MONTHS: case VK_YEARS:
    v.i = get_i64(r);
    break;
  case VK_DEC:
    v.dec.num = get_i64(r);
    v.dec.den = get_i64(r);
    break;
  case VK_PERIOD:
    v.per.lo = get_i64(r);
    v.per.hi = get_i64(r);
    break;
  case VK_TEXT: {
    uint32_t n;
    char *s = get_bytes(r, &n, allow_null_text, true);
    if (!s) break;
    if (c) {
      v.text = chunk_text(c, s, n);
    } else {
      Text *t2 = xmalloc(sizeof(Text) + n + 1);
      t2->len = n;
      memcpy(t2->bytes, s, (size_t)n + 1);
      v.text = t2;
    }
    xfree(s);
    break;
  }
  default:
    rfail(r, "corrupt bundle: a value of kind %u", t.kind);
  }
  return v;
}

static void get_schema(Reader *r, Schema *s) {
  s->nenums = get_count(r, 8, "enums");
  s->enums = xcalloc(s->nenums ? s->nenums : 1, sizeof *s->enums);
  for (uint32_t i = 0; i < s->nenums && !r->bad; i++) {
    EnumType *e = &s->enums[i];
    e->name = get_str(r);
    uint32_t n = get_count(r, 4, "enum members");
    e->members = xcalloc(n ? n : 1, sizeof *e->members);
    for (uint32_t m = 0; m < n && !r->bad; m++) e->members[e->nmembers++] = get_str(r);
    for (uint32_t m = 0; m < e->nmembers && !r->bad; m++) {
      char *l = get_label(r);
      if (l && !e->labels) e->labels = xcalloc(e->nmembers, sizeof *e->labels);
      if (l) e->labels[m] = l;
    }
  }
  s->nrecords = get_count(r, 8, "record types");
  s->records = xcalloc(s->nrecords ? s->nrecords : 1, sizeof *s->records);
  for (uint32_t i = 0; i < s->nrecords && !r->bad; i++) {
    RecordType *rt = &s->records[i];
    rt->name = get_str(r);
    uint32_t n = get_count(r, 9, "fields");
    rt->fields = xcalloc(n ? n : 1, sizeof *rt->fields);
    for (uint32_t f = 0; f < n && !r->bad; f++) {
      FieldDesc *fd = &rt->fields[rt->nfields++];
      fd->name = get_str(r);
      fd->type = get_type(r);
      fd->optional = get_u8(r);
      fd->label = get_label(r);
      fd->values = get_u32(r);
    }
  }
  /* 'waarden K': a keuze of this schema, on a tekst field (optioneel or not) */
  for (uint32_t i = 0; i < s->nrecords && !r->bad; i++)
    for (uint32_t f = 0; f < s->records[i].nfields; f++) {
      const FieldDesc *fd = &s->records[i].fields[f];
      TypeRef t = fd->type;
      bool text = t.kind == VK_TEXT || (fd->optional && t.kind == VK_LIST && t.elem == VK_TEXT);
      if (fd->values > s->nenums || (fd->values && !text)) rfail(r, "corrupt bundle: a field's values keuze");
    }
  int64_t input = get_i64(r), key = get_i64(r);
  if (input < -1 || input > INT32_MAX || key < -1 || key > INT32_MAX) rfail(r, "corrupt bundle: bad input record");
  s->input = (int32_t)input;
  s->key_field = (int32_t)key;
}

static void get_proto(Reader *r, Proto *p) {
  p->name = get_str(r);
  p->source = get_str(r);
  p->label = get_label(r);
  p->span = get_span(r);
  p->result = get_type(r);
  uint32_t n = get_count(r, 8, "instructions");
  p->code = xcalloc(n ? n : 1, sizeof *p->code);
  const uint8_t *b = take(r, (size_t)n * 8);   /* get_count checked they fit: decoded in one pass */
  for (uint32_t pc = 0; b && pc < n; pc++, b += 8) p->code[pc] = (Instr){b[0], b[1], le16(b + 2), le16(b + 4), le16(b + 6)};
  p->ncode = r->bad ? 0 : n;
  if (get_u8(r)) {
    if ((uint64_t)p->ncode * 12 > (uint64_t)(r->end - r->p)) rfail(r, "the bundle is truncated");
    p->spans = xcalloc(p->ncode ? p->ncode : 1, sizeof *p->spans);
    b = take(r, (size_t)p->ncode * 12);
    for (uint32_t pc = 0; b && pc < p->ncode; pc++, b += 12) p->spans[pc] = span_at(b);
  }
  p->nregs = get_u16(r);
  if ((uint64_t)p->nregs * 4 > (uint64_t)(r->end - r->p)) rfail(r, "the bundle is truncated");
  p->regtypes = xcalloc(p->nregs ? p->nregs : 1, sizeof *p->regtypes);
  for (uint32_t k = 0; k < p->nregs && !r->bad; k++) p->regtypes[k] = get_type(r);
  if (r->bad) p->nregs = 0;
  p->nparams = get_u16(r);
}

static void get_table(Reader *r, Table *t) {
  t->name = get_str(r);
  t->path = get_str(r);
  t->kind = get_u8(r);
  t->keytype = get_type(r);
  t->valtype = get_type(r);
  t->from = get_i64(r);
  t->to = get_i64(r);
  if (!r->bad && t->valtype.kind >= VK__COUNT) rfail(r, "corrupt bundle: table '%s' has a bad value type", t->name);
  uint32_t n = get_count(r, 30, "table rows");
  t->rows = xcalloc(n ? n : 1, sizeof *t->rows);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    TableRow *row = &t->rows[t->nrows++];
    row->key = get_i64(r);
    row->until = get_i64(r);
    row->value = get_value(r, NULL, t->valtype, true);
    row->status = get_u8(r);
    row->unknown = get_u8(r);
    row->line = get_u32(r);
    row->source = get_str(r);
    row->note = get_str(r);
  }
}

/* The body, into a fresh chunk. Returns false (message set) when the bytes are not a chunk. */
static bool get_body(Reader *r, Chunk *c) {
  get_schema(r, &c->schema);
  uint32_t n = get_count(r, 12, "constants");
  c->consts = xcalloc(n ? n : 1, sizeof *c->consts);
  c->ktypes = xcalloc(n ? n : 1, sizeof *c->ktypes);
  for (uint32_t k = 0; k < n && !r->bad; k++) {
    c->ktypes[k] = get_type(r);
    c->consts[k] = get_value(r, c, c->ktypes[k], false);
    c->nconsts++;
  }
  n = get_count(r, 40, "rules");
  c->protos = xcalloc(n ? n : 1, sizeof *c->protos);
  for (uint32_t i = 0; i < n && !r->bad; i++) get_proto(r, &c->protos[c->nprotos++]);
  n = get_count(r, 13, "outputs");
  c->outputs = xcalloc(n ? n : 1, sizeof *c->outputs);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    OutputDesc *o = &c->outputs[c->noutputs++];
    o->name = get_str(r);
    o->from = get_u8(r);
    o->index = get_u32(r);
    o->type = get_type(r);
  }
  c->benefit_period = get_u8(r);
  c->benefit_output = get_u32(r);
  if (!r->bad && c->benefit_period != BENEFIT_NONE &&
      (c->benefit_period > BENEFIT_YEAR || c->benefit_output >= c->noutputs ||
       c->outputs[c->benefit_output].type.kind != VK_MONEY))
    rfail(r, "corrupt bundle: the benefit is not a geld output column per month or year");
  c->benefit_duration = get_u32(r);
  c->benefit_then = get_u32(r);
  if (!r->bad && c->benefit_duration != BENEFIT_NO_COLUMN &&
      (c->benefit_period == BENEFIT_NONE || c->benefit_duration >= c->noutputs ||
       c->outputs[c->benefit_duration].type.kind != VK_INT))
    rfail(r, "corrupt bundle: the benefit's duration is not a geheel output column");
  if (!r->bad && c->benefit_then != BENEFIT_NO_COLUMN &&
      (c->benefit_duration == BENEFIT_NO_COLUMN || c->benefit_then >= c->noutputs ||
       c->outputs[c->benefit_then].type.kind != VK_MONEY))
    rfail(r, "corrupt bundle: the benefit after the duration is not a geld output column");
  n = get_count(r, 8, "files");
  c->files = xcalloc(n ? n : 1, sizeof *c->files);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    ChunkFile *f = &c->files[c->nfiles++];
    f->name = get_str(r);
    f->text = get_bytes(r, &f->len, false, true);
    if (!f->text) f->text = xstrdup("");
    chunk_index_file(c, c->nfiles - 1);
  }
  n = get_count(r, 8, "tables");
  c->tables = xcalloc(n ? n : 1, sizeof *c->tables);
  for (uint32_t i = 0; i < n && !r->bad; i++) get_table(r, &c->tables[c->ntables++]);
  n = get_count(r, 33, "coverage points");
  c->covers = xcalloc(n ? n : 1, sizeof *c->covers);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    CoverPoint *cp = &c->covers[c->ncovers++];
    cp->kind = get_u8(r);
    cp->reg = (int32_t)get_u32(r);
    cp->rule = get_u32(r);
    cp->label = get_str(r);
    cp->source = get_str(r);
    cp->reader_label = get_label(r);
    cp->span = get_span(r);
  }
  n = get_count(r, 23, "herzien call sites");
  c->revsites = xcalloc(n ? n : 1, sizeof *c->revsites);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    RevisionSite *rs = &c->revsites[c->nrevsites++];
    rs->proto = get_u32(r);
    rs->amount = get_u16(r);
    rs->after = get_u16(r);
    rs->through = get_u16(r);
    rs->money = get_u8(r);
    rs->table = get_u32(r);
    rs->spec = get_i64(r);
  }
  n = get_count(r, 8, "native functions");
  c->natives = xcalloc(n ? n : 1, sizeof *c->natives);   /* final size: a prepared call points into its entry */
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    ChunkNative *cn = &c->natives[c->nnatives++];
    cn->rule = get_str(r);
    cn->library = get_str(r);
    cn->symbol = get_str(r);
    cn->where = get_span(r);
    cn->fn.sig.nparams = get_u8(r);
    if (cn->fn.sig.nparams > NATIVE_MAX_PARAMS) {
      rfail(r, "corrupt bundle: native function with %u parameters", cn->fn.sig.nparams);
      break;
    }
    for (unsigned k = 0; k < cn->fn.sig.nparams; k++) cn->fn.sig.params[k] = get_u8(r);
    cn->fn.sig.result = get_u8(r);
  }
  if (!r->bad && r->p != r->end) rfail(r, "corrupt bundle: %zu bytes after the last section", (size_t)(r->end - r->p));
  return !r->bad;
}

BundleKind bundle_kind(const char *path) {
  /* a bundle is a regular file: looking into /dev/stdin would eat the rules piped there (EINVAL: not one) */
  FILE *f = fopen_regular(path);
  if (!f) return errno == ENOENT || errno == ENOTDIR || errno == EINVAL ? BUNDLE_NOT : BUNDLE_UNREADABLE;
  char head[sizeof MAGIC];
  size_t got = fread(head, 1, sizeof head, f);
  BundleKind k = got == sizeof head && memcmp(head, MAGIC, sizeof MAGIC) == 0 ? BUNDLE_YES
                 : got >= 4 && memcmp(head, "\177ELF", 4) == 0                ? BUNDLE_NATIVE
                 : got < sizeof head && ferror(f) && errno != EISDIR   ? BUNDLE_UNREADABLE
                                                                       : BUNDLE_NOT;
  fclose(f);
  return k;
}

bool bundle_is(const char *path) { return bundle_kind(path) == BUNDLE_YES; }

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static Chunk *load_fail(char *err, size_t cap, const char *path, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, _(fmt), ap);
  va_end(ap);
  if (err && cap) snprintf(err, cap, "%s: %s", path, msg);
  return NULL;
}

Chunk *bundle_read(const char *path, char *err, size_t cap) { return bundle_read_traced(path, NULL, err, cap); }

Chunk *bundle_read_traced(const char *path, Chunk **traced, char *err, size_t cap) {
  if (traced) *traced = NULL;
  if (native_bundle_is(path)) return native_bundle_read(path, traced, err, cap);   /* compile --native */
  FILE *f = fopen(path, "rb");
  if (!f) return load_fail(err, cap, path, "cannot open: %s", strerror(errno));
  uint8_t *buf = NULL;
  size_t n = 0, bufcap = 0;
  struct stat st;   /* sized once for the whole file (one more byte to see its end): no copy as it grows */
  if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2)
    vec_reserve((void **)&buf, &bufcap, (size_t)st.st_size + 1, 1);
  for (;;) {
    vec_reserve((void **)&buf, &bufcap, n + 65536, 1);
    size_t got = fread(buf + n, 1, bufcap - n, f);
    n += got;
    if (got == 0) break;
  }
  int read_errno = errno;
  bool read_error = ferror(f);
  fclose(f);
  if (read_error) {
    xfree(buf);
    return load_fail(err, cap, path, "cannot read: %s", strerror(read_errno));
  }

  Chunk *c = bundle_read_mem_traced(buf, n, path, traced, err, cap);
  xfree(buf);
  return c;
}

/*
** One body (r->p .. r->end) into a chunk with its native libraries loaded and the verifier
** passed; NULL with the message in err. `what` names it in messages ("" or "traced code: ").
*/
static Chunk *read_chunk(Reader *r, const char *path, const char *what, bool trusted, char *msg, char *err,
                         size_t cap) {
  Chunk *c = chunk_new();
  if (!get_body(r, c)) {
    chunk_free(c);
    return load_fail(err, cap, path, "%s%s", what, msg);
  }
  /* the native libraries, as when the rules were compiled: only those the operator allows */
  for (uint32_t i = 0; i < c->nnatives; i++) {
    ChunkNative *cn = &c->natives[i];
    char why[1200], where[600];
    NativeSig nsig = cn->fn.sig;
    void (*fn)(void) = NULL;
    bool sane = cn->library && cn->symbol && cn->where.file < c->nfiles &&
                (uint64_t)cn->where.off + cn->where.len <= c->files[cn->where.file].len;
    bool ok = sane &&
              (cn->handle = native_open(native_allowed(), cn->library, &cn->origin, why, sizeof why)) != NULL &&
              native_lookup(cn->handle, cn->symbol, &nsig, &fn, why, sizeof why) == NATIVE_FOUND &&
              native_prepare(&cn->fn, fn, &nsig, why, sizeof why);
    if (!ok) {
      if (!sane) {
        snprintf(why, sizeof why, "a corrupt native function entry");
        snprintf(where, sizeof where, "?");
      } else {
        chunk_location(c, cn->where, where, sizeof where);
      }
      chunk_free(c);
      return load_fail(err, cap, path, "%snative function at %s: %s", what, where, why);
    }
  }
  char verr[512];   /* trusted: signed with the operator's key, so verified when it was compiled */
  if (!trusted && !verify_chunk(c, verr, sizeof verr)) {
    chunk_free(c);
    return load_fail(err, cap, path, "%srejected by the bytecode verifier: %s", what, verr);
  }
  return c;
}

Chunk *bundle_read_mem(const void *data, size_t n, const char *path, char *err, size_t cap) {
  return bundle_read_mem_traced(data, n, path, NULL, err, cap);
}

Chunk *bundle_read_mem_traced(const void *data, size_t n, const char *path, Chunk **traced, char *err, size_t cap) {
  if (traced) *traced = NULL;
  const uint8_t *buf = data;
  /* the operator's own bundle (signed with the key it trusts) skips the checksum and the verifier */
  BundleSigState signature = bundle_sig_check(bundle_key(), data, n, &n);
  if (signature == BUNDLE_SIGNED_BAD)
    return load_fail(err, cap, path, "signed with your key, but altered since (the signature does not match): "
                     "not loaded");
  bool trusted = signature == BUNDLE_SIGNED_OK;
  Reader r = {buf, buf + n, buf, false, NULL, 0};
  char msg[400] = "";
  r.err = msg;
  r.errcap = sizeof msg;
  const uint8_t *magic = take(&r, sizeof MAGIC);
  if (!magic || memcmp(magic, MAGIC, sizeof MAGIC) != 0)
    return load_fail(err, cap, path, "not a dagloon bundle (make one with: dagloon compile RULES -o FILE)");
  uint32_t format = get_u32(&r);
  uint64_t sig = get_u64(&r);
  char *made_by = get_bytes(&r, NULL, true, false);
  const char *by = made_by ? made_by : "?";
  if (!r.bad && (format != BUNDLE_FORMAT || sig != bundle_opcode_signature())) {
    load_fail(err, cap, path, "made by dagloon %s with %s; this engine cannot run it: compile the rules again "
              "(dagloon compile RULES -o FILE)", by,
              format != BUNDLE_FORMAT ? "another bundle format" : "another opcode list");
    xfree(made_by);
    return NULL;
  }
  xfree(made_by);
  /* body | u64 traced length | traced body | u64 checksum: the lengths account for every byte */
  uint64_t blen = get_u64(&r);
  const uint8_t *tlen_at = NULL;
  uint64_t tlen = 0;
  if (!r.bad && (n < 8 || (size_t)(r.end - r.p) < 16 || blen > (uint64_t)(r.end - r.p) - 16)) {
    rfail(&r, "the bundle is truncated or has bytes added");
  } else if (!r.bad) {
    tlen_at = r.p + blen;
    for (int i = 0; i < 8; i++) tlen |= (uint64_t)tlen_at[i] << (8 * i);
    if (tlen != (uint64_t)(r.end - tlen_at) - 16) rfail(&r, "the bundle is truncated or has bytes added");
  }
  if (!r.bad && !trusted) {
    uint64_t stored = 0;
    for (int i = 0; i < 8; i++) stored |= (uint64_t)buf[n - 8 + (size_t)i] << (8 * i);
    if (fnv1a(FNV_START, buf, n - 8) != stored) rfail(&r, "the bundle is damaged (checksum mismatch)");
  }
  if (r.bad) return load_fail(err, cap, path, "%s", msg);
  r.end = tlen_at;
  Chunk *c = read_chunk(&r, path, "", trusted, msg, err, cap);
  if (!c || !traced || tlen == 0) return c;
  Reader t = {tlen_at + 8, tlen_at + 8 + tlen, buf, false, msg, sizeof msg};
  *traced = read_chunk(&t, path, "its traced code: ", trusted, msg, err, cap);
  if (!*traced) {
    chunk_free(c);
    return NULL;
  }
  return c;
}
