/*
 * Unit tests of agent/metrics.c and agent/cyclestats.c: the exact
 * Prometheus text of a given set of counters, label escaping, the atomic
 * write, and how a cycle's plan and outcomes are counted by class.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "agent/metrics.h"
#include "agent/report/outcome.h"
#include "test_agent.h"

/* Slots of map_report_class_slot. */
#define EXCH 0
#define IDENT 1
#define MEMB 2
#define PLACE 3
#define OBJ 4

static const char want_text[] =
    "# HELP soabridge_cycles_total Sync cycles run, by kind and result.\n"
    "# TYPE soabridge_cycles_total counter\n"
    "soabridge_cycles_total{kind=\"full\",result=\"ok\"} 7\n"
    "soabridge_cycles_total{kind=\"full\",result=\"refused\"} 1\n"
    "soabridge_cycles_total{kind=\"full\",result=\"failed\"} 2\n"
    "soabridge_cycles_total{kind=\"incremental\",result=\"ok\"} 30\n"
    "soabridge_cycles_total{kind=\"incremental\",result=\"refused\"} 0\n"
    "soabridge_cycles_total{kind=\"incremental\",result=\"failed\"} 4\n"
    "# HELP soabridge_objects_read_total Objects read: AD users, contacts "
    "and groups; Graph users and groups; Exchange Online mailboxes.\n"
    "# TYPE soabridge_objects_read_total counter\n"
    "soabridge_objects_read_total{side=\"ad\"} 1000\n"
    "soabridge_objects_read_total{side=\"graph\"} 900\n"
    "soabridge_objects_read_total{side=\"exchange\"} 800\n"
    "# HELP soabridge_changes_planned_total Changes planned (one LDAP "
    "operation each), by class.\n"
    "# TYPE soabridge_changes_planned_total counter\n"
    "soabridge_changes_planned_total{class=\"exchange\"} 11\n"
    "soabridge_changes_planned_total{class=\"identity\"} 12\n"
    "soabridge_changes_planned_total{class=\"membership\"} 13\n"
    "soabridge_changes_planned_total{class=\"placement\"} 14\n"
    "soabridge_changes_planned_total{class=\"object\"} 15\n"
    "# HELP soabridge_changes_applied_total Changes AD took, by class.\n"
    "# TYPE soabridge_changes_applied_total counter\n"
    "soabridge_changes_applied_total{class=\"exchange\"} 10\n"
    "soabridge_changes_applied_total{class=\"identity\"} 11\n"
    "soabridge_changes_applied_total{class=\"membership\"} 12\n"
    "soabridge_changes_applied_total{class=\"placement\"} 13\n"
    "soabridge_changes_applied_total{class=\"object\"} 14\n"
    "# HELP soabridge_changes_failed_total Changes AD refused, by class.\n"
    "# TYPE soabridge_changes_failed_total counter\n"
    "soabridge_changes_failed_total{class=\"exchange\"} 1\n"
    "soabridge_changes_failed_total{class=\"identity\"} 0\n"
    "soabridge_changes_failed_total{class=\"membership\"} 0\n"
    "soabridge_changes_failed_total{class=\"placement\"} 0\n"
    "soabridge_changes_failed_total{class=\"object\"} 0\n"
    "# HELP soabridge_changes_refused_total Changes the write gate "
    "refused (AD changed since it was read), by class.\n"
    "# TYPE soabridge_changes_refused_total counter\n"
    "soabridge_changes_refused_total{class=\"exchange\"} 0\n"
    "soabridge_changes_refused_total{class=\"identity\"} 0\n"
    "soabridge_changes_refused_total{class=\"membership\"} 1\n"
    "soabridge_changes_refused_total{class=\"placement\"} 0\n"
    "soabridge_changes_refused_total{class=\"object\"} 0\n"
    "# HELP soabridge_findings Findings of the last cycle that made a "
    "plan, by the drift report's state and the finding's kind.\n"
    "# TYPE soabridge_findings gauge\n"
    "soabridge_findings{state=\"ad-difference\",kind=\"ad-authoritative\"} 5\n"
    "soabridge_findings{state=\"unjoined\",kind=\"not-joined\"} 6\n"
    "soabridge_findings{state=\"unjoined\",kind=\"ambiguous-join\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"out-of-scope\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"protected\"} 2\n"
    "soabridge_findings{state=\"unresolved\",kind=\"unresolved\"} 0\n"
    "soabridge_findings{state=\"ad-difference\",kind=\"inconsistent-soa\"} 0\n"
    "soabridge_findings{state=\"unjoined\",kind=\"cloud-only\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"bad-value\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"flap\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"refused\"} 0\n"
    "soabridge_findings{state=\"ad-difference\",kind=\"ad-only-member\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"placement-refused\"} 0\n"
    "soabridge_findings{state=\"ad-difference\",kind=\"handed-back\"} 0\n"
    "soabridge_findings{state=\"unjoined\",kind=\"deleted-in-cloud\"} 0\n"
    "soabridge_findings{state=\"refused\",kind=\"soa-unreadable\"} 0\n"
    "soabridge_findings{state=\"unjoined\",kind=\"gone-in-cloud\"} 3\n"
    "# HELP soabridge_cloud_requests_total HTTP requests sent to Graph "
    "and Exchange Online, retries included.\n"
    "# TYPE soabridge_cloud_requests_total counter\n"
    "soabridge_cloud_requests_total 4321\n"
    "# HELP soabridge_cloud_throttled_total Cloud replies 429, 503 or 504 "
    "(throttled or busy).\n"
    "# TYPE soabridge_cloud_throttled_total counter\n"
    "soabridge_cloud_throttled_total 17\n"
    "# HELP soabridge_delta_resyncs_total Incremental cycles that found "
    "their delta token expired and read everything again.\n"
    "# TYPE soabridge_delta_resyncs_total counter\n"
    "soabridge_delta_resyncs_total 2\n"
    "# HELP soabridge_last_success_timestamp_seconds When the last cycle "
    "that ended ok ended, Unix time; 0: none yet.\n"
    "# TYPE soabridge_last_success_timestamp_seconds gauge\n"
    "soabridge_last_success_timestamp_seconds 1767225600\n"
    "# HELP soabridge_last_cycle_duration_seconds How long the last cycle "
    "took.\n"
    "# TYPE soabridge_last_cycle_duration_seconds gauge\n"
    "soabridge_last_cycle_duration_seconds 12.346\n";

