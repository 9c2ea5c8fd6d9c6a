/*
 * Certificate credentials: the app's certificate and private key, and the
 * client assertion (a JWT signed PS256) sent to the token endpoint in place
 * of a client secret (RFC 7523, Microsoft identity platform "certificate
 * credentials").  The key never leaves this file; assertions are bearer
 * credentials for their ten minutes, wiped by the caller, never logged.
 */
#ifndef SB_CLOUD_ASSERTION_H
#define SB_CLOUD_ASSERTION_H

#include "mapping/core.h"

/* An assertion is well under this: header, claims, a 4096-bit signature. */
#define CLOUD_ASSERTION_MAX ((size_t)16 * 1024)
/* How long an assertion is valid: Microsoft asks for a few minutes. */
#define CLOUD_ASSERTION_LIFETIME_S 600
/* "x5t#S256": base64url of a SHA-256 digest, 43 characters. */
#define CLOUD_ASSERTION_THUMB_LEN 43

struct cloud_assertion_key;

/*
 * Loads the PEM certificate in cert_file and the PEM private key in key_pem
 * (borrowed: read by the caller from a checked secret file, which wipes it).
 * Only RSA keys; the key must be the certificate's (checked here, so a
 * wrong pair fails before any request).  SB_CONFIG with the reason
 * otherwise; *out is the caller's, freed with cloud_assertion_free.
 */
enum sb_status
cloud_assertion_load(const char *cert_file, const struct sb_bytes *key_pem,
    struct cloud_assertion_key **out, struct sb_error *err);
void cloud_assertion_free(struct cloud_assertion_key *k);

/* x5t#S256 of the certificate (public): base64url SHA-256 of its DER. */
const char *cloud_assertion_thumbprint(const struct cloud_assertion_key *k);

/*
 * A fresh client assertion for token_url (the aud claim) and client_id
 * (iss and sub), valid from now (seconds since the epoch) for
 * CLOUD_ASSERTION_LIFETIME_S, with a random jti.  Appended to out, whose
 * cap should be CLOUD_ASSERTION_MAX; the caller wipes it (sb_buf_free).
 */
enum sb_status cloud_assertion_build(const struct cloud_assertion_key *k,
    const char *token_url, const char *client_id, long long now,
    struct sb_buf *out, struct sb_error *err);

#endif
