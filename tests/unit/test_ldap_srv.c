/*
 * Unit tests for ldap/srv.c: SRV answers parsed from crafted DNS replies,
 * RFC 2782's order with a chosen random source, and the URIs made of them.
 * No DNS is asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ldap/srv.h"

/* A DNS reply being built. */
struct pkt {
	unsigned char b[1024];
	size_t len;
};

static void
put16(struct pkt *p, unsigned int v)
{
	p->b[p->len++] = (unsigned char)(v >> 8);
	p->b[p->len++] = (unsigned char)v;
}

static void
put32(struct pkt *p, unsigned long v)
{
	put16(p, (unsigned int)(v >> 16));
	put16(p, (unsigned int)(v & 0xffff));
}

/* "a.b.c" as labels; "" is the root. */
static void
put_name(struct pkt *p, const char *name)
{
	const char *s = name, *dot;
	size_t n;

	while (*s != '\0') {
		dot = strchr(s, '.');
		n = dot ? (size_t)(dot - s) : strlen(s);
		p->b[p->len++] = (unsigned char)n;
		memcpy(p->b + p->len, s, n);
		p->len += n;
		s += n + (dot ? 1 : 0);
	}
	p->b[p->len++] = 0;
}

/* Header and question for _ldap._tcp.dc._msdcs.corp.example, an answers. */
static void
begin(struct pkt *p, unsigned int an)
{
	memset(p, 0, sizeof(*p));
	put16(p, 0x1234); /* id */
	put16(p, 0x8180); /* a response, recursion available, no error */
	put16(p, 1);
	put16(p, an);
	put16(p, 0);
	put16(p, 0);
	put_name(p, "_ldap._tcp.dc._msdcs.corp.example");
	put16(p, 33); /* SRV */
	put16(p, 1); /* IN */
}

/* One SRV answer; target NULL: compressed, pointing at "corp.example". */
static void
srv(struct pkt *p, unsigned int prio, unsigned int weight, unsigned int port,
    const char *target)
{
	size_t rdlen_at;

	put16(p, 0xc00c); /* the question's name */
	put16(p, 33);
	put16(p, 1);
	put32(p, 600);
	rdlen_at = p->len;
	put16(p, 0);
	put16(p, prio);
	put16(p, weight);
	put16(p, port);
	if (target != NULL)
		put_name(p, target);
	else {
		p->b[p->len++] = 3;
		memcpy(p->b + p->len, "dc9", 3);
		p->len += 3;
		put16(p,
		    0xc000 | (12 + 21)); /* the question's "corp.example" */
	}
	p->b[rdlen_at] = (unsigned char)((p->len - rdlen_at - 2) >> 8);
	p->b[rdlen_at + 1] = (unsigned char)(p->len - rdlen_at - 2);
}

static void
test_srv_parse_reads_every_record(void **state)
{
	struct ad_srv *v = NULL;
	struct sb_error err;
	struct pkt p;
	size_t n = 0;

	(void)state;
	begin(&p, 3);
	srv(&p, 0, 100, 389, "dc1.corp.example");
	srv(&p, 10, 0, 3890, "dc2.corp.example.");
	srv(&p, 5, 7, 389, NULL);
	assert_int_equal(ad_srv_parse(p.b, (int)p.len, &v, &n, &err), SB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].target, "dc1.corp.example");
	assert_int_equal(v[0].priority, 0);
	assert_int_equal(v[0].weight, 100);
	assert_int_equal(v[0].port, 389);
	assert_string_equal(v[1].target, "dc2.corp.example");
	assert_int_equal(v[1].port, 3890);
	assert_string_equal(v[2].target, "dc9.corp.example");
	assert_int_equal(v[2].priority, 5);
	assert_int_equal(v[2].weight, 7);
	free(v);
}

static void
test_srv_parse_leaves_out_the_root_target_and_other_types(void **state)
{
	struct ad_srv *v = NULL;
	struct sb_error err;
	struct pkt p;
	size_t n = 9, at;

	(void)state;
	begin(&p, 3);
	srv(&p, 0, 0, 0, ""); /* ".": no service here */
	/* an A record in the answer */
	put16(&p, 0xc00c);
	put16(&p, 1);
	put16(&p, 1);
	put32(&p, 60);
	put16(&p, 4);
	at = p.len;
	p.len += 4;
	memset(p.b + at, 127, 1);
	srv(&p, 1, 1, 389, "dc1.corp.example");
	assert_int_equal(ad_srv_parse(p.b, (int)p.len, &v, &n, &err), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].target, "dc1.corp.example");
	free(v);

	/* a target that is no host name would become part of a URI */
	begin(&p, 2);
	srv(&p, 0, 0, 389, "dc1/x?y.corp.example");
	srv(&p, 1, 0, 389, "dc2.corp.example");
	assert_int_equal(ad_srv_parse(p.b, (int)p.len, &v, &n, &err), SB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].target, "dc2.corp.example");
	free(v);

	/* nothing but "." */
	begin(&p, 1);
	srv(&p, 0, 0, 0, "");
	assert_int_equal(ad_srv_parse(p.b, (int)p.len, &v, &n, &err), SB_OK);
	assert_int_equal(n, 0);
	free(v);
}

