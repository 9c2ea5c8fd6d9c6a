/* Graph navigation reads in $batch: source of authority and manager. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mapping/cloudid.h"
#include "batch.h"
#include "errmap.h"
#include "nav.h"

/* A copy of what went wrong, for a finding; NULL when out of memory. */
static char *
why_dup(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
why_dup(const char *fmt, ...)
{
	char buf[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

/* 1 when needle occurs in hay, regardless of ASCII case. */
static int
contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; n > 0 && *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* ---- source of authority ---- */

struct soa_kind {
	enum dirobj_kind	 kind;
	const char		*collection;
	const char		*permission;
};

static const struct soa_kind soa_kinds[] = {
	{ DIROBJ_USER, "users", "User-OnPremisesSyncBehavior.ReadWrite.All" },
	{ DIROBJ_GROUP, "groups",
	  "Group-OnPremisesSyncBehavior.ReadWrite.All" },
	{ DIROBJ_CONTACT, "contacts",
	  "Contacts-OnPremisesSyncBehavior.ReadWrite.All" },
};

/*
 * The onPremisesSyncBehavior object of a 200 reply, flat or wrapped in
 * "value"; NULL, with the reason in why, for anything else.
 */
static json_t *
soa_object(json_t *root, const char *id, char *why, size_t whysz)
{
	json_t *o = root, *v, *oid;

	if (!json_is_object(root)) {
		snprintf(why, whysz, "the reply is not a JSON object");
		return NULL;
	}
	v = json_object_get(root, "value");
	if (json_object_get(root, "isCloudManaged") == NULL && v != NULL) {
		if (!json_is_object(v)) {
			snprintf(why, whysz, "\"value\" is not an object");
			return NULL;
		}
		o = v;
	}
	v = json_object_get(o, "isCloudManaged");
	if (!json_is_boolean(v)) {
		snprintf(why, whysz, "isCloudManaged is %s", v == NULL ?
		    "absent" : json_is_null(v) ? "null" : "not a boolean");
		return NULL;
	}
	/* An answer about another object is no answer about this one. */
	oid = json_object_get(o, "id");
	if (json_is_string(oid) &&
	    strcasecmp(json_string_value(oid), id) != 0) {
		snprintf(why, whysz, "the reply is about another object");
		return NULL;
	}
	return o;
}

struct soa_args {
	const struct soa_kind	*k;
	struct cloud_soa	*out;
};

/*
 * One item: 200 with a boolean isCloudManaged, 200 without one
 * (UNREADABLE), 404 (GONE); any other status is the run's.
 */
static enum sb_status
soa_answer(const char *id, const struct cloud_batch_item *it, size_t i,
    void *arg, struct sb_error *err)
{
	const struct soa_args *a = arg;
	struct cloud_soa *o = &a->out[i];
	struct cloud_errctx x = { 0 };
	char endpoint[96], why[96], reason[CLOUD_ERRMAP_MSG_MAX + 8], type[96];
	json_t *root = NULL, *so;

	snprintf(endpoint, sizeof(endpoint),
	    "/v1.0/%s/{id}/onPremisesSyncBehavior", a->k->collection);
	x.where = "graph.soa";
	x.method = "GET";
	x.endpoint = endpoint;
	x.permission = a->k->permission;
	x.object_id = id;
	if (it->status == 404) {
		cloud_errmap_reason(it->body, it->body_len, reason,
		    sizeof(reason), type, sizeof(type));
		o->state = CLOUD_SOA_GONE;
		o->why = why_dup("GET %s: HTTP 404: %s", endpoint, reason);
	} else if (it->status != 200) {
		return cloud_errmap_reply(&x,
		    &(struct cloud_errreply){
			.client_request_id = it->client_request_id },
		    it->status, it->body, it->body_len, NULL, err);
	} else {
		root = it->body ? json_loadb(it->body, it->body_len, 0, NULL) :
		    NULL;
		so = soa_object(root, id, why, sizeof(why));
		if (so != NULL) {
			o->state = json_is_true(json_object_get(so,
			    "isCloudManaged")) ? CLOUD_SOA_TRUE :
			    CLOUD_SOA_FALSE;
		} else {
			o->state = CLOUD_SOA_UNREADABLE;
			o->why = why_dup("GET %s answered 200 without a "
			    "boolean isCloudManaged (%s)", endpoint, why);
		}
		json_decref(root);
	}
	if (o->state >= CLOUD_SOA_GONE && o->why == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, x.where, "out of memory");
	return SB_OK;
}

void
cloud_nav_soa_free(struct cloud_soa *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].why);
		v[i].why = NULL;
	}
}

enum sb_status
cloud_nav_soa(struct cloud_client *c, enum dirobj_kind kind,
    const char *const *ids, size_t n, struct cloud_soa *out,
    struct sb_error *err)
{
	struct soa_args a = { NULL, NULL };
	struct cloud_batch_each e = { "graph.soa", NULL, NULL,
	    "onPremisesSyncBehavior?$select=isCloudManaged", soa_answer, &a };
	enum sb_status st;
	size_t i;

