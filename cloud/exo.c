/* Exchange Online Get-Mailbox through InvokeCommand: mailboxes as dirobjs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "mapping/log.h"
#include "mapping/attrmap.h"
#include "errmap.h"
#include "exo.h"
#include "json.h"

#define EXO_WHERE	"exo.mailboxes"
#define EXO_ENDPOINT	"/adminapi/beta/{tenant}/InvokeCommand"
#define EXO_PERMISSION	"Exchange.ManageAsApp (and an Exchange role such " \
	"as View-Only Recipients)"
/* "Prefer: odata.maxpagesize=1000" */
#define EXO_STR(x)	#x
#define EXO_XSTR(x)	EXO_STR(x)
#define EXO_PREFER	\
	"Prefer: odata.maxpagesize=" EXO_XSTR(CLOUD_EXO_PAGE_SIZE)

/*
 * What this file reads of every mailbox besides the mapped properties: the
 * join key, the authority flags, the names for messages, and the change
 * time (the service tells a change it took in from a new one by it).
 */
static const char *const exo_identity[] = { "ExternalDirectoryObjectId",
	"Identity", "DisplayName", "RecipientTypeDetails", "IsDirSynced",
	"IsExchangeCloudManaged", "WhenChangedUTC", NULL };

/*
 * Exchange has no delta query: an incremental read asks for the mailboxes
 * changed since a time, "WhenChangedUTC -ge 'yyyy-MM-ddTHH:mm:ssZ'" (the
 * sortable form, which Exchange reads in any culture).
 */
#define EXO_CHANGED_FILTER "WhenChangedUTC -ge '%Y-%m-%dT%H:%M:%SZ'"

static void
exo_ctx(struct cloud_errctx *x)
{
	memset(x, 0, sizeof(*x));
	x->where = EXO_WHERE;
	x->method = "POST";
	x->endpoint = EXO_ENDPOINT;
	x->permission = EXO_PERMISSION;
}

/*
 * The body of Get-Mailbox -ResultSize Unlimited -RecipientTypeDetails
 * UserMailbox,SharedMailbox,RoomMailbox,EquipmentMailbox, with -Filter
 * filter unless it is NULL; *out is the caller's (free()).
 */
static enum sb_status
exo_body(const char *filter, char **out, struct sb_error *err)
{
	json_t *root, *params;
	char *text = NULL;

	root = json_pack("{s:{s:s, s:{s:s, s:[s, s, s, s]}}}", "CmdletInput",
	    "CmdletName", "Get-Mailbox", "Parameters", "ResultSize",
	    "Unlimited", "RecipientTypeDetails", "UserMailbox", "SharedMailbox",
	    "RoomMailbox", "EquipmentMailbox");
	params = json_object_get(json_object_get(root, "CmdletInput"),
	    "Parameters");
	if (params != NULL && filter != NULL &&
	    json_object_set_new(params, "Filter", json_string(filter)) != 0)
		params = NULL;
	if (params != NULL)
		text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, EXO_WHERE, "out of memory");
	*out = text;
	return SB_OK;
}

/* One mailbox of a page (a cloud_json_item_fn; NULL: skipped). */
static enum sb_status
mailbox(const struct cloud_errctx *x, json_t *jo, size_t index, void *arg,
    struct dirobj **out, struct sb_error *err)
{
	struct dirobj *o = NULL;
	const char *key;
	json_t *v;
	enum sb_status st;

	(void)arg;

	*out = NULL;
	if (!json_is_object(jo))
		return cloud_errmap_malformed(x, err,
		    "mailbox %zu of the page is not an object", index);
	v = json_object_get(jo, "ExternalDirectoryObjectId");
	if (v != NULL && !json_is_null(v) && !json_is_string(v))
		return cloud_errmap_malformed(x, err, "mailbox %zu: "
		    "ExternalDirectoryObjectId is not a string", index);
	if (json_string_length(v) == 0) {
		v = json_object_get(jo, "Identity");
		log_warn("exo.mailbox identity=\"%.128s\" "
		    "result=skipped reason=\"no ExternalDirectoryObjectId\"",
		    json_is_string(v) ? json_string_value(v) : "?");
		return SB_OK;
	}
	o = dirobj_new(DIROBJ_MAILBOX);
	if (o == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, x->where, "out of memory");
	st = cloud_json_str(x, jo, "ExternalDirectoryObjectId", &o->cloud_id,
	    err);
	if (st == SB_OK)
		st = cloud_json_str(x, jo, "DisplayName", &o->display_name,
		    err);
	if (st == SB_OK)
		st = cloud_json_tri(x, jo, "IsExchangeCloudManaged",
		    &o->exchange_cloud_managed, err);
	if (st == SB_OK)
		st = cloud_json_tri(x, jo, "IsDirSynced", &o->sync_enabled,
		    err);
	if (st != SB_OK)
		goto done;
	json_object_foreach(jo, key, v) {
		/* "@odata.id", "EmailAddresses@data.type": metadata */
		if (strchr(key, '@') != NULL)
			continue;
		st = cloud_json_attr(x, o, key, v, err);
		if (st != SB_OK)
			goto done;
	}
	*out = o;
	o = NULL;
done:
	dirobj_free(o);
	return st;
}

/* Property names go into the URL unescaped: letters and digits only. */
static int
plain_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i > 0 && i <= 64;
}

