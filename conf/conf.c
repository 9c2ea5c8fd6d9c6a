/*
 * Parse the configuration file with libconfuse and validate every key into
 * struct conf.  Errors name the file, the line and the key; all of them are
 * collected so an admin fixes the file in one pass.  Keys of the interface
 * contract that no command implements yet parse, and are refused ("not
 * supported yet") when set to anything but their default: check-config must
 * not say "configuration OK" about a setting every command would ignore.
 */
#include <confuse.h>
#include <errno.h>
#include <ldap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conf.h"
#include "secret.h"

/* A configuration file is a few kilobytes; refuse what cannot be one. */
#define CONF_FILE_MAX	(1024 * 1024)

/* Cap on recorded problems: a garbage file must not produce megabytes. */
#define CONF_DIAG_MAX	64

/* Where each key was last set, so checks made after parsing can cite a line. */
struct key_line {
	char	name[64];	/* "section.key" */
	int	line;
};

struct load_ctx {
	const char	*path;
	const char	*text;		/* the file, comments blanked */
	struct conf_diag *diag;
	struct key_line	 lines[96];
	size_t		 nlines;
	int		 oom;
};

/*
 * libconfuse callbacks carry no user pointer; conf_load() is the only user
 * and is not called concurrently, so the context it is filling lives here.
 */
static struct load_ctx *load_ctx;

/*
 * Keys of the contract that are not supported yet parse and are refused
 * unless they hold their default: uri as a list (load_uri), domain,
 * sasl_mech, keytab_file, principal (load_ldap); certificate_file,
 * private_key_file (load_cloud); the daemon section (load_unread).
 */
