/*
 * One writer per state_dir: STATE_DIR/lock, held with flock(2) for the
 * whole of a sync, undo or run, and holding "pid=N command=C started=T" so
 * that a refused second writer can name the holder.  The kernel drops the
 * flock when its process dies, so a lock file left by a dead PID is simply
 * taken over (and said so in the log).
 */
#ifndef SB_LOCK_H
#define SB_LOCK_H

#include <stddef.h>

#include "agent/store/state.h"
#include "mapping/core.h"

#define AGENT_LOCK_FILE		"lock"
/* Held by 'run' for its whole life: one service per state_dir. */
#define AGENT_SERVICE_LOCK_FILE "service"
#define AGENT_LOCK_TEXT_MAX	256	/* the lock file's content */

struct agent_lock;

/* What a lock file says about its holder. */
struct agent_lock_info {
	long	pid;				/* 0: none or unreadable */
	char	command[16];
	char	started[AGENT_STATE_TIME_SIZE];
};

/*
 * Pure: parses "pid=123 command=sync started=2025-...Z" (keys in any order,
 * unknown keys ignored).  Returns 1 when a pid > 0 was found.
 */
int		agent_lock_parse(const char *text, size_t len,
		    struct agent_lock_info *out);
/* Pure: the content written for info (a line, NUL-terminated in buf). */
void		agent_lock_format(const struct agent_lock_info *info, char *buf,
		    size_t n);

/*
 * Takes dir/lock for command, creating dir (0700) if need be.  Held by a
 * live process: SB_RETRY with a message naming its pid, command and start.
 * *out is new: agent_lock_release() frees it and drops the lock.
 */
enum sb_status	agent_lock_take(const char *dir, const char *command,
		    struct agent_lock **out, struct sb_error *err);
/* The same with dir/file (AGENT_SERVICE_LOCK_FILE) in place of dir/lock. */
enum sb_status agent_lock_take_file(const char *dir, const char *file,
    const char *command, struct agent_lock **out, struct sb_error *err);
void		agent_lock_release(struct agent_lock *l);

/*
 * Whether dir/lock is held now (without taking it), and by whom: *held 1
 * and info filled, or *held 0.  A missing file or directory is not held.
 */
enum sb_status	agent_lock_probe(const char *dir, int *held,
		    struct agent_lock_info *info, struct sb_error *err);
enum sb_status agent_lock_probe_file(const char *dir, const char *file,
    int *held, struct agent_lock_info *info, struct sb_error *err);

#endif
