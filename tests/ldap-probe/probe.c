/*
 * probe: exercises ldap/ against the lab DC (tests/lab/lab) with the
 * fixtures tests/ldap-probe/run.sh creates.  Prints "ok N - ..." or
 * "not ok N - ..." per check and "N passed, N failed"; exit 1 on failure.
 * Environment: tests/lab/run/lab.env, plus PROBE_OU (fixtures), PROBE_GROUPS_OU
 * (groups svc may create), PROBE_BAD_CA (a CA that did not sign the DC's
 * certificate) and PROBE_LOG (the file this program's stderr goes to, for
 * checks on the log lines).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "mapping/log.h"
#include "ldap/conn.h"
#include "ldap/errmap.h"
#include "ldap/escape.h"
#include "ldap/range.h"
#include "ldap/read.h"
#include "ldap/schema.h"
#include "ldap/search.h"
#include "ldap/write.h"
#include "mapping/core.h"
#include "mapping/dirobj.h"

static int npass, nfail, ncheck;
static struct sb_bytes password;
static const char *env_uri, *env_starttls_uri, *env_base, *env_bind_dn,
    *env_ca, *env_bad_ca, *env_ou, *env_groups_ou, *env_log, *env_admin_pw;

/* Every error text seen, to check no secret got into one. */
static char seen_errors[64 * 1024];
static size_t seen_len;

