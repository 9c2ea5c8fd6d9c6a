/*
 * agent_two_sides (agent/twosides.h): the two sides run at the same time
 * (each waits for the other to have started, which one after the other
 * could never see), and the error returned is here's, else there's.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "agent/twosides.h"

/* Both sides check in, then wait (at most 10 s) for the other one. */
struct meet {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int arrived;
	int met[2];
};

static void
meet_init(struct meet *m)
{
	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->mu, NULL);
	pthread_cond_init(&m->cv, NULL);
}

static void
meet_free(struct meet *m)
{
	pthread_mutex_destroy(&m->mu);
	pthread_cond_destroy(&m->cv);
}

static int
meet_wait(struct meet *m)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&m->mu);
	m->arrived++;
	pthread_cond_broadcast(&m->cv);
	while (m->arrived < 2 && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&m->cv, &m->mu, &until);
	pthread_mutex_unlock(&m->mu);
	return m->arrived >= 2;
}

struct side_arg {
	struct meet *m;
	int which;
	enum sb_status fail; /* SB_OK: succeed */
	const char *where;
};

static enum sb_status
side(void *p, struct sb_error *err)
{
	struct side_arg *a = p;

	if (a->m != NULL)
		a->m->met[a->which] = meet_wait(a->m);
	if (a->fail != SB_OK)
		return sb_fail(err, a->fail, 0, a->where, "%s failed",
		    a->where);
	return SB_OK;
}

static void
test_sides_overlap(void **state)
{
	struct meet m;
	struct side_arg here = { &m, 0, SB_OK, "ad" };
	struct side_arg there = { &m, 1, SB_OK, "cloud" };
	struct sb_error err = { 0 };

	(void)state;
	meet_init(&m);
	assert_int_equal(agent_two_sides(side, &here, side, &there, &err),
	    SB_OK);
	assert_true(m.met[0]);
	assert_true(m.met[1]);
	meet_free(&m);
}

static void
test_here_fails(void **state)
{
	struct side_arg here = { NULL, 0, SB_STOP, "ad.search" };
	struct side_arg there = { NULL, 1, SB_OK, "graph.users" };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(agent_two_sides(side, &here, side, &there, &err),
	    SB_STOP);
	assert_string_equal(err.where, "ad.search");
}

static void
test_there_fails(void **state)
{
	struct side_arg here = { NULL, 0, SB_OK, "ad.search" };
	struct side_arg there = { NULL, 1, SB_RESYNC, "graph.users" };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(agent_two_sides(side, &here, side, &there, &err),
	    SB_RESYNC);
	assert_string_equal(err.where, "graph.users");
	assert_string_equal(err.text, "graph.users failed");
}

static void
test_both_fail_here_wins(void **state)
{
	struct side_arg here = { NULL, 0, SB_RESYNC, "ad.search" };
	struct side_arg there = { NULL, 1, SB_STOP, "graph.users" };
	struct sb_error err = { 0 };

	(void)state;
	assert_int_equal(agent_two_sides(side, &here, side, &there, &err),
	    SB_RESYNC);
	assert_string_equal(err.where, "ad.search");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sides_overlap),
		cmocka_unit_test(test_here_fails),
		cmocka_unit_test(test_there_fails),
		cmocka_unit_test(test_both_fail_here_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
