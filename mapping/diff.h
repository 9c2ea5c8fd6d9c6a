/*
 * Diff: desired AD values against actual ones, as the smallest set of
 * deltas.  Multi-valued attributes change value by value, compared byte for
 * byte (so "smtp:" to "SMTP:" is a delete and an add); a single-valued one is
 * replaced when different, deleted when the cloud clears it.  Applying the
 * deltas and diffing again yields none.
 */
#ifndef MAP_DIFF_H
#define MAP_DIFF_H

#include "core.h"
#include "dirobj.h"
#include "options.h"
#include "plan.h"

/*
 * Appends to c, attribute by attribute (sorted by name), the deltas that
 * make actual hold what desired asks.  For each attribute of desired (one
 * absent from desired is left alone):
 *   multi-valued	a DELETE of the extra values, then an ADD of the
 *			missing ones (in this order: a modify applies deletes
 *			first, so AD's case-insensitive match cannot refuse
 *			the new case of a value)
 *   single-valued	nothing when equal (TRUE/FALSE compare
 *			case-insensitively, DNs as DNs), a REPLACE when
 *			different, a DELETE when desired has no value and
 *			actual has one
 * Each delta carries every actual value before it, for the journal.
 * Whether an attribute is multi-valued and how it compares come from the
 * default attribute map; an attribute outside it is single-valued, exact.
 */
enum sb_status	map_diff(const struct dirobj *desired,
		    const struct dirobj *actual, struct change *c,
		    struct sb_error *err);
/*
 * The same, where the values that opt keeps out of every write
 * (map_options_excluded: proxyAddresses prefixes) are neither added nor
 * removed: an excluded value AD holds stays, whatever desired says.  opt
 * may be NULL (map_diff).
 */
enum sb_status	map_diff_opt(const struct dirobj *desired,
		    const struct dirobj *actual, const struct map_options *opt,
		    struct change *c, struct sb_error *err);

#endif
