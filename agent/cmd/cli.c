/* Exit codes of the contract and usage errors, shared by every command. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent/cmd/cli.h"
#include "agent/progress.h"
#include "conf/conf.h"

int
agent_exit_code(enum sb_status st)
{
	switch (st) {
	case SB_OK:		return EXIT_DONE;
	case SB_CONFIG:		return EXIT_USAGE;
	case SB_REFUSED:	return EXIT_REFUSED;
	case SB_RETRY:
	case SB_RESYNC:
	case SB_SKIP:
	case SB_STOP:
	case SB_BUG:		return EXIT_RUNTIME;
	}
	return EXIT_RUNTIME;
}

void
agent_usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", cli->prog);
}

/* diag's errors, then its warnings unless -q, on stderr. */
static void
print_conf_diag(const struct cli *cli, const struct conf_diag *diag)
{
	size_t k;

	for (k = 0; k < diag->n; k++)
		fprintf(stderr, "%s\n", diag->lines[k]);
	for (k = 0; !cli->quiet && k < diag->nwarn; k++)
		fprintf(stderr, "%s\n", diag->warnings[k]);
}

int
agent_conf_load(const struct cli *cli, struct conf **out)
{
	struct conf_diag diag;
	enum sb_status st;

	*out = NULL;
	st = conf_load(cli->config_path, out, &diag);
	print_conf_diag(cli, &diag);
	conf_diag_free(&diag);
	return agent_exit_code(st);
}

int
agent_format_arg(const struct cli *cli, const char *cmd, const char *arg,
    int *json)
{
	if (strcmp(arg, "text") == 0 || strcmp(arg, "json") == 0) {
		*json = arg[0] == 'j';
		return 1;
	}
	agent_usage_error(cli, "%s: --format must be text or json, not '%s'",
	    cmd, arg);
	return 0;
}

void
agent_print_error(const struct cli *cli, const struct sb_error *err)
{
	agent_progress_clear();
	fprintf(stderr, "%s: %s: %s\n", cli->prog, err->where, err->text);
}
