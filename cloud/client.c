/* The cloud connection: parameters, tokens per audience, authorised calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/log.h"
#include "assertion.h"
#include "client.h"
#include "errmap.h"

struct cloud_client {
	struct cloud_http	*http;
	const struct cloud_env	*env;		/* static */
	char			*login_url;
	char			*graph_url;
	char			*exchange_url;
	char			*tenant_id;
	char			*client_id;
	struct sb_bytes		 secret;	/* wiped in cloud_close */
	struct cloud_assertion_key *cert; /* or the certificate key */
	struct cloud_token	 tok[CLOUD_AUD_COUNT];
	unsigned long		 token_fetches[CLOUD_AUD_COUNT];
	unsigned long		 refreshes_401;
};

/*
 * A copy of url (NULL or "": def, the environment's) without trailing
 * slashes; https only (tokens travel).
 */
static enum sb_status
copy_url(const char *key, const char *url, const char *def, char **out,
    struct sb_error *err)
{
	size_t n;

	if (url == NULL || url[0] == '\0')
		url = def;
	if (url == NULL || strncasecmp(url, "https://", 8) != 0 ||
	    url[8] == '\0' || url[8] == '/')
		return sb_fail(err, SB_CONFIG, 0, "cloud.open",
		    "%s must be an https:// URL", key);
	if (strlen(url) > 1024 || strpbrk(url, "?# \t\r\n") != NULL)
		return sb_fail(err, SB_CONFIG, 0, "cloud.open",
		    "%s must be a plain https:// URL (no query, no spaces)",
		    key);
	n = strlen(url);
	while (n > 8 && url[n - 1] == '/')
		n--;
	*out = strndup(url, n);
	if (*out == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "cloud.open",
		    "out of memory");
	return SB_OK;
}

/* Tenant and client ids go into URLs and headers: GUIDs or domain names. */
static enum sb_status
copy_id(const char *key, const char *v, char **out, struct sb_error *err)
{
	size_t i;

	if (v == NULL || v[0] == '\0' || strlen(v) > 255)
		return sb_fail(err, SB_CONFIG, 0, "cloud.open",
		    "%s is missing", key);
	for (i = 0; v[i] != '\0'; i++) {
		char ch = v[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
			return sb_fail(err, SB_CONFIG, 0, "cloud.open",
			    "%s must be a GUID or a domain name", key);
	}
	*out = strdup(v);
	if (*out == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "cloud.open",
		    "out of memory");
	return SB_OK;
}

/* The secret, or the certificate and its key: one of them, not both. */
static enum sb_status
copy_credential(const struct cloud_params *p, struct cloud_client *c,
    struct sb_error *err)
{
	int has_secret = p->client_secret != NULL && p->client_secret->len > 0;

	if (p->certificate_file != NULL && p->certificate_file[0] != '\0') {
		if (has_secret)
			return sb_fail(err, SB_CONFIG, 0, "cloud.open",
			    "give a client secret or a certificate, not both");
		return cloud_assertion_load(p->certificate_file, p->private_key,
		    &c->cert, err);
	}
	if (!has_secret)
		return sb_fail(err, SB_CONFIG, 0, "cloud.open",
		    "the client secret is empty");
	return sb_bytes_copy(&c->secret, p->client_secret->p,
	    p->client_secret->len, err);
}

enum sb_status
cloud_open(const struct cloud_params *p, struct cloud_client **out,
    struct sb_error *err)
{
	struct cloud_client *c;
	enum sb_status st;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "cloud.open",
		    "out of memory");
		goto done;
	}
	c->env = cloud_token_env(p->environment);
	if (c->env == NULL) {
		st = sb_fail(err, SB_CONFIG, 0, "cloud.open", "environment "
		    "'%.64s' is not one of %s", p->environment,
		    cloud_token_env_names());
		goto done;
	}
	st = copy_url("login_url", p->login_url, c->env->login_url,
	    &c->login_url, err);
	if (st == SB_OK)
		st = copy_url("graph_url", p->graph_url, c->env->graph_url,
		    &c->graph_url, err);
	if (st == SB_OK)
		st = copy_url("exchange_url", p->exchange_url,
		    c->env->exchange_url, &c->exchange_url, err);
	if (st == SB_OK)
		st = copy_id("tenant_id", p->tenant_id, &c->tenant_id, err);
	if (st == SB_OK)
		st = copy_id("client_id", p->client_id, &c->client_id, err);
	if (st != SB_OK)
		goto done;
	st = copy_credential(p, c, err);
	if (st != SB_OK)
		goto done;
	st = cloud_http_new(p->ca_file, p->timeout_s, &c->http, err);
	if (st != SB_OK)
		goto done;
	*out = c;
	c = NULL;
