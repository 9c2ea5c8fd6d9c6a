/* Client-credentials tokens per audience: request, parse, renew, wipe. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "mapping/log.h"
#include "assertion.h"
#include "errmap.h"
#include "token.h"

/*
 * Hosts: https://learn.microsoft.com/graph/deployments (identity platform
 * and Graph per national cloud); Exchange Online:
 * https://learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-gcc-high-endpoints
 * (outlook.office365.us), .../microsoft-365-u-s-government-dod-endpoints
 * (webmail.apps.mil) and
 * https://learn.microsoft.com/previous-versions/office/office-365-api/api/o365-china-endpoints
 * (partner.outlook.cn); they are the resources Connect-ExchangeOnline
 * -ExchangeEnvironmentName O365USGovGCCHigh, O365USGovDoD and O365China
 * sign in to.  GCC (not High) tenants live in the global cloud.
 */
static const struct cloud_env envs[] = {
	{ "global", "https://login.microsoftonline.com",
	    "https://graph.microsoft.com", "https://outlook.office365.com",
	    "https://graph.microsoft.com/.default",
	    "https://outlook.office365.com/.default" },
	{ "usgov", "https://login.microsoftonline.us",
	    "https://graph.microsoft.us", "https://outlook.office365.us",
	    "https://graph.microsoft.us/.default",
	    "https://outlook.office365.us/.default" },
	{ "usgov-dod", "https://login.microsoftonline.us",
	    "https://dod-graph.microsoft.us", "https://webmail.apps.mil",
	    "https://dod-graph.microsoft.us/.default",
	    "https://webmail.apps.mil/.default" },
	{ "china", "https://login.chinacloudapi.cn",
	    "https://microsoftgraph.chinacloudapi.cn",
	    "https://partner.outlook.cn",
	    "https://microsoftgraph.chinacloudapi.cn/.default",
	    "https://partner.outlook.cn/.default" },
};

const struct cloud_env *
cloud_token_env(const char *name)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return &envs[0];
	for (i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
		if (strcmp(envs[i].name, name) == 0)
			return &envs[i];
	return NULL;
}

const char *
cloud_token_env_names(void)
{
	return "global, usgov, usgov-dod, china";
}

const char *
cloud_token_env_scope(const struct cloud_env *env, enum cloud_audience aud)
{
	if (env == NULL)
		env = &envs[0];
	return aud == CLOUD_AUD_EXO ? env->exo_scope : env->graph_scope;
}

const char *
cloud_token_scope(enum cloud_audience aud)
{
	return cloud_token_env_scope(&envs[0], aud);
}

const char *
cloud_token_audience_name(enum cloud_audience aud)
{
	return aud == CLOUD_AUD_EXO ? "exchange" : "graph";
}

long
cloud_token_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Milliseconds after its grant to renew a token of exp seconds: at
 * CLOUD_TOKEN_RENEW_PCT % of its life, and no later than
 * CLOUD_TOKEN_RENEW_LEAD_S before it expires (clients count a token with
 * less than 5 minutes left as expired), when its life allows both.
 */
static long
renew_after_ms(long exp)
{
	long pct = exp * 10 * CLOUD_TOKEN_RENEW_PCT;
	long lead = (exp - CLOUD_TOKEN_RENEW_LEAD_S) * 1000;

	return lead > 0 && lead < pct ? lead : pct;
}

int
cloud_token_fresh(const struct cloud_token *t, long now_ms)
{
	return t->access != NULL && now_ms < t->renew_at_ms;
}

void
cloud_token_free(struct cloud_token *t)
{
	if (t == NULL)
		return;
	if (t->access != NULL) {
		explicit_bzero(t->access, t->len);
		free(t->access);
	}
	memset(t, 0, sizeof(*t));
}

