/*
 * Graph $batch sent: rounds (items throttled inside a batch are sent again,
 * alone with the others still waiting, after the longest wait they ask for)
 * and waves (up to CLOUD_HTTP_PARALLEL batches whose first rounds are in
 * flight at once: against a service that takes 100 ms or more a request,
 * one batch at a time leaves the agent waiting).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "mapping/cloudid.h"
#include "batch.h"
#include "client.h"
#include "http.h"

/* As for a whole request (cloud_httpretry_wanted): 429, 503, 504. */
static int
throttled(long status)
{
	return status == 429 || status == 503 || status == 504;
}

/* Longest wait the throttled items ask for; -1 if one asks too much. */
static long
batch_wait(struct cloud_http *h, const struct cloud_batch_item *items, size_t n,
    int round)
{
	long wait = 0, w, max_wait_s;
	int max_retries;
	size_t i;

	cloud_http_retry_limits(h, &max_retries, &max_wait_s);
	for (i = 0; i < n; i++) {
		if (items[i].done)
			continue;
		w = cloud_http_backoff_ms(round, items[i].retry_after,
		    max_wait_s, cloud_http_random());
		if (w < 0)
			return -1;
		if (w > wait)
			wait = w;
	}
	return wait;
}

/* A round's body: of the items not done yet, which are marked sent. */
static enum sb_status
round_body(struct cloud_batch_item *items, size_t n, char **body,
    struct sb_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		items[i].sent = !items[i].done;
		items[i].answered = 0;
		if (items[i].sent) {
			free(items[i].body);
			items[i].body = NULL;
			items[i].body_len = 0;
		}
	}
	return cloud_batch_request(items, n, body, err);
}

/* A round's reply into its items: those not throttled are done. */
static enum sb_status
round_reply(struct cloud_client *c, const char *where,
    const struct cloud_http_resp *resp, struct cloud_batch_item *items,
    size_t n, size_t *pending, size_t *first, struct sb_error *err)
{
	enum sb_status st;
	size_t i;

	st = cloud_batch_parse(where, resp->body.p, resp->body.len, items, n,
	    err);
	if (st != SB_OK)
		return st;
	*pending = 0;
	*first = n;
	for (i = 0; i < n; i++) {
		if (!items[i].sent)
			continue;
		memcpy(items[i].client_request_id, resp->client_request_id,
		    sizeof(items[i].client_request_id));
		if (!throttled(items[i].status)) {
			items[i].done = 1;
			continue;
		}
		if ((*pending)++ == 0)
			*first = i;
	}
	cloud_http_count_throttled(cloud_client_http(c), *pending);
	return SB_OK;
}

/* Sends the items not done yet; marks done those not throttled. */
static enum sb_status
batch_round(struct cloud_client *c, struct cloud_call *call,
    struct cloud_batch_item *items, size_t n, size_t *pending, size_t *first,
    struct sb_error *err)
{
	struct cloud_http_resp resp;
	char *body = NULL;
	enum sb_status st;

	cloud_http_resp_init(&resp);
	st = round_body(items, n, &body, err);
	if (st != SB_OK)
		goto done;
	call->body = body;
	call->body_len = strlen(body);
	st = cloud_client_call(c, call, &resp, err);
	if (st == SB_OK)
		st = round_reply(c, call->where, &resp, items, n, pending,
		    first, err);
done:
	call->body = NULL;
	free(body);
	cloud_http_resp_free(&resp);
	return st;
}

/* After a first round left pending items throttled: the rounds to come. */
static enum sb_status
retry_rounds(struct cloud_client *c, struct cloud_call *call,
    struct cloud_batch_item *items, size_t n, size_t pending, size_t first,
    struct sb_error *err)
{
	struct cloud_http *h = cloud_client_http(c);
	long wait, max_wait_s;
	int round, max_retries;
	enum sb_status st;

	cloud_http_retry_limits(h, &max_retries, &max_wait_s);
	for (round = 0; pending > 0; round++) {
		wait = batch_wait(h, items, n, round);
		if (round >= max_retries || wait < 0)
			return sb_fail(err, SB_RETRY, (int)items[first].status,
			    call->where,
			    "POST /v1.0/$batch: %zu request(s) still throttled "
			    "(%s: HTTP %ld, Retry-After %ld s) after %d "
			    "attempts",
			    pending, items[first].url, items[first].status,
			    items[first].retry_after, round + 1);
		log_info("graph.batch.retry where=%s pending=%zu status=%ld "
			 "wait_ms=%ld attempt=%d",
		    call->where, pending, items[first].status, wait, round + 1);
		st = cloud_http_retry_wait(h, call->where, wait, err);
		if (st == SB_OK)
			st = batch_round(c, call, items, n, &pending, &first,
			    err);
		if (st != SB_OK)
			return st;
	}
	return SB_OK;
}

/* POST {graph}/v1.0/$batch for where; the URL is url's. */
static enum sb_status
batch_call(struct cloud_client *c, const char *where, const char *permission,
    struct sb_buf *url, struct cloud_call *call, struct sb_error *err)
{
	enum sb_status st;

	sb_buf_init(url, CLOUD_HTTP_URL_MAX);
	st = sb_buf_printf(url, err, "%s/v1.0/$batch",
	    cloud_client_graph_url(c));
	memset(call, 0, sizeof(*call));
	call->aud = CLOUD_AUD_GRAPH;
	call->method = "POST";
	call->url = url->p;
	call->content_type = "application/json";
	call->where = where;
	call->permission = permission;
	return st;
}

