/*
 * A lease held in AD so that of several agents only one writes: one
 * attribute of one object (daemon.lease_dn) holds
 * "holder=<id>;expires=<unix seconds>", and every change of it is one
 * modify that deletes the value read and adds the new one.  AD applies a
 * modify whole or not at all, so when two agents swap the same value only
 * the first succeeds: the second's delete finds no such value
 * (noSuchAttribute) and nothing of its modify is applied.
 *
 * The attribute is adminDescription: every class has it (it comes from
 * top), it is single-valued (so an add to a value already there fails,
 * which makes taking an empty lease atomic as well: description, the
 * obvious choice, is multi-valued on containers and would take a second
 * value), nothing in AD or Entra Connect reads it, and write access to it
 * can be delegated alone (its schemaIDGUID in an object ACE, see README).
 *
 * This file knows LDAP, not the agent: which holder may take the lease and
 * when is agent/lease.c's.
 */
#ifndef AD_LEASE_H
#define AD_LEASE_H

#include <stddef.h>

#include "mapping/core.h"

#define AD_LEASE_ATTR		"adminDescription"
/* hostname (64 at most on Linux), ':', pid, ':', a 16-digit token */
#define AD_LEASE_HOLDER_MAX	128
/* "holder=" + holder + ";expires=" + 20 digits, and the NUL */
#define AD_LEASE_VALUE_MAX	(AD_LEASE_HOLDER_MAX + 40)

struct ad_conn;

/* What the lease object holds. */
struct ad_lease {
	int		 present;	/* the attribute holds a value */
	int		 valid;		/* ... and it is a lease */
	char		 holder[AD_LEASE_HOLDER_MAX];	/* valid only */
	long long	 expires;	/* unix seconds, the holder's clock */
	/* the value as read, to be deleted by the next swap (valid only) */
	char		 raw[AD_LEASE_VALUE_MAX];
	/*
	 * ad_lease_read: 1 when AD says this account may write the
	 * attribute (allowedAttributesEffective, MS-ADTS 3.1.1.4.5.8).
	 */
	int		 writable;
};

/*
 * 1 when s can be a holder: 1 to AD_LEASE_HOLDER_MAX - 1 bytes of letters,
 * digits and . : _ - (no ';' or '=', so that the value parses back).
 */
int		ad_lease_holder_valid(const char *s);
/*
 * Parses the len bytes at p ("holder=<id>;expires=<n>", nothing more) into
 * *out (present and valid set); 0, and out->valid 0, when they are no lease.
 */
int		ad_lease_parse(const void *p, size_t len, struct ad_lease *out);
/*
 * Writes the value for holder and expires into buf (size bytes); 0 when
 * the holder is not valid or buf is too small.
 */
int		ad_lease_format(const char *holder, long long expires,
		    char *buf, size_t size);

/*
 * Reads the lease of the object dn into *out (present 0 when the attribute
 * is empty).  A failure (the object is gone, no right to read it) is the
 * search's status and message.
 */
enum sb_status	ad_lease_read(struct ad_conn *c, const char *dn,
		    struct ad_lease *out, struct sb_error *err);
/*
 * Replaces the lease old (as ad_lease_read gave it; NULL or not present:
 * the attribute is empty) by value (NULL: empty it), in one modify.  *won
 * is 1 when AD took it, 0 when the value is no longer old's (another agent
 * swapped it first: noSuchAttribute, attributeOrValueExists or a
 * constraint violation), which is SB_OK: a lost race, no error.  old must
 * be valid when present.  c must not have the permissive modify control on
 * (ldap/write.h): it would make a delete of an absent value succeed.
 */
enum sb_status	ad_lease_swap(struct ad_conn *c, const char *dn,
		    const struct ad_lease *old, const char *value, int *won,
		    struct sb_error *err);

#endif
