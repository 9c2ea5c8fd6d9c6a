/*
 * Distinguished names (RFC 4514): escape a value, parse, compare as AD does
 * (attribute types and values case-insensitive after unescaping; ASCII
 * folding only), ancestry by RDN sequence, parent.  Pure: libc only.
 *
 * Parsing is a little more lenient than RFC 4514 in the RFC 2253 way AD is:
 * spaces around ',', '+' and '=' are ignored.  It rejects an empty DN, an
 * empty RDN or value, an unescaped '"', ';', '<' or '>', and bad escapes.
 *
 * One grammar (dnscan.c) serves parsing (dn.c), comparison (dncompare.c)
 * and escaping and the normal form (dnescape.c).
 */
#ifndef MAP_DN_H
#define MAP_DN_H

#include <stddef.h>

#include "core.h"
#include "dnlimits.h"

struct map_ava {
	char		*type;		/* as written */
	struct sb_bytes	 value;		/* unescaped; "#hex" is kept as text */
};

struct map_rdn {
	struct map_ava	*avas;
	size_t		 navas;
};

struct map_dn {
	struct map_rdn	*rdns;		/* rdns[0]: the leftmost, the entry's */
	size_t		 nrdns;
};

/*
 * Escapes one attribute value for use in a DN: , + " \ < > ; = as "\c";
 * a leading '#' or space and a trailing space as "\c"; NUL, control
 * characters, DEL and bytes that are not valid UTF-8 as "\XX".  Valid UTF-8
 * is kept.  *out is a new string the caller frees with free().
 */
enum sb_status	map_dn_escape_value(const void *p, size_t len, char **out,
		    struct sb_error *err);

/* *out is new: the caller frees it with map_dn_free.  Malformed is SB_SKIP. */
enum sb_status	map_dn_parse(const char *dn, struct map_dn **out,
		    struct sb_error *err);
void		map_dn_free(struct map_dn *dn);

/*
 * Canonical text for comparison and hashing: types and ASCII letters of
 * values lower-cased, values re-escaped canonically, no spaces, the AVAs of a
 * multi-valued RDN sorted.  Two DNs are equal iff their forms are.  *out is
 * new (free()).
 */
enum sb_status	map_dn_normalize(const char *dn, char **out,
		    struct sb_error *err);

/* 1 when dn is a well-formed, non-empty DN. */
int		map_dn_valid(const char *dn);
/* 1 when a and b name the same entry; 0 when not or either is malformed. */
int		map_dn_equal(const char *a, const char *b);
/*
 * 1 when dn equals base or is below it, comparing RDN by RDN (so
 * "OU=XStaff,DC=x" is not under "OU=Staff,DC=x"); 0 when not, or when either
 * is malformed.  Allocates nothing.
 */
int		map_dn_is_under(const char *dn, const char *base);
/*
 * 1 when dn equals "rdn,base" or is below it (rdn is one RDN, e.g.
 * "CN=System").
 */
int		map_dn_is_under_rdn(const char *dn, const char *rdn,
		    const char *base);
/* Number of RDNs, or 0 when malformed. */
size_t		map_dn_depth(const char *dn);

/* The DN without its first RDN, as written.  A one-RDN DN has none: SB_SKIP. */
enum sb_status	map_dn_parent(const char *dn, char **out,
		    struct sb_error *err);
/* The first RDN, as written (e.g. "CN=Smith\, Ann"). */
enum sb_status	map_dn_rdn(const char *dn, char **out, struct sb_error *err);

#endif
