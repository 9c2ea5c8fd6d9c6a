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
