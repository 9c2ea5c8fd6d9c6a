/*
 * The service's metrics: accumulated per cycle, rendered as Prometheus
 * text, written for node_exporter's textfile collector.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/metrics.h"

static const char *const kind_names[AGENT_NCYCLE_KINDS] = {
	"full",
	"incremental",
};
static const char *const result_names[AGENT_NCYCLE_RESULTS] = {
	"ok",
	"refused",
	"failed",
};
static const char *const side_names[AGENT_NSIDES] = {
	"ad",
	"graph",
	"exchange",
};

void
agent_metrics_init(struct agent_metrics *m)
{
	memset(m, 0, sizeof(*m));
}

static void
add_classes(unsigned long *to, const unsigned long *from)
{
	size_t i;

	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		to[i] += from[i];
}

void
agent_metrics_add_cycle(struct agent_metrics *m, enum agent_cycle_kind kind,
    enum agent_cycle_result result, const struct agent_cycle_stats *s,
    time_t now)
{
	size_t i;

	if ((size_t)kind < AGENT_NCYCLE_KINDS &&
	    (size_t)result < AGENT_NCYCLE_RESULTS)
		m->cycles[kind][result]++;
	if (result == AGENT_CYCLE_OK)
		m->last_success = (long long)now;
	if (s == NULL)
		return;
	for (i = 0; i < AGENT_NSIDES; i++)
		m->objects_read[i] += s->objects_read[i];
	add_classes(m->planned, s->planned);
	add_classes(m->applied, s->applied);
	add_classes(m->failed, s->failed);
	add_classes(m->refused, s->refused);
	/* A cycle that failed before its plan knows no findings: keep the last. */
	if (s->planned_known)
		memcpy(m->findings, s->findings, sizeof(m->findings));
	m->cloud_requests += s->cloud_requests;
	m->cloud_throttled += s->cloud_throttled;
	m->last_duration = s->seconds;
}

void
agent_metrics_delta_resync(struct agent_metrics *m)
{
	m->delta_resyncs++;
}

/* The exposition format escapes these three in a label value, nothing else. */
enum sb_status
agent_metrics_label(struct sb_buf *b, const char *v, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	size_t run;

	while (*v != '\0' && st == SB_OK) {
		run = strcspn(v, "\\\"\n");
		st = sb_buf_append(b, v, run, err);
		v += run;
		if (st != SB_OK || *v == '\0')
			break;
		if (*v == '\n')
			st = sb_buf_append(b, "\\n", 2, err);
		else if (*v == '"')
			st = sb_buf_append(b, "\\\"", 2, err);
		else
			st = sb_buf_append(b, "\\\\", 2, err);
		v++;
	}
	return st;
}

/* The families in the order they are written: name, type, help. */
enum family {
	F_CYCLES = 0,
	F_OBJECTS,
	F_PLANNED,
	F_APPLIED,
	F_FAILED,
	F_REFUSED,
	F_FINDINGS,
	F_REQUESTS,
	F_THROTTLED,
	F_RESYNCS,
	F_LAST_SUCCESS,
	F_DURATION,
};

/* Help texts hold no backslash nor newline: the format would escape them. */
static const struct {
	const char *name;
	const char *type;
	const char *help;
} families[] = {
	[F_CYCLES] = { "cycles_total", "counter",
	    "Sync cycles run, by kind and result." },
	[F_OBJECTS] = { "objects_read_total", "counter",
	    "Objects read: AD users, contacts and groups; Graph users and "
	    "groups; Exchange Online mailboxes." },
	[F_PLANNED] = { "changes_planned_total", "counter",
	    "Changes planned (one LDAP operation each), by class." },
	[F_APPLIED] = { "changes_applied_total", "counter",
	    "Changes AD took, by class." },
	[F_FAILED] = { "changes_failed_total", "counter",
	    "Changes AD refused, by class." },
	[F_REFUSED] = { "changes_refused_total", "counter",
	    "Changes the write gate refused (AD changed since it was read), "
	    "by class." },
	[F_FINDINGS] = { "findings", "gauge",
	    "Findings of the last cycle that made a plan, by the drift "
	    "report's state and the finding's kind." },
	[F_REQUESTS] = { "cloud_requests_total", "counter",
	    "HTTP requests sent to Graph and Exchange Online, retries "
	    "included." },
	[F_THROTTLED] = { "cloud_throttled_total", "counter",
	    "Cloud replies 429, 503 or 504 (throttled or busy)." },
	[F_RESYNCS] = { "delta_resyncs_total", "counter",
	    "Incremental cycles that found their delta token expired and "
	    "read everything again." },
	[F_LAST_SUCCESS] = { "last_success_timestamp_seconds", "gauge",
	    "When the last cycle that ended ok ended, Unix time; 0: none "
	    "yet." },
	[F_DURATION] = { "last_cycle_duration_seconds", "gauge",
	    "How long the last cycle took." },
};

