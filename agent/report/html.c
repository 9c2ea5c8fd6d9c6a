/*
 * The report as one self-contained HTML file: nothing external (no scripts,
 * fonts, styles or images), so it opens from a mail attachment or a file
 * share.  Summary cards, then a table filterable by state, owner, class and
 * text, with sortable columns and both sides' values next to each other,
 * the differences marked.  Every string from AD or the cloud is escaped
 * (agent_reportenc_html, and JSON escaped for <script>); a Content Security
 * Policy admits only this file's own script and style, by their hashes.
 * Rows are written as entries come; the script reads the table afterwards.
 * Opened with "#selftest=state:cloud-drift,text:x" it applies the filter
 * and writes what it sees into the title (tests/report/browser-test).
 */
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

#include "agent/report/report.h"

static const char html_style[] =
    ":root{--drift:#b45309;--refused:#b91c1c;--unresolved:#7c3aed;--unjoined:#475569;--addiff:#1d4ed8;--insync:#15803d}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,Arial,sans-serif;color:#1f2937;background:#f8fafc}\n"
    "header{padding:14px 24px;background:#0f172a;color:#f8fafc}\n"
    "header h1{margin:0;font-size:20px;font-weight:600}\n"
    "header p{margin:4px 0 0;color:#cbd5e1;font-size:13px}\n"
    "main{padding:16px 24px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:12px}\n"
    ".card{border:1px solid #e2e8f0;border-left:6px solid var(--c);border-radius:6px;background:#fff;padding:8px 12px;text-align:left;cursor:pointer;font:inherit;color:inherit}\n"
    ".card:hover{background:#f1f5f9}\n"
    ".card[aria-pressed=true]{outline:2px solid var(--c);outline-offset:1px}\n"
    ".card .n{display:block;font-size:26px;font-weight:700;color:var(--c)}\n"
    ".card .l{display:block;font-weight:600}\n"
    ".card .d{display:block;font-size:12px;color:#64748b}\n"
    ".st-cloud-drift{--c:var(--drift)}.st-refused{--c:var(--refused)}.st-unresolved{--c:var(--unresolved)}\n"
    ".st-unjoined{--c:var(--unjoined)}.st-ad-difference{--c:var(--addiff)}.st-in-sync{--c:var(--insync)}\n"
    ".breakdown{display:flex;gap:28px;flex-wrap:wrap;font-size:13px;color:#334155;margin:4px 0 8px}\n"
    ".breakdown b{color:#0f172a}\n"
    ".limit{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;padding:8px 12px;border-radius:6px;margin:8px 0}\n"
    ".filters{display:flex;gap:8px;flex-wrap:wrap;align-items:center;padding:8px 0;position:sticky;top:0;background:#f8fafc;z-index:2}\n"
    ".filters label{font-size:12px;color:#475569}\n"
    ".filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid #cbd5e1;border-radius:4px;background:#fff;max-width:14em}\n"
    ".filters input{min-width:260px;max-width:none}\n"
    "#shown{color:#475569;margin-left:auto;font-size:13px}\n"
    "table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e2e8f0;table-layout:fixed}\n"
    "th:nth-child(1){width:9.2em}th:nth-child(2){width:15%}th:nth-child(3){width:9em}th:nth-child(4){width:6em}\n"
    "th:nth-child(5){width:9.5em}th:nth-child(8){width:12%}td:nth-child(4),td:nth-child(5){font-size:12px;overflow-wrap:anywhere}\n"
    "th,td{padding:5px 8px;border-bottom:1px solid #e2e8f0;vertical-align:top;text-align:left}\n"
    "th{background:#f1f5f9;cursor:pointer;user-select:none;white-space:nowrap;font-weight:600}\n"
    "th[aria-sort=ascending]::after{content:\" \\25B2\"}th[aria-sort=descending]::after{content:\" \\25BC\"}\n"
    "td.obj b{font-weight:600}td.obj .k{font-size:11px;color:#64748b}\n"
    "td.obj .dn{font-size:12px;color:#475569;overflow-wrap:anywhere}td.obj .id{font-size:11px;color:#94a3b8}\n"
    "td.at{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;overflow-wrap:anywhere}\n"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:var(--c);font-size:12px;white-space:nowrap}\n"
    "ul.v{margin:0;padding:0;list-style:none}\n"
    "ul.v li{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all;padding:0 3px;margin:1px 0;border-radius:3px}\n"
    "td.ad li.x{background:#fee2e2}td.cl li.x{background:#dcfce7}\n"
    "tr[data-state=cloud-drift] td.ad li.x{text-decoration:line-through;text-decoration-color:#b91c1c}\n"
    "ul.v li.b{color:#7c2d12}\n"
    ".none{color:#94a3b8;font-style:italic;font-size:12px}\n"
    "td.note{font-size:12px;color:#475569;max-width:30em}\n"
    "td.note b{color:#1f2937;font-weight:600}\n"
    "#selftest{font-family:monospace;background:#fef9c3;padding:4px 8px}\n"
    "footer{padding:12px 24px;color:#64748b;font-size:12px}\n";

