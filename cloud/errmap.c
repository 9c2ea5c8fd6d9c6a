/* Failed Graph and Exchange replies -> sb_status and a quoted message. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "errmap.h"
#include "http.h"

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

/* Longest Exchange cmdlet name kept for a message ("Get-Mailbox"). */
#define CMDLET_MAX	64

/* obj[key], else the key that matches regardless of case; borrowed. */
static json_t *
get_ci(json_t *obj, const char *key)
{
	const char *k;
	json_t *v;

	v = json_object_get(obj, key);
	if (v != NULL || !json_is_object(obj))
		return v;
	json_object_foreach(obj, k, v)
		if (strcasecmp(k, key) == 0)
			return v;
	return NULL;
}

/* Borrowed strings of an error body; any may be NULL. */
struct err_fields {
	const char	*code;
	const char	*msg;		/* error.message (or error_description) */
	const char	*inner;		/* error.innererror.message */
	const char	*detail;	/* first error.details[].message */
	const char	*rid;		/* innerError.request-id */
};

/*
 * {"error":{"code","message","details":[{"message"}],"innererror":
 * {"message","request-id"}}} (Graph spells innerError, Exchange
 * innererror), or OAuth's {"error":"x","error_description":"..."}.
 */
static void
error_fields(json_t *root, struct err_fields *f)
{
	json_t *e, *inner, *details, *d;
	size_t i;

	memset(f, 0, sizeof(*f));
	e = json_object_get(root, "error");
	if (json_is_string(e)) {
		f->code = json_string_value(e);
		f->msg = json_string_value(json_object_get(root,
		    "error_description"));
		return;
	}
	if (!json_is_object(e))
		return;
	f->code = json_string_value(json_object_get(e, "code"));
	f->msg = json_string_value(json_object_get(e, "message"));
	inner = get_ci(e, "innerError");
	f->inner = json_string_value(json_object_get(inner, "message"));
	f->rid = json_string_value(json_object_get(inner, "request-id"));
	details = json_object_get(e, "details");
	for (i = 0; json_is_array(details) && i < json_array_size(details);
	    i++) {
		d = json_object_get(json_array_get(details, i), "message");
		if (json_is_string(d) && json_string_length(d) > 0) {
			f->detail = json_string_value(d);
			break;
		}
	}
}

/*
 * Exchange writes a cmdlet's failure as "Ex6F9304|Microsoft.Exchange...
 * ManagementObjectNotFoundException|The operation couldn't be performed
 * ..." (older replies "|type|text"): the text after the last '|' is what
 * people need, the exception type (its last dotted part) goes after it.
 * (A '|' inside the text would cut it short; none has been seen.)
 */
static const char *
split_bars(const char *msg, char *type, size_t typesz)
{
	const char *last, *seg, *p;
	size_t n;

	if (type != NULL && typesz > 0)
		type[0] = '\0';
	if (msg == NULL || (last = strrchr(msg, '|')) == NULL)
		return msg;
	/* the segment before the last '|', then its last dotted part */
	for (seg = last; seg > msg && seg[-1] != '|'; seg--)
		;
	for (p = seg; p < last; p++)
		if (*p == '.')
			seg = p + 1;
	n = (size_t)(last - seg);
	if (type != NULL && typesz > 0) {
		if (n >= typesz)
			n = typesz - 1;
		memcpy(type, seg, n);
		type[n] = '\0';
	}
	return last + 1;
}

/* First byte that is not white space, or NULL. */
static const char *
first_char(const char *body, size_t len)
{
	size_t i;

	for (i = 0; body != NULL && i < len; i++)
		if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' &&
		    body[i] != '\n')
			return body + i;
	return NULL;
}

