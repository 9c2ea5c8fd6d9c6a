/* Safety limits: count a plan's writes and refuse one that is too large. */
#include "agent/limits.h"

void
agent_limits_count(const struct plan *p, struct agent_limit_counts *out)
{
	const struct change *c;
	const struct delta *d;
	size_t i, k, removed;

	out->changes = out->deletes = 0;
	for (i = 0; i < p->nchanges; i++) {
		c = &p->changes[i];
		if (c->op != MAP_CHANGE_MODIFY) {
			out->changes++;		/* the object itself */
			if (c->op == MAP_CHANGE_DELETE) {
				out->deletes++;
				continue;	/* deltas: its before-image */
			}
		}
		for (k = 0; k < c->ndeltas; k++) {
			d = &c->deltas[k];
			switch (d->op) {
			case MAP_DELTA_ADD:
				out->changes += d->nvals;
				break;
			case MAP_DELTA_DELETE:
				removed = d->nvals ? d->nvals : d->nbefore;
				out->changes += removed;
				out->deletes += removed;
				break;
			case MAP_DELTA_REPLACE:
				if (d->nvals > 0) {
					out->changes++;
					break;
				}
				/* replaced by nothing: a clear */
				out->changes += d->nbefore;
				out->deletes += d->nbefore;
				break;
			}
		}
	}
}

enum sb_status
agent_limits_check(const struct agent_limit_counts *n, enum agent_limit which,
    long max, struct sb_error *err)
{
	if (max < 0)
		max = 0;
	if (which == AGENT_LIMIT_CHANGES && n->changes > (size_t)max)
		return sb_fail(err, SB_REFUSED, 0, "sync.limits",
		    "the plan has %zu changes, %zu over max_changes = %ld: "
		    "nothing written (review with 'soabridge plan'; raise "
		    "limits.max_changes or pass --max-changes N)", n->changes,
		    n->changes - (size_t)max, max);
	if (which == AGENT_LIMIT_DELETES && n->deletes > (size_t)max)
		return sb_fail(err, SB_REFUSED, 0, "sync.limits",
		    "the plan removes %zu values or objects, %zu over "
		    "max_deletes = %ld: nothing written", n->deletes,
		    n->deletes - (size_t)max, max);
	return SB_OK;
}
