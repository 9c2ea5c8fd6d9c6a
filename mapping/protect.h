/*
 * Protected AD objects, never written whatever the authority model says:
 * adminCount=1, isCriticalSystemObject=TRUE, built-in and well-known
 * privileged SIDs (every RID below 1000), privileged groups whose RID is not
 * fixed (DnsAdmins, the Exchange permission groups: by sAMAccountName), and
 * anything under CN=Builtin or CN=System of the base.  mapping/groups.c adds
 * groups nested in a protected group (their members would inherit its power).
 */
#ifndef MAP_PROTECT_H
#define MAP_PROTECT_H

#include <stddef.h>

#include "dirobj.h"

#define MAP_PROTECT_REASON_SIZE	160

/*
 * 1 when ad is protected, with the reason for the plan written to reason
 * (reasonsz bytes, MAP_PROTECT_REASON_SIZE is enough); 0 when it is not.
 * base_dn may be NULL (no CN=Builtin / CN=System check).  An objectSid that
 * cannot be parsed counts as protected: when unsure, do not write.
 */
int	map_protect_check(const struct dirobj *ad, const char *base_dn,
	    char *reason, size_t reasonsz);

#endif
