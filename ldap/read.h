/*
 * One LDAP entry into a struct dirobj: the DN; the kind from objectClass
 * (user, group, contact; computers, which are users in AD, and everything
 * else are DIROBJ_OTHER); objectGUID (16 bytes), mS-DS-ConsistencyGuid (16
 * bytes) and objectSid (checked structure) into the anchors, raw; every
 * other attribute byte-exact, with its length, under the name AD returned.
 * A ranged attribute ("member;range=0-1499") is read in full with
 * ad_read_ranged() and stored under its plain name.  Used by ad_search();
 * the conversion itself is private to ldap/ (ldap/internal.h).
 */
#ifndef AD_READ_H
#define AD_READ_H

#include "mapping/core.h"
#include "mapping/dirobj.h"

#define AD_READ_GUID_LEN	16
#define AD_READ_SID_MAX		68	/* revision, count, authority, 15 sub-authorities */

/* Kind of an object from its objectClass values (o's "objectClass" attribute). */
enum dirobj_kind ad_read_kind(const struct dirobj *o);

/* 1 when p (len bytes) is a well-formed binary SID. */
int		 ad_read_sid_valid(const void *p, size_t len);

#endif