static void check(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
check(int cond, const char *fmt, ...)
{
	va_list ap;

	ncheck++;
	printf("%s %d - ", cond ? "ok" : "not ok", ncheck);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (cond)
		npass++;
	else
		nfail++;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
note(const char *fmt, ...)
{
	va_list ap;

	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void
remember(const struct sb_error *err)
{
	size_t n = strlen(err->text);

	if (seen_len + n + 1 < sizeof(seen_errors)) {
		memcpy(seen_errors + seen_len, err->text, n);
		seen_len += n;
		seen_errors[seen_len++] = '\n';
	}
}

/* Shows err under a failed step, and keeps it for the secrets check. */
static void
show(enum sb_status st, const struct sb_error *err)
{
	remember(err);
	if (st != SB_OK)
		note("status=%s code=%d where=%s text=%s", sb_status_name(st),
		    err->code, err->where, err->text);
}

/* Shows the error a step was meant to give (how errors look, for the record). */
static void
show_expected(enum sb_status st, const struct sb_error *err)
{
	remember(err);
	note("status=%s code=%d where=%s text=%s", sb_status_name(st),
	    err->code, err->where, err->text);
}

static const char *
need(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stdout, "Bail out! %s is not set\n", name);
		exit(2);
	}
	return v;
}

static int
read_password(void)
{
	const char *file = getenv("LAB_BIND_PW_FILE"), *pw;
	char buf[512];
	size_t n;
	FILE *f;
	struct sb_error err = { 0 };

	if (file != NULL && *file != '\0') {
		f = fopen(file, "r");
		if (f == NULL)
			return -1;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
	} else {
		pw = need("LAB_BIND_PW");
		n = strlen(pw);
		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, pw, n);
	}
	if (sb_bytes_copy(&password, buf, n, &err) != SB_OK)
		return -1;
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

static enum sb_status
connect_to(const char *uri, const char *ca, int starttls,
    const struct sb_bytes *pw, struct ad_conn **c, struct sb_error *err)
{
	struct ad_params p = {
		.uri = uri, .ca_file = ca, .starttls = starttls,
		.bind_dn = env_bind_dn, .password = pw, .timeout_s = 10,
	};

	memset(err, 0, sizeof(*err));
	return ad_connect(&p, c, err);
}

/* --- the log file this program's stderr goes to ---------------------------------------------- */

static long
log_mark(void)
{
	struct stat sb;

	fflush(stderr);
	if (env_log == NULL || stat(env_log, &sb) != 0)
		return -1;
	return (long)sb.st_size;
}

/* Lines after mark that contain every one of the needles (NULL-terminated). */
static int
log_count(long mark, const char *const *needles)
{
	char line[4096];
	int n = 0, all;
	size_t i;
	FILE *f;

	fflush(stderr);
	if (env_log == NULL || mark < 0 || (f = fopen(env_log, "r")) == NULL)
		return -1;
	if (fseek(f, mark, SEEK_SET) == 0) {
		while (fgets(line, sizeof(line), f) != NULL) {
			all = 1;
			for (i = 0; needles[i] != NULL; i++)
				if (strstr(line, needles[i]) == NULL)
					all = 0;
			n += all;
		}
	}
	fclose(f);
	return n;
}

/* 1 when the whole log holds s. */
static int
log_holds(const char *s, size_t len)
{
	char *buf;
	long size;
	size_t n, i;
	FILE *f;
	int hit = 0;

	fflush(stderr);
	if (env_log == NULL || (f = fopen(env_log, "rb")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, (size_t)size, f);
	fclose(f);
	for (i = 0; len > 0 && i + len <= n && !hit; i++)
		hit = memcmp(buf + i, s, len) == 0;
	free(buf);
	return hit;
}

/* --- collecting search results --------------------------------------------------------------- */

static enum sb_status
collect(struct dirobj *o, void *arg, struct sb_error *err)
{
	return dirset_add(arg, o, err);
}

/* The object at dn with attrs (base search), or NULL. */
static struct dirobj *
read_obj(struct ad_conn *c, const char *dn, const char *const *attrs,
    enum sb_status *stp, struct sb_error *err)
{
	struct dirset s;
	struct dirobj *o = NULL;
	enum sb_status st;

	dirset_init(&s);
	st = ad_search(c, dn, AD_SCOPE_BASE, "(objectClass=*)", attrs, collect,
	    &s, err);
	if (st == SB_OK && s.n == 1) {
		o = s.objs[0];
		s.n = 0;
	}
	if (stp != NULL)
		*stp = st;
	if (st != SB_OK)
		show(st, err);
	dirset_free(&s);
	return o;
}

static int
has_value(const struct dirobj *o, const char *attr, const void *p, size_t len)
{
	const struct dirattr *a = o ? dirobj_get(o, attr) : NULL;
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len == len && memcmp(a->vals[i].p, p, len) == 0)
			return 1;
	return 0;
}

static size_t
count_values(const struct dirobj *o, const char *attr)
{
	const struct dirattr *a = o ? dirobj_get(o, attr) : NULL;

	return a ? a->nvals : 0;
}

static struct sb_bytes
bytes_of(const char *s)
{
	struct sb_bytes b = { (unsigned char *)(uintptr_t)s, strlen(s) };

	return b;
}

/* --- the checks ------------------------------------------------------------------------------ */

static void
test_connect_failures(void)
{
	struct ad_conn *c = NULL;
	struct sb_error err = { 0 };
	struct sb_bytes bad = bytes_of("not-the-password");
	enum sb_status st;

	st = connect_to("ldap://127.0.0.1", env_ca, 0, &password, &c, &err);
	show_expected(st, &err);
	check(st == SB_CONFIG && strstr(err.text, "clear text") != NULL,
	    "plain ldap:// without starttls is refused before any bind (config)");
	ad_close(c);
	c = NULL;

	st = connect_to(env_uri, env_ca, 0, &bad, &c, &err);
	show_expected(st, &err);
	check(st == SB_STOP && strstr(err.text, "invalid credentials") &&
	    strstr(err.text, env_bind_dn) && strstr(err.text, "[AD: ") &&
	    err.code == 49 && strcmp(err.where, "ad.bind") == 0,
	    "bad password: stop, \"invalid credentials\", the bind DN and AD's "
	    "diagnostic");
	ad_close(c);
	c = NULL;

	st = connect_to(env_uri, env_bad_ca, 0, &password, &c, &err);
	show_expected(st, &err);
	check(st == SB_STOP &&
	    strstr(err.text, "certificate verification failed") != NULL,
	    "ldaps with a CA that did not sign the DC's certificate: stop, "
	    "certificate verification failed");
	ad_close(c);
	c = NULL;

	st = connect_to(env_starttls_uri, env_bad_ca, 1, &password, &c, &err);
	show_expected(st, &err);
	check(st == SB_STOP &&
	    strstr(err.text, "certificate verification failed") != NULL,
	    "StartTLS with the wrong CA: stop, certificate verification failed");
	ad_close(c);
	c = NULL;

	st = connect_to("ldaps://127.0.0.1:1", env_ca, 0, &password, &c, &err);
	show_expected(st, &err);
	check(st == SB_RETRY && strstr(err.text, "cannot reach") != NULL,
	    "nothing listening: retry, \"cannot reach\"");
	ad_close(c);
	c = NULL;

	st = connect_to(env_uri, "/nonexistent/ca.pem", 0, &password, &c, &err);
	show_expected(st, &err);
	check(st == SB_CONFIG && strstr(err.text, "/nonexistent/ca.pem"),
	    "missing ca_file: config error naming the file");
	ad_close(c);
}

static void
test_connect(struct ad_conn **out)
{
	struct ad_conn *c = NULL;
	struct sb_error err = { 0 };
	enum sb_status st;
	unsigned long long usn = 0;

	st = connect_to(env_starttls_uri, env_ca, 1, &password, &c, &err);
	show(st, &err);
	check(st == SB_OK, "StartTLS on ldap:// with CA verification binds");
	ad_close(c);
	c = NULL;

	st = connect_to(env_uri, env_ca, 0, &password, &c, &err);
	show(st, &err);
	check(st == SB_OK, "ldaps:// with CA verification binds");
	if (st != SB_OK)
		return;
	check(strcasecmp(ad_conn_default_nc(c), env_base) == 0 &&
	    ad_conn_schema_nc(c) != NULL && ad_conn_dns_host(c) != NULL &&
	    ad_conn_usn(c) > 0,
	    "rootDSE at connect: defaultNamingContext %s, schema NC, dnsHostName "
	    "%s, highestCommittedUSN %llu", ad_conn_default_nc(c),
	    ad_conn_dns_host(c) ? ad_conn_dns_host(c) : "-", ad_conn_usn(c));
	st = ad_root_usn(c, &usn, &err);
	show(st, &err);
	check(st == SB_OK && usn >= ad_conn_usn(c),
	    "ad_root_usn re-reads highestCommittedUSN (%llu)", usn);
	*out = c;
}

static void
test_paged(struct ad_conn *c)
{
	static const char *const attrs[] = { "cn", "objectGUID", "objectSid",
	    "sAMAccountName", NULL };
	const char *pages3[] = { "op=search", "entries=1200", "pages=3", NULL };
	const char *pages1000[] = { "op=search", "entries=1000", "pages=3",
	    NULL };
	char base[1024];
	unsigned char seen[1201];
	struct dirset s;
	struct sb_error err = { 0 };
	enum sb_status st;
	size_t i, dup = 0, bad = 0;
	long mark;
	const char *cn;
	int idx;

	snprintf(base, sizeof(base), "OU=paged,%s", env_ou);
	memset(seen, 0, sizeof(seen));
	dirset_init(&s);
	mark = log_mark();
	st = ad_search(c, base, AD_SCOPE_SUB, "(objectClass=user)", attrs,
	    collect, &s, &err);
	show(st, &err);
	for (i = 0; st == SB_OK && i < s.n; i++) {
		cn = dirobj_get_str(s.objs[i], "cn");
		idx = cn && strncmp(cn, "probe-u", 7) == 0 ?
		    (int)strtol(cn + 7, NULL, 10) : 0;
		if (idx < 1 || idx > 1200 || s.objs[i]->kind != DIROBJ_USER ||
		    s.objs[i]->guid.len != 16 || s.objs[i]->sid.len != 28 ||
		    dirobj_get(s.objs[i], "objectGUID") != NULL)
			bad++;
		else if (seen[idx]++)
			dup++;
	}
	check(st == SB_OK && s.n == 1200 && dup == 0 && bad == 0,
	    "paged search of 1,200 users returns each exactly once (%zu "
	    "entries, %zu duplicates, %zu malformed), kind user, 16-byte "
	    "objectGUID and a SID in the anchors", s.n, dup, bad);
	idx = log_count(mark, pages3);
	check(idx == 1, "... in 3 pages of 500 (debug log: %d matching line)",
	    idx);
	dirset_free(&s);

	/* Exactly two full pages: Samba sends a cookie with the second and then an empty page. */
	dirset_init(&s);
	mark = log_mark();
	st = ad_search(c, base, AD_SCOPE_SUB, "(department=probe-1000)", attrs,
	    collect, &s, &err);
	show(st, &err);
	check(st == SB_OK && s.n == 1000 && log_count(mark, pages1000) == 1,
	    "1,000 matches = two full pages, then Samba's empty third page: "
	    "%zu entries", s.n);
	dirset_free(&s);

	/* At the domain root AD adds continuation references: skipped. */
	dirset_init(&s);
	st = ad_search(c, env_base, AD_SCOPE_SUB, "(cn=probe-u0007)", attrs,
	    collect, &s, &err);
	show(st, &err);
	check(st == SB_OK && s.n == 1, "subtree search from the domain root "
	    "skips continuation references: %zu entry", s.n);
	dirset_free(&s);

	dirset_init(&s);
	ad_search_set_page_size(c, 7);
	st = ad_search(c, base, AD_SCOPE_ONE, "(cn=probe-u00*)", attrs,
	    collect, &s, &err);
	ad_search_set_page_size(c, 0);
	show(st, &err);
	check(st == SB_OK && s.n == 99, "page size 7: 99 entries over 15 "
	    "pages (%zu)", s.n);
	dirset_free(&s);
}

/* The 3,000-member group amid 3,000 contacts: its ranged read runs while pages are in flight. */
static void
test_ranged_mid_search(struct ad_conn *c)
{
	static const char *const attrs[] = { "cn", "member;range=0-1499",
	    NULL };
	struct dirset s;
	struct sb_error err = { 0 };
	enum sb_status st;
	size_t i, groups = 0, contacts = 0, members = 0;

	dirset_init(&s);
	st = ad_search(c, env_ou, AD_SCOPE_SUB,
	    "(|(objectClass=group)(objectClass=contact))", attrs, collect, &s,
	    &err);
	show(st, &err);
	for (i = 0; st == SB_OK && i < s.n; i++) {
		if (s.objs[i]->kind == DIROBJ_GROUP) {
			groups++;
			members = count_values(s.objs[i], "member");
		} else if (s.objs[i]->kind == DIROBJ_CONTACT) {
			contacts++;
		}
	}
	check(st == SB_OK && groups == 1 && contacts == 3000 && members == 3000,
	    "a paged search of 3,000 contacts and the group follows the "
	    "group's ranges mid-search: %zu contacts, %zu members", contacts,
	    members);
	dirset_free(&s);
}

struct stop_after {
	size_t	n;
	size_t	limit;
};

static enum sb_status
stop_after(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct stop_after *sa = arg;

	dirobj_free(o);
	if (++sa->n == sa->limit)
		return sb_fail(err, SB_SKIP, 0, "probe", "enough after %zu",
		    sa->n);
	return SB_OK;
}

/* A callback that stops the search: abandoned, and the connection still works. */
static void
test_abort(struct ad_conn *c)
{
	static const char *const attrs[] = { "cn", NULL };
	struct stop_after sa = { 0, 10 };
	struct dirset s;
	char base[1024];
	struct sb_error err = { 0 };
	enum sb_status st, st2;

	snprintf(base, sizeof(base), "OU=paged,%s", env_ou);
	st = ad_search(c, base, AD_SCOPE_ONE, "(objectClass=user)", attrs,
	    stop_after, &sa, &err);
	dirset_init(&s);
	st2 = ad_search(c, base, AD_SCOPE_ONE, "(cn=probe-u0042)", attrs,
	    collect, &s, &err);
	show(st2, &err);
	check(st == SB_SKIP && sa.n == 10 && st2 == SB_OK && s.n == 1,
	    "a callback's failure ends the search with its status after 10 "
	    "entries; the next search on the connection works");
	dirset_free(&s);
}

static void
test_ranged(struct ad_conn *c)
{
	static const char *const ranged_attrs[] = { "member;range=0-1499",
	    NULL };
	static const char *const plain_attrs[] = { "member", NULL };
	const char *windows[] = { "op=range", "attr=member", NULL };
	char dn[1024];
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st;
	long mark;
	size_t i, distinct = 1;
	const struct dirattr *a;
	int n;

	snprintf(dn, sizeof(dn), "CN=probe-big,%s", env_ou);
	o = dirobj_new(DIROBJ_GROUP);
	mark = log_mark();
	st = ad_read_ranged(c, dn, "member", o, &err);
	show(st, &err);
	n = log_count(mark, windows);
	a = dirobj_get(o, "member");
	for (i = 1; a != NULL && i < a->nvals; i++) {
		size_t j;
		int dupe = 0;

		/* Few enough to compare each with its predecessors' neighbours. */
		for (j = i > 3 ? i - 3 : 0; j < i; j++)
			if (sb_bytes_cmp(&a->vals[i], &a->vals[j]) == 0)
				dupe = 1;
		distinct += !dupe;
	}
	check(st == SB_OK && count_values(o, "member") == 3000 &&
	    distinct == 3000 && n == 2,
	    "ranged read of a 3,000-member group: %zu values in %d windows "
	    "(0-1499, 1500-*)", count_values(o, "member"), n);
	dirobj_free(o);

	mark = log_mark();
	o = read_obj(c, dn, ranged_attrs, &st, &err);
	check(o != NULL && count_values(o, "member") == 3000 &&
	    dirobj_get(o, "member;range=0-1499") == NULL &&
	    o->kind == DIROBJ_GROUP && log_count(mark, windows) == 2,
	    "a search that gets member;range=0-1499 follows the ranges: %zu "
	    "values under \"member\"", count_values(o, "member"));
	dirobj_free(o);

	o = read_obj(c, dn, plain_attrs, &st, &err);
	check(o != NULL && count_values(o, "member") == 3000,
	    "plain member (Samba returns all): %zu values",
	    count_values(o, "member"));
	dirobj_free(o);

	test_ranged_mid_search(c);
}

static void
test_modify(struct ad_conn *c)
{
	static const char *const attrs[] = { "proxyAddresses",
	    "extensionAttribute1", NULL };
	struct sb_bytes v2[2] = { bytes_of("SMTP:ann@corp.example"),
	    bytes_of("smtp:old@corp.example") };
	struct sb_bytes add1 = bytes_of("smtp:new@corp.example");
	struct sb_bytes del1 = bytes_of("smtp:old@corp.example");
	struct sb_bytes x1 = bytes_of("first value");
	struct ad_mod m1[] = {
		{ "proxyAddresses", AD_MOD_REPLACE, v2, 2 },
		{ "extensionAttribute1", AD_MOD_REPLACE, &x1, 1 },
	};
	struct ad_mod m2[] = {
		{ "proxyAddresses", AD_MOD_ADD, &add1, 1 },
		{ "proxyAddresses", AD_MOD_DELETE, &del1, 1 },
		{ "extensionAttribute1", AD_MOD_DELETE, NULL, 0 },
	};
	struct ad_mod m3[] = {
		{ "extensionAttribute1", AD_MOD_REPLACE, &x1, 1 },
	};
	struct ad_mod m4[] = {
		{ "extensionAttribute1", AD_MOD_REPLACE, NULL, 0 },
	};
	struct ad_mod m5[] = {
		{ "proxyAddresses", AD_MOD_ADD, &add1, 1 },
	};
	struct ad_mod m6[] = {
		{ "extensionAttribute1", AD_MOD_DELETE, NULL, 0 },
	};
	const char *info[] = { "ad.modify", "attr=proxyAddresses", "add=1",
	    "del=1", "result=ok", NULL };
	char dn[1024];
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st;
	long mark;

	snprintf(dn, sizeof(dn), "CN=probe-w1,OU=w,%s", env_ou);
	st = ad_modify(c, dn, m1, 2, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && count_values(o, "proxyAddresses") == 2 &&
	    has_value(o, "proxyAddresses", v2[0].p, v2[0].len) &&
	    has_value(o, "extensionAttribute1", x1.p, x1.len),
	    "replace proxyAddresses (2 values) and extensionAttribute1 in one "
	    "modify");
	dirobj_free(o);

	mark = log_mark();
	st = ad_modify(c, dn, m2, 3, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && count_values(o, "proxyAddresses") == 2 &&
	    has_value(o, "proxyAddresses", v2[0].p, v2[0].len) &&
	    has_value(o, "proxyAddresses", add1.p, add1.len) &&
	    !has_value(o, "proxyAddresses", del1.p, del1.len) &&
	    dirobj_get(o, "extensionAttribute1") == NULL,
	    "value-level add and delete of proxyAddresses, delete of "
	    "extensionAttribute1, in one modify");
	check(log_count(mark, info) == 1,
	    "info log: ad.modify dn=... attr=proxyAddresses add=1 del=1 "
	    "result=ok");
	dirobj_free(o);

	st = ad_modify(c, dn, m3, 1, &err);
	show(st, &err);
	st = ad_modify(c, dn, m4, 1, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && dirobj_get(o, "extensionAttribute1") == NULL,
	    "replace with no values removes extensionAttribute1");
	dirobj_free(o);

	st = ad_modify(c, dn, m5, 1, &err);
	show_expected(st, &err);
	check(st == SB_RESYNC && err.code == 20 && strstr(err.text, dn),
	    "adding a value already present: resync (rc 20), the DN in the "
	    "message");
	st = ad_modify(c, dn, m6, 1, &err);
	show_expected(st, &err);
	check(st == SB_RESYNC && err.code == 16,
	    "deleting an absent attribute: resync (rc 16)");

	ad_set_permissive_modify(c, 1);
	st = ad_modify(c, dn, m5, 1, &err);
	show(st, &err);
	check(st == SB_OK, "with permissive modify, adding a present value "
	    "is fine");
	st = ad_modify(c, dn, m6, 1, &err);
	show(st, &err);
	check(st == SB_OK, "with permissive modify, deleting an absent "
	    "attribute is fine");
	ad_set_permissive_modify(c, 0);
}

static void
test_binary(struct ad_conn *c)
{
	static const unsigned char guid[16] = { 0x00, 0x2a, 0x28, 0x29, 0x5c,
	    0x80, 0xff, 0x00, 0x0a, 0x0d, 0x20, 0x7f, 0xc3, 0x28, 0x01, 0x00 };
	static const char *const attrs[] = { "mS-DS-ConsistencyGuid",
	    "objectGUID", NULL };
	struct sb_bytes v = { (unsigned char *)(uintptr_t)guid, 16 };
	struct ad_mod m[] = {
		{ "mS-DS-ConsistencyGuid", AD_MOD_REPLACE, &v, 1 },
	};
	char dn[1024], *filter = NULL;
	struct dirset s;
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st;

	snprintf(dn, sizeof(dn), "CN=probe-w1,OU=w,%s", env_ou);
	st = ad_modify(c, dn, m, 1, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && o != NULL && o->consistency_guid.len == 16 &&
	    memcmp(o->consistency_guid.p, guid, 16) == 0 &&
	    dirobj_get(o, "mS-DS-ConsistencyGuid") == NULL,
	    "binary mS-DS-ConsistencyGuid (NUL, '*', '(', ')', '\\', 0x80, "
	    "0xff) written and read back byte-exact into the anchor");

	dirset_init(&s);
	st = ad_filter_eq("mS-DS-ConsistencyGuid", guid, 16, &filter, &err);
	if (st == SB_OK)
		st = ad_search(c, env_ou, AD_SCOPE_SUB, filter, attrs, collect,
		    &s, &err);
	show(st, &err);
	check(st == SB_OK && s.n == 1 && s.objs[0]->consistency_guid.len == 16,
	    "search by the escaped binary value %s finds it", filter);
	dirset_free(&s);
	free(filter);
	filter = NULL;

	/* And by objectGUID, the way the join looks objects up. */
	dirset_init(&s);
	if (o != NULL && o->guid.len == 16) {
		st = ad_filter_eq("objectGUID", o->guid.p, 16, &filter, &err);
		if (st == SB_OK)
			st = ad_search(c, env_base, AD_SCOPE_SUB, filter, attrs,
			    collect, &s, &err);
		show(st, &err);
	}
	check(o != NULL && s.n == 1 && strcmp(s.objs[0]->dn, o->dn) == 0,
	    "search by escaped objectGUID from the domain root finds it");
	dirset_free(&s);
	free(filter);
	dirobj_free(o);
}

static void
test_values(struct ad_conn *c)
{
	static const char *const vals[] = {
		"Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
		"Doe, John",
		"say \"hi\"",
		"a=b",
		"a+b",
		"back\\slash",
		"  leading and trailing  ",
		"*(star and parens)*",
		"all: ,+=\\\"<>;# \\2a",
	};
	static const char *const attrs[] = { "extensionAttribute2", NULL };
	char dn[1024], *filter;
	struct dirobj *o;
	struct dirset s;
	struct sb_bytes v;
	struct ad_mod m[] = {
		{ "extensionAttribute2", AD_MOD_REPLACE, &v, 1 },
	};
	struct sb_error err = { 0 };
	enum sb_status st;
	size_t i;

	snprintf(dn, sizeof(dn), "CN=probe-w1,OU=w,%s", env_ou);
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		v = bytes_of(vals[i]);
		st = ad_modify(c, dn, m, 1, &err);
		show(st, &err);
		o = read_obj(c, dn, attrs, NULL, &err);
		filter = NULL;
		dirset_init(&s);
		if (st == SB_OK)
			st = ad_filter_eq("extensionAttribute2", v.p, v.len,
			    &filter, &err);
		if (st == SB_OK)
			st = ad_search(c, env_ou, AD_SCOPE_SUB, filter, attrs,
			    collect, &s, &err);
		show(st, &err);
		check(st == SB_OK && count_values(o, "extensionAttribute2") == 1
		    && has_value(o, "extensionAttribute2", v.p, v.len) &&
		    s.n == 1, "value [%s] round-trips byte-exact and is found "
		    "by filter %s", vals[i], filter ? filter : "-");
		if (o != NULL && !has_value(o, "extensionAttribute2", v.p,
		    v.len) && count_values(o, "extensionAttribute2") == 1)
			note("read back [%s]", (const char *)dirobj_get(o,
			    "extensionAttribute2")->vals[0].p);
		dirset_free(&s);
		free(filter);
		dirobj_free(o);
	}
}

