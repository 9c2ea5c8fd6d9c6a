/* The report's summary: counts of entries by state, owner and class. */
#include <string.h>

#include "attrmap.h"
#include "report.h"

size_t
map_report_class_slot(unsigned cls)
{
	switch (cls) {
	case MAP_CLASS_EXCHANGE:	return 0;
	case MAP_CLASS_IDENTITY:	return 1;
	case MAP_CLASS_MEMBERSHIP:	return 2;
	case MAP_CLASS_PLACEMENT:	return 3;
	}
	return 4;
}

void
map_report_count(struct map_report_counts *c, const struct map_report_entry *e)
{
	c->entries++;
	if ((size_t)e->state < MAP_REPORT_NSTATES)
		c->state[e->state]++;
	if ((size_t)e->owner < MAP_REPORT_NOWNERS)
		c->owner[e->owner]++;
	c->cls[map_report_class_slot(e->cls)]++;
	if (e->state == MAP_REPORT_REFUSED && e->reason != NULL &&
	    strcmp(e->reason, "limit") == 0)
		c->limit_refused++;
}

int
map_report_has_drift(const struct map_report_counts *c)
{
	return c->state[MAP_REPORT_CLOUD_DRIFT] > 0 || c->limit_refused > 0;
}
