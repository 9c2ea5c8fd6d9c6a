/* RFC 4514 DNs: value escaping, parsing, AD-style comparison, ancestry and parent. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"

/* One attribute=value as written: views into the DN string, nothing copied. */
struct ava_view {
	const char	*type;
	size_t		 tlen;
	const char	*val;		/* escaped text as written */
	size_t		 vlen;
	int		 hex;		/* a "#hex" (BER) value */
};

struct rdn_view {
	struct ava_view	 avas[MAP_DN_MAX_AVAS];
	size_t		 n;
	const char	*start;		/* the RDN as written: start .. end */
	const char	*end;
};

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

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

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Parses one AVA at *pp.  On success *pp is past the separator and *sep is
 * ',', '+' or '\0'.  Returns -1 when malformed.
 */
static int
ava_next(const char **pp, struct ava_view *v, char *sep)
{
	const char *p = *pp, *keep;
	int c;

	while (*p == ' ')
		p++;
	v->type = p;
	if (is_alpha((unsigned char)*p)) {
		while (is_alpha((unsigned char)*p) ||
		    is_digit((unsigned char)*p) || *p == '-')
			p++;
	} else if (is_digit((unsigned char)*p)) {
		while (is_digit((unsigned char)*p) || *p == '.')
			p++;
	} else {
		return -1;
	}
	v->tlen = (size_t)(p - v->type);
	while (*p == ' ')
		p++;
	if (*p++ != '=')
		return -1;
	while (*p == ' ')
		p++;
	v->val = p;
	v->hex = (*p == '#');
	if (v->hex) {
		p++;
		while (hex_value((unsigned char)*p) >= 0)
			p++;
		if (p - v->val < 3 || (p - v->val - 1) % 2 != 0)
			return -1;
		keep = p;
	} else {
		keep = p;
		for (;;) {
			c = (unsigned char)*p;
			if (c == '\0' || c == ',' || c == '+')
				break;
			if (c == '\\') {
				if (hex_value((unsigned char)p[1]) >= 0 &&
				    hex_value((unsigned char)p[2]) >= 0)
					p += 3;
				else if (p[1] != '\0' &&
				    strchr(" \"#+,;<=>\\", p[1]) != NULL)
					p += 2;
				else
					return -1;
				keep = p;
				continue;
			}
			if (c == '"' || c == ';' || c == '<' || c == '>')
				return -1;
			p++;
			if (c != ' ')
				keep = p;
		}
	}
	v->vlen = (size_t)(keep - v->val);
	if (v->vlen == 0)
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

/* Parses one RDN; *more says whether another follows.  -1 when malformed. */
static int
rdn_next(const char **pp, struct rdn_view *r, int *more)
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

/* Number of RDNs of a well-formed non-empty DN; 0 otherwise. */
static size_t
dn_count(const char *dn)
{
	struct rdn_view r;
	const char *p = dn;
	size_t n = 0;
	int more = 1;

	if (dn == NULL || strnlen(dn, MAP_DN_MAX + 1) > MAP_DN_MAX)
		return 0;
	while (more) {
		if (rdn_next(&p, &r, &more) != 0)
			return 0;
		n++;
	}
	return n;
}

/* Next unescaped byte of a value view, or -1 at its end. */
static int
val_getc(const char **pp, const char *end)
{
	const char *q = *pp;
	int hi, lo;

	if (q >= end)
		return -1;
	if (*q == '\\') {
		hi = hex_value((unsigned char)q[1]);
		lo = hi >= 0 ? hex_value((unsigned char)q[2]) : -1;
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

static int
ava_equal(const struct ava_view *a, const struct ava_view *b)
{
	const char *pa = a->val, *pb = b->val;
	int ca, cb;

	if (a->tlen != b->tlen || strncasecmp(a->type, b->type, a->tlen) != 0)
		return 0;
	if (a->hex != b->hex)
		return 0;
	do {
		ca = val_getc(&pa, a->val + a->vlen);
		cb = val_getc(&pb, b->val + b->vlen);
		if (fold(ca) != fold(cb))
			return 0;
	} while (ca != -1);
	return 1;
}

/*
 * Multi-valued RDNs compare as multisets of AVAs, as their normal forms do
 * (map_dn_normalize sorts the AVAs and keeps duplicates): order does not
 * matter, repetition does.  Each AVA of a takes an AVA of b that no earlier
 * one took; ava_equal is an equivalence, so this greedy pairing finds a
 * complete one whenever there is one, and the test is symmetric.
 */
static int
rdn_equal(const struct rdn_view *a, const struct rdn_view *b)
{
	unsigned char used[MAP_DN_MAX_AVAS] = { 0 };
	size_t i, j;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (!used[j] && ava_equal(&a->avas[i], &b->avas[j]))
				break;
		if (j == b->n)
			return 0;
		used[j] = 1;
	}
	return 1;
}

/* Compares the next n RDNs of *pa and *pb; both are known well-formed. */
static int
rdns_equal(const char *pa, const char *pb, size_t n)
{
	struct rdn_view ra, rb;
	int more;

	while (n-- > 0) {
		if (rdn_next(&pa, &ra, &more) != 0 ||
		    rdn_next(&pb, &rb, &more) != 0)
			return 0;
		if (!rdn_equal(&ra, &rb))
			return 0;
	}
	return 1;
}

static const char *
skip_rdns(const char *p, size_t n)
{
	struct rdn_view r;
	int more;

	while (n-- > 0)
		if (rdn_next(&p, &r, &more) != 0)
			return NULL;
	return p;
}

int
map_dn_valid(const char *dn)
{
	return dn_count(dn) > 0;
}

size_t
map_dn_depth(const char *dn)
{
	return dn_count(dn);
}

int
map_dn_is_under(const char *dn, const char *base)
{
	size_t nd = dn_count(dn), nb = dn_count(base);
	const char *p;

	if (nd == 0 || nb == 0 || nb > nd)
		return 0;
	p = skip_rdns(dn, nd - nb);
	return p != NULL && rdns_equal(p, base, nb);
}

int
map_dn_is_under_rdn(const char *dn, const char *rdn, const char *base)
{
	size_t nd = dn_count(dn), nb = dn_count(base);
	const char *p;

	if (nd == 0 || nb == 0 || dn_count(rdn) != 1 || nb + 1 > nd)
		return 0;
	p = skip_rdns(dn, nd - nb - 1);
	if (p == NULL || !rdns_equal(p, rdn, 1))
		return 0;
	p = skip_rdns(p, 1);
	return p != NULL && rdns_equal(p, base, nb);
}

int
map_dn_equal(const char *a, const char *b)
{
	size_t na = dn_count(a);

	return na > 0 && na == dn_count(b) && rdns_equal(a, b, na);
}

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
		st = sb_buf_append(&b, "", 0, err);	/* "" still gets a buffer */
	if (st != SB_OK)
		goto done;
	*out = b.p;
	sb_buf_init(&b, 0);
done:
	sb_buf_free(&b);
	return st;
}

/* Unescapes a value view into out (new; caller frees with sb_bytes_free). */
static enum sb_status
ava_value(const struct ava_view *v, int lower, struct sb_bytes *out,
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
			buf[n] = (unsigned char)(lower ? fold(v->val[n]) :
			    v->val[n]);
	} else {
		while ((c = val_getc(&q, end)) != -1)
			buf[n++] = (unsigned char)(lower ? fold(c) : c);
	}
	buf[n] = '\0';
	out->p = buf;
	out->len = n;
	return SB_OK;
}

