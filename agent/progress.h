/*
 * The status line of a long run on a terminal: objects read, changes
 * planned and written, the write rate and an ETA, redrawn in place on
 * stderr a few times a second.  Off unless agent_progress_enable() was
 * told stderr is a terminal and -q was not given, so logs, pipes and the
 * journal never see it.  Log lines clear it first and redraw it after
 * (agent/log.c), so the two never share a line.
 */
#ifndef AGENT_PROGRESS_H
#define AGENT_PROGRESS_H

#include <stddef.h>

struct agent_progress_counts {
	unsigned long	read;		/* objects read, AD and cloud */
	unsigned long	planned;	/* changes in the plan */
	unsigned long	written;	/* changes sent, done or failed */
	int		writing;	/* the writes have begun */
};

/*
 * Pure: the line for c after elapsed seconds of writing (the rate and ETA
 * count from the first write), at most width - 1 columns, into buf.
 */
void	agent_progress_format(const struct agent_progress_counts *c,
	    double write_seconds, int width, char *buf, size_t size);

void	agent_progress_enable(int on);
void	agent_progress_read(unsigned long n);
void	agent_progress_planned(unsigned long n);
void	agent_progress_written(unsigned long n);
/* Clears the line before other output; the next event redraws it. */
void	agent_progress_clear(void);
/* Redraws at once if it was cleared by agent_progress_clear(). */
void	agent_progress_redraw(void);

#endif
