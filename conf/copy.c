/* Values copied out of libconfuse into plain strings, lists and numbers. */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "internal.h"

/* libconfuse's strings die with cfg_free(): every value leaves as a copy. */
char *
conf_copy_str(struct conf_ctx *ctx, cfg_t *sec, const char *key)
{
	const char *v = cfg_getstr(sec, key);
	char *s = strdup(v ? v : "");

	if (s == NULL)
		ctx->oom = 1;
	return s;
}

void
conf_copy_list(struct conf_ctx *ctx, cfg_t *sec, const char *key,
    struct conf_list *out)
{
	unsigned int i, n = cfg_size(sec, key);

	out->v = calloc(n + 1, sizeof(*out->v));
	out->n = 0;
	if (out->v == NULL) {
		ctx->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		out->v[i] = strdup(cfg_getnstr(sec, key, i));
		if (out->v[i] == NULL) {
			ctx->oom = 1;
			return;
		}
		out->n++;
	}
}

void
conf_copy_list_free(struct conf_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

long
conf_copy_long(struct conf_ctx *ctx, cfg_t *sec, const char *secname,
    const char *key, long min, long max)
{
	long v = cfg_getint(sec, key);

	if (v < min || v > max)
		conf_diag_key(ctx, secname, key,
		    "%ld is out of range (%ld to %ld)", v, min, max);
	return v;
}
