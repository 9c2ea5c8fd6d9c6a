/*
 * cloud/assertion.c: certificate credentials.  The keys and certificates are
 * made at test time with OpenSSL (nothing committed under tests/data), and
 * each assertion is checked with OpenSSL as Entra ID would check it.
 */
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "test_cloud_fake.h"
#include "cloud/assertion.h"
#include "cloud/token.h"

#define TOKEN_URL \
	"https://login.example.test/contoso.onmicrosoft.com/oauth2/v2.0/token"
#define CLIENT_ID "11111111-1111-1111-1111-111111111111"

/* A key, its self-signed certificate in a file, and the key as PEM. */
struct pair {
	EVP_PKEY *pkey;
	X509 *x509;
	char cert_file[64];
	struct sb_bytes key_pem;
};

static X509 *
self_signed(EVP_PKEY *pkey, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *name;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	assert_int_equal(X509_set_pubkey(x, pkey), 1);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	assert_int_equal(X509_set_issuer_name(x, name), 1);
	assert_true(X509_sign(x, pkey, EVP_sha256()) > 0);
	return x;
}

static void
pair_make(struct pair *p, EVP_PKEY *pkey, const char *cn)
{
	BIO *mem = BIO_new(BIO_s_mem());
	FILE *f;
	char *data;
	long n;
	int fd;

	memset(p, 0, sizeof(*p));
	assert_non_null(pkey);
	p->pkey = pkey;
	p->x509 = self_signed(pkey, cn);
	snprintf(p->cert_file, sizeof(p->cert_file), "/tmp/sb-cert-XXXXXX");
	fd = mkstemp(p->cert_file);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_int_equal(PEM_write_X509(f, p->x509), 1);
	fclose(f);
	assert_int_equal(PEM_write_bio_PrivateKey(mem, pkey, NULL, NULL, 0,
			     NULL, NULL),
	    1);
	n = BIO_get_mem_data(mem, &data);
	assert_int_equal(sb_bytes_copy(&p->key_pem, data, (size_t)n, NULL),
	    SB_OK);
	BIO_free(mem);
}

static void
pair_free(struct pair *p)
{
	unlink(p->cert_file);
	sb_bytes_free(&p->key_pem);
	X509_free(p->x509);
	EVP_PKEY_free(p->pkey);
}

static struct pair rsa_a, rsa_b;

static int
setup(void **state)
{
	(void)state;
	pair_make(&rsa_a, EVP_RSA_gen(2048), "soabridge-a");
	pair_make(&rsa_b, EVP_RSA_gen(2048), "soabridge-b");
	/* as conf_secret_read() hands it over: without its last newline */
	assert_int_equal(rsa_a.key_pem.p[rsa_a.key_pem.len - 1], '\n');
	rsa_a.key_pem.len--;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	pair_free(&rsa_a);
	pair_free(&rsa_b);
	return 0;
}

static struct cloud_assertion_key *
load(const struct pair *p)
{
	struct cloud_assertion_key *k = NULL;
	struct sb_error err = { 0 };

	if (cloud_assertion_load(p->cert_file, &p->key_pem, &k, &err) != SB_OK)
		fail_msg("load: %s", err.text);
	return k;
}

/* base64url without padding to bytes; fails the test on any other char. */
static size_t
b64url_decode(const char *s, size_t n, unsigned char *out, size_t outsz)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqr"
				 "stuvwxyz0123456789-_";
	unsigned long v = 0;
	size_t i, bits = 0, len = 0;
	const char *c;

	for (i = 0; i < n; i++) {
		c = strchr(al, s[i]);
		if (s[i] == '\0' || c == NULL)
			fail_msg("not base64url: '%c'", s[i]);
		v = (v << 6) | (unsigned long)(c - al);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			assert_true(len < outsz);
			out[len++] = (unsigned char)(v >> bits);
		}
	}
	return len;
}

