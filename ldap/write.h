/*
 * The only code that writes to AD: modify (all of an object's changes in
 * one operation, which AD applies atomically), add, rename/move, delete.
 * A plan never reaches this file: the agent's write gate says "would
 * write" instead (agent/writer.c), so nothing here can send by mistake.
 * Each write leaves one info line per attribute or operation, e.g.
 *   ad.modify dn="CN=Ann,OU=Staff,DC=corp" attr=proxyAddresses add=1 del=1 result=ok
 * and, at debug level, one line per value (password-like attributes
 * redacted).
 */
#ifndef AD_WRITE_H
#define AD_WRITE_H

#include <stddef.h>

#include "mapping/core.h"

#define AD_PERMISSIVE_MODIFY_OID	"1.2.840.113556.1.4.1413"

struct ad_conn;

/*
 * One attribute change.  Values are bytes (binary-safe).  AD_MOD_DELETE
 * and AD_MOD_REPLACE with no values remove the attribute; AD_MOD_ADD needs
 * at least one value.  Everything is borrowed for the call.
 */
struct ad_mod {
	const char		*attr;
	enum ad_mod_op {
		AD_MOD_ADD,
		AD_MOD_DELETE,
		AD_MOD_REPLACE,
	}			 op;
	const struct sb_bytes	*vals;
	size_t			 nvals;
};

/* One modify operation with all mods, in order. */
enum sb_status	ad_modify(struct ad_conn *c, const char *dn,
		    const struct ad_mod *mods, size_t nmods,
		    struct sb_error *err);
/* Creates dn with attrs (their op is ignored; each needs a value). */
enum sb_status	ad_add(struct ad_conn *c, const char *dn,
		    const struct ad_mod *attrs, size_t nattrs,
		    struct sb_error *err);
/*
 * Renames dn to new_rdn ("CN=New Name", escaped per RFC 4514), moving it
 * under new_superior unless that is NULL; the old RDN value is removed.
 */
enum sb_status	ad_rename(struct ad_conn *c, const char *dn,
		    const char *new_rdn, const char *new_superior,
		    struct sb_error *err);
enum sb_status	ad_delete(struct ad_conn *c, const char *dn,
		    struct sb_error *err);

/*
 * Permissive modify (AD_PERMISSIVE_MODIFY_OID, sent critical): adding a
 * value already present or deleting one absent is not an error.
 */
void		ad_set_permissive_modify(struct ad_conn *c, int on);

#endif
