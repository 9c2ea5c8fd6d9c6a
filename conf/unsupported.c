/*
 * Keys of the interface contract that no command implements yet: they
 * parse, and are refused ("not supported yet") when set to anything but
 * their default, so check-config never says "configuration OK" about a
 * setting every command would ignore.  daemon.interval, full_interval
 * and metrics_file are the keys of the daemon section that 'run' reads.
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

/* Why a daemon key is refused, and what to do instead. */
static const char daemon_what[] = "the service's lease is";
static const char daemon_hint[] = "leave this key out";

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
 * daemon.interval is read (1 to 86400 seconds: a day between cycles at
 * most), full_interval, and metrics_file (an absolute path in a directory
 * that exists); the other keys, set to anything but their default, are
 * refused.
 */
void
conf_unsupported_daemon(struct conf_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *dmn = cfg_getsec(cfg, "daemon");

	c->daemon.interval = conf_copy_long(ctx, dmn, "daemon", "interval", 1,
	    86400);
	/*
	 * A full reconciliation at least every 30 days.  One shorter than
	 * interval makes every cycle a full one (it comes with a cycle).
	 */
	c->daemon.full_interval = conf_copy_long(ctx, dmn, "daemon",
	    "full_interval", 10, 2592000);
	c->daemon.lease_seconds = cfg_getint(dmn, "lease_seconds");
	c->daemon.metrics_file = conf_copy_str(ctx, dmn, "metrics_file");
	c->daemon.lease_dn = conf_copy_str(ctx, dmn, "lease_dn");
	if (ctx->oom)
		return;
	refuse_daemon_long(ctx, dmn, "lease_seconds",
	    CONF_DAEMON_LEASE_SECONDS);
	conf_check_writable_path(ctx, "daemon", "metrics_file",
	    c->daemon.metrics_file);
	conf_unsupported_str(ctx, dmn, "daemon", "lease_dn", "", daemon_what,
	    daemon_hint);
}
