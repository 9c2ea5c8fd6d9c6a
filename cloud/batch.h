/*
 * Graph JSON batching: GET sub-requests packed into one POST /v1.0/$batch
 * body, and the reply (items in any order) matched back by id.
 */
#ifndef SB_CLOUD_BATCH_H
#define SB_CLOUD_BATCH_H

#include <stddef.h>

#include "mapping/core.h"

/* Sub-requests per $batch: Graph's limit. */
#define CLOUD_BATCH_MAX		20
/* One item's body kept as JSON text. */
#define CLOUD_BATCH_ITEM_MAX	((size_t)1024 * 1024)

struct cloud_client;

struct cloud_batch_item {
	const char	*url;		/* relative to the version, borrowed */
	int		 done;		/* has its final answer */
	int		 sent;		/* in the batch being answered */
	int		 answered;	/* the reply had it */
	long		 status;	/* the item's HTTP status */
	long		 retry_after;	/* its Retry-After, seconds, or -1 */
	char		*body;		/* its body as JSON text, or NULL */
	size_t		 body_len;
	/* of the $batch that brought its final answer: for its errors */
	char client_request_id[40];
};

/*
 * {"requests":[{"id":"<index>","method":"GET","url":...}]} for the items
 * whose `sent` the caller set; *out is the caller's (free()).  At most
 * CLOUD_BATCH_MAX items may be sent.
 */
enum sb_status	cloud_batch_request(const struct cloud_batch_item *items,
		    size_t n, char **out, struct sb_error *err);

/*
 * Matches reply {"responses":[{"id","status","headers","body"}]} to the sent
 * items: fills answered, status, retry_after, body.  An unknown, repeated or
 * missing id is a malformed reply (SB_RETRY, naming where and endpoint).
 */
enum sb_status	cloud_batch_parse(const char *where, const char *body,
		    size_t len, struct cloud_batch_item *items, size_t n,
		    struct sb_error *err);

/* Frees the bodies and clears the flags: ready for another use. */
void		cloud_batch_reset(struct cloud_batch_item *items, size_t n);

/*
 * POSTs items[0..n) (n <= CLOUD_BATCH_MAX, url set, the rest zero) to
 * {graph_url}/v1.0/$batch, then again the items that came back 429, 503 or
 * 504, after the longest Retry-After among them (else backoff), until every
 * item has its final status and body, or SB_RETRY when the retry budget is
 * spent.
 * The items' own statuses are the caller's to judge.
 */
enum sb_status	cloud_batch_run(struct cloud_client *c, const char *where,
		    const char *permission, struct cloud_batch_item *items,
		    size_t n, struct sb_error *err);

/*
 * Judges the final answer (it) of the item about object id, the index-th of
 * the ids given to cloud_batch_each.  A status other than SB_OK ends the
 * reads with it.
 */
typedef enum sb_status (*cloud_batch_answer_fn)(const char *id,
		    const struct cloud_batch_item *it, size_t index, void *arg,
		    struct sb_error *err);

/* One navigation read for many objects. */
struct cloud_batch_each {
	const char		*where;		/* "graph.soa" */
	const char		*permission;	/* for a 403 hint */
	const char		*collection;	/* "users" */
	const char		*tail;		/* "manager" */
	cloud_batch_answer_fn	 answer;
	void			*arg;
};

/*
 * GET /{collection}/{id}/{tail} for each of ids[0..n), CLOUD_BATCH_MAX to a
 * $batch (cloud_batch_run), each answer handed to e->answer in order.  Every
 * id must be a Graph object id (mapping/cloudid.h): the caller sets others
 * aside first (SB_BUG otherwise).
 */
enum sb_status	cloud_batch_each(struct cloud_client *c,
		    const struct cloud_batch_each *e, const char *const *ids,
		    size_t n, struct sb_error *err);

#endif
