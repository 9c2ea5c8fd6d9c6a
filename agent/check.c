/* check-config: validate the file (OpenBSD's -n), optionally try the connections. */
#include <stdio.h>
#include <string.h>

#include "agent/cli.h"
#include "agent/log.h"
#include "conf/conf.h"

int
agent_cmd_check_config(const struct cli *cli, int argc, char **argv)
{
	struct conf_diag diag;
	struct conf *conf = NULL;
	enum sb_status st;
	int connect = 0, i;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--connect") == 0)
			connect = 1;
		else {
			agent_usage_error(cli, "check-config: unknown argument "
			    "'%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	st = conf_load(cli->config_path, &conf, &diag);
	if (st != SB_OK) {
		for (k = 0; k < diag.n; k++)
			fprintf(stderr, "%s\n", diag.lines[k]);
		fprintf(stderr, "%s: configuration has %zu error%s\n",
		    cli->config_path, diag.n, diag.n == 1 ? "" : "s");
		conf_diag_free(&diag);
		return agent_exit_code(st);
	}
	if (connect) {
		fprintf(stderr, "%s: check-config --connect is not available "
		    "in this version\n", cli->prog);
		conf_free(conf);
		return EXIT_RUNTIME;
	}
	if (!cli->quiet)
		printf("%s: configuration OK\n", cli->config_path);
	conf_free(conf);
	return EXIT_DONE;
}
