/*
** bundlesig.h: the operator's own bundles, signed with a local key, so that
** loading them may skip the bytecode verifier (start-up). A bundle from
** elsewhere is never trusted: only a keyed MAC the operator's key reproduces
** says "I compiled and verified this myself".
**
** The key is 32 random bytes in a file the operator makes (`dagloon sleutel
** FILE`), written as 64 hex digits; it is read only from a regular file owned
** by the user with no permissions for group or others (as ssh treats its
** keys), and it never goes into a bundle. `dagloon compile --sign FILE` appends
** a trailer to the bundle; the bundle's own bytes are unchanged:
**
**   bundle | 32-byte HMAC-SHA256 tag | 8-byte key id | "DAGLSIG1"
**
** tag = HMAC-SHA256(key, bundle | key id | "DAGLSIG1"); key id = the first 8
** bytes of HMAC-SHA256(key, "dagloon key id"), so a reader can tell a bundle
** signed with another key (verified as any other) from one signed with its
** key and altered since (refused).
*/
#ifndef DAGLOON_BUNDLESIG_H
#define DAGLOON_BUNDLESIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { BUNDLE_KEY_BYTES = 32, BUNDLE_KEY_ID_BYTES = 8, BUNDLE_SIG_BYTES = 48 };

typedef struct BundleKey {
  uint8_t key[BUNDLE_KEY_BYTES];
  uint8_t id[BUNDLE_KEY_ID_BYTES];
} BundleKey;

/* Makes a new key file at `path` (never over an existing file; mode 0600, every write checked). */
bool bundle_key_create(const char *path, char *why, size_t cap);

/* Reads the key file at `path`; false with the reason when it is not one, or others may read or write it. */
bool bundle_key_load(const char *path, BundleKey *k, char *why, size_t cap);

/* The key the process trusts its own bundles by (NULL: none, every bundle is verified). */
void bundle_set_key(const BundleKey *k);
const BundleKey *bundle_key(void);

/* The trailer that signs bundle[0..n) with k. */
void bundle_sign(const BundleKey *k, const void *bundle, size_t n, uint8_t trailer[BUNDLE_SIG_BYTES]);

typedef enum {
  BUNDLE_UNSIGNED,    /* no trailer */
  BUNDLE_OTHER_KEY,   /* signed, but not with k (or no key given): verified as any bundle */
  BUNDLE_SIGNED_OK,   /* signed with k, bytes unchanged: the operator's own */
  BUNDLE_SIGNED_BAD   /* signed with k's id, but the tag does not match: altered since */
} BundleSigState;

/* What data[0..n) is; *body_n gets the length without a trailer. k may be NULL. */
BundleSigState bundle_sig_check(const BundleKey *k, const void *data, size_t n, size_t *body_n);

/* HMAC-SHA256 (RFC 2104) of msg under key, into out[32] (also for the RFC 4231 tests). */
void hmac_sha256_bytes(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[32]);

#endif
