/* Plan output in text (for people) and JSON (for scripts, schema version 1). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/report/planout.h"
#include "agent/report/outcome.h"

/* Longest value printed in text before it is shortened (JSON prints all). */
#define TEXT_VALUE_MAX	120
/* Values of one delta listed in text (a group's members: thousands). */
#define TEXT_VALUES_MAX	50

int
agent_planout_format(const char *s)
{
	if (strcmp(s, "text") == 0)
		return PLANOUT_TEXT;
	if (strcmp(s, "json") == 0)
		return PLANOUT_JSON;
	return -1;
}

static int
is_utf8_text(const struct sb_bytes *v)
{
	size_t i = 0, n;
	unsigned char c;

	while (i < v->len) {
		c = v->p[i];
		if (c == 0)
			return 0;
		n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 :
		    (c >> 3) == 30 ? 4 : 0;
		if (n == 0 || i + n > v->len)
			return 0;
		while (--n > 0)
			if ((v->p[++i] & 0xc0) != 0x80)
				return 0;
		i++;
	}
	return 1;
}

/* A value in text: quoted, control characters escaped, long ones shortened. */
static void
text_value(FILE *f, const struct sb_bytes *v)
{
	size_t i, n = v->len < TEXT_VALUE_MAX ? v->len : TEXT_VALUE_MAX;
	unsigned char c;

	if (!is_utf8_text(v)) {
		fprintf(f, "<%zu bytes of binary>", v->len);
		return;
	}
	fputc('"', f);
	for (i = 0; i < n; i++) {
		c = v->p[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
	if (n < v->len)
		fprintf(f, "... (%zu bytes)", v->len);
}

static void
text_values(FILE *f, const struct sb_bytes *vals, size_t n)
{
	size_t i;

	if (n == 0) {
		fputs("(none)", f);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", f);
		text_value(f, &vals[i]);
	}
}

static const char *
change_mark(enum change_op op)
{
	switch (op) {
	case MAP_CHANGE_MODIFY:	return "~";
	case MAP_CHANGE_ADD:	return "+";
	case MAP_CHANGE_RENAME:	return ">";
	case MAP_CHANGE_DELETE:	return "-";
	}
	return "?";
}

/* "... and N more values added" after the first TEXT_VALUES_MAX. */
static void
text_more(FILE *f, const struct delta *d, const char *what)
{
	if (d->nvals > TEXT_VALUES_MAX)
		fprintf(f, "    %-34s ... and %zu more values %s "
		    "(--format json lists all)\n", d->attr,
		    d->nvals - TEXT_VALUES_MAX, what);
}

static void
text_change(FILE *f, const struct change *c, int applied, const char *error)
{
	const struct delta *d;
	size_t i, j;

	fprintf(f, "%s %s %s", change_mark(c->op), map_change_op_name(c->op),
	    c->dn);
	if (c->nparts > 1)
		fprintf(f, " (part %u of %u)", c->part, c->nparts);
	fputc('\n', f);
	fprintf(f, "    %s", dirobj_kind_name(c->kind));
	if (c->display_name != NULL)
		fprintf(f, " \"%s\"", c->display_name);
	if (c->cloud_id != NULL)
		fprintf(f, ", cloud id %s", c->cloud_id);
	fprintf(f, "; allowed by: %s\n", c->rule ? c->rule : "?");
	if (c->op == MAP_CHANGE_RENAME)
		fprintf(f, "    move to %s,%s\n", c->new_rdn ? c->new_rdn : "",
		    c->new_superior ? c->new_superior : "(same parent)");
	for (i = 0; i < c->ndeltas; i++) {
		d = &c->deltas[i];
		switch (d->op) {
		case MAP_DELTA_ADD:
			for (j = 0; j < d->nvals && j < TEXT_VALUES_MAX; j++) {
				fprintf(f, "    %-34s + ", d->attr);
				text_value(f, &d->vals[j]);
				fputc('\n', f);
			}
			text_more(f, d, "added");
			break;
		case MAP_DELTA_DELETE:
			if (d->nvals == 0) {
				fprintf(f, "    %-34s x clear (was ", d->attr);
				text_values(f, d->before, d->nbefore);
				fputs(")\n", f);
			}
			for (j = 0; j < d->nvals && j < TEXT_VALUES_MAX; j++) {
				fprintf(f, "    %-34s - ", d->attr);
				text_value(f, &d->vals[j]);
				fputc('\n', f);
			}
			text_more(f, d, "removed");
			break;
		case MAP_DELTA_REPLACE:
			fprintf(f, "    %-34s = ", d->attr);
			text_values(f, d->vals, d->nvals);
			fputs(" (was ", f);
			text_values(f, d->before, d->nbefore);
			fputs(")\n", f);
			break;
		}
	}
	if (applied == AGENT_WRITE_REFUSED)
		fprintf(f, "    result: REFUSED by the write gate: %s\n",
		    error ? error : "");
	else if (applied > 0 && error != NULL)
		fprintf(f, "    result: applied; refused at the write gate: "
		    "%s\n", error);
	else if (applied > 0)
		fputs("    result: applied\n", f);
	else if (applied < 0)
		fprintf(f, "    result: FAILED: %s\n", error ? error : "");
	else if (error != NULL)		/* a plan's change the gate trims */
		fprintf(f, "    result: would be written without what the "
		    "write gate refuses: %s\n", error);
}

static void
text_print(FILE *f, const char *title, const struct planout_run *r,
    const struct plan *p, const int *applied, const char *const *errors)
{
	struct plan_counts n;
	size_t i;
	const struct finding *fd;

	map_plan_count(p, &n);
	fprintf(f, "%s: %zu object%s to change (%zu values added, %zu removed, "
	    "%zu replaced); %zu finding%s\n", title, n.changes,
	    n.changes == 1 ? "" : "s", n.value_adds, n.value_deletes,
	    n.replaces, p->nfindings, p->nfindings == 1 ? "" : "s");
	if (r != NULL && r->run > 0 && r->undo_of > 0)
		fprintf(f, "run %lld reverts run %lld\n", r->run, r->undo_of);
	else if (r != NULL && r->run > 0)
		fprintf(f, "run %lld ('soabridge undo %lld' reverts it)\n",
		    r->run, r->run);
	if (r != NULL && r->dc != NULL)
		fprintf(f, "DC: %s\n", r->dc);
	for (i = 0; i < p->nchanges; i++) {
		fputc('\n', f);
		text_change(f, &p->changes[i], applied ? applied[i] : 0,
		    errors ? errors[i] : NULL);
	}
	if (p->nchanges == 0)
		fputs("\nnothing to change\n", f);
	if (p->nfindings > 0)
		fputs("\nfindings (not written, and why):\n", f);
	for (i = 0; i < p->nfindings; i++) {
		fd = &p->findings[i];
		fprintf(f, "  %-18s %s", map_finding_kind_name(fd->kind),
		    fd->dn ? fd->dn : fd->cloud_id ? fd->cloud_id : "-");
		if (fd->display_name != NULL)
			fprintf(f, " \"%s\"", fd->display_name);
		if (fd->attr != NULL)
			fprintf(f, " [%s]", fd->attr);
		fprintf(f, ": %s\n", fd->message ? fd->message : "");
	}
}

/* A JSON value: the text when it is UTF-8, else {"base64": ...}. */
static json_t *
json_value(const struct sb_bytes *v)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *b64;
	size_t i, o = 0;
	unsigned int x;
	json_t *j;

	if (is_utf8_text(v))
		return json_stringn((const char *)v->p, v->len);
	b64 = malloc((v->len + 2) / 3 * 4 + 1);
	if (b64 == NULL)
		return NULL;
	for (i = 0; i < v->len; i += 3) {
		x = (unsigned)v->p[i] << 16;
		if (i + 1 < v->len)
			x |= (unsigned)v->p[i + 1] << 8;
		if (i + 2 < v->len)
			x |= v->p[i + 2];
		b64[o++] = tbl[(x >> 18) & 63];
		b64[o++] = tbl[(x >> 12) & 63];
		b64[o++] = i + 1 < v->len ? tbl[(x >> 6) & 63] : '=';
		b64[o++] = i + 2 < v->len ? tbl[x & 63] : '=';
	}
	b64[o] = '\0';
	j = json_pack("{s:s}", "base64", b64);
	free(b64);
	return j;
}

static json_t *
json_values(const struct sb_bytes *vals, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_value(&vals[i]));
	return a;
}

