/* DNs parsed: into struct map_dn, and the first RDN and parent as written. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dn.h"
#include "dnscan.h"

void
map_dn_free(struct map_dn *dn)
{
	size_t i, j;

	if (dn == NULL)
		return;
	for (i = 0; i < dn->nrdns; i++) {
		for (j = 0; j < dn->rdns[i].navas; j++) {
			free(dn->rdns[i].avas[j].type);
			sb_bytes_free(&dn->rdns[i].avas[j].value);
		}
		free(dn->rdns[i].avas);
	}
	free(dn->rdns);
	free(dn);
}

enum sb_status
map_dn_parse(const char *dn, struct map_dn **out, struct sb_error *err)
{
	struct map_dn *d = NULL;
	struct map_rdn_view r;
	struct map_rdn *mr;
	const char *p = dn;
	size_t n = map_dnscan_count(dn), i, j;
	enum sb_status st;
	int more;

	if (n == 0) {
		st = sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
		goto done;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL || (d->rdns = calloc(n, sizeof(*d->rdns))) == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		map_dnscan_rdn(&p, &r, &more);	/* counted: well-formed */
		mr = &d->rdns[i];
		mr->avas = calloc(r.n, sizeof(*mr->avas));
		if (mr->avas == NULL) {
			st = sb_fail(err, SB_BUG, ENOMEM, "map.dn",
			    "out of memory");
			goto done;
		}
		d->nrdns++;
		for (j = 0; j < r.n; j++) {
			mr->avas[j].type = strndup(r.avas[j].type,
			    r.avas[j].tlen);
			if (mr->avas[j].type == NULL) {
				st = sb_fail(err, SB_BUG, ENOMEM, "map.dn",
				    "out of memory");
				goto done;
			}
			mr->navas++;
			st = map_dnscan_value(&r.avas[j], 0,
			    &mr->avas[j].value, err);
			if (st != SB_OK)
				goto done;
		}
	}
	*out = d;
	d = NULL;
	st = SB_OK;
done:
	map_dn_free(d);
	return st;
}

enum sb_status
map_dn_parent(const char *dn, char **out, struct sb_error *err)
{
	struct map_rdn_view r;
	const char *p = dn;
	char *copy;
	int more;

	if (map_dnscan_count(dn) == 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
	map_dnscan_rdn(&p, &r, &more);
	if (!more)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn",
		    "DN has no parent");
	while (*p == ' ')
		p++;
	copy = strdup(p);
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
	*out = copy;
	return SB_OK;
}

enum sb_status
map_dn_rdn(const char *dn, char **out, struct sb_error *err)
{
	struct map_rdn_view r;
	const char *p = dn;
	char *copy;
	int more;

	if (map_dnscan_count(dn) == 0)
		return sb_fail(err, SB_SKIP, EINVAL, "map.dn", "malformed DN");
	map_dnscan_rdn(&p, &r, &more);
	copy = strndup(r.start, (size_t)(r.end - r.start));
	if (copy == NULL)
		return sb_fail(err, SB_BUG, ENOMEM, "map.dn", "out of memory");
	*out = copy;
	return SB_OK;
}
