/* Status, error record, byte strings and capped buffers shared by all modules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"

enum sb_status
sb_fail(struct sb_error *err, enum sb_status st, int code, const char *where,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return st;
	err->status = st;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return st;
}

const char *
sb_status_name(enum sb_status st)
{
	switch (st) {
	case SB_OK:		return "ok";
	case SB_RETRY:		return "retry";
	case SB_RESYNC:		return "resync";
	case SB_SKIP:		return "skip";
	case SB_STOP:		return "stop";
	case SB_CONFIG:		return "config";
	case SB_REFUSED:	return "refused";
	case SB_BUG:		return "bug";
	}
	return "unknown";
}

enum sb_status
sb_bytes_copy(struct sb_bytes *out, const void *p, size_t len,
    struct sb_error *err)
{
	unsigned char *copy;

	/* One spare NUL so text values can be printed; len stays exact. */
	copy = malloc(len + 1);
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "bytes.copy", "out of memory");
	if (len > 0)
		memcpy(copy, p, len);
	copy[len] = '\0';
	out->p = copy;
	out->len = len;
	return SB_OK;
}

enum sb_status
sb_bytes_from_str(struct sb_bytes *out, const char *s, struct sb_error *err)
{
	return sb_bytes_copy(out, s, strlen(s), err);
}

void
sb_bytes_free(struct sb_bytes *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

int
sb_bytes_cmp(const struct sb_bytes *a, const struct sb_bytes *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->p, b->p, n) : 0;

	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

int
sb_bytes_cmp_ptr(const void *x, const void *y)
{
	const struct sb_bytes *a = *(const struct sb_bytes *const *)x;
	const struct sb_bytes *b = *(const struct sb_bytes *const *)y;
	int c = sb_bytes_cmp(a, b);

	if (c != 0)
		return c;
	return (a > b) - (a < b);
}

int
sb_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

int
sb_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
sb_bytes_eq_str(const struct sb_bytes *a, const char *s)
{
	size_t n = strlen(s);

	return a->len == n && (n == 0 || memcmp(a->p, s, n) == 0);
}

void
sb_buf_init(struct sb_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static enum sb_status
buf_reserve(struct sb_buf *b, size_t extra, struct sb_error *err)
{
	size_t need, ncap;
	char *np;

	if (extra > b->max || b->len > b->max - extra)
		return sb_fail(err, SB_SKIP, EMSGSIZE, "buf",
		    "data exceeds the %zu-byte limit", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return SB_OK;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	np = malloc(ncap);
	if (np == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "buf", "out of memory");
	if (b->p != NULL) {
		memcpy(np, b->p, b->len + 1);
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	b->p = np;
	b->cap = ncap;
	return SB_OK;
}

enum sb_status
sb_buf_append(struct sb_buf *b, const void *p, size_t len,
    struct sb_error *err)
{
	enum sb_status st;

	st = buf_reserve(b, len, err);
	if (st != SB_OK)
		return st;
	if (len > 0)
		memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return SB_OK;
}

enum sb_status
sb_buf_printf(struct sb_buf *b, struct sb_error *err, const char *fmt, ...)
{
	va_list ap;
	enum sb_status st;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return sb_fail(err, SB_BUG, EINVAL, "buf", "bad format");
	st = buf_reserve(b, (size_t)n, err);
	if (st != SB_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return SB_OK;
}

void
sb_buf_free(struct sb_buf *b)
{
	if (b == NULL)
		return;
	if (b->p != NULL) {
		explicit_bzero(b->p, b->cap);
		free(b->p);
	}
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *
sb_utc_text(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "%lld", t);
	return buf;
}
