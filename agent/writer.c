/*
 * The apply loop of sync and undo (journal pending, one LDAP operation,
 * journal the result) and of plan (the same loop through the gate, which
 * stops there: "would write").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/apply.h"
#include "agent/progress.h"
#include "agent/gate.h"
#include "agent/store/journal.h"
#include "mapping/log.h"
#include "agent/recover.h"
#include "agent/signals.h"
#include "agent/testhook.h"
#include "agent/writer.h"
#include "ldap/errmap.h"
#include "ldap/trace.h"
#include "mapping/dn.h"

/*
 * Objects created by this apply: their GUIDs, known once AD made them.  A
 * plan creates nothing: its guid stays "" (the object does not exist yet).
 */
struct created {
	const char	*dn;		/* borrowed from the plan */
	char		 guid[MAP_GUID_TEXT_SIZE];
};

struct learned {
	struct created	*v;
	size_t		 n;
};

/* The GUID of the object this apply created at dn, or NULL. */
static const char *
learned_guid(const struct learned *l, const char *dn)
{
	size_t i;

	for (i = l->n; dn != NULL && i > 0; i--)
		if (map_dn_equal(l->v[i - 1].dn, dn))
			return l->v[i - 1].guid;
	return NULL;
}

/*
 * After an ADD: reads the new object's objectGUID and journals it, so that
 * an undo finds the group by GUID (and this run's later changes of it are
 * journaled with it).  Best effort: without it, undo goes by DN.
 */
static enum sb_status
learn_guid(struct agent_state *s, long long run, long seq, struct ad_conn *ad,
    const struct change *c, struct learned *l, struct sb_error *err)
{
	static const char *const attrs[] = { "objectGUID", NULL };
	struct dirobj *o = NULL;
	struct sb_error rerr;
	char qdn[AD_TRACE_QBUF];
	struct created *e;

	if (agent_recover_reread(ad, "", "", c->dn, attrs, &o, &rerr) !=
	    SB_OK || o == NULL || o->guid.len != MAP_GUID_LEN) {
		log_warn("sync.apply run=%lld dn=%s result=no_guid: the "
		    "created object's objectGUID could not be read; an undo "
		    "will find it by DN", run, ad_trace_qstr(qdn, sizeof(qdn),
		    c->dn));
		dirobj_free(o);
		return SB_OK;
	}
	e = &l->v[l->n];
	e->dn = c->dn;
	map_guid_to_text(o->guid.p, o->guid.len, e->guid, sizeof(e->guid),
	    NULL);
	dirobj_free(o);
	l->n++;
	return agent_journal_set_guid(s, run, seq, e->guid, err);
}

void
agent_writer_result_free(struct agent_writer_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->errors != NULL && i < r->n; i++)
		free(r->errors[i]);
	free(r->errors);
	free(r->applied);
	free(r->lost);
	memset(r, 0, sizeof(*r));
}

/*
 * The gate for change i: *use is what may be sent (c, or the trimmed copy
 * in *trimmed), NULL when nothing may.  A refusal is recorded in r; a
 * refusal for a dead connection sets *ldap_st so that the loop ends.
 */
static enum sb_status
gate_one(struct agent_gate *gate, long long run, int send,
    const struct change *c, size_t i, const char *guid,
    struct change *trimmed, const struct change **use,
    struct agent_writer_result *r, enum sb_status *ldap_st,
    struct sb_error *err)
{
	const char *event = send ? "sync.gate" : "plan.gate";
	char why[AGENT_GATE_WHY_SIZE], qdn[AD_TRACE_QBUF];
	enum gate_verdict v;
	enum sb_status st, rst;

	*use = NULL;
	agent_testhook_point("gate", i);
	st = agent_gate_check(gate, c, guid, &v, trimmed, why, &rst, err);
	if (st != SB_OK)
		return st;
	ad_trace_qstr(qdn, sizeof(qdn), c->dn);
	if (v == GATE_REFUSED) {
		r->applied[i] = AGENT_WRITE_REFUSED;
		r->nrefused++;
		r->errors[i] = strdup(why);
		log_warn("%s run=%lld dn=%s result=refused: %s", event, run,
		    qdn, why);
		if (rst == SB_STOP || rst == SB_RETRY)
			*ldap_st = rst;
		return SB_OK;
	}
	if (v == GATE_TRIMMED) {
		r->errors[i] = strdup(why);
		log_warn("%s run=%lld dn=%s result=trimmed: %s", event, run,
		    qdn, why);
		*use = trimmed;
	} else {
		*use = c;
	}
	return SB_OK;
}

/*
 * c without the member values naming objects this plan creates (in *out,
 * map_change_clear it; *out untouched and *any 0 when there are none).
 */
