"""The Microsoft identity platform as a client-credentials app sees it: the v2.0 token endpoint,
the OpenID metadata, and the bearer check Graph and Exchange Online run on every request.

Tokens are JWT-shaped (header.claims.signature, so they look like the real ones in a log) but
the signature is random: the server remembers each token with its audience and expiry, and
clients must treat them as opaque.  The audience comes from the scope, never from the host:
the agent points login, Graph and Exchange at the same URL here.
"""

import base64
import json
import secrets
import threading
import time
from urllib.parse import parse_qsl

from web import PLAIN_JSON_CT, Response, ServiceError, new_guid, utc_now

GRAPH_AUD = "https://graph.microsoft.com"
EXO_AUD = "https://outlook.office365.com"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
EXO_APP_ID = "00000002-0000-0ff1-ce00-000000000000"

# Resource identifiers a client may put before "/.default", and the audience each one gets.
# The national clouds' Graph and Exchange (https://learn.microsoft.com/graph/deployments and the
# Microsoft 365 endpoint lists for GCC High, DoD and 21Vianet) get the same audiences: the fake
# serves one Graph and one Exchange whatever the cloud, and records the scope each token request
# asked for (stats "token_scopes") so that a test can check which cloud a client chose.
RESOURCES = {
    "https://graph.microsoft.com": GRAPH_AUD,
    GRAPH_APP_ID: GRAPH_AUD,
    "https://outlook.office365.com": EXO_AUD,
    "https://outlook.office.com": EXO_AUD,
    EXO_APP_ID: EXO_AUD,
    "https://graph.microsoft.us": GRAPH_AUD,                # usgov (GCC High)
    "https://dod-graph.microsoft.us": GRAPH_AUD,            # usgov-dod
    "https://microsoftgraph.chinacloudapi.cn": GRAPH_AUD,   # china (21Vianet)
    "https://outlook.office365.us": EXO_AUD,
    "https://webmail.apps.mil": EXO_AUD,
    "https://partner.outlook.cn": EXO_AUD,
}

WWW_AUTHENTICATE = {
    GRAPH_AUD: ('Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/'
                'oauth2/authorize", client_id="%s"' % GRAPH_APP_ID),
    EXO_AUD: ('Bearer client_id="%s", trusted_issuers="00000001-0000-0000-c000-000000000000@*", '
              'token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri='
              '"https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"'
              % EXO_APP_ID),
}

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class TokenError(Exception):
    """An error of the token endpoint: HTTP status, OAuth error and AADSTS number."""

    def __init__(self, status, error, aadsts, description, headers=None):
        super().__init__(description)
        self.status, self.error, self.aadsts = status, error, aadsts
        self.description = description
        self.headers = headers or {}


def token_error_response(req, err):
    """AAD's error body: the AADSTS code leads the description, ids and time follow."""
    trace, corr = new_guid(), req.client_request_id or new_guid()
    stamp = utc_now().strftime("%Y-%m-%d %H:%M:%SZ")
    description = "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (
        err.aadsts, err.description, trace, corr, stamp)
    body = {"error": err.error, "error_description": description, "error_codes": [err.aadsts],
            "timestamp": stamp, "trace_id": trace, "correlation_id": corr,
            "error_uri": "https://login.microsoftonline.com/error?code=%d" % err.aadsts}
    return Response(err.status, body, err.headers, content_type=PLAIN_JSON_CT)


class IssuedToken:
    def __init__(self, audience, tenant_id, client_id, expires):
        self.audience, self.tenant_id, self.client_id = audience, tenant_id, client_id
        self.issued = time.time()
        self.expires = expires


