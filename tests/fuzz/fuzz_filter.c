/* tests/fuzz/fuzz_filter.c -- LDAP filter value escaping (RFC 4515). */
#include <stdlib.h>

#include "ldap/escape.h"
#include "fuzz.h"

/* Undoes the \XX escapes of out into buf; -1 on any other backslash. */
static long
unescape(const char *out, unsigned char *buf)
{
	static const char hex[] = "0123456789abcdef";
	const char *h, *l;
	long n = 0;

	for (; *out != '\0'; out++) {
		if (*out != '\\') {
			buf[n++] = (unsigned char)*out;
			continue;
		}
		if (out[1] == '\0' || out[2] == '\0')
			return -1;
		h = strchr(hex, out[1] | 0x20);
		l = strchr(hex, out[2] | 0x20);
		if (h == NULL || l == NULL)
			return -1;
		buf[n++] = (unsigned char)((h - hex) << 4 | (l - hex));
		out += 2;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb_error err;
	unsigned char *buf;
	char *out = NULL, *eq = NULL;
	size_t len;

	memset(&err, 0, sizeof(err));
	if (ad_filter_escape(data, size, &out, &err) == SB_OK) {
		/* No raw ( ) * and every \ starts a \XX escape. */
		FUZZ_CHECK(strpbrk(out, "()*") == NULL);
		len = strlen(out);
		if ((buf = malloc(len + 1)) == NULL)
			abort();
		/* It decodes back to the input: nothing lost, e.g. at a NUL. */
		FUZZ_CHECK(unescape(out, buf) == (long)size);
		FUZZ_CHECK(size == 0 || memcmp(buf, data, size) == 0);
		free(buf);
	}
	if (ad_filter_eq("mail", data, size, &eq, &err) == SB_OK)
		FUZZ_CHECK(strncmp(eq, "(mail=", 6) == 0 &&
		    strpbrk(eq + 6, "()*") == eq + strlen(eq) - 1);
	free(eq);
	free(out);
	return 0;
}
