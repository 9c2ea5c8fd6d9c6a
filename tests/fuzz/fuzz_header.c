/* tests/fuzz/fuzz_header.c -- Retry-After, WWW-Authenticate, header lines. */
#include <stdlib.h>

#include "cloud/httphdr.h"
#include "cloud/httpmsg.h"
#include "cloud/httpretry.h"
#include "fuzz.h"

/* 2026-01-01T00:00:00Z: an HTTP-date before or after it is both tried. */
#define FUZZ_NOW	((time_t)1767225600)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cloud_http_resp r;
	char *line, *hdr;
	long v;

	v = cloud_http_parse_retry_after_n((const char *)data, size,
	    FUZZ_NOW);
	FUZZ_CHECK(v >= -1 && v <= CLOUD_HTTP_RETRY_AFTER_MAX);
	line = fuzz_cstr(data, size);
	v = cloud_http_parse_retry_after(line, FUZZ_NOW);
	FUZZ_CHECK(v >= -1 && v <= CLOUD_HTTP_RETRY_AFTER_MAX);
	(void)cloud_http_auth_invalid_token((const char *)data, size);
	(void)cloud_httphdr_has_ci((const char *)data, size, "invalid_token");
	(void)cloud_http_throttled_text(503, "text/plain",
	    (const char *)data, size);

	/*
	 * A whole header line as curl hands it over, without a NUL (an exact
	 * copy, so that ASan sees a read past it): all of it consumed.
	 */
	if ((hdr = malloc(size == 0 ? 1 : size)) == NULL)
		abort();
	memcpy(hdr, data, size);
	cloud_http_resp_init(&r);
	FUZZ_CHECK(cloud_http_header_cb(hdr, 1, size, &r) == size);
	FUZZ_CHECK(r.retry_after >= -1 &&
	    r.retry_after <= CLOUD_HTTP_RETRY_AFTER_MAX);
	FUZZ_CHECK(memchr(r.request_id, '\0', sizeof(r.request_id)) != NULL);
	FUZZ_CHECK(memchr(r.content_type, '\0',
	    sizeof(r.content_type)) != NULL);
	cloud_http_resp_free(&r);
	free(hdr);
	free(line);
	return 0;
}
