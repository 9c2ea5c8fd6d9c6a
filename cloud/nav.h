/*
 * Graph navigation properties read for many objects through $batch: the
 * source of authority (onPremisesSyncBehavior) of users, groups and
 * contacts, and the manager of users.  One bad answer is that object's,
 * never the run's: each object gets a state of its own.
 */
#ifndef SB_CLOUD_NAV_H
#define SB_CLOUD_NAV_H

#include <stddef.h>

#include "mapping/dirobj.h"
#include "client.h"

enum cloud_soa_state {
	CLOUD_SOA_FALSE = 0,	/* isCloudManaged false */
	CLOUD_SOA_TRUE,		/* isCloudManaged true */
	CLOUD_SOA_GONE,		/* 404: deleted since it was listed */
	CLOUD_SOA_UNREADABLE,	/* 200 without a boolean isCloudManaged */
};

struct cloud_soa {
	enum cloud_soa_state	 state;
	char			*why;	/* GONE, UNREADABLE: what was said */
};

/*
 * GET /{users|groups|contacts}/{id}/onPremisesSyncBehavior?$select=
 * isCloudManaged for ids[0..n) of one kind, CLOUD_BATCH_MAX to a $batch.
 * A 200 is read flat ({"id":...,"isCloudManaged":true}, as working clients
 * see it) or wrapped ({"value":{...,"isCloudManaged":true}}, as Microsoft's
 * API reference shows it); a 200 without a boolean isCloudManaged (or about
 * another id) is UNREADABLE, never "false".  Items that stay throttled, and
 * any status but 200 and 404 (a 403 names the permission), fail the call.
 * out[i] answers ids[i]; written only on success; free the whys with
 * cloud_nav_soa_free.
 */
enum sb_status	cloud_nav_soa(struct cloud_client *c,
		    enum dirobj_kind kind, const char *const *ids, size_t n,
		    struct cloud_soa *out, struct sb_error *err);
void		cloud_nav_soa_free(struct cloud_soa *v, size_t n);

enum cloud_mgr_state {
	CLOUD_MGR_FAILED = 0,	/* not read: leave AD's manager alone */
	CLOUD_MGR_SET,		/* id is the manager's object id */
	CLOUD_MGR_NONE,		/* the user has no manager */
	CLOUD_MGR_GONE,		/* the user deleted since it was listed */
};

struct cloud_manager {
	enum cloud_mgr_state	 state;
	char			*id;	/* SET */
	char			*why;	/* FAILED, GONE: what was said */
};

/*
 * GET /users/{id}/manager?$select=id for ids[0..n), CLOUD_BATCH_MAX to a
 * $batch.  Graph answers 404 both for a user without a manager ("Resource
 * 'manager' does not exist ...": NONE) and for a user that is gone
 * ("Resource '<id>' does not exist ...": GONE); a 404 that says neither, a
 * 200 without a usable id, or another failure of the item is FAILED.  A 401
 * or 403 fails the call (the permission is missing for all of them).  out[i]
 * answers ids[i]; written only on success; free with cloud_nav_managers_free.
 */
enum sb_status	cloud_nav_managers(struct cloud_client *c,
		    const char *const *ids, size_t n, struct cloud_manager *out,
		    struct sb_error *err);
void		cloud_nav_managers_free(struct cloud_manager *v, size_t n);

#endif