static json_t *
json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
json_change(const struct change *c, int applied, const char *error)
{
	json_t *jc, *deltas;
	const struct delta *d;
	size_t i;

	deltas = json_array();
	for (i = 0; i < c->ndeltas; i++) {
		d = &c->deltas[i];
		json_array_append_new(deltas, json_pack("{s:s, s:s, s:o, s:o}",
		    "attribute", d->attr, "op", map_delta_op_name(d->op),
		    "values", json_values(d->vals, d->nvals),
		    "before", json_values(d->before, d->nbefore)));
	}
	jc = json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:o}",
	    "op", map_change_op_name(c->op), "dn", c->dn,
	    "cloud_id", json_str_or_null(c->cloud_id),
	    "display_name", json_str_or_null(c->display_name),
	    "kind", dirobj_kind_name(c->kind),
	    "rule", json_str_or_null(c->rule), "deltas", deltas);
	if (jc != NULL && c->nparts > 1) {
		json_object_set_new(jc, "part", json_integer(c->part));
		json_object_set_new(jc, "parts", json_integer(c->nparts));
	}
	if (jc != NULL && c->op == MAP_CHANGE_RENAME) {
		json_object_set_new(jc, "new_rdn",
		    json_str_or_null(c->new_rdn));
		json_object_set_new(jc, "new_superior",
		    json_str_or_null(c->new_superior));
	}
	if (jc != NULL && applied != 0)
		json_object_set_new(jc, "result", json_string(applied > 0 ?
		    "applied" : applied == AGENT_WRITE_REFUSED ? "refused" :
		    "failed"));
	if (jc != NULL && applied == AGENT_WRITE_FAILED)
		json_object_set_new(jc, "error", json_str_or_null(error));
	else if (jc != NULL && error != NULL)
		json_object_set_new(jc, "refused", json_string(error));
	return jc;
}

