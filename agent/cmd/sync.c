/*
 * plan and sync: read, plan, quarantine flapping objects, check the safety
 * limits, pass each change through the write gate and apply it through
 * ldap/ with the journal written ahead.  plan takes the same path, the
 * gate included, and stops there: nothing is written to AD or the state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cmd/cli.h"
#include "agent/cyclestats.h"
#include "agent/guids.h"
#include "agent/cycle.h"
#include "agent/store/flap.h"
#include "agent/gate.h"
#include "agent/lease.h"
#include "agent/limits.h"
#include "agent/store/lock.h"
#include "mapping/log.h"
#include "agent/report/planout.h"
#include "agent/recover.h"
#include "agent/signals.h"
#include "agent/store/position.h"
#include "agent/store/state.h"
#include "agent/writer.h"
#include "ldap/conn.h"
#include "mapping/codec.h"

struct sync_args {
	enum planout_format	 format;
	long			 max_changes;	/* -1: the configured one */
};

/* Everything one plan or sync holds; sync_close frees it. */
struct sync {
	struct conf		*conf;
	struct cycle		 cy;
	int			 cy_open;
	struct agent_lock	*lock;
	struct agent_state	*state;
	long long		 run;
	struct plan_guids	 guids;		/* per change of cy.plan */
	struct agent_flaps	 flaps;
	struct agent_gate	*gate;
	const struct agent_sync_opts *opts;
	struct agent_lease *lease; /* run's, or NULL */
};

static int
parse_args(const struct cli *cli, const char *cmd, int argc, char **argv,
    int allow_max, struct sync_args *a)
{
	char *end;
	int i, f;

	a->format = PLANOUT_TEXT;
	a->max_changes = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			f = agent_planout_format(argv[++i]);
			if (f < 0) {
				agent_usage_error(cli, "%s: --format must be "
				    "text or json, not '%s'", cmd, argv[i]);
				return 0;
			}
			a->format = (enum planout_format)f;
		} else if (allow_max && strcmp(argv[i], "--max-changes") == 0 &&
		    i + 1 < argc) {
			errno = 0;
			a->max_changes = strtol(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] ||
			    a->max_changes < 0) {
				agent_usage_error(cli, "%s: --max-changes "
				    "needs a number >= 0, not '%s'", cmd,
				    argv[i]);
				return 0;
			}
		} else {
			agent_usage_error(cli, "%s: unknown argument '%s'", cmd,
			    argv[i]);
			return 0;
		}
	}
	return 1;
}

static void
sync_close(struct sync *sy)
{
	if (sy->cy_open)
		agent_cycle_close(&sy->cy);
	agent_gate_free(sy->gate);
	agent_flap_free(&sy->flaps);
	agent_plan_guids_free(&sy->guids);
	agent_state_close(sy->state);
	agent_lock_release(sy->lock);
	memset(sy, 0, sizeof(*sy));
}

/* Connect, settle dead runs (sync), read both sides, plan, quarantine. */
static enum sb_status
compute(struct sync *sy, struct sb_error *err)
{
	enum sb_status st;
	size_t nrec;

	st = agent_cycle_open(&sy->cy, sy->conf, err);
	sy->cy_open = 1;
	if (st == SB_OK && sy->run > 0) {
		st = agent_recover_runs(sy->state, sy->cy.ad,
		    sy->conf->ldap.base_dn, sy->run, &nrec, err);
		if (st == SB_OK && nrec > 0)
			fprintf(stderr, "soabridge: settled the journal of %zu "
			    "interrupted run%s (see 'soabridge runs')\n", nrec,
			    nrec == 1 ? "" : "s");

		if (st == SB_OK)
			st = agent_recover_pending(sy->state, sy->cy.ad,
			    sy->conf->ldap.base_dn, sy->run, &nrec, err);
		if (st == SB_OK && nrec > 0)
			fprintf(stderr,
			    "soabridge: settled the unanswered "
			    "writes of %zu run%s that lost the DC (see "
			    "'soabridge runs')\n",
			    nrec, nrec == 1 ? "" : "s");
	}
	if (st == SB_OK)
		st = agent_cycle_read(&sy->cy, err);
	if (st == SB_OK)
		st = agent_cycle_plan(&sy->cy, err);
	if (st == SB_OK)
		st = agent_plan_guids(sy->cy.plan, &sy->cy.ad_objs,
		    &sy->guids, err);
	if (st == SB_OK)
		st = agent_flap_filter(sy->state, sy->cy.plan, sy->guids.of,
		    sy->conf->limits.flap_threshold, &sy->flaps, err);
	return st;
}

