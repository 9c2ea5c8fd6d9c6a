/* What a cycle must read before planning groups: members, on both sides. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "groupauth.h"
#include "groupreads.h"
#include "protect.h"
#include "provision.h"

static enum sb_status
push(size_t **v, size_t *n, size_t x, size_t max, struct sb_error *err)
{
	if (*v == NULL) {
		*v = calloc(max + 1, sizeof(**v));
		if (*v == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "map.groups",
			    "out of memory");
	}
	(*v)[(*n)++] = x;
	return SB_OK;
}

void
map_group_reads_free(struct map_group_reads *r)
{
	free(r->cloud);
	free(r->ad);
	memset(r, 0, sizeof(*r));
}

enum sb_status
map_groups_reads(const struct map_join *j, const struct dirset *ad,
    const struct dirset *cloud, const struct map_options *opt,
    struct map_group_reads *out, struct sb_error *err)
{
	struct map_group_reads r = { NULL, 0, NULL, 0 };
	struct map_group_authority ga;
	struct map_adindex ix;
	const struct map_pair *pr;
	char why[MAP_PROTECT_REASON_SIZE];
	enum sb_status st;
	size_t i, k;

	memset(&ix, 0, sizeof(ix));
	st = map_adindex_build(ad, j, &ix, err);
	for (i = 0; st == SB_OK && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		if (pr->cloud->kind != DIROBJ_GROUP)
			continue;
		if (pr->ad == NULL) {
			if (!pr->ambiguous && !map_group_has_anchor(pr->cloud) &&
			    map_provision_decide(pr->cloud, opt) ==
			    MAP_PROVISION_YES)
				st = push(&r.cloud, &r.ncloud, i, cloud->n,
				    err);
			continue;
		}
		map_group_authority_decide(pr, opt, &ga);
		if ((ga.classes & opt->classes & MAP_CLASS_MEMBERSHIP) == 0 ||
		    map_protect_check(pr->ad, opt->base_dn, why, sizeof(why)) ||
		    !map_options_in_scope(opt, pr->ad->dn))
			continue;
		k = map_adindex_of(&ix, pr->ad);
		st = push(&r.cloud, &r.ncloud, i, cloud->n, err);
		if (st == SB_OK && k != MAP_ADINDEX_PLANNED)
			st = push(&r.ad, &r.nad, k, ad->n, err);
	}
	/* A group deleted with groups.delete keeps its members in the journal. */
	for (i = 0; st == SB_OK && opt->groups.delete_removed && i < ad->n;
	    i++)
		if (map_group_gone_from_cloud(j, &ix, i, opt) &&
		    map_options_created(opt, &ad->objs[i]->guid))
			st = push(&r.ad, &r.nad, i, ad->n, err);
	if (st == SB_OK) {
		*out = r;
		memset(&r, 0, sizeof(r));
	}
	map_group_reads_free(&r);
	if (ix.ad != NULL)
		map_adindex_free(&ix);
	return st;
}
