/* HTTPS with curl: TLS always verified, capped bodies, retries, a rate cap. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/rand.h>

#include "mapping/log.h"
#include "http.h"

struct cloud_http {
	CURL			*curl;
	char			*ca_file;
	long			 timeout_s;
	int			 max_retries;
	long			 max_wait_s;
	long			 min_interval_ms;
	long			 last_start_ms;	/* monotonic; -1: none yet */
	cloud_sleep_fn		 sleep_fn;
	void			*sleep_arg;
	cloud_transport_fn	 transport;
	void			*transport_arg;
	unsigned long		 attempts;
	unsigned long		 retries;
	char			 errbuf[CURL_ERROR_SIZE];
};

static enum sb_status curl_transport(void *, const struct cloud_http_req *,
    const char *, struct cloud_http_resp *, struct sb_error *);

static int curl_ready;

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

unsigned int
cloud_http_random(void)
{
	unsigned int r = 0;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		r = (unsigned int)now_ms();
	return r;
}

enum sb_status
cloud_http_new(const char *ca_file, int timeout_s, struct cloud_http **out,
    struct sb_error *err)
{
	struct cloud_http *h = NULL;
	enum sb_status st;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			st = sb_fail(err, SB_BUG, 0, "http", "curl_global_init "
			    "failed");
			goto done;
		}
		curl_ready = 1;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "http", "out of memory");
		goto done;
	}
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		st = sb_fail(err, SB_BUG, 0, "http", "curl_easy_init failed");
		goto done;
	}
	if (ca_file != NULL && ca_file[0] != '\0') {
		/* Said now, not as a TLS failure at the first request. */
		if (access(ca_file, R_OK) != 0) {
			st = sb_fail(err, SB_CONFIG, errno, "http",
			    "ca_file %s: %s", ca_file, strerror(errno));
			goto done;
		}
		h->ca_file = strdup(ca_file);
		if (h->ca_file == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "http",
			    "out of memory");
			goto done;
		}
	}
	h->timeout_s = timeout_s > 0 ? timeout_s : CLOUD_HTTP_TIMEOUT_S;
	h->max_retries = CLOUD_HTTP_RETRIES_MAX;
	h->max_wait_s = CLOUD_HTTP_WAIT_MAX_S;
	h->min_interval_ms = 1000 / CLOUD_HTTP_RATE_DEFAULT;
	h->last_start_ms = -1;
	h->sleep_fn = real_sleep;
	h->transport = curl_transport;
	h->transport_arg = h;
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
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->ca_file);
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
	h->transport = fn ? fn : curl_transport;
	h->transport_arg = fn ? arg : h;
}

void
cloud_http_set_rate(struct cloud_http *h, int per_second)
{
	h->min_interval_ms = per_second > 0 ? 1000 / per_second : 0;
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
	*attempts = h->attempts;
	*retries = h->retries;
}

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

/* Forget the previous attempt (or 1xx block), keep client_request_id. */
static void
resp_reset_headers(struct cloud_http_resp *r)
{
	r->status = 0;
	r->retry_after = -1;
	r->request_id[0] = '\0';
	r->content_type[0] = '\0';
	r->invalid_token = 0;
	free(r->location);
	r->location = NULL;
}

static void
resp_reset(struct cloud_http_resp *r, size_t body_max)
{
	sb_buf_free(&r->body);
	sb_buf_init(&r->body, body_max ? body_max : CLOUD_HTTP_BODY_MAX);
	resp_reset_headers(r);
}

long
cloud_http_parse_retry_after_n(const char *v, size_t len, time_t now)
{
	char date[128];
	size_t i = 0, end;
	long n = 0;
	time_t t;

	if (v == NULL)
		return -1;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	end = len;
	while (end > i && (v[end - 1] == ' ' || v[end - 1] == '\t'))
		end--;
	if (i == end)
		return -1;
	if (v[i] >= '0' && v[i] <= '9') {
		/*
		 * Every digit counts: "000...0001200" is 1200 s, not 0 (a
		 * copy cut at a fixed size read it so).  Past the cap the
		 * value stays at the cap: no overflow, and still "too long".
		 */
		for (; i < end; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -1;
			if (n < CLOUD_HTTP_RETRY_AFTER_MAX)
				n = n * 10 + (v[i] - '0');
			if (n > CLOUD_HTTP_RETRY_AFTER_MAX)
				n = CLOUD_HTTP_RETRY_AFTER_MAX;
		}
		return n;
	}
	/* An HTTP date is 29 bytes; anything far longer is not one. */
	if (end - i >= sizeof(date))
		return -1;
	memcpy(date, v + i, end - i);
	date[end - i] = '\0';
	t = curl_getdate(date, NULL);
	if (t == (time_t)-1)
		return -1;
	if (t <= now)
		return 0;
	return t - now > CLOUD_HTTP_RETRY_AFTER_MAX ?
	    CLOUD_HTTP_RETRY_AFTER_MAX : (long)(t - now);
}

