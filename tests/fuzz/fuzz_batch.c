/* tests/fuzz/fuzz_batch.c -- Graph $batch replies matched to sent items. */
#include <stdlib.h>

#include "cloud/batch.h"
#include "cloud/httphdr.h"
#include "fuzz.h"

#define NITEMS	4

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cloud_batch_item items[NITEMS];
	struct sb_error err;
	size_t i;

	memset(items, 0, sizeof(items));
	for (i = 0; i < NITEMS; i++) {
		items[i].url = "/users/x/onPremisesSyncBehavior";
		/* One item not sent: a reply naming it must be refused. */
		items[i].sent = i != NITEMS - 1;
		items[i].retry_after = -1;
	}
	memset(&err, 0, sizeof(err));
	if (cloud_batch_parse("graph.soa", (const char *)data, size, items,
	    NITEMS, &err) == SB_OK)
		for (i = 0; i < NITEMS; i++) {
			FUZZ_CHECK(items[i].sent || !items[i].answered);
			FUZZ_CHECK(items[i].body == NULL ||
			    strlen(items[i].body) == items[i].body_len);
			FUZZ_CHECK(items[i].retry_after >= -1 &&
			    items[i].retry_after <=
			    CLOUD_HTTP_RETRY_AFTER_MAX);
		}
	cloud_batch_reset(items, NITEMS);
	return 0;
}
