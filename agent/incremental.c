/* The incremental check of the service: any change since the positions? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cycle.h"
#include "agent/incremental.h"
#include "agent/store/lock.h"
#include "agent/store/state.h"
#include "cloud/client.h"
#include "cloud/delta.h"
#include "cloud/exo.h"
#include "ldap/changes.h"
#include "ldap/conn.h"
#include "mapping/attrmap.h"
#include "mapping/log.h"

/* What the full read reads in AD: users, contacts and groups. */
static const char read_filter[] =
    "(|(&(objectCategory=person)"
    "(objectClass=user))(objectClass=contact)(objectClass=group))";

/* The positions a check starts from; "" where there is none. */
struct incr_from {
	char dc[40]; /* an invocationId */
	char usn[32];
	char users[AGENT_POSITION_MAX];
	char groups[AGENT_POSITION_MAX];
	char since[32];
};

void
agent_incr_free(struct agent_incr *in)
{
	size_t i;

	for (i = 0; i < in->nmbx; i++)
		free(in->mbx[i].id);
	free(in->mbx);
	free(in->users_link);
	free(in->groups_link);
	memset(in, 0, sizeof(*in));
}

/*
 * What cy's cloud client sent and was throttled, for the metrics; out
 * is freed (zeroed) on failure, so they are kept across that.
 */
static void
end_check(struct agent_incr *out, struct cycle *cy, enum sb_status st)
{
	struct cloud_stats cs = { 0 };

	if (cy->cloud != NULL)
		cloud_client_stats(cy->cloud, &cs);
	agent_cycle_close(cy);
	if (st != SB_OK)
		agent_incr_free(out);
	out->cloud_requests = cs.attempts;
	out->cloud_throttled = cs.throttled;
}

/* The positions the full cycle (or this one, when quiet) advances. */
static void
set_positions(struct agent_incr *in, time_t start)
{
	snprintf(in->exo_since, sizeof(in->exo_since), "%lld",
	    (long long)start);
	in->npos = 0;
	in->pos[in->npos++] = (struct agent_position){
		AGENT_POSITION_USERS_DELTA, in->users_link, 0
	};
	in->pos[in->npos++] = (struct agent_position){
		AGENT_POSITION_GROUPS_DELTA, in->groups_link, 0
	};
	in->pos[in->npos++] = (struct agent_position){ AGENT_POSITION_EXO_SINCE,
		in->exo_since, 1 };
}

/* Fresh delta links of both feeds, for the present state. */
static enum sb_status
fresh_links(struct cycle *cy, struct agent_incr *in, struct sb_error *err)
{
	struct cloud_delta u = { 0 }, g = { 0 };
	const char **gsel = NULL;
	enum sb_status st;

	st = cloud_delta_latest(cy->cloud, DIROBJ_USER, map_graph_user_select(),
	    &u, err);
	if (st == SB_OK)
		st = agent_cycle_group_select(cy->conf, &gsel, err);
	if (st == SB_OK)
		st = cloud_delta_latest(cy->cloud, DIROBJ_GROUP, gsel, &g, err);
	free(gsel);
	if (st == SB_OK) {
		free(in->users_link);
		free(in->groups_link);
		in->users_link = u.link;
		in->groups_link = g.link;
		u.link = g.link = NULL;
	}
	cloud_delta_free(&u);
	cloud_delta_free(&g);
	return st;
}

static enum sb_status
read_from(const struct conf *conf, struct incr_from *f, struct sb_error *err)
{
	struct agent_state *s = NULL;
	char name[64];
	enum sb_status st;

	memset(f, 0, sizeof(*f));
	st = agent_state_open(conf->state_dir, AGENT_STATE_RO, &s, err);
	if (st != SB_OK || s == NULL)
		return st;
	st = agent_position_get(s, AGENT_POSITION_AD_DC, f->dc, sizeof(f->dc),
	    err);
	snprintf(name, sizeof(name), "%s%s", AGENT_POSITION_AD_USN, f->dc);
	if (st == SB_OK && *f->dc != '\0')
		st = agent_position_get(s, name, f->usn, sizeof(f->usn), err);
	if (st == SB_OK)
		st = agent_position_get(s, AGENT_POSITION_USERS_DELTA, f->users,
		    sizeof(f->users), err);
	if (st == SB_OK)
		st = agent_position_get(s, AGENT_POSITION_GROUPS_DELTA,
		    f->groups, sizeof(f->groups), err);
	if (st == SB_OK)
		st = agent_position_get(s, AGENT_POSITION_EXO_SINCE, f->since,
		    sizeof(f->since), err);
	agent_state_close(s);
	return st;
}

