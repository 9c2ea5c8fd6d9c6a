/* undo RUN [--dry-run]: revert a run's applied journal rows where AD still holds them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cmd/cli.h"
#include "agent/cycle.h"
#include "agent/gate.h"
#include "agent/limits.h"
#include "agent/store/lock.h"
#include "mapping/log.h"
#include "agent/report/planout.h"
#include "agent/recover.h"
#include "agent/store/undo.h"
#include "agent/store/undoguids.h"
#include "agent/store/undomoves.h"
#include "agent/writer.h"
#include "ldap/conn.h"
#include "mapping/dn.h"

struct undo_args {
	long long	 run;
	int		 dry_run;
	enum planout_format format;
};

struct undo {
	struct conf		*conf;
	struct cycle		 cy;
	int			 cy_open;
	struct agent_lock	*lock;
	struct agent_state	*state;
	long long		 run;		/* this undo; 0: dry run */
	struct agent_run	 target;
	struct plan		*plan;
	struct undo_guids	 guids;		/* per change of plan */
	long			 conflicts;
	struct journal_rows	 all;		/* the target's rows */
	/* Groups this undo moves back (by GUID) or creates again. */
	struct undo_moves	 moves;
	struct dirset		 recreated;
	struct agent_gate	*gate;
	size_t			 nrefused;	/* changes the gate took out */
};


static int
parse_args(const struct cli *cli, int argc, char **argv, struct undo_args *a)
{
	char *end;
	int i, f;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 ||
		    strcmp(argv[i], "-n") == 0) {
			a->dry_run = 1;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			f = agent_planout_format(argv[++i]);
			if (f < 0) {
				agent_usage_error(cli, "undo: --format must be "
				    "text or json, not '%s'", argv[i]);
				return 0;
			}
			a->format = (enum planout_format)f;
		} else if (a->run == 0 && argv[i][0] >= '0' &&
		    argv[i][0] <= '9') {
			errno = 0;
			a->run = strtoll(argv[i], &end, 10);
			if (errno || *end || a->run <= 0) {
				agent_usage_error(cli, "undo: RUN must be a "
				    "run id (see 'soabridge runs'), not '%s'",
				    argv[i]);
				return 0;
			}
		} else {
			agent_usage_error(cli, "undo: unknown argument '%s'",
			    argv[i]);
			return 0;
		}
	}
	if (a->run == 0) {
		agent_usage_error(cli, "undo: which run? (soabridge undo RUN "
		    "[--dry-run]; see 'soabridge runs')");
		return 0;
	}
	return 1;
}

static void
undo_close(struct undo *u)
{
	agent_gate_free(u->gate);
	if (u->cy_open)
		agent_cycle_close(&u->cy);
	map_plan_free(u->plan);
	agent_journal_rows_free(&u->all);
	agent_undomoves_free(&u->moves);
	dirset_free(&u->recreated);
	agent_undoguids_free(&u->guids);
	agent_state_close(u->state);
	agent_lock_release(u->lock);
	conf_free(u->conf);
	memset(u, 0, sizeof(*u));
}

/* The entry at dn (by DN) with attrs, or NULL. */
static enum sb_status
read_dn(struct undo *u, const char *dn, const char *const *attrs,
    struct dirobj **out, struct sb_error *err)
{
	static const char *const none[] = { "objectClass", NULL };

	return agent_recover_reread(u->cy.ad, u->conf->ldap.base_dn, "", dn,
	    attrs ? attrs : none, out, err);
}

/* The object of rows as AD holds it now: by GUID, else by DN. */
static enum sb_status
read_current(struct undo *u, const struct journal_row *rows, size_t n,
    struct dirobj **out, struct sb_error *err)
{
	static const char *const dn_only[] = { "objectClass", "displayName",
	    NULL };
	const char **attrs = NULL;
	const char *const *use;
	enum sb_status st;
	size_t i;

	*out = NULL;
	if (rows[0].op == MAP_CHANGE_RENAME) {
		use = dn_only;
	} else if (rows[0].op != MAP_CHANGE_MODIFY) {
		use = agent_revert_group_attrs;
		/* A deletion journaled without a GUID: its DN is "taken". */
		if (rows[0].op == MAP_CHANGE_DELETE && rows[0].guid[0] == '\0')
			return SB_OK;
	} else {
		attrs = calloc(n + 2, sizeof(*attrs));
		if (attrs == NULL)
			return sb_fail(err, SB_BUG, ENOMEM, "undo",
			    "out of memory");
		for (i = 0; i < n; i++)
			attrs[i] = rows[i].attr;
		attrs[n] = "displayName";
		use = attrs;
	}
	st = agent_recover_reread(u->cy.ad, u->conf->ldap.base_dn,
	    rows[0].guid, rows[0].dn, use, out, err);
	free(attrs);
	return st;
}

