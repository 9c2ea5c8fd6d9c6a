/*
 * cloud-probe: drives cloud/ against the fake cloud (tests/fakecloud) and
 * checks what it sent through the fake's /_fake/ statistics.  Reads the
 * CLOUD_* variables of the fake's cloud.env; prints one "ok"/"not ok" line
 * per check (TAP) on stdout, cloud/'s debug log on stderr.  Exit 1 if any
 * check failed.  The tenant is tests/cloud-probe/tenant.py's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "mapping/log.h"
#include "cloud/client.h"
#include "cloud/exo.h"
#include "cloud/graph.h"

static const char *cloud_url, *tenant_id, *client_id, *ca_file;
static struct sb_bytes secret;
static json_t *tenant;		/* GET /_fake/tenant */
static int nchecks, nfailed;

static void check(int ok, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
check(int ok, const char *fmt, ...)
{
	va_list ap;

	nchecks++;
	if (!ok)
		nfailed++;
	printf("%s %d - ", ok ? "ok" : "not ok", nchecks);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void
die(const char *what)
{
	fprintf(stderr, "cloud-probe: %s\n", what);
	exit(2);
}

/* The fake's admin API. */

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	struct sb_buf *b = arg;

	return sb_buf_append(b, p, size * n, NULL) == SB_OK ? size * n : 0;
}

static json_t *
admin(const char *method, const char *path, const char *body)
{
	struct curl_slist *h = NULL;
	struct sb_buf url, resp;
	json_t *out = NULL;
	long status = 0;
	CURL *curl;

	sb_buf_init(&url, 4096);
	sb_buf_init(&resp, 64 * 1024 * 1024);
	sb_buf_printf(&url, NULL, "%s/_fake/%s", cloud_url, path);
	curl = curl_easy_init();
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(curl, CURLOPT_URL, url.p);
	curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	if (body != NULL)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &resp);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	if (curl_easy_perform(curl) != CURLE_OK)
		die("the fake's admin API does not answer");
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		fprintf(stderr, "cloud-probe: %s /_fake/%s: HTTP %ld %s\n",
		    method, path, status, resp.p ? resp.p : "");
		exit(2);
	}
	out = json_loadb(resp.p, resp.len, 0, NULL);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	sb_buf_free(&url);
	sb_buf_free(&resp);
	return out;
}

static void
admin_do(const char *method, const char *path, const char *body)
{
	json_decref(admin(method, path, body));
}

/* Fresh counters, no faults, default config. */
static void
reset_fake(void)
{
	admin_do("DELETE", "stats", NULL);
	admin_do("DELETE", "faults", NULL);
	admin_do("DELETE", "config", NULL);
}

/* stats[section][key][status], 0 when absent. */
static long
stat_of(const char *section, const char *key, const char *status)
{
	json_t *s = admin("GET", "stats", NULL);
	long n;

	n = (long)json_integer_value(json_object_get(json_object_get(
	    json_object_get(s, section), key), status));
	json_decref(s);
	return n;
}

/* A sleep that really sleeps and counts. */
struct sleeps {
	long	total_ms;
	long	max_ms;
	int	n;
};

static void
real_sleep(void *arg, long ms)
{
	struct sleeps *s = arg;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	s->n++;
	s->total_ms += ms;
	if (ms > s->max_ms)
		s->max_ms = ms;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static struct cloud_client *
client(const struct sb_bytes *sec, struct sleeps *sl)
{
	struct cloud_params p = {
		.login_url = cloud_url, .graph_url = cloud_url,
		.exchange_url = cloud_url, .tenant_id = tenant_id,
		.client_id = client_id, .client_secret = sec,
		.ca_file = ca_file, .timeout_s = 30,
	};
	struct cloud_client *c = NULL;
	struct sb_error err = { 0 };

	if (cloud_open(&p, &c, &err) != SB_OK) {
		fprintf(stderr, "cloud-probe: cloud_open: %s\n", err.text);
		exit(2);
	}
	cloud_client_set_sleep(c, real_sleep, sl);
	return c;
}

static enum sb_status
into_set(struct dirobj *o, void *arg, struct sb_error *err)
{
	return dirset_add(arg, o, err);
}

static const struct dirobj *
find(const struct dirset *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->objs[i]->cloud_id != NULL &&
		    strcasecmp(s->objs[i]->cloud_id, id) == 0)
			return s->objs[i];
	return NULL;
}

