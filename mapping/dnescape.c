/* Writing DN text: one value escaped, and the canonical form of a whole DN. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dn.h"
#include "dnscan.h"

/* Length of the valid UTF-8 sequence at p (2 to 4 bytes), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t rem)
{
	unsigned cp;
	size_t n, i;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (rem < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static enum sb_status
escape_into(struct sb_buf *b, const unsigned char *in, size_t len,
    struct sb_error *err)
{
	static const char hexd[] = "0123456789ABCDEF";
	enum sb_status st = SB_OK;
	char esc[3];
	size_t i, n;
	int c;

	for (i = 0; i < len && st == SB_OK; i++) {
		c = in[i];
		if (c >= 0x80 && (n = utf8_len(in + i, len - i)) > 0) {
			st = sb_buf_append(b, in + i, n, err);
			i += n - 1;
		} else if (c < 0x20 || c >= 0x7f) {
			esc[0] = '\\';
			esc[1] = hexd[c >> 4];
			esc[2] = hexd[c & 15];
			st = sb_buf_append(b, esc, 3, err);
		} else if (strchr(",+\"\\<>;=", c) != NULL ||
		    (i == 0 && (c == '#' || c == ' ')) ||
		    (i == len - 1 && c == ' ')) {
			esc[0] = '\\';
			esc[1] = (char)c;
			st = sb_buf_append(b, esc, 2, err);
		} else {
			esc[0] = (char)c;
			st = sb_buf_append(b, esc, 1, err);
		}
	}
	return st;
}

enum sb_status
map_dn_escape_value(const void *p, size_t len, char **out,
    struct sb_error *err)
{
	struct sb_buf b;
	enum sb_status st;

	sb_buf_init(&b, MAP_DN_MAX);
	st = escape_into(&b, p, len, err);
	if (st == SB_OK)
		st = sb_buf_append(&b, "", 0, err); /* "" gets a buffer too */
	if (st != SB_OK)
		goto done;
	*out = b.p;
	sb_buf_init(&b, 0);
done:
	sb_buf_free(&b);
	return st;
}

/* "type=value" of one AVA, canonical: new string in *out. */
static enum sb_status
ava_canonical(const struct map_ava_view *v, char **out, struct sb_error *err)
{
	struct sb_bytes val = { 0 };
	struct sb_buf b;
	enum sb_status st;
	size_t i;
	char c;

	sb_buf_init(&b, 4 * MAP_DN_MAX);
	for (i = 0, st = SB_OK; i < v->tlen && st == SB_OK; i++) {
		c = (char)sb_ascii_lower((unsigned char)v->type[i]);
		st = sb_buf_append(&b, &c, 1, err);
	}
	if (st == SB_OK)
		st = sb_buf_append(&b, "=", 1, err);
	if (st == SB_OK)
		st = map_dnscan_value(v, 1, &val, err);
	if (st == SB_OK)
		st = v->hex ? sb_buf_append(&b, val.p, val.len, err) :
		    escape_into(&b, val.p, val.len, err);
	if (st != SB_OK)
		goto done;
	*out = b.p;
	sb_buf_init(&b, 0);
done:
	sb_bytes_free(&val);
	sb_buf_free(&b);
	return st;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum sb_status
map_dn_normalize(const char *dn, char **out, struct sb_error *err)
{
	char *parts[MAP_DN_MAX_AVAS] = { NULL };
	struct map_rdn_view r;
	struct sb_buf b;
	const char *p = dn;
	size_t n = map_dnscan_count(dn), i, j, k = 0;
	enum sb_status st = SB_OK;
	int more;

	sb_buf_init(&b, 4 * MAP_DN_MAX);
	if (n == 0) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
		goto done;
	}
	for (i = 0; i < n; i++) {
		map_dnscan_rdn(&p, &r, &more);
		for (k = 0; k < r.n; k++) {
			st = ava_canonical(&r.avas[k], &parts[k], err);
			if (st != SB_OK)
				goto done;
		}
		qsort(parts, r.n, sizeof(parts[0]), cmp_str);
		for (j = 0; j < r.n && st == SB_OK; j++) {
			if (j > 0 || i > 0)
				st = sb_buf_append(&b, j > 0 ? "+" : ",", 1,
				    err);
			if (st == SB_OK)
				st = sb_buf_append(&b, parts[j],
				    strlen(parts[j]), err);
		}
		for (j = 0; j < r.n; j++) {
			free(parts[j]);
			parts[j] = NULL;
		}
		if (st != SB_OK)
			goto done;
	}
	*out = b.p;
	sb_buf_init(&b, 0);
done:
	for (j = 0; j < MAP_DN_MAX_AVAS; j++)
		free(parts[j]);
	sb_buf_free(&b);
	return st;
}
