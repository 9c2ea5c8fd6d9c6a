/*
 * struct dirobj: one directory object from either side (AD or the cloud),
 * normalised into anchors plus a sorted attribute set of byte-string values.
 * Attribute names compare case-insensitively, as LDAP's do.  Cloud objects
 * keep the cloud's property names (Graph's, Exchange Online's); mapping/rules
 * turns them into AD attribute names.
 */
#ifndef SB_DIROBJ_H
#define SB_DIROBJ_H

#include <stddef.h>

#include "core.h"

enum dirobj_kind {
	DIROBJ_USER = 0,
	DIROBJ_GROUP,
	DIROBJ_CONTACT,
	DIROBJ_MAILBOX,		/* an Exchange Online mailbox (cloud only) */
	DIROBJ_OTHER,		/* device, service principal: member findings only */
};

/* A JSON boolean that may also be null or absent. */
enum sb_tri {
	SB_TRI_UNSET = -1,
	SB_TRI_FALSE = 0,
	SB_TRI_TRUE = 1,
};

struct dirattr {
	char		*name;
	struct sb_bytes	*vals;
	size_t		 nvals;
	size_t		 cap;
};

struct dirobj {
	enum dirobj_kind kind;
	char		*dn;		/* AD: its DN.  Cloud: NULL */
	char		*cloud_id;	/* Graph object id (mailbox: ExternalDirectoryObjectId) */
	char		*display_name;	/* for plans and findings */

	/* AD anchors, raw bytes (objectGUID and mS-DS-ConsistencyGuid 16, objectSid up to 68). */
	struct sb_bytes	 guid;
	struct sb_bytes	 consistency_guid;
	struct sb_bytes	 sid;

	/* Cloud anchors and source-of-authority flags. */
	char		*immutable_id;	/* onPremisesImmutableId (base64) */
	char		*sid_string;	/* onPremisesSecurityIdentifier */
	enum sb_tri	 sync_enabled;	/* onPremisesSyncEnabled */
	enum sb_tri	 cloud_managed;	/* onPremisesSyncBehavior.isCloudManaged */
	enum sb_tri	 exchange_cloud_managed; /* mailbox IsExchangeCloudManaged */

	/*
	 * AD only: read only to tell whether a group above a read group is
	 * protected (a memberOf parent outside what the searches returned,
	 * agent/cycle.c).  Never joined, written, or reported as an object.
	 */
	int		 protect_only;

	struct dirattr	*attrs;		/* sorted by name, case-insensitive */
	size_t		 nattrs;
	size_t		 cap;
};

/* A growing array of objects; owns them. */
struct dirset {
	struct dirobj	**objs;
	size_t		  n;
	size_t		  cap;
};

struct dirobj	*dirobj_new(enum dirobj_kind kind);
void		 dirobj_free(struct dirobj *o);
const char	*dirobj_kind_name(enum dirobj_kind kind);

/* Set one of the string fields (dn, cloud_id, ...): copies s; NULL clears. */
enum sb_status	 dirobj_set_str(char **field, const char *s, struct sb_error *err);

/*
 * Add one value to attribute name (created if absent).  Copies the bytes.
 * An attribute may exist with zero values: that records "present but empty"
 * (a selected cloud property that was null or an empty collection).
 */
enum sb_status	 dirobj_add_value(struct dirobj *o, const char *name,
		     const void *p, size_t len, struct sb_error *err);
enum sb_status	 dirobj_add_str(struct dirobj *o, const char *name,
		     const char *s, struct sb_error *err);
/* Make attribute name exist (with no values). */
enum sb_status	 dirobj_touch(struct dirobj *o, const char *name,
		     struct sb_error *err);
/* Borrowed; NULL when the attribute is absent. */
const struct dirattr *dirobj_get(const struct dirobj *o, const char *name);
/* First value as a NUL-terminated string, or NULL (values carry a spare NUL). */
const char	*dirobj_get_str(const struct dirobj *o, const char *name);
void		 dirobj_remove(struct dirobj *o, const char *name);

void		 dirset_init(struct dirset *s);
/* Takes o, also on failure (it is freed then). */
enum sb_status	 dirset_add(struct dirset *s, struct dirobj *o,
		     struct sb_error *err);
void		 dirset_free(struct dirset *s);

#endif
