"""Microsoft Graph (/v1.0 and /beta) for directory objects: users, groups, contacts (and devices
and service principals, which only matter as group members), their manager, members and
onPremisesSyncBehavior navigations, paging, and JSON $batch.

Shapes follow reference/graph-exo-protocol.md sections 2, 3, 5 and 8.
"""

import json
from urllib.parse import quote, urlencode

import delta
from identity import GRAPH_AUD, check_bearer
from odata import (bad_request, check_options, context_url, is_advanced, page_size,
                   parse_count, parse_expand, parse_filter, parse_select, parse_top, project,
                   project_polymorphic)
from schema import BY_SET, DIRECTORY_OBJECT
from web import Request, Response, ServiceError, graph_error

MAX_BATCH = 20
MAX_EXPANDED_MEMBERS = 20   # $expand=members returns at most 20, as Graph does
EXPANDABLE = {"users": ("manager",), "contacts": ("manager",), "groups": ("members",)}
SOB_PROPS = {"id": "id", "iscloudmanaged": "isCloudManaged"}


def handle(app, req):
    """A top-level Graph request: authenticate, then $batch or one resource."""
    version, rest = req.segments[0], req.segments[1:]
    try:
        check_bearer(app, req, GRAPH_AUD)
        if rest == ["$batch"]:
            return _batch(app, req, version)
        return route(app, req, version, rest)
    except ServiceError as err:
        return graph_error(req, err)


# -- errors ---------------------------------------------------------------------------------------

def not_found(key):
    return ServiceError(404, "Request_ResourceNotFound", "Resource '%s' does not exist or one of "
                        "its queried reference-property objects are not present." % key)


def no_segment(segment):
    return ServiceError(400, "BadRequest", "Resource not found for the segment '%s'." % segment)


def _method(req, *allowed):
    if req.method not in allowed:
        raise ServiceError(405, "Request_BadRequest",
                           "Specified HTTP method is not allowed for the request target.")


# -- routing --------------------------------------------------------------------------------------

def route(app, req, version, rest):
    """One Graph resource below the version segment; $batch items come through here too."""
    if not rest:
        raise no_segment(version)
    etype = BY_SET.get(rest[0])
    if etype is None:
        raise no_segment(rest[0])
    if len(rest) == 1:
        _method(req, "GET")
        return _list(app, req, version, etype)
    if rest[1] == "delta" and len(rest) == 2:
        _method(req, "GET")
        return delta.handle(app, req, version, etype)
    with app.store.lock:
        obj = app.store.get(etype.entity_set, rest[1])
        if obj is None:
            raise not_found(rest[1])
        if len(rest) == 2:
            _method(req, "GET")
            return _entity(app, req, version, obj)
        return _navigation(app, req, version, obj, rest[2:])


def _navigation(app, req, version, obj, rest):
    nav = obj.etype.nav(rest[0])
    if nav is None:
        raise no_segment(rest[0])
    if nav == "manager" and len(rest) == 1:
        _method(req, "GET")
        return _manager(app, req, obj)
    if nav == "members" and len(rest) <= 2:
        _method(req, "GET")
        return _members(app, req, version, obj, rest[1] if len(rest) == 2 else None)
    if nav == "onPremisesSyncBehavior" and len(rest) == 1:
        _method(req, "GET", "PATCH")
        if req.method == "PATCH":
            return _patch_sync_behavior(app, req, obj)
        return _get_sync_behavior(app, req, version, obj)
    if len(rest) > 1:
        raise no_segment(rest[1])
    raise bad_request("The fake cloud does not serve the '%s' navigation." % nav,
                      "Request_UnsupportedQuery")


# -- collections, entities, paging ----------------------------------------------------------------

def take_page(app, req, objs, top, scope, expanded=False):
    """The page after the request's $skiptoken, and whether more follow.  The token names the
    last id served, so objects added or removed meanwhile neither repeat nor shift the rest.
    With $expand a page holds at most 100 objects, as Graph serves directory objects."""
    raw = req.query.get("$skiptoken")
    if raw is not None:
        tok = app.signer.decode(raw)
        if not isinstance(tok, dict) or tok.get("s") != scope:
            raise bad_request("Invalid page token: '$skiptoken' is not valid for this request.")
        objs = [o for o in objs if o.id.lower() > tok["a"]]
    size = page_size(app, top, expanded)
    return objs[:size], len(objs) > size


