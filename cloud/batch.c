/* Graph $batch: request bodies, and replies matched by id in any order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "mapping/log.h"
#include "mapping/cloudid.h"
#include "batch.h"
#include "client.h"
#include "errmap.h"
#include "http.h"
#include "json.h"

enum sb_status
cloud_batch_request(const struct cloud_batch_item *items, size_t n,
    char **out, struct sb_error *err)
{
	json_t *root = NULL, *reqs, *r;
	char id[24], *text;
	enum sb_status st = SB_OK;
	size_t i, nsent = 0;

	root = json_object();
	reqs = json_array();
	if (root == NULL)
		json_decref(reqs);
	/* json_object_set_new steals reqs, also when it fails */
	if (root == NULL || json_object_set_new(root, "requests", reqs) != 0) {
		st = sb_fail(err, SB_BUG, ENOMEM, "graph.batch",
		    "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (!items[i].sent)
			continue;
		if (++nsent > CLOUD_BATCH_MAX) {
			st = sb_fail(err, SB_BUG, E2BIG, "graph.batch",
			    "more than %d requests in one batch",
			    CLOUD_BATCH_MAX);
			goto done;
		}
		snprintf(id, sizeof(id), "%zu", i);
		r = json_pack("{s:s, s:s, s:s}", "id", id, "method", "GET",
		    "url", items[i].url);
		if (r == NULL || json_array_append_new(reqs, r) != 0) {
			st = sb_fail(err, SB_BUG, ENOMEM, "graph.batch",
			    "out of memory");
			goto done;
		}
	}
	text = json_dumps(root, JSON_COMPACT);
	if (text == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "graph.batch",
		    "out of memory");
		goto done;
	}
	*out = text;
done:
	json_decref(root);
	return st;
}

void
cloud_batch_reset(struct cloud_batch_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].body);
		items[i].body = NULL;
		items[i].body_len = 0;
		items[i].done = 0;
		items[i].sent = 0;
		items[i].answered = 0;
		items[i].status = 0;
		items[i].retry_after = -1;
		items[i].client_request_id[0] = '\0';
	}
}

/* A Retry-After given as a JSON number with a fraction: rounded up. */
static long
real_seconds(double d)
{
	long n;

	if (!(d >= 0))
		return -1; /* negative, or not a number */
	if (d >= (double)CLOUD_HTTP_RETRY_AFTER_MAX)
		return CLOUD_HTTP_RETRY_AFTER_MAX;
	n = (long)d;
	return (double)n < d ? n + 1 : n;
}

/* headers["Retry-After"], any case, as a string or a number. */
static long
item_retry_after(json_t *headers)
{
	const char *key;
	json_t *v;

	json_object_foreach(headers, key, v) {
		if (strcasecmp(key, "Retry-After") != 0)
			continue;
		if (json_is_integer(v))
			return json_integer_value(v) >= 0 ?
			    (long)json_integer_value(v) : -1;
		if (json_is_real(v))
			return real_seconds(json_real_value(v));
		return cloud_http_parse_retry_after(json_string_value(v),
		    time(NULL));
	}
	return -1;
}

/* Index of the item the reply id names, or n. */
static size_t
item_index(json_t *id, size_t n)
{
	const char *s = json_string_value(id);
	char *end;
	unsigned long v;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return n;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v >= n)
		return n;
	return (size_t)v;
}

static enum sb_status
one_reply(const struct cloud_errctx *x, json_t *r, size_t ri,
    struct cloud_batch_item *items, size_t n, struct sb_error *err)
{
	struct cloud_batch_item *it;
	json_t *status, *body;
	size_t i;

	if (!json_is_object(r))
		return cloud_errmap_malformed(x, err,
		    "response %zu is not an object", ri);
	i = item_index(json_object_get(r, "id"), n);
	if (i == n || !items[i].sent)
		return cloud_errmap_malformed(x, err,
		    "response %zu answers no request of the batch", ri);
	it = &items[i];
	if (it->answered)
		return cloud_errmap_malformed(x, err,
		    "request %zu answered twice", i);
	status = json_object_get(r, "status");
	if (!json_is_integer(status))
		return cloud_errmap_malformed(x, err,
		    "response %zu has no status", ri);
	it->answered = 1;
	it->status = (long)json_integer_value(status);
	it->retry_after = item_retry_after(json_object_get(r, "headers"));
	body = json_object_get(r, "body");
	if (body != NULL && !json_is_null(body)) {
		it->body = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		if (it->body == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, x->where,
			    "out of memory");
		it->body_len = strlen(it->body);
		if (it->body_len > CLOUD_BATCH_ITEM_MAX)
			return cloud_errmap_malformed(x, err, "response %zu "
			    "larger than %zu bytes", ri, CLOUD_BATCH_ITEM_MAX);
	}
	return SB_OK;
}

enum sb_status
cloud_batch_parse(const char *where, const char *body, size_t len,
    struct cloud_batch_item *items, size_t n, struct sb_error *err)
{
	struct cloud_errctx x = { where, "POST", "/v1.0/$batch", NULL, NULL };
	json_t *root = NULL, *resps;
	enum sb_status st;
	size_t i;

	st = cloud_json_load(&x, body, len, &root, err);
	if (st != SB_OK)
		goto done;
	resps = json_object_get(root, "responses");
	if (!json_is_array(resps)) {
		st = cloud_errmap_malformed(&x, err,
		    "no \"responses\" array");
		goto done;
	}
	for (i = 0; st == SB_OK && i < json_array_size(resps); i++)
		st = one_reply(&x, json_array_get(resps, i), i, items, n, err);
	for (i = 0; st == SB_OK && i < n; i++)
		if (items[i].sent && !items[i].answered)
			st = cloud_errmap_malformed(&x, err,
			    "no response for request %zu", i);
done:
	json_decref(root);
	return st;
}