enum sb_status
cloud_batch_run(struct cloud_client *c, const char *where,
    const char *permission, struct cloud_batch_item *items, size_t n,
    struct sb_error *err)
{
	struct cloud_call call;
	struct sb_buf url;
	size_t pending = 0, first = 0;
	enum sb_status st;

	st = batch_call(c, where, permission, &url, &call, err);
	if (st == SB_OK)
		st = batch_round(c, &call, items, n, &pending, &first, err);
	if (st == SB_OK)
		st = retry_rounds(c, &call, items, n, pending, first, err);
	sb_buf_free(&url);
	return st;
}

/*
 * nb batches (items[b], of n[b] items each): their first rounds side by
 * side, then, batch by batch in order, the rounds their throttled items
 * call for.  The first batch that fails, in order, is the outcome.
 */
static enum sb_status
batch_wave(struct cloud_client *c, const char *where, const char *permission,
    struct cloud_batch_item (*items)[CLOUD_BATCH_MAX], const size_t *n,
    size_t nb, struct sb_error *err)
{
	struct cloud_call calls[CLOUD_HTTP_PARALLEL];
	struct cloud_http_resp resps[CLOUD_HTTP_PARALLEL];
	enum sb_status sts[CLOUD_HTTP_PARALLEL], st;
	struct sb_error errs[CLOUD_HTTP_PARALLEL];
	char *bodies[CLOUD_HTTP_PARALLEL] = { NULL };
	size_t b, pending, first;
	struct sb_buf url;

	st = batch_call(c, where, permission, &url, &calls[0], err);
	for (b = 0; b < nb; b++)
		cloud_http_resp_init(&resps[b]);
	for (b = 0; st == SB_OK && b < nb; b++) {
		calls[b] = calls[0];
		st = round_body(items[b], n[b], &bodies[b], err);
		calls[b].body = bodies[b];
		calls[b].body_len = bodies[b] != NULL ? strlen(bodies[b]) : 0;
	}
	if (st == SB_OK)
		cloud_client_call_many(c, calls, resps, sts, errs, nb);
	for (b = 0; st == SB_OK && b < nb; b++) {
		st = sts[b];
		if (st != SB_OK) {
			*err = errs[b];
			break;
		}
		st = round_reply(c, where, &resps[b], items[b], n[b], &pending,
		    &first, err);
		calls[b].body = NULL;
		if (st == SB_OK)
			st = retry_rounds(c, &calls[b], items[b], n[b], pending,
			    first, err);
	}
	for (b = 0; b < nb; b++) {
		free(bodies[b]);
		cloud_http_resp_free(&resps[b]);
	}
	sb_buf_free(&url);
	return st;
}

/* The batch items of ids, as e wants them; urls holds their URLs. */
static enum sb_status
batch_items(const struct cloud_batch_each *e, const char *const *ids, size_t n,
    struct cloud_batch_item *items, char (*urls)[224], struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];
	size_t i;
	int len;

	for (i = 0; i < n; i++) {
		if (!map_cloudid_valid(ids[i]))
			return sb_fail(err, SB_BUG, EINVAL, e->where,
			    "not a Graph object id: \"%s\"",
			    map_cloudid_show(ids[i], shown, sizeof(shown)));
		/* Relative to the version, as $batch wants. */
		len = snprintf(urls[i], sizeof(urls[i]), "/%s/%s/%s",
		    e->collection, ids[i], e->tail);
		if (len < 0 || (size_t)len >= sizeof(urls[i]))
			return sb_fail(err, SB_BUG, E2BIG, e->where,
			    "batch item URL too long");
		items[i].url = urls[i];
	}
	return SB_OK;
}

enum sb_status
cloud_batch_each(struct cloud_client *c, const struct cloud_batch_each *e,
    const char *const *ids, size_t n, struct sb_error *err)
{
	struct cloud_batch_item items[CLOUD_HTTP_PARALLEL][CLOUD_BATCH_MAX];
	char urls[CLOUD_HTTP_PARALLEL][CLOUD_BATCH_MAX][224];
	size_t cnt[CLOUD_HTTP_PARALLEL], b, nb, i, start, at;
	enum sb_status st = SB_OK;

	for (start = 0; st == SB_OK && start < n; start = at) {
		at = start;
		for (nb = 0; st == SB_OK && nb < CLOUD_HTTP_PARALLEL && at < n;
		     nb++) {
			cnt[nb] = n - at < CLOUD_BATCH_MAX ? n - at :
							     CLOUD_BATCH_MAX;
			memset(items[nb], 0, sizeof(items[nb]));
			st = batch_items(e, ids + at, cnt[nb], items[nb],
			    urls[nb], err);
			at += cnt[nb];
		}
		if (st == SB_OK)
			st = batch_wave(c, e->where, e->permission, items, cnt,
			    nb, err);
		for (b = 0, at = start; b < nb; at += cnt[b], b++) {
			for (i = 0; st == SB_OK && i < cnt[b]; i++)
				st = e->answer(ids[at + i], &items[b][i],
				    at + i, e->arg, err);
			cloud_batch_reset(items[b], cnt[b]);
		}
	}
	return st;
}
