/* tests/fuzz/fuzz_report.c -- the report encoders: HTML, CSV, JSON, text. */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "agent/report/report.h"
#include "fuzz.h"

#define MAXVALS	8

/* Runs an encoder into memory; *len is the output's length. */
#define CAPTURE(buf, len, call) do {					\
	FILE *f_;							\
	if ((f_ = open_memstream(&(buf), &(len))) == NULL)		\
		abort();						\
	{ FILE *f = f_; call; }						\
	if (fclose(f_) != 0)						\
		abort();						\
} while (0)

/*
 * RFC 4180: a field holding , " CR or LF is quoted, its quotes doubled;
 * an unquoted field holds none of them.  quoted: must be quoted.
 */
static void
check_csv(const char *p, size_t len, int quoted)
{
	size_t i;

	if (len == 0 || p[0] != '"') {
		FUZZ_CHECK(!quoted);
		for (i = 0; i < len; i++)
			FUZZ_CHECK(p[i] != ',' && p[i] != '"' &&
			    p[i] != '\r' && p[i] != '\n');
		return;
	}
	FUZZ_CHECK(len >= 2 && p[len - 1] == '"');
	for (i = 1; i < len - 1; i++)
		if (p[i] == '"') {
			FUZZ_CHECK(i + 1 < len - 1 && p[i + 1] == '"');
			i++;
		}
}

static void
check_html(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		FUZZ_CHECK(p[i] != '<' && p[i] != '>' && p[i] != '"' &&
		    p[i] != '\'');
}

/* A JSON string literal that jansson reads back as a string. */
static void
check_json(const char *p, size_t len, int script)
{
	json_t *j;
	size_t i;

	/* A NUL in the input is a valid \u0000 escape. */
	j = json_loadb(p, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	FUZZ_CHECK(j != NULL && json_is_string(j));
	json_decref(j);
	if (script)
		for (i = 0; i < len; i++)
			FUZZ_CHECK(p[i] != '<' && p[i] != '>' && p[i] != '&');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb_bytes vals[MAXVALS];
	const struct sb_bytes *vp[MAXVALS];
	struct map_report_vals rv;
	struct sb_bytes whole;
	json_t *j;
	const uint8_t *p, *end, *q;
	char *buf = NULL, *s;
	size_t len = 0;

	whole.p = (unsigned char *)(uintptr_t)data;
	whole.len = size;
	s = fuzz_cstr(data, size);

	CAPTURE(buf, len, agent_reportenc_html(f, data, size));
	check_html(buf, len);
	free(buf);
	CAPTURE(buf, len, agent_reportenc_html_cstr(f, s));
	check_html(buf, len);
	free(buf);

	CAPTURE(buf, len, agent_reportenc_csv_cell(f, (const char *)data,
	    size));
	check_csv(buf, len, 0);
	free(buf);

	/* The values of one cell: the input cut at its first byte. */
	rv.v = vp;
	rv.n = 0;
	if (size > 0) {
		p = data + 1;
		end = data + size;
		while (rv.n < MAXVALS && p <= end) {
			q = memchr(p, data[0], (size_t)(end - p));
			if (q == NULL)
				q = end;
			vals[rv.n].p = (unsigned char *)(uintptr_t)p;
			vals[rv.n].len = (size_t)(q - p);
			vp[rv.n] = &vals[rv.n];
			rv.n++;
			p = q + 1;
		}
	}
	CAPTURE(buf, len, agent_reportenc_csv_values(f, &rv));
	check_csv(buf, len, 1);
	free(buf);

	CAPTURE(buf, len, agent_reportenc_json_str(f, data, size, 0));
	check_json(buf, len, 0);
	free(buf);
	CAPTURE(buf, len, agent_reportenc_json_str(f, data, size, 1));
	check_json(buf, len, 1);
	free(buf);
	CAPTURE(buf, len, agent_reportenc_json_value(f, &whole, 1));
	j = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	FUZZ_CHECK(j != NULL);
	json_decref(j);
	free(buf);

	CAPTURE(buf, len, (void)agent_reportenc_text_value(f, &whole, 40));
	free(buf);
	CAPTURE(buf, len, agent_reportenc_text_str(f, s));
	free(buf);
	(void)agent_reportenc_text_width(&whole);
	(void)agent_reportenc_is_text(data, size);
	free(s);
	return 0;
}