/* application/x-www-form-urlencoded: unreserved bytes as they are. */
static enum sb_status
form_value(struct sb_buf *b, const unsigned char *p, size_t len,
    struct sb_error *err)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3];
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; st == SB_OK && i < len; i++) {
		unsigned char ch = p[i];

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~') {
			st = sb_buf_append(b, &ch, 1, err);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[ch >> 4];
		enc[2] = hex[ch & 0x0f];
		st = sb_buf_append(b, enc, 3, err);
	}
	explicit_bzero(enc, sizeof(enc));
	return st;
}

/* grant_type, client_id and scope: what both credentials send. */
static enum sb_status
form_head(struct sb_buf *b, const char *client_id, const char *scope,
    struct sb_error *err)
{
	enum sb_status st;

	st = sb_buf_append(b, "grant_type=client_credentials&client_id=", 40,
	    err);
	if (st == SB_OK)
		st = form_value(b, (const unsigned char *)client_id,
		    strlen(client_id), err);
	if (st == SB_OK)
		st = sb_buf_append(b, "&scope=", 7, err);
	if (st == SB_OK)
		st = form_value(b, (const unsigned char *)scope, strlen(scope),
		    err);
	return st;
}

enum sb_status
cloud_token_form(struct sb_buf *b, const char *client_id, const char *scope,
    const struct sb_bytes *secret, struct sb_error *err)
{
	enum sb_status st;

	st = form_head(b, client_id, scope, err);
	if (st == SB_OK)
		st = sb_buf_append(b, "&client_secret=", 15, err);
	if (st == SB_OK)
		st = form_value(b, secret->p, secret->len, err);
	return st;
}

enum sb_status
cloud_token_form_assertion(struct sb_buf *b, const char *client_id,
    const char *scope, const struct sb_bytes *assertion, struct sb_error *err)
{
	static const char type[] = "&client_assertion_type="
				   "urn%3Aietf%3Aparams%3Aoauth%3A"
				   "client-assertion-type%3Ajwt-bearer";
	enum sb_status st;

	st = form_head(b, client_id, scope, err);
	if (st == SB_OK)
		st = sb_buf_append(b, type, sizeof(type) - 1, err);
	if (st == SB_OK)
		st = sb_buf_append(b, "&client_assertion=", 18, err);
	if (st == SB_OK)
		st = form_value(b, assertion->p, assertion->len, err);
	return st;
}

/*
 * expires_in is a number in v2 replies, a string in some v1-style ones.
 * -1 when unreadable or not positive; capped at CLOUD_TOKEN_EXPIRES_MAX
 * before any arithmetic (the renewal time is computed from it).
 */
static long
expires_in(json_t *v)
{
	const char *s;
	char *end;
	long long n;

	if (json_is_integer(v)) {
		n = (long long)json_integer_value(v);
	} else {
		s = json_string_value(v);
		if (s == NULL)
			return -1;
		errno = 0;
		n = strtoll(s, &end, 10);
		if (end == s || *end != '\0' || (errno != 0 && errno != ERANGE))
			return -1;
		/* ERANGE: LLONG_MAX or LLONG_MIN, capped or refused below */
	}
	if (n <= 0)
		return -1;
	return n > CLOUD_TOKEN_EXPIRES_MAX ? CLOUD_TOKEN_EXPIRES_MAX : (long)n;
}

static enum sb_status
parse_error(long http_status, json_t *root, const char *scope,
    struct sb_error *err)
{
	const char *error, *desc;
	json_t *codes;
	char qerr[80], first[256], qdesc[280], prefix[48];
	enum sb_status st;

