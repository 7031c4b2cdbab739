/*
** cli.c: what the commands share: loading a rule set (rule files or a
** bundle) with its diagnostics printed, and the exit codes.
*/
#include "tools/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runtime/bundle.h"
#include "runtime/i18n.h"
#include "runtime/regfile.h"
#include "runtime/mem.h"
#include "tools/outfile.h"
#include "runtime/i18n.h"

/* Compile (or only check) rule paths; prints diagnostics. Returns the chunk or NULL. */
Chunk *load_rules(Front *f, char **paths, int n, FrontStage stage, int *status) {
  Chunk *c = front_compile(f, (const char *const *)paths, n, stage);
  diag_render(&f->diags, stderr);
  if (f->load_error[0]) {
    fprintf(stderr, "dagloon: %s\n", f->load_error);
    *status = EXIT_USAGE;
  } else if (f->diags.nerrors > 0) {
    /* TRANSLATORS: the first half of "%d errors, %d warnings"; the second follows */
    fprintf(stderr, ngettext("%d error, ", "%d errors, ", f->diags.nerrors), f->diags.nerrors);
    fprintf(stderr, ngettext("%d warning\n", "%d warnings\n", f->diags.nwarnings), f->diags.nwarnings);
    *status = EXIT_RULE_ERRORS;
  } else {
    *status = EXIT_OK;
  }
  return c;
}

static void warn_if_stale(const Chunk *c, const char *bundle);

/* Explanations come from the VM: a native bundle's code has no trace points (it carries the traced bytecode). */
static void native_trace_note(const char *path) {
  fprintf(stderr, _("dagloon: %s: explanations are computed by the VM from the bytecode the native bundle carries, "
                    "not by its native code\n"), path);
}

/* One rule set compiled with trace points, for explanations and letters; see cli.h. */
Chunk *load_traced(Front *f, const char *rules, int *status) {
  front_init(f);
  f->trace = true;
  if (bundle_kind(rules) != BUNDLE_NOT) {   /* a bundle made with --trace carries that code */
    char err[600];
    if (bundle_kind(rules) == BUNDLE_NATIVE) native_trace_note(rules);
    Chunk *traced = NULL;
    Chunk *plain = bundle_read_traced(rules, &traced, err, sizeof err);
    if (plain) chunk_free(plain);
    if (plain && !traced)
      snprintf(err, sizeof err, _("%s: this bundle has no trace points, so it cannot explain: make it with "
                                 "'dagloon compile --trace RULES -o FILE', or give the rule files"), rules);
    if (!traced) {
      fprintf(stderr, "dagloon: %s\n", err);
      *status = EXIT_USAGE;
      front_free(f);
      return NULL;
    }
    warn_if_stale(traced, rules);
    *status = EXIT_OK;
    return traced;
  }
  char *paths[1] = {(char *)rules};
  Chunk *c = load_rules(f, paths, 1, FRONT_COMPILE, status);
  if (!c) front_free(f);
  return c;
}

/*
** A bundle's rule files that differ from the files on disk now: the bundle
** would compute with rules that are no longer what the files say.
*/
static void warn_if_stale(const Chunk *c, const char *bundle) {
  for (uint32_t i = 0; i < c->nfiles; i++) {
    /*
    ** A bundle from elsewhere names what it likes: only a regular file of the
    ** same size is read (opened without blocking), so /dev/stdin, a FIFO or a
    ** device is never read, and a file of another size is stale unread.
    */
    struct stat st;
    if (stat(c->files[i].name, &st) != 0 || !S_ISREG(st.st_mode)) continue;   /* moved, or not a file */
    int fd = (uint64_t)st.st_size == c->files[i].len
               ? open(c->files[i].name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) : -1;
    FILE *f = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "rb") : NULL;
    if (!f && fd >= 0) close(fd);
    if (!f) {
      if ((uint64_t)st.st_size != c->files[i].len)
        fprintf(stderr, _("dagloon: warning: %s: '%s' has changed since this bundle was compiled (compile it again)\n"),
                bundle, c->files[i].name);
      continue;
    }
    bool same = true;
    uint32_t n = 0;
    char buf[8192];
    size_t got;
    while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
      same = (uint64_t)n + got <= c->files[i].len && memcmp(buf, c->files[i].text + n, got) == 0;
      n += (uint32_t)got;
    }
    fclose(f);
    if (!same || n != c->files[i].len)
      fprintf(stderr, _("dagloon: warning: %s: '%s' has changed since this bundle was compiled (compile it again)\n"),
              bundle, c->files[i].name);
  }
}

