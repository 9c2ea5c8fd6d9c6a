/* DNs compared as AD compares them: equality, ancestry, depth, validity. */
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "dnscan.h"

static int
ava_equal(const struct map_ava_view *a, const struct map_ava_view *b)
{
	const char *pa = a->val, *pb = b->val;
	int ca, cb;

	if (a->tlen != b->tlen || strncasecmp(a->type, b->type, a->tlen) != 0)
		return 0;
	if (a->hex != b->hex)
		return 0;
	do {
		ca = map_dnscan_getc(&pa, a->val + a->vlen);
		cb = map_dnscan_getc(&pb, b->val + b->vlen);
		if (sb_ascii_lower(ca) != sb_ascii_lower(cb))
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
rdn_equal(const struct map_rdn_view *a, const struct map_rdn_view *b)
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
	struct map_rdn_view ra, rb;
	int more;

	while (n-- > 0) {
		if (map_dnscan_rdn(&pa, &ra, &more) != 0 ||
		    map_dnscan_rdn(&pb, &rb, &more) != 0)
			return 0;
		if (!rdn_equal(&ra, &rb))
			return 0;
	}
	return 1;
}

static const char *
skip_rdns(const char *p, size_t n)
{
	struct map_rdn_view r;
	int more;

	while (n-- > 0)
		if (map_dnscan_rdn(&p, &r, &more) != 0)
			return NULL;
	return p;
}

int
map_dn_valid(const char *dn)
{
	return map_dnscan_count(dn) > 0;
}

size_t
map_dn_depth(const char *dn)
{
	return map_dnscan_count(dn);
}

int
map_dn_is_under(const char *dn, const char *base)
{
	size_t nd = map_dnscan_count(dn), nb = map_dnscan_count(base);
	const char *p;

	if (nd == 0 || nb == 0 || nb > nd)
		return 0;
	p = skip_rdns(dn, nd - nb);
	return p != NULL && rdns_equal(p, base, nb);
}

int
map_dn_is_under_rdn(const char *dn, const char *rdn, const char *base)
{
	size_t nd = map_dnscan_count(dn), nb = map_dnscan_count(base);
	const char *p;

	if (nd == 0 || nb == 0 || map_dnscan_count(rdn) != 1 || nb + 1 > nd)
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
	size_t na = map_dnscan_count(a);

	return na > 0 && na == map_dnscan_count(b) && rdns_equal(a, b, na);
}
