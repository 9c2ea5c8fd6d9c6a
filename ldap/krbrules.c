/*
 * The pure rules of Kerberos binds: when credentials are renewed, and what
 * a krb5 error code tells an administrator to do.
 */
#include <errno.h>
#include <krb5.h>
#include <string.h>

#include "ldap/kerberos.h"

int
ad_krb_renew_due(long long now, long long start, long long end)
{
	long long left = end - now;

	if (end <= start || left <= 0)
		return 1;
	if (left < AD_KRB_RENEW_MARGIN_S)
		return 1;
	return left * 3 < end - start;
}

/*
 * Templates: %P principal, %K keytab, %R realm, %D " (KDC x)" when krb5.conf
 * names one, %H the DC's host name, %E krb5's message.  One table, so that
 * every mapped code reads alike and a test covers each.
 */
static const struct krb_errmsg {
	long code;
	enum sb_status st;
	const char *text;
} msgs[] = {
	{ ENOENT, SB_CONFIG, "keytab %K does not exist" },
	{ EACCES, SB_CONFIG, "keytab %K cannot be read by this user" },
	{ KRB5_KT_NOTFOUND, SB_STOP,
	    "principal %P is not in keytab %K "
	    "(klist -k %K lists what it holds; set ldap.principal or "
	    "export the account's keys into it)" },
	{ KRB5_KT_END, SB_STOP, "keytab %K holds no keys" },
	{ KRB5_KT_BADNAME, SB_CONFIG, "keytab %K: not a keytab name" },
	{ KRB5_KEYTAB_BADVNO, SB_CONFIG, "keytab %K is not a keytab file" },
	{ KRB5KRB_AP_ERR_SKEW, SB_STOP,
	    "the clocks of this host and the "
	    "KDC of %R differ by more than Kerberos allows (5 minutes by "
	    "default): synchronise this host's clock with the domain "
	    "(chrony or ntpd)" },
	{ KRB5_KDC_UNREACH, SB_RETRY,
	    "cannot reach a KDC of realm %R%D: "
	    "is it running, and does krb5.conf (or KRB5_CONFIG) name it?" },
	{ KRB5_REALM_UNKNOWN, SB_CONFIG,
	    "no KDC known for realm %R: add "
	    "it to [realms] in krb5.conf or set dns_lookup_kdc" },
	{ KRB5_REALM_CANT_RESOLVE, SB_RETRY,
	    "cannot resolve the KDC of "
	    "realm %R%D" },
	{ KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SB_STOP,
	    "the KDC of %R knows no "
	    "service principal ldap/%H: name the DC in ldap.uri by the host "
	    "name its SPN holds (its FQDN, not an IP address or an alias)" },
	{ KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN, SB_STOP,
	    "the KDC of %R knows no "
	    "principal %P (keytab %K)" },
	{ KRB5KDC_ERR_PREAUTH_FAILED, SB_STOP,
	    "the KDC of %R refused the "
	    "keys of %P in keytab %K: the keytab is stale (the password or "
	    "key version changed): export it again" },
	{ KRB5KRB_AP_ERR_BAD_INTEGRITY, SB_STOP,
	    "the KDC of %R refused the "
	    "keys of %P in keytab %K: the keytab is stale (the password or "
	    "key version changed): export it again" },
	{ KRB5KDC_ERR_CLIENT_REVOKED, SB_STOP,
	    "the account of %P is "
	    "disabled, locked or expired in %R" },
	{ KRB5KDC_ERR_KEY_EXP, SB_STOP,
	    "the password of %P has expired in "
	    "%R" },
	{ KRB5KDC_ERR_ETYPE_NOSUPP, SB_STOP,
	    "the KDC of %R supports none "
	    "of the encryption types of the keys of %P in keytab %K" },
	{ KRB5KRB_AP_ERR_TKT_EXPIRED, SB_RETRY,
	    "the Kerberos ticket of %P "
	    "expired before it was used: the next attempt acquires a new "
	    "one" },
	{ KRB5_CONFIG_CANTOPEN, SB_CONFIG,
	    "cannot open krb5.conf (the "
	    "system's, or KRB5_CONFIG): %E" },
	{ KRB5_CONFIG_BADFORMAT, SB_CONFIG,
	    "krb5.conf (the system's, or "
	    "KRB5_CONFIG) is malformed: %E" },
};

static void
put(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

static const char *
or_unknown(const char *s)
{
	return s != NULL && *s != '\0' ? s : "(unknown)";
}

static void
expand(const char *t, const struct ad_krb_errctx *x, char *out, size_t size)
{
	char one[2] = { 0, 0 };
	size_t len = 0;

	out[0] = '\0';
	for (; *t != '\0'; t++) {
		if (*t != '%' || t[1] == '\0') {
			one[0] = *t;
			put(out, size, &len, one);
			continue;
		}
		switch (*++t) {
		case 'P':
			put(out, size, &len, or_unknown(x->principal));
			break;
		case 'K':
			put(out, size, &len, or_unknown(x->keytab));
			break;
		case 'R':
			put(out, size, &len, or_unknown(x->realm));
			break;
		case 'H':
			put(out, size, &len, or_unknown(x->host));
			break;
		case 'E':
			put(out, size, &len, or_unknown(x->detail));
			break;
		case 'D':
			if (x->kdc != NULL && *x->kdc != '\0') {
				put(out, size, &len, " (KDC ");
				put(out, size, &len, x->kdc);
				put(out, size, &len, ")");
			}
			break;
		default:
			one[0] = *t;
			put(out, size, &len, one);
			break;
		}
	}
}

enum sb_status
ad_krb_errmap(long code, const struct ad_krb_errctx *x, struct sb_error *err)
{
	char text[sizeof(err->text)];
	size_t i;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (msgs[i].code != code)
			continue;
		expand(msgs[i].text, x, text, sizeof(text));
		return sb_fail(err, msgs[i].st, (int)code, "ad.kerberos", "%s",
		    text);
	}
	expand("Kerberos failed for %P (keytab %K, realm %R): %E", x, text,
	    sizeof(text));
	return sb_fail(err, SB_STOP, (int)code, "ad.kerberos", "%s", text);
}