static cfg_opt_t ldap_opts[] = {
	CFG_STR_LIST("uri", NULL, CFGF_NODEFAULT),
	CFG_STR("domain", "", CFGF_NONE),
	CFG_BOOL("starttls", cfg_false, CFGF_NONE),
	CFG_STR("ca_file", "", CFGF_NONE),
	CFG_STR("bind_dn", "", CFGF_NONE),
	CFG_STR("password_file", "", CFGF_NONE),
	CFG_STR("sasl_mech", "", CFGF_NONE),
	CFG_STR("keytab_file", "", CFGF_NONE),
	CFG_STR("principal", "", CFGF_NONE),
	CFG_STR("base_dn", NULL, CFGF_NODEFAULT),
	CFG_STR_LIST("write_scope", NULL, CFGF_NODEFAULT),
	CFG_INT("timeout", 30, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t cloud_opts[] = {
	CFG_STR("tenant_id", NULL, CFGF_NODEFAULT),
	CFG_STR("client_id", NULL, CFGF_NODEFAULT),
	CFG_STR("client_secret_file", "", CFGF_NONE),
	CFG_STR("certificate_file", "", CFGF_NONE),
	CFG_STR("private_key_file", "", CFGF_NONE),
	CFG_STR("environment", "global", CFGF_NONE),
	/* "": the environment's host (cloud/token.c has them) */
	CFG_STR("login_url", "", CFGF_NONE),
	CFG_STR("graph_url", "", CFGF_NONE),
	CFG_STR("exchange_url", "", CFGF_NONE),
	CFG_STR("ca_file", "", CFGF_NONE),
	CFG_INT("timeout", 60, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t groups_opts[] = {
	CFG_BOOL("provision", cfg_false, CFGF_NONE),
	CFG_STR_LIST("provision_groups", "{}", CFGF_NONE),
	CFG_STR("type", "universal", CFGF_NONE),
	CFG_STR("sam_pattern", "%{displayName}", CFGF_NONE),
	CFG_STR("default_ou", "", CFGF_NONE),
	CFG_STR_LIST("allowed_ous", "{}", CFGF_NONE),
	CFG_STR("ou_extension", "", CFGF_NONE),
	CFG_BOOL("remove_unsynced_members", cfg_false, CFGF_NONE),
	CFG_BOOL("delete", cfg_false, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t limits_opts[] = {
	CFG_INT("max_changes", 500, CFGF_NONE),
	CFG_INT("max_deletes", 50, CFGF_NONE),
	CFG_INT("flap_threshold", 3, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t exchange_opts[] = {
	CFG_STR_LIST("proxy_address_exclude", "{\"SPO:\"}", CFGF_NONE),
	CFG_END()
};

/* Longest address type prefix in exchange.proxy_address_exclude. */
#define CONF_PREFIX_MAX		32

#define DAEMON_INTERVAL		60
#define DAEMON_FULL_INTERVAL	21600
#define DAEMON_LEASE_SECONDS	90

static cfg_opt_t daemon_opts[] = {
	CFG_INT("interval", DAEMON_INTERVAL, CFGF_NONE),
	CFG_INT("full_interval", DAEMON_FULL_INTERVAL, CFGF_NONE),
	CFG_STR("metrics_file", "", CFGF_NONE),
	CFG_STR("lease_dn", "", CFGF_NONE),
	CFG_INT("lease_seconds", DAEMON_LEASE_SECONDS, CFGF_NONE),
	CFG_END()
};

static cfg_opt_t root_opts[] = {
	CFG_SEC("ldap", ldap_opts, CFGF_NODEFAULT),
	CFG_SEC("cloud", cloud_opts, CFGF_NODEFAULT),
	CFG_SEC("groups", groups_opts, CFGF_NONE),
	CFG_SEC("limits", limits_opts, CFGF_NONE),
	CFG_SEC("exchange", exchange_opts, CFGF_NONE),
	CFG_SEC("daemon", daemon_opts, CFGF_NONE),
	CFG_STR("state_dir", "/var/lib/soabridge", CFGF_NONE),
	CFG_END()
};

/* Appends "FILE:LINE: KEY: [warning: ]text" to the errors or the warnings. */
static void
diag_push(struct load_ctx *ctx, int warn, int line, const char *key,
    const char *fmt, va_list ap)
{
	struct conf_diag *d = ctx->diag;
	char ***lines = warn ? &d->warnings : &d->lines;
	size_t *n = warn ? &d->nwarn : &d->n;
	const char *tag = warn ? "warning: " : "";
	char msg[512], full[768], **nl;

	if (*n >= CONF_DIAG_MAX)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s: %s%s", ctx->path, line,
		    key, tag, msg);
	else
		snprintf(full, sizeof(full), "%s: %s: %s%s", ctx->path, key,
		    tag, msg);
	nl = realloc(*lines, (*n + 1) * sizeof(*nl));
	if (nl == NULL) {
		ctx->oom = 1;
		return;
	}
	*lines = nl;
	nl[*n] = strdup(full);
	if (nl[*n] == NULL) {
		ctx->oom = 1;
		return;
	}
	(*n)++;
}

static void
diag_vadd(struct load_ctx *ctx, int line, const char *key, const char *fmt,
    va_list ap)
{
	diag_push(ctx, 0, line, key, fmt, ap);
}

static void diag_add(struct load_ctx *, int, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
diag_add(struct load_ctx *ctx, int line, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(ctx, line, key, fmt, ap);
	va_end(ap);
}

static void warn_add(struct load_ctx *, int, const char *, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
warn_add(struct load_ctx *ctx, int line, const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_push(ctx, 1, line, key, fmt, ap);
	va_end(ap);
}

/* libconfuse's own messages ("no such option 'x'") name the key already. */
static void
on_cfg_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	const char *sec = cfg && cfg->name && strcmp(cfg->name, "root") ?
	    cfg->name : "(top level)";

	diag_vadd(load_ctx, cfg ? cfg->line : 0, sec, fmt, ap);
}

static int
on_key_set(cfg_t *cfg, cfg_opt_t *opt)
{
	struct load_ctx *ctx = load_ctx;
	struct key_line *kl;
	char name[64];
	size_t i;

	snprintf(name, sizeof(name), "%s.%s",
	    strcmp(cfg->name, "root") ? cfg->name : "", opt->name);
	for (i = 0; i < ctx->nlines; i++)
		if (strcmp(ctx->lines[i].name, name) == 0)
			break;
	if (i == ctx->nlines) {
		if (ctx->nlines == sizeof(ctx->lines) / sizeof(ctx->lines[0]))
			return 0;
		ctx->nlines++;
	}
	kl = &ctx->lines[i];
	snprintf(kl->name, sizeof(kl->name), "%s", name);
	kl->line = cfg->line;
	return 0;	/* checks come after parsing, with every key known */
}

static int
key_line(const struct load_ctx *ctx, const char *sec, const char *key)
{
	char name[64];
	size_t i;

	snprintf(name, sizeof(name), "%s.%s", sec, key);
	for (i = 0; i < ctx->nlines; i++)
		if (strcmp(ctx->lines[i].name, name) == 0)
			return ctx->lines[i].line;
	return 0;
}

static void
register_validators(cfg_t *cfg)
{
	static const struct {
		const char	*section;
		cfg_opt_t	*opts;
	} secs[] = {
		{ "ldap", ldap_opts }, { "cloud", cloud_opts },
		{ "groups", groups_opts }, { "limits", limits_opts },
		{ "exchange", exchange_opts }, { "daemon", daemon_opts },
	};
	char path[96];
	size_t i;
	cfg_opt_t *o;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (o = secs[i].opts; o->name != NULL; o++) {
			snprintf(path, sizeof(path), "%s|%s", secs[i].section,
			    o->name);
			cfg_set_validate_func(cfg, path, on_key_set);
		}
	cfg_set_validate_func(cfg, "state_dir", on_key_set);
}

/*
 * libconfuse 3.3 miscounts lines after comments (a "# ..." line adds two),
 * so errors would cite the wrong line.  We blank the comments ourselves,
 * keeping every newline, and hand libconfuse a buffer without any.
 */
static void
blank_comments(char *s)
{
	char quote = 0;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (quote) {
			if (s[i] == '\\' && s[i + 1] != '\0' && s[i + 1] != '\n')
				i++;
			else if (s[i] == quote || s[i] == '\n')
				quote = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			quote = s[i];
		} else if (s[i] == '#' || (s[i] == '/' && s[i + 1] == '/')) {
			for (; s[i] != '\0' && s[i] != '\n'; i++)
				s[i] = ' ';
			if (s[i] == '\0')
				break;
		} else if (s[i] == '/' && s[i + 1] == '*') {
			s[i] = s[i + 1] = ' ';
			for (i += 2; s[i] != '\0' &&
			    !(s[i] == '*' && s[i + 1] == '/'); i++)
				if (s[i] != '\n')
					s[i] = ' ';
			if (s[i] == '\0')
				break;
			s[i] = s[i + 1] = ' ';
			i++;
		}
	}
}

/* The whole file, NUL-terminated; NULL with errno set on failure. */
static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n;
	int failed;

	if (f == NULL)
		return NULL;
	buf = malloc(CONF_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(buf, 1, CONF_FILE_MAX + 1, f);
	failed = ferror(f) ? EIO : n > CONF_FILE_MAX ? EFBIG : 0;
	fclose(f);
	if (failed) {
		free(buf);
		errno = failed;
		return NULL;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		errno = EINVAL;		/* a NUL byte: not a text file */
		return NULL;
	}
	return buf;
}

/* ---- value checks ------------------------------------------------------ */

static int
dn_valid(const char *dn)
{
	LDAPDN parsed = NULL;
	int ok;

	if (dn == NULL || *dn == '\0')
		return 0;
	ok = ldap_str2dn(dn, &parsed, LDAP_DN_FORMAT_LDAPV3) == LDAP_SUCCESS &&
	    parsed != NULL;
	ldap_dnfree(parsed);
	return ok;
}

/* Normalised form for comparison; NULL if dn is malformed.  Caller frees. */
static char *
dn_norm(const char *dn)
{
	char *out = NULL;
	size_t i;

	if (ldap_dn_normalize(dn, LDAP_DN_FORMAT_LDAPV3, &out,
	    LDAP_DN_FORMAT_LDAPV3) != LDAP_SUCCESS)
		return NULL;
	/* AD compares DNs case-insensitively. */
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return out;
}

/* 1 when dn is base or below it, comparing whole RDNs. */
static int
dn_is_under(const char *dn, const char *base)
{
	char *d = dn_norm(dn), *b = dn_norm(base);
	size_t dl, bl;
	int under = 0;

	if (d != NULL && b != NULL) {
		dl = strlen(d);
		bl = strlen(b);
		under = dl == bl ? strcmp(d, b) == 0 :
		    dl > bl && strcmp(d + dl - bl, b) == 0 &&
		    d[dl - bl - 1] == ',' &&
		    (dl - bl < 2 || d[dl - bl - 2] != '\\');
	}
	ldap_memfree(d);
	ldap_memfree(b);
	return under;
}

static int
guid_valid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, k = 0;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (k < 4 && (int)i == dash[k]) {
			if (s[i] != '-')
				return 0;
			k++;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	}
	return 1;
}

/* A DNS name such as contoso.onmicrosoft.com: letters, digits, '-', '.'. */
static int
domain_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 253 || strchr(s, '.') == NULL || s[0] == '.' ||
	    s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		    s[i] == '.'))
			return 0;
	return 1;
}

/* https://host[:port][/path], nothing else: the cloud is only spoken to over TLS. */
static const char *
https_url_problem(const char *u)
{
	const char *host = u + 8, *end;
	size_t i;

	if (strncasecmp(u, "https://", 8) != 0)
		return "must be an https:// URL";
	end = host + strcspn(host, ":/");
	if (end == host)
		return "has no host name";
	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == '?' || u[i] == '#')
			return "contains a space, a query or a fragment";
	return NULL;
}

static const char *
ldap_uri_problem(const char *uri, int *ldaps)
{
	LDAPURLDesc *lud = NULL;
	const char *problem = NULL;

	if (ldap_url_parse(uri, &lud) != LDAP_URL_SUCCESS)
		return "is not a valid LDAP URI (ldaps://host or ldap://host)";
	if (strcasecmp(lud->lud_scheme, "ldaps") == 0)
		*ldaps = 1;
	else if (strcasecmp(lud->lud_scheme, "ldap") == 0)
		*ldaps = 0;
	else
		problem = "scheme must be ldaps:// or ldap://";
	if (problem == NULL && (lud->lud_host == NULL || *lud->lud_host == '\0'))
		problem = "has no host name";
	if (problem == NULL && lud->lud_dn != NULL && *lud->lud_dn != '\0')
		problem = "must not carry a DN (use base_dn)";
	ldap_free_urldesc(lud);
	return problem;
}

static void
check_readable(struct load_ctx *ctx, const char *sec, const char *key,
    const char *path)
{
	int line = key_line(ctx, sec, key);
	char k[64];

	snprintf(k, sizeof(k), "%s.%s", sec, key);
	if (path[0] != '/')
		diag_add(ctx, line, k, "'%s' must be an absolute path", path);
	else if (access(path, R_OK) == -1)
		diag_add(ctx, line, k, "cannot read '%s': %s", path,
		    strerror(errno));
}

static void
check_secret(struct load_ctx *ctx, const char *sec, const char *key,
    const char *path)
{
	struct sb_error err;
	char k[64];

	snprintf(k, sizeof(k), "%s.%s", sec, key);
	if (path[0] != '/') {
		diag_add(ctx, key_line(ctx, sec, key), k,
		    "'%s' must be an absolute path", path);
		return;
	}
	if (conf_secret_check(path, &err) != SB_OK)
		diag_add(ctx, key_line(ctx, sec, key), k, "%s", err.text);
}

static void
check_dn(struct load_ctx *ctx, const char *sec, const char *key,
    const char *dn, const char *base)
{
	int line = key_line(ctx, sec, key);
	char k[64];

	snprintf(k, sizeof(k), "%s.%s", sec, key);
	if (!dn_valid(dn))
		diag_add(ctx, line, k, "'%s' is not a valid DN (RFC 4514)", dn);
	else if (base != NULL && dn_valid(base) && !dn_is_under(dn, base))
		diag_add(ctx, line, k, "'%s' is not inside base_dn '%s'", dn,
		    base);
}

/* ---- copying out of libconfuse ------------------------------------------ */

static char *
dup_str(struct load_ctx *ctx, cfg_t *sec, const char *key)
{
	const char *v = cfg_getstr(sec, key);
	char *s = strdup(v ? v : "");

	if (s == NULL)
		ctx->oom = 1;
	return s;
}

static void
dup_list(struct load_ctx *ctx, cfg_t *sec, const char *key,
    struct conf_list *out)
{
	unsigned int i, n = cfg_size(sec, key);

	out->v = calloc(n + 1, sizeof(*out->v));
	out->n = 0;
	if (out->v == NULL) {
		ctx->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		out->v[i] = strdup(cfg_getnstr(sec, key, i));
		if (out->v[i] == NULL) {
			ctx->oom = 1;
			return;
		}
		out->n++;
	}
}

static void
list_free(struct conf_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static long
get_long(struct load_ctx *ctx, cfg_t *sec, const char *secname,
    const char *key, long min, long max)
{
	long v = cfg_getint(sec, key);
	char k[64];

	snprintf(k, sizeof(k), "%s.%s", secname, key);
	if (v < min || v > max)
		diag_add(ctx, key_line(ctx, secname, key), k,
		    "%ld is out of range (%ld to %ld)", v, min, max);
	return v;
}

/*
 * "FILE:LINE: sec.key: VALUE: WHAT not supported yet; HINT" for a key of the
 * contract that this version parses but does not implement.  value comes
 * quoted; what ends in its verb ("certificate credentials are").
 */
static void
not_supported(struct load_ctx *ctx, const char *sec, const char *key,
    const char *value, const char *what, const char *hint)
{
	char k[64];

	snprintf(k, sizeof(k), "%s.%s", sec, key);
	diag_add(ctx, key_line(ctx, sec, key), k, "%s: %s not supported yet; "
	    "%s", value, what, hint);
}

/* A string key that must keep its default until its feature exists. */
static int
refuse_str(struct load_ctx *ctx, cfg_t *sec, const char *secname,
    const char *key, const char *def, const char *what, const char *hint)
{
	const char *v = cfg_getstr(sec, key);
	char q[320];

	if (v == NULL || strcmp(v, def) == 0)
		return 0;
	snprintf(q, sizeof(q), "'%.300s'", v);
	not_supported(ctx, secname, key, q, what, hint);
	return 1;
}

/*
 * ldap.uri: one ldaps:// (or ldap:// with starttls) URI.  The contract's
 * list of URIs tried in order is not supported yet: libldap tries the next
 * URI only when a connect fails at once, and with the asynchronous connect
 * ldap/conn.c needs before libldap 2.6.9 a DC that does not answer is not
 * skipped, so a list would promise a fail-over that does not happen.
 */
static void
load_uri(struct load_ctx *ctx, cfg_t *sec, struct conf_ldap *l)
{
	unsigned int n = cfg_size(sec, "uri");
	const char *first = n > 0 ? cfg_getnstr(sec, "uri", 0) : "";
	const char *problem;
	int line = key_line(ctx, "ldap", "uri"), ldaps = 1;
	char q[320];

	l->uri = strdup(first ? first : "");
	if (l->uri == NULL) {
		ctx->oom = 1;
		return;
	}
	if (n > 1) {
		snprintf(q, sizeof(q), "a list of %u URIs", n);
		not_supported(ctx, "ldap", "uri", q, "several domain "
		    "controllers tried in order are", "give one URI");
		return;
	}
	if (strpbrk(l->uri, " \t,") != NULL) {
		snprintf(q, sizeof(q), "'%.300s'", l->uri);
		not_supported(ctx, "ldap", "uri", q, "several URIs are",
		    "give one URI");
		return;
	}
	problem = ldap_uri_problem(l->uri, &ldaps);
	if (problem != NULL)
		diag_add(ctx, line, "ldap.uri", "'%s' %s", l->uri, problem);
	else if (!ldaps && !l->starttls)
		diag_add(ctx, line, "ldap.uri",
		    "'%s' is plain LDAP: use ldaps:// or set starttls = true "
		    "(a password is never sent in clear text)", l->uri);
	else if (ldaps && l->starttls)
		diag_add(ctx, key_line(ctx, "ldap", "starttls"),
		    "ldap.starttls", "starttls applies to ldap:// only; "
		    "'%s' is already TLS", l->uri);
}

static void
load_ldap(struct load_ctx *ctx, cfg_t *sec, struct conf_ldap *l)
{
	static const char krb[] = "use bind_dn and password_file "
	    "(a simple bind over TLS)";
	size_t i;

	l->starttls = cfg_getbool(sec, "starttls");
	l->ca_file = dup_str(ctx, sec, "ca_file");
	l->bind_dn = dup_str(ctx, sec, "bind_dn");
	l->password_file = dup_str(ctx, sec, "password_file");
	l->sasl_mech = dup_str(ctx, sec, "sasl_mech");
	l->keytab_file = dup_str(ctx, sec, "keytab_file");
	l->base_dn = dup_str(ctx, sec, "base_dn");
	dup_list(ctx, sec, "write_scope", &l->write_scope);
	l->timeout = get_long(ctx, sec, "ldap", "timeout", 1, 3600);
	if (!ctx->oom)
		load_uri(ctx, sec, l);
	if (ctx->oom)
		return;

	refuse_str(ctx, sec, "ldap", "domain", "", "finding the domain "
	    "controllers through DNS (SRV records) is", "name the DC in uri");
	refuse_str(ctx, sec, "ldap", "sasl_mech", "", "SASL binds (GSSAPI, "
	    "Kerberos) are", "leave sasl_mech empty and use bind_dn and "
	    "password_file (a simple bind over TLS)");
	refuse_str(ctx, sec, "ldap", "keytab_file", "", "Kerberos binds "
	    "(GSSAPI with a keytab) are", krb);
	refuse_str(ctx, sec, "ldap", "principal", "", "Kerberos binds "
	    "(GSSAPI with a principal) are", krb);
	if (*l->ca_file)
		check_readable(ctx, "ldap", "ca_file", l->ca_file);
	if (*l->bind_dn == '\0')
		diag_add(ctx, key_line(ctx, "ldap", "bind_dn"), "ldap.bind_dn",
		    "required (the account of the simple bind)");
	else
		check_dn(ctx, "ldap", "bind_dn", l->bind_dn, NULL);
	if (*l->password_file == '\0')
		diag_add(ctx, key_line(ctx, "ldap", "password_file"),
		    "ldap.password_file", "required (the file holding "
		    "bind_dn's password)");
	else
		check_secret(ctx, "ldap", "password_file", l->password_file);
	check_dn(ctx, "ldap", "base_dn", l->base_dn, NULL);
	if (l->write_scope.n == 0)
		diag_add(ctx, key_line(ctx, "ldap", "write_scope"),
		    "ldap.write_scope", "at least one DN is required: "
		    "writes are confined to it");
	for (i = 0; i < l->write_scope.n; i++)
		check_dn(ctx, "ldap", "write_scope", l->write_scope.v[i],
		    l->base_dn);
}

/*
 * cloud.environment: Microsoft's global cloud or a national one.  It sets
 * the hosts and the token audiences (cloud/token.c); the URL keys only move
 * where requests go.  The names are the contract's (DESIGN.md).
 */
static void
check_environment(struct load_ctx *ctx, const char *env)
{
	static const char *const names[] = { "global", "usgov", "usgov-dod",
	    "china" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(env, names[i]) == 0)
			return;
	diag_add(ctx, key_line(ctx, "cloud", "environment"),
	    "cloud.environment", "'%s' is not one of global, usgov (GCC High), "
	    "usgov-dod (DoD), china (21Vianet)", env);
}

static void
load_cloud(struct load_ctx *ctx, cfg_t *sec, struct conf_cloud *c)
{
	static const char *const urls[] = { "login_url", "graph_url",
	    "exchange_url" };
	static const char cert[] = "use client_secret_file";
	char **fields[] = { &c->login_url, &c->graph_url, &c->exchange_url };
	const char *problem;
	size_t i;
	char k[64];

	c->tenant_id = dup_str(ctx, sec, "tenant_id");
	c->client_id = dup_str(ctx, sec, "client_id");
	c->client_secret_file = dup_str(ctx, sec, "client_secret_file");
	c->certificate_file = dup_str(ctx, sec, "certificate_file");
	c->private_key_file = dup_str(ctx, sec, "private_key_file");
	c->environment = dup_str(ctx, sec, "environment");
	for (i = 0; i < 3; i++)
		*fields[i] = dup_str(ctx, sec, urls[i]);
	c->ca_file = dup_str(ctx, sec, "ca_file");
	c->timeout = get_long(ctx, sec, "cloud", "timeout", 1, 3600);
	if (ctx->oom)
		return;

	if (!guid_valid(c->tenant_id) && !domain_valid(c->tenant_id))
		diag_add(ctx, key_line(ctx, "cloud", "tenant_id"),
		    "cloud.tenant_id", "'%s' is neither a GUID nor a domain "
		    "name", c->tenant_id);
	if (!guid_valid(c->client_id))
		diag_add(ctx, key_line(ctx, "cloud", "client_id"),
		    "cloud.client_id", "'%s' is not a GUID "
		    "(the application's client id)", c->client_id);
	refuse_str(ctx, sec, "cloud", "certificate_file", "", "certificate "
	    "credentials are", cert);
	refuse_str(ctx, sec, "cloud", "private_key_file", "", "certificate "
	    "credentials are", cert);
	if (*c->client_secret_file == '\0')
		diag_add(ctx, key_line(ctx, "cloud", "client_secret_file"),
		    "cloud.client_secret_file", "required (the file holding "
		    "the app registration's client secret)");
	else
		check_secret(ctx, "cloud", "client_secret_file",
		    c->client_secret_file);
	check_environment(ctx, c->environment);
	for (i = 0; i < 3; i++) {
		if (**fields[i] == '\0')
			continue;	/* the environment's */
		problem = https_url_problem(*fields[i]);
		snprintf(k, sizeof(k), "cloud.%s", urls[i]);
		if (problem != NULL)
			diag_add(ctx, key_line(ctx, "cloud", urls[i]), k,
			    "'%s' %s", *fields[i], problem);
	}
	if (*c->ca_file)
		check_readable(ctx, "cloud", "ca_file", c->ca_file);
}

static int
sam_pattern_valid(const char *p)
{
	static const char *const known[] = { "%{displayName}",
	    "%{mailNickname}", "%{id}" };
	const char *s = p;
	size_t i;
	int ok;

	while ((s = strchr(s, '%')) != NULL) {
		ok = 0;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strncmp(s, known[i], strlen(known[i])) == 0) {
				s += strlen(known[i]);
				ok = 1;
				break;
			}
		if (!ok)
			return 0;
	}
	return *p != '\0';
}

static int
extension_name_valid(const char *s)
{
	size_t i;

	if (strncmp(s, "extension_", 10) != 0 || strlen(s) < 10 + 32 + 2)
		return 0;
	for (i = 10; i < 42; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	if (s[42] != '_')
		return 0;
	for (i = 43; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
			return 0;
	return 1;
}

static int
dn_in_list(const char *dn, const struct conf_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (dn_is_under(dn, l->v[i]))
			return 1;
	return 0;
}

static void
load_groups(struct load_ctx *ctx, cfg_t *sec, struct conf_groups *g,
    const struct conf_ldap *l)
{
	const char *type = cfg_getstr(sec, "type");
	size_t i;

	g->provision = cfg_getbool(sec, "provision");
	dup_list(ctx, sec, "provision_groups", &g->provision_groups);
	g->sam_pattern = dup_str(ctx, sec, "sam_pattern");
	g->default_ou = dup_str(ctx, sec, "default_ou");
	dup_list(ctx, sec, "allowed_ous", &g->allowed_ous);
	g->ou_extension = dup_str(ctx, sec, "ou_extension");
	g->remove_unsynced_members = cfg_getbool(sec,
	    "remove_unsynced_members");
	g->delete = cfg_getbool(sec, "delete");
	if (ctx->oom)
		return;

	if (strcmp(type, "universal") == 0)
		g->type = CONF_GROUP_UNIVERSAL;
	else if (strcmp(type, "global") == 0)
		g->type = CONF_GROUP_GLOBAL;
	else if (strcmp(type, "domain-local") == 0)
		g->type = CONF_GROUP_DOMAIN_LOCAL;
	else
		diag_add(ctx, key_line(ctx, "groups", "type"), "groups.type",
		    "'%s' is not one of universal, global, domain-local",
		    type);
	for (i = 0; i < g->provision_groups.n; i++)
		if (!guid_valid(g->provision_groups.v[i]))
			diag_add(ctx, key_line(ctx, "groups",
			    "provision_groups"), "groups.provision_groups",
			    "'%s' is not a cloud group id (GUID)",
			    g->provision_groups.v[i]);
	if (!sam_pattern_valid(g->sam_pattern))
		diag_add(ctx, key_line(ctx, "groups", "sam_pattern"),
		    "groups.sam_pattern", "'%s' is empty or uses an unknown "
		    "placeholder (known: %%{displayName}, %%{mailNickname}, "
		    "%%{id})", g->sam_pattern);
	for (i = 0; i < g->allowed_ous.n; i++)
		check_dn(ctx, "groups", "allowed_ous", g->allowed_ous.v[i],
		    l->base_dn);
	if (*g->default_ou != '\0') {
		check_dn(ctx, "groups", "default_ou", g->default_ou,
		    l->base_dn);
		if (dn_valid(g->default_ou) &&
		    !dn_in_list(g->default_ou, &g->allowed_ous))
			diag_add(ctx, key_line(ctx, "groups", "default_ou"),
			    "groups.default_ou", "'%s' is not inside any of "
			    "allowed_ous", g->default_ou);
		if (dn_valid(g->default_ou) &&
		    !dn_in_list(g->default_ou, &l->write_scope))
			diag_add(ctx, key_line(ctx, "groups", "default_ou"),
			    "groups.default_ou", "'%s' is not inside "
			    "ldap.write_scope", g->default_ou);
	} else if (g->provision) {
		diag_add(ctx, key_line(ctx, "groups", "provision"),
		    "groups.default_ou", "required when provision = true");
	}
	if (*g->ou_extension != '\0' && !extension_name_valid(g->ou_extension))
		diag_add(ctx, key_line(ctx, "groups", "ou_extension"),
		    "groups.ou_extension", "'%s' is not a directory extension "
		    "name (extension_<appId without dashes>_<name>)",
		    g->ou_extension);
}

/*
 * Where a section is: the first line that opens it ("name {" at the start
 * of a line), else the line libconfuse gives it (its closing brace).  0 when
 * the file has no such section (libconfuse then makes one from the
 * defaults, at line 0).
 */
static int
section_line(const struct load_ctx *ctx, cfg_t *cfg, const char *name)
{
	cfg_t *sec = cfg_getsec(cfg, name);
	const char *s = ctx->text, *p;
	size_t n = strlen(name);
	int line = 1;

	if (sec == NULL || sec->line <= 0)
		return 0;
	for (; s != NULL && *s != '\0'; line++) {
		p = s + strspn(s, " \t");
		if (strncmp(p, name, n) == 0) {
			p += n;
			p += strspn(p, " \t");
			if (*p == '{')
				return line;
		}
		s = strchr(s, '\n');
		if (s != NULL)
			s++;
	}
	return sec->line;
}

/* Why a daemon key is refused, and what to do instead. */
static const char daemon_what[] = "the service (a 'run' command looping "
    "over cycles) is";
static const char daemon_hint[] = "schedule 'soabridge sync' instead (cron, "
    "a systemd timer) and remove the daemon section";

static int
refuse_daemon_long(struct load_ctx *ctx, cfg_t *dmn, const char *key,
    long def)
{
	long v = cfg_getint(dmn, key);
	char q[32];

	if (v == def)
		return 0;
	snprintf(q, sizeof(q), "%ld", v);
	not_supported(ctx, "daemon", key, q, daemon_what, daemon_hint);
	return 1;
}

/* An address type prefix: letters, digits, '-', '_', then an optional ':'. */
static int
prefix_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n > 0 && s[n - 1] == ':')
		n--;
	if (n == 0 || n > CONF_PREFIX_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* exchange.proxy_address_exclude: prefixes kept out of proxyAddresses writes. */
static void
load_exchange(struct load_ctx *ctx, cfg_t *sec, struct conf_exchange *x)
{
	size_t i;

	dup_list(ctx, sec, "proxy_address_exclude", &x->proxy_address_exclude);
	for (i = 0; !ctx->oom && i < x->proxy_address_exclude.n; i++)
		if (!prefix_valid(x->proxy_address_exclude.v[i]))
			diag_add(ctx, key_line(ctx, "exchange",
			    "proxy_address_exclude"),
			    "exchange.proxy_address_exclude", "'%.64s' is not "
			    "an address prefix (up to %d letters, digits, '-' "
			    "or '_', and an optional ':', e.g. \"SPO:\")",
			    x->proxy_address_exclude.v[i], CONF_PREFIX_MAX);
}

/*
 * Sections no command reads yet.  A key set to anything but its default is
 * refused; a section present with defaults only is ignored, with a warning
 * so nobody believes it does something.
 */
static void
load_unread(struct load_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *dmn = cfg_getsec(cfg, "daemon");
	int refused = 0, line;

	c->daemon.interval = cfg_getint(dmn, "interval");
	c->daemon.full_interval = cfg_getint(dmn, "full_interval");
	c->daemon.lease_seconds = cfg_getint(dmn, "lease_seconds");
	c->daemon.metrics_file = dup_str(ctx, dmn, "metrics_file");
	c->daemon.lease_dn = dup_str(ctx, dmn, "lease_dn");
	if (ctx->oom)
		return;
	refused += refuse_daemon_long(ctx, dmn, "interval", DAEMON_INTERVAL);
	refused += refuse_daemon_long(ctx, dmn, "full_interval",
	    DAEMON_FULL_INTERVAL);
	refused += refuse_daemon_long(ctx, dmn, "lease_seconds",
	    DAEMON_LEASE_SECONDS);
	refused += refuse_str(ctx, dmn, "daemon", "metrics_file", "",
	    daemon_what, daemon_hint);
	refused += refuse_str(ctx, dmn, "daemon", "lease_dn", "", daemon_what,
	    daemon_hint);
	line = section_line(ctx, cfg, "daemon");
	if (!refused && line > 0)
		warn_add(ctx, line, "daemon", "this section is read by nothing "
		    "and ignored: the service ('run') is not supported yet; "
		    "schedule 'soabridge sync' instead");
}

static void
load_rest(struct load_ctx *ctx, cfg_t *cfg, struct conf *c)
{
	cfg_t *lim = cfg_getsec(cfg, "limits");

	c->limits.max_changes = get_long(ctx, lim, "limits", "max_changes", 0,
	    100000000);
	c->limits.max_deletes = get_long(ctx, lim, "limits", "max_deletes", 0,
	    100000000);
	c->limits.flap_threshold = get_long(ctx, lim, "limits",
	    "flap_threshold", 1, 1000);
	c->state_dir = dup_str(ctx, cfg, "state_dir");
	if (ctx->oom)
		return;
	if (c->state_dir[0] != '/')
		diag_add(ctx, key_line(ctx, "", "state_dir"), "state_dir",
		    "'%s' must be an absolute path", c->state_dir);
	load_exchange(ctx, cfg_getsec(cfg, "exchange"), &c->exchange);
	if (ctx->oom)
		return;
	load_unread(ctx, cfg, c);
}

/* Required sections and keys that libconfuse leaves unset when absent. */
static int
check_required(struct load_ctx *ctx, cfg_t *cfg)
{
	static const struct {
		const char *sec, *key;
	} req[] = {
		{ "ldap", "uri" }, { "ldap", "base_dn" },
		{ "ldap", "write_scope" },
		{ "cloud", "tenant_id" }, { "cloud", "client_id" },
	};
	size_t i;
	int ok = 1;
	cfg_t *sec;
	char k[64];

	if (cfg_size(cfg, "ldap") == 0) {
		diag_add(ctx, 0, "ldap", "section is missing");
		ok = 0;
	}
	if (cfg_size(cfg, "cloud") == 0) {
		diag_add(ctx, 0, "cloud", "section is missing");
		ok = 0;
	}
	if (!ok)
		return 0;
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		sec = cfg_getsec(cfg, req[i].sec);
		if (cfg_size(sec, req[i].key) == 0) {
			snprintf(k, sizeof(k), "%s.%s", req[i].sec, req[i].key);
			diag_add(ctx, 0, k, "required key is missing");
			ok = 0;
		}
	}
	return ok;
}

enum sb_status
conf_load(const char *path, struct conf **out, struct conf_diag *diag)
{
	struct load_ctx ctx = { 0 };
	struct conf *c = NULL;
	cfg_t *cfg = NULL;
	char *text = NULL;
	enum sb_status st = SB_CONFIG;
	int rc;

	memset(diag, 0, sizeof(*diag));
	ctx.path = path;
	ctx.diag = diag;
	load_ctx = &ctx;

	text = read_file(path);
	if (text == NULL) {
		diag_add(&ctx, 0, "file", "cannot read: %s", strerror(errno));
		goto done;
	}
	blank_comments(text);
	ctx.text = text;
	cfg = cfg_init(root_opts, CFGF_NONE);
	if (cfg == NULL) {
		diag_add(&ctx, 0, "file", "out of memory");
		goto done;
	}
	cfg_set_error_function(cfg, on_cfg_error);
	register_validators(cfg);
	rc = cfg_parse_buf(cfg, text);
	if (rc != CFG_SUCCESS || !check_required(&ctx, cfg))
		goto done;

	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->path = strdup(path)) == NULL) {
		ctx.oom = 1;
		goto done;
	}
	load_ldap(&ctx, cfg_getsec(cfg, "ldap"), &c->ldap);
	if (!ctx.oom)
		load_cloud(&ctx, cfg_getsec(cfg, "cloud"), &c->cloud);
	if (!ctx.oom)
		load_groups(&ctx, cfg_getsec(cfg, "groups"), &c->groups,
		    &c->ldap);
	if (!ctx.oom)
		load_rest(&ctx, cfg, c);
	if (ctx.oom || diag->n > 0)
		goto done;
	*out = c;
	c = NULL;
	st = SB_OK;
done:
	if (ctx.oom) {
		diag_add(&ctx, 0, "file", "out of memory while loading");
		st = SB_BUG;
	}
	conf_free(c);
	if (cfg != NULL)
		cfg_free(cfg);
	free(text);
	load_ctx = NULL;
	return st;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->ldap.uri);
	free(c->ldap.ca_file);
	free(c->ldap.bind_dn);
	free(c->ldap.password_file);
	free(c->ldap.sasl_mech);
	free(c->ldap.keytab_file);
	free(c->ldap.base_dn);
	list_free(&c->ldap.write_scope);
	free(c->cloud.tenant_id);
	free(c->cloud.client_id);
	free(c->cloud.client_secret_file);
	free(c->cloud.certificate_file);
	free(c->cloud.private_key_file);
	free(c->cloud.environment);
	free(c->cloud.login_url);
	free(c->cloud.graph_url);
	free(c->cloud.exchange_url);
	free(c->cloud.ca_file);
	list_free(&c->groups.provision_groups);
	free(c->groups.sam_pattern);
	free(c->groups.default_ou);
	list_free(&c->groups.allowed_ous);
	free(c->groups.ou_extension);
	list_free(&c->exchange.proxy_address_exclude);
	free(c->daemon.metrics_file);
	free(c->daemon.lease_dn);
	free(c->state_dir);
	free(c);
}

void
conf_diag_free(struct conf_diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->lines[i]);
	free(d->lines);
	for (i = 0; i < d->nwarn; i++)
		free(d->warnings[i]);
	free(d->warnings);
	memset(d, 0, sizeof(*d));
}

const char *
conf_group_type_name(enum conf_group_type t)
{
	switch (t) {
	case CONF_GROUP_UNIVERSAL:	return "universal";
	case CONF_GROUP_GLOBAL:		return "global";
	case CONF_GROUP_DOMAIN_LOCAL:	return "domain-local";
	}
	return "unknown";
}