/* Both limits; each one exceeded is printed.  SB_REFUSED if any. */
static enum sb_status
check_limits(const struct cli *cli, const struct sync *sy, long max_changes,
    int warn_only, struct sb_error *err)
{
	struct agent_limit_counts n;
	struct sb_error e2;
	enum sb_status st, st2;

	agent_limits_count(sy->cy.plan, &n);
	if (max_changes < 0)
		max_changes = sy->conf->limits.max_changes;
	st = agent_limits_check(&n, AGENT_LIMIT_CHANGES, max_changes, err);
	st2 = agent_limits_check(&n, AGENT_LIMIT_DELETES,
	    sy->conf->limits.max_deletes, &e2);
	if (warn_only) {
		if (st != SB_OK)
			fprintf(stderr, "%s: note: sync would refuse this "
			    "plan: %s\n", cli->prog, err->text);
		if (st2 != SB_OK)
			fprintf(stderr, "%s: note: sync would refuse this "
			    "plan: %s\n", cli->prog, e2.text);
		return SB_OK;
	}
	if (st != SB_OK)
		agent_print_error(cli, err);
	if (st2 != SB_OK)
		agent_print_error(cli, &e2);
	if (st == SB_OK && st2 != SB_OK)
		*err = e2;
	log_info("sync.limits changes=%zu max_changes=%ld deletes=%zu "
	    "max_deletes=%ld result=%s", n.changes, max_changes, n.deletes,
	    sy->conf->limits.max_deletes, st == SB_OK && st2 == SB_OK ? "ok" :
	    "refused");
	return st != SB_OK ? st : st2;
}

/* "dc1.corp.example (ldaps://dc1.corp.example)": the DC this run reads. */
static const char *
dc_name(const struct sync *sy, char *buf, size_t size)
{
	const char *host;

	if (sy->cy.ad == NULL)
		return NULL;
	host = ad_conn_dns_host(sy->cy.ad);
	snprintf(buf, size, "%s (%s)", host ? host : "no dnsHostName",
	    ad_conn_uri(sy->cy.ad));
	return buf;
}

int
agent_cmd_plan(const struct cli *cli, int argc, char **argv)
{
	struct planout_run pr = { 0, 0, NULL };
	char dc[AD_CONN_URI_MAX + 300];
	struct agent_writer_result wr;
	struct sync_args a;
	struct sb_error err = { 0 };
	struct sync sy;
	enum sb_status st;
	int rc;

	memset(&sy, 0, sizeof(sy));
	memset(&wr, 0, sizeof(wr));
	if (!parse_args(cli, "plan", argc, argv, 0, &a))
		return EXIT_USAGE;
	rc = agent_conf_load(cli, &sy.conf);
	if (rc != EXIT_DONE)
		goto done;
	/* The state only for the quarantine; a plan writes none. */
	st = agent_state_open(sy.conf->state_dir, AGENT_STATE_RO, &sy.state,
	    &err);
	if (st != SB_OK) {
		fprintf(stderr, "%s: note: %s: %s (quarantines not shown)\n",
		    cli->prog, err.where, err.text);
		sy.state = NULL;
	}
	st = compute(&sy, &err);
	if (st == SB_OK)
		st = check_limits(cli, &sy, -1, 1, &err);
	/* sync's gate, saying what it would refuse and sending nothing */
	if (st == SB_OK)
		st = agent_gate_open(sy.cy.ad, sy.conf, sy.state, &sy.gate,
		    &err);
	if (st == SB_OK)
		st = agent_writer_check(sy.cy.ad, sy.gate, sy.cy.plan,
		    sy.guids.of, &wr, &err);
	if (st != SB_OK) {
		agent_print_error(cli, &err);
		rc = agent_exit_code(st);
		goto done;
	}
	pr.dc = dc_name(&sy, dc, sizeof(dc));
	agent_planout_print_run(stdout, a.format, "plan", &pr, sy.cy.plan,
	    wr.applied, (const char *const *)wr.errors);
	if (wr.nrefused > 0)
		fprintf(stderr, "%s: plan: %ld change%s would be refused by "
		    "the write gate: AD changed since it was read\n", cli->prog,
		    wr.nrefused, wr.nrefused == 1 ? "" : "s");
done:
	agent_writer_result_free(&wr);
	conf_free(sy.conf);
	sync_close(&sy);
	return rc;
}

/* Positions a clean run advances: AD's, and the caller's. */
#define SYNC_POS_MAX 8

