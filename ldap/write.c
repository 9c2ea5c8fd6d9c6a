/* The one place that writes to AD: modify, add, rename, delete. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/log.h"
#include "ldap/internal.h"
#include "ldap/trace.h"
#include "ldap/write.h"

/* LDAPMod arrays built from struct ad_mod; the values point at the caller's bytes. */
struct mods {
	LDAPMod		 *mv;
	LDAPMod		**mp;
	struct berval	 *bv;
	struct berval	**bvp;
};

void
ad_set_permissive_modify(struct ad_conn *c, int on)
{
	c->permissive = on != 0;
}

static void
mods_free(struct mods *m)
{
	free(m->mv);
	free(m->mp);
	free(m->bv);
	free(m->bvp);
	memset(m, 0, sizeof(*m));
}

static int
ldap_op(enum ad_mod_op op)
{
	switch (op) {
	case AD_MOD_ADD:	return LDAP_MOD_ADD;
	case AD_MOD_DELETE:	return LDAP_MOD_DELETE;
	case AD_MOD_REPLACE:	return LDAP_MOD_REPLACE;
	}
	return -1;
}

/* Checks the mods (add_all: an ad_add, every one an add with values) and builds the arrays. */
static enum sb_status
mods_build(const char *where, const char *dn, const struct ad_mod *mods,
    size_t n, int add_all, struct mods *out, struct sb_error *err)
{
	struct mods m = { NULL, NULL, NULL, NULL };
	size_t i, j, total = 0, b = 0, p = 0;
	enum sb_status st;
	int op;

	if (dn == NULL || *dn == '\0' || n == 0 || mods == NULL) {
		st = sb_fail(err, SB_BUG, 0, where, "%s: no DN or no changes",
		    dn ? dn : "(null)");
		goto done;
	}
	for (i = 0; i < n; i++) {
		op = add_all ? LDAP_MOD_ADD : ldap_op(mods[i].op);
		if (mods[i].attr == NULL || *mods[i].attr == '\0' || op < 0 ||
		    (mods[i].nvals > 0 && mods[i].vals == NULL) ||
		    (op == LDAP_MOD_ADD && mods[i].nvals == 0)) {
			st = sb_fail(err, SB_BUG, 0, where,
			    "%s: bad change %zu (%s)", dn, i,
			    mods[i].attr ? mods[i].attr : "no attribute");
			goto done;
		}
		if (mods[i].nvals > SIZE_MAX / 4 - total - 1) {
			st = sb_fail(err, SB_BUG, 0, where, "%s: too many "
			    "values", dn);
			goto done;
		}
		total += mods[i].nvals;
	}
	m.mv = calloc(n, sizeof(*m.mv));
	m.mp = calloc(n + 1, sizeof(*m.mp));
	m.bv = calloc(total + 1, sizeof(*m.bv));
	m.bvp = calloc(total + n, sizeof(*m.bvp));
	if (m.mv == NULL || m.mp == NULL || m.bv == NULL || m.bvp == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, where, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		op = add_all ? LDAP_MOD_ADD : ldap_op(mods[i].op);
		m.mv[i].mod_op = op | LDAP_MOD_BVALUES;
		/* libldap only reads the name and the values. */
		m.mv[i].mod_type = (char *)(uintptr_t)mods[i].attr;
		m.mv[i].mod_bvalues = NULL;
		if (mods[i].nvals > 0) {
			m.mv[i].mod_bvalues = &m.bvp[p];
			for (j = 0; j < mods[i].nvals; j++) {
				m.bv[b].bv_len = mods[i].vals[j].len;
				m.bv[b].bv_val = (char *)mods[i].vals[j].p;
				m.bvp[p++] = &m.bv[b++];
			}
			m.bvp[p++] = NULL;
		}
		m.mp[i] = &m.mv[i];
	}
	m.mp[n] = NULL;
	*out = m;
	memset(&m, 0, sizeof(m));
	st = SB_OK;
done:
	mods_free(&m);
	return st;
}

static const char *
result_word(enum sb_status st)
{
	return st == SB_OK ? "ok" : sb_status_name(st);
}

/* Debug: each value of a change, redacted where the attribute holds a secret. */
static void
log_values(const char *event, const char *qdn, const struct ad_mod *m,
    const char *opname)
{
	char qv[AD_TRACE_QBUF];
	size_t j;

	if (!log_enabled(LOG_LVL_DEBUG))
		return;
	for (j = 0; j < m->nvals; j++) {
		if (ad_trace_is_secret(m->attr))
			snprintf(qv, sizeof(qv), "<redacted>");
		else
			ad_trace_quote(qv, sizeof(qv), m->vals[j].p,
			    m->vals[j].len);
		log_debug("%s.value dn=%s attr=%s op=%s value=%s", event, qdn,
		    m->attr, opname, qv);
	}
}