	for (i = 0; i < sizeof(soa_kinds) / sizeof(soa_kinds[0]); i++)
		if (soa_kinds[i].kind == kind)
			a.k = &soa_kinds[i];
	if (a.k == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "graph.soa", "no source of "
		    "authority for kind %s", dirobj_kind_name(kind));
	a.out = calloc(n ? n : 1, sizeof(*a.out));
	if (a.out == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "graph.soa",
		    "out of memory");
	e.permission = a.k->permission;
	e.collection = a.k->collection;
	st = cloud_batch_each(c, &e, ids, n, err);
	if (st == SB_OK && n > 0)
		memcpy(out, a.out, n * sizeof(*out));
	else if (st != SB_OK)
		cloud_nav_soa_free(a.out, n);
	free(a.out);
	return st;
}

/* ---- managers ---- */

/* A 404: no manager, the user gone, or (neither said) not read. */
static void
mgr_404(const char *id, const struct cloud_batch_item *it,
    struct cloud_manager *o)
{
	char reason[CLOUD_ERRMAP_MSG_MAX + 8], type[96];

	cloud_errmap_reason(it->body, it->body_len, reason, sizeof(reason),
	    type, sizeof(type));
	if (contains_ci(reason, "'manager'")) {
		o->state = CLOUD_MGR_NONE;
		return;
	}
	o->state = contains_ci(reason, id) ? CLOUD_MGR_GONE : CLOUD_MGR_FAILED;
	o->why = why_dup("GET /v1.0/users/{id}/manager: HTTP 404: %s", reason);
}

/* A 200: {"@odata.type":"#microsoft.graph.user","id":"..."}. */
static void
mgr_200(const struct cloud_batch_item *it, struct cloud_manager *o)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];
	json_t *root, *mid;
	const char *s;

	root = it->body ? json_loadb(it->body, it->body_len, 0, NULL) : NULL;
	mid = json_object_get(root, "id");
	s = json_string_value(mid);
	if (s != NULL && strlen(s) == json_string_length(mid) &&
	    map_cloudid_valid(s)) {
		o->state = CLOUD_MGR_SET;
		o->id = strdup(s);
	} else {
		o->state = CLOUD_MGR_FAILED;
		o->why = why_dup("GET /v1.0/users/{id}/manager answered 200 "
		    "without a usable id%s%s%s", s ? " (\"" : "",
		    s ? map_cloudid_show(s, shown, sizeof(shown)) : "",
		    s ? "\")" : "");
	}
	json_decref(root);
}

static enum sb_status
mgr_answer(const char *id, const struct cloud_batch_item *it, size_t i,
    void *arg, struct sb_error *err)
{
	struct cloud_manager *o = &((struct cloud_manager *)arg)[i];
	struct cloud_errctx x = { "graph.managers", "GET",
	    "/v1.0/users/{id}/manager", "User.Read.All", id };
	struct sb_error e2 = { 0 };

	if (it->status == 200) {
		mgr_200(it, o);
	} else if (it->status == 404) {
		mgr_404(id, it, o);
	} else if (it->status == 401 || it->status == 403) {
		/* Rights: every other read would fail the same way. */
		return cloud_errmap_reply(&x,
		    &(struct cloud_errreply){
			.client_request_id = it->client_request_id },
		    it->status, it->body, it->body_len, NULL, err);
	} else {
		(void)cloud_errmap_reply(&x,
		    &(struct cloud_errreply){
			.client_request_id = it->client_request_id },
		    it->status, it->body, it->body_len, NULL, &e2);
		o->state = CLOUD_MGR_FAILED;
		o->why = why_dup("%s", e2.text);
	}
	if ((o->state == CLOUD_MGR_SET && o->id == NULL) ||
	    ((o->state == CLOUD_MGR_FAILED || o->state == CLOUD_MGR_GONE) &&
	    o->why == NULL))
		return sb_fail(err, SB_BUG, ENOMEM, x.where, "out of memory");
	return SB_OK;
}

void
cloud_nav_managers_free(struct cloud_manager *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++) {
		free(v[i].id);
		free(v[i].why);
		v[i].id = v[i].why = NULL;
	}
}

enum sb_status
cloud_nav_managers(struct cloud_client *c, const char *const *ids, size_t n,
    struct cloud_manager *out, struct sb_error *err)
{
	struct cloud_batch_each e = { "graph.managers", "User.Read.All",
	    "users", "manager?$select=id", mgr_answer, NULL };
	struct cloud_manager *v;
	enum sb_status st;

	v = calloc(n ? n : 1, sizeof(*v));
	if (v == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "graph.managers",
		    "out of memory");
	e.arg = v;
	st = cloud_batch_each(c, &e, ids, n, err);
	if (st == SB_OK && n > 0)
		memcpy(out, v, n * sizeof(*out));
	else if (st != SB_OK)
		cloud_nav_managers_free(v, n);
	free(v);
	return st;
}