static void
test_escaped_dn(struct ad_conn *c)
{
	static const char *const attrs[] = { "cn", "description",
	    "extensionAttribute3", NULL };
	static const char cn[] = "Doe, John";
	struct sb_bytes v = bytes_of("written through an escaped DN");
	struct ad_mod m[] = {
		{ "extensionAttribute3", AD_MOD_REPLACE, &v, 1 },
	};
	char dn[1024], dn2[1024], parent[512];
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st;

	snprintf(parent, sizeof(parent), "OU=w,%s", env_ou);
	snprintf(dn, sizeof(dn), "CN=Doe\\, John,%s", parent);
	st = ad_modify(c, dn, m, 1, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && o != NULL && has_value(o, "cn", cn, strlen(cn)) &&
	    has_value(o, "extensionAttribute3", v.p, v.len) &&
	    strcasecmp(o->dn, dn) == 0,
	    "a DN with an escaped comma (CN=Doe\\, John) is modified and read "
	    "back; the server's DN is %s", o ? o->dn : "-");
	dirobj_free(o);

	snprintf(dn2, sizeof(dn2), "CN=Doe\\, John \\2B Jr\\=,%s", parent);
	st = ad_rename(c, dn, "CN=Doe\\, John \\2B Jr\\=", NULL, &err);
	show(st, &err);
	o = read_obj(c, dn2, attrs, NULL, &err);
	check(st == SB_OK && o != NULL &&
	    has_value(o, "cn", "Doe, John + Jr=", 15),
	    "rename to CN=Doe\\, John \\2B Jr\\= (hex and char escapes): cn "
	    "is \"Doe, John + Jr=\", DN %s", o ? o->dn : "-");
	dirobj_free(o);
	st = ad_rename(c, dn2, "CN=Doe\\, John", NULL, &err);
	show(st, &err);
	check(st == SB_OK, "and back");
}