/* Members of a deleted group's before-image that are no longer in AD. */
static enum sb_status
gone_members(struct undo *u, const struct journal_row *rows, size_t n,
    struct sb_bytes **out, size_t *nout, struct sb_error *err)
{
	const struct journal_row *mr = NULL;
	struct dirobj *o = NULL;
	struct sb_bytes *v;
	enum sb_status st = SB_OK;
	size_t i;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n; i++)
		if (strcasecmp(rows[i].attr, "member") == 0)
			mr = &rows[i];
	if (mr == NULL || mr->nbefore == 0)
		return SB_OK;
	v = calloc(mr->nbefore, sizeof(*v));
	if (v == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	for (i = 0; st == SB_OK && i < mr->nbefore; i++) {
		st = read_dn(u, (const char *)mr->before[i].p, NULL, &o, err);
		if (st == SB_OK && o == NULL)
			v[(*nout)++] = mr->before[i];	/* borrowed */
		dirobj_free(o);
		o = NULL;
	}
	if (st != SB_OK) {
		free(v);
		*nout = 0;
		return st;
	}
	*out = v;
	return SB_OK;
}

/* What this undo will have created again at dn, or NULL. */
static const struct dirobj *
recreated_at(const struct undo *u, const char *dn)
{
	size_t i;

	for (i = 0; i < u->recreated.n; i++)
		if (map_dn_equal(u->recreated.objs[i]->dn, dn))
			return u->recreated.objs[i];
	return NULL;
}

/*
 * What the revert needs of AD and of the run: the entry at the DN a move
 * back or a re-creation takes, a deleted group's members gone since, a
 * created group's members and parents written by the run.
 */
static enum sb_status
gather(struct undo *u, const struct journal_row *rows, size_t n,
    const struct dirobj *cur, struct revert_ctx *x, struct dirobj **taken,
    struct sb_bytes *bufs[3], struct sb_error *err)
{
	const struct journal_row *r = &rows[0];
	enum sb_status st = SB_OK;

	switch (r->op) {
	case MAP_CHANGE_RENAME:
		if (cur != NULL && r->nbefore == 1 && !map_dn_equal(cur->dn,
		    (const char *)r->before[0].p))
			st = read_dn(u, (const char *)r->before[0].p, NULL,
			    taken, err);
		break;
	case MAP_CHANGE_DELETE:
		st = read_dn(u, r->dn, NULL, taken, err);
		if (st == SB_OK)
			st = gone_members(u, rows, n, &bufs[2], &x->ngone,
			    err);
		x->gone = bufs[2];
		break;
	case MAP_CHANGE_ADD:
		st = agent_revert_run_members(u->all.v, u->all.n, u->run == 0,
		    r->dn, r->guid, &bufs[0], &x->nours, &bufs[1],
		    &x->nparents, err);
		x->ours = bufs[0];
		x->parents = bufs[1];
		break;
	case MAP_CHANGE_MODIFY:
		break;
	}
	x->taken = *taken;
	return st;
}

/* One change of the target run: re-read its object and plan its revert. */
static enum sb_status
plan_object(struct undo *u, const struct journal_row *rows, size_t n,
    struct sb_error *err)
{
	struct sb_bytes *bufs[3] = { NULL, NULL, NULL };
	struct dirobj *cur = NULL, *taken = NULL, *img = NULL;
	char rule[160], guid[MAP_GUID_TEXT_SIZE];
	const struct dirobj *use;
	struct revert_ctx x;
	size_t i, from = u->plan->nchanges, added = 0;
	const char *to;
	enum sb_status st;