/* Every counter of want_text, each with its own value. */
static void
fill(struct agent_metrics *m)
{
	size_t i;

	agent_metrics_init(m);
	m->cycles[AGENT_CYCLE_FULL][AGENT_CYCLE_OK] = 7;
	m->cycles[AGENT_CYCLE_FULL][AGENT_CYCLE_REFUSED] = 1;
	m->cycles[AGENT_CYCLE_FULL][AGENT_CYCLE_FAILED] = 2;
	m->cycles[AGENT_CYCLE_INCREMENTAL][AGENT_CYCLE_OK] = 30;
	m->cycles[AGENT_CYCLE_INCREMENTAL][AGENT_CYCLE_FAILED] = 4;
	m->objects_read[AGENT_SIDE_AD] = 1000;
	m->objects_read[AGENT_SIDE_GRAPH] = 900;
	m->objects_read[AGENT_SIDE_EXCHANGE] = 800;
	for (i = 0; i < MAP_REPORT_NCLASSES; i++) {
		m->planned[i] = 11 + i;
		m->applied[i] = 10 + i;
	}
	m->failed[EXCH] = 1;
	m->refused[MEMB] = 1;
	m->findings[MAP_FINDING_AD_AUTHORITATIVE] = 5;
	m->findings[MAP_FINDING_NOT_JOINED] = 6;
	m->findings[MAP_FINDING_PROTECTED] = 2;
	m->findings[MAP_FINDING_GONE_IN_CLOUD] = 3;
	m->cloud_requests = 4321;
	m->cloud_throttled = 17;
	m->delta_resyncs = 2;
	m->last_success = 1767225600;
	m->last_duration = 12.3456;
}

static void
test_metrics_render_exact_text(void **state)
{
	struct agent_metrics m;
	struct sb_buf b;

	(void)state;
	fill(&m);
	sb_buf_init(&b, AGENT_METRICS_MAX);
	assert_int_equal(agent_metrics_render(&m, &b, NULL), SB_OK);
	assert_int_equal(b.len, strlen(want_text));
	assert_memory_equal(b.p, want_text, b.len);
	sb_buf_free(&b);
}

