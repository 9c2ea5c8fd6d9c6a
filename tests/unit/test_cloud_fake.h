/*
 * Test support for the cloud/ unit tests: canned files from
 * $SOABRIDGE_TEST_DATA (default tests/data), a scripted transport in place of
 * curl (token requests answered automatically), and a sleep that only counts.
 * Included by test_cloud_*.c; everything here is static inline (not all
 * tests use all of it).
 */
#ifndef TEST_CLOUD_FAKE_H
#define TEST_CLOUD_FAKE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "cloud/client.h"

#define FAKE_MAX_REQ	64
#define FAKE_SECRET	"s3cr3t~Value.with+symbols"

static inline char *
load_data(const char *rel, size_t *len)
{
	const char *dir = getenv("SOABRIDGE_TEST_DATA");
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "tests/data",
	    rel);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (set SOABRIDGE_TEST_DATA)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* One scripted reply to a Graph or Exchange request. */
struct fake_reply {
	long		 status;
	const char	*file;		/* body from a data file, or */
	const char	*body;		/* an inline body */
	const char	*retry_after;	/* the Retry-After header, or NULL */
	int		 drop;		/* a dropped connection instead */
	int		 auto_batch;	/* answer a $batch: all isCloudManaged */
	int		 invalid_token;	/* WWW-Authenticate: error="invalid_token" */
	const char	*content_type;	/* the Content-Type header, or NULL */
};

struct fake_request {
	char	 method[8];
	char	 url[2048];
	char	 bearer[64];
	char	 header[512];	/* the extra headers, joined by "\n" */
	char	 crid[40];
	char	*body;
};

struct fake {
	const struct fake_reply	*replies;
	size_t			 nreplies;
	size_t			 next;
	/* token endpoint: status and file of a scripted failure */
	long			 token_status;
	const char		*token_file;
	unsigned long		 ntokens;
	long token_expires_in; /* 0: 3599 */
	char token_body[4096];
	char			 token_scopes[8][128];	/* decoded, in order */
	char			 token_url[256];	/* the last one */
	struct fake_request	 req[FAKE_MAX_REQ];
	size_t			 nreq;
	long			 sleeps[FAKE_MAX_REQ];
	size_t			 nsleeps;
	long			 slept_ms;
};

static inline void
fake_sleep(void *arg, long ms)
{
	struct fake *f = arg;

	if (f->nsleeps < FAKE_MAX_REQ)
		f->sleeps[f->nsleeps++] = ms;
	f->slept_ms += ms;
}

static inline void
fake_body(struct cloud_http_resp *resp, const char *s, size_t n)
{
	assert_int_equal(sb_buf_append(&resp->body, s, n, NULL), SB_OK);
}

/* $batch with every request answered 200 {"isCloudManaged":true}. */
static inline void
fake_auto_batch(const struct cloud_http_req *req, struct cloud_http_resp *resp)
{
	json_t *in, *out, *arr, *r;
	size_t i;
	char *text;

	in = json_loadb(req->body, req->body_len, 0, NULL);
	assert_non_null(in);
	arr = json_array();
	for (i = 0; i < json_array_size(json_object_get(in, "requests")); i++) {
		r = json_array_get(json_object_get(in, "requests"), i);
		json_array_append_new(arr, json_pack("{s:O, s:i, s:{s:s}, "
		    "s:{s:b}}", "id", json_object_get(r, "id"), "status", 200,
		    "headers", "Content-Type", "application/json", "body",
		    "isCloudManaged", 1));
	}
	out = json_pack("{s:o}", "responses", arr);
	text = json_dumps(out, JSON_COMPACT);
	fake_body(resp, text, strlen(text));
	free(text);
	json_decref(out);
	json_decref(in);
}

