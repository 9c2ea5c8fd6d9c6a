/*
 * Command-line front: global options, the command table and the mapping of
 * a status to the process exit code of the interface contract.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include "mapping/core.h"

struct agent_lease;
struct agent_cycle_stats;
struct conf;
struct agent_position;

/* Exit codes of the contract. */
#define EXIT_DONE	0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2	/* usage or configuration error */
#define EXIT_REFUSED	3	/* a safety limit said no; nothing written */
#define EXIT_DRIFT	4	/* report found drift (--fail-on-drift) */

struct cli {
	const char	*config_path;
	int		 verbose;	/* -v count */
	int		 quiet;
	const char	*prog;
};

int	agent_exit_code(enum sb_status st);
void	agent_usage_error(const struct cli *cli, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* "soabridge: WHERE: TEXT" on stderr: how a failed command ends. */
void	agent_print_error(const struct cli *cli, const struct sb_error *err);

/*
 * Loads cli's configuration into *out (conf_free), printing every problem
 * as FILE:LINE: KEY: text, and the warnings (a section nothing reads) unless
 * -q.  Returns the exit code (EXIT_DONE when loaded).
 */
int	agent_conf_load(const struct cli *cli, struct conf **out);
/* Parses "text" or "json" for --format; 0 (and a usage error) otherwise. */
int	agent_format_arg(const struct cli *cli, const char *cmd,
	    const char *arg, int *json);

/* How one sync cycle runs: sync's arguments, and the lock's holder name. */
struct agent_sync_opts {
	int format; /* enum planout_format */
	long max_changes; /* -1: the configured one */
	const char *holder; /* "sync" or "run" in the lock file */
	/*
	 * More positions to advance when the run ends clean, in the same
	 * transaction as AD's watermark: the service's delta links, taken
	 * before this cycle read anything.  Borrowed; may be NULL.
	 */
	const struct agent_position *pos;
	size_t npos;
	struct agent_lease *lease; /* run's (agent/lease.h): every write
				      must find it held; NULL: no lease */
	/* NULL, or what the cycle did is added to it (agent/cyclestats.h) */
	struct agent_cycle_stats *stats;
};

/*
 * One sync with conf (borrowed): the lock, the state, recovery of dead
 * runs, read, plan, limits, the write gate and the journal, printing
 * what sync prints.  Shared by sync and run.  Returns sync's exit code.
 */
int agent_sync_cycle(const struct cli *cli, struct conf *conf,
    const struct agent_sync_opts *o);

/* Commands: each returns the process exit code. */
int	agent_cmd_check_config(const struct cli *cli, int argc, char **argv);
int	agent_cmd_plan(const struct cli *cli, int argc, char **argv);
int	agent_cmd_sync(const struct cli *cli, int argc, char **argv);
int	agent_cmd_report(const struct cli *cli, int argc, char **argv);
int	agent_cmd_runs(const struct cli *cli, int argc, char **argv);
int	agent_cmd_undo(const struct cli *cli, int argc, char **argv);
int	agent_cmd_status(const struct cli *cli, int argc, char **argv);
int	agent_cmd_release(const struct cli *cli, int argc, char **argv);
int agent_cmd_run(const struct cli *cli, int argc, char **argv);

#endif
