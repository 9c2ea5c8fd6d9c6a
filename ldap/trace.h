/*
 * Log lines of ldap/: the info line each LDAP operation leaves (op, dn,
 * result, duration).  The quoting and redaction ldap/ uses for its values
 * live in mapping/quote.h, so that agent/store/ can share them; the
 * ad_trace_ names below forward to it.
 */
#ifndef AD_TRACE_H
#define AD_TRACE_H

#include <stddef.h>

#include "mapping/core.h"
#include "mapping/quote.h"

#define AD_TRACE_QBUF		MAP_QUOTE_BUF

/* map_quote(), map_quote_str(), map_quote_is_secret(). */
const char	*ad_trace_quote(char *buf, size_t n, const void *p, size_t len);
const char	*ad_trace_qstr(char *buf, size_t n, const char *s);
int		ad_trace_is_secret(const char *attr);
/* Milliseconds on the monotonic clock. */
long long	ad_trace_now_ms(void);
/*
 * At info level (-v): "ad.op op=OP dn="DN" EXTRA result=ok ms=N" (or
 * "result=stop rc=49").  err is read only when st is not SB_OK; extra may
 * be NULL.
 */
void		ad_trace_op(const char *op, const char *dn, const char *extra,
		    enum sb_status st, const struct sb_error *err,
		    long long start_ms);

#endif
