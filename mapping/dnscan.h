/*
 * Reading DN text as dn.h describes it, RDN by RDN and AVA by AVA, into
 * views of the string (nothing copied), and unescaping a value.  Shared by
 * the DN files (dn.c, dncompare.c, dnescape.c) so that one grammar decides
 * what is well-formed for all of them.  Pure: libc only.
 */
#ifndef MAP_DNSCAN_H
#define MAP_DNSCAN_H

#include <stddef.h>

#include "core.h"
#include "dnlimits.h"

/* One attribute=value as written: views into the DN string, nothing copied. */
struct map_ava_view {
	const char	*type;
	size_t		 tlen;
	const char	*val;		/* escaped text as written */
	size_t		 vlen;
	int		 hex;		/* a "#hex" (BER) value */
};

struct map_rdn_view {
	struct map_ava_view	 avas[MAP_DN_MAX_AVAS];
	size_t			 n;
	const char		*start;	/* the RDN as written: start .. end */
	const char		*end;
};

/*
 * Parses one RDN at *pp into r and moves *pp past it and its separator;
 * *more says whether another RDN follows.  -1 when malformed.
 */
int		map_dnscan_rdn(const char **pp, struct map_rdn_view *r,
		    int *more);
/* Number of RDNs of a well-formed non-empty DN; 0 otherwise (or NULL). */
size_t		map_dnscan_count(const char *dn);
/* Next unescaped byte of a value view (*pp up to end), or -1 at its end. */
int		map_dnscan_getc(const char **pp, const char *end);
/*
 * The unescaped value of v into out (new; sb_bytes_free it), NUL-terminated
 * past len; lower: ASCII letters folded.  A "#hex" value is kept as text.
 */
enum sb_status	map_dnscan_value(const struct map_ava_view *v, int lower,
		    struct sb_bytes *out, struct sb_error *err);

#endif