void
cloud_errmap_reason(const char *body, size_t len, char *out, size_t outsz,
    char *type, size_t typesz)
{
	struct err_fields f;
	json_t *root = NULL;
	const char *text = NULL, *fc;
	char *plain = NULL;

	if (outsz > 0)
		out[0] = '\0';
	if (type != NULL && typesz > 0)
		type[0] = '\0';
	if (body == NULL || len == 0 || outsz == 0)
		return;
	root = json_loadb(body, len, 0, NULL);
	if (json_is_object(root)) {
		error_fields(root, &f);
		if (f.detail != NULL)
			text = split_bars(f.detail, type, typesz);
		if ((text == NULL || text[0] == '\0') && f.inner != NULL)
			text = split_bars(f.inner, type, typesz);
		if ((text == NULL || text[0] == '\0') && f.msg != NULL)
			text = split_bars(f.msg, type, typesz);
		cloud_errmap_quote(out, outsz, text, outsz > 4 ? outsz - 4 : 0);
	} else if (root == NULL && (fc = first_char(body, len)) != NULL &&
	    *fc != '<') {
		/* Plain text (Exchange under load); HTML is a proxy's page. */
		plain = strndup(body, len);
		cloud_errmap_quote(out, outsz, plain, outsz > 4 ? outsz - 4 :
		    0);
	}
	free(plain);
	json_decref(root);
}

enum cloud_401
cloud_errmap_401(const char *body, size_t len, int invalid_token,
    char *cmdlet, size_t cmdletsz)
{
	static const char said[] = "is not allowed to call ";
	struct err_fields f;
	json_t *root = NULL;
	const char *texts[3], *hit = NULL, *p;
	enum cloud_401 kind = CLOUD_401_OTHER;
	size_t i, n;

	if (cmdlet != NULL && cmdletsz > 0)
		cmdlet[0] = '\0';
	root = body != NULL && len > 0 ? json_loadb(body, len, 0, NULL) : NULL;
	if (json_is_object(root)) {
		error_fields(root, &f);
		texts[0] = f.msg;
		texts[1] = f.inner;
		texts[2] = f.detail;
		for (i = 0; hit == NULL && i < 3; i++)
			if (texts[i] != NULL)
				hit = strstr(texts[i], said);
		if (hit != NULL) {
			kind = CLOUD_401_RIGHTS;
			p = hit + sizeof(said) - 1;
			for (n = 0; p[n] != '\0' && n < CMDLET_MAX &&
			    (isalnum((unsigned char)p[n]) || p[n] == '-'); n++)
				;
			if (cmdlet != NULL && cmdletsz > 0) {
				if (n >= cmdletsz)
					n = cmdletsz - 1;
				memcpy(cmdlet, p, n);
				cmdlet[n] = '\0';
			}
		} else if (f.code != NULL &&
		    strcmp(f.code, "InvalidAuthenticationToken") == 0) {
			kind = CLOUD_401_TOKEN;
		}
	}
	if (kind == CLOUD_401_OTHER && invalid_token)
		kind = CLOUD_401_TOKEN;
	json_decref(root);
	return kind;
}

static const char *
hint(const struct cloud_errctx *x, const struct cloud_errreply *r,
    long http_status, const char *code, enum cloud_401 why,
    const char *cmdlet, char *buf, size_t bufsz)
{
	buf[0] = '\0';
	if (http_status == 401 && why == CLOUD_401_RIGHTS) {
		/* short: it must fit beside the reason (README has more) */
		snprintf(buf, bufsz, "; the app has no Exchange role for %s: "
		    "assign one that reads recipients (a role group, or RBAC "
		    "for Applications: -Role \"View-Only Recipients\") and "
		    "grant Exchange.ManageAsApp", cmdlet[0] ? cmdlet :
		    "this cmdlet");
		return buf;
	}
	if (http_status == 401)
		return r->refreshed ? "; authentication refused after a token "
		    "refresh: check the tenant, the app registration and its "
		    "credential" : "; authentication refused: check the "
		    "tenant, the app registration and its credential";
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
	return cloud_errmap_reply(x, NULL, http_status, body, len, request_id,
	    err);
}

/*
 * " (request-id R, client-request-id C)", either alone, or "": what
 * Microsoft's support asks for, the service's id and ours.
 */
static void
request_ids(const char *qrid, const char *crid, char *out, size_t outsz)
{
	char qcrid[80];

	cloud_errmap_quote(qcrid, sizeof(qcrid), crid, 64);
	snprintf(out, outsz, "%s%s%s%s%s%s", qrid[0] || qcrid[0] ? " (" : "",
	    qrid[0] ? "request-id " : "", qrid, qrid[0] && qcrid[0] ? ", " : "",
	    qcrid[0] ? "client-request-id " : "", qcrid);
	if (qrid[0] || qcrid[0])
		snprintf(out + strlen(out), outsz - strlen(out), ")");
}

