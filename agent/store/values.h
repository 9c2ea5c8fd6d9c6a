/*
 * Lists of attribute values (struct sb_bytes arrays) as the journal keeps
 * them: membership and copies compared byte for byte, the JSON text stored
 * in the state (a value that is UTF-8 text as a string, any other as
 * {"base64": "..."}), and a short text for messages.  Pure.
 */
#ifndef SB_VALUES_H
#define SB_VALUES_H

#include <stddef.h>

#include "mapping/core.h"

/* Longest JSON text of one attribute's values stored or read (16 MiB). */
#define AGENT_VALUES_MAX	((size_t)16 * 1024 * 1024)

/* 1 when x (bytes) is among the n values of v. */
int		agent_values_contain(const struct sb_bytes *v, size_t n,
		    const struct sb_bytes *x);
/* Appends a copy of x to *v (*n values; *v grows). */
enum sb_status	agent_values_append(struct sb_bytes **v, size_t *n,
		    const struct sb_bytes *x, struct sb_error *err);
/* Removes the first value equal to x, if any. */
void		agent_values_remove(struct sb_bytes *v, size_t *n,
		    const struct sb_bytes *x);
/* *out: a new copy of the n values of src (*nout of them). */
enum sb_status	agent_values_copy(const struct sb_bytes *src, size_t n,
		    struct sb_bytes **out, size_t *nout, struct sb_error *err);
/* Frees the values and the array, then sets *v NULL and *n 0. */
void		agent_values_clear(struct sb_bytes **v, size_t *n);
/* Frees n values and the array (NULL: nothing). */
void		agent_values_free(struct sb_bytes *v, size_t n);

/*
 * n values as JSON text (*out new, free()); longer than AGENT_VALUES_MAX
 * is SB_SKIP.
 */
enum sb_status	agent_values_encode(const struct sb_bytes *v, size_t n,
		    char **out, struct sb_error *err);
/* The reverse: *v new (agent_values_free), *n values. */
enum sb_status	agent_values_decode(const char *text, struct sb_bytes **v,
		    size_t *n, struct sb_error *err);
/*
 * n values for a message, '"a", "b"' or "(none)", control bytes escaped,
 * binary as <N bytes>, cut to size with "...".  Returns buf.
 */
const char	*agent_values_text(const struct sb_bytes *v, size_t n,
		    char *buf, size_t size);

#endif
