/*
 * Keys of the interface contract that no command implements yet: they
 * parse, and are refused ("not supported yet") when set to anything but
 * their default, so check-config never says "configuration OK" about a
 * setting every command would ignore.  Of the daemon section 'run' reads
 * interval, full_interval and the lease (lease_dn, lease_seconds:
 * agent/lease.h).
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
static const char daemon_what[] = "the service's metrics are";
static const char daemon_hint[] = "leave this key out";

/*
 * daemon.interval is read (1 to 86400 seconds: a day between cycles at
 * most), full_interval, and the lease: lease_dn a DN ("": no lease),
 * lease_seconds 10 to 3600 (below 10 s a renewal every third of it is a
 * modify every few seconds; above an hour a dead holder stops the writes
 * for too long).  The other keys, set to anything but their default, are
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
	c->daemon.lease_seconds = conf_copy_long(ctx, dmn, "daemon",
	    "lease_seconds", 10, 3600);
	c->daemon.metrics_file = conf_copy_str(ctx, dmn, "metrics_file");
	c->daemon.lease_dn = conf_copy_str(ctx, dmn, "lease_dn");
	if (ctx->oom)
		return;
	conf_unsupported_str(ctx, dmn, "daemon", "metrics_file", "",
	    daemon_what, daemon_hint);
	if (*c->daemon.lease_dn != '\0')
		conf_dncheck(ctx, "daemon", "lease_dn", c->daemon.lease_dn,
		    NULL);
}