const char *
agent_incr_dc_unusable(const char *saved_dc, const char *saved_usn,
    const char *dc_now)
{
	if (*saved_dc == '\0' || *saved_usn == '\0')
		return "no positions yet";
	if (*dc_now == '\0')
		return "the DC in use tells no invocationId: its USNs cannot "
		       "be matched to a watermark";
	if (strcmp(saved_dc, dc_now) != 0)
		return "another DC database than the last full read's "
		       "(invocationId changed): its USNs count from elsewhere";
	return NULL;
}

/* Why the positions cannot be used, or NULL. */
static const char *
unusable(const struct incr_from *f, const struct cycle *cy)
{
	if (*f->users == '\0' || *f->groups == '\0' || *f->since == '\0')
		return "no positions yet";
	return agent_incr_dc_unusable(f->dc, f->usn,
	    ad_conn_invocation_id(cy->ad));
}

/* One mailbox the changed-since query returned. */
struct mbx_args {
	struct agent_incr *in;
	const struct agent_exo_seen *seen;
};

static enum sb_status
take_mailbox(struct dirobj *o, void *arg, struct sb_error *err)
{
	struct mbx_args *a = arg;
	struct agent_incr *in = a->in;
	struct agent_incr_mailbox *v;
	const char *when = dirobj_get_str(o, "WhenChangedUTC");
	enum sb_status st = SB_OK;
	time_t t;

	/* Without a time it cannot have been seen: a change. */
	if (o->cloud_id == NULL || when == NULL ||
	    !agent_exo_parse_time(when, &t)) {
		in->mailboxes_changed++;
		goto done;
	}
	if (agent_exo_seen_has(a->seen, o->cloud_id, t))
		goto done;
	in->mailboxes_changed++;
	v = realloc(in->mbx, (in->nmbx + 1) * sizeof(*v));
	if (v == NULL) {
		st = sb_fail(err, SB_BUG, 0, "exo.changed", "out of memory");
		goto done;
	}
	in->mbx = v;
	if ((v[in->nmbx].id = strdup(o->cloud_id)) == NULL) {
		st = sb_fail(err, SB_BUG, 0, "exo.changed", "out of memory");
		goto done;
	}
	v[in->nmbx++].when = t;
done:
	dirobj_free(o);
	return st;
}

/* Follows a stored delta link; a spent one makes the cycle a resync. */
static enum sb_status
follow(struct cycle *cy, enum dirobj_kind kind, const char *link,
    struct agent_incr *in, size_t *changed, char **newlink,
    struct sb_error *err)
{
	struct cloud_delta d = { 0 };
	enum sb_status st;

	st = cloud_delta_follow(cy->cloud, kind, link, &d, err);
	if (st == SB_OK && d.expired) {
		in->resync = 1;
		in->verdict = AGENT_INCR_FULL;
		snprintf(in->why, sizeof(in->why),
		    "the %s delta link was "
		    "refused as spent: a full resync",
		    kind == DIROBJ_USER ? "users" : "groups");
	} else if (st == SB_OK) {
		*changed = d.changed + d.removed + d.members;
		*newlink = d.link;
		d.link = NULL;
	}
	cloud_delta_free(&d);
	return st;
}

/* The three questions, on an open cycle; in->verdict set. */
static enum sb_status
ask(struct cycle *cy, const struct incr_from *f,
    const struct agent_exo_seen *seen, struct agent_incr *in,
    struct sb_error *err)
{
	struct mbx_args ma = { in, seen };
	unsigned long long usn = strtoull(f->usn, NULL, 10);
	long long since = strtoll(f->since, NULL, 10);
	enum sb_status st;

	st = ad_count_changed(cy->ad, cy->conf->ldap.base_dn, read_filter, usn,
	    &in->ad_changed, err);
	if (st == SB_OK)
		st = follow(cy, DIROBJ_USER, f->users, in, &in->users_changed,
		    &in->users_link, err);
	if (st == SB_OK && in->verdict != AGENT_INCR_FULL)
		st = follow(cy, DIROBJ_GROUP, f->groups, in,
		    &in->groups_changed, &in->groups_link, err);
	if (st != SB_OK)
		return st;
	if (in->verdict == AGENT_INCR_FULL) /* a spent link */
		return fresh_links(cy, in, err);
	st = cloud_exo_mailboxes_changed(cy->cloud,
	    (time_t)(since - AGENT_EXO_MARGIN_S), take_mailbox, &ma, err);
	if (st != SB_OK)
		return st;
	in->verdict = in->ad_changed || in->users_changed ||
		in->groups_changed || in->mailboxes_changed ?
	    AGENT_INCR_CHANGED :
	    AGENT_INCR_QUIET;
	return SB_OK;
}

