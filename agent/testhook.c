/* The shipped binary's test hooks: none (tests/hooks/testhook.c holds the test build's). */
#include "agent/testhook.h"

void
agent_testhook_point(const char *where, size_t i)
{
	(void)where;
	(void)i;
}
