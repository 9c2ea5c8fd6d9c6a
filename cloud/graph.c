/* Microsoft Graph directory reads: paged listings, SOA through $batch. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "mapping/log.h"
#include "mapping/cloudid.h"
#include "errmap.h"
#include "graph.h"
#include "json.h"
#include "nav.h"

/* What differs between the listings. */
struct listing {
	enum dirobj_kind	 kind;
	const char		*where;		/* "graph.users" */
	const char		*endpoint;	/* "/v1.0/users" */
	const char		*permission;	/* for a 403 */
	const char *const	*anchors;	/* always in $select */
};

static const char *const user_anchors[] = { "id", "displayName",
	"onPremisesImmutableId", "onPremisesSecurityIdentifier",
	"onPremisesSyncEnabled", NULL };
/* v1.0 groups have no onPremisesImmutableId: selecting it is a 400. */
static const char *const group_anchors[] = { "id", "displayName",
	"onPremisesSecurityIdentifier", "onPremisesSyncEnabled", NULL };
static const char *const contact_anchors[] = { "id", "displayName",
	"onPremisesSyncEnabled", NULL };

static const struct listing listings[] = {
	{ DIROBJ_USER, "graph.users", "/v1.0/users", "User.Read.All",
	  user_anchors },
	{ DIROBJ_GROUP, "graph.groups", "/v1.0/groups", "Group.Read.All",
	  group_anchors },
	{ DIROBJ_CONTACT, "graph.contacts", "/v1.0/contacts",
	  "OrgContact.Read.All", contact_anchors },
};

static const struct listing members_listing = {
	DIROBJ_OTHER, "graph.members", "/v1.0/groups/{id}/members",
	"GroupMember.Read.All", NULL
};

static const struct listing *
listing_of(enum dirobj_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(listings) / sizeof(listings[0]); i++)
		if (listings[i].kind == kind)
			return &listings[i];
	return NULL;
}

static void
listing_ctx(const struct listing *l, const char *method,
    struct cloud_errctx *x)
{
	memset(x, 0, sizeof(*x));
	x->where = l->where;
	x->method = method;
	x->endpoint = l->endpoint;
	x->permission = l->permission;
}

/* obj[name], or the key that matches name regardless of case. */
static json_t *
get_prop(json_t *obj, const char *name, const char **key_out)
{
	const char *key;
	json_t *v;

	v = json_object_get(obj, name);
	if (v != NULL) {
		*key_out = name;
		return v;
	}
	json_object_foreach(obj, key, v) {
		if (strcasecmp(key, name) == 0) {
			*key_out = key;
			return v;
		}
	}
	return NULL;
}

static enum sb_status
add_manager(const struct cloud_errctx *x, struct dirobj *o, json_t *jo,
    struct sb_error *err)
{
	json_t *m = json_object_get(jo, "manager"), *id;

	/*
	 * $expand=manager was asked: Graph leaves the property out (or null)
	 * when there is no manager.  Record that as "known to be none" so a
	 * manager removed in the cloud is cleared in AD; an absent attribute
	 * would mean "not read: leave AD alone".
	 */
	if (m == NULL || json_is_null(m))
		return dirobj_touch(o, "manager", err);
	id = json_object_get(m, "id");
	if (!json_is_object(m) || !json_is_string(id) ||
	    json_string_length(id) == 0)
		return cloud_errmap_malformed(x, err,
		    "object %s: \"manager\" without an id", o->cloud_id);
	return dirobj_add_value(o, "manager", json_string_value(id),
	    json_string_length(id), err);
}

static enum sb_status
required_id(const struct cloud_errctx *x, json_t *jo, size_t index,
    struct dirobj *o, struct sb_error *err)
{
	json_t *id = json_object_get(jo, "id");

	if (!json_is_string(id) || json_string_length(id) == 0)
		return cloud_errmap_malformed(x, err, "object %zu of the page "
		    "has no \"id\"", index);
	return dirobj_set_str(&o->cloud_id, json_string_value(id), err);
}

