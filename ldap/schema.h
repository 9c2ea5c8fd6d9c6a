/*
 * Which attributes the directory's schema lacks: a fresh forest without the
 * Exchange schema extension has proxyAddresses and mail but not
 * mailNickname or extensionAttribute1-15.  Checked at start-up so that the
 * agent can say so once, instead of failing on the first write.
 */
#ifndef AD_SCHEMA_H
#define AD_SCHEMA_H

#include <stddef.h>

#include "mapping/core.h"

/* Names per filter: keeps each filter far below AD's limits. */
#define AD_SCHEMA_NAMES_PER_FILTER	40

struct ad_conn;

/*
 * Looks attrs (NULL-terminated lDAPDisplayNames, compared without case; an
 * option such as ";binary" is ignored) up as attributeSchema objects in the
 * schema naming context.  *missing is a new array of the names not found,
 * as given, in the order given (NULL when none); free it with
 * ad_schema_free_list().
 */
enum sb_status	ad_schema_missing(struct ad_conn *c, const char *const *attrs,
		    char ***missing, size_t *nmissing, struct sb_error *err);
void		ad_schema_free_list(char **list, size_t n);

#endif
