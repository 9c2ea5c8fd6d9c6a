/*
 * Test support for ldap/ and the agent's write path: a struct ad_conn whose
 * libldap handle talks over a socketpair to a "server" that is only bytes.
 * The replies (BER, as AD sends them) are written before the operation runs,
 * each with the message id libldap will give its request (1, 2, ... on a
 * fresh handle); the requests libldap sent are read back afterwards.  No
 * network, no thread.  Included by test_ldap_*.c and the agent's write-path
 * tests (apply, recover, writer); everything is static.
 */
#ifndef TEST_LDAP_FAKE_H
#define TEST_LDAP_FAKE_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "ldap/internal.h"
#include "ldap/conn.h"
#include "ldap/search.h"

/*
 * libldap exports it (OPENLDAP_2.5) but the installed ldap.h does not
 * declare it; 1 is its LDAP_PROTO_TCP: a stream socket.
 */
int	ldap_init_fd(ber_socket_t fd, int proto, const char *url, LDAP **ldp);
#define FAKE_LDAP_PROTO_TCP	1

#define FAKE_LDAP_REQ_MAX	16
#define FAKE_LDAP_BUF		(256 * 1024)

struct fake_ldap {
	struct ad_conn	*c;
	int		 srv;		/* the server's end */
	/* what libldap sent, split into messages */
	unsigned char	 buf[FAKE_LDAP_BUF];
	size_t		 len;
	size_t		 off[FAKE_LDAP_REQ_MAX], mlen[FAKE_LDAP_REQ_MAX];
	size_t		 nmsg;
};

/* A connection to the fake; schema_nc as the rootDSE would give it. */
static inline void
fake_ldap_open(struct fake_ldap *f, const char *schema_nc)
{
	int sv[2];
	LDAP *ld = NULL;
	int version = LDAP_VERSION3;

	memset(f, 0, sizeof(*f));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ldap_init_fd(sv[0], FAKE_LDAP_PROTO_TCP,
	    "ldap://dc1.corp.example", &ld), LDAP_SUCCESS);
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	f->c = calloc(1, sizeof(*f->c));
	assert_non_null(f->c);
	f->c->ld = ld;
	f->c->uri = strdup("ldap://dc1.corp.example");
	f->c->schema_nc = schema_nc ? strdup(schema_nc) : NULL;
	f->c->default_nc = strdup("DC=corp,DC=example");
	f->c->tls = 1;
	/* a reply the test forgot fails the test in 2 s, not never */
	f->c->timeout_s = 2;
	f->c->timeout.tv_sec = 2;
	f->srv = sv[1];
}

static inline void
fake_ldap_close(struct fake_ldap *f)
{
	ad_close(f->c);		/* closes the client's end */
	close(f->srv);
}

static inline void
fake_ldap_send(struct fake_ldap *f, BerElement *ber)
{
	struct berval *bv = NULL;

	assert_int_equal(ber_flatten(ber, &bv), 0);
	assert_int_equal(write(f->srv, bv->bv_val, bv->bv_len),
	    (ssize_t)bv->bv_len);
	ber_bvfree(bv);
	ber_free(ber, 1);
}

/*
 * A SearchResultEntry: attrs as "name", "value", ..., NULL groups, each
 * group ended by NULL, the list by a second NULL.
 */
static inline void
fake_ldap_entry(struct fake_ldap *f, int msgid, const char *dn, ...)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER);
	const char *name, *v;
	va_list ap;

	assert_non_null(ber);
	assert_true(ber_printf(ber, "{it{s{", msgid, LDAP_RES_SEARCH_ENTRY,
	    dn) >= 0);
	va_start(ap, dn);
	while ((name = va_arg(ap, const char *)) != NULL) {
		assert_true(ber_printf(ber, "{s[", name) >= 0);
		while ((v = va_arg(ap, const char *)) != NULL)
			assert_true(ber_printf(ber, "s", v) >= 0);
		assert_true(ber_printf(ber, "]}") >= 0);
	}
	va_end(ap);
	assert_true(ber_printf(ber, "}}}") >= 0);
	fake_ldap_send(f, ber);
}

/* A continuation reference, as AD sends for DomainDnsZones. */
static inline void
fake_ldap_reference(struct fake_ldap *f, int msgid, const char *uri)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER);

	assert_non_null(ber);
	assert_true(ber_printf(ber, "{it{s}}", msgid,
	    LDAP_RES_SEARCH_REFERENCE, uri) >= 0);
	fake_ldap_send(f, ber);
}

/*
 * A SearchResultDone with result code rc; with cookie non-NULL a paged
 * results control carrying it ("" on the last page).
 */
