/*
 * The configuration file (libconfuse syntax) parsed and validated into plain
 * structs.  Every problem is reported as "FILE:LINE: SECTION.KEY: problem";
 * nothing from libconfuse outlives conf_load().  Keys of the interface
 * contract that this version does not implement yet are parsed and refused
 * when set to anything but their default ("not supported yet"): a setting
 * is never silently ignored.
 */
#ifndef SB_CONF_H
#define SB_CONF_H

#include <stddef.h>

#include "mapping/core.h"

#define CONF_DEFAULT_PATH	"/etc/soabridge/soabridge.conf"
/* cloud.max_requests_per_second: far below Graph's per-app budget. */
#define CONF_CLOUD_MAX_RPS	20

struct conf_list {
	char	**v;
	size_t	  n;
};

/*
 * The bind is a simple one (bind_dn, password_file) or, with sasl_mech
 * "GSSAPI", a Kerberos one (keytab_file, principal; bind_dn and
 * password_file are then "": conf_load() refuses them beside GSSAPI).
 */
struct conf_ldap {
	/* the DCs, tried in order; or none and domain: from DNS SRV */
	struct conf_list uri;
	char		*domain;	/* "" when uri names the DCs */
	int		 starttls;
	char		*ca_file;
	char		*bind_dn;
	char		*password_file;
	char		*sasl_mech;	/* "" or "GSSAPI" */
	char		*keytab_file;	/* GSSAPI: a secret file (0600/0400) */
	char		*principal;	/* GSSAPI: "": the keytab's first */
	char		*base_dn;
	struct conf_list write_scope;
	long		 timeout;	/* seconds, network and operation */
};

struct conf_cloud {
	char		*tenant_id;
	char		*client_id;
	char		*client_secret_file;
	/*
	 * Or, in place of the secret, a PEM certificate and its PEM private
	 * key (a secret file); "" when not used.  conf_load() makes sure
	 * exactly one of the two credentials is given.
	 */
	char		*certificate_file;
	char		*private_key_file;
	/* "global", "usgov", "usgov-dod" or "china": hosts and audiences */
	char		*environment;
	/* "": the environment's; else only where requests go */
	char		*login_url;
	char		*graph_url;
	char		*exchange_url;
	char		*ca_file;	/* "": the system store */
	long		 timeout;
	/*
	 * cloud.max_requests_per_second, 1 to 1000: a ceiling on the requests
	 * started per second; below it a run goes at the pace the cloud answers.
	 */
	int		 max_per_second;
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

/*
 * Proxy address prefixes never written to nor removed from AD ("SPO:" by
 * default: SharePoint's cloud-internal addresses), each letters, digits,
 * '-' or '_' and an optional trailing ':'.
 */
struct conf_exchange {
	struct conf_list proxy_address_exclude;
};

/*
 * The service (run): every key is read: interval, full_interval,
 * metrics_file ("": none) and the lease (lease_dn "" for none).
 */
struct conf_daemon {
	long	 interval;
	long	 full_interval;
	char	*metrics_file;
	char	*lease_dn;
	long	 lease_seconds;
};

struct conf {
	char			*path;
	struct conf_ldap	 ldap;
	struct conf_cloud	 cloud;
	struct conf_groups	 groups;
	struct conf_limits	 limits;
	struct conf_exchange	 exchange;
	struct conf_daemon	 daemon;
	char			*state_dir;
};

/*
 * What loading found, one line each: errors ("FILE:LINE: SECTION.KEY: text")
 * and warnings ("FILE:LINE: SECTION: warning: text", e.g. a section nothing
 * reads), which do not stop the load.
 */
struct conf_diag {
	char	**lines;	/* errors */
	size_t	  n;
	char	**warnings;
	size_t	  nwarn;
};

/*
 * Parse and validate path.  On SB_OK *out is set (free with conf_free()).
 * On SB_CONFIG diag holds every problem found.  Either way diag may hold
 * warnings: free it with conf_diag_free() after every call.
 */
enum sb_status	conf_load(const char *path, struct conf **out,
		    struct conf_diag *diag);
void		conf_free(struct conf *c);
void		conf_diag_free(struct conf_diag *d);
const char	*conf_group_type_name(enum conf_group_type t);

#endif
