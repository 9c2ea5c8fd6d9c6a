/*
 * struct plan: the ordered changes to make in AD and the findings to report,
 * and the functions that fill, sort, count and free one.  map_build_plan
 * (mapping/build.h) computes a plan from both sides' objects.  Pure: no
 * I/O, no clock.
 *
 * Ownership: a plan owns every string and value in its changes and findings;
 * map_plan_free frees them all.  Pointers into a plan stay valid until the
 * plan is changed or freed.
 */
#ifndef MAP_PLAN_H
#define MAP_PLAN_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "options.h"

enum change_op {
	MAP_CHANGE_MODIFY = 0,	/* deltas on an existing entry */
	MAP_CHANGE_ADD,		/* create dn; deltas are its attributes (all ADD) */
	MAP_CHANGE_RENAME,	/* modrdn: new_rdn, new_superior (move); no deltas */
	MAP_CHANGE_DELETE,	/* delete dn; deltas hold the before-image */
};

enum delta_op {
	MAP_DELTA_ADD = 0,	/* add these values */
	MAP_DELTA_DELETE,	/* delete these values (none listed: the attribute) */
	MAP_DELTA_REPLACE,	/* the attribute's values become these */
};

/*
 * One attribute of one change.  before is every AD value of the attribute
 * before the change (journal), except for "member" of a group: a group may
 * hold 100,000 members, so a member delta's before holds only the values
 * its change deletes (they were there; the added ones were not), which is
 * all an undo needs.
 */
struct delta {
	char		*attr;		/* AD attribute name */
	enum delta_op	 op;
	struct sb_bytes	*vals;		/* the values added, deleted, or the new ones */
	size_t		 nvals;
	struct sb_bytes	*before;	/* AD values before (journal), see above */
	size_t		 nbefore;
};

struct change {
	enum change_op	 op;
	char		*dn;		/* the entry as it is (ADD: to be) */
	char		*new_rdn;	/* RENAME: "CN=..." escaped; else NULL */
	char		*new_superior;	/* RENAME: new parent DN; NULL: same */
	char		*cloud_id;	/* the cloud object it came from */
	char		*display_name;
	enum dirobj_kind kind;		/* of the AD object */
	char		*rule;		/* the authority rule that allowed it */
	struct delta	*deltas;	/* by attribute name; DELETE before ADD */
	size_t		 ndeltas;
	size_t		 cap;
	/*
	 * One object's writes may take several changes, each one LDAP
	 * operation: a group created (ADD) then its members, members in chunks
	 * of MAP_MEMBER_CHUNK values, a move (RENAME) after them.  They are
	 * part 1 .. nparts, in the order they must be applied; nparts is 0 for
	 * an object written by a single change.  Counts treat parts 2..n as
	 * the same object.
	 */
	unsigned	 part;
	unsigned	 nparts;
};

enum finding_kind {
	MAP_FINDING_AD_AUTHORITATIVE = 0, /* AD owns it; the cloud differs */
	MAP_FINDING_NOT_JOINED,		/* on-premises anchors, no AD match */
	MAP_FINDING_AMBIGUOUS_JOIN,	/* an anchor matched more than once */
	MAP_FINDING_OUT_OF_SCOPE,	/* cloud-owned, but outside write_scope */
	MAP_FINDING_PROTECTED,		/* cloud-owned, but a protected object */
	MAP_FINDING_UNRESOLVED,		/* manager/member has no AD object */
	MAP_FINDING_INCONSISTENT_SOA,	/* authority flags contradict */
	MAP_FINDING_CLOUD_ONLY,		/* no on-premises anchors at all */
	MAP_FINDING_BAD_VALUE,		/* a cloud value that cannot be mapped */
	MAP_FINDING_FLAP,		/* later: changed back on-premises */
	MAP_FINDING_REFUSED,		/* later: a write refused by policy */
	/* Groups (mapping/groups.h). */
	MAP_FINDING_AD_ONLY_MEMBER,	/* an AD member without cloud counterpart, kept */
	MAP_FINDING_PLACEMENT,		/* target OU refused: group not moved/created */
	MAP_FINDING_HANDED_BACK,	/* isCloudManaged turned false: AD's again */
	MAP_FINDING_CLOUD_DELETED,	/* a provisioned group gone from the cloud */
	/* Cloud reads (agent/skips.h): the object is not written this run. */
	MAP_FINDING_SOA_UNREADABLE,	/* isCloudManaged could not be read */
	MAP_FINDING_GONE_IN_CLOUD,	/* deleted in the cloud during the run */
};

