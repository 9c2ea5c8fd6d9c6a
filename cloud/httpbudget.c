/* The cloud budget of one cycle: requests and throttling waits, counted. */
#include <stdio.h>
#include <string.h>

#include "cloud/httpbudget.h"

void
cloud_budget_init(struct cloud_budget *b, unsigned long max_requests,
    long max_wait_s)
{
	memset(b, 0, sizeof(*b));
	b->max_requests = max_requests > 0 ? max_requests :
					     CLOUD_CYCLE_REQUESTS_MAX;
	b->max_wait_ms = (max_wait_s > 0 ? max_wait_s :
					   CLOUD_CYCLE_WAIT_MAX_S) *
	    1000;
}

/* The counter of where; past CLOUD_BUDGET_WHERE_MAX names, the last one's. */
static struct cloud_budget_where *
slot(struct cloud_budget *b, const char *where)
{
	struct cloud_budget_where *w;
	size_t i;

	if (where == NULL || where[0] == '\0')
		where = "other";
	for (i = 0; i < b->nwhere; i++)
		if (strcmp(b->by_where[i].where, where) == 0)
			return &b->by_where[i];
	if (b->nwhere == CLOUD_BUDGET_WHERE_MAX) {
		w = &b->by_where[CLOUD_BUDGET_WHERE_MAX - 1];
		snprintf(w->where, sizeof(w->where), "other");
		return w;
	}
	w = &b->by_where[b->nwhere++];
	snprintf(w->where, sizeof(w->where), "%s", where);
	return w;
}

enum sb_status
cloud_budget_request(struct cloud_budget *b, const char *where,
    struct sb_error *err)
{
	if (b->requests >= b->max_requests)
		return sb_fail(err, SB_RETRY, 0, "cloud.budget",
		    "%s: the "
		    "cloud request budget of this run is spent: %lu requests "
		    "sent, at most %lu per run (CLOUD_CYCLE_REQUESTS_MAX); "
		    "stopped before sending more",
		    where ? where : "cloud", b->requests, b->max_requests);
	b->requests++;
	slot(b, where)->requests++;
	return SB_OK;
}

enum sb_status
cloud_budget_wait(struct cloud_budget *b, const char *where, long wait_ms,
    struct sb_error *err)
{
	if (wait_ms < 0)
		wait_ms = 0;
	if (wait_ms > b->max_wait_ms - b->waited_ms)
		return sb_fail(err, SB_RETRY, 429, "cloud.budget",
		    "%s: the "
		    "throttling budget of this run is spent: waited %ld s "
		    "for throttled requests, and %ld s more would pass the "
		    "%ld s a run may wait (CLOUD_CYCLE_WAIT_MAX_S); stopped "
		    "after %lu requests (%lu retries, %lu throttled): run "
		    "later, or less often",
		    where ? where : "cloud", b->waited_ms / 1000,
		    (wait_ms + 999) / 1000, b->max_wait_ms / 1000, b->requests,
		    b->retries, b->throttled);
	b->waited_ms += wait_ms;
	b->retries++;
	return SB_OK;
}

void
cloud_budget_format(const struct cloud_budget *b, char *out, size_t outsz)
{
	size_t i, used;
	int n;

	if (outsz == 0)
		return;
	n = snprintf(out, outsz,
	    "requests=%lu retries=%lu throttled=%lu "
	    "waited_ms=%ld paced_ms=%ld max_requests=%lu max_wait_s=%ld",
	    b->requests, b->retries, b->throttled, b->waited_ms, b->paced_ms,
	    b->max_requests, b->max_wait_ms / 1000);
	used = n < 0 ? 0 : (size_t)n;
	for (i = 0; i < b->nwhere && used < outsz; i++) {
		n = snprintf(out + used, outsz - used, " %s=%lu",
		    b->by_where[i].where, b->by_where[i].requests);
		if (n < 0 || (size_t)n >= outsz - used) {
			out[used] = '\0'; /* whole pairs only */
			break;
		}
		used += (size_t)n;
	}
}
