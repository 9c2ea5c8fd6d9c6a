/* A joined pair's report entries (part of the walk; see reportentry.h). */
#ifndef MAP_REPORTATTR_H
#define MAP_REPORTATTR_H

#include "join.h"
#include "reportentry.h"

/*
 * Every entry of one joined pair: each attribute of the map, then what
 * else the plan changes on it; marks its changes shown (w->chg_done).
 */
enum sb_status	map_report_pair(struct report_walk *w,
		    const struct map_pair *pr, struct sb_error *err);

#endif
