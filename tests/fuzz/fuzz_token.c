/* tests/fuzz/fuzz_token.c -- token endpoint replies, success and error. */
#include <stdlib.h>

#include "cloud/token.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 401 };
	struct cloud_token t;
	struct sb_error err;
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(&t, 0, sizeof(t));
		memset(&err, 0, sizeof(err));
		if (cloud_token_parse(statuses[i], (const char *)data, size,
		    CLOUD_TOKEN_SCOPE_GRAPH, 1000000, &t, &err) == SB_OK) {
			/* What the header carries: bounded, no NUL inside. */
			FUZZ_CHECK(t.access != NULL);
			FUZZ_CHECK(t.len <= CLOUD_TOKEN_MAX);
			FUZZ_CHECK(strlen(t.access) == t.len);
			FUZZ_CHECK(t.expires_in <= CLOUD_TOKEN_EXPIRES_MAX);
		} else
			FUZZ_CHECK(t.access == NULL);
		cloud_token_free(&t);
	}
	return 0;
}
