/*
 * Unit tests of the report writers (agent/report/walk.c, reporttext.c,
 * reportjson.c, reportcsv.c, reporthtml.c) over a planned world: each
 * format whole and well-formed, cloud text escaped, and a large report
 * written in memory that does not grow with it.
 */
#define _GNU_SOURCE		/* fopencookie, mallinfo2 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <cmocka.h>
#include <jansson.h>
#include <openssl/sha.h>

#include "test_mapping.h"
#include "agent/report/report.h"

#define ANN_DN	"CN=Ann,OU=Staff,DC=corp,DC=example"
#define BOSS_DN	"CN=Boss,OU=Staff,DC=corp,DC=example"
#define EVIL	"<script>window.sbInjected=1</script><img src=x onerror=\"window.sbInjected=1\">"

struct world {
	struct fx_world		 w;
	struct plan		*p;
	struct map_report_input	 in;
	struct report_meta	 meta;
};

/* Ann (isCloudManaged, drifting, an evil display name), Boss (synced). */
static void
world_init(struct world *x)
{
	struct dirobj *a, *c;
	char longv[400];
	int i;

	memset(x, 0, sizeof(*x));
	fx_world_init(&x->w);
	a = fx_ad_user(ANN_DN, 1, 1105);
	fx_set(a, "title", "Engineer", NULL);
	fx_set(a, "company", "Contoso", NULL);
	fx_set(a, "proxyAddresses", "SMTP:ann@corp.example", NULL);
	for (i = 0; i < 40; i++) {
		char v[64];

		snprintf(v, sizeof(v), "smtp:alias%02d@corp.example", i);
		assert_int_equal(dirobj_add_str(a, "proxyAddresses", v, NULL),
		    SB_OK);
	}
	fx_add(&x->w.ad, a);
	fx_add(&x->w.ad, fx_ad_user(BOSS_DN, 2, 1106));
	c = fx_cloud_user("id-ann", EVIL, 1, 1105, SB_TRI_UNSET, SB_TRI_TRUE);
	memset(longv, 'q', sizeof(longv) - 1);
	longv[sizeof(longv) - 1] = '\0';
	fx_set(c, "jobTitle", longv, NULL);
	fx_set(c, "department", "R&D <lab>", NULL);
	fx_set(c, "companyName", "Contoso", NULL);
	fx_set(c, "proxyAddresses", "SMTP:ann@corp.example", NULL);
	fx_add(&x->w.cloud, c);
	c = fx_cloud_user("id-boss", "Boss", 2, 1106, SB_TRI_TRUE,
	    SB_TRI_FALSE);
	fx_set(c, "jobTitle", "Chief", NULL);
	fx_add(&x->w.cloud, c);
	x->p = fx_plan(&x->w);
	x->in.ad = &x->w.ad;
	x->in.cloud = &x->w.cloud;
	x->in.mailboxes = &x->w.mbx;
	x->in.opt = &x->w.opt;
	x->in.plan = x->p;
	x->meta.version = "9.9.9";
	x->meta.tenant_id = "00000000-0000-4000-8000-000000000001";
	x->meta.domain = "corp.example";
	x->meta.base_dn = FX_BASE;
	snprintf(x->meta.generated_at, sizeof(x->meta.generated_at),
	    "2024-05-01T12:00:00Z");
	assert_int_equal(agent_report_count(&x->in, &x->meta, NULL), SB_OK);
}

static void
world_free(struct world *x)
{
	map_plan_free(x->p);
	fx_world_free(&x->w);
}

static char *
render(struct world *x, enum report_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct sb_error err;

	assert_non_null(f);
	assert_int_equal(agent_report_write(f, fmt, &x->in, &x->meta, &err),
	    SB_OK);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_reportwriters_json_is_one_document_with_the_summary_and_every_entry(
    void **state)
{
	json_t *root, *entries, *e;
	json_error_t jerr;
	struct world x;
	size_t i, drift = 0;
	char *s;

	(void)state;
	world_init(&x);
	s = render(&x, REPORT_JSON);
	root = json_loads(s, 0, &jerr);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root,
	    "report_version")), REPORT_SCHEMA_VERSION);
	entries = json_object_get(root, "entries");
	assert_int_equal(json_array_size(entries), x.meta.counts.entries);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(root, "summary"), "states"), "cloud-drift")),
	    x.meta.counts.state[MAP_REPORT_CLOUD_DRIFT]);
	assert_true(json_is_true(json_object_get(root, "drift")));
	json_array_foreach(entries, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "state")),
		    "cloud-drift") == 0)
			drift++;
		if (json_string_value(json_object_get(e, "display_name")) &&
		    strcmp(json_string_value(json_object_get(e, "dn")),
		    ANN_DN) == 0)
			assert_string_equal(json_string_value(json_object_get(e,
			    "display_name")), EVIL);	/* exact, not escaped */
	}
	assert_int_equal(drift, x.meta.counts.state[MAP_REPORT_CLOUD_DRIFT]);
	json_decref(root);
	free(s);
	world_free(&x);
}

