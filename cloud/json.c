/* JSON replies of Graph and Exchange Online -> pages and dirobj attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "http.h"

enum sb_status
cloud_json_load(const struct cloud_errctx *x, const char *body, size_t len,
    json_t **out, struct sb_error *err)
{
	json_error_t jerr;
	json_t *root;

	if (body == NULL || len == 0)
		return cloud_errmap_malformed(x, err, "empty body");
	root = json_loadb(body, len, 0, &jerr);
	if (root == NULL)
		return cloud_errmap_malformed(x, err,
		    "not JSON: %s at line %d column %d", jerr.text, jerr.line,
		    jerr.column);
	if (!json_is_object(root)) {
		json_decref(root);
		return cloud_errmap_malformed(x, err, "not a JSON object");
	}
	*out = root;
	return SB_OK;
}

enum sb_status
cloud_json_page(const struct cloud_errctx *x, json_t *root, json_t **value,
    char **next_link, struct sb_error *err)
{
	json_t *v, *next;
	char *copy = NULL;

	v = json_object_get(root, "value");
	if (!json_is_array(v))
		return cloud_errmap_malformed(x, err, "%s",
		    v == NULL ? "no \"value\"" : "\"value\" is not an array");
	next = json_object_get(root, "@odata.nextLink");
	if (next != NULL && !json_is_null(next)) {
		if (!json_is_string(next) || json_string_length(next) == 0)
			return cloud_errmap_malformed(x, err,
			    "\"@odata.nextLink\" is not a URL");
		if (json_string_length(next) > CLOUD_HTTP_URL_MAX)
			return cloud_errmap_malformed(x, err,
			    "\"@odata.nextLink\" longer than %d bytes",
			    CLOUD_HTTP_URL_MAX);
		copy = strdup(json_string_value(next));
		if (copy == NULL)
			return sb_fail(err, SB_BUG, 0, x->where,
			    "out of memory");
	}
	*value = v;
	*next_link = copy;
	return SB_OK;
}

/* A scalar as text: strings as they are, booleans, numbers. */
static enum sb_status
add_scalar(const struct cloud_errctx *x, struct dirobj *o, const char *name,
    json_t *v, struct sb_error *err)
{
	char num[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) == 0)
			return dirobj_touch(o, name, err);
		return dirobj_add_value(o, name, json_string_value(v),
		    json_string_length(v), err);
	case JSON_TRUE:
		return dirobj_add_str(o, name, "true", err);
	case JSON_FALSE:
		return dirobj_add_str(o, name, "false", err);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return dirobj_add_str(o, name, num, err);
	case JSON_REAL:
		/* Shortest text that reads back as the same double. */
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		if (strtod(num, NULL) != json_real_value(v))
			snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		return dirobj_add_str(o, name, num, err);
	case JSON_NULL:
		return dirobj_touch(o, name, err);
	default:
		break;
	}
	return cloud_errmap_malformed(x, err, "property %s: unexpected type",
	    name);
}

/* An element of a collection: scalars as text, objects and arrays as JSON. */
static enum sb_status
add_element(const struct cloud_errctx *x, struct dirobj *o, const char *name,
    json_t *v, struct sb_error *err)
{
	enum sb_status st;
	char *text;

	if (json_is_null(v))
		return SB_OK;		/* nothing to record */
	if (!json_is_object(v) && !json_is_array(v))
		return add_scalar(x, o, name, v, err);
	text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	if (text == NULL)
		return sb_fail(err, SB_BUG, 0, x->where, "out of memory");
	st = dirobj_add_str(o, name, text, err);
	free(text);
	return st;
}