static enum sb_status
graph_object(const struct cloud_errctx *x, json_t *jo, size_t index,
    enum dirobj_kind kind, const char *const *select, int expand_manager,
    struct dirobj **out, struct sb_error *err)
{
	struct dirobj *o = NULL;
	const char *key;
	json_t *v;
	enum sb_status st;
	size_t i;

	if (!json_is_object(jo))
		return cloud_errmap_malformed(x, err,
		    "object %zu of the page is not an object", index);
	o = dirobj_new(kind);
	if (o == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, x->where, "out of memory");
	st = required_id(x, jo, index, o, err);
	if (st == SB_OK)
		st = cloud_json_str(x, jo, "displayName", &o->display_name,
		    err);
	if (st == SB_OK && kind == DIROBJ_USER)
		st = cloud_json_str(x, jo, "onPremisesImmutableId",
		    &o->immutable_id, err);
	if (st == SB_OK && kind != DIROBJ_CONTACT)
		st = cloud_json_str(x, jo, "onPremisesSecurityIdentifier",
		    &o->sid_string, err);
	if (st == SB_OK)
		st = cloud_json_tri(x, jo, "onPremisesSyncEnabled",
		    &o->sync_enabled, err);
	if (st != SB_OK)
		goto done;
	if (select != NULL) {
		/* The caller's properties only: absent stays absent. */
		for (i = 0; st == SB_OK && select[i] != NULL; i++) {
			if (strcasecmp(select[i], "manager") == 0)
				continue;
			v = get_prop(jo, select[i], &key);
			if (v != NULL)
				st = cloud_json_attr(x, o, key, v, err);
		}
	} else {
		json_object_foreach(jo, key, v) {
			if (strchr(key, '@') != NULL ||
			    (expand_manager && strcmp(key, "manager") == 0))
				continue;
			st = cloud_json_attr(x, o, key, v, err);
			if (st != SB_OK)
				break;
		}
	}
	if (st == SB_OK && expand_manager)
		st = add_manager(x, o, jo, err);
	if (st != SB_OK)
		goto done;
	*out = o;
	o = NULL;
done:
	dirobj_free(o);
	return st;
}

