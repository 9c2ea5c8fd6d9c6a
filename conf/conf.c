/*
 * Parse the configuration file with libconfuse and validate every key into
 * struct conf.  Errors name the file, the line and the key; all of them are
 * collected so an admin fixes the file in one pass.  The keys are in
 * schema.c, each section's checks in sections.c, the keys not supported yet
 * in unsupported.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "internal.h"

/* A configuration file is a few kilobytes; refuse what cannot be one. */
#define CONF_FILE_MAX	(1024 * 1024)

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

/* Required sections and keys that libconfuse leaves unset when absent. */
static int
check_required(struct conf_ctx *ctx, cfg_t *cfg)
{
	static const struct {
		const char *sec, *key;
	} req[] = {
		{ "ldap", "base_dn" },
		{ "ldap", "write_scope" },
		{ "cloud", "tenant_id" },
		{ "cloud", "client_id" },
	};
	size_t i;
	int ok = 1;
	cfg_t *sec;
	char k[64];

	if (cfg_size(cfg, "ldap") == 0) {
		conf_diag_add(ctx, 0, "ldap", "section is missing");
		ok = 0;
	}
	if (cfg_size(cfg, "cloud") == 0) {
		conf_diag_add(ctx, 0, "cloud", "section is missing");
		ok = 0;
	}
	if (!ok)
		return 0;
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		sec = cfg_getsec(cfg, req[i].sec);
		if (cfg_size(sec, req[i].key) == 0) {
			snprintf(k, sizeof(k), "%s.%s", req[i].sec, req[i].key);
			conf_diag_add(ctx, 0, k, "required key is missing");
			ok = 0;
		}
	}
	return ok;
}

enum sb_status
conf_load(const char *path, struct conf **out, struct conf_diag *diag)
{
	struct conf_ctx ctx = { 0 };
	struct conf *c = NULL;
	cfg_t *cfg = NULL;
	char *text = NULL;
	enum sb_status st = SB_CONFIG;
	int rc;

	memset(diag, 0, sizeof(*diag));
	ctx.path = path;
	ctx.diag = diag;
	conf_diag_use(&ctx);

	text = read_file(path);
	if (text == NULL) {
		conf_diag_add(&ctx, 0, "file", "cannot read: %s", strerror(errno));
		goto done;
	}
	blank_comments(text);
	ctx.text = text;
	cfg = cfg_init(conf_schema_root, CFGF_NONE);
	if (cfg == NULL) {
		conf_diag_add(&ctx, 0, "file", "out of memory");
		goto done;
	}
	cfg_set_error_function(cfg, conf_diag_on_cfg_error);
	conf_schema_watch(cfg);
	rc = cfg_parse_buf(cfg, text);
	/*
	 * Some syntax errors (a second value after "key = value" inside a
	 * section) make libconfuse fail without calling the error function:
	 * the admin still gets a line, that of the enclosing statement, the
	 * nearest libconfuse knows.
	 */
	if (rc != CFG_SUCCESS && diag->n == 0 && !ctx.oom)
		conf_diag_add(&ctx, cfg->line, "file", "syntax error in the "
		    "section or statement starting here (check quotes, '=' "
		    "signs and braces)");
	if (rc != CFG_SUCCESS || !check_required(&ctx, cfg))
		goto done;

	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->path = strdup(path)) == NULL) {
		ctx.oom = 1;
		goto done;
	}
	conf_sections_ldap(&ctx, cfg_getsec(cfg, "ldap"), &c->ldap);
	if (!ctx.oom)
		conf_sections_cloud(&ctx, cfg_getsec(cfg, "cloud"), &c->cloud);
	if (!ctx.oom)
		conf_sections_groups(&ctx, cfg_getsec(cfg, "groups"), &c->groups,
		    &c->ldap);
	if (!ctx.oom)
		conf_sections_rest(&ctx, cfg, c);
	if (ctx.oom || diag->n > 0)
		goto done;
	*out = c;
	c = NULL;
	st = SB_OK;
done:
	if (ctx.oom) {
		conf_diag_add(&ctx, 0, "file", "out of memory while loading");
		st = SB_BUG;
	}
	conf_free(c);
	if (cfg != NULL)
		cfg_free(cfg);
	free(text);
	conf_diag_use(NULL);
	return st;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	conf_copy_list_free(&c->ldap.uri);
	free(c->ldap.domain);
	free(c->ldap.ca_file);
	free(c->ldap.bind_dn);
	free(c->ldap.password_file);
	free(c->ldap.sasl_mech);
	free(c->ldap.keytab_file);
	free(c->ldap.principal);
	free(c->ldap.base_dn);
	conf_copy_list_free(&c->ldap.write_scope);
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
	conf_copy_list_free(&c->groups.provision_groups);
	free(c->groups.sam_pattern);
	free(c->groups.default_ou);
	conf_copy_list_free(&c->groups.allowed_ous);
	free(c->groups.ou_extension);
	conf_copy_list_free(&c->exchange.proxy_address_exclude);
	free(c->daemon.metrics_file);
	free(c->daemon.lease_dn);
	free(c->state_dir);
	free(c);
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
