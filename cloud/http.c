/* The HTTPS client: settings, the rate cap, a request's attempts, retries. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "mapping/log.h"
#include "cloud/http.h"
#include "cloud/httpcurl.h"

struct cloud_http {
	struct cloud_httpcurl	*curl;		/* the default transport */
	int			 max_retries;
	long			 max_wait_s;
	long			 min_interval_ms;
	long			 last_start_ms;	/* monotonic; -1: none yet */
	cloud_sleep_fn		 sleep_fn;
	void			*sleep_arg;
	cloud_transport_fn	 transport;
	void			*transport_arg;
	struct cloud_budget budget; /* of the cycle */
	/* handles of cloud_http_request_many's side-by-side attempts */
	struct cloud_httpcurl *pool[CLOUD_HTTP_PARALLEL];
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
real_sleep(void *arg, long ms)
{
	struct timespec ts;

	(void)arg;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

enum sb_status
cloud_http_new(const char *ca_file, int timeout_s, struct cloud_http **out,
    struct sb_error *err)
{
	struct cloud_http *h = NULL;
	enum sb_status st;

	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "http", "out of memory");
		goto done;
	}
	st = cloud_httpcurl_new(ca_file, timeout_s > 0 ? timeout_s :
	    CLOUD_HTTP_TIMEOUT_S, &h->curl, err);
	if (st != SB_OK)
		goto done;
	h->max_retries = CLOUD_HTTP_RETRIES_MAX;
	h->max_wait_s = CLOUD_HTTP_WAIT_MAX_S;
	h->min_interval_ms =
	    cloud_http_rate_interval_ms(CLOUD_HTTP_RATE_DEFAULT);
	h->last_start_ms = -1;
	cloud_budget_init(&h->budget, 0, 0);
	h->sleep_fn = real_sleep;
	h->transport = cloud_httpcurl_perform;
	h->transport_arg = h->curl;
	*out = h;
	h = NULL;
	st = SB_OK;
done:
	cloud_http_free(h);
	return st;
}

void
cloud_http_free(struct cloud_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	cloud_httpcurl_free(h->curl);
	for (i = 0; i < CLOUD_HTTP_PARALLEL; i++)
		cloud_httpcurl_free(h->pool[i]);
	free(h);
}

void
cloud_http_set_sleep(struct cloud_http *h, cloud_sleep_fn fn, void *arg)
{
	h->sleep_fn = fn ? fn : real_sleep;
	h->sleep_arg = arg;
}

void
cloud_http_set_transport(struct cloud_http *h, cloud_transport_fn fn,
    void *arg)
{
	h->transport = fn ? fn : cloud_httpcurl_perform;
	h->transport_arg = fn ? arg : h->curl;
}

/*
 * Rounded up: a ceiling of 300 a second must not become 3 ms apart, which
 * is 333 a second.
 */
long
cloud_http_rate_interval_ms(int per_second)
{
	return per_second > 0 ? (1000 + per_second - 1) / per_second : 0;
}

void
cloud_http_set_rate(struct cloud_http *h, int per_second)
{
	h->min_interval_ms = cloud_http_rate_interval_ms(per_second);
}

void
cloud_http_set_retries(struct cloud_http *h, int max_retries, int max_wait_s)
{
	h->max_retries = max_retries >= 0 ? max_retries : 0;
	h->max_wait_s = max_wait_s > 0 ? max_wait_s : CLOUD_HTTP_WAIT_MAX_S;
}

void
cloud_http_retry_limits(const struct cloud_http *h, int *max_retries,
    long *max_wait_s)
{
	*max_retries = h->max_retries;
	*max_wait_s = h->max_wait_s;
}

void
cloud_http_sleep(struct cloud_http *h, long ms)
{
	if (ms > 0)
		h->sleep_fn(h->sleep_arg, ms);
}

void
cloud_http_counts(const struct cloud_http *h, unsigned long *attempts,
    unsigned long *retries)
{
	*attempts = h->budget.requests;
	*retries = h->budget.retries;
}

