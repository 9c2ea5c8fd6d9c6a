/* Exit codes of the contract and usage errors, shared by every command. */
#include <stdarg.h>
#include <stdio.h>

#include "agent/cli.h"

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