done:
	cloud_close(c);
	return st;
}

void
cloud_close(struct cloud_client *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < CLOUD_AUD_COUNT; i++)
		cloud_token_free(&c->tok[i]);
	if (c->secret.p != NULL)
		explicit_bzero(c->secret.p, c->secret.len);
	sb_bytes_free(&c->secret);
	cloud_assertion_free(c->cert);
	cloud_http_free(c->http);
	free(c->login_url);
	free(c->graph_url);
	free(c->exchange_url);
	free(c->tenant_id);
	free(c->client_id);
	free(c);
}

void
cloud_client_set_sleep(struct cloud_client *c, cloud_sleep_fn fn, void *arg)
{
	cloud_http_set_sleep(c->http, fn, arg);
}

void
cloud_client_set_transport(struct cloud_client *c, cloud_transport_fn fn,
    void *arg)
{
	cloud_http_set_transport(c->http, fn, arg);
}

void
cloud_client_set_rate(struct cloud_client *c, int per_second)
{
	cloud_http_set_rate(c->http, per_second);
}

void
cloud_client_set_retries(struct cloud_client *c, int max_retries,
    int max_wait_s)
{
	cloud_http_set_retries(c->http, max_retries, max_wait_s);
}

void
cloud_client_set_budget(struct cloud_client *c, unsigned long max_requests,
    long max_wait_s)
{
	cloud_http_set_budget(c->http, max_requests, max_wait_s);
}

void
cloud_client_log_budget(const struct cloud_client *c)
{
	char line[768];

	if (c == NULL)
		return;
	cloud_budget_format(cloud_http_budget(c->http), line, sizeof(line));
	log_info("cloud.budget %s token_fetches=%lu token_refreshes_401=%lu",
	    line,
	    c->token_fetches[CLOUD_AUD_GRAPH] + c->token_fetches[CLOUD_AUD_EXO],
	    c->refreshes_401);
}

void
cloud_client_stats(const struct cloud_client *c, struct cloud_stats *out)
{
	const struct cloud_budget *b = cloud_http_budget(c->http);
	int i;

	memset(out, 0, sizeof(*out));
	cloud_http_counts(c->http, &out->attempts, &out->retries);
	out->throttled = b->throttled;
	out->waited_ms = b->waited_ms;
	for (i = 0; i < CLOUD_AUD_COUNT; i++)
		out->token_fetches[i] = c->token_fetches[i];
	out->token_refreshes_401 = c->refreshes_401;
}

const char *
cloud_client_graph_url(const struct cloud_client *c)
{
	return c->graph_url;
}

const char *
cloud_client_exchange_url(const struct cloud_client *c)
{
	return c->exchange_url;
}

const char *
cloud_client_tenant(const struct cloud_client *c)
{
	return c->tenant_id;
}

const struct cloud_env *
cloud_client_env(const struct cloud_client *c)
{
	return c->env;
}

struct cloud_http *
cloud_client_http(struct cloud_client *c)
{
	return c->http;
}

