# libgroups.sh -- helpers of the group tests (030-039), sourced after lib.sh.
# gplan OUT [KEY=VALUE...]: plan --format json with mkconf overrides; its exit code.
gplan() { local o=$1; shift; "$SOABRIDGE" -c "$(lab_conf "$@")" plan --format json >"$o" 2>"$o.err"; }
# gsync OUT [KEY=VALUE...]: sync --format json with mkconf overrides; its exit code.
gsync() { local o=$1; shift; "$SOABRIDGE" -c "$(lab_conf "$@")" sync --format json >"$o" 2>"$o.err"; }
# msg_has FILE KIND DN-or-cloud-id TEXT: a finding of KIND on it whose message holds TEXT.
msg_has() {
	jtrue "$1" "any(f['kind'] == a[0] and a[1].lower() in ((f['dn'] or '').lower(), (f['cloud_id'] or '').lower()) and a[2] in f['message'] for f in d['findings'])" "$2" "$3" "$4"
}
# member_delta FILE DN OP: the member values of DN's OP deltas (add/delete), sorted, as JSON.
member_delta() {
	jpy "$1" "sorted(v for c in d['changes'] if (c['dn'] or '').lower() == a[0].lower() for x in c['deltas'] if x['attribute'] == 'member' and x['op'] == a[1] for v in x['values'])" "$2" "$3"
}
# jlist VALUE...: the values sorted, as JSON (to compare with member_delta).
jlist() { /usr/bin/python3 -c 'import json, sys; print(json.dumps(sorted(sys.argv[1:]), ensure_ascii=False, sort_keys=True))' "$@"; }
# nmembers DN: how many member values DN has (Samba returns them all).
nmembers() { adsearch -b "$1" -s base "(objectClass=*)" member | grep -c '^member:'; }
# group_dn FILTER: the DN of the one group under the base matching FILTER.
group_dn() { adsearch -b "$LAB_BASE_DN" "(&(objectClass=group)$1)" dn | sed -n 's/^dn: //p'; }
