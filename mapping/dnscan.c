/* The DN grammar: RDNs and AVAs read as views of the text, values unescaped. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dnscan.h"

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* The attribute type at p (a name or an OID); NULL when there is none. */
static const char *
scan_type(const char *p)
{
	if (is_alpha((unsigned char)*p)) {
		while (is_alpha((unsigned char)*p) ||
		    is_digit((unsigned char)*p) || *p == '-')
			p++;
	} else if (is_digit((unsigned char)*p)) {
		while (is_digit((unsigned char)*p) || *p == '.')
			p++;
	} else {
		return NULL;
	}
	return p;
}

/*
 * The value at v->val, escaped as written: sets v->hex and v->vlen (without
 * trailing unescaped spaces) and returns where scanning stopped (a
 * separator, a NUL or a space before one); NULL when malformed.
 */
static const char *
scan_value(const char *p, struct map_ava_view *v)
{
	const char *keep;
	int c;

	v->hex = (*p == '#');
	if (v->hex) {
		p++;
		while (sb_hex_value((unsigned char)*p) >= 0)
			p++;
		if (p - v->val < 3 || (p - v->val - 1) % 2 != 0)
			return NULL;
		v->vlen = (size_t)(p - v->val);
		return p;
	}
	keep = p;
	for (;;) {
		c = (unsigned char)*p;
		if (c == '\0' || c == ',' || c == '+')
			break;
		if (c == '\\') {
			if (sb_hex_value((unsigned char)p[1]) >= 0 &&
			    sb_hex_value((unsigned char)p[2]) >= 0)
				p += 3;
			else if (p[1] != '\0' &&
			    strchr(" \"#+,;<=>\\", p[1]) != NULL)
				p += 2;
			else
				return NULL;
			keep = p;
			continue;
		}
		if (c == '"' || c == ';' || c == '<' || c == '>')
			return NULL;
		p++;
		if (c != ' ')
			keep = p;
	}
	v->vlen = (size_t)(keep - v->val);
	return p;
}

/*
 * Parses one AVA at *pp.  On success *pp is past the separator and *sep is
 * ',', '+' or '\0'.  Returns -1 when malformed.
 */
static int
ava_next(const char **pp, struct map_ava_view *v, char *sep)
{
	const char *p = *pp;

	while (*p == ' ')
		p++;
	v->type = p;
	if ((p = scan_type(p)) == NULL)
		return -1;
	v->tlen = (size_t)(p - v->type);
	while (*p == ' ')
		p++;
	if (*p++ != '=')
		return -1;
	while (*p == ' ')
		p++;
	v->val = p;
	if ((p = scan_value(p, v)) == NULL || v->vlen == 0)
		return -1;
	while (*p == ' ')
		p++;
	if (*p != '\0' && *p != ',' && *p != '+')
		return -1;
	*sep = *p;
	if (*p != '\0')
		p++;
	*pp = p;
	return 0;
}

int
map_dnscan_rdn(const char **pp, struct map_rdn_view *r, int *more)
{
	char sep;

	while (**pp == ' ')
		(*pp)++;
	r->start = *pp;
	r->n = 0;
	do {
		if (r->n == MAP_DN_MAX_AVAS)
			return -1;
		if (ava_next(pp, &r->avas[r->n], &sep) != 0)
			return -1;
		r->n++;
	} while (sep == '+');
	r->end = r->avas[r->n - 1].val + r->avas[r->n - 1].vlen;
	*more = (sep == ',');
	return 0;
}

size_t
map_dnscan_count(const char *dn)
{
	struct map_rdn_view r;
	const char *p = dn;
	size_t n = 0;
	int more = 1;

	if (dn == NULL || strnlen(dn, MAP_DN_MAX + 1) > MAP_DN_MAX)
		return 0;
	while (more) {
		if (map_dnscan_rdn(&p, &r, &more) != 0)
			return 0;
		n++;
	}
	return n;
}

int
map_dnscan_getc(const char **pp, const char *end)
{
	const char *q = *pp;
	int hi, lo;

	if (q >= end)
		return -1;
	if (*q == '\\') {
		hi = sb_hex_value((unsigned char)q[1]);
		lo = hi >= 0 ? sb_hex_value((unsigned char)q[2]) : -1;
		if (lo >= 0) {
			*pp = q + 3;
			return hi << 4 | lo;
		}
		*pp = q + 2;
		return (unsigned char)q[1];
	}
	*pp = q + 1;
	return (unsigned char)*q;
}

enum sb_status
map_dnscan_value(const struct map_ava_view *v, int lower, struct sb_bytes *out,
    struct sb_error *err)
{
	const char *q = v->val, *end = v->val + v->vlen;
	unsigned char *buf;
	size_t n = 0;
	int c;

	buf = malloc(v->vlen + 1);
	if (buf == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
	if (v->hex) {
		for (n = 0; n < v->vlen; n++)
			buf[n] = (unsigned char)(lower ?
			    sb_ascii_lower(v->val[n]) : v->val[n]);
	} else {
		while ((c = map_dnscan_getc(&q, end)) != -1)
			buf[n++] = (unsigned char)(lower ? sb_ascii_lower(c) :
			    c);
	}
	buf[n] = '\0';
	out->p = buf;
	out->len = n;
	return SB_OK;
}
