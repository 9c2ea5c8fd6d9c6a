/* The OU a group belongs in, and the checks that may refuse it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "placement.h"

/*
 * Well-known containers directly under the domain root that never receive
 * groups: the accounts, computers and system objects AD itself manages.
 */
static const char *const protected_containers[] = {
	"CN=Users", "CN=Computers", "CN=Builtin", "CN=System",
	"OU=Domain Controllers", "CN=ForeignSecurityPrincipals",
	"CN=Managed Service Accounts", "CN=Program Data", "CN=LostAndFound",
	"CN=Infrastructure", "CN=NTDS Quotas", "CN=Keys", "CN=TPM Devices",
};

/* The first metacharacter of s, or 0: only ',' and '=' may structure it. */
static int
metachar(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || strchr("\\\"+;<>#", *p) != NULL)
			return *p;
	return 0;
}

/*
 * Type of RDN number k (0: leftmost) of a DN without escapes, into type
 * (typesz bytes); 0 when there is no such RDN or it is not "type=value".
 */
static int
rdn_type(const char *dn, size_t k, char *type, size_t typesz)
{
	const char *p = dn, *eq, *end;
	size_t n;

	while (k-- > 0) {
		p = strchr(p, ',');
		if (p == NULL)
			return 0;
		p++;
	}
	while (*p == ' ')
		p++;
	end = strchr(p, ',');
	if (end == NULL)
		end = p + strlen(p);
	eq = memchr(p, '=', (size_t)(end - p));
	if (eq == NULL || eq == p || memchr(eq + 1, '=',
	    (size_t)(end - eq - 1)) != NULL)
		return 0;
	for (n = (size_t)(eq - p); n > 0 && p[n - 1] == ' '; n--)
		;
	if (n == 0 || n >= typesz)
		return 0;
	memcpy(type, p, n);
	type[n] = '\0';
	return 1;
}

int
map_placement_allowed(const char *ou, const struct map_options *opt,
    char *reason, size_t reasonsz)
{
	const struct map_group_options *g = &opt->groups;
	size_t depth, bdepth, i;
	char type[16];
	int c, in;

	if (ou == NULL || *ou == '\0') {
		snprintf(reason, reasonsz, "no OU");
		return 0;
	}
	if ((c = metachar(ou)) != 0) {
		if (c < 0x20 || c == 0x7f)
			snprintf(reason, reasonsz, "the OU holds a control "
			    "character");
		else
			snprintf(reason, reasonsz, "\"%.200s\" holds the DN "
			    "metacharacter '%c'", ou, c);
		return 0;
	}
	if (!map_dn_valid(ou)) {
		snprintf(reason, reasonsz, "\"%.200s\" is not a DN", ou);
		return 0;
	}
	if (opt->base_dn == NULL || !map_dn_is_under(ou, opt->base_dn)) {
		snprintf(reason, reasonsz, "\"%.200s\" is outside ldap.base_dn",
		    ou);
		return 0;
	}
	depth = map_dn_depth(ou);
	bdepth = map_dn_depth(opt->base_dn);
	if (depth <= bdepth) {
		snprintf(reason, reasonsz, "the domain root is not an OU");
		return 0;
	}
	for (i = 0; i < sizeof(protected_containers) /
	    sizeof(protected_containers[0]); i++)
		if (map_dn_is_under_rdn(ou, protected_containers[i],
		    opt->base_dn)) {
			snprintf(reason, reasonsz, "\"%.200s\" is in the "
			    "protected container %s", ou,
			    protected_containers[i]);
			return 0;
		}
	for (i = 0; i < depth - bdepth; i++)
		if (!rdn_type(ou, i, type, sizeof(type)) ||
		    strcasecmp(type, "OU") != 0) {
			snprintf(reason, reasonsz, "\"%.200s\" is not an "
			    "organizational unit (every RDN below the base "
			    "must be OU=)", ou);
			return 0;
		}
	for (i = 0, in = 0; i < g->nallowed_ous && !in; i++)
		in = g->allowed_ous[i] != NULL &&
		    map_dn_is_under(ou, g->allowed_ous[i]);
	if (!in) {
		snprintf(reason, reasonsz, "\"%.200s\" is not inside "
		    "groups.allowed_ous", ou);
		return 0;
	}
	if (!map_options_in_scope(opt, ou)) {
		snprintf(reason, reasonsz, "\"%.200s\" is outside "
		    "ldap.write_scope", ou);
		return 0;
	}
	return 1;
}

void
map_placement_clear(struct map_placement *pl)
{
	free(pl->ou);
	memset(pl, 0, sizeof(*pl));
}

/* The first non-empty value of attribute name of o, or NULL. */
static const struct sb_bytes *
first_value(const struct dirobj *o, const char *name)
{
	const struct dirattr *a = dirobj_get(o, name);
	size_t i;

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len > 0)
			return &a->vals[i];
	return NULL;
}

enum sb_status
map_placement_target(const struct dirobj *cloud,
    const struct map_options *opt, enum map_placement_for what,
    struct map_placement *out, struct sb_error *err)
{
	const char *ext = opt->groups.ou_extension;
	const struct sb_bytes *v = NULL;
	char *parent = NULL;
	enum sb_status st = SB_OK;

	memset(out, 0, sizeof(*out));
	if (ext != NULL && *ext != '\0')
		v = first_value(cloud, ext);
	if (v != NULL) {
		out->source = MAP_PLACE_EXTENSION;
		if (memchr(v->p, '\0', v->len) != NULL) {
			out->refused = 1;
			snprintf(out->reason, sizeof(out->reason), "%s holds a "
			    "NUL byte", ext);
			return SB_OK;
		}
		st = map_dn_parent((const char *)v->p, &parent, err);
		if (st == SB_SKIP) {
			out->refused = 1;
			snprintf(out->reason, sizeof(out->reason), "%s "
			    "\"%.200s\" is not the DN of an object in an OU",
			    ext, (const char *)v->p);
			return SB_OK;
		}
		if (st != SB_OK)
			return st;
		if (!map_placement_allowed(parent, opt, out->reason,
		    sizeof(out->reason))) {
			out->refused = 1;
			free(parent);
			return SB_OK;
		}
		out->ou = parent;
		return SB_OK;
	}
	if (what != MAP_PLACE_FOR_NEW || opt->groups.default_ou == NULL ||
	    *opt->groups.default_ou == '\0')
		return SB_OK;	/* an existing group stays where it is */
	out->source = MAP_PLACE_DEFAULT;
	if (!map_placement_allowed(opt->groups.default_ou, opt, out->reason,
	    sizeof(out->reason))) {
		out->refused = 1;
		return SB_OK;
	}
	out->ou = strdup(opt->groups.default_ou);
	if (out->ou == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.placement",
		    "out of memory");
	return SB_OK;
}

const char *
map_placement_source_name(enum map_placement_source s)
{
	switch (s) {
	case MAP_PLACE_NONE:		return "none";
	case MAP_PLACE_EXTENSION:	return "ou_extension";
	case MAP_PLACE_DEFAULT:		return "default_ou";
	}
	return "unknown";
}
