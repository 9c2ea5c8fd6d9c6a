/*
 * The report walk's state and the making of one entry, shared by the files
 * of the walk (reportwalk.c, reportattr.c, reportextra.c).  Not an API:
 * callers use report.h.
 */
#ifndef MAP_REPORTENTRY_H
#define MAP_REPORTENTRY_H

#include <stddef.h>

#include "authority.h"
#include "core.h"
#include "dirobj.h"
#include "join.h"
#include "plan.h"
#include "report.h"

/*
 * A list of borrowed value pointers, reused from entry to entry.  It grows
 * to the largest attribute seen: bounded by the input, which is in memory.
 */
struct report_vlist {
	const struct sb_bytes	**v;
	size_t			  n;
	size_t			  cap;
};

struct report_walk {
	const struct map_report_input	*in;
	map_report_cb			 cb;
	void				*arg;
	struct map_report_stats		 stats;
	struct map_join			*j;
	const struct change		**chg;	/* plan changes by DN */
	size_t				  nchg;
	unsigned char			 *chg_done;
	const struct finding		**fnd;	/* plan findings by DN */
	size_t				  nfnd;
	unsigned char			 *fnd_done;
	struct report_vlist		  ad, cloud, add, rem, tmp;
	unsigned char			 *ad_mark, *cloud_mark;
	size_t				  markcap;
	struct sb_bytes			  dnval[2];	/* a rename's DNs */
	struct map_report_entry		  e;
};

/* What one pair's walk needs besides the walk. */
struct report_pair {
	const struct map_pair	*pr;
	struct map_authority	 auth;
	const struct dirobj	*want;		/* the cloud's, in AD form */
	const struct change	*tc;		/* want against AD: all diffs */
	const struct plan	*tf;		/* the rules' findings */
	const struct finding	*refusal;	/* the plan refuses it */
	const struct finding	*conflict;	/* INCONSISTENT_SOA */
	int			 soa_unknown;	/* SOA_UNREADABLE: no owner */
	size_t			 c0, c1, f0, f1; /* its changes, findings */
};


/* Value lists (of borrowed values) and the entry's hand-over. */
enum sb_status	map_report_oom(struct sb_error *err);
enum sb_status	map_report_vpush(struct report_vlist *l,
		    const struct sb_bytes *b, struct sb_error *err);
enum sb_status	map_report_vpush_all(struct report_vlist *l,
		    const struct sb_bytes *vals, size_t n,
		    struct sb_error *err);
void		map_report_vfree(struct report_vlist *l);
/* strcmp with NULL first. */
int		map_report_strcmp(const char *a, const char *b);
/* First index in the DN-sorted chg (fnd) whose DN is not below dn. */
size_t		map_report_changes_from(const struct report_walk *w,
		    const char *dn);
size_t		map_report_findings_from(const struct report_walk *w,
		    const char *dn);
const char	*map_report_name_of(const struct dirobj *ad,
		    const struct dirobj *cloud);
enum map_report_owner map_report_owner_of(const struct map_authority *auth,
		    unsigned cls);
unsigned	map_report_class_of(const char *attr);
int		map_report_is_refusal(enum finding_kind k);
int		map_report_is_unjoined(enum finding_kind k);
void		map_report_entry_reset(struct report_walk *w);
enum sb_status	map_report_marks_grow(struct report_walk *w, size_t n,
		    struct sb_error *err);
enum sb_status	map_report_mark_in(struct report_walk *w,
		    const struct report_vlist *vals,
		    const struct report_vlist *what, unsigned char *mark,
		    struct sb_error *err);
enum sb_status	map_report_emit(struct report_walk *w, struct sb_error *err);
enum sb_status	map_report_change_lists(struct report_walk *w,
		    const struct change *c, const char *attr, size_t *found,
		    struct sb_error *err);
/* A fresh entry for the object of a joined pair. */
void		map_report_entry_object(struct report_walk *w,
		    const struct report_pair *px);

#endif
