/* Group members in $batch, twenty groups a request; large groups paged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "mapping/cloudid.h"
#include "batch.h"
#include "errmap.h"
#include "graph.h"
#include "navmembers.h"

#define MEMBERS_WHERE "graph.members"
#define MEMBERS_PERM "GroupMember.Read.All"

struct members_args {
	struct cloud_client *c;
	const struct cloud_members_read *r;
	const size_t *index; /* batched id -> caller's */
};

/* One group being read: whose, and how many members so far. */
struct group_read {
	const struct members_args *a;
	size_t index;
	size_t n;
};

static enum sb_status
member_cb(struct dirobj *m, void *arg, struct sb_error *err)
{
	struct group_read *g = arg;

	g->n++;
	return g->a->r->member(g->index, m, g->a->r->arg, err);
}

/*
 * The first page, which came in the $batch: parsed whole before any member
 * is handed over (a bad entry skips the group with nothing handed), then
 * the rest of the group through its nextLink, for this group alone.
 */
static enum sb_status
first_page(const char *id, const struct cloud_batch_item *it,
    struct group_read *g, struct sb_error *err)
{
	struct dirset page;
	char *next = NULL;
	enum sb_status st;
	size_t i;

	dirset_init(&page);
	st = cloud_graph_parse_group_members(it->body ? it->body : "",
	    it->body_len, id, &page, &next, err);
	if (st == SB_OK && page.n > CLOUD_GRAPH_MEMBERS_MAX)
		st = sb_fail(err, SB_STOP, 0, MEMBERS_WHERE,
		    "GET /v1.0/groups/{id}/members object %s: "
		    "more than %zu objects",
		    id, CLOUD_GRAPH_MEMBERS_MAX);
	for (i = 0; i < page.n; i++) {
		if (st == SB_OK)
			st = member_cb(page.objs[i], g, err);
		else
			dirobj_free(page.objs[i]);
		page.objs[i] = NULL;
	}
	page.n = 0;
	if (st == SB_OK && next != NULL) {
		log_debug("graph.members.paged group=%s first=%zu", id, g->n);
		st = cloud_graph_members_pages(g->a->c, id, next,
		    CLOUD_GRAPH_MEMBERS_MAX - g->n, member_cb, g, err);
	}
	free(next);
	dirset_free(&page);
	return st;
}

/* Any status but 200: a 404 is the group gone (SB_SKIP), the rest the run's. */
static enum sb_status
item_failed(const char *id, const struct cloud_batch_item *it,
    struct sb_error *err)
{
	char endpoint[96];
	struct cloud_errctx x = { MEMBERS_WHERE, "GET", endpoint, MEMBERS_PERM,
		id };

	/* As cloud_client_call names a members request that failed. */
	snprintf(endpoint, sizeof(endpoint), "/v1.0/groups/%s/members", id);
	return cloud_errmap_reply(&x,
	    &(struct cloud_errreply){
		.client_request_id = it->client_request_id },
	    it->status, it->body, it->body_len, NULL, err);
}

static enum sb_status
members_answer(const char *id, const struct cloud_batch_item *it, size_t i,
    void *arg, struct sb_error *err)
{
	const struct members_args *a = arg;
	struct group_read g = { a, a->index[i], 0 };
	struct sb_error why = { 0 };
	enum sb_status st;

	if (it->status == 200)
		st = first_page(id, it, &g, &why);
	else
		st = item_failed(id, it, &why);
	if (st == SB_OK || st == SB_SKIP)
		return a->r->end(g.index, st, st == SB_SKIP ? &why : NULL,
		    a->r->arg, err);
	*err = why;
	return st;
}

/* An id that cannot go into a URL: that group only, as in cloud/graph.c. */
static enum sb_status
bad_id(const struct cloud_members_read *r, size_t index, const char *id,
    struct sb_error *err)
{
	char why[96], shown[MAP_CLOUDID_SHOW_SIZE];
	struct sb_error e2 = { 0 };

	(void)sb_fail(&e2, SB_SKIP, EINVAL, MEMBERS_WHERE,
	    "not a Graph object id: \"%s\" (%s)",
	    map_cloudid_show(id, shown, sizeof(shown)),
	    map_cloudid_why(id, why, sizeof(why)));
	return r->end(index, SB_SKIP, &e2, r->arg, err);
}

enum sb_status
cloud_nav_members(struct cloud_client *c, const char *const *ids, size_t n,
    const struct cloud_members_read *r, struct sb_error *err)
{
	struct members_args a = { c, r, NULL };
	struct cloud_batch_each e = { MEMBERS_WHERE, MEMBERS_PERM, "groups",
		NULL, members_answer, &a };
	char tail[64];
	const char **sent;
	size_t *index, i, nsent = 0;
	enum sb_status st = SB_OK;

	snprintf(tail, sizeof(tail), "members?$select=id,displayName&$top=%d",
	    CLOUD_GRAPH_TOP);
	e.tail = tail;
	sent = calloc(n ? n : 1, sizeof(*sent));
	index = calloc(n ? n : 1, sizeof(*index));
	if (sent == NULL || index == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, MEMBERS_WHERE,
		    "out of memory");
		goto done;
	}
	for (i = 0; st == SB_OK && i < n; i++) {
		if (map_cloudid_valid(ids[i])) {
			sent[nsent] = ids[i];
			index[nsent++] = i;
		} else {
			st = bad_id(r, i, ids[i], err);
		}
	}
	a.index = index;
	if (st == SB_OK)
		st = cloud_batch_each(c, &e, sent, nsent, err);
done:
	free(sent);
	free(index);
	return st;
}