static void
test_add_rename_delete(struct ad_conn *c)
{
	static const char *const attrs[] = { "cn", "groupType",
	    "sAMAccountName", NULL };
	struct sb_bytes oc = bytes_of("group"), sam = bytes_of("probe-new"),
	    gt = bytes_of("-2147483640"), desc = bytes_of("made by probe");
	struct ad_mod a[] = {
		{ "objectClass", AD_MOD_ADD, &oc, 1 },
		{ "sAMAccountName", AD_MOD_ADD, &sam, 1 },
		{ "groupType", AD_MOD_ADD, &gt, 1 },
		{ "description", AD_MOD_ADD, &desc, 1 },
	};
	char dn[1024], dn2[1024], sub[512], dn3[1024];
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st;

	snprintf(dn, sizeof(dn), "CN=probe-new,%s", env_groups_ou);
	snprintf(dn2, sizeof(dn2), "CN=probe-renamed,%s", env_groups_ou);
	snprintf(sub, sizeof(sub), "OU=sub,%s", env_groups_ou);
	snprintf(dn3, sizeof(dn3), "CN=probe-renamed,%s", sub);

	st = ad_add(c, dn, a, 4, &err);
	show(st, &err);
	o = read_obj(c, dn, attrs, NULL, &err);
	check(st == SB_OK && o != NULL && o->kind == DIROBJ_GROUP &&
	    has_value(o, "groupType", gt.p, gt.len),
	    "ad_add: the bind account creates a universal security group");
	dirobj_free(o);

	st = ad_add(c, dn, a, 4, &err);
	show_expected(st, &err);
	check(st == SB_RESYNC && err.code == 68,
	    "adding it again: resync (rc 68 already exists)");

	st = ad_rename(c, dn, "CN=probe-renamed", NULL, &err);
	show(st, &err);
	o = read_obj(c, dn2, attrs, NULL, &err);
	check(st == SB_OK && o != NULL, "ad_rename in place");
	dirobj_free(o);

	st = ad_rename(c, dn2, "CN=probe-renamed", sub, &err);
	show(st, &err);
	o = read_obj(c, dn3, attrs, NULL, &err);
	check(st == SB_OK && o != NULL, "ad_rename with newSuperior moves it "
	    "to %s", sub);
	dirobj_free(o);

	st = ad_delete(c, dn3, &err);
	show(st, &err);
	o = read_obj(c, dn3, attrs, &st, &err);
	check(o == NULL && st == SB_RESYNC, "ad_delete; reading it then is "
	    "resync (no such object)");
	dirobj_free(o);

	/* Windows adds the matched DN ("nearest existing entry"); Samba does not. */
	st = ad_delete(c, dn3, &err);
	show_expected(st, &err);
	check(st == SB_RESYNC && err.code == 32 && strstr(err.text, dn3),
	    "deleting it again: resync, the DN in the message");
}

