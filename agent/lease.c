/*
 * The service's lease: who may write, taken, renewed, given up and lost
 * (the rules and the clock in agent/lease.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "agent/adconnect.h"
#include "agent/lease.h"
#include "agent/signals.h"
#include "ldap/conn.h"
#include "mapping/log.h"

/* What was last said, so that each change of state is said once. */
enum said {
	SAID_NOTHING,
	SAID_HOLDER,
	SAID_STANDBY,
	SAID_UNREADABLE,
	SAID_UNKNOWN,
};

struct agent_lease {
	const char *prog;
	const char *cmd; /* "run" or "sync", in what it says */
	char id[AD_LEASE_HOLDER_MAX];
	char *dn; /* lease_dn of what follows; NULL: none */
	long seconds;
	struct ad_conn *ad; /* its own: renewals between cycles */
	struct ad_lease cur; /* as last read or written */
	int held; /* cur is this agent's, written by it */
	enum said said;
	char said_holder[AD_LEASE_HOLDER_MAX];
	char state[AD_LEASE_HOLDER_MAX + 64];
};

enum agent_lease_act
agent_lease_decide(const struct ad_lease *cur, const char *self, long long now)
{
	if (!cur->present)
		return AGENT_LEASE_TAKE;
	if (!cur->valid)
		return AGENT_LEASE_UNKNOWN;
	if (strcmp(cur->holder, self) == 0)
		return AGENT_LEASE_RENEW;
	return now >= cur->expires ? AGENT_LEASE_TAKE : AGENT_LEASE_STANDBY;
}

int
agent_lease_usable(long long expires, long long now, long seconds)
{
	return expires - now >= AGENT_LEASE_MARGIN(seconds) &&
	    expires - now <= seconds;
}

int
agent_lease_renew_due(long long expires, long long now, long seconds)
{
	return expires - now < seconds - AGENT_LEASE_MARGIN(seconds);
}

/* hostname:pid:token, the hostname cut and its odd bytes made '-'. */
static enum sb_status
make_id(char *id, size_t size, struct sb_error *err)
{
	unsigned char rnd[8];
	char host[65];
	size_t i;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	for (i = 0; host[i] != '\0'; i++)
		if (!ad_lease_holder_valid((char[]){ host[i], '\0' }))
			host[i] = '-';
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return sb_fail(err, SB_STOP, errno, "lease",
		    "no random bytes "
		    "for the lease's holder id: %s",
		    strerror(errno));
	snprintf(id, size, "%s:%ld:%02x%02x%02x%02x%02x%02x%02x%02x", host,
	    (long)getpid(), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5],
	    rnd[6], rnd[7]);
	if (!ad_lease_holder_valid(id))
		return sb_fail(err, SB_BUG, 0, "lease",
		    "holder id '%s' is "
		    "not valid",
		    id);
	return SB_OK;
}

enum sb_status
agent_lease_new(const char *prog, const char *cmd, struct agent_lease **out,
    struct sb_error *err)
{
	struct agent_lease *l;
	enum sb_status st;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "lease", "out of memory");
	l->prog = prog;
	l->cmd = cmd;
	st = make_id(l->id, sizeof(l->id), err);
	if (st != SB_OK) {
		free(l);
		return st;
	}
	snprintf(l->state, sizeof(l->state), "no lease");
	*out = l;
	return SB_OK;
}

const char *
agent_lease_id(const struct agent_lease *l)
{
	return l->id;
}

const char *
agent_lease_state(const struct agent_lease *l)
{
	return l->state;
}

