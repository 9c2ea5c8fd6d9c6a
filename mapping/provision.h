/*
 * Provisioning cloud security groups into AD: which cloud groups are in
 * scope (groups.provision, groups.provision_groups), and the names of the
 * group created: cn from the display name and sAMAccountName from
 * groups.sam_pattern, each made valid and unique (an existing object is
 * never overwritten: the new group takes the next free name).  The
 * attributes of the creation itself are assembled by mapping/groups.c.
 * Pure.
 */
#ifndef MAP_PROVISION_H
#define MAP_PROVISION_H

#include <stddef.h>

#include "adindex.h"
#include "core.h"
#include "dirobj.h"
#include "options.h"

#define MAP_CN_MAX		64	/* characters: rangeUpper of cn */
/* Characters of the sAMAccountNames we make (AD takes 256; 64 stays readable). */
#define MAP_SAM_MAX		64
/* Suffixes tried for a unique name: "Name (2)" .. "Name (999)". */
#define MAP_NAME_SUFFIX_MAX	999

/* groupType values, security groups (ad-writeback.md section 2). */
#define MAP_GROUPTYPE_UNIVERSAL		"-2147483640"
#define MAP_GROUPTYPE_GLOBAL		"-2147483646"
#define MAP_GROUPTYPE_DOMAIN_LOCAL	"-2147483644"

enum map_provision_verdict {
	MAP_PROVISION_YES = 0,
	MAP_PROVISION_OFF,		/* groups.provision = false */
	MAP_PROVISION_NOT_LISTED,	/* provision_groups does not name it */
	MAP_PROVISION_NOT_SECURITY,	/* not a security group */
};

/*
 * 1 when cloud is a security group: securityEnabled true and not a
 * Microsoft 365 group (groupTypes "Unified").
 */
int		map_group_is_security(const struct dirobj *cloud);
/* Whether cloud group cloud is to be provisioned (when AD lacks it). */
enum map_provision_verdict map_provision_decide(const struct dirobj *cloud,
		    const struct map_options *opt);
/* Why not, for findings: "groups.provision is false", ... */
const char	*map_provision_verdict_text(enum map_provision_verdict v);

/* The groupType text for the configured scope (security groups). */
const char	*map_provision_group_type(enum map_group_type t);

/*
 * The cn value (unescaped) for a group named display_name: control
 * characters dropped, spaces trimmed, at most MAP_CN_MAX characters (cut at
 * a character boundary); "Group_<id>" when nothing is left.  *out is new.
 */
enum sb_status	map_provision_cn(const char *display_name, const char *id,
		    char **out, struct sb_error *err);
/*
 * The sAMAccountName from pattern ("%{displayName}", "%{mailNickname}",
 * "%{id}"), made valid: the characters AD refuses (" / \ [ ] : ; | = , + *
 * ? < >) become '_', control characters are dropped, spaces trimmed and
 * trailing dots removed, at most MAP_SAM_MAX characters; "Group_<id>" when
 * nothing is left.  Not yet unique.  *out is new.
 */
enum sb_status	map_provision_sam(const char *pattern,
		    const struct dirobj *cloud, char **out,
		    struct sb_error *err);
/*
 * Unique names in ix: the first of cn, "cn (2)", "cn (3)", ... whose DN
 * under ou is free, and of sam, "sam-2", "sam-3", ... that no object holds
 * (names are cut to stay within their limits).  Both are registered in ix.
 * *dn ("CN=<escaped cn>,<ou>"), *cn_out and *sam_out are new.  SB_SKIP
 * when no name up to MAP_NAME_SUFFIX_MAX is free.
 */
enum sb_status	map_provision_claim(struct map_adindex *ix, const char *cn,
		    const char *sam, const char *ou, char **dn, char **cn_out,
		    char **sam_out, struct sb_error *err);

#endif
