#!/usr/bin/python3
"""fakecloud.py: the fake cloud's HTTPS server.  One listener on 127.0.0.1 serves the identity
platform's token endpoint, Microsoft Graph (/v1.0, /beta), Exchange Online's admin API
(/adminapi/beta/{tenant}/InvokeCommand) and the test-only admin API (/_fake/).

    /usr/bin/python3 fakecloud.py --tenant FILE --cert PEM --key KEY [--port N] [--port-fallback]
                                  [--port-file FILE] [--quiet] [--latency-ms N]

Normally started by the `fakecloud` launcher next to this file.  Tests may instead build an App
and call make_server() to run it in-process.  Standard library only.
"""

import argparse
import errno
import json
import os
import random
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import admin      # noqa: E402  (the sibling modules need the path above)
import delta      # noqa: E402
import exo        # noqa: E402
import graph      # noqa: E402
import identity   # noqa: E402
from schema import BY_SET  # noqa: E402
from store import Store, TenantError  # noqa: E402
from web import (GRAPH_CT, PLAIN_JSON_CT, Request, Response, ServiceError,  # noqa: E402
                 Signer, graph_error, graph_error_body)

MAX_BODY = 16 * 1024 * 1024             # a request to the services
# The admin API takes whole tenants (PUT /_fake/tenant): 20,000 users with mailboxes are some
# 35 MB, 100,000 some 175 MB.  It is test-only and listens on loopback.
MAX_ADMIN_BODY = 1024 * 1024 * 1024
READ_CHUNK = 1024 * 1024

