/*
 * An index of the AD objects read, for the group code: by DN (normalised,
 * so that a member value and an entry's DN compare as AD compares them), by
 * sAMAccountName (ASCII case-insensitive, as AD keeps it unique), and
 * whether a cloud object is joined to each.  Names the plan is about to
 * create are registered too, so that two new groups never collide.  Pure.
 */
#ifndef MAP_ADINDEX_H
#define MAP_ADINDEX_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "strmap.h"

/* The index value of a name the plan registered (no AD object yet). */
#define MAP_ADINDEX_PLANNED	((size_t)-1)

struct map_adindex {
	const struct dirset	*ad;		/* borrowed */
	char			**norm;		/* per object: normalised DN, or NULL */
	struct map_strmap	*dns;		/* normalised DN -> index (or PLANNED) */
	struct map_strmap	*names;		/* the same without the first RDN's
						   type: AD keeps names unique
						   among siblings (OU=X and CN=X
						   collide) */
	struct map_strmap	*sams;		/* sAMAccountName -> index (or PLANNED) */
	struct map_strmap	*ptrs;		/* object address -> index */
	unsigned char		*joined;	/* per object: a cloud object is joined */
};

/*
 * Builds ix over ad; j (may be NULL) marks the joined objects.  ad and j
 * are borrowed and must outlive ix.  On failure ix is freed.
 */
enum sb_status		 map_adindex_build(const struct dirset *ad,
			     const struct map_join *j, struct map_adindex *ix,
			     struct sb_error *err);
void			 map_adindex_free(struct map_adindex *ix);

/* Index of o in the set, or MAP_ADINDEX_PLANNED when it is not in it. */
size_t			 map_adindex_of(const struct map_adindex *ix,
			     const struct dirobj *o);
/*
 * The object whose normalised DN is norm: 1 and *idx (an index, or
 * MAP_ADINDEX_PLANNED for a registered name); 0 when there is none.
 */
int			 map_adindex_dn(const struct map_adindex *ix,
			     const char *norm, size_t *idx);
/*
 * 1 when a DN (any form; an object of another RDN type with the same name
 * under the same parent counts) or a sAMAccountName is taken or registered.
 */
int			 map_adindex_dn_taken(const struct map_adindex *ix,
			     const char *dn);
int			 map_adindex_sam_taken(const struct map_adindex *ix,
			     const char *sam);
/* Registers a name the plan will create. */
enum sb_status		 map_adindex_claim_dn(struct map_adindex *ix,
			     const char *dn, struct sb_error *err);
enum sb_status		 map_adindex_claim_sam(struct map_adindex *ix,
			     const char *sam, struct sb_error *err);

#endif