/*
 * Info: one line per attribute of a modify, the changes to it counted
 * (add=N del=N replace=N, del=all / replace=none for a removal).
 */
static void
log_modify(const char *dn, const struct ad_mod *mods, size_t n,
    enum sb_status st, const struct sb_error *err)
{
	static const char *const opnames[] = { "add", "del", "replace" };
	char qdn[AD_TRACE_QBUF], counts[128], rcs[32];
	size_t i, j, add, del, rep;
	int del_all, rep_none, first, len;

	ad_trace_qstr(qdn, sizeof(qdn), dn);
	rcs[0] = '\0';
	if (st != SB_OK && err != NULL)
		snprintf(rcs, sizeof(rcs), " rc=%d", err->code);
	for (i = 0; i < n; i++) {
		first = 1;
		for (j = 0; j < i && first; j++)
			if (strcasecmp(mods[j].attr, mods[i].attr) == 0)
				first = 0;
		if (!first)
			continue;
		add = del = rep = 0;
		del_all = rep_none = 0;
		for (j = i; j < n; j++) {
			if (strcasecmp(mods[j].attr, mods[i].attr) != 0)
				continue;
			if (mods[j].op == AD_MOD_ADD)
				add += mods[j].nvals;
			else if (mods[j].op == AD_MOD_DELETE && mods[j].nvals)
				del += mods[j].nvals;
			else if (mods[j].op == AD_MOD_DELETE)
				del_all = 1;
			else if (mods[j].nvals)
				rep += mods[j].nvals;
			else
				rep_none = 1;
			log_values("ad.modify", qdn, &mods[j],
			    opnames[mods[j].op]);
		}
		len = 0;
		counts[0] = '\0';
		if (add)
			len += snprintf(counts + len, sizeof(counts) - (size_t)len,
			    " add=%zu", add);
		if (del_all)
			len += snprintf(counts + len, sizeof(counts) - (size_t)len,
			    " del=all");
		else if (del)
			len += snprintf(counts + len, sizeof(counts) - (size_t)len,
			    " del=%zu", del);
		if (rep_none)
			len += snprintf(counts + len, sizeof(counts) - (size_t)len,
			    " replace=none");
		else if (rep)
			snprintf(counts + len, sizeof(counts) - (size_t)len,
			    " replace=%zu", rep);
		log_info("ad.modify dn=%s attr=%s%s result=%s%s", qdn,
		    mods[i].attr, counts, result_word(st), rcs);
	}
}

/* The attribute names of a modify, for error messages: "proxyAddresses,mail". */
static void
attr_list(const struct ad_mod *mods, size_t n, char *buf, size_t size)
{
	size_t i, j, len = 0;
	int dup, w;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		dup = 0;
		for (j = 0; j < i; j++)
			if (strcasecmp(mods[j].attr, mods[i].attr) == 0)
				dup = 1;
		if (dup)
			continue;
		w = snprintf(buf + len, size - len, "%s%s", len ? "," : "",
		    mods[i].attr);
		if (w < 0 || (size_t)w >= size - len) {
			buf[len] = '\0';
			return;
		}
		len += (size_t)w;
	}
}

enum sb_status
ad_modify(struct ad_conn *c, const char *dn, const struct ad_mod *mods,
    size_t nmods, struct sb_error *err)
{
	LDAPControl pm, *sctrls[2] = { NULL, NULL };
	struct mods m = { NULL, NULL, NULL, NULL };
	struct ad_errctx ctx;
	char attrs[256];
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;

	if ((st = mods_build("ad.modify", dn, mods, nmods, 0, &m, err)) !=
	    SB_OK)
		return st;	/* a caller's bug: nothing to log */
	attr_list(mods, nmods, attrs, sizeof(attrs));
	ad_conn_ctx(c, &ctx, "ad.modify", "modify", dn, attrs);
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	if (c->permissive) {
		pm.ldctl_oid = (char *)AD_PERMISSIVE_MODIFY_OID;
		pm.ldctl_value.bv_len = 0;
		pm.ldctl_value.bv_val = NULL;
		pm.ldctl_iscritical = 1;
		sctrls[0] = &pm;
	}
	rc = ldap_modify_ext(c->ld, dn, m.mp, sctrls, NULL, &msgid);
	st = ad_conn_finish(c, rc, msgid, &ctx, err);
done:
	log_modify(dn, mods, nmods, st, err);
	ad_trace_op("modify", dn, NULL, st, err, t0);
	mods_free(&m);
	return st;
}