	memset(&x, 0, sizeof(x));
	x.of_run = u->target.id;
	x.rule = rule;
	snprintf(rule, sizeof(rule), "undo of run %lld", u->target.id);
	snprintf(guid, sizeof(guid), "%s", rows[0].guid);
	if (rows[0].op == MAP_CHANGE_DELETE) {
		snprintf(rule, sizeof(rule), "undo of run %lld: created again, "
		    "with a NEW objectGUID and SID (re-grant rights that named "
		    "the old group)", u->target.id);
		x.recreated = &img;
		guid[0] = '\0';
	}
	st = read_current(u, rows, n, &cur, err);
	if (st == SB_OK)
		st = gather(u, rows, n, cur, &x, &taken, bufs, err);
	if (st != SB_OK)
		goto done;
	use = cur;
	if (use == NULL && rows[0].op == MAP_CHANGE_MODIFY &&
	    (use = recreated_at(u, rows[0].dn)) != NULL)
		guid[0] = '\0';		/* the new group's: not known yet */
	if (rows[0].op == MAP_CHANGE_ADD && cur != NULL &&
	    cur->guid.len == MAP_GUID_LEN)
		map_guid_to_text(cur->guid.p, cur->guid.len, guid,
		    sizeof(guid), NULL);
	st = agent_undo_object(u->plan, rows, n, use, &x, &u->conflicts,
	    &added, err);
	if (st == SB_OK && img != NULL) {
		st = dirset_add(&u->recreated, img, err);
		img = NULL;
	}
	/* Later reverts of a group moved back name it where it will be. */
	if (st == SB_OK && added > 0 && rows[0].op == MAP_CHANGE_RENAME)
		st = agent_undomoves_add(&u->moves, guid,
		    (const char *)rows[0].before[0].p, err);
	else if (st == SB_OK && added > 0 &&
	    (to = agent_undomoves_find(&u->moves, guid)) != NULL)
		st = agent_undomoves_retarget(u->plan, from, to, err);
	if (st == SB_OK && added > 0)
		st = agent_undoguids_set(&u->guids, u->plan->nchanges, from,
		    guid, err);
done:
	for (i = 0; i < 3; i++)
		free(bufs[i]);
	dirobj_free(img);
	dirobj_free(taken);
	dirobj_free(cur);
	return st;
}

/*
 * The undo plan: the target's applied rows (and, in a dry run, rows a dead
 * run left pending, which the real undo settles first), newest change
 * first.
 */
static enum sb_status
build_plan(struct undo *u, struct sb_error *err)
{
	struct journal_rows rows = { NULL, 0 };
	enum sb_status st;
	size_t i, j, k;

	u->plan = map_plan_new();
	if (u->plan == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
	st = agent_journal_load(u->state, u->target.id, -1, &u->all, err);
	if (st != SB_OK)
		goto done;
	rows.v = calloc(u->all.n + 1, sizeof(*rows.v));
	if (rows.v == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "undo", "out of memory");
		goto done;
	}
	/* Borrow the rows that count; u->all keeps ownership. */
	for (i = 0; i < u->all.n; i++)
		if (u->all.v[i].state == JOURNAL_APPLIED ||
		    (u->run == 0 && u->all.v[i].state == JOURNAL_PENDING))
			rows.v[rows.n++] = u->all.v[i];
	for (j = rows.n; st == SB_OK && j > 0; j = k) {
		for (k = j - 1; k > 0 && rows.v[k - 1].seq == rows.v[j - 1].seq;
		    k--)
			;
		st = plan_object(u, &rows.v[k], j - k, err);
	}
done:
	free(rows.v);
	return st;
}

/* The state and the target run: opened read-only for a dry run. */
static enum sb_status
open_state(struct undo *u, const struct undo_args *a, struct sb_error *err)
{
	struct agent_lock_info info;
	enum sb_status st;
	int held;

	if (!a->dry_run) {
		st = agent_lock_take(u->conf->state_dir, "undo", &u->lock, err);
		if (st == SB_OK)
			st = agent_state_open(u->conf->state_dir,
			    AGENT_STATE_RW, &u->state, err);
	} else {
		st = agent_state_open(u->conf->state_dir, AGENT_STATE_RO,
		    &u->state, err);
		if (st == SB_OK && u->state == NULL)
			st = sb_fail(err, SB_CONFIG, 0, "undo", "no state in "
			    "%s: soabridge has written nothing there",
			    u->conf->state_dir);
	}
	if (st == SB_OK)
		st = agent_state_run_get(u->state, a->run, &u->target, err);
	if (st == SB_SKIP)
		st = sb_fail(err, SB_CONFIG, 0, "undo", "there is no run %lld "
		    "in %s (see 'soabridge runs')", a->run,
		    u->conf->state_dir);
	if (st == SB_OK && a->dry_run && strcmp(u->target.outcome,
	    "running") == 0) {
		st = agent_lock_probe(u->conf->state_dir, &held, &info, err);
		if (st == SB_OK && held)
			st = sb_fail(err, SB_RETRY, 0, "undo", "run %lld is "
			    "still running (pid %ld): try again when it ends",
			    a->run, info.pid);
	}
	return st;
}