enum sb_status
cloud_client_token(struct cloud_client *c, enum cloud_audience aud, int force,
    const char **out, struct sb_error *err)
{
	struct cloud_token *t = &c->tok[aud];
	struct cloud_cred cred = { NULL, NULL };
	enum sb_status st;

	if (!force && cloud_token_fresh(t, cloud_token_now_ms())) {
		*out = t->access;
		return SB_OK;
	}
	cloud_token_free(t);
	c->token_fetches[aud]++;
	if (c->cert != NULL)
		cred.cert = c->cert;
	else
		cred.secret = &c->secret;
	st = cloud_token_fetch(c->http, c->login_url, c->tenant_id,
	    c->client_id, &cred, cloud_token_env_scope(c->env, aud), aud, t,
	    err);
	if (st != SB_OK)
		return st;
	*out = t->access;
	return SB_OK;
}

/* Who a client's tokens are for: "env\nlogin\ntenant\nclient\nkind". */
static char *
token_key(const struct cloud_client *c)
{
	size_t n = strlen(c->env->name) + strlen(c->login_url) +
	    strlen(c->tenant_id) + strlen(c->client_id) + 16;
	char *k = malloc(n);

	if (k != NULL)
		snprintf(k, n, "%s\n%s\n%s\n%s\n%s", c->env->name, c->login_url,
		    c->tenant_id, c->client_id,
		    c->cert != NULL ? "certificate" : "secret");
	return k;
}

void
cloud_token_keep_free(struct cloud_token_keep *k)
{
	int i;

	if (k == NULL)
		return;
	for (i = 0; i < CLOUD_AUD_COUNT; i++)
		cloud_token_free(&k->tok[i]);
	free(k->key);
	k->key = NULL;
}

void
cloud_client_tokens_restore(struct cloud_client *c, struct cloud_token_keep *k)
{
	char *key = token_key(c);
	int i;

	/* Another app, tenant or cloud since a reload: not these tokens. */
	if (key != NULL && k->key != NULL && strcmp(key, k->key) == 0)
		for (i = 0; i < CLOUD_AUD_COUNT; i++) {
			if (c->tok[i].access != NULL)
				continue;
			c->tok[i] = k->tok[i];
			memset(&k->tok[i], 0, sizeof(k->tok[i]));
		}
	free(key);
	cloud_token_keep_free(k);
}

void
cloud_client_tokens_keep(struct cloud_client *c, struct cloud_token_keep *k)
{
	int i;

	cloud_token_keep_free(k);
	if ((k->key = token_key(c)) == NULL)
		return; /* out of memory: the next cycle asks again */
	for (i = 0; i < CLOUD_AUD_COUNT; i++) {
		k->tok[i] = c->tok[i];
		memset(&c->tok[i], 0, sizeof(c->tok[i]));
	}
}

enum sb_status
cloud_check_tokens(struct cloud_client *c, struct sb_error *err)
{
	const char *tok;
	enum sb_status st;

	st = cloud_client_token(c, CLOUD_AUD_GRAPH, 0, &tok, err);
	if (st == SB_OK)
		st = cloud_client_token(c, CLOUD_AUD_EXO, 0, &tok, err);
	return st;
}

/* The HTTP request of call, with the token tok. */
static void
call_request(const struct cloud_call *call, const char *tok,
    struct cloud_http_req *req)
{
	memset(req, 0, sizeof(*req));
	req->method = call->method;
	req->url = call->url;
	req->content_type = call->content_type;
	req->body = call->body;
	req->body_len = call->body_len;
	req->headers = call->headers;
	req->body_max = call->body_max;
	req->where = call->where;
	req->bearer = tok;
}

/*
 * A 401 a new token may help: expired, revoked or for another audience.
 * One about rights (Exchange without a role) is not helped by a new token.
 */
static int
token_401(const struct cloud_http_resp *resp)
{
	return resp->status == 401 &&
	    cloud_errmap_401(resp->body.p, resp->body.len, resp->invalid_token,
		NULL, 0) == CLOUD_401_TOKEN;
}