void
map_dn_free(struct map_dn *dn)
{
	size_t i, j;

	if (dn == NULL)
		return;
	for (i = 0; i < dn->nrdns; i++) {
		for (j = 0; j < dn->rdns[i].navas; j++) {
			free(dn->rdns[i].avas[j].type);
			sb_bytes_free(&dn->rdns[i].avas[j].value);
		}
		free(dn->rdns[i].avas);
	}
	free(dn->rdns);
	free(dn);
}

enum sb_status
map_dn_parse(const char *dn, struct map_dn **out, struct sb_error *err)
{
	struct map_dn *d = NULL;
	struct rdn_view r;
	struct map_rdn *mr;
	const char *p = dn;
	size_t n = dn_count(dn), i, j;
	enum sb_status st;
	int more;

	if (n == 0) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
		goto done;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL || (d->rdns = calloc(n, sizeof(*d->rdns))) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		rdn_next(&p, &r, &more);	/* dn_count checked it */
		mr = &d->rdns[i];
		mr->avas = calloc(r.n, sizeof(*mr->avas));
		if (mr->avas == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "map.dn",
			    "out of memory");
			goto done;
		}
		d->nrdns++;
		for (j = 0; j < r.n; j++) {
			mr->avas[j].type = strndup(r.avas[j].type,
			    r.avas[j].tlen);
			if (mr->avas[j].type == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "map.dn",
				    "out of memory");
				goto done;
			}
			mr->navas++;
			st = ava_value(&r.avas[j], 0, &mr->avas[j].value, err);
			if (st != SB_OK)
				goto done;
		}
	}
	*out = d;
	d = NULL;
	st = SB_OK;
done:
	map_dn_free(d);
	return st;
}

/* "type=value" of one AVA, canonical: new string in *out. */
static enum sb_status
ava_canonical(const struct ava_view *v, char **out, struct sb_error *err)
{
	struct sb_bytes val = { 0 };
	struct sb_buf b;
	enum sb_status st;
	size_t i;
	char c;

	sb_buf_init(&b, 4 * MAP_DN_MAX);
	for (i = 0, st = SB_OK; i < v->tlen && st == SB_OK; i++) {
		c = (char)fold((unsigned char)v->type[i]);
		st = sb_buf_append(&b, &c, 1, err);
	}
	if (st == SB_OK)
		st = sb_buf_append(&b, "=", 1, err);
	if (st == SB_OK)
		st = ava_value(v, 1, &val, err);
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
	struct rdn_view r;
	struct sb_buf b;
	const char *p = dn;
	size_t n = dn_count(dn), i, j, k = 0;
	enum sb_status st = SB_OK;
	int more;

	sb_buf_init(&b, 4 * MAP_DN_MAX);
	if (n == 0) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
		goto done;
	}
	for (i = 0; i < n; i++) {
		rdn_next(&p, &r, &more);
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

enum sb_status
map_dn_parent(const char *dn, char **out, struct sb_error *err)
{
	struct rdn_view r;
	const char *p = dn;
	char *copy;
	int more;

	if (dn_count(dn) == 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
	rdn_next(&p, &r, &more);
	if (!more)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn",
		    "DN has no parent");
	while (*p == ' ')
		p++;
	copy = strdup(p);
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
	*out = copy;
	return SB_OK;
}

enum sb_status
map_dn_rdn(const char *dn, char **out, struct sb_error *err)
{
	struct rdn_view r;
	const char *p = dn;
	char *copy;
	int more;

	if (dn_count(dn) == 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
	rdn_next(&p, &r, &more);
	copy = strndup(r.start, (size_t)(r.end - r.start));
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
	*out = copy;
	return SB_OK;
}
