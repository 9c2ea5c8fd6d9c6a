/* Report entries off the map's rows (part of the walk; see reportentry.h). */
#ifndef MAP_REPORTEXTRA_H
#define MAP_REPORTEXTRA_H

#include "dirobj.h"
#include "reportentry.h"

/*
 * The entries of changes c0..c1 of one object on what the map's rows do
 * not show; ad is the joined AD object or NULL.
 */
enum sb_status	map_report_extra(struct report_walk *w, size_t c0, size_t c1,
		    const struct dirobj *ad, struct sb_error *err);
/* A cloud-owned group sync leaves in its OU: one in-sync entry says why. */
enum sb_status	map_report_placement_kept(struct report_walk *w,
		    const struct report_pair *px, struct sb_error *err);

#endif