void
cloud_http_set_budget(struct cloud_http *h, unsigned long max_requests,
    long max_wait_s)
{
	h->budget.max_requests = max_requests > 0 ? max_requests :
						    CLOUD_CYCLE_REQUESTS_MAX;
	h->budget.max_wait_ms = (max_wait_s > 0 ? max_wait_s :
						  CLOUD_CYCLE_WAIT_MAX_S) *
	    1000;
}

const struct cloud_budget *
cloud_http_budget(const struct cloud_http *h)
{
	return &h->budget;
}

void
cloud_http_count_throttled(struct cloud_http *h, unsigned long n)
{
	h->budget.throttled += n;
}

enum sb_status
cloud_http_retry_wait(struct cloud_http *h, const char *where, long wait_ms,
    struct sb_error *err)
{
	enum sb_status st;

	st = cloud_budget_wait(&h->budget, where, wait_ms, err);
	if (st != SB_OK) {
		log_warn("cloud.budget where=%s wait_ms=%ld waited_ms=%ld "
			 "max_wait_s=%ld result=spent",
		    where, wait_ms, h->budget.waited_ms,
		    h->budget.max_wait_ms / 1000);
		return st;
	}
	cloud_http_sleep(h, wait_ms);
	return SB_OK;
}

void
cloud_http_url_path(const char *url, char *out, size_t outsz)
{
	const char *p = url, *q;
	size_t n;

	if (outsz == 0)
		return;
	q = strstr(p, "://");
	if (q != NULL) {
		p = strchr(q + 3, '/');
		if (p == NULL)
			p = "/";
	}
	n = strcspn(p, "?#");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* scheme://host:port of url into out (lower case), or "" if unparsable. */
static void
origin(const char *url, char *out, size_t outsz)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	size_t i;

	out[0] = '\0';
	if (u == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		snprintf(out, outsz, "%s://%s:%s", scheme, host, port);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

int
cloud_http_same_origin(const char *a, const char *b)
{
	char oa[512], ob[512];

	origin(a, oa, sizeof(oa));
	origin(b, ob, sizeof(ob));
	return oa[0] != '\0' && strcmp(oa, ob) == 0;
}

enum sb_status
cloud_http_uuid(char out[37], struct sb_error *err)
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1)
		return sb_fail(err, SB_BUG, 0, "http", "RAND_bytes failed");
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);	/* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
	return SB_OK;
}

/* The global rate cap: requests start at least min_interval_ms apart. */
static void
rate_wait(struct cloud_http *h)
{
	long now = now_ms(), gap;

	if (h->min_interval_ms > 0 && h->last_start_ms >= 0) {
		gap = h->last_start_ms + h->min_interval_ms - now;
		if (gap > 0) {
			cloud_http_sleep(h, gap);
			h->budget.paced_ms += gap;
			now += gap;
		}
	}
	h->last_start_ms = now;
}

/* What one attempt of req came to, on the log. */
static void
log_attempt(const struct cloud_http_req *req, const char *path, int attempt,
    enum sb_status st, const struct cloud_http_resp *resp,
    const struct sb_error *terr)
{
	if (st == SB_OK)
		log_info("http.request where=%s method=%s path=%s "
			 "status=%ld ms=%ld request_id=%s "
			 "client_request_id=%s attempt=%d",
		    req->where, req->method, path, resp->status,
		    resp->duration_ms,
		    resp->request_id[0] ? resp->request_id : "-",
		    resp->client_request_id, attempt + 1);
	else
		log_info("http.request where=%s method=%s path=%s "
			 "result=%s ms=%ld client_request_id=%s attempt=%d "
			 "error=\"%s\"",
		    req->where, req->method, path, sb_status_name(st),
		    resp->duration_ms, resp->client_request_id, attempt + 1,
		    terr->text);
}