	error = json_string_value(json_object_get(root, "error"));
	desc = json_string_value(json_object_get(root, "error_description"));
	codes = json_object_get(root, "error_codes");
	cloud_errmap_quote(qerr, sizeof(qerr), error, 64);
	/*
	 * The description ends in "\r\nTrace ID: ...\r\nCorrelation ID: ...":
	 * log material, not a reason.  Keep what comes before.
	 */
	first[0] = '\0';
	if (desc != NULL) {
		size_t n = strcspn(desc, "\r\n");
		const char *trace = strstr(desc, "Trace ID:");

		if (trace != NULL && (size_t)(trace - desc) < n)
			n = (size_t)(trace - desc);
		while (n > 0 && desc[n - 1] == ' ')
			n--;
		/* one byte more than quoted, so a cut still shows "..." */
		if (n > sizeof(first) - 1)
			n = sizeof(first) - 1;
		memcpy(first, desc, n);
		first[n] = '\0';
	}
	cloud_errmap_quote(qdesc, sizeof(qdesc), first, 250);
	prefix[0] = '\0';
	if (strstr(qdesc, "AADSTS") == NULL && json_is_array(codes) &&
	    json_is_integer(json_array_get(codes, 0)))
		snprintf(prefix, sizeof(prefix), "AADSTS%" JSON_INTEGER_FORMAT
		    ": ", json_integer_value(json_array_get(codes, 0)));
	if (http_status == 429 || http_status >= 500 ||
	    (error != NULL && strcmp(error, "temporarily_unavailable") == 0))
		st = SB_RETRY;
	else
		st = SB_STOP;	/* wrong secret, app or tenant: a person acts */
	return sb_fail(err, st, (int)http_status, "token",
	    "token for %s: HTTP %ld %s: %s%s", scope, http_status,
	    qerr[0] ? qerr : "(no error code)", prefix,
	    qdesc[0] ? qdesc : "(no description)");
}

enum sb_status
cloud_token_parse(long http_status, const char *body, size_t len,
    const char *scope, long now_ms, struct cloud_token *out,
    struct sb_error *err)
{
	struct cloud_token tok = { 0 };
	json_t *root = NULL, *access = NULL;
	const char *type;
	enum sb_status st;
	long exp;

	root = body != NULL && len > 0 ? json_loadb(body, len, 0, NULL) : NULL;
	if (!json_is_object(root)) {
		st = sb_fail(err, http_status == 429 || http_status >= 500 ?
		    SB_RETRY : SB_STOP, (int)http_status, "token",
		    "token for %s: HTTP %ld with a reply that is not a JSON "
		    "object: is login_url the identity platform?", scope,
		    http_status);
		goto done;
	}
	if (http_status != 200) {
		st = parse_error(http_status, root, scope, err);
		goto done;
	}
	access = json_object_get(root, "access_token");
	type = json_string_value(json_object_get(root, "token_type"));
	exp = expires_in(json_object_get(root, "expires_in"));
	if (!json_is_string(access) || json_string_length(access) == 0 ||
	    json_string_length(access) > CLOUD_TOKEN_MAX || exp <= 0 ||
	    (type != NULL && strcasecmp(type, "Bearer") != 0)) {
		st = sb_fail(err, SB_RETRY, 200, "token", "token for %s: "
		    "malformed reply: need a Bearer access_token and a "
		    "positive expires_in", scope);
		goto done;
	}
	tok.len = json_string_length(access);
	tok.access = malloc(tok.len + 1);
	if (tok.access == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "token", "out of memory");
		goto done;
	}
	memcpy(tok.access, json_string_value(access), tok.len + 1);
	tok.expires_in = exp;
	tok.renew_at_ms = now_ms + renew_after_ms(exp);
	*out = tok;
	tok = (struct cloud_token){ 0 };
	st = SB_OK;
done:
	/* jansson frees without wiping: wipe its copy of the token first. */
	if (json_is_string(access))
		explicit_bzero((char *)json_string_value(access),
		    json_string_length(access));
	json_decref(root);
	cloud_token_free(&tok);
	return st;
}

