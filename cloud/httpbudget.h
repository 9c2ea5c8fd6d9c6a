/*
 * The cloud budget of one cycle: how many requests it may send and how long
 * it may wait for throttled ones, and what it spent (requests per endpoint,
 * retries, throttled replies, time waited) for the cycle's log line.  One
 * cloud_client serves one cycle, so its HTTP handle holds one of these.
 * Pure: no clock, no I/O.  Public for unit tests through cloud/http.h.
 */
#ifndef SB_CLOUD_HTTPBUDGET_H
#define SB_CLOUD_HTTPBUDGET_H

#include <stddef.h>

#include "mapping/core.h"

/*
 * Requests of one cycle, retries and token requests included.  A tenant of
 * 100,000 users and 10,000 groups reads in some 20,000 requests; a cycle
 * that needs five times that is stuck in a loop of replies, not reading.
 */
#define CLOUD_CYCLE_REQUESTS_MAX 100000UL
/*
 * Seconds one cycle may wait in all for throttled requests (Retry-After and
 * backoff together), on top of each request's own cap (CLOUD_HTTP_RETRIES_MAX
 * retries, each at most CLOUD_HTTP_WAIT_MAX_S).  Half an hour: a tenant that
 * throttles longer is better read by the next run than waited for.
 */
#define CLOUD_CYCLE_WAIT_MAX_S 1800L
/* Endpoints counted apart ("graph.users", "exo.mailboxes", "token", ...). */
#define CLOUD_BUDGET_WHERE_MAX 16

struct cloud_budget_where {
	char where[24]; /* sb_error.where of the requests */
	unsigned long requests;
};

struct cloud_budget {
	unsigned long max_requests;
	long max_wait_ms;
	unsigned long requests; /* attempts sent, retries included */
	unsigned long retries; /* requests and $batch items sent again */
	unsigned long throttled; /* 429, 503, 504, throttling in text */
	long waited_ms; /* before retries */
	long paced_ms; /* by the request-rate cap */
	size_t nwhere;
	struct cloud_budget_where by_where[CLOUD_BUDGET_WHERE_MAX];
};

/* The defaults above; max_requests 0 or max_wait_s <= 0: the default. */
void cloud_budget_init(struct cloud_budget *b, unsigned long max_requests,
    long max_wait_s);
/*
 * Counts one attempt of a request about to be sent for where; SB_RETRY
 * (sb_error.where "cloud.budget", naming the budget) when the cycle has
 * sent max_requests already: nothing is sent.
 */
enum sb_status cloud_budget_request(struct cloud_budget *b, const char *where,
    struct sb_error *err);
/*
 * Counts a wait of wait_ms before a retry for where; SB_RETRY naming the
 * budget when it would take the cycle's waits past max_wait_ms: then
 * nothing is counted and the caller must not wait or retry.
 */
enum sb_status cloud_budget_wait(struct cloud_budget *b, const char *where,
    long wait_ms, struct sb_error *err);
/*
 * "requests=57 retries=12 throttled=14 waited_ms=15234 paced_ms=800
 * max_requests=100000 max_wait_s=1800 graph.users=3 graph.soa=9 ..." into
 * out (cut to fit, never past outsz).
 */
void cloud_budget_format(const struct cloud_budget *b, char *out, size_t outsz);

#endif
