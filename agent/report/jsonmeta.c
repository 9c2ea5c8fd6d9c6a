/* The run's summary as JSON members, for the JSON report and the HTML's. */
#include <stdio.h>

#include "agent/report/report.h"

void
agent_report_json_ids(FILE *f, const struct report_meta *m, const char *sep,
    int script)
{
	const struct {
		const char	*key;
		const char	*val;
	} ids[] = {
		{ "tenant_id", m->tenant_id },
		{ "domain", m->domain },
		{ "base_dn", m->base_dn },
		{ "limit", m->limit },
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		fprintf(f, ",%s\"%s\":", sep, ids[i].key);
		agent_reportenc_json_cstr(f, ids[i].val, script);
	}
}

void
agent_report_json_states(FILE *f, const struct map_report_counts *c)
{
	size_t i;

	for (i = 0; i < MAP_REPORT_NSTATES; i++)
		fprintf(f, "%s\"%s\":%zu", i ? "," : "",
		    map_report_state_name((enum map_report_state)i),
		    c->state[i]);
}
