/* Retry policy: which replies are throttling, and the wait before a retry. */
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "cloud/httphdr.h"
#include "cloud/httpmsg.h"
#include "cloud/httpretry.h"

unsigned int
cloud_http_random(void)
{
	struct timespec ts;
	unsigned int r = 0;

	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1) {
		/* No entropy: the clock still spreads clients a little. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (unsigned int)((long)ts.tv_sec * 1000 +
		    ts.tv_nsec / 1000000);
	}
	return r;
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
	if (content_type != NULL && cloud_httphdr_has_ci(content_type,
	    strlen(content_type), "json"))
		return 0;
	for (i = 0; i < len && (body[i] == ' ' || body[i] == '\t' ||
	    body[i] == '\r' || body[i] == '\n'); i++)
		;
	if (i < len && (body[i] == '{' || body[i] == '['))
		return 0;	/* JSON after all: its error code decides */
	if (len > 4096)
		len = 4096;	/* a plain-text reason is short */
	for (i = 0; i < sizeof(said) / sizeof(said[0]); i++)
		if (cloud_httphdr_has_ci(body, len, said[i]))
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

/* 429, 503, 504, and throttling said in plain text (Exchange Online). */
int
cloud_httpretry_wanted(const struct cloud_http_resp *r)
{
	return r->status == 429 || r->status == 503 || r->status == 504 ||
	    cloud_http_throttled_text(r->status, r->content_type, r->body.p,
	    r->body.len);
}
