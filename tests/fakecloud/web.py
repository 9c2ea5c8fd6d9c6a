"""Plumbing shared by the services: the request and response the handlers see, the error they
raise, the Graph error body, and signed opaque tokens for $skiptoken and $deltatoken.

Handlers never touch sockets: they take a Request and return a Response whose body is still a
Python object, so that $batch can run a sub-request through the same code and embed its body.
"""

import base64
import datetime
import hashlib
import hmac
import json
import secrets
import uuid
from urllib.parse import parse_qsl, unquote, urlsplit

GRAPH_CT = ("application/json;odata.metadata=minimal;odata.streaming=true;"
            "IEEE754Compatible=false;charset=utf-8")
PLAIN_JSON_CT = "application/json; charset=utf-8"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def iso_now():
    """Graph's innerError.date: ISO 8601, seconds, UTC."""
    return utc_now().strftime("%Y-%m-%dT%H:%M:%S")


class ServiceError(Exception):
    """A failure the service reports in its own error body (Graph, EXO or the token endpoint
    each render it their way)."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = dict(headers or {})


class Request:
    """One HTTP request (or one $batch item) as the handlers see it."""

    def __init__(self, method, target, headers, body, base_url, in_batch=False):
        split = urlsplit(target)
        self.method = method.upper()
        self.target = target
        self.path = split.path
        self.segments = [unquote(s) for s in split.path.split("/") if s]
        self.query_string = split.query
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.body = body or b""
        self.base_url = base_url
        self.in_batch = in_batch
        self.request_id = str(uuid.uuid4())
        self.client_request_id = self.headers.get("client-request-id")
        self.query, self.duplicate_options = _parse_query(split.query)

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def json(self, error):
        """The body as a JSON object, or raise `error` (a ServiceError the caller chose)."""
        try:
            doc = json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, ValueError):
            raise error from None
        if not isinstance(doc, dict):
            raise error
        return doc


def _parse_query(query):
    """Query options by name.  Graph refuses an option given twice, so remember those."""
    options, duplicates = {}, []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key.startswith("$"):
            key = key.lower()           # $Select and $select are the same option to Graph
        if key in options:
            duplicates.append(key)
        options[key] = value
    return options, duplicates


class Response:
    """Status, headers and a JSON-able body (None: no body).  drop=True: close the connection
    without answering."""

    def __init__(self, status, obj=None, headers=None, content_type=GRAPH_CT, drop=False,
                 raw=None):
        self.status = status
        self.obj = obj
        self.headers = dict(headers or {})
        self.content_type = content_type
        self.drop = drop
        self.raw = raw          # bytes sent as they are (a malformed body), instead of obj

    def body_bytes(self):
        if self.raw is not None:
            return self.raw
        if self.obj is None:
            return b""
        return json.dumps(self.obj, separators=(",", ":")).encode("utf-8")


def graph_error_body(req, code, message):
    """Graph's error shape; every error carries innerError with the ids support asks for."""
    inner = {"date": iso_now(), "request-id": req.request_id,
             "client-request-id": req.client_request_id or req.request_id}
    return {"error": {"code": code, "message": message, "innerError": inner}}


def graph_error(req, err):
    return Response(err.status, graph_error_body(req, err.code, err.message), err.headers)


def new_guid():
    return str(uuid.uuid4())


class Signer:
    """Opaque, tamper-evident tokens: base64url(JSON || HMAC).  Clients must pass them back
    verbatim; an edited token is refused as the services refuse it."""

    def __init__(self):
        self._key = secrets.token_bytes(32)

    def encode(self, obj):
        raw = json.dumps(obj, separators=(",", ":")).encode("utf-8")
        mac = hmac.new(self._key, raw, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(raw + mac).decode("ascii").rstrip("=")

    def decode(self, token):
        """The object, or None for anything this server did not issue."""
        try:
            blob = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (ValueError, TypeError):
            return None
        raw, mac = blob[:-16], blob[-16:]
        good = hmac.new(self._key, raw, hashlib.sha256).digest()[:16]
        if len(blob) <= 16 or not hmac.compare_digest(mac, good):
            return None
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:
            return None