/* Ends the run in the state (outcome and counts); failures only logged. */
static void
end_run(struct sync *sy, const char *outcome, long planned,
    const struct agent_writer_result *r, const char *message, int advance)
{
	struct agent_run_counts n = { planned, r ? r->napplied : 0,
	    r ? r->nfailed : 0, 0 };
	struct agent_position pos[SYNC_POS_MAX];
	struct sb_error err;
	char usn[32], usn_name[64];
	const char *inv;
	size_t npos = 0, i;

	if (sy->state == NULL || sy->run <= 0)
		return;
	/*
	 * The USN read before AD was: every change below it was seen.  It
	 * is kept per DC database: another DC, or this one restored, counts
	 * from elsewhere (an unknown one keeps none).
	 */
	inv = advance && sy->cy.ad != NULL ? ad_conn_invocation_id(sy->cy.ad) :
					     "";
	if (*inv != '\0') {
		snprintf(usn, sizeof(usn), "%llu", ad_conn_usn(sy->cy.ad));
		snprintf(usn_name, sizeof(usn_name), "%s%s",
		    AGENT_POSITION_AD_USN, inv);
		pos[npos++] = (struct agent_position){ usn_name, usn, 1 };
		pos[npos++] = (struct agent_position){ AGENT_POSITION_AD_DC,
			inv, 0 };
	}
	for (i = 0; advance && sy->opts != NULL && i < sy->opts->npos &&
	     npos < SYNC_POS_MAX;
	     i++)
		pos[npos++] = sy->opts->pos[i];
	if (agent_state_run_end(sy->state, sy->run, outcome, &n, message, pos,
	    npos, &err) != SB_OK)
		log_error("run.end run=%lld result=%s: %s", sy->run,
		    sb_status_name(err.status), err.text);
}

/*
 * The writes of a plan within the limits.  Counts and quarantines go to
 * the state only for a run that goes on to write; the gate knows this
 * run's quarantines too.  *wr stays empty when a step before the writer
 * fails.
 */
static enum sb_status
apply_plan(struct sync *sy, const struct agent_run_counts *n,
    struct agent_writer_result *wr, struct sb_error *err)
{
	enum sb_status st;

	st = agent_flap_commit(sy->state, &sy->flaps, sy->run, err);
	if (st == SB_OK)
		st = agent_state_run_outcome(sy->state, sy->run, "running", n,
		    NULL, err);
	if (st == SB_OK)
		st = agent_gate_open(sy->cy.ad, sy->conf, sy->state, &sy->gate,
		    err);
	if (st == SB_OK)
		agent_gate_set_lease(sy->gate, sy->lease);
	if (st == SB_OK)
		st = agent_writer_apply(sy->state, sy->run, sy->cy.ad, sy->gate,
		    sy->cy.plan, sy->guids.of, wr, err);
	return st;
}

/*
 * After a writer that kept its journal: says what the gate refused and
 * what failed, and ends the run.  Returns the exit code.
 */
/*
 * The DC went away mid-run: nothing more was written.  Says which DC and
 * what is left; the next run connects afresh (the first DC that answers)
 * and settles the write whose reply never came.  Returns the exit code.
 */
static int
lost_dc(const struct cli *cli, struct sync *sy,
    const struct agent_writer_result *wr, long planned)
{
	char msg[768];
	long done = wr->napplied + wr->nfailed - wr->npending;

	snprintf(msg, sizeof(msg), "lost the DC mid-run: %s", wr->lost);
	fprintf(stderr,
	    "%s: sync: %s\n%s: sync: %ld change%s applied, %ld "
	    "not attempted, %ld left pending (no reply: the next run settles "
	    "it by reading AD) (run %lld); the next run connects afresh\n",
	    cli->prog, msg, cli->prog, wr->napplied,
	    wr->napplied == 1 ? "" : "s", planned - done - wr->npending,
	    wr->npending, sy->run);
	end_run(sy, "failed", planned, wr, msg, 0);
	return EXIT_RUNTIME;
}

