/*
** tracefile.c: the compact trace file (see tracefile.h; the format is docs/TRACE.md).
**
** Writing costs what the events cost: each is a few varints into one buffer that is reused
** for every dossier and written out in blocks of a megabyte. Values are written by the type the
** rules give them, so no tag is stored; a record or list met again in the same dossier (the
** dossier's wage lines, read once per month) is written once and named by number after that,
** which also keeps "the same line" the same object when it is read back.
*/
#include "tools/tracefile.h"

#include <errno.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "runtime/bundle.h"
#include "runtime/i18n.h"
#include "runtime/num.h"
#include "runtime/strutil.h"
#include "tools/version.h"

static const char MAGIC[8] = {'D', 'L', 'G', 'T', 'R', 'A', 'C', 'E'};
#define FRAME 8             /* a record's length and the CRC-32 of its body (u32s, little-endian) */
#define BLOCK (1u << 20)    /* written out when a megabyte has gathered */
#define MAX_DEPTH 32        /* records in lists in records ...: more is refused */

enum { REC_HEADER = 'H', REC_DOSSIER = 'D', REC_END = 'E' };
enum { D_ERROR = 1, D_TRUNCATED = 2 };

static void sha256_of(const uint8_t *p, size_t n, uint8_t out[SHA256_DIGEST_SIZE]) {
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, n, p);
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

bool tracefile_rules_hash(const Chunk *c, char hex[65], char *err, size_t cap) {
  char *mem = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&mem, &len);
  if (!m) {
    snprintf(err, cap, "out of memory");
    return false;
  }
  bool ok = bundle_write(c, "", m, err, cap);
  fclose(m);
  if (ok) {
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_of((const uint8_t *)mem, len, d);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof d; i++) {
      hex[2 * i] = digits[d[i] >> 4];
      hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
  }
  free(mem);   /* open_memstream's: libc's memory */
  return ok;
}

bool tracefile_named(const char *path) {
  size_t n = strlen(path);
  return n > 7 && strcmp(path + n - 7, ".dtrace") == 0;
}

/* The static type of a list's items, and of a field. */
static TypeRef item_type(TypeRef list) { return (TypeRef){list.elem, 0, list.ref}; }

/* ================================================================ writing */

typedef struct Slot {
  const void *p;
  uint32_t gen;      /* the dossier it was seen in (a stale one is free) */
  uint32_t obj;
} Slot;

struct TraceWriter {
  FILE *f;
  const Chunk *c;
  uint8_t *buf;      /* records not yet written out */
  size_t n, cap;
  uint64_t dossiers;
  int err;           /* the first failed write's errno */
  Slot *slots;       /* records and lists written in this dossier: pointer -> number */
  size_t nslots, used;
  uint32_t gen, nobj;
  int64_t last_day, last_cents;   /* days and amounts are written as the difference from the one before */
};

static void need(TraceWriter *w, size_t k) {
  if (w->n + k <= w->cap) return;
  size_t cap = w->cap ? w->cap : BLOCK + BLOCK / 2;
  while (cap < w->n + k) cap *= 2;
  w->buf = xrealloc(w->buf, cap);
  w->cap = cap;
}

static inline void put_u(TraceWriter *w, uint64_t x) {
  need(w, 10);
  uint8_t *p = w->buf + w->n;
  while (x >= 0x80) {
    *p++ = (uint8_t)(x | 0x80);
    x >>= 7;
  }
  *p++ = (uint8_t)x;
  w->n = (size_t)(p - w->buf);
}

static inline void put_s(TraceWriter *w, int64_t x) { put_u(w, ((uint64_t)x << 1) ^ (uint64_t)(x >> 63)); }

/* The difference from the last one, in wrapping arithmetic (INT64_MIN and INT64_MAX mark "none"). */
static int64_t diff(int64_t x, int64_t last) { return (int64_t)((uint64_t)x - (uint64_t)last); }
static int64_t undiff(int64_t d, int64_t last) { return (int64_t)((uint64_t)last + (uint64_t)d); }

static void put_day(TraceWriter *w, int64_t day) {
  put_s(w, diff(day, w->last_day));
  w->last_day = day;
}

static void put_cents(TraceWriter *w, int64_t cents) {
  put_s(w, diff(cents, w->last_cents));
  w->last_cents = cents;
}

static void put_byte(TraceWriter *w, uint8_t b) {
  need(w, 1);
  w->buf[w->n++] = b;
}

static void put_bytes(TraceWriter *w, const void *p, size_t n) {
  put_u(w, n);
  need(w, n);
  if (n) memcpy(w->buf + w->n, p, n);
  w->n += n;
}

