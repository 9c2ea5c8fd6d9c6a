/* Encodings of the report writers: UTF-8, JSON, HTML, CSV, terminal text. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/report/report.h"

static const char b64tbl[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * Decodes the code point at p[*i]: 1 and *cp when it is well-formed UTF-8
 * (shortest form, no surrogate, at most U+10FFFF), with *i past it; 0 and
 * *i one byte on when not.
 */
static int
utf8_next(const unsigned char *p, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char c = p[*i];
	uint32_t v, min;
	size_t n, k;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2; v = c & 0x1f; min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3; v = c & 0x0f; min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4; v = c & 0x07; min = 0x10000;
	} else {
		(*i)++;
		return 0;
	}
	if (*i + n > len) {
		(*i)++;
		return 0;
	}
	for (k = 1; k < n; k++) {
		if ((p[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return 0;
		}
		v = (v << 6) | (p[*i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		(*i)++;
		return 0;
	}
	*cp = v;
	*i += n;
	return 1;
}

int
agent_reportenc_is_text(const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i = 0;
	uint32_t cp;

	while (i < len)
		if (!utf8_next(s, len, &i, &cp) || cp == 0)
			return 0;
	return 1;
}

void
agent_reportenc_json_str(FILE *f, const void *p, size_t len, int script)
{
	const unsigned char *s = p;
	size_t i = 0, start;
	uint32_t cp;

	fputc('"', f);
	while (i < len) {
		start = i;
		if (!utf8_next(s, len, &i, &cp)) {
			fputs("\\ufffd", f);
			continue;
		}
		switch (cp) {
		case '"':	fputs("\\\"", f); continue;
		case '\\':	fputs("\\\\", f); continue;
		case '\n':	fputs("\\n", f); continue;
		case '\r':	fputs("\\r", f); continue;
		case '\t':	fputs("\\t", f); continue;
		default:	break;
		}
		if (cp < 0x20 || cp == 0x7f ||
		    (script && (cp == '<' || cp == '>' || cp == '&' ||
		    cp == 0x2028 || cp == 0x2029)))
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + start, 1, i - start, f);
	}
	fputc('"', f);
}

void
agent_reportenc_json_cstr(FILE *f, const char *s, int script)
{
	if (s == NULL)
		fputs("null", f);
	else
		agent_reportenc_json_str(f, s, strlen(s), script);
}

void
agent_reportenc_base64(FILE *f, const void *p, size_t len)
{
	const unsigned char *s = p;
	unsigned int x;
	size_t i;

	for (i = 0; i < len; i += 3) {
		x = (unsigned)s[i] << 16;
		if (i + 1 < len)
			x |= (unsigned)s[i + 1] << 8;
		if (i + 2 < len)
			x |= s[i + 2];
		fputc(b64tbl[(x >> 18) & 63], f);
		fputc(b64tbl[(x >> 12) & 63], f);
		fputc(i + 1 < len ? b64tbl[(x >> 6) & 63] : '=', f);
		fputc(i + 2 < len ? b64tbl[x & 63] : '=', f);
	}
}

void
agent_reportenc_json_value(FILE *f, const struct sb_bytes *v, int script)
{
	if (agent_reportenc_is_text(v->p, v->len)) {
		agent_reportenc_json_str(f, v->p, v->len, script);
		return;
	}
	fputs("{\"base64\":\"", f);
	agent_reportenc_base64(f, v->p, v->len);
	fputs("\"}", f);
}

void
agent_reportenc_html(FILE *f, const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i = 0, start;
	uint32_t cp;

	while (i < len) {
		start = i;
		if (!utf8_next(s, len, &i, &cp) || cp == 0) {
			fputs("\xef\xbf\xbd", f);	/* U+FFFD */
			continue;
		}
		switch (cp) {
		case '&':	fputs("&amp;", f); continue;
		case '<':	fputs("&lt;", f); continue;
		case '>':	fputs("&gt;", f); continue;
		case '"':	fputs("&quot;", f); continue;
		case '\'':	fputs("&#39;", f); continue;
		case '\t':
		case '\n':
		case '\r':	fputc((int)cp, f); continue;
		default:	break;
		}
		/* Control characters as their pictures (U+2400..): inert. */
		if (cp < 0x20)
			fprintf(f, "&#x%x;", (unsigned)(0x2400 + cp));
		else if (cp == 0x7f)
			fputs("&#x2421;", f);
		else
			fwrite(s + start, 1, i - start, f);
	}
}

void
agent_reportenc_html_cstr(FILE *f, const char *s)
{
	if (s != NULL)
		agent_reportenc_html(f, s, strlen(s));
}

/* Width in columns of code point cp in a quoted text value, and its escape. */
static size_t
text_width(uint32_t cp, char *esc, size_t escsz)
{
	if (cp == '"' || cp == '\\')
		return (size_t)snprintf(esc, escsz, "\\%c", (int)cp);
	if (cp < 0x20 || cp == 0x7f)
		return (size_t)snprintf(esc, escsz, "\\x%02x", (unsigned)cp);
	esc[0] = '\0';
	return 1;
}

size_t
agent_reportenc_text_width(const struct sb_bytes *v)
{
	char esc[8];
	size_t i = 0, total = 2;
	uint32_t cp;

	if (!agent_reportenc_is_text(v->p, v->len))
		return (size_t)snprintf(NULL, 0, "<%zu bytes of binary>",
		    v->len);
	while (i < v->len) {
		utf8_next(v->p, v->len, &i, &cp);
		total += text_width(cp, esc, sizeof(esc));
	}
	return total;
}

size_t
agent_reportenc_text_value(FILE *f, const struct sb_bytes *v, size_t cols)
{
	char esc[8], tail[48];
	size_t i = 0, start, total = 2, used = 1, w, budget;
	uint32_t cp;

	if (!agent_reportenc_is_text(v->p, v->len))
		return (size_t)fprintf(f, "<%zu bytes of binary>", v->len);
	while (i < v->len) {
		utf8_next(v->p, v->len, &i, &cp);
		total += text_width(cp, esc, sizeof(esc));
	}
	snprintf(tail, sizeof(tail), "\"...(%zu bytes)", v->len);
	budget = cols > strlen(tail) + 8 ? cols - strlen(tail) : 8;
	fputc('"', f);
	for (i = 0; i < v->len;) {
		start = i;
		utf8_next(v->p, v->len, &i, &cp);
		w = text_width(cp, esc, sizeof(esc));
		if (total > cols && used + w > budget) {
			fputs(tail, f);
			return used + strlen(tail);
		}
		if (esc[0] != '\0')
			fputs(esc, f);
		else
			fwrite(v->p + start, 1, i - start, f);
		used += w;
	}
	fputc('"', f);
	return used + 1;
}

void
agent_reportenc_text_str(FILE *f, const char *s)
{
	size_t i = 0, start, len = s ? strlen(s) : 0;
	uint32_t cp;

	while (i < len) {
		start = i;
		if (!utf8_next((const unsigned char *)s, len, &i, &cp))
			fputc('?', f);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(f, "\\x%02x", (unsigned)cp);
		else
			fwrite(s + start, 1, i - start, f);
	}
}

void
agent_reportenc_csv_cell(FILE *f, const char *p, size_t len)
{
	int quote = 0, guard;
	size_t i;

	guard = len > 0 && p[0] != '\0' &&
	    strchr("=+-@\t\r'", p[0]) != NULL;
	for (i = 0; i < len && !quote; i++)
		quote = p[i] == '"' || p[i] == ',' || p[i] == '\r' ||
		    p[i] == '\n';
	if (quote)
		fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (i = 0; i < len; i++) {
		if (p[i] == '"')
			fputc('"', f);
		fputc(p[i], f);
	}
	if (quote)
		fputc('"', f);
}

/* One byte of a quoted CSV cell. */
static void
csv_put(FILE *f, int c)
{
	if (c == '"')
		fputc('"', f);
	fputc(c, f);
}

void
agent_reportenc_csv_values(FILE *f, const struct map_report_vals *v)
{
	const struct sb_bytes *x;
	size_t i, k;

	fputc('"', f);
	if (v->n > 0 && agent_reportenc_is_text(v->v[0]->p, v->v[0]->len) &&
	    v->v[0]->len > 0 && strchr("=+-@\t\r'", v->v[0]->p[0]) != NULL)
		fputc('\'', f);
	for (i = 0; i < v->n; i++) {
		x = v->v[i];
		if (i > 0)
			fputc(REPORT_CSV_SEP, f);
		if (!agent_reportenc_is_text(x->p, x->len)) {
			fputs("\\b64:", f);
			agent_reportenc_base64(f, x->p, x->len);
			continue;
		}
		for (k = 0; k < x->len; k++) {
			if (x->p[k] == '\\' || x->p[k] == REPORT_CSV_SEP)
				fputc('\\', f);
			csv_put(f, x->p[k]);
		}
	}
	fputc('"', f);
}
