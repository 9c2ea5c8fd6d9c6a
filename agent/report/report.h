/*
 * The drift report: the command (agent/cmd/report.c), its four writers
 * (text.c, json.c, csv.c, html.c), the walks that drive them (walk.c) and
 * the encodings they share (encode.c, jsonmeta.c).  The entries come from mapping/report.h; a writer turns
 * each into output as it comes and keeps none of them.
 */
#ifndef SB_REPORT_H
#define SB_REPORT_H

#include <stdio.h>

#include "mapping/report.h"

/* Version of the JSON document (docs/report-schema.json) and CSV columns. */
#define REPORT_SCHEMA_VERSION	1
/* Separator of the values of a multi-valued attribute in a CSV cell. */
#define REPORT_CSV_SEP		'|'

enum report_format {
	REPORT_TEXT = 0,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_HTML,
};

/* What a report says about its run besides the entries. */
struct report_meta {
	const char		*version;	/* soabridge's */
	const char		*tenant_id;
	const char		*domain;	/* DNS name of base_dn, or "" */
	const char		*base_dn;
	char			 generated_at[32]; /* "2024-05-01T12:00:00Z" */
	long			 elapsed_ms;	/* read, plan, count */
	const char		*limit;		/* why sync refuses the run */
	struct map_report_stats	 stats;
	struct map_report_counts counts;
};

/* A writer's output and its place in it. */
struct report_out {
	FILE			*f;
	const struct report_meta *meta;
	size_t			 n;		/* entries written (section) */
	char			*last_obj;	/* text: last object heading */
	enum map_report_state	 section;	/* text: the state written */
};

struct report_writer {
	const char	*name;
	/* 1: entries come state by state, in the order of report_state_order */
	int		 by_state;
	enum sb_status	(*begin)(struct report_out *o, struct sb_error *err);
	/* by_state only: before the entries of state s (none: not called) */
	enum sb_status	(*section)(struct report_out *o,
			    enum map_report_state s, struct sb_error *err);
	enum sb_status	(*entry)(struct report_out *o,
			    const struct map_report_entry *e,
			    struct sb_error *err);
	enum sb_status	(*end)(struct report_out *o, struct sb_error *err);
};

/* walk.c */
extern const enum map_report_state report_state_order[MAP_REPORT_NSTATES];
/* Parse "text", "json", "csv", "html"; -1 when none. */
int		agent_report_format(const char *s);
const struct report_writer *agent_report_writer(enum report_format f);
/* The counting walk: meta->counts and meta->stats. */
enum sb_status	agent_report_count(const struct map_report_input *in,
		    struct report_meta *meta, struct sb_error *err);
/*
 * The writing walk(s), after agent_report_count filled meta: the whole
 * report to f, entries written as they are produced.  A write error is
 * SB_STOP.
 */
enum sb_status	agent_report_write(FILE *f, enum report_format fmt,
		    const struct map_report_input *in,
		    const struct report_meta *meta, struct sb_error *err);

/* text.c, json.c, csv.c, html.c */
extern const struct report_writer agent_reporttext_writer;
extern const struct report_writer agent_reportjson_writer;
extern const struct report_writer agent_reportcsv_writer;
extern const struct report_writer agent_reporthtml_writer;

/* encode.c: encodings.  Invalid UTF-8 in a string becomes U+FFFD. */
/* 1 when v is valid UTF-8 (no overlong forms, surrogates) without NUL. */
int		agent_reportenc_is_text(const void *p, size_t len);
/*
 * A JSON string literal with its quotes.  script: also escape <, >, &,
 * U+2028 and U+2029, so that it is inert inside an HTML <script> element.
 */
void		agent_reportenc_json_str(FILE *f, const void *p, size_t len,
		    int script);
/* A JSON string, or null for NULL. */
void		agent_reportenc_json_cstr(FILE *f, const char *s, int script);
/* A value: a string when it is text, else {"base64": "..."}. */
void		agent_reportenc_json_value(FILE *f, const struct sb_bytes *v,
		    int script);
/* Text as HTML character data or a quoted attribute value. */
void		agent_reportenc_html(FILE *f, const void *p, size_t len);
void		agent_reportenc_html_cstr(FILE *f, const char *s);
/* Standard base64 of len bytes. */
void		agent_reportenc_base64(FILE *f, const void *p, size_t len);
/*
 * A value in a terminal: quoted, control characters escaped, at most cols
 * columns (longer: cut, with the full length in bytes); binary as a count.
 * Returns the columns used.
 */
size_t		agent_reportenc_text_value(FILE *f, const struct sb_bytes *v,
		    size_t cols);
/* The columns agent_reportenc_text_value needs to print v whole. */
size_t		agent_reportenc_text_width(const struct sb_bytes *v);
/* A string in a terminal: control characters as \xNN, bad UTF-8 as '?'. */
void		agent_reportenc_text_str(FILE *f, const char *s);
/*
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma, CR or LF;
 * one that starts with = + - @ TAB CR or ' gets a leading ' so that a
 * spreadsheet shows it as text (a reader drops one leading ').
 */
void		agent_reportenc_csv_cell(FILE *f, const char *p, size_t len);
/*
 * A value list as one CSV cell, always quoted: values joined with
 * REPORT_CSV_SEP, '\' and the separator escaped with '\', a value that is
 * not text as "\b64:" and its base64; the leading ' rule as above.
 */
void		agent_reportenc_csv_values(FILE *f,
		    const struct map_report_vals *v);

/* jsonmeta.c: the summary in the JSON report and the HTML report's data. */
/*
 * The members tenant_id, domain, base_dn and limit, each after ",<sep>";
 * script as for agent_reportenc_json_str.
 */
void		agent_report_json_ids(FILE *f, const struct report_meta *m,
		    const char *sep, int script);
/* The members of "states": each state's name and its count. */
void		agent_report_json_states(FILE *f,
		    const struct map_report_counts *c);

#endif
