/*
 * DN checks of the configuration (base_dn, bind_dn, write_scope, allowed_ous,
 * default_ou), by mapping/dn.c: the write gate and the planner ask it too,
 * so check-config cannot accept a scope that they read otherwise (an
 * escaped "\2C" against "\,", case, spaces around '=' and ',', the order of
 * a multi-valued RDN).
 */
#include "conf.h"
#include "internal.h"
#include "mapping/dn.h"

void
conf_dncheck(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *dn, const char *base)
{
	if (!map_dn_valid(dn))
		conf_diag_key(ctx, sec, key, "'%s' is not a valid DN (RFC 4514)",
		    dn);
	else if (base != NULL && map_dn_valid(base) &&
	    !map_dn_is_under(dn, base))
		conf_diag_key(ctx, sec, key, "'%s' is not inside base_dn '%s'",
		    dn, base);
}

int
conf_dncheck_in_list(const char *dn, const struct conf_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (map_dn_is_under(dn, l->v[i]))
			return 1;
	return 0;
}