static inline void
fake_ldap_done(struct fake_ldap *f, int msgid, int rc, const char *diag,
    const char *cookie)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER), *cv;
	struct berval *val = NULL, ck;

	assert_non_null(ber);
	assert_true(ber_printf(ber, "{it{ess}", msgid, LDAP_RES_SEARCH_RESULT,
	    rc, "", diag ? diag : "") >= 0);
	if (cookie != NULL) {
		cv = ber_alloc_t(LBER_USE_DER);
		assert_non_null(cv);
		ck.bv_val = (char *)cookie;
		ck.bv_len = strlen(cookie);
		assert_true(ber_printf(cv, "{iO}", 0, &ck) >= 0);
		assert_int_equal(ber_flatten(cv, &val), 0);
		ber_free(cv, 1);
		assert_true(ber_printf(ber, "t{{sO}}", LDAP_TAG_CONTROLS,
		    LDAP_CONTROL_PAGEDRESULTS, val) >= 0);
		ber_bvfree(val);
	}
	assert_true(ber_printf(ber, "}") >= 0);
	fake_ldap_send(f, ber);
}

/* Reads what libldap sent and splits it into LDAPMessages. */
static inline void
fake_ldap_requests(struct fake_ldap *f)
{
	ssize_t n;
	size_t at, l, hdr, k;
	int fl = fcntl(f->srv, F_GETFL);

	assert_int_equal(fcntl(f->srv, F_SETFL, fl | O_NONBLOCK), 0);
	while ((n = read(f->srv, f->buf + f->len, sizeof(f->buf) - f->len))
	    > 0)
		f->len += (size_t)n;
	assert_true(n == 0 || errno == EAGAIN);
	f->nmsg = 0;
	for (at = 0; at < f->len; at += hdr + l) {
		assert_int_equal(f->buf[at], 0x30);	/* SEQUENCE */
		assert_true(f->nmsg < FAKE_LDAP_REQ_MAX);
		l = f->buf[at + 1];
		hdr = 2;
		if (l & 0x80) {
			k = l & 0x7f;
			for (l = 0; k > 0; k--, hdr++)
				l = (l << 8) | f->buf[at + hdr];
		}
		f->off[f->nmsg] = at;
		f->mlen[f->nmsg] = hdr + l;
		f->nmsg++;
	}
}

/* 1 when request i holds the bytes p[0..n). */
static inline int
fake_ldap_holds(const struct fake_ldap *f, size_t i, const void *p, size_t n)
{
	size_t j;

	for (j = 0; j + n <= f->mlen[i]; j++)
		if (memcmp(f->buf + f->off[i] + j, p, n) == 0)
			return 1;
	return 0;
}

/* An OCTET STRING as BER encodes it (short form), for fake_ldap_holds. */
static inline size_t
fake_ldap_octets(const char *s, unsigned char *out)
{
	size_t n = strlen(s);

	assert_true(n < 128);
	out[0] = 0x04;
	out[1] = (unsigned char)n;
	memcpy(out + 2, s, n);
	return n + 2;
}

struct fake_search_req {
	ber_tag_t	 op;
	ber_int_t	 msgid;
	char		 base[256];
	ber_int_t	 scope;
	char		**attrs;	/* ber_memvfree() */
};

/* Request i decoded as a SearchRequest (base, scope, attributes). */
static inline void
fake_ldap_search_req(const struct fake_ldap *f, size_t i,
    struct fake_search_req *r)
{
	struct berval bv = { f->mlen[i], (char *)f->buf + f->off[i] };
	struct berval base = { 0, NULL };
	BerElement *ber = ber_init(&bv);
	ber_int_t deref, size, tlimit, typesonly;

	assert_non_null(ber);
	memset(r, 0, sizeof(*r));
	assert_true(ber_scanf(ber, "{it{meeiibxv", &r->msgid, &r->op, &base,
	    &r->scope, &deref, &size, &tlimit, &typesonly, &r->attrs) !=
	    LBER_ERROR);
	snprintf(r->base, sizeof(r->base), "%.*s", (int)base.bv_len,
	    base.bv_val);
	ber_free(ber, 1);
}

/*
 * An LDAPResult of protocol op tag (LDAP_RES_MODIFY, LDAP_RES_ADD, ...)
 * for message msgid: what AD answers to a write.
 */
static inline void
fake_ldap_result(struct fake_ldap *f, int msgid, ber_tag_t tag, int rc,
    const char *diag)
{
	BerElement *ber = ber_alloc_t(LBER_USE_DER);

	assert_non_null(ber);
	assert_true(ber_printf(ber, "{it{ess}}", msgid, tag, rc, "",
	    diag ? diag : "") >= 0);
	fake_ldap_send(f, ber);
}

/* 1 when request i carries the string s (an OID, a DN, a name). */
static inline int
fake_ldap_holds_str(const struct fake_ldap *f, size_t i, const char *s)
{
	unsigned char enc[130];
	size_t n = fake_ldap_octets(s, enc);

	return fake_ldap_holds(f, i, enc, n);
}

/* The protocol op tag of request i (LDAP_REQ_MODIFY, LDAP_REQ_SEARCH, ...). */
static inline ber_tag_t
fake_ldap_req_op(const struct fake_ldap *f, size_t i)
{
	struct berval bv = { f->mlen[i], (char *)f->buf + f->off[i] };
	BerElement *ber = ber_init(&bv);
	ber_int_t msgid;
	ber_len_t len;
	ber_tag_t tag;

	assert_non_null(ber);
	assert_true(ber_scanf(ber, "{i", &msgid) != LBER_ERROR);
	tag = ber_peek_tag(ber, &len);
	ber_free(ber, 1);
	return tag;
}

#endif
