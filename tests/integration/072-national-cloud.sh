#!/bin/bash
# 072: issue 12, test 4.  cloud.environment picks the token audiences of a
# national cloud; login_url, graph_url and exchange_url still say where the
# requests go.  With "china" and every URL at the fake cloud, the token
# requests ask for Graph China's and Exchange China's resources, and the
# requests reach the fake (graph_url), never a global audience.
. "$(dirname "$0")/lib.sh"
lab_reset
seed_ldif "$TOP/tests/fixtures/demo-ad.ldif"
load_tenant "$TOP/tests/fixtures/demo-tenant.json"

# env_conf ENV: the lab config with cloud.environment = ENV.
env_conf() {
	sed "s|^  client_secret_file = .*|&\n  environment = \"$1\"|" "$(lab_conf)" > "$T/$1.conf"
	echo "$T/$1.conf"
}
scopes() { fake GET stats | /usr/bin/python3 -c '
import json, sys
print(" ".join(sorted(json.load(sys.stdin)["token_scopes"])))'; }

conf=$(env_conf china)
"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "check-config: environment = \"china\" is configuration OK" [ $rc -eq 0 ]
"$SOABRIDGE" -c "$conf" plan --format json >"$T/plan.json" 2>"$T/err"; rc=$?
check "china: plan exits 0" [ $rc -eq 0 ]
[ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | tail -5
check "china: the token scopes are Graph China's and Exchange China's" \
    [ "$(scopes)" = "https://microsoftgraph.chinacloudapi.cn/.default https://partner.outlook.cn/.default" ]
fake GET stats > "$T/stats.json"
check "china: the requests went to graph_url (the fake served the users)" \
    jtrue "$T/stats.json" "d['requests'].get('GET /v1.0/users', {}).get('200', 0) >= 1"
check "china: and to exchange_url" \
    jtrue "$T/stats.json" "d['requests'].get('POST /adminapi/beta/{tenant}/InvokeCommand', {}).get('200', 0) >= 1"
check "china: the plan is the global one's (same tenant, same answers)" has_change "$T/plan.json" "CN=Bob Exchange,OU=Staff,$LAB_BASE_DN"

# The US clouds: their own audiences too (check-config --connect gets both tokens).
for env in usgov usgov-dod; do
	fake DELETE stats >/dev/null
	"$SOABRIDGE" -c "$(env_conf $env)" check-config --connect >"$T/out" 2>"$T/err"; rc=$?
	case $env in
	usgov) want="https://graph.microsoft.us/.default https://outlook.office365.us/.default" ;;
	*) want="https://dod-graph.microsoft.us/.default https://webmail.apps.mil/.default" ;;
	esac
	check "$env: check-config --connect exits 0" [ $rc -eq 0 ]
	check "$env: the token scopes are its own" [ "$(scopes)" = "$want" ]
done

# Anything else is refused, naming the key and the values there are.
conf=$(env_conf mars)
line=$(grep -n 'environment = "mars"' "$conf" | cut -d: -f1)
"$SOABRIDGE" -c "$conf" check-config >"$T/out" 2>"$T/err"; rc=$?
check "mars: exit 2" [ $rc -eq 2 ]
check "mars: FILE:LINE: cloud.environment: the values there are" \
    grep -q "^$conf:$line: cloud.environment: 'mars' is not one of global, usgov (GCC High), usgov-dod (DoD), china (21Vianet)" "$T/err"
finish
