/*
 * OAuth 2.0 client-credentials tokens from the Microsoft identity platform:
 * one per audience (Graph, Exchange Online), requested with the client
 * secret.  Tokens are secrets: wiped on free, never logged.
 */
#ifndef SB_CLOUD_TOKEN_H
#define SB_CLOUD_TOKEN_H

#include <stddef.h>

#include "mapping/core.h"
#include "http.h"

/* Fixed resource identifiers: the URLs in the config only say where to send. */
#define CLOUD_TOKEN_SCOPE_GRAPH	"https://graph.microsoft.com/.default"
#define CLOUD_TOKEN_SCOPE_EXO	"https://outlook.office365.com/.default"
/* Token endpoint reply; access tokens are a few kB. */
#define CLOUD_TOKEN_BODY_MAX	((size_t)256 * 1024)
#define CLOUD_TOKEN_MAX		((size_t)64 * 1024)
/* Renew at this share (per cent) of expires_in. */
#define CLOUD_TOKEN_RENEW_PCT	80

enum cloud_audience {
	CLOUD_AUD_GRAPH = 0,
	CLOUD_AUD_EXO,
	CLOUD_AUD_COUNT
};

struct cloud_token {
	char	*access;	/* the token: wiped by cloud_token_free */
	size_t	 len;
	long	 expires_in;	/* seconds, as granted */
	long	 renew_at_ms;	/* monotonic milliseconds */
};

const char	*cloud_token_scope(enum cloud_audience aud);
const char	*cloud_token_audience_name(enum cloud_audience aud);

/*
 * The form body of a token request, every value URL-encoded, into b (which
 * the caller wipes with sb_buf_free: it holds the secret).
 */
enum sb_status	cloud_token_form(struct sb_buf *b, const char *client_id,
		    const char *scope, const struct sb_bytes *secret,
		    struct sb_error *err);

/*
 * Parses the token endpoint's reply.  200: the token, to renew at
 * CLOUD_TOKEN_RENEW_PCT % of expires_in after now_ms.  An OAuth error:
 * SB_STOP (SB_RETRY for 429, 5xx, temporarily_unavailable) with
 * "token for <scope>: HTTP 401 invalid_client: AADSTS7000215: ...".
 * Any token in body is wiped from the parsed copy.
 */
enum sb_status	cloud_token_parse(long http_status, const char *body,
		    size_t len, const char *scope, long now_ms,
		    struct cloud_token *out, struct sb_error *err);

/* POST {login_url}/{tenant}/oauth2/v2.0/token for aud. */
enum sb_status	cloud_token_fetch(struct cloud_http *h, const char *login_url,
		    const char *tenant, const char *client_id,
		    const struct sb_bytes *secret, enum cloud_audience aud,
		    struct cloud_token *out, struct sb_error *err);

/* 1 while now_ms is before the renewal time. */
int		cloud_token_fresh(const struct cloud_token *t, long now_ms);
long		cloud_token_now_ms(void);
/* Wipes and frees the token; t itself is the caller's. */
void		cloud_token_free(struct cloud_token *t);

/* Replaces every occurrence of secret in text with "[secret]". */
void		cloud_token_redact(char *text, size_t textsz,
		    const struct sb_bytes *secret);

#endif