static void
test_metrics_render_zero_counters_before_the_first_cycle(void **state)
{
	struct agent_metrics m;
	struct sb_buf b;

	(void)state;
	agent_metrics_init(&m);
	sb_buf_init(&b, AGENT_METRICS_MAX);
	assert_int_equal(agent_metrics_render(&m, &b, NULL), SB_OK);
	assert_int_equal(sb_buf_append(&b, "", 1, NULL), SB_OK);
	assert_non_null(strstr(b.p,
	    "\nsoabridge_cycles_total{kind=\"full\","
	    "result=\"ok\"} 0\n"));
	assert_non_null(strstr(b.p,
	    "\nsoabridge_last_success_timestamp_seconds 0\n"));
	assert_non_null(strstr(b.p,
	    "\nsoabridge_last_cycle_duration_seconds 0.000\n"));
	sb_buf_free(&b);
}

static void
test_metrics_render_fails_when_the_buffer_is_too_small(void **state)
{
	struct sb_error err = { 0 };
	struct agent_metrics m;
	struct sb_buf b;

	(void)state;
	fill(&m);
	sb_buf_init(&b, 100);
	assert_int_not_equal(agent_metrics_render(&m, &b, &err), SB_OK);
	sb_buf_free(&b);
}

/* v as agent_metrics_label writes it, NUL-terminated in out. */
static void
label(const char *v, char *out, size_t size)
{
	struct sb_buf b;

	sb_buf_init(&b, 256);
	assert_int_equal(agent_metrics_label(&b, v, NULL), SB_OK);
	assert_true(b.len < size);
	if (b.len > 0) /* an empty value allocates nothing */
		memcpy(out, b.p, b.len);
	out[b.len] = '\0';
	sb_buf_free(&b);
}

static void
test_metrics_label_escapes_backslash_quote_and_newline(void **state)
{
	char out[256];

	(void)state;
	label("plain-value", out, sizeof(out));
	assert_string_equal(out, "plain-value");
	label("", out, sizeof(out));
	assert_string_equal(out, "");
	label("C:\\dir \"x\"\nnext", out, sizeof(out));
	assert_string_equal(out, "C:\\\\dir \\\"x\\\"\\nnext");
	/* only these three: a tab, UTF-8 and braces stay as they are */
	label("\\\\\t\xc3\xa9{}=,", out, sizeof(out));
	assert_string_equal(out, "\\\\\\\\\t\xc3\xa9{}=,");
	label("\n", out, sizeof(out));
	assert_string_equal(out, "\\n");
}

/* The names in dir, one per line; "" when empty. */
static void
list_dir(const char *dir, char *out, size_t size)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	assert_non_null(d);
	out[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			snprintf(out + strlen(out), size - strlen(out), "%s\n",
			    e->d_name);
	closedir(d);
}

static void
test_metrics_write_replaces_the_file_and_leaves_no_temporary(void **state)
{
	char *dir = fx_tmpdir(), path[256], names[512], text[8192];
	struct agent_metrics m;
	struct stat sb;
	FILE *f;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/soabridge.prom", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	fill(&m);
	assert_int_equal(agent_metrics_write(&m, path, NULL), SB_OK);
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "soabridge.prom\n");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_string_equal(text, want_text);
	/* the collector may run as another user */
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0644);
	fx_rmdir(dir);
}

static void
test_metrics_write_into_a_missing_directory_names_it(void **state)
{
	char *dir = fx_tmpdir(), path[256], want[512], names[64];
	struct sb_error err = { 0 };
	struct agent_metrics m;

	(void)state;
	agent_metrics_init(&m);
	snprintf(path, sizeof(path), "%s/gone/soabridge.prom", dir);
	assert_int_not_equal(agent_metrics_write(&m, path, &err), SB_OK);
	snprintf(want, sizeof(want),
	    "cannot create a file in directory "
	    "%s/gone: No such file or directory",
	    dir);
	assert_string_equal(err.text, want);
	assert_int_equal(err.code, ENOENT);
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "");
	fx_rmdir(dir);
}

