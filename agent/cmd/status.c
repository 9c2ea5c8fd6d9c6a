/*
 * status (last run, the service's cycles, positions, quarantine, health)
 * and release DN|GUID.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/cmd/cli.h"
#include "agent/lease.h"
#include "agent/store/flap.h"
#include "agent/store/lock.h"
#include "agent/store/position.h"
#include "agent/store/state.h"
#include "conf/conf.h"

#define STATUS_PROBLEMS_MAX	8

/* What status reports, gathered before printing. */
struct status {
	const char			*state_dir;
	struct agent_state		*s;
	int				 held;
	struct agent_lock_info		 holder;
	int svc_held; /* 'run' */
	struct agent_lock_info svc;
	struct agent_run		*runs;
	size_t				 nruns;
	const struct agent_run		*last;		/* or NULL */
	const struct agent_run		*last_ok;	/* last good sync */
	struct agent_position_row	*pos;
	size_t				 npos;
	struct flap_list		 quar;
	/* The service's cycles, from its positions ("" when none yet). */
	long full_interval;
	char full_last[24]; /* UTC */
	char full_next[24];
	const char *last_cycle; /* positions' time */
	/* The lease (daemon.lease_dn), read from AD; lease_why if not. */
	const char *lease_dn; /* NULL: none */
	struct ad_lease lease;
	char lease_why[sizeof(((struct sb_error *)0)->text)];
	char lease_until[24];
	char				 problems[STATUS_PROBLEMS_MAX][448];
	size_t				 nproblems;
};

static void
problem(struct status *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct status *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nproblems == STATUS_PROBLEMS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(s->problems[s->nproblems++], sizeof(s->problems[0]), fmt,
	    ap);
	va_end(ap);
}

/* When the service last read in full, and when it will again. */
static void
gather_cycles(struct status *g)
{
	const char *name;
	long long t;
	size_t i;

	for (i = 0; i < g->npos; i++) {
		name = g->pos[i].name;
		if (strcmp(name, AGENT_POSITION_FULL_AT) == 0 &&
		    (t = strtoll(g->pos[i].value, NULL, 10)) > 0) {
			sb_utc_text(t, g->full_last, sizeof(g->full_last));
			sb_utc_text(t + g->full_interval, g->full_next,
			    sizeof(g->full_next));
		}
		if (strcmp(name, AGENT_POSITION_USERS_DELTA) == 0)
			g->last_cycle = g->pos[i].updated;
	}
}

/* Delta links are long and say nothing to a reader: named, not shown. */
static int
is_link(const char *name)
{
	return strcmp(name, AGENT_POSITION_USERS_DELTA) == 0 ||
	    strcmp(name, AGENT_POSITION_GROUPS_DELTA) == 0;
}

/*
 * Who holds the lease, read from AD.  AD unreachable is said, not an
 * error of status: the state file is what status is about.
 */
static void
gather_lease(struct status *g, const struct conf *conf)
{
	struct sb_error err = { 0 };

	if (*conf->daemon.lease_dn == '\0')
		return;
	g->lease_dn = conf->daemon.lease_dn;
	if (agent_lease_read_holder(conf, &g->lease, &err) != SB_OK)
		snprintf(g->lease_why, sizeof(g->lease_why), "%s", err.text);
	else if (g->lease.present && g->lease.valid)
		sb_utc_text(g->lease.expires, g->lease_until,
		    sizeof(g->lease_until));
}

