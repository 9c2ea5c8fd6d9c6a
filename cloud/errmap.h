/*
 * HTTP status plus a Graph, Exchange Online error body -> enum sb_status and
 * a message that quotes the service's own code, message and request-id.
 * The one place in cloud/ that chooses a status for an HTTP failure.
 */
#ifndef SB_CLOUD_ERRMAP_H
#define SB_CLOUD_ERRMAP_H

#include <stddef.h>

#include "mapping/core.h"

/* Longest part of the service's message quoted in sb_error.text. */
#define CLOUD_ERRMAP_MSG_MAX	200

/* What failed: every field is borrowed and may be NULL except where. */
struct cloud_errctx {
	const char	*where;		/* "graph.users": sb_error.where */
	const char	*method;	/* "GET" */
	const char	*endpoint;	/* "/v1.0/users": never a query */
	const char	*permission;	/* named in the hint of a 403 */
	const char	*object_id;	/* the one object a request was about */
};

/* The status an HTTP status alone calls for (style.md section 3). */
enum sb_status	cloud_errmap_status(long http_status);

/*
 * Fills err from a non-2xx response: status by cloud_errmap_status(), text
 * "GET /v1.0/users: HTTP 403 Authorization_RequestDenied: <message>
 * (request-id <id>); <hint>".  request_id is the response header (may be
 * NULL: the body's innerError.request-id is used then).  Returns the status.
 */
enum sb_status	cloud_errmap(const struct cloud_errctx *x, long http_status,
		    const char *body, size_t len, const char *request_id,
		    struct sb_error *err);

/*
 * A response that is not what the endpoint promises (not JSON, no "value",
 * wrong types): SB_RETRY with "malformed response from GET /v1.0/users: ...".
 */
enum sb_status	cloud_errmap_malformed(const struct cloud_errctx *x,
		    struct sb_error *err, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));

/* Copies s into out (size outsz) with control characters as spaces, cut at
 * max bytes on a UTF-8 boundary ("..." marks a cut).  For quoting services. */
void		cloud_errmap_quote(char *out, size_t outsz, const char *s,
		    size_t max);

#endif
