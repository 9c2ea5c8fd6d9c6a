/*
 * report: read both sides, plan as sync does, and write the drift report
 * (text, JSON, CSV or HTML) from that plan.  Writes nothing to AD.  The
 * entries are walked twice (three to seven times for text, grouped by
 * state): once to count them for the summary that comes first, then to
 * write them as they are produced, so no format holds the report in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/progress.h"
#include "agent/cmd/cli.h"
#include "agent/guids.h"
#include "agent/cycle.h"
#include "agent/store/flap.h"
#include "agent/limits.h"
#include "mapping/log.h"
#include "agent/report/report.h"
#include "agent/store/state.h"
#include "mapping/codec.h"
#include "mapping/dn.h"

#ifndef SOABRIDGE_VERSION
#define SOABRIDGE_VERSION "unknown"
#endif

#define DOMAIN_MAX	256	/* a DNS name is at most 253 characters */
#define LIMIT_TEXT_MAX	512	/* sb_error.text fits */

struct report_args {
	enum report_format	 format;
	const char		*out;		/* NULL: stdout */
	int			 fail_on_drift;
};

static int
parse_args(const struct cli *cli, int argc, char **argv,
    struct report_args *a)
{
	int i, f;

	memset(a, 0, sizeof(*a));
	a->format = REPORT_TEXT;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			f = agent_report_format(argv[++i]);
			if (f < 0) {
				agent_usage_error(cli, "report: --format must "
				    "be text, json, csv or html, not '%s'",
				    argv[i]);
				return 0;
			}
			a->format = (enum report_format)f;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			a->out = argv[++i];
			if (*a->out == '\0') {
				agent_usage_error(cli, "report: -o needs a "
				    "file name");
				return 0;
			}
		} else if (strcmp(argv[i], "--fail-on-drift") == 0) {
			a->fail_on_drift = 1;
		} else {
			agent_usage_error(cli, "report: unknown argument '%s'",
			    argv[i]);
			return 0;
		}
	}
	return 1;
}

/* "corp.example.test" from the DC= RDNs of base_dn; "" when it has none. */
static void
domain_of(const char *base_dn, char *out, size_t outsz)
{
	struct map_dn *dn = NULL;
	const struct map_ava *a;
	size_t i, o = 0;
	int n;

	out[0] = '\0';
	if (map_dn_parse(base_dn, &dn, NULL) != SB_OK)
		return;
	for (i = 0; i < dn->nrdns; i++) {
		a = &dn->rdns[i].avas[0];
		if (dn->rdns[i].navas != 1 || strcasecmp(a->type, "DC") != 0)
			continue;
		n = snprintf(out + o, outsz - o, "%s%.*s", o ? "." : "",
		    (int)a->value.len, (const char *)a->value.p);
		if (n < 0 || (size_t)n >= outsz - o) {
			out[0] = '\0';	/* not a DNS name: leave it out */
			break;
		}
		o += (size_t)n;
	}
	map_dn_free(dn);
}

/*
 * Why sync would refuse this plan as a whole, or 0: sync's limits
 * (agent/limits.h) with the configured values (report has no
 * --max-changes).
 */
static int
limit_text(const struct conf *conf, const struct plan *p, char *buf,
    size_t bufsz)
{
	struct agent_limit_counts n;
	struct sb_error e;

	agent_limits_count(p, &n);
	if (agent_limits_check(&n, AGENT_LIMIT_CHANGES,
	    conf->limits.max_changes, &e) == SB_OK &&
	    agent_limits_check(&n, AGENT_LIMIT_DELETES,
	    conf->limits.max_deletes, &e) == SB_OK)
		return 0;
	snprintf(buf, bufsz, "%s", e.text);
	return 1;
}

/* 1 when path is missing or a regular file: one a rename may replace. */
static int
plain_file(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) != 0)
		return errno == ENOENT;
	return S_ISREG(sb.st_mode);
}

