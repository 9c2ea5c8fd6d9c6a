/* map_build_plan: every joined pair's changes and findings, then the groups'. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "authority.h"
#include "build.h"
#include "diff.h"
#include "groups.h"
#include "protect.h"
#include "rules.h"

/*
 * "a, b, c" of the attributes c changes, into buf.  A list that does not
 * fit ends in ", ... (N more)" instead of a name cut in half.
 */
static void
delta_names(const struct change *c, char *buf, size_t bufsz)
{
	char more[48];
	size_t i, o = 0, left = 0, need;
	int n;

	buf[0] = '\0';
	for (i = 0; i < c->ndeltas; i++) {
		if (i > 0 && strcmp(c->deltas[i].attr,
		    c->deltas[i - 1].attr) == 0)
			continue;	/* a DELETE and an ADD of one attribute */
		need = strlen(c->deltas[i].attr) + 2;
		if (left > 0 || o + need + sizeof(more) >= bufsz) {
			left++;
			continue;
		}
		n = snprintf(buf + o, bufsz - o, "%s%s", o ? ", " : "",
		    c->deltas[i].attr);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	if (left > 0) {
		snprintf(more, sizeof(more), ", ... (%zu more)", left);
		snprintf(buf + o, bufsz - o, "%s", more);
	}
}

static size_t
attrs_changed(const struct change *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->ndeltas; i++)
		if (i == 0 || strcmp(c->deltas[i].attr,
		    c->deltas[i - 1].attr) != 0)
			n++;
	return n;
}

/*
 * The changes (or the findings saying why not) for one joined pair: the
 * authority decides the classes, protection and scope may still refuse,
 * rules give the desired values and diff the deltas.
 */
static enum sb_status
plan_pair(struct plan *p, const struct map_pair *pr, const struct map_join *j,
    const struct map_options *opt, struct sb_error *err)
{
	char why[MAP_PROTECT_REASON_SIZE], names[256];
	struct map_authority auth;
	struct dirobj *want = NULL;
	struct change c;
	enum sb_status st;
	unsigned classes;
	int prot, scoped;

	memset(&c, 0, sizeof(c));
	map_authority_decide(pr->cloud, pr->mailbox, &auth);
	st = SB_OK;
	if (auth.conflict != NULL)
		st = map_plan_add_finding(p, err, MAP_FINDING_INCONSISTENT_SOA,
		    pr->ad, pr->cloud, NULL, "%s", auth.conflict);
	if (st != SB_OK)
		goto done;
	classes = auth.classes & opt->classes;
	if (auth.classes != 0 && classes == 0)
		goto done;	/* owned, but the configuration writes none */
	prot = map_protect_check(pr->ad, opt->base_dn, why, sizeof(why));
	scoped = map_options_in_scope(opt, pr->ad->dn);
	/* Drift of AD-owned objects is computed like a change, then reported. */
	st = map_rules_desired(pr, classes ? classes :
	    MAP_CLASS_IDENTITY | MAP_CLASS_EXCHANGE, opt, j,
	    classes && !prot && scoped ? p : NULL, &want, err);
	if (st == SB_OK)
		st = map_change_init(&c, MAP_CHANGE_MODIFY, pr->ad, pr->cloud,
		    auth.rule, err);
	if (st == SB_OK)
		st = map_diff_opt(want, pr->ad, opt, &c, err);
	if (st != SB_OK)
		goto done;
	delta_names(&c, names, sizeof(names));
	if (classes == 0) {
		if (c.ndeltas > 0)
			st = map_plan_add_finding(p, err,
			    MAP_FINDING_AD_AUTHORITATIVE, pr->ad, pr->cloud,
			    NULL, "AD is authoritative: not written; the cloud "
			    "differs on %zu attribute(s): %s", attrs_changed(&c),
			    names);
	} else if (prot) {
		st = map_plan_add_finding(p, err, MAP_FINDING_PROTECTED,
		    pr->ad, pr->cloud, NULL, "protected object (%s): never "
		    "written although %s; %zu attribute(s) differ%s%s", why,
		    auth.rule, attrs_changed(&c), c.ndeltas ? ": " : "", names);
	} else if (!scoped) {
		st = map_plan_add_finding(p, err, MAP_FINDING_OUT_OF_SCOPE,
		    pr->ad, pr->cloud, NULL, "outside the write scope: not "
		    "written although %s; %zu attribute(s) differ%s%s",
		    auth.rule, attrs_changed(&c), c.ndeltas ? ": " : "", names);
	} else if (c.ndeltas > 0) {
		st = map_plan_take_change(p, &c, err);
	}
done:
	map_change_clear(&c);
	dirobj_free(want);
	return st;
}

enum sb_status
map_build_plan_joined(const struct map_join *j, const struct dirset *ad,
    const struct dirset *cloud, const struct map_options *opt,
    struct plan **out, struct sb_error *err)
{
	const struct map_pair *pr;
	struct plan *p;
	enum sb_status st;
	size_t i;

	p = map_plan_new();
	if (p == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.plan", "out of memory");
	st = map_plan_copy_findings(p, map_join_findings(j), err);
	for (i = 0; st == SB_OK && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		/* Groups: membership, placement, provisioning (groups.c). */
		if (pr->ad != NULL && pr->cloud->kind != DIROBJ_GROUP)
			st = plan_pair(p, pr, j, opt, err);
	}
	if (st == SB_OK)
		st = map_groups_plan(p, j, ad, cloud, opt, err);
	if (st != SB_OK) {
		map_plan_free(p);
		return st;
	}
	map_plan_sort(p);
	*out = p;
	return SB_OK;
}

enum sb_status
map_build_plan(const struct dirset *ad, const struct dirset *cloud,
    const struct dirset *mailboxes, const struct map_options *opt,
    struct plan **out, struct sb_error *err)
{
	struct map_join *j = NULL;
	enum sb_status st;

	st = map_join_build(ad, cloud, mailboxes, NULL, &j, err);
	if (st == SB_OK)
		st = map_build_plan_joined(j, ad, cloud, opt, out, err);
	map_join_free(j);
	return st;
}
