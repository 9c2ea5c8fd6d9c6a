/*
 * Two agents, one writer: the service's lease in AD (daemon.lease_dn,
 * ldap/lease.h holds the value and its atomic swap).  Each 'run' is a
 * holder named hostname:pid:token, the token random at start, so that a
 * restarted process is a new holder and never mistakes an old lease for
 * its own.  Before each cycle the agent takes the lease when it is empty
 * or expired, renews it when it is its own, and otherwise is standby:
 * it writes nothing, says so once per change of holder, and checks again
 * after daemon.interval.  Between cycles the holder renews it when a
 * third of daemon.lease_seconds has gone by; the write gate asks
 * agent_lease_guard() before every write.
 *
 * Clocks: expires is unix time on the holder's clock, read by the others
 * on theirs.  A holder stops writing a third of lease_seconds before its
 * lease expires (AGENT_LEASE_MARGIN), so clocks that differ by less than
 * that never let two agents write at once; AD domain members keep their
 * clocks with the DC's time service, well within that.
 */
#ifndef SB_AGENT_LEASE_H
#define SB_AGENT_LEASE_H

#include <stddef.h>

#include "conf/conf.h"
#include "ldap/lease.h"
#include "mapping/core.h"

struct agent_lease;

/* What the agent does with the lease it read (agent_lease_decide). */
enum agent_lease_act {
	AGENT_LEASE_TAKE,	/* empty or expired: take it */
	AGENT_LEASE_RENEW,	/* this agent's own: extend it */
	AGENT_LEASE_STANDBY,	/* another's, unexpired: write nothing */
	AGENT_LEASE_UNKNOWN,	/* no lease in it: standby, a person clears it */
};

/* Seconds before expiry at which the holder stops writing. */
#define AGENT_LEASE_MARGIN(seconds)	((seconds) / 3)

/* Pure: what self does at now with the lease cur. */
enum agent_lease_act agent_lease_decide(const struct ad_lease *cur,
    const char *self, long long now);
/* Pure: 1 when a lease until expires may still cover a write at now. */
int agent_lease_usable(long long expires, long long now, long seconds);
/* Pure: 1 when a lease until expires is due for renewal at now. */
int agent_lease_renew_due(long long expires, long long now, long seconds);

/*
 * A new holder (hostname:pid:token); prog and cmd ("run", "sync", both
 * borrowed) name the program in what it says.  Nothing is read or
 * written yet.
 */
enum sb_status agent_lease_new(const char *prog, const char *cmd,
    struct agent_lease **out, struct sb_error *err);
/* This agent's holder id (borrowed). */
const char *agent_lease_id(const struct agent_lease *l);
/*
 * Before a cycle, with conf (borrowed for the call): 1 when this agent may
 * run a write cycle: no lease is configured, or the lease was taken or
 * renewed.  0: standby (held by another, unreadable, or lost in a race).
 * A change of daemon.lease_dn (reload) releases the old lease first.
 */
int agent_lease_turn(struct agent_lease *l, const struct conf *conf);
/*
 * Waits up to seconds as agent_signals_wait() does (1 when a signal ended
 * it), renewing a held lease whenever it is due.
 */
int agent_lease_wait(struct agent_lease *l, long seconds);
/*
 * The write gate's question, right before a write: 1 when no lease is
 * configured, or this agent holds it with AGENT_LEASE_MARGIN to spare
 * (renewing it first when due).  0 otherwise, with why (size bytes) saying
 * so; what cannot be decided is 0.
 */
int agent_lease_guard(struct agent_lease *l, char *why, size_t size);
/* Short text for systemd's STATUS: "holder", "standby: held by ...". */
const char *agent_lease_state(const struct agent_lease *l);
/*
 * For a sync by hand: with a lease configured, takes it for the one
 * cycle (*out, agent_lease_end it after; NULL when none is configured),
 * or SB_RETRY when another agent holds it (nothing may be written).
 */
enum sb_status agent_lease_for_sync(const char *prog,
    const struct conf *conf, struct agent_lease **out, struct sb_error *err);
/* Releases a held lease (so a standby need not wait), closes, frees. */
void agent_lease_end(struct agent_lease *l);

/*
 * For status: connects with conf and reads its lease object (*out present
 * 0 when the lease is free).  SB_CONFIG when no lease is configured.
 */
enum sb_status agent_lease_read_holder(const struct conf *conf,
    struct ad_lease *out, struct sb_error *err);

#endif