static enum sb_status
without_created_members(const struct change *c, const struct learned *l,
    struct change *out, int *any, struct sb_error *err)
{
	unsigned char *keep;
	size_t i, j, k = 0, n = 0, nkept;
	enum sb_status st;

	*any = 0;
	for (i = 0; i < c->ndeltas; i++)
		if (strcasecmp(c->deltas[i].attr, "member") == 0)
			n += c->deltas[i].nvals;
	if (n == 0 || l->n == 0)
		return SB_OK;
	if ((keep = calloc(n, 1)) == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "plan.gate",
		    "out of memory");
	for (i = 0; i < c->ndeltas; i++) {
		if (strcasecmp(c->deltas[i].attr, "member") != 0)
			continue;
		for (j = 0; j < c->deltas[i].nvals; j++, k++) {
			keep[k] = learned_guid(l,
			    (const char *)c->deltas[i].vals[j].p) == NULL;
			*any |= !keep[k];
		}
	}
	st = *any ? map_change_filter_values(c, "member", keep, out, &nkept,
	    err) : SB_OK;
	free(keep);
	return st;
}

/*
 * A plan's change: the gate's verdict and nothing more.  What the plan
 * creates cannot be read before it exists: the changes of a created
 * object, and member values naming one, are left to sync's gate, which
 * sees them once they do.
 */
static enum sb_status
check_one(struct agent_gate *gate, const struct change *c, size_t i,
    const char *guid, struct learned *l, struct agent_writer_result *r,
    enum sb_status *ldap_st, struct sb_error *err)
{
	const struct change *use;
	struct change trimmed, known;
	enum sb_status st = SB_OK;
	int any = 0;

	memset(&trimmed, 0, sizeof(trimmed));
	memset(&known, 0, sizeof(known));
	*ldap_st = SB_OK;
	if (learned_guid(l, c->dn) == NULL)
		st = without_created_members(c, l, &known, &any, err);
	if (st == SB_OK && learned_guid(l, c->dn) == NULL)
		st = gate_one(gate, 0, 0, any ? &known : c, i, guid, &trimmed,
		    &use, r, ldap_st, err);
	if (st == SB_OK && r->applied[i] == AGENT_WRITE_NOT_TRIED &&
	    c->op == MAP_CHANGE_ADD) {
		l->v[l->n].dn = c->dn;
		l->v[l->n].guid[0] = '\0';
		l->n++;
	}
	map_change_clear(&known);
	map_change_clear(&trimmed);
	return st;
}

/*
 * Change i's write got no reply: AD may hold it or not, and the DC cannot
 * be asked now.  Its rows stay pending for the next run to settle by
 * reading AD; nothing else is written by this run.
 */
static enum sb_status
unknown_outcome(long long run, const struct change *c, size_t i,
    const struct sb_error *aerr, struct agent_writer_result *r)
{
	char qdn[AD_TRACE_QBUF];

	r->applied[i] = AGENT_WRITE_FAILED;
	r->nfailed++;
	r->npending++;
	free(r->errors[i]);
	r->errors[i] = strdup(aerr->text);
	free(r->lost);
	r->lost = strdup(aerr->text);
	log_error("sync.apply run=%lld dn=%s result=unknown: %s; its journal "
		  "rows stay pending: the next run settles them by reading AD",
	    run, ad_trace_qstr(qdn, sizeof(qdn), c->dn), aerr->text);
	return SB_OK;
}

/* One change: gate, journal, write, journal.  Returns only the state's failures. */
static enum sb_status
apply_one(struct agent_state *s, long long run, struct ad_conn *ad,
    struct agent_gate *gate, const struct change *c0, size_t i,
    const char *guid, struct learned *l, struct agent_writer_result *r,
    enum sb_status *ldap_st, struct sb_error *err)
{
	const char *g = learned_guid(l, c0->dn);
	struct journal_rows rows = { NULL, 0 };
	const struct change *c;
	struct change trimmed;
	struct sb_error aerr;
	char qdn[AD_TRACE_QBUF];
	enum sb_status st;

