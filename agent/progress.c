/* The terminal status line (agent/progress.h). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "agent/progress.h"

/* Often enough to look alive, rarely enough to cost nothing. */
#define PROGRESS_REDRAW_MS 250

static struct {
	int on;
	int shown; /* a line is on screen */
	long long drawn_ms;
	long long write_t0_ms;
	struct agent_progress_counts c;
} pg;
/*
 * AD and the cloud are read side by side (agent/twosides.h), each counting
 * here.  Taken after agent/log.c's lock, never before it.
 */
static pthread_mutex_t pg_lock = PTHREAD_MUTEX_INITIALIZER;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
term_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
		return ws.ws_col;
	return 80;
}

void
agent_progress_format(const struct agent_progress_counts *c,
    double write_seconds, int width, char *buf, size_t size)
{
	char tail[96] = "";
	double rate;
	unsigned long left;
	int n;

	if (size == 0)
		return;
	if (c->writing && write_seconds > 0.5 && c->written > 0) {
		rate = (double)c->written / write_seconds;
		left = c->planned > c->written ? c->planned - c->written : 0;
		snprintf(tail, sizeof(tail), ", %.0f/s, ETA %lus", rate,
		    (unsigned long)((double)left / rate + 0.5));
	}
	if (c->writing)
		n = snprintf(buf, size,
		    "read %lu, planned %lu, written "
		    "%lu/%lu%s",
		    c->read, c->planned, c->written, c->planned, tail);
	else
		n = snprintf(buf, size, "read %lu objects%s", c->read,
		    c->planned ? ", planning" : "");
	/* A line wider than the terminal would wrap and never be erased. */
	if (n > 0 && width > 1 && (size_t)(width - 1) < size && n > width - 1)
		buf[width - 1] = '\0';
}

static void
draw(long long now)
{
	char line[256];

	agent_progress_format(&pg.c,
	    pg.write_t0_ms ? (double)(now - pg.write_t0_ms) / 1000.0 : 0,
	    term_width(), line, sizeof(line));
	/* \r and erase-to-end: the line is rewritten in place. */
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
	pg.shown = 1;
	pg.drawn_ms = now;
}

/* Redraws when the last drawing is old enough (or none is on screen). */
static void
tick(void)
{
	long long now;

	if (!pg.on)
		return;
	now = now_ms();
	if (pg.shown && now - pg.drawn_ms < PROGRESS_REDRAW_MS)
		return;
	draw(now);
}

void
agent_progress_enable(int on)
{
	memset(&pg, 0, sizeof(pg));
	pg.on = on;
}

void
agent_progress_read(unsigned long n)
{
	pthread_mutex_lock(&pg_lock);
	pg.c.read += n;
	tick();
	pthread_mutex_unlock(&pg_lock);
}

/* The line off the screen; pg_lock held. */
static void
clear_locked(void)
{
	if (!pg.on || !pg.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pg.shown = 0;
}

void
agent_progress_planned(unsigned long n)
{
	pthread_mutex_lock(&pg_lock);
	pg.c.planned = n;
	clear_locked();
	pthread_mutex_unlock(&pg_lock);
}

void
agent_progress_written(unsigned long n)
{
	pthread_mutex_lock(&pg_lock);
	if (!pg.c.writing) {
		pg.c.writing = 1;
		pg.write_t0_ms = now_ms();
	}
	pg.c.written += n;
	tick();
	pthread_mutex_unlock(&pg_lock);
}

void
agent_progress_clear(void)
{
	pthread_mutex_lock(&pg_lock);
	clear_locked();
	pthread_mutex_unlock(&pg_lock);
}

void
agent_progress_redraw(void)
{
	pthread_mutex_lock(&pg_lock);
	if (pg.on && !pg.shown && (pg.c.read > 0 || pg.c.writing))
		draw(now_ms());
	pthread_mutex_unlock(&pg_lock);
}
