/* Lists of attribute values: membership, copies, JSON text for the journal, text for messages. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store/values.h"
#include "mapping/codec.h"

void
agent_values_free(struct sb_bytes *v, size_t n)
{
	size_t i;

	for (i = 0; v != NULL && i < n; i++)
		sb_bytes_free(&v[i]);
	free(v);
}

int
agent_values_contain(const struct sb_bytes *v, size_t n,
    const struct sb_bytes *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sb_bytes_cmp(&v[i], x) == 0)
			return 1;
	return 0;
}

enum sb_status
agent_values_append(struct sb_bytes **v, size_t *n, const struct sb_bytes *x,
    struct sb_error *err)
{
	struct sb_bytes *nv;

	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (nv == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "values", "out of memory");
	*v = nv;
	if (sb_bytes_copy(&nv[*n], x->p, x->len, err) != SB_OK)
		return SB_BUG;
	(*n)++;
	return SB_OK;
}

void
agent_values_remove(struct sb_bytes *v, size_t *n, const struct sb_bytes *x)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (sb_bytes_cmp(&v[i], x) == 0) {
			sb_bytes_free(&v[i]);
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			(*n)--;
			return;
		}
}

enum sb_status
agent_values_copy(const struct sb_bytes *src, size_t n, struct sb_bytes **out,
    size_t *nout, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t i;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n && st == SB_OK; i++)
		st = agent_values_append(out, nout, &src[i], err);
	return st;
}

void
agent_values_clear(struct sb_bytes **v, size_t *n)
{
	agent_values_free(*v, *n);
	*v = NULL;
	*n = 0;
}

/* ---- values as JSON (pure) ---- */

enum sb_status
agent_values_encode(const struct sb_bytes *v, size_t n, char **out,
    struct sb_error *err)
{
	json_t *a = NULL, *j = NULL;
	char *b64 = NULL, *text = NULL;
	enum sb_status st = SB_OK;
	size_t i;

	a = json_array();
	for (i = 0; a != NULL && i < n; i++) {
		j = memchr(v[i].p, '\0', v[i].len) == NULL ?
		    json_stringn((const char *)v[i].p, v[i].len) : NULL;
		if (j == NULL) {	/* not UTF-8 text: base64 */
			st = map_base64_encode(v[i].p, v[i].len, &b64, err);
			if (st != SB_OK)
				goto done;
			j = json_pack("{s:s}", "base64", b64);
			free(b64);
			b64 = NULL;
		}
		if (j == NULL || json_array_append_new(a, j) != 0)
			break;	/* out of memory: text stays NULL */
	}
	text = a != NULL && i == n ? json_dumps(a, JSON_COMPACT) : NULL;
	if (text == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "journal.encode",
		    "out of memory");
		goto done;
	}
	if (strlen(text) > AGENT_VALUES_MAX) {
		st = sb_fail(err, SB_SKIP, 0, "journal.encode", "%zu values "
		    "take more than %zu bytes: not journaled", n,
		    AGENT_VALUES_MAX);
		goto done;
	}
	*out = text;
	text = NULL;
done:
	free(text);
	json_decref(a);
	return st;
}

enum sb_status
agent_values_decode(const char *text, struct sb_bytes **out, size_t *nout,
    struct sb_error *err)
{
	json_error_t jerr;
	json_t *a = NULL, *j, *b;
	struct sb_bytes *v = NULL, x = { NULL, 0 };
	size_t n = 0, i;
	enum sb_status st = SB_OK;

	a = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (a == NULL || !json_is_array(a)) {
		st = sb_fail(err, SB_BUG, 0, "journal.decode", "journal values "
		    "are not a JSON array: %s", a ? "other type" : jerr.text);
		goto done;
	}
	v = calloc(json_array_size(a) + 1, sizeof(*v));
	if (v == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "journal.decode",
		    "out of memory");
		goto done;
	}
	json_array_foreach(a, i, j) {
		b = json_is_object(j) ? json_object_get(j, "base64") : NULL;
		if (json_is_string(j))
			st = sb_bytes_copy(&x, json_string_value(j),
			    json_string_length(j), err);
		else if (json_is_string(b))
			st = map_base64_decode(json_string_value(b),
			    json_string_length(b), &x, err);
		else
			st = sb_fail(err, SB_BUG, 0, "journal.decode",
			    "journal value %zu is neither text nor base64", i);
		if (st != SB_OK)
			goto done;
		v[n++] = x;
	}
	*out = v;
	*nout = n;
	v = NULL;
	n = 0;
done:
	agent_values_free(v, n);
	json_decref(a);
	return st;
}

/* Appends to buf (size, *len used) unless it is full: 0 once it is. */
static int
put(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= size - *len) {
		snprintf(buf + size - 4, 4, "...");
		*len = size - 1;
		return 0;
	}
	*len += (size_t)w;
	return 1;
}

const char *
agent_values_text(const struct sb_bytes *v, size_t n, char *buf,
    size_t size)
{
	size_t i, j, len = 0;
	unsigned char c;
	int room = 1;

	if (size < 8)
		return "";
	buf[0] = '\0';
	if (n == 0)
		put(buf, size, &len, "(none)");
	for (i = 0; i < n && room; i++) {
		if (i > 0)
			room = put(buf, size, &len, ", ");
		if (room && memchr(v[i].p, '\0', v[i].len) != NULL) {
			room = put(buf, size, &len, "<%zu bytes>", v[i].len);
			continue;
		}
		if (room)
			room = put(buf, size, &len, "\"");
		for (j = 0; room && j < v[i].len; j++) {
			c = v[i].p[j];
			if (c == '"' || c == '\\')
				room = put(buf, size, &len, "\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				room = put(buf, size, &len, "\\x%02x", c);
			else
				room = put(buf, size, &len, "%c", c);
		}
		if (room)
			room = put(buf, size, &len, "\"");
	}
	return buf;
}

