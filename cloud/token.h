/*
 * OAuth 2.0 client-credentials tokens from the Microsoft identity platform:
 * one per audience (Graph, Exchange Online), requested with the client
 * secret or a client assertion signed with the app's certificate key
 * (assertion.h), in Microsoft's global cloud or a national one.  Tokens are
 * secrets: wiped on free, never logged.
 */
#ifndef SB_CLOUD_TOKEN_H
#define SB_CLOUD_TOKEN_H

#include <stddef.h>

#include "mapping/core.h"
#include "http.h"

/*
 * The global cloud's resource identifiers.  A token's audience comes from
 * cloud.environment only: login_url, graph_url and exchange_url say where
 * requests go, never which resource a token is for.
 */
#define CLOUD_TOKEN_SCOPE_GRAPH	"https://graph.microsoft.com/.default"
#define CLOUD_TOKEN_SCOPE_EXO	"https://outlook.office365.com/.default"
/*
 * The longest lifetime believed: tokens live about an hour, and an
 * unbounded expires_in ({"expires_in":11529215046068470}) would overflow
 * the renewal time.  A longer one is renewed after a day anyway.
 */
#define CLOUD_TOKEN_EXPIRES_MAX	86400L
/* Token endpoint reply; access tokens are a few kB. */
#define CLOUD_TOKEN_BODY_MAX	((size_t)256 * 1024)
#define CLOUD_TOKEN_MAX		((size_t)64 * 1024)
/* Renew at this share (per cent) of expires_in, */
#define CLOUD_TOKEN_RENEW_PCT	80
/* and at least this long before it expires, when expires_in allows. */
#define CLOUD_TOKEN_RENEW_LEAD_S 300

enum cloud_audience {
	CLOUD_AUD_GRAPH = 0,
	CLOUD_AUD_EXO,
	CLOUD_AUD_COUNT
};

/*
 * One of Microsoft's clouds (cloud.environment): where its identity
 * platform, Graph and Exchange Online live, and the resources tokens are
 * asked for.  Sources (README, "National clouds"):
 * https://learn.microsoft.com/graph/deployments (login and Graph hosts) and
 * Microsoft 365's endpoint lists for GCC High, DoD and 21Vianet (Exchange).
 */
struct cloud_env {
	const char	*name;		/* "global", "usgov", "usgov-dod", "china" */
	const char	*login_url;
	const char	*graph_url;
	const char	*exchange_url;
	const char	*graph_scope;	/* "<Graph resource>/.default" */
	const char	*exo_scope;	/* "<Exchange resource>/.default" */
};

/* The cloud named name (NULL or "": global), or NULL if there is none. */
const struct cloud_env *cloud_token_env(const char *name);
/* "global, usgov, usgov-dod, china": for messages. */
const char	*cloud_token_env_names(void);

struct cloud_token {
	char	*access;	/* the token: wiped by cloud_token_free */
	size_t	 len;
	long	 expires_in;	/* seconds, as granted */
	long	 renew_at_ms;	/* monotonic milliseconds */
};

/* The global cloud's scope of aud; cloud_token_env_scope for another. */
const char	*cloud_token_scope(enum cloud_audience aud);
const char	*cloud_token_env_scope(const struct cloud_env *env,
		    enum cloud_audience aud);
const char	*cloud_token_audience_name(enum cloud_audience aud);

/*
 * The form body of a token request, every value URL-encoded, into b (which
 * the caller wipes with sb_buf_free: it holds the secret).
 */
enum sb_status	cloud_token_form(struct sb_buf *b, const char *client_id,
		    const char *scope, const struct sb_bytes *secret,
		    struct sb_error *err);
/*
 * The same with client_assertion_type (jwt-bearer) and client_assertion in
 * place of client_secret; b holds the assertion: the caller wipes it.
 */
enum sb_status
cloud_token_form_assertion(struct sb_buf *b, const char *client_id,
    const char *scope, const struct sb_bytes *assertion, struct sb_error *err);

struct cloud_assertion_key;

/*
 * How the app proves who it is: the client secret, or the certificate key
 * a fresh client assertion is signed with for each request.  Exactly one
 * is set; both borrowed.
 */
struct cloud_cred {
	const struct sb_bytes *secret;
	const struct cloud_assertion_key *cert;
};

/*
 * Parses the token endpoint's reply.  200: the token, to renew at
 * CLOUD_TOKEN_RENEW_PCT % of expires_in (at most CLOUD_TOKEN_EXPIRES_MAX)
 * after now_ms, and CLOUD_TOKEN_RENEW_LEAD_S before it expires if that
 * comes first.  An OAuth error:
 * SB_STOP (SB_RETRY for 429, 5xx, temporarily_unavailable) with
 * "token for <scope>: HTTP 401 invalid_client: AADSTS7000215: ...".
 * Any token in body is wiped from the parsed copy.
 */
enum sb_status	cloud_token_parse(long http_status, const char *body,
		    size_t len, const char *scope, long now_ms,
		    struct cloud_token *out, struct sb_error *err);

/* POST {login_url}/{tenant}/oauth2/v2.0/token for scope (aud: for logs). */
enum sb_status cloud_token_fetch(struct cloud_http *h, const char *login_url,
    const char *tenant, const char *client_id, const struct cloud_cred *cred,
    const char *scope, enum cloud_audience aud, struct cloud_token *out,
    struct sb_error *err);

/* 1 while now_ms is before the renewal time. */
int		cloud_token_fresh(const struct cloud_token *t, long now_ms);
long		cloud_token_now_ms(void);
/* Wipes and frees the token; t itself is the caller's. */
void		cloud_token_free(struct cloud_token *t);

/* Replaces every occurrence of secret in text with "[secret]". */
void		cloud_token_redact(char *text, size_t textsz,
		    const struct sb_bytes *secret);

#endif
