/*
 * run: the service in the foreground.  It runs sync's cycle (lock, state,
 * recovery, read, plan, limits, write gate, journal) every daemon.interval
 * seconds, each a full read of both sides.  SIGTERM and SIGINT end it
 * after the object in hand, exit 0; SIGHUP reads the configuration again
 * before the next cycle, keeping the old one when the new one fails to
 * load.  A failed cycle is logged and recorded as sync records it; the
 * loop goes on.  systemd hears of it through sd_notify (Type=notify).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "agent/cmd/cli.h"
#include "agent/lease.h"
#include "agent/report/planout.h"
#include "agent/signals.h"
#include "agent/store/lock.h"
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

int
agent_cmd_run(const struct cli *cli, int argc, char **argv)
{
	struct agent_sync_opts o = { PLANOUT_TEXT, -1, "run", NULL };
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	struct agent_lock *svc = NULL;
	struct agent_lease *lease = NULL;
	long cycle = 0;
	int rc;

	(void)argv;
	if (argc > 1) {
		agent_usage_error(cli, "run: takes no arguments");
		return EXIT_USAGE;
	}
	rc = agent_conf_load(cli, &conf);
	if (rc != EXIT_DONE) {
		conf_free(conf);
		return rc;
	}
	/* One service per state_dir; sync and undo take the other lock. */
	if (agent_lock_take_file(conf->state_dir, AGENT_SERVICE_LOCK_FILE,
		"run", &svc, &err) != SB_OK ||
	    agent_signals_install(&err) != SB_OK ||
	    agent_lease_new(cli->prog, "run", &lease, &err) != SB_OK) {
		agent_print_error(cli, &err);
		agent_lock_release(svc);
		conf_free(conf);
		return agent_exit_code(err.status);
	}
	fprintf(stderr,
	    "%s: run: started (pid %ld), a full cycle every %ld "
	    "s\n",
	    cli->prog, (long)getpid(), conf->daemon.interval);
	o.lease = lease;
	while (!agent_stop_requested()) {
		if (agent_reload_take())
			reload(cli, &conf);
		/* Standby while another agent holds the lease (agent/lease.h). */
		if (!agent_lease_turn(lease, conf)) {
			sd_notifyf(0, "READY=1\nSTATUS=%s",
			    agent_lease_state(lease));
			agent_lease_wait(lease, conf->daemon.interval);
			continue;
		}
		rc = agent_sync_cycle(cli, conf, &o);
		cycle++;
		fflush(stdout);
		log_info("run.cycle n=%ld result=%s", cycle, cycle_result(rc));
		if (rc != EXIT_DONE)
			fprintf(stderr,
			    "%s: run: cycle %ld %s (exit %d); the "
			    "next one in %ld s\n",
			    cli->prog, cycle, cycle_result(rc), rc,
			    conf->daemon.interval);
		sd_notifyf(0, "%sSTATUS=cycle %ld %s; every %ld s",
		    cycle == 1 ? "READY=1\n" : "", cycle, cycle_result(rc),
		    conf->daemon.interval);
		if (agent_stop_requested())
			break;
		agent_lease_wait(lease, conf->daemon.interval);
	}
	sd_notify(0, "STOPPING=1");
	fprintf(stderr, "%s: run: stopped by a signal after %ld cycle%s\n",
	    cli->prog, cycle, cycle == 1 ? "" : "s");
	agent_lease_end(lease);
	agent_lock_release(svc);
	conf_free(conf);
	return EXIT_DONE;
}
