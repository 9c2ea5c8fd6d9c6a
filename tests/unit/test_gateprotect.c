/*
 * agent/gateprotect.c: what the write gate counts as protected beyond
 * mapping/protect.h.  A foreign security principal from another forest
 * (no well-known SID) is caught by its objectClass alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "agent/gateprotect.h"
#include "agent/gatetypes.h"
#include "mapping/dirobj.h"

#define DOMAIN	"DC=corp,DC=example"

static struct dirobj *
member(const char *dn, const char *oc_last, const char *uac)
{
	struct dirobj *o = dirobj_new(DIROBJ_OTHER);

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->dn, dn, NULL), SB_OK);
	assert_int_equal(dirobj_add_str(o, "objectClass", "top", NULL), SB_OK);
	assert_int_equal(dirobj_add_str(o, "objectClass", oc_last, NULL),
	    SB_OK);
	if (uac != NULL)
		assert_int_equal(dirobj_add_str(o, "userAccountControl", uac,
		    NULL), SB_OK);
	return o;
}

static void
test_gate_protects_a_foreign_security_principal_by_its_class(void **state)
{
	struct agent_gate g;
	struct dirobj *o;
	char why[128] = "";

	(void)state;
	memset(&g, 0, sizeof(g));
	g.domain = DOMAIN;
	/* another forest's user: no well-known or privileged SID */
	o = member("CN=S-1-5-21-1111-2222-3333-1105,"
	    "CN=ForeignSecurityPrincipals," DOMAIN, "foreignSecurityPrincipal",
	    NULL);
	assert_int_equal(agent_gate_protected(&g, o, why, sizeof(why)), 1);
	assert_string_equal(why, "a foreign security principal");
	dirobj_free(o);
	/* the class compares without case, as AD's names do */
	o = member("CN=S-1-5-21-1111-2222-3333-1106,"
	    "CN=ForeignSecurityPrincipals," DOMAIN, "ForeignSecurityPrincipal",
	    NULL);
	assert_int_equal(agent_gate_protected(&g, o, why, sizeof(why)), 1);
	dirobj_free(o);
}

static void
test_gate_protects_dc_accounts_and_not_plain_users(void **state)
{
	struct agent_gate g;
	struct dirobj *o;
	char why[128] = "";

	(void)state;
	memset(&g, 0, sizeof(g));
	g.domain = DOMAIN;
	/* SERVER_TRUST_ACCOUNT | TRUSTED_FOR_DELEGATION: a writable DC */
	o = member("CN=DC1,OU=Domain Controllers," DOMAIN, "computer",
	    "532480");
	assert_int_equal(agent_gate_protected(&g, o, why, sizeof(why)), 1);
	assert_string_equal(why, "a domain controller account");
	dirobj_free(o);
	/* NORMAL_ACCOUNT; a class name longer than the FSP's prefix */
	o = member("CN=Ann,OU=Staff," DOMAIN, "foreignSecurityPrincipalX",
	    "512");
	assert_int_equal(agent_gate_protected(&g, o, why, sizeof(why)), 0);
	dirobj_free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_gate_protects_a_foreign_security_principal_by_its_class),
		cmocka_unit_test(
		    test_gate_protects_dc_accounts_and_not_plain_users),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