static void put_str(TraceWriter *w, const char *s) { put_bytes(w, s ? s : "", s ? strlen(s) : 0); }

static void put_type(TraceWriter *w, TypeRef t) {
  put_byte(w, t.kind);
  put_byte(w, t.elem);
  put_u(w, t.ref);
}

static size_t slot_of(const TraceWriter *w, const void *p) {
  size_t mask = w->nslots - 1, h = (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & mask;
  while (w->slots[h].gen == w->gen && w->slots[h].p != p) h = (h + 1) & mask;
  return h;
}

/* The number of an object written before in this dossier, or -1. */
static int64_t seen(const TraceWriter *w, const void *p) {
  size_t h = slot_of(w, p);
  return w->slots[h].gen == w->gen ? (int64_t)w->slots[h].obj : -1;
}

static void remember(TraceWriter *w, const void *p) {
  if (2 * (w->used + 1) > w->nslots) {   /* at most half full: grow, keeping this dossier's */
    Slot *old = w->slots;
    size_t n = w->nslots;
    w->nslots = n ? 2 * n : 1024;
    w->slots = xcalloc(w->nslots, sizeof *w->slots);
    for (size_t i = 0; i < n; i++)
      if (old[i].gen == w->gen) w->slots[slot_of(w, old[i].p)] = old[i];
    xfree(old);
  }
  size_t h = slot_of(w, p);
  w->slots[h] = (Slot){p, w->gen, w->nobj++};
  w->used++;
}

static void put_value(TraceWriter *w, TypeRef t, Value v) {
  switch ((ValueKind)t.kind) {
  case VK_DEC:
    put_s(w, v.dec.num);
    put_s(w, v.dec.den);
    return;
  case VK_PERIOD:
    put_day(w, v.per.lo);
    put_s(w, diff(v.per.hi, v.per.lo));
    return;
  case VK_DATE:
    put_day(w, v.i);
    return;
  case VK_MONEY:
    put_cents(w, v.i);
    return;
  case VK_TEXT:
    if (!v.text) put_u(w, 0);
    else {
      put_u(w, (uint64_t)v.text->len + 1);
      need(w, v.text->len);
      memcpy(w->buf + w->n, v.text->bytes, v.text->len);
      w->n += v.text->len;
    }
    return;
  case VK_RECORD: {
    int64_t k;
    if (!v.rec) put_u(w, 0);
    else if ((k = seen(w, v.rec)) >= 0) put_u(w, (uint64_t)k + 2);
    else {
      put_u(w, 1);
      const RecordType *rt = &w->c->schema.records[t.ref];
      for (uint32_t f = 0; f < rt->nfields; f++) put_value(w, rt->fields[f].type, v.rec->fields[f]);
      remember(w, v.rec);   /* numbered when whole, as the reader numbers it */
    }
    return;
  }
  case VK_LIST: {
    int64_t k;
    if (!v.list) put_u(w, 0);
    else if ((k = seen(w, v.list)) >= 0) put_u(w, (uint64_t)k + 2);
    else {
      put_u(w, 1);
      put_u(w, v.list->n);
      for (uint32_t i = 0; i < v.list->n; i++) put_value(w, item_type(t), v.list->items[i]);
      remember(w, v.list);
    }
    return;
  }
  default:   /* bool, int, money, date, enum, days, months, years: the integer */
    put_s(w, v.i);
    return;
  }
}

/* A record's frame: its length and checksum, once its body is complete. */
static size_t begin_record(TraceWriter *w, uint8_t kind) {
  need(w, FRAME);
  size_t at = w->n;
  w->n += FRAME;
  put_byte(w, kind);
  return at;
}

static void flush_block(TraceWriter *w) {
  if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->f) != w->n) w->err = errno ? errno : EIO;
  w->n = 0;
}

static void end_record(TraceWriter *w, size_t at) {
  size_t len = w->n - at - FRAME;
  if (len > TRACEFILE_MAX_RECORD) {   /* more than a reader takes: the trace is not written, and the run says so */
    w->err = EFBIG;
    w->n = at;
    return;
  }
  uint32_t crc = (uint32_t)crc32_z(0, w->buf + at + FRAME, len);
  for (int i = 0; i < 4; i++) {
    w->buf[at + i] = (uint8_t)(len >> (8 * i));
    w->buf[at + 4 + i] = (uint8_t)(crc >> (8 * i));
  }
  if (w->n >= BLOCK) flush_block(w);
}

