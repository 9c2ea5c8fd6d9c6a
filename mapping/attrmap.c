/* The default attribute map (a table) and the attribute lists the readers request. */
#include <strings.h>

#include "attrmap.h"

#define EXCH_1(ad, mbx)	{ ad, MAP_CLASS_EXCHANGE, 0, mbx, NULL, NULL, \
			  MAP_XF_NONE, MAP_MATCH_EXACT }
#define EXCH_N(ad, mbx)	{ ad, MAP_CLASS_EXCHANGE, 1, mbx, NULL, NULL, \
			  MAP_XF_NONE, MAP_MATCH_EXACT }
#define IDENT(ad, graph) { ad, MAP_CLASS_IDENTITY, 0, NULL, NULL, graph, \
			  MAP_XF_NONE, MAP_MATCH_EXACT }

/*
 * graph-exo-protocol.md section 6 and DESIGN.md's class table.  Exchange
 * rows read the mailbox; proxyAddresses, mail and mailNickname also name a
 * Graph source, used only for an isCloudManaged object without a mailbox.
 */
static const struct map_attr default_map[] = {
	{ "proxyAddresses", MAP_CLASS_EXCHANGE, 1, "EmailAddresses", NULL,
	    "proxyAddresses", MAP_XF_NONE, MAP_MATCH_EXACT },
	{ "mail", MAP_CLASS_EXCHANGE, 0, "WindowsEmailAddress",
	    "PrimarySmtpAddress", "mail", MAP_XF_NONE, MAP_MATCH_EXACT },
	{ "mailNickname", MAP_CLASS_EXCHANGE, 0, "Alias", NULL,
	    "mailNickname", MAP_XF_NONE, MAP_MATCH_EXACT },
	EXCH_1("extensionAttribute1", "CustomAttribute1"),
	EXCH_1("extensionAttribute2", "CustomAttribute2"),
	EXCH_1("extensionAttribute3", "CustomAttribute3"),
	EXCH_1("extensionAttribute4", "CustomAttribute4"),
	EXCH_1("extensionAttribute5", "CustomAttribute5"),
	EXCH_1("extensionAttribute6", "CustomAttribute6"),
	EXCH_1("extensionAttribute7", "CustomAttribute7"),
	EXCH_1("extensionAttribute8", "CustomAttribute8"),
	EXCH_1("extensionAttribute9", "CustomAttribute9"),
	EXCH_1("extensionAttribute10", "CustomAttribute10"),
	EXCH_1("extensionAttribute11", "CustomAttribute11"),
	EXCH_1("extensionAttribute12", "CustomAttribute12"),
	EXCH_1("extensionAttribute13", "CustomAttribute13"),
	EXCH_1("extensionAttribute14", "CustomAttribute14"),
	EXCH_1("extensionAttribute15", "CustomAttribute15"),
	EXCH_N("msExchExtensionCustomAttribute1", "ExtensionCustomAttribute1"),
	EXCH_N("msExchExtensionCustomAttribute2", "ExtensionCustomAttribute2"),
	EXCH_N("msExchExtensionCustomAttribute3", "ExtensionCustomAttribute3"),
	EXCH_N("msExchExtensionCustomAttribute4", "ExtensionCustomAttribute4"),
	EXCH_N("msExchExtensionCustomAttribute5", "ExtensionCustomAttribute5"),
	{ "msExchHideFromAddressLists", MAP_CLASS_EXCHANGE, 0,
	    "HiddenFromAddressListsEnabled", NULL, NULL, MAP_XF_BOOL,
	    MAP_MATCH_BOOL },

	IDENT("displayName", "displayName"),
	IDENT("givenName", "givenName"),
	IDENT("sn", "surname"),
	IDENT("title", "jobTitle"),
	IDENT("department", "department"),
	IDENT("company", "companyName"),
	IDENT("physicalDeliveryOfficeName", "officeLocation"),
	{ "telephoneNumber", MAP_CLASS_IDENTITY, 0, NULL, NULL,
	    "businessPhones", MAP_XF_FIRST, MAP_MATCH_EXACT },
	IDENT("mobile", "mobilePhone"),
	IDENT("streetAddress", "streetAddress"),
	IDENT("l", "city"),
	IDENT("st", "state"),
	IDENT("postalCode", "postalCode"),
	IDENT("co", "country"),
	IDENT("employeeID", "employeeId"),
	{ "manager", MAP_CLASS_IDENTITY, 0, NULL, NULL, "manager",
	    MAP_XF_MANAGER_DN, MAP_MATCH_DN },
};

#define NROWS	(sizeof(default_map) / sizeof(default_map[0]))

