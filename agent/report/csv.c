/*
 * The report as CSV (RFC 4180, CRLF): a header row, then one row per entry
 * as it comes.  Multi-valued cells join their values with REPORT_CSV_SEP
 * (README: "CSV columns"); the JSON report is the exact form.
 */
#include <stdio.h>
#include <string.h>

#include "agent/report/report.h"

static const char header[] =
    "state,owner,class,kind,dn,cloud_id,display_name,attribute,ad_values,"
    "cloud_values,add,remove,reason,message\r\n";

static void
cell(FILE *f, const char *s)
{
	if (s != NULL)
		agent_reportenc_csv_cell(f, s, strlen(s));
	fputc(',', f);
}

static enum sb_status
csv_begin(struct report_out *o, struct sb_error *err)
{
	(void)err;
	fputs(header, o->f);
	return SB_OK;
}

static enum sb_status
csv_entry(struct report_out *o, const struct map_report_entry *e,
    struct sb_error *err)
{
	FILE *f = o->f;

	(void)err;
	cell(f, map_report_state_name(e->state));
	cell(f, map_report_owner_name(e->owner));
	cell(f, map_report_slot_name(map_report_class_slot(e->cls)));
	cell(f, dirobj_kind_name(e->kind));
	cell(f, e->dn);
	cell(f, e->cloud_id);
	cell(f, e->display_name);
	cell(f, e->attr);
	agent_reportenc_csv_values(f, &e->ad);
	fputc(',', f);
	agent_reportenc_csv_values(f, &e->cloud);
	fputc(',', f);
	agent_reportenc_csv_values(f, &e->add);
	fputc(',', f);
	agent_reportenc_csv_values(f, &e->remove);
	fputc(',', f);
	cell(f, e->reason);
	if (e->message != NULL)
		agent_reportenc_csv_cell(f, e->message, strlen(e->message));
	fputs("\r\n", f);
	return SB_OK;
}

static enum sb_status
csv_end(struct report_out *o, struct sb_error *err)
{
	(void)o;
	(void)err;
	return SB_OK;
}

const struct report_writer agent_reportcsv_writer = {
	"csv", 0, csv_begin, NULL, csv_entry, csv_end,
};