enum sb_status
ad_add(struct ad_conn *c, const char *dn, const struct ad_mod *attrs,
    size_t nattrs, struct sb_error *err)
{
	struct mods m = { NULL, NULL, NULL, NULL };
	struct ad_errctx ctx;
	char qdn[AD_TRACE_QBUF], names[256], rcs[32] = "";
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;
	size_t i;

	if ((st = mods_build("ad.add", dn, attrs, nattrs, 1, &m, err)) !=
	    SB_OK)
		return st;	/* a caller's bug: nothing to log */
	attr_list(attrs, nattrs, names, sizeof(names));
	ad_conn_ctx(c, &ctx, "ad.add", "add", dn, NULL);
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	rc = ldap_add_ext(c->ld, dn, m.mp, NULL, NULL, &msgid);
	st = ad_conn_finish(c, rc, msgid, &ctx, err);
done:
	ad_trace_qstr(qdn, sizeof(qdn), dn);
	for (i = 0; i < nattrs; i++)
		log_values("ad.add", qdn, &attrs[i], "add");
	if (st != SB_OK && err != NULL)
		snprintf(rcs, sizeof(rcs), " rc=%d", err->code);
	log_info("ad.add dn=%s attrs=%s result=%s%s", qdn, names,
	    result_word(st), rcs);
	ad_trace_op("add", dn, NULL, st, err, t0);
	mods_free(&m);
	return st;
}

enum sb_status
ad_rename(struct ad_conn *c, const char *dn, const char *new_rdn,
    const char *new_superior, struct sb_error *err)
{
	struct ad_errctx ctx;
	char qdn[AD_TRACE_QBUF], qrdn[AD_TRACE_QBUF], qsup[AD_TRACE_QBUF];
	char rcs[32] = "";
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;

	if (dn == NULL || *dn == '\0' || new_rdn == NULL || *new_rdn == '\0' ||
	    (new_superior != NULL && *new_superior == '\0'))
		return sb_fail(err, SB_BUG, 0, "ad.rename",
		    "rename: no DN or no new RDN");	/* a caller's bug */
	ad_conn_ctx(c, &ctx, "ad.rename", "rename", dn, NULL);
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	rc = ldap_rename(c->ld, dn, new_rdn, new_superior, 1, NULL, NULL,
	    &msgid);
	st = ad_conn_finish(c, rc, msgid, &ctx, err);
done:
	if (st != SB_OK && err != NULL)
		snprintf(rcs, sizeof(rcs), " rc=%d", err->code);
	log_info("ad.rename dn=%s new_rdn=%s new_superior=%s result=%s%s",
	    ad_trace_qstr(qdn, sizeof(qdn), dn),
	    ad_trace_qstr(qrdn, sizeof(qrdn), new_rdn),
	    ad_trace_qstr(qsup, sizeof(qsup), new_superior),
	    result_word(st), rcs);
	ad_trace_op("rename", dn, NULL, st, err, t0);
	return st;
}

enum sb_status
ad_delete(struct ad_conn *c, const char *dn, struct sb_error *err)
{
	struct ad_errctx ctx;
	char qdn[AD_TRACE_QBUF], rcs[32] = "";
	enum sb_status st;
	long long t0 = ad_trace_now_ms();
	int rc, msgid = -1;

	if (dn == NULL || *dn == '\0')
		return sb_fail(err, SB_BUG, 0, "ad.delete", "delete: no DN");
	ad_conn_ctx(c, &ctx, "ad.delete", "delete", dn, NULL);
	if ((st = ad_conn_check(c, &ctx, err)) != SB_OK)
		goto done;
	rc = ldap_delete_ext(c->ld, dn, NULL, NULL, &msgid);
	st = ad_conn_finish(c, rc, msgid, &ctx, err);
done:
	if (st != SB_OK && err != NULL)
		snprintf(rcs, sizeof(rcs), " rc=%d", err->code);
	log_info("ad.delete dn=%s result=%s%s",
	    ad_trace_qstr(qdn, sizeof(qdn), dn), result_word(st), rcs);
	ad_trace_op("delete", dn, NULL, st, err, t0);
	return st;
}
