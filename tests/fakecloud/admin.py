"""The test-only admin API under /_fake/ (no authentication), with the state it controls:
server configuration, injected faults and request statistics.

  GET    /_fake/health                  {"ok": true, "tenantId": ...}
  GET    /_fake/tenant                  the tenant as a fixture document
  PUT    /_fake/tenant                  replace it (body: a fixture document)
  GET    /_fake/objects/{id}            {"object": {...} | null, "mailbox": {...} | null}
  PATCH  /_fake/objects/{id}            merge into the object / its mailbox (see Store.patch_object)
  GET    /_fake/config                  the configuration
  PUT    /_fake/config                  merge keys into it; DELETE: back to the defaults
  GET    /_fake/faults                  the active faults
  POST   /_fake/faults                  add one fault or a list; DELETE: clear them all
  GET    /_fake/stats                   request counts; DELETE: reset them
  GET    /_fake/requests                every request with its times; DELETE: forget them
  GET    /_fake/tokens                  the issued access tokens; DELETE: revoke all
  POST   /_fake/tokens/expire           make every issued token expired
"""

import copy
import json
import re
import threading

from schema import BY_SET
from store import TenantError
from web import PLAIN_JSON_CT, Response

DEFAULT_CONFIG = {
    "page_size": {"graph": None, "exo": 1000},  # graph None: $top, else Graph's default 100
    "token_lifetime": 3599,
    "batch_order": "shuffle",                   # shuffle | reverse | keep
    "secret_expired": False,                    # the token endpoint answers AADSTS7000222
    "delta_token_lifetime": 7 * 24 * 3600,      # directory delta links live seven days
    "exchange_role": True,                      # false: InvokeCommand answers 401 "User is not
                                                # allowed to call <cmdlet>" (no Exchange role)
    "soa_shape": "flat",                        # onPremisesSyncBehavior replies: flat, or
                                                # "value" (wrapped, as Microsoft documents it)
    "seed": None,                               # a number: the random draws (fault shares,
                                                # batch shuffles) start again from it
    "latency_ms": 0,                            # every Graph and Exchange reply goes out this
                                                # long after its request was read (a service's
                                                # own latency; not the token endpoint, not here)
}

MAX_LATENCY_MS = 60000      # a minute: past the clients' own timeouts, nothing to learn

FAULT_KINDS = ("200", "429", "503", "500", "504", "410", "401", "400", "404", "drop",
               "malformed", "entry")


class Config:
    """start: keys given when the server started (fakecloud.py --latency-ms); they are the
    defaults DELETE /_fake/config goes back to, so a test's reset keeps the server's setting."""

    def __init__(self, start=None):
        self._lock = threading.Lock()
        self._defaults = copy.deepcopy(DEFAULT_CONFIG)
        self._values = self._defaults
        self.update(start or {})
        self._defaults = copy.deepcopy(self._values)

    def get(self, key):
        with self._lock:
            return copy.deepcopy(self._values[key])

    def page_size(self, service):
        with self._lock:
            return self._values["page_size"].get(service)

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._values)

    def update(self, changes):
        """Merge known keys (page_size merges per service); refuse anything else whole."""
        if not isinstance(changes, dict):
            raise ValueError("the config must be a JSON object")
        for key, value in changes.items():
            if key not in DEFAULT_CONFIG:
                raise ValueError("unknown config key '%s'" % key)
            _check_config_value(key, value)
        with self._lock:
            for key, value in changes.items():
                if key == "page_size":
                    self._values["page_size"].update(value)
                else:
                    self._values[key] = value

    def reset(self):
        with self._lock:
            self._values = copy.deepcopy(self._defaults)


def _check_config_value(key, value):
    def positive(v):
        return isinstance(v, int) and not isinstance(v, bool) and v > 0

    if key == "page_size":
        if not (isinstance(value, dict) and set(value) <= {"graph", "exo"}
                and all(v is None or positive(v) for v in value.values())):
            raise ValueError("page_size: {\"graph\": N|null, \"exo\": N}")
    elif key in ("token_lifetime", "delta_token_lifetime") and not positive(value):
        raise ValueError("%s must be a positive integer" % key)
    elif key == "latency_ms" and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= MAX_LATENCY_MS):
        raise ValueError("latency_ms must be a whole number of milliseconds, 0 to %d"
                         % MAX_LATENCY_MS)
    elif key == "batch_order" and value not in ("shuffle", "reverse", "keep"):
        raise ValueError("batch_order: shuffle, reverse or keep")
    elif key in ("secret_expired", "exchange_role") and not isinstance(value, bool):
        raise ValueError("%s must be a boolean" % key)
    elif key == "soa_shape" and value not in ("flat", "value"):
        raise ValueError("soa_shape: flat or value")
    elif key == "seed" and value is not None and (isinstance(value, bool)
                                                  or not isinstance(value, int)):
        raise ValueError("seed must be a whole number or null")


