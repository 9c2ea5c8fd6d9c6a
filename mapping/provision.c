/* Which cloud groups are provisioned, and valid, unique names for them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dn.h"
#include "provision.h"

/* 1 when attribute name of o has a value equal to s, ignoring case. */
static int
has_value_ci(const struct dirobj *o, const char *name, const char *s)
{
	const struct dirattr *a = dirobj_get(o, name);
	size_t i, n = strlen(s);

	for (i = 0; a != NULL && i < a->nvals; i++)
		if (a->vals[i].len == n &&
		    strncasecmp((const char *)a->vals[i].p, s, n) == 0)
			return 1;
	return 0;
}

int
map_group_is_security(const struct dirobj *cloud)
{
	return cloud->kind == DIROBJ_GROUP &&
	    has_value_ci(cloud, "securityEnabled", "true") &&
	    !has_value_ci(cloud, "groupTypes", "Unified");
}

enum map_provision_verdict
map_provision_decide(const struct dirobj *cloud, const struct map_options *opt)
{
	const struct map_group_options *g = &opt->groups;
	size_t i;
	int listed = g->nprovision_groups == 0;

	if (!g->provision)
		return MAP_PROVISION_OFF;
	for (i = 0; !listed && i < g->nprovision_groups; i++)
		listed = g->provision_groups[i] != NULL &&
		    cloud->cloud_id != NULL &&
		    strcasecmp(g->provision_groups[i], cloud->cloud_id) == 0;
	if (!listed)
		return MAP_PROVISION_NOT_LISTED;
	if (!map_group_is_security(cloud))
		return MAP_PROVISION_NOT_SECURITY;
	return MAP_PROVISION_YES;
}

const char *
map_provision_verdict_text(enum map_provision_verdict v)
{
	switch (v) {
	case MAP_PROVISION_YES:
		return "provisioned";
	case MAP_PROVISION_OFF:
		return "groups.provision is false";
	case MAP_PROVISION_NOT_LISTED:
		return "not listed in groups.provision_groups";
	case MAP_PROVISION_NOT_SECURITY:
		return "not a security group (only security groups that are "
		    "not Microsoft 365 groups are provisioned)";
	}
	return "unknown";
}

const char *
map_provision_group_type(enum map_group_type t)
{
	switch (t) {
	case MAP_GROUP_UNIVERSAL:	return MAP_GROUPTYPE_UNIVERSAL;
	case MAP_GROUP_GLOBAL:		return MAP_GROUPTYPE_GLOBAL;
	case MAP_GROUP_DOMAIN_LOCAL:	return MAP_GROUPTYPE_DOMAIN_LOCAL;
	}
	return MAP_GROUPTYPE_UNIVERSAL;
}

/* Bytes of the first max characters of UTF-8 text s (len bytes). */
static size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t i, chars = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;	/* a continuation byte */
		if (chars == max)
			return i;
		chars++;
	}
	return len;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t';
}

