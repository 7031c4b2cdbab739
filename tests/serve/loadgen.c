/* tests/serve/loadgen.c: the load generator of tests/serve and make bench. An HTTP/1.1 keep-alive
 * client in C11 and POSIX sockets only: C connections driven by one poll() loop send N requests
 * cycling over the dossiers of JSON Lines files, and every answer must be 200 with a body equal,
 * byte for byte, to the line `dagloon run --format jsonl` wrote for that dossier (or, with --batch K,
 * an NDJSON batch of K dossiers answered by their K lines). It records each request's latency on the
 * monotonic clock and prints requests/s, dossiers/s, p50 and p99.
 *
 *   loadgen --port P --set PATH INPUT.jsonl EXPECTED.jsonl [--set ...] [--requests N]
 *           [--connections C] [--batch K] [--time-limit S] [--max-io BYTES] [--signals]
 *           [--result FILE]
 *
 * Exit 0 when every request was answered as expected; 1 on any mismatch, non-200, dropped or
 * truncated answer; 2 on a usage error; 3 when --time-limit passed first. A keep-alive connection
 * the server closed before any byte of the answer is opened again and only that request is sent
 * again (counted: "resent"); an answer cut off midway is a failure. --max-io caps each send() and
 * recv() (partial reads and writes on every request); --signals interrupts the loop with a timer
 * signal every millisecond (poll, send and recv see EINTR). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEAD (64 * 1024)           /* a response head longer than this is malformed */
#define MAX_ANSWER (256u << 20)        /* nor is an answer this large expected of any batch */
#define MAX_RESENDS 3                  /* one request sent again after more closes: a failure */
#define MAX_FAILURES 100               /* then stop early: the server is gone or broken */
#define SHOWN 5                        /* mismatches described on stderr */

struct buf { char *p; size_t len, cap; };

struct item {                          /* one request: where, what, and the exact answer expected */
  const char *path;
  struct buf body, want;
  unsigned dossiers;
  size_t line;                         /* the input line of its first dossier */
};

enum state { FREE, CONNECTING, SENDING, RECEIVING };

struct conn {
  int fd;
  enum state st;
  long req;                            /* the request in flight, or -1 */
  uint64_t t0;                         /* when that request was taken (ns, monotonic) */
  unsigned served;                     /* answers on this connection since it was opened */
  struct buf out, in, body;
  size_t out_off;
};

static struct {
  const char *host;
  int port;
  long requests;
  int connections, batch, max_io, signals;
  double time_limit;
  const char *result;
} opt = {"127.0.0.1", 0, 100000, 64, 0, 0, 0, 300.0, NULL};

static struct item *items;
static size_t n_items;
static long *resend;                   /* requests to send again (at most one per connection) */
static size_t n_resend;
static uint64_t *lat;                  /* latency of each answered request, ns */
static long next_req, done, answered, mismatches, failures, resent, opened;
static unsigned long long dossiers_ok;
static volatile sig_atomic_t ticks;

