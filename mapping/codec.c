/* Base64, objectGUID, objectSid and immutableId codecs over length-counted bytes. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

enum sb_status
map_base64_encode(const void *p, size_t len, char **out, struct sb_error *err)
{
	const unsigned char *in = p;
	char *s;
	size_t i, o = 0;
	uint32_t v;

	if (len > MAP_BASE64_MAX)
		return sb_fail(err, SB_SKIP, EMSGSIZE, "map.base64",
		    "value of %zu bytes exceeds the base64 limit", len);
	s = malloc((len + 2) / 3 * 4 + 1);
	if (s == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.base64",
		    "out of memory");
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		s[o++] = b64_alphabet[v >> 18 & 63];
		s[o++] = b64_alphabet[v >> 12 & 63];
		s[o++] = b64_alphabet[v >> 6 & 63];
		s[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		s[o++] = b64_alphabet[v >> 18 & 63];
		s[o++] = b64_alphabet[v >> 12 & 63];
		s[o++] = '=';
		s[o++] = '=';
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		s[o++] = b64_alphabet[v >> 18 & 63];
		s[o++] = b64_alphabet[v >> 12 & 63];
		s[o++] = b64_alphabet[v >> 6 & 63];
		s[o++] = '=';
	}
	s[o] = '\0';
	*out = s;
	return SB_OK;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

enum sb_status
map_base64_decode(const char *s, size_t slen, struct sb_bytes *out,
    struct sb_error *err)
{
	unsigned char *buf = NULL;
	size_t i, o = 0, pad = 0;
	uint32_t v;
	int k, d;
	enum sb_status st;

	if (slen > MAP_BASE64_MAX) {
		st = sb_fail(err, SB_SKIP, EMSGSIZE, "map.base64",
		    "base64 text of %zu characters exceeds the limit", slen);
		goto done;
	}
	if (slen % 4 != 0) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.base64",
		    "base64 length %zu is not a multiple of 4", slen);
		goto done;
	}
	if (slen > 0 && s[slen - 1] == '=')
		pad = (slen > 1 && s[slen - 2] == '=') ? 2 : 1;
	buf = malloc(slen / 4 * 3 + 1);
	if (buf == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.base64", "out of memory");
		goto done;
	}
	for (i = 0; i < slen; i += 4) {
		v = 0;
		for (k = 0; k < 4; k++) {
			if (i + (size_t)k >= slen - pad) {
				d = 0;	/* a padding position */
			} else {
				d = b64_value((unsigned char)s[i + (size_t)k]);
				if (d < 0) {
					st = sb_fail(err, SB_SKIP, EINVAL,
					    "map.base64", "bad base64 character "
					    "at offset %zu", i + (size_t)k);
					goto done;
				}
			}
			v = v << 6 | (uint32_t)d;
		}
		buf[o++] = (unsigned char)(v >> 16);
		buf[o++] = (unsigned char)(v >> 8);
		buf[o++] = (unsigned char)v;
	}
	/* Non-zero bits under the padding mean a different, non-canonical text. */
	if ((pad == 1 && buf[o - 1] != 0) ||
	    (pad == 2 && (buf[o - 1] != 0 || buf[o - 2] != 0))) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.base64",
		    "base64 has non-zero pad bits");
		goto done;
	}
	o -= pad;
	buf[o] = '\0';
	out->p = buf;
	out->len = o;
	buf = NULL;
	st = SB_OK;
done:
	free(buf);
	return st;
}

enum sb_status
map_guid_to_text(const void *p, size_t len, char *out, size_t outsz,
    struct sb_error *err)
{
	const unsigned char *g = p;
	int n;

	if (len != MAP_GUID_LEN)
		return sb_fail(err, SB_SKIP, EINVAL, "map.guid",
		    "GUID of %zu bytes, want 16", len);
	if (outsz < MAP_GUID_TEXT_SIZE)
		return sb_fail(err, SB_BUG, EINVAL, "map.guid",
		    "output buffer too small");
	n = snprintf(out, outsz,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6],
	    g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	if (n != MAP_GUID_TEXT_SIZE - 1)
		return sb_fail(err, SB_BUG, EINVAL, "map.guid", "format");
	return SB_OK;
}

