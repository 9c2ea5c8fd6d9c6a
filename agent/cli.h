/*
 * Command-line front: global options, the command table and the mapping of
 * a status to the process exit code of the interface contract.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include "mapping/core.h"

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

/* Commands: each returns the process exit code. */
int	agent_cmd_check_config(const struct cli *cli, int argc, char **argv);
int	agent_cmd_plan(const struct cli *cli, int argc, char **argv);
int	agent_cmd_sync(const struct cli *cli, int argc, char **argv);

#endif
