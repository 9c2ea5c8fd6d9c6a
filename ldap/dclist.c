/* Tries the DCs of a list in order: the first that binds, or why none did. */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "ldap/dclist.h"
#include "ldap/internal.h"
#include "ldap/trace.h"
#include "mapping/log.h"

int
ad_dclist_try_next(const struct sb_error *e)
{
	/* A certificate failure is SB_STOP for one DC, but not the account's. */
	if (e->status != SB_RETRY && e->status != SB_STOP)
		return 0;
	switch (e->code) {
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
	case LDAP_X_CONNECTING:
	case LDAP_TIMEOUT:
	case LDAP_UNAVAILABLE:
	case LDAP_BUSY:
		return 1;
	}
	return 0;
}

/* Appends "; why" (each DC's share of the room) to the list's message. */
static void
add_reason(char *buf, size_t size, size_t n, const struct sb_error *e)
{
	size_t len = strlen(buf), share = (size - 64) / (n ? n : 1);

	if (len + 3 >= size)
		return;
	snprintf(buf + len, size - len, "%s%.*s", len ? "; " : "",
	    (int)(share > 8 ? share - 4 : 4), e->text);
}

enum sb_status
ad_connect_first(const struct ad_params *p, const char *const *uris, size_t n,
    struct ad_conn **out, struct sb_error *err)
{
	struct ad_params one = *p;
	struct sb_error e;
	char why[sizeof(err->text)] = "", quri[AD_TRACE_QBUF];
	enum sb_status worst = SB_RETRY;
	size_t i;

	*out = NULL;
	if (n == 0)
		return sb_fail(err, SB_CONFIG, 0, "ad.connect",
		    "no domain controller to connect to");
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		one.uri = uris[i];
		if (ad_connect(&one, out, &e) == SB_OK)
			return SB_OK;
		/* One DC only: its error as it is. */
		if (n == 1 || !ad_dclist_try_next(&e)) {
			if (err != NULL)
				*err = e;
			return e.status;
		}
		log_warn("ad.connect uri=%s result=skipped (DC %zu of %zu): "
			 "%s",
		    ad_trace_qstr(quri, sizeof(quri), uris[i]), i + 1, n,
		    e.text);
		if (e.status > worst)
			worst = e.status;
		add_reason(why, sizeof(why), n, &e);
	}
	return sb_fail(err, worst, LDAP_SERVER_DOWN, "ad.connect",
	    "none of the %zu domain controllers could be used: %s", n, why);
}
