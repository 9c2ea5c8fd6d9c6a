/*
 * The test build's hooks (build/soabridge-test only; never linked into
 * build/soabridge):
 *   SOABRIDGE_TEST_KILL_AT=before:N|after:N  SIGKILL once change N's journal
 *       rows are committed, just before or after its LDAP write: the two
 *       moments a crash leaves 'pending' rows (tests/integration/022).
 *   SOABRIDGE_TEST_TERM_AT=before:N  raise(SIGTERM) once, just before change
 *       N's LDAP write: a stop asked while an object is in hand
 *       (tests/integration/083).
 *   SOABRIDGE_TEST_BEFORE_GATE=COMMAND  runs COMMAND (sh -c) once, before
 *       the write gate's first read (the first change's check; in a plan,
 *       before the reads it keeps): a race where AD changes
 *       between the plan and the write (tests/integration/064).
 *   SOABRIDGE_TEST_AT_AD_READ=COMMAND  runs COMMAND (sh -c) once, when AD's
 *       side of the reads has ended, the cloud's side running beside it:
 *       a test that the two overlap (tests/integration/099).
 *   SOABRIDGE_TEST_DNS_PORT=N  the SRV query of ldap.domain goes to
 *       127.0.0.1:N (UDP) only: a test's DNS responder, the machine's
 *       resolv.conf untouched (tests/integration/097).
 */
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "agent/testhook.h"

static void
kill_at(const char *where, size_t i)
{
	const char *v = getenv("SOABRIDGE_TEST_KILL_AT");
	size_t n = strlen(where);
	unsigned long at;
	char *end;

	if (v == NULL || strncmp(v, where, n) != 0 || v[n] != ':')
		return;
	at = strtoul(v + n + 1, &end, 10);
	if (*end == '\0' && at == i)
		raise(SIGKILL);
}

static void
term_at(const char *where, size_t i)
{
	const char *v = getenv("SOABRIDGE_TEST_TERM_AT");
	size_t n = strlen(where);
	unsigned long at;
	char *end;

	if (v == NULL || strncmp(v, where, n) != 0 || v[n] != ':')
		return;
	at = strtoul(v + n + 1, &end, 10);
	if (*end == '\0' && at == i)
		raise(SIGTERM);
}

/* The command in the environment variable var, once (*done). */
static void
run_once(const char *var, int *done)
{
	const char *cmd = getenv(var);

	if (*done || cmd == NULL || *cmd == '\0')
		return;
	*done = 1;
	if (system(cmd) != 0)
		abort();	/* a test whose race did not happen must not pass */
}

void
agent_testhook_point(const char *where, size_t i)
{
	static int gate_done, ad_read_done;

	if (strcmp(where, "gate") == 0)
		run_once("SOABRIDGE_TEST_BEFORE_GATE", &gate_done);
	else if (strcmp(where, "ad-read") == 0)
		run_once("SOABRIDGE_TEST_AT_AD_READ", &ad_read_done);
	else {
		term_at(where, i);
		kill_at(where, i);
	}
}

void
agent_testhook_resolver(void *res_state)
{
	struct __res_state *rs = res_state;
	const char *v = getenv("SOABRIDGE_TEST_DNS_PORT");
	unsigned long port;
	char *end;

	if (v == NULL || *v == '\0')
		return;
	port = strtoul(v, &end, 10);
	if (*end != '\0' || port == 0 || port > 65535)
		abort(); /* a test that meant a responder must not pass */
	memset(&rs->nsaddr_list[0], 0, sizeof(rs->nsaddr_list[0]));
	rs->nsaddr_list[0].sin_family = AF_INET;
	rs->nsaddr_list[0].sin_port = htons((unsigned short)port);
	rs->nsaddr_list[0].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rs->nscount = 1;
	rs->retry = 1;
	rs->retrans = 2;
}