class Tokens:
    """Issued access tokens, remembered until an hour after they expire (so an expired token
    still gets "expired" rather than "unknown")."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def issue(self, audience, tenant_id, client_id, lifetime):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5t": "fakecloud", "kid": "fakecloud"}
        claims = {"aud": audience, "iss": "https://sts.windows.net/%s/" % tenant_id,
                  "iat": now, "nbf": now, "exp": now + lifetime, "appid": client_id,
                  "tid": tenant_id, "idtyp": "app", "roles": [], "uti": secrets.token_hex(8)}
        token = ".".join([_b64json(header), _b64json(claims), secrets.token_urlsafe(48)])
        with self._lock:
            self._prune(now)
            self._tokens[token] = IssuedToken(audience, tenant_id, client_id, now + lifetime)
        return token

    def _prune(self, now):
        for tok in [t for t, v in self._tokens.items() if v.expires + 3600 < now]:
            del self._tokens[tok]

    def lookup(self, token):
        with self._lock:
            return self._tokens.get(token)

    def listing(self):
        now = time.time()
        with self._lock:
            return [{"access_token": t, "audience": v.audience, "tenantId": v.tenant_id,
                     "expires_in": int(v.expires - now), "expired": v.expires <= now}
                    for t, v in self._tokens.items()]

    def expire_all(self):
        with self._lock:
            for v in self._tokens.values():
                v.expires = min(v.expires, time.time() - 1)

    def clear(self):
        with self._lock:
            self._tokens.clear()


def _b64json(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def check_bearer(app, req, audience):
    """Graph's and EXO's gate: a known, unexpired token for this audience and tenant."""
    def refuse(message):
        return ServiceError(401, "InvalidAuthenticationToken", message,
                            {"WWW-Authenticate": WWW_AUTHENTICATE[audience]})

    scheme, _, token = (req.header("Authorization") or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise refuse("Access token is empty.")
    issued = app.tokens.lookup(token)
    if issued is None:
        if token.count(".") != 2:
            raise refuse("IDX14100: JWT is not well formed, there are no dots (.).")
        raise refuse("Access token validation failure.")
    if issued.expires <= time.time():
        raise refuse("Access token has expired or is not yet valid.")
    if issued.audience != audience:
        raise refuse("Access token validation failure. Invalid audience.")
    if issued.tenant_id.lower() != app.store.tenant_id.lower():
        raise refuse("Access token validation failure. Invalid issuer.")
    return issued


# -- the token endpoint ---------------------------------------------------------------------------

def handle_login(app, req):
    """/{tenant}/oauth2/v2.0/token, /{tenant}/v2.0/.well-known/openid-configuration and
    /{tenant}/discovery/v2.0/keys."""
    segs = req.segments
    tenant, tail = segs[0], "/".join(segs[1:])
    try:
        if tail == "oauth2/v2.0/token":
            if req.method != "POST":
                raise TokenError(400, "invalid_request", 900561, "The endpoint only accepts POST "
                                 "requests. Received a %s request." % req.method)
            return _token(app, req, tenant)
        if tail == "v2.0/.well-known/openid-configuration" and req.method == "GET":
            return _openid_configuration(app, req, tenant)
        if tail == "discovery/v2.0/keys" and req.method == "GET":
            return Response(200, {"keys": []}, content_type=PLAIN_JSON_CT)
    except TokenError as err:
        return token_error_response(req, err)
    return Response(404, {"error": "not_found", "error_description": "No such endpoint."},
                    content_type=PLAIN_JSON_CT)


def _tenant_not_found(tenant):
    return TokenError(400, "invalid_request", 90002,
                      "Tenant '%s' not found. Check to make sure you have the correct tenant ID "
                      "and are signing into the correct cloud. Check with your subscription "
                      "administrator, this may happen if there are no active subscriptions for "
                      "the tenant." % tenant)


def _openid_configuration(app, req, tenant):
    if not app.store.knows_tenant(tenant):
        err = _tenant_not_found(tenant)
        err.error = "invalid_tenant"
        raise err
    tid, base = app.store.tenant_id, req.base_url
    doc = {
        "token_endpoint": "%s/%s/oauth2/v2.0/token" % (base, tid),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "jwks_uri": "%s/%s/discovery/v2.0/keys" % (base, tid),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": "https://login.microsoftonline.com/%s/v2.0" % tid,
        "request_uri_parameter_supported": False,
        "authorization_endpoint": "%s/%s/oauth2/v2.0/authorize" % (base, tid),
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
    }
    return Response(200, doc, content_type=PLAIN_JSON_CT)


def _form(req):
    """The form fields; a client may also authenticate with HTTP Basic (client_secret_basic)."""
    ctype = (req.header("Content-Type") or "").split(";")[0].strip().lower()
    fields = {}
    if ctype == "application/x-www-form-urlencoded":
        try:
            fields = dict(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            fields = {}
    scheme, _, cred = (req.header("Authorization") or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(cred).decode("utf-8").partition(":")
            fields.setdefault("client_id", user)
            fields.setdefault("client_secret", password)
        except (ValueError, UnicodeDecodeError):
            pass
    return fields


def _required(fields, name):
    if not fields.get(name):
        raise TokenError(400, "invalid_request", 900144, "The request body must contain the "
                         "following parameter: '%s'." % name)
    return fields[name]


def _token(app, req, tenant):
    store = app.store
    if not store.knows_tenant(tenant):
        raise _tenant_not_found(tenant)
    fields = _form(req)           # unknown fields (MSAL telemetry, x-client-SKU...) are ignored
    req.scope = fields.get("scope")               # for the stats
    grant = _required(fields, "grant_type")
    if grant != "client_credentials":
        raise TokenError(400, "unsupported_grant_type", 70003, "The app requested an unsupported "
                         "grant type '%s'." % grant)
    client_id = _required(fields, "client_id")
    if client_id.lower() != store.client_id.lower():
        raise TokenError(400, "unauthorized_client", 700016, "Application with identifier '%s' "
                         "was not found in the directory '%s'. This can happen if the "
                         "application has not been installed by the administrator of the tenant "
                         "or consented to by any user in the tenant. You may have sent your "
                         "authentication request to the wrong tenant." % (client_id,
                                                                          store.tenant_name))
    token_url = "%s/%s/oauth2/v2.0/token" % (req.base_url, tenant)
    _check_credential(app, fields, token_url)
    audience = _audience(_required(fields, "scope"))
    lifetime = int(app.config.get("token_lifetime"))
    token = app.tokens.issue(audience, store.tenant_id, store.client_id, lifetime)
    body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
            "access_token": token}
    return Response(200, body, {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"},
                    content_type=PLAIN_JSON_CT)


def _check_credential(app, fields, token_url):
    store = app.store
    if fields.get("client_assertion") or fields.get("client_assertion_type"):
        if fields.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
            raise TokenError(400, "invalid_request", 50027, "Invalid client_assertion_type.")
        import assertion      # only certificate logins need the JWT and RSA code
        problem = assertion.verify(fields.get("client_assertion", ""), store, token_url)
        if problem:
            raise TokenError(401, "invalid_client", problem[0], problem[1])
        return
    secret = fields.get("client_secret")
    if not secret:
        raise TokenError(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or "
                         "'request' is required for the 'client_credentials' grant type.")
    if app.config.get("secret_expired"):
        raise TokenError(401, "invalid_client", 7000222, "The provided client secret keys for app "
                         "'%s' are expired. Visit the Azure portal to create new keys for your "
                         "app." % store.client_id)
    if not secrets.compare_digest(secret.encode(), store.client_secret.encode()):
        raise TokenError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure "
                         "the secret being sent in the request is the client secret value, not "
                         "the client secret ID, for a secret added to app '%s'."
                         % store.client_id)


def _audience(scope):
    """client_credentials takes exactly one `<resource>/.default` scope."""
    scopes = scope.split()
    if len(scopes) == 1 and scopes[0].lower().endswith("/.default"):
        resource = scopes[0][:-len("/.default")].rstrip("/").lower()
        if resource in RESOURCES:
            return RESOURCES[resource]
        raise TokenError(400, "invalid_resource", 500011, "The resource principal named %s was "
                         "not found in the tenant. This can happen if the application has not "
                         "been installed by the administrator of the tenant." % resource)
    for s in scopes:
        base = s.rsplit("/", 1)[0].lower() if "/" in s else ""
        if base in RESOURCES and not s.lower().endswith("/.default"):
            raise TokenError(400, "invalid_scope", 1002012, "The provided value for scope %s is "
                             "not valid. Client credential flows must have a scope value with "
                             "/.default suffixed to the resource identifier (application ID URI)."
                             % s)
    raise TokenError(400, "invalid_scope", 70011, "The provided request must include a 'scope' "
                     "input parameter. The provided value for the input parameter 'scope' is not "
                     "valid. The scope %s is not valid." % scope)
