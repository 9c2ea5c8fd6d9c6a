/* Graph delta rounds: counted, never kept; only the next link is. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mapping/log.h"
#include "delta.h"
#include "errmap.h"
#include "graph.h"
#include "http.h"

struct delta_feed {
	const char *where; /* "graph.users.delta" */
	const char *endpoint; /* "/v1.0/users/delta" */
	const char *permission;
};

static const struct delta_feed users_feed = { "graph.users.delta",
	"/v1.0/users/delta", "User.Read.All" };
static const struct delta_feed groups_feed = { "graph.groups.delta",
	"/v1.0/groups/delta", "Group.Read.All" };

static const struct delta_feed *
feed_of(enum dirobj_kind kind)
{
	switch (kind) {
	case DIROBJ_USER:
		return &users_feed;
	case DIROBJ_GROUP:
		return &groups_feed;
	default:
		return NULL;
	}
}

void
cloud_delta_free(struct cloud_delta *d)
{
	if (d == NULL)
		return;
	free(d->link);
	memset(d, 0, sizeof(*d));
}

int
cloud_delta_is_expired(long status, const char *body, size_t len)
{
	json_t *root, *code;
	const char *s;
	int spent = 0;

	if (status == 410)
		return 1;
	if (status != 400 || body == NULL)
		return 0;
	root = json_loadb(body, len, 0, NULL);
	code = json_object_get(json_object_get(root, "error"), "code");
	s = json_string_value(code);
	/* Graph's own words for a spent token (delta query overview). */
	if (s != NULL &&
	    (strcasecmp(s, "syncStateNotFound") == 0 ||
		strcasecmp(s, "resyncRequired") == 0 ||
		strcasecmp(s, "syncStateInvalid") == 0))
		spent = 1;
	json_decref(root);
	return spent;
}

/* One entry of "value": counted by what it says. */
static enum sb_status
count_entry(const struct cloud_errctx *x, json_t *e, size_t i,
    struct cloud_delta *acc, struct sb_error *err)
{
	json_t *members;

	if (!json_is_object(e) || !json_is_string(json_object_get(e, "id")))
		return cloud_errmap_malformed(x, err,
		    "value[%zu] is not an "
		    "object with a string id",
		    i);
	members = json_object_get(e, "members@delta");
	if (members != NULL && !json_is_array(members))
		return cloud_errmap_malformed(x, err,
		    "value[%zu]: "
		    "members@delta is not an array",
		    i);
	if (json_object_get(e, "@removed") != NULL)
		acc->removed++;
	else
		acc->changed++;
	acc->members += json_array_size(members);
	return SB_OK;
}

