/* The shipped binary's test hooks: none (tests/hooks/testhook.c holds the test build's). */
#include "agent/testhook.h"

void
agent_testhook_point(const char *where, size_t i)
{
	(void)where;
	(void)i;
}

void
agent_testhook_resolver(void *res_state)
{
	(void)res_state;
}