enum sb_status
cloud_errmap_reply(const struct cloud_errctx *x,
    const struct cloud_errreply *r, long http_status, const char *body,
    size_t len, const char *request_id, struct sb_error *err)
{
	static const struct cloud_errreply none = { 0, 0, NULL, NULL };
	struct err_fields f = { 0 };
	json_t *root = NULL;
	const char *fc;
	char head[320], tail[640], reason[CLOUD_ERRMAP_MSG_MAX + 8];
	char qmsg[CLOUD_ERRMAP_MSG_MAX + 8], qcode[80], qrid[80], qtype[96];
	char ids[200];
	char exotype[128], hintbuf[320], cmdlet[CMDLET_MAX + 1];
	enum cloud_401 why = CLOUD_401_OTHER;
	size_t room;
	enum sb_status st;
	int plain = 0;

	if (r == NULL)
		r = &none;
	st = cloud_errmap_status(http_status);
	if (st == SB_OK)
		st = SB_BUG;	/* a caller bug: 2xx is no error */
	if (body != NULL && len > 0) {
		root = json_loadb(body, len, 0, NULL);
		if (json_is_object(root))
			error_fields(root, &f);
		else if (root == NULL && (fc = first_char(body, len)) != NULL &&
		    *fc != '<')
			plain = 1;
	}
	if (cloud_http_throttled_text(http_status, r->content_type, body, len))
		st = SB_RETRY;	/* a 429 in all but its status */
	if (http_status == 401)
		why = cloud_errmap_401(body, len, r->invalid_token, cmdlet,
		    sizeof(cmdlet));
	if (request_id != NULL && request_id[0] != '\0')
		f.rid = request_id;
	cloud_errmap_reason(body, len, reason, sizeof(reason), exotype,
	    sizeof(exotype));
	cloud_errmap_quote(qtype, sizeof(qtype), exotype, 80);
	cloud_errmap_quote(qcode, sizeof(qcode), f.code, 64);
	cloud_errmap_quote(qrid, sizeof(qrid), f.rid, 64);

	snprintf(head, sizeof(head), "%.16s %.96s%s%.64s: HTTP %ld%s%s",
	    x->method ? x->method : "", x->endpoint ? x->endpoint : "",
	    x->object_id ? " object " : "", x->object_id ? x->object_id : "",
	    http_status, qcode[0] ? " " : "", qcode);
	request_ids(qrid, r->client_request_id, ids, sizeof(ids));
	snprintf(tail, sizeof(tail), "%s%s%s%s%s",
	    plain                       ? " (plain-text reply)" :
		root == NULL && len > 0 ? " (no JSON error body)" :
					  "",
	    qtype[0] ? " [" : "", qtype, qtype[0] ? "]" : "", ids);
	snprintf(tail + strlen(tail), sizeof(tail) - strlen(tail), "%s",
	    hint(x, r, http_status, f.code, why, cmdlet, hintbuf,
	    sizeof(hintbuf)));

	/*
	 * The reason gets what the code, request-id and hint leave (at
	 * least 40 bytes while the text has them: a hint is cut before the
	 * service's own words disappear).
	 */
	room = sizeof(err->text) - 1;
	room = room > strlen(head) + strlen(tail) + 2 ?
	    room - strlen(head) - strlen(tail) - 2 : 0;
	if (room > CLOUD_ERRMAP_MSG_MAX)
		room = CLOUD_ERRMAP_MSG_MAX;
	if (room < 40)
		room = 40;
	cloud_errmap_quote(qmsg, sizeof(qmsg), reason, room);
	json_decref(root);
	if (why == CLOUD_401_RIGHTS)
		st = SB_STOP;	/* a person assigns the role */
	return sb_fail(err, st, (int)http_status, x->where, "%s%s%s%s", head,
	    qmsg[0] ? ": " : "", qmsg, tail);
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
