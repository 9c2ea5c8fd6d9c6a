/* Checks of single values: ids, host names, URLs, paths, secret files, patterns. */
#include <errno.h>
#include <ldap.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "internal.h"
#include "secret.h"
#include "mapping/codec.h"

/* ASCII only, whatever the locale: these names go into URLs and LDAP. */
static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* The text form of a GUID, without braces: what Entra ID shows. */
int
conf_check_guid(const char *s)
{
	unsigned char g[MAP_GUID_LEN];

	return strlen(s) == 36 && map_guid_from_text(s, g, NULL) == SB_OK;
}

/* A DNS name such as contoso.onmicrosoft.com: letters, digits, '-', '.'. */
int
conf_check_domain(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 253 || strchr(s, '.') == NULL || s[0] == '.' ||
	    s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '.')
			return 0;
	return 1;
}

/* https://host[:port][/path], nothing else: the cloud is only spoken to over TLS. */
const char *
conf_check_https_url(const char *u)
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

/* libldap parses the URI: ldap/conn.c hands it to the same parser. */
const char *
conf_check_ldap_uri(const char *uri, int *ldaps)
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

int
conf_check_sam_pattern(const char *p)
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

/* extension_<appId, 32 hex digits>_<name>: Graph's directory extensions. */
int
conf_check_extension_name(const char *s)
{
	size_t i;

	if (strncmp(s, "extension_", 10) != 0 || strlen(s) < 10 + 32 + 2)
		return 0;
	for (i = 10; i < 42; i++)
		if (sb_hex_value((unsigned char)s[i]) < 0)
			return 0;
	if (s[42] != '_')
		return 0;
	for (i = 43; s[i] != '\0'; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

/* An address type prefix: letters, digits, '-', '_', then an optional ':'. */
int
conf_check_prefix(const char *s)
{
	size_t i, n = strlen(s);

	if (n > 0 && s[n - 1] == ':')
		n--;
	if (n == 0 || n > CONF_PREFIX_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return 0;
	return 1;
}

void
conf_check_readable(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *path)
{
	if (path[0] != '/')
		conf_diag_key(ctx, sec, key, "'%s' must be an absolute path",
		    path);
	else if (access(path, R_OK) == -1)
		conf_diag_key(ctx, sec, key, "cannot read '%s': %s", path,
		    strerror(errno));
}

void
conf_check_secret(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *path)
{
	struct sb_error err;

	if (path[0] != '/')
		conf_diag_key(ctx, sec, key, "'%s' must be an absolute path",
		    path);
	else if (conf_secret_check(path, &err) != SB_OK)
		conf_diag_key(ctx, sec, key, "%s", err.text);
}

/*
 * Checked when the file is loaded, so that check-config, not the first
 * cycle, says the directory is missing.
 */
void
conf_check_writable_path(struct conf_ctx *ctx, const char *sec, const char *key,
    const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat sb;
	char dir[4096];

	if (path[0] == '\0')
		return;
	if (path[0] != '/') {
		conf_diag_key(ctx, sec, key, "'%s' must be an absolute path",
		    path);
		return;
	}
	if (slash[1] == '\0') {
		conf_diag_key(ctx, sec, key,
		    "'%s' names a directory, not a file", path);
		return;
	}
	snprintf(dir, sizeof(dir), "%.*s",
	    slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &sb) != 0)
		conf_diag_key(ctx, sec, key, "'%s': directory %s: %s", path,
		    dir, strerror(errno));
	else if (!S_ISDIR(sb.st_mode))
		conf_diag_key(ctx, sec, key, "'%s': %s is not a directory",
		    path, dir);
}
