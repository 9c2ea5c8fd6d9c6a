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
#include <stdint.h>

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

/*
 * 24 bytes: a run holds hundreds of thousands.  name is shared
 * (mapping/attrname.h) unless owned_name says the attribute owns it.
 */
struct dirattr {
	const char	*name;
	struct sb_bytes	*vals;
	uint32_t	 nvals;
	uint32_t	 cap : 31;
	uint32_t	 owned_name : 1;
};

/*
 * One member of a cloud group, as Graph lists it (/groups/{id}/members):
 * one record per member, so that its id, type and name cannot drift apart.
 */
struct dirmember {
	char		*id;		/* Graph object id; NULL: none given */
	char		*type;		/* @odata.type ("#microsoft.graph.user"),
					   or NULL */
	char		*name;		/* displayName, or NULL */
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

	/*
	 * Cloud groups: their members, in the order listed.  members_read 0:
	 * not read, membership is left alone; 1 with no member: the group is
	 * empty in the cloud (every AD member goes).
	 */
	struct dirmember *members;
	size_t		 nmembers;
	size_t		 mcap;
	int		 members_read;
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
/*
 * Appends one member (copies id, type and name; each may be NULL) and
 * marks the members read.
 */
enum sb_status	 dirobj_add_member(struct dirobj *o, const char *id,
		     const char *type, const char *name, struct sb_error *err);
/* Marks the members read (none yet). */
void		 dirobj_members_touch(struct dirobj *o);
/* Drops the members and marks them not read. */
void		 dirobj_members_forget(struct dirobj *o);

/* *out is a deep copy of o (dirobj_free), members and all. */
enum sb_status	 dirobj_clone(const struct dirobj *o, struct dirobj **out,
		     struct sb_error *err);

/*
 * The name plans and reports show for a pair (either may be NULL): the
 * cloud's display name, else AD's, else AD's displayName attribute.
 */
const char	*dirobj_shown_name(const struct dirobj *ad,
		     const struct dirobj *cloud);

void		 dirset_init(struct dirset *s);
/* Takes o, also on failure (it is freed then). */
enum sb_status	 dirset_add(struct dirset *s, struct dirobj *o,
		     struct sb_error *err);
void		 dirset_free(struct dirset *s);

#endif
