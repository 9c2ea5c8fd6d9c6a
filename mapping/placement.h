/*
 * OU placement of groups: the OU a group belongs in, and whether soabridge
 * may put one there.  The target is the parent of the DN held in the
 * group's groups.ou_extension property (the DN the group had on-premises,
 * copied before conversion) when it holds one.  Without one, a group
 * soabridge creates goes to groups.default_ou, and an existing group has
 * no target: it stays where it is (GPO and ACL scoping follow OUs, and an
 * admin who converts a group does not expect it to leave its OU).  A
 * target is allowed only when it is
 *   - a DN under ldap.base_dn, not the domain root, whose every RDN below
 *     the base is OU= (groups go into organizational units, not containers);
 *   - free of DN metacharacters in its names (\ " + ; < > # and control
 *     characters: a value crafted in the cloud must not steer the DN);
 *   - not a protected container (CN=Users, CN=Builtin, CN=System,
 *     OU=Domain Controllers, CN=Computers, ...);
 *   - inside one of groups.allowed_ous and inside ldap.write_scope.
 * Otherwise the group stays where it is (or is not created) and the reason
 * becomes a finding.  Pure.
 */
#ifndef MAP_PLACEMENT_H
#define MAP_PLACEMENT_H

#include <stddef.h>

#include "core.h"
#include "dirobj.h"
#include "options.h"

#define MAP_PLACEMENT_REASON_SIZE	320

enum map_placement_source {
	MAP_PLACE_NONE = 0,	/* no extension value and no default_ou */
	MAP_PLACE_EXTENSION,	/* the parent of the DN in ou_extension */
	MAP_PLACE_DEFAULT,	/* groups.default_ou */
};

struct map_placement {
	char			*ou;	/* allowed target (new); NULL: none */
	enum map_placement_source source;
	int			 refused; /* a target was given and refused */
	char			 reason[MAP_PLACEMENT_REASON_SIZE];
};

/* Whom the target is for: groups.default_ou applies only to new groups. */
enum map_placement_for {
	MAP_PLACE_FOR_EXISTING = 0,	/* an AD group already there */
	MAP_PLACE_FOR_NEW,		/* a group soabridge creates */
};

/*
 * The target of cloud group cloud.  out->ou is set when there is an allowed
 * one; out->refused and out->reason when the target given is refused;
 * neither when there is none (for an existing group without an extension
 * value: it stays).  Only out of memory fails.  Free out with
 * map_placement_clear.
 */
enum sb_status	map_placement_target(const struct dirobj *cloud,
		    const struct map_options *opt, enum map_placement_for what,
		    struct map_placement *out, struct sb_error *err);
void		map_placement_clear(struct map_placement *pl);

/* 1 when groups may be placed in ou; 0 with the reason in reason. */
int		map_placement_allowed(const char *ou,
		    const struct map_options *opt, char *reason,
		    size_t reasonsz);

const char	*map_placement_source_name(enum map_placement_source s);

#endif