static int
finish_run(const struct cli *cli, struct sync *sy,
    const struct agent_writer_result *wr, long planned)
{
	if (wr->lost != NULL)
		return lost_dc(cli, sy, wr, planned);
	if (wr->nrefused > 0)
		fprintf(stderr, "%s: sync: %ld change%s refused by the write "
		    "gate: AD changed since it was read (see the results; the "
		    "next plan shows why)\n", cli->prog, wr->nrefused,
		    wr->nrefused == 1 ? "" : "s");
	if (wr->nfailed == 0 && wr->napplied + wr->nrefused < planned &&
	    agent_stop_requested()) {
		fprintf(stderr,
		    "%s: sync: stopped by a signal: %ld change%s "
		    "not attempted (run %lld); the next cycle plans them "
		    "again\n",
		    cli->prog, planned - wr->napplied - wr->nrefused,
		    planned - wr->napplied - wr->nrefused == 1 ? "" : "s",
		    sy->run);
		end_run(sy, "stopped", planned, wr, "stopped by a signal", 0);
		return EXIT_DONE;
	}
	if (wr->nfailed > 0 || wr->napplied + wr->nrefused < planned) {
		fprintf(stderr, "%s: sync: %ld change%s failed, %ld not "
		    "attempted (run %lld)\n", cli->prog, wr->nfailed,
		    wr->nfailed == 1 ? "" : "s",
		    planned - wr->napplied - wr->nfailed - wr->nrefused,
		    sy->run);
		end_run(sy, "failed", planned, wr, "some changes failed", 0);
		return EXIT_RUNTIME;
	}
	/* A refused change is not applied: the watermark stays behind it. */
	end_run(sy, "ok", planned, wr, wr->nrefused > 0 ? "some changes "
	    "refused by the write gate" : NULL, wr->nrefused == 0);
	return EXIT_DONE;
}

int
agent_sync_cycle(const struct cli *cli, struct conf *conf,
    const struct agent_sync_opts *o)
{
	struct planout_run pr = { 0, 0, NULL };
	char dc[AD_CONN_URI_MAX + 300];
	struct agent_writer_result wr;
	struct agent_run_counts n = { 0, 0, 0, 0 };
	struct sb_error err = { 0 };
	struct sync sy;
	enum sb_status st;
	int rc;

	memset(&sy, 0, sizeof(sy));
	memset(&wr, 0, sizeof(wr));
	sy.conf = conf;
	sy.opts = o;
	sy.lease = o->lease;
	st = agent_lock_take(sy.conf->state_dir, o->holder, &sy.lock, &err);
	if (st == SB_OK)
		st = agent_state_open(sy.conf->state_dir, AGENT_STATE_RW,
		    &sy.state, &err);
	if (st == SB_OK)
		st = agent_state_run_begin(sy.state, "sync", 0, &sy.run, &err);
	if (st == SB_OK)
		st = compute(&sy, &err);
	if (st != SB_OK) {
		agent_print_error(cli, &err);
		end_run(&sy, "failed", 0, NULL, err.text, 0);
		rc = agent_exit_code(st);
		goto done;
	}
	pr.run = sy.run;
	pr.dc = dc_name(&sy, dc, sizeof(dc));
	n.planned = (long)sy.cy.plan->nchanges;
	st = check_limits(cli, &sy, o->max_changes, 0, &err);
	if (st != SB_OK) {
		agent_planout_print(stdout, o->format, "plan", sy.cy.plan, NULL,
		    NULL);
		end_run(&sy, "refused", n.planned, NULL, err.text, 0);
		rc = agent_exit_code(st);
		goto done;
	}
	st = apply_plan(&sy, &n, &wr, &err);
	if (wr.applied != NULL)
		agent_planout_print_run(stdout, o->format, "sync", &pr,
		    sy.cy.plan, wr.applied, (const char *const *)wr.errors);
	if (st != SB_OK) {
		agent_print_error(cli, &err);
		end_run(&sy, "failed", n.planned, &wr, err.text, 0);
		rc = agent_exit_code(st);
		goto done;
	}
	rc = finish_run(cli, &sy, &wr, n.planned);
done:
	if (o->stats != NULL)
		agent_cycle_stats_take(o->stats, &sy.cy, wr.applied);
	agent_writer_result_free(&wr);
	sync_close(&sy);
	return rc;
}

int
agent_cmd_sync(const struct cli *cli, int argc, char **argv)
{
	struct agent_sync_opts o;
	struct sync_args a;
	struct sb_error err = { 0 };
	struct agent_lease *lease = NULL;
	struct conf *conf = NULL;
	int rc;

	if (!parse_args(cli, "sync", argc, argv, 1, &a))
		return EXIT_USAGE;
	rc = agent_conf_load(cli, &conf);
	/* With a lease configured, a sync by hand is one more writer. */
	if (rc == EXIT_DONE &&
	    agent_lease_for_sync(cli->prog, conf, &lease, &err) != SB_OK) {
		agent_print_error(cli, &err);
		rc = agent_exit_code(err.status);
	}
	if (rc == EXIT_DONE) {
		o.format = (int)a.format;
		o.max_changes = a.max_changes;
		o.holder = "sync";
		o.pos = NULL;
		o.npos = 0;
		o.lease = lease;
		o.stats = NULL;
		rc = agent_sync_cycle(cli, conf, &o);
	}
	agent_lease_end(lease);
	conf_free(conf);
	return rc;
}
