/*
 * Graph delta queries for users and groups (graph-exo-protocol.md section
 * 4): what changed since a delta link, and the link to ask from next time.
 * The service's incremental cycle only needs to know whether anything
 * changed and how much; what changed is read again in full.
 */
#ifndef SB_CLOUD_DELTA_H
#define SB_CLOUD_DELTA_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "client.h"

/* Pages of one delta round we follow before calling it a runaway. */
#define CLOUD_DELTA_PAGES_MAX	100000

struct cloud_delta {
	size_t	 changed;	/* objects changed or added */
	size_t	 removed;	/* objects with "@removed" */
	size_t	 members;	/* members@delta entries, added or removed */
	char	*link;		/* the round's @odata.deltaLink (free()) */
	int	 expired;	/* the link was refused: 410 Gone,
				   syncStateNotFound or resyncRequired */
};

/*
 * A link for the present state of kind (users or groups), without reading
 * any object: GET .../delta?$select=...&$deltatoken=latest.  select is the
 * listing's (cloud_graph_select_param); groups add members, so that
 * membership changes surface as members@delta.
 */
enum sb_status	cloud_delta_latest(struct cloud_client *c,
		    enum dirobj_kind kind, const char *const *select,
		    struct cloud_delta *out, struct sb_error *err);

/*
 * Follows link (a stored @odata.deltaLink) through every page of its
 * round, counting the changes, to the next deltaLink.  A link the service
 * no longer knows sets out->expired and returns SB_OK: the caller drops it
 * and reads in full.  The link must be on the Graph host of c.
 */
enum sb_status	cloud_delta_follow(struct cloud_client *c,
		    enum dirobj_kind kind, const char *link,
		    struct cloud_delta *out, struct sb_error *err);

void		cloud_delta_free(struct cloud_delta *d);

/*
 * One page of a delta round, its counts added to acc; the nextLink or the
 * deltaLink (one of them, the other NULL) copied out.  Public for unit
 * tests.
 */
enum sb_status	cloud_delta_parse_page(const char *body, size_t len,
		    const char *where, struct cloud_delta *acc,
		    char **next_link, char **delta_link, struct sb_error *err);

/*
 * Whether a failed delta reply says the link is spent: 410, or 400 whose
 * error code is syncStateNotFound or resyncRequired.  Public for tests.
 */
int		cloud_delta_is_expired(long status, const char *body,
		    size_t len);

#endif