static const char html_script[] =
    "(function () {\n"
    "'use strict';\n"
    "var errors = 0;\n"
    "window.addEventListener('error', function () { errors++; });\n"
    "var meta = JSON.parse(document.getElementById('sb-meta').textContent);\n"
    "var tbody = document.querySelector('#entries tbody');\n"
    "var rows = Array.prototype.slice.call(tbody.rows);\n"
    "var ths = Array.prototype.slice.call(document.querySelectorAll('#entries th'));\n"
    "var fs = document.getElementById('f-state'), fo = document.getElementById('f-owner');\n"
    "var fc = document.getElementById('f-class'), ft = document.getElementById('f-text');\n"
    "var shown = document.getElementById('shown');\n"
    "var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));\n"
    "var sortCol = -1, sortDir = 1;\n"
    "\n"
    "function textOf(r) {\n"
    "\tif (r.sbText === undefined)\n"
    "\t\tr.sbText = r.textContent.toLowerCase();\n"
    "\treturn r.sbText;\n"
    "}\n"
    "\n"
    "function apply() {\n"
    "\tvar s = fs.value, o = fo.value, c = fc.value, t = ft.value.trim().toLowerCase(), n = 0, i, r, ok;\n"
    "\tfor (i = 0; i < rows.length; i++) {\n"
    "\t\tr = rows[i];\n"
    "\t\tok = (!s || r.getAttribute('data-state') === s) &&\n"
    "\t\t    (!o || r.getAttribute('data-owner') === o) &&\n"
    "\t\t    (!c || r.getAttribute('data-class') === c) &&\n"
    "\t\t    (!t || textOf(r).indexOf(t) >= 0);\n"
    "\t\tr.hidden = !ok;\n"
    "\t\tif (ok)\n"
    "\t\t\tn++;\n"
    "\t}\n"
    "\tcards.forEach(function (k) {\n"
    "\t\tk.setAttribute('aria-pressed', k.getAttribute('data-state') === s ? 'true' : 'false');\n"
    "\t});\n"
    "\tshown.textContent = n + ' of ' + rows.length + ' entries shown';\n"
    "\treturn n;\n"
    "}\n"
    "\n"
    "function sortBy(c) {\n"
    "\tif (sortCol === c)\n"
    "\t\tsortDir = -sortDir;\n"
    "\telse {\n"
    "\t\tsortCol = c;\n"
    "\t\tsortDir = 1;\n"
    "\t}\n"
    "\tvar keyed = rows.map(function (r, i) {\n"
    "\t\tvar td = r.cells[c];\n"
    "\t\treturn [td.getAttribute('data-k') || td.textContent.toLowerCase(), i, r];\n"
    "\t});\n"
    "\tkeyed.sort(function (a, b) {\n"
    "\t\treturn a[0] < b[0] ? -sortDir : a[0] > b[0] ? sortDir : a[1] - b[1];\n"
    "\t});\n"
    "\trows = keyed.map(function (x) { return x[2]; });\n"
    "\tvar frag = document.createDocumentFragment();\n"
    "\trows.forEach(function (r) { frag.appendChild(r); });\n"
    "\ttbody.appendChild(frag);\n"
    "\tths.forEach(function (th, i) {\n"
    "\t\tth.setAttribute('aria-sort', i === c ? (sortDir > 0 ? 'ascending' : 'descending') : 'none');\n"
    "\t});\n"
    "}\n"
    "\n"
    "[fs, fo, fc].forEach(function (x) { x.addEventListener('change', apply); });\n"
    "ft.addEventListener('input', apply);\n"
    "ths.forEach(function (th, i) { th.addEventListener('click', function () { sortBy(i); }); });\n"
    "cards.forEach(function (k) {\n"
    "\tk.addEventListener('click', function () {\n"
    "\t\tvar s = k.getAttribute('data-state');\n"
    "\t\tfs.value = fs.value === s ? '' : s;\n"
    "\t\tapply();\n"
    "\t});\n"
    "});\n"
    "\n"
    "/* #selftest=state:cloud-drift,text:alice: filter, then write what is seen (tests/report). */\n"
    "function selftest() {\n"
    "\tvar m = /^#selftest=(.*)$/.exec(location.hash), lit = 0;\n"
    "\tif (!m)\n"
    "\t\treturn;\n"
    "\tdecodeURIComponent(m[1]).split(',').forEach(function (p) {\n"
    "\t\tvar i = p.indexOf(':'), k = p.slice(0, i), v = p.slice(i + 1);\n"
    "\t\tif (k === 'state') fs.value = v;\n"
    "\t\telse if (k === 'owner') fo.value = v;\n"
    "\t\telse if (k === 'class') fc.value = v;\n"
    "\t\telse if (k === 'text') ft.value = v;\n"
    "\t\telse if (k === 'sort') sortBy(+v);\n"
    "\t});\n"
    "\tvar n = apply();\n"
    "\trows.forEach(function (r) {\n"
    "\t\tif (!r.hidden && r.textContent.indexOf('\\x3cscript>') >= 0)\n"
    "\t\t\tlit++;\n"
    "\t});\n"
    "\tvar out = 'selftest rows=' + n + ' total=' + rows.length +\n"
    "\t    ' entries=' + meta.summary.entries + ' scripts=' + document.scripts.length +\n"
    "\t    ' injected=' + (window.sbInjected ? 1 : 0) + ' literal=' + lit + ' errors=' + errors;\n"
    "\tvar el = document.getElementById('selftest');\n"
    "\tel.textContent = out;\n"
    "\tel.hidden = false;\n"
    "\tdocument.title = out;\n"
    "}\n"
    "apply();\n"
    "selftest();\n"
    "})();\n";

