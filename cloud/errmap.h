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

/* What cloud_errmap_reply() knows of the reply besides status and body. */
struct cloud_errreply {
	int		 refreshed;	/* the 401 came after one token refresh */
	int		 invalid_token;	/* WWW-Authenticate: error="invalid_token" */
	const char	*content_type;	/* or NULL */
	/* ours, sent with the request: named beside the request-id */
	const char *client_request_id; /* or NULL */
};

/* What a 401 is about: only a token problem is helped by a new token. */
enum cloud_401 {
	CLOUD_401_OTHER = 0,	/* neither said: no refresh, a person looks */
	CLOUD_401_TOKEN,	/* InvalidAuthenticationToken, invalid_token */
	CLOUD_401_RIGHTS,	/* "not allowed to call <cmdlet>": no role */
};

/*
 * Reads a 401's body (and whether WWW-Authenticate said invalid_token).
 * Exchange Online answers an app without an Exchange role with
 * {"error":{"code":"Unauthorized","message":"User is not allowed to call
 * Get-Mailbox",...}}: CLOUD_401_RIGHTS, and the cmdlet's name into cmdlet
 * (may be NULL).  The body wins over the header: the rights are missing
 * whatever the token.
 */
enum cloud_401	cloud_errmap_401(const char *body, size_t len,
		    int invalid_token, char *cmdlet, size_t cmdletsz);

/*
 * The reason an error body gives, as a person should read it, into out:
 * Exchange's error.details[].message after its last '|' (its code and
 * exception type go first), else error.innererror.message, else
 * error.message (a leading "|type|" taken off), else OAuth's
 * error_description; a body that is not JSON: its text, unless it is HTML.
 * The exception type (last dotted part) goes into type ("" if none).
 */
void		cloud_errmap_reason(const char *body, size_t len, char *out,
		    size_t outsz, char *type, size_t typesz);

/* The status an HTTP status alone calls for (style.md section 3). */
enum sb_status	cloud_errmap_status(long http_status);

/*
 * Fills err from a non-2xx response: status by cloud_errmap_status(), text
 * "GET /v1.0/users: HTTP 403 Authorization_RequestDenied: <reason>
 * [<exception>] (request-id <id>, client-request-id <id>); <hint>" (the
 * client-request-id when r gives one), the reason as
 * cloud_errmap_reason() reads it.  request_id is the response header (may
 * be NULL: the body's innerError.request-id is used then).  A 401 about
 * rights (cloud_errmap_401) stops with the fix: an Exchange role for the
 * app.  Throttling in plain text is SB_RETRY whatever the status.  Returns
 * the status.
 */
enum sb_status	cloud_errmap(const struct cloud_errctx *x, long http_status,
		    const char *body, size_t len, const char *request_id,
		    struct sb_error *err);
/* The same, told more of the reply (r may be NULL: nothing more). */
enum sb_status	cloud_errmap_reply(const struct cloud_errctx *x,
		    const struct cloud_errreply *r, long http_status,
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
