/* Reading secret files safely: mode checks, size cap, wipe on free. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

enum sb_status
conf_secret_check(const char *path, struct sb_error *err)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return sb_fail(err, SB_CONFIG, errno, "conf.secret",
		    "cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return sb_fail(err, SB_CONFIG, EINVAL, "conf.secret",
		    "%s is not a regular file", path);
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0)
		return sb_fail(err, SB_CONFIG, EPERM, "conf.secret",
		    "%s is accessible by group or others (mode %04o); "
		    "chmod 600 it", path, (unsigned)(sb.st_mode & 07777));
	if (sb.st_uid != geteuid() && sb.st_uid != 0)
		return sb_fail(err, SB_CONFIG, EPERM, "conf.secret",
		    "%s is owned by uid %u, not by us or root", path,
		    (unsigned)sb.st_uid);
	if (access(path, R_OK) == -1)
		return sb_fail(err, SB_CONFIG, errno, "conf.secret",
		    "cannot read %s: %s", path, strerror(errno));
	return SB_OK;
}

enum sb_status
conf_secret_read(const char *path, struct sb_bytes *out, struct sb_error *err)
{
	unsigned char *buf = NULL;
	enum sb_status st;
	size_t len = 0;
	ssize_t n;
	int fd = -1;

	st = conf_secret_check(path, err);
	if (st != SB_OK)
		goto done;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		st = sb_fail(err, SB_CONFIG, errno, "conf.secret",
		    "cannot open %s: %s", path, strerror(errno));
		goto done;
	}
	buf = malloc(CONF_SECRET_MAX + 1);
	if (buf == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "conf.secret",
		    "out of memory");
		goto done;
	}
	for (;;) {
		n = read(fd, buf + len, CONF_SECRET_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			st = sb_fail(err, SB_CONFIG, errno, "conf.secret",
			    "cannot read %s: %s", path, strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONF_SECRET_MAX) {
			st = sb_fail(err, SB_CONFIG, EFBIG, "conf.secret",
			    "%s is longer than %d bytes", path,
			    CONF_SECRET_MAX);
			goto done;
		}
	}
	/* Editors add a newline; the secret itself never ends in one. */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0) {
		st = sb_fail(err, SB_CONFIG, EINVAL, "conf.secret",
		    "%s is empty", path);
		goto done;
	}
	buf[len] = '\0';
	out->p = buf;
	out->len = len;
	buf = NULL;
	st = SB_OK;
done:
	if (buf != NULL) {
		explicit_bzero(buf, CONF_SECRET_MAX + 1);
		free(buf);
	}
	if (fd != -1)
		close(fd);
	return st;
}

void
conf_secret_free(struct sb_bytes *s)
{
	if (s == NULL || s->p == NULL)
		return;
	explicit_bzero(s->p, s->len);
	free(s->p);
	s->p = NULL;
	s->len = 0;
}
