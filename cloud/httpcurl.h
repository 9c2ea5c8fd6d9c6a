/*
 * The HTTP client's transport: one attempt of a request with curl, TLS
 * always verified, no redirects followed, the body capped, every header
 * holding the token wiped.  The client (http.c) installs it unless a test
 * installs canned replies instead.
 */
#ifndef SB_CLOUD_HTTPCURL_H
#define SB_CLOUD_HTTPCURL_H

#include "cloud/httpmsg.h"

#define CLOUD_HTTP_CONNECT_S	15

/* One curl easy handle and what every attempt through it sets. */
struct cloud_httpcurl;

/*
 * A handle (new: cloud_httpcurl_free it) verifying peers against ca_file
 * (NULL or "": the system store, else checked readable now: SB_CONFIG),
 * each attempt given timeout_s seconds.
 */
enum sb_status	cloud_httpcurl_new(const char *ca_file, long timeout_s,
		    struct cloud_httpcurl **out, struct sb_error *err);
/* Another handle with src's settings (and a connection cache of its own). */
enum sb_status	cloud_httpcurl_clone(const struct cloud_httpcurl *src,
		    struct cloud_httpcurl **out, struct sb_error *err);
void		cloud_httpcurl_free(struct cloud_httpcurl *h);

/*
 * A cloud_transport_fn, arg the struct cloud_httpcurl: SB_STOP for a peer
 * that fails verification or a body over its cap, SB_CONFIG for a bad URL
 * or CA file, SB_RETRY for a dropped, reset or timed-out transfer.
 */
enum sb_status	cloud_httpcurl_perform(void *arg,
		    const struct cloud_http_req *req, const char *crid,
		    struct cloud_http_resp *resp, struct sb_error *err);

#endif
