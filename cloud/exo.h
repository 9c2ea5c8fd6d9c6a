/*
 * Exchange Online mailboxes through the admin API behind the
 * ExchangeOnlineManagement module (InvokeCommand, Get-Mailbox), paged and
 * handed over as DIROBJ_MAILBOX objects.
 */
#ifndef SB_CLOUD_EXO_H
#define SB_CLOUD_EXO_H

#include <stddef.h>
#include <time.h>

#include "mapping/dirobj.h"
#include "client.h"
#include "pager.h"	/* cloud_obj_cb */

/* The system mailbox that routes app-only admin API calls. */
#define CLOUD_EXO_ANCHOR \
	"APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@"
/*
 * Mailboxes per page we ask for (Prefer: odata.maxpagesize): the most the
 * admin API serves.  With $select a page of them is some hundred kB, where
 * whole Get-Mailbox objects (~250 properties, ~15 kB each) were ~15 MB.
 */
#define CLOUD_EXO_PAGE_SIZE	1000
/* Properties in $select: the attribute map's and the identity keys. */
#define CLOUD_EXO_SELECT_MAX	64

/*
 * POST {exchange_url}/adminapi/beta/{tenant}/InvokeCommand?$select=...
 * (Get-Mailbox -ResultSize Unlimited for user, shared, room and equipment
 * mailboxes; only the properties of map_mailbox_properties() and the
 * identity keys; Prefer: odata.maxpagesize=CLOUD_EXO_PAGE_SIZE) with the
 * Exchange Online token, then the same body to every @odata.nextLink.
 * Each mailbox: cloud_id = ExternalDirectoryObjectId, display_name =
 * DisplayName, exchange_cloud_managed = IsExchangeCloudManaged, sync_enabled
 * = IsDirSynced, and one attribute per property by its Exchange name (keys
 * with '@' skipped; "" and null present with no values; arrays multi-valued;
 * booleans "true"/"false").  A mailbox without ExternalDirectoryObjectId
 * cannot be joined: it is skipped with a warning.
 */
enum sb_status	cloud_exo_mailboxes(struct cloud_client *c, cloud_obj_cb cb,
		    void *arg, struct sb_error *err);

/*
 * The same read, same pages, properties and objects, of only the mailboxes
 * changed at or after since (whole seconds, UTC): -Filter "WhenChangedUTC
 * -ge 'yyyy-MM-ddTHH:mm:ssZ'", Exchange having no delta query.  Exchange
 * keeps change times in whole seconds and a change may become visible a
 * little after its time: the caller passes its previous start minus a
 * margin.  since before 1970 or after 9999: SB_BUG, nothing sent.
 */
enum sb_status	cloud_exo_mailboxes_changed(struct cloud_client *c,
		    time_t since, cloud_obj_cb cb, void *arg,
		    struct sb_error *err);

/*
 * The InvokeCommand URL with its $select: the properties of props
 * (NULL-terminated, repeats dropped, case-insensitively) after the identity
 * keys; *out is the caller's (free()).  Public for unit tests.
 */
enum sb_status	cloud_exo_url(const char *exchange_url,
		    const char *tenant, const char *const *props, char **out,
		    struct sb_error *err);

/* One page of Get-Mailbox output into out; parser public for unit tests. */
enum sb_status	cloud_exo_parse_page(const char *body, size_t len,
		    struct dirset *out, char **next_link, struct sb_error *err);

#endif
