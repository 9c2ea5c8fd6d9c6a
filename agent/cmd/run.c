/*
 * run: the service in the foreground.  A full reconciliation at start and
 * every daemon.full_interval seconds: sync's cycle (lock, state, recovery,
 * read, plan, limits, write gate, journal).  Between them, every
 * daemon.interval seconds, an incremental cycle (agent/incremental.h)
 * asks AD, Graph and Exchange Online what changed: nothing, and the cycle
 * ends there; something, and sync's cycle runs, its positions advancing
 * with its clean end.  SIGTERM and SIGINT end it after the object in
 * hand, exit 0; SIGHUP reads the configuration again before the next
 * cycle, keeping the old one when the new one fails to load.  A failed
 * cycle is logged and recorded as sync records it; the loop goes on.
 * systemd hears of it through sd_notify (Type=notify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "agent/cmd/cli.h"
#include "agent/cycle.h"
#include "agent/exoseen.h"
#include "agent/incremental.h"
#include "agent/lease.h"
#include "agent/metrics.h"
#include "agent/report/planout.h"
#include "agent/signals.h"
#include "agent/store/lock.h"
#include "agent/store/position.h"
#include "agent/store/state.h"
#include "cloud/client.h"
#include "conf/conf.h"
#include "mapping/log.h"

/*
 * Loads the configuration again; when it fails to load, or names another
 * state_dir than the one whose service lock is held, says so and keeps
 * *conf.
 */
static void
reload(const struct cli *cli, struct conf **conf)
{
	struct conf *fresh = NULL;
	int rc;

	sd_notify(0, "RELOADING=1");
	rc = agent_conf_load(cli, &fresh);
	if (rc != EXIT_DONE)
		fprintf(stderr,
		    "%s: run: reload refused: %s does not load "
		    "(see above); going on with the configuration in use\n",
		    cli->prog, cli->config_path);
	else if (strcmp(fresh->state_dir, (*conf)->state_dir) != 0)
		fprintf(stderr,
		    "%s: run: reload refused: state_dir changed "
		    "from %s to %s: restart the service to use another; going "
		    "on with the configuration in use\n",
		    cli->prog, (*conf)->state_dir, fresh->state_dir);
	else {
		conf_free(*conf);
		*conf = fresh;
		fresh = NULL;
		fprintf(stderr, "%s: run: reloaded %s (interval %ld s)\n",
		    cli->prog, cli->config_path, (*conf)->daemon.interval);
	}
	conf_free(fresh);
	sd_notify(0, "READY=1\nSTATUS=configuration reloaded");
}

/* What one cycle's exit code means, for the log and systemd's STATUS. */
static const char *
cycle_result(int rc)
{
	switch (rc) {
	case EXIT_DONE:
		return "ok";
	case EXIT_REFUSED:
		return "refused by a safety limit";
	case EXIT_USAGE:
		return "configuration error";
	default:
		return "failed";
	}
}

/* What the service keeps between cycles. */
struct service {
	struct conf *conf;
	struct agent_exo_seen seen; /* mailbox changes taken in */
	struct cloud_token_keep tokens; /* from cycle to cycle */
	struct agent_lease *lease; /* agent/lease.h: who writes */
	time_t next_full; /* 0: at once */
	long cycles;
	long resyncs;
	struct agent_metrics metrics; /* daemon.metrics_file */
	struct agent_cycle_stats stats; /* of the cycle in hand */
};

/* The metrics' result of a cycle that exited rc. */
static enum agent_cycle_result
metrics_result(int rc)
{
	if (rc == EXIT_DONE)
		return AGENT_CYCLE_OK;
	return rc == EXIT_REFUSED ? AGENT_CYCLE_REFUSED : AGENT_CYCLE_FAILED;
}

/*
 * The metrics to daemon.metrics_file, when set.  A failure is a warning:
 * the service goes on, and the next cycle tries again.
 */
