/* Defaults and small queries of struct map_options. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
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
map_options_excluded(const struct map_options *opt, const char *ad_name,
    const struct sb_bytes *v)
{
	const unsigned char *colon;
	size_t i, plen, elen;
	const char *e;

	if (opt == NULL || opt->nproxy_exclude == 0 ||
	    strcasecmp(ad_name, "proxyAddresses") != 0)
		return 0;
	colon = memchr(v->p, ':', v->len);
	if (colon == NULL)
		return 0;
	plen = (size_t)(colon - v->p);
	for (i = 0; i < opt->nproxy_exclude; i++) {
		e = opt->proxy_exclude[i];
		if (e == NULL)
			continue;
		elen = strlen(e);
		if (elen > 0 && e[elen - 1] == ':')
			elen--;
		if (elen > 0 && elen == plen &&
		    strncasecmp((const char *)v->p, e, plen) == 0)
			return 1;
	}
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
map_options_created(const struct map_options *opt,
    const struct sb_bytes *guid)
{
	char text[MAP_GUID_TEXT_SIZE];
	const char *key = text;

	if (opt->groups.ncreated_guids == 0 ||
	    map_guid_to_text(guid->p, guid->len, text, sizeof(text), NULL) !=
	    SB_OK)
		return 0;
	return bsearch(&key, opt->groups.created_guids,
	    opt->groups.ncreated_guids, sizeof(*opt->groups.created_guids),
	    cmp_str) != NULL;
}