static void
test_metrics_write_over_a_directory_leaves_no_temporary(void **state)
{
	char *dir = fx_tmpdir(), path[256], names[512];
	struct sb_error err = { 0 };
	struct agent_metrics m;

	(void)state;
	agent_metrics_init(&m);
	/* the rename fails: the path is a directory that holds a file */
	snprintf(path, sizeof(path), "%s/busy.prom", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(names, sizeof(names), "%s/busy.prom/x", dir);
	fclose(fopen(names, "w"));
	assert_int_not_equal(agent_metrics_write(&m, path, &err), SB_OK);
	assert_non_null(strstr(err.text, "cannot rename"));
	assert_non_null(strstr(err.text, path));
	list_dir(dir, names, sizeof(names));
	assert_string_equal(names, "busy.prom\n");
	fx_rmdir(dir);
}

static void
take(struct plan *p, struct change *c)
{
	assert_int_equal(map_plan_take_change(p, c, NULL), SB_OK);
}

/*
 * A plan of five changes: Ann's Exchange and identity attributes (one
 * modify, two classes), Bob's proxyAddresses, a group created, a group's
 * members, a move; and two findings.
 */
static struct plan *
five_changes(void)
{
	struct plan *p = map_plan_new();
	struct change c;

	assert_non_null(p);
	fx_change(&c, FX_ANN);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, NULL, "smtp:a@x", NULL);
	fx_delta(&c, "telephoneNumber", MAP_DELTA_REPLACE, "1", NULL, "2",
	    NULL);
	take(p, &c);
	fx_change(&c, FX_BOB);
	fx_delta(&c, "proxyAddresses", MAP_DELTA_ADD, NULL, "smtp:b@x", NULL);
	take(p, &c);
	fx_change(&c, "CN=G,OU=Groups,DC=corp,DC=example");
	c.op = MAP_CHANGE_ADD;
	fx_delta(&c, "member", MAP_DELTA_ADD, NULL, FX_ANN, NULL);
	take(p, &c);
	fx_change(&c, "CN=H,OU=Groups,DC=corp,DC=example");
	fx_delta(&c, "member", MAP_DELTA_DELETE, FX_BOB, NULL, FX_BOB, NULL);
	take(p, &c);
	fx_change(&c, "CN=I,OU=Groups,DC=corp,DC=example");
	c.op = MAP_CHANGE_RENAME;
	take(p, &c);
	assert_int_equal(map_plan_add_finding(p, NULL, MAP_FINDING_PROTECTED,
			     NULL, NULL, NULL, "protected"),
	    SB_OK);
	assert_int_equal(map_plan_add_finding(p, NULL, MAP_FINDING_NOT_JOINED,
			     NULL, NULL, NULL, "not joined"),
	    SB_OK);
	return p;
}

static void
test_cyclestats_class_of_a_change(void **state)
{
	struct plan *p = five_changes();

	(void)state;
	assert_int_equal(agent_change_class_slots(&p->changes[0]),
	    (1u << EXCH) | (1u << IDENT));
	assert_int_equal(agent_change_class_slots(&p->changes[1]), 1u << EXCH);
	assert_int_equal(agent_change_class_slots(&p->changes[2]), 1u << OBJ);
	assert_int_equal(agent_change_class_slots(&p->changes[3]), 1u << MEMB);
	assert_int_equal(agent_change_class_slots(&p->changes[4]), 1u << PLACE);
	map_plan_free(p);
}

static void
test_cyclestats_count_planned_and_outcomes_by_class(void **state)
{
	static const int outcome[5] = { AGENT_WRITE_APPLIED, AGENT_WRITE_FAILED,
		AGENT_WRITE_TRIMMED, AGENT_WRITE_REFUSED,
		AGENT_WRITE_NOT_TRIED };
	struct agent_cycle_stats s;
	struct plan *p = five_changes();

	(void)state;
	memset(&s, 0, sizeof(s));
	agent_cycle_stats_count(&s, p, outcome);
	assert_true(s.planned_known);
	assert_int_equal(s.planned[EXCH], 2);
	assert_int_equal(s.planned[IDENT], 1);
	assert_int_equal(s.planned[MEMB], 1);
	assert_int_equal(s.planned[PLACE], 1);
	assert_int_equal(s.planned[OBJ], 1);
	/* Ann's applied (both classes), the group created trimmed */
	assert_int_equal(s.applied[EXCH], 1);
	assert_int_equal(s.applied[IDENT], 1);
	assert_int_equal(s.applied[OBJ], 1);
	assert_int_equal(s.applied[MEMB] + s.applied[PLACE], 0);
	assert_int_equal(s.failed[EXCH], 1);
	assert_int_equal(s.failed[IDENT] + s.failed[MEMB] + s.failed[OBJ], 0);
	assert_int_equal(s.refused[MEMB], 1);
	assert_int_equal(s.findings[MAP_FINDING_PROTECTED], 1);
	assert_int_equal(s.findings[MAP_FINDING_NOT_JOINED], 1);
	assert_int_equal(s.findings[MAP_FINDING_AD_AUTHORITATIVE], 0);

	/* no writer (a plan over a limit): planned only */
	memset(&s, 0, sizeof(s));
	agent_cycle_stats_count(&s, p, NULL);
	assert_int_equal(s.planned[EXCH], 2);
	assert_int_equal(s.applied[EXCH] + s.failed[EXCH] + s.refused[MEMB], 0);
	map_plan_free(p);
}

