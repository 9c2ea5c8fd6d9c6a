/* Finds the attribute names the schema naming context has no attributeSchema for. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ldap/conn.h"
#include "ldap/escape.h"
#include "ldap/schema.h"
#include "ldap/search.h"

#define SCHEMA_FILTER_MAX	(64 * 1024)

struct found {
	const char *const	*attrs;
	size_t			 n;
	int			*seen;
};

/* Length of the name without options ("userCertificate;binary"). */
static size_t
base_len(const char *name)
{
	const char *semi = strchr(name, ';');

	return semi ? (size_t)(semi - name) : strlen(name);
}

static enum sb_status
on_attr_schema(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct found *f = arg;
	const struct dirattr *a = dirobj_get(o, "lDAPDisplayName");
	size_t i, j, bl;

	(void)err;
	for (j = 0; a != NULL && j < a->nvals; j++) {
		for (i = 0; i < f->n; i++) {
			bl = base_len(f->attrs[i]);
			if (a->vals[j].len == bl && strncasecmp(
			    (const char *)a->vals[j].p, f->attrs[i], bl) == 0)
				f->seen[i] = 1;
		}
	}
	dirobj_free(o);
	return SB_OK;
}

/* "(&(objectClass=attributeSchema)(|(lDAPDisplayName=a)...))" for attrs[from..to). */
static enum sb_status
build_filter(const char *const *attrs, size_t from, size_t to,
    struct sb_buf *b, struct sb_error *err)
{
	static const char head[] = "(&(objectClass=attributeSchema)(|";
	char *eq = NULL;
	enum sb_status st;
	size_t i;

	st = sb_buf_append(b, head, sizeof(head) - 1, err);
	for (i = from; st == SB_OK && i < to; i++) {
		st = ad_filter_eq("lDAPDisplayName", attrs[i],
		    base_len(attrs[i]), &eq, err);
		if (st == SB_OK)
			st = sb_buf_append(b, eq, strlen(eq), err);
		free(eq);
		eq = NULL;
	}
	if (st == SB_OK)
		st = sb_buf_append(b, "))", 2, err);
	return st;
}

enum sb_status
ad_schema_missing(struct ad_conn *c, const char *const *attrs,
    char ***missing, size_t *nmissing, struct sb_error *err)
{
	static const char *const want[] = { "lDAPDisplayName", NULL };
	struct found f = { attrs, 0, NULL };
	struct sb_buf filter;
	char **list = NULL;
	size_t i, from, to, nm = 0;
	enum sb_status st;

	sb_buf_init(&filter, SCHEMA_FILTER_MAX);
	while (attrs != NULL && attrs[f.n] != NULL)
		f.n++;
	f.seen = calloc(f.n + 1, sizeof(*f.seen));
	list = calloc(f.n + 1, sizeof(*list));
	if (f.seen == NULL || list == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "ad.schema", "out of memory");
		goto done;
	}
	for (from = 0; from < f.n; from = to) {
		to = from + AD_SCHEMA_NAMES_PER_FILTER;
		if (to > f.n)
			to = f.n;
		filter.len = 0;
		if ((st = build_filter(attrs, from, to, &filter, err)) != SB_OK)
			goto done;
		st = ad_search(c, ad_conn_schema_nc(c), AD_SCOPE_ONE, filter.p,
		    want, on_attr_schema, &f, err);
		if (st != SB_OK)
			goto done;
	}
	for (i = 0; i < f.n; i++) {
		if (f.seen[i])
			continue;
		list[nm] = strdup(attrs[i]);
		if (list[nm] == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "ad.schema",
			    "out of memory");
			goto done;
		}
		nm++;
	}
	if (nm == 0) {
		free(list);
		list = NULL;
	}
	*missing = list;
	*nmissing = nm;
	list = NULL;
	nm = 0;
	st = SB_OK;
done:
	ad_schema_free_list(list, nm);
	sb_buf_free(&filter);
	free(f.seen);
	return st;
}

void
ad_schema_free_list(char **list, size_t n)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
