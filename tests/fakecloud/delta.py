"""Graph delta queries for directory objects: GET /{users|groups|contacts}/delta.

The first round pages through every object and ends with an @odata.deltaLink; following that link
later returns what changed since: changed objects with id plus the changed selected properties,
removed ones as {"id", "@removed": {"reason"}}, and, for groups selecting members, "members@delta"
entries.  As in Graph, $select travels inside the opaque token, not in the link's query string.
Expired links get Graph's 400 syncStateNotFound (directory delta links live 7 days); the "410"
fault of the admin API gives the 410 Gone with a Location to restart from.
"""

import time
from urllib.parse import quote

from odata import bad_request, check_options, context_url, page_size, parse_select, project
from web import Response, ServiceError

DELTA_OPTIONS = {"$select", "$deltatoken", "$skiptoken"}


def handle(app, req, version, etype):
    if etype.entity_set not in ("users", "groups", "contacts"):
        raise bad_request("Delta is not supported on '%s'." % etype.entity_set,
                          "Request_UnsupportedQuery")
    check_options(req, DELTA_OPTIONS)
    with app.store.lock:
        state = _state(app, req, etype)
        if state.get("latest"):
            return _finish(app, req, version, etype, state, [], None)
        changes = _changes(app, etype, state)
        after = state.get("a")
        if after is not None:
            changes = [c for c in changes if c[0] > after]
        size = _max_page(app, req)
        page = changes[:size]
        more = len(changes) > size
        return _finish(app, req, version, etype, state, [c[1] for c in page],
                       page[-1][0] if more else None)


def _max_page(app, req):
    """Delta honours Prefer: odata.maxpagesize=N rather than $top."""
    prefer = req.header("Prefer") or ""
    for part in prefer.split(","):
        key, _, value = part.strip().partition("=")
        if key.lower() == "odata.maxpagesize" and value.isdigit() and int(value) > 0:
            return page_size(app, min(int(value), 999))
    return page_size(app, None)


def _state(app, req, etype):
    """Where this request stands: a fresh round, a page of a round, or a delta link."""
    store = app.store
    if "$skiptoken" in req.query:
        tok = app.signer.decode(req.query["$skiptoken"])
        if not _token_ok(tok, "page", etype, store):
            raise bad_request("Invalid page token: '$skiptoken' is not valid for this request.")
        return tok
    if "$deltatoken" in req.query:
        raw = req.query["$deltatoken"]
        if raw.lower() == "latest":
            sel = _select(req, etype)
            return {"k": "page", "set": etype.entity_set, "tid": store.tenant_id, "sel": sel,
                    "since": store.seq, "start": store.seq, "latest": True}
        tok = app.signer.decode(raw)
        if not _token_ok(tok, "delta", etype, store):
            raise bad_request("Badly formed delta token.")
        if time.time() - tok["t"] > float(app.config.get("delta_token_lifetime")):
            raise ServiceError(400, "syncStateNotFound", "The sync state generation is not "
                               "found. The delta token is expired and data must be "
                               "synchronized again.")
        return {"k": "page", "set": etype.entity_set, "tid": store.tenant_id,
                "sel": tok["sel"], "since": tok["since"], "start": store.seq}
    return {"k": "page", "set": etype.entity_set, "tid": store.tenant_id,
            "sel": _select(req, etype), "since": None, "start": store.seq}


def _token_ok(tok, kind, etype, store):
    return (isinstance(tok, dict) and tok.get("k") == kind and tok.get("set") == etype.entity_set
            and tok.get("tid", "").lower() == store.tenant_id.lower())


def _select(req, etype):
    """$select as a list (None: Graph's default set); groups may also select members."""
    raw = req.query.get("$select")
    if raw is None:
        return None
    names = [n.strip() for n in raw.split(",")]
    members = etype.entity_set == "groups" and any(n.lower() == "members" for n in names)
    plain = [n for n in names if not (members and n.lower() == "members")]
    sel = parse_select(",".join(plain), etype) if plain else []
    return sel + (["members"] if members else [])


def _changes(app, etype, state):
    """(id, entry) pairs in id order: every object on a first round, else what changed."""
    store, since = app.store, state["since"]
    sel = state["sel"]
    plain = None if sel is None else [p for p in sel if p != "members"]
    members = sel is not None and "members" in sel
    out = []
    for obj in store.list(etype.entity_set):
        if since is None or obj.created > since:
            entry = project(obj.data, etype, plain)
            if members:
                entry["members@delta"] = [_member_ref(store, m) for m in obj.members()
                                          if store.find(m) is not None]
        else:
            entry = _changed_entry(store, obj, plain, members, since)
        if entry is not None:
            out.append((obj.id.lower(), entry))
    if since is not None:
        for key, tomb in store.tombstones.items():
            if tomb.etype is etype and tomb.seq > since:
                out.append((key, {"id": tomb.id, "@removed": {"reason": tomb.reason}}))
    return sorted(out, key=lambda c: c[0])


def _changed_entry(store, obj, plain, members, since):
    """id plus the selected properties changed after `since`; None when nothing did."""
    wanted = plain if plain is not None else (obj.etype.default_select or obj.etype.props)
    changed = [p for p in wanted if obj.changed.get(p, 0) > since]
    entry = project(obj.data, obj.etype, changed) if changed else None
    if members:
        refs = []
        for seq, present, mid in obj.member_changes.values():
            if seq > since:
                ref = _member_ref(store, mid)
                if not present:
                    ref["@removed"] = {"reason": "deleted"}
                refs.append(ref)
        if refs:
            entry = entry or {"id": obj.id}
            entry["members@delta"] = sorted(refs, key=lambda r: r["id"].lower())
    return entry


def _member_ref(store, mid):
    obj = store.find(mid)
    tomb = store.tombstones.get(mid.lower())
    etype = obj.etype if obj is not None else (tomb.etype if tomb else None)
    odata_type = etype.odata_type if etype else "#microsoft.graph.directoryObject"
    return {"@odata.type": odata_type, "id": obj.id if obj is not None else mid}


def _finish(app, req, version, etype, state, value, next_after):
    sel = [p for p in state["sel"] or [] if p != "members"] or None
    body = {"@odata.context": context_url(req, version, etype.entity_set, sel)}
    base = "%s/%s/%s/delta" % (req.base_url, version, etype.entity_set)
    if next_after is not None:
        tok = dict(state, a=next_after)
        tok.pop("latest", None)
        body["@odata.nextLink"] = "%s?$skiptoken=%s" % (base, quote(app.signer.encode(tok)))
    else:
        tok = {"k": "delta", "set": etype.entity_set, "tid": state["tid"], "sel": state["sel"],
               "since": state["start"], "t": time.time()}
        body["@odata.deltaLink"] = "%s?$deltatoken=%s" % (base, quote(app.signer.encode(tok)))
    body["value"] = value
    return Response(200, body)


def restart_location(req):
    """For a 410 on a delta URL: where a fresh round starts (Graph sends it as Location)."""
    segs = req.segments
    return "%s/%s/%s/delta" % (req.base_url, segs[0], segs[1]) if len(segs) >= 3 else None
