/*
 * The daemon section, read by 'run' (agent/cmd/run.c): the cycle and
 * full reconciliation intervals, the metrics file, the lease.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "internal.h"

/*
 * interval: 1 to 86400 seconds (a day between cycles at most).
 * full_interval: 10 s to 30 days; one shorter than interval makes every
 * cycle a full one (it comes with a cycle).  metrics_file: an absolute
 * path in a directory that exists ("": none).  lease_dn: a DN ("": no
 * lease); lease_seconds 10 to 3600 (below 10 s a renewal every third of
 * it is a modify every few seconds; above an hour a dead holder stops the
 * writes for too long).
 */
void
conf_daemon(struct conf_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *dmn = cfg_getsec(cfg, "daemon");

	c->daemon.interval = conf_copy_long(ctx, dmn, "daemon", "interval", 1,
	    86400);
	c->daemon.full_interval = conf_copy_long(ctx, dmn, "daemon",
	    "full_interval", 10, 2592000);
	c->daemon.lease_seconds = conf_copy_long(ctx, dmn, "daemon",
	    "lease_seconds", 10, 3600);
	c->daemon.metrics_file = conf_copy_str(ctx, dmn, "metrics_file");
	c->daemon.lease_dn = conf_copy_str(ctx, dmn, "lease_dn");
	if (ctx->oom)
		return;
	conf_check_writable_path(ctx, "daemon", "metrics_file",
	    c->daemon.metrics_file);
	if (*c->daemon.lease_dn != '\0')
		conf_dncheck(ctx, "daemon", "lease_dn", c->daemon.lease_dn,
		    NULL);
}