static int
in_list(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* select without repeats (a repeat would double the values), NULL-ended. */
static enum sb_status
unique_select(const struct listing *l, const char *const *select,
    const char **names, struct sb_error *err)
{
	size_t i, n = 0;

	for (i = 0; select[i] != NULL; i++) {
		if (in_list(names, n, select[i]))
			continue;
		if (n == CLOUD_GRAPH_SELECT_MAX)
			return sb_fail(err, SB_CONFIG, 0, l->where,
			    "more than %d properties selected",
			    CLOUD_GRAPH_SELECT_MAX);
		names[n++] = select[i];
	}
	names[n] = NULL;
	return SB_OK;
}

/* What graph_item needs besides the object. */
struct page_args {
	enum dirobj_kind	 kind;
	const char *const	*names;
	int			 expand_manager;
};

static enum sb_status
graph_item(const struct cloud_errctx *x, json_t *item, size_t index,
    void *arg, struct dirobj **out, struct sb_error *err)
{
	const struct page_args *pa = arg;

	return graph_object(x, item, index, pa->kind, pa->names,
	    pa->expand_manager, out, err);
}

enum sb_status
cloud_graph_parse_page(const char *body, size_t len, enum dirobj_kind kind,
    const char *const *select, int expand_manager, struct dirset *out,
    char **next_link, struct sb_error *err)
{
	const struct listing *l = listing_of(kind);
	const char *names[CLOUD_GRAPH_SELECT_MAX + 1];
	struct page_args pa = { kind, select ? names : NULL, expand_manager };
	struct cloud_errctx x;
	enum sb_status st;

	if (l == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "graph", "no listing of "
		    "kind %s", dirobj_kind_name(kind));
	listing_ctx(l, "GET", &x);
	st = select ? unique_select(l, select, names, err) : SB_OK;
	if (st == SB_OK)
		st = cloud_json_listing(&x, body, len, graph_item, &pa, out,
		    next_link, err);
	return st;
}

static enum dirobj_kind
member_kind(const char *type)
{
	if (type == NULL)
		return DIROBJ_OTHER;
	if (strcmp(type, "#microsoft.graph.user") == 0)
		return DIROBJ_USER;
	if (strcmp(type, "#microsoft.graph.group") == 0)
		return DIROBJ_GROUP;
	if (strcmp(type, "#microsoft.graph.orgContact") == 0)
		return DIROBJ_CONTACT;
	return DIROBJ_OTHER;	/* device, servicePrincipal, ... */
}

/*
 * A member entry soabridge cannot use: the group's membership is unknown,
 * so the group is skipped (SB_SKIP: the caller records a finding and goes
 * on), not the run.  Graph always sends an id; one without is a fault of
 * the service or of something between, and it may stay for days.
 */
static enum sb_status
bad_member(const struct cloud_errctx *x, struct sb_error *err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum sb_status
bad_member(const struct cloud_errctx *x, struct sb_error *err,
    const char *fmt, ...)
{
	char why[256], shown[MAP_CLOUDID_SHOW_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return sb_fail(err, SB_SKIP, 0, x->where, "malformed member entry "
	    "from GET %s%s%s: %s", x->endpoint, x->object_id ? " object " : "",
	    x->object_id ? map_cloudid_show(x->object_id, shown,
	    sizeof(shown)) : "", why);
}

/* One member of a page (a cloud_json_item_fn). */
static enum sb_status
member_object(const struct cloud_errctx *x, json_t *jo, size_t index,
    void *arg, struct dirobj **out, struct sb_error *err)
{
	char why[96], shown[MAP_CLOUDID_SHOW_SIZE];
	struct dirobj *o = NULL;
	const char *type, *id;
	json_t *jid;
	enum sb_status st;

	(void)arg;
	if (!json_is_object(jo))
		return bad_member(x, err, "member %zu of the page is not an "
		    "object", index);
	jid = json_object_get(jo, "id");
	if (!json_is_string(jid) || json_string_length(jid) == 0)
		return bad_member(x, err, "member %zu of the page has no "
		    "\"id\" string", index);
	id = json_string_value(jid);
	if (strlen(id) != json_string_length(jid) || !map_cloudid_valid(id))
		return bad_member(x, err, "member %zu of the page: \"%s\" is "
		    "not a Graph object id (%s)", index, map_cloudid_show(id,
		    shown, sizeof(shown)), strlen(id) !=
		    json_string_length(jid) ? "holds a NUL" :
		    map_cloudid_why(id, why, sizeof(why)));
	type = json_string_value(json_object_get(jo, "@odata.type"));
	o = dirobj_new(member_kind(type));
	if (o == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, x->where, "out of memory");
	st = dirobj_set_str(&o->cloud_id, id, err);
	if (st == SB_OK)
		st = cloud_json_str(x, jo, "displayName", &o->display_name,
		    err);
	if (st == SB_OK && type != NULL)
		st = dirobj_add_str(o, "odataType", type, err);
	if (st != SB_OK)
		goto done;
	*out = o;
	o = NULL;
done:
	dirobj_free(o);
	return st;
}

static enum sb_status
parse_members(const char *body, size_t len, const char *group_id,
    struct dirset *out, char **next_link, struct sb_error *err)
{
	struct cloud_errctx x;

	listing_ctx(&members_listing, "GET", &x);
	x.object_id = group_id;
	return cloud_json_listing(&x, body, len, member_object, NULL, out,
	    next_link, err);
}

enum sb_status
cloud_graph_parse_members(const char *body, size_t len, struct dirset *out,
    char **next_link, struct sb_error *err)
{
	return parse_members(body, len, NULL, out, next_link, err);
}

enum sb_status
cloud_graph_parse_group_members(const char *body, size_t len,
    const char *group_id, struct dirset *out, char **next_link,
    struct sb_error *err)
{
	return parse_members(body, len, group_id, out, next_link, err);
}

/* Names go into a URL unescaped: letters, digits, underscore only. */
static int
valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_'))
			return 0;
	return i > 0 && i <= CLOUD_GRAPH_NAME_MAX;
}

/* "$select=anchors,select..." (manager and repeats left out) onto url. */
static enum sb_status
select_param(const struct listing *l, const char *const *select,
    struct sb_buf *url, struct sb_error *err)
{
	const char *names[CLOUD_GRAPH_SELECT_MAX];
	size_t n = 0, i;
	enum sb_status st = SB_OK;

	for (i = 0; l->anchors[i] != NULL; i++)
		names[n++] = l->anchors[i];
	for (i = 0; select != NULL && select[i] != NULL; i++) {
		if (!valid_name(select[i]))
			return sb_fail(err, SB_CONFIG, 0, l->where,
			    "not a Graph property name: \"%.64s\"", select[i]);
		if (strcasecmp(select[i], "manager") == 0 ||
		    in_list(names, n, select[i]))
			continue;
		if (n == CLOUD_GRAPH_SELECT_MAX)
			return sb_fail(err, SB_CONFIG, 0, l->where,
			    "more than %d properties selected",
			    CLOUD_GRAPH_SELECT_MAX);
		names[n++] = select[i];
	}
	for (i = 0; st == SB_OK && i < n; i++)
		st = sb_buf_printf(url, err, "%s%s", i ? "," : "$select=",
		    names[i]);
	return st;
}

/* {graph}/v1.0/users?$select=anchors,select...&$top=999[&$expand=...] */
static enum sb_status
listing_url(struct cloud_client *c, const struct listing *l,
    const char *const *select, int expand_manager, struct sb_buf *url,
    struct sb_error *err)
{
	enum sb_status st;

	st = sb_buf_printf(url, err, "%s%s?", cloud_client_graph_url(c),
	    l->endpoint);
	if (st == SB_OK && select != NULL)
		st = select_param(l, select, url, err);
	if (st == SB_OK)
		st = sb_buf_printf(url, err, "%s$top=%d", select ? "&" : "",
		    CLOUD_GRAPH_TOP);
	if (st == SB_OK && expand_manager)
		st = sb_buf_printf(url, err, "&$expand=manager($select=id)");
	return st;
}

enum sb_status
cloud_graph_select_param(enum dirobj_kind kind, const char *const *select,
    struct sb_buf *url, struct sb_error *err)
{
	const struct listing *l = listing_of(kind);

	if (l == NULL)
		return sb_fail(err, SB_BUG, EINVAL, "graph",
		    "no listing of "
		    "kind %s",
		    dirobj_kind_name(kind));
	return select_param(l, select, url, err);
}

/* Page parsers in the shape cloud_pager_run() wants. */
struct page_arg {
	enum dirobj_kind	 kind;
	const char *const	*select;
	int			 expand_manager;
};

static enum sb_status
parse_listing_page(const char *body, size_t len, void *arg,
    struct dirset *out, char **next_link, struct sb_error *err)
{
	const struct page_arg *pa = arg;

	return cloud_graph_parse_page(body, len, pa->kind, pa->select,
	    pa->expand_manager, out, next_link, err);
}

static enum sb_status
parse_members_page(const char *body, size_t len, void *arg,
    struct dirset *out, char **next_link, struct sb_error *err)
{
	return parse_members(body, len, arg, out, next_link, err);
}

static void
graph_pager(struct cloud_client *c, const struct listing *l, const char *url,
    struct cloud_pager *p)
{
	memset(p, 0, sizeof(*p));
	p->aud = CLOUD_AUD_GRAPH;
	p->method = "GET";
	p->url = url;
	p->origin = cloud_client_graph_url(c);
	p->where = l->where;
	p->endpoint = l->endpoint;
	p->permission = l->permission;
}

static enum sb_status
graph_list(struct cloud_client *c, enum dirobj_kind kind,
    const char *const *select, int expand_manager, cloud_obj_cb cb,
    void *arg, struct sb_error *err)
{
	const struct listing *l = listing_of(kind);
	struct page_arg pa = { kind, select, expand_manager };
	struct cloud_pager p;
	struct sb_buf url;
	enum sb_status st;

	sb_buf_init(&url, CLOUD_HTTP_URL_MAX);
	if (expand_manager && kind == DIROBJ_GROUP) {
		st = sb_fail(err, SB_BUG, EINVAL, l->where,
		    "groups have no manager to expand");
		goto done;
	}
	st = listing_url(c, l, select, expand_manager, &url, err);
	if (st != SB_OK)
		goto done;
	graph_pager(c, l, url.p, &p);
	p.parse = parse_listing_page;
	p.parse_arg = &pa;
	st = cloud_pager_run(c, &p, cb, arg, err);
done:
	sb_buf_free(&url);
	return st;
}

enum sb_status
cloud_graph_users(struct cloud_client *c, const char *const *select,
    int expand_manager, cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	return graph_list(c, DIROBJ_USER, select, expand_manager, cb, arg,
	    err);
}

enum sb_status
cloud_graph_groups(struct cloud_client *c, const char *const *select,
    int expand_manager, cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	return graph_list(c, DIROBJ_GROUP, select, expand_manager, cb, arg,
	    err);
}

enum sb_status
cloud_graph_contacts(struct cloud_client *c, const char *const *select,
    int expand_manager, cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	return graph_list(c, DIROBJ_CONTACT, select, expand_manager, cb, arg,
	    err);
}

enum sb_status
cloud_graph_members_pages(struct cloud_client *c, const char *group_id,
    const char *url, size_t max_objects, cloud_obj_cb cb, void *arg,
    struct sb_error *err)
{
	struct cloud_pager p;

	/* The pager checks the links it finds; this one came from elsewhere. */
	if (!cloud_http_same_origin(cloud_client_graph_url(c), url))
		return sb_fail(err, SB_STOP, 0, members_listing.where,
		    "GET %s: @odata.nextLink points to another host; "
		    "refusing to send the token there",
		    members_listing.endpoint);
	graph_pager(c, &members_listing, url, &p);
	p.object_id = group_id;
	p.max_objects = max_objects;
	p.parse = parse_members_page;
	p.parse_arg = (void *)(uintptr_t)group_id;
	return cloud_pager_run(c, &p, cb, arg, err);
}

enum sb_status
cloud_graph_members(struct cloud_client *c, const char *group_id,
    cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	char why[96], shown[MAP_CLOUDID_SHOW_SIZE];
	struct sb_buf url;
	enum sb_status st;

	sb_buf_init(&url, CLOUD_HTTP_URL_MAX);
	if (!map_cloudid_valid(group_id)) {
		/* Data, not a bug: this group only, never the URL. */
		st = sb_fail(err, SB_SKIP, EINVAL, "graph.members",
		    "not a Graph object id: \"%s\" (%s)",
		    map_cloudid_show(group_id, shown, sizeof(shown)),
		    map_cloudid_why(group_id, why, sizeof(why)));
		goto done;
	}
	st = sb_buf_printf(&url, err, "%s/v1.0/groups/%s/members?$select=id,"
	    "displayName&$top=%d", cloud_client_graph_url(c), group_id,
	    CLOUD_GRAPH_TOP);
	if (st == SB_OK)
		st = cloud_graph_members_pages(c, group_id, url.p,
		    CLOUD_GRAPH_MEMBERS_MAX, cb, arg, err);
done:
	sb_buf_free(&url);
	return st;
}
