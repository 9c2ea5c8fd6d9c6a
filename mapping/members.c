/* Member diff of one cloud-owned group: resolve, compare, decide what stays. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dn.h"
#include "members.h"
#include "protect.h"

/* Findings of one kind for one group, capped. */
struct fcount {
	size_t	unresolved;
	size_t	protected_;
	size_t	ad_only;
};

/* What the group's findings hang on: its AD object, or its planned DN. */
struct subject {
	const struct dirobj	*ad;
	const struct dirobj	*cloud;
	struct dirobj		 planned;	/* dn only, for a new group */
};

static enum sb_status finding(struct plan *f, const struct subject *s,
    enum finding_kind kind, size_t *count, struct sb_error *err,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static enum sb_status
finding(struct plan *f, const struct subject *s, enum finding_kind kind,
    size_t *count, struct sb_error *err, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (++*count > MAP_MEMBER_FINDINGS_MAX)
		return SB_OK;	/* counted; summed up at the end */
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);	/* capped on purpose */
	va_end(ap);
	return map_plan_add_finding(f, err, kind, s->ad ? s->ad : &s->planned,
	    s->cloud, "member", "%s", text);
}

static enum sb_status
summary(struct plan *f, const struct subject *s, enum finding_kind kind,
    size_t count, const char *what, struct sb_error *err)
{
	if (count <= MAP_MEMBER_FINDINGS_MAX)
		return SB_OK;
	return map_plan_add_finding(f, err, kind, s->ad ? s->ad : &s->planned,
	    s->cloud, "member", "... and %zu more %s (only the first %d are "
	    "listed)", count - MAP_MEMBER_FINDINGS_MAX, what,
	    MAP_MEMBER_FINDINGS_MAX);
}

const char *
map_member_type_name(const char *t)
{
	static const struct {
		const char *type, *name;
	} names[] = {
		{ "#microsoft.graph.user", "user" },
		{ "#microsoft.graph.group", "group" },
		{ "#microsoft.graph.orgContact", "contact" },
		{ "#microsoft.graph.device", "device" },
		{ "#microsoft.graph.servicePrincipal", "service principal" },
	};
	size_t i;

	for (i = 0; t != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i].type) == 0)
			return names[i].name;
	return "object";
}

void
map_member_diff_clear(struct map_member_diff *d)
{
	size_t i;

	for (i = 0; i < d->nadd; i++)
		free(d->add[i]);
	free(d->add);
	free(d->del);
	memset(d, 0, sizeof(*d));
}

/* The desired members: normalised DN -> index into want[] (DN as written). */
struct wanted {
	struct map_strmap	*set;
	const char		**dn;		/* borrowed */
	unsigned char		*present;	/* AD has it already */
	size_t			  n;
};

/*
 * The AD object (or planned DN) of cloud member cm; NULL and a finding when
 * it cannot be a member.  *norm is its normalised DN (borrowed or owned:
 * *owned).
 */
static enum sb_status
resolve(const struct map_member_ctx *mc, const struct subject *s,
    const struct dirmember *cm, const char **dn, char **norm, int *owned,
    struct fcount *fc, struct plan *f, struct sb_error *err)
{
	char why[MAP_PROTECT_REASON_SIZE];
	const char *id = cm->id, *name = cm->name, *tname;
	const struct map_pair *pr;
	const struct dirobj *m = NULL;
	size_t k;

	*dn = NULL;
	*norm = NULL;
	*owned = 0;
	tname = map_member_type_name(cm->type);
	if (name == NULL || *name == '\0')
		name = id ? id : "?";
	if (id == NULL)
		return finding(f, s, MAP_FINDING_BAD_VALUE, &fc->unresolved,
		    err, "a member without an id");
	if (strcmp(tname, "user") == 0 || strcmp(tname, "group") == 0) {
		pr = map_join_find(mc->j, id);
		m = pr != NULL ? pr->ad : NULL;
		if (m == NULL && mc->planned != NULL &&
		    strcmp(tname, "group") == 0 &&
		    map_strmap_get_str(mc->planned, id, &k)) {
			*dn = mc->planned_dn[k];
			*owned = 1;
			return map_dn_normalize(*dn, norm, err);
		}
		if (m == NULL)
			return finding(f, s, MAP_FINDING_UNRESOLVED,
			    &fc->unresolved, err, "member \"%s\" (%s %s) has "
			    "no AD object: not added", name, tname, id);
	} else {
		return finding(f, s, MAP_FINDING_UNRESOLVED, &fc->unresolved,
		    err, "member \"%s\" (%s %s) cannot be a member in AD: "
		    "not added", name, tname, id);
	}
	if (s->ad != NULL && m == s->ad)
		return finding(f, s, MAP_FINDING_BAD_VALUE, &fc->unresolved,
		    err, "the group is a member of itself in the cloud (%s): "
		    "not added", name);
	if (map_protect_check(m, mc->opt->base_dn, why, sizeof(why)))
		return finding(f, s, MAP_FINDING_PROTECTED, &fc->protected_,
		    err, "member \"%s\" is protected (%s): never added", name,
		    why);
	k = map_adindex_of(mc->ix, m);
	if (k == MAP_ADINDEX_PLANNED || mc->ix->norm[k] == NULL)
		return finding(f, s, MAP_FINDING_BAD_VALUE, &fc->unresolved,
		    err, "member \"%s\" has a malformed DN in AD: not added",
		    name);
	*dn = m->dn;
	*norm = mc->ix->norm[k];
	return SB_OK;
}

static enum sb_status
want_members(const struct map_member_ctx *mc, const struct subject *s,
    const struct dirobj *cloud, struct wanted *w, struct fcount *fc,
    struct plan *f, struct sb_error *err)
{
	const char *dn;
	char *norm;
	enum sb_status st;
	size_t i, n = cloud->nmembers;
	int owned, existed;

