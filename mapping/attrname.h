/*
 * Attribute names held once per process.  A directory object carries a
 * few dozen attributes and a run holds tens of thousands of objects whose
 * attribute names are the same few hundred strings: each object points at
 * one shared copy instead of owning its own.  Thread-safe (AD and the cloud
 * are read side by side); the copies live until the process ends.
 */
#ifndef MAP_ATTRNAME_H
#define MAP_ATTRNAME_H

/* Names kept at most; past that (a hostile reply's made-up names), NULL. */
#define MAP_ATTRNAME_MAX	4096
/* Longer names are never kept: NULL. */
#define MAP_ATTRNAME_LEN_MAX	128

/*
 * The shared copy of name (compared exactly, case included), made on first
 * use; NULL when it cannot be kept (too long, the table full, no memory):
 * the caller then owns a copy of its own.
 */
const char	*map_attrname(const char *name);

#endif
