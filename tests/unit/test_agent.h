/*
 * Fixtures shared by the unit tests of the state store, journal, flap
 * quarantine, limits and undo: scratch directories, changes built from
 * string lists, values from strings.  static inline, so each test file uses
 * what it needs.  Include after <cmocka.h>.
 */
#ifndef TEST_AGENT_H
#define TEST_AGENT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/dirobj.h"
#include "mapping/plan.h"

#define FX_ANN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define FX_BOB	"CN=Bob,OU=Staff,DC=corp,DC=example"
#define FX_GUID_ANN	"0a0b0c0d-0e0f-1011-1213-141516171819"
#define FX_GUID_BOB	"1a0b0c0d-0e0f-1011-1213-141516171819"

/* A borrowed value over a string literal. */
static inline struct sb_bytes
fx_b(const char *s)
{
	struct sb_bytes v = { (unsigned char *)(uintptr_t)s, strlen(s) };

	return v;
}

/* A new scratch directory under /tmp (free() the name; fx_rmdir removes it). */
static inline char *
fx_tmpdir(void)
{
	char *d = strdup("/tmp/sbunit.XXXXXX");

	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static inline void
fx_rmdir(char *d)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
	free(d);
}

/* Up to 8 values from a NULL-terminated list of strings. */
struct fx_vals {
	struct sb_bytes		 v[8];
	const struct sb_bytes	*p[8];
	size_t			 n;
};

static inline void
fx_vals(struct fx_vals *out, va_list *ap)
{
	const char *s;

	out->n = 0;
	while ((s = va_arg(*ap, const char *)) != NULL && out->n < 8) {
		out->v[out->n] = fx_b(s);
		out->p[out->n] = &out->v[out->n];
		out->n++;
	}
}

/* A modify change of dn with no deltas yet; map_change_clear frees it. */
static inline void
fx_change(struct change *c, const char *dn)
{
	struct dirobj ad;

	memset(&ad, 0, sizeof(ad));
	ad.kind = DIROBJ_USER;
	ad.dn = (char *)(uintptr_t)dn;
	assert_int_equal(map_change_init(c, MAP_CHANGE_MODIFY, &ad, NULL,
	    "isCloudManaged", NULL), SB_OK);
}

/*
 * Adds a delta: "before" values, then NULL, then the delta's values, then
 * NULL: fx_delta(c, "mail", MAP_DELTA_REPLACE, "old", NULL, "new", NULL).
 */
static inline void
fx_delta(struct change *c, const char *attr, enum delta_op op, ...)
{
	struct fx_vals before, vals;
	va_list ap;

	va_start(ap, op);
	fx_vals(&before, &ap);
	fx_vals(&vals, &ap);
	va_end(ap);
	assert_int_equal(map_change_add_delta(c, attr, op, vals.p, vals.n,
	    before.v, before.n, NULL), SB_OK);
}

/* An AD object as re-read: dn and attr = values (NULL-terminated). */
static inline struct dirobj *
fx_obj(const char *dn)
{
	struct dirobj *o = dirobj_new(DIROBJ_USER);

	assert_non_null(o);
	assert_int_equal(dirobj_set_str(&o->dn, dn, NULL), SB_OK);
	return o;
}

static inline void
fx_attr(struct dirobj *o, const char *attr, ...)
{
	const char *s;
	va_list ap;

	dirobj_remove(o, attr);
	va_start(ap, attr);
	while ((s = va_arg(ap, const char *)) != NULL)
		assert_int_equal(dirobj_add_str(o, attr, s, NULL), SB_OK);
	va_end(ap);
}

/* 1 when the values (n) are exactly the NULL-terminated strings, in order. */
static inline int
fx_same(const struct sb_bytes *v, size_t n, ...)
{
	const char *s;
	size_t i = 0;
	va_list ap;
	int ok = 1;

	va_start(ap, n);
	while ((s = va_arg(ap, const char *)) != NULL) {
		if (i >= n || !sb_bytes_eq_str(&v[i], s))
			ok = 0;
		i++;
	}
	va_end(ap);
	return ok && i == n;
}

#endif