/* Counts an attempt against the cycle's budget; said when it is spent. */
static enum sb_status
budget_attempt(struct cloud_http *h, const char *where, struct sb_error *err)
{
	enum sb_status st;

	st = cloud_budget_request(&h->budget, where, err);
	if (st != SB_OK)
		log_warn("cloud.budget where=%s requests=%lu max_requests=%lu "
			 "result=spent",
		    where, h->budget.requests, h->budget.max_requests);
	return st;
}

/* A request's start: its client-request-id, its first attempt counted. */
static enum sb_status
request_begin(struct cloud_http *h, const struct cloud_http_req *req,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	enum sb_status st;

	st = cloud_http_uuid(resp->client_request_id, err);
	return st == SB_OK ? budget_attempt(h, req->where, err) : st;
}

/* An attempt's start, at the pace: a clean response and error; its time. */
static long
attempt_begin(struct cloud_http *h, const struct cloud_http_req *req,
    struct cloud_http_resp *resp, struct sb_error *terr)
{
	rate_wait(h);
	cloud_httpmsg_reset(resp, req->body_max);
	memset(terr, 0, sizeof(*terr));
	return now_ms();
}

/* One attempt of req: sent, timed, logged; the transport's status. */
static enum sb_status
attempt_once(struct cloud_http *h, const struct cloud_http_req *req,
    const char *path, int attempt, struct cloud_http_resp *resp,
    struct sb_error *terr)
{
	enum sb_status st;
	long t0;

	t0 = attempt_begin(h, req, resp, terr);
	st = h->transport(h->transport_arg, req, resp->client_request_id, resp,
	    terr);
	resp->duration_ms = now_ms() - t0;
	resp->attempts = attempt + 1;
	log_attempt(req, path, attempt, st, resp, terr);
	return st;
}

/*
 * After attempt number attempt of req came to st (terr its error): the
 * retries it calls for, within the limits; the request's outcome.
 */
static enum sb_status
request_rest(struct cloud_http *h, const struct cloud_http_req *req,
    const char *path, int attempt, enum sb_status st,
    struct cloud_http_resp *resp, struct sb_error *terr, struct sb_error *err)
{
	long wait;
	int again;

	for (;; attempt++) {
		if (attempt > 0) {
			st = budget_attempt(h, req->where, err);
			if (st != SB_OK)
				return st;
			st = attempt_once(h, req, path, attempt, resp, terr);
		}
		again = st == SB_OK ? cloud_httpretry_wanted(resp) :
		    st == SB_RETRY;
		if (st == SB_OK && again)
			h->budget.throttled++;
		if (!again || attempt >= h->max_retries)
			break;
		wait = cloud_http_backoff_ms(attempt,
		    st == SB_OK ? resp->retry_after : -1, h->max_wait_s,
		    cloud_http_random());
		if (wait < 0) {
			log_warn("http.throttled where=%s path=%s status=%ld "
			    "retry_after=%ld max_wait=%ld result=gave_up",
			    req->where, path, resp->status, resp->retry_after,
			    h->max_wait_s);
			break;
		}
		log_info("http.retry where=%s method=%s path=%s %s%ld "
			 "wait_ms=%ld attempt=%d client_request_id=%s",
		    req->where, req->method, path,
		    st == SB_OK ? "status=" : "curl=",
		    st == SB_OK ? resp->status : (long)terr->code, wait,
		    attempt + 1, resp->client_request_id);
		if (cloud_http_retry_wait(h, req->where, wait, err) != SB_OK)
			return SB_RETRY;
	}
	if (st == SB_RETRY)
		sb_fail(err, st, terr->code, req->where,
		    "%s %s: %s; gave up "
		    "after %d attempts (client-request-id %s)",
		    req->method, path, terr->text, attempt + 1,
		    resp->client_request_id);
	else if (st != SB_OK)
		sb_fail(err, st, terr->code, req->where, "%s %s: %s",
		    req->method, path, terr->text);
	return st;
}