/* A token renewed because call's was refused: logged and counted. */
static void
note_refresh(struct cloud_client *c, const struct cloud_call *call)
{
	log_info("token.refresh audience=%s reason=http_401 where=%s",
	    cloud_token_audience_name(call->aud), call->where);
	c->refreshes_401++;
}

/* A 2xx is SB_OK; any other status mapped to what it means, for call. */
static enum sb_status
call_outcome(const struct cloud_call *call, const struct cloud_http_resp *resp,
    int refreshed, struct sb_error *err)
{
	struct cloud_errctx x = { 0 };
	struct cloud_errreply r = { 0 };
	char path[256];

	if (resp->status >= 200 && resp->status < 300)
		return SB_OK;
	cloud_http_url_path(call->url, path, sizeof(path));
	x.where = call->where;
	x.method = call->method;
	x.endpoint = path;
	x.permission = call->permission;
	x.object_id = call->object_id;
	r.refreshed = refreshed;
	r.invalid_token = resp->invalid_token;
	r.content_type = resp->content_type;
	r.client_request_id = resp->client_request_id;
	return cloud_errmap_reply(&x, &r, resp->status, resp->body.p,
	    resp->body.len, resp->request_id, err);
}

enum sb_status
cloud_client_call(struct cloud_client *c, const struct cloud_call *call,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	struct cloud_http_req req;
	const char *tok;
	enum sb_status st;
	int refreshed = 0;

	for (;;) {
		st = cloud_client_token(c, call->aud, refreshed, &tok, err);
		if (st != SB_OK)
			return st;
		call_request(call, tok, &req);
		st = cloud_http_request(c->http, &req, resp, err);
		if (st != SB_OK)
			return st;
		/* Renew once. */
		if (refreshed || !token_401(resp))
			break;
		note_refresh(c, call);
		refreshed = 1;
	}
	return call_outcome(call, resp, refreshed, err);
}

/* A 401 of a call sent side by side: one new token for all of them. */
static enum sb_status
renew(struct cloud_client *c, const struct cloud_call *call, int *renewed,
    struct sb_error *err)
{
	const char *tok;

	if (*renewed)
		return SB_OK;
	*renewed = 1;
	note_refresh(c, call);
	return cloud_client_token(c, call->aud, 1, &tok, err);
}

void
cloud_client_call_many(struct cloud_client *c, const struct cloud_call *calls,
    struct cloud_http_resp *resps, enum sb_status *sts, struct sb_error *errs,
    size_t n)
{
	struct cloud_http_req reqs[CLOUD_HTTP_PARALLEL];
	const char *tok;
	size_t i, j, k, m;
	int renewed = 0;

	for (i = 0; i < n; i += m) {
		m = n - i < CLOUD_HTTP_PARALLEL ? n - i : CLOUD_HTTP_PARALLEL;
		for (k = 0; k < m; k++) {
			sts[i + k] = cloud_client_token(c, calls[i + k].aud, 0,
			    &tok, &errs[i + k]);
			if (sts[i + k] != SB_OK)
				break;
			call_request(&calls[i + k], tok, &reqs[k]);
		}
		if (k < m) {
			/* No token: nothing more is sent; each call says why. */
			for (j = i + k + 1; j < n; j++) {
				sts[j] = sts[i + k];
				errs[j] = errs[i + k];
			}
			return;
		}
		cloud_http_request_many(c->http, reqs, resps + i, sts + i,
		    errs + i, m);
		for (k = 0; k < m; k++) {
			if (sts[i + k] != SB_OK)
				continue;
			/* The token died meanwhile: a new one, then again. */
			if (token_401(&resps[i + k])) {
				sts[i + k] = renew(c, &calls[i + k], &renewed,
				    &errs[i + k]);
				if (sts[i + k] == SB_OK)
					sts[i + k] = cloud_client_call(c,
					    &calls[i + k], &resps[i + k],
					    &errs[i + k]);
				continue;
			}
			sts[i + k] = call_outcome(&calls[i + k], &resps[i + k],
			    0, &errs[i + k]);
		}
	}
}
