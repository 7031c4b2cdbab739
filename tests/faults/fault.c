/*
** fault.c: fault injection for the test build (make FAULT=1, build-fault/dagloon).
**
** Linked with -Wl,--wrap=SYM for every allocation, write and read function the
** engine calls (see FAULT_WRAPS in the Makefile), so each call of ours passes
** through a counter here first. DAGLOON_FAULT chooses the call that fails:
**
**   alloc:N   the Nth allocation returns NULL (malloc, calloc, realloc, strdup,
**             strndup, open_memstream; jansson's too: dagloon's main hands
**             jansson xmalloc, whose malloc is wrapped)
**   write:N   the Nth write to a file fails with ENOSPC (fwrite, fputs, fputc,
**             putc, puts, fprintf, printf, vfprintf, fflush, fclose, write(2),
**             opening a file for writing, mkstemp, rename)
**   read:N    the Nth read fails with EIO (opening a file for reading, fread,
**             fgets, getc, fgetc, the refill under getc_unlocked, read(2))
**   KIND:N+   the Nth call and every later one of that kind fail
**
** Standard error is never failed (it carries the message the tests look for),
** nor are writes to memory streams (those fail only for want of memory).
** DAGLOON_FAULT_LOG=FILE appends one line per counted call, "KIND N SITE",
** SITE being the first caller outside the allocation helpers (function+offset;
** the build links with -rdynamic so the names are there), and a line
** "fired KIND N SITE" when the chosen call fails. tests/faults/run.sh counts
** the calls and sites of a run with it, then fails them one by one.
**
** Calls are counted in the order they happen, so the runs under test use one thread.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

enum { K_ALLOC, K_WRITE, K_READ, K_COUNT };
static const char *const kind_names[K_COUNT] = {"alloc", "write", "read"};

static int target_kind = -1;          /* none: only count */
static unsigned long target_n;        /* 1-based */
static bool target_after;             /* and every later call */
static int log_fd = -1;
static atomic_ulong counts[K_COUNT];

/* The real functions (ld resolves __real_SYM to SYM). */
void *__real_malloc(size_t n);
void *__real_calloc(size_t c, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
FILE *__real_open_memstream(char **p, size_t *n);
FILE *__real_fopen(const char *path, const char *mode);
size_t __real_fread(void *p, size_t s, size_t n, FILE *f);
char *__real_fgets(char *s, int n, FILE *f);
int __real_getc(FILE *f);
int __real_fgetc(FILE *f);
int __real___uflow(FILE *f);
ssize_t __real_read(int fd, void *buf, size_t n);
int __real_open(const char *path, int flags, ...);
size_t __real_fwrite(const void *p, size_t s, size_t n, FILE *f);
int __real_fputs(const char *s, FILE *f);
int __real_fputc(int c, FILE *f);
int __real_putc(int c, FILE *f);
int __real_puts(const char *s);
int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __real_fflush(FILE *f);
int __real_fclose(FILE *f);
ssize_t __real_write(int fd, const void *buf, size_t n);
int __real_mkstemp(char *tmpl);
int __real_rename(const char *from, const char *to);

/* Frames that only pass an allocation on: the site is their caller. */
static bool helper(const char *name) {
  static const char *const names[] = {"xmalloc", "xcalloc", "xrealloc", "xstrdup", "xstrndup", "vec_reserve",
                                      "xrealpath", "new_block", "arena_alloc", "arena_strndup", };
  if (!name) return false;
  if (strncmp(name, "__wrap_", 7) == 0 || strncmp(name, "fault_", 6) == 0) return true;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) return true;
  return false;
}

/* "function+0xOFF" of the first frame in the executable that is not a helper. */
void fault_call_site(char *buf, size_t cap);
void fault_log_line(const char *what, int kind, unsigned long n);
bool fault_hit(int kind);