static void
test_metrics_add_cycles(void **state)
{
	struct agent_cycle_stats s;
	struct agent_metrics m;

	(void)state;
	agent_metrics_init(&m);
	memset(&s, 0, sizeof(s));
	s.objects_read[AGENT_SIDE_AD] = 10;
	s.objects_read[AGENT_SIDE_EXCHANGE] = 4;
	s.planned[EXCH] = 3;
	s.applied[EXCH] = 2;
	s.failed[EXCH] = 1;
	s.planned_known = 1;
	s.findings[MAP_FINDING_PROTECTED] = 2;
	s.cloud_requests = 9;
	s.cloud_throttled = 1;
	s.seconds = 1.5;
	agent_metrics_add_cycle(&m, AGENT_CYCLE_FULL, AGENT_CYCLE_OK, &s, 1000);
	agent_metrics_add_cycle(&m, AGENT_CYCLE_FULL, AGENT_CYCLE_OK, &s, 1060);
	assert_int_equal(m.cycles[AGENT_CYCLE_FULL][AGENT_CYCLE_OK], 2);
	assert_int_equal(m.objects_read[AGENT_SIDE_AD], 20);
	assert_int_equal(m.objects_read[AGENT_SIDE_EXCHANGE], 8);
	assert_int_equal(m.planned[EXCH], 6);
	assert_int_equal(m.applied[EXCH], 4);
	assert_int_equal(m.failed[EXCH], 2);
	assert_int_equal(m.cloud_requests, 18);
	assert_int_equal(m.cloud_throttled, 2);
	/* findings are a gauge: the last cycle's, not a sum */
	assert_int_equal(m.findings[MAP_FINDING_PROTECTED], 2);
	assert_int_equal(m.last_success, 1060);
	assert_true(m.last_duration == 1.5);

	/* a failed cycle before its plan: the time of success and the
	   findings stay, its duration and result are counted */
	memset(&s, 0, sizeof(s));
	s.seconds = 0.25;
	agent_metrics_add_cycle(&m, AGENT_CYCLE_INCREMENTAL, AGENT_CYCLE_FAILED,
	    &s, 1120);
	assert_int_equal(m.cycles[AGENT_CYCLE_INCREMENTAL][AGENT_CYCLE_FAILED],
	    1);
	assert_int_equal(m.last_success, 1060);
	assert_int_equal(m.findings[MAP_FINDING_PROTECTED], 2);
	assert_true(m.last_duration == 0.25);
	agent_metrics_add_cycle(&m, AGENT_CYCLE_FULL, AGENT_CYCLE_REFUSED, NULL,
	    1180);
	assert_int_equal(m.cycles[AGENT_CYCLE_FULL][AGENT_CYCLE_REFUSED], 1);
	assert_int_equal(m.last_success, 1060);
	agent_metrics_delta_resync(&m);
	agent_metrics_delta_resync(&m);
	assert_int_equal(m.delta_resyncs, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_render_exact_text),
		cmocka_unit_test(
		    test_metrics_render_zero_counters_before_the_first_cycle),
		cmocka_unit_test(
		    test_metrics_render_fails_when_the_buffer_is_too_small),
		cmocka_unit_test(
		    test_metrics_label_escapes_backslash_quote_and_newline),
		cmocka_unit_test(
		    test_metrics_write_replaces_the_file_and_leaves_no_temporary),
		cmocka_unit_test(
		    test_metrics_write_into_a_missing_directory_names_it),
		cmocka_unit_test(
		    test_metrics_write_over_a_directory_leaves_no_temporary),
		cmocka_unit_test(test_cyclestats_class_of_a_change),
		cmocka_unit_test(
		    test_cyclestats_count_planned_and_outcomes_by_class),
		cmocka_unit_test(test_metrics_add_cycles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