TraceWriter *tracew_open(FILE *f, const Chunk *c, const char *input, char *err, size_t cap) {
  char hash[65];
  if (!tracefile_rules_hash(c, hash, err, cap)) return NULL;
  TraceWriter *w = xcalloc(1, sizeof *w);
  w->f = f;
  w->c = c;
  w->nslots = 1024;
  w->slots = xcalloc(w->nslots, sizeof *w->slots);
  need(w, sizeof MAGIC + 4);
  memcpy(w->buf, MAGIC, sizeof MAGIC);
  for (int i = 0; i < 4; i++) w->buf[sizeof MAGIC + i] = (uint8_t)(TRACEFILE_VERSION >> (8 * i));
  w->n = sizeof MAGIC + 4;
  size_t at = begin_record(w, REC_HEADER);
  put_str(w, hash);
  put_str(w, DAGLOON_VERSION);
  put_str(w, input);
  end_record(w, at);
  return w;
}

/* The fields of an event that the explanation reads, by its kind (docs/TRACE.md). */
static void put_event(TraceWriter *w, const Trace *t, const TraceEvent *e) {
  const Chunk *c = w->c;
  put_byte(w, (uint8_t)(e->kind | (e->then ? 0x10 : 0) | (e->places ? 0x20 : 0)));
  switch ((TraceKind)e->kind) {
  case TRACE_RULE: {
    put_u(w, e->index);
    const Proto *p = &c->protos[e->index];
    for (uint16_t j = 0; j < p->nparams; j++) put_value(w, p->regtypes[j], t->argbuf[e->args + j]);
    break;
  }
  case TRACE_VALUE:
    put_u(w, e->index);
    put_value(w, c->protos[e->index].result, e->v);
    break;
  case TRACE_USE:
    put_u(w, e->index);
    put_value(w, c->protos[e->index].result, e->v);
    break;
  case TRACE_INPUT:
    put_u(w, e->rule);
    put_u(w, e->pc);
    put_u(w, e->index);
    put_value(w, c->schema.records[c->schema.input].fields[e->index].type, e->v);
    break;
  case TRACE_ROW:
    put_u(w, e->index);
    put_u(w, e->row);
    put_type(w, e->type);
    put_value(w, e->type, e->v);
    break;
  case TRACE_ROUND:
    put_byte(w, e->method);
    put_s(w, e->unit);
    put_s(w, e->v.dec.num);
    put_s(w, e->v.dec.den);
    if (e->places) put_value(w, (TypeRef){VK_DEC, 0, 0}, e->w);
    else put_cents(w, e->w.i);
    break;
  case TRACE_REVISE:
    put_u(w, e->index);
    put_day(w, e->after);
    put_day(w, e->through);
    put_cents(w, e->v.i);
    put_cents(w, e->w.i);
    break;
  case TRACE_STEP:
    put_u(w, e->index);
    put_u(w, e->row);
    put_cents(w, e->v.i);
    put_cents(w, e->w.i);
    break;
  case TRACE_POINT:
    put_u(w, e->index);
    if (c->covers[e->index].reg >= 0) put_day(w, e->v.i);   /* the peildatum */
    break;
  case TRACE_AS_KNOWN:
    put_u(w, e->rule);
    put_u(w, e->pc);
    put_day(w, e->v.i);
    break;
  case TRACE_LEFT_OUT:
    put_u(w, e->index);
    put_u(w, e->row);
    put_day(w, e->after);
    put_day(w, e->through);
    put_day(w, e->unit);
    put_type(w, e->type);
    put_value(w, e->type, e->v);
    break;
  case TRACE_AS_KNOWN_END:
  case TRACE__COUNT:
    break;
  }
}

void tracew_dossier(TraceWriter *w, const char *id, uint64_t line, const Record *rec, const Value *outputs,
                    const VmError *error, uint64_t unverified, const Trace *t) {
  if (w->err) return;   /* the file is lost already: the run says so at the end */
  const Chunk *c = w->c;
  if (++w->gen == 0) {   /* after 2^32 dossiers: every slot stale again */
    memset(w->slots, 0, w->nslots * sizeof *w->slots);
    w->gen = 1;
  }
  w->used = 0;
  w->nobj = 0;
  w->last_day = w->last_cents = 0;
  size_t at = begin_record(w, REC_DOSSIER);
  put_str(w, id);
  put_u(w, line);
  put_byte(w, (uint8_t)((outputs ? 0 : D_ERROR) | (t->truncated ? D_TRUNCATED : 0)));
  put_u(w, unverified);
  if (!outputs) {
    put_u(w, error ? (uint64_t)error->status : 0);
    put_str(w, error ? error->msg : "");
  }
  put_value(w, (TypeRef){VK_RECORD, 0, (uint16_t)c->schema.input}, (Value){.rec = (Record *)rec});
  for (uint32_t k = 0; outputs && k < c->noutputs; k++) put_value(w, c->outputs[k].type, outputs[k]);
  put_u(w, t->n);
  for (size_t i = 0; i < t->n; i++) put_event(w, t, &t->ev[i]);
  end_record(w, at);
  w->dossiers++;
}

