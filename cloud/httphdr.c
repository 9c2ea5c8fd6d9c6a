/* Response headers read: Retry-After, WWW-Authenticate, ids, type, Location. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "cloud/httphdr.h"
#include "cloud/httpmsg.h"

/*
 * The fraction of a Retry-After such as "1.5" (RFC 9110 allows whole
 * seconds only, yet services send fractions): v[dot] is the '.', n the
 * whole seconds.  Rounded up, so that a wait never falls short of what was
 * asked; -1 for no digit after the dot, or anything but digits.
 */
static long
retry_after_fraction(const char *v, size_t dot, size_t end, long n)
{
	size_t i;
	int frac = 0;

	if (dot + 1 == end)
		return -1;
	for (i = dot + 1; i < end; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (v[i] != '0')
			frac = 1;
	}
	return frac && n < CLOUD_HTTP_RETRY_AFTER_MAX ? n + 1 : n;
}

long
cloud_http_parse_retry_after_n(const char *v, size_t len, time_t now)
{
	char date[128];
	size_t i = 0, end;
	long n = 0;
	time_t t;

	if (v == NULL)
		return -1;
	while (i < len && (v[i] == ' ' || v[i] == '\t'))
		i++;
	end = len;
	while (end > i && (v[end - 1] == ' ' || v[end - 1] == '\t'))
		end--;
	if (i == end)
		return -1;
	if (v[i] >= '0' && v[i] <= '9') {
		/*
		 * Every digit counts: "000...0001200" is 1200 s, not 0 (a
		 * copy cut at a fixed size read it so).  Past the cap the
		 * value stays at the cap: no overflow, and still "too long".
		 */
		for (; i < end && v[i] != '.'; i++) {
			if (v[i] < '0' || v[i] > '9')
				return -1;
			if (n < CLOUD_HTTP_RETRY_AFTER_MAX)
				n = n * 10 + (v[i] - '0');
			if (n > CLOUD_HTTP_RETRY_AFTER_MAX)
				n = CLOUD_HTTP_RETRY_AFTER_MAX;
		}
		return i == end ? n : retry_after_fraction(v, i, end, n);
	}
	/* An HTTP date is 29 bytes; anything far longer is not one. */
	if (end - i >= sizeof(date))
		return -1;
	memcpy(date, v + i, end - i);
	date[end - i] = '\0';
	t = curl_getdate(date, NULL);
	if (t == (time_t)-1)
		return -1;
	if (t <= now)
		return 0;
	return t - now > CLOUD_HTTP_RETRY_AFTER_MAX ?
	    CLOUD_HTTP_RETRY_AFTER_MAX : (long)(t - now);
}

long
cloud_http_parse_retry_after(const char *v, time_t now)
{
	return v == NULL ? -1 : cloud_http_parse_retry_after_n(v, strlen(v),
	    now);
}

int
cloud_httphdr_has_ci(const char *hay, size_t len, const char *needle)
{
	size_t i, k, n = strlen(needle);

	for (i = 0; n > 0 && i + n <= len; i++) {
		for (k = 0; k < n; k++) {
			char ch = hay[i + k];

			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			if (ch != needle[k])
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

int
cloud_http_auth_invalid_token(const char *v, size_t len)
{
	/* error="invalid_token", error=invalid_token (RFC 6750 section 3) */
	return v != NULL &&
	    (cloud_httphdr_has_ci(v, len, "error=\"invalid_token\"") ||
	    cloud_httphdr_has_ci(v, len, "error=invalid_token"));
}

static void
copy_value(char *out, size_t outsz, const char *v, size_t n)
{
	if (n >= outsz)
		n = outsz - 1;	/* a request-id longer than 79: log material */
	memcpy(out, v, n);
	out[n] = '\0';
}

size_t
cloud_http_header_cb(char *p, size_t size, size_t n, void *arg)
{
	struct cloud_http_resp *r = arg;
	size_t len = size * n, nlen;
	const char *colon, *v, *end;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new block: 100, then the reply */
		cloud_httpmsg_reset_headers(r);
		return len;
	}
	colon = memchr(p, ':', len);
	if (colon == NULL)
		return len;
	nlen = (size_t)(colon - p);
	v = colon + 1;
	end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
#define IS(name) (nlen == sizeof(name) - 1 && strncasecmp(p, name, nlen) == 0)
	if (IS("retry-after")) {
		/* read whole, wherever it is: never through a short copy */
		r->retry_after = cloud_http_parse_retry_after_n(v,
		    (size_t)(end - v), time(NULL));
	} else if (IS("www-authenticate")) {
		if (cloud_http_auth_invalid_token(v, (size_t)(end - v)))
			r->invalid_token = 1;
	} else if (IS("request-id")) {
		copy_value(r->request_id, sizeof(r->request_id), v,
		    (size_t)(end - v));
	} else if (IS("content-type")) {
		copy_value(r->content_type, sizeof(r->content_type), v,
		    (size_t)(end - v));
	} else if (IS("location") && (size_t)(end - v) <= CLOUD_HTTP_URL_MAX) {
		free(r->location);
		r->location = strndup(v, (size_t)(end - v));
	}
#undef IS
	return len;
}
