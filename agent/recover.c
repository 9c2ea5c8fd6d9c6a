/* Settling the journal of runs that died: re-read AD, mark pending rows applied or not. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mapping/log.h"
#include "agent/recover.h"
#include "ldap/escape.h"
#include "ldap/search.h"
#include "ldap/trace.h"
#include "mapping/codec.h"

static enum sb_status
keep_first(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct dirobj **slot = arg;

	(void)err;
	if (*slot == NULL)
		*slot = o;
	else
		dirobj_free(o);	/* a GUID is unique: never happens */
	return SB_OK;
}

enum sb_status
agent_recover_reread(struct ad_conn *ad, const char *base_dn, const char *guid,
    const char *dn, const char *const *attrs, struct dirobj **out,
    struct sb_error *err)
{
	unsigned char raw[MAP_GUID_LEN];
	struct dirobj *o = NULL;
	char *filter = NULL;
	enum sb_status st;

	*out = NULL;
	if (guid != NULL && *guid != '\0') {
		st = map_guid_from_text(guid, raw, err);
		if (st == SB_OK)
			st = ad_filter_eq("objectGUID", raw, sizeof(raw),
			    &filter, err);
		if (st == SB_OK)
			st = ad_search(ad, base_dn, AD_SCOPE_SUB, filter, attrs,
			    keep_first, &o, err);
	} else {
		st = ad_search(ad, dn, AD_SCOPE_BASE, "(objectClass=*)", attrs,
		    keep_first, &o, err);
		if (st == SB_RESYNC && err->code == 32) /* noSuchObject */
			st = SB_OK;
	}
	if (st != SB_OK)
		goto done;
	*out = o;
	o = NULL;
done:
	dirobj_free(o);
	free(filter);
	return st;
}

/*
 * What AD holds of row's attribute in o (NULL: gone): the DN for a rename's
 * row.  Then whether that is the row's after-state; a delete's is "gone".
 */
static enum journal_state
settled_state(const struct journal_row *r, const struct dirobj *o)
{
	const struct dirattr *a;
	struct sb_bytes dn;

	if (o == NULL)
		return r->op == MAP_CHANGE_DELETE ? JOURNAL_APPLIED :
		    JOURNAL_NOT_APPLIED;
	if (r->op == MAP_CHANGE_DELETE)
		return JOURNAL_NOT_APPLIED;
	if (strcasecmp(r->attr, AGENT_JOURNAL_DN_ATTR) == 0) {
		dn.p = (unsigned char *)o->dn;
		dn.len = o->dn ? strlen(o->dn) : 0;
		return agent_journal_holds(r, &dn, o->dn ? 1 : 0) ==
		    JOURNAL_HOLDS_AFTER ? JOURNAL_APPLIED :
		    JOURNAL_NOT_APPLIED;
	}
	a = dirobj_get(o, r->attr);
	return agent_journal_holds(r, a ? a->vals : NULL, a ? a->nvals : 0) ==
	    JOURNAL_HOLDS_AFTER ? JOURNAL_APPLIED : JOURNAL_NOT_APPLIED;
}

/* Settles the pending rows of one change (seq) of a dead run. */
static enum sb_status
settle(struct agent_state *s, struct ad_conn *ad, const char *base_dn,
    struct journal_row *rows, size_t n, size_t *napplied,
    struct sb_error *err)
{
	const char **attrs = NULL;
	char qdn[AD_TRACE_QBUF];
	struct dirobj *o = NULL;
	enum journal_state to;
	enum sb_status st;
	size_t i;