int tracew_close(TraceWriter *w) {
  if (!w) return 0;
  size_t at = begin_record(w, REC_END);
  put_u(w, w->dossiers);
  end_record(w, at);
  flush_block(w);
  int err = w->err;
  xfree(w->buf);
  xfree(w->slots);
  xfree(w);
  return err;
}

/* ================================================================ reading */

typedef struct Obj {
  TypeRef t;
  Value v;
} Obj;

struct TraceReader {
  FILE *f;
  char *name;
  const Chunk *c;
  char *input, *engine;
  uint8_t *body;      /* the record being read */
  size_t cap;
  const uint8_t *p, *end;   /* the decoding position in it */
  bool ended;         /* the end record was read */
  uint64_t dossiers, record;   /* dossiers read; the record number (for messages) */
  Arena arena;        /* the dossier's values */
  Trace trace;
  Obj *objs;          /* the records and lists of the dossier, by number */
  size_t nobjs, capobjs;
  Value *outputs;
  VmError error;
  int64_t last_day, last_cents;   /* as the writer's */
  char *why;          /* what was wrong (set once) */
};

/* Refuses the record: the first reason stays. */
static bool bad(TraceReader *r, const char *fmt, const char *detail) {
  if (!r->why) r->why = xasprintf(_(fmt), detail ? detail : "");
  return false;
}

static bool get_u(TraceReader *r, uint64_t *x) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) return bad(r, N_("the record ends inside a number%s"), NULL);
    uint8_t b = *r->p++;
    if (shift == 63 && b > 1) break;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *x = v;
      return true;
    }
  }
  return bad(r, N_("a number is longer than 64 bits%s"), NULL);
}

static bool get_s(TraceReader *r, int64_t *x) {
  uint64_t u;
  if (!get_u(r, &u)) return false;
  *x = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
  return true;
}

static bool get_day(TraceReader *r, int64_t *day) {
  int64_t d;
  if (!get_s(r, &d)) return false;
  *day = r->last_day = undiff(d, r->last_day);
  return true;
}

static bool get_cents(TraceReader *r, int64_t *cents) {
  int64_t d;
  if (!get_s(r, &d)) return false;
  *cents = r->last_cents = undiff(d, r->last_cents);
  return true;
}

static bool get_byte(TraceReader *r, uint8_t *b) {
  if (r->p >= r->end) return bad(r, N_("the record ends early%s"), NULL);
  *b = *r->p++;
  return true;
}

/* Up to 32 bits that must be below `limit` (what they index). */
static bool get_index(TraceReader *r, uint32_t limit, uint32_t *x, const char *what) {
  uint64_t u;
  if (!get_u(r, &u)) return false;
  if (u >= limit) return bad(r, N_("%s out of range"), _(what));
  *x = (uint32_t)u;
  return true;
}

/* A string: in the record, copied NUL-terminated into the arena. */
static bool get_str(TraceReader *r, const char **s) {
  uint64_t n;
  if (!get_u(r, &n)) return false;
  if (n > (uint64_t)(r->end - r->p)) return bad(r, N_("a text runs past the record's end%s"), NULL);
  if (memchr(r->p, 0, (size_t)n)) return bad(r, N_("a name with a NUL byte in it%s"), NULL);   /* ids, messages: C strings */
  *s = arena_strndup(&r->arena, (const char *)r->p, (size_t)n);
  r->p += n;
  return true;
}

static bool valid_type(const Chunk *c, TypeRef t) {
  const Schema *s = &c->schema;
  if (t.kind >= VK__COUNT) return false;
  if (t.kind == VK_ENUM) return t.ref < s->nenums;
  if (t.kind == VK_RECORD) return t.ref < s->nrecords;
  if (t.kind == VK_LIST) return t.elem < VK__COUNT && t.elem != VK_LIST && valid_type(c, item_type(t));
  return true;
}

static bool get_type(TraceReader *r, TypeRef *t) {
  uint8_t kind, elem;
  uint32_t ref;
  if (!get_byte(r, &kind) || !get_byte(r, &elem) || !get_index(r, UINT16_MAX + 1u, &ref, N_("a type"))) return false;
  *t = (TypeRef){kind, elem, (uint16_t)ref};
  return valid_type(r->c, *t) || bad(r, N_("a type the rules do not have%s"), NULL);
}

static bool get_value(TraceReader *r, TypeRef t, Value *v, int depth);

