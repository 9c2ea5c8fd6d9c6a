/* Failed Graph and Exchange replies -> sb_status and a quoted message. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "errmap.h"

enum sb_status
cloud_errmap_status(long http_status)
{
	if (http_status >= 200 && http_status < 300)
		return SB_OK;
	switch (http_status) {
	case 401:		/* only seen here after one token refresh */
	case 403:
		return SB_STOP;
	case 404:
		return SB_SKIP;
	case 410:		/* delta or skip token expired */
		return SB_RESYNC;
	case 408:
	case 429:
		return SB_RETRY;
	default:
		break;
	}
	if (http_status >= 500 && http_status < 600)
		return SB_RETRY;
	/* 400 and any other surprise: our request was wrong. */
	return SB_BUG;
}

/* Where the UTF-8 sequence holding out[n - 1] starts. */
static size_t
utf8_start(const char *out, size_t n)
{
	while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0 && (unsigned char)out[n - 1] >= 0xc0)
		n--;
	return n;
}

void
cloud_errmap_quote(char *out, size_t outsz, const char *s, size_t max)
{
	size_t i, n = 0, cut;
	int space = 0;

	if (outsz < 4) {	/* no room for "..." */
		if (outsz > 0)
			out[0] = '\0';
		return;
	}
	if (max > outsz - 4)
		max = outsz - 4;
	for (i = 0; s != NULL && s[i] != '\0'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f) {
			/* "\r\nTrace ID: ..." and friends become one space. */
			if (!space && n > 0 && n < max)
				out[n++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		if (n >= max) {
			cut = n;
			/* Never split a UTF-8 sequence: drop its lead. */
			if ((ch & 0xc0) == 0x80)
				cut = utf8_start(out, cut);
			memcpy(out + cut, "...", 4);
			return;
		}
		out[n++] = (char)ch;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Borrowed: {"error":{"code","message","innerError":{"request-id"}}}. */
static void
error_fields(json_t *root, const char **code, const char **msg,
    const char **rid)
{
	json_t *e, *inner;

	*code = *msg = *rid = NULL;
	e = json_object_get(root, "error");
	if (json_is_string(e)) {
		/* OAuth's shape: {"error":"x","error_description":"..."} */
		*code = json_string_value(e);
		*msg = json_string_value(json_object_get(root,
		    "error_description"));
		return;
	}
	if (!json_is_object(e))
		return;
	*code = json_string_value(json_object_get(e, "code"));
	*msg = json_string_value(json_object_get(e, "message"));
	inner = json_object_get(e, "innerError");
	if (inner == NULL)
		inner = json_object_get(e, "innererror");
	*rid = json_string_value(json_object_get(inner, "request-id"));
}

/*
 * Exchange Online cmdlet errors read "|Microsoft.Exchange...Exception|text":
 * the text is what people need, the exception type goes after it.
 */
static void
split_exo_message(const char *msg, char *type, size_t typesz,
    const char **text)
{
	const char *bar;
	size_t n;

	type[0] = '\0';
	*text = msg;
	if (msg == NULL || msg[0] != '|')
		return;
	bar = strchr(msg + 1, '|');
	if (bar == NULL)
		return;
	n = (size_t)(bar - (msg + 1));
	if (n >= typesz)
		n = typesz - 1;
	memcpy(type, msg + 1, n);
	type[n] = '\0';
	*text = bar + 1;
}

static const char *
hint(const struct cloud_errctx *x, long http_status, const char *code,
    char *buf, size_t bufsz)
{
	buf[0] = '\0';
	if (http_status == 401)
		return "; authentication refused after a token refresh: check "
		    "the tenant, the app registration and its credential";
	if (http_status == 403 && x->permission != NULL) {
		if (code != NULL && strcmp(code, "Authorization_RequestDenied")
		    == 0)
			snprintf(buf, bufsz, "; missing permission: grant the "
			    "application permission %s and admin consent",
			    x->permission);
		else
			snprintf(buf, bufsz, "; check that the application has "
			    "%s", x->permission);
		return buf;
	}
	if (http_status == 410)
		return "; the link expired: resynchronise";
	return buf;
}

enum sb_status
cloud_errmap(const struct cloud_errctx *x, long http_status, const char *body,
    size_t len, const char *request_id, struct sb_error *err)
{
	json_t *root = NULL;
	const char *code = NULL, *msg = NULL, *rid = NULL, *text, *dot;
	char head[320], tail[320], qmsg[CLOUD_ERRMAP_MSG_MAX + 8];
	char qcode[80], qrid[80], qtype[96], exotype[128], hintbuf[160];
	size_t room;
	enum sb_status st;

	st = cloud_errmap_status(http_status);
	if (st == SB_OK)
		st = SB_BUG;	/* a caller bug: 2xx is no error */
	if (body != NULL && len > 0) {
		root = json_loadb(body, len, 0, NULL);
		if (json_is_object(root))
			error_fields(root, &code, &msg, &rid);
	}
	if (request_id != NULL && request_id[0] != '\0')
		rid = request_id;
	split_exo_message(msg, exotype, sizeof(exotype), &text);
	/* "Microsoft.Exchange.Management.Tasks.X" -> "X" */
	dot = strrchr(exotype, '.');
	cloud_errmap_quote(qtype, sizeof(qtype), dot ? dot + 1 : exotype, 80);
	cloud_errmap_quote(qcode, sizeof(qcode), code, 64);
	cloud_errmap_quote(qrid, sizeof(qrid), rid, 64);

	snprintf(head, sizeof(head), "%.16s %.96s%s%.64s: HTTP %ld%s%s",
	    x->method ? x->method : "", x->endpoint ? x->endpoint : "",
	    x->object_id ? " object " : "", x->object_id ? x->object_id : "",
	    http_status, qcode[0] ? " " : "", qcode);
	snprintf(tail, sizeof(tail), "%s%s%s%s%s%s%s",
	    root == NULL && len > 0 ? " (no JSON error body)" : "",
	    qtype[0] ? " [" : "", qtype, qtype[0] ? "]" : "",
	    qrid[0] ? " (request-id " : "", qrid, qrid[0] ? ")" : "");
	snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "%s",
	    hint(x, http_status, code, hintbuf, sizeof(hintbuf)));

	/* The message gets what the code, request-id and hint leave. */
	room = sizeof(err->text) - 1;
	room = room > strlen(head) + strlen(tail) + 2 ?
	    room - strlen(head) - strlen(tail) - 2 : 0;
	if (room > CLOUD_ERRMAP_MSG_MAX)
		room = CLOUD_ERRMAP_MSG_MAX;
	if (room < 40)
		room = 40;
	cloud_errmap_quote(qmsg, sizeof(qmsg), text, room);
	sb_fail(err, st, (int)http_status, x->where, "%s%s%s%s", head,
	    qmsg[0] ? ": " : "", qmsg, tail);
	json_decref(root);
	return st;
}

enum sb_status
cloud_errmap_malformed(const struct cloud_errctx *x, struct sb_error *err,
    const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* The service, a proxy or a partial reply: the next cycle may do. */
	return sb_fail(err, SB_RETRY, 0, x->where,
	    "malformed response from %s %s%s%s: %s",
	    x->method ? x->method : "", x->endpoint ? x->endpoint : "",
	    x->object_id ? " object " : "", x->object_id ? x->object_id : "",
	    why);
}
