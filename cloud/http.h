/*
 * HTTPS for cloud/: one curl easy handle, TLS verification always on, capped
 * response bodies, the response headers we act on, a client-request-id on
 * every request, retries (Retry-After or jittered exponential backoff) and a
 * global request-rate cap.  Knows nothing of tokens, Graph or Exchange.
 */
#ifndef SB_CLOUD_HTTP_H
#define SB_CLOUD_HTTP_H

#include <stddef.h>
#include <time.h>

#include "mapping/core.h"

/* Response body of one page: 999 users with many properties fit easily. */
#define CLOUD_HTTP_BODY_MAX	((size_t)64 * 1024 * 1024)
/* Retries of one request after 429/503/504 or a transport error. */
#define CLOUD_HTTP_RETRIES_MAX	5
/* Longest wait before a retry; a longer Retry-After ends the retries. */
#define CLOUD_HTTP_WAIT_MAX_S	120
/* Backoff without Retry-After: 1 s, 2 s, 4 s ... with jitter. */
#define CLOUD_HTTP_BACKOFF_MS	1000
#define CLOUD_HTTP_TIMEOUT_S	60
#define CLOUD_HTTP_CONNECT_S	15
/* Requests per second from one agent: far below Graph's per-app budget. */
#define CLOUD_HTTP_RATE_DEFAULT	20
/* Longest URL we follow (nextLink) or keep (Location). */
#define CLOUD_HTTP_URL_MAX	8192
/*
 * Retry-After is read whole (leading zeros and all) and saturates here: a
 * day is far past CLOUD_HTTP_WAIT_MAX_S, so it still means "give up", and
 * no arithmetic on it can overflow.
 */
#define CLOUD_HTTP_RETRY_AFTER_MAX	86400L

struct cloud_http;

/* Sleeps ms milliseconds; tests replace it so they do not wait. */
typedef void	(*cloud_sleep_fn)(void *arg, long ms);

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

/* ca_file NULL or "": the system store.  timeout_s <= 0: the default. */
enum sb_status	cloud_http_new(const char *ca_file, int timeout_s,
		    struct cloud_http **out, struct sb_error *err);
void		cloud_http_free(struct cloud_http *h);

void		cloud_http_set_sleep(struct cloud_http *h, cloud_sleep_fn fn,
		    void *arg);
void		cloud_http_set_transport(struct cloud_http *h,
		    cloud_transport_fn fn, void *arg);
/* per_second 0: no cap. */
void		cloud_http_set_rate(struct cloud_http *h, int per_second);
void		cloud_http_set_retries(struct cloud_http *h, int max_retries,
		    int max_wait_s);
void		cloud_http_retry_limits(const struct cloud_http *h,
		    int *max_retries, long *max_wait_s);
/* Sleeps through the installed sleep function. */
void		cloud_http_sleep(struct cloud_http *h, long ms);
/* Number of attempts sent and of retries, for tests and stats. */
void		cloud_http_counts(const struct cloud_http *h,
		    unsigned long *attempts, unsigned long *retries);

void		cloud_http_resp_init(struct cloud_http_resp *r);
void		cloud_http_resp_free(struct cloud_http_resp *r);

/*
 * Sends req, retrying 429, 503, 504 and transient transport errors up to the
 * retry budget.  SB_OK when a response arrived (resp->status may be any: the
 * caller maps it with cloud_errmap), SB_RETRY when the transport kept
 * failing, SB_STOP for a TLS verification failure or an oversized body,
 * SB_CONFIG for a bad URL or CA file.  resp must be initialised.
 */
enum sb_status	cloud_http_request(struct cloud_http *h,
		    const struct cloud_http_req *req,
		    struct cloud_http_resp *resp, struct sb_error *err);

/* Pure helpers, public for unit tests. */

/*
 * Retry-After: delta-seconds (any number of digits, saturating at
 * CLOUD_HTTP_RETRY_AFTER_MAX) or an HTTP date; -1 if absent or unreadable.
 * The _n form reads len bytes of v, which need no NUL.
 */
long		cloud_http_parse_retry_after(const char *v, time_t now);
long		cloud_http_parse_retry_after_n(const char *v, size_t len,
		    time_t now);
/*
 * curl's header callback: one header line (no NUL needed) of a reply into
 * the resp that arg points at (Retry-After, WWW-Authenticate, request-id,
 * Content-Type, Location).  Public for unit tests.
 */
size_t		cloud_http_header_cb(char *p, size_t size, size_t n,
		    void *arg);
/* 1 when a WWW-Authenticate value carries error="invalid_token". */
int		cloud_http_auth_invalid_token(const char *v, size_t len);
/*
 * 1 for a failed reply that is throttling said in plain text (Exchange
 * Online's per-tenant concurrency limit answers so, not in JSON): a 4xx or
 * 5xx whose body is not JSON and speaks of throttling, too many requests or
 * concurrency.  Such replies are retried like a 429.
 */
int		cloud_http_throttled_text(long status,
		    const char *content_type, const char *body, size_t len);
/*
 * Milliseconds to wait before retry number attempt (0 for the first retry):
 * retry_after_s (>= 0) plus up to 250 ms, else CLOUD_HTTP_BACKOFF_MS << attempt
 * capped at max_wait_s, jittered into its upper half by rnd.  -1 when
 * retry_after_s exceeds max_wait_s: waiting less would not honour it.
 */
long		cloud_http_backoff_ms(int attempt, long retry_after_s,
		    long max_wait_s, unsigned int rnd);
/* The path of url without scheme, host and query, for logs and messages. */
void		cloud_http_url_path(const char *url, char *out, size_t outsz);
/* 1 when a and b have the same scheme, host and port. */
int		cloud_http_same_origin(const char *a, const char *b);
/* Random bits for jitter (OpenSSL's generator). */
unsigned int	cloud_http_random(void);
/* A random (version 4) UUID, 36 characters and a NUL. */
enum sb_status	cloud_http_uuid(char out[37], struct sb_error *err);

#endif
