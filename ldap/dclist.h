/*
 * More than one domain controller: a list of URIs tried in order, each with
 * ad_connect() on its own (and its own timeout), the first that binds wins.
 * A DC that cannot be reached is skipped and remembered; a DC that refuses
 * the account stops the list at once: the same bad password tried on every
 * DC would only lock the account out.
 */
#ifndef AD_DCLIST_H
#define AD_DCLIST_H

#include <stddef.h>

#include "ldap/conn.h"

/*
 * Connects to the first of uris[0..n-1] that answers, with p's other
 * fields (p->uri is ignored).  Each skipped DC is logged (warning) with
 * why.  When every DC failed for the network, err lists each DC and why;
 * any other failure is returned as ad_connect() gave it, naming its DC.
 */
enum sb_status	ad_connect_first(const struct ad_params *p,
		    const char *const *uris, size_t n, struct ad_conn **out,
		    struct sb_error *err);

/*
 * 1 when a failed connect says the DC could not be used but another may
 * be: not reached, no answer in time, the TLS handshake failed (also its
 * certificate: that DC's, not the account's problem).  0 for the rest:
 * credentials, rights, configuration.  Pure.
 */
int		ad_dclist_try_next(const struct sb_error *e);

#endif