static void
end_run(struct undo *u, const char *outcome, long planned,
    const struct agent_writer_result *r, const char *message)
{
	struct agent_run_counts n = { planned, r ? r->napplied : 0,
	    r ? r->nfailed : 0, u->conflicts };
	struct sb_error err;

	if (u->state == NULL || u->run <= 0)
		return;
	if (agent_state_run_end(u->state, u->run, outcome, &n, message, NULL,
	    0, &err) != SB_OK)
		log_error("run.end run=%lld result=%s: %s", u->run,
		    sb_status_name(err.status), err.text);
}

static void
print_results(FILE *f, const struct plan *p,
    const struct agent_writer_result *r)
{
	size_t i;

	fputs("\nresults:\n", f);
	for (i = 0; i < p->nchanges; i++)
		fprintf(f, "  %-12s %s%s%s\n", r->applied[i] > 0 ? "applied" :
		    r->applied[i] == AGENT_WRITE_REFUSED ? "REFUSED" :
		    r->applied[i] < 0 ? "FAILED" : "not tried",
		    p->changes[i].dn, r->errors[i] ? ": " : "",
		    r->errors[i] ? r->errors[i] : "");
	fprintf(f, "%ld applied, %ld failed, %ld refused by the write gate\n",
	    r->napplied, r->nfailed, r->nrefused);
}

/*
 * The write gate over the whole undo plan (what it refuses leaves the plan
 * with a finding), then the safety limits: an undo is a write like a sync.
 * SB_REFUSED (each limit exceeded printed) when over a limit.
 */
static enum sb_status
guard(const struct cli *cli, struct undo *u, struct sb_error *err)
{
	struct agent_limit_counts n;
	struct sb_error e2;
	enum sb_status st, st2;

	st = agent_gate_open(u->cy.ad, u->conf, u->state, &u->gate, err);
	if (st == SB_OK)
		st = agent_gate_screen(u->gate, u->plan, u->guids.v,
		    &u->nrefused, err);
	if (st != SB_OK)
		return st;
	agent_limits_count(u->plan, &n);
	st = agent_limits_check(&n, AGENT_LIMIT_CHANGES,
	    u->conf->limits.max_changes, err);
	st2 = agent_limits_check(&n, AGENT_LIMIT_DELETES,
	    u->conf->limits.max_deletes, &e2);
	if (st != SB_OK)
		fprintf(stderr, "%s: undo: %s\n", cli->prog, err->text);
	if (st2 != SB_OK)
		fprintf(stderr, "%s: undo: %s\n", cli->prog, e2.text);
	if (st == SB_OK && st2 != SB_OK)
		*err = e2;
	return st != SB_OK ? st : st2;
}

/*
 * Everything before the first write: the state and the target run, this
 * undo's own run, the directory, the settling of runs that died, the plan,
 * then the gate and the limits over it.
 */
static enum sb_status
prepare(const struct cli *cli, struct undo *u, const struct undo_args *a,
    struct sb_error *err)
{
	enum sb_status st;
	size_t nrec;

	st = open_state(u, a, err);
	if (st == SB_OK && !a->dry_run)
		st = agent_state_run_begin(u->state, "undo", a->run, &u->run,
		    err);
	if (st == SB_OK) {
		st = agent_cycle_open(&u->cy, u->conf, err);
		u->cy_open = 1;
	}
	if (st == SB_OK && !a->dry_run)
		st = agent_state_run_bound(u->state, u->run,
		    ad_conn_bound(u->cy.ad), err);
	if (st == SB_OK && !a->dry_run)
		st = agent_recover_runs(u->state, u->cy.ad,
		    u->conf->ldap.base_dn, u->run, &nrec, err);
	if (st == SB_OK && !a->dry_run)
		st = agent_recover_pending(u->state, u->cy.ad,
		    u->conf->ldap.base_dn, u->run, &nrec, err);
	if (st == SB_OK)
		st = build_plan(u, err);
	if (st == SB_OK)
		st = guard(cli, u, err);
	return st;
}

