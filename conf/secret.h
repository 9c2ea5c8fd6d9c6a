/*
 * Secrets (LDAP password, client secret) are read only from the files the
 * *_file keys name, into length-counted buffers wiped before they are freed.
 */
#ifndef SB_SECRET_H
#define SB_SECRET_H

#include "mapping/core.h"

/* Longest secret accepted: a client secret is ~40 bytes, a password < 256. */
#define CONF_SECRET_MAX	4096

/*
 * Check that path is a regular file, owned by us or root, not readable or
 * writable by group or others.  Returns SB_OK or SB_CONFIG with the reason.
 */
enum sb_status	conf_secret_check(const char *path, struct sb_error *err);
/* Read path (after conf_secret_check); one trailing newline is dropped. */
enum sb_status	conf_secret_read(const char *path, struct sb_bytes *out,
		    struct sb_error *err);
/* explicit_bzero, then free. */
void		conf_secret_free(struct sb_bytes *s);

#endif
