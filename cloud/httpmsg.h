/*
 * One HTTP request and its response as the client (http.c), the transport
 * (httpcurl.c, or a test's canned replies) and the header parser
 * (httphdr.c) share them.  Includes nothing of the other http files.
 */
#ifndef SB_CLOUD_HTTPMSG_H
#define SB_CLOUD_HTTPMSG_H

#include <stddef.h>

#include "mapping/core.h"

/* Response body of one page: 999 users with many properties fit easily. */
#define CLOUD_HTTP_BODY_MAX	((size_t)64 * 1024 * 1024)
/* Longest URL we follow (nextLink) or keep (Location). */
#define CLOUD_HTTP_URL_MAX	8192

struct cloud_http_req {
	const char	*method;	/* "GET" or "POST" */
	const char	*url;		/* https://..., sent verbatim */
	const char	*bearer;	/* the token (secret), or NULL */
	const char	*content_type;	/* of body, or NULL */
	const char	*body;		/* may hold a secret: never logged */
	size_t		 body_len;
	/* extra "Name: value" lines, NULL-terminated; NULL: none */
	const char *const *headers;
	size_t		 body_max;	/* 0: CLOUD_HTTP_BODY_MAX */
	const char	*where;		/* "graph.users": errors and logs */
};

struct cloud_http_resp {
	long		 status;	/* HTTP status of the last attempt */
	struct sb_buf	 body;		/* wiped on free: may hold a token */
	long		 retry_after;	/* seconds, -1 when absent */
	char		 request_id[80];
	char		 client_request_id[40];
	char		 content_type[128];
	char		*location;	/* or NULL */
	/* WWW-Authenticate said error="invalid_token" (RFC 6750 3.1) */
	int		 invalid_token;
	long		 duration_ms;
	int		 attempts;
};

/*
 * One attempt of req: fills resp->status, body and headers (SB_OK whatever
 * the HTTP status), or fails with SB_RETRY (transient transport error) or
 * another status.  The default performs it with curl; tests install canned
 * replies with cloud_http_set_transport().
 */
typedef enum sb_status (*cloud_transport_fn)(void *arg,
		    const struct cloud_http_req *req,
		    const char *client_request_id,
		    struct cloud_http_resp *resp, struct sb_error *err);

void		cloud_http_resp_init(struct cloud_http_resp *r);
void		cloud_http_resp_free(struct cloud_http_resp *r);

/*
 * Forgets the headers of a previous attempt (or of a 1xx block), keeping
 * client_request_id, which names every attempt of one request.
 */
void		cloud_httpmsg_reset_headers(struct cloud_http_resp *r);
/* Ready for the next attempt: an empty body capped at body_max (0: default). */
void		cloud_httpmsg_reset(struct cloud_http_resp *r, size_t body_max);

#endif
