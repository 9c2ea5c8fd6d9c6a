/*
 * The source of authority of n objects as a tri-state, for
 * tests/cloud-probe and the unit tests; the agent reads cloud_nav_soa,
 * which tells each object's failure apart (cloud/nav.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mapping/cloudid.h"
#include "graph.h"
#include "nav.h"

/*
 * The source of authority as a tri-state (tests/cloud-probe uses it): a
 * reply without a boolean isCloudManaged fails the call, never "false".
 */
enum sb_status
cloud_graph_soa(struct cloud_client *c, enum dirobj_kind kind,
    const char *const *ids, size_t n, enum sb_tri *out, struct sb_error *err)
{
	char shown[MAP_CLOUDID_SHOW_SIZE];
	struct cloud_soa *v;
	enum sb_tri *vals;
	enum sb_status st;
	size_t i;

	v = calloc(n ? n : 1, sizeof(*v));
	vals = calloc(n ? n : 1, sizeof(*vals));
	if (v == NULL || vals == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "graph.soa", "out of memory");
		goto done;
	}
	st = cloud_nav_soa(c, kind, ids, n, v, err);
	for (i = 0; st == SB_OK && i < n; i++) {
		if (v[i].state == CLOUD_SOA_UNREADABLE)
			st = sb_fail(err, SB_RETRY, 200, "graph.soa",
			    "object %s: %s",
			    map_cloudid_show(ids[i], shown, sizeof(shown)),
			    v[i].why);
		vals[i] = v[i].state == CLOUD_SOA_TRUE ? SB_TRI_TRUE :
		    v[i].state == CLOUD_SOA_FALSE      ? SB_TRI_FALSE :
							 SB_TRI_UNSET;
	}
	if (st == SB_OK && n > 0)
		memcpy(out, vals, n * sizeof(*out));
	if (v != NULL)
		cloud_nav_soa_free(v, n);
done:
	free(v);
	free(vals);
	return st;
}
