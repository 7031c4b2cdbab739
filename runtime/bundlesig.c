/*
** bundlesig.c: the operator's key file and the keyed MAC of a bundle (see
** bundlesig.h). HMAC-SHA256 is nettle's (the project links nettle already).
*/
#include "bundlesig.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

static const char SIG_MAGIC[8] = {'D', 'A', 'G', 'L', 'S', 'I', 'G', '1'};
enum { KEY_HEX = 2 * BUNDLE_KEY_BYTES };

void hmac_sha256_bytes(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[32]) {
  struct hmac_sha256_ctx ctx;
  hmac_sha256_set_key(&ctx, keylen, key);
  hmac_sha256_update(&ctx, n, msg);
  hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

static void key_id(BundleKey *k) {
  static const char label[] = "dagloon key id";
  uint8_t d[SHA256_DIGEST_SIZE];
  hmac_sha256_bytes(k->key, sizeof k->key, label, sizeof label - 1, d);
  memcpy(k->id, d, sizeof k->id);
}

bool bundle_key_create(const char *path, char *why, size_t cap) {
  uint8_t key[BUNDLE_KEY_BYTES];
  if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key) {
    snprintf(why, cap, _("%s: no random bytes for a key: %s"), path, strerror(errno));
    return false;
  }
  char text[KEY_HEX + 1];
  for (size_t i = 0; i < sizeof key; i++) snprintf(text + 2 * i, 3, "%02x", key[i]);
  text[KEY_HEX] = '\n';
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(why, cap, errno == EEXIST ? _("%s: already exists; a key is never overwritten (remove it first)")
                                       : _("%s: cannot create the key: %s"), path, strerror(errno));
    return false;
  }
  bool ok = write(fd, text, sizeof text) == (ssize_t)sizeof text && fsync(fd) == 0;
  int werr = errno;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    snprintf(why, cap, _("%s: cannot write the key: %s"), path, strerror(werr ? werr : errno));
    unlink(path);
  }
  return ok;
}

static int hexval(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool bundle_key_load(const char *path, BundleKey *k, char *why, size_t cap) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(why, cap, _("key %s: cannot open: %s"), path, strerror(errno));
    if (fd >= 0) close(fd);
    return false;
  }
  /* as ssh does with its keys: a key others could read or replace proves nothing */
  const char *bad = !S_ISREG(st.st_mode)      ? _("not a regular file")
                    : st.st_uid != geteuid()  ? _("owned by another user")
                    : (st.st_mode & 077) != 0 ? _("readable or writable by others (chmod 600 it)")
                                              : NULL;
  char text[KEY_HEX + 2];
  ssize_t got = bad ? 0 : read(fd, text, sizeof text);
  close(fd);
  if (!bad && !(got == KEY_HEX || (got == KEY_HEX + 1 && text[KEY_HEX] == '\n'))) bad = _("not a dagloon key file");
  for (size_t i = 0; !bad && i < BUNDLE_KEY_BYTES; i++) {
    int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
    if (hi < 0 || lo < 0) bad = _("not a dagloon key file");
    else k->key[i] = (uint8_t)(hi << 4 | lo);
  }
  if (bad) {
    snprintf(why, cap, _("key %s: %s; not used"), path, bad);
    memset(k, 0, sizeof *k);
    return false;
  }
  key_id(k);
  return true;
}

static const BundleKey *process_key;

void bundle_set_key(const BundleKey *k) { process_key = k; }

const BundleKey *bundle_key(void) { return process_key; }

/* The tag over bundle[0..n) and the trailer's id and magic. */
static void sig_tag(const BundleKey *k, const void *bundle, size_t n, uint8_t tag[SHA256_DIGEST_SIZE]) {
  struct hmac_sha256_ctx ctx;
  hmac_sha256_set_key(&ctx, sizeof k->key, k->key);
  hmac_sha256_update(&ctx, n, bundle);
  hmac_sha256_update(&ctx, sizeof k->id, k->id);
  hmac_sha256_update(&ctx, sizeof SIG_MAGIC, (const uint8_t *)SIG_MAGIC);
  hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, tag);
}

void bundle_sign(const BundleKey *k, const void *bundle, size_t n, uint8_t trailer[BUNDLE_SIG_BYTES]) {
  sig_tag(k, bundle, n, trailer);
  memcpy(trailer + SHA256_DIGEST_SIZE, k->id, BUNDLE_KEY_ID_BYTES);
  memcpy(trailer + SHA256_DIGEST_SIZE + BUNDLE_KEY_ID_BYTES, SIG_MAGIC, sizeof SIG_MAGIC);
}

BundleSigState bundle_sig_check(const BundleKey *k, const void *data, size_t n, size_t *body_n) {
  const uint8_t *p = data;
  *body_n = n;
  if (n < BUNDLE_SIG_BYTES || memcmp(p + n - sizeof SIG_MAGIC, SIG_MAGIC, sizeof SIG_MAGIC) != 0)
    return BUNDLE_UNSIGNED;
  *body_n = n - BUNDLE_SIG_BYTES;
  const uint8_t *trailer = p + *body_n;
  if (!k || memcmp(trailer + SHA256_DIGEST_SIZE, k->id, BUNDLE_KEY_ID_BYTES) != 0) return BUNDLE_OTHER_KEY;
  uint8_t tag[SHA256_DIGEST_SIZE];
  sig_tag(k, p, *body_n, tag);
  return memeql_sec(tag, trailer, sizeof tag) ? BUNDLE_SIGNED_OK : BUNDLE_SIGNED_BAD;
}
