/*
 * RFC 4515 escaping of a value for an LDAP search filter: "*", "(", ")",
 * "\", NUL, other control bytes, DEL and every byte >= 0x80 become "\xx"
 * (two upper-case hex digits), so binary values (objectGUID, objectSid,
 * mS-DS-ConsistencyGuid) and UTF-8 text can be matched exactly:
 * "(objectGUID=\a1\b2...)".  DN values (RFC 4514) are escaped by
 * mapping/dn.h, not here.
 */
#ifndef AD_ESCAPE_H
#define AD_ESCAPE_H

#include <stddef.h>

#include "mapping/core.h"

/* A value longer than this is refused (SB_SKIP): AD values are far shorter. */
#define AD_ESCAPE_MAX_VALUE	(256 * 1024)

/*
 * Escapes len bytes at p (any bytes, NUL included).  *out is a new
 * NUL-terminated string the caller frees with free().
 */
enum sb_status	ad_filter_escape(const void *p, size_t len, char **out,
		    struct sb_error *err);

/*
 * "(attr=escaped value)" for an equality match; attr must be an attribute
 * name (letters, digits, '-', ';' options): anything else is SB_BUG.  *out
 * is new (free()).
 */
enum sb_status	ad_filter_eq(const char *attr, const void *p, size_t len,
		    char **out, struct sb_error *err);

#endif
