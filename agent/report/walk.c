/*
 * Driving a writer: the counting walk for the summary, then the writing
 * walk(s), each entry handed to the writer as the walk produces it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/report/report.h"

/* Most pressing first: what sync writes, what it may not, ..., in sync. */
const enum map_report_state report_state_order[MAP_REPORT_NSTATES] = {
	MAP_REPORT_CLOUD_DRIFT, MAP_REPORT_REFUSED, MAP_REPORT_UNRESOLVED,
	MAP_REPORT_UNJOINED, MAP_REPORT_AD_DIFFERENCE, MAP_REPORT_IN_SYNC,
};

int
agent_report_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return REPORT_TEXT;
	if (strcmp(s, "json") == 0)
		return REPORT_JSON;
	if (strcmp(s, "csv") == 0)
		return REPORT_CSV;
	if (strcmp(s, "html") == 0)
		return REPORT_HTML;
	return -1;
}

const struct report_writer *
agent_report_writer(enum report_format f)
{
	switch (f) {
	case REPORT_TEXT:	return &agent_reporttext_writer;
	case REPORT_JSON:	return &agent_reportjson_writer;
	case REPORT_CSV:	return &agent_reportcsv_writer;
	case REPORT_HTML:	return &agent_reporthtml_writer;
	}
	return &agent_reporttext_writer;
}

static enum sb_status
count_entry(const struct map_report_entry *e, void *arg, struct sb_error *err)
{
	(void)err;
	map_report_count(arg, e);
	return SB_OK;
}

struct write_ctx {
	const struct report_writer	*w;
	struct report_out		*o;
	int				 filter;
	enum map_report_state		 state;
};

static enum sb_status
write_entry(const struct map_report_entry *e, void *arg, struct sb_error *err)
{
	struct write_ctx *x = arg;
	enum sb_status st;

	if (x->filter && e->state != x->state)
		return SB_OK;
	st = x->w->entry(x->o, e, err);
	x->o->n++;
	return st;
}

enum sb_status
agent_report_count(const struct map_report_input *in,
    struct report_meta *meta, struct sb_error *err)
{
	memset(&meta->counts, 0, sizeof(meta->counts));
	return map_report_walk(in, count_entry, &meta->counts, &meta->stats,
	    err);
}

enum sb_status
agent_report_write(FILE *f, enum report_format fmt,
    const struct map_report_input *in, const struct report_meta *meta,
    struct sb_error *err)
{
	const struct report_writer *w = agent_report_writer(fmt);
	struct report_out o;
	struct write_ctx x;
	enum map_report_state s;
	enum sb_status st;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.f = f;
	o.meta = meta;
	x.w = w;
	x.o = &o;
	x.filter = w->by_state;
	x.state = MAP_REPORT_IN_SYNC;
	st = w->begin(&o, err);
	for (i = 0; w->by_state && i < MAP_REPORT_NSTATES && st == SB_OK; i++) {
		s = report_state_order[i];
		if (meta->counts.state[s] == 0)
			continue;
		o.n = 0;
		o.section = s;
		x.state = s;
		st = w->section(&o, s, err);
		if (st == SB_OK)
			st = map_report_walk(in, write_entry, &x, NULL, err);
	}
	if (!w->by_state && st == SB_OK)
		st = map_report_walk(in, write_entry, &x, NULL, err);
	if (st == SB_OK)
		st = w->end(&o, err);
	free(o.last_obj);
	if (st == SB_OK && (fflush(f) != 0 || ferror(f)))
		st = sb_fail(err, SB_STOP, errno, "report.write", "%s",
		    strerror(errno ? errno : EIO));
	return st;
}

