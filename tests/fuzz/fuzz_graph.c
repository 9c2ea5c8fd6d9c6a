/* tests/fuzz/fuzz_graph.c -- Graph pages: users, groups, contacts, members. */
#include <stdlib.h>

#include "cloud/graph.h"
#include "fuzz.h"

/* A $select list beside the default one, so both paths are parsed. */
static const char *const select_list[] = {
	"id", "displayName", "mail", "onPremisesSyncBehavior",
	"onPremisesExtensionAttributes", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum dirobj_kind kinds[] = {
		DIROBJ_USER, DIROBJ_GROUP, DIROBJ_CONTACT
	};
	struct sb_error err;
	struct dirset s;
	char *next;
	size_t i;

	/* The body is passed with its length and without a NUL. */
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		dirset_init(&s);
		next = NULL;
		memset(&err, 0, sizeof(err));
		if (cloud_graph_parse_page((const char *)data, size, kinds[i],
		    i == 0 ? select_list : NULL, (int)(i == 0), &s, &next,
		    &err) != SB_OK)
			FUZZ_CHECK(s.n == 0);
		dirset_free(&s);
		free(next);
	}
	dirset_init(&s);
	next = NULL;
	(void)cloud_graph_parse_members((const char *)data, size, &s, &next,
	    &err);
	dirset_free(&s);
	free(next);
	return 0;
}