/* A new file beside path, to be renamed over it once complete. */
static enum sb_status
open_tmp(const char *path, char **tmpout, FILE **fout, struct sb_error *err)
{
	size_t n = strlen(path) + sizeof(".XXXXXX");
	enum sb_status st = SB_OK;
	char *tmp = NULL;
	FILE *f = NULL;
	mode_t um;
	int fd = -1;

	tmp = malloc(n);
	if (tmp == NULL) {
		st = sb_fail(err, SB_BUG, ENOMEM, "report.open",
		    "out of memory");
		goto done;
	}
	snprintf(tmp, n, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = sb_fail(err, SB_STOP, errno, "report.open", "%s: %s",
		    path, strerror(errno));
		goto done;
	}
	/* As fopen would create it: mkstemp's 0600, widened by the umask. */
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) != 0 || (f = fdopen(fd, "w")) == NULL) {
		st = sb_fail(err, SB_STOP, errno, "report.open", "%s: %s",
		    path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto done;
	}
	*tmpout = tmp;
	*fout = f;
	tmp = NULL;
done:
	free(tmp);
	return st;
}

/* What report holds from the configuration to the plan. */
struct report_run {
	struct conf		*conf;
	struct agent_state	*state;		/* read only; NULL: none */
	struct cycle		 cy;
	int			 cy_open;
	struct plan_guids	 guids;		/* per change of cy.plan */
	struct agent_flaps	 flaps;
	char			 domain[DOMAIN_MAX];
	char			 limit[LIMIT_TEXT_MAX];	/* why sync refuses */
};

static void
run_close(struct report_run *r)
{
	if (r->cy_open)
		agent_cycle_close(&r->cy);
	agent_flap_free(&r->flaps);
	agent_plan_guids_free(&r->guids);
	agent_state_close(r->state);
	conf_free(r->conf);
	memset(r, 0, sizeof(*r));
}

/*
 * The path of 'soabridge plan': the configuration, the state read only
 * (for the quarantine), both sides read, the plan, flapping objects taken
 * out of it.  Nothing is written, to AD or to the state.
 */
