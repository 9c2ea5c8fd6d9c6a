/*
 * Signal flags of the service loop.  The wait blocks the three signals,
 * looks at the flags, then lets ppoll(2) unblock them atomically: a signal
 * that comes between the look and the sleep still ends the sleep.
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "agent/signals.h"

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t reload_flag;

void
agent_signals_note(int signo)
{
	if (signo == SIGTERM || signo == SIGINT)
		stop_flag = 1;
	else if (signo == SIGHUP)
		reload_flag = 1;
}

enum sb_status
agent_signals_install(struct sb_error *err)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_signals_note;
	/*
	 * Reads and writes of the object in hand go on (SA_RESTART): a stop
	 * must not fail its LDAP operation or its journal commit.  ppoll(2)
	 * is never restarted, so the wait still ends at once.
	 */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return sb_fail(err, SB_BUG, errno, "run.signals",
			    "sigaction: %s", strerror(errno));
	return SB_OK;
}

int
agent_stop_requested(void)
{
	return stop_flag != 0;
}

int
agent_reload_take(void)
{
	int r = reload_flag != 0;

	reload_flag = 0;
	return r;
}

/* Seconds and nanoseconds from now until end (0 when past). */
static struct timespec
left_until(const struct timespec *end)
{
	struct timespec now, d = { 0, 0 };

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > end->tv_sec ||
	    (now.tv_sec == end->tv_sec && now.tv_nsec >= end->tv_nsec))
		return d;
	d.tv_sec = end->tv_sec - now.tv_sec;
	d.tv_nsec = end->tv_nsec - now.tv_nsec;
	if (d.tv_nsec < 0) {
		d.tv_sec--;
		d.tv_nsec += 1000000000L;
	}
	return d;
}

int
agent_signals_wait(long seconds)
{
	struct timespec end, ts;
	sigset_t block, old;
	int woken;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	/* Another signal (EINTR without a flag) sleeps on to the end. */
	for (;;) {
		woken = stop_flag || reload_flag;
		ts = left_until(&end);
		if (woken || (ts.tv_sec == 0 && ts.tv_nsec == 0))
			break;
		ppoll(NULL, 0, &ts, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return woken;
}