/* Each object of the fixture set exactly once in s. */
static int
each_once(const struct dirset *s, const char *set)
{
	json_t *arr = json_object_get(tenant, set), *o;
	size_t i, j, seen;

	if (s->n != json_array_size(arr))
		return 0;
	json_array_foreach(arr, i, o) {
		seen = 0;
		for (j = 0; j < s->n; j++)
			seen += strcasecmp(s->objs[j]->cloud_id,
			    json_string_value(json_object_get(o, "id"))) == 0;
		if (seen != 1)
			return 0;
	}
	return 1;
}

static const char *const user_select[] = { "id", "displayName", "jobTitle",
	"businessPhones", "proxyAddresses", "onPremisesExtensionAttributes",
	"manager", NULL };

static long
pages(size_t n, size_t per)
{
	return n == 0 ? 1 : (long)((n + per - 1) / per);
}

static void
probe_tokens(void)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	enum sb_status st;

	reset_fake();
	st = cloud_check_tokens(c, &err);
	check(st == SB_OK, "check_tokens gets a Graph and an Exchange token "
	    "(%s %s)", sb_status_name(st), err.text);
	check(stat_of("requests", "POST /{tenant}/oauth2/v2.0/token", "200")
	    == 2, "two token requests, one per audience");
	cloud_close(c);
}

static void
probe_users_paged(void)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	struct dirset s;
	const struct dirobj *o;
	json_t *users = json_object_get(tenant, "users"), *u, *m;
	size_t i;
	int managers_ok = 1, nulls_ok = 1;
	enum sb_status st;

	reset_fake();
	admin_do("PUT", "config", "{\"page_size\":{\"graph\":2}}");
	dirset_init(&s);
	st = cloud_graph_users(c, user_select, 1, into_set, &s, &err);
	check(st == SB_OK, "users listing with page size 2 (%s %s)",
	    sb_status_name(st), err.text);
	check(each_once(&s, "users"), "every user exactly once (%zu of %zu)",
	    s.n, json_array_size(users));
	check(stat_of("requests", "GET /v1.0/users", "200") ==
	    pages(json_array_size(users), 2), "%ld pages of 2 requested",
	    pages(json_array_size(users), 2));
	json_array_foreach(users, i, u) {
		o = find(&s, json_string_value(json_object_get(u, "id")));
		if (o == NULL)
			continue;
		m = json_object_get(u, "manager");
		if (m != NULL ? dirobj_get_str(o, "manager") == NULL ||
		    strcasecmp(dirobj_get_str(o, "manager"),
		    json_string_value(m)) != 0 :
		    dirobj_get(o, "manager") == NULL ||
		    dirobj_get(o, "manager")->nvals != 0)
			managers_ok = 0;
		if (json_is_null(json_object_get(u, "jobTitle")) &&
		    (dirobj_get(o, "jobTitle") == NULL ||
		    dirobj_get(o, "jobTitle")->nvals != 0))
			nulls_ok = 0;
	}
	check(managers_ok, "expanded manager is the manager's id; without "
	    "one, present with no value (known: none)");
	check(nulls_ok, "a null property is present with no values");
	o = find(&s, "10000000-0000-4000-8000-000000000003");
	check(o != NULL && o->sync_enabled == SB_TRI_UNSET &&
	    o->immutable_id != NULL && o->sid_string != NULL &&
	    dirobj_get_str(o, "onPremisesExtensionAttributes."
	    "extensionAttribute1") != NULL, "anchors and flattened extension "
	    "attributes of a converted user");
	dirset_free(&s);
	cloud_close(c);
}

