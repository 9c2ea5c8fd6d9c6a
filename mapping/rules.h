/*
 * Rules: the AD values the cloud wants for one joined object, for the
 * classes the cloud owns, from the attribute map and the cloud's values.
 * A cloud attribute present with no value means "clear it"; an absent one
 * means "not known": AD is left alone.
 */
#ifndef MAP_RULES_H
#define MAP_RULES_H

#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "options.h"
#include "plan.h"

/*
 * Builds *out: a new dirobj (the caller frees it with dirobj_free) with the
 * AD object's kind and DN and one attribute per AD attribute whose desired
 * value is known; an attribute with zero values asks for a clear.
 *   classes	MAP_CLASS_* bits owned (from authority, masked by the options)
 *   opt	for skip_attrs and proxy_exclude (the cloud's values with an
 *		excluded prefix are left out); may be NULL
 *   j		resolves the manager's cloud id to its AD object
 *   findings	UNRESOLVED (manager) and BAD_VALUE findings; may be NULL
 * Exchange attributes come from the mailbox when there is one; without one
 * (an isCloudManaged object) only those with a Graph source (proxyAddresses,
 * mail, mailNickname) come from the cloud object.
 */
enum sb_status	map_rules_desired(const struct map_pair *pr, unsigned classes,
		    const struct map_options *opt, const struct map_join *j,
		    struct plan *findings, struct dirobj **out,
		    struct sb_error *err);

#endif