static size_t
state_rank(enum map_report_state s)
{
	size_t i;

	for (i = 0; i < MAP_REPORT_NSTATES; i++)
		if (report_state_order[i] == s)
			return i;
	return MAP_REPORT_NSTATES;
}

/* 'sha256-...' of a script or style, for the Content Security Policy. */
static void
csp_hash(FILE *f, const char *s)
{
	unsigned char d[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)s, strlen(s), d);
	fputs("'sha256-", f);
	agent_reportenc_base64(f, d, sizeof(d));
	fputc('\'', f);
}

static void
option(FILE *f, const char *v, const char *label)
{
	fputs("<option value=\"", f);
	agent_reportenc_html_cstr(f, v);
	fputs("\">", f);
	agent_reportenc_html_cstr(f, label);
	fputs("</option>", f);
}

static void
filters(FILE *f)
{
	enum map_report_state s;
	size_t i;

	fputs("<div class=\"filters\" id=\"filters\">"
	    "<label for=\"f-state\">state</label><select id=\"f-state\">", f);
	option(f, "", "all");
	for (i = 0; i < MAP_REPORT_NSTATES; i++) {
		s = report_state_order[i];
		option(f, map_report_state_name(s),
		    map_report_state_label(s)->title);
	}
	fputs("</select><label for=\"f-owner\">owner</label>"
	    "<select id=\"f-owner\">", f);
	option(f, "", "all");
	for (i = 0; i < MAP_REPORT_NOWNERS; i++)
		option(f, map_report_owner_name((enum map_report_owner)i),
		    map_report_owner_name((enum map_report_owner)i));
	fputs("</select><label for=\"f-class\">class</label>"
	    "<select id=\"f-class\">", f);
	option(f, "", "all");
	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		option(f, map_report_slot_name(i), map_report_slot_name(i));
	fputs("</select><input id=\"f-text\" type=\"search\" "
	    "placeholder=\"filter: name, DN, attribute, value\" "
	    "aria-label=\"text filter\"><output id=\"shown\"></output></div>\n",
	    f);
}

