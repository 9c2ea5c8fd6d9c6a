/*
 * The memberOf parents of the groups a cycle read, read only to tell
 * whether a group is nested in a protected one (mapping/groups.h).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/adparents.h"
#include "ldap/search.h"
#include "ldap/trace.h"
#include "mapping/dn.h"
#include "mapping/groups.h"
#include "mapping/log.h"
#include "mapping/strmap.h"

/*
 * Parents, read only to tell whether a group is nested in a protected one
 * (mapping/groups.h): what mapping/protect.c judges, and memberOf to go up.
 */
static const char *const ad_parent_attrs[] = { "objectClass", "objectSid",
	"sAMAccountName", "adminCount", "isCriticalSystemObject", "memberOf",
	NULL };

/* The first entry of a base search; any other is dropped. */
static enum sb_status
keep_first(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct dirobj **out = arg;

	(void)err;
	if (*out == NULL)
		*out = o;
	else
		dirobj_free(o);
	return SB_OK;
}

/*
 * Reads one memberOf parent by DN into *out, or leaves *out NULL when AD
 * does not let us see it (gone, no rights, another domain, a bad DN) or
 * it tells too little to judge (no objectSid or sAMAccountName: a name or
 * a RID could make it privileged).  Such a parent stays unread, and the
 * planner counts an unread parent as protected.
 */
static enum sb_status
read_parent(struct ad_conn *ad, const char *dn, struct dirobj **out,
    struct sb_error *err)
{
	struct dirobj *o = NULL;
	char qdn[AD_TRACE_QBUF];
	enum sb_status st;

	*out = NULL;
	st = ad_search(ad, dn, AD_SCOPE_BASE, "(objectClass=*)",
	    ad_parent_attrs, keep_first, &o, err);
	if (st != SB_OK &&
	    (err->code == 32 || err->code == 50 || err->code == 10 ||
		err->code == 34)) {
		/* noSuchObject, insufficientAccess, referral, bad DN syntax */
		log_warn("ad.parent dn=%s result=unread code=%d (counts as "
			 "protected: %s)",
		    ad_trace_qstr(qdn, sizeof(qdn), dn), err->code, err->text);
		st = SB_OK;
	} else if (st == SB_OK &&
	    (o == NULL || o->kind != DIROBJ_GROUP || o->sid.len == 0 ||
		dirobj_get_str(o, "sAMAccountName") == NULL)) {
		log_warn("ad.parent dn=%s result=unread (not a readable group: "
			 "counts as protected)",
		    ad_trace_qstr(qdn, sizeof(qdn), dn));
	} else if (st == SB_OK) {
		o->protect_only = 1;
		*out = o;
		o = NULL;
	}
	dirobj_free(o);
	return st;
}

/* Marks a memberOf value as seen: *fresh when it was not yet. */
static enum sb_status
parent_seen(struct map_strmap *known, const struct sb_bytes *v, int *fresh,
    struct sb_error *err)
{
	char *norm = NULL;
	enum sb_status st;
	int existed = 1;

	*fresh = 0;
	if (memchr(v->p, '\0', v->len) != NULL)
		return SB_OK; /* not a DN: counted protected by the plan */
	st = map_dn_normalize((const char *)v->p, &norm, err);
	if (st == SB_SKIP)
		return SB_OK; /* likewise */
	if (st == SB_OK)
		st = map_strmap_put_str(known, norm, 0, &existed, err);
	free(norm);
	*fresh = st == SB_OK && !existed;
	return st;
}

/*
 * Nested protection must resolve every parent of a group it may write: a
 * group nested in a privileged group outside ldap.base_dn (DnsAdmins in
 * CN=Users when base_dn is an OU) would otherwise look harmless.  Reads
 * each memberOf DN of the groups from index first on that is not among
 * the objects read, then theirs, at most MAP_GROUPS_NEST_MAX of them; they
 * join the AD set marked protect_only.  A parent left unread (one AD does
 * not show, or past the cap) is protected in the plan: nothing is lost by
 * stopping, only writes.
 */
enum sb_status
agent_ad_read_parents(struct ad_conn *ad, struct dirset *objs, size_t first,
    struct sb_error *err)
{
	struct map_strmap *known = NULL;
	const struct dirattr *mo;
	struct dirobj *o, *up;
	enum sb_status st;
	size_t i, k, nread = 0, nkept = 0, capped = 0;
	int fresh;

	st = map_strmap_new(0, &known, err);
	for (i = 0; st == SB_OK && i < objs->n; i++) {
		o = objs->objs[i];
		if (o->dn != NULL)
			st = parent_seen(known,
			    &(struct sb_bytes){
				(unsigned char *)o->dn, strlen(o->dn) },
			    &fresh, err);
	}
	/* The set grows as parents are added: theirs are read in turn. */
	for (i = first; st == SB_OK && i < objs->n; i++) {
		o = objs->objs[i];
		mo = o->kind == DIROBJ_GROUP ? dirobj_get(o, "memberOf") : NULL;
		for (k = 0; st == SB_OK && mo != NULL && k < mo->nvals; k++) {
			st = parent_seen(known, &mo->vals[k], &fresh, err);
			if (st != SB_OK || !fresh)
				continue;
			if (nread == MAP_GROUPS_NEST_MAX) {
				capped++;
				continue;
			}
			nread++;
			st = read_parent(ad, (const char *)mo->vals[k].p, &up,
			    err);
			if (st == SB_OK && up != NULL) {
				nkept++;
				st = dirset_add(objs, up, err);
			}
		}
	}
	if (st == SB_OK)
		log_info("ad.parents read=%zu kept=%zu", nread, nkept);
	if (st == SB_OK && capped > 0)
		log_warn("ad.parents result=capped max=%d unread=%zu (their "
			 "children count as protected)",
		    MAP_GROUPS_NEST_MAX, capped);
	map_strmap_free(known);
	return st;
}
