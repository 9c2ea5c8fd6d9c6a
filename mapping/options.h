/*
 * struct map_options: what the mapping needs from the configuration.  conf/
 * fills it; mapping/ only reads it.  Plain C types: no library type here.
 *
 * Ownership: whoever fills the struct owns every string and array in it and
 * frees them (conf/ does, when it frees its config); the mapping borrows
 * them for the duration of a call and keeps no pointer into them.
 */
#ifndef MAP_OPTIONS_H
#define MAP_OPTIONS_H

#include <stddef.h>

#include "core.h"

/* Attribute classes (DESIGN.md): bits, so that a set of classes is a mask. */
enum map_class {
	MAP_CLASS_EXCHANGE	= 1u << 0,
	MAP_CLASS_IDENTITY	= 1u << 1,
	MAP_CLASS_MEMBERSHIP	= 1u << 2,
	MAP_CLASS_PLACEMENT	= 1u << 3,
};
#define MAP_CLASS_ALL	(MAP_CLASS_EXCHANGE | MAP_CLASS_IDENTITY | \
			 MAP_CLASS_MEMBERSHIP | MAP_CLASS_PLACEMENT)

/* Scope of the AD groups soabridge creates (ad-writeback.md: groupType). */
enum map_group_type {
	MAP_GROUP_UNIVERSAL = 0,	/* Microsoft's writeback default */
	MAP_GROUP_GLOBAL,
	MAP_GROUP_DOMAIN_LOCAL,
};

/* The groups { } section.  Read by later work (membership, placement). */
struct map_group_options {
	int			 provision;	/* create cloud security groups in AD */
	char			**provision_groups; /* cloud group ids; none: all */
	size_t			 nprovision_groups;
	enum map_group_type	 type;
	char			*sam_pattern;	/* e.g. "%{displayName}" */
	char			*default_ou;
	char			**allowed_ous;
	size_t			 nallowed_ous;
	char			*ou_extension;	/* extension_<appId>_OnPremisesDN */
	int			 remove_unsynced_members;
	int			 delete_removed; /* the "delete" key */
	/*
	 * The objectGUIDs (canonical lower-case text, mapping/codec.h) of the
	 * groups soabridge's own journal shows it created and has not deleted
	 * since, sorted by strcmp: the agent fills them from the state store.
	 * groups.delete deletes no other group, whatever its anchor says.
	 */
	char			**created_guids;
	size_t			 ncreated_guids;
};

struct map_options {
	char			*base_dn;	/* ldap.base_dn; NULL: no base check */
	/*
	 * ldap.write_scope: an object is written only when its DN is under
	 * one of these (and under base_dn).  None given: base_dn is the scope.
	 */
	char			**write_scope;
	size_t			 nwrite_scope;
	/* Attribute classes the mapping may write: MAP_CLASS_* bits. */
	unsigned		 classes;
	/*
	 * AD attribute names never to write, matched case-insensitively: the
	 * config's narrowing of the map, or attributes the AD schema lacks
	 * (no Exchange schema extension: ad-writeback.md section 3).
	 */
	char			**skip_attrs;
	size_t			 nskip_attrs;
	/*
	 * exchange.proxy_address_exclude: proxyAddresses prefixes ("SPO:",
	 * with or without the colon) that are never written to nor removed
	 * from AD, matched case-insensitively on the part of a value before
	 * its first ':' (SharePoint's "SPO:" addresses are cloud-internal).
	 */
	char			**proxy_exclude;
	size_t			 nproxy_exclude;
	struct map_group_options groups;
	/*
	 * 1 when the cloud set holds every cloud group (a full listing, not
	 * a delta or users only): only then is a provisioned AD group whose
	 * cloud group is missing taken as deleted in the cloud.
	 */
	int			 groups_complete;
};

/*
 * Defaults: every class enabled, universal groups, all else empty or off.
 * A zero-filled struct enables no class (so writes nothing): call this.
 */
void	map_options_init(struct map_options *opt);
/* 1 when the options say AD attribute ad_name must not be written. */
int	map_options_skips(const struct map_options *opt, const char *ad_name);
/*
 * 1 when v is a value of AD attribute ad_name that the options keep out of
 * every write: a proxyAddresses value whose prefix (before its first ':')
 * is one of proxy_exclude.  opt may be NULL (nothing is excluded).
 */
int	map_options_excluded(const struct map_options *opt, const char *ad_name,
	    const struct sb_bytes *v);
/*
 * 1 when dn may be written: under base_dn and under one of write_scope
 * (base_dn when none is given); 0 for NULL or a malformed DN.
 */
int	map_options_in_scope(const struct map_options *opt, const char *dn);
/*
 * 1 when the AD object with objectGUID guid (16 bytes) is one soabridge
 * created (groups.created_guids); 0 otherwise, or for a malformed GUID.
 */
int	map_options_created(const struct map_options *opt,
	    const struct sb_bytes *guid);

#endif