static void die(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("loadgen: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void buf_reserve(struct buf *b, size_t extra)
{
  if (b->len + extra <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p)
    die("out of memory");
  b->p = p;
  b->cap = cap;
}

static void buf_add(struct buf *b, const void *p, size_t n)
{
  buf_reserve(b, n + 1);
  memcpy(b->p + b->len, p, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static uint64_t now_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- the requests ---- */

static size_t read_lines(const char *path, struct buf *all, size_t **starts)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot read %s: %s", path, strerror(errno));
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(all, chunk, n);
  if (ferror(f))
    die("cannot read %s", path);
  fclose(f);
  size_t count = 0, cap = 0;
  *starts = NULL;
  for (size_t i = 0; i < all->len;) {
    char *nl = memchr(all->p + i, '\n', all->len - i);
    size_t e = nl ? (size_t)(nl - all->p) : all->len;
    if (e == i)
      die("%s: line %zu is empty (give the dossiers without blank lines)", path, count + 1);
    if (count + 1 > cap) {
      cap = cap ? cap * 2 : 1024;
      *starts = realloc(*starts, cap * sizeof **starts);
      if (!*starts)
        die("out of memory");
    }
    (*starts)[count++] = i;
    all->p[e] = '\0';                  /* each line a string of its own */
    i = e + 1;
  }
  return count;
}

/* One rule set's requests: single dossiers, or batches of --batch consecutive dossiers (the last
 * batch wraps around to the first dossiers, so every batch has K). */
static void add_set(const char *path, const char *input, const char *expected)
{
  static struct buf in_all[16], want_all[16];
  static int sets;
  if (sets == 16)
    die("at most 16 sets");
  size_t *in_at, *want_at;
  size_t n = read_lines(input, &in_all[sets], &in_at);
  size_t m = read_lines(expected, &want_all[sets], &want_at);
  if (n == 0 || n != m)
    die("%s has %zu dossiers and %s %zu lines: give a population without error rows", input, n, expected, m);
  unsigned k = opt.batch ? (unsigned)opt.batch : 1;
  size_t count = (n + k - 1) / k;
  items = realloc(items, (n_items + count) * sizeof *items);
  if (!items)
    die("out of memory");
  for (size_t b = 0; b < count; b++) {
    struct item *it = &items[n_items++];
    memset(it, 0, sizeof *it);
    it->path = path;
    it->dossiers = k;
    it->line = b * k + 1;
    for (unsigned j = 0; j < k; j++) {
      size_t d = (b * k + j) % n;
      const char *line = in_all[sets].p + in_at[d], *want = want_all[sets].p + want_at[d];
      buf_add(&it->body, line, strlen(line));
      if (opt.batch) {
        buf_add(&it->body, "\n", 1);
        buf_add(&it->want, want, strlen(want));
        buf_add(&it->want, "\n", 1);
      } else {
        buf_add(&it->want, want, strlen(want));
      }
    }
  }
  free(in_at);
  free(want_at);
  sets++;
}

/* ---- the answers ---- */

struct answer { int status, close; size_t consumed; };

static const char *find(const char *p, size_t n, const char *s)
{
  size_t k = strlen(s);
  for (size_t i = 0; i + k <= n; i++)
    if (p[i] == s[0] && memcmp(p + i, s, k) == 0)
      return p + i;
  return NULL;
}

static int has_token(const char *v, size_t n, const char *token)   /* a comma-separated header value */
{
  size_t k = strlen(token);
  for (size_t i = 0; i + k <= n; i++)
    if (strncasecmp(v + i, token, k) == 0 && (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',')
        && (i + k == n || v[i + k] == ' ' || v[i + k] == ',' || v[i + k] == ';'))
      return 1;
  return 0;
}

/* The response at the start of p[0..n): 1 when complete (its body decoded into body), 0 when more
 * bytes are needed, -1 when it is not HTTP/1.1 as a server may send it. eof: no more bytes come. */
static int parse_answer(const char *p, size_t n, int eof, struct answer *a, struct buf *body)
{
  const char *end = find(p, n < MAX_HEAD ? n : MAX_HEAD, "\r\n\r\n");
  if (!end)
    return n >= MAX_HEAD || eof ? -1 : 0;
  size_t head = (size_t)(end - p) + 4;
  if (head < 14 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') || p[8] != ' '
      || p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9'
      || (p[12] != ' ' && p[12] != '\r'))
    return -1;
  a->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
  a->close = p[7] == '0';
  int chunked = 0, has_length = 0;
  unsigned long long length = 0;
  const char *line = find(p, head, "\r\n") + 2;
  while (line < end + 2) {
    const char *eol = find(line, (size_t)(end + 2 - line), "\r\n");
    const char *colon = memchr(line, ':', (size_t)(eol - line));
    if (!colon || colon == line)
      return -1;
    size_t name = (size_t)(colon - line);
    const char *v = colon + 1;
    while (v < eol && (*v == ' ' || *v == '\t'))
      v++;
    size_t vn = (size_t)(eol - v);
    while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
      vn--;
    if (name == 14 && strncasecmp(line, "content-length", 14) == 0) {
      unsigned long long x = 0;
      if (vn == 0 || vn > 15)
        return -1;
      for (size_t i = 0; i < vn; i++) {
        if (v[i] < '0' || v[i] > '9')
          return -1;
        x = x * 10 + (unsigned)(v[i] - '0');
      }
      if (has_length && x != length)
        return -1;
      has_length = 1;
      length = x;
    } else if (name == 17 && strncasecmp(line, "transfer-encoding", 17) == 0) {
      chunked = has_token(v, vn, "chunked");
    } else if (name == 10 && strncasecmp(line, "connection", 10) == 0) {
      a->close |= has_token(v, vn, "close");
    }
    line = eol + 2;
  }
  body->len = 0;
  if (a->status < 200)                 /* no interim answers: the client sends no Expect */
    return -1;
  if (a->status == 204 || a->status == 304) {
    a->consumed = head;
    return 1;
  }
  if (chunked) {
    size_t at = head;
    for (;;) {
      const char *eol = find(p + at, n - at, "\r\n");
      if (!eol)
        return n - at > 1024 || eof ? -1 : 0;
      unsigned long long size = 0;
      size_t i = at, digits = 0;
      for (; p + i < eol; i++, digits++) {
        int c = p[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
          break;
        if (digits == 15)
          return -1;
        size = size * 16 + (unsigned)d;
      }
      if (digits == 0 || (p + i < eol && p[i] != ';' && p[i] != ' '))
        return -1;
      at = (size_t)(eol - p) + 2;
      if (size == 0) {                 /* the trailer section, then the empty line */
        for (;;) {
          const char *t = find(p + at, n - at, "\r\n");
          if (!t)
            return eof ? -1 : 0;
          size_t tn = (size_t)(t - (p + at));
          at += tn + 2;
          if (tn == 0)
            break;
        }
        a->consumed = at;
        return 1;
      }
      if (body->len + size > MAX_ANSWER)
        return -1;
      if (n - at < size + 2)
        return eof ? -1 : 0;
      if (p[at + size] != '\r' || p[at + size + 1] != '\n')
        return -1;
      buf_add(body, p + at, (size_t)size);
      at += (size_t)size + 2;
    }
  }
  if (has_length) {
    if (length > MAX_ANSWER)
      return -1;
    if (n - head < length)
      return eof ? -1 : 0;
    buf_add(body, p + head, (size_t)length);
    a->consumed = head + (size_t)length;
    return 1;
  }
  if (!eof)                            /* a body that ends where the connection does */
    return 0;
  buf_add(body, p + head, n - head);
  a->consumed = n;
  a->close = 1;
  return 1;
}

/* ---- the connections ---- */

static void show(long req, const char *what, int status, const struct buf *body)
{
  if (mismatches + failures > SHOWN)
    return;
  const struct item *it = &items[req % (long)n_items];
  fprintf(stderr, "loadgen: request %ld (%s, input line %zu): %s", req, it->path, it->line, what);
  if (status)
    fprintf(stderr, " — status %d, body %.300s%s\n  expected %.300s%s", status, body->p ? body->p : "",
            body->len > 300 ? "..." : "", it->want.p, it->want.len > 300 ? "..." : "");
  fputc('\n', stderr);
}

static void close_conn(struct conn *c)
{
  if (c->fd >= 0)
    close(c->fd);
  c->fd = -1;
  c->st = FREE;
  c->req = -1;
  c->in.len = 0;
}

static void fail(struct conn *c, const char *what)
{
  failures++;
  show(c->req, what, 0, NULL);
  done++;
  close_conn(c);
}

/* The connection ended before this request's answer began. On a connection that had answered
 * before, the server closed it while idle (keep-alive): send the request again on a new one. */
static void lost(struct conn *c, int err)
{
  if (c->served > 0 && c->in.len == 0 && c->st != CONNECTING) {
    static unsigned char *tries;
    if (!tries && !(tries = calloc((size_t)opt.requests, 1)))
      die("out of memory");
    if (++tries[c->req] <= MAX_RESENDS) {
      resend[n_resend++] = c->req;
      resent++;
      close_conn(c);
      return;
    }
  }
  char what[160];
  snprintf(what, sizeof what, "%s%s%s", c->st == CONNECTING ? "could not connect" : c->in.len
           ? "the connection closed mid-answer" : "the connection closed without an answer",
           err ? ": " : "", err ? strerror(err) : "");
  fail(c, what);
}

static void start(struct conn *c, long req)
{
  const struct item *it = &items[req % (long)n_items];
  c->req = req;
  c->t0 = now_ns();
  c->out.len = 0;
  c->out_off = 0;
  c->in.len = 0;
  char head[512];
  int n = snprintf(head, sizeof head, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: %s\r\n"
                   "Content-Length: %zu\r\n\r\n", it->path, opt.host, opt.port,
                   opt.batch ? "application/x-ndjson" : "application/json", it->body.len);
  if (n < 0 || (size_t)n >= sizeof head)
    die("a path too long: %s", it->path);
  buf_add(&c->out, head, (size_t)n);
  buf_add(&c->out, it->body.p, it->body.len);
  if (c->fd >= 0) {
    c->st = SENDING;
    return;
  }
  c->served = 0;
  c->fd = socket(AF_INET, SOCK_STREAM, 0);
  if (c->fd < 0)
    die("socket: %s", strerror(errno));
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0)
    die("fcntl: %s", strerror(errno));
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port)};
  if (inet_pton(AF_INET, opt.host, &sa.sin_addr) != 1)
    die("--host %s is not an IPv4 address", opt.host);
  opened++;
  c->st = CONNECTING;
  int r;
  do
    r = connect(c->fd, (struct sockaddr *)&sa, sizeof sa);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    c->st = SENDING;
  else if (errno != EINPROGRESS)
    lost(c, errno);
}

static void finish(struct conn *c, const struct answer *a)
{
  const struct item *it = &items[c->req % (long)n_items];
  lat[answered++] = now_ns() - c->t0;
  c->served++;
  done++;
  if (a->status != 200 || c->body.len != it->want.len || memcmp(c->body.p, it->want.p, it->want.len) != 0) {
    mismatches++;
    show(c->req, a->status != 200 ? "not 200" : "the answer differs", a->status, &c->body);
  } else {
    dossiers_ok += it->dossiers;
  }
  if (a->consumed != c->in.len) {      /* bytes nobody asked for: the connection is out of step */
    failures++;
    show(c->req, "bytes after the answer", 0, NULL);
    close_conn(c);
    return;
  }
  c->req = -1;
  c->in.len = 0;
  if (a->close)
    close_conn(c);
  else
    c->st = FREE;
}

static void step(struct conn *c)
{
  if (c->st == CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
      err = errno;
    if (err == EINPROGRESS || err == EINTR)
      return;
    if (err) {
      lost(c, err);
      return;
    }
    c->st = SENDING;
  }
  if (c->st == SENDING) {
    while (c->out_off < c->out.len) {
      size_t n = c->out.len - c->out_off;
      if (opt.max_io && n > (size_t)opt.max_io)
        n = (size_t)opt.max_io;
      ssize_t w = send(c->fd, c->out.p + c->out_off, n, MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (w <= 0) {
        lost(c, w < 0 ? errno : 0);
        return;
      }
      c->out_off += (size_t)w;
      if (opt.max_io)
        return;                        /* one partial write per turn of the loop */
    }
    c->st = RECEIVING;
    return;
  }
  if (c->st != RECEIVING)
    return;
  int eof = 0;
  for (;;) {
    size_t n = opt.max_io ? (size_t)opt.max_io : 65536;
    buf_reserve(&c->in, n + 1);
    ssize_t r = recv(c->fd, c->in.p + c->in.len, n, 0);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    if (r < 0 && c->in.len == 0) {
      lost(c, errno);
      return;
    }
    if (r <= 0) {
      eof = 1;
      break;
    }
    c->in.len += (size_t)r;
    if (opt.max_io || c->in.len > MAX_ANSWER)
      break;
  }
  if (eof && c->in.len == 0) {
    lost(c, 0);
    return;
  }
  struct answer a = {0};
  int r = parse_answer(c->in.p, c->in.len, eof, &a, &c->body);
  if (r < 0)
    fail(c, eof ? "the connection closed mid-answer" : "an answer that is not HTTP/1.1");
  else if (r > 0)
    finish(c, &a);
}

/* ---- the run ---- */

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static double percentile_ms(double p)   /* nearest rank */
{
  if (!answered)
    return 0;
  long k = (long)(p * (double)answered + 0.999999);
  if (k < 1)
    k = 1;
  return (double)lat[k - 1] / 1e6;
}

static void on_tick(int sig)
{
  (void)sig;
  ticks++;
}

static long number(const char *s, const char *what, long lo, long hi)
{
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < lo || v > hi)
    die("%s must be a whole number from %ld to %ld, not '%s'", what, lo, hi, s);
  return v;
}

int main(int argc, char **argv)
{
  const char *sets[16][3];
  int n_sets = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = argc - i - 1;
    if (!strcmp(a, "--set") && more >= 3) {
      if (n_sets == 16)
        die("at most 16 sets");
      sets[n_sets][0] = argv[i + 1];
      sets[n_sets][1] = argv[i + 2];
      sets[n_sets][2] = argv[i + 3];
      if (sets[n_sets][0][0] != '/')
        die("a path starts with /: %s", sets[n_sets][0]);
      n_sets++;
      i += 3;
    } else if (!strcmp(a, "--host") && more) {
      opt.host = argv[++i];
    } else if (!strcmp(a, "--port") && more) {
      opt.port = (int)number(argv[++i], "--port", 1, 65535);
    } else if (!strcmp(a, "--requests") && more) {
      opt.requests = number(argv[++i], "--requests", 1, 100000000);
    } else if (!strcmp(a, "--connections") && more) {
      opt.connections = (int)number(argv[++i], "--connections", 1, 4096);
    } else if (!strcmp(a, "--batch") && more) {
      opt.batch = (int)number(argv[++i], "--batch", 1, 1000000);
    } else if (!strcmp(a, "--max-io") && more) {
      opt.max_io = (int)number(argv[++i], "--max-io", 1, 1 << 20);
    } else if (!strcmp(a, "--time-limit") && more) {
      opt.time_limit = (double)number(argv[++i], "--time-limit", 1, 86400);
    } else if (!strcmp(a, "--result") && more) {
      opt.result = argv[++i];
    } else if (!strcmp(a, "--signals")) {
      opt.signals = 1;
    } else {
      die("usage: loadgen --port P --set PATH INPUT.jsonl EXPECTED.jsonl [--set ...] [--host IPV4]\n"
          "  [--requests N] [--connections C] [--batch K] [--time-limit S] [--max-io BYTES] [--signals]\n"
          "  [--result FILE]   (not understood: %s)", a);
    }
  }
  if (!opt.port || !n_sets)
    die("--port and at least one --set are needed");
  for (int s = 0; s < n_sets; s++)
    add_set(sets[s][0], sets[s][1], sets[s][2]);

  struct sigaction sa = {.sa_handler = SIG_IGN};
  sigaction(SIGPIPE, &sa, NULL);
  if (opt.signals) {                   /* no SA_RESTART: every blocking call may see EINTR */
    sa.sa_handler = on_tick;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &every, NULL);
  }
  lat = malloc((size_t)opt.requests * sizeof *lat);
  resend = malloc((size_t)opt.connections * sizeof *resend);
  struct conn *conns = calloc((size_t)opt.connections, sizeof *conns);
  struct pollfd *pfd = malloc((size_t)opt.connections * sizeof *pfd);
  int *pidx = malloc((size_t)opt.connections * sizeof *pidx);
  if (!lat || !resend || !conns || !pfd || !pidx)
    die("out of memory");
  for (int i = 0; i < opt.connections; i++) {
    conns[i].fd = -1;
    conns[i].req = -1;
  }

  uint64_t t_start = now_ns(), deadline = t_start + (uint64_t)(opt.time_limit * 1e9);
  int timed_out = 0;
  while (done < opt.requests) {
    if (now_ns() > deadline) {
      timed_out = 1;
      break;
    }
    if (failures >= MAX_FAILURES) {
      fprintf(stderr, "loadgen: %d failures, giving up\n", MAX_FAILURES);
      break;
    }
    int np = 0;
    for (int i = 0; i < opt.connections; i++) {
      struct conn *c = &conns[i];
      if (c->st == FREE && (n_resend || next_req < opt.requests))
        start(c, n_resend ? resend[--n_resend] : next_req++);
      if (c->st == FREE || c->fd < 0)
        continue;
      pfd[np].fd = c->fd;
      pfd[np].events = c->st == RECEIVING ? POLLIN : POLLOUT;
      pfd[np].revents = 0;
      pidx[np++] = i;
    }
    if (np == 0)
      continue;                        /* (connections that failed at once: start again) */
    int r = poll(pfd, (nfds_t)np, 100);
    if (r < 0 && errno != EINTR)
      die("poll: %s", strerror(errno));
    for (int k = 0; r > 0 && k < np; k++)
      if (pfd[k].revents)
        step(&conns[pidx[k]]);
  }
  double secs = (double)(now_ns() - t_start) / 1e9;
  if (opt.signals) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
  }
  for (int i = 0; i < opt.connections; i++) {
    close_conn(&conns[i]);
    free(conns[i].out.p);
    free(conns[i].in.p);
    free(conns[i].body.p);
  }
  free(conns);
  free(pfd);
  free(pidx);
  qsort(lat, (size_t)answered, sizeof *lat, cmp_u64);
  long lost_answers = opt.requests - done;
  double rps = (double)answered / secs, dps = (double)dossiers_ok / secs;
  double p50 = percentile_ms(0.50), p99 = percentile_ms(0.99);
  printf("loadgen: %ld requests (%llu dossiers%s) over %d connections in %.2f s: %.0f requests/s, "
         "%.0f dossiers/s, p50 %.2f ms, p99 %.2f ms; %ld mismatches, %ld failures, %ld unanswered, "
         "%ld resent, %ld connections opened%s\n",
         answered, dossiers_ok, opt.batch ? ", in NDJSON batches" : "", opt.connections, secs, rps, dps,
         p50, p99, mismatches, failures, lost_answers, resent, opened,
         opt.signals ? (ticks ? ", interrupted by signals" : ", no signal came") : "");
  if (opt.result) {
    FILE *f = fopen(opt.result, "w");
    if (!f || fprintf(f, "requests=%ld\ndossiers=%llu\nseconds=%.3f\nrps=%.0f\ndps=%.0f\np50_ms=%.2f\n"
                      "p99_ms=%.2f\n", answered, dossiers_ok, secs, rps, dps, p50, p99) < 0 || fclose(f))
      die("cannot write %s", opt.result);
  }
  if (timed_out) {
    fprintf(stderr, "loadgen: the time limit of %.0f s passed with %ld of %ld requests answered\n",
            opt.time_limit, done, opt.requests);
    return 3;
  }
  return mismatches || failures || lost_answers ? 1 : 0;
}
