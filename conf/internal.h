/*
 * Private to conf/: the state of one conf_load() and the helpers its .c
 * files share.  This is the one header that includes <confuse.h>; nothing
 * outside conf/ (and its unit tests) may include it, so no libconfuse type
 * leaves the folder.  Prototypes are grouped by the file that defines them.
 */
#ifndef CONF_INTERNAL_H
#define CONF_INTERNAL_H

#include <confuse.h>
#include <stdarg.h>
#include <stddef.h>

#include "mapping/core.h"

struct conf;
struct conf_diag;
struct conf_list;
struct conf_ldap;
struct conf_cloud;
struct conf_groups;

/* Where each key was last set, so checks made after parsing can cite a line. */
struct conf_key_line {
	char	name[64];	/* "section.key" */
	int	line;
};

struct conf_ctx {
	const char	*path;
	const char	*text;		/* the file, comments blanked */
	struct conf_diag *diag;
	struct conf_key_line lines[96];
	size_t		 nlines;
	int		 oom;
};

/* schema.c */

/* The file's sections and keys, with their defaults, for cfg_init(). */
extern cfg_opt_t conf_schema_root[];
/* Has every key's line recorded as libconfuse parses it (conf_diag_set_by). */
void		conf_schema_watch(cfg_t *cfg);
/* Defaults of the daemon section (unsupported.c reads them all). */
#define CONF_DAEMON_INTERVAL		60
#define CONF_DAEMON_FULL_INTERVAL	21600
#define CONF_DAEMON_LEASE_SECONDS	90
/* Longest address type prefix in exchange.proxy_address_exclude. */
#define CONF_PREFIX_MAX			32

/* diag.c */

/*
 * libconfuse callbacks carry no user pointer: conf_load() names the context
 * it is filling before parsing and clears it after (NULL).
 */
void		conf_diag_use(struct conf_ctx *ctx);
/* libconfuse's error function and key validator for conf_schema_watch(). */
void		conf_diag_on_cfg_error(cfg_t *cfg, const char *fmt, va_list ap)
		    __attribute__((format(printf, 2, 0)));
int		conf_diag_set_by(cfg_t *cfg, cfg_opt_t *opt);
/* The line where sec.key was set ("" for a top-level key), or 0. */
int		conf_diag_line(const struct conf_ctx *ctx, const char *sec,
		    const char *key);
/* Appends "FILE:LINE: KEY: text" to the errors (line 0: no line). */
void		conf_diag_add(struct conf_ctx *ctx, int line, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same for sec.key, at the line where it was set. */
void		conf_diag_key(struct conf_ctx *ctx, const char *sec,
		    const char *key, const char *fmt, ...)
		    __attribute__((format(printf, 4, 5)));
/* Appends "FILE:LINE: KEY: warning: text" to the warnings. */
void		conf_diag_warn(struct conf_ctx *ctx, int line, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* copy.c */

/* Copies out of libconfuse; a failed allocation sets ctx->oom. */
char		*conf_copy_str(struct conf_ctx *ctx, cfg_t *sec, const char *key);
void		conf_copy_list(struct conf_ctx *ctx, cfg_t *sec,
		    const char *key, struct conf_list *out);
void		conf_copy_list_free(struct conf_list *l);
/* An integer key, reported when outside min .. max. */
long		conf_copy_long(struct conf_ctx *ctx, cfg_t *sec,
		    const char *secname, const char *key, long min, long max);

/* check.c */

int		conf_check_guid(const char *s);
int		conf_check_domain(const char *s);
/* NULL when u is https://host[:port][/path], else what is wrong. */
const char	*conf_check_https_url(const char *u);
/* NULL when uri is ldaps:// or ldap:// with a host; *ldaps says which. */
const char	*conf_check_ldap_uri(const char *uri, int *ldaps);
int		conf_check_sam_pattern(const char *p);
int		conf_check_extension_name(const char *s);
int		conf_check_prefix(const char *s);
/* An absolute path we can read, reported as sec.key when not. */
void		conf_check_readable(struct conf_ctx *ctx, const char *sec,
		    const char *key, const char *path);
/* An absolute path to a secret file safe to read (conf_secret_check). */
void		conf_check_secret(struct conf_ctx *ctx, const char *sec,
		    const char *key, const char *path);
/*
 * An absolute path to a file to be written: a name, in a directory that
 * exists ("" is left alone: the key is not set).
 */
void		conf_check_writable_path(struct conf_ctx *ctx,
		    const char *sec, const char *key, const char *path);

/* dncheck.c */

/*
 * dn is a valid DN and, when base is a valid DN, at or under it; reported
 * as sec.key when not.  mapping/dn.c decides, as for the write gate.
 */
void		conf_dncheck(struct conf_ctx *ctx, const char *sec,
		    const char *key, const char *dn, const char *base);
/* 1 when dn is at or under one of the DNs of l. */
int		conf_dncheck_in_list(const char *dn, const struct conf_list *l);

/* sections.c */

void		conf_sections_ldap(struct conf_ctx *ctx, cfg_t *sec,
		    struct conf_ldap *l);
void		conf_sections_cloud(struct conf_ctx *ctx, cfg_t *sec,
		    struct conf_cloud *c);
void		conf_sections_groups(struct conf_ctx *ctx, cfg_t *sec,
		    struct conf_groups *g, const struct conf_ldap *l);
/* limits, state_dir, exchange and the sections nothing reads yet. */
void		conf_sections_rest(struct conf_ctx *ctx, cfg_t *cfg,
		    struct conf *c);

/* daemon.c: the daemon section, every key read and checked. */
void		conf_daemon(struct conf_ctx *ctx, cfg_t *cfg, struct conf *c);

#endif
