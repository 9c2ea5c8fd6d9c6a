/*
 * Logging: one event per line on stderr, "soabridge: LEVEL event key=value...".
 * The only agent/ header that ldap/ and cloud/ may include.  Never pass a
 * secret (password, client secret, token) to these functions.
 */
#ifndef SB_LOG_H
#define SB_LOG_H

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void	log_set_level(enum log_level lvl);
/*
 * Called around each line written (NULL: none): the terminal's status
 * line (agent/progress.h) is cleared before and drawn again after, so the
 * log needs nothing of it.
 */
void	log_set_hooks(void (*before)(void), void (*after)(void));
int	log_enabled(enum log_level lvl);
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