static void
cards(FILE *f, const struct map_report_counts *c)
{
	enum map_report_state s;
	size_t i;

	fputs("<section class=\"cards\">", f);
	for (i = 0; i < MAP_REPORT_NSTATES; i++) {
		s = report_state_order[i];
		fprintf(f, "<button type=\"button\" class=\"card st-%s\" "
		    "data-state=\"%s\" aria-pressed=\"false\"><span class=\"n\">"
		    "%zu</span><span class=\"l\">%s</span><span class=\"d\">%s"
		    "</span></button>", map_report_state_name(s),
		    map_report_state_name(s), c->state[s],
		    map_report_state_label(s)->title,
		    map_report_state_label(s)->hint);
	}
	fputs("</section>\n<section class=\"breakdown\"><span><b>by owner</b>", f);
	for (i = 0; i < MAP_REPORT_NOWNERS; i++)
		fprintf(f, " %s %zu", map_report_owner_name(
		    (enum map_report_owner)i), c->owner[i]);
	fputs("</span><span><b>by class</b>", f);
	for (i = 0; i < MAP_REPORT_NCLASSES; i++)
		fprintf(f, " %s %zu", map_report_slot_name(i), c->cls[i]);
	fprintf(f, "</span><span><b>entries</b> %zu</span></section>\n",
	    c->entries);
}

static enum sb_status
html_begin(struct report_out *o, struct sb_error *err)
{
	const struct report_meta *m = o->meta;
	FILE *f = o->f;

	(void)err;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "\n<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; base-uri 'none'; form-action 'none'; "
	    "script-src ", f);
	csp_hash(f, html_script);
	fputs("; style-src ", f);
	csp_hash(f, html_style);
	fputs("\">\n<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"soabridge ",
	    f);
	agent_reportenc_html_cstr(f, m->version);
	fputs("\">\n<title>soabridge drift report: ", f);
	agent_reportenc_html_cstr(f, *m->domain ? m->domain : m->base_dn);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<header><h1>"
	    "Drift report: ", html_style);
	agent_reportenc_html_cstr(f, *m->domain ? m->domain : m->base_dn);
	fputs("</h1><p>tenant ", f);
	agent_reportenc_html_cstr(f, m->tenant_id);
	fputs(" &middot; base ", f);
	agent_reportenc_html_cstr(f, m->base_dn);
	fprintf(f, " &middot; generated %s (read and planned in %ld.%03ld s) "
	    "&middot; %zu cloud objects, %zu joined, %zu AD objects, %zu "
	    "mailboxes &middot; soabridge ", m->generated_at,
	    m->elapsed_ms / 1000, m->elapsed_ms % 1000, m->stats.cloud_objects,
	    m->stats.joined, m->stats.ad_objects, m->stats.mailboxes);
	agent_reportenc_html_cstr(f, m->version);
	fputs("</p></header>\n<main>\n", f);
	cards(f, &m->counts);
	if (m->limit != NULL) {
		fputs("<p class=\"limit\"><b>Over a safety limit:</b> ", f);
		agent_reportenc_html_cstr(f, m->limit);
		fputs(". Drift is shown as refused (reason: limit).</p>\n", f);
	}
	filters(f);
	fputs("<p id=\"selftest\" hidden></p>\n<table id=\"entries\"><thead><tr>"
	    "<th>State</th><th>Object</th><th>Attribute</th><th>Class</th>"
	    "<th>Owner</th><th>AD value(s)</th><th>Cloud value(s)</th>"
	    "<th>Note</th></tr></thead>\n<tbody>\n", f);
	return SB_OK;
}

static void
html_vals(FILE *f, const struct map_report_vals *v, const unsigned char *mark)
{
	const struct sb_bytes *x;
	const char *cls;
	size_t i;
	int text;

	if (v->n == 0) {
		fputs("<span class=\"none\">(none)</span>", f);
		return;
	}
	fputs("<ul class=\"v\">", f);
	for (i = 0; i < v->n; i++) {
		x = v->v[i];
		text = agent_reportenc_is_text(x->p, x->len);
		cls = !text ? (mark && mark[i] ? "b x" : "b") :
		    mark && mark[i] ? "x" : NULL;
		if (cls != NULL)
			fprintf(f, "<li class=\"%s\">", cls);
		else
			fputs("<li>", f);
		if (text) {
			agent_reportenc_html(f, x->p, x->len);
		} else {
			fprintf(f, "(%zu bytes) base64:", x->len);
			agent_reportenc_base64(f, x->p, x->len);
		}
		fputs("</li>", f);
	}
	fputs("</ul>", f);
}

