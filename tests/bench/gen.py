#!/usr/bin/python3
"""gen.py -- the bench's tenant and matching AD at a given scale (make bench).

    gen.py SCALE OUTDIR

writes OUTDIR/ad.ldif (the AD side, loaded offline into the lab DC by `tests/lab/lab
load`), OUTDIR/tenant.json (the cloud side, a tenant file as DESIGN.md describes it) and
OUTDIR/meta.json (what was generated).  The same SCALE always gives the same files.

SCALE users; SCALE/10 groups; about 10 memberships per user: one group ("SG-Bench-All") holds
55 % of the users (over 50,000 at SCALE=100000, beyond Cloud Sync's cap), every tenth group's
neighbours are nested in it.  Authority, as a real tenant would mix it:
  users   30 % isCloudManaged (object SOA), 30 % IsExchangeCloudManaged mailboxes, 40 % AD's;
  groups  60 % isCloudManaged, 40 % AD's.
Drift, 5 % of each kind (the same rule picks the objects on both sides, so the plan is known):
  users   a changed jobTitle and department in the cloud (written for isCloudManaged users,
          reported for the others); for IsExchangeCloudManaged mailboxes a changed
          CustomAttribute1 and one more e-mail address (written);
  members AD lacks 2.5 % of a group's cloud members and holds 2.5 % that the cloud does not
          (written for cloud-managed groups, reported for AD's);
  groups  5 % of the cloud-managed groups name another OU in their OnPremisesDN extension
          (moved by sync).
Every user has a manager (the first user of its block of ten), in AD and in the cloud, and a
mailbox.  Objects carry their objectSid (set offline: ldbadd runs as the system) so that groups
join by onPremisesSecurityIdentifier, users by mS-DS-ConsistencyGuid = onPremisesImmutableId.
"""
import base64
import json
import os
import random
import sys
import uuid

from plan2ldif import value_line as ldif_value

BASE = "DC=corp,DC=example,DC=test"
DOMAIN = "corp.example.test"
DOMAIN_SID = "S-1-5-21-1111111111-2222222222-3333333333"
STAFF = "OU=Staff," + BASE
GROUPS = "OU=Groups," + BASE
CLOUD_GROUPS = "OU=Cloud Groups,OU=Groups," + BASE
MOVED = "OU=Moved,OU=Groups," + BASE
EXT = "extension_00000000000040008000000000000002_OnPremisesDN"
USER_RID0 = 1000000   # far above the RIDs the DC hands out itself
GROUP_RID0 = 2000000
DEMO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                    "demo-tenant.json")


def drifted(n, salt):
    """5 % of the objects, spread over the range (Knuth's multiplicative hash)."""
    return ((n * 2654435761 + salt) % 2**32) % 20 == 0


def user_id(i):
    return "b1000000-0000-4000-8000-%012d" % i


def group_id(j):
    return "b2000000-0000-4000-8000-%012d" % j


def user_dn(i):
    return "CN=User %06d,%s" % (i, STAFF)


def user_class(i):
    """cloud (isCloudManaged), exo (IsExchangeCloudManaged) or ad."""
    return ("cloud", "cloud", "cloud", "exo", "exo", "exo", "ad", "ad", "ad", "ad")[i % 10]


def group_cloud(j):
    return j % 10 < 6


def group_dn(j):
    ou = CLOUD_GROUPS if group_cloud(j) else GROUPS
    return "CN=SG-Bench-%s,%s" % ("All" if j == 0 else "%05d" % j, ou)


def group_name(j):
    return "SG-Bench-All" if j == 0 else "SG-Bench-%05d" % j


def anchor(i):
    return base64.b64encode(uuid.UUID("c1000000-0000-4000-8000-%012d" % i).bytes).decode()


