/* Defaults and small queries of struct map_options. */
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "options.h"

void
map_options_init(struct map_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->classes = MAP_CLASS_ALL;
	opt->groups.type = MAP_GROUP_UNIVERSAL;
}

int
map_options_skips(const struct map_options *opt, const char *ad_name)
{
	size_t i;

	for (i = 0; i < opt->nskip_attrs; i++)
		if (opt->skip_attrs[i] != NULL &&
		    strcasecmp(opt->skip_attrs[i], ad_name) == 0)
			return 1;
	return 0;
}

int
map_options_in_scope(const struct map_options *opt, const char *dn)
{
	size_t i;

	if (dn == NULL)
		return 0;
	if (opt->base_dn != NULL && !map_dn_is_under(dn, opt->base_dn))
		return 0;
	if (opt->nwrite_scope == 0)
		return opt->base_dn != NULL;
	for (i = 0; i < opt->nwrite_scope; i++)
		if (opt->write_scope[i] != NULL &&
		    map_dn_is_under(dn, opt->write_scope[i]))
			return 1;
	return 0;
}