static enum sb_status
attr_rec(const struct cloud_errctx *x, struct dirobj *o, const char *name,
    json_t *v, int depth, struct sb_error *err)
{
	char sub[CLOUD_JSON_NAME_MAX + 1];
	const char *key;
	json_t *elem;
	size_t i;
	enum sb_status st;
	int n;

	if (json_is_array(v)) {
		st = dirobj_touch(o, name, err);	/* [] -> no values */
		for (i = 0; st == SB_OK && i < json_array_size(v); i++)
			st = add_element(x, o, name, json_array_get(v, i), err);
		return st;
	}
	if (!json_is_object(v))
		return add_scalar(x, o, name, v, err);
	if (depth >= CLOUD_JSON_DEPTH_MAX)
		return cloud_errmap_malformed(x, err,
		    "property %s nested deeper than %d", name,
		    CLOUD_JSON_DEPTH_MAX);
	if (json_object_size(v) == 0)
		return dirobj_touch(o, name, err);
	json_object_foreach(v, key, elem) {
		if (strchr(key, '@') != NULL)
			continue;	/* @odata.type, X@data.type */
		n = snprintf(sub, sizeof(sub), "%s.%s", name, key);
		if (n < 0 || (size_t)n >= sizeof(sub))
			return cloud_errmap_malformed(x, err,
			    "property name %.64s... longer than %d bytes",
			    name, CLOUD_JSON_NAME_MAX);
		st = attr_rec(x, o, sub, elem, depth + 1, err);
		if (st != SB_OK)
			return st;
	}
	return SB_OK;
}

enum sb_status
cloud_json_attr(const struct cloud_errctx *x, struct dirobj *o,
    const char *name, json_t *v, struct sb_error *err)
{
	if (strlen(name) > CLOUD_JSON_NAME_MAX)
		return cloud_errmap_malformed(x, err,
		    "property name %.64s... longer than %d bytes", name,
		    CLOUD_JSON_NAME_MAX);
	return attr_rec(x, o, name, v, 0, err);
}

enum sb_status
cloud_json_str(const struct cloud_errctx *x, json_t *obj, const char *key,
    char **field, struct sb_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return dirobj_set_str(field, NULL, err);
	if (!json_is_string(v))
		return cloud_errmap_malformed(x, err, "%s is not a string",
		    key);
	return dirobj_set_str(field, json_string_value(v), err);
}

enum sb_status
cloud_json_tri(const struct cloud_errctx *x, json_t *obj, const char *key,
    enum sb_tri *out, struct sb_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	if (v == NULL || json_is_null(v)) {
		*out = SB_TRI_UNSET;
		return SB_OK;
	}
	if (json_is_boolean(v)) {
		*out = json_is_true(v) ? SB_TRI_TRUE : SB_TRI_FALSE;
		return SB_OK;
	}
	/* Exchange Online serialises some booleans as "True"/"False". */
	s = json_string_value(v);
	if (s != NULL && strcasecmp(s, "true") == 0) {
		*out = SB_TRI_TRUE;
		return SB_OK;
	}
	if (s != NULL && strcasecmp(s, "false") == 0) {
		*out = SB_TRI_FALSE;
		return SB_OK;
	}
	return cloud_errmap_malformed(x, err, "%s is not a boolean", key);
}

/* One flattened property name: its folded form and the key(s) it came from. */
struct flat_name {
	char	*fold;		/* lower case: how dirobj compares names */
	char	*orig;		/* as the reply spelt it */
};

struct flat_names {
	struct flat_name *v;
	size_t		  n, cap;
	int		  oom;
};