/* Writes of thousands of values: requests far larger than a socket buffer. */
static void
test_big_write(struct ad_conn *c)
{
	enum { N = 3000 };
	struct sb_bytes *vals, oc = bytes_of("group"), sam = bytes_of("probe-bigw");
	char (*dns)[160], dn[1024];
	struct ad_mod a[3] = {
		{ "objectClass", AD_MOD_ADD, &oc, 1 },
		{ "sAMAccountName", AD_MOD_ADD, &sam, 1 },
		{ "member", AD_MOD_ADD, NULL, N },
	};
	struct ad_mod del[1] = { { "member", AD_MOD_DELETE, NULL, N / 2 } };
	struct dirobj *o;
	struct sb_error err = { 0 };
	enum sb_status st, st2 = SB_BUG, st3 = SB_BUG;
	size_t i, n1 = 0, n2 = 0;

	vals = calloc(N, sizeof(*vals));
	dns = calloc(N, sizeof(*dns));
	if (vals == NULL || dns == NULL) {
		check(0, "out of memory");
		free(vals);
		free(dns);
		return;
	}
	for (i = 0; i < N; i++) {
		snprintf(dns[i], sizeof(dns[i]), "CN=probe-c%04zu,OU=members,%s",
		    i + 1, env_ou);
		vals[i] = bytes_of(dns[i]);
	}
	a[2].vals = vals;
	del[0].vals = vals;
	snprintf(dn, sizeof(dn), "CN=probe-bigw,%s", env_groups_ou);
	st = ad_add(c, dn, a, 3, &err);
	show(st, &err);
	o = dirobj_new(DIROBJ_GROUP);
	if (st == SB_OK && (st2 = ad_read_ranged(c, dn, "member", o, &err)) ==
	    SB_OK)
		n1 = count_values(o, "member");
	show(st2, &err);
	if (st == SB_OK && (st3 = ad_modify(c, dn, del, 1, &err)) == SB_OK &&
	    ad_read_ranged(c, dn, "member", o, &err) == SB_OK)
		n2 = count_values(o, "member");
	show(st3, &err);
	check(st == SB_OK && n1 == N && n2 == N / 2,
	    "one add with 3,000 members (a 300 KB request), then one modify "
	    "deleting 1,500: %zu, then %zu members", n1, n2);
	st = ad_delete(c, dn, &err);
	show(st, &err);
	dirobj_free(o);
	free(vals);
	free(dns);
}