/* A group created again is not the group deleted: rights must follow. */
static void
warn_recreated(const struct cli *cli, const struct undo *u)
{
	if (u->recreated.n == 0)
		return;
	fprintf(stderr, "%s: undo: note: %zu deleted group%s to be "
	    "created again: AD gives %s a NEW objectGUID and SID (it "
	    "never reuses them; only the AD Recycle Bin restores the "
	    "original), so rights that named the old group must be "
	    "granted again\n", cli->prog, u->recreated.n,
	    u->recreated.n == 1 ? "" : "s", u->recreated.n == 1 ? "it" :
	    "them");
}

/* What the write left alone and why: the gate refused it, or a conflict. */
static void
warn_left_alone(const struct cli *cli, const struct undo *u,
    const struct agent_writer_result *wr, long long of_run)
{
	if (u->nrefused > 0 || wr->nrefused > 0)
		fprintf(stderr, "%s: undo: %zu change%s refused by the write "
		    "gate (protected, out of scope, quarantined or moved; see "
		    "the findings and results)\n", cli->prog, u->nrefused +
		    (size_t)wr->nrefused, u->nrefused + (size_t)wr->nrefused ==
		    1 ? "" : "s");
	if (u->conflicts > 0)
		fprintf(stderr, "%s: undo: %ld attribute%s changed since run "
		    "%lld left alone (conflicts; see the findings)\n",
		    cli->prog, u->conflicts, u->conflicts == 1 ? "" : "s",
		    of_run);
}

/* This undo's run marked running, the plan written, the results printed. */
static enum sb_status
apply(struct undo *u, const struct undo_args *a, const struct planout_run *pr,
    long planned, struct agent_writer_result *wr, struct sb_error *err)
{
	enum sb_status st;

	st = agent_state_run_outcome(u->state, u->run, "running",
	    &(struct agent_run_counts){ planned, 0, 0, u->conflicts }, NULL,
	    err);
	if (st == SB_OK)
		st = agent_writer_apply(u->state, u->run, u->cy.ad, u->gate,
		    u->plan, u->guids.v, wr, err);
	if (wr->applied != NULL && a->format == PLANOUT_JSON)
		agent_planout_print_run(stdout, a->format, "undo", pr, u->plan,
		    wr->applied, (const char *const *)wr->errors);
	else if (wr->applied != NULL)
		print_results(stdout, u->plan, wr);
	return st;
}

int
agent_cmd_undo(const struct cli *cli, int argc, char **argv)
{
	struct planout_run pr = { 0, 0, NULL };
	struct agent_writer_result wr;
	struct undo_args a;
	struct sb_error err = { 0 };
	struct undo u;
	enum sb_status st;
	long planned = 0;
	int rc;

	memset(&u, 0, sizeof(u));
	memset(&wr, 0, sizeof(wr));
	if (!parse_args(cli, argc, argv, &a))
		return EXIT_USAGE;
	rc = agent_conf_load(cli, &u.conf);
	if (rc != EXIT_DONE)
		goto done;
	st = prepare(cli, &u, &a, &err);
	pr.run = u.run;
	pr.undo_of = a.run;
	if (st == SB_REFUSED) {
		agent_planout_print_run(stdout, a.format, "undo (refused: "
		    "nothing written)", &pr, u.plan, NULL, NULL);
		end_run(&u, "refused", (long)u.plan->nchanges, NULL, err.text);
		rc = agent_exit_code(st);
		goto done;
	}
	if (st != SB_OK) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where, err.text);
		end_run(&u, "failed", 0, NULL, err.text);
		rc = agent_exit_code(st);
		goto done;
	}
	planned = (long)u.plan->nchanges;
	warn_recreated(cli, &u);
	if (a.dry_run || a.format == PLANOUT_TEXT)
		agent_planout_print_run(stdout, a.format, a.dry_run ?
		    "undo (dry run)" : "undo", &pr, u.plan, NULL, NULL);
	if (a.dry_run)
		goto done;
	st = apply(&u, &a, &pr, planned, &wr, &err);
	warn_left_alone(cli, &u, &wr, a.run);
	if (st != SB_OK || wr.nfailed > 0 || wr.napplied + wr.nrefused <
	    planned) {
		if (st != SB_OK)
			fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where,
			    err.text);
		end_run(&u, "failed", planned, &wr, st != SB_OK ? err.text :
		    "some changes failed");
		rc = st != SB_OK ? agent_exit_code(st) : EXIT_RUNTIME;
		goto done;
	}
	end_run(&u, "ok", planned, &wr, NULL);
done:
	agent_writer_result_free(&wr);
	undo_close(&u);
	return rc;
}
