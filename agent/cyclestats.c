/* The numbers of one cycle for the service's metrics: counted off the plan. */
#include <string.h>

#include "agent/cycle.h"
#include "agent/cyclestats.h"
#include "agent/report/outcome.h"
#include "cloud/client.h"
#include "mapping/reportentry.h"

/* The slot of map_report_class_slot for a creation or a deletion. */
#define SLOT_OBJECT (MAP_REPORT_NCLASSES - 1)

unsigned
agent_change_class_slots(const struct change *c)
{
	unsigned slots = 0, cls;
	size_t i;

	switch (c->op) {
	case MAP_CHANGE_ADD:
	case MAP_CHANGE_DELETE:
		return 1u << SLOT_OBJECT;
	case MAP_CHANGE_RENAME:
		return 1u << map_report_class_slot(MAP_CLASS_PLACEMENT);
	case MAP_CHANGE_MODIFY:
		break;
	}
	for (i = 0; i < c->ndeltas; i++) {
		cls = map_report_class_of(c->deltas[i].attr);
		slots |= 1u << map_report_class_slot(cls);
	}
	return slots;
}

/* Adds one to each slot of slots in v. */
static void
count_slots(unsigned long *v, unsigned slots)
{
	size_t i;

	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		if (slots & (1u << i))
			v[i]++;
}

void
agent_cycle_stats_count(struct agent_cycle_stats *s, const struct plan *p,
    const int *applied)
{
	unsigned slots;
	size_t i;

	s->planned_known = 1;
	for (i = 0; i < p->nchanges; i++) {
		slots = agent_change_class_slots(&p->changes[i]);
		count_slots(s->planned, slots);
		if (applied == NULL)
			continue;
		if (applied[i] == AGENT_WRITE_APPLIED ||
		    applied[i] == AGENT_WRITE_TRIMMED)
			count_slots(s->applied, slots);
		else if (applied[i] == AGENT_WRITE_FAILED)
			count_slots(s->failed, slots);
		else if (applied[i] == AGENT_WRITE_REFUSED)
			count_slots(s->refused, slots);
	}
	for (i = 0; i < p->nfindings; i++)
		if ((size_t)p->findings[i].kind < AGENT_NFINDING_KINDS)
			s->findings[p->findings[i].kind]++;
}

void
agent_cycle_stats_take(struct agent_cycle_stats *s, const struct cycle *cy,
    const int *applied)
{
	struct cloud_stats cs;

	s->objects_read[AGENT_SIDE_AD] += cy->ad_objs.n;
	s->objects_read[AGENT_SIDE_GRAPH] += cy->cloud_users.n;
	s->objects_read[AGENT_SIDE_EXCHANGE] += cy->mailboxes.n;
	if (cy->plan != NULL)
		agent_cycle_stats_count(s, cy->plan, applied);
	if (cy->cloud != NULL) {
		cloud_client_stats(cy->cloud, &cs);
		s->cloud_requests += cs.attempts;
		s->cloud_throttled += cs.throttled;
	}
}