	attrs = calloc(n + 1, sizeof(*attrs));
	if (attrs == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "recover", "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++)
		attrs[i] = rows[i].attr;
	st = agent_recover_reread(ad, base_dn, rows[0].guid, rows[0].dn,
	    attrs, &o, err);
	if (st != SB_OK)
		goto done;
	st = agent_state_begin(s, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		to = settled_state(&rows[i], o);
		st = agent_journal_set_state(s, rows[i].id, to, o ? NULL :
		    "the object is gone from AD", err);
		if (to == JOURNAL_APPLIED)
			(*napplied)++;
		log_info("journal.recover run=%lld dn=%s attr=%s result=%s",
		    rows[i].run, ad_trace_qstr(qdn, sizeof(qdn), rows[i].dn),
		    rows[i].attr,
		    agent_journal_state_name(to));
	}
	if (st == SB_OK)
		st = agent_state_commit(s, err);
	else
		agent_state_rollback(s);
done:
	dirobj_free(o);
	free(attrs);
	return st;
}

/*
 * Settles run id's pending rows by reading AD: *npending rows found,
 * *napplied of them applied; n's applied and failed counted anew.
 */
static enum sb_status
settle_run(struct agent_state *s, struct ad_conn *ad, const char *base_dn,
    long long id, size_t *npending, size_t *napplied,
    struct agent_run_counts *n, struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	size_t i, j;
	enum sb_status st;

	*napplied = 0;
	st = agent_journal_load(s, id, JOURNAL_PENDING, &rows, err);
	*npending = rows.n;
	/* Rows of one change are adjacent (one transaction each). */
	for (i = 0; st == SB_OK && i < rows.n; i = j) {
		for (j = i + 1; j < rows.n && rows.v[j].seq == rows.v[i].seq;
		    j++)
			;
		st = settle(s, ad, base_dn, &rows.v[i], j - i, napplied, err);
	}
	if (st == SB_OK)
		st = agent_journal_count(s, id, JOURNAL_APPLIED, &n->applied,
		    err);
	if (st == SB_OK)
		st = agent_journal_count(s, id, JOURNAL_FAILED, &n->failed,
		    err);
	agent_journal_rows_free(&rows);
	return st;
}

static enum sb_status
recover_run(struct agent_state *s, struct ad_conn *ad, const char *base_dn,
    const struct agent_run *r, long long self, struct sb_error *err)
{
	struct agent_run_counts n = { 0, 0, 0, 0 };
	char msg[256];
	size_t pending = 0, applied = 0;
	enum sb_status st;

	st = settle_run(s, ad, base_dn, r->id, &pending, &applied, &n, err);
	if (st != SB_OK)
		return st;
	n.planned = r->planned;
	n.conflicts = r->conflicts;
	snprintf(msg, sizeof(msg),
	    "interrupted (pid %ld); run %lld found %zu "
	    "of its %zu unfinished attribute writes applied in AD",
	    r->pid, self, applied, pending);
	st = agent_state_run_outcome(s, r->id, "interrupted", &n, msg, err);
	if (st == SB_OK)
		log_warn("run.recover run=%lld command=%s pid=%ld pending=%zu "
			 "applied=%zu result=interrupted",
		    r->id, r->command, r->pid, pending, applied);
	return st;
}

enum sb_status
agent_recover_runs(struct agent_state *s, struct ad_conn *ad,
    const char *base_dn, long long self, size_t *nruns, struct sb_error *err)
{
	struct agent_run *runs = NULL;
	enum sb_status st;
	size_t i, n = 0;

	*nruns = 0;
	st = agent_state_runs(s, "running", &runs, &n, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		if (runs[i].id == self)
			continue;
		st = recover_run(s, ad, base_dn, &runs[i], self, err);
		if (st == SB_OK)
			(*nruns)++;
	}
	free(runs);
	return st;
}

/*
 * A run that ended with pending rows: one lost its DC during a write, so
 * that write's outcome was unknown.  Its outcome and message stay; the
 * counts and a note of what the read of AD found are added.
 */
static enum sb_status
recover_ended(struct agent_state *s, struct ad_conn *ad, const char *base_dn,
    long long id, long long self, struct sb_error *err)
{
	struct agent_run_counts n = { 0, 0, 0, 0 };
	struct agent_run r;
	char msg[sizeof(r.message)];
	size_t pending = 0, applied = 0;
	enum sb_status st;

	st = agent_state_run_get(s, id, &r, err);
	if (st != SB_OK || strcmp(r.outcome, "running") == 0)
		return st; /* running: self, or agent_recover_runs' */
	st = settle_run(s, ad, base_dn, id, &pending, &applied, &n, err);
	if (st != SB_OK)
		return st;
	n.planned = r.planned;
	n.conflicts = r.conflicts;
	snprintf(msg, sizeof(msg),
	    "%.300s; run %lld found %zu of its %zu "
	    "unanswered attribute writes applied in AD",
	    r.message, self, applied, pending);
	st = agent_state_run_outcome(s, id, r.outcome, &n, msg, err);
	if (st == SB_OK)
		log_warn("run.recover run=%lld command=%s pending=%zu "
			 "applied=%zu result=%s",
		    id, r.command, pending, applied, r.outcome);
	return st;
}

enum sb_status
agent_recover_pending(struct agent_state *s, struct ad_conn *ad,
    const char *base_dn, long long self, size_t *nruns, struct sb_error *err)
{
	long long *ids = NULL;
	size_t i, n = 0;
	enum sb_status st;

	*nruns = 0;
	st = agent_journal_pending_runs(s, &ids, &n, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		if (ids[i] == self)
			continue;
		st = recover_ended(s, ad, base_dn, ids[i], self, err);
		if (st == SB_OK)
			(*nruns)++;
	}
	free(ids);
	return st;
}
