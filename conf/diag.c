/* The problems of one load as "FILE:LINE: KEY: text", and the line of every key. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "internal.h"

/* Cap on recorded problems: a garbage file must not produce megabytes. */
#define CONF_DIAG_MAX	64

/*
 * libconfuse callbacks carry no user pointer; conf_load() is the only user
 * and is not called concurrently, so the context it is filling lives here.
 */
static struct conf_ctx *cur_ctx;

void
conf_diag_use(struct conf_ctx *ctx)
{
	cur_ctx = ctx;
}

static void diag_push(struct conf_ctx *, int, int, const char *,
    const char *, va_list) __attribute__((format(printf, 5, 0)));

/* Appends "FILE:LINE: KEY: [warning: ]text" to the errors or the warnings. */
static void
diag_push(struct conf_ctx *ctx, int warn, int line, const char *key,
    const char *fmt, va_list ap)
{
	struct conf_diag *d = ctx->diag;
	char ***lines = warn ? &d->warnings : &d->lines;
	size_t *n = warn ? &d->nwarn : &d->n;
	const char *tag = warn ? "warning: " : "";
	char msg[512], full[768], **nl;

	if (*n >= CONF_DIAG_MAX)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s: %s%s", ctx->path, line,
		    key, tag, msg);
	else
		snprintf(full, sizeof(full), "%s: %s: %s%s", ctx->path, key,
		    tag, msg);
	nl = realloc(*lines, (*n + 1) * sizeof(*nl));
	if (nl == NULL) {
		ctx->oom = 1;
		return;
	}
	*lines = nl;
	nl[*n] = strdup(full);
	if (nl[*n] == NULL) {
		ctx->oom = 1;
		return;
	}
	(*n)++;
}

void
conf_diag_add(struct conf_ctx *ctx, int line, const char *key,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_push(ctx, 0, line, key, fmt, ap);
	va_end(ap);
}

void
conf_diag_key(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *fmt, ...)
{
	va_list ap;
	char k[64];

	/* A top-level key ("state_dir") has no section to name. */
	if (*sec == '\0')
		snprintf(k, sizeof(k), "%s", key);
	else
		snprintf(k, sizeof(k), "%s.%s", sec, key);
	va_start(ap, fmt);
	diag_push(ctx, 0, conf_diag_line(ctx, sec, key), k, fmt, ap);
	va_end(ap);
}

void
conf_diag_warn(struct conf_ctx *ctx, int line, const char *key,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_push(ctx, 1, line, key, fmt, ap);
	va_end(ap);
}

/* libconfuse's own messages ("no such option 'x'") name the key already. */
void
conf_diag_on_cfg_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	const char *sec = cfg && cfg->name && strcmp(cfg->name, "root") ?
	    cfg->name : "(top level)";

	diag_push(cur_ctx, 0, cfg ? cfg->line : 0, sec, fmt, ap);
}

int
conf_diag_set_by(cfg_t *cfg, cfg_opt_t *opt)
{
	struct conf_ctx *ctx = cur_ctx;
	struct conf_key_line *kl;
	char name[64];
	size_t i;

	snprintf(name, sizeof(name), "%s.%s",
	    strcmp(cfg->name, "root") ? cfg->name : "", opt->name);
	for (i = 0; i < ctx->nlines; i++)
		if (strcmp(ctx->lines[i].name, name) == 0)
			break;
	if (i == ctx->nlines) {
		if (ctx->nlines == sizeof(ctx->lines) / sizeof(ctx->lines[0]))
			return 0;
		ctx->nlines++;
	}
	kl = &ctx->lines[i];
	snprintf(kl->name, sizeof(kl->name), "%s", name);
	kl->line = cfg->line;
	return 0;	/* checks come after parsing, with every key known */
}

int
conf_diag_line(const struct conf_ctx *ctx, const char *sec, const char *key)
{
	char name[64];
	size_t i;

	snprintf(name, sizeof(name), "%s.%s", sec, key);
	for (i = 0; i < ctx->nlines; i++)
		if (strcmp(ctx->lines[i].name, name) == 0)
			return ctx->lines[i].line;
	return 0;
}

void
conf_diag_free(struct conf_diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	for (i = 0; i < d->nwarn; i++)
		free(d->warnings[i]);
	free(d->warnings);
	memset(d, 0, sizeof(*d));
}
