/*
 * Paged listings of Graph and Exchange Online: request a page, parse it
 * whole, hand its objects over, follow @odata.nextLink as given (on the
 * service's own host only), under caps on pages and objects.
 */
#ifndef SB_CLOUD_PAGER_H
#define SB_CLOUD_PAGER_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "client.h"

/* Pages of one listing: 999 * 100000 objects is beyond any tenant. */
#define CLOUD_PAGER_PAGES_MAX	100000

/*
 * Receives one object and owns it from then on (also when it fails).  A
 * status other than SB_OK ends the listing with that status and err.
 */
typedef enum sb_status (*cloud_obj_cb)(struct dirobj *o, void *arg,
		    struct sb_error *err);

/* Parses one page into out (appended) and copies its nextLink (or NULL). */
typedef enum sb_status (*cloud_page_fn)(const char *body, size_t len,
		    void *arg, struct dirset *out, char **next_link,
		    struct sb_error *err);

struct cloud_pager {
	enum cloud_audience	 aud;
	const char		*method;	/* "GET", or "POST" */
	const char		*url;		/* the first page */
	const char		*origin;	/* nextLinks stay on its host */
	const char		*content_type;
	const char		*body;		/* POST: sent to every page */
	const char *const	*headers;	/* "Name: value" lines, NULL-ended */
	const char		*where;		/* "graph.users" */
	const char		*endpoint;	/* "/v1.0/users": messages */
	const char		*permission;	/* for a 403 hint */
	const char		*object_id;	/* the group of a member list */
	size_t			 max_objects;	/* 0: no cap beyond pages */
	cloud_page_fn		 parse;
	void			*parse_arg;
};

/*
 * Runs the listing.  Pages are handed over as they arrive: on failure the
 * objects already handed over are the callback's, and the listing is
 * incomplete.
 */
enum sb_status	cloud_pager_run(struct cloud_client *c,
		    const struct cloud_pager *p, cloud_obj_cb cb, void *arg,
		    struct sb_error *err);

#endif