static void
write_metrics(const struct service *sv)
{
	const char *path = sv->conf->daemon.metrics_file;
	struct sb_error err;

	if (path == NULL || path[0] == '\0')
		return;
	if (agent_metrics_write(&sv->metrics, path, &err) != SB_OK)
		log_warn("run.metrics file=%s result=failed: %s", path,
		    err.text);
}

/* Counts the cycle that started at t0 (monotonic) and ended rc. */
static void
count_cycle(struct service *sv, const char *kind, int rc,
    const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	sv->stats.seconds = (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	agent_metrics_add_cycle(&sv->metrics,
	    strcmp(kind, "full") == 0 ? AGENT_CYCLE_FULL :
					AGENT_CYCLE_INCREMENTAL,
	    metrics_result(rc), &sv->stats, time(NULL));
	write_metrics(sv);
}

/* Whether the cycle's positions were advanced (its run ended clean). */
static int
advanced(const struct conf *conf, const struct agent_incr *in)
{
	struct agent_state *s = NULL;
	struct sb_error err;
	char v[32];
	int yes = 0;

	if (agent_state_open(conf->state_dir, AGENT_STATE_RO, &s, &err) ==
		SB_OK &&
	    s != NULL &&
	    agent_position_get(s, AGENT_POSITION_EXO_SINCE, v, sizeof(v),
		&err) == SB_OK)
		yes = strcmp(v, in->exo_since) == 0;
	agent_state_close(s);
	return yes;
}

/*
 * One cycle: full when due, else the incremental check and, when it saw
 * changes or cannot use its positions, sync's cycle.  *kind says which.
 */
static int
one_cycle(const struct cli *cli, struct service *sv, const char **kind)
{
	struct agent_sync_opts o = { PLANOUT_TEXT, -1, "run", NULL, 0,
		sv->lease, &sv->stats };
	struct agent_position pos[4];
	struct agent_incr in;
	struct sb_error err = { 0 };
	time_t start = time(NULL);
	char full_at[24];
	int full = start >= sv->next_full, rc;
	enum sb_status st;
	size_t i;

	*kind = full ? "full" : "incremental";
	memset(&sv->stats, 0, sizeof(sv->stats));
	st = full ? agent_incr_fresh(sv->conf, start, &in, &err) :
		    agent_incr_check(sv->conf, &sv->seen, start, &in, &err);
	sv->stats.cloud_requests = in.cloud_requests;
	sv->stats.cloud_throttled = in.cloud_throttled;
	if (st != SB_OK) {
		agent_print_error(cli, &err);
		return agent_exit_code(st);
	}
	if (in.verdict == AGENT_INCR_QUIET) {
		log_info("run.cycle n=%ld kind=incremental changes=none",
		    sv->cycles + 1);
		agent_incr_free(&in);
		return EXIT_DONE;
	}
	if (in.resync) {
		sv->resyncs++;
		agent_metrics_delta_resync(&sv->metrics);
		fprintf(stderr, "%s: run: %s\n", cli->prog, in.why);
	}
	log_info("run.cycle n=%ld kind=%s read=full why=\"%s\" ad_changed=%lu "
		 "users=%zu groups=%zu mailboxes=%zu",
	    sv->cycles + 1, *kind,
	    in.verdict == AGENT_INCR_CHANGED ? "changes seen" : in.why,
	    in.ad_changed, in.users_changed, in.groups_changed,
	    in.mailboxes_changed);
	for (i = 0; i < in.npos; i++)
		pos[i] = in.pos[i];
	o.npos = in.npos;
	if (full) {
		snprintf(full_at, sizeof(full_at), "%lld", (long long)start);
		pos[o.npos++] = (struct agent_position){ AGENT_POSITION_FULL_AT,
			full_at, 1 };
	}
	o.pos = pos;
	rc = agent_sync_cycle(cli, sv->conf, &o);
	if (rc == EXIT_DONE && advanced(sv->conf, &in)) {
		if (full)
			sv->next_full = start + sv->conf->daemon.full_interval;
		/* Older pairs are before any later question's reach. */
		agent_exo_seen_prune(&sv->seen, start - 2 * AGENT_EXO_MARGIN_S);
		if (agent_incr_remember(&in, &sv->seen, &err) != SB_OK)
			agent_print_error(cli, &err);
	}
	agent_incr_free(&in);
	return rc;
}

int
agent_cmd_run(const struct cli *cli, int argc, char **argv)
{
	struct service sv;
	struct sb_error err = { 0 };
	struct agent_lock *svc = NULL;
	struct timespec t0;
	const char *kind;
	int rc;

	(void)argv;
	memset(&sv, 0, sizeof(sv));
	if (argc > 1) {
		agent_usage_error(cli, "run: takes no arguments");
		return EXIT_USAGE;
	}
	rc = agent_conf_load(cli, &sv.conf);
	if (rc != EXIT_DONE) {
		conf_free(sv.conf);
		return rc;
	}
	/* One service per state_dir; sync and undo take the other lock. */
	if (agent_lock_take_file(sv.conf->state_dir, AGENT_SERVICE_LOCK_FILE,
		"run", &svc, &err) != SB_OK ||
	    agent_signals_install(&err) != SB_OK ||
	    agent_lease_new(cli->prog, "run", &sv.lease, &err) != SB_OK) {
		agent_print_error(cli, &err);
		agent_lock_release(svc);
		conf_free(sv.conf);
		return agent_exit_code(err.status);
	}
	agent_cycle_keep_tokens(&sv.tokens);
	fprintf(stderr,
	    "%s: run: started (pid %ld): a cycle every %ld s, a full "
	    "reconciliation now and every %ld s\n",
	    cli->prog, (long)getpid(), sv.conf->daemon.interval,
	    sv.conf->daemon.full_interval);
	agent_metrics_init(&sv.metrics);
	write_metrics(&sv);
	while (!agent_stop_requested()) {
		if (agent_reload_take())
			reload(cli, &sv.conf);
		/* Standby while another agent holds the lease (agent/lease.h). */
		if (!agent_lease_turn(sv.lease, sv.conf)) {
			sd_notifyf(0, "READY=1\nSTATUS=%s",
			    agent_lease_state(sv.lease));
			agent_lease_wait(sv.lease, sv.conf->daemon.interval);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = one_cycle(cli, &sv, &kind);
		sv.cycles++;
		count_cycle(&sv, kind, rc, &t0);
		fflush(stdout);
		log_info("run.cycle n=%ld kind=%s result=%s", sv.cycles, kind,
		    cycle_result(rc));
		if (rc != EXIT_DONE)
			fprintf(stderr,
			    "%s: run: cycle %ld (%s) %s (exit %d); the "
			    "next one in %ld s\n",
			    cli->prog, sv.cycles, kind, cycle_result(rc), rc,
			    sv.conf->daemon.interval);
		sd_notifyf(0, "%sSTATUS=cycle %ld (%s) %s; every %ld s",
		    sv.cycles == 1 ? "READY=1\n" : "", sv.cycles, kind,
		    cycle_result(rc), sv.conf->daemon.interval);
		if (agent_stop_requested())
			break;
		agent_lease_wait(sv.lease, sv.conf->daemon.interval);
	}
	sd_notify(0, "STOPPING=1");
	fprintf(stderr, "%s: run: stopped by a signal after %ld cycle%s\n",
	    cli->prog, sv.cycles, sv.cycles == 1 ? "" : "s");
	agent_lease_end(sv.lease);
	agent_cycle_keep_tokens(NULL);
	cloud_token_keep_free(&sv.tokens);
	agent_exo_seen_free(&sv.seen);
	agent_lock_release(svc);
	conf_free(sv.conf);
	return EXIT_DONE;
}
