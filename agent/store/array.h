/*
 * Freeing the arrays of records the store hands out (journal rows, flap
 * entries): each record is cleared by its own function, then the array.
 */
#ifndef SB_ARRAY_H
#define SB_ARRAY_H

#include <stddef.h>

/*
 * Calls clear on each of the n records of size bytes at v, then frees v.
 * v may be NULL when n is 0.
 */
void	agent_array_free(void *v, size_t n, size_t size, void (*clear)(void *));

#endif
