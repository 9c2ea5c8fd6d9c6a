/*
 * Keys of the interface contract that no command implements yet: they
 * parse, and are refused ("not supported yet") when set to anything but
 * their default, so check-config never says "configuration OK" about a
 * setting every command would ignore.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "internal.h"

void
conf_unsupported(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *value, const char *what, const char *hint)
{
	conf_diag_key(ctx, sec, key, "%s: %s not supported yet; %s", value,
	    what, hint);
}

int
conf_unsupported_str(struct conf_ctx *ctx, cfg_t *sec, const char *secname,
    const char *key, const char *def, const char *what, const char *hint)
{
	const char *v = cfg_getstr(sec, key);
	char q[320];

	if (v == NULL || strcmp(v, def) == 0)
		return 0;
	snprintf(q, sizeof(q), "'%.300s'", v);
	conf_unsupported(ctx, secname, key, q, what, hint);
	return 1;
}

/*
 * Where a section is: the first line that opens it ("name {" at the start
 * of a line), else the line libconfuse gives it (its closing brace).  0 when
 * the file has no such section (libconfuse then makes one from the
 * defaults, at line 0).
 */
static int
section_line(const struct conf_ctx *ctx, cfg_t *cfg, const char *name)
{
	cfg_t *sec = cfg_getsec(cfg, name);
	const char *s = ctx->text, *p;
	size_t n = strlen(name);
	int line = 1;

	if (sec == NULL || sec->line <= 0)
		return 0;
	for (; s != NULL && *s != '\0'; line++) {
		p = s + strspn(s, " \t");
		if (strncmp(p, name, n) == 0) {
			p += n;
			p += strspn(p, " \t");
			if (*p == '{')
				return line;
		}
		s = strchr(s, '\n');
		if (s != NULL)
			s++;
	}
	return sec->line;
}

/* Why a daemon key is refused, and what to do instead. */
static const char daemon_what[] = "the service (a 'run' command looping "
    "over cycles) is";
static const char daemon_hint[] = "schedule 'soabridge sync' instead (cron, "
    "a systemd timer) and remove the daemon section";

static int
refuse_daemon_long(struct conf_ctx *ctx, cfg_t *dmn, const char *key,
    long def)
{
	long v = cfg_getint(dmn, key);
	char q[32];

	if (v == def)
		return 0;
	snprintf(q, sizeof(q), "%ld", v);
	conf_unsupported(ctx, "daemon", key, q, daemon_what, daemon_hint);
	return 1;
}

/*
 * A key set to anything but its default is refused; a section present with
 * defaults only is ignored, with a warning so nobody believes it does
 * something.
 */
void
conf_unsupported_daemon(struct conf_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *dmn = cfg_getsec(cfg, "daemon");
	int refused = 0, line;

	c->daemon.interval = cfg_getint(dmn, "interval");
	c->daemon.full_interval = cfg_getint(dmn, "full_interval");
	c->daemon.lease_seconds = cfg_getint(dmn, "lease_seconds");
	c->daemon.metrics_file = conf_copy_str(ctx, dmn, "metrics_file");
	c->daemon.lease_dn = conf_copy_str(ctx, dmn, "lease_dn");
	if (ctx->oom)
		return;
	refused += refuse_daemon_long(ctx, dmn, "interval",
	    CONF_DAEMON_INTERVAL);
	refused += refuse_daemon_long(ctx, dmn, "full_interval",
	    CONF_DAEMON_FULL_INTERVAL);
	refused += refuse_daemon_long(ctx, dmn, "lease_seconds",
	    CONF_DAEMON_LEASE_SECONDS);
	refused += conf_unsupported_str(ctx, dmn, "daemon", "metrics_file", "",
	    daemon_what, daemon_hint);
	refused += conf_unsupported_str(ctx, dmn, "daemon", "lease_dn", "",
	    daemon_what, daemon_hint);
	line = section_line(ctx, cfg, "daemon");
	if (!refused && line > 0)
		conf_diag_warn(ctx, line, "daemon", "this section is read by "
		    "nothing and ignored: the service ('run') is not supported "
		    "yet; schedule 'soabridge sync' instead");
}