/* The three parts of a JWT: header and claims decoded, the signature raw. */
struct jwt {
	json_t *header, *claims;
	unsigned char sig[1024];
	size_t siglen;
	size_t signed_len; /* of "header.claims" */
};

static void
jwt_split(const char *s, struct jwt *j)
{
	const char *d1 = strchr(s, '.'), *d2;
	unsigned char buf[2048];
	size_t n;

	assert_non_null(d1);
	d2 = strchr(d1 + 1, '.');
	assert_non_null(d2);
	assert_null(strchr(d2 + 1, '.'));
	n = b64url_decode(s, (size_t)(d1 - s), buf, sizeof(buf));
	j->header = json_loadb((const char *)buf, n, 0, NULL);
	n = b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), buf, sizeof(buf));
	j->claims = json_loadb((const char *)buf, n, 0, NULL);
	assert_non_null(j->header);
	assert_non_null(j->claims);
	j->siglen = b64url_decode(d2 + 1, strlen(d2 + 1), j->sig,
	    sizeof(j->sig));
	j->signed_len = (size_t)(d2 - s);
}

static void
build(const struct cloud_assertion_key *k, long long now, struct sb_buf *b)
{
	struct sb_error err = { 0 };

	sb_buf_init(b, CLOUD_ASSERTION_MAX);
	if (cloud_assertion_build(k, TOKEN_URL, CLIENT_ID, now, b, &err) !=
	    SB_OK)
		fail_msg("build: %s", err.text);
}

static const char *
str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	assert_non_null(v);
	return v;
}

static void
test_assertion_is_three_base64url_parts_with_exactly_the_claims(void **state)
{
	struct cloud_assertion_key *k = load(&rsa_a);
	const long long now = 1767225600; /* 2026-01-01 */
	struct sb_buf b;
	struct jwt j;
	const char *jti;
	size_t i;

	(void)state;
	build(k, now, &b);
	jwt_split(b.p, &j);
	assert_int_equal(json_object_size(j.header), 3);
	assert_string_equal(str(j.header, "alg"), "PS256");
	assert_string_equal(str(j.header, "typ"), "JWT");
	assert_string_equal(str(j.header, "x5t#S256"),
	    cloud_assertion_thumbprint(k));
	assert_int_equal(json_object_size(j.claims), 7);
	assert_string_equal(str(j.claims, "aud"), TOKEN_URL);
	assert_string_equal(str(j.claims, "iss"), CLIENT_ID);
	assert_string_equal(str(j.claims, "sub"), CLIENT_ID);
	assert_int_equal(json_integer_value(json_object_get(j.claims, "nbf")),
	    now);
	assert_int_equal(json_integer_value(json_object_get(j.claims, "iat")),
	    now);
	assert_int_equal(json_integer_value(json_object_get(j.claims, "exp")),
	    now + 600);
	/* jti: a version 4 UUID */
	jti = str(j.claims, "jti");
	assert_int_equal(strlen(jti), 36);
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(jti[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", jti[i]));
	assert_int_equal(jti[14], '4');
	assert_non_null(strchr("89ab", jti[19]));
	json_decref(j.header);
	json_decref(j.claims);
	sb_buf_free(&b);
	cloud_assertion_free(k);
}

static void
test_assertion_signature_verifies_as_ps256_with_the_certificate(void **state)
{
	struct cloud_assertion_key *k = load(&rsa_a);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	struct sb_buf b;
	struct jwt j;

	(void)state;
	build(k, (long long)time(NULL), &b);
	jwt_split(b.p, &j);
	assert_int_equal(j.siglen, 256); /* 2048-bit RSA */
	/* RFC 7518 3.5: RSASSA-PSS, SHA-256, MGF1 SHA-256, 32-byte salt */
	assert_int_equal(EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL,
			     X509_get0_pubkey(rsa_a.x509)),
	    1);
	EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
	EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256());
	EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
	assert_int_equal(EVP_DigestVerify(md, j.sig, j.siglen,
			     (const unsigned char *)b.p, j.signed_len),
	    1);
	/* one changed byte of the claims and it no longer verifies */
	b.p[j.signed_len - 2] ^= 1;
	EVP_MD_CTX_reset(md);
	pctx = NULL;
	EVP_DigestVerifyInit(md, &pctx, EVP_sha256(), NULL,
	    X509_get0_pubkey(rsa_a.x509));
	EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
	EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
	assert_int_not_equal(EVP_DigestVerify(md, j.sig, j.siglen,
				 (const unsigned char *)b.p, j.signed_len),
	    1);
	EVP_MD_CTX_free(md);
	json_decref(j.header);
	json_decref(j.claims);
	sb_buf_free(&b);
	cloud_assertion_free(k);
}

