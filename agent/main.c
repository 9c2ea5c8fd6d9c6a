/* soabridge entry point: global options, command dispatch, exit codes. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "agent/cmd/cli.h"
#include "agent/progress.h"
#include "mapping/log.h"
#include "conf/conf.h"

#ifndef SOABRIDGE_VERSION
#define SOABRIDGE_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: soabridge [-c FILE] [-v|-q] COMMAND [ARGS]\n"
    "\n"
    "Writes cloud-managed state (Entra ID, Exchange Online) back into Active\n"
    "Directory, only where the cloud is the source of authority.\n"
    "\n"
    "options:\n"
    "  -c FILE      configuration file (default " CONF_DEFAULT_PATH ")\n"
    "  -v           verbose: each LDAP operation and HTTP request (twice: debug)\n"
    "  -q           quiet: errors only\n"
    "  --version    print the version and exit\n"
    "  --help       print this help and exit\n"
    "\n"
    "commands:\n"
    "  check-config [--connect]   validate the configuration; with --connect also\n"
    "                             bind to AD (saying which DC, and as whom),\n"
    "                             get both cloud tokens and list the mapped\n"
    "                             attributes the AD schema lacks\n"
    "  plan [--format text|json]  compute the changes; write nothing\n"
    "  sync [--format text|json] [--max-changes N]\n"
    "                             compute and apply the changes within the limits;\n"
    "                             every change is journaled before it is written\n"
    "  report [--format text|json|csv|html] [-o FILE] [--fail-on-drift]\n"
    "                             drift report: per object and attribute, AD's and\n"
    "                             the cloud's values, the owner and what sync does;\n"
    "                             writes nothing; --fail-on-drift exits 4 on drift\n"
    "  runs [--format text|json]  list the runs: id, times, outcome, counts\n"
    "  undo RUN [--dry-run] [--format text|json]\n"
    "                             revert what run RUN applied, where AD still holds\n"
    "                             what it wrote (conflicts are left alone)\n"
    "  release DN|GUID            end the quarantine of a flapping object\n"
    "  status [--format text|json]\n"
    "                             last run, positions, quarantined objects, health\n"
    "  run                        the service, in the foreground: a sync cycle every\n"
    "                             daemon.interval seconds (default 60), each a\n"
    "                             full read of AD and the cloud (no incremental\n"
    "                             cycles yet); SIGHUP reloads the configuration,\n"
    "                             SIGTERM/SIGINT stop after the object in hand;\n"
    "                             with daemon.metrics_file set, writes Prometheus\n"
    "                             metrics there after every cycle\n"
    "\n"
    "Every other command runs once and exits.\n"
    "\n"
    "exit status: 0 done; 1 runtime error; 2 usage or configuration error;\n"
    "             3 refused by a safety limit; 4 report found drift\n";

struct command {
	const char	*name;
	int		(*run)(const struct cli *, int, char **);
};

static const struct command commands[] = {
	{ "check-config", agent_cmd_check_config },
	{ "plan", agent_cmd_plan },
	{ "sync", agent_cmd_sync },
	{ "report", agent_cmd_report },
	{ "runs", agent_cmd_runs },
	{ "undo", agent_cmd_undo },
	{ "release", agent_cmd_release },
	{ "status", agent_cmd_status },
	{ "run", agent_cmd_run },
};

int
main(int argc, char **argv)
{
	struct cli cli = { CONF_DEFAULT_PATH, 0, 0, "soabridge" };
	size_t i;
	int argi;

	/* Secrets live in this process's memory: keep them out of core dumps. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	/*
	 * A write to a connection the DC dropped (a TLS socket whose peer is
	 * gone) must fail as EPIPE and end the run cleanly, journal settled,
	 * not kill the process in the middle of it.
	 */
	signal(SIGPIPE, SIG_IGN);

	for (argi = 1; argi < argc && argv[argi][0] == '-'; argi++) {
		const char *a = argv[argi];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			return EXIT_DONE;
		} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("soabridge %s\n", SOABRIDGE_VERSION);
			return EXIT_DONE;
		} else if (strcmp(a, "-c") == 0) {
			if (++argi == argc) {
				agent_usage_error(&cli, "-c needs a file name");
				return EXIT_USAGE;
			}
			cli.config_path = argv[argi];
		} else if (strncmp(a, "-c", 2) == 0 && a[2] != '\0') {
			cli.config_path = a + 2;
		} else if (strspn(a + 1, "v") == strlen(a + 1) && a[1]) {
			cli.verbose += (int)strlen(a + 1);
		} else if (strcmp(a, "-q") == 0) {
			cli.quiet = 1;
		} else if (strcmp(a, "--") == 0) {
			argi++;
			break;
		} else {
			agent_usage_error(&cli, "unknown option '%s'", a);
			return EXIT_USAGE;
		}
	}
	if (cli.quiet && cli.verbose) {
		agent_usage_error(&cli, "-q and -v exclude each other");
		return EXIT_USAGE;
	}
	log_set_level(cli.quiet ? LOG_LVL_ERROR : cli.verbose >= 2 ?
	    LOG_LVL_DEBUG : cli.verbose == 1 ? LOG_LVL_INFO : LOG_LVL_WARN);
	/*
	 * The status line is for a person at a terminal; the service's
	 * cycles are told by its log and metrics instead.
	 */
	agent_progress_enable(!cli.quiet && isatty(STDERR_FILENO) &&
	    argi < argc && strcmp(argv[argi], "run") != 0);
	log_set_hooks(agent_progress_clear, agent_progress_redraw);
	if (argi == argc) {
		agent_usage_error(&cli, "no command given");
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[argi], commands[i].name) == 0)
			return commands[i].run(&cli, argc - argi, argv + argi);
	agent_usage_error(&cli, "unknown command '%s'", argv[argi]);
	return EXIT_USAGE;
}
