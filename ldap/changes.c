/* Objects changed above a USN watermark, counted. */
#include <stdio.h>

#include "ldap/changes.h"
#include "ldap/search.h"

/* uSNChanged >= usn + 1: LDAP has no strict "greater than". */
enum sb_status
ad_changed_filter(const char *filter, unsigned long long usn, char *out,
    size_t outsz, struct sb_error *err)
{
	int len;

	if (usn == ~0ULL)
		return sb_fail(err, SB_BUG, 0, "ad.changes",
		    "USN watermark at its maximum");
	len = snprintf(out, outsz, "(&(uSNChanged>=%llu)%s)", usn + 1, filter);
	if (len < 0 || (size_t)len >= outsz)
		return sb_fail(err, SB_BUG, 0, "ad.changes", "filter too long");
	return SB_OK;
}

static enum sb_status
count_one(struct dirobj *o, void *arg, struct sb_error *err)
{
	unsigned long *n = arg;

	(void)err;
	dirobj_free(o);
	(*n)++;
	return SB_OK;
}

enum sb_status
ad_count_changed(struct ad_conn *c, const char *base, const char *filter,
    unsigned long long usn, unsigned long *n, struct sb_error *err)
{
	/* objectClass only: the question is whether, not what. */
	static const char *const attrs[] = { "objectClass", NULL };
	char f[1024];
	enum sb_status st;

	*n = 0;
	st = ad_changed_filter(filter, usn, f, sizeof(f), err);
	if (st == SB_OK)
		st = ad_search(c, base, AD_SCOPE_SUB, f, attrs, count_one, n,
		    err);
	return st;
}
