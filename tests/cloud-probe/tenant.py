#!/usr/bin/python3
"""tenant.py: print the probe's tenant (DESIGN.md "Test fixture"): 50 users, groups with typed
members, contacts, a device and 7 mailboxes.  Deterministic, so a failing check can be replayed."""

import base64
import json


def uid(n):
    return "10000000-0000-4000-8000-%012d" % n


def user(n):
    u = {
        "id": uid(n),
        "userPrincipalName": "user%02d@probe.example.test" % n,
        "displayName": "Probe User %02d" % n,
        "givenName": "Probe",
        "surname": "User%02d" % n,
        "jobTitle": None if n % 5 == 0 else "Engineer %d" % n,
        "businessPhones": [] if n % 4 == 0 else ["+1 425 555 %04d" % n],
        "proxyAddresses": ["SMTP:user%02d@probe.example.test" % n,
                           "smtp:u%02d@probe.example.test" % n],
        "onPremisesImmutableId": base64.b64encode(bytes([0x5a, n] + [0] * 14)).decode(),
        "onPremisesSecurityIdentifier": "S-1-5-21-1-2-3-%d" % (1100 + n),
        # every third object was converted: Entra then clears onPremisesSyncEnabled
        "onPremisesSyncEnabled": None if n % 3 == 0 else True,
        "onPremisesSyncBehavior": {"isCloudManaged": n % 3 == 0},
        "onPremisesExtensionAttributes": {"extensionAttribute1": "cost-%d" % n,
                                          "extensionAttribute2": None},
    }
    if n > 1 and n % 2 == 0:
        u["manager"] = uid(1)
    return u


def main():
    users = [user(n) for n in range(1, 51)]
    groups = [
        {"id": "20000000-0000-4000-8000-000000000001", "displayName": "SG-Probe-A",
         "mailEnabled": False, "securityEnabled": True, "groupTypes": [],
         "onPremisesSyncEnabled": None, "onPremisesSyncBehavior": {"isCloudManaged": True},
         "members": [uid(2), uid(3), uid(5), "20000000-0000-4000-8000-000000000002",
                     "30000000-0000-4000-8000-000000000001",
                     "40000000-0000-4000-8000-000000000001"]},
        {"id": "20000000-0000-4000-8000-000000000002", "displayName": "SG-Probe-B",
         "mailEnabled": False, "securityEnabled": True, "groupTypes": [],
         "onPremisesSyncEnabled": True, "onPremisesSyncBehavior": {"isCloudManaged": False},
         "members": [uid(7)]},
        {"id": "20000000-0000-4000-8000-000000000003", "displayName": "SG-Probe-Empty",
         "mailEnabled": False, "securityEnabled": True, "groupTypes": [], "members": []},
    ]
    contacts = [{"id": "30000000-0000-4000-8000-%012d" % n, "displayName": "Partner %d" % n,
                 "mail": "partner%d@partner.example" % n, "onPremisesSyncEnabled": True}
                for n in range(1, 4)]
    devices = [{"id": "40000000-0000-4000-8000-000000000001", "displayName": "PROBE-LAPTOP"}]
    mailboxes = []
    for n in range(1, 8):
        mailboxes.append({
            "ExternalDirectoryObjectId": uid(n), "DisplayName": "Probe User %02d" % n,
            "Alias": "user%02d" % n, "RecipientTypeDetails": "UserMailbox",
            "EmailAddresses": ["SMTP:user%02d@probe.example.test" % n],
            "WindowsEmailAddress": "user%02d@probe.example.test" % n,
            "CustomAttribute1": "ca1-%d" % n, "CustomAttribute2": "",
            "IsDirSynced": n % 3 != 0, "IsExchangeCloudManaged": n % 2 == 0,
            "HiddenFromAddressListsEnabled": n == 7})
    print(json.dumps({
        "tenantId": "00000000-0000-4000-8000-00000000beef",
        "clientId": "00000000-0000-4000-8000-00000000cafe",
        "clientSecret": "probe-secret~4711.Zz",
        "displayName": "cloud-probe",
        "domains": ["probe.example.test"],
        "users": users, "groups": groups, "contacts": contacts, "devices": devices,
        "mailboxes": mailboxes}, indent=1))


if __name__ == "__main__":
    main()
