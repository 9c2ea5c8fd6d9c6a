/*
 * HTTPS for cloud/: one curl easy handle, TLS verification always on, capped
 * response bodies, the response headers we act on, a client-request-id on
 * every request, retries (Retry-After or jittered exponential backoff) and a
 * global request-rate cap.  Knows nothing of tokens, Graph or Exchange.
 *
 * This header is what cloud/ includes.  The client is http.c; a request and
 * its response are in httpmsg.h, the headers read in httphdr.h, the retry
 * policy in httpretry.h (all three included here), and the curl transport
 * in httpcurl.c.
 */
#ifndef SB_CLOUD_HTTP_H
#define SB_CLOUD_HTTP_H

#include <stddef.h>
#include <time.h>

#include "mapping/core.h"
#include "cloud/httpbudget.h"
#include "cloud/httphdr.h"
#include "cloud/httpmsg.h"
#include "cloud/httpretry.h"

#define CLOUD_HTTP_TIMEOUT_S	60
/*
 * Requests per second from one agent: far below Graph's per-app budget.  The
 * agent sets its own from cloud.max_requests_per_second.
 */
#define CLOUD_HTTP_RATE_DEFAULT	20
/*
 * Requests in flight at once for cloud_http_request_many: what one
 * connection per request costs a service that answers each in 100 ms or
 * more, kept to a handful (Exchange Online and Graph count concurrent
 * requests per app, graph-exo-protocol.md).
 */
#define CLOUD_HTTP_PARALLEL	4

struct cloud_http;

/* Sleeps ms milliseconds; tests replace it so they do not wait. */
typedef void	(*cloud_sleep_fn)(void *arg, long ms);

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
/* The least gap between request starts for a ceiling, whole ms rounded up. */
long		cloud_http_rate_interval_ms(int per_second);
void		cloud_http_set_retries(struct cloud_http *h, int max_retries,
		    int max_wait_s);
void		cloud_http_retry_limits(const struct cloud_http *h,
		    int *max_retries, long *max_wait_s);
/* Sleeps through the installed sleep function. */
void		cloud_http_sleep(struct cloud_http *h, long ms);
/* Number of attempts sent and of retries, for tests and stats. */
void		cloud_http_counts(const struct cloud_http *h,
		    unsigned long *attempts, unsigned long *retries);

/*
 * The budget of the cycle (httpbudget.h): max_requests 0 or max_wait_s <= 0
 * keep the default.  What was spent, for the cycle's log line.
 */
void cloud_http_set_budget(struct cloud_http *h, unsigned long max_requests,
    long max_wait_s);
const struct cloud_budget *cloud_http_budget(const struct cloud_http *h);
/* Counts n throttled replies that the HTTP client did not see ($batch items). */
void cloud_http_count_throttled(struct cloud_http *h, unsigned long n);
/*
 * Waits wait_ms before a retry for where, counted against the cycle's
 * budget; SB_RETRY naming the budget (and no wait) when it is spent.
 */
enum sb_status cloud_http_retry_wait(struct cloud_http *h, const char *where,
    long wait_ms, struct sb_error *err);

/*
 * Sends req, retrying 429, 503, 504 and transient transport errors up to the
 * retry budget (per request; the cycle's budget too: SB_RETRY naming it
 * when spent).  SB_OK when a response arrived (resp->status may be any: the
 * caller maps it with cloud_errmap), SB_RETRY when the transport kept
 * failing, SB_STOP for a TLS verification failure or an oversized body,
 * SB_CONFIG for a bad URL or CA file.  resp must be initialised.
 */
enum sb_status	cloud_http_request(struct cloud_http *h,
		    const struct cloud_http_req *req,
		    struct cloud_http_resp *resp, struct sb_error *err);

/*
 * Sends the n requests of reqs as cloud_http_request would each (pacing,
 * the budget, retries), CLOUD_HTTP_PARALLEL at a time: their first attempts
 * run side by side, each on a curl handle of its own; retries follow one by
 * one.  sts[i], resps[i] (initialised) and errs[i] are request i's.  With a
 * test's transport, or one request, one at a time.
 */
void		cloud_http_request_many(struct cloud_http *h,
		    const struct cloud_http_req *reqs,
		    struct cloud_http_resp *resps, enum sb_status *sts,
		    struct sb_error *errs, size_t n);

/* Pure helpers, public for unit tests. */

/* The path of url without scheme, host and query, for logs and messages. */
void		cloud_http_url_path(const char *url, char *out, size_t outsz);
/* 1 when a and b have the same scheme, host and port. */
int		cloud_http_same_origin(const char *a, const char *b);
/* A random (version 4) UUID, 36 characters and a NUL. */
enum sb_status	cloud_http_uuid(char out[37], struct sb_error *err);

#endif
