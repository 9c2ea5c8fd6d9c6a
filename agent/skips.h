/*
 * Cloud objects a run skips: one bad object is a finding, never the end of
 * the run.  An object whose id is not a Graph object id
 * (mapping/cloudid.h) is set aside as soon as it is read, before its id is
 * used anywhere (a $batch URL, a members URL, a join, an anchor); a group
 * whose members cannot be read whole (a malformed member entry, the group
 * gone since the listing: SB_SKIP from cloud/) stays, so that it still
 * joins and does not look deleted, but its membership is left unread.  So
 * do an object whose source of authority could not be read (a 200 without
 * a boolean isCloudManaged: soa-unreadable) and one deleted in the cloud
 * while the run read it (a 404 on its members, manager or source of
 * authority: gone-in-cloud).  Once the plan is built, every change that
 * came from a skipped object leaves it, and a finding names the object and
 * says why: bad-value, soa-unreadable or gone-in-cloud.
 */
#ifndef SB_SKIPS_H
#define SB_SKIPS_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "mapping/plan.h"

struct agent_skip {
	enum dirobj_kind kind;
	enum finding_kind finding;	/* BAD_VALUE, SOA_UNREADABLE,
					   GONE_IN_CLOUD */
	int		 soa_unknown;	/* isCloudManaged not read */
	char		*cloud_id;	/* exact: to match changes */
	char		*display_name;	/* or NULL */
	char		*attr;		/* "id", "members", or NULL */
	char		*why;
};

struct agent_skips {
	struct agent_skip	*v;
	size_t			 n;
};

void		agent_skips_free(struct agent_skips *k);
/*
 * Moves the objects of set from index from on whose cloud_id is not a
 * Graph object id out of set (order kept) into k.
 */
enum sb_status	agent_skips_sift(struct agent_skips *k, struct dirset *set,
		    size_t from, struct sb_error *err);
/*
 * Group g's members could not be read (why: cloud/'s error text): its
 * member records are dropped and marked not read (mapping/groups.h leaves
 * membership alone) and g is recorded in k with finding kind f (BAD_VALUE
 * for a malformed member entry, GONE_IN_CLOUD for a 404).
 */
enum sb_status	agent_skips_members(struct agent_skips *k, struct dirobj *g,
		    enum finding_kind f, const char *why, struct sb_error *err);
/*
 * Object o is not written this run, for the reason why (cloud/'s text):
 * finding kind f, on attribute attr (NULL: the object).  soa_unknown: its
 * isCloudManaged was never read, so the plan's findings that judged its
 * authority (ad-authoritative, inconsistent-soa) are left out too.
 */
enum sb_status	agent_skips_object(struct agent_skips *k,
		    const struct dirobj *o, enum finding_kind f,
		    const char *attr, int soa_unknown, const char *why,
		    struct sb_error *err);
/*
 * Takes every change of a skipped object out of p (and, for one whose
 * isCloudManaged is unknown, the findings that judged its authority) and
 * adds one finding per skipped object, of its kind, with the DN of its AD
 * object when the plan had a change or a finding that named it.
 */
enum sb_status	agent_skips_apply(const struct agent_skips *k, struct plan *p,
		    struct sb_error *err);

#endif