/* Rows of RFC 4180 text: CRLFs outside quotes. */
static size_t
csv_rows(const char *s)
{
	size_t n = 0;
	int q = 0;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (!q && s[0] == '\r' && s[1] == '\n')
			n++;
	}
	return n;
}

static void
test_reportwriters_csv_has_a_header_and_one_row_per_entry(void **state)
{
	struct world x;
	char *s;

	(void)state;
	world_init(&x);
	s = render(&x, REPORT_CSV);
	assert_true(strncmp(s, "state,owner,class,kind,dn,", 26) == 0);
	assert_int_equal(csv_rows(s), x.meta.counts.entries + 1);
	assert_non_null(strstr(s, "\"R&D <lab>\""));
	free(s);
	world_free(&x);
}

static void
test_reportwriters_text_has_the_summary_first_and_fits_100_columns(
    void **state)
{
	struct world x;
	char *s, *line, *save = NULL;
	const char *drift, *insync;

	(void)state;
	world_init(&x);
	s = render(&x, REPORT_TEXT);
	assert_true(strncmp(s, "soabridge drift report", 22) == 0);
	drift = strstr(s, "\n== cloud-owned drift");
	insync = strstr(s, "\n== in sync");
	assert_non_null(drift);
	assert_non_null(insync);
	assert_true(strstr(s, "summary:") < drift);
	assert_true(drift < insync);
	assert_non_null(strstr(s, "more)"));	/* 41 addresses shortened */
	assert_non_null(strstr(s, "(399 bytes)"));	/* a long title cut */
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		assert_true(strlen(line) <= 100);
	free(s);
	world_free(&x);
}

static void
test_reportwriters_html_escapes_cloud_text_and_hashes_its_script(void **state)
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	struct world x;
	char *s, *b, *e, *csp;
	FILE *f;
	char *want = NULL;
	size_t wlen = 0;

	(void)state;
	world_init(&x);
	s = render(&x, REPORT_HTML);
	assert_true(strncmp(s, "<!DOCTYPE html>", 15) == 0);
	/* only our two script elements; the name is text */
	assert_int_equal(count(s, "<script"), 2);
	assert_int_equal(count(s, "</script"), 2);
	assert_null(strstr(s, "<img"));
	assert_non_null(strstr(s, "&lt;script&gt;window.sbInjected=1"));
	assert_non_null(strstr(s, "R&amp;D &lt;lab&gt;"));
	assert_int_equal(count(s, "<tr data-state="), x.meta.counts.entries);
	/* nothing external */
	assert_null(strstr(s, "http://"));
	assert_null(strstr(s, "https://"));
	assert_null(strstr(s, "<link"));
	assert_null(strstr(s, "<img"));
	/* the policy names the hash of the script as written */
	b = strstr(s, "<script>");
	assert_non_null(b);
	b += strlen("<script>");
	e = strstr(b, "</script>");
	assert_non_null(e);
	SHA256((const unsigned char *)b, (size_t)(e - b), d);
	f = open_memstream(&want, &wlen);
	fputs("script-src 'sha256-", f);
	agent_reportenc_base64(f, d, sizeof(d));
	fclose(f);
	csp = strstr(s, "Content-Security-Policy");
	assert_non_null(csp);
	assert_non_null(strstr(csp, want));
	free(want);
	free(s);
	world_free(&x);
}

/* Output that goes nowhere, counting bytes and the peak of the heap. */
struct sink {
	size_t	bytes;
	size_t	calls;
	size_t	base;
	size_t	peak;
};