	memset(&aerr, 0, sizeof(aerr));
	memset(&trimmed, 0, sizeof(trimmed));
	*ldap_st = SB_OK;
	st = gate_one(gate, run, 1, c0, i, g ? g : guid, &trimmed, &c, r,
	    ldap_st, err);
	if (st != SB_OK || c == NULL)
		goto done;
	st = agent_journal_from_change(c, g ? g : guid, run, (long)i, &rows,
	    err);
	if (st == SB_OK)
		st = agent_journal_pending(s, &rows, err);
	if (st != SB_OK)
		goto done;
	agent_testhook_point("before", i);
	*ldap_st = agent_apply_change(ad, c, &aerr);
	agent_testhook_point("after", i);
	if (*ldap_st != SB_OK && ad_errmap_no_answer(&aerr)) {
		st = unknown_outcome(run, c, i, &aerr, r);
		goto done;
	}
	st = agent_journal_mark_held(s, run, (long)i,
	    *ldap_st == SB_OK ? JOURNAL_APPLIED : JOURNAL_FAILED,
	    *ldap_st == SB_OK ? NULL : aerr.text, err);
	if (st == SB_OK && *ldap_st == SB_OK && c->op == MAP_CHANGE_ADD)
		st = learn_guid(s, run, (long)i, ad, c, l, err);
	ad_trace_qstr(qdn, sizeof(qdn), c->dn);
	if (*ldap_st == SB_OK) {
		r->applied[i] = c == &trimmed ? AGENT_WRITE_TRIMMED :
		    AGENT_WRITE_APPLIED;
		r->napplied++;
		log_info("sync.apply run=%lld dn=%s attrs=%zu result=applied",
		    run, qdn, rows.n);
	} else {
		r->applied[i] = AGENT_WRITE_FAILED;
		r->nfailed++;
		free(r->errors[i]);
		r->errors[i] = strdup(aerr.text);
		log_error("sync.apply run=%lld dn=%s result=%s: %s", run, qdn,
		    sb_status_name(*ldap_st), aerr.text);
	}
done:
	map_change_clear(&trimmed);
	agent_journal_rows_free(&rows);
	return st;
}

/* The loop of apply (send) and check (!send, s NULL). */
static enum sb_status
writer_loop(struct agent_state *s, long long run, struct ad_conn *ad,
    struct agent_gate *gate, int send, const struct plan *p,
    const char *const *guids, struct agent_writer_result *out,
    enum sb_status *lst, struct sb_error *err)
{
	struct learned l = { NULL, 0 };
	enum sb_status st = SB_OK;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->n = p->nchanges;
	out->applied = calloc(p->nchanges + 1, sizeof(*out->applied));
	out->errors = calloc(p->nchanges + 1, sizeof(*out->errors));
	l.v = calloc(p->nchanges + 1, sizeof(*l.v));
	if (out->applied == NULL || out->errors == NULL || l.v == NULL) {
		free(l.v);
		return sb_fail(err, SB_BUG, ENOMEM, "sync.apply",
		    "out of memory");
	}
	*lst = SB_OK;
	for (i = 0; i < p->nchanges; i++) {
		/* The service was told to stop: no new object is started. */
		if (send && agent_stop_requested())
			break;
		if (send) {
			st = apply_one(s, run, ad, gate, &p->changes[i], i,
			    guids ? guids[i] : "", &l, out, lst, err);
			agent_progress_written(1);
		} else
			st = check_one(gate, &p->changes[i], i,
			    guids ? guids[i] : "", &l, out, lst, err);
		if (st != SB_OK)
			break;
		/* Credentials, rights, a dead DC: the rest would fail too. */
		if (*lst == SB_STOP || *lst == SB_RETRY || *lst == SB_BUG)
			break;
	}
	/* The gate's read failed for the connection: the DC is gone. */
	if (send && *lst == SB_RETRY && out->lost == NULL && i < p->nchanges &&
	    out->applied[i] == AGENT_WRITE_REFUSED)
		out->lost = strdup(out->errors[i] ?
			out->errors[i] :
			"the connection to the DC was lost");
	free(l.v);
	/* The last change's result, held for a next change that never came. */
	if (send && st == SB_OK)
		st = agent_state_flush(s, err);
	return st;
}

enum sb_status
agent_writer_apply(struct agent_state *s, long long run, struct ad_conn *ad,
    struct agent_gate *gate, const struct plan *p, const char *const *guids,
    struct agent_writer_result *out, struct sb_error *err)
{
	enum sb_status lst;

	return writer_loop(s, run, ad, gate, 1, p, guids, out, &lst, err);
}

enum sb_status
agent_writer_check(struct ad_conn *ad, struct agent_gate *gate,
    const struct plan *p, const char *const *guids,
    struct agent_writer_result *out, struct sb_error *err)
{
	enum sb_status st, lst = SB_OK;
	size_t i;

	/*
	 * Nothing is written: the gate may keep its reads (agent/gatecache.h),
	 * so its first reads are here, before any change's check.
	 */
	agent_testhook_point("gate", 0);
	st = agent_gate_keep_reads(gate, p, guids, err);
	if (st == SB_OK)
		st = writer_loop(NULL, 0, ad, gate, 0, p, guids, out, &lst,
		    err);
	agent_gate_forget(gate);
	if (st != SB_OK || lst == SB_OK)
		return st;
	for (i = out->n; i > 0; i--)
		if (out->errors[i - 1] != NULL)
			break;
	return sb_fail(err, lst, 0, "plan.gate", "the write gate could not "
	    "read AD: %s", i > 0 ? out->errors[i - 1] : "connection lost");
}