/* (external and not inlined: their frames are named, and skipped, in the backtrace) */
__attribute__((noinline)) void fault_call_site(char *buf, size_t cap) {
  void *frames[24];
  int n = backtrace(frames, 24);
  Dl_info self;
  dladdr(&log_fd, &self);   /* any object of this executable */
  for (int i = 1; i < n; i++) {
    Dl_info d;
    if (!dladdr(frames[i], &d) || d.dli_fbase != self.dli_fbase) continue;   /* libc, jansson, asan */
    if (helper(d.dli_sname)) continue;
    if (d.dli_sname)
      snprintf(buf, cap, "%s+0x%lx", d.dli_sname, (unsigned long)((char *)frames[i] - (char *)d.dli_saddr));
    else
      snprintf(buf, cap, "?+0x%lx", (unsigned long)((char *)frames[i] - (char *)d.dli_fbase));
    return;
  }
  snprintf(buf, cap, "?");
}

__attribute__((noinline)) void fault_log_line(const char *what, int kind, unsigned long n) {
  char site[256], line[400];
  fault_call_site(site, sizeof site);
  int len = snprintf(line, sizeof line, "%s%s %lu %s\n", what, kind_names[kind], n, site);
  if (len > 0) (void)!__real_write(log_fd, line, (size_t)len);
}

/* Count one call of this kind; true if it is to fail. */
__attribute__((noinline)) bool fault_hit(int kind) {
  unsigned long n = atomic_fetch_add(&counts[kind], 1) + 1;
  bool fail = kind == target_kind && (n == target_n || (target_after && n > target_n));
  if (log_fd >= 0) fault_log_line(fail ? "fired " : "", kind, n);
  return fail;
}

__attribute__((constructor)) static void fault_init(void) {
  const char *spec = getenv("DAGLOON_FAULT"), *logpath = getenv("DAGLOON_FAULT_LOG");
  if (spec && *spec) {
    for (int k = 0; k < K_COUNT; k++) {
      size_t len = strlen(kind_names[k]);
      if (strncmp(spec, kind_names[k], len) == 0 && spec[len] == ':') {
        char *end;
        target_n = strtoul(spec + len + 1, &end, 10);
        target_after = *end == '+';
        if (target_n > 0) target_kind = k;
      }
    }
    if (target_kind < 0) {
      static const char msg[] = "fault: DAGLOON_FAULT must be alloc:N, write:N or read:N (N >= 1, '+' for all after)\n";
      (void)!__real_write(2, msg, sizeof msg - 1);
      _exit(125);
    }
  }
  if (logpath && *logpath) log_fd = __real_open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* glibc's flag of a stream opened read-only (libio/libioP.h). */
#define GLIBC_IO_NO_WRITES 0x0008

/* A stream's error indicator, as a failed write or read of glibc sets it. */
static void set_error(FILE *f, int err) {
  f->_flags |= _IO_ERR_SEEN;
  errno = err;
}

/* Streams whose writes count: files and pipes open for writing, not standard error or memory. */
static bool counted_stream(FILE *f) {
  int saved = errno, fd = fileno(f);
  errno = saved;
  return fd >= 0 && fd != 2 && !(f->_flags & GLIBC_IO_NO_WRITES);
}

/* ---- allocations ---- */

void *__wrap_malloc(size_t n);
void *__wrap_malloc(size_t n) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_malloc(n);
}
void *__wrap_calloc(size_t c, size_t n);
void *__wrap_calloc(size_t c, size_t n) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_calloc(c, n);
}
void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_realloc(p, n);
}
char *__wrap_strdup(const char *s);
char *__wrap_strdup(const char *s) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_strdup(s);
}
char *__wrap_strndup(const char *s, size_t n);
char *__wrap_strndup(const char *s, size_t n) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_strndup(s, n);
}
FILE *__wrap_open_memstream(char **p, size_t *n);
FILE *__wrap_open_memstream(char **p, size_t *n) {
  if (fault_hit(K_ALLOC)) return errno = ENOMEM, NULL;
  return __real_open_memstream(p, n);
}

/* ---- opening and renaming ---- */

