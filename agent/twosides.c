/* Two reads side by side (agent/twosides.h). */
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "agent/twosides.h"
#include "mapping/log.h"

struct side {
	agent_side_fn fn;
	void *arg;
	enum sb_status st;
	struct sb_error err;
};

static void *
run_side(void *p)
{
	struct side *s = p;

	s->st = s->fn(s->arg, &s->err);
	return NULL;
}

/*
 * The other thread, with every signal blocked: SIGTERM and SIGHUP go to
 * the calling thread, whose handlers set the flags the cycle reads.
 */
static int
start_other(pthread_t *t, struct side *s)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(t, NULL, run_side, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

enum sb_status
agent_two_sides(agent_side_fn here, void *here_arg, agent_side_fn there,
    void *there_arg, struct sb_error *err)
{
	struct side other;
	struct sb_error here_err;
	enum sb_status here_st;
	pthread_t t;
	int rc;

	memset(&other, 0, sizeof(other));
	memset(&here_err, 0, sizeof(here_err));
	other.fn = there;
	other.arg = there_arg;
	rc = start_other(&t, &other);
	if (rc != 0) {
		log_warn("cycle.read side-by-side=no (%s): AD, then the cloud",
		    strerror(rc));
		here_st = here(here_arg, &here_err);
		if (here_st == SB_OK)
			run_side(&other);
	} else {
		here_st = here(here_arg, &here_err);
		pthread_join(t, NULL);
	}
	if (here_st != SB_OK) {
		if (rc == 0 && other.st != SB_OK)
			log_error("%s: %s (while the other side also failed)",
			    other.err.where, other.err.text);
		*err = here_err;
		return here_st;
	}
	if (other.st != SB_OK)
		*err = other.err;
	return other.st;
}