# What an injected fault answers, per status: Graph's code and message.
FAULT_TEXT = {
    429: ("TooManyRequests", "Too many requests. Retry after the number of seconds in "
                             "Retry-After."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable. Retry later."),
    500: ("InternalServerError", "An internal server error occurred."),
    504: ("GatewayTimeout", "The gateway did not receive a timely response."),
    410: ("resyncRequired", "Resync required. Replace any local cached copies of the directory "
                            "objects with the values returned by a new delta query."),
    401: ("InvalidAuthenticationToken", "Access token has expired or is not yet valid."),
    400: ("BadRequest", "The request is not valid."),
    404: ("NotFound", "The requested resource was not found."),
}


def service_of(req):
    """Which service a path belongs to; they all share one host, as the agent's config allows."""
    segs = req.segments
    if segs and segs[0] in ("v1.0", "beta"):
        return "graph"
    if segs and segs[0] == "adminapi":
        return "exo"
    if len(segs) >= 2 and segs[1] in ("oauth2", "v2.0", "discovery"):
        return "login"
    return None


def fault_response(req, service, fault):
    """The answer an injected fault gives, in the body format of the service it hits."""
    if fault.kind == "drop":
        return Response(0, drop=True)
    if fault.kind == "malformed":
        # A 200 whose JSON body is cut short, as a broken proxy or a torn connection leaves it.
        return Response(200, raw=b'{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata'
                                 b'#users","value":[{"id":"')
    status = int(fault.kind)
    if status == 200:                   # a reply of the test's own instead of the real one
        resp = Response(200, {})
    else:
        code, message = FAULT_TEXT[status]
        resp = _service_fault(req, service, fault, status, code, message)
    for name, value in fault.headers.items():     # "" takes a header away
        for have in [h for h in resp.headers if h.lower() == name.lower()]:
            del resp.headers[have]
        if value:
            resp.headers[name] = value
    if fault.body is not None:          # a shape of its own (from tests/data)
        resp.obj = fault.body
        resp.content_type = GRAPH_CT if service in ("graph", "exo") else PLAIN_JSON_CT
    elif fault.text is not None:        # plain text, as Exchange answers under load
        resp.obj, resp.raw = None, fault.text.encode("utf-8")
        resp.content_type = "text/plain; charset=utf-8"
    return resp


def _service_fault(req, service, fault, status, code, message):
    """The service's own error body for an injected status."""
    headers = {}
    if status in (429, 503):
        headers["Retry-After"] = str(fault.retry_after)
    if status == 410 and "delta" in req.segments:
        headers["Location"] = delta.restart_location(req)
    if status == 401:
        aud = identity.EXO_AUD if service == "exo" else identity.GRAPH_AUD
        headers["WWW-Authenticate"] = identity.WWW_AUTHENTICATE[aud]
    if service == "login":
        err = identity.TokenError(status, "temporarily_unavailable", 90033,
                                  "A transient error has occurred. Please try again.", headers)
        return identity.token_error_response(req, err)
    if status == 404 and service == "graph":
        # Graph's own words for an object gone: naming it ('manager' for a navigation).
        code, message = "Request_ResourceNotFound", graph.not_found(_object_of(req)).message
    err = ServiceError(status, code, message, headers)
    return exo.error_response(err) if service == "exo" else graph_error(req, err)


def _object_of(req):
    """The id a Graph path names (/v1.0/groups/{id}/members: the group's), else its last
    segment."""
    segs = req.segments
    for i in range(2, len(segs)):
        if segs[i - 1] in BY_SET and segs[i] != "delta":
            return segs[i]
    return segs[-1] if segs else ""


class App:
    """All the state of one fake cloud, and the request dispatcher."""

    def __init__(self, doc, log=None, config=None):
        self.store = Store(doc)
        self.tokens = identity.Tokens()
        self.config = admin.Config(config)
        self.rng = random.Random()
        self.faults = admin.Faults(self.rng)
        self.stats = admin.Stats()
        self.reqlog = admin.RequestLog()
        self.signer = Signer()
        self.exo_results = exo.ResultCache()
        self.log = log or (lambda line: None)

    def handle(self, req):
        if req.segments[:1] == ["_fake"]:
            return admin.handle(self, req)      # not counted, never faulted
        arrived = time.monotonic()
        req.log_items = []                      # its $batch items' entries
        service = service_of(req)
        fault = self.faults.take(req)
        if fault is not None and fault.kind == "entry":
            resp = fault.alter_entry(self._guarded(req, lambda: self._dispatch(service, req)))
        else:
            resp = (fault_response(req, service, fault) if fault is not None
                    else self._guarded(req, lambda: self._dispatch(service, req)))
        key = "%s %s" % (req.method, admin.normalise(req.segments))
        self.stats.record("requests", key, "drop" if resp.drop else resp.status)
        if getattr(req, "cmdlet", None):
            self.stats.record("cmdlets", req.cmdlet, resp.status)
        if getattr(req, "scope", None) is not None:
            self.stats.record("token_scopes", req.scope, resp.status)
        if service == "exo":
            self.stats.record_exchange(req.query.get("$select"), req.header("Prefer"),
                                       0 if resp.drop else len(resp.body_bytes()))
        self.reqlog.record(req, resp, arrived, time.monotonic(), req.log_items)
        return resp

    def _dispatch(self, service, req):
        if service == "graph":
            return graph.handle(self, req)
        if service == "exo":
            return exo.handle(self, req)
        if service == "login":
            return identity.handle_login(self, req)
        return Response(404, {"error": {"code": "NotFound",
                                        "message": "No service at '%s'." % req.path}},
                        content_type=PLAIN_JSON_CT)

    def _guarded(self, req, run):
        """A bug in the fake answers 500 (and logs the traceback) instead of hanging a client."""
        try:
            return run()
        except ServiceError as err:
            return graph_error(req, err)
        except Exception:       # noqa: BLE001 - deliberately everything
            self.log("fakecloud: internal error\n" + traceback.format_exc())
            return Response(500, graph_error_body(req, "InternalServerError",
                                                  "fakecloud bug; see the server log"))

    def serve_batch_item(self, sub, run):
        """One $batch item: it can draw its own fault (a 429 item inside a 200 batch)."""
        arrived = time.monotonic()
        fault = self.faults.take(sub)
        if fault is not None and fault.kind == "entry":
            resp = fault.alter_entry(self._guarded(sub, run))
        else:
            resp = (fault_response(sub, "graph", fault) if fault is not None
                    else self._guarded(sub, run))
        key = "%s %s" % (sub.method, admin.normalise(sub.segments))
        self.stats.record("batch_items", key, resp.status)
        outer = getattr(sub, "outer", None)
        if outer is not None and hasattr(outer, "log_items"):
            outer.log_items.append(admin.item_entry(sub, resp, arrived))
        return resp

    def batch_order(self, items):
        return admin.shuffle(self.rng, self.config.get("batch_order"), items)


def _hold(app, req, read):
    """Wait out the configured service latency, counted from when the request was read: the
    time the services take to answer.  Each connection has its own thread, so this holds up
    only its own client.  The token endpoint and /_fake/ answer at once."""
    latency_ms = app.config.get("latency_ms")
    if latency_ms and service_of(req) in ("graph", "exo"):
        left = read + latency_ms / 1000.0 - time.monotonic()
        if left > 0:
            time.sleep(left)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive, as libcurl expects
    server_version = "fakecloud/1"
    sys_version = ""
    timeout = 120                       # an idle keep-alive connection frees its thread

    def setup(self):
        super().setup()
        # No Nagle: a reply's last segment would otherwise wait for the client's delayed ACK
        # of the one before (some 40 ms on Linux) whenever a reply takes two writes.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # The listening socket defers the TLS handshake to this thread, so one slow or
        # broken client cannot stall accept() for everybody.
        self.connection.do_handshake()

    def do_GET(self):
        self._serve()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def _serve(self):
        started = time.monotonic()
        app = self.server.app
        try:
            body = self._read_body()
        except ValueError as err:
            self.close_connection = True
            self._send(None, Response(400, {"error": {"code": "BadRequest",
                                                      "message": str(err)}}))
            return
        read = time.monotonic()
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        req = Request(self.command, self.path, dict(self.headers.items()), body,
                      "https://" + host)
        resp = app.handle(req)
        _hold(app, req, read)
        if resp.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        else:
            self._send(req, resp)
        app.log("%s %s %s %s rid=%s %.1fms" % (
            time.strftime("%Y-%m-%dT%H:%M:%S"), self.command, self.path,
            "drop" if resp.drop else resp.status, req.request_id,
            (time.monotonic() - started) * 1000))

    def _max_body(self):
        return MAX_ADMIN_BODY if self.path.startswith("/_fake/") else MAX_BODY

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        if not length.isdigit() or int(length) > self._max_body():
            raise ValueError("Content-Length is not acceptable (at most %d bytes)."
                             % self._max_body())
        return self._read_exactly(int(length))

    def _read_exactly(self, length):
        """length bytes, read a chunk at a time: one read of a large body would ask the TLS
        layer for it all at once."""
        data = bytearray()
        while len(data) < length:
            chunk = self.rfile.read(min(READ_CHUNK, length - len(data)))
            if not chunk:
                raise ValueError("The request body ended after %d of %d bytes."
                                 % (len(data), length))
            data += chunk
        return bytes(data)

    def _read_chunked(self):
        data = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass                    # trailers
                return bytes(data)
            if len(data) + size > self._max_body():
                raise ValueError("The request body is too large (at most %d bytes)."
                                 % self._max_body())
            data += self._read_exactly(size)
            self.rfile.readline()

    def _send(self, req, resp):
        data = resp.body_bytes()
        self.send_response(resp.status)
        if resp.obj is not None or resp.raw is not None:
            self.send_header("Content-Type", resp.content_type)
        if resp.status not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        if req is not None:
            self.send_header("request-id", req.request_id)
            self.send_header("client-request-id", req.client_request_id or req.request_id)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        # Headers and body in one write (one TLS record, one sendall), not end_headers() and
        # then the body: a reply in two small writes is what Nagle and delayed ACK stall.
        # (http.server keeps the headers in _headers_buffer; an HTTP/0.9 reply has none.)
        head = b""
        if getattr(self, "_headers_buffer", None) is not None:
            self._headers_buffer.append(b"\r\n")
            head = b"".join(self._headers_buffer)
            self._headers_buffer = []
        self.wfile.write(head + data)

    def send_error(self, code, message=None, explain=None):
        """http.server's own errors (bad request line, unsupported method) as JSON too: the
        services never answer with HTML."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        self._send(None, Response(code, {"error": {"code": "BadRequest" if code < 500
                                                    else "NotImplemented", "message": text}}))

    def log_request(self, code="-", size="-"):
        pass                                # _serve writes one access line per request

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        self.server.app.log("%s %s" % (self.address_string(), fmt % args))


class FakeCloudServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, app, context):
        self.app = app
        super().__init__(address, Handler)
        self.socket = context.wrap_socket(self.socket, server_side=True,
                                          do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        # Handshake failures and resets are the client's business: one line, no traceback.
        err = sys.exc_info()[1]
        self.app.log("connection from %s:%d: %s: %s" % (client_address[0], client_address[1],
                                                        type(err).__name__, err))


def make_server(app, port, cert, key, port_fallback=False):
    """Bind 127.0.0.1:port (0: any free port) with TLS.  port_fallback: if the port is taken,
    take any free one instead (the caller reads the real port from server_address)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    try:
        return FakeCloudServer(("127.0.0.1", port), app, context)
    except OSError as err:
        if not (port_fallback and err.errno == errno.EADDRINUSE):
            raise
        return FakeCloudServer(("127.0.0.1", 0), app, context)


def load_tenant(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _stderr_log(line):
    sys.stderr.write(line.rstrip("\n") + "\n")
    sys.stderr.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description="the fake cloud server (see the fakecloud "
                                                 "launcher)")
    parser.add_argument("--tenant", required=True, help="tenant fixture (JSON)")
    parser.add_argument("--cert", required=True, help="server certificate (PEM)")
    parser.add_argument("--key", required=True, help="server key (PEM)")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--port-fallback", action="store_true",
                        help="if --port is taken, listen on any free port")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--quiet", action="store_true", help="no access log")
    parser.add_argument("--latency-ms", type=int, default=0,
                        help="answer Graph and Exchange this long after each request")
    args = parser.parse_args(argv)
    try:
        admin.Config({"latency_ms": args.latency_ms})
    except ValueError as err:
        print("fakecloud: --latency-ms: %s" % err, file=sys.stderr)
        return 2
    try:
        app = App(load_tenant(args.tenant), log=None if args.quiet else _stderr_log,
                  config={"latency_ms": args.latency_ms})
    except (OSError, ValueError, TenantError) as err:
        print("fakecloud: %s: %s" % (args.tenant, err), file=sys.stderr)
        return 2
    if args.quiet:
        app.log = lambda line: _stderr_log(line) if "internal error" in line else None
    try:
        server = make_server(app, args.port, args.cert, args.key, args.port_fallback)
    except (OSError, ssl.SSLError) as err:
        print("fakecloud: cannot listen on 127.0.0.1:%d: %s" % (args.port, err), file=sys.stderr)
        return 1
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as fh:
            fh.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _stderr_log("fakecloud: pid %d serving https://127.0.0.1:%d tenant %s"
                % (os.getpid(), port, app.store.tenant_id))
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    _stderr_log("fakecloud: stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
