/* Attribute names held once per process (mapping/attrname.h). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attrname.h"

/* Open addressing, at most half full: MAP_ATTRNAME_MAX names in twice the slots. */
#define SLOTS (2 * MAP_ATTRNAME_MAX)

static struct {
	pthread_mutex_t lock;
	const char *slot[SLOTS];
	size_t n;
} names = { PTHREAD_MUTEX_INITIALIZER, { NULL }, 0 };

/* FNV-1a: names are short, and any spread will do. */
static size_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

const char *
map_attrname(const char *name)
{
	const char *found = NULL;
	char *copy;
	size_t i, len = strlen(name);

	if (len > MAP_ATTRNAME_LEN_MAX)
		return NULL;
	pthread_mutex_lock(&names.lock);
	for (i = hash(name) % SLOTS; names.slot[i] != NULL; i = (i + 1) % SLOTS)
		if (strcmp(names.slot[i], name) == 0) {
			found = names.slot[i];
			break;
		}
	if (found == NULL && names.n < MAP_ATTRNAME_MAX &&
	    (copy = strdup(name)) != NULL) {
		names.slot[i] = copy;
		names.n++;
		found = copy;
	}
	pthread_mutex_unlock(&names.lock);
	return found;
}
