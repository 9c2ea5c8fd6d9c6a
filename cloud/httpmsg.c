/* An HTTP response's life: set up, reset between attempts, freed. */
#include <stdlib.h>
#include <string.h>

#include "cloud/httpmsg.h"

void
cloud_http_resp_init(struct cloud_http_resp *r)
{
	memset(r, 0, sizeof(*r));
	sb_buf_init(&r->body, CLOUD_HTTP_BODY_MAX);
	r->retry_after = -1;
}

void
cloud_http_resp_free(struct cloud_http_resp *r)
{
	if (r == NULL)
		return;
	sb_buf_free(&r->body);
	free(r->location);
	r->location = NULL;
}

void
cloud_httpmsg_reset_headers(struct cloud_http_resp *r)
{
	r->status = 0;
	r->retry_after = -1;
	r->request_id[0] = '\0';
	r->content_type[0] = '\0';
	r->invalid_token = 0;
	free(r->location);
	r->location = NULL;
}

void
cloud_httpmsg_reset(struct cloud_http_resp *r, size_t body_max)
{
	sb_buf_free(&r->body);
	sb_buf_init(&r->body, body_max ? body_max : CLOUD_HTTP_BODY_MAX);
	cloud_httpmsg_reset_headers(r);
}