static enum sb_status
gather(struct status *g, struct sb_error *err)
{
	const struct agent_run *r;
	enum sb_status st;
	size_t i;

	st = agent_lock_probe(g->state_dir, &g->held, &g->holder, err);
	if (st == SB_OK)
		st = agent_lock_probe_file(g->state_dir,
		    AGENT_SERVICE_LOCK_FILE, &g->svc_held, &g->svc, err);
	if (st == SB_OK)
		st = agent_state_open(g->state_dir, AGENT_STATE_RO, &g->s, err);
	if (st != SB_OK || g->s == NULL)
		return st;
	st = agent_state_runs(g->s, NULL, &g->runs, &g->nruns, err);
	if (st == SB_OK)
		st = agent_position_list(g->s, &g->pos, &g->npos, err);
	if (st == SB_OK)
		st = agent_flap_quarantined(g->s, &g->quar, err);
	if (st != SB_OK)
		return st;
	gather_cycles(g);
	for (i = 0; i < g->nruns; i++) {
		r = &g->runs[i];
		g->last = r;
		if (strcmp(r->command, "sync") == 0 &&
		    strcmp(r->outcome, "ok") == 0)
			g->last_ok = r;
		if (strcmp(r->outcome, "running") == 0 && !g->held)
			problem(g, "run %lld (%s, pid %ld) died before it "
			    "ended; the next sync or undo settles its journal",
			    r->id, r->command, r->pid);
	}
	r = g->last;
	if (r != NULL && (strcmp(r->outcome, "failed") == 0 ||
	    strcmp(r->outcome, "refused") == 0 ||
	    strcmp(r->outcome, "interrupted") == 0))
		problem(g, "the last run, %lld (%s), %s%s%s", r->id, r->command,
		    r->outcome, r->message[0] ? ": " : "", r->message);
	if (g->quar.n > 0)
		problem(g, "%zu object%s quarantined for flapping: nothing is "
		    "written to %s until 'soabridge release DN|GUID'",
		    g->quar.n, g->quar.n == 1 ? " is" : "s are",
		    g->quar.n == 1 ? "it" : "them");
	return SB_OK;
}

static void
text_run(const char *label, const struct agent_run *r)
{
	if (r == NULL) {
		printf("%-13s none\n", label);
		return;
	}
	printf("%-13s %lld %s%s, %s, started %s, ended %s: %ld planned, %ld "
	    "applied, %ld failed", label, r->id, r->command,
	    r->undo_of > 0 ? " (undo)" : "", r->outcome, r->started,
	    r->ended[0] ? r->ended : "-", r->planned, r->applied, r->failed);
	if (r->conflicts > 0)
		printf(", %ld conflicts", r->conflicts);
	fputc('\n', stdout);
}

static void
print_text(const struct status *g)
{
	size_t i;

	if (g->s == NULL)
		printf("%-13s %s/%s (none yet: no run has been recorded)\n",
		    "state:", g->state_dir, AGENT_STATE_FILE);
	else
		printf("%-13s %s (schema %d)\n", "state:",
		    agent_state_path(g->s), agent_state_schema(g->s));
	if (g->held)
		printf("%-13s held by pid %ld (%s since %s)\n", "lock:",
		    g->holder.pid, g->holder.command[0] ? g->holder.command :
		    "?", g->holder.started[0] ? g->holder.started : "?");
	else
		printf("%-13s free\n", "lock:");
	if (g->svc_held)
		printf("%-13s soabridge run, pid %ld, since %s\n",
		    "service:", g->svc.pid,
		    g->svc.started[0] ? g->svc.started : "?");
	else
		printf("%-13s not running\n", "service:");
	if (g->full_last[0] != '\0')
		printf("%-13s last %s, next due %s (every %ld s)\n",
		    "full read:", g->full_last, g->full_next, g->full_interval);
	else
		printf("%-13s none by the service yet (its first cycle is "
		       "one)\n",
		    "full read:");
	printf("%-13s %s\n", "last cycle:",
	    g->last_cycle ? g->last_cycle : "none by the service yet");
	if (g->lease_dn == NULL)
		;
	else if (g->lease_why[0] != '\0')
		printf("%-13s %s: cannot read it: %s\n", "lease:", g->lease_dn,
		    g->lease_why);
	else if (!g->lease.present)
		printf("%-13s %s: free\n", "lease:", g->lease_dn);
	else if (!g->lease.valid)
		printf("%-13s %s: holds a value that is no lease\n",
		    "lease:", g->lease_dn);
	else
		printf("%-13s %s: held by %s until %s\n", "lease:", g->lease_dn,
		    g->lease.holder, g->lease_until);
	text_run("last run:", g->last);
	text_run("last ok sync:", g->last_ok);
	if (g->npos == 0)
		printf("%-13s none\n", "positions:");
	for (i = 0; i < g->npos; i++)
		printf("%-13s %s = %s (run %lld, %s)\n",
		    i ? "" : "positions:", g->pos[i].name,
		    is_link(g->pos[i].name) ? "(a delta link)" :
					      g->pos[i].value,
		    g->pos[i].run, g->pos[i].updated);
	printf("%-13s %zu\n", "quarantined:", g->quar.n);
	for (i = 0; i < g->quar.n; i++)
		printf("  %s {%s}: %s changed back in AD on %ld consecutive "
		    "runs; quarantined by run %lld at %s\n", g->quar.v[i].dn,
		    g->quar.v[i].guid, g->quar.v[i].attr, g->quar.v[i].count,
		    g->quar.v[i].run, g->quar.v[i].since);
	printf("%-13s %s\n", "health:", g->nproblems ? "attention" : "ok");
	for (i = 0; i < g->nproblems; i++)
		printf("  - %s\n", g->problems[i]);
}