/* A record or list: absent (0), new (1, then its contents) or one met before in this dossier (2 + its number). */
static bool get_object(TraceReader *r, TypeRef t, Value *v, int depth) {
  uint64_t tag;
  if (!get_u(r, &tag)) return false;
  if (tag == 0) {
    v->rec = NULL;
    return true;
  }
  if (tag >= 2) {
    if (tag - 2 >= r->nobjs) return bad(r, N_("a reference to a value not yet read%s"), NULL);
    const Obj *o = &r->objs[tag - 2];
    if (o->t.kind != t.kind || o->t.ref != t.ref || (t.kind == VK_LIST && o->t.elem != t.elem))
      return bad(r, N_("a reference to a value of another type%s"), NULL);
    *v = o->v;
    return true;
  }
  if (depth >= MAX_DEPTH) return bad(r, N_("values nested too deep%s"), NULL);
  if (t.kind == VK_RECORD) {
    const RecordType *rt = &r->c->schema.records[t.ref];
    if (rt->nfields > (size_t)(r->end - r->p)) return bad(r, N_("a record runs past the record's end%s"), NULL);
    Record *rec = arena_alloc(&r->arena, sizeof *rec + rt->nfields * sizeof(Value));
    rec->type = t.ref;
    rec->nfields = rt->nfields;
    for (uint32_t f = 0; f < rt->nfields; f++)
      if (!get_value(r, rt->fields[f].type, &rec->fields[f], depth + 1)) return false;
    v->rec = rec;
  } else {
    uint64_t n;
    if (!get_u(r, &n)) return false;
    if (n > (uint64_t)(r->end - r->p) || n > UINT32_MAX) return bad(r, N_("a list runs past the record's end%s"), NULL);
    List *l = arena_alloc(&r->arena, sizeof *l);
    l->n = (uint32_t)n;
    l->elem = item_type(t);
    l->items = arena_alloc(&r->arena, (n ? n : 1) * sizeof *l->items);
    for (uint32_t i = 0; i < l->n; i++)
      if (!get_value(r, l->elem, &l->items[i], depth + 1)) return false;
    v->list = l;
  }
  VEC_PUSH(r->objs, r->nobjs, r->capobjs, ((Obj){t, *v}));
  return true;
}

static bool get_value(TraceReader *r, TypeRef t, Value *v, int depth) {
  memset(v, 0, sizeof *v);
  switch ((ValueKind)t.kind) {
  case VK_DEC:
    if (!get_s(r, &v->dec.num) || !get_s(r, &v->dec.den)) return false;
    return v->dec.den > 0 || bad(r, N_("a number with a denominator that is not positive%s"), NULL);
  case VK_PERIOD: {
    int64_t d;
    if (!get_day(r, &v->per.lo) || !get_s(r, &d)) return false;
    v->per.hi = undiff(d, v->per.lo);
    return true;
  }
  case VK_DATE:
    return get_day(r, &v->i);
  case VK_MONEY:
    return get_cents(r, &v->i);
  case VK_TEXT: {
    uint64_t n;
    if (!get_u(r, &n)) return false;
    if (n == 0) return true;
    if (n - 1 > (uint64_t)(r->end - r->p) || n - 1 > UINT32_MAX - 8) return bad(r, N_("a text runs past the record's end%s"), NULL);
    if (!utf8_valid((const char *)r->p, (size_t)(n - 1))) return bad(r, N_("a text that is not UTF-8%s"), NULL);
    Text *x = arena_alloc(&r->arena, sizeof *x + (size_t)n);
    x->len = (uint32_t)(n - 1);
    memcpy(x->bytes, r->p, x->len);
    x->bytes[x->len] = 0;
    r->p += x->len;
    v->text = x;
    return true;
  }
  case VK_RECORD:
  case VK_LIST:
    return get_object(r, t, v, depth);
  case VK_BOOL:
    if (!get_s(r, &v->i)) return false;
    return v->i == 0 || v->i == 1 || bad(r, N_("a truth value that is neither 0 nor 1%s"), NULL);
  case VK_ENUM:
    if (!get_s(r, &v->i)) return false;
    return (v->i >= 0 && (uint64_t)v->i < r->c->schema.enums[t.ref].nmembers) ||
           bad(r, N_("a choice the rules do not have%s"), NULL);
  default:
    if (t.kind >= VK__COUNT) return bad(r, N_("a type the rules do not have%s"), NULL);
    return get_s(r, &v->i);
  }
}