/* "# HELP" and "# TYPE" of family f. */
static enum sb_status
family(struct sb_buf *b, enum family f, struct sb_error *err)
{
	return sb_buf_printf(b, err,
	    "# HELP soabridge_%s %s\n"
	    "# TYPE soabridge_%s %s\n",
	    families[f].name, families[f].help, families[f].name,
	    families[f].type);
}

/* One sample of family f with one or two labels (l2 NULL: one). */
static enum sb_status
sample(struct sb_buf *b, enum family f, const char *l1, const char *v1,
    const char *l2, const char *v2, unsigned long value, struct sb_error *err)
{
	enum sb_status st;

	st = sb_buf_printf(b, err, "soabridge_%s{%s=\"", families[f].name, l1);
	if (st == SB_OK)
		st = agent_metrics_label(b, v1, err);
	if (st == SB_OK && l2 != NULL)
		st = sb_buf_printf(b, err, "\",%s=\"", l2);
	if (st == SB_OK && l2 != NULL)
		st = agent_metrics_label(b, v2, err);
	if (st == SB_OK)
		st = sb_buf_printf(b, err, "\"} %lu\n", value);
	return st;
}

/* A family without labels. */
static enum sb_status
single(struct sb_buf *b, enum family f, unsigned long value,
    struct sb_error *err)
{
	enum sb_status st = family(b, f, err);

	if (st == SB_OK)
		st = sb_buf_printf(b, err, "soabridge_%s %lu\n",
		    families[f].name, value);
	return st;
}

/* A counter family with one sample per class. */
static enum sb_status
by_class(struct sb_buf *b, enum family f, const unsigned long *v,
    struct sb_error *err)
{
	enum sb_status st;
	size_t i;

	st = family(b, f, err);
	for (i = 0; i < MAP_REPORT_NCLASSES && st == SB_OK; i++)
		st = sample(b, f, "class", map_report_slot_name(i), NULL, "",
		    v[i], err);
	return st;
}

static enum sb_status
render_cycles(const struct agent_metrics *m, struct sb_buf *b,
    struct sb_error *err)
{
	enum sb_status st;
	size_t k, r;

	st = family(b, F_CYCLES, err);
	for (k = 0; k < AGENT_NCYCLE_KINDS && st == SB_OK; k++)
		for (r = 0; r < AGENT_NCYCLE_RESULTS && st == SB_OK; r++)
			st = sample(b, F_CYCLES, "kind", kind_names[k],
			    "result", result_names[r], m->cycles[k][r], err);
	if (st == SB_OK)
		st = family(b, F_OBJECTS, err);
	for (k = 0; k < AGENT_NSIDES && st == SB_OK; k++)
		st = sample(b, F_OBJECTS, "side", side_names[k], NULL, "",
		    m->objects_read[k], err);
	return st;
}

static enum sb_status
render_findings(const struct agent_metrics *m, struct sb_buf *b,
    struct sb_error *err)
{
	enum finding_kind k;
	enum sb_status st;
	size_t i;

	st = family(b, F_FINDINGS, err);
	for (i = 0; i < AGENT_NFINDING_KINDS && st == SB_OK; i++) {
		k = (enum finding_kind)i;
		st = sample(b, F_FINDINGS, "state",
		    map_report_state_name(map_report_finding_state(k)), "kind",
		    map_finding_kind_name(k), m->findings[i], err);
	}
	return st;
}

