/* Unit tests of agent/store/lock.c: the lock file's text, one holder, stale locks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/store/lock.h"
#include "test_agent.h"

static void
test_lock_parses_pid_command_and_start_in_any_order(void **state)
{
	static const char t[] = "command=undo  started=2025-01-02T03:04:05Z "
	    "extra=1 pid=4242\n";
	struct agent_lock_info i;

	(void)state;
	assert_true(agent_lock_parse(t, strlen(t), &i));
	assert_int_equal(i.pid, 4242);
	assert_string_equal(i.command, "undo");
	assert_string_equal(i.started, "2025-01-02T03:04:05Z");
}

static void
test_lock_without_a_valid_pid_names_nobody(void **state)
{
	struct agent_lock_info i;

	(void)state;
	assert_false(agent_lock_parse("", 0, &i));
	assert_false(agent_lock_parse("pid=", 4, &i));
	assert_false(agent_lock_parse("pid=-3 command=sync", 19, &i));
	assert_false(agent_lock_parse("pid=12x", 7, &i));
	assert_false(agent_lock_parse("garbage\x01\xff", 9, &i));
	assert_int_equal(i.pid, 0);
	/* Length counts, not a NUL: "pid=12" cut to "pid=1". */
	assert_true(agent_lock_parse("pid=12", 5, &i));
	assert_int_equal(i.pid, 1);
}

static void
test_lock_format_and_parse_round_trip(void **state)
{
	struct agent_lock_info a = { 99, "sync", "2025-06-01T00:00:00Z" }, b;
	char buf[AGENT_LOCK_TEXT_MAX];

	(void)state;
	agent_lock_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "pid=99 command=sync "
	    "started=2025-06-01T00:00:00Z\n");
	assert_true(agent_lock_parse(buf, strlen(buf), &b));
	assert_int_equal(b.pid, 99);
	assert_string_equal(b.command, "sync");
	assert_string_equal(b.started, a.started);
}

static void
test_lock_a_second_writer_is_refused_naming_the_holder(void **state)
{
	char *dir = fx_tmpdir(), c;
	struct agent_lock *l = NULL;
	struct agent_lock_info info;
	struct sb_error err;
	int to_child[2], to_parent[2], held, status;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(to_child), 0);
	assert_int_equal(pipe(to_parent), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {		/* the holder */
		if (agent_lock_take(dir, "sync", &l, NULL) != SB_OK)
			_exit(1);
		if (write(to_parent[1], "t", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		agent_lock_release(l);
		_exit(0);
	}
	assert_int_equal(read(to_parent[0], &c, 1), 1);
	assert_int_equal(agent_lock_take(dir, "undo", &l, &err), SB_RETRY);
	assert_null(l);
	{
		char want[64];

		snprintf(want, sizeof(want), "soabridge sync (pid %ld)",
		    (long)pid);
		assert_non_null(strstr(err.text, want));
	}
	assert_int_equal(agent_lock_probe(dir, &held, &info, &err), SB_OK);
	assert_true(held);
	assert_int_equal(info.pid, (long)pid);
	assert_string_equal(info.command, "sync");
	assert_int_equal(write(to_child[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Released: free again, and ours for the taking. */
	assert_int_equal(agent_lock_probe(dir, &held, &info, &err), SB_OK);
	assert_false(held);
	assert_int_equal(agent_lock_take(dir, "undo", &l, &err), SB_OK);
	agent_lock_release(l);
	fx_rmdir(dir);
}

/* run's service lock is a file of its own: sync takes dir/lock beside it. */
static void
test_lock_service_file_is_apart_from_the_writer_lock(void **state)
{
	char *dir = fx_tmpdir(), c, want[96];
	struct agent_lock *l = NULL;
	struct agent_lock_info info;
	struct sb_error err;
	int to_child[2], to_parent[2], held, status;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(to_child), 0);
	assert_int_equal(pipe(to_parent), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (agent_lock_take_file(dir, AGENT_SERVICE_LOCK_FILE, "run",
			&l, NULL) != SB_OK)
			_exit(1);
		if (write(to_parent[1], "t", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		agent_lock_release(l);
		_exit(0);
	}
	assert_int_equal(read(to_parent[0], &c, 1), 1);
	assert_int_equal(agent_lock_take_file(dir, AGENT_SERVICE_LOCK_FILE,
			     "run", &l, &err),
	    SB_RETRY);
	snprintf(want, sizeof(want), "soabridge run (pid %ld) has held %s/%s",
	    (long)pid, dir, AGENT_SERVICE_LOCK_FILE);
	assert_non_null(strstr(err.text, want));
	assert_int_equal(agent_lock_probe_file(dir, AGENT_SERVICE_LOCK_FILE,
			     &held, &info, &err),
	    SB_OK);
	assert_true(held);
	assert_int_equal(info.pid, (long)pid);
	assert_string_equal(info.command, "run");
	/* the writer lock stays free for sync */
	assert_int_equal(agent_lock_probe(dir, &held, &info, &err), SB_OK);
	assert_false(held);
	assert_int_equal(agent_lock_take(dir, "sync", &l, &err), SB_OK);
	agent_lock_release(l);
	assert_int_equal(write(to_child[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fx_rmdir(dir);
}

static void
test_lock_left_by_a_dead_process_is_taken_over(void **state)
{
	char *dir = fx_tmpdir(), path[256], buf[AGENT_LOCK_TEXT_MAX];
	struct agent_lock *l = NULL;
	struct agent_lock_info info;
	struct sb_error err;
	FILE *f;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/lock", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("pid=2147483000 command=sync started=2020-01-01T00:00:00Z\n", f);
	fclose(f);
	assert_int_equal(agent_lock_take(dir, "sync", &l, &err), SB_OK);
	assert_non_null(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	assert_true(agent_lock_parse(buf, n, &info));
	assert_int_equal(info.pid, (long)getpid());
	agent_lock_release(l);
	fx_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_lock_parses_pid_command_and_start_in_any_order),
		cmocka_unit_test(test_lock_without_a_valid_pid_names_nobody),
		cmocka_unit_test(test_lock_format_and_parse_round_trip),
		cmocka_unit_test(
		    test_lock_a_second_writer_is_refused_naming_the_holder),
		cmocka_unit_test(
		    test_lock_left_by_a_dead_process_is_taken_over),
		cmocka_unit_test(
		    test_lock_service_file_is_apart_from_the_writer_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