class Bench:
    def __init__(self, scale):
        self.n = scale
        self.g = max(scale // 10, 10)
        self.rng = random.Random(scale)
        self.cloud_members = [[] for _ in range(self.g)]   # of group j: ("u"|"g", index)
        self.ad_members = [[] for _ in range(self.g)]
        self.plan_members()

    def plan_members(self):
        n, g, rng = self.n, self.g, self.rng
        for i in range(n):
            if i % 20 < 11:
                self.cloud_members[0].append(("u", i))
            for j in rng.sample(range(1, g), min(9, g - 1)):
                self.cloud_members[j].append(("u", i))
        for j in range(10, g, 10):
            for k in (j + 1, j + 2):
                if k < g:
                    self.cloud_members[j].append(("g", k))
        for j in range(g):
            cloud = self.cloud_members[j]
            users = [m for m in cloud if m[0] == "u"]
            k = max(len(users) * 25 // 1000, 1 if users else 0)
            missing = set(rng.sample(users, k)) if k else set()
            inside = {m[1] for m in users}
            extra = []
            while len(extra) < k:
                i = rng.randrange(n)
                if i not in inside:
                    inside.add(i)
                    extra.append(("u", i))
            self.ad_members[j] = [m for m in cloud if m not in missing] + extra

    def member_dn(self, m):
        return user_dn(m[1]) if m[0] == "u" else group_dn(m[1])

    def member_id(self, m):
        return user_id(m[1]) if m[0] == "u" else group_id(m[1])

    # --- AD ---------------------------------------------------------------------------------

    def ad_user(self, i):
        sam = "u%06d" % i
        lines = ["dn: " + user_dn(i), "objectClass: user", "sAMAccountName: " + sam,
                 "userPrincipalName: %s@%s" % (sam, DOMAIN), "displayName: User %06d" % i,
                 "givenName: User", "sn: %06d" % i, "title: Title %d" % (i % 50),
                 "department: Department %d" % (i % 30), "company: Contoso Bench",
                 "employeeID: E%06d" % i, "mail: %s@%s" % (sam, DOMAIN),
                 "mailNickname: " + sam]
        lines += ["proxyAddresses: " + a for a in self.addresses(i)]
        lines += ["extensionAttribute1: ca1-%d" % (i % 7), "msExchHideFromAddressLists: FALSE",
                  "mS-DS-ConsistencyGuid:: " + anchor(i),
                  "objectSid: %s-%d" % (DOMAIN_SID, USER_RID0 + i)]
        if i % 10:
            lines.append("manager: " + user_dn(i - i % 10))
        return "\n".join(lines) + "\n\n"

    def ad_group(self, j):
        lines = ["dn: " + group_dn(j), "objectClass: group", "sAMAccountName: " + group_name(j),
                 "displayName: " + group_name(j), "description: bench group %d" % j,
                 "objectSid: %s-%d" % (DOMAIN_SID, GROUP_RID0 + j)]
        lines += [ldif_value("member", self.member_dn(m)) for m in self.ad_members[j]]
        return "\n".join(lines) + "\n\n"

    def write_ldif(self, f):
        f.write("# soabridge bench AD, SCALE=%d (tests/bench/gen.py)\n\n" % self.n)
        f.write("dn: %s\nobjectClass: organizationalUnit\nou: Moved\n\n" % MOVED)
        for i in range(self.n):
            f.write(self.ad_user(i))
        # Nested groups name higher-numbered ones: add those first.
        for j in reversed(range(self.g)):
            f.write(self.ad_group(j))

    # --- cloud ------------------------------------------------------------------------------

    def addresses(self, i):
        sam = "u%06d" % i
        return ["SMTP:%s@%s" % (sam, DOMAIN), "smtp:%s@bench.example.test" % sam]

    def cloud_user(self, i):
        sam = "u%06d" % i
        cls = user_class(i)
        drift = drifted(i, 1)
        u = {"id": user_id(i), "userPrincipalName": "%s@%s" % (sam, DOMAIN),
             "displayName": "User %06d" % i, "givenName": "User", "surname": "%06d" % i,
             "mail": "%s@%s" % (sam, DOMAIN), "mailNickname": sam, "accountEnabled": True,
             "userType": "Member", "onPremisesImmutableId": anchor(i),
             "onPremisesSecurityIdentifier": "%s-%d" % (DOMAIN_SID, USER_RID0 + i),
             "onPremisesSamAccountName": sam, "onPremisesDomainName": DOMAIN,
             "onPremisesUserPrincipalName": "%s@%s" % (sam, DOMAIN),
             "onPremisesDistinguishedName": user_dn(i),
             "onPremisesSyncEnabled": None if cls == "cloud" else True,
             "onPremisesSyncBehavior": {"isCloudManaged": cls == "cloud"},
             "jobTitle": "Title %d" % (i % 50), "department": "Department %d" % (i % 30),
             "companyName": "Contoso Bench", "employeeId": "E%06d" % i,
             "proxyAddresses": self.addresses(i)}
        if drift and cls != "exo":
            u["jobTitle"] = "Title %d (changed)" % i
            u["department"] = "Department %d (changed)" % (i % 30)
        if i % 10:
            u["manager"] = user_id(i - i % 10)
        return u

    def mailbox(self, i):
        sam = "u%06d" % i
        cls = user_class(i)
        emails = self.addresses(i)
        ca1 = "ca1-%d" % (i % 7)
        if cls == "exo" and drifted(i, 1):
            emails = emails + ["smtp:%s.alias@bench.example.test" % sam]
            ca1 = "ca1-%d (changed)" % i
        return {"ExternalDirectoryObjectId": user_id(i), "DisplayName": "User %06d" % i,
                "Alias": sam, "EmailAddresses": emails,
                "WindowsEmailAddress": "%s@%s" % (sam, DOMAIN),
                "RecipientTypeDetails": "UserMailbox", "IsDirSynced": cls != "cloud",
                "IsExchangeCloudManaged": cls == "exo",
                "HiddenFromAddressListsEnabled": False, "CustomAttribute1": ca1,
                # A tenant at rest: each mailbox last changed long before the run.  Without it
                # the fake dates every mailbox at its load, and the service's first incremental
                # cycles see all of them inside their 120-s margin (agent/exoseen.h).
                "WhenChangedUTC": "2026-01-05T08:00:00Z"}

    def cloud_group(self, j):
        cloud = group_cloud(j)
        dn = group_dn(j)
        if cloud and drifted(j, 2):
            dn = "CN=%s,%s" % (group_name(j), MOVED)
        return {"id": group_id(j), "displayName": group_name(j),
                "description": "bench group %d" % j, "mailEnabled": False,
                "mailNickname": group_name(j), "securityEnabled": True, "groupTypes": [],
                "onPremisesSyncEnabled": None if cloud else True,
                "onPremisesSecurityIdentifier": "%s-%d" % (DOMAIN_SID, GROUP_RID0 + j),
                "onPremisesSamAccountName": group_name(j), "onPremisesDomainName": DOMAIN,
                "onPremisesNetBiosName": "CORP",
                "onPremisesSyncBehavior": {"isCloudManaged": cloud},
                "members": [self.member_id(m) for m in self.cloud_members[j]], EXT: dn}

    def tenant(self):
        with open(DEMO) as f:
            demo = json.load(f)
        t = {k: demo[k] for k in ("tenantId", "clientId", "clientSecret", "displayName",
                                  "domains") if k in demo}
        t["_comment"] = "soabridge bench tenant, SCALE=%d (tests/bench/gen.py)" % self.n
        t["users"] = [self.cloud_user(i) for i in range(self.n)]
        t["groups"] = [self.cloud_group(j) for j in range(self.g)]
        t["mailboxes"] = [self.mailbox(i) for i in range(self.n)]
        return t

    def meta(self):
        return {"scale_users": self.n, "groups": self.g,
                "cloud_managed_groups": sum(group_cloud(j) for j in range(self.g)),
                "member_links": sum(len(m) for m in self.cloud_members),
                "largest_group": len(self.cloud_members[0]),
                "mailboxes": self.n, "ou_extension": EXT}


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 100:
        print("usage: gen.py SCALE OUTDIR   (SCALE: users, 100 or more)", file=sys.stderr)
        return 2
    b = Bench(int(argv[1]))
    out = argv[2]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "ad.ldif.tmp"), "w") as f:
        b.write_ldif(f)
    with open(os.path.join(out, "tenant.json.tmp"), "w") as f:
        json.dump(b.tenant(), f, separators=(",", ":"))
    with open(os.path.join(out, "meta.json.tmp"), "w") as f:
        json.dump(b.meta(), f, indent=1)
    for name in ("ad.ldif", "tenant.json", "meta.json"):
        os.replace(os.path.join(out, name + ".tmp"), os.path.join(out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
