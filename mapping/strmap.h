/*
 * A hash map from byte-string keys to size_t values, in linear time for the
 * group code (100,000 members): open addressing, keys copied (or borrowed), optionally
 * ASCII case-insensitive (sAMAccountNames, cloud ids).  Pure: libc only.
 */
#ifndef MAP_STRMAP_H
#define MAP_STRMAP_H

#include <stddef.h>

#include "core.h"

struct map_strmap;

/* map_strmap_new flags (0: exact keys, copied). */
#define MAP_STRMAP_CI		0x1	/* compare keys ASCII case-insensitively */
#define MAP_STRMAP_BORROW	0x2	/* keep the caller's key pointers, which
					   must outlive the map: no copy each */

/* *out is new (map_strmap_free). */
enum sb_status	map_strmap_new(int flags, struct map_strmap **out,
		    struct sb_error *err);
void		map_strmap_free(struct map_strmap *m);

/*
 * Maps key (len bytes, copied unless the map borrows) to val.  A key already there keeps its
 * value and sets *existed (which may be NULL) to 1, else 0.
 */
enum sb_status	map_strmap_put(struct map_strmap *m, const void *key,
		    size_t len, size_t val, int *existed, struct sb_error *err);
/* Maps key to val, also when it is there already (its value replaced). */
enum sb_status	map_strmap_set(struct map_strmap *m, const void *key,
		    size_t len, size_t val, struct sb_error *err);
/* 1 and *val (which may be NULL) when key is there; 0 when not. */
int		map_strmap_get(const struct map_strmap *m, const void *key,
		    size_t len, size_t *val);
/* The same for a NUL-terminated key. */
enum sb_status	map_strmap_put_str(struct map_strmap *m, const char *key,
		    size_t val, int *existed, struct sb_error *err);
int		map_strmap_get_str(const struct map_strmap *m, const char *key,
		    size_t *val);
size_t		map_strmap_count(const struct map_strmap *m);

#endif