static void
probe_groups_members_contacts(void)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	struct dirset s;
	const struct dirobj *o;
	enum sb_status st;
	int kinds;

	reset_fake();
	admin_do("PUT", "config", "{\"page_size\":{\"graph\":2}}");
	dirset_init(&s);
	st = cloud_graph_groups(c, NULL, 0, into_set, &s, &err);
	check(st == SB_OK && each_once(&s, "groups"), "groups listed, each "
	    "once (%s %s)", sb_status_name(st), err.text);
	dirset_free(&s);
	dirset_init(&s);
	st = cloud_graph_members(c, "20000000-0000-4000-8000-000000000001",
	    into_set, &s, &err);
	kinds = s.n == 6 &&
	    (o = find(&s, "10000000-0000-4000-8000-000000000002")) != NULL &&
	    o->kind == DIROBJ_USER &&
	    (o = find(&s, "20000000-0000-4000-8000-000000000002")) != NULL &&
	    o->kind == DIROBJ_GROUP &&
	    (o = find(&s, "30000000-0000-4000-8000-000000000001")) != NULL &&
	    o->kind == DIROBJ_CONTACT &&
	    (o = find(&s, "40000000-0000-4000-8000-000000000001")) != NULL &&
	    o->kind == DIROBJ_OTHER;
	check(st == SB_OK && kinds, "members paged and typed: user, group, "
	    "contact, device (%s, %zu members)", sb_status_name(st), s.n);
	check(stat_of("requests", "GET /v1.0/groups/{id}/members", "200") == 3,
	    "6 members in 3 pages of 2");
	dirset_free(&s);
	dirset_init(&s);
	st = cloud_graph_members(c, "20000000-0000-4000-8000-0000000000ff",
	    into_set, &s, &err);
	check(st == SB_SKIP && strstr(err.text, "Request_ResourceNotFound"),
	    "members of a missing group: skip (%s: %s)", sb_status_name(st),
	    err.text);
	dirset_free(&s);
	dirset_init(&s);
	st = cloud_graph_contacts(c, NULL, 0, into_set, &s, &err);
	check(st == SB_OK && each_once(&s, "contacts"), "contacts listed (%s)",
	    sb_status_name(st));
	dirset_free(&s);
	cloud_close(c);
}

/* The first n user ids of the fixture, and whether each is cloud-managed. */
static size_t
user_ids(const char **ids, enum sb_tri *want, size_t n)
{
	json_t *users = json_object_get(tenant, "users"), *u;
	size_t i;

	for (i = 0; i < n && i < json_array_size(users); i++) {
		u = json_array_get(users, i);
		ids[i] = json_string_value(json_object_get(u, "id"));
		want[i] = json_is_true(json_object_get(json_object_get(u,
		    "onPremisesSyncBehavior"), "isCloudManaged")) ?
		    SB_TRI_TRUE : SB_TRI_FALSE;
	}
	return i;
}

static void
probe_soa(const char *fault, const char *what)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	const char *ids[46];
	enum sb_tri want[46], got[46];
	enum sb_status st;
	size_t n, i;
	int same = 1;

	reset_fake();
	if (fault != NULL)
		admin_do("POST", "faults", fault);
	n = user_ids(ids, want, 45);
	ids[n] = "10000000-0000-4000-8000-0000000009ff";	/* no one */
	want[n++] = SB_TRI_UNSET;
	st = cloud_graph_soa(c, DIROBJ_USER, ids, n, got, &err);
	for (i = 0; st == SB_OK && i < n; i++)
		same &= got[i] == want[i];
	check(st == SB_OK && same, "SOA of %zu users%s: every answer matched "
	    "by id, unknown id unset (%s %s)", n, what, sb_status_name(st),
	    err.text);
	if (fault == NULL)
		check(stat_of("requests", "POST /v1.0/$batch", "200") == 3,
		    "46 ids in 3 batches of at most 20");
	else
		check(stat_of("batch_items",
		    "GET /v1.0/users/{id}/onPremisesSyncBehavior", "429") ==
		    3 && sl.max_ms >= 1000, "throttled items resent after "
		    "their Retry-After (slept %ld ms)", sl.max_ms);
	cloud_close(c);
}

static void
probe_throttle_users(const char *fault, const char *what, const char *key,
    long nfault, long min_wait_ms)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	struct dirset s;
	enum sb_status st;

	reset_fake();
	admin_do("PUT", "config", "{\"page_size\":{\"graph\":10}}");
	admin_do("POST", "faults", fault);
	dirset_init(&s);
	st = cloud_graph_users(c, user_select, 0, into_set, &s, &err);
	check(st == SB_OK && each_once(&s, "users"), "%s: listing succeeds "
	    "(%s %s)", what, sb_status_name(st), err.text);
	/*
	 * A drop on a reused connection is retried by curl itself, once, on a
	 * fresh one; the second drop is ours to back off from (>= 500 ms).
	 */
	check(stat_of("requests", "GET /v1.0/users", key) == nfault &&
	    sl.max_ms >= min_wait_ms, "%s: retried after waiting (slept %ld "
	    "ms)", what, sl.max_ms);
	dirset_free(&s);
	cloud_close(c);
}

