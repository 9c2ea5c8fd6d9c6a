/*
 * The report for a terminal: the summary first, then the entries grouped by
 * state (most pressing first) and by object, in at most REPORT_TEXT_COLS
 * columns where values allow; long values and long value lists are
 * shortened, with their full length or count.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/report/report.h"

#define REPORT_TEXT_COLS	100
#define LABEL_COLS		14	/* "      sync +  " */
#define MORE_COLS		18	/* ", ... (+NNNN more)" */

static enum sb_status
text_begin(struct report_out *o, struct sb_error *err)
{
	const struct report_meta *m = o->meta;
	const struct map_report_counts *c = &m->counts;
	FILE *f = o->f;
	enum map_report_state s;
	const struct map_report_state_label *lb;
	size_t i;

	(void)err;
	fprintf(f, "soabridge drift report (soabridge %s, report version %d)\n",
	    m->version, REPORT_SCHEMA_VERSION);
	fprintf(f, "  tenant   %s\n", m->tenant_id);
	fprintf(f, "  domain   %s (%s)\n", *m->domain ? m->domain : "-",
	    m->base_dn);
	fprintf(f, "  run      %s, read and planned in %ld.%03ld s\n",
	    m->generated_at, m->elapsed_ms / 1000, m->elapsed_ms % 1000);
	fprintf(f, "  objects  %zu in the cloud (%zu joined to AD), %zu in AD, "
	    "%zu mailboxes\n", m->stats.cloud_objects, m->stats.joined,
	    m->stats.ad_objects, m->stats.mailboxes);
	fprintf(f, "\nsummary: %zu entries; %s\n", c->entries,
	    map_report_has_drift(c) ? "AD is behind the cloud where the cloud "
	    "owns it" : "no cloud-owned drift");
	for (i = 0; i < MAP_REPORT_NSTATES; i++) {
		s = report_state_order[i];
		lb = map_report_state_label(s);
		fprintf(f, "  %-20s %7zu%s%s\n", lb->title, c->state[s],
		    *lb->note ? "  " : "", lb->note);
	}
	fputs("  by owner:", f);
	for (i = 0; i < MAP_REPORT_NOWNERS; i++)
		fprintf(f, "%s %s %zu", i ? "," : "",
		    map_report_owner_name((enum map_report_owner)i),
		    c->owner[i]);
	fputs("\n  by class:", f);
	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		fprintf(f, "%s %s %zu", i ? "," : "", map_report_slot_name(i),
		    c->cls[i]);
	fprintf(f, "\n  (%zu attributes empty on both sides are not listed)\n",
	    m->stats.empty);
	if (m->limit != NULL)
		fprintf(f, "  LIMIT: %s\n", m->limit);
	return SB_OK;
}

static enum sb_status
text_section(struct report_out *o, enum map_report_state s,
    struct sb_error *err)
{
	(void)err;
	free(o->last_obj);
	o->last_obj = NULL;
	fprintf(o->f, "\n== %s (%zu)\n", map_report_state_label(s)->heading,
	    o->meta->counts.state[s]);
	return SB_OK;
}

/* Values side by side would not fit 100 columns: one list a line, shortened. */
static void
text_vals(FILE *f, const struct map_report_vals *v, size_t avail)
{
	size_t i, used = 0, room, sep;

	if (v->n == 0) {
		fputs("(none)", f);
		return;
	}
	for (i = 0; i < v->n; i++) {
		sep = i ? 2 : 0;
		room = avail > used + sep ? avail - used - sep : 0;
		if (i + 1 < v->n)
			room = room > MORE_COLS ? room - MORE_COLS : 0;
		/* The first value is cut to fit; later ones fit or wait. */
		if (i > 0 && agent_reportenc_text_width(v->v[i]) > room) {
			fprintf(f, ", ... (+%zu more)", v->n - i);
			return;
		}
		if (i > 0)
			fputs(", ", f);
		used += sep + agent_reportenc_text_value(f, v->v[i], room);
	}
}

/*
 * Words of s from column used on, wrapped at REPORT_TEXT_COLS with lines
 * indented by indent.  A word longer than a line is not cut.
 */
static void
text_wrap(FILE *f, const char *s, size_t used, size_t indent)
{
	char word[REPORT_TEXT_COLS + 1];
	size_t n;

	while (s != NULL && *s != '\0') {
		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (n == 0)
			break;
		if (used > indent && used + 1 + n > REPORT_TEXT_COLS) {
			fprintf(f, "\n%*s", (int)indent, "");
			used = indent;
		} else if (used > indent) {
			fputc(' ', f);
			used++;
		}
		if (n < sizeof(word)) {
			memcpy(word, s, n);
			word[n] = '\0';
			agent_reportenc_text_str(f, word);
		} else {
			fputs("...", f);	/* no word a reader needs */
		}
		used += n;
		s += n;
	}
}

