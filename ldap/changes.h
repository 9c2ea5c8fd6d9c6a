/*
 * What changed in AD since a USN watermark: the service's incremental
 * cycle asks whether any object it reads was written after the USN it
 * last read everything at (uSNChanged is set on every originating and
 * replicated write, per DC database: ldap/conn.h ad_conn_invocation_id).
 */
#ifndef AD_CHANGES_H
#define AD_CHANGES_H

#include "mapping/core.h"

struct ad_conn;

/*
 * Counts the objects under base matching filter (RFC 4515, values
 * escaped) whose uSNChanged is above usn, into *n.
 */
enum sb_status	ad_count_changed(struct ad_conn *c, const char *base,
		    const char *filter, unsigned long long usn,
		    unsigned long *n, struct sb_error *err);

/* The filter of ad_count_changed, into out (size outsz); public for tests. */
enum sb_status	ad_changed_filter(const char *filter, unsigned long long usn,
		    char *out, size_t outsz, struct sb_error *err);

#endif