static json_t *
run_obj(const struct agent_run *r)
{
	if (r == NULL)
		return json_null();
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:s, s:I, s:I, s:I, s:I}",
	    "id", (json_int_t)r->id, "command", r->command, "undo_of",
	    r->undo_of > 0 ? json_integer(r->undo_of) : json_null(),
	    "started", r->started, "ended", r->ended[0] ?
	    json_string(r->ended) : json_null(), "outcome", r->outcome,
	    "planned", (json_int_t)r->planned, "applied",
	    (json_int_t)r->applied, "failed", (json_int_t)r->failed,
	    "conflicts", (json_int_t)r->conflicts);
}

/* null without a lease; else its DN and holder (null when free). */
static json_t *
lease_obj(const struct status *g)
{
	if (g->lease_dn == NULL)
		return json_null();
	if (g->lease_why[0] != '\0')
		return json_pack("{s:s, s:s}", "dn", g->lease_dn, "error",
		    g->lease_why);
	return json_pack("{s:s, s:o, s:o}", "dn", g->lease_dn, "holder",
	    g->lease.present && g->lease.valid ? json_string(g->lease.holder) :
						 json_null(),
	    "expires",
	    g->lease.present && g->lease.valid ? json_string(g->lease_until) :
						 json_null());
}

static int
print_json(const struct status *g)
{
	json_t *root, *pos, *quar, *probs;
	size_t i;
	int rc = EXIT_RUNTIME;

	pos = json_array();
	for (i = 0; pos != NULL && i < g->npos; i++)
		json_array_append_new(pos, json_pack("{s:s, s:s, s:I, s:s}",
		    "name", g->pos[i].name, "value", g->pos[i].value, "run",
		    (json_int_t)g->pos[i].run, "updated", g->pos[i].updated));
	quar = json_array();
	for (i = 0; quar != NULL && i < g->quar.n; i++)
		json_array_append_new(quar, json_pack("{s:s, s:s, s:s, s:I, "
		    "s:I, s:s}", "dn", g->quar.v[i].dn, "guid",
		    g->quar.v[i].guid, "attribute", g->quar.v[i].attr, "count",
		    (json_int_t)g->quar.v[i].count, "run",
		    (json_int_t)g->quar.v[i].run, "since", g->quar.v[i].since));
	probs = json_array();
	for (i = 0; probs != NULL && i < g->nproblems; i++)
		json_array_append_new(probs, json_string(g->problems[i]));
	root = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
			 "s:s, s:o}",
	    "state", g->s ? json_string(agent_state_path(g->s)) : json_null(),
	    "schema",
	    g->s ? json_integer(agent_state_schema(g->s)) : json_null(), "lock",
	    g->held ? json_pack("{s:I, s:s, s:s}", "pid",
			  (json_int_t)g->holder.pid, "command",
			  g->holder.command, "started", g->holder.started) :
		      json_null(),
	    "service",
	    g->svc_held ? json_pack("{s:I, s:s}", "pid", (json_int_t)g->svc.pid,
			      "started", g->svc.started) :
			  json_null(),
	    "cycles",
	    json_pack("{s:o, s:o, s:o, s:I}", "last",
		g->last_cycle ? json_string(g->last_cycle) : json_null(),
		"full_last",
		g->full_last[0] ? json_string(g->full_last) : json_null(),
		"full_next",
		g->full_next[0] ? json_string(g->full_next) : json_null(),
		"full_interval", (json_int_t)g->full_interval),
	    "lease", lease_obj(g), "last_run", run_obj(g->last), "last_sync",
	    run_obj(g->last_ok), "positions", pos ? pos : json_null(),
	    "quarantined", quar ? quar : json_null(), "health",
	    g->nproblems ? "attention" : "ok", "problems",
	    probs ? probs : json_null());
	if (root != NULL && json_dumpf(root, stdout, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) == 0) {
		fputc('\n', stdout);
		rc = EXIT_DONE;
	}
	json_decref(root);
	return rc;
}

