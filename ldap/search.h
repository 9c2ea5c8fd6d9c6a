/*
 * Paged subtree/one-level/base searches (paged results control
 * 1.2.840.113556.1.4.319): every entry becomes a struct dirobj (ldap/read.h)
 * handed to a callback.  Continuation references (AD sends them for other
 * partitions below the domain root) are skipped; referrals are not chased.
 */
#ifndef AD_SEARCH_H
#define AD_SEARCH_H

#include "mapping/core.h"
#include "mapping/dirobj.h"

#define AD_SEARCH_PAGE_SIZE	500		/* AD's MaxPageSize is 1000 */
/* Pages of one search we follow: 50 million objects at the default size. */
#define AD_SEARCH_MAX_PAGES	100000

enum {
	AD_SCOPE_BASE = 0,
	AD_SCOPE_ONE = 1,
	AD_SCOPE_SUB = 2,
};

struct ad_conn;

/*
 * Takes o (it must free it with dirobj_free() or keep it), also when it
 * fails.  A status other than SB_OK ends the search with that status; err
 * is then the callback's.
 */
typedef enum sb_status (*ad_entry_cb)(struct dirobj *o, void *arg,
    struct sb_error *err);

/*
 * Searches base with scope (AD_SCOPE_*), filter (RFC 4515, values escaped
 * with ldap/escape.h) and attrs (NULL-terminated; NULL for all user
 * attributes; objectClass is added when missing so that the kind is
 * known).  Entries come in the server's order.  An entry that cannot be
 * converted ends the search (no object is silently dropped).
 */
enum sb_status	ad_search(struct ad_conn *c, const char *base, int scope,
		    const char *filter, const char *const *attrs,
		    ad_entry_cb cb, void *arg, struct sb_error *err);

/* Page size for later searches on c (tests); 0 restores the default. */
void		ad_search_set_page_size(struct ad_conn *c, int n);

#endif