/* One event, checked against the rules: every index it has is one the explanation may use. */
static bool get_event(TraceReader *r, TraceEvent *e, size_t *open, size_t *depth) {
  const Chunk *c = r->c;
  uint8_t head;
  memset(e, 0, sizeof *e);
  if (!get_byte(r, &head)) return false;
  if ((head & 0x0f) >= TRACE__COUNT || (head & 0xc0)) return bad(r, N_("an event of an unknown kind%s"), NULL);
  e->kind = head & 0x0f;
  e->then = (head & 0x10) != 0;
  e->places = (head & 0x20) != 0;
  const Schema *s = &c->schema;
  switch ((TraceKind)e->kind) {
  case TRACE_RULE: {
    if (!get_index(r, c->nprotos, &e->index, N_("a rule"))) return false;
    e->rule = e->index;
    const Proto *p = &c->protos[e->index];
    e->args = r->trace.nargs;
    Trace *t = &r->trace;
    vec_reserve((void **)&t->argbuf, &t->capargs, t->nargs + p->nparams + 1, sizeof *t->argbuf);
    for (uint16_t j = 0; j < p->nparams; j++)
      if (!get_value(r, p->regtypes[j], &t->argbuf[t->nargs + j], 0)) return false;
    t->nargs += p->nparams;
    open[(*depth)++] = e->index;
    return true;
  }
  case TRACE_VALUE:
    if (!get_index(r, c->nprotos, &e->index, N_("a rule"))) return false;
    if (*depth > 0 && open[--*depth] != e->index) return bad(r, N_("a rule's value closes another rule%s"), NULL);
    e->rule = e->index;
    e->type = c->protos[e->index].result;
    return get_value(r, e->type, &e->v, 0);
  case TRACE_USE:
    if (!get_index(r, c->nprotos, &e->index, N_("a rule"))) return false;
    e->type = c->protos[e->index].result;
    return get_value(r, e->type, &e->v, 0);
  case TRACE_INPUT:
    if (!get_index(r, c->nprotos, &e->rule, N_("a rule")) || !get_index(r, c->protos[e->rule].ncode, &e->pc, N_("an instruction")) ||
        !get_index(r, s->records[s->input].nfields, &e->index, N_("an input field")))
      return false;
    e->type = s->records[s->input].fields[e->index].type;
    return get_value(r, e->type, &e->v, 0);
  case TRACE_ROW:
    if (!get_index(r, c->ntables, &e->index, N_("a table")) || !get_index(r, c->tables[e->index].nrows, &e->row, N_("a table row")) ||
        !get_type(r, &e->type))
      return false;
    return get_value(r, e->type, &e->v, 0);
  case TRACE_ROUND: {
    if (!get_byte(r, &e->method)) return false;
    if (e->method >= ROUND__COUNT) return bad(r, N_("a rounding method the engine does not have%s"), NULL);
    e->type = (TypeRef){VK_DEC, 0, 0};
    if (!get_s(r, &e->unit) || !get_value(r, e->type, &e->v, 0)) return false;
    if (e->places) return get_value(r, (TypeRef){VK_DEC, 0, 0}, &e->w, 0);
    return get_cents(r, &e->w.i);
  }
  case TRACE_REVISE:
    e->type = (TypeRef){VK_MONEY, 0, 0};
    return get_index(r, c->ntables, &e->index, N_("a table")) && get_day(r, &e->after) && get_day(r, &e->through) &&
           get_cents(r, &e->v.i) && get_cents(r, &e->w.i);
  case TRACE_STEP:
    e->type = (TypeRef){VK_MONEY, 0, 0};
    return get_index(r, c->ntables, &e->index, N_("a table")) && get_index(r, c->tables[e->index].nrows, &e->row, N_("a table row")) &&
           get_cents(r, &e->v.i) && get_cents(r, &e->w.i);
  case TRACE_POINT:
    if (!get_index(r, c->ncovers, &e->index, N_("a coverage point"))) return false;
    if (c->covers[e->index].reg < 0) return true;
    e->type = (TypeRef){VK_DATE, 0, 0};
    return get_day(r, &e->v.i);
  case TRACE_AS_KNOWN:
    e->type = (TypeRef){VK_DATE, 0, 0};
    return get_index(r, c->nprotos, &e->rule, N_("a rule")) && get_index(r, c->protos[e->rule].ncode, &e->pc, N_("an instruction")) &&
           get_day(r, &e->v.i);
  case TRACE_LEFT_OUT: {
    uint32_t row;
    if (!get_index(r, UINT32_MAX, &e->index, N_("a line")) || !get_index(r, UINT32_MAX, &row, N_("a line"))) return false;
    e->row = row;
    return get_day(r, &e->after) && get_day(r, &e->through) && get_day(r, &e->unit) && get_type(r, &e->type) &&
           get_value(r, e->type, &e->v, 0);
  }
  case TRACE_AS_KNOWN_END:
  case TRACE__COUNT:
    return true;
  }
  return true;
}