/* s[0..*len) without leading spaces and trailing spaces (and dots: dots). */
static const char *
trim(const char *s, size_t *len, int dots)
{
	while (*len > 0 && is_space((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && (is_space((unsigned char)s[*len - 1]) ||
	    (dots && s[*len - 1] == '.')))
		(*len)--;
	return s;
}

static enum sb_status
fallback(const char *id, char **out, struct sb_error *err)
{
	size_t n = strlen(MAP_WRITEBACK_PREFIX) + (id ? strlen(id) : 0) + 1;

	*out = malloc(n);
	if (*out == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.provision",
		    "out of memory");
	snprintf(*out, n, "%s%s", MAP_WRITEBACK_PREFIX, id ? id : "");
	return SB_OK;
}

/* A copy of len bytes of s, cut to max characters and trimmed again. */
static enum sb_status
finish(const char *s, size_t len, size_t max, int dots, const char *id,
    char **out, struct sb_error *err)
{
	len = utf8_prefix(s, len, max);
	s = trim(s, &len, dots);
	if (len == 0)
		return fallback(id, out, err);
	*out = strndup(s, len);
	if (*out == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.provision",
		    "out of memory");
	return SB_OK;
}

enum sb_status
map_provision_cn(const char *display_name, const char *id, char **out,
    struct sb_error *err)
{
	struct sb_buf b;
	enum sb_status st = SB_OK;
	const unsigned char *p;

	sb_buf_init(&b, 4096);
	for (p = (const unsigned char *)(display_name ? display_name : "");
	    *p != '\0' && st == SB_OK; p++)
		if (*p >= 0x20 && *p != 0x7f)
			st = sb_buf_append(&b, p, 1, err);
	if (st == SB_SKIP)	/* a name longer than the cap: cut anyway */
		st = SB_OK;
	if (st == SB_OK)
		st = finish(b.p ? b.p : "", b.len, MAP_CN_MAX, 0, id, out, err);
	sb_buf_free(&b);
	return st;
}

/*
 * 1 when a known placeholder starts at p: its length in *skip and its value
 * (NULL when the cloud has none) in *val.
 */
static int
placeholder(const char *p, const struct dirobj *cloud, size_t *skip,
    const char **val)
{
	static const char *const known[] = { "%{displayName}",
	    "%{mailNickname}", "%{id}" };
	size_t i, n;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		n = strlen(known[i]);
		if (strncmp(p, known[i], n) != 0)
			continue;
		*skip = n;
		if (i == 0)
			*val = cloud->display_name ? cloud->display_name :
			    dirobj_get_str(cloud, "displayName");
		else if (i == 1)
			*val = dirobj_get_str(cloud, "mailNickname");
		else
			*val = cloud->cloud_id;
		return 1;
	}
	return 0;
}

/* sAMAccountName characters AD refuses (ad-writeback.md section 2). */
static int
sam_bad(unsigned char c)
{
	return c != '\0' && strchr("\"/\\[]:;|=,+*?<>", c) != NULL;
}

enum sb_status
map_provision_sam(const char *pattern, const struct dirobj *cloud, char **out,
    struct sb_error *err)
{
	struct sb_buf raw, b;
	const unsigned char *p;
	const char *v, *val;
	enum sb_status st = SB_OK;
	size_t skip;
	char u = '_';

	sb_buf_init(&raw, 4096);
	sb_buf_init(&b, 4096);
	for (v = pattern ? pattern : "%{displayName}"; *v != '\0' &&
	    st == SB_OK;) {
		if (*v == '%' && placeholder(v, cloud, &skip, &val)) {
			if (val != NULL)
				st = sb_buf_append(&raw, val, strlen(val), err);
			v += skip;
		} else {
			st = sb_buf_append(&raw, v++, 1, err);
		}
	}
	for (p = (const unsigned char *)(raw.p ? raw.p : "");
	    st == SB_OK && *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			continue;
		st = sb_buf_append(&b, sam_bad(*p) ? &u : (const char *)p, 1,
		    err);
	}
	if (st == SB_SKIP)	/* longer than the cap: cut anyway */
		st = SB_OK;
	if (st == SB_OK)
		st = finish(b.p ? b.p : "", b.len, MAP_SAM_MAX, 1,
		    cloud->cloud_id, out, err);
	sb_buf_free(&raw);
	sb_buf_free(&b);
	return st;
}

/* base cut so that base + suffix fits max characters, then suffix: new. */
static char *
with_suffix(const char *base, const char *suffix, size_t max, int dots)
{
	size_t slen = strlen(suffix), blen = strlen(base), n;
	const char *b;
	char *s;

	blen = utf8_prefix(base, blen, max > slen ? max - slen : 0);
	b = trim(base, &blen, dots);
	n = blen + slen + 1;
	s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%.*s%s", (int)blen, b, suffix);
	return s;
}

static char *
dn_of(const char *cn, const char *ou)
{
	char *esc = NULL, *dn;
	size_t n;

	if (map_dn_escape_value(cn, strlen(cn), &esc, NULL) != SB_OK)
		return NULL;
	n = strlen(esc) + strlen(ou) + 5;
	dn = malloc(n);
	if (dn != NULL)
		snprintf(dn, n, "CN=%s,%s", esc, ou);
	free(esc);
	return dn;
}

enum sb_status
map_provision_claim(struct map_adindex *ix, const char *cn, const char *sam,
    const char *ou, char **dn, char **cn_out, char **sam_out,
    struct sb_error *err)
{
	char suffix[16], *c = NULL, *d = NULL, *s = NULL;
	enum sb_status st = SB_OK;
	unsigned k;

	for (k = 1; k <= MAP_NAME_SUFFIX_MAX; k++) {
		snprintf(suffix, sizeof(suffix), " (%u)", k);
		c = k == 1 ? strdup(cn) : with_suffix(cn, suffix, MAP_CN_MAX,
		    0);
		d = c ? dn_of(c, ou) : NULL;
		if (c == NULL || d == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "map.provision",
			    "out of memory");
			goto done;
		}
		if (!map_adindex_dn_taken(ix, d))
			break;
		free(c);
		free(d);
		c = d = NULL;
	}
	for (k = 1; c != NULL && k <= MAP_NAME_SUFFIX_MAX; k++) {
		snprintf(suffix, sizeof(suffix), "-%u", k);
		s = k == 1 ? strdup(sam) : with_suffix(sam, suffix,
		    MAP_SAM_MAX, 1);
		if (s == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "map.provision",
			    "out of memory");
			goto done;
		}
		if (!map_adindex_sam_taken(ix, s))
			break;
		free(s);
		s = NULL;
	}
	if (c == NULL || s == NULL) {
		st = sb_fail(err, SB_SKIP, 0, "map.provision", "no free %s "
		    "up to suffix %d for \"%.64s\" in %.200s", c == NULL ?
		    "cn" : "sAMAccountName", MAP_NAME_SUFFIX_MAX,
		    c == NULL ? cn : sam, ou);
		goto done;
	}
	st = map_adindex_claim_dn(ix, d, err);
	if (st == SB_OK)
		st = map_adindex_claim_sam(ix, s, err);
	if (st != SB_OK)
		goto done;
	*dn = d;
	*cn_out = c;
	*sam_out = s;
	c = d = s = NULL;
done:
	free(c);
	free(d);
	free(s);
	return st;
}