int
agent_cmd_status(const struct cli *cli, int argc, char **argv)
{
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	struct status g;
	enum sb_status st;
	int rc, i, json = 0;

	memset(&g, 0, sizeof(g));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (!agent_format_arg(cli, "status", argv[++i], &json))
				return EXIT_USAGE;
		} else {
			agent_usage_error(cli, "status: unknown argument '%s'",
			    argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = agent_conf_load(cli, &conf);
	if (rc != EXIT_DONE)
		goto done;
	g.state_dir = conf->state_dir;
	g.full_interval = conf->daemon.full_interval;
	st = gather(&g, &err);
	if (st == SB_OK)
		gather_lease(&g, conf);
	if (st != SB_OK) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where, err.text);
		rc = agent_exit_code(st);
		goto done;
	}
	if (json)
		rc = print_json(&g);
	else
		print_text(&g);
done:
	free(g.runs);
	free(g.pos);
	agent_flap_list_free(&g.quar);
	agent_state_close(g.s);
	conf_free(conf);
	return rc;
}

int
agent_cmd_release(const struct cli *cli, int argc, char **argv)
{
	struct agent_state *s = NULL;
	struct flap_list hit = { NULL, 0 };
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	enum sb_status st;
	size_t i;
	int rc;

	if (argc != 2 || argv[1][0] == '-') {
		agent_usage_error(cli, "release: name one object: soabridge "
		    "release DN|GUID");
		return EXIT_USAGE;
	}
	rc = agent_conf_load(cli, &conf);
	if (rc != EXIT_DONE)
		goto done;
	st = agent_state_open(conf->state_dir, AGENT_STATE_RO, &s, &err);
	if (st == SB_OK && s != NULL) {
		agent_state_close(s);
		s = NULL;
		st = agent_state_open(conf->state_dir, AGENT_STATE_RW, &s,
		    &err);
	}
	if (st == SB_OK && s != NULL)
		st = agent_flap_release(s, argv[1], &hit, &err);
	if (st != SB_OK) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where, err.text);
		rc = agent_exit_code(st);
		goto done;
	}
	if (hit.n == 0) {
		fprintf(stderr, "%s: release: %s is not quarantined (see "
		    "'soabridge status')\n", cli->prog, argv[1]);
		rc = EXIT_RUNTIME;
		goto done;
	}
	for (i = 0; i < hit.n; i++)
		printf("released %s {%s}: quarantined by run %lld (%s changed "
		    "back on %ld consecutive runs); the next sync writes it "
		    "again\n", hit.v[i].dn, hit.v[i].guid, hit.v[i].run,
		    hit.v[i].attr, hit.v[i].count);
done:
	agent_flap_list_free(&hit);
	agent_state_close(s);
	conf_free(conf);
	return rc;
}
