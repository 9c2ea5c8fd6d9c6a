/*
 * The default attribute map as data (one row per AD attribute, as SSSD's
 * ldap_opts.c), and the lists derived from it: what to read from AD, what
 * to $select from Graph, which mailbox properties to request.
 */
#ifndef MAP_ATTRMAP_H
#define MAP_ATTRMAP_H

#include <stddef.h>

#include "options.h"

enum map_transform {
	MAP_XF_NONE = 0,	/* values as they are (single-valued: the first) */
	MAP_XF_FIRST,		/* a cloud collection to its first value */
	MAP_XF_BOOL,		/* "true"/"false" (any case) to "TRUE"/"FALSE" */
	MAP_XF_MANAGER_DN,	/* a cloud object id to the DN of its AD object */
};

/* How AD values are compared with desired ones for a single-valued attribute. */
enum map_match {
	MAP_MATCH_EXACT = 0,	/* byte for byte: a case change is a change */
	MAP_MATCH_BOOL,		/* TRUE/FALSE case-insensitively */
	MAP_MATCH_DN,		/* DN equality (map_dn_equal) */
};

struct map_attr {
	const char		*ad_name;	/* LDAP name */
	enum map_class		 cls;
	int			 multi;		/* multi-valued in AD */
	const char		*mailbox_src;	/* Exchange Online property, or NULL */
	const char		*mailbox_alt;	/* used when mailbox_src is empty */
	const char		*graph_src;	/* Graph property, or NULL */
	enum map_transform	 xf;
	enum map_match		 match;
};

/* The default map: *n rows, static, in a fixed order (plans follow it). */
const struct map_attr	*map_attrmap_default(size_t *n);
/* The row for AD attribute ad_name (case-insensitive), or NULL. */
const struct map_attr	*map_attrmap_find(const char *ad_name);
/* "exchange", "identity", "membership", "placement". */
const char		*map_class_name(enum map_class cls);

/*
 * NULL-terminated static lists.  ldap/ passes the first to its searches
 * (besides objectGUID, the anchors and protection markers, every mapped
 * attribute); cloud/ joins the second with ',' for $select on /users
 * (manager is a navigation property: ask $expand=manager($select=id);
 * onPremisesSyncBehavior is read separately, graph-exo-protocol.md 3);
 * the third names the mailbox properties read from Get-Mailbox.
 */
const char *const	*map_ad_read_attrs(void);
const char *const	*map_graph_user_select(void);
const char *const	*map_mailbox_properties(void);
/*
 * Groups (mapping/groups.h): what ldap/ reads of AD groups (member is read
 * separately, by range) and what cloud/ selects of Graph groups (plus the
 * configured groups.ou_extension property).
 */
const char *const	*map_ad_group_read_attrs(void);
const char *const	*map_graph_group_select(void);

#endif
