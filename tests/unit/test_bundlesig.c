/*
** test_bundlesig.c: the operator's signed bundles (runtime/bundlesig.c) -- HMAC-SHA256
** against RFC 4231's test vectors; a bundle signed with the key the process trusts loads
** without the verifier, one signed with another key (or with no key set) is verified as
** any bundle, one signed with the key and altered since is refused; key files that others
** may read, or that are no key, are refused.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lang/front.h"
#include "runtime/bundle.h"
#include "runtime/bundlesig.h"
#include "runtime/chunk.h"

static void unhex(const char *h, uint8_t *out, size_t *n) {
  *n = 0;
  for (; h[0] && h[1]; h += 2) {
    unsigned v;
    sscanf(h, "%2x", &v);
    out[(*n)++] = (uint8_t)v;
  }
}

/* RFC 4231 section 4: key, data (hex) and HMAC-SHA-256 (hex; case 5 is truncated, so left out). */
Test(bundlesig, hmac_sha256_matches_rfc4231) {
  static const struct {
    const char *key, *data, *mac;
  } v[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {"0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    /* case 6: a key longer than the block (131 bytes of 0xaa), hashed first */
    {"aa*131",
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {"aa*131",
     "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206b657920616e642061"
     "206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b6579206e6565647320746f20626520686173686564"
     "206265666f7265206265696e6720757365642062792074686520484d414320616c676f726974686d2e",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint8_t key[200], data[200], want[32], got[32];
    size_t nk, nd, nw;
    if (strcmp(v[i].key, "aa*131") == 0) {   /* cases 6 and 7: 131 bytes of 0xaa */
      nk = 131;
      memset(key, 0xaa, nk);
    } else {
      unhex(v[i].key, key, &nk);
    }
    unhex(v[i].data, data, &nd);
    unhex(v[i].mac, want, &nw);
    cr_assert_eq(nw, 32);
    hmac_sha256_bytes(key, nk, data, nd, got);
    cr_assert(memcmp(got, want, 32) == 0, "RFC 4231 vector %zu", i);
  }
}

/* A key file made by bundle_key_create in a fresh folder; *k loaded from it. */
static char *new_key(BundleKey *k) {
  char dir[] = "/tmp/dagloon-key-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char *path = malloc(strlen(dir) + 8);
  sprintf(path, "%s/key", dir);
  char why[600];
  cr_assert(bundle_key_create(path, why, sizeof why), "%s", why);
  cr_assert(bundle_key_load(path, k, why, sizeof why), "%s", why);
  return path;
}

static void drop_key(char *path) {
  unlink(path);
  *strrchr(path, '/') = 0;
  rmdir(path);
  free(path);
}

/* The bundle of c in memory, signed with k (NULL: unsigned). */
static char *bundle_bytes(const Chunk *c, const BundleKey *k, size_t *n) {
  char *p = NULL;
  FILE *m = open_memstream(&p, n);
  char err[400];
  cr_assert(bundle_write_signed(c, NULL, "test", k, m, err, sizeof err), "%s", err);
  fclose(m);
  return p;
}

static Chunk *compile_bench(Front *f) {
  front_init(f);
  const char *paths[1] = {"rules/bench"};
  Chunk *c = front_compile(f, paths, 1, FRONT_COMPILE);
  cr_assert_not_null(c);
  return c;
}

/*
** The verifier is skipped only for the operator's own bundles: bytecode it refuses (no such
** opcode), signed with the key the process trusts, loads (the operator vouched for it when
** signing); the same bytes with no key set, or signed with another key, meet the verifier.
*/
Test(bundlesig, only_bundles_signed_with_the_trusted_key_skip_the_verifier) {
  BundleKey mine, other;
  char *kp = new_key(&mine), *kq = new_key(&other);
  cr_assert(memcmp(mine.id, other.id, sizeof mine.id) != 0);
  Front f;
  Chunk *c = compile_bench(&f);
  c->protos[0].code[0].op = 250;
  size_t n_mine, n_other;
  char *b_mine = bundle_bytes(c, &mine, &n_mine), *b_other = bundle_bytes(c, &other, &n_other);
  char err[600];

  bundle_set_key(NULL);
  cr_assert_null(bundle_read_mem(b_mine, n_mine, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "verifier") && strstr(err, "bad opcode"), "%s", err);

  bundle_set_key(&mine);
  Chunk *own = bundle_read_mem(b_mine, n_mine, "b.dlb", err, sizeof err);
  cr_assert_not_null(own, "the operator's own bundle was not trusted: %s", err);
  cr_assert_eq(own->protos[0].code[0].op, 250);
  chunk_free(own);
  cr_assert_null(bundle_read_mem(b_other, n_other, "b.dlb", err, sizeof err));
  cr_assert(strstr(err, "verifier") && strstr(err, "bad opcode"), "%s", err);

  bundle_set_key(NULL);
  free(b_mine);
  free(b_other);
  chunk_free(c);
  front_free(&f);
  drop_key(kp);
  drop_key(kq);
}

/* rules/bench compiled and its bundle signed with a fresh key (the key not yet trusted). */
typedef struct SignedBench {
  BundleKey key;
  char *key_path;
  Front front;
  Chunk *chunk;
  char *bytes;
  size_t n;
} SignedBench;

static void signed_bench(SignedBench *sb) {
  sb->key_path = new_key(&sb->key);
  sb->chunk = compile_bench(&sb->front);
  sb->bytes = bundle_bytes(sb->chunk, &sb->key, &sb->n);
}

static void signed_bench_free(SignedBench *sb) {
  bundle_set_key(NULL);
  free(sb->bytes);
  chunk_free(sb->chunk);
  front_free(&sb->front);
  drop_key(sb->key_path);
}

/* Signed and loaded with the key: the same code and tables as compiled (nothing lost by skipping). */
Test(bundlesig, a_signed_bundle_round_trips) {
  SignedBench sb;
  signed_bench(&sb);
  char err[600];
  bundle_set_key(&sb.key);
  Chunk *back = bundle_read_mem(sb.bytes, sb.n, "b.dlb", err, sizeof err);
  bundle_set_key(NULL);
  cr_assert_not_null(back, "%s", err);
  char *d1 = NULL, *d2 = NULL;
  size_t n1, n2;
  FILE *m1 = open_memstream(&d1, &n1), *m2 = open_memstream(&d2, &n2);
  chunk_disasm(sb.chunk, m1);
  chunk_disasm(back, m2);
  fclose(m1);
  fclose(m2);
  cr_assert(n1 > 100 && n1 == n2 && memcmp(d1, d2, n1) == 0);
  /* without the key the same file is an ordinary bundle: verified, and it passes */
  Chunk *plain = bundle_read_mem(sb.bytes, sb.n, "b.dlb", err, sizeof err);
  cr_assert_not_null(plain, "%s", err);
  chunk_free(plain);
  free(d1);
  free(d2);
  chunk_free(back);
  signed_bench_free(&sb);
}

/* Any byte altered after signing -- the body (checksum made right again), the tag -- refuses the bundle. */
Test(bundlesig, an_altered_signed_bundle_is_refused) {
  SignedBench sb;
  signed_bench(&sb);
  size_t n = sb.n, body = n - BUNDLE_SIG_BYTES;
  size_t at[] = {40, body / 2, body - 9, body + 3};   /* in the body, in its checksum, in the tag */
  bundle_set_key(&sb.key);
  for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
    char *t = malloc(n);
    memcpy(t, sb.bytes, n);
    t[at[i]] ^= 0x01;
    uint64_t h = bundle_checksum(t, body - 8);   /* a careful forger keeps the checksum right */
    if (at[i] < body - 8)
      for (int j = 0; j < 8; j++) t[body - 8 + (size_t)j] = (char)(h >> (8 * j));
    char err[600];
    cr_assert_null(bundle_read_mem(t, n, "b.dlb", err, sizeof err), "byte %zu altered, still loaded", at[i]);
    cr_assert(strstr(err, "altered since"), "%s", err);
    free(t);
  }
  signed_bench_free(&sb);
}

Test(bundlesig, key_files_others_can_read_or_that_are_no_key_are_refused) {
  BundleKey k;
  char *kp = new_key(&k);
  struct stat st;
  cr_assert(stat(kp, &st) == 0);
  cr_assert_eq(st.st_mode & 0777, 0600, "a new key is the user's alone");
  char why[600];
  cr_assert(!bundle_key_create(kp, why, sizeof why), "an existing key was overwritten");
  cr_assert(strstr(why, "already exists"), "%s", why);
  cr_assert(chmod(kp, 0640) == 0);
  cr_assert(!bundle_key_load(kp, &k, why, sizeof why));
  cr_assert(strstr(why, "readable or writable by others"), "%s", why);
  cr_assert(chmod(kp, 0602) == 0);
  cr_assert(!bundle_key_load(kp, &k, why, sizeof why));
  cr_assert(chmod(kp, 0600) == 0);
  FILE *f = fopen(kp, "w");
  fputs("not a key\n", f);
  fclose(f);
  cr_assert(!bundle_key_load(kp, &k, why, sizeof why));
  cr_assert(strstr(why, "not a dagloon key file"), "%s", why);
  cr_assert(!bundle_key_load("/nonexistent/key", &k, why, sizeof why));
  cr_assert(strstr(why, "cannot open"), "%s", why);
  drop_key(kp);
}
