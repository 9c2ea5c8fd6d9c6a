/*
 * Domain controllers from DNS: the SRV records _ldap._tcp.dc._msdcs.<domain>
 * (the ones every AD DC registers), through the system resolver (libresolv),
 * ordered as RFC 2782 says: by priority, then at random weighted by weight
 * within a priority.  Parsing and ordering are pure (crafted packets and a
 * chosen random source test them); only ad_srv_lookup() asks DNS.
 */
#ifndef AD_SRV_H
#define AD_SRV_H

#include <stddef.h>

#include "mapping/core.h"

#define AD_SRV_PREFIX	"_ldap._tcp.dc._msdcs."
#define AD_SRV_HOST_MAX	256

struct ad_srv {
	unsigned int	priority;	/* lower first */
	unsigned int	weight;		/* share of the picks within a priority */
	unsigned int	port;		/* the DC's LDAP port (389) */
	char		target[AD_SRV_HOST_MAX];	/* no trailing dot */
};

/* A number in [0, bound]; arg is the source's own. */
typedef unsigned long (*ad_srv_rand)(void *arg, unsigned long bound);

/*
 * The SRV records of the answer section of DNS reply msg (len bytes) into
 * *out (n of them; the caller frees *out).  A record whose target is "."
 * ("no such service here", RFC 2782) is left out.  A reply that does not
 * parse is SB_RETRY naming what was wrong.
 */
enum sb_status	ad_srv_parse(const unsigned char *msg, int len,
		    struct ad_srv **out, size_t *n, struct sb_error *err);

/*
 * RFC 2782's order, in place: ascending priority; within one priority,
 * each pick at random, weighted: a running sum over the records left
 * (weight 0 first), the first whose sum reaches rnd(arg, total).
 */
void		ad_srv_order(struct ad_srv *v, size_t n, ad_srv_rand rnd,
		    void *arg);

/*
 * Asks the system resolver for AD_SRV_PREFIX<domain>, parses and orders
 * the answer (at random within a priority).  prep (may be NULL) is given
 * the initialised resolver state (struct __res_state *) before the query.
 * No record is SB_RETRY naming the domain and the record asked for.
 */
enum sb_status	ad_srv_lookup(const char *domain, void (*prep)(void *),
		    struct ad_srv **out, size_t *n, struct sb_error *err);

/*
 * A URI for each record, in order, into *uris (n strings and a NULL; free
 * with ad_srv_uris_free()): the SRV port is the LDAP port, so with ldaps
 * ldaps://<target>:636, with starttls ldap://<target>:<port>.
 */
enum sb_status	ad_srv_uris(const struct ad_srv *v, size_t n, int starttls,
		    char ***uris, struct sb_error *err);
void		ad_srv_uris_free(char **uris);

#endif
