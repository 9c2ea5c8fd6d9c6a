/* runs [--format text|json]: the runs in the state, oldest first. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cmd/cli.h"
#include "agent/store/state.h"
#include "conf/conf.h"

static json_t *
run_json(const struct agent_run *r)
{
	json_t *j;

	j = json_pack("{s:I, s:s, s:o, s:I, s:s, s:o, s:s, s:I, s:I, s:I, "
	    "s:I, s:o}", "id", (json_int_t)r->id, "command", r->command,
	    "undo_of", r->undo_of > 0 ? json_integer(r->undo_of) : json_null(),
	    "pid", (json_int_t)r->pid, "started", r->started,
	    "ended", r->ended[0] ? json_string(r->ended) : json_null(),
	    "outcome", r->outcome, "planned", (json_int_t)r->planned,
	    "applied", (json_int_t)r->applied, "failed", (json_int_t)r->failed,
	    "conflicts", (json_int_t)r->conflicts,
	    "message", r->message[0] ? json_string(r->message) : json_null());
	return j;
}

static int
print_json(const struct agent_run *v, size_t n)
{
	json_t *a = json_array();
	size_t i;
	int rc = EXIT_RUNTIME;

	for (i = 0; a != NULL && i < n; i++)
		if (json_array_append_new(a, run_json(&v[i])) != 0)
			goto done;
	if (a != NULL && json_dumpf(a, stdout, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) == 0) {
		fputc('\n', stdout);
		rc = EXIT_DONE;
	}
done:
	json_decref(a);
	return rc;
}

static void
print_text(const struct agent_run *v, size_t n)
{
	char cmd[32];
	size_t i;

	printf("%5s  %-10s %-20s  %-20s  %-11s %7s %7s %6s %9s\n", "RUN",
	    "COMMAND", "STARTED", "ENDED", "OUTCOME", "PLANNED", "APPLIED",
	    "FAILED", "CONFLICTS");
	for (i = 0; i < n; i++) {
		if (v[i].undo_of > 0)
			snprintf(cmd, sizeof(cmd), "%s %lld", v[i].command,
			    v[i].undo_of);
		else
			snprintf(cmd, sizeof(cmd), "%s", v[i].command);
		printf("%5lld  %-10s %-20s  %-20s  %-11s %7ld %7ld %6ld %9ld\n",
		    v[i].id, cmd, v[i].started, v[i].ended[0] ? v[i].ended :
		    "-", v[i].outcome, v[i].planned, v[i].applied, v[i].failed,
		    v[i].conflicts);
		if (v[i].message[0] != '\0')
			printf("%5s  %s\n", "", v[i].message);
	}
}

int
agent_cmd_runs(const struct cli *cli, int argc, char **argv)
{
	struct agent_state *s = NULL;
	struct agent_run *v = NULL;
	struct sb_error err = { 0 };
	struct conf *conf = NULL;
	enum sb_status st;
	size_t n = 0;
	int rc, i, json = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (!agent_format_arg(cli, "runs", argv[++i], &json))
				return EXIT_USAGE;
		} else {
			agent_usage_error(cli, "runs: unknown argument '%s'",
			    argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = agent_conf_load(cli, &conf);
	if (rc != EXIT_DONE)
		goto done;
	st = agent_state_open(conf->state_dir, AGENT_STATE_RO, &s, &err);
	if (st == SB_OK && s != NULL)
		st = agent_state_runs(s, NULL, &v, &n, &err);
	if (st != SB_OK) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, err.where, err.text);
		rc = agent_exit_code(st);
		goto done;
	}
	if (json)
		rc = print_json(v, n);
	else if (n == 0)
		printf("no runs yet%s%s%s\n", s ? "" : " (no state in ",
		    s ? "" : conf->state_dir, s ? "" : ")");
	else
		print_text(v, n);
done:
	free(v);
	agent_state_close(s);
	conf_free(conf);
	return rc;
}