static void
test_errors(struct ad_conn *c)
{
	struct sb_bytes v = bytes_of("probe was here");
	struct ad_mod m[] = { { "description", AD_MOD_REPLACE, &v, 1 } };
	char big[2100], dn[1024], admin[1024];
	struct sb_bytes bv;
	struct ad_mod mb[] = { { "extensionAttribute1", AD_MOD_REPLACE, &bv,
	    1 } };
	struct ad_mod mu[] = { { "soabridgeNoSuchAttr", AD_MOD_REPLACE, &v,
	    1 } };
	struct sb_error err = { 0 };
	enum sb_status st;

	snprintf(admin, sizeof(admin), "CN=Administrator,CN=Users,%s",
	    env_base);
	st = ad_modify(c, admin, m, 1, &err);
	show_expected(st, &err);
	check(st == SB_STOP && err.code == 50 && strstr(err.text, admin) &&
	    strstr(err.text, "description") &&
	    strstr(err.text, "insufficient access"),
	    "writing outside the delegated OUs: stop, insufficient access, "
	    "the DN and the attribute");

	snprintf(dn, sizeof(dn), "CN=probe-w1,OU=w,%s", env_ou);
	memset(big, 'x', sizeof(big));
	bv.p = (unsigned char *)big;
	bv.len = 2000;
	st = ad_modify(c, dn, mb, 1, &err);
	show_expected(st, &err);
	check(st == SB_SKIP && (err.code == 19 || err.code == 21) &&
	    strstr(err.text, "extensionAttribute1"),
	    "2,000 characters in extensionAttribute1 (rangeUpper 1024): skip "
	    "(rc %d)", err.code);

	st = ad_modify(c, dn, mu, 1, &err);
	show_expected(st, &err);
	check(st == SB_CONFIG && strstr(err.text, "soabridgeNoSuchAttr") &&
	    strstr(err.text, "schema"),
	    "writing an attribute the schema lacks: config (Samba's rc %d)",
	    err.code);

	snprintf(dn, sizeof(dn), "CN=probe-nobody,OU=w,%s", env_ou);
	st = ad_modify(c, dn, m, 1, &err);
	show_expected(st, &err);
	check(st == SB_RESYNC && err.code == 32 && strstr(err.text, dn),
	    "modify of a missing object: resync, the DN in the message");
}