static int
prepare(const struct cli *cli, struct report_run *r, struct sb_error *err)
{
	enum sb_status st;
	int rc;

	rc = agent_conf_load(cli, &r->conf);
	if (rc != EXIT_DONE)
		return rc;
	st = agent_state_open(r->conf->state_dir, AGENT_STATE_RO, &r->state,
	    err);
	if (st != SB_OK) {
		fprintf(stderr, "%s: note: %s: %s (quarantines not shown)\n",
		    cli->prog, err->where, err->text);
		r->state = NULL;
	}
	st = agent_cycle_open(&r->cy, r->conf, err);
	r->cy_open = 1;
	if (st == SB_OK)
		st = agent_cycle_read(&r->cy, err);
	if (st == SB_OK)
		st = agent_cycle_plan(&r->cy, err);
	if (st == SB_OK)
		st = agent_plan_guids(r->cy.plan, &r->cy.ad_objs,
		    &r->guids, err);
	if (st == SB_OK)
		st = agent_flap_filter(r->state, r->cy.plan, r->guids.of,
		    r->conf->limits.flap_threshold, &r->flaps, err);
	agent_progress_clear(); /* the report is printed next */
	if (st != SB_OK) {
		agent_print_error(cli, err);
		return agent_exit_code(st);
	}
	return EXIT_DONE;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The walk's input and the report's header, from the plan of r. */
static void
report_setup(struct report_run *r, struct map_report_input *in,
    struct report_meta *meta)
{
	memset(in, 0, sizeof(*in));
	in->ad = &r->cy.ad_objs;
	in->cloud = &r->cy.cloud_users;
	in->mailboxes = &r->cy.mailboxes;
	in->opt = &r->cy.mopt;
	in->plan = r->cy.plan;
	in->limit = limit_text(r->conf, r->cy.plan, r->limit,
	    sizeof(r->limit)) ? r->limit : NULL;
	domain_of(r->conf->ldap.base_dn, r->domain, sizeof(r->domain));
	meta->version = SOABRIDGE_VERSION;
	meta->tenant_id = r->conf->cloud.tenant_id;
	meta->domain = r->domain;
	meta->base_dn = r->conf->ldap.base_dn;
	meta->limit = in->limit;
}

/*
 * The report to stdout or to file out.  A regular file is written beside
 * and renamed over it once complete, so no reader sees half a report;
 * anything else (/dev/null, a pipe, a symlink) is written through, never
 * over.
 */
static enum sb_status
write_report(const struct report_args *a, const struct map_report_input *in,
    const struct report_meta *meta, struct sb_error *err)
{
	enum sb_status st = SB_OK;
	char *tmp = NULL;
	FILE *f = NULL;

	if (a->out == NULL)
		return agent_report_write(stdout, a->format, in, meta, err);
	if (!plain_file(a->out)) {
		f = fopen(a->out, "w");
		if (f == NULL)
			st = sb_fail(err, SB_STOP, errno, "report.open",
			    "%s: %s", a->out, strerror(errno));
	} else {
		st = open_tmp(a->out, &tmp, &f, err);
	}
	if (st == SB_OK)
		st = agent_report_write(f, a->format, in, meta, err);
	if (f != NULL && fclose(f) != 0 && st == SB_OK)
		st = sb_fail(err, SB_STOP, errno, "report.write", "%s: %s",
		    a->out, strerror(errno));
	if (st == SB_OK && tmp != NULL && rename(tmp, a->out) != 0)
		st = sb_fail(err, SB_STOP, errno, "report.write", "%s: %s",
		    a->out, strerror(errno));
	if (st != SB_OK && tmp != NULL)
		unlink(tmp);
	free(tmp);
	return st;
}

int
agent_cmd_report(const struct cli *cli, int argc, char **argv)
{
	struct report_args a;
	struct sb_error err = { 0 };
	struct report_run r;
	struct map_report_input in;
	struct report_meta meta;
	struct timespec t0;
	struct tm tm;
	time_t now;
	enum sb_status st;
	int rc;

	memset(&r, 0, sizeof(r));
	if (!parse_args(cli, argc, argv, &a))
		return EXIT_USAGE;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	now = time(NULL);
	memset(&meta, 0, sizeof(meta));
	gmtime_r(&now, &tm);
	strftime(meta.generated_at, sizeof(meta.generated_at),
	    "%Y-%m-%dT%H:%M:%SZ", &tm);
	rc = prepare(cli, &r, &err);
	if (rc != EXIT_DONE)
		goto done;
	report_setup(&r, &in, &meta);
	st = agent_report_count(&in, &meta, &err);
	meta.elapsed_ms = ms_since(&t0);
	if (st == SB_OK)
		st = write_report(&a, &in, &meta, &err);
	if (st != SB_OK) {
		agent_print_error(cli, &err);
		rc = agent_exit_code(st);
		goto done;
	}
	log_info("report entries=%zu drift=%zu refused=%zu format=%s%s%s",
	    meta.counts.entries, meta.counts.state[MAP_REPORT_CLOUD_DRIFT],
	    meta.counts.state[MAP_REPORT_REFUSED],
	    agent_report_writer(a.format)->name,
	    a.out ? " file=" : "", a.out ? a.out : "");
	if (a.out != NULL && !cli->quiet)
		fprintf(stderr, "%s: report: %zu entries (%zu cloud-owned "
		    "drift) written to %s\n", cli->prog, meta.counts.entries,
		    meta.counts.state[MAP_REPORT_CLOUD_DRIFT], a.out);
	if (a.fail_on_drift && map_report_has_drift(&meta.counts))
		rc = EXIT_DRIFT;
done:
	run_close(&r);
	return rc;
}