static enum sb_status
html_entry(struct report_out *o, const struct map_report_entry *e,
    struct sb_error *err)
{
	const char *state = map_report_state_name(e->state);
	const char *cls = map_report_slot_name(map_report_class_slot(e->cls));
	const char *owner = map_report_owner_name(e->owner);
	FILE *f = o->f;

	(void)err;
	fprintf(f, "<tr data-state=\"%s\" data-owner=\"%s\" data-class=\"%s\">"
	    "<td data-k=\"%zu\"><span class=\"badge st-%s\">%s</span></td>"
	    "<td class=\"obj\">", state, owner, cls, state_rank(e->state),
	    state, map_report_state_label(e->state)->title);
	if (e->display_name != NULL) {
		fputs("<b>", f);
		agent_reportenc_html_cstr(f, e->display_name);
		fputs("</b> ", f);
	}
	fprintf(f, "<span class=\"k\">%s</span><div class=\"dn\">",
	    dirobj_kind_name(e->kind));
	agent_reportenc_html_cstr(f, e->dn ? e->dn : "(not in AD)");
	fputs("</div>", f);
	if (e->cloud_id != NULL) {
		fputs("<div class=\"id\">", f);
		agent_reportenc_html_cstr(f, e->cloud_id);
		fputs("</div>", f);
	}
	fputs("</td><td class=\"at\">", f);
	agent_reportenc_html_cstr(f, e->attr ? e->attr : "(object)");
	fprintf(f, "</td><td>%s</td><td>%s</td><td class=\"ad\">", cls, owner);
	html_vals(f, &e->ad, e->ad_diff);
	fputs("</td><td class=\"cl\">", f);
	if (e->cloud_known)
		html_vals(f, &e->cloud, e->cloud_diff);
	else
		fputs("<span class=\"none\">no value in the cloud</span>", f);
	fputs("</td><td class=\"note\">", f);
	if (e->state == MAP_REPORT_CLOUD_DRIFT)
		fprintf(f, "<b>sync</b> adds %zu, removes %zu value(s)",
		    e->add.n, e->remove.n);
	if (e->reason != NULL) {
		fputs("<b>", f);
		agent_reportenc_html_cstr(f, e->reason);
		fputs("</b>", f);
	}
	if (e->message != NULL) {
		fputs(": ", f);
		agent_reportenc_html_cstr(f, e->message);
	}
	fputs("</td></tr>\n", f);
	return SB_OK;
}

static void
meta_json(FILE *f, const struct report_meta *m)
{
	const struct map_report_counts *c = &m->counts;

	fputs("{\"generator\":{\"name\":\"soabridge\",\"version\":", f);
	agent_reportenc_json_cstr(f, m->version, 1);
	fputs("},\"generated_at\":", f);
	agent_reportenc_json_cstr(f, m->generated_at, 1);
	agent_report_json_ids(f, m, "", 1);
	fprintf(f, ",\"drift\":%s,\"summary\":{\"entries\":%zu,\"states\":{",
	    map_report_has_drift(c) ? "true" : "false", c->entries);
	agent_report_json_states(f, c);
	fputs("}}}", f);
}

static enum sb_status
html_end(struct report_out *o, struct sb_error *err)
{
	FILE *f = o->f;

	(void)err;
	fputs("</tbody></table>\n", f);
	if (o->n == 0)
		fputs("<p class=\"none\">No entries: nothing is joined and "
		    "nothing differs.</p>\n", f);
	fputs("</main>\n<footer>States: cloud-owned drift = sync would write "
	    "it; refused = cloud-owned and different, but out of scope, "
	    "protected, quarantined or over a limit; AD-owned difference = AD "
	    "is authoritative, the cloud differs. Marked values are those only "
	    "one side holds.</footer>\n<script type=\"application/json\" "
	    "id=\"sb-meta\">", f);
	meta_json(f, o->meta);
	fprintf(f, "</script>\n<script>%s</script>\n</body></html>\n",
	    html_script);
	return SB_OK;
}

const struct report_writer agent_reporthtml_writer = {
	"html", 0, html_begin, NULL, html_entry, html_end,
};
