"""The tenant: directory objects, mailboxes and the app registration, loaded from a fixture file
(DESIGN.md, "Test fixture: the tenant file") and changed through the admin API or Graph PATCHes.

Every change gets a sequence number per property (and per group member) so that delta queries can
say what changed since a token, the way Graph's directory delta does.  Exchange has no delta: a
mailbox carries the time of its last change instead (WhenChangedUTC, whole seconds), which
"Get-Mailbox -Filter 'WhenChangedUTC -ge ...'" selects on.  One lock guards it all: the server is
threaded and a test may change the tenant while the agent pages through it.
"""

import copy
import json
import threading
import time

import exodate
from schema import BY_SET

# Admin PATCH may create an object; it names its kind by entity set or type name.
_KIND_ALIASES = {
    "user": "users", "users": "users", "group": "groups", "groups": "groups",
    "contact": "contacts", "orgcontact": "contacts", "contacts": "contacts",
    "device": "devices", "devices": "devices",
    "serviceprincipal": "servicePrincipals", "serviceprincipals": "servicePrincipals",
    "mailbox": "mailboxes", "mailboxes": "mailboxes",
}


class TenantError(ValueError):
    """A fixture or admin patch that cannot be applied; the message says why."""


def mailbox_key(mbx):
    """Mailboxes are found by the Graph id of their owner, else by their own Guid."""
    key = mbx.get("ExternalDirectoryObjectId") or mbx.get("Guid")
    return key.lower() if isinstance(key, str) and key else None