struct finding {
	enum finding_kind kind;
	char		*dn;		/* AD DN, or NULL */
	char		*cloud_id;	/* or NULL */
	char		*display_name;	/* or NULL */
	char		*attr;		/* the attribute concerned, or NULL */
	char		*message;
};

struct plan {
	/*
	 * Sorted by map_plan_sort: creations first (so that a group created
	 * can be a member of another), then modifies, then moves (a modify
	 * still names the DN it reads), then deletions; within each by DN and
	 * part.  sync applies them in this order.
	 */
	struct change	*changes;
	size_t		 nchanges;
	size_t		 ccap;
	struct finding	*findings;	/* sorted by DN, cloud id, kind */
	size_t		 nfindings;
	size_t		 fcap;
};

/*
 * Counts over a whole plan (summaries; agent/limits.c counts the same way
 * for the safety limits).  A member added or removed is one value; the
 * parts of one object's writes are one entry; a deleted object's deltas
 * (its before-image) are not counted as values.
 */
struct plan_counts {
	size_t		 changes;	/* entries touched (parts 2..n not again) */
	size_t		 modifies;	/* MODIFY changes (LDAP modify operations) */
	size_t		 adds;
	size_t		 renames;
	size_t		 deletes;	/* entries deleted */
	size_t		 value_adds;	/* values in ADD deltas */
	size_t		 value_deletes;	/* values in DELETE deltas, not of a
					   DELETE change (all before ones when
					   none listed) */
	size_t		 replaces;	/* REPLACE deltas */
};

/* Returns NULL when out of memory.  map_plan_free(NULL) is a no-op. */
struct plan	*map_plan_new(void);
void		 map_plan_free(struct plan *p);

/*
 * Appends a finding.  ad and cloud (either may be NULL) give the DN, the
 * cloud id and the display name (the cloud's, else AD's displayName); attr
 * may be NULL.  The message is formatted, at most 512 bytes.
 */
enum sb_status	 map_plan_add_finding(struct plan *p, struct sb_error *err,
		     enum finding_kind kind, const struct dirobj *ad,
		     const struct dirobj *cloud, const char *attr,
		     const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Appends a copy of every finding of src (NULL: none) to dst. */
enum sb_status	 map_plan_copy_findings(struct plan *dst,
		     const struct plan *src, struct sb_error *err);

/* A change with dn, cloud id, display name, kind and rule copied; no deltas. */
enum sb_status	 map_change_init(struct change *c, enum change_op op,
		     const struct dirobj *ad, const struct dirobj *cloud,
		     const char *rule, struct sb_error *err);
/* Frees what c holds and zeroes it; c itself is the caller's. */
void		 map_change_clear(struct change *c);
/*
 * Appends a delta to c: copies attr, vals and before.  vals and before may
 * be NULL with a count of 0.
 */
enum sb_status	 map_change_add_delta(struct change *c, const char *attr,
		     enum delta_op op, const struct sb_bytes *const *vals,
		     size_t nvals, const struct sb_bytes *before,
		     size_t nbefore, struct sb_error *err);
/*
 * A copy of c into *out (map_change_clear it) that keeps, of the values of
 * attr's deltas (matched case-insensitively, in delta then value order),
 * only those whose keep[] entry is not 0; a delta of attr left with no
 * value is dropped, other deltas are copied whole.  A filtered DELETE's
 * before-image becomes the values it still deletes (member deltas list
 * only those).  *nkept: the values of attr kept.
 */
enum sb_status	 map_change_filter_values(const struct change *c,
		     const char *attr, const unsigned char *keep,
		     struct change *out, size_t *nkept, struct sb_error *err);
/* Moves c into the plan (c is zeroed), also on failure (c is cleared). */
enum sb_status	 map_plan_take_change(struct plan *p, struct change *c,
		     struct sb_error *err);
/*
 * Sorts changes (see struct plan) and findings by DN, cloud id and kind:
 * reproducible.
 */
void		 map_plan_sort(struct plan *p);

void		 map_plan_count(const struct plan *p, struct plan_counts *out);
size_t		 map_plan_count_changes(const struct plan *p);
size_t		 map_plan_count_value_adds(const struct plan *p);
size_t		 map_plan_count_value_deletes(const struct plan *p);

const char	*map_change_op_name(enum change_op op);
const char	*map_delta_op_name(enum delta_op op);
const char	*map_finding_kind_name(enum finding_kind kind);

#endif
