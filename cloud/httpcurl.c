/* The curl transport: one attempt of a request, TLS verified, body capped. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cloud/httpcurl.h"
#include "cloud/httphdr.h"

struct cloud_httpcurl {
	CURL		*curl;
	char		*ca_file;
	long		 timeout_s;
	char		 errbuf[CURL_ERROR_SIZE];
};

static int curl_ready;

enum sb_status
cloud_httpcurl_new(const char *ca_file, long timeout_s,
    struct cloud_httpcurl **out, struct sb_error *err)
{
	struct cloud_httpcurl *h = NULL;
	enum sb_status st;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			st = sb_fail(err, SB_BUG, 0, "http", "curl_global_init "
			    "failed");
			goto done;
		}
		curl_ready = 1;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "http", "out of memory");
		goto done;
	}
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		st = sb_fail(err, SB_BUG, 0, "http", "curl_easy_init failed");
		goto done;
	}
	if (ca_file != NULL && ca_file[0] != '\0') {
		/* Said now, not as a TLS failure at the first request. */
		if (access(ca_file, R_OK) != 0) {
			st = sb_fail(err, SB_CONFIG, errno, "http",
			    "ca_file %s: %s", ca_file, strerror(errno));
			goto done;
		}
		h->ca_file = strdup(ca_file);
		if (h->ca_file == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "http",
			    "out of memory");
			goto done;
		}
	}
	h->timeout_s = timeout_s;
	*out = h;
	h = NULL;
	st = SB_OK;
done:
	cloud_httpcurl_free(h);
	return st;
}

enum sb_status
cloud_httpcurl_clone(const struct cloud_httpcurl *src,
    struct cloud_httpcurl **out, struct sb_error *err)
{
	return cloud_httpcurl_new(src->ca_file, src->timeout_s, out, err);
}

void
cloud_httpcurl_free(struct cloud_httpcurl *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	free(h->ca_file);
	free(h);
}

struct body_ctx {
	struct sb_buf	*buf;
	int		 over;	/* the cap was hit */
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct body_ctx *ctx = arg;