/* Says what changed: each state once, a standby once per holder. */
static void say(struct agent_lease *l, enum said s, const char *holder,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
say(struct agent_lease *l, enum said s, const char *holder, const char *fmt,
    ...)
{
	va_list ap;

	if (s == l->said && strcmp(holder, l->said_holder) == 0)
		return;
	l->said = s;
	snprintf(l->said_holder, sizeof(l->said_holder), "%s", holder);
	fprintf(stderr, "%s: %s: lease: ", l->prog, l->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The connection failed or is suspect: the next turn binds again. */
static void
drop_conn(struct agent_lease *l)
{
	ad_close(l->ad);
	l->ad = NULL;
}

/*
 * Swaps l->cur for this agent's lease until now + seconds.  1 when AD
 * took it; 0 when another agent changed the value first (the lease is
 * lost: re-read at the next turn) or AD failed (*failed set, l->held kept:
 * the lease written before still runs until its expiry).
 */
static int
swap_mine(struct agent_lease *l, long long now, int *failed,
    struct sb_error *err)
{
	char value[AD_LEASE_VALUE_MAX];
	struct ad_lease next;
	int won = 0;

	*failed = 0;
	if (!ad_lease_format(l->id, now + l->seconds, value, sizeof(value)) ||
	    !ad_lease_parse(value, strlen(value), &next)) {
		sb_fail(err, SB_BUG, 0, "lease", "cannot format the lease");
		*failed = 1;
		return 0;
	}
	if (ad_lease_swap(l->ad, l->dn, &l->cur, value, &won, err) != SB_OK) {
		*failed = 1;
		drop_conn(l);
		return 0;
	}
	if (!won) {
		l->held = 0;
		memset(&l->cur, 0, sizeof(l->cur));
		return 0;
	}
	l->cur = next;
	l->held = 1;
	return 1;
}

/* After a swap this agent lost: says so and stands by. */
static void
lost(struct agent_lease *l)
{
	say(l, SAID_STANDBY, "",
	    "lost the lease on %s: another agent "
	    "changed it first; this agent writes nothing until it can take it "
	    "again",
	    l->dn);
	snprintf(l->state, sizeof(l->state), "standby: lease lost");
}

/* Renews a held lease; a failure is said and the lease kept until due. */
static void
renew(struct agent_lease *l)
{
	struct sb_error err = { 0 };
	char when[32];
	int failed;

	if (swap_mine(l, (long long)time(NULL), &failed, &err)) {
		log_info("lease.renew holder=%s until=%lld result=ok", l->id,
		    l->cur.expires);
		return;
	}
	if (!failed) {
		lost(l);
		return;
	}
	log_error("lease.renew holder=%s result=%s: %s", l->id,
	    sb_status_name(err.status), err.text);
	fprintf(stderr,
	    "%s: %s: lease: could not renew the lease on %s: %s; "
	    "writes stop at %s unless a renewal works before\n",
	    l->prog, l->cmd, l->dn, err.text,
	    sb_utc_text(l->cur.expires - AGENT_LEASE_MARGIN(l->seconds), when,
		sizeof(when)));
}

/* Gives up a held lease (empties the value); best effort. */
static void
release(struct agent_lease *l)
{
	struct sb_error err = { 0 };
	int won = 0;

	if (!l->held || l->ad == NULL)
		return;
	if (ad_lease_swap(l->ad, l->dn, &l->cur, NULL, &won, &err) == SB_OK &&
	    won)
		fprintf(stderr, "%s: %s: lease: released the lease on %s\n",
		    l->prog, l->cmd, l->dn);
	l->held = 0;
	memset(&l->cur, 0, sizeof(l->cur));
}

/* Follows conf's lease_dn: a new one starts afresh, the old released. */
static int
follow_conf(struct agent_lease *l, const struct conf *conf)
{
	const char *dn = conf->daemon.lease_dn;

	if (l->dn != NULL && (*dn == '\0' || strcmp(l->dn, dn) != 0)) {
		release(l);
		drop_conn(l);
		free(l->dn);
		l->dn = NULL;
		l->said = SAID_NOTHING;
		snprintf(l->state, sizeof(l->state), "no lease");
	}
	if (*dn == '\0')
		return 0;
	if (l->dn == NULL && (l->dn = strdup(dn)) == NULL)
		return -1;
	l->seconds = conf->daemon.lease_seconds;
	return 1;
}

/* Reads the lease; a failure is said once and counts as not held. */
static int
read_cur(struct agent_lease *l, const struct conf *conf)
{
	struct sb_error err = { 0 };
	enum sb_status st = SB_OK;

	if (l->ad == NULL)
		st = agent_ad_connect(conf, &l->ad, &err);
	if (st == SB_OK)
		st = ad_lease_read(l->ad, l->dn, &l->cur, &err);
	if (st == SB_OK)
		return 1;
	drop_conn(l);
	l->held = 0;
	memset(&l->cur, 0, sizeof(l->cur));
	say(l, SAID_UNREADABLE, "",
	    "cannot read the lease on %s (%s): %s; "
	    "this agent writes nothing until it can",
	    l->dn, err.where, err.text);
	snprintf(l->state, sizeof(l->state), "standby: lease unreadable");
	return 0;
}

/* Another holds it, or it holds no lease: says so once, writes nothing. */
static int
stand_by(struct agent_lease *l, enum agent_lease_act act)
{
	char when[32];

	sb_utc_text(l->cur.expires, when, sizeof(when));
	if (act == AGENT_LEASE_UNKNOWN) {
		say(l, SAID_UNKNOWN, "",
		    "%s of %s holds a value that is no "
		    "lease (holder=<id>;expires=<unix seconds>): no agent "
		    "writes until it is cleared",
		    AD_LEASE_ATTR, l->dn);
		snprintf(l->state, sizeof(l->state), "standby: no lease in %s",
		    AD_LEASE_ATTR);
	} else if (l->held || l->said == SAID_HOLDER) {
		say(l, SAID_STANDBY, l->cur.holder,
		    "lost the lease on %s: %s "
		    "holds it until %s; this agent writes nothing",
		    l->dn, l->cur.holder, when);
	} else {
		say(l, SAID_STANDBY, l->cur.holder,
		    "standby: %s holds the "
		    "lease on %s until %s; %s",
		    l->cur.holder, l->dn, when,
		    strcmp(l->cmd, "run") == 0 ?
			"checking it at each interval" :
			"nothing written");
	}
	if (act != AGENT_LEASE_UNKNOWN)
		snprintf(l->state, sizeof(l->state), "standby: held by %s",
		    l->cur.holder);
	l->held = 0;
	return 0;
}

/* Just taken or renewed: says so when it was not this agent's before. */
static void
now_holder(struct agent_lease *l, const char *was, long long expired)
{
	char when[32], until[32];

	sb_utc_text(expired, when, sizeof(when));
	sb_utc_text(l->cur.expires, until, sizeof(until));
	if (*was != '\0' && strcmp(was, l->id) != 0)
		say(l, SAID_HOLDER, l->id,
		    "took over the lease on %s from %s, "
		    "whose lease expired at %s; holder %s until %s",
		    l->dn, was, when, l->id, until);
	else
		say(l, SAID_HOLDER, l->id,
		    "acquired the lease on %s: holder "
		    "%s until %s, renewed every %ld s",
		    l->dn, l->id, until, AGENT_LEASE_MARGIN(l->seconds));
	snprintf(l->state, sizeof(l->state), "holder of the lease");
}

int
agent_lease_turn(struct agent_lease *l, const struct conf *conf)
{
	struct sb_error err = { 0 };
	char was[AD_LEASE_HOLDER_MAX];
	enum agent_lease_act act;
	long long now, expired;
	int f, failed;

	f = follow_conf(l, conf);
	if (f <= 0) {
		if (f < 0)
			fprintf(stderr, "%s: %s: lease: out of memory\n",
			    l->prog, l->cmd);
		return f == 0;
	}
	if (!read_cur(l, conf))
		return 0;
	now = (long long)time(NULL);
	snprintf(was, sizeof(was), "%s", l->cur.holder);
	expired = l->cur.expires;
	act = agent_lease_decide(&l->cur, l->id, now);
	if (act == AGENT_LEASE_UNKNOWN || act == AGENT_LEASE_STANDBY)
		return stand_by(l, act);
	if (!swap_mine(l, now, &failed, &err)) {
		if (!failed)
			lost(l);
		else
			say(l, SAID_UNREADABLE, "",
			    "cannot write the lease on "
			    "%s (%s): %s; this agent writes nothing until it "
			    "can",
			    l->dn, err.where, err.text);
		l->held = 0;
		return 0;
	}
	now_holder(l, was, expired);
	return 1;
}

int
agent_lease_wait(struct agent_lease *l, long seconds)
{
	struct timespec end, ts;
	long long left, due;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = (long long)(end.tv_sec - ts.tv_sec);
		if (left <= 0)
			return 0;
		/* Wake when a third of the lease has gone by, to renew it. */
		if (l->dn != NULL && l->held) {
			due = l->cur.expires -
			    (l->seconds - AGENT_LEASE_MARGIN(l->seconds)) -
			    (long long)time(NULL);
			if (due < left)
				left = due < 1 ? 1 : due;
		}
		if (agent_signals_wait((long)left))
			return 1;
		if (l->dn != NULL && l->held &&
		    agent_lease_renew_due(l->cur.expires, (long long)time(NULL),
			l->seconds))
			renew(l);
	}
}

int
agent_lease_guard(struct agent_lease *l, char *why, size_t size)
{
	if (l->dn == NULL)
		return 1;
	if (l->held &&
	    agent_lease_renew_due(l->cur.expires, (long long)time(NULL),
		l->seconds))
		renew(l);
	if (l->held &&
	    agent_lease_usable(l->cur.expires, (long long)time(NULL),
		l->seconds))
		return 1;
	snprintf(why, size,
	    "this agent no longer holds the lease on %s "
	    "(daemon.lease_dn) with %ld s to spare: another agent may write",
	    l->dn, AGENT_LEASE_MARGIN(l->seconds));
	return 0;
}

void
agent_lease_end(struct agent_lease *l)
{
	if (l == NULL)
		return;
	release(l);
	drop_conn(l);
	free(l->dn);
	free(l);
}

enum sb_status
agent_lease_read_holder(const struct conf *conf, struct ad_lease *out,
    struct sb_error *err)
{
	struct ad_conn *ad = NULL;
	enum sb_status st;

	if (*conf->daemon.lease_dn == '\0')
		return sb_fail(err, SB_CONFIG, 0, "lease",
		    "no lease is "
		    "configured (daemon.lease_dn)");
	st = agent_ad_connect(conf, &ad, err);
	if (st == SB_OK)
		st = ad_lease_read(ad, conf->daemon.lease_dn, out, err);
	ad_close(ad);
	return st;
}

enum sb_status
agent_lease_for_sync(const char *prog, const struct conf *conf,
    struct agent_lease **out, struct sb_error *err)
{
	struct agent_lease *l = NULL;
	enum sb_status st;

	*out = NULL;
	if (*conf->daemon.lease_dn == '\0')
		return SB_OK;
	st = agent_lease_new(prog, "sync", &l, err);
	if (st != SB_OK)
		return st;
	if (!agent_lease_turn(l, conf)) {
		st = sb_fail(err, SB_RETRY, 0, "lease",
		    "this sync does not "
		    "hold the lease on %s (daemon.lease_dn; see above): "
		    "nothing written",
		    conf->daemon.lease_dn);
		agent_lease_end(l);
		return st;
	}
	*out = l;
	return SB_OK;
}