/* The heading of an object, once per run of its entries. */
static enum sb_status
text_object(struct report_out *o, const struct map_report_entry *e,
    struct sb_error *err)
{
	const char *k = e->dn ? e->dn : e->cloud_id ? e->cloud_id : "";
	struct sb_bytes b;
	FILE *f = o->f;
	size_t used;

	if (o->last_obj != NULL && strcmp(o->last_obj, k) == 0)
		return SB_OK;
	free(o->last_obj);
	o->last_obj = strdup(k);
	if (o->last_obj == NULL)
		return sb_fail(err, SB_BUG, 0, "report.text", "out of memory");
	fputc('\n', f);
	agent_reportenc_text_str(f, e->dn ? e->dn : "(not in AD)");
	used = (size_t)fprintf(f, "\n  %s", dirobj_kind_name(e->kind)) - 1;
	if (e->display_name != NULL) {
		b.p = (unsigned char *)e->display_name;
		b.len = strlen(e->display_name);
		fputc(' ', f);
		used += 1 + agent_reportenc_text_value(f, &b, 40);
	}
	b.p = (unsigned char *)(e->cloud_id ? e->cloud_id : "(none)");
	b.len = strlen((const char *)b.p);
	/* A cloud id is 36 characters; the rule wraps when it does not fit. */
	fputs(", cloud id ", f);
	agent_reportenc_text_str(f, (const char *)b.p);
	used += 11 + b.len;
	if (e->rule != NULL && used + 2 + strlen(e->rule) <= REPORT_TEXT_COLS)
		fprintf(f, "; %s", e->rule);
	else if (e->rule != NULL)
		fprintf(f, "\n  %s", e->rule);
	fputc('\n', f);
	return SB_OK;
}

static void
text_line(FILE *f, const char *label, const struct map_report_vals *v)
{
	fprintf(f, "      %-8s", label);
	text_vals(f, v, REPORT_TEXT_COLS - LABEL_COLS);
	fputc('\n', f);
}

static enum sb_status
text_entry(struct report_out *o, const struct map_report_entry *e,
    struct sb_error *err)
{
	FILE *f = o->f;
	enum sb_status st;
	size_t n;

	st = text_object(o, e, err);
	if (st != SB_OK)
		return st;
	if (e->attr == NULL) {
		n = (size_t)fprintf(f, "    (the object)  %s:", e->reason ?
		    e->reason : "-");
		text_wrap(f, e->message, n + 1, 8);
		fputc('\n', f);
		return SB_OK;
	}
	fputs("    ", f);
	agent_reportenc_text_str(f, e->attr);
	fprintf(f, "  [%s, %s]",
	    map_report_slot_name(map_report_class_slot(e->cls)),
	    map_report_owner_name(e->owner));
	if (e->state == MAP_REPORT_IN_SYNC) {
		fputs("  ", f);
		text_vals(f, e->ad.n ? &e->ad : &e->cloud,
		    REPORT_TEXT_COLS - 30 - strlen(e->attr));
		if (!e->cloud_known)
			fputs("  (the cloud holds no value)", f);
		fputc('\n', f);
		return SB_OK;
	}
	fputc('\n', f);
	text_line(f, "AD", &e->ad);
	if (e->cloud_known)
		text_line(f, "cloud", &e->cloud);
	else
		fprintf(f, "      %-8s(holds no value to compare)\n", "cloud");
	if (e->add.n > 0)
		text_line(f, e->state == MAP_REPORT_CLOUD_DRIFT ? "sync +" :
		    "diff +", &e->add);
	if (e->remove.n > 0)
		text_line(f, e->state == MAP_REPORT_CLOUD_DRIFT ? "sync -" :
		    "diff -", &e->remove);
	if (e->reason != NULL || e->message != NULL) {
		n = (size_t)fprintf(f, "      %-8s%s%s", "why", e->reason ?
		    e->reason : "", e->reason && e->message ? ":" : "");
		text_wrap(f, e->message, n + (e->reason ? 1 : 0), 14);
		fputc('\n', f);
	}
	return SB_OK;
}

static enum sb_status
text_end(struct report_out *o, struct sb_error *err)
{
	(void)err;
	if (o->meta->counts.entries == 0)
		fputs("\nno entries: nothing is joined and nothing differs\n",
		    o->f);
	return SB_OK;
}

const struct report_writer agent_reporttext_writer = {
	"text", 1, text_begin, text_section, text_entry, text_end,
};
