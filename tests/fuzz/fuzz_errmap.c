/* tests/fuzz/fuzz_errmap.c -- Graph, Exchange and token error bodies. */
#include <stdlib.h>

#include "cloud/errmap.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 400, 401, 403, 404, 410, 429, 503 };
	struct cloud_errctx x = {
		"graph.users", "GET", "/v1.0/users", "User.Read.All", "id-1"
	};
	struct cloud_errreply r = { 1, 1, "application/json" };
	struct sb_error err;
	const char *c;
	char reason[256], type[64], cmdlet[64];
	const char *body = (const char *)data;
	size_t i;

	(void)cloud_errmap_401(body, size, 0, cmdlet, sizeof(cmdlet));
	FUZZ_CHECK(memchr(cmdlet, '\0', sizeof(cmdlet)) != NULL);
	cloud_errmap_reason(body, size, reason, sizeof(reason), type,
	    sizeof(type));
	FUZZ_CHECK(memchr(reason, '\0', sizeof(reason)) != NULL);
	FUZZ_CHECK(memchr(type, '\0', sizeof(type)) != NULL);
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		memset(&err, 0, sizeof(err));
		(void)cloud_errmap_reply(&x, i % 2 ? &r : NULL, statuses[i],
		    body, size, "req-1", &err);
		/* The message reaches logs: terminated, no control bytes. */
		FUZZ_CHECK(memchr(err.text, '\0', sizeof(err.text)) != NULL);
		FUZZ_CHECK(memchr(err.where, '\0', sizeof(err.where)) != NULL);
		for (c = err.text; *c != '\0'; c++)
			FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
	}
	return 0;
}
