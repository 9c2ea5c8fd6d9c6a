/* One loop that frees an array of records: journal rows, flap entries. */
#include <stdlib.h>

#include "agent/store/array.h"

void
agent_array_free(void *v, size_t n, size_t size, void (*clear)(void *))
{
	unsigned char *p = v;
	size_t i;

	for (i = 0; i < n; i++)
		clear(p + i * size);
	free(v);
}