static size_t
heap_now(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static ssize_t
sink_write(void *cookie, const char *buf, size_t size)
{
	struct sink *k = cookie;
	size_t h;

	(void)buf;
	k->bytes += size;
	if (k->calls++ % 64 == 0) {
		h = heap_now();
		if (h > k->peak)
			k->peak = h;
	}
	return (ssize_t)size;
}

#define MANY	10000

static void
test_reportwriters_a_large_html_report_streams_in_bounded_memory(void **state)
{
	cookie_io_functions_t io = { NULL, sink_write, NULL, NULL };
	struct world x;
	struct sink k;
	struct dirobj *a, *c;
	char dn[128], id[64], v[64];
	unsigned char g[16];
	struct sb_error err;
	FILE *f;
	int i;

	(void)state;
	memset(&x, 0, sizeof(x));
	fx_world_init(&x.w);
	for (i = 0; i < MANY; i++) {
		snprintf(dn, sizeof(dn), "CN=User %05d,%s", i, FX_STAFF);
		snprintf(id, sizeof(id), "id-%05d", i);
		/* fx_guid repeats after 16 seeds: an anchor of its own each */
		memset(g, 0x5a, sizeof(g));
		memcpy(g, &i, sizeof(i));
		a = fx_ad_user(dn, 1, 0);
		sb_bytes_free(&a->guid);
		assert_int_equal(sb_bytes_copy(&a->guid, g, 16, NULL), SB_OK);
		fx_set(a, "title", "Old title", NULL);
		fx_set(a, "department", "Same", NULL);
		snprintf(v, sizeof(v), "SMTP:user%05d@corp.example", i);
		fx_set(a, "proxyAddresses", v, "smtp:old@corp.example", NULL);
		fx_add(&x.w.ad, a);
		c = fx_cloud_user(id, "A user with a longish display name", 0,
		    0, SB_TRI_UNSET, i % 2 ? SB_TRI_TRUE : SB_TRI_FALSE);
		assert_int_equal(map_immutable_id_from_guid(g, 16,
		    &c->immutable_id, NULL), SB_OK);
		fx_set(c, "jobTitle", "New title", NULL);
		fx_set(c, "department", "Same", NULL);
		fx_set(c, "proxyAddresses", v, NULL);
		fx_add(&x.w.cloud, c);
	}
	x.p = fx_plan(&x.w);
	x.in.ad = &x.w.ad;
	x.in.cloud = &x.w.cloud;
	x.in.mailboxes = &x.w.mbx;
	x.in.opt = &x.w.opt;
	x.in.plan = x.p;
	x.meta.version = "9.9.9";
	x.meta.tenant_id = "t";
	x.meta.domain = "corp.example";
	x.meta.base_dn = FX_BASE;
	assert_int_equal(agent_report_count(&x.in, &x.meta, NULL), SB_OK);
	print_message("%zu entries, %zu empty\n", x.meta.counts.entries,
	    x.meta.stats.empty);
	assert_true(x.meta.counts.entries >= 3 * MANY);

	memset(&k, 0, sizeof(k));
	f = fopencookie(&k, "w", io);
	assert_non_null(f);
	k.base = k.peak = heap_now();
	assert_int_equal(agent_report_write(f, REPORT_HTML, &x.in, &x.meta,
	    &err), SB_OK);
	assert_int_equal(fclose(f), 0);
	/*
	 * The HTML is tens of megabytes; while writing it the heap grew by
	 * the walk's indexes and join tables only: under 1 KiB an object
	 * and well under a tenth of the output.
	 */
	print_message("html %zu bytes, heap grew by at most %zu bytes\n",
	    k.bytes, k.peak - k.base);
	assert_true(k.bytes > (size_t)MANY * 1000);
	assert_true(k.peak - k.base < (size_t)MANY * 1024);
	assert_true(k.peak - k.base < k.bytes / 10);
	world_free(&x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reportwriters_json_is_one_document_with_the_summary_and_every_entry),
		cmocka_unit_test(test_reportwriters_csv_has_a_header_and_one_row_per_entry),
		cmocka_unit_test(test_reportwriters_text_has_the_summary_first_and_fits_100_columns),
		cmocka_unit_test(test_reportwriters_html_escapes_cloud_text_and_hashes_its_script),
		cmocka_unit_test(test_reportwriters_a_large_html_report_streams_in_bounded_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
