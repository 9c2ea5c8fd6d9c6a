/* Index of AD objects by normalised DN, sAMAccountName and address; joined flags. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "adindex.h"
#include "dn.h"

/* The normalised DN without its first RDN's type: "x,ou=y,..." of "cn=x,ou=y,...". */
static const char *
name_key(const char *norm)
{
	const char *eq = strchr(norm, '=');

	/* Normalised values escape '=': the first one ends the type. */
	return eq != NULL ? eq + 1 : norm;
}

void
map_adindex_free(struct map_adindex *ix)
{
	size_t i;

	if (ix->norm != NULL)
		for (i = 0; i < ix->ad->n; i++)
			free(ix->norm[i]);
	free(ix->norm);
	map_strmap_free(ix->dns);
	map_strmap_free(ix->names);
	map_strmap_free(ix->sams);
	map_strmap_free(ix->ptrs);
	free(ix->joined);
	memset(ix, 0, sizeof(*ix));
}

enum sb_status
map_adindex_build(const struct dirset *ad, const struct map_join *j,
    struct map_adindex *ix, struct sb_error *err)
{
	const struct map_pair *pr;
	const struct dirobj *o;
	const char *sam;
	enum sb_status st;
	size_t i, k;

	memset(ix, 0, sizeof(*ix));
	ix->ad = ad;
	ix->norm = calloc(ad->n + 1, sizeof(*ix->norm));
	ix->joined = calloc(ad->n + 1, 1);
	if (ix->norm == NULL || ix->joined == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.index", "out of memory");
		goto done;
	}
	st = map_strmap_new(0, &ix->dns, err);
	if (st == SB_OK)
		st = map_strmap_new(0, &ix->names, err);
	if (st == SB_OK)
		st = map_strmap_new(MAP_STRMAP_CI, &ix->sams, err);
	if (st == SB_OK)
		st = map_strmap_new(0, &ix->ptrs, err);
	for (i = 0; st == SB_OK && i < ad->n; i++) {
		o = ad->objs[i];
		st = map_strmap_put(ix->ptrs, &o, sizeof(o), i, NULL, err);
		if (st == SB_OK && o->dn != NULL) {
			/* A malformed DN is no one's member: left unindexed. */
			st = map_dn_normalize(o->dn, &ix->norm[i], NULL);
			if (st == SB_SKIP) {
				ix->norm[i] = NULL;
				st = SB_OK;
			} else if (st == SB_OK) {
				st = map_strmap_put_str(ix->dns, ix->norm[i], i,
				    NULL, err);
				if (st == SB_OK)
					st = map_strmap_put_str(ix->names,
					    name_key(ix->norm[i]), i, NULL,
					    err);
			} else {
				st = sb_fail(err, SB_BUG, ENOMEM, "map.index",
				    "out of memory");
			}
		}
		sam = dirobj_get_str(o, "sAMAccountName");
		if (st == SB_OK && sam != NULL && *sam != '\0')
			st = map_strmap_put_str(ix->sams, sam, i, NULL, err);
	}
	for (i = 0; st == SB_OK && j != NULL && i < map_join_count(j); i++) {
		pr = map_join_pair(j, i);
		if (pr->ad != NULL && map_strmap_get(ix->ptrs, &pr->ad,
		    sizeof(pr->ad), &k))
			ix->joined[k] = 1;
	}
done:
	if (st != SB_OK)
		map_adindex_free(ix);
	return st;
}

size_t
map_adindex_of(const struct map_adindex *ix, const struct dirobj *o)
{
	size_t k;

	if (o != NULL && map_strmap_get(ix->ptrs, &o, sizeof(o), &k))
		return k;
	return MAP_ADINDEX_PLANNED;
}

int
map_adindex_dn(const struct map_adindex *ix, const char *norm, size_t *idx)
{
	return norm != NULL && map_strmap_get_str(ix->dns, norm, idx);
}

int
map_adindex_dn_taken(const struct map_adindex *ix, const char *dn)
{
	char *norm = NULL;
	int taken;

	/* Out of memory or malformed: say taken, so nothing is created. */
	if (map_dn_normalize(dn, &norm, NULL) != SB_OK)
		return 1;
	taken = map_strmap_get_str(ix->dns, norm, NULL) ||
	    map_strmap_get_str(ix->names, name_key(norm), NULL);
	free(norm);
	return taken;
}

int
map_adindex_sam_taken(const struct map_adindex *ix, const char *sam)
{
	return map_strmap_get_str(ix->sams, sam, NULL);
}

enum sb_status
map_adindex_claim_dn(struct map_adindex *ix, const char *dn,
    struct sb_error *err)
{
	char *norm = NULL;
	enum sb_status st;

	st = map_dn_normalize(dn, &norm, err);
	if (st == SB_OK)
		st = map_strmap_put_str(ix->dns, norm, MAP_ADINDEX_PLANNED,
		    NULL, err);
	if (st == SB_OK)
		st = map_strmap_put_str(ix->names, name_key(norm),
		    MAP_ADINDEX_PLANNED, NULL, err);
	free(norm);
	return st;
}

enum sb_status
map_adindex_claim_sam(struct map_adindex *ix, const char *sam,
    struct sb_error *err)
{
	return map_strmap_put_str(ix->sams, sam, MAP_ADINDEX_PLANNED, NULL,
	    err);
}