static void
json_print(FILE *f, const char *title, const struct planout_run *r,
    const struct plan *p, const int *applied, const char *const *errors)
{
	struct plan_counts n;
	json_t *root, *changes, *findings;
	const struct finding *fd;
	size_t i;

	map_plan_count(p, &n);
	changes = json_array();
	for (i = 0; i < p->nchanges; i++)
		json_array_append_new(changes, json_change(&p->changes[i],
		    applied ? applied[i] : 0, errors ? errors[i] : NULL));
	findings = json_array();
	for (i = 0; i < p->nfindings; i++) {
		fd = &p->findings[i];
		json_array_append_new(findings, json_pack(
		    "{s:s, s:o, s:o, s:o, s:o, s:o}",
		    "kind", map_finding_kind_name(fd->kind),
		    "dn", json_str_or_null(fd->dn),
		    "cloud_id", json_str_or_null(fd->cloud_id),
		    "display_name", json_str_or_null(fd->display_name),
		    "attribute", json_str_or_null(fd->attr),
		    "message", json_str_or_null(fd->message)));
	}
	root = json_pack("{s:i, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o, "
	    "s:o}", "version", 1, "command", title, "summary",
	    "changes", (json_int_t)n.changes,
	    "value_adds", (json_int_t)n.value_adds,
	    "value_deletes", (json_int_t)n.value_deletes,
	    "replaces", (json_int_t)n.replaces,
	    "deletes", (json_int_t)n.deletes,
	    "findings", (json_int_t)p->nfindings,
	    "changes", changes, "findings", findings);
	if (root != NULL && r != NULL && r->run > 0)
		json_object_set_new(root, "run", json_integer(r->run));
	if (root != NULL && r != NULL && r->undo_of > 0)
		json_object_set_new(root, "undo_of", json_integer(r->undo_of));
	if (root != NULL) {
		json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
	}
	json_decref(root);
}

void
agent_planout_print_run(FILE *f, enum planout_format fmt, const char *title,
    const struct planout_run *r, const struct plan *p, const int *applied,
    const char *const *errors)
{
	if (fmt == PLANOUT_JSON)
		json_print(f, title, r, p, applied, errors);
	else
		text_print(f, title, r, p, applied, errors);
	fflush(f);
}

void
agent_planout_print(FILE *f, enum planout_format fmt, const char *title,
    const struct plan *p, const int *applied, const char *const *errors)
{
	agent_planout_print_run(f, fmt, title, NULL, p, applied, errors);
}
