/*
 * The write gate's reads kept for the length of a check that writes
 * nothing (plan's dry run of the writer, undo's screen): there the same
 * groups of a nesting chain are asked about change after change, and the
 * targets can be fetched many to a search.  While a write follows each
 * check (sync, undo, the service), no read is kept: every check reads AD
 * at that moment.  Callers include agent/gate.h; agent_gate_reread is
 * the gate's parts' own.
 */
#ifndef SB_GATECACHE_H
#define SB_GATECACHE_H

#include "mapping/dirobj.h"

struct agent_gate;
struct plan;

/* What a kept read answered: the target of a change, or a group of a chain. */
enum gate_read_kind {
	GATE_READ_TARGET = 't',
	GATE_READ_CHAIN = 'c',
};

/*
 * As agent_recover_reread (agent/recover.h), through g's kept reads when
 * it keeps them: an answer kept (an object, or "gone") is given again (a
 * copy) to the same question; a failed read is never kept.
 */
enum sb_status	agent_gate_reread(struct agent_gate *g, enum gate_read_kind
		    kind, const char *guid, const char *dn,
		    const char *const *attrs, struct dirobj **out,
		    struct sb_error *err);

/*
 * The groups dns[0..n) (a level of a nesting chain), read together: from
 * what g keeps, the rest in one search of the domain by DN (n at most
 * GATE_PREFETCH_MAX), and one the search did not return read alone, as
 * agent_gate_reread would.  out[i]: new (dirobj_free) or NULL when gone.
 * On failure every out[i] is NULL and the status says why.
 */
enum sb_status	agent_gate_reread_dns(struct agent_gate *g,
		    const char *const *dns, size_t n, struct dirobj **out,
		    struct sb_error *err);

/*
 * From now until agent_gate_forget, g keeps its reads; the targets of p's
 * changes that name an objectGUID (guids, per change, may be NULL) are
 * fetched first, up to GATE_PREFETCH_MAX to a search.  A target the
 * fetch did not return is read alone when asked for.
 */
#define GATE_PREFETCH_MAX	50
enum sb_status	agent_gate_keep_reads(struct agent_gate *g,
		    const struct plan *p, const char *const *guids,
		    struct sb_error *err);
/* Drops what g kept; every read goes to AD again. */
void		agent_gate_forget(struct agent_gate *g);

#endif