def validate(doc):
    """Refuse a fixture the fake could only serve wrongly; return it unchanged otherwise."""
    if not isinstance(doc, dict):
        raise TenantError("tenant: the document must be a JSON object")
    for key in ("tenantId", "clientId", "clientSecret"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            raise TenantError("tenant: '%s' must be a non-empty string" % key)
    seen = {}
    for set_name in BY_SET:
        items = doc.get(set_name, [])
        if not isinstance(items, list):
            raise TenantError("tenant: '%s' must be an array" % set_name)
        for i, obj in enumerate(items):
            where = "%s[%d]" % (set_name, i)
            _validate_object(obj, where)
            if obj["id"].lower() in seen:
                raise TenantError("%s: id '%s' is also used by %s"
                                  % (where, obj["id"], seen[obj["id"].lower()]))
            seen[obj["id"].lower()] = where
    mailboxes = doc.get("mailboxes", [])
    if not isinstance(mailboxes, list):
        raise TenantError("tenant: 'mailboxes' must be an array")
    keys = set()
    for i, mbx in enumerate(mailboxes):
        where = "mailboxes[%d]" % i
        if not isinstance(mbx, dict) or mailbox_key(mbx) is None:
            raise TenantError("%s: needs ExternalDirectoryObjectId or Guid" % where)
        _validate_when_changed(mbx, where)
        if mailbox_key(mbx) in keys:
            raise TenantError("%s: a second mailbox for '%s'" % (where, mailbox_key(mbx)))
        keys.add(mailbox_key(mbx))
    return doc


# The keys a fixture or a patch may give a mailbox's change time by (WhenChangedUTC first).
WHEN_CHANGED_KEYS = ("WhenChangedUTC", "WhenChanged")

# What Exchange takes from the owning Graph user (exo.render): a change to one changes the mailbox.
MAILBOX_FROM_USER = ("displayName", "userPrincipalName", "mailNickname", "onPremisesSyncEnabled")


def given_change_time(mbx):
    """The change time a fixture or patch sets (seconds), or None when it sets none."""
    for key in WHEN_CHANGED_KEYS:
        if mbx.get(key) is not None:
            return exodate.parse(mbx[key])
    return None


def _validate_when_changed(mbx, where):
    for key in WHEN_CHANGED_KEYS:
        if mbx.get(key) is not None and exodate.parse(mbx[key]) is None:
            raise TenantError("%s: %s %s is not a date like \"2026-12-05T10:11:12Z\""
                              % (where, key, json.dumps(mbx[key])))


def _validate_object(obj, where):
    if not isinstance(obj, dict):
        raise TenantError("%s: must be an object" % where)
    if not isinstance(obj.get("id"), str) or not obj["id"]:
        raise TenantError("%s: 'id' must be a non-empty string" % where)
    if "manager" in obj and obj["manager"] is not None and not isinstance(obj["manager"], str):
        raise TenantError("%s: 'manager' must be a user id" % where)
    members = obj.get("members")
    if members is not None and not (isinstance(members, list)
                                    and all(isinstance(m, str) for m in members)):
        raise TenantError("%s: 'members' must be an array of ids" % where)
    sob = obj.get("onPremisesSyncBehavior")
    if sob is not None and not (isinstance(sob, dict)
                                and isinstance(sob.get("isCloudManaged", False), bool)):
        raise TenantError("%s: 'onPremisesSyncBehavior' must be {\"isCloudManaged\": bool}" % where)


class DirObject:
    """A user, group, contact, device or service principal, as its fixture dict plus the change
    sequence numbers that delta queries need."""

    def __init__(self, etype, data, created):
        self.etype = etype
        self.data = data
        self.created = created
        self.changed = {}           # property -> seq of its last change
        self.member_changes = {}    # member id (lower) -> (seq, present, member id)

    @property
    def id(self):
        return self.data["id"]

    def members(self):
        return list(self.data.get("members") or [])

    def cloud_managed(self):
        return bool((self.data.get("onPremisesSyncBehavior") or {}).get("isCloudManaged"))

    def record_diff(self, old_data, seq):
        """Note which plain properties and which members differ from old_data."""
        for key in set(old_data) | set(self.data):
            if key in ("members", "onPremisesSyncBehavior"):
                continue
            if old_data.get(key) != self.data.get(key):
                self.changed[key] = seq
        old_members = {m.lower(): m for m in old_data.get("members") or []}
        new_members = {m.lower(): m for m in self.data.get("members") or []}
        for low in set(old_members) | set(new_members):
            if (low in old_members) != (low in new_members):
                mid = new_members.get(low) or old_members[low]
                self.member_changes[low] = (seq, low in new_members, mid)


class Tombstone:
    """A deleted object, kept so a delta query can report its removal."""

    def __init__(self, etype, oid, seq, reason):
        self.etype, self.id, self.seq, self.reason = etype, oid, seq, reason


class Store:
    """The tenant the fake serves.  Take `lock` around any read that must be consistent."""

    def __init__(self, doc):
        self.lock = threading.RLock()
        self.seq = 0
        self.objects = {}       # id (lower) -> DirObject
        self.tombstones = {}    # id (lower) -> Tombstone
        self.mailboxes = {}     # mailbox_key -> dict
        self.changed_at = {}    # mailbox_key -> WhenChangedUTC, seconds since the epoch
        self.clock = time.time
        self.tenant_id = None
        self.replace(doc)

    def now(self):
        return int(self.clock())

    # -- the app registration and tenant identity -------------------------------------------------
    def _load_identity(self, doc):
        self.doc_extra = {k: copy.deepcopy(v) for k, v in doc.items()
                          if k not in BY_SET and k != "mailboxes"}
        self.tenant_id = doc["tenantId"]
        self.client_id = doc["clientId"]
        self.client_secret = doc["clientSecret"]
        self.domains = [d.lower() for d in doc.get("domains", []) if isinstance(d, str)]
        self.tenant_name = doc.get("displayName") or "Contoso"

    def knows_tenant(self, name):
        """The login and EXO URLs may name the tenant by id or by one of its domains."""
        low = (name or "").lower()
        return low == self.tenant_id.lower() or low in self.domains

    # -- whole-tenant replacement -----------------------------------------------------------------
    def replace(self, doc):
        """Load a new fixture.  When the tenant id stays the same, the differences become changes
        that a delta token taken before sees, so a test can replace the tenant mid-run."""
        validate(doc)
        with self.lock:
            same_tenant = (self.tenant_id is not None
                           and doc["tenantId"].lower() == self.tenant_id.lower())
            previous = self.objects if same_tenant else {}
            previous_mailboxes = self.mailboxes if same_tenant else {}
            if not same_tenant:
                self.tombstones = {}
            self.seq += 1
            self._load_identity(doc)
            objects = {}
            for set_name, etype in BY_SET.items():
                for raw in doc.get(set_name, []):
                    obj = self._carry_over(etype, copy.deepcopy(raw), previous)
                    objects[obj.id.lower()] = obj
                    self.tombstones.pop(obj.id.lower(), None)
            for key, old in previous.items():
                if key not in objects:
                    self.tombstones[key] = Tombstone(old.etype, old.id, self.seq, "changed")
            self.mailboxes = {mailbox_key(m): copy.deepcopy(m) for m in doc.get("mailboxes", [])}
            self.changed_at = {key: self._replaced_at(key, mbx, previous_mailboxes.get(key),
                                                      previous, objects)
                               for key, mbx in self.mailboxes.items()}
            self.objects = objects

    def _replaced_at(self, key, mbx, old_mbx, old_objects, new_objects):
        """A mailbox's change time after a replacement: kept when neither it nor what Exchange
        takes from its owner differs, else the time the fixture gives it (unless that is the
        very value it had: a tenant read, edited and put back), else now."""
        def owner(objects):
            obj = objects.get(key)
            return [obj.data.get(k) for k in MAILBOX_FROM_USER] if obj is not None else None

        given = given_change_time(mbx)
        if old_mbx is None:
            return self.now() if given is None else given
        if old_mbx == mbx and owner(old_objects) == owner(new_objects):
            return self.changed_at.get(key, self.now())
        if given is not None and given != given_change_time(old_mbx):
            return given
        return self.now()

    def mailbox_changed_at(self, mbx):
        """WhenChangedUTC of a mailbox in the store, in seconds."""
        key = mailbox_key(mbx)
        if key not in self.changed_at:
            self.changed_at[key] = self.now()
        return self.changed_at[key]

    def _carry_over(self, etype, data, previous):
        old = previous.get(data["id"].lower())
        if old is None or old.etype is not etype:
            return DirObject(etype, data, self.seq)
        obj = DirObject(etype, data, old.created)
        obj.changed = dict(old.changed)
        obj.member_changes = dict(old.member_changes)
        obj.record_diff(old.data, self.seq)
        return obj

    def snapshot(self):
        """The tenant as a fixture document (GET /_fake/tenant)."""
        with self.lock:
            doc = copy.deepcopy(self.doc_extra)
            for set_name in BY_SET:
                doc[set_name] = [copy.deepcopy(o.data) for o in self.list(set_name)]
            doc["mailboxes"] = [copy.deepcopy(m) for m in self.mailboxes.values()]
            return doc

    # -- lookups ----------------------------------------------------------------------------------
    def find(self, oid):
        """Any directory object by id (members and managers can be of any type)."""
        return self.objects.get((oid or "").lower())

    def get(self, set_name, key):
        """An object of one entity set by id; users also by userPrincipalName, as Graph allows."""
        obj = self.objects.get(key.lower())
        if obj is None and set_name == "users" and "@" in key:
            obj = next((o for o in self.objects.values() if o.etype.entity_set == "users"
                        and (o.data.get("userPrincipalName") or "").lower() == key.lower()), None)
        if obj is None or obj.etype.entity_set != set_name:
            return None
        return obj

    def list(self, set_name):
        """Objects of one entity set in a stable order (by id), which paging relies on."""
        return sorted((o for o in self.objects.values() if o.etype.entity_set == set_name),
                      key=lambda o: o.id.lower())

    def mailbox_list(self):
        return [self.mailboxes[k] for k in sorted(self.mailboxes)]

    # -- changes ----------------------------------------------------------------------------------
    def set_cloud_managed(self, obj, value):
        """PATCH onPremisesSyncBehavior: what Entra does when an admin converts the SOA."""
        with self.lock:
            self.seq += 1
            obj.data["onPremisesSyncBehavior"] = {"isCloudManaged": value}
            if value and obj.data.get("onPremisesSyncEnabled") is not None:
                # Converted objects stop syncing: Graph shows onPremisesSyncEnabled null.
                obj.data.pop("onPremisesSyncEnabled")
                obj.changed["onPremisesSyncEnabled"] = self.seq
            mbx = self.mailboxes.get(obj.id.lower())
            if value and mbx is not None:
                # Exchange follows: the mailbox is no longer dir-synced, and isCloudManaged
                # already covers its Exchange attributes.
                mbx["IsDirSynced"] = False
                mbx["IsExchangeCloudManaged"] = False
                self.changed_at[obj.id.lower()] = self.now()

    def patch_object(self, oid, patch):
        """Admin merge (PATCH /_fake/objects/{id}).  Top-level keys replace, null removes.
        Exchange's PascalCase keys (IsExchangeCloudManaged, CustomAttribute1...) and the keys of
        a "mailbox" object go to the mailbox of that id (created if needed; "mailbox": null
        deletes it); camelCase keys go to the Graph object.  {"_delete": true} deletes (a soft
        delete, "hard" for a hard one), "_type" creates an unknown id.
        Returns "created", "updated" or "deleted"; raises KeyError for an unknown id."""
        if not isinstance(patch, dict):
            raise TenantError("the patch must be a JSON object")
        with self.lock:
            self.seq += 1
            key = oid.lower()
            if patch.get("_delete"):
                return self._delete(key, "deleted" if patch["_delete"] == "hard" else "changed")
            graph_part, mailbox_part = _split_patch(patch)
            obj, mbx = self.objects.get(key), self.mailboxes.get(key)
            if obj is None and mbx is None:
                return self._create(oid, patch.get("_type"), graph_part, mailbox_part)
            if obj is None:                     # a mailbox without a Graph object
                graph_part, mailbox_part = {}, dict(graph_part, **(mailbox_part or {}))
            if graph_part:
                self._merge_object(obj, graph_part)
                if key in self.mailboxes and any(k in graph_part for k in MAILBOX_FROM_USER):
                    self.changed_at[key] = self.now()
            if mailbox_part is not None or "mailbox" in patch:
                self._merge_mailbox(oid, mailbox_part)
            return "updated"

    def _delete(self, key, reason):
        obj = self.objects.pop(key, None)
        mbx = self.mailboxes.pop(key, None)
        self.changed_at.pop(key, None)
        if obj is None and mbx is None:
            raise KeyError(key)
        if obj is not None:
            self.tombstones[key] = Tombstone(obj.etype, obj.id, self.seq, reason)
            self._drop_references(key)
        return "deleted"

    def _drop_references(self, key):
        """A deleted object leaves the groups it was in and stops being anyone's manager."""
        for other in self.objects.values():
            old = copy.deepcopy(other.data)
            members = other.data.get("members")
            if members and any(m.lower() == key for m in members):
                other.data["members"] = [m for m in members if m.lower() != key]
            if (other.data.get("manager") or "").lower() == key:
                other.data.pop("manager")
            other.record_diff(old, self.seq)

    def _create(self, oid, kind_name, graph_part, mailbox_part):
        kind = _KIND_ALIASES.get(str(kind_name or "").lower())
        if kind is None:
            raise KeyError(oid)
        if kind == "mailboxes":
            self._merge_mailbox(oid, dict(graph_part, **(mailbox_part or {})))
            return "created"
        body = {k: v for k, v in graph_part.items() if v is not None}
        body["id"] = oid
        _validate_object(body, oid)
        self.objects[oid.lower()] = DirObject(BY_SET[kind], body, self.seq)
        self.tombstones.pop(oid.lower(), None)
        if mailbox_part:
            self._merge_mailbox(oid, mailbox_part)
        return "created"

    def _merge_object(self, obj, patch):
        new = copy.deepcopy(obj.data)
        for k, v in patch.items():
            if k == "id" and v != obj.id:
                raise TenantError("the id of an object cannot change")
            if v is None:
                new.pop(k, None)
            else:
                new[k] = copy.deepcopy(v)
        _validate_object(new, obj.id)
        old, obj.data = obj.data, new
        obj.record_diff(old, self.seq)

    def _merge_mailbox(self, oid, patch):
        """Merge into the mailbox; it changes now, or when the patch says (WhenChangedUTC or
        WhenChanged: a test that needs an old change time)."""
        key = oid.lower()
        if patch is None:
            self.mailboxes.pop(key, None)
            self.changed_at.pop(key, None)
            return
        if not isinstance(patch, dict):
            raise TenantError("'mailbox' must be an object or null")
        _validate_when_changed(patch, "mailbox '%s'" % oid)
        mbx = self.mailboxes.setdefault(key, {"ExternalDirectoryObjectId": oid})
        for k, v in patch.items():
            if v is None:
                mbx.pop(k, None)
            elif not k.startswith("_"):
                mbx[k] = copy.deepcopy(v)
        given = given_change_time(patch)
        self.changed_at[key] = self.now() if given is None else given


def _split_patch(patch):
    """(Graph keys, mailbox keys or None): Exchange names its properties in PascalCase, Graph in
    camelCase, so the first letter tells them apart; "mailbox": {...} is explicit."""
    graph_part, mailbox_part = {}, None
    for k, v in patch.items():
        if k.startswith("_") or k == "mailbox":
            continue
        if k[:1].isupper():
            mailbox_part = dict(mailbox_part or {}, **{k: v})
        else:
            graph_part[k] = v
    explicit = patch.get("mailbox")
    if explicit is not None and not isinstance(explicit, dict):
        raise TenantError("'mailbox' must be an object or null")
    if isinstance(explicit, dict):
        mailbox_part = dict(mailbox_part or {}, **explicit)
    return graph_part, mailbox_part