/* The scope=... of a token request's form, %-decoded, into out. */
static inline void
fake_scope(const char *form, char *out, size_t outsz)
{
	const char *p = strstr(form, "&scope=");
	size_t n = 0;
	unsigned int ch;

	if (out == NULL || outsz == 0)
		return;
	out[0] = '\0';
	if (p == NULL)
		return;
	for (p += 7; *p != '\0' && *p != '&' && n + 1 < outsz; p++) {
		if (*p == '%' && sscanf(p + 1, "%2x", &ch) == 1) {
			out[n++] = (char)ch;
			p += 2;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

static inline enum sb_status
fake_token(struct fake *f, const struct cloud_http_req *req,
    struct cloud_http_resp *resp)
{
	char body[256], *file;
	size_t len;
	int exo;

	f->ntokens++;
	snprintf(f->token_url, sizeof(f->token_url), "%s", req->url);
	snprintf(f->token_body, sizeof(f->token_body), "%.*s",
	    (int)req->body_len, req->body);
	fake_scope(f->token_body, f->ntokens <= 8 ?
	    f->token_scopes[f->ntokens - 1] : NULL, 128);
	if (f->token_file != NULL) {
		file = load_data(f->token_file, &len);
		resp->status = f->token_status;
		fake_body(resp, file, len);
		free(file);
		return SB_OK;
	}
	/* Exchange's resources: outlook.office365.*, webmail.apps.mil, ... */
	exo = strstr(f->token_body, "outlook") != NULL ||
	    strstr(f->token_body, "webmail") != NULL;
	snprintf(body, sizeof(body),
	    "{\"token_type\":\"Bearer\","
	    "\"expires_in\":%ld,\"access_token\":\"tok-%s-%lu\"}",
	    f->token_expires_in > 0 ? f->token_expires_in : 3599,
	    exo ? "exo" : "graph", f->ntokens);
	resp->status = 200;
	fake_body(resp, body, strlen(body));
	return SB_OK;
}

static inline enum sb_status
fake_transport(void *arg, const struct cloud_http_req *req, const char *crid,
    struct cloud_http_resp *resp, struct sb_error *err)
{
	struct fake *f = arg;
	const struct fake_reply *r;
	struct fake_request *q;
	char *file;
	size_t len;

	if (strstr(req->url, "/oauth2/v2.0/token") != NULL)
		return fake_token(f, req, resp);
	assert_true(f->nreq < FAKE_MAX_REQ);
	q = &f->req[f->nreq++];
	snprintf(q->method, sizeof(q->method), "%s", req->method);
	snprintf(q->url, sizeof(q->url), "%s", req->url);
	snprintf(q->bearer, sizeof(q->bearer), "%s",
	    req->bearer ? req->bearer : "");
	q->header[0] = '\0';
	for (size_t h = 0; req->headers != NULL && req->headers[h] != NULL;
	    h++)
		snprintf(q->header + strlen(q->header), sizeof(q->header) -
		    strlen(q->header), "%s%s", h ? "\n" : "", req->headers[h]);
	snprintf(q->crid, sizeof(q->crid), "%s", crid);
	q->body = req->body ? strndup(req->body, req->body_len) : NULL;
	if (f->next >= f->nreplies)
		fail_msg("unexpected request %s %s", req->method, req->url);
	r = &f->replies[f->next++];
	if (r->drop)
		return sb_fail(err, SB_RETRY, 56, req->where,
		    "Connection reset by peer (curl 56)");
	resp->status = r->status;
	if (r->retry_after != NULL)
		resp->retry_after = cloud_http_parse_retry_after(
		    r->retry_after, 0);
	snprintf(resp->request_id, sizeof(resp->request_id),
	    "req-%zu", f->nreq);
	resp->invalid_token = r->invalid_token;
	if (r->content_type != NULL)
		snprintf(resp->content_type, sizeof(resp->content_type), "%s",
		    r->content_type);
	if (r->auto_batch) {
		fake_auto_batch(req, resp);
	} else if (r->file != NULL) {
		file = load_data(r->file, &len);
		fake_body(resp, file, len);
		free(file);
	} else if (r->body != NULL) {
		fake_body(resp, r->body, strlen(r->body));
	}
	return SB_OK;
}

static inline void
fake_free(struct fake *f)
{
	size_t i;

	for (i = 0; i < f->nreq; i++)
		free(f->req[i].body);
}

/* A client on made-up endpoints whose requests go to f. */
static inline struct cloud_client *
fake_client(struct fake *f, const struct fake_reply *replies, size_t n)
{
	static const struct sb_bytes secret = {
		(unsigned char *)FAKE_SECRET, sizeof(FAKE_SECRET) - 1 };
	struct cloud_params p = {
		.login_url = "https://login.example.test",
		.graph_url = "https://graph.microsoft.com",
		.exchange_url = "https://outlook.office365.com/",
		.tenant_id = "contoso.onmicrosoft.com",
		.client_id = "11111111-1111-1111-1111-111111111111",
		.client_secret = &secret,
	};
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };

	memset(f, 0, sizeof(*f));
	f->replies = replies;
	f->nreplies = n;
	assert_int_equal(cloud_open(&p, &c, &err), SB_OK);
	cloud_client_set_transport(c, fake_transport, f);
	cloud_client_set_sleep(c, fake_sleep, f);
	cloud_client_set_rate(c, 0);
	return c;
}

#endif
