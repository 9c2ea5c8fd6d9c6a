/* The apply loop of sync and undo: journal pending, one LDAP operation, journal the result. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/apply.h"
#include "agent/journal.h"
#include "agent/log.h"
#include "agent/writer.h"
#include "ldap/trace.h"

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
	memset(r, 0, sizeof(*r));
}

/* One change: journal, write, journal.  Returns only the state's failures. */
static enum sb_status
apply_one(struct agent_state *s, long long run, struct ad_conn *ad,
    const struct change *c, size_t i, const char *guid,
    struct agent_writer_result *r, enum sb_status *ldap_st,
    struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	struct sb_error aerr;
	char qdn[AD_TRACE_QBUF];
	enum sb_status st;

	memset(&aerr, 0, sizeof(aerr));
	*ldap_st = SB_OK;
	st = agent_journal_from_change(c, guid, run, (long)i, &rows, err);
	if (st == SB_OK)
		st = agent_journal_pending(s, &rows, err);
	if (st != SB_OK)
		goto done;
	*ldap_st = agent_apply_change(ad, c, &aerr);
	st = agent_journal_mark(s, run, (long)i, *ldap_st == SB_OK ?
	    JOURNAL_APPLIED : JOURNAL_FAILED, *ldap_st == SB_OK ? NULL :
	    aerr.text, NULL, 0, err);
	ad_trace_qstr(qdn, sizeof(qdn), c->dn);
	if (*ldap_st == SB_OK) {
		r->applied[i] = 1;
		r->napplied++;
		log_info("sync.apply run=%lld dn=%s attrs=%zu result=applied",
		    run, qdn, rows.n);
	} else {
		r->applied[i] = -1;
		r->nfailed++;
		r->errors[i] = strdup(aerr.text);
		log_error("sync.apply run=%lld dn=%s result=%s: %s", run, qdn,
		    sb_status_name(*ldap_st), aerr.text);
	}
done:
	agent_journal_rows_free(&rows);
	return st;
}

enum sb_status
agent_writer_apply(struct agent_state *s, long long run, struct ad_conn *ad,
    const struct plan *p, const char *const *guids,
    struct agent_writer_result *out, struct sb_error *err)
{
	enum sb_status st = SB_OK, lst;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->n = p->nchanges;
	out->applied = calloc(p->nchanges + 1, sizeof(*out->applied));
	out->errors = calloc(p->nchanges + 1, sizeof(*out->errors));
	if (out->applied == NULL || out->errors == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "sync.apply",
		    "out of memory");
	for (i = 0; i < p->nchanges; i++) {
		st = apply_one(s, run, ad, &p->changes[i], i,
		    guids ? guids[i] : "", out, &lst, err);
		if (st != SB_OK)
			break;
		/* Credentials, rights, a dead DC: the rest would fail too. */
		if (lst == SB_STOP || lst == SB_RETRY || lst == SB_BUG)
			break;
	}
	return st;
}