class Fault:
    """One injected fault: which requests it hits and how often."""

    def __init__(self, fid, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault must be a JSON object")
        self.id = fid
        self.kind = str(spec.get("kind", ""))
        if self.kind not in FAULT_KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(FAULT_KINDS))
        self.path_text = spec.get("path")
        try:
            self.path = re.compile(self.path_text) if self.path_text else None
        except (re.error, TypeError) as err:
            raise ValueError("path is not a valid regular expression: %s" % err) from None
        self.method = (spec.get("method") or "").upper() or None
        self.share = spec.get("share")
        if self.share is not None and not (isinstance(self.share, (int, float))
                                           and 0 < self.share <= 1):
            raise ValueError("share must be a number in (0, 1]")
        # Without "share" a fault fires once by default; with it, until cleared or count runs out.
        self.count = spec.get("count", None if self.share is not None else 1)
        if self.count is not None and not (isinstance(self.count, int) and self.count > 0):
            raise ValueError("count must be a positive integer")
        # Seconds, whole or not: Retry-After: 1.5 is what some services send (RFC 9110
        # allows only whole seconds; a client should still not come back sooner).
        self.retry_after = spec.get("retry_after", 1)
        if isinstance(self.retry_after, bool) or not (
                isinstance(self.retry_after, (int, float)) and 0 <= self.retry_after < 1e6):
            raise ValueError("retry_after must be a number of seconds (1, 1.5)")
        self.batch = spec.get("batch")      # None: any request; True: only $batch items; False: not
        if self.batch not in (None, True, False):
            raise ValueError("batch must be true, false or absent")
        self._body_spec(spec)
        self._entry_spec(spec)
        self.fired = 0

    def _body_spec(self, spec):
        """The answer's body instead of the service's own error body: "body" a JSON value
        (an error shape taken from tests/data), or "text" a plain-text body (Exchange's
        throttling under load); "headers" adds or replaces response headers ("" takes one away)."""
        self.body = spec.get("body")
        self.text = spec.get("text")
        self.headers = spec.get("headers") or {}
        if self.body is not None and self.text is not None:
            raise ValueError("give body or text, not both")
        if self.text is not None and not isinstance(self.text, str):
            raise ValueError("text must be a string")
        if not (isinstance(self.headers, dict)
                and all(isinstance(k, str) and isinstance(v, str)
                        for k, v in self.headers.items())):
            raise ValueError("headers must map names to strings")
        if (self.body is not None or self.text is not None or self.headers) and \
                not self.kind.isdigit():
            raise ValueError("body, text and headers go with a status kind")
        if self.kind == "200" and self.body is None and self.text is None:
            raise ValueError("a 200 fault needs a body (or text): the reply served instead")

    def _entry_spec(self, spec):
        """kind "entry": the real answer, with one entry of its "value" array altered (a
        member without an id, an id that is a number, ...)."""
        self.index = spec.get("index", 0)
        self.set = spec.get("set", {})
        self.unset = spec.get("unset", [])
        if self.kind != "entry":
            return
        if not (isinstance(self.index, int) and not isinstance(self.index, bool)
                and self.index >= 0):
            raise ValueError("index must be a whole number")
        if not isinstance(self.set, dict):
            raise ValueError("set must be a JSON object (keys to give the entry)")
        if not (isinstance(self.unset, list) and all(isinstance(k, str) for k in self.unset)):
            raise ValueError("unset must be a list of keys to take from the entry")
        if not self.set and not self.unset:
            raise ValueError("an entry fault needs set or unset")

    def alter_entry(self, resp):
        """The answer with value[index] altered; an answer without that entry as it is."""
        obj = resp.obj
        if not (isinstance(obj, dict) and isinstance(obj.get("value"), list)
                and self.index < len(obj["value"]) and isinstance(obj["value"][self.index], dict)):
            return resp
        entry = obj["value"][self.index]
        for key in self.unset:
            entry.pop(key, None)
        entry.update(copy.deepcopy(self.set))
        return resp

    def matches(self, req):
        if self.kind == "drop" and req.in_batch:
            return False            # a $batch item cannot lose its connection on its own
        if self.batch is not None and self.batch != req.in_batch:
            return False
        if self.method and self.method != req.method:
            return False
        return self.path is None or self.path.search(req.path) is not None

    def describe(self):
        out = {"id": self.id, "kind": self.kind, "path": self.path_text, "method": self.method,
               "share": self.share, "count_left": self.count, "retry_after": self.retry_after,
               "batch": self.batch, "fired": self.fired}
        for key in ("body", "text"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.headers:
            out["headers"] = self.headers
        if self.kind == "entry":
            out.update({"index": self.index, "set": self.set, "unset": self.unset})
        return out


class Faults:
    def __init__(self, rng):
        self._lock = threading.Lock()
        self._faults = []
        self._next_id = 1
        self._rng = rng

    def add(self, specs):
        specs = specs if isinstance(specs, list) else [specs]
        with self._lock:
            made = []
            for spec in specs:
                made.append(Fault(self._next_id + len(made), spec))
            self._next_id += len(made)
            self._faults.extend(made)
            return [f.describe() for f in made]

    def take(self, req):
        """The first fault that fires for this request, used up by one; None if none does."""
        with self._lock:
            for fault in self._faults:
                if not fault.matches(req):
                    continue
                if fault.share is not None and self._rng.random() >= fault.share:
                    continue
                fault.fired += 1
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                return fault
            return None

    def listing(self):
        with self._lock:
            return [f.describe() for f in self._faults]

    def clear(self):
        with self._lock:
            self._faults = []


class Stats:
    """Counts per endpoint (ids replaced by {id}) and status: what the client actually sent.
    token_scopes: the scope of every token request, by status (which audience a client asked
    for, national clouds included).  exchange: the InvokeCommand requests, how many carried a
    $select and a Prefer header (each value counted), and the bytes of body sent back."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._data = {"requests": {}, "batch_items": {}, "cmdlets": {}, "token_scopes": {},
                          "exchange": _exchange_stats()}

    def record(self, section, key, status):
        with self._lock:
            per = self._data[section].setdefault(key, {})
            per[str(status)] = per.get(str(status), 0) + 1

    def record_exchange(self, select, prefer, nbytes):
        with self._lock:
            ex = self._data["exchange"]
            ex["requests"] += 1
            ex["bytes"] += nbytes
            for value, count_key, values_key in ((select, "with_select", "selects"),
                                                 (prefer, "with_prefer", "prefers")):
                if value is not None:
                    ex[count_key] += 1
                    ex[values_key][value] = ex[values_key].get(value, 0) + 1

    def snapshot(self):
        with self._lock:
            return copy.deepcopy(self._data)


class RequestLog:
    """Every request in the order it came, with when it arrived and was answered (seconds
    on the server's monotonic clock), its client-request-id, status and the Retry-After it
    was told: what a test needs to tell whether a client came back sooner than told.
    $batch items are entries of their own, \"batch\" naming the seq of their $batch and
    \"answered\" its answer (the client sees an item's status only then)."""

    MAX = 200000        # entries kept; past it they are counted in "dropped"

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._entries, self._dropped, self._seq = [], 0, 0

    def record(self, req, resp, arrived, answered, items=()):
        """The entry of req (and of its $batch items, entries made by item_entry)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
            entries = [_log_entry(seq, req, resp, arrived, answered)]
            for item in items:
                self._seq += 1
                item.update({"seq": self._seq, "batch": seq, "answered": round(answered, 6)})
                entries.append(item)
            for entry in entries:
                if len(self._entries) < self.MAX:
                    self._entries.append(entry)
                else:
                    self._dropped += 1

    def snapshot(self):
        with self._lock:
            return {"requests": copy.deepcopy(self._entries), "dropped": self._dropped}


def item_entry(sub, resp, arrived):
    """The entry of one $batch item, completed by RequestLog.record with its batch."""
    return _log_entry(None, sub, resp, arrived, None)


def _log_entry(seq, req, resp, arrived, answered):
    retry_after = None
    for name, value in resp.headers.items():
        if name.lower() == "retry-after":
            retry_after = value
    return {"seq": seq, "method": req.method, "path": req.path,
            "key": "%s %s" % (req.method, normalise(req.segments)),
            "client_request_id": req.client_request_id,
            "status": "drop" if resp.drop else resp.status, "retry_after": retry_after,
            "arrived": round(arrived, 6), "answered": None if answered is None
            else round(answered, 6), "batch": None}


def _exchange_stats():
    return {"requests": 0, "with_select": 0, "with_prefer": 0, "bytes": 0, "selects": {},
            "prefers": {}}


def normalise(segments):
    """'GET /v1.0/users/abc/manager' -> '/v1.0/users/{id}/manager': ids, tenants and skip tokens
    would make every key unique."""
    segs = list(segments)
    if segs and segs[0] in ("v1.0", "beta"):
        for i in range(2, len(segs)):
            if segs[i - 1] in BY_SET and segs[i] != "delta":
                segs[i] = "{id}"
    elif len(segs) >= 3 and segs[0] == "adminapi":
        segs[2] = "{tenant}"
    elif len(segs) >= 2 and segs[1] in ("oauth2", "v2.0", "discovery"):
        segs[0] = "{tenant}"
    return "/" + "/".join(segs)


# -- the routes -----------------------------------------------------------------------------------

def _ok(obj, status=200):
    return Response(status, obj, content_type=PLAIN_JSON_CT)


def _fail(status, message):
    return Response(status, {"error": message}, content_type=PLAIN_JSON_CT)


def handle(app, req):
    segs = req.segments[1:]
    try:
        body = json.loads(req.body.decode("utf-8")) if req.body else None
    except (UnicodeDecodeError, ValueError) as err:
        return _fail(400, "the body is not JSON: %s" % err)
    route = (req.method, segs[0] if segs else "")
    try:
        if route == ("GET", "health"):
            return _ok({"ok": True, "tenantId": app.store.tenant_id})
        if segs[:1] == ["tenant"] and len(segs) == 1:
            return _tenant(app, req, body)
        if segs[:1] == ["objects"] and len(segs) == 2:
            return _objects(app, req, segs[1], body)
        if segs[:1] == ["config"] and len(segs) == 1:
            return _config(app, req, body)
        if segs[:1] == ["faults"] and len(segs) == 1:
            return _faults(app, req, body)
        if segs[:1] == ["stats"] and len(segs) == 1:
            return _stats(app, req)
        if segs[:1] == ["requests"] and len(segs) == 1:
            return _requests(app, req)
        if segs[:1] == ["tokens"]:
            return _tokens(app, req, segs[1:])
    except (TenantError, ValueError) as err:
        return _fail(400, str(err))
    return _fail(404, "no admin route %s %s" % (req.method, req.path))


def _tenant(app, req, body):
    if req.method == "GET":
        return _ok(app.store.snapshot())
    if req.method == "PUT":
        app.store.replace(body)
        return _ok({"ok": True, "tenantId": app.store.tenant_id})
    return _fail(405, "GET or PUT")


def _objects(app, req, oid, body):
    store = app.store
    if req.method == "GET":
        with store.lock:
            obj = store.find(oid)
            return _ok({"object": copy.deepcopy(obj.data) if obj else None,
                        "mailbox": copy.deepcopy(store.mailboxes.get(oid.lower()))})
    if req.method == "PATCH":
        try:
            return _ok({"result": store.patch_object(oid, body)})
        except KeyError:
            return _fail(404, "no object or mailbox '%s' (give \"_type\" to create one)" % oid)
    return _fail(405, "GET or PATCH")


def _config(app, req, body):
    if req.method == "PUT":
        app.config.update(body)
        if isinstance(body, dict) and body.get("seed") is not None:
            app.rng.seed(body["seed"])      # the same draws again: a reproducible run
    elif req.method == "DELETE":
        app.config.reset()
    elif req.method != "GET":
        return _fail(405, "GET, PUT or DELETE")
    return _ok(app.config.snapshot())


def _faults(app, req, body):
    if req.method == "POST":
        return _ok({"faults": app.faults.add(body)})
    if req.method == "DELETE":
        app.faults.clear()
    elif req.method != "GET":
        return _fail(405, "GET, POST or DELETE")
    return _ok({"faults": app.faults.listing()})


def _stats(app, req):
    if req.method == "DELETE":
        app.stats.reset()
    elif req.method != "GET":
        return _fail(405, "GET or DELETE")
    return _ok(app.stats.snapshot())


def _requests(app, req):
    if req.method == "DELETE":
        app.reqlog.reset()
    elif req.method != "GET":
        return _fail(405, "GET or DELETE")
    return _ok(app.reqlog.snapshot())


def _tokens(app, req, rest):
    if rest == ["expire"] and req.method == "POST":
        app.tokens.expire_all()
    elif rest == [] and req.method == "DELETE":
        app.tokens.clear()
    elif not (rest == [] and req.method == "GET"):
        return _fail(405, "GET or DELETE /_fake/tokens, POST /_fake/tokens/expire")
    return _ok({"tokens": app.tokens.listing()})


def shuffle(rng, order, items):
    """$batch responses come in any order; never let a client rely on the request order."""
    if order == "reverse":
        return list(reversed(items))
    if order == "shuffle":
        items = list(items)
        rng.shuffle(items)
    return items

