/*
 * What a cycle reads before it plans groups (mapping/groups.h): the members
 * of the cloud groups the plan needs and the member values of their AD
 * groups, and of provisioned groups that groups.delete may delete.  Pure.
 */
#ifndef MAP_GROUPREADS_H
#define MAP_GROUPREADS_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "options.h"

/*
 * What must be read before planning (agent/cycle.c): the members of cloud
 * groups cloud[0..ncloud) (indexes into the cloud set) and the member
 * values of AD groups ad[0..nad) (indexes into the AD set).  Needs the
 * cloud groups' cloud_managed already read; j is the join of ad and
 * cloud (borrowed).  out is new on success; free
 * it with map_group_reads_free.
 */
struct map_group_reads {
	size_t		*cloud;
	size_t		 ncloud;
	size_t		*ad;
	size_t		 nad;
};

enum sb_status	map_groups_reads(const struct map_join *j,
		    const struct dirset *ad, const struct dirset *cloud,
		    const struct map_options *opt, struct map_group_reads *out,
		    struct sb_error *err);
void		map_group_reads_free(struct map_group_reads *r);

#endif
