/* Certificate credentials: load and pair the key, sign client assertions. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "assertion.h"

/* RFC 7518 3.5: PS256 is RSASSA-PSS, SHA-256, MGF1 SHA-256, 32-byte salt. */
#define PSS_SALT_LEN 32

struct cloud_assertion_key {
	EVP_PKEY *pkey;
	char thumb[CLOUD_ASSERTION_THUMB_LEN + 1];
};

/* OpenSSL's reason for the last failure, for messages (never key bytes). */
static const char *
ossl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	return r != NULL ? r : "unknown error";
}

/*
 * Refuses to prompt: without this OpenSSL asks the terminal for the
 * passphrase of an encrypted key, which an unattended agent cannot answer.
 */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static enum sb_status
b64url_append(struct sb_buf *b, const unsigned char *p, size_t len,
    struct sb_error *err)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqr"
				 "stuvwxyz0123456789-_";
	enum sb_status st = SB_OK;
	char q[4];
	size_t i, n;
	unsigned long v;

	for (i = 0; st == SB_OK && i < len; i += 3) {
		n = len - i < 3 ? len - i : 3;
		v = (unsigned long)p[i] << 16;
		if (n > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		q[0] = al[(v >> 18) & 63];
		q[1] = al[(v >> 12) & 63];
		q[2] = al[(v >> 6) & 63];
		q[3] = al[v & 63];
		/* base64url as JWS uses it: no padding (RFC 7515 2). */
		st = sb_buf_append(b, q, n + 1, err);
	}
	explicit_bzero(q, sizeof(q));
	return st;
}

static enum sb_status
load_cert(const char *path, X509 **out, struct sb_error *err)
{
	BIO *bio;
	X509 *x;

	bio = BIO_new_file(path, "r");
	if (bio == NULL)
		return sb_fail(err, SB_CONFIG, errno, "cloud.cert",
		    "cannot read certificate_file %s: %s", path,
		    errno ? strerror(errno) : ossl_reason());
	x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	if (x == NULL)
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "certificate_file %s holds no PEM certificate (%s)", path,
		    ossl_reason());
	*out = x;
	return SB_OK;
}

/*
 * PKCS#8 "BEGIN ENCRYPTED PRIVATE KEY" or the older "Proc-Type: 4,ENCRYPTED"
 * (memmem() is a GNU extension; -D_DEFAULT_SOURCE does not declare it).
 */
static int
is_encrypted(const struct sb_bytes *pem)
{
	size_t i;

	for (i = 0; i + 9 <= pem->len; i++)
		if (memcmp(pem->p + i, "ENCRYPTED", 9) == 0)
			return 1;
	return 0;
}

static enum sb_status
load_key(const struct sb_bytes *pem, EVP_PKEY **out, struct sb_error *err)
{
	BIO *bio;
	EVP_PKEY *k;

	if (pem == NULL || pem->len == 0 || pem->len > INT_MAX)
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "the private key is empty");
	bio = BIO_new_mem_buf(pem->p, (int)pem->len);
	if (bio == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "cloud.cert",
		    "out of memory");
	k = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	BIO_free(bio);
	if (k != NULL) {
		*out = k;
		return SB_OK;
	}
	if (is_encrypted(pem))
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "private_key_file holds an encrypted key: soabridge "
		    "cannot ask for a passphrase; store the key unencrypted "
		    "(mode 0600)");
	return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
	    "private_key_file holds no PEM private key (%s)", ossl_reason());
}

/* The certificate's key must be RSA, and the private key its own. */
static enum sb_status
check_pair(X509 *x, EVP_PKEY *k, const char *path, struct sb_error *err)
{
	EVP_PKEY *pub = X509_get0_pubkey(x);

	if (EVP_PKEY_base_id(k) != EVP_PKEY_RSA)
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "private_key_file holds a %s key; only RSA keys can sign "
		    "the PS256 assertions Entra ID takes",
		    OBJ_nid2sn(EVP_PKEY_base_id(k)));
	if (pub == NULL || EVP_PKEY_base_id(pub) != EVP_PKEY_RSA)
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "certificate_file %s is not for an RSA key", path);
	if (X509_check_private_key(x, k) != 1)
		return sb_fail(err, SB_CONFIG, 0, "cloud.cert",
		    "private_key_file does not hold the key of the "
		    "certificate in %s (a key of another certificate?)",
		    path);
	return SB_OK;
}

/* x5t#S256: base64url of the SHA-256 of the DER certificate. */
static enum sb_status
thumbprint(X509 *x, char *out, struct sb_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int mdlen = 0;
	struct sb_buf b;
	enum sb_status st;
	int len;

	len = i2d_X509(x, &der);
	if (len <= 0 ||
	    EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL) != 1) {
		OPENSSL_free(der);
		return sb_fail(err, SB_BUG, 0, "cloud.cert",
		    "cannot hash the certificate: %s", ossl_reason());
	}
	OPENSSL_free(der);
	sb_buf_init(&b, CLOUD_ASSERTION_THUMB_LEN + 1);
	st = b64url_append(&b, md, mdlen, err);
	if (st == SB_OK && b.len != CLOUD_ASSERTION_THUMB_LEN)
		st = sb_fail(err, SB_BUG, 0, "cloud.cert", "bad digest");
	if (st == SB_OK)
		memcpy(out, b.p, CLOUD_ASSERTION_THUMB_LEN + 1);
	sb_buf_free(&b);
	return st;
}