/* Quiet: the positions move on, AD's to the USN read at this connect. */
static enum sb_status
advance_quiet(const struct conf *conf, struct cycle *cy,
    const struct agent_incr *in, struct sb_error *err)
{
	struct agent_state *s = NULL;
	char usn[32], name[64];
	struct agent_position ad = { name, usn, 1 };
	enum sb_status st;
	size_t i;

	snprintf(usn, sizeof(usn), "%llu", ad_conn_usn(cy->ad));
	snprintf(name, sizeof(name), "%s%s", AGENT_POSITION_AD_USN,
	    ad_conn_invocation_id(cy->ad));
	st = agent_state_open(conf->state_dir, AGENT_STATE_RW, &s, err);
	if (st == SB_OK)
		st = agent_state_begin(s, err);
	if (st != SB_OK) {
		agent_state_close(s);
		return st;
	}
	st = agent_position_advance(s, &ad, 0, err);
	for (i = 0; st == SB_OK && i < in->npos; i++)
		st = agent_position_advance(s, &in->pos[i], 0, err);
	if (st == SB_OK)
		st = agent_state_commit(s, err);
	if (st != SB_OK)
		agent_state_rollback(s);
	agent_state_close(s);
	return st;
}

enum sb_status
agent_incr_check(const struct conf *conf, const struct agent_exo_seen *seen,
    time_t start, struct agent_incr *out, struct sb_error *err)
{
	struct agent_lock *lock = NULL;
	struct incr_from *f;
	struct cycle cy;
	const char *why;
	enum sb_status st;

	memset(out, 0, sizeof(*out));
	memset(&cy, 0, sizeof(cy));
	if ((f = malloc(sizeof(*f))) == NULL)
		return sb_fail(err, SB_BUG, 0, "incr", "out of memory");
	/* The same lock as sync: a quiet check advances positions. */
	st = agent_lock_take(conf->state_dir, "run", &lock, err);
	if (st == SB_OK)
		st = read_from(conf, f, err);
	if (st == SB_OK)
		st = agent_cycle_open(&cy, conf, err);
	if (st != SB_OK)
		goto done;
	if ((why = unusable(f, &cy)) != NULL) {
		out->verdict = AGENT_INCR_FULL;
		snprintf(out->why, sizeof(out->why), "%s", why);
		st = fresh_links(&cy, out, err);
	} else
		st = ask(&cy, f, seen, out, err);
	if (st != SB_OK)
		goto done;
	set_positions(out, start);
	log_info("incr.check verdict=%s ad_changed=%lu users=%zu groups=%zu "
		 "mailboxes=%zu%s%s",
	    out->verdict == AGENT_INCR_QUIET       ? "quiet" :
		out->verdict == AGENT_INCR_CHANGED ? "changed" :
						     "full",
	    out->ad_changed, out->users_changed, out->groups_changed,
	    out->mailboxes_changed, *out->why ? " why=" : "", out->why);
	if (out->verdict == AGENT_INCR_QUIET)
		st = advance_quiet(conf, &cy, out, err);
done:
	end_check(out, &cy, st);
	agent_lock_release(lock);
	free(f);
	return st;
}

enum sb_status
agent_incr_fresh(const struct conf *conf, time_t start, struct agent_incr *out,
    struct sb_error *err)
{
	struct cycle cy;
	enum sb_status st;

	memset(out, 0, sizeof(*out));
	out->verdict = AGENT_INCR_FULL;
	snprintf(out->why, sizeof(out->why), "full reconciliation");
	st = agent_cycle_open(&cy, conf, err);
	if (st == SB_OK)
		st = fresh_links(&cy, out, err);
	if (st == SB_OK)
		set_positions(out, start);
	end_check(out, &cy, st);
	return st;
}

enum sb_status
agent_incr_remember(const struct agent_incr *in, struct agent_exo_seen *seen,
    struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	for (i = 0; st == SB_OK && i < in->nmbx; i++)
		st = agent_exo_seen_add(seen, in->mbx[i].id, in->mbx[i].when,
		    err);
	return st;
}
