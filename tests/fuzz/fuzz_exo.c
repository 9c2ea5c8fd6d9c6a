/* tests/fuzz/fuzz_exo.c -- Exchange Online Get-Mailbox reply pages. */
#include <stdlib.h>

#include "cloud/exo.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb_error err;
	struct dirset s;
	char *next = NULL;

	memset(&err, 0, sizeof(err));
	dirset_init(&s);
	(void)cloud_exo_parse_page((const char *)data, size, &s, &next, &err);
	dirset_free(&s);
	free(next);
	return 0;
}