static void
test_assertion_x5t_s256_is_the_sha256_of_the_der_certificate(void **state)
{
	struct cloud_assertion_key *k = load(&rsa_a);
	unsigned char md[32], got[64], *der = NULL;
	unsigned int mdlen = 0;
	int len;

	(void)state;
	len = i2d_X509(rsa_a.x509, &der);
	assert_true(len > 0);
	EVP_Digest(der, (size_t)len, md, &mdlen, EVP_sha256(), NULL);
	OPENSSL_free(der);
	assert_int_equal(strlen(cloud_assertion_thumbprint(k)), 43);
	assert_int_equal(b64url_decode(cloud_assertion_thumbprint(k), 43, got,
			     sizeof(got)),
	    32);
	assert_memory_equal(got, md, 32);
	cloud_assertion_free(k);
}

static void
test_assertion_key_of_another_certificate_is_refused_at_load(void **state)
{
	struct cloud_assertion_key *k = NULL;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_assertion_load(rsa_a.cert_file, &rsa_b.key_pem,
			     &k, &err),
	    SB_CONFIG);
	assert_null(k);
	assert_non_null(strstr(err.text,
	    "does not hold the key of the "
	    "certificate"));
	assert_non_null(strstr(err.text, rsa_a.cert_file));
}

static void
test_assertion_non_rsa_key_is_refused(void **state)
{
	struct cloud_assertion_key *k = NULL;
	struct sb_error err = { 0 };
	struct pair ec;

	(void)state;
	pair_make(&ec, EVP_EC_gen("P-256"), "soabridge-ec");
	assert_int_equal(cloud_assertion_load(ec.cert_file, &ec.key_pem, &k,
			     &err),
	    SB_CONFIG);
	assert_null(k);
	assert_non_null(strstr(err.text, "only RSA keys"));
	/* an EC key beside an RSA certificate: the key's type is named */
	assert_int_equal(cloud_assertion_load(rsa_a.cert_file, &ec.key_pem, &k,
			     &err),
	    SB_CONFIG);
	assert_non_null(strstr(err.text, "only RSA keys"));
	pair_free(&ec);
}

static void
test_assertion_encrypted_key_is_refused_without_a_prompt(void **state)
{
	struct cloud_assertion_key *k = NULL;
	struct sb_error err = { 0 };
	struct sb_bytes pem = { 0 };
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	long n;

	(void)state;
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(mem, rsa_a.pkey,
			     EVP_aes_256_cbc(), "pass", 4, NULL, NULL),
	    1);
	n = BIO_get_mem_data(mem, &data);
	assert_int_equal(sb_bytes_copy(&pem, data, (size_t)n, NULL), SB_OK);
	assert_int_equal(cloud_assertion_load(rsa_a.cert_file, &pem, &k, &err),
	    SB_CONFIG);
	assert_non_null(strstr(err.text, "encrypted key"));
	sb_bytes_free(&pem);
	BIO_free(mem);
}

static void
test_assertion_missing_certificate_file_is_named(void **state)
{
	struct cloud_assertion_key *k = NULL;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_assertion_load("/nonexistent/app.pem",
			     &rsa_a.key_pem, &k, &err),
	    SB_CONFIG);
	assert_non_null(strstr(err.text, "/nonexistent/app.pem"));
}

