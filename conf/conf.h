/*
 * The configuration file (libconfuse syntax) parsed and validated into plain
 * structs.  Every problem is reported as "FILE:LINE: SECTION: KEY: problem";
 * nothing from libconfuse outlives conf_load().
 */
#ifndef SB_CONF_H
#define SB_CONF_H

#include <stddef.h>

#include "mapping/core.h"

#define CONF_DEFAULT_PATH	"/etc/soabridge/soabridge.conf"

struct conf_list {
	char	**v;
	size_t	  n;
};

struct conf_ldap {
	char		*uri;
	int		 starttls;
	char		*ca_file;
	char		*bind_dn;
	char		*password_file;
	char		*sasl_mech;	/* "" or "GSSAPI" */
	char		*keytab_file;
	char		*base_dn;
	struct conf_list write_scope;
	long		 timeout;	/* seconds, network and operation */
};

struct conf_cloud {
	char		*tenant_id;
	char		*client_id;
	char		*client_secret_file;
	char		*certificate_file;
	char		*private_key_file;
	char		*login_url;
	char		*graph_url;
	char		*exchange_url;
	char		*ca_file;	/* "": the system store */
	long		 timeout;
};

enum conf_group_type {
	CONF_GROUP_UNIVERSAL = 0,
	CONF_GROUP_GLOBAL,
	CONF_GROUP_DOMAIN_LOCAL,
};

struct conf_groups {
	int		 provision;
	struct conf_list provision_groups;
	enum conf_group_type type;
	char		*sam_pattern;
	char		*default_ou;
	struct conf_list allowed_ous;
	char		*ou_extension;
	int		 remove_unsynced_members;
	int		 delete;
};

struct conf_limits {
	long	max_changes;
	long	max_deletes;
	long	flap_threshold;
};

struct conf_daemon {
	long	 interval;
	long	 full_interval;
	char	*metrics_file;
	char	*lease_dn;
};

struct conf {
	char			*path;
	struct conf_ldap	 ldap;
	struct conf_cloud	 cloud;
	struct conf_groups	 groups;
	struct conf_limits	 limits;
	struct conf_daemon	 daemon;
	char			*state_dir;
};

/* Problems found while loading: one line each, "FILE:LINE: SECTION: KEY: text". */
struct conf_diag {
	char	**lines;
	size_t	  n;
};

/*
 * Parse and validate path.  On SB_OK *out is set (free with conf_free()).
 * On SB_CONFIG diag holds every problem found (free with conf_diag_free()).
 */
enum sb_status	conf_load(const char *path, struct conf **out,
		    struct conf_diag *diag);
void		conf_free(struct conf *c);
void		conf_diag_free(struct conf_diag *d);
const char	*conf_group_type_name(enum conf_group_type t);

#endif
