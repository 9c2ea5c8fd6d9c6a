/* String-keyed hash map: open addressing, linear probing, grows at half full. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strmap.h"

struct slot {
	const char *key;	/* NULL: empty; owned unless the map borrows */
	size_t	 len;
	size_t	 val;
	uint64_t hash;
};

struct map_strmap {
	struct slot	*slots;
	size_t		 mask;
	size_t		 n;
	int		 ci;
	int		 borrow;	/* keys are the caller's, not copies */
};

static uint64_t
hash_of(const unsigned char *p, size_t len, int ci)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint64_t)(ci ? sb_ascii_lower(p[i]) : p[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

static int
key_eq(const struct map_strmap *m, const struct slot *s, const void *key,
    size_t len, uint64_t h)
{
	const unsigned char *a = (const unsigned char *)s->key, *b = key;
	size_t i;

	if (s->hash != h || s->len != len)
		return 0;
	if (!m->ci)
		return memcmp(a, b, len) == 0;
	for (i = 0; i < len; i++)
		if (sb_ascii_lower(a[i]) != sb_ascii_lower(b[i]))
			return 0;
	return 1;
}

static struct slot *
find(const struct map_strmap *m, const void *key, size_t len, uint64_t h)
{
	struct slot *s;
	size_t i = (size_t)h & m->mask;

	for (;; i = (i + 1) & m->mask) {
		s = &m->slots[i];
		if (s->key == NULL || key_eq(m, s, key, len, h))
			return s;
	}
}

enum sb_status
map_strmap_new(int flags, struct map_strmap **out, struct sb_error *err)
{
	struct map_strmap *m;

	m = calloc(1, sizeof(*m));
	if (m != NULL)
		m->slots = calloc(16, sizeof(*m->slots));
	if (m == NULL || m->slots == NULL) {
		free(m);
		return sb_fail(err, SB_BUG, ENOMEM, "map.strmap",
		    "out of memory");
	}
	m->mask = 15;
	m->ci = (flags & MAP_STRMAP_CI) != 0;
	m->borrow = (flags & MAP_STRMAP_BORROW) != 0;
	*out = m;
	return SB_OK;
}

void
map_strmap_free(struct map_strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; !m->borrow && i <= m->mask; i++)
		free((char *)m->slots[i].key);
	free(m->slots);
	free(m);
}

/* Doubles the table; the keys move, nothing is copied. */
static enum sb_status
grow(struct map_strmap *m, struct sb_error *err)
{
	struct slot *old = m->slots, *ns, *s;
	size_t oldcap = m->mask + 1, cap = oldcap * 2, i, k;

	if (cap > SIZE_MAX / sizeof(*ns))
		return sb_fail(err, SB_BUG, ENOMEM, "map.strmap", "too large");
	ns = calloc(cap, sizeof(*ns));
	if (ns == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.strmap",
		    "out of memory");
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (k = (size_t)old[i].hash & (cap - 1); ns[k].key != NULL;
		    k = (k + 1) & (cap - 1))
			;
		s = &ns[k];
		*s = old[i];
	}
	free(old);
	m->slots = ns;
	m->mask = cap - 1;
	return SB_OK;
}

enum sb_status
map_strmap_put(struct map_strmap *m, const void *key, size_t len, size_t val,
    int *existed, struct sb_error *err)
{
	uint64_t h = hash_of(key, len, m->ci);
	enum sb_status st;
	struct slot *s;
	char *copy;

	if (existed != NULL)
		*existed = 0;
	s = find(m, key, len, h);
	if (s->key != NULL) {
		if (existed != NULL)
			*existed = 1;
		return SB_OK;
	}
	if ((m->n + 1) * 2 > m->mask + 1) {
		st = grow(m, err);
		if (st != SB_OK)
			return st;
		s = find(m, key, len, h);
	}
	if (m->borrow) {
		s->key = key;
	} else {
		copy = malloc(len + 1);
		if (copy == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "map.strmap",
			    "out of memory");
		if (len > 0)
			memcpy(copy, key, len);
		copy[len] = '\0';
		s->key = copy;
	}
	s->len = len;
	s->val = val;
	s->hash = h;
	m->n++;
	return SB_OK;
}

int
map_strmap_get(const struct map_strmap *m, const void *key, size_t len,
    size_t *val)
{
	const struct slot *s;

	if (m == NULL)
		return 0;
	s = find(m, key, len, hash_of(key, len, m->ci));
	if (s->key == NULL)
		return 0;
	if (val != NULL)
		*val = s->val;
	return 1;
}

enum sb_status
map_strmap_set(struct map_strmap *m, const void *key, size_t len, size_t val,
    struct sb_error *err)
{
	struct slot *s;

	s = find(m, key, len, hash_of(key, len, m->ci));
	if (s->key == NULL)
		return map_strmap_put(m, key, len, val, NULL, err);
	s->val = val;
	return SB_OK;
}

enum sb_status
map_strmap_put_str(struct map_strmap *m, const char *key, size_t val,
    int *existed, struct sb_error *err)
{
	return map_strmap_put(m, key, strlen(key), val, existed, err);
}

int
map_strmap_get_str(const struct map_strmap *m, const char *key, size_t *val)
{
	return map_strmap_get(m, key, strlen(key), val);
}

size_t
map_strmap_count(const struct map_strmap *m)
{
	return m != NULL ? m->n : 0;
}