/* Text to GUID bytes; -1 when malformed. */
static int
guid_parse(const char *s, unsigned char out[MAP_GUID_LEN])
{
	/* Text byte i (in reading order) goes to out[order[i]]. */
	static const unsigned char order[MAP_GUID_LEN] = {
		3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
	};
	size_t len = strlen(s), i, b = 0;
	int hi, lo;

	if (len == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		len -= 2;
	}
	if (len != 36)
		return -1;
	for (i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -1;
			continue;
		}
		hi = sb_hex_value((unsigned char)s[i]);
		lo = sb_hex_value((unsigned char)s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[order[b++]] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

enum sb_status
map_guid_from_text(const char *s, unsigned char out[MAP_GUID_LEN],
    struct sb_error *err)
{
	unsigned char g[MAP_GUID_LEN];

	if (guid_parse(s, g) != 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.guid",
		    "malformed GUID text");
	memcpy(out, g, MAP_GUID_LEN);
	return SB_OK;
}

enum sb_status
map_sid_parse(const void *p, size_t len, struct map_sid *out,
    struct sb_error *err)
{
	const unsigned char *b = p;
	struct map_sid sid;
	size_t i;

	if (len < 8)
		return sb_fail(err, SB_SKIP, EINVAL, "map.sid",
		    "SID of %zu bytes is too short", len);
	if (b[0] != 1)
		return sb_fail(err, SB_SKIP, EINVAL, "map.sid",
		    "SID revision %u, want 1", b[0]);
	if (b[1] > MAP_SID_MAX_SUBAUTH || len != 8 + 4 * (size_t)b[1])
		return sb_fail(err, SB_SKIP, EINVAL, "map.sid",
		    "SID of %zu bytes with %u sub-authorities", len, b[1]);
	memset(&sid, 0, sizeof(sid));
	sid.revision = b[0];
	sid.count = b[1];
	for (i = 2; i < 8; i++)
		sid.authority = sid.authority << 8 | b[i];
	for (i = 0; i < sid.count; i++)
		sid.sub[i] = (uint32_t)b[8 + 4 * i] |
		    (uint32_t)b[9 + 4 * i] << 8 |
		    (uint32_t)b[10 + 4 * i] << 16 |
		    (uint32_t)b[11 + 4 * i] << 24;
	*out = sid;
	return SB_OK;
}

enum sb_status
map_sid_to_text(const void *p, size_t len, char *out, size_t outsz,
    struct sb_error *err)
{
	struct map_sid sid = { 0 };
	enum sb_status st;
	size_t o, i;
	int n;

	st = map_sid_parse(p, len, &sid, err);
	if (st != SB_OK)
		return st;
	if (outsz < MAP_SID_TEXT_SIZE)
		return sb_fail(err, SB_BUG, EINVAL, "map.sid",
		    "output buffer too small");
	/* MS-DTYP 2.4.2.1: decimal below 2^32, else 0x and 12 hex digits. */
	if (sid.authority < ((uint64_t)1 << 32))
		n = snprintf(out, outsz, "S-%u-%" PRIu64, sid.revision,
		    sid.authority);
	else
		n = snprintf(out, outsz, "S-%u-0x%012" PRIX64, sid.revision,
		    sid.authority);
	if (n < 0 || (size_t)n >= outsz)
		return sb_fail(err, SB_BUG, EINVAL, "map.sid", "format");
	o = (size_t)n;
	for (i = 0; i < sid.count; i++) {
		n = snprintf(out + o, outsz - o, "-%" PRIu32, sid.sub[i]);
		if (n < 0 || (size_t)n >= outsz - o)
			return sb_fail(err, SB_BUG, EINVAL, "map.sid", "format");
		o += (size_t)n;
	}
	return SB_OK;
}

/* Reads decimal digits (or 0x hex when allow_hex) up to max; advances *pp. */
static int
parse_number(const char **pp, uint64_t max, int allow_hex, uint64_t *out)
{
	const char *q = *pp;
	uint64_t v = 0;
	unsigned base = 10;
	int d, digits = 0;

	if (allow_hex && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		base = 16;
		q += 2;
	}
	for (;; q++, digits++) {
		d = sb_hex_value((unsigned char)*q);
		if (d < 0 || (unsigned)d >= base)
			break;
		if (v > (max - (uint64_t)d) / base)
			return -1;
		v = v * base + (uint64_t)d;
	}
	if (digits == 0)
		return -1;
	*pp = q;
	*out = v;
	return 0;
}

/* SID text to binary in b (MAP_SID_MAX_LEN bytes), its length in *len; -1 when malformed. */
static int
sid_text_parse(const char *s, unsigned char *b, size_t *len)
{
	const char *q = s;
	uint64_t rev, auth, sub;
	size_t count = 0, i;

	if (*q != 'S' && *q != 's')
		return -1;
	q++;
	if (*q++ != '-' || parse_number(&q, 255, 0, &rev) != 0 || rev != 1)
		return -1;
	if (*q++ != '-' ||
	    parse_number(&q, ((uint64_t)1 << 48) - 1, 1, &auth) != 0)
		return -1;
	while (*q == '-') {
		q++;
		if (count == MAP_SID_MAX_SUBAUTH ||
		    parse_number(&q, UINT32_MAX, 0, &sub) != 0)
			return -1;
		b[8 + 4 * count] = (unsigned char)sub;
		b[9 + 4 * count] = (unsigned char)(sub >> 8);
		b[10 + 4 * count] = (unsigned char)(sub >> 16);
		b[11 + 4 * count] = (unsigned char)(sub >> 24);
		count++;
	}
	if (*q != '\0')
		return -1;
	b[0] = (unsigned char)rev;
	b[1] = (unsigned char)count;
	for (i = 0; i < 6; i++)
		b[2 + i] = (unsigned char)(auth >> (8 * (5 - i)));
	*len = 8 + 4 * count;
	return 0;
}

enum sb_status
map_sid_from_text(const char *s, struct sb_bytes *out, struct sb_error *err)
{
	unsigned char b[MAP_SID_MAX_LEN];
	size_t len;

	if (sid_text_parse(s, b, &len) != 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.sid",
		    "malformed SID text");
	return sb_bytes_copy(out, b, len, err);
}

enum sb_status
map_sid_rid(const void *p, size_t len, uint32_t *rid, struct sb_error *err)
{
	struct map_sid sid = { 0 };
	enum sb_status st;

	st = map_sid_parse(p, len, &sid, err);
	if (st != SB_OK)
		return st;
	if (sid.count == 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.sid",
		    "SID has no sub-authority, hence no RID");
	*rid = sid.sub[sid.count - 1];
	return SB_OK;
}

enum sb_status
map_immutable_id_from_guid(const void *p, size_t len, char **out,
    struct sb_error *err)
{
	if (len != MAP_GUID_LEN)
		return sb_fail(err, SB_SKIP, EINVAL, "map.immutable_id",
		    "anchor of %zu bytes, want 16", len);
	return map_base64_encode(p, len, out, err);
}

enum sb_status
map_immutable_id_to_guid(const char *s, unsigned char out[MAP_GUID_LEN],
    struct sb_error *err)
{
	struct sb_bytes b = { 0 };
	enum sb_status st;

	st = map_base64_decode(s, strlen(s), &b, err);
	if (st != SB_OK)
		goto done;
	if (b.len != MAP_GUID_LEN) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.immutable_id",
		    "immutableId decodes to %zu bytes, want 16", b.len);
		goto done;
	}
	memcpy(out, b.p, MAP_GUID_LEN);
	st = SB_OK;
done:
	sb_bytes_free(&b);
	return st;
}
