/*
 * Graph object ids as soabridge accepts them.  Graph's ids are GUIDs, 36
 * characters.  An id goes unescaped into URL paths ($batch items,
 * /groups/{id}/members) and into the AD anchor adminDescription
 * Group_<id>, so an id that is not one is refused before any use: 1 to
 * MAP_CLOUDID_MAX ASCII letters, digits and '-'.  The bound is lenient
 * (ids in another shape than a GUID still pass) yet far below what could
 * make a URL or a value too long; it is the bound mapping/join.c reads
 * anchors with, so no group soabridge could have created fails it.
 * Pure: libc only.
 */
#ifndef MAP_CLOUDID_H
#define MAP_CLOUDID_H

#include <stddef.h>

#define MAP_CLOUDID_MAX		64
/* Enough for map_cloudid_show: 60 shown bytes, escapes, "..." and a NUL. */
#define MAP_CLOUDID_SHOW_SIZE	256

/* 1 when s (NUL-terminated; NULL is not) is an id soabridge can use. */
int		 map_cloudid_valid(const char *s);
/*
 * Why s is not valid, for a finding: "200 characters, at most 64", "holds
 * a control character", ...  Returns buf ("" when it is valid).
 */
const char	*map_cloudid_why(const char *s, char *buf, size_t size);
/*
 * s for a finding or a log line: printable ASCII as is, other bytes as
 * \xNN, cut after 60 bytes with "..." and the length.  Returns buf.
 */
const char	*map_cloudid_show(const char *s, char *buf, size_t size);

#endif
