/*
 * The report as one JSON document (docs/report-schema.json, version
 * REPORT_SCHEMA_VERSION): the summary first, then the entries, one a line,
 * written as they come.  Values are exact: a string when they are UTF-8
 * text, else {"base64": "..."}.
 */
#include <stdio.h>

#include "agent/report/report.h"

static void
vals(FILE *f, const struct map_report_vals *v)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < v->n; i++) {
		if (i > 0)
			fputc(',', f);
		agent_reportenc_json_value(f, v->v[i], 0);
	}
	fputc(']', f);
}

static void
key(FILE *f, const char *k, const char *v)
{
	fprintf(f, ",\"%s\":", k);
	agent_reportenc_json_cstr(f, v, 0);
}

static enum sb_status
json_begin(struct report_out *o, struct sb_error *err)
{
	const struct report_meta *m = o->meta;
	const struct map_report_counts *c = &m->counts;
	FILE *f = o->f;
	size_t i;

	(void)err;
	fprintf(f, "{\"report_version\":%d,\n\"generator\":{\"name\":"
	    "\"soabridge\",\"version\":", REPORT_SCHEMA_VERSION);
	agent_reportenc_json_cstr(f, m->version, 0);
	fputs("},\n\"generated_at\":", f);
	agent_reportenc_json_cstr(f, m->generated_at, 0);
	fprintf(f, ",\n\"elapsed_ms\":%ld", m->elapsed_ms);
	agent_report_json_ids(f, m, "\n", 0);
	fprintf(f, ",\n\"drift\":%s,\n", map_report_has_drift(c) ? "true" :
	    "false");
	fprintf(f, "\"objects\":{\"ad\":%zu,\"cloud\":%zu,\"mailboxes\":%zu,"
	    "\"joined\":%zu},\n", m->stats.ad_objects, m->stats.cloud_objects,
	    m->stats.mailboxes, m->stats.joined);
	fprintf(f, "\"summary\":{\"entries\":%zu,\"empty\":%zu,"
	    "\"limit_refused\":%zu,\n \"states\":{", c->entries, m->stats.empty,
	    c->limit_refused);
	agent_report_json_states(f, c);
	fputs("},\n \"owners\":{", f);
	for (i = 0; i < MAP_REPORT_NOWNERS; i++)
		fprintf(f, "%s\"%s\":%zu", i ? "," : "",
		    map_report_owner_name((enum map_report_owner)i),
		    c->owner[i]);
	fputs("},\n \"classes\":{", f);
	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		fprintf(f, "%s\"%s\":%zu", i ? "," : "",
		    map_report_slot_name(i), c->cls[i]);
	fputs("}},\n\"entries\":[", f);
	return SB_OK;
}

static enum sb_status
json_entry(struct report_out *o, const struct map_report_entry *e,
    struct sb_error *err)
{
	FILE *f = o->f;

	(void)err;
	fprintf(f, "%s\n{\"state\":\"%s\",\"owner\":\"%s\",\"class\":",
	    o->n ? "," : "", map_report_state_name(e->state),
	    map_report_owner_name(e->owner));
	fprintf(f, "\"%s\",\"kind\":\"%s\"",
	    map_report_slot_name(map_report_class_slot(e->cls)),
	    dirobj_kind_name(e->kind));
	key(f, "dn", e->dn);
	key(f, "cloud_id", e->cloud_id);
	key(f, "display_name", e->display_name);
	key(f, "attribute", e->attr);
	key(f, "rule", e->rule);
	fputs(",\"ad_values\":", f);
	vals(f, &e->ad);
	fputs(",\"cloud_values\":", f);
	if (e->cloud_known)
		vals(f, &e->cloud);
	else
		fputs("null", f);
	fputs(",\"add\":", f);
	vals(f, &e->add);
	fputs(",\"remove\":", f);
	vals(f, &e->remove);
	key(f, "reason", e->reason);
	key(f, "message", e->message);
	fputc('}', f);
	return SB_OK;
}

static enum sb_status
json_end(struct report_out *o, struct sb_error *err)
{
	(void)err;
	fputs("\n]}\n", o->f);
	return SB_OK;
}

const struct report_writer agent_reportjson_writer = {
	"json", 0, json_begin, NULL, json_entry, json_end,
};
