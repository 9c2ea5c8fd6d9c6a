/* Paged listings: a page at a time, parsed whole, nextLink followed as is. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/log.h"
#include "errmap.h"
#include "pager.h"

/* Hands the objects of page to cb one by one; cb owns each. */
static enum sb_status
hand_over(struct dirset *page, cloud_obj_cb cb, void *arg,
    struct sb_error *err)
{
	struct dirobj *o;
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; i < page->n; i++) {
		o = page->objs[i];
		page->objs[i] = NULL;
		if (st == SB_OK)
			st = cb(o, arg, err);
		else
			dirobj_free(o);
	}
	page->n = 0;
	return st;
}

/* A nextLink must stay on the service's host: it gets our token. */
static enum sb_status
check_next(const struct cloud_pager *p, const char *url, const char *next,
    struct sb_error *err)
{
	struct cloud_errctx x = { p->where, p->method, p->endpoint, NULL,
	    p->object_id };

	if (!cloud_http_same_origin(p->origin, next))
		return sb_fail(err, SB_STOP, 0, p->where, "%s %s: "
		    "@odata.nextLink points to another host; refusing to send "
		    "the token there", p->method, p->endpoint);
	if (strcmp(url, next) == 0)
		return cloud_errmap_malformed(&x, err,
		    "@odata.nextLink repeats the page just read");
	return SB_OK;
}

enum sb_status
cloud_pager_run(struct cloud_client *c, const struct cloud_pager *p,
    cloud_obj_cb cb, void *arg, struct sb_error *err)
{
	struct cloud_http_resp resp;
	struct cloud_call call = { 0 };
	struct dirset page;
	char *url = NULL, *next = NULL;
	size_t npages = 0, nobjs = 0;
	enum sb_status st;

	cloud_http_resp_init(&resp);
	dirset_init(&page);
	url = strdup(p->url);
	if (url == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, p->where, "out of memory");
		goto done;
	}
	call.aud = p->aud;
	call.method = p->method;
	call.content_type = p->content_type;
	call.body = p->body;
	call.body_len = p->body ? strlen(p->body) : 0;
	call.headers = p->headers;
	call.where = p->where;
	call.permission = p->permission;
	call.object_id = p->object_id;
	while (url != NULL) {
		if (++npages > CLOUD_PAGER_PAGES_MAX) {
			st = sb_fail(err, SB_STOP, 0, p->where, "%s %s: more "
			    "than %d pages", p->method, p->endpoint,
			    CLOUD_PAGER_PAGES_MAX);
			goto done;
		}
		call.url = url;
		st = cloud_client_call(c, &call, &resp, err);
		if (st == SB_OK)
			st = p->parse(resp.body.p, resp.body.len, p->parse_arg,
			    &page, &next, err);
		if (st != SB_OK)
			goto done;
		nobjs += page.n;
		if (p->max_objects > 0 && nobjs > p->max_objects) {
			st = sb_fail(err, SB_STOP, 0, p->where, "%s %s%s%s: "
			    "more than %zu objects", p->method, p->endpoint,
			    p->object_id ? " object " : "",
			    p->object_id ? p->object_id : "", p->max_objects);
			goto done;
		}
		log_debug("cloud.page where=%s page=%zu objects=%zu more=%s",
		    p->where, npages, page.n, next ? "yes" : "no");
		st = hand_over(&page, cb, arg, err);
		if (st == SB_OK && next != NULL)
			st = check_next(p, url, next, err);
		if (st != SB_OK)
			goto done;
		free(url);
		url = next;
		next = NULL;
	}
	log_debug("cloud.list where=%s pages=%zu objects=%zu", p->where,
	    npages, nobjs);
	st = SB_OK;
done:
	free(url);
	free(next);
	dirset_free(&page);
	cloud_http_resp_free(&resp);
	return st;
}