static void
flat_add(struct flat_names *f, const char *name)
{
	struct flat_name *nv;
	size_t i, len = strlen(name);

	if (f->oom)
		return;
	if (f->n == f->cap) {
		nv = realloc(f->v, (f->cap ? f->cap * 2 : 64) * sizeof(*nv));
		if (nv == NULL) {
			f->oom = 1;
			return;
		}
		f->v = nv;
		f->cap = f->cap ? f->cap * 2 : 64;
	}
	f->v[f->n].orig = strdup(name);
	f->v[f->n].fold = strdup(name);
	if (f->v[f->n].orig == NULL || f->v[f->n].fold == NULL) {
		free(f->v[f->n].orig);
		free(f->v[f->n].fold);
		f->oom = 1;
		return;
	}
	for (i = 0; i < len; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			f->v[f->n].fold[i] = (char)(name[i] - 'A' + 'a');
	f->n++;
}

/* The names attr_rec would give obj's properties, prefix. first. */
static void
flat_collect(struct flat_names *f, const char *prefix, json_t *obj,
    int depth)
{
	char sub[CLOUD_JSON_NAME_MAX + 1];
	const char *key;
	json_t *v;
	int n;

	json_object_foreach(obj, key, v) {
		if (strchr(key, '@') != NULL)
			continue;
		n = prefix ? snprintf(sub, sizeof(sub), "%s.%s", prefix, key) :
		    snprintf(sub, sizeof(sub), "%s", key);
		if (n < 0 || (size_t)n >= sizeof(sub))
			continue;	/* cloud_json_attr refuses it */
		if (json_is_object(v) && json_object_size(v) > 0 &&
		    depth + 1 < CLOUD_JSON_DEPTH_MAX)
			flat_collect(f, sub, v, depth + 1);
		else
			flat_add(f, sub);
	}
}

static int
cmp_flat(const void *a, const void *b)
{
	const struct flat_name *x = a, *y = b;
	int c = strcmp(x->fold, y->fold);

	/* equal folds by spelling: a stable message */
	return c != 0 ? c : strcmp(x->orig, y->orig);
}

enum sb_status
cloud_json_distinct(const struct cloud_errctx *x, json_t *obj, size_t index,
    struct sb_error *err)
{
	struct flat_names f = { 0 };
	char qa[80], qb[80], qid[80];
	json_t *id;
	enum sb_status st = SB_OK;
	size_t i;

	if (!json_is_object(obj))
		return SB_OK;	/* the item function says what is wrong */
	flat_collect(&f, NULL, obj, 0);
	if (f.oom) {
		st = sb_fail(err, SB_BUG, 0, x->where, "out of memory");
		goto done;
	}
	/* {} collects nothing: qsort() must not see its NULL array */
	if (f.n > 1)
		qsort(f.v, f.n, sizeof(*f.v), cmp_flat);
	for (i = 1; i < f.n; i++)
		if (strcmp(f.v[i - 1].fold, f.v[i].fold) == 0)
			break;
	if (i < f.n) {
		id = json_object_get(obj, "id");
		if (!json_is_string(id))
			id = json_object_get(obj, "ExternalDirectoryObjectId");
		cloud_errmap_quote(qid, sizeof(qid), json_string_value(id), 64);
		cloud_errmap_quote(qa, sizeof(qa), f.v[i - 1].orig, 72);
		cloud_errmap_quote(qb, sizeof(qb), f.v[i].orig, 72);
		st = cloud_errmap_malformed(x, err, "object %zu of the page%s%s"
		    ": \"%s\" and \"%s\" would be one attribute (keys that "
		    "differ only in case, or a dotted key beside a nested "
		    "object): refused", index, qid[0] ? " id " : "", qid, qa,
		    qb);
	}
done:
	for (i = 0; i < f.n; i++) {
		free(f.v[i].fold);
		free(f.v[i].orig);
	}
	free(f.v);
	return st;
}

enum sb_status
cloud_json_listing(const struct cloud_errctx *x, const char *body, size_t len,
    cloud_json_item_fn fn, void *arg, struct dirset *out, char **next_link,
    struct sb_error *err)
{
	struct dirset page;
	struct dirobj *o;
	json_t *root = NULL, *value = NULL;
	char *next = NULL;
	enum sb_status st;
	size_t i;

	dirset_init(&page);
	st = cloud_json_load(x, body, len, &root, err);
	if (st == SB_OK)
		st = cloud_json_page(x, root, &value, &next, err);
	for (i = 0; st == SB_OK && i < json_array_size(value); i++) {
		o = NULL;
		st = cloud_json_distinct(x, json_array_get(value, i), i, err);
		if (st == SB_OK)
			st = fn(x, json_array_get(value, i), i, arg, &o, err);
		if (st == SB_OK && o != NULL)
			st = dirset_add(&page, o, err);
	}
	/* The whole page or nothing: a caller never sees half a page. */
	for (i = 0; st == SB_OK && i < page.n; i++) {
		st = dirset_add(out, page.objs[i], err);
		page.objs[i] = NULL;	/* dirset_add took it */
	}
	if (st != SB_OK)
		goto done;
	page.n = 0;
	*next_link = next;
	next = NULL;
done:
	free(next);
	dirset_free(&page);
	json_decref(root);
	return st;
}