/* The next record's body into r->body; false at the end of the file (*eof) or when it is damaged. */
static bool read_record(TraceReader *r, bool *eof) {
  uint8_t frame[FRAME];
  size_t got = fread(frame, 1, FRAME, r->f);
  *eof = got == 0 && feof(r->f);
  if (*eof) return false;
  if (got != FRAME) return bad(r, ferror(r->f) ? N_("cannot read it: %s") : N_("it ends inside a record (the file is cut short)%s"), ferror(r->f) ? strerror(errno) : NULL);
  size_t len = (size_t)frame[0] | (size_t)frame[1] << 8 | (size_t)frame[2] << 16 | (size_t)frame[3] << 24;
  if (len == 0 || len > TRACEFILE_MAX_RECORD) return bad(r, N_("a record's length is not possible%s"), NULL);
  if (len > r->cap) {
    r->cap = len;
    r->body = xrealloc(r->body, len);
  }
  if (fread(r->body, 1, len, r->f) != len)
    return bad(r, ferror(r->f) ? N_("cannot read it: %s") : N_("it ends inside a record (the file is cut short)%s"),
               ferror(r->f) ? strerror(errno) : NULL);
  uint32_t crc = (uint32_t)frame[4] | (uint32_t)frame[5] << 8 | (uint32_t)frame[6] << 16 | (uint32_t)frame[7] << 24;
  if ((uint32_t)crc32_z(0, r->body, len) != crc) return bad(r, N_("a record's checksum does not match: the file is damaged%s"), NULL);
  r->p = r->body;
  r->end = r->body + len;
  r->record++;
  return true;
}

static TraceReader *open_fail(TraceReader *r, char *err, size_t cap) {
  snprintf(err, cap, _("%s: not a trace of these rules: %s"), r->name, r->why ? r->why : "?");
  tracer_close(r);
  return NULL;
}

TraceReader *tracer_open(FILE *f, const char *name, const Chunk *c, char *err, size_t cap) {
  if (c->schema.input < 0) {
    snprintf(err, cap, _("%s: the rules declare no 'invoer', so they have no dossiers to explain"), name);
    return NULL;
  }
  TraceReader *r = xcalloc(1, sizeof *r);
  r->f = f;
  r->name = xstrdup(name);
  r->c = c;
  arena_init(&r->arena);
  trace_init(&r->trace);
  r->outputs = xcalloc(c->noutputs ? c->noutputs : 1, sizeof *r->outputs);
  uint8_t head[sizeof MAGIC + 4];
  if (fread(head, 1, sizeof head, f) != sizeof head || memcmp(head, MAGIC, sizeof MAGIC) != 0) {
    bad(r, N_("it does not begin as a trace file (dagloon run --explain-format trace)%s"), NULL);
    return open_fail(r, err, cap);
  }
  uint32_t version = (uint32_t)head[8] | (uint32_t)head[9] << 8 | (uint32_t)head[10] << 16 | (uint32_t)head[11] << 24;
  if (version != TRACEFILE_VERSION) {
    char v[24];
    snprintf(v, sizeof v, "%u", version);
    bad(r, N_("its format version is %s; this engine reads version " "1"), v);
    return open_fail(r, err, cap);
  }
  bool eof;
  const char *hash, *engine, *input;
  uint8_t kind;
  if (!read_record(r, &eof)) {
    if (eof) bad(r, N_("it has no header%s"), NULL);
    return open_fail(r, err, cap);
  }
  if (!get_byte(r, &kind) || kind != REC_HEADER || !get_str(r, &hash) || !get_str(r, &engine) || !get_str(r, &input)) {
    bad(r, N_("its header is damaged%s"), NULL);
    return open_fail(r, err, cap);
  }
  char mine[65];
  char why[300];
  if (!tracefile_rules_hash(c, mine, why, sizeof why)) {
    bad(r, N_("%s"), why);
    return open_fail(r, err, cap);
  }
  if (strcmp(hash, mine) != 0) {
    snprintf(err, cap,
             _("%s was written with other rules (their code has sha256 %.64s; these rules' is %s): give the rules "
               "it was made with"), r->name, hash, mine);
    tracer_close(r);
    return NULL;
  }
  r->input = xstrdup(input);
  r->engine = xstrdup(engine);
  arena_reset(&r->arena);
  return r;
}

const char *tracer_input(const TraceReader *r) { return r->input; }
const char *tracer_engine(const TraceReader *r) { return r->engine; }

