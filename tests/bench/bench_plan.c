/*
 * bench_plan: map_build_plan over N synthetic users (default 100,000), each
 * with a cloud user and a mailbox, a third of them IsExchangeCloudManaged
 * with drifting attributes, a third isCloudManaged with a manager, a third
 * AD's.  Prints objects per second and peak RSS: the targets live here, not
 * in timed tests.  Usage: bench_plan [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "mapping/codec.h"
#include "mapping/dirobj.h"
#include "mapping/build.h"
#include "mapping/options.h"
#include "mapping/plan.h"

#define BASE	"DC=corp,DC=example"
#define STAFF	"OU=Staff," BASE

static void
die(const char *what)
{
	fprintf(stderr, "bench_plan: %s failed\n", what);
	exit(1);
}

static void
guid_of(unsigned char g[16], size_t i)
{
	memset(g, 0x5a, 16);
	memcpy(g, &i, sizeof(i));
}

static void
add(struct dirobj *o, const char *attr, const char *v)
{
	if (dirobj_add_str(o, attr, v, NULL) != SB_OK)
		die("dirobj_add_str");
}

static void
make_objects(size_t n, struct dirset *ad, struct dirset *cloud,
    struct dirset *mbx)
{
	unsigned char g[16];
	char buf[256], *imm;
	struct dirobj *a, *c, *m;
	size_t i;

	for (i = 0; i < n; i++) {
		a = dirobj_new(DIROBJ_USER);
		c = dirobj_new(DIROBJ_USER);
		m = dirobj_new(DIROBJ_MAILBOX);
		if (a == NULL || c == NULL || m == NULL)
			die("dirobj_new");
		guid_of(g, i);
		snprintf(buf, sizeof(buf), "CN=User %zu,%s", i, STAFF);
		if (dirobj_set_str(&a->dn, buf, NULL) != SB_OK ||
		    sb_bytes_copy(&a->guid, g, 16, NULL) != SB_OK ||
		    map_immutable_id_from_guid(g, 16, &imm, NULL) != SB_OK)
			die("anchors");
		c->immutable_id = imm;
		snprintf(buf, sizeof(buf), "cloud-%zu", i);
		if (dirobj_set_str(&c->cloud_id, buf, NULL) != SB_OK ||
		    dirobj_set_str(&m->cloud_id, buf, NULL) != SB_OK)
			die("ids");
		c->sync_enabled = i % 3 == 1 ? SB_TRI_UNSET : SB_TRI_TRUE;
		c->cloud_managed = i % 3 == 1 ? SB_TRI_TRUE : SB_TRI_FALSE;
		m->sync_enabled = SB_TRI_TRUE;
		m->exchange_cloud_managed = i % 3 == 0 ? SB_TRI_TRUE :
		    SB_TRI_FALSE;
		snprintf(buf, sizeof(buf), "SMTP:user%zu@corp.example", i);
		add(a, "proxyAddresses", buf);
		add(m, "EmailAddresses", buf);
		snprintf(buf, sizeof(buf), "smtp:alias%zu@corp.example", i);
		add(m, "EmailAddresses", buf);
		add(a, "extensionAttribute1", "old");
		add(m, "CustomAttribute1", "new");
		add(a, "title", "Engineer");
		add(c, "jobTitle", "Senior Engineer");
		if (i > 0) {
			snprintf(buf, sizeof(buf), "cloud-%zu", i - 1);
			add(c, "manager", buf);
		}
		if (dirset_add(ad, a, NULL) != SB_OK ||
		    dirset_add(cloud, c, NULL) != SB_OK ||
		    dirset_add(mbx, m, NULL) != SB_OK)
			die("dirset_add");
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct dirset ad, cloud, mbx;
	struct map_options opt;
	struct plan *p = NULL;
	struct rusage ru;
	char *scope[] = { STAFF };
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	double t0, t1;

	dirset_init(&ad);
	dirset_init(&cloud);
	dirset_init(&mbx);
	make_objects(n, &ad, &cloud, &mbx);
	map_options_init(&opt);
	opt.base_dn = BASE;
	opt.write_scope = scope;
	opt.nwrite_scope = 1;
	t0 = now();
	if (map_build_plan(&ad, &cloud, &mbx, &opt, &p, NULL) != SB_OK)
		die("map_build_plan");
	t1 = now();
	getrusage(RUSAGE_SELF, &ru);
	printf("bench_plan: %zu objects, %zu changes, %zu findings in %.2f s "
	    "(%.0f objects/s); peak RSS %ld MiB\n", n, p->nchanges,
	    p->nfindings, t1 - t0, (double)n / (t1 - t0),
	    ru.ru_maxrss / 1024);
	map_plan_free(p);
	dirset_free(&ad);
	dirset_free(&cloud);
	dirset_free(&mbx);
	return 0;
}
