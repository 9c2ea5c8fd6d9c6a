/* Who owns a group: the authority rules of groups, and groups gone from the cloud. */
#include <string.h>
#include <strings.h>

#include "authority.h"
#include "groupauth.h"
#include "provision.h"

int
map_group_mail_enabled(const struct dirobj *c)
{
	const char *v = dirobj_get_str(c, "mailEnabled");

	return v != NULL && strcasecmp(v, "true") == 0;
}

int
map_group_has_anchor(const struct dirobj *c)
{
	return (c->immutable_id != NULL && *c->immutable_id != '\0') ||
	    (c->sid_string != NULL && *c->sid_string != '\0');
}

/*
 * Why the provisioned rule does not apply to a group that carries its
 * Group_<id> anchor: Graph says AD owns it.  Entra Connect never syncs a
 * group with a Group_ adminDescription up (its filtering rule), so the
 * two signals disagree: an INCONSISTENT_SOA finding, nothing written.
 */
static const char *
provisioned_refused(const struct dirobj *c)
{
	if (c->sync_enabled == SB_TRI_TRUE)
		return "the AD group carries the writeback anchor Group_<its "
		    "cloud id>, but Graph says onPremisesSyncEnabled is true: "
		    "Entra Connect syncs this group, so AD owns it; soabridge "
		    "does not write it";
	if (map_group_has_anchor(c))
		return "the AD group carries the writeback anchor Group_<its "
		    "cloud id>, but the cloud group has on-premises anchors "
		    "and isCloudManaged is not true: AD owns it; soabridge "
		    "does not write it";
	return NULL;
}

void
map_group_authority_decide(const struct map_pair *pr,
    const struct map_options *opt, struct map_group_authority *out)
{
	const struct dirobj *c = pr->cloud;
	struct map_authority a;
	const char *id;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	out->rule = MAP_RULE_AD;
	id = pr->ad ? map_join_writeback_id(pr->ad, &len) : NULL;
	out->provisioned = id != NULL && c->cloud_id != NULL &&
	    strlen(c->cloud_id) == len &&
	    strncasecmp(id, c->cloud_id, len) == 0;
	map_authority_decide(c, NULL, &a);
	out->conflict = a.conflict;
	if (a.classes != 0) {
		out->classes = a.classes;
		out->rule = a.rule;
	} else if (c->cloud_managed == SB_TRI_FALSE &&
	    c->sync_enabled == SB_TRI_UNSET && map_group_has_anchor(c)) {
		/* graph-exo-protocol.md 3: the state right after a rollback. */
		out->handed_back = 1;
	} else if (out->provisioned && a.conflict == NULL) {
		/*
		 * Only while Graph shows a cloud-only group (no on-premises
		 * anchors, not syncing): a cloud-native group has
		 * isCloudManaged false by nature, so that flag does not count.
		 */
		out->conflict = provisioned_refused(c);
		if (out->conflict == NULL) {
			out->classes = MAP_CLASS_IDENTITY |
			    MAP_CLASS_EXCHANGE | MAP_CLASS_MEMBERSHIP;
			if (map_provision_decide(c, opt) == MAP_PROVISION_YES)
				out->classes |= MAP_CLASS_PLACEMENT;
			out->rule = MAP_RULE_PROVISIONED;
		}
	}
	if (!map_group_mail_enabled(c))
		out->classes &= ~(unsigned)MAP_CLASS_EXCHANGE;
}

int
map_group_gone_from_cloud(const struct map_join *j, const struct map_adindex *ix,
    size_t i, const struct map_options *opt)
{
	const struct dirobj *o = ix->ad->objs[i];
	const char *id;
	char buf[80];
	size_t len;

	if (!opt->groups_complete || ix->joined[i] || o->protect_only)
		return 0;
	id = map_join_writeback_id(o, &len);
	if (id == NULL || len >= sizeof(buf))
		return 0;
	memcpy(buf, id, len);
	buf[len] = '\0';
	return map_join_find(j, buf) == NULL;
}