/*
** The chunk for a RULES argument of run and disasm: a bundle if the file is
** one (with f->trace its traced code, refused when it has none), else the rule files compiled now. *f must be initialised (and freed
** by the caller either way).
*/
Chunk *load_chunk(Front *f, const char *path, int *status) {
  if (bundle_kind(path) != BUNDLE_NOT) {
    char err[600];
    Chunk *traced = NULL;   /* f->trace (run --explain): the bundle's traced code, from --trace */
    if (f->trace && bundle_kind(path) == BUNDLE_NATIVE) native_trace_note(path);
    Chunk *c = bundle_read_traced(path, f->trace ? &traced : NULL, err, sizeof err);
    if (c && f->trace) {
      chunk_free(c);
      c = traced;
      if (!c)
        snprintf(err, sizeof err, _("%s: this bundle has no trace points, so it cannot explain: make it with "
                                   "'dagloon compile --trace RULES -o FILE', or give the rule files"), path);
    }
    if (!c) {
      fprintf(stderr, "dagloon: %s\n", err);
      *status = EXIT_USAGE;
      return NULL;
    }
    warn_if_stale(c, path);
    *status = EXIT_OK;
    return c;
  }
  char *paths[1] = {(char *)path};
  return load_rules(f, paths, 1, FRONT_COMPILE, status);
}


/* One limit: a whole number above 0 (and at most `max`). */
static bool parse_count(const char *val, unsigned long long max, unsigned long long *v) {
  char *end;
  errno = 0;
  *v = strtoull(val, &end, 10);
  return *val && !*end && *v > 0 && val[0] != '-' && errno != ERANGE && *v <= max;
}

const char *parse_limits(const ParsedArgs *a, VmLimits *l) {
  unsigned long long v;
  const char *steps = option_value(a, "max-steps"), *memory = option_value(a, "max-memory");
  if (steps) {
    if (!parse_count(steps, ULLONG_MAX, &v)) return N_("--max-steps needs a whole number above 0");
    l->steps = v;
  }
  if (memory) {
    /* in MiB; at most 1 TiB, so the byte count cannot wrap */
    if (!parse_count(memory, 1ULL << 20, &v)) return N_("--max-memory needs a number of MiB from 1 to 1048576");
    l->memory = (size_t)v << 20;
  }
  return NULL;
}

const char *parse_threads(const ParsedArgs *a, int *threads) {
  unsigned long long v;
  const char *val = option_value(a, "threads");
  if (!val) return NULL;
  if (!parse_count(val, 256, &v)) return N_("--threads needs a number from 1 to 256");
  *threads = (int)v;
  return NULL;
}

bool parse_record_format(const char *s, RecFormat *fmt) {
  if (strcmp(s, "csv") == 0) *fmt = FMT_CSV;
  else if (strcmp(s, "jsonl") == 0) *fmt = FMT_JSONL;
  else return false;
  return true;
}

FILE *open_input(const char *path) { return strcmp(path, "-") == 0 ? stdin : fopen(path, "rb"); }

bool dossier_format(FILE *in, const char *path, int asked, RecFormat *fmt) {
  if (asked >= 0) {
    *fmt = (RecFormat)asked;
    return true;
  }
  if (strcmp(path, "-") != 0 && recio_format_named(path, fmt)) return true;
  if (!recio_sniff_format(in, fmt)) {
    fprintf(stderr, _("dagloon: %s: cannot tell CSV from JSON Lines without losing input; give --input-format\n"),
            strcmp(path, "-") == 0 ? "standard input" : path);
    return false;
  }
  return true;
}

void apply_reader_limits(RecordReader *rd, VmLimits l) {
  if (rd && l.memory) reader_set_max_record(rd, l.memory);
}

bool outputs_not_sources(const ParsedArgs *a, const Chunk *c) {
  const char **names = xcalloc((size_t)c->nfiles + c->nnatives + 1, sizeof *names);
  size_t n = 0;
  for (uint32_t i = 0; i < c->nfiles; i++) names[n++] = c->files[i].name;
  for (uint32_t i = 0; i < c->nnatives; i++) names[n++] = c->natives[i].library;
  bool ok = outputs_not_inputs(a, names, n);
  free(names);
  return ok;
}
