/*
 * Test support for the agent's write path (test_apply.c, test_recover.c,
 * test_writer.c): replies to write operations on the fake LDAP connection
 * of test_ldap_fake.h, which only speaks search results.  Include after
 * test_ldap_fake.h.
 */
#ifndef TEST_AGENT_FAKE_H
#define TEST_AGENT_FAKE_H

#include "test_ldap_fake.h"

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
