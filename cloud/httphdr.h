/*
 * The response headers the HTTP client acts on: Retry-After (throttling),
 * WWW-Authenticate (a token the service no longer takes), request-id,
 * Content-Type and Location.  Pure but for curl's date parser; public for
 * unit tests through cloud/http.h.
 */
#ifndef SB_CLOUD_HTTPHDR_H
#define SB_CLOUD_HTTPHDR_H

#include <stddef.h>
#include <time.h>

/*
 * Retry-After is read whole (leading zeros and all) and saturates here: a
 * day is far past CLOUD_HTTP_WAIT_MAX_S, so it still means "give up", and
 * no arithmetic on it can overflow.
 */
#define CLOUD_HTTP_RETRY_AFTER_MAX	86400L

/*
 * Retry-After: delta-seconds (any number of digits, saturating at
 * CLOUD_HTTP_RETRY_AFTER_MAX; a fraction such as "1.5" rounded up to whole
 * seconds: never less than asked) or an HTTP date; -1 if absent or
 * unreadable.
 * The _n form reads len bytes of v, which need no NUL.
 */
long		cloud_http_parse_retry_after(const char *v, time_t now);
long		cloud_http_parse_retry_after_n(const char *v, size_t len,
		    time_t now);
/*
 * curl's header callback: one header line (no NUL needed) of a reply into
 * the resp that arg points at (Retry-After, WWW-Authenticate, request-id,
 * Content-Type, Location).  Public for unit tests.
 */
size_t		cloud_http_header_cb(char *p, size_t size, size_t n,
		    void *arg);
/* 1 when a WWW-Authenticate value carries error="invalid_token". */
int		cloud_http_auth_invalid_token(const char *v, size_t len);

/*
 * 1 when needle (lower case) occurs in len bytes of hay, ASCII letters
 * compared case-insensitively: header values and plain-text bodies need
 * no NUL.
 */
int		cloud_httphdr_has_ci(const char *hay, size_t len,
		    const char *needle);

#endif