static void
test_schema(struct ad_conn *c)
{
	static const char *const attrs[] = { "proxyAddresses", "MAIL",
	    "extensionAttribute1", "mailNickname",
	    "msExchHideFromAddressLists", "msDS-ExternalDirectoryObjectId",
	    "soabridgeNoSuchAttr", "userCertificate;binary", "member",
	    "soabridge-Other", NULL };
	char **missing = NULL;
	size_t n = 0;
	struct sb_error err = { 0 };
	enum sb_status st;

	st = ad_schema_missing(c, attrs, &missing, &n, &err);
	show(st, &err);
	check(st == SB_OK && n == 2 &&
	    strcmp(missing[0], "soabridgeNoSuchAttr") == 0 &&
	    strcmp(missing[1], "soabridge-Other") == 0,
	    "schema check: of 10 names only the 2 invented ones are missing "
	    "(%zu: %s%s%s)", n, n > 0 ? missing[0] : "",
	    n > 1 ? ", " : "", n > 1 ? missing[1] : "");
	ad_schema_free_list(missing, n);
}

static void
test_secrets(void)
{
	int hit = log_holds((const char *)password.p, password.len);
	int hit2 = env_admin_pw ? log_holds(env_admin_pw,
	    strlen(env_admin_pw)) : 0;
	size_t i;
	int in_err = 0;

	for (i = 0; i + password.len <= seen_len && !in_err; i++)
		in_err = memcmp(seen_errors + i, password.p, password.len) == 0;
	check(hit == 0 && hit2 == 0 && !in_err,
	    "no password in the log (%s) or in any error text", env_log ?
	    env_log : "not captured");
}

int
main(void)
{
	struct ad_conn *c = NULL;

	env_uri = need("LAB_LDAP_URI");
	env_starttls_uri = need("LAB_STARTTLS_URI");
	env_base = need("LAB_BASE_DN");
	env_bind_dn = need("LAB_BIND_DN");
	env_ca = need("LAB_CA_FILE");
	env_bad_ca = need("PROBE_BAD_CA");
	env_ou = need("PROBE_OU");
	env_groups_ou = need("PROBE_GROUPS_OU");
	env_log = getenv("PROBE_LOG");
	env_admin_pw = getenv("LAB_ADMIN_PW");
	if (read_password() != 0) {
		printf("Bail out! cannot read the bind password\n");
		return 2;
	}
	log_set_level(LOG_LVL_DEBUG);

	test_connect_failures();
	test_connect(&c);
	if (c != NULL) {
		test_paged(c);
		test_ranged(c);
		test_abort(c);
		test_modify(c);
		test_binary(c);
		test_values(c);
		test_escaped_dn(c);
		test_add_rename_delete(c);
		test_big_write(c);
		test_errors(c);
		test_schema(c);
	}
	ad_close(c);
	test_secrets();
	sb_bytes_free(&password);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
