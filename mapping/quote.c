/* Values quoted for logs (text escaped, binary as hex); secret attributes. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "quote.h"

/* Valid UTF-8 (no overlongs, no surrogates), as AD's string values are. */
static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, k, need;
	unsigned long cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = s[i] & 0x1f;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = s[i] & 0x0f;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (len - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Appends s (slen bytes) if it fits with room for the "..." ending. */
static int
put(char *buf, size_t n, size_t *len, const char *s, size_t slen)
{
	if (*len + slen + 5 > n)
		return 0;
	memcpy(buf + *len, s, slen);
	*len += slen;
	buf[*len] = '\0';
	return 1;
}

const char *
map_quote(char *buf, size_t n, const void *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = p;
	size_t i, o = 0;
	char tmp[4];
	int text, ok = 1;

	if (n < 16) {
		if (n > 0)
			buf[0] = '\0';
		return buf;
	}
	buf[0] = '\0';
	text = utf8_valid(s, len);
	if (!put(buf, n, &o, text ? "\"" : "0x", text ? 1 : 2))
		return buf;
	for (i = 0; i < len && ok; i++) {
		if (!text) {
			tmp[0] = hex[s[i] >> 4];
			tmp[1] = hex[s[i] & 0xf];
			ok = put(buf, n, &o, tmp, 2);
		} else if (s[i] == '"' || s[i] == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)s[i];
			ok = put(buf, n, &o, tmp, 2);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[s[i] >> 4];
			tmp[3] = hex[s[i] & 0xf];
			ok = put(buf, n, &o, tmp, 4);
		} else {
			ok = put(buf, n, &o, (const char *)&s[i], 1);
		}
	}
	if (!ok) {
		/* Do not leave half a UTF-8 sequence before the "...". */
		while (text && o > 1 &&
		    ((unsigned char)buf[o - 1] & 0xc0) == 0x80)
			o--;
		if (text && o > 1 && (unsigned char)buf[o - 1] >= 0xc0)
			o--;
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	if (text) {
		buf[o++] = '"';
	}
	buf[o] = '\0';
	return buf;
}

const char *
map_quote_str(char *buf, size_t n, const char *s)
{
	if (s == NULL) {
		snprintf(buf, n, "-");
		return buf;
	}
	return map_quote(buf, n, s, strlen(s));
}

int
map_quote_is_secret(const char *attr)
{
	static const char *const names[] = {
		"unicodePwd", "userPassword", "clearTextPassword", "dBCSPwd",
		"ntPwdHistory", "lmPwdHistory", "supplementalCredentials",
		"msDS-ManagedPassword", "unixUserPassword", "msSFU30Password",
		"trustAuthIncoming", "trustAuthOutgoing", "initialAuthIncoming",
		"initialAuthOutgoing", "currentValue", "priorValue", "pekList",
		"msDS-KeyCredentialLink", "msFVE-RecoveryPassword",
		"ms-Mcs-AdmPwd", "msLAPS-Password", "msLAPS-EncryptedPassword",
	};
	size_t i, n;
	const char *s;

	if (attr == NULL)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(attr, names[i]) == 0)
			return 1;
	/* And anything that says so: "...Pwd...", "...password...". */
	for (s = attr; *s != '\0'; s++) {
		n = strlen(s);
		if ((n >= 3 && strncasecmp(s, "pwd", 3) == 0) ||
		    (n >= 8 && strncasecmp(s, "password", 8) == 0) ||
		    (n >= 6 && strncasecmp(s, "secret", 6) == 0))
			return 1;
	}
	return 0;
}
