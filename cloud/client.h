/*
 * The cloud connection: endpoints, credentials, the token cache and the HTTP
 * handle.  cloud_open/cloud_close/cloud_check_tokens are for agent/; the rest
 * serves graph.c, exo.c, the tests and tests/cloud-probe.
 */
#ifndef SB_CLOUD_CLIENT_H
#define SB_CLOUD_CLIENT_H

#include <stddef.h>

#include "mapping/core.h"
#include "http.h"
#include "token.h"

/*
 * Borrowed for the duration of cloud_open(); the client keeps copies.
 * environment picks the hosts and the token audiences (token.h); a URL
 * given here only changes where requests go, never what a token is for.
 */
struct cloud_params {
	const char		*environment;	/* NULL, "": "global" */
	const char		*login_url;	/* NULL, "": the environment's */
	const char		*graph_url;	/* NULL, "": the environment's */
	const char		*exchange_url;	/* NULL, "": the environment's */
	const char		*tenant_id;
	const char		*client_id;
	const struct sb_bytes	*client_secret;
	/* In place of client_secret: NULL, "": no certificate. */
	const char *certificate_file; /* PEM */
	const struct sb_bytes *private_key; /* PEM, the certificate's */
	const char		*ca_file;	/* NULL, "": system store */
	int			 timeout_s;	/* <= 0: CLOUD_HTTP_TIMEOUT_S */
};

struct cloud_client;

/*
 * Checks the parameters (a known environment, https URLs, a tenant and
 * client id, a secret or a certificate with its key, not both: SB_CONFIG
 * otherwise) and prepares the client.  No network.  The client copies the
 * secret and wipes the copy in cloud_close(); a certificate and its key are
 * loaded here (cloud_assertion_load: a key that is not the certificate's is
 * refused now), and private_key may be wiped once this returns.
 */
enum sb_status	cloud_open(const struct cloud_params *p,
		    struct cloud_client **out, struct sb_error *err);
void		cloud_close(struct cloud_client *c);

/* Gets (or reuses) the Graph and the Exchange Online token. */
enum sb_status	cloud_check_tokens(struct cloud_client *c,
		    struct sb_error *err);

/* Tuning and test seams, passed to the HTTP layer (see http.h). */
void		cloud_client_set_sleep(struct cloud_client *c,
		    cloud_sleep_fn fn, void *arg);
void		cloud_client_set_transport(struct cloud_client *c,
		    cloud_transport_fn fn, void *arg);
void		cloud_client_set_rate(struct cloud_client *c, int per_second);
void		cloud_client_set_retries(struct cloud_client *c,
		    int max_retries, int max_wait_s);

/*
 * The budget of the cycle this client serves (cloud/httpbudget.h): at most
 * max_requests requests and max_wait_s seconds of throttling waits; 0 keeps
 * CLOUD_CYCLE_REQUESTS_MAX, CLOUD_CYCLE_WAIT_MAX_S.  Past it every request
 * fails with SB_RETRY, its message naming the budget.
 */
void cloud_client_set_budget(struct cloud_client *c, unsigned long max_requests,
    long max_wait_s);

struct cloud_stats {
	unsigned long	attempts;	/* requests sent, retries included */
	unsigned long retries; /* requests and $batch items again */
	unsigned long throttled; /* replies and items 429, 503, 504 */
	long waited_ms; /* before retries */
	unsigned long	token_fetches[CLOUD_AUD_COUNT];
	unsigned long	token_refreshes_401;
};
void		cloud_client_stats(const struct cloud_client *c,
		    struct cloud_stats *out);
/*
 * Logs what the cycle spent, at info, as one line: "cloud.budget
 * requests=... retries=... throttled=... waited_ms=... <where>=<requests>
 * ... token_fetches=... token_refreshes_401=...".  c may be NULL: nothing.
 */
void cloud_client_log_budget(const struct cloud_client *c);

/*
 * Tokens kept between cycles: the service opens a client per cycle, and a
 * token lives an hour, so it hands them from one client to the next
 * instead of asking the identity platform every cycle.  They stay what
 * they are: secrets (wiped on free, never logged), renewed when due.
 */
struct cloud_token_keep {
	char			*key;	/* the app, tenant and cloud they are for */
	struct cloud_token	 tok[CLOUD_AUD_COUNT];
};
/*
 * Moves k's tokens into c, which has none yet, when they were got for the
 * same cloud, login_url, tenant, client id and kind of credential; else
 * drops them.
 */
void	cloud_client_tokens_restore(struct cloud_client *c,
	    struct cloud_token_keep *k);
/* Moves c's tokens into k (before cloud_close). */
void	cloud_client_tokens_keep(struct cloud_client *c,
	    struct cloud_token_keep *k);
void	cloud_token_keep_free(struct cloud_token_keep *k);

/* For cloud/ itself. */

const char	*cloud_client_graph_url(const struct cloud_client *c);
const char	*cloud_client_exchange_url(const struct cloud_client *c);
const char	*cloud_client_tenant(const struct cloud_client *c);
const struct cloud_env *cloud_client_env(const struct cloud_client *c);
struct cloud_http *cloud_client_http(struct cloud_client *c);

/* One authenticated request; every pointer borrowed. */
struct cloud_call {
	enum cloud_audience	 aud;
	const char		*method;
	const char		*url;
	const char		*content_type;
	const char		*body;
	size_t			 body_len;
	/* extra "Name: value" lines, NULL-terminated; NULL: none */
	const char *const	*headers;
	size_t			 body_max;	/* 0: CLOUD_HTTP_BODY_MAX */
	const char		*where;		/* "graph.users" */
	const char		*permission;	/* for the 403 hint */
	const char		*object_id;	/* for messages */
};

/*
 * Sends call with the audience's token (fetched or renewed as needed).  A
 * 401 about the token (Graph's InvalidAuthenticationToken, or
 * WWW-Authenticate error="invalid_token") renews it once and sends again;
 * any other 401 (Exchange's "not allowed to call Get-Mailbox": rights, not
 * the token) is answered at once.  SB_OK only for a 2xx reply, in resp
 * (initialised by the caller, freed by the caller); otherwise the status and
 * message of cloud_errmap().
 */
enum sb_status	cloud_client_call(struct cloud_client *c,
		    const struct cloud_call *call, struct cloud_http_resp *resp,
		    struct sb_error *err);

/*
 * The n calls as cloud_client_call would send each, CLOUD_HTTP_PARALLEL at
 * a time (cloud_http_request_many); sts[i], resps[i] (initialised) and
 * errs[i] are call i's.  A call whose token is refused is sent again alone
 * with a new one.
 */
void		cloud_client_call_many(struct cloud_client *c,
		    const struct cloud_call *calls,
		    struct cloud_http_resp *resps, enum sb_status *sts,
		    struct sb_error *errs, size_t n);

/* The token of aud, fetched if missing or due (force: always); borrowed. */
enum sb_status	cloud_client_token(struct cloud_client *c,
		    enum cloud_audience aud, int force, const char **out,
		    struct sb_error *err);

#endif
