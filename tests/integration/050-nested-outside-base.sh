#!/bin/bash
# 050: nested protection does not stop at ldap.base_dn (issue 11, test 1).
# base_dn is an OU (a least-privilege set-up); a cloud-managed group in it
# is nested in CN=DnsAdmins,CN=Users (outside base_dn, no adminCount:
# AdminSDHolder does not cover DnsAdmins), another two levels below it
# (through CN=Helpdesk,CN=Users).  soabridge reads those parents and adds no
# member to either: a `protected` finding names DnsAdmins.  A group nested
# only in a harmless group outside base_dn is still written: the parents
# are read, not refused wholesale.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/libgroups.sh"
lab_reset

# base_dn = OU=Groups (where the lab's bind account may write groups).
B=$LAB_BASE_DN TEN="OU=Groups,$B"
S="OU=People050,$TEN" G="OU=Team050,$TEN"
DNS="CN=DnsAdmins,CN=Users,$B" HELP="CN=Helpdesk050,CN=Users,$B" READ="CN=Readers050,CN=Users,$B"
ANN="CN=Ann Nest,$S" DIRECT="CN=SG-Dns-Direct,$G" DEEP="CN=SG-Dns-Deep,$G" HARM="CN=SG-Harmless,$G"
G_ANN=$(hex_b64 5a0b1c2d3e4f40118000000000050001)
ID_ANN=10000000-0000-4000-8000-000000050001
ID_DIRECT=20000000-0000-4000-8000-000000050001 ID_DEEP=20000000-0000-4000-8000-000000050002
ID_HARM=20000000-0000-4000-8000-000000050003

# The lab is provisioned without DNS: give it the DnsAdmins group a DC has
# (domain-local security group, no adminCount).
seed_ldif <<EOF
dn: $S
objectClass: organizationalUnit

dn: $G
objectClass: organizationalUnit

dn: $ANN
objectClass: user
sAMAccountName: ann.nest
mS-DS-ConsistencyGuid:: $G_ANN

dn: $DIRECT
objectClass: group
sAMAccountName: SG-Dns-Direct

dn: $DEEP
objectClass: group
sAMAccountName: SG-Dns-Deep

dn: $HARM
objectClass: group
sAMAccountName: SG-Harmless

dn: $DNS
objectClass: group
sAMAccountName: DnsAdmins
groupType: -2147483644
member: $DIRECT

dn: $HELP
objectClass: group
sAMAccountName: Helpdesk050
member: $DEEP

dn: $READ
objectClass: group
sAMAccountName: Readers050
member: $HARM
EOF
admodify >/dev/null <<EOF
dn: $DNS
changetype: modify
add: member
member: $HELP
EOF
verdict "Helpdesk050 is nested in DnsAdmins"
check "DnsAdmins has no adminCount" [ -z "$(ad_vals "$DNS" adminCount)" ]
check "SG-Dns-Deep is two levels below DnsAdmins" [ "$(ad_vals "$DEEP" memberOf)" = "$HELP" ]
SID_DIRECT=$(ad_sid "$DIRECT") SID_DEEP=$(ad_sid "$DEEP") SID_HARM=$(ad_sid "$HARM")

cm() {	# id name sid
	echo "{\"id\": \"$1\", \"displayName\": \"$2\", \"mailEnabled\": false, \"mailNickname\": \"x$1\",
	  \"securityEnabled\": true, \"groupTypes\": [], \"onPremisesSecurityIdentifier\": \"$3\",
	  \"onPremisesSyncEnabled\": null, \"onPremisesSyncBehavior\": {\"isCloudManaged\": true},
	  \"members\": [\"$ID_ANN\"]}"
}
mk_tenant "$T/tenant.json" <<EOF
{"users": [
 {"id": "$ID_ANN", "userPrincipalName": "ann.nest@corp.example.test", "displayName": "Ann Nest",
  "onPremisesImmutableId": "$G_ANN", "onPremisesSyncEnabled": true}
],
"groups": [
 $(cm "$ID_DIRECT" "SG-Dns-Direct" "$SID_DIRECT"),
 $(cm "$ID_DEEP" "SG-Dns-Deep" "$SID_DEEP"),
 $(cm "$ID_HARM" "SG-Harmless" "$SID_HARM")
]}
EOF
load_tenant "$T/tenant.json"

CONF="base_dn=$TEN write_scope=$TEN allowed_ous=$TEN"
dns_before=$(attrs_of "$DNS") help_before=$(attrs_of "$HELP")
gplan "$T/plan.json" $CONF; rc=$?
check "plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/plan.json.err"
check "plan: no change of SG-Dns-Direct" not has_change "$T/plan.json" "$DIRECT"
check "plan: no change of SG-Dns-Deep" not has_change "$T/plan.json" "$DEEP"
check "plan: SG-Dns-Direct is protected, nested in DnsAdmins" \
    msg_has "$T/plan.json" protected "$DIRECT" "nested in $DNS: privileged group DnsAdmins"
check "plan: SG-Dns-Deep (two levels below) is protected, naming DnsAdmins" \
    msg_has "$T/plan.json" protected "$DEEP" "nested in $DNS: privileged group DnsAdmins"
check "plan: SG-Harmless (nested outside base_dn, in a harmless group) gets Ann" \
    [ "$(member_delta "$T/plan.json" "$HARM" add)" = "$(jlist "$ANN")" ]

gsync "$T/sync.json" $CONF; rc=$?
check "sync exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/sync.json.err"
for dn in "$DIRECT" "$DEEP" "$HARM"; do
	check "${dn%%,*} is still where it was" [ -n "$(adsearch -b "$dn" -s base dn 2>/dev/null)" ]
done
same_vals "SG-Dns-Direct got no member" "$DIRECT" member
same_vals "SG-Dns-Deep got no member" "$DEEP" member
same_vals "SG-Harmless got Ann" "$HARM" member "$ANN"
check "DnsAdmins is unchanged" [ "$(attrs_of "$DNS")" = "$dns_before" ]
check "Helpdesk050 is unchanged" [ "$(attrs_of "$HELP")" = "$help_before" ]
finish
