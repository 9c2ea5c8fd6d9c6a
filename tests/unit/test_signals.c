/*
 * Unit tests of agent/signals.c: the flags the handlers set, and the wait
 * that a stop or reload ends at once, also one asked before it began.
 * The stop flag stays set once raised, so the stop tests come last.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/signals.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_signals_sighup_asks_one_reload_and_no_stop(void **state)
{
	(void)state;
	assert_int_equal(agent_reload_take(), 0);
	agent_signals_note(SIGHUP);
	assert_int_equal(agent_stop_requested(), 0);
	assert_int_equal(agent_reload_take(), 1);
	assert_int_equal(agent_reload_take(), 0);
}

static void
test_signals_installed_handler_sets_the_reload_flag(void **state)
{
	struct sb_error err;

	(void)state;
	assert_int_equal(agent_signals_install(&err), SB_OK);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(agent_reload_take(), 1);
	assert_int_equal(agent_stop_requested(), 0);
}

static void
test_signals_wait_sleeps_its_time_without_a_signal(void **state)
{
	double t0 = now();

	(void)state;
	assert_int_equal(agent_signals_wait(1), 0);
	assert_true(now() - t0 >= 0.99);
}

static void
test_signals_wait_ends_at_once_on_a_reload_asked_before(void **state)
{
	double t0 = now();

	(void)state;
	agent_signals_note(SIGHUP);
	assert_int_equal(agent_signals_wait(30), 1);
	assert_true(now() - t0 < 1.0);
	assert_int_equal(agent_reload_take(), 1);
}

static void
test_signals_wait_ends_when_a_signal_comes_during_it(void **state)
{
	double t0 = now();
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(200000);
		kill(getppid(), SIGHUP);
		_exit(0);
	}
	assert_int_equal(agent_signals_wait(30), 1);
	assert_true(now() - t0 < 5.0);
	assert_int_equal(agent_reload_take(), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
}

static void
test_signals_sigterm_asks_a_stop_that_stays_and_ends_waits(void **state)
{
	double t0 = now();

	(void)state;
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(agent_stop_requested(), 1);
	assert_int_equal(agent_reload_take(), 0);
	assert_int_equal(agent_signals_wait(30), 1);
	assert_true(now() - t0 < 1.0);
	assert_int_equal(agent_stop_requested(), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_signals_sighup_asks_one_reload_and_no_stop),
		cmocka_unit_test(
		    test_signals_installed_handler_sets_the_reload_flag),
		cmocka_unit_test(
		    test_signals_wait_sleeps_its_time_without_a_signal),
		cmocka_unit_test(
		    test_signals_wait_ends_at_once_on_a_reload_asked_before),
		cmocka_unit_test(
		    test_signals_wait_ends_when_a_signal_comes_during_it),
		cmocka_unit_test(
		    test_signals_sigterm_asks_a_stop_that_stays_and_ends_waits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