static void
test_srv_parse_refuses_a_truncated_reply(void **state)
{
	struct ad_srv *v = NULL;
	struct sb_error err;
	struct pkt p;
	size_t n = 0;

	(void)state;
	begin(&p, 2);
	srv(&p, 0, 100, 389, "dc1.corp.example");
	srv(&p, 0, 100, 389, "dc2.corp.example");
	memset(&err, 0, sizeof(err));
	assert_int_equal(ad_srv_parse(p.b, (int)p.len - 5, &v, &n, &err),
	    SB_RETRY);
	assert_null(v);
	assert_string_equal(err.where, "ad.srv");
	assert_non_null(strstr(err.text, "does not parse"));
	assert_int_equal(ad_srv_parse(p.b, 7, &v, &n, &err), SB_RETRY);
	assert_null(v);
}

/* A random source that answers from a list and records the bounds asked. */
struct script {
	unsigned long answers[8];
	unsigned long bounds[8];
	size_t n;
};

static unsigned long
scripted(void *arg, unsigned long bound)
{
	struct script *s = arg;

	assert_true(s->n < 8);
	s->bounds[s->n] = bound;
	return s->answers[s->n++];
}

static void
rec(struct ad_srv *r, unsigned int prio, unsigned int weight, const char *t)
{
	memset(r, 0, sizeof(*r));
	r->priority = prio;
	r->weight = weight;
	r->port = 389;
	strcpy(r->target, t);
}

static void
test_srv_order_by_priority_then_weighted_pick(void **state)
{
	struct ad_srv v[5];
	struct script s = { { 1, 70 }, { 0 }, 0 };

	(void)state;
	rec(&v[0], 10, 60, "a");
	rec(&v[1], 10, 40, "b");
	rec(&v[2], 0, 0, "c");
	rec(&v[3], 5, 10, "e");
	rec(&v[4], 5, 0, "d");
	ad_srv_order(v, 5, scripted, &s);
	/* priority 0 alone: no pick; 5: d (weight 0) first in the sums */
	assert_string_equal(v[0].target, "c");
	/* total 10, pick 1: d's sum 0 < 1, e's 10 >= 1: e */
	assert_string_equal(v[1].target, "e");
	assert_string_equal(v[2].target, "d");
	/* total 100, pick 70: a's 60 < 70, b's 100: b first */
	assert_string_equal(v[3].target, "b");
	assert_string_equal(v[4].target, "a");
	assert_int_equal(s.n, 2);
	assert_int_equal(s.bounds[0], 10);
	assert_int_equal(s.bounds[1], 100);
}

static void
test_srv_order_pick_zero_takes_weight_zero_and_keeps_the_rest(void **state)
{
	struct ad_srv v[3];
	struct script s = { { 0, 60 }, { 0 }, 0 };

	(void)state;
	rec(&v[0], 0, 60, "a");
	rec(&v[1], 0, 40, "b");
	rec(&v[2], 0, 0, "z");
	ad_srv_order(v, 3, scripted, &s);
	/* z (0) leads the sums; pick 0 takes it, then 60 of a+b: a */
	assert_string_equal(v[0].target, "z");
	assert_string_equal(v[1].target, "a");
	assert_string_equal(v[2].target, "b");
	assert_int_equal(s.bounds[0], 100);
	assert_int_equal(s.bounds[1], 100);
}

static void
test_srv_uris_use_636_for_ldaps_and_the_record_port_for_starttls(void **state)
{
	struct ad_srv v[2];
	struct sb_error err;
	char **u = NULL;

	(void)state;
	rec(&v[0], 0, 0, "dc1.corp.example");
	rec(&v[1], 0, 0, "dc2.corp.example");
	v[1].port = 3890;
	assert_int_equal(ad_srv_uris(v, 2, 0, &u, &err), SB_OK);
	assert_string_equal(u[0], "ldaps://dc1.corp.example:636");
	assert_string_equal(u[1], "ldaps://dc2.corp.example:636");
	assert_null(u[2]);
	ad_srv_uris_free(u);
	assert_int_equal(ad_srv_uris(v, 2, 1, &u, &err), SB_OK);
	assert_string_equal(u[0], "ldap://dc1.corp.example:389");
	assert_string_equal(u[1], "ldap://dc2.corp.example:3890");
	ad_srv_uris_free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srv_parse_reads_every_record),
		cmocka_unit_test(
		    test_srv_parse_leaves_out_the_root_target_and_other_types),
		cmocka_unit_test(test_srv_parse_refuses_a_truncated_reply),
		cmocka_unit_test(test_srv_order_by_priority_then_weighted_pick),
		cmocka_unit_test(
		    test_srv_order_pick_zero_takes_weight_zero_and_keeps_the_rest),
		cmocka_unit_test(
		    test_srv_uris_use_636_for_ldaps_and_the_record_port_for_starttls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