/* memmem() is a GNU extension; -D_DEFAULT_SOURCE does not declare it. */
static char *
find_bytes(char *hay, size_t hlen, const unsigned char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; nlen > 0 && i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

void
cloud_token_redact(char *text, size_t textsz, const struct sb_bytes *secret)
{
	static const char mark[] = "[secret]";
	const size_t mlen = sizeof(mark) - 1;
	size_t tlen, pos = 0, off, rest;
	char *hit;

	if (secret == NULL || secret->len == 0 || textsz == 0)
		return;
	tlen = strnlen(text, textsz - 1);
	text[tlen] = '\0';
	while (pos < tlen && (hit = find_bytes(text + pos, tlen - pos,
	    secret->p, secret->len)) != NULL) {
		off = (size_t)(hit - text);
		if (off + mlen > textsz - 1) {
			text[off] = '\0';	/* no room for the mark: cut */
			return;
		}
		rest = tlen - off - secret->len;
		if (off + mlen + rest > textsz - 1)
			rest = textsz - 1 - off - mlen;
		memmove(text + off + mlen, hit + secret->len, rest);
		memcpy(text + off, mark, mlen);
		tlen = off + mlen + rest;
		text[tlen] = '\0';
		pos = off + mlen;	/* never rescan the mark itself */
	}
}

/*
 * The form for cred.  A certificate gets a fresh assertion each time (its
 * jti must not repeat, and it lives ten minutes); *assertion keeps a view
 * of it in jwt so that error text can be cleaned of it.
 */
static enum sb_status
token_form(struct sb_buf *form, struct sb_buf *jwt, const char *url,
    const char *client_id, const struct cloud_cred *cred, const char *scope,
    struct sb_bytes *assertion, struct sb_error *err)
{
	enum sb_status st;

	if (cred->cert == NULL)
		return cloud_token_form(form, client_id, scope, cred->secret,
		    err);
	st = cloud_assertion_build(cred->cert, url, client_id,
	    (long long)time(NULL), jwt, err);
	if (st != SB_OK)
		return st;
	assertion->p = (unsigned char *)jwt->p;
	assertion->len = jwt->len;
	return cloud_token_form_assertion(form, client_id, scope, assertion,
	    err);
}

enum sb_status
cloud_token_fetch(struct cloud_http *h, const char *login_url,
    const char *tenant, const char *client_id, const struct cloud_cred *cred,
    const char *scope, enum cloud_audience aud, struct cloud_token *out,
    struct sb_error *err)
{
	struct cloud_http_req req = { 0 };
	struct cloud_http_resp resp;
	struct sb_buf url, form, jwt;
	struct sb_bytes assertion = { 0 };
	enum sb_status st;

	cloud_http_resp_init(&resp);
	sb_buf_init(&url, CLOUD_HTTP_URL_MAX);
	sb_buf_init(&form, 64 * 1024);
	sb_buf_init(&jwt, CLOUD_ASSERTION_MAX);
	st = sb_buf_printf(&url, err, "%s/%s/oauth2/v2.0/token", login_url,
	    tenant);
	if (st != SB_OK)
		goto done;
	st = token_form(&form, &jwt, url.p, client_id, cred, scope, &assertion,
	    err);
	if (st != SB_OK)
		goto done;
	req.method = "POST";
	req.url = url.p;
	req.content_type = "application/x-www-form-urlencoded";
	req.body = form.p;
	req.body_len = form.len;
	req.body_max = CLOUD_TOKEN_BODY_MAX;
	req.where = "token";
	st = cloud_http_request(h, &req, &resp, err);
	if (st != SB_OK)
		goto done;
	st = cloud_token_parse(resp.status, resp.body.p, resp.body.len,
	    scope, cloud_token_now_ms(), out, err);
	if (st == SB_OK)
		log_debug("token.acquired audience=%s scope=%s expires_in=%ld",
		    cloud_token_audience_name(aud), scope, out->expires_in);
done:
	/* A hostile or confused endpoint could echo the credential back. */
	if (st != SB_OK && err != NULL) {
		cloud_token_redact(err->text, sizeof(err->text), cred->secret);
		cloud_token_redact(err->text, sizeof(err->text), &assertion);
	}
	sb_buf_free(&form); /* wipes the secret or the assertion */
	sb_buf_free(&jwt);
	sb_buf_free(&url);
	cloud_http_resp_free(&resp); /* wipes the token */
	return st;
}