static enum sb_status
copy_link(const struct cloud_errctx *x, json_t *root, const char *key,
    char **out, struct sb_error *err)
{
	json_t *v = json_object_get(root, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return SB_OK;
	if (!json_is_string(v))
		return cloud_errmap_malformed(x, err, "%s is not a string",
		    key);
	if ((*out = strdup(json_string_value(v))) == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, x->where, "out of memory");
	return SB_OK;
}

enum sb_status
cloud_delta_parse_page(const char *body, size_t len, const char *where,
    struct cloud_delta *acc, char **next_link, char **delta_link,
    struct sb_error *err)
{
	struct cloud_errctx x = { where, "GET", where, NULL, NULL };
	struct cloud_delta page = { 0 };
	json_t *root, *value;
	enum sb_status st = SB_OK;
	size_t i;

	*next_link = *delta_link = NULL;
	root = json_loadb(body, len, 0, NULL);
	value = json_object_get(root, "value");
	if (!json_is_array(value)) {
		json_decref(root);
		return cloud_errmap_malformed(&x, err, "no \"value\" array");
	}
	for (i = 0; st == SB_OK && i < json_array_size(value); i++)
		st = count_entry(&x, json_array_get(value, i), i, &page, err);
	if (st == SB_OK)
		st = copy_link(&x, root, "@odata.nextLink", next_link, err);
	if (st == SB_OK)
		st = copy_link(&x, root, "@odata.deltaLink", delta_link, err);
	/* A page ends a round or leads on: exactly one of the two. */
	if (st == SB_OK && (*next_link == NULL) == (*delta_link == NULL))
		st = cloud_errmap_malformed(&x, err,
		    "a delta page needs "
		    "either @odata.nextLink or @odata.deltaLink");
	if (st == SB_OK) {
		acc->changed += page.changed;
		acc->removed += page.removed;
		acc->members += page.members;
	} else {
		free(*next_link);
		free(*delta_link);
		*next_link = *delta_link = NULL;
	}
	json_decref(root);
	return st;
}

/* Follows url to the end of its round; SB_OK with expired set when spent. */
static enum sb_status
run_round(struct cloud_client *c, const struct delta_feed *f, const char *url,
    struct cloud_delta *out, struct sb_error *err)
{
	struct cloud_call call = { 0 };
	struct cloud_http_resp resp;
	char *cur = NULL, *next = NULL, *link = NULL;
	enum sb_status st = SB_OK;
	size_t npages = 0;

	memset(out, 0, sizeof(*out));
	cloud_http_resp_init(&resp);
	call.aud = CLOUD_AUD_GRAPH;
	call.method = "GET";
	call.where = f->where;
	call.permission = f->permission;
	if ((cur = strdup(url)) == NULL)
		st = sb_fail(err, SB_BUG, ENOMEM, f->where, "out of memory");
	while (st == SB_OK && cur != NULL) {
		if (!cloud_http_same_origin(cloud_client_graph_url(c), cur)) {
			st = sb_fail(err, SB_STOP, 0, f->where,
			    "GET %s: a "
			    "delta link points to another host than %s; "
			    "refusing to send the token there",
			    f->endpoint, cloud_client_graph_url(c));
			break;
		}
		if (++npages > CLOUD_DELTA_PAGES_MAX) {
			st = sb_fail(err, SB_STOP, 0, f->where,
			    "GET %s: more "
			    "than %d pages in one round",
			    f->endpoint, CLOUD_DELTA_PAGES_MAX);
			break;
		}
		call.url = cur;
		st = cloud_client_call(c, &call, &resp, err);
		if (st != SB_OK) {
			if (cloud_delta_is_expired(resp.status, resp.body.p,
				resp.body.len)) {
				log_warn(
				    "%s result=expired status=%ld: the "
				    "delta link is spent; a full read follows",
				    f->where, resp.status);
				out->expired = 1;
				st = SB_OK;
			}
			break;
		}
		st = cloud_delta_parse_page(resp.body.p, resp.body.len,
		    f->where, out, &next, &link, err);
		if (st == SB_OK && next != NULL && strcmp(next, cur) == 0)
			st = sb_fail(err, SB_RETRY, 0, f->where,
			    "GET %s: "
			    "@odata.nextLink repeats the page just read",
			    f->endpoint);
		free(cur);
		cur = next;
		next = NULL;
		if (link != NULL) {
			out->link = link;
			link = NULL;
		}
	}
	free(cur);
	free(next);
	free(link);
	cloud_http_resp_free(&resp);
	if (st != SB_OK || out->expired) {
		free(out->link);
		out->link = NULL;
	} else
		log_info("%s pages=%zu changed=%zu removed=%zu members=%zu",
		    f->where, npages, out->changed, out->removed, out->members);
	return st;
}

enum sb_status
cloud_delta_latest(struct cloud_client *c, enum dirobj_kind kind,
    const char *const *select, struct cloud_delta *out, struct sb_error *err)
{
	const struct delta_feed *f = feed_of(kind);
	struct sb_buf url;
	enum sb_status st;

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "graph.delta",
		    "no delta "
		    "of kind %s",
		    dirobj_kind_name(kind));
	sb_buf_init(&url, CLOUD_HTTP_URL_MAX);
	st = sb_buf_printf(&url, err, "%s%s?", cloud_client_graph_url(c),
	    f->endpoint);
	if (st == SB_OK)
		st = cloud_graph_select_param(kind, select, &url, err);
	if (st == SB_OK && kind == DIROBJ_GROUP)
		st = sb_buf_printf(&url, err, ",members");
	if (st == SB_OK)
		st = sb_buf_printf(&url, err, "&$deltatoken=latest");
	if (st == SB_OK)
		st = run_round(c, f, url.p, out, err);
	/* A fresh link that is already spent is the service's fault. */
	if (st == SB_OK && out->expired)
		st = sb_fail(err, SB_RETRY, 0, f->where,
		    "GET %s: a new delta "
		    "link was refused at once",
		    f->endpoint);
	sb_buf_free(&url);
	return st;
}

enum sb_status
cloud_delta_follow(struct cloud_client *c, enum dirobj_kind kind,
    const char *link, struct cloud_delta *out, struct sb_error *err)
{
	const struct delta_feed *f = feed_of(kind);

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "graph.delta",
		    "no delta "
		    "of kind %s",
		    dirobj_kind_name(kind));
	return run_round(c, f, link, out, err);
}
