/* plan and sync: read, plan, check the safety limits, apply through ldap/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cli.h"
#include "agent/cycle.h"
#include "agent/log.h"
#include "agent/planout.h"
#include "agent/apply.h"

struct sync_args {
	enum planout_format	 format;
	long			 max_changes;	/* -1: the configured one */
};

static int
parse_args(const struct cli *cli, const char *cmd, int argc, char **argv,
    int allow_max, struct sync_args *a)
{
	char *end;
	int i, f;

	a->format = PLANOUT_TEXT;
	a->max_changes = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			f = agent_planout_format(argv[++i]);
			if (f < 0) {
				agent_usage_error(cli, "%s: --format must be "
				    "text or json, not '%s'", cmd, argv[i]);
				return 0;
			}
			a->format = (enum planout_format)f;
		} else if (allow_max && strcmp(argv[i], "--max-changes") == 0 &&
		    i + 1 < argc) {
			errno = 0;
			a->max_changes = strtol(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] ||
			    a->max_changes < 0) {
				agent_usage_error(cli, "%s: --max-changes needs "
				    "a number >= 0, not '%s'", cmd, argv[i]);
				return 0;
			}
		} else {
			agent_usage_error(cli, "%s: unknown argument '%s'", cmd,
			    argv[i]);
			return 0;
		}
	}
	return 1;
}

static void
print_error(const struct cli *cli, const struct sb_error *err)
{
	fprintf(stderr, "%s: %s: %s\n", cli->prog, err->where, err->text);
}

/* Load the config, open the connections, read both sides and plan. */
static int
prepare(const struct cli *cli, struct conf **conf, struct cycle *cy,
    struct sb_error *err)
{
	struct conf_diag diag;
	enum sb_status st;
	size_t k;

	st = conf_load(cli->config_path, conf, &diag);
	if (st != SB_OK) {
		for (k = 0; k < diag.n; k++)
			fprintf(stderr, "%s\n", diag.lines[k]);
		conf_diag_free(&diag);
		memset(cy, 0, sizeof(*cy));
		return agent_exit_code(st);
	}
	st = agent_cycle_open(cy, *conf, err);
	if (st == SB_OK)
		st = agent_cycle_read(cy, err);
	if (st == SB_OK)
		st = agent_cycle_plan(cy, err);
	if (st != SB_OK) {
		print_error(cli, err);
		return agent_exit_code(st);
	}
	return EXIT_DONE;
}

/* Safety limits on the whole plan, before the first write. */
static enum sb_status
check_limits(const struct conf *conf, const struct plan *p, long max_changes,
    struct sb_error *err)
{
	struct plan_counts n;
	size_t changes, deletes;

	map_plan_count(p, &n);
	changes = n.value_adds + n.value_deletes + n.replaces + n.adds +
	    n.renames + n.deletes;
	deletes = n.value_deletes + n.deletes;
	if (max_changes < 0)
		max_changes = conf->limits.max_changes;
	if (changes > (size_t)max_changes)
		return sb_fail(err, SB_REFUSED, 0, "sync.limits",
		    "the plan has %zu changes, %zu over max_changes = %ld: "
		    "nothing written (review with 'soabridge plan'; raise "
		    "limits.max_changes or pass --max-changes N)", changes,
		    changes - (size_t)max_changes, max_changes);
	if (deletes > (size_t)conf->limits.max_deletes)
		return sb_fail(err, SB_REFUSED, 0, "sync.limits",
		    "the plan removes %zu values or objects, %zu over "
		    "max_deletes = %ld: nothing written", deletes,
		    deletes - (size_t)conf->limits.max_deletes,
		    conf->limits.max_deletes);
	return SB_OK;
}

int
agent_cmd_plan(const struct cli *cli, int argc, char **argv)
{
	struct sync_args a;
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	struct cycle cy;
	int rc;

	if (!parse_args(cli, "plan", argc, argv, 0, &a))
		return EXIT_USAGE;
	rc = prepare(cli, &conf, &cy, &err);
	if (rc == EXIT_DONE)
		agent_planout_print(stdout, a.format, "plan", cy.plan, NULL,
		    NULL);
	agent_cycle_close(&cy);
	conf_free(conf);
	return rc;
}

int
agent_cmd_sync(const struct cli *cli, int argc, char **argv)
{
	struct sync_args a;
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	struct cycle cy;
	const struct plan *p;
	const char **errors = NULL;
	enum sb_status st;
	int rc, *applied = NULL, failed = 0;
	size_t i;

	if (!parse_args(cli, "sync", argc, argv, 1, &a))
		return EXIT_USAGE;
	rc = prepare(cli, &conf, &cy, &err);
	if (rc != EXIT_DONE)
		goto done;
	p = cy.plan;
	st = check_limits(conf, p, a.max_changes, &err);
	if (st != SB_OK) {
		agent_planout_print(stdout, a.format, "plan", p, NULL, NULL);
		print_error(cli, &err);
		rc = agent_exit_code(st);
		goto done;
	}
	applied = calloc(p->nchanges + 1, sizeof(*applied));
	errors = calloc(p->nchanges + 1, sizeof(*errors));
	if (applied == NULL || errors == NULL) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	for (i = 0; i < p->nchanges; i++) {
		st = agent_apply_change(cy.ad, &p->changes[i], &err);
		if (st == SB_OK) {
			applied[i] = 1;
			continue;
		}
		applied[i] = -1;
		errors[i] = strdup(err.text);
		failed++;
		log_error("sync.apply dn=\"%s\" result=%s: %s",
		    p->changes[i].dn, sb_status_name(st), err.text);
		/* Credentials, rights, a dead DC: the rest would fail too. */
		if (st == SB_STOP || st == SB_RETRY || st == SB_BUG)
			break;
	}
	agent_planout_print(stdout, a.format, "sync", p, applied, errors);
	if (failed > 0) {
		fprintf(stderr, "%s: sync: %d change%s failed\n", cli->prog,
		    failed, failed == 1 ? "" : "s");
		rc = EXIT_RUNTIME;
	}
done:
	for (i = 0; errors != NULL && i < cy.plan->nchanges; i++)
		free((char *)errors[i]);
	free(errors);
	free(applied);
	agent_cycle_close(&cy);
	conf_free(conf);
	return rc;
}