	if (sb_buf_append(ctx->buf, p, size * n, NULL) != SB_OK) {
		ctx->over = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* Wipe every header before freeing: one of them carries the token. */
static void
free_headers(struct curl_slist *list)
{
	struct curl_slist *l;

	for (l = list; l != NULL; l = l->next)
		explicit_bzero(l->data, strlen(l->data));
	curl_slist_free_all(list);
}

static enum sb_status
add_header(struct curl_slist **list, const char *line, struct sb_error *err)
{
	struct curl_slist *nl;

	nl = curl_slist_append(*list, line);
	if (nl == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "http", "out of memory");
	*list = nl;
	return SB_OK;
}

static enum sb_status
build_headers(const struct cloud_http_req *req, const char *crid,
    struct curl_slist **out, struct sb_error *err)
{
	struct curl_slist *list = NULL;
	struct sb_buf line;
	enum sb_status st;
	size_t i;

	sb_buf_init(&line, 64 * 1024);
	st = add_header(&list, "Accept: application/json", err);
	if (st == SB_OK)
		st = add_header(&list, "Expect:", err);	/* no 100-continue */
	if (st == SB_OK)
		st = sb_buf_printf(&line, err, "client-request-id: %s", crid);
	if (st == SB_OK)
		st = add_header(&list, line.p, err);
	if (st == SB_OK && req->content_type != NULL) {
		line.len = 0;
		st = sb_buf_printf(&line, err, "Content-Type: %s",
		    req->content_type);
		if (st == SB_OK)
			st = add_header(&list, line.p, err);
	}
	for (i = 0; st == SB_OK && req->headers != NULL &&
	    req->headers[i] != NULL; i++)
		st = add_header(&list, req->headers[i], err);
	if (st == SB_OK && req->bearer != NULL) {
		line.len = 0;
		st = sb_buf_printf(&line, err, "Authorization: Bearer %s",
		    req->bearer);
		if (st == SB_OK)
			st = add_header(&list, line.p, err);
	}
	if (st != SB_OK)
		goto done;
	*out = list;
	list = NULL;
done:
	sb_buf_free(&line);	/* wipes the token copy */
	free_headers(list);
	return st;
}

/* A curl failure: what the caller does next. */
static enum sb_status
curl_status(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_BAD_CONTENT_ENCODING:
		return SB_RETRY;	/* dropped, reset, timed out */
	case CURLE_PEER_FAILED_VERIFICATION:
		return SB_STOP;		/* never talk to an unverified peer */
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return SB_CONFIG;
	default:
		return SB_BUG;
	}
}

#define SETOPT(opt, val)						\
	do {								\
		if (curl_easy_setopt(h->curl, opt, val) != CURLE_OK) {	\
			st = sb_fail(err, SB_BUG, 0, "http",		\
			    "curl_easy_setopt(%s) failed", #opt);	\
			goto done;					\
		}							\
	} while (0)

enum sb_status
cloud_httpcurl_perform(void *arg, const struct cloud_http_req *req,
    const char *crid, struct cloud_http_resp *resp, struct sb_error *err)
{
	struct cloud_httpcurl *h = arg;
	struct curl_slist *headers = NULL;
	struct body_ctx bctx = { &resp->body, 0 };
	enum sb_status st;
	CURLcode rc;
	long code = 0;

	st = build_headers(req, crid, &headers, err);
	if (st != SB_OK)
		goto done;
	/* reset keeps the connection cache: one TLS session for many pages */
	curl_easy_reset(h->curl);
	h->errbuf[0] = '\0';
	SETOPT(CURLOPT_URL, req->url);
	SETOPT(CURLOPT_PROTOCOLS_STR, "https");
	SETOPT(CURLOPT_FOLLOWLOCATION, 0L);	/* never carry a token away */
	SETOPT(CURLOPT_PATH_AS_IS, 1L);		/* nextLink verbatim */
	SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_file != NULL)
		SETOPT(CURLOPT_CAINFO, h->ca_file);
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_TIMEOUT, h->timeout_s);
	SETOPT(CURLOPT_CONNECTTIMEOUT, (long)CLOUD_HTTP_CONNECT_S);
	SETOPT(CURLOPT_TCP_KEEPALIVE, 1L);
	SETOPT(CURLOPT_ACCEPT_ENCODING, "");	/* gzip; the cap counts plain */
	SETOPT(CURLOPT_USERAGENT, "soabridge");
	SETOPT(CURLOPT_ERRORBUFFER, h->errbuf);
	SETOPT(CURLOPT_HTTPHEADER, headers);
	SETOPT(CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(CURLOPT_WRITEDATA, &bctx);
	SETOPT(CURLOPT_HEADERFUNCTION, cloud_http_header_cb);
	SETOPT(CURLOPT_HEADERDATA, resp);
	if (strcmp(req->method, "GET") == 0) {
		SETOPT(CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(req->method, "POST") != 0)
			SETOPT(CURLOPT_CUSTOMREQUEST, req->method);
		SETOPT(CURLOPT_POST, 1L);
		SETOPT(CURLOPT_POSTFIELDS, req->body ? req->body : "");
		SETOPT(CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(req->body ? req->body_len : 0));
	}
	rc = curl_easy_perform(h->curl);
	if (bctx.over) {
		/* A truncated page must never be parsed: a person must look. */
		st = sb_fail(err, SB_STOP, EMSGSIZE, req->where,
		    "response body exceeds the %zu-byte limit",
		    resp->body.max);
		goto done;
	}
	if (rc != CURLE_OK) {
		st = sb_fail(err, curl_status(rc), (int)rc, req->where,
		    "%s (curl %d)%s", h->errbuf[0] ? h->errbuf :
		    curl_easy_strerror(rc), (int)rc,
		    rc == CURLE_PEER_FAILED_VERIFICATION ||
		    rc == CURLE_SSL_CACERT_BADFILE ?
		    "; check cloud ca_file" : "");
		goto done;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	resp->status = code;
	st = SB_OK;
done:
	/* curl keeps pointers to these until the next reset */
	if (h->curl != NULL) {
		curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	}
	free_headers(headers);
	return st;
}

#undef SETOPT