enum sb_status
cloud_exo_url(const char *exchange_url, const char *tenant,
    const char *const *props, char **out, struct sb_error *err)
{
	const char *names[CLOUD_EXO_SELECT_MAX];
	const char *const *lists[2] = { exo_identity, props };
	struct sb_buf url;
	enum sb_status st;
	size_t i, k, l, n = 0;

	sb_buf_init(&url, CLOUD_HTTP_URL_MAX);
	st = sb_buf_printf(&url, err, "%s/adminapi/beta/%s/InvokeCommand"
	    "?$select=", exchange_url, tenant);
	for (l = 0; st == SB_OK && l < 2; l++) {
		for (i = 0; st == SB_OK && lists[l] != NULL &&
		    lists[l][i] != NULL; i++) {
			for (k = 0; k < n; k++)
				if (strcasecmp(names[k], lists[l][i]) == 0)
					break;
			if (k < n)
				continue;
			if (n == CLOUD_EXO_SELECT_MAX ||
			    !plain_name(lists[l][i])) {
				st = sb_fail(err, SB_BUG, EINVAL, EXO_WHERE,
				    "cannot $select mailbox property \"%.64s\""
				    " (more than %d, or not a plain name)",
				    lists[l][i], CLOUD_EXO_SELECT_MAX);
				break;
			}
			names[n] = lists[l][i];
			st = sb_buf_printf(&url, err, "%s%s", n ? "," : "",
			    names[n]);
			n++;
		}
	}
	if (st != SB_OK)
		goto done;
	*out = url.p;
	url.p = NULL;
	url.len = 0;
done:
	sb_buf_free(&url);
	return st;
}

enum sb_status
cloud_exo_parse_page(const char *body, size_t len, struct dirset *out,
    char **next_link, struct sb_error *err)
{
	struct cloud_errctx x;

	exo_ctx(&x);
	return cloud_json_listing(&x, body, len, mailbox, NULL, out,
	    next_link, err);
}

static enum sb_status
parse_page(const char *body, size_t len, void *arg, struct dirset *out,
    char **next_link, struct sb_error *err)
{
	(void)arg;
	return cloud_exo_parse_page(body, len, out, next_link, err);
}

/* Get-Mailbox with body, every page; shared by the full and changed reads. */
static enum sb_status
exo_read(struct cloud_client *c, const char *body, cloud_obj_cb cb, void *arg,
    struct sb_error *err)
{
	struct cloud_pager p = { 0 };
	struct sb_buf anchor;
	const char *headers[3];
	char *url = NULL;
	enum sb_status st;
	size_t used;

	sb_buf_init(&anchor, 1024);
	st = cloud_exo_url(cloud_client_exchange_url(c), cloud_client_tenant(c),
	    map_mailbox_properties(), &url, err);
	if (st == SB_OK)
		st = sb_buf_printf(&anchor, err, "X-AnchorMailbox: "
		    CLOUD_EXO_ANCHOR "%s", cloud_client_tenant(c));
	if (st != SB_OK)
		goto done;
	headers[0] = anchor.p;
	headers[1] = EXO_PREFER;
	headers[2] = NULL;
	p.aud = CLOUD_AUD_EXO;
	p.method = "POST";
	p.url = url;
	p.origin = cloud_client_exchange_url(c);
	p.content_type = "application/json";
	p.body = body;
	p.headers = headers;
	p.where = EXO_WHERE;
	p.endpoint = EXO_ENDPOINT;
	p.permission = EXO_PERMISSION;
	p.parse = parse_page;
	st = cloud_pager_run(c, &p, cb, arg, err);
	/*
	 * Without an Exchange role the app may not even see the cmdlet: a
	 * 400 that is about rights, not about our request.  (A 401 "not
	 * allowed to call Get-Mailbox" is said by cloud_errmap already.)
	 */
	if (st == SB_BUG && err != NULL && err->code == 400 &&
	    strstr(err->text, "CommandNotFoundException") != NULL) {
		err->status = st = SB_STOP;
		used = strlen(err->text);
		snprintf(err->text + used, sizeof(err->text) - used,
		    "; give the app an Exchange role (View-Only Recipients)");
	}
done:
	sb_buf_free(&anchor);
	free(url);
	return st;
}

enum sb_status
cloud_exo_mailboxes(struct cloud_client *c, cloud_obj_cb cb, void *arg,
    struct sb_error *err)
{
	char *body = NULL;
	enum sb_status st;

	st = exo_body(NULL, &body, err);
	if (st == SB_OK)
		st = exo_read(c, body, cb, arg, err);
	free(body);
	return st;
}

enum sb_status
cloud_exo_mailboxes_changed(struct cloud_client *c, time_t since,
    cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	char filter[64], *body = NULL;
	enum sb_status st;
	struct tm tm;

	/* Exchange reads four-digit years; a time before 1970 is no cursor. */
	if (since < 0 || gmtime_r(&since, &tm) == NULL ||
	    tm.tm_year > 9999 - 1900 ||
	    strftime(filter, sizeof(filter), EXO_CHANGED_FILTER, &tm) == 0)
		return sb_fail(err, SB_BUG, EINVAL, EXO_WHERE,
		    "mailboxes changed since %lld: not a time from 1970 to "
		    "9999",
		    (long long)since);
	st = exo_body(filter, &body, err);
	if (st == SB_OK)
		st = exo_read(c, body, cb, arg, err);
	free(body);
	return st;
}