enum sb_status
cloud_http_request(struct cloud_http *h, const struct cloud_http_req *req,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	struct sb_error terr;
	char path[256];
	enum sb_status st;

	st = request_begin(h, req, resp, err);
	if (st != SB_OK)
		return st;
	cloud_http_url_path(req->url, path, sizeof(path));
	st = attempt_once(h, req, path, 0, resp, &terr);
	return request_rest(h, req, path, 0, st, resp, &terr, err);
}

/* One first attempt of cloud_http_request_many, on a thread of its own. */
struct flight {
	struct cloud_httpcurl *curl;
	const struct cloud_http_req *req;
	struct cloud_http_resp *resp;
	struct sb_error terr;
	enum sb_status st;
	long t0;
	int ready; /* sent (or to be sent) */
	pthread_t thread;
	int threaded;
};

static void *
fly(void *arg)
{
	struct flight *f = arg;

	f->st = cloud_httpcurl_perform(f->curl, f->req,
	    f->resp->client_request_id, f->resp, &f->terr);
	f->resp->duration_ms = now_ms() - f->t0;
	return NULL;
}

/* The pool's handles, made on first use; SB_OK when all are there. */
static enum sb_status
pool_ready(struct cloud_http *h, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; st == SB_OK && i < CLOUD_HTTP_PARALLEL; i++)
		if (h->pool[i] == NULL)
			st = cloud_httpcurl_clone(h->curl, &h->pool[i], err);
	return st;
}

/* Up to CLOUD_HTTP_PARALLEL requests: first attempts side by side. */
static void
request_wave(struct cloud_http *h, const struct cloud_http_req *reqs,
    struct cloud_http_resp *resps, enum sb_status *sts, struct sb_error *errs,
    size_t m)
{
	struct flight fl[CLOUD_HTTP_PARALLEL];
	char path[256];
	size_t k;

	memset(fl, 0, sizeof(fl));
	for (k = 0; k < m; k++) {
		sts[k] = request_begin(h, &reqs[k], &resps[k], &errs[k]);
		if (sts[k] != SB_OK)
			continue;
		fl[k] = (struct flight){ .curl = h->pool[k],
			.req = &reqs[k],
			.resp = &resps[k],
			.ready = 1 };
		fl[k].t0 = attempt_begin(h, &reqs[k], &resps[k], &fl[k].terr);
		/* No thread to be had: this one goes now, in ours. */
		fl[k].threaded = pthread_create(&fl[k].thread, NULL, fly,
				     &fl[k]) == 0;
		if (!fl[k].threaded)
			fly(&fl[k]);
	}
	for (k = 0; k < m; k++)
		if (fl[k].threaded)
			pthread_join(fl[k].thread, NULL);
	for (k = 0; k < m; k++) {
		if (!fl[k].ready)
			continue;
		cloud_http_url_path(reqs[k].url, path, sizeof(path));
		resps[k].attempts = 1;
		log_attempt(&reqs[k], path, 0, fl[k].st, &resps[k],
		    &fl[k].terr);
		sts[k] = request_rest(h, &reqs[k], path, 0, fl[k].st, &resps[k],
		    &fl[k].terr, &errs[k]);
	}
}

void
cloud_http_request_many(struct cloud_http *h, const struct cloud_http_req *reqs,
    struct cloud_http_resp *resps, enum sb_status *sts, struct sb_error *errs,
    size_t n)
{
	size_t i, m;

	if (n < 2 || h->transport != cloud_httpcurl_perform ||
	    pool_ready(h, &errs[0]) != SB_OK) {
		for (i = 0; i < n; i++)
			sts[i] = cloud_http_request(h, &reqs[i], &resps[i],
			    &errs[i]);
		return;
	}
	for (i = 0; i < n; i += m) {
		m = n - i < CLOUD_HTTP_PARALLEL ? n - i : CLOUD_HTTP_PARALLEL;
		request_wave(h, reqs + i, resps + i, sts + i, errs + i, m);
	}
}