/* The rest of a dossier's record, after its id. */
static bool get_dossier(TraceReader *r, TraceDossier *d) {
  const Chunk *c = r->c;
  uint8_t flags;
  if (!get_u(r, &d->line) || !get_byte(r, &flags) || !get_u(r, &d->unverified)) return false;
  if (flags & ~(D_ERROR | D_TRUNCATED)) return bad(r, N_("a dossier's flags are not known%s"), NULL);
  memset(&r->error, 0, sizeof r->error);
  r->last_day = r->last_cents = 0;
  if (flags & D_ERROR) {
    const char *msg;
    uint32_t status;
    if (!get_index(r, 256, &status, N_("an error's status")) || !get_str(r, &msg)) return false;
    r->error.status = (VmStatus)status;
    snprintf(r->error.msg, sizeof r->error.msg, "%s", msg);
  }
  r->nobjs = 0;
  Value rec;
  if (!get_value(r, (TypeRef){VK_RECORD, 0, (uint16_t)c->schema.input}, &rec, 0)) return false;
  if (!rec.rec) return bad(r, N_("a dossier without its record%s"), NULL);
  for (uint32_t k = 0; !(flags & D_ERROR) && k < c->noutputs; k++)
    if (!get_value(r, c->outputs[k].type, &r->outputs[k], 0)) return false;
  uint64_t n;
  if (!get_u(r, &n)) return false;
  if (n > (uint64_t)(r->end - r->p)) return bad(r, N_("more events than the record holds%s"), NULL);
  trace_clear(&r->trace);
  r->trace.limit = SIZE_MAX;
  size_t *open = xmalloc((n ? n : 1) * sizeof *open), depth = 0;
  bool ok = true;
  for (uint64_t i = 0; i < n && ok; i++) {
    TraceEvent e;
    ok = get_event(r, &e, open, &depth);
    if (ok) trace_add(&r->trace, &e);
  }
  xfree(open);
  if (!ok) return false;
  if (r->p != r->end) return bad(r, N_("a dossier's record has bytes after its last event%s"), NULL);
  r->trace.truncated = (flags & D_TRUNCATED) != 0;
  d->record = rec.rec;
  d->outputs = flags & D_ERROR ? NULL : r->outputs;
  d->error = flags & D_ERROR ? &r->error : NULL;
  d->trace = &r->trace;
  return true;
}

static int next_fail(TraceReader *r, char *err, size_t cap) {
  snprintf(err, cap, _("%s: record %" PRIu64 ": %s"), r->name, r->record, r->why ? r->why : "?");
  return -1;
}

int tracer_next(TraceReader *r, const char *want_id, TraceDossier *d, char *err, size_t cap) {
  memset(d, 0, sizeof *d);
  if (r->why) return next_fail(r, err, cap);
  for (;;) {
    arena_reset(&r->arena);
    bool eof;
    if (r->ended) {
      if (fgetc(r->f) == EOF && !ferror(r->f)) return 0;
      bad(r, N_("bytes after the end record%s"), NULL);
      return next_fail(r, err, cap);
    }
    if (!read_record(r, &eof)) {
      if (eof) {
        snprintf(err, cap, _("%s: the trace is cut short: it ends after %" PRIu64 " dossiers without its end record"),
                 r->name, r->dossiers);
        return -1;
      }
      return next_fail(r, err, cap);
    }
    uint8_t kind;
    if (!get_byte(r, &kind)) return next_fail(r, err, cap);
    if (kind == REC_END) {
      uint64_t n;
      if (!get_u(r, &n) || r->p != r->end) {
        bad(r, N_("the end record is damaged%s"), NULL);
        return next_fail(r, err, cap);
      }
      if (n != r->dossiers) {
        snprintf(err, cap, _("%s: the end record counts %" PRIu64 " dossiers, the file holds %" PRIu64), r->name, n,
                 r->dossiers);
        return -1;
      }
      r->ended = true;
      continue;
    }
    if (kind != REC_DOSSIER) {
      bad(r, N_("a record of an unknown kind%s"), NULL);
      return next_fail(r, err, cap);
    }
    r->dossiers++;
    if (!get_str(r, &d->id)) return next_fail(r, err, cap);
    if (want_id && strcmp(want_id, d->id) != 0) continue;   /* its checksum was checked: the file is whole so far */
    if (!get_dossier(r, d)) return next_fail(r, err, cap);
    return 1;
  }
}

void tracer_close(TraceReader *r) {
  if (!r) return;
  xfree(r->name);
  xfree(r->input);
  xfree(r->engine);
  xfree(r->body);
  xfree(r->objs);
  xfree(r->outputs);
  xfree(r->why);
  trace_free(&r->trace);
  arena_free(&r->arena);
  xfree(r);
}