enum sb_status
cloud_assertion_load(const char *cert_file, const struct sb_bytes *key_pem,
    struct cloud_assertion_key **out, struct sb_error *err)
{
	struct cloud_assertion_key *k = NULL;
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	enum sb_status st;

	ERR_clear_error();
	st = load_cert(cert_file, &x, err);
	if (st == SB_OK)
		st = load_key(key_pem, &pkey, err);
	if (st == SB_OK)
		st = check_pair(x, pkey, cert_file, err);
	if (st != SB_OK)
		goto done;
	k = calloc(1, sizeof(*k));
	if (k == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "cloud.cert",
		    "out of memory");
		goto done;
	}
	st = thumbprint(x, k->thumb, err);
	if (st != SB_OK)
		goto done;
	k->pkey = pkey;
	pkey = NULL;
	*out = k;
	k = NULL;
done:
	ERR_clear_error();
	cloud_assertion_free(k);
	EVP_PKEY_free(pkey);
	X509_free(x);
	return st;
}

void
cloud_assertion_free(struct cloud_assertion_key *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey); /* OpenSSL clears the private parts */
	free(k);
}

const char *
cloud_assertion_thumbprint(const struct cloud_assertion_key *k)
{
	return k->thumb;
}

/* A version 4 UUID from the CSPRNG: jti must not repeat (RFC 7523 3). */
static enum sb_status
new_jti(char *out, size_t outsz, struct sb_error *err)
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1)
		return sb_fail(err, SB_BUG, 0, "cloud.assertion",
		    "no random bytes: %s", ossl_reason());
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, outsz,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
	    r[11], r[12], r[13], r[14], r[15]);
	return SB_OK;
}

/* base64url of the compact JSON of v (a new reference, which it takes). */
static enum sb_status
append_json(struct sb_buf *b, json_t *v, struct sb_error *err)
{
	enum sb_status st;
	char *s;

	s = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (s == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "cloud.assertion",
		    "out of memory");
	st = b64url_append(b, (const unsigned char *)s, strlen(s), err);
	free(s);
	return st;
}

/* header.claims, the JWS signing input (RFC 7515 5.1). */
static enum sb_status
signing_input(const struct cloud_assertion_key *k, const char *token_url,
    const char *client_id, long long now, struct sb_buf *b,
    struct sb_error *err)
{
	char jti[40];
	enum sb_status st;

	st = new_jti(jti, sizeof(jti), err);
	if (st != SB_OK)
		return st;
	st = append_json(b,
	    json_pack("{s:s, s:s, s:s}", "alg", "PS256", "typ", "JWT",
		"x5t#S256", k->thumb),
	    err);
	if (st == SB_OK)
		st = sb_buf_append(b, ".", 1, err);
	if (st == SB_OK)
		st = append_json(b,
		    json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "aud",
			token_url, "iss", client_id, "sub", client_id, "jti",
			jti, "nbf", (json_int_t)now, "iat", (json_int_t)now,
			"exp", (json_int_t)(now + CLOUD_ASSERTION_LIFETIME_S)),
		    err);
	return st;
}

/* The PS256 signature of msg into a new buffer (*sig, *siglen). */
static enum sb_status
sign_pss(EVP_PKEY *pkey, const char *msg, size_t len, unsigned char **sig,
    size_t *siglen, struct sb_error *err)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *s = NULL;
	size_t n = 0;
	enum sb_status st = SB_OK;

	if (md == NULL ||
	    EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL, pkey) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, PSS_SALT_LEN) != 1 ||
	    EVP_DigestSign(md, NULL, &n, (const unsigned char *)msg, len) !=
		1 ||
	    (s = malloc(n)) == NULL ||
	    EVP_DigestSign(md, s, &n, (const unsigned char *)msg, len) != 1) {
		st = sb_fail(err, SB_BUG, 0, "cloud.assertion",
		    "cannot sign the client assertion: %s", ossl_reason());
		free(s);
		s = NULL;
	}
	EVP_MD_CTX_free(md); /* frees pctx too */
	ERR_clear_error();
	*sig = s;
	*siglen = n;
	return st;
}

enum sb_status
cloud_assertion_build(const struct cloud_assertion_key *k,
    const char *token_url, const char *client_id, long long now,
    struct sb_buf *out, struct sb_error *err)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	struct sb_buf jwt;
	enum sb_status st;

	sb_buf_init(&jwt, CLOUD_ASSERTION_MAX);
	st = signing_input(k, token_url, client_id, now, &jwt, err);
	if (st == SB_OK)
		st = sign_pss(k->pkey, jwt.p, jwt.len, &sig, &siglen, err);
	if (st == SB_OK)
		st = sb_buf_append(&jwt, ".", 1, err);
	if (st == SB_OK)
		st = b64url_append(&jwt, sig, siglen, err);
	if (st == SB_OK)
		st = sb_buf_append(out, jwt.p, jwt.len, err);
	free(sig); /* public once sent; not a secret */
	sb_buf_free(&jwt);
	return st;
}