FILE *__wrap_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode) {
  bool writing = strpbrk(mode, "wa+") != NULL;
  if (fault_hit(writing ? K_WRITE : K_READ)) return errno = writing ? ENOSPC : EIO, NULL;
  return __real_fopen(path, mode);
}
int __wrap_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...) {
  mode_t mode = 0;
  if (flags & O_CREAT) {
    va_list ap;
    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
  }
  bool writing = (flags & O_ACCMODE) != O_RDONLY;
  if (fault_hit(writing ? K_WRITE : K_READ)) return errno = writing ? ENOSPC : EIO, -1;
  return __real_open(path, flags, mode);
}
int __wrap_mkstemp(char *tmpl);
int __wrap_mkstemp(char *tmpl) {
  if (fault_hit(K_WRITE)) return errno = ENOSPC, -1;
  return __real_mkstemp(tmpl);
}
int __wrap_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to) {
  if (fault_hit(K_WRITE)) return errno = EIO, -1;
  return __real_rename(from, to);
}

/* ---- reads ---- */

size_t __wrap_fread(void *p, size_t s, size_t n, FILE *f);
size_t __wrap_fread(void *p, size_t s, size_t n, FILE *f) {
  if (fault_hit(K_READ)) return set_error(f, EIO), 0;
  return __real_fread(p, s, n, f);
}
char *__wrap_fgets(char *s, int n, FILE *f);
char *__wrap_fgets(char *s, int n, FILE *f) {
  if (fault_hit(K_READ)) return set_error(f, EIO), NULL;
  return __real_fgets(s, n, f);
}
int __wrap_getc(FILE *f);
int __wrap_getc(FILE *f) {
  if (fault_hit(K_READ)) return set_error(f, EIO), EOF;
  return __real_getc(f);
}
int __wrap_fgetc(FILE *f);
int __wrap_fgetc(FILE *f) {
  if (fault_hit(K_READ)) return set_error(f, EIO), EOF;
  return __real_fgetc(f);
}
/* getc_unlocked reads the buffer inline and calls this to refill it. */
int __wrap___uflow(FILE *f);
int __wrap___uflow(FILE *f) {
  if (fault_hit(K_READ)) return set_error(f, EIO), EOF;
  return __real___uflow(f);
}
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_read(int fd, void *buf, size_t n) {
  if (fault_hit(K_READ)) return errno = EIO, -1;
  return __real_read(fd, buf, n);
}

/* ---- writes ---- */

size_t __wrap_fwrite(const void *p, size_t s, size_t n, FILE *f);
size_t __wrap_fwrite(const void *p, size_t s, size_t n, FILE *f) {
  if (counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), 0;
  return __real_fwrite(p, s, n, f);
}
int __wrap_fputs(const char *s, FILE *f);
int __wrap_fputs(const char *s, FILE *f) {
  if (counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), EOF;
  return __real_fputs(s, f);
}
int __wrap_fputc(int c, FILE *f);
int __wrap_fputc(int c, FILE *f) {
  if (counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), EOF;
  return __real_fputc(c, f);
}
int __wrap_putc(int c, FILE *f);
int __wrap_putc(int c, FILE *f) {
  if (counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), EOF;
  return __real_putc(c, f);
}
int __wrap_puts(const char *s);
int __wrap_puts(const char *s) {
  if (fault_hit(K_WRITE)) return set_error(stdout, ENOSPC), EOF;
  return __real_puts(s);
}
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap);
int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap) {
  if (counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), -1;
  return __real_vfprintf(f, fmt, ap);
}
int __wrap_fprintf(FILE *f, const char *fmt, ...);
int __wrap_fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = __wrap_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
int __wrap_printf(const char *fmt, ...);
int __wrap_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = __wrap_vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}
int __wrap_fflush(FILE *f);
int __wrap_fflush(FILE *f) {
  if (f && counted_stream(f) && fault_hit(K_WRITE)) return set_error(f, ENOSPC), EOF;
  return __real_fflush(f);
}
/* The stream is closed either way, as a failing fclose does. */
int __wrap_fclose(FILE *f);
int __wrap_fclose(FILE *f) {
  if (counted_stream(f) && fault_hit(K_WRITE)) {
    __real_fclose(f);
    return errno = ENOSPC, EOF;
  }
  return __real_fclose(f);
}
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n) {
  if (fd != 2 && fault_hit(K_WRITE)) return errno = ENOSPC, -1;
  return __real_write(fd, buf, n);
}
