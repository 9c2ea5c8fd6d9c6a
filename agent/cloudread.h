/*
 * Cloud reads per object, in $batch, for a cycle (agent/cycle.h): the
 * source of authority of the candidates and the managers of the users whose
 * identity the cloud owns.
 */
#ifndef SB_CLOUDREAD_H
#define SB_CLOUDREAD_H

#include "agent/skips.h"
#include "mapping/dirobj.h"

struct cloud_client;

/*
 * Unreadable SOA replies a run takes as findings: this share of the
 * candidates (one at least).  More, or all of them, stop the run.
 */
#define AGENT_SOA_UNREADABLE_PCT	5

/*
 * isCloudManaged of the candidates of one kind in objs (objects
 * with on-premises anchors whose onPremisesSyncEnabled is not true,
 * graph-exo-protocol.md section 3) into their cloud_managed.  A candidate
 * whose reply has no boolean isCloudManaged is set aside (soa-unreadable),
 * one gone since it was listed too (gone-in-cloud): both into skips.  SB_STOP, naming the
 * count, when more than AGENT_SOA_UNREADABLE_PCT percent (one at least) or
 * all of the candidates are unreadable.
 */
enum sb_status	agent_cloudread_soa(struct cloud_client *cl,
		    struct dirset *objs, struct agent_skips *skips,
		    enum dirobj_kind kind, struct sb_error *err);

/*
 * The managers of the users in objs whose isCloudManaged is
 * true, into their "manager" attribute: the manager's id; present with no
 * value when they have none (AD's is cleared); absent when the read failed
 * (AD's stays).  A user gone since it was listed is set aside
 * (gone-in-cloud).  No other user's manager is read.
 */
enum sb_status	agent_cloudread_managers(struct cloud_client *cl,
		    struct dirset *objs, struct agent_skips *skips,
		    struct sb_error *err);

#endif
