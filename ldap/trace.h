/*
 * Log lines of ldap/: values quoted and escaped for key=value logs, binary
 * shown as hex, password-like attributes redacted, and the info line each
 * LDAP operation leaves (op, dn, result, duration).
 */
#ifndef AD_TRACE_H
#define AD_TRACE_H

#include <stddef.h>

#include "mapping/core.h"

#define AD_TRACE_QBUF		512	/* a quoted token; longer is cut with "..." */

/*
 * Writes the value into buf (n bytes, at least 16) as one log token and
 * returns buf: "text" with \" \\ and \xNN for control bytes when the value
 * is UTF-8 text, else 0x<hex>.  Too long for buf: cut, ending in "...".
 */
const char	*ad_trace_quote(char *buf, size_t n, const void *p, size_t len);
/* The same for a C string; NULL gives "-". */
const char	*ad_trace_qstr(char *buf, size_t n, const char *s);
/* 1 for attributes whose values must never be logged (unicodePwd, ...). */
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
