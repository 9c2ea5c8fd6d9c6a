/* What the write gate counts as protected: protect.h, DC accounts, FSPs. */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "agent/gateprotect.h"
#include "agent/gatetypes.h"
#include "mapping/dirobj.h"
#include "mapping/protect.h"

/* userAccountControl bits of domain controller accounts (MS-ADTS 2.2.16). */
#define UAC_SERVER_TRUST_ACCOUNT	0x00002000UL
#define UAC_PARTIAL_SECRETS_ACCOUNT	0x04000000UL

#define FSP_CLASS	"foreignSecurityPrincipal"

const char *const agent_gate_protect_attrs[] = { "objectClass", "objectGUID",
    "objectSid", "adminCount", "isCriticalSystemObject", "sAMAccountName",
    "userAccountControl", "memberOf", NULL };

/*
 * map_protect_check, plus what only the gate sees of members it was never
 * asked to plan: domain controller accounts (a DC's isCriticalSystemObject
 * may be unset on some directories) and foreign security principals
 * (well-known and other-forest SIDs, which no cloud object stands for).
 */
int
agent_gate_protected(const struct agent_gate *g, const struct dirobj *o,
    char *why, size_t whysz)
{
	const char *uac = dirobj_get_str(o, "userAccountControl");
	const struct dirattr *oc = dirobj_get(o, "objectClass");
	unsigned long bits;
	size_t i;

	if (map_protect_check(o, g->domain, why, whysz))
		return 1;
	if (uac != NULL) {
		bits = strtoul(uac, NULL, 10);
		if (bits & (UAC_SERVER_TRUST_ACCOUNT |
		    UAC_PARTIAL_SECRETS_ACCOUNT)) {
			snprintf(why, whysz, "a domain controller account");
			return 1;
		}
	}
	for (i = 0; oc != NULL && i < oc->nvals; i++)
		if (oc->vals[i].len == sizeof(FSP_CLASS) - 1 &&
		    strncasecmp((const char *)oc->vals[i].p, FSP_CLASS,
		    sizeof(FSP_CLASS) - 1) == 0) {
			snprintf(why, whysz, "a foreign security principal");
			return 1;
		}
	return 0;
}
