/* The info line of each LDAP operation; the quoting is mapping/quote.c's. */
#include <time.h>

#include "mapping/log.h"
#include "ldap/trace.h"
#include "mapping/quote.h"

const char *
ad_trace_quote(char *buf, size_t n, const void *p, size_t len)
{
	return map_quote(buf, n, p, len);
}

const char *
ad_trace_qstr(char *buf, size_t n, const char *s)
{
	return map_quote_str(buf, n, s);
}

int
ad_trace_is_secret(const char *attr)
{
	return map_quote_is_secret(attr);
}

long long
ad_trace_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
ad_trace_op(const char *op, const char *dn, const char *extra,
    enum sb_status st, const struct sb_error *err, long long start_ms)
{
	char qdn[AD_TRACE_QBUF];
	long long ms;

	if (!log_enabled(LOG_LVL_INFO))
		return;
	ms = ad_trace_now_ms() - start_ms;
	ad_trace_qstr(qdn, sizeof(qdn), dn);
	if (st == SB_OK)
		log_info("ad.op op=%s dn=%s%s%s result=ok ms=%lld", op, qdn,
		    extra ? " " : "", extra ? extra : "", ms);
	else
		log_info("ad.op op=%s dn=%s%s%s result=%s rc=%d ms=%lld", op,
		    qdn, extra ? " " : "", extra ? extra : "",
		    sb_status_name(st), err ? err->code : 0, ms);
}