def next_link(app, req, last_id, scope):
    """Absolute, with the request's own options and a fresh $skiptoken: clients GET it as-is."""
    params = [(k, v) for k, v in req.query.items() if k.lower() != "$skiptoken"]
    params.append(("$skiptoken", app.signer.encode({"s": scope, "a": last_id.lower()})))
    return "%s%s?%s" % (req.base_url, req.path,
                        urlencode(params, quote_via=quote, safe="$,()'=:@;/"))


def _list(app, req, version, etype):
    check_options(req, {"$select", "$filter", "$top", "$expand", "$skiptoken", "$count"})
    select = parse_select(req.query.get("$select"), etype)
    expand = parse_expand(req.query.get("$expand"), etype, EXPANDABLE.get(etype.entity_set, ()))
    top = parse_top(req.query.get("$top"))
    count = parse_count(req)
    pred = parse_filter(req.query.get("$filter"), etype, is_advanced(req))
    with app.store.lock:
        objs = [o for o in app.store.list(etype.entity_set) if pred is None or pred(o.data)]
        page, more = take_page(app, req, objs, top, etype.entity_set, bool(expand))
        value = [_render(app, o, select, expand) for o in page]
    body = {"@odata.context": context_url(req, version, etype.entity_set, select)}
    if count:
        body["@odata.count"] = len(objs)
    if more:
        body["@odata.nextLink"] = next_link(app, req, page[-1].id, etype.entity_set)
    body["value"] = value
    return Response(200, body)


def _entity(app, req, version, obj):
    check_options(req, {"$select", "$expand"})
    select = parse_select(req.query.get("$select"), obj.etype)
    expand = parse_expand(req.query.get("$expand"), obj.etype,
                          EXPANDABLE.get(obj.etype.entity_set, ()))
    body = {"@odata.context": context_url(req, version, obj.etype.entity_set, select, entity=True)}
    body.update(_render(app, obj, select, expand))
    return Response(200, body)


def _render(app, obj, select, expand):
    out = project(obj.data, obj.etype, select)
    if "manager" in expand:
        manager = app.store.find(obj.data.get("manager"))
        if manager is not None:            # no manager: Graph leaves the property out
            out["manager"] = project_polymorphic(manager, expand["manager"])
    if "members" in expand:
        members = _resolve_members(app, obj)[:MAX_EXPANDED_MEMBERS]
        out["members"] = [project_polymorphic(m, expand["members"]) for m in members]
    return out


# -- navigations ----------------------------------------------------------------------------------

def _manager(app, req, obj):
    check_options(req, {"$select"})
    select = parse_select(req.query.get("$select"), DIRECTORY_OBJECT)
    manager = app.store.find(obj.data.get("manager"))
    if manager is None:
        raise not_found("manager")
    body = {"@odata.context": "%s/%s/$metadata#directoryObjects/$entity"
                              % (req.base_url, req.segments[0])}
    body.update(project_polymorphic(manager, select))
    return Response(200, body)


def _resolve_members(app, group):
    """Member ids that still name an object, in id order (ids of deleted objects drop out)."""
    found = (app.store.find(m) for m in group.members())
    return sorted((m for m in found if m is not None), key=lambda m: m.id.lower())


def _members(app, req, version, group, cast):
    check_options(req, {"$select", "$top", "$skiptoken", "$count"})
    etype = DIRECTORY_OBJECT
    if cast is not None:
        etype = next((t for t in BY_SET.values() if t.qualified.lower() == cast.lower()), None)
        if etype is None:
            raise no_segment(cast)
    select = parse_select(req.query.get("$select"), etype)
    top = parse_top(req.query.get("$top"))
    count = parse_count(req)
    members = [m for m in _resolve_members(app, group) if cast is None or m.etype is etype]
    scope = "members:%s:%s" % (group.id.lower(), etype.name)
    page, more = take_page(app, req, members, top, scope)
    body = {"@odata.context": context_url(req, version, etype.entity_set, select)}
    if count:
        body["@odata.count"] = len(members)
    if more:
        body["@odata.nextLink"] = next_link(app, req, page[-1].id, scope)
    body["value"] = [project_polymorphic(m, select) for m in page]
    return Response(200, body)


def _get_sync_behavior(app, req, version, obj):
    """Flat, as working clients see it; config soa_shape "value": wrapped in "value", as
    Microsoft's API reference example shows it (onpremisessyncbehavior-get)."""
    check_options(req, {"$select"})
    for name in (req.query.get("$select") or "id").split(","):
        if name.strip().lower() not in SOB_PROPS:
            raise bad_request("Could not find a property named '%s' on type "
                              "'microsoft.graph.onPremisesSyncBehavior'." % name.strip())
    context = ("%s/%s/$metadata#%s('%s')/onPremisesSyncBehavior/$entity"
               % (req.base_url, version, obj.etype.entity_set, obj.id))
    if app.config.get("soa_shape") == "value":
        return Response(200, {"@odata.context": context, "value": {
            "@odata.type": "#microsoft.graph.onPremisesSyncBehavior", "id": obj.id,
            "isCloudManaged": obj.cloud_managed()}})
    return Response(200, {"@odata.context": context, "id": obj.id,
                          "isCloudManaged": obj.cloud_managed()})


