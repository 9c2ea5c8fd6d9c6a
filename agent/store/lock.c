/* One writer per state_dir: a POSIX record lock on STATE_DIR/lock naming its holder. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/store/lock.h"
#include "mapping/log.h"

struct agent_lock {
	int	 fd;
	char	*path;
};

/* One "key=value" word of the lock text into out (size n). */
static void
copy_word(const char *p, const char *end, char *out, size_t n)
{
	size_t k = 0;

	while (p < end && *p != ' ' && *p != '\n' && *p != '\t' && k + 1 < n)
		out[k++] = *p++;
	out[k] = '\0';
}

int
agent_lock_parse(const char *text, size_t len, struct agent_lock_info *out)
{
	const char *p = text, *end = text + len, *w;
	char num[24];
	char *e;
	long v;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\n' || *p == '\t'))
			p++;
		w = p;
		while (p < end && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		if ((size_t)(p - w) > 4 && memcmp(w, "pid=", 4) == 0) {
			copy_word(w + 4, p, num, sizeof(num));
			errno = 0;
			v = strtol(num, &e, 10);
			if (errno == 0 && *e == '\0' && e != num && v > 0)
				out->pid = v;
		} else if ((size_t)(p - w) > 8 &&
		    memcmp(w, "command=", 8) == 0) {
			copy_word(w + 8, p, out->command,
			    sizeof(out->command));
		} else if ((size_t)(p - w) > 8 &&
		    memcmp(w, "started=", 8) == 0) {
			copy_word(w + 8, p, out->started,
			    sizeof(out->started));
		}
	}
	return out->pid > 0;
}

void
agent_lock_format(const struct agent_lock_info *info, char *buf, size_t n)
{
	snprintf(buf, n, "pid=%ld command=%s started=%s\n", info->pid,
	    info->command[0] ? info->command : "-",
	    info->started[0] ? info->started : "-");
}

static enum sb_status
lock_path(const char *dir, const char *file, char *out, size_t n,
    struct sb_error *err)
{
	int w = snprintf(out, n, "%s/%s", dir, file);

	if (w < 0 || (size_t)w >= n)
		return sb_fail(err, SB_CONFIG, 0, "lock", "state_dir %s: path "
		    "too long", dir);
	return SB_OK;
}

/* The lock file's text (what its writer said about itself). */
static void
read_info(int fd, struct agent_lock_info *info)
{
	char buf[AGENT_LOCK_TEXT_MAX];
	ssize_t n;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	agent_lock_parse(buf, n > 0 ? (size_t)n : 0, info);
}

/* Who holds the record lock on fd, 0 when nobody. */
static long
holder_pid(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return 0;
	return (long)fl.l_pid;
}

static enum sb_status
refuse(const char *dir, const char *file, int fd, struct sb_error *err)
{
	struct agent_lock_info info;
	long pid = holder_pid(fd);

	read_info(fd, &info);
	if (pid <= 0)
		pid = info.pid;
	if (info.pid == pid && info.command[0] != '\0')
		return sb_fail(err, SB_RETRY, EAGAIN, "lock",
		    "%s is in use: "
		    "soabridge %s (pid %ld) has held %s/%s since %s; nothing "
		    "done, try again when it ends",
		    dir, info.command, pid, dir, file, info.started);
	return sb_fail(err, SB_RETRY, EAGAIN, "lock",
	    "%s is in use: pid %ld "
	    "holds %s/%s; nothing done, try again when it ends",
	    dir, pid, dir, file);
}

enum sb_status
agent_lock_take(const char *dir, const char *command, struct agent_lock **out,
    struct sb_error *err)
{
	return agent_lock_take_file(dir, AGENT_LOCK_FILE, command, out, err);
}

enum sb_status
agent_lock_take_file(const char *dir, const char *file, const char *command,
    struct agent_lock **out, struct sb_error *err)
{
	struct agent_lock *l = NULL;
	struct agent_lock_info old, me;
	struct flock fl;
	char path[PATH_MAX], text[AGENT_LOCK_TEXT_MAX];
	enum sb_status st;
	size_t len;
	int fd = -1;

	st = lock_path(dir, file, path, sizeof(path), err);
	if (st == SB_OK)
		st = agent_state_mkdir(dir, err);
	if (st != SB_OK)
		goto done;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		st = sb_fail(err, SB_STOP, errno, "lock", "cannot open %s: %s",
		    path, strerror(errno));
		goto done;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		if (errno == EACCES || errno == EAGAIN)
			st = refuse(dir, file, fd, err);
		else
			st = sb_fail(err, SB_STOP, errno, "lock", "cannot lock "
			    "%s: %s", path, strerror(errno));
		goto done;
	}
	read_info(fd, &old);
	if (old.pid > 0 && old.pid != (long)getpid())
		log_warn("lock.stale path=\"%s\" pid=%ld command=%s started=%s "
		    "result=taken_over (%s)", path, old.pid,
		    old.command[0] ? old.command : "-",
		    old.started[0] ? old.started : "-",
		    kill((pid_t)old.pid, 0) != 0 && errno == ESRCH ?
		    "that process is gone" : "it held no lock");
	memset(&me, 0, sizeof(me));
	me.pid = (long)getpid();
	snprintf(me.command, sizeof(me.command), "%s", command);
	agent_state_now(me.started);
	agent_lock_format(&me, text, sizeof(text));
	len = strlen(text);
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, len, 0) != (ssize_t)len ||
	    fsync(fd) != 0) {
		st = sb_fail(err, SB_STOP, errno, "lock", "cannot write %s: %s",
		    path, strerror(errno));
		goto done;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL || (l->path = strdup(path)) == NULL) {
		free(l);
		l = NULL;
		st = sb_fail(err, SB_BUG, ENOMEM, "lock", "out of memory");
		goto done;
	}
	l->fd = fd;
	fd = -1;
	log_info("lock.take path=\"%s\" pid=%ld command=%s", path, me.pid,
	    command);
	*out = l;
	l = NULL;
done:
	if (fd >= 0)
		close(fd);	/* drops the record lock if we took it */
	return st;
}

void
agent_lock_release(struct agent_lock *l)
{
	if (l == NULL)
		return;
	/* Empty before unlocking: the next holder finds no stale name. */
	if (ftruncate(l->fd, 0) != 0)
		log_warn("lock.release path=\"%s\" error=\"%s\"", l->path,
		    strerror(errno));
	close(l->fd);
	log_info("lock.release path=\"%s\"", l->path);
	free(l->path);
	free(l);
}

enum sb_status
agent_lock_probe(const char *dir, int *held, struct agent_lock_info *info,
    struct sb_error *err)
{
	return agent_lock_probe_file(dir, AGENT_LOCK_FILE, held, info, err);
}

enum sb_status
agent_lock_probe_file(const char *dir, const char *file, int *held,
    struct agent_lock_info *info, struct sb_error *err)
{
	char path[PATH_MAX];
	enum sb_status st;
	long pid;
	int fd;

	*held = 0;
	memset(info, 0, sizeof(*info));
	st = lock_path(dir, file, path, sizeof(path), err);
	if (st != SB_OK)
		return st;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return SB_OK;
		return sb_fail(err, SB_STOP, errno, "lock", "cannot open %s: "
		    "%s", path, strerror(errno));
	}
	pid = holder_pid(fd);
	if (pid > 0) {
		*held = 1;
		read_info(fd, info);
		if (info->pid != pid) {
			memset(info, 0, sizeof(*info));
			info->pid = pid;
		}
	}
	close(fd);
	return SB_OK;
}
