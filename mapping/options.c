/* Defaults and small queries of struct map_options. */
#include <string.h>
#include <strings.h>

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