def _patch_sync_behavior(app, req, obj):
    doc = req.json(ServiceError(400, "BadRequest", "Unable to read JSON request payload. Please "
                                "ensure Content-Type header is set and payload is of valid JSON "
                                "format."))
    value = None
    for key, val in doc.items():
        if key.startswith("@odata."):
            continue
        if SOB_PROPS.get(key.lower()) != "isCloudManaged":
            raise bad_request("Property '%s' does not exist on type "
                              "'microsoft.graph.onPremisesSyncBehavior'." % key)
        if not isinstance(val, bool):
            raise bad_request("Cannot convert the literal '%s' to the expected type "
                              "'Edm.Boolean'." % json.dumps(val))
        value = val
    if value is not None:
        app.store.set_cloud_managed(obj, value)
    return Response(204)


# -- $batch ---------------------------------------------------------------------------------------

def _batch(app, req, version):
    _method(req, "POST")
    items = _batch_items(req)
    results = {}
    for item in _dependency_order(items):
        failed = [d for d in item.get("dependsOn") or [] if results[d]["status"] >= 400]
        if failed:
            resp = graph_error(req, ServiceError(424, "FailedDependency", "The request depends on "
                                                 "request '%s', which failed." % failed[0]))
        else:
            resp = _run_item(app, req, version, item)
        results[item["id"]] = _item_result(item["id"], resp)
    responses = app.batch_order(list(results.values()))
    return Response(200, {"responses": responses})


def _batch_items(req):
    invalid = ServiceError(400, "BadRequest", "Invalid batch payload format.")
    doc = req.json(invalid)
    items = doc.get("requests")
    if not isinstance(items, list) or not items:
        raise invalid
    if len(items) > MAX_BATCH:
        raise ServiceError(400, "BadRequest", "Number of requests in the batch (%d) exceeds the "
                           "limit of %d." % (len(items), MAX_BATCH))
    seen = set()
    for item in items:
        if not (isinstance(item, dict) and all(isinstance(item.get(k), str) and item[k]
                                               for k in ("id", "method", "url"))):
            raise invalid
        if item["id"] in seen:
            raise ServiceError(400, "BadRequest", "Batch request ids must be unique; '%s' is "
                               "repeated." % item["id"])
        seen.add(item["id"])
    for item in items:
        deps = item.get("dependsOn") or []
        if not isinstance(deps, list) or any(d not in seen for d in deps):
            raise ServiceError(400, "BadRequest", "dependsOn of request '%s' names a request "
                               "that is not in the batch." % item["id"])
    return items


def _dependency_order(items):
    """Items in their order, except that one runs after those it depends on."""
    by_id, done, order = {i["id"]: i for i in items}, set(), []

    def visit(item, path):
        if item["id"] in done:
            return
        if item["id"] in path:
            raise ServiceError(400, "BadRequest", "dependsOn forms a cycle at request '%s'."
                               % item["id"])
        for dep in item.get("dependsOn") or []:
            visit(by_id[dep], path | {item["id"]})
        done.add(item["id"])
        order.append(item)

    for item in items:
        visit(item, frozenset())
    return order


def _run_item(app, outer, version, item):
    """One item as its own request: URL relative to the version, the batch's token."""
    url = item["url"]
    target = "/%s%s%s" % (version, "" if url.startswith("/") else "/", url)
    headers = {"authorization": outer.header("authorization") or ""}
    if outer.client_request_id:
        headers["client-request-id"] = outer.client_request_id
    headers.update({k.lower(): str(v) for k, v in (item.get("headers") or {}).items()})
    body = item.get("body")
    raw = json.dumps(body).encode("utf-8") if body is not None else b""
    sub = Request(item["method"], target, headers, raw, outer.base_url, in_batch=True)
    sub.outer = outer                   # the request log files the item under its $batch
    return app.serve_batch_item(sub, lambda: route(app, sub, version, sub.segments[1:]))


def _item_result(item_id, resp):
    headers = dict(resp.headers)
    result = {"id": item_id, "status": resp.status, "headers": headers}
    if resp.obj is not None:
        headers["Content-Type"] = "application/json"
        result["body"] = resp.obj
    return result
