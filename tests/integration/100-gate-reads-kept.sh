#!/bin/bash
# 100: issue 16 (scale).  The write gate's reads during a check that writes
# nothing (plan's dry run of the writer) are kept: the targets are fetched
# 50 to a search by objectGUID, the groups above them (memberOf, level by
# level) many to a search by DN, and no group is read twice.  sync's gate
# keeps nothing: at the moment of each write it reads that target alone, and
# walks its groups again, one search per level of the chain.  120 isCloudManaged users, each in SG-Kept-Mid,
# which is in SG-Kept-Top; the cloud changes every user's title.  And the
# plan still sees what the gate refuses: SG-Kept-Top made protected
# (adminCount=1) refuses every change, in the plan as in the sync.
. "$(dirname "$0")/lib.sh"
lab_reset

NU=120
S="OU=Staff,$LAB_BASE_DN" G="OU=Groups,$LAB_BASE_DN"
MID="CN=SG-Kept-Mid,$G" GTOP="CN=SG-Kept-Top,$G"
/usr/bin/python3 - "$NU" "$S" "$MID" "$GTOP" > "$T/seed.ldif" <<'EOF'
import base64, sys
nu, ou, mid, top = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
for i in range(nu):
    g = bytes.fromhex("5a0b1c2d3e4f401180000100%08x" % i)
    print("dn: CN=Kept User %03d,%s\nobjectClass: user\nsAMAccountName: kept%03d\n"
          "title: old\nmS-DS-ConsistencyGuid:: %s\n" % (i, ou, i, base64.b64encode(g).decode()))
print("dn: %s\nobjectClass: group\nsAMAccountName: sg-kept-top\n" % top)
print("dn: %s\nobjectClass: group\nsAMAccountName: sg-kept-mid\nmemberOf: %s" % (mid, top))
EOF
# memberOf is AD's to keep: the nesting is written on the parent's member.
sed -i '/^memberOf:/d' "$T/seed.ldif"
{ echo; printf 'dn: %s\nchangetype: modify\nadd: member\nmember: %s\n' "$GTOP" "$MID"; } > "$T/nest.ldif"
{ printf '\ndn: %s\nchangetype: modify\nadd: member\n' "$MID"
  for i in $(seq 0 $((NU - 1))); do printf 'member: CN=Kept User %03d,%s\n' "$i" "$S"; done; } >> "$T/nest.ldif"
seed_ldif "$T/seed.ldif"
admodify -f "$T/nest.ldif" >/dev/null
check "seeded: every user is in SG-Kept-Mid, in SG-Kept-Top" \
    [ "$(adsearch -b "$GTOP" -s base member | grep -c '^member:')" = 1 -a \
      "$(adsearch -b "$MID" -s base member | grep -c '^member:')" = $NU ]

# kept_tenant FILE TITLE: the users, isCloudManaged, each with jobTitle "TITLE <i>".
kept_tenant() {
	/usr/bin/python3 - "$NU" "$2" <<'EOF' | mk_tenant "$1"
import base64, json, sys
nu, title = int(sys.argv[1]), sys.argv[2]
users = [{"id": "10000000-0000-4000-8100-%012d" % i,
          "userPrincipalName": "kept%03d@corp.example.test" % i,
          "displayName": "Kept User %03d" % i, "jobTitle": "%s %d" % (title, i),
          "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
          "onPremisesImmutableId": base64.b64encode(
              bytes.fromhex("5a0b1c2d3e4f401180000100%08x" % i)).decode()} for i in range(nu)]
print(json.dumps({"users": users}))
EOF
}
kept_tenant "$T/tenant.json" Title
load_tenant "$T/tenant.json"

# The gate's reads: the ad.op lines after the last read of the cycle.
gate_ops() {
	awk '/ (graph|ad)\.members groups=/ { last = NR } { line[NR] = $0 }
	     END { for (i = last + 1; i <= NR; i++) print line[i] }' "$1" | grep ' ad.op op=search '
}
count() { grep -c "$1" || true; }

sb_plan "$T/plan.json" -v; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
check "... a title change for each of the $NU users" jtrue "$T/plan.json" \
    "sum(1 for c in d['changes'] for x in c['deltas'] if x['attribute'] == 'title') == $NU"
gate_ops "$T/plan.json.err" > "$T/plan.ops"
fetched=$(count 'filter="(|(objectGUID=' < "$T/plan.ops")
alone=$(count 'filter="(objectGUID=' < "$T/plan.ops")
mid_base=$(grep -ic "dn=\"$MID\" scope=base" "$T/plan.ops" || true)
echo "# plan's gate: $fetched GUID fetches, $alone targets read alone, SG-Kept-Mid read alone $mid_base times"
check "plan's gate fetched the $NU targets in 3 searches (50 each), none alone" \
    [ "$fetched" = 3 -a "$alone" = 0 ]
check "... and read neither group alone (fetched by DN)" \
    [ "$mid_base" = 0 -a "$(grep -ic "dn=\"$GTOP\" scope=base" "$T/plan.ops" || true)" = 0 ]
check "... in a handful of searches in all" [ "$(wc -l < "$T/plan.ops")" -le 8 ]

sb_sync "$T/sync.json" -v; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
gate_ops "$T/sync.json.err" > "$T/sync.ops"
alone=$(count 'filter="(objectGUID=' < "$T/sync.ops")
mid_reads=$(grep -ic "SG-Kept-Mid" "$T/sync.ops" || true)
top_reads=$(grep -ic "SG-Kept-Top" "$T/sync.ops" || true)
echo "# sync's gate: $alone targets read alone, SG-Kept-Mid read $mid_reads times, SG-Kept-Top $top_reads"
check "sync's gate read each target alone, at its write ($NU)" [ "$alone" -ge $NU ]
check "... and walked SG-Kept-Mid and SG-Kept-Top again for each ($NU)" \
    [ "$mid_reads" -ge $NU -a "$top_reads" -ge $NU ]
check "... a level of the chain in one search by DN, no group read alone" \
    [ "$(grep -c 'distinguishedName=' "$T/sync.ops")" -le $((2 * NU)) -a \
      "$(grep -c 'scope=base' "$T/sync.ops")" = 0 ]
check "AD holds every new title" \
    [ "$(adsearch -b "$S" '(sAMAccountName=kept*)' title | grep -c '^title: Title ')" = $NU ]

# The top group protected: the plan's gate (reads kept) refuses every change.
kept_tenant "$T/tenant2.json" Second
load_tenant "$T/tenant2.json"
printf 'dn: %s\nchangetype: modify\nreplace: adminCount\nadminCount: 1\n' "$GTOP" | admodify >/dev/null
sb_plan "$T/plan2.json" -v; rc=$?
check "SG-Kept-Top protected: plan exits 0" [ $rc -eq 0 ]
check "... and its gate refuses every title change, naming the nesting" jtrue "$T/plan2.json" \
    "len(d['changes']) == $NU and all(c.get('result') == 'refused' and 'SG-Kept-Top' in c.get('refused', '') for c in d['changes'])"
finish
