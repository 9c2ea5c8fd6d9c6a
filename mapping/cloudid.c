/* Graph object ids: which are usable, why not, and how to show one. */
#include <stdio.h>
#include <string.h>

#include "cloudid.h"

/* Bytes of an id shown before it is cut. */
#define SHOW_MAX	60

static int
id_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

int
map_cloudid_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i == MAP_CLOUDID_MAX || !id_char((unsigned char)s[i]))
			return 0;
	return i > 0;
}

const char *
map_cloudid_why(const char *s, char *buf, size_t size)
{
	size_t i, len;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (s == NULL || s[0] == '\0') {
		snprintf(buf, size, "empty");
		return buf;
	}
	len = strlen(s);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f) {
			snprintf(buf, size, "holds a control character");
			return buf;
		}
	for (i = 0; i < len; i++) {
		if (id_char((unsigned char)s[i]))
			continue;
		if ((unsigned char)s[i] > 0x7f)
			snprintf(buf, size, "holds a byte that is not ASCII; "
			    "only letters, digits and '-'");
		else
			snprintf(buf, size, "holds '%c'; only letters, digits "
			    "and '-'", s[i]);
		return buf;
	}
	if (len > MAP_CLOUDID_MAX)
		snprintf(buf, size, "%zu characters, at most %d", len,
		    MAP_CLOUDID_MAX);
	return buf;
}

const char *
map_cloudid_show(const char *s, char *buf, size_t size)
{
	size_t i, n = 0, len;
	unsigned char c;
	int w;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (s == NULL)
		return buf;
	len = strlen(s);
	for (i = 0; i < len && i < SHOW_MAX; i++) {
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			w = snprintf(buf + n, size - n, "%c", c);
		else
			w = snprintf(buf + n, size - n, "\\x%02x", c);
		if (w < 0 || (size_t)w >= size - n)
			return buf;	/* cut by the caller's size */
		n += (size_t)w;
	}
	if (i < len)
		snprintf(buf + n, size - n, "... (%zu characters)", len);
	return buf;
}
