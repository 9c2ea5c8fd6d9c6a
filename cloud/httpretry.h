/*
 * When the HTTP client retries and how long it waits: which replies are
 * throttling (429, 503, 504, or throttling said in plain text), and the
 * backoff before each retry (Retry-After honoured, else exponential with
 * jitter).  Public for unit tests through cloud/http.h.
 */
#ifndef SB_CLOUD_HTTPRETRY_H
#define SB_CLOUD_HTTPRETRY_H

#include <stddef.h>

/* Retries of one request after 429/503/504 or a transport error. */
#define CLOUD_HTTP_RETRIES_MAX	5
/* Longest wait before a retry; a longer Retry-After ends the retries. */
#define CLOUD_HTTP_WAIT_MAX_S	120
/* Backoff without Retry-After: 1 s, 2 s, 4 s ... with jitter. */
#define CLOUD_HTTP_BACKOFF_MS	1000

struct cloud_http_resp;

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
/* Random bits for jitter (OpenSSL's generator). */
unsigned int	cloud_http_random(void);

/* 1 when the reply r asks to be sent again: 429, 503, 504, throttled_text. */
int		cloud_httpretry_wanted(const struct cloud_http_resp *r);

#endif
