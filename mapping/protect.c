/* Decides whether an AD object is protected (never written) and says why. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "dn.h"
#include "protect.h"

struct rid_name {
	uint32_t	 rid;
	const char	*name;
};

/* Domain RIDs of privileged accounts and groups (MS-DTYP 2.4.2.4). */
static const struct rid_name domain_rids[] = {
	{ 498, "Enterprise Read-only Domain Controllers" },
	{ 500, "Administrator" },
	{ 502, "krbtgt" },
	{ 512, "Domain Admins" },
	{ 513, "Domain Users" },
	{ 514, "Domain Guests" },
	{ 515, "Domain Computers" },
	{ 516, "Domain Controllers" },
	{ 517, "Cert Publishers" },
	{ 518, "Schema Admins" },
	{ 519, "Enterprise Admins" },
	{ 520, "Group Policy Creator Owners" },
	{ 521, "Read-only Domain Controllers" },
	{ 522, "Cloneable Domain Controllers" },
	{ 525, "Protected Users" },
	{ 526, "Key Admins" },
	{ 527, "Enterprise Key Admins" },
	{ 553, "RAS and IAS Servers" },
	{ 571, "Allowed RODC Password Replication Group" },
	{ 572, "Denied RODC Password Replication Group" },
};

/* Built-in domain aliases, S-1-5-32-RID. */
static const struct rid_name builtin_rids[] = {
	{ 544, "Administrators" },
	{ 545, "Users" },
	{ 546, "Guests" },
	{ 548, "Account Operators" },
	{ 549, "Server Operators" },
	{ 550, "Print Operators" },
	{ 551, "Backup Operators" },
	{ 552, "Replicator" },
	{ 554, "Pre-Windows 2000 Compatible Access" },
	{ 555, "Remote Desktop Users" },
	{ 556, "Network Configuration Operators" },
	{ 557, "Incoming Forest Trust Builders" },
	{ 560, "Windows Authorization Access Group" },
	{ 562, "Distributed COM Users" },
	{ 569, "Cryptographic Operators" },
	{ 573, "Event Log Readers" },
	{ 578, "Hyper-V Administrators" },
	{ 579, "Access Control Assistance Operators" },
	{ 580, "Remote Management Users" },
};

/*
 * Privileged groups whose RID is not fixed (created by DNS or Exchange
 * setup): protected by sAMAccountName.  A false match only protects more.
 */
static const char *const privileged_group_names[] = {
	"DnsAdmins",			/* loads code into the DNS service */
	"DnsUpdateProxy",
	"Exchange Windows Permissions",	/* WriteDACL on the domain */
	"Exchange Trusted Subsystem",
	"Exchange Servers",
	"Organization Management",
};

static const char *
rid_name(const struct rid_name *t, size_t n, uint32_t rid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].rid == rid)
			return t[i].name;
	return NULL;
}

/* 1 and a reason when the SID is built-in or privileged (or unreadable). */
static int
sid_protected(const struct sb_bytes *b, char *reason, size_t reasonsz)
{
	struct map_sid sid = { 0 };
	const char *name;
	uint32_t rid;

	if (map_sid_parse(b->p, b->len, &sid, NULL) != SB_OK) {
		snprintf(reason, reasonsz, "objectSid cannot be parsed");
		return 1;
	}
	if (sid.authority != 5 || sid.count == 0)
		return 0;
	rid = sid.sub[sid.count - 1];
	if (sid.sub[0] == 32) {
		name = rid_name(builtin_rids,
		    sizeof(builtin_rids) / sizeof(builtin_rids[0]), rid);
		snprintf(reason, reasonsz, "built-in SID S-1-5-32-%" PRIu32 "%s%s",
		    rid, name ? ": " : "", name ? name : "");
		return 1;
	}
	/* A domain SID: S-1-5-21-a-b-c-RID. */
	if (sid.sub[0] != 21)
		return 0;
	if (sid.count != 5) {
		snprintf(reason, reasonsz, "objectSid is not an account SID");
		return 1;
	}
	name = rid_name(domain_rids,
	    sizeof(domain_rids) / sizeof(domain_rids[0]), rid);
	if (name != NULL) {
		snprintf(reason, reasonsz, "privileged RID %" PRIu32 ": %s",
		    rid, name);
		return 1;
	}
	/* Below 1000 every RID is reserved for a well-known account or group. */
	if (rid < 1000) {
		snprintf(reason, reasonsz, "well-known RID %" PRIu32, rid);
		return 1;
	}
	return 0;
}

int
map_protect_check(const struct dirobj *ad, const char *base_dn, char *reason,
    size_t reasonsz)
{
	const char *v;
	size_t i;

	v = dirobj_get_str(ad, "adminCount");
	if (v != NULL && strcmp(v, "0") != 0) {
		snprintf(reason, reasonsz, "adminCount=%s (AdminSDHolder)", v);
		return 1;
	}
	v = dirobj_get_str(ad, "isCriticalSystemObject");
	if (v != NULL && strcasecmp(v, "TRUE") == 0) {
		snprintf(reason, reasonsz, "isCriticalSystemObject=TRUE");
		return 1;
	}
	if (ad->sid.len > 0 && sid_protected(&ad->sid, reason, reasonsz))
		return 1;
	v = ad->kind == DIROBJ_GROUP ? dirobj_get_str(ad, "sAMAccountName") :
	    NULL;
	for (i = 0; v != NULL && i < sizeof(privileged_group_names) /
	    sizeof(privileged_group_names[0]); i++)
		if (strcasecmp(v, privileged_group_names[i]) == 0) {
			snprintf(reason, reasonsz, "privileged group %s",
			    privileged_group_names[i]);
			return 1;
		}
	if (base_dn != NULL && ad->dn != NULL) {
		if (map_dn_is_under_rdn(ad->dn, "CN=Builtin", base_dn)) {
			snprintf(reason, reasonsz, "under CN=Builtin");
			return 1;
		}
		if (map_dn_is_under_rdn(ad->dn, "CN=System", base_dn)) {
			snprintf(reason, reasonsz, "under CN=System");
			return 1;
		}
	}
	return 0;
}