	st = map_strmap_new(0, &w->set, err);
	if (st != SB_OK)
		return st;
	w->dn = calloc(n + 1, sizeof(*w->dn));
	w->present = calloc(n + 1, 1);
	if (w->dn == NULL || w->present == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.members",
		    "out of memory");
	for (i = 0; i < n; i++) {
		st = resolve(mc, s, &cloud->members[i], &dn, &norm, &owned, fc,
		    f, err);
		if (st == SB_OK && dn != NULL)
			st = map_strmap_put_str(w->set, norm, w->n, &existed,
			    err);
		if (st == SB_OK && dn != NULL && !existed)
			w->dn[w->n++] = dn;
		if (owned)
			free(norm);
		if (st != SB_OK)
			return st;
	}
	return SB_OK;
}

/* An AD member the cloud lacks: removed, or kept with a finding. */
static enum sb_status
judge_extra(const struct map_member_ctx *mc, const struct subject *s,
    const struct sb_bytes *v, const char *norm, struct map_member_diff *out,
    struct fcount *fc, struct plan *f, struct sb_error *err)
{
	char why[MAP_PROTECT_REASON_SIZE];
	const struct dirobj *m = NULL;
	const char *text = (const char *)v->p;
	size_t k;

	if (norm != NULL && map_adindex_dn(mc->ix, norm, &k) &&
	    k != MAP_ADINDEX_PLANNED)
		m = mc->ix->ad->objs[k];
	if (m != NULL && map_protect_check(m, mc->opt->base_dn, why,
	    sizeof(why)))
		return finding(f, s, MAP_FINDING_PROTECTED, &fc->protected_,
		    err, "member %s is protected (%s): never removed", text,
		    why);
	/*
	 * A member that was not read (outside ldap.base_dn, or a computer or
	 * foreign security principal) cannot be shown not to be protected:
	 * kept.  The write gate would refuse its removal anyway.
	 */
	if (m == NULL && mc->opt->groups.remove_unsynced_members) {
		out->kept_ad_only++;
		return finding(f, s, MAP_FINDING_AD_ONLY_MEMBER, &fc->ad_only,
		    err, "AD-only member %s was not read (outside ldap."
		    "base_dn, or not a user, contact or group): cannot tell "
		    "it is not protected: kept", text);
	}
	if ((m != NULL && mc->ix->joined[k]) ||
	    mc->opt->groups.remove_unsynced_members) {
		out->del[out->ndel++] = v;
		return SB_OK;
	}
	out->kept_ad_only++;
	return finding(f, s, MAP_FINDING_AD_ONLY_MEMBER, &fc->ad_only, err,
	    "AD-only member %s has no cloud counterpart: kept "
	    "(groups.remove_unsynced_members = false)", text);
}

enum sb_status
map_members_diff(const struct map_member_ctx *mc, const struct dirobj *ad,
    const char *dn, const struct dirobj *cloud, struct plan *f,
    struct map_member_diff *out, struct sb_error *err)
{
	const struct dirattr *have = ad ? dirobj_get(ad, "member") : NULL;
	struct map_member_diff d = { NULL, 0, NULL, 0, 0 };
	struct wanted w = { NULL, NULL, NULL, 0 };
	struct fcount fc = { 0, 0, 0 };
	struct subject s;
	enum sb_status st;
	char *norm = NULL;
	size_t i, k, nh = have ? have->nvals : 0;

	memset(&s, 0, sizeof(s));
	s.ad = ad;
	s.cloud = cloud;
	s.planned.kind = DIROBJ_GROUP;
	s.planned.dn = (char *)(uintptr_t)dn;	/* read only */
	st = want_members(mc, &s, cloud, &w, &fc, f, err);
	if (st != SB_OK)
		goto done;
	d.del = calloc(nh + 1, sizeof(*d.del));
	d.add = calloc(w.n + 1, sizeof(*d.add));
	if (d.del == NULL || d.add == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.members",
		    "out of memory");
		goto done;
	}
	for (i = 0; i < nh && st == SB_OK; i++) {
		norm = NULL;
		if (memchr(have->vals[i].p, '\0', have->vals[i].len) == NULL) {
			st = map_dn_normalize((const char *)have->vals[i].p,
			    &norm, err);
			if (st == SB_SKIP)
				st = SB_OK;	/* no DN: certainly not wanted */
		}
		if (st != SB_OK)
			break;
		if (norm != NULL && map_strmap_get_str(w.set, norm, &k))
			w.present[k] = 1;
		else
			st = judge_extra(mc, &s, &have->vals[i], norm, &d, &fc,
			    f, err);
		free(norm);
	}
	for (i = 0; i < w.n && st == SB_OK; i++) {
		if (w.present[i])
			continue;
		d.add[d.nadd] = strdup(w.dn[i]);
		if (d.add[d.nadd++] == NULL)
			st = sb_fail(err, SB_BUG, ENOMEM, "map.members",
			    "out of memory");
	}
	if (st == SB_OK)
		st = summary(f, &s, MAP_FINDING_UNRESOLVED, fc.unresolved,
		    "members that cannot be resolved", err);
	if (st == SB_OK)
		st = summary(f, &s, MAP_FINDING_PROTECTED, fc.protected_,
		    "protected members", err);
	if (st == SB_OK)
		st = summary(f, &s, MAP_FINDING_AD_ONLY_MEMBER, fc.ad_only,
		    "AD-only members", err);
	if (st != SB_OK)
		goto done;
	*out = d;
	memset(&d, 0, sizeof(d));
done:
	map_member_diff_clear(&d);
	map_strmap_free(w.set);
	free(w.dn);
	free(w.present);
	return st;
}
