/*
 * Shared vocabulary of every module: status codes that say what the caller
 * does next, an error record that carries the detail, and length-counted
 * byte strings and capped buffers.  Pure: libc only.
 */
#ifndef SB_CORE_H
#define SB_CORE_H

#include <stdarg.h>
#include <stddef.h>

enum sb_status {
	SB_OK = 0,
	SB_RETRY,	/* transient: back off, try again */
	SB_RESYNC,	/* our view is stale: drop the cursor, re-read, re-plan */
	SB_SKIP,	/* this object only: record a finding, carry on */
	SB_STOP,	/* credentials or rights: end the run, a person must act */
	SB_CONFIG,	/* configuration is wrong: exit 2 */
	SB_REFUSED,	/* a safety limit said no, nothing written: exit 3 */
	SB_BUG,		/* broken invariant or out of memory: abort */
};

struct sb_error {
	enum sb_status	status;
	int		code;		/* LDAP rc, HTTP status or errno */
	char		where[32];	/* "ad.modify", "graph.users" */
	char		text[512];	/* AD diagnostic, Graph error; no secrets */
};

/* Fills err (which may be NULL) and returns st. */
enum sb_status	sb_fail(struct sb_error *err, enum sb_status st, int code,
		    const char *where, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
const char	*sb_status_name(enum sb_status st);

/* A value: bytes with a length.  objectGUID and objectSid hold zero bytes. */
struct sb_bytes {
	unsigned char	*p;
	size_t		 len;
};

enum sb_status	sb_bytes_copy(struct sb_bytes *out, const void *p, size_t len,
		    struct sb_error *err);
enum sb_status	sb_bytes_from_str(struct sb_bytes *out, const char *s,
		    struct sb_error *err);
void		sb_bytes_free(struct sb_bytes *b);
int		sb_bytes_cmp(const struct sb_bytes *a, const struct sb_bytes *b);
int		sb_bytes_eq_str(const struct sb_bytes *a, const char *s);
/* qsort comparator over an array of pointers to sb_bytes: by value, then by
 * address, so that equal values keep the order of an array of values. */
int		sb_bytes_cmp_ptr(const void *x, const void *y);

/* ASCII only, whatever the locale: LDAP names and Graph keys are ASCII. */
int		sb_ascii_lower(int c);
/* The value of one hex digit, or -1. */
int		sb_hex_value(int c);
/*
 * Unix seconds t as ISO 8601 UTC ("2026-12-05T10:11:12Z") into buf (21
 * bytes are enough); the number itself when it is no such time.  Returns
 * buf.  Pure: formats a given time, reads no clock.
 */
const char	*sb_utc_text(long long t, char *buf, size_t size);

/*
 * A growing buffer with a cap fixed at init: hitting the cap is an error
 * (SB_SKIP), never a silent truncation.  The content is always NUL-terminated.
 */
struct sb_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void		sb_buf_init(struct sb_buf *b, size_t max);
enum sb_status	sb_buf_append(struct sb_buf *b, const void *p, size_t len,
		    struct sb_error *err);
enum sb_status	sb_buf_printf(struct sb_buf *b, struct sb_error *err,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Wipes the content (explicit_bzero) before freeing: buffers may hold secrets. */
void		sb_buf_free(struct sb_buf *b);

#endif