long
cloud_http_parse_retry_after(const char *v, time_t now)
{
	return v == NULL ? -1 : cloud_http_parse_retry_after_n(v, strlen(v),
	    now);
}

/* Case-insensitive search for needle (lower case) in len bytes of hay. */
static int
has_ci(const char *hay, size_t len, const char *needle)
{
	size_t i, k, n = strlen(needle);

	for (i = 0; n > 0 && i + n <= len; i++) {
		for (k = 0; k < n; k++) {
			char ch = hay[i + k];

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			if (ch != needle[k])
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

int
cloud_http_auth_invalid_token(const char *v, size_t len)
{
	/* error="invalid_token", error=invalid_token (RFC 6750 section 3) */
	return v != NULL && (has_ci(v, len, "error=\"invalid_token\"") ||
	    has_ci(v, len, "error=invalid_token"));
}

int
cloud_http_throttled_text(long status, const char *content_type,
    const char *body, size_t len)
{
	static const char *const said[] = { "throttl", "too many requests",
	    "too many concurrent", "concurrency limit", "concurrent request",
	    "rate limit", "server busy", "server is busy",
	    "try again later" };
	size_t i;

	if (status < 400 || body == NULL || len == 0)
		return 0;
	if (content_type != NULL && has_ci(content_type, strlen(content_type),
	    "json"))
		return 0;
	for (i = 0; i < len && (body[i] == ' ' || body[i] == '\t' ||
	    body[i] == '\r' || body[i] == '\n'); i++)
		;
	if (i < len && (body[i] == '{' || body[i] == '['))
		return 0;	/* JSON after all: its error code decides */
	if (len > 4096)
		len = 4096;	/* a plain-text reason is short */
	for (i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (has_ci(body, len, said[i]))
			return 1;
	return 0;
}

long
cloud_http_backoff_ms(int attempt, long retry_after_s, long max_wait_s,
    unsigned int rnd)
{
	long base, cap = max_wait_s * 1000;

	if (retry_after_s >= 0) {
		if (retry_after_s > max_wait_s)
			return -1;
		/* At least what the service asked, plus a little spread. */
		return retry_after_s * 1000 + (long)(rnd % 251);
	}
	base = CLOUD_HTTP_BACKOFF_MS;
	while (attempt-- > 0 && base < cap)
		base *= 2;
	if (base > cap)
		base = cap;
	/* Jitter in the upper half: clients retrying together drift apart. */
	return base / 2 + (long)(rnd % (unsigned long)(base / 2 + 1));
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

/* curl callbacks */

struct body_ctx {
	struct sb_buf	*buf;
	int		 over;	/* the cap was hit */
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct body_ctx *ctx = arg;

	if (sb_buf_append(ctx->buf, p, size * n, NULL) != SB_OK) {
		ctx->over = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	return size * n;
}

static void
copy_value(char *out, size_t outsz, const char *v, size_t n)
{
	if (n >= outsz)
		n = outsz - 1;	/* a request-id longer than 79: log material */
	memcpy(out, v, n);
	out[n] = '\0';
}

size_t
cloud_http_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct cloud_http_resp *r = arg;
	size_t len = size * n, nlen;
	const char *colon, *v, *end;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		resp_reset_headers(r);	/* a new block: 100, then the reply */
		return len;
	}
	colon = memchr(p, ':', len);
	if (colon == NULL)
		return len;
	nlen = (size_t)(colon - p);
	v = colon + 1;
	end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
#define IS(name) (nlen == sizeof(name) - 1 && strncasecmp(p, name, nlen) == 0)
	if (IS("retry-after")) {
		/* read whole, wherever it is: never through a short copy */
		r->retry_after = cloud_http_parse_retry_after_n(v,
		    (size_t)(end - v), time(NULL));
	} else if (IS("www-authenticate")) {
		if (cloud_http_auth_invalid_token(v, (size_t)(end - v)))
			r->invalid_token = 1;
	} else if (IS("request-id")) {
		copy_value(r->request_id, sizeof(r->request_id), v,
		    (size_t)(end - v));
	} else if (IS("content-type")) {
		copy_value(r->content_type, sizeof(r->content_type), v,
		    (size_t)(end - v));
	} else if (IS("location") && (size_t)(end - v) <= CLOUD_HTTP_URL_MAX) {
		free(r->location);
		r->location = strndup(v, (size_t)(end - v));
	}
#undef IS
	return len;
}

/* Wipe every header before freeing: one of them carries the token. */
static void
free_headers(struct curl_slist *list)
{
	struct curl_slist *l;

	for (l = list; l != NULL; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

static enum sb_status
add_header(struct curl_slist **list, const char *line, struct sb_error *err)
{
	struct curl_slist *nl;

	nl = curl_slist_append(*list, line);
	if (nl == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "http", "out of memory");
	*list = nl;
	return SB_OK;
}

static enum sb_status
build_headers(const struct cloud_http_req *req, const char *crid,
    struct curl_slist **out, struct sb_error *err)
{
	struct curl_slist *list = NULL;
	struct sb_buf line;
	enum sb_status st;
	size_t i;

	sb_buf_init(&line, 64 * 1024);
	st = add_header(&list, "Accept: application/json", err);
	if (st == SB_OK)
		st = add_header(&list, "Expect:", err);	/* no 100-continue */
	if (st == SB_OK)
		st = sb_buf_printf(&line, err, "client-request-id: %s", crid);
	if (st == SB_OK)
		st = add_header(&list, line.p, err);
	if (st == SB_OK && req->content_type != NULL) {
		line.len = 0;
		st = sb_buf_printf(&line, err, "Content-Type: %s",
		    req->content_type);
		if (st == SB_OK)
			st = add_header(&list, line.p, err);
	}
	for (i = 0; st == SB_OK && req->headers != NULL &&
	    req->headers[i] != NULL; i++)
		st = add_header(&list, req->headers[i], err);
	if (st == SB_OK && req->bearer != NULL) {
		line.len = 0;
		st = sb_buf_printf(&line, err, "Authorization: Bearer %s",
		    req->bearer);
		if (st == SB_OK)
			st = add_header(&list, line.p, err);
	}
	if (st != SB_OK)
		goto done;
	*out = list;
	list = NULL;
done:
	sb_buf_free(&line);	/* wipes the token copy */
	free_headers(list);
	return st;
}

/* A curl failure: what the caller does next. */
static enum sb_status
curl_status(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
		return SB_RETRY;	/* dropped, reset, timed out */
	case CURLE_PEER_FAILED_VERIFICATION:
		return SB_STOP;		/* never talk to an unverified peer */
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return SB_CONFIG;
	default:
		return SB_BUG;
	}
}

#define SETOPT(opt, val)						\
	do {								\
		if (curl_easy_setopt(h->curl, opt, val) != CURLE_OK) {	\
			st = sb_fail(err, SB_BUG, 0, "http",		\
			    "curl_easy_setopt(%s) failed", #opt);	\
			goto done;					\
		}							\
	} while (0)

static enum sb_status
curl_transport(void *arg, const struct cloud_http_req *req, const char *crid,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	struct cloud_http *h = arg;
	struct curl_slist *headers = NULL;
	struct body_ctx bctx = { &resp->body, 0 };
	enum sb_status st;
	CURLcode rc;
	long code = 0;

	st = build_headers(req, crid, &headers, err);
	if (st != SB_OK)
		goto done;
	/* reset keeps the connection cache: one TLS session for many pages */
	curl_easy_reset(h->curl);
	h->errbuf[0] = '\0';
	SETOPT(CURLOPT_URL, req->url);
	SETOPT(CURLOPT_PROTOCOLS_STR, "https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);	/* never carry a token away */
	SETOPT(CURLOPT_PATH_AS_IS, 1L);		/* nextLink verbatim */
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL)
		SETOPT(CURLOPT_CAINFO, h->ca_file);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_TIMEOUT, h->timeout_s);
	SETOPT(CURLOPT_CONNECTTIMEOUT, (long)CLOUD_HTTP_CONNECT_S);
	SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
	SETOPT(CURLOPT_ACCEPT_ENCODING, "");	/* gzip; the cap counts plain */
	SETOPT(CURLOPT_USERAGENT, "soabridge");
	SETOPT(CURLOPT_ERRORBUFFER, h->errbuf);
	SETOPT(CURLOPT_HTTPHEADER, headers);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, &bctx);
	SETOPT(CURLOPT_HEADERFUNCTION, cloud_http_header_cb);
	SETOPT(CURLOPT_HEADERDATA, resp);
	if (strcmp(req->method, "GET") == 0) {
		SETOPT(CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(req->method, "POST") != 0)
			SETOPT(CURLOPT_CUSTOMREQUEST, req->method);
		SETOPT(CURLOPT_POST, 1L);
		SETOPT(CURLOPT_POSTFIELDS, req->body ? req->body : "");
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body ? req->body_len : 0));
	}
	rc = curl_easy_perform(h->curl);
	if (bctx.over) {
		/* A truncated page must never be parsed: a person must look. */
		st = sb_fail(err, SB_STOP, EMSGSIZE, req->where,
		    "response body exceeds the %zu-byte limit",
		    resp->body.max);
		goto done;
	}
	if (rc != CURLE_OK) {
		st = sb_fail(err, curl_status(rc), (int)rc, req->where,
		    "%s (curl %d)%s", h->errbuf[0] ? h->errbuf :
		    curl_easy_strerror(rc), (int)rc,
		    rc == CURLE_PEER_FAILED_VERIFICATION ||
		    rc == CURLE_SSL_CACERT_BADFILE ?
		    "; check cloud ca_file" : "");
		goto done;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	resp->status = code;
	st = SB_OK;
done:
	/* curl keeps pointers to these until the next reset */
	if (h->curl != NULL) {
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	}
	free_headers(headers);
	return st;
}

#undef SETOPT

/* The global rate cap: requests start at least min_interval_ms apart. */
static void
rate_wait(struct cloud_http *h)
{
	long now = now_ms(), gap;

	if (h->min_interval_ms > 0 && h->last_start_ms >= 0) {
		gap = h->last_start_ms + h->min_interval_ms - now;
		if (gap > 0) {
			cloud_http_sleep(h, gap);
			now += gap;
		}
	}
	h->last_start_ms = now;
}

/* 429, 503, 504, and throttling said in plain text (Exchange Online). */
static int
retryable(const struct cloud_http_resp *r)
{
	return r->status == 429 || r->status == 503 || r->status == 504 ||
	    cloud_http_throttled_text(r->status, r->content_type, r->body.p,
	    r->body.len);
}

enum sb_status
cloud_http_request(struct cloud_http *h, const struct cloud_http_req *req,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	struct sb_error terr;
	char path[256];
	enum sb_status st;
	long t0, wait;
	int attempt, again;

	st = cloud_http_uuid(resp->client_request_id, err);
	if (st != SB_OK)
		return st;
	cloud_http_url_path(req->url, path, sizeof(path));
	for (attempt = 0;; attempt++) {
		rate_wait(h);
		resp_reset(resp, req->body_max);
		memset(&terr, 0, sizeof(terr));
		t0 = now_ms();
		st = h->transport(h->transport_arg, req,
		    resp->client_request_id, resp, &terr);
		resp->duration_ms = now_ms() - t0;
		resp->attempts = attempt + 1;
		h->attempts++;
		if (st == SB_OK)
			log_info("http.request where=%s method=%s path=%s "
			    "status=%ld ms=%ld request_id=%s "
			    "client_request_id=%s attempt=%d", req->where,
			    req->method, path, resp->status, resp->duration_ms,
			    resp->request_id[0] ? resp->request_id : "-",
			    resp->client_request_id, attempt + 1);
		else
			log_info("http.request where=%s method=%s path=%s "
			    "result=%s ms=%ld client_request_id=%s attempt=%d "
			    "error=\"%s\"", req->where, req->method, path,
			    sb_status_name(st), resp->duration_ms,
			    resp->client_request_id, attempt + 1, terr.text);
		again = st == SB_OK ? retryable(resp) :
		    st == SB_RETRY;
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
		    "wait_ms=%ld attempt=%d", req->where, req->method, path,
		    st == SB_OK ? "status=" : "curl=",
		    st == SB_OK ? resp->status : (long)terr.code, wait,
		    attempt + 1);
		h->retries++;
		cloud_http_sleep(h, wait);
	}
	if (st == SB_RETRY)
		sb_fail(err, st, terr.code, req->where, "%s %s: %s; gave up "
		    "after %d attempts", req->method, path, terr.text,
		    attempt + 1);
	else if (st != SB_OK)
		sb_fail(err, st, terr.code, req->where, "%s %s: %s",
		    req->method, path, terr.text);
	return st;
}