static void
probe_wrong_secret(void)
{
	static unsigned char wrong[] = "wrong-Secret~probe.0042";
	struct sb_bytes bad = { wrong, sizeof(wrong) - 1 };
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&bad, &sl);
	struct sb_error err = { 0 };
	enum sb_status st;
	char real[256];

	reset_fake();
	st = cloud_check_tokens(c, &err);
	snprintf(real, sizeof(real), "%.*s", (int)secret.len, secret.p);
	check(st == SB_STOP && strstr(err.text, "AADSTS7000215") != NULL,
	    "wrong secret: stop with AADSTS7000215 (%s: %s)",
	    sb_status_name(st), err.text);
	check(strstr(err.text, (char *)wrong) == NULL &&
	    strstr(err.text, real) == NULL, "wrong secret: no secret in the "
	    "message");
	explicit_bzero(real, sizeof(real));
	cloud_close(c);
}

static void
probe_mailboxes(void)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	json_t *mbx = json_object_get(tenant, "mailboxes");
	const struct dirobj *o;
	struct dirset s;
	enum sb_status st;

	reset_fake();
	admin_do("PUT", "config", "{\"page_size\":{\"exo\":2}}");
	dirset_init(&s);
	st = cloud_exo_mailboxes(c, into_set, &s, &err);
	check(st == SB_OK && s.n == json_array_size(mbx), "mailboxes paged "
	    "with page size 2: %zu of %zu (%s %s)", s.n, json_array_size(mbx),
	    sb_status_name(st), err.text);
	check(stat_of("cmdlets", "Get-Mailbox", "200") ==
	    pages(json_array_size(mbx), 2), "%ld Get-Mailbox pages",
	    pages(json_array_size(mbx), 2));
	o = find(&s, "10000000-0000-4000-8000-000000000002");
	check(o != NULL && o->exchange_cloud_managed == SB_TRI_TRUE &&
	    o->sync_enabled == SB_TRI_TRUE && dirobj_get(o, "CustomAttribute2")
	    != NULL && dirobj_get(o, "CustomAttribute2")->nvals == 0 &&
	    dirobj_get(o, "EmailAddresses") != NULL, "mailbox flags and "
	    "properties ('' present with no values)");
	o = find(&s, "10000000-0000-4000-8000-000000000003");
	check(o != NULL && o->sync_enabled == SB_TRI_FALSE &&
	    o->exchange_cloud_managed == SB_TRI_FALSE,
	    "IsDirSynced false read");
	dirset_free(&s);
	cloud_close(c);
}

static void
probe_audience(void)
{
	static const char body[] = "{\"CmdletInput\":{\"CmdletName\":"
	    "\"Get-Mailbox\",\"Parameters\":{\"ResultSize\":\"1\"}}}";
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct cloud_http_resp resp;
	struct cloud_call call = { 0 };
	struct cloud_stats stats;
	struct sb_error err = { 0 };
	struct sb_buf url;
	enum sb_status st;

	reset_fake();
	sb_buf_init(&url, 4096);
	sb_buf_printf(&url, NULL, "%s/adminapi/beta/%s/InvokeCommand",
	    cloud_url, tenant_id);
	cloud_http_resp_init(&resp);
	call.aud = CLOUD_AUD_GRAPH;	/* deliberately the wrong audience */
	call.method = "POST";
	call.url = url.p;
	call.content_type = "application/json";
	call.body = body;
	call.body_len = strlen(body);
	call.where = "probe.audience";
	st = cloud_client_call(c, &call, &resp, &err);
	cloud_client_stats(c, &stats);
	check(st == SB_STOP && err.code == 401 &&
	    strstr(err.text, "InvalidAuthenticationToken") != NULL,
	    "a Graph token sent to Exchange Online is refused (%s: %s)",
	    sb_status_name(st), err.text);
	check(stats.token_refreshes_401 == 1 &&
	    stats.token_fetches[CLOUD_AUD_GRAPH] == 2 &&
	    stat_of("requests", "POST /adminapi/beta/{tenant}/InvokeCommand",
	    "401") == 2, "the 401 brought exactly one token refresh");
	cloud_http_resp_free(&resp);
	sb_buf_free(&url);
	cloud_close(c);
}

