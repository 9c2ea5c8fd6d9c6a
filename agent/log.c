/* One-line key=value events on stderr, filtered by level. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "mapping/log.h"

static enum log_level log_level = LOG_LVL_WARN;
static void (*log_before)(void), (*log_after)(void);
/* The reads of a cycle run side by side (agent/twosides.h): one event at a time. */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void
log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

void
log_set_hooks(void (*before)(void), void (*after)(void))
{
	log_before = before;
	log_after = after;
}

int
log_enabled(enum log_level lvl)
{
	return lvl <= log_level;
}

/* The format attribute lets the compiler check every caller's format. */
static void log_emit(enum log_level, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
log_emit(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[2048];

	if (!log_enabled(lvl))
		return;
	/* Format first so one event is one write, even with other writers. */
	vsnprintf(line, sizeof(line), fmt, ap);
	pthread_mutex_lock(&log_lock);
	if (log_before != NULL)
		log_before();
	fprintf(stderr, "soabridge: %s %s\n", level_names[lvl], line);
	if (log_after != NULL)
		log_after();
	pthread_mutex_unlock(&log_lock);
}

#define LOG_FN(name, lvl)				\
	void						\
	name(const char *fmt, ...)			\
	{						\
		va_list ap;				\
		va_start(ap, fmt);			\
		log_emit(lvl, fmt, ap);			\
		va_end(ap);				\
	}

LOG_FN(log_error, LOG_LVL_ERROR)
LOG_FN(log_warn, LOG_LVL_WARN)
LOG_FN(log_info, LOG_LVL_INFO)
LOG_FN(log_debug, LOG_LVL_DEBUG)