/* The two gauges that are not counts. */
static enum sb_status
render_times(const struct agent_metrics *m, struct sb_buf *b,
    struct sb_error *err)
{
	enum sb_status st;

	st = family(b, F_LAST_SUCCESS, err);
	if (st == SB_OK)
		st = sb_buf_printf(b, err, "soabridge_%s %lld\n",
		    families[F_LAST_SUCCESS].name, m->last_success);
	if (st == SB_OK)
		st = family(b, F_DURATION, err);
	if (st == SB_OK)
		st = sb_buf_printf(b, err, "soabridge_%s %.3f\n",
		    families[F_DURATION].name, m->last_duration);
	return st;
}

enum sb_status
agent_metrics_render(const struct agent_metrics *m, struct sb_buf *b,
    struct sb_error *err)
{
	enum sb_status st;

	st = render_cycles(m, b, err);
	if (st == SB_OK)
		st = by_class(b, F_PLANNED, m->planned, err);
	if (st == SB_OK)
		st = by_class(b, F_APPLIED, m->applied, err);
	if (st == SB_OK)
		st = by_class(b, F_FAILED, m->failed, err);
	if (st == SB_OK)
		st = by_class(b, F_REFUSED, m->refused, err);
	if (st == SB_OK)
		st = render_findings(m, b, err);
	if (st == SB_OK)
		st = single(b, F_REQUESTS, m->cloud_requests, err);
	if (st == SB_OK)
		st = single(b, F_THROTTLED, m->cloud_throttled, err);
	if (st == SB_OK)
		st = single(b, F_RESYNCS, m->delta_resyncs, err);
	if (st == SB_OK)
		st = render_times(m, b, err);
	return st;
}

/* All of p to fd, then to the disk. */
static enum sb_status
write_all(int fd, const char *tmp, const char *p, size_t len,
    struct sb_error *err)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sb_fail(err, SB_RETRY, errno, "metrics.write",
			    "cannot write %s: %s", tmp, strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0)
		return sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot sync %s: %s", tmp, strerror(errno));
	return SB_OK;
}

/*
 * The directory of path ("." when it has none) into dir; the rename's
 * entry reaches the disk only when the directory is synced too.
 */
static void
dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

static enum sb_status
sync_dir(const char *dir, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0)
		st = sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot sync directory %s: %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	return st;
}

/*
 * The temporary name ends in random letters, not .prom: the collector
 * reads only *.prom, so it never sees the file being written.
 */
enum sb_status
agent_metrics_write(const struct agent_metrics *m, const char *path,
    struct sb_error *err)
{
	char tmp[4096], dir[4096];
	enum sb_status st;
	struct sb_buf b;
	int fd = -1;

	dir_of(path, dir, sizeof(dir));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp))
		return sb_fail(err, SB_CONFIG, 0, "metrics.write",
		    "%s: the path is too long", path);
	sb_buf_init(&b, AGENT_METRICS_MAX);
	st = agent_metrics_render(m, &b, err);
	if (st == SB_OK && (fd = mkstemp(tmp)) < 0)
		st = sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot create a file in directory %s: %s", dir,
		    strerror(errno));
	/* mkstemp makes it 0600; the collector may run as another user. */
	if (st == SB_OK && fchmod(fd, 0644) != 0)
		st = sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot chmod %s: %s", tmp, strerror(errno));
	if (st == SB_OK)
		st = write_all(fd, tmp, b.p, b.len, err);
	if (fd >= 0 && close(fd) != 0 && st == SB_OK)
		st = sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot write %s: %s", tmp, strerror(errno));
	if (st == SB_OK && rename(tmp, path) != 0)
		st = sb_fail(err, SB_RETRY, errno, "metrics.write",
		    "cannot rename %s to %s: %s", tmp, path, strerror(errno));
	if (st != SB_OK && fd >= 0)
		unlink(tmp);
	if (st == SB_OK)
		st = sync_dir(dir, err);
	sb_buf_free(&b);
	return st;
}