static void
probe_refresh(void)
{
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct cloud_stats stats;
	struct sb_error err = { 0 };
	struct dirset s;
	enum sb_status st;

	reset_fake();
	admin_do("PUT", "config", "{\"page_size\":{\"graph\":25}}");
	dirset_init(&s);
	st = cloud_graph_users(c, NULL, 0, into_set, &s, &err);
	dirset_free(&s);
	admin_do("POST", "tokens/expire", "{}");
	dirset_init(&s);
	if (st == SB_OK)
		st = cloud_graph_users(c, NULL, 0, into_set, &s, &err);
	cloud_client_stats(c, &stats);
	check(st == SB_OK && each_once(&s, "users"), "an expired token is "
	    "renewed on 401 and the listing goes on (%s %s)",
	    sb_status_name(st), err.text);
	check(stats.token_refreshes_401 == 1 &&
	    stats.token_fetches[CLOUD_AUD_GRAPH] == 2 &&
	    stat_of("requests", "GET /v1.0/users", "401") == 1,
	    "one 401, one refresh, two Graph tokens");
	dirset_free(&s);

	/* the same for Exchange Online, through an injected 401 */
	admin_do("POST", "faults", "{\"kind\":\"401\",\"count\":1,"
	    "\"path\":\"/adminapi/\"}");
	dirset_init(&s);
	st = cloud_exo_mailboxes(c, into_set, &s, &err);
	cloud_client_stats(c, &stats);
	check(st == SB_OK && stats.token_fetches[CLOUD_AUD_EXO] == 2,
	    "Exchange Online 401: one refresh, then the mailboxes (%s %s)",
	    sb_status_name(st), err.text);
	dirset_free(&s);
	cloud_close(c);
}

static void
probe_errors(void)
{
	static const char *const bad[] = { "id", "noSuchProperty", NULL };
	struct sleeps sl = { 0 };
	struct cloud_client *c = client(&secret, &sl);
	struct sb_error err = { 0 };
	struct dirset s;
	enum sb_status st;

	reset_fake();
	dirset_init(&s);
	st = cloud_graph_users(c, bad, 0, into_set, &s, &err);
	check(st == SB_BUG && err.code == 400 && strstr(err.text,
	    "noSuchProperty") != NULL && strstr(err.text, "request-id") != NULL,
	    "a bad $select is Graph's 400, quoted (%s: %s)",
	    sb_status_name(st), err.text);
	dirset_free(&s);
	admin_do("POST", "faults", "{\"kind\":\"503\",\"count\":6,"
	    "\"retry_after\":0,\"path\":\"/v1.0/groups\"}");
	dirset_init(&s);
	st = cloud_graph_groups(c, NULL, 0, into_set, &s, &err);
	check(st == SB_RETRY && err.code == 503, "503 beyond the retry "
	    "budget: retry later (%s: %s)", sb_status_name(st), err.text);
	dirset_free(&s);
	cloud_close(c);
}

static char *
read_secret(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 4096);

	if (f == NULL || buf == NULL)
		die("cannot read CLOUD_SECRET_FILE");
	*len = fread(buf, 1, 4095, f);
	fclose(f);
	return buf;
}

static const char *
need(const char *name)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		fprintf(stderr, "cloud-probe: %s is not set (source the fake's "
		    "cloud.env)\n", name);
		exit(2);
	}
	return v;
}

int
main(void)
{
	cloud_url = need("CLOUD_URL");
	tenant_id = need("CLOUD_TENANT_ID");
	client_id = need("CLOUD_CLIENT_ID");
	ca_file = need("CLOUD_CA_FILE");
	secret.p = (unsigned char *)read_secret(need("CLOUD_SECRET_FILE"),
	    &secret.len);
	log_set_level(LOG_LVL_DEBUG);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	reset_fake();
	tenant = admin("GET", "tenant", NULL);

	probe_tokens();
	probe_users_paged();
	probe_groups_members_contacts();
	probe_soa(NULL, "");
	probe_soa("{\"kind\":\"429\",\"retry_after\":1,\"count\":3,"
	    "\"batch\":true,\"path\":\"onPremisesSyncBehavior\"}",
	    " with 3 items throttled");
	probe_throttle_users("{\"kind\":\"429\",\"retry_after\":1,\"count\":1,"
	    "\"path\":\"/v1.0/users\"}", "429 with Retry-After 1", "429", 1,
	    1000);
	probe_throttle_users("{\"kind\":\"drop\",\"count\":2,"
	    "\"path\":\"/v1.0/users\"}", "dropped connections", "drop", 2,
	    500);
	probe_wrong_secret();
	probe_mailboxes();
	probe_audience();
	probe_refresh();
	probe_errors();
	reset_fake();

	printf("1..%d\n", nchecks);
	json_decref(tenant);
	explicit_bzero(secret.p, secret.len);
	free(secret.p);
	curl_global_cleanup();
	if (nfailed > 0)
		fprintf(stderr, "cloud-probe: %d of %d checks failed\n",
		    nfailed, nchecks);
	return nfailed > 0;
}
