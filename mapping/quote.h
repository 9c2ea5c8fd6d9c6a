/*
 * Values made safe for one key=value log token: quoted and escaped when
 * they are UTF-8 text, hex when binary, cut to a cap; and the attributes
 * whose values must never be logged at all.  Pure: libc only, so ldap/
 * and agent/store/ can share it from the bottom layer.
 */
#ifndef MAP_QUOTE_H
#define MAP_QUOTE_H

#include <stddef.h>

/* A quoted token; a longer one is cut, ending in "...". */
#define MAP_QUOTE_BUF		512

/*
 * Writes the value into buf (n bytes, at least 16) as one log token and
 * returns buf: "text" with \" \\ and \xNN for control bytes when the value
 * is UTF-8 text, else 0x<hex>.  Too long for buf: cut, ending in "...".
 */
const char	*map_quote(char *buf, size_t n, const void *p, size_t len);
/* The same for a C string; NULL gives "-". */
const char	*map_quote_str(char *buf, size_t n, const char *s);
/* 1 for attributes whose values must never be logged (unicodePwd, ...). */
int		 map_quote_is_secret(const char *attr);

#endif