/* Anchors and protection markers first, then every AD attribute of the map. */
static const char *const ad_read_attrs[] = {
	"objectClass", "objectGUID", "objectSid", "mS-DS-ConsistencyGuid",
	"adminCount", "isCriticalSystemObject",
	"proxyAddresses", "mail", "mailNickname",
	"extensionAttribute1", "extensionAttribute2", "extensionAttribute3",
	"extensionAttribute4", "extensionAttribute5", "extensionAttribute6",
	"extensionAttribute7", "extensionAttribute8", "extensionAttribute9",
	"extensionAttribute10", "extensionAttribute11", "extensionAttribute12",
	"extensionAttribute13", "extensionAttribute14", "extensionAttribute15",
	"msExchExtensionCustomAttribute1", "msExchExtensionCustomAttribute2",
	"msExchExtensionCustomAttribute3", "msExchExtensionCustomAttribute4",
	"msExchExtensionCustomAttribute5", "msExchHideFromAddressLists",
	"displayName", "givenName", "sn", "title", "department", "company",
	"physicalDeliveryOfficeName", "telephoneNumber", "mobile",
	"streetAddress", "l", "st", "postalCode", "co", "employeeID", "manager",
	"sAMAccountName",
	NULL
};

/*
 * AD groups (mapping/groups.h): anchors, protection markers, names and
 * writeback anchors, the attributes the cloud may own, memberOf (nesting in
 * a protected group).  Not member: read by range, only where needed.
 */
static const char *const ad_group_read_attrs[] = {
	"objectClass", "objectGUID", "objectSid", "adminCount",
	"isCriticalSystemObject", "sAMAccountName", "groupType", "displayName",
	"description", "adminDescription", "msDS-ExternalDirectoryObjectId",
	"mail", "mailNickname", "proxyAddresses", "memberOf",
	NULL
};

/* Graph group properties (the ou_extension property is added by the reader). */
static const char *const graph_group_select[] = {
	"id", "displayName", "description", "mailEnabled", "securityEnabled",
	"groupTypes", "mail", "mailNickname", "proxyAddresses",
	"onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
	NULL
};

/* manager and onPremisesSyncBehavior are navigation properties: not here. */
static const char *const graph_user_select[] = {
	"id", "displayName", "userPrincipalName", "onPremisesImmutableId",
	"onPremisesSecurityIdentifier", "onPremisesSyncEnabled",
	"proxyAddresses", "mail", "mailNickname",
	"givenName", "surname", "jobTitle", "department", "companyName",
	"officeLocation", "businessPhones", "mobilePhone", "streetAddress",
	"city", "state", "postalCode", "country", "employeeId",
	NULL
};

static const char *const mailbox_properties[] = {
	"ExternalDirectoryObjectId", "DisplayName", "RecipientTypeDetails",
	"IsDirSynced", "IsExchangeCloudManaged",
	"EmailAddresses", "WindowsEmailAddress", "PrimarySmtpAddress", "Alias",
	"CustomAttribute1", "CustomAttribute2", "CustomAttribute3",
	"CustomAttribute4", "CustomAttribute5", "CustomAttribute6",
	"CustomAttribute7", "CustomAttribute8", "CustomAttribute9",
	"CustomAttribute10", "CustomAttribute11", "CustomAttribute12",
	"CustomAttribute13", "CustomAttribute14", "CustomAttribute15",
	"ExtensionCustomAttribute1", "ExtensionCustomAttribute2",
	"ExtensionCustomAttribute3", "ExtensionCustomAttribute4",
	"ExtensionCustomAttribute5", "HiddenFromAddressListsEnabled",
	NULL
};

const struct map_attr *
map_attrmap_default(size_t *n)
{
	*n = NROWS;
	return default_map;
}

const struct map_attr *
map_attrmap_find(const char *ad_name)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (strcasecmp(default_map[i].ad_name, ad_name) == 0)
			return &default_map[i];
	return NULL;
}

const char *
map_class_name(enum map_class cls)
{
	switch (cls) {
	case MAP_CLASS_EXCHANGE:	return "exchange";
	case MAP_CLASS_IDENTITY:	return "identity";
	case MAP_CLASS_MEMBERSHIP:	return "membership";
	case MAP_CLASS_PLACEMENT:	return "placement";
	}
	return "unknown";
}

const char *const *
map_ad_read_attrs(void)
{
	return ad_read_attrs;
}

const char *const *
map_graph_user_select(void)
{
	return graph_user_select;
}

const char *const *
map_mailbox_properties(void)
{
	return mailbox_properties;
}

const char *const *
map_ad_group_read_attrs(void)
{
	return ad_group_read_attrs;
}

const char *const *
map_graph_group_select(void)
{
	return graph_group_select;
}
