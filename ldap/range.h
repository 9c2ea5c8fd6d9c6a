/*
 * Range retrieval of large multi-valued attributes (MS-ADTS 3.1.1.3.1.3.3):
 * AD returns at most MaxValRange (1500) values of "member" per search, as
 * "member;range=0-1499", and the client asks for the next window until a
 * range ends in "*".  Samba does not enforce the limit, so we always ask
 * with explicit windows: the loop runs against both.
 */
#ifndef AD_RANGE_H
#define AD_RANGE_H

#include <stddef.h>

#include "mapping/core.h"
#include "mapping/dirobj.h"

#define AD_RANGE_STEP		1500	/* AD's default MaxValRange */
/* Values of one attribute we accept (groups written back hold up to 50,000). */
#define AD_RANGE_MAX_VALUES	(1000 * 1000)

struct ad_conn;

/* "member;range=1500-*": baselen 6, start 1500, end_star 1. */
struct ad_range {
	size_t		 baselen;	/* length of the name before ";range=" */
	unsigned long	 start;
	unsigned long	 end;		/* when !end_star */
	int		 end_star;
};

/*
 * Parses an attribute description as returned by AD: 1 when it carries a
 * range option (r filled), 0 when not, -1 when the range is malformed
 * (no digits, end before start, overflow, trailing junk).
 */
int		ad_range_parse(const char *attr, struct ad_range *r);

/*
 * Reads every value of attr (e.g. "member") of the object at dn with
 * explicit windows "attr;range=N-M" and stores them in o under the plain
 * name attr, replacing what o held for it.  More than AD_RANGE_MAX_VALUES
 * is SB_SKIP; values that shift during the read (the window AD returns does
 * not start where asked) are SB_RESYNC.  o is unchanged on failure.
 */
enum sb_status	ad_read_ranged(struct ad_conn *c, const char *dn,
		    const char *attr, struct dirobj *o, struct sb_error *err);

#endif