/* The key (PEM) must not reach any error text, even on failure. */
static void
key_not_in(const char *text)
{
	char line[65];
	const char *body = strstr((const char *)rsa_a.key_pem.p, "\n");

	assert_non_null(body);
	snprintf(line, sizeof(line), "%.64s", body + 1);
	assert_null(strstr(text, line));
}

/* Through the client: every token request signs a fresh assertion. */
static void
test_token_form_carries_a_fresh_assertion_and_no_secret(void **state)
{
	struct cloud_params p = {
		.login_url = "https://login.example.test",
		.tenant_id = "contoso.onmicrosoft.com",
		.client_id = CLIENT_ID,
		.certificate_file = rsa_a.cert_file,
		.private_key = &rsa_a.key_pem,
	};
	char first[4096];
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };
	const char *a;
	struct fake f;
	struct jwt j;

	(void)state;
	assert_int_equal(cloud_open(&p, &c, &err), SB_OK);
	memset(&f, 0, sizeof(f));
	cloud_client_set_transport(c, fake_transport, &f);
	cloud_client_set_sleep(c, fake_sleep, &f);
	assert_int_equal(cloud_check_tokens(c, &err), SB_OK);
	assert_int_equal(f.ntokens, 2);
	assert_null(strstr(f.token_body, "client_secret"));
	assert_non_null(strstr(f.token_body,
	    "grant_type=client_credentials&"
	    "client_id=" CLIENT_ID "&scope="));
	assert_non_null(strstr(f.token_body,
	    "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
	    "client-assertion-type%3Ajwt-bearer&client_assertion=ey"));
	a = strstr(f.token_body, "&client_assertion=") + 18;
	jwt_split(a, &j);
	assert_string_equal(str(j.claims, "aud"), TOKEN_URL);
	json_decref(j.header);
	json_decref(j.claims);
	/* the next request: another assertion (another jti) */
	snprintf(first, sizeof(first), "%s", a);
	f.token_status = 401;
	f.token_file = "token/error-invalid-secret.json";
	assert_int_equal(cloud_client_token(c, CLOUD_AUD_GRAPH, 1, &a, &err),
	    SB_STOP);
	a = strstr(f.token_body, "&client_assertion=") + 18;
	assert_string_not_equal(a, first);
	key_not_in(err.text);
	cloud_close(c);
}

static void
test_client_refuses_a_secret_and_a_certificate_together(void **state)
{
	static const struct sb_bytes secret = { (unsigned char *)"s", 1 };
	struct cloud_params p = {
		.tenant_id = "contoso.onmicrosoft.com",
		.client_id = CLIENT_ID,
		.client_secret = &secret,
		.certificate_file = rsa_a.cert_file,
		.private_key = &rsa_a.key_pem,
	};
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(cloud_open(&p, &c, &err), SB_CONFIG);
	assert_null(c);
	assert_non_null(strstr(err.text, "not both"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_assertion_is_three_base64url_parts_with_exactly_the_claims),
		cmocka_unit_test(
		    test_assertion_signature_verifies_as_ps256_with_the_certificate),
		cmocka_unit_test(
		    test_assertion_x5t_s256_is_the_sha256_of_the_der_certificate),
		cmocka_unit_test(
		    test_assertion_key_of_another_certificate_is_refused_at_load),
		cmocka_unit_test(test_assertion_non_rsa_key_is_refused),
		cmocka_unit_test(
		    test_assertion_encrypted_key_is_refused_without_a_prompt),
		cmocka_unit_test(
		    test_assertion_missing_certificate_file_is_named),
		cmocka_unit_test(
		    test_token_form_carries_a_fresh_assertion_and_no_secret),
		cmocka_unit_test(
		    test_client_refuses_a_secret_and_a_certificate_together),
	};

	return cmocka_run_group_tests_name("cloud_assertion", tests, setup,
	    teardown);
}
