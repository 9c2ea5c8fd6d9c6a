"""Exchange Online's admin API (the REST endpoint behind ExchangeOnlineManagement v3):
POST /adminapi/beta/{tenant}/InvokeCommand with {"CmdletInput": {"CmdletName", "Parameters"}}.

Read cmdlets only (Get-Mailbox, Get-Recipient, Get-MailUser, Get-MailContact,
Get-DistributionGroup).  Results page through @odata.nextLink, which the client POSTs the same
body to; the token inside the link is bound to that body.  Like the real cmdlets, a missing
ResultSize means 1000 results at most (with a warning), and unset CustomAttributeN come back as
"" and ExtensionCustomAttributeN as [].  A mailbox carries Get-Mailbox's whole property set
(~250 properties, tests/data/exo/get-mailbox-full.json) unless the URL's $select names some;
`Prefer: odata.maxpagesize=N` sets the page size (at most the configured one).  Cmdlet failures
come as Exchange sends them: error.message "Error executing cmdlet", the reason in
error.details[].message as "code|exception type|text"; an app without an Exchange role
(config exchange_role false) gets 401 "User is not allowed to call <cmdlet>".  Every mailbox
carries WhenChangedUTC and WhenChanged, the time of its last change in the store, and -Filter
compares them with -eq -ne -ge -gt -le -lt (exodate.py: the forms served and taken).  See
reference/graph-exo-protocol.md section 6 and tests/data/exo/SOURCES.md.
"""

import hashlib
import json
import os
import re
import uuid
from urllib.parse import quote

import exodate
from identity import EXO_AUD, WWW_AUTHENTICATE, check_bearer
from web import GRAPH_CT, Response, ServiceError

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE_FILE = os.path.join(HERE, "..", "data", "exo", "get-mailbox-full.json")
MAX_PAGE = 1000                 # the most the admin API serves per page
ODATA_SERVICE_EXCEPTION = "Microsoft.Exchange.Admin.OData.Core.ODataServiceException"

DEFAULT_RESULT_SIZE = 1000
TASKS = "Microsoft.Exchange.Configuration.Tasks."
SERVER = "AM0PR01MB0001.eurprd01.prod.outlook.com"

MAILBOX_TYPES = ("UserMailbox", "SharedMailbox", "RoomMailbox", "EquipmentMailbox",
                 "SchedulingMailbox", "DiscoveryMailbox", "TeamMailbox", "LinkedMailbox",
                 "LegacyMailbox", "LinkedRoomMailbox")
MAILUSER_TYPES = ("MailUser", "GuestMailUser")
CONTACT_TYPES = ("MailContact",)
DG_TYPES = ("MailUniversalDistributionGroup", "MailUniversalSecurityGroup",
            "MailNonUniversalGroup", "RoomList")
ALL_TYPES = MAILBOX_TYPES + MAILUSER_TYPES + CONTACT_TYPES + DG_TYPES + ("GroupMailbox", "User")

# RecipientTypeDetails -> RecipientType, as Exchange derives it.
RECIPIENT_TYPE = dict(
    [(t, "UserMailbox") for t in MAILBOX_TYPES] + [(t, "MailUser") for t in MAILUSER_TYPES]
    + [(t, t) for t in ("MailContact", "MailUniversalDistributionGroup",
                        "MailUniversalSecurityGroup", "MailNonUniversalGroup", "User")]
    + [("GroupMailbox", "MailUniversalDistributionGroup"),
       ("RoomList", "MailUniversalDistributionGroup")])

COMMON_PARAMS = {"identity", "resultsize", "recipienttypedetails", "filter", "properties",
                 "propertysets", "erroraction", "warningaction", "anr"}


class Cmdlet:
    def __init__(self, name, types, entity, extra_params=()):
        self.name, self.types, self.entity = name, types, entity
        self.params = COMMON_PARAMS | set(extra_params)


CMDLETS = {c.name.lower(): c for c in (
    Cmdlet("Get-Mailbox", MAILBOX_TYPES, "Mailbox",
           ("softdeletedmailbox", "includeinactivemailbox", "inactivemailboxonly")),
    Cmdlet("Get-Recipient", ALL_TYPES, "Recipient",
           ("recipienttype", "includesoftdeletedrecipients")),
    Cmdlet("Get-MailUser", MAILUSER_TYPES, "MailUser", ("softdeletedmailuser",)),
    Cmdlet("Get-MailContact", CONTACT_TYPES, "MailContact"),
    Cmdlet("Get-DistributionGroup", DG_TYPES, "DistributionGroup"),
)}

# Properties -Filter may name.  IsExchangeCloudManaged is deliberately absent: the reference
# notes that filtering on it server-side is not dependable, so clients must filter themselves.
FILTERABLE = {p.lower(): p for p in (
    ["Alias", "DisplayName", "ExternalDirectoryObjectId", "Guid", "HiddenFromAddressListsEnabled",
     "IsDirSynced", "Name", "PrimarySmtpAddress", "RecipientTypeDetails", "RecipientType",
     "UserPrincipalName", "WindowsEmailAddress", "EmailAddresses", "WhenChanged",
     "WhenChangedUTC"]
    + ["CustomAttribute%d" % i for i in range(1, 16)])}
# Filterable properties that hold a date: compared as times, not as text.
DATE_PROPERTIES = {"WhenChanged", "WhenChangedUTC"}


class CmdletError(ServiceError):
    """A cmdlet's failure: the reason travels in error.details[].message."""

    def __init__(self, status, code, text, exception):
        super().__init__(status, code, text)
        self.exception = exception


class NotAllowed(ServiceError):
    """The app has no Exchange role for the cmdlet: a 401 that no new token cures."""

    def __init__(self, cmdlet):
        super().__init__(401, "Unauthorized", "User is not allowed to call %s" % cmdlet)


# Exchange's error ids before the exception type; the first is the one real replies show.
_EX_CODES = {"Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException":
             "Ex6F9304"}


def cmdlet_error(message, exception, code="BadRequest", status=400):
    """Cmdlet failures: the .NET exception type between bars, after Exchange's error id."""
    return CmdletError(status, code, message, exception)


def error_response(err):
    """The error body in Exchange's own shape (tests/data/exo/SOURCES.md)."""
    if isinstance(err, CmdletError):
        excode = _EX_CODES.get(err.exception) or (
            "Ex" + hashlib.sha1(err.exception.encode()).hexdigest()[:6].upper())
        body = {"error": {"code": err.code, "message": "Error executing cmdlet",
                          "details": [{"code": "Context", "target": "",
                                       "message": "%s|%s|%s" % (excode, err.exception,
                                                                err.message)}],
                          "innererror": {"message": "Error executing cmdlet",
                                         "type": ODATA_SERVICE_EXCEPTION}}}
    elif isinstance(err, NotAllowed):
        body = {"error": {"code": err.code, "message": err.message,
                          "innererror": {"message": err.message,
                                         "type": ODATA_SERVICE_EXCEPTION}}}
    else:
        body = {"error": {"code": err.code, "message": err.message}}
    return Response(err.status, body, err.headers, content_type=GRAPH_CT)


def handle(app, req):
    segs = req.segments
    try:
        if len(segs) != 4 or segs[1] != "beta" or segs[3].lower() != "invokecommand":
            raise ServiceError(404, "NotFound", "The requested resource was not found.")
        if req.method != "POST":
            raise ServiceError(405, "MethodNotAllowed", "The requested HTTP method is not "
                               "supported by this resource.")
        check_bearer(app, req, EXO_AUD)
        if not app.store.knows_tenant(segs[2]):
            raise ServiceError(401, "InvalidAuthenticationToken", "The token's tenant does not "
                               "match the tenant '%s' in the URL." % segs[2],
                               {"WWW-Authenticate": WWW_AUTHENTICATE[EXO_AUD]})
        return _invoke(app, req, segs[2])
    except ServiceError as err:
        return error_response(err)


def _invoke(app, req, tenant):
    doc = req.json(ServiceError(400, "BadRequest", "The request body must be a JSON object with "
                                "CmdletInput."))
    cmd_input = doc.get("CmdletInput")
    if not isinstance(cmd_input, dict) or not isinstance(cmd_input.get("CmdletName"), str):
        raise ServiceError(400, "BadRequest", "CmdletInput.CmdletName is required.")
    name = cmd_input["CmdletName"]
    params = cmd_input.get("Parameters") or {}
    if not isinstance(params, dict):
        raise ServiceError(400, "BadRequest", "CmdletInput.Parameters must be an object.")
    if not app.config.get("exchange_role"):
        req.cmdlet = name                        # for the stats
        raise NotAllowed(name)
    cmdlet = CMDLETS.get(name.lower())
    if cmdlet is None:
        raise cmdlet_error("The term '%s' is not recognized as the name of a cmdlet, function, "
                           "script file, or operable program." % name,
                           "System.Management.Automation.CommandNotFoundException")
    req.cmdlet = cmdlet.name                     # for the stats
    params = _check_params(cmdlet, params)
    with app.store.lock:
        results, warnings = app.exo_results.result(app, cmdlet, params)
        return _page(app, req, tenant, cmdlet, doc, results, warnings)


def _check_params(cmdlet, params):
    """Parameter names are case-insensitive; an unknown one fails binding, as in PowerShell."""
    out = {}
    for key, value in params.items():
        if key.lower() not in cmdlet.params:
            raise cmdlet_error("A parameter cannot be found that matches parameter name '%s'."
                               % key, "System.Management.Automation.ParameterBindingException")
        out[key.lower()] = value
    return out


class ResultCache:
    """What paging needs without redoing it per page: every mailbox rendered once per version
    of the store (store.seq moves with every change), and the last few results (one per cmdlet
    and parameters) of that version.  Without it each page rendered and filtered the whole
    tenant again: 60 ms a page at 2,000 mailboxes, 500 ms at 20,000.  Used under the store's
    lock, like everything that reads the store.  renders counts render() calls (the tests' way
    of seeing the work a page does)."""

    KEEP = 16

    def __init__(self):
        self.renders = 0
        self._version = None
        self._rendered = []
        self._results = {}

    def rendered(self, app):
        version = (id(app.store), app.store.seq)
        if version != self._version:
            self._rendered = [render(app, m) for m in app.store.mailbox_list()]
            self.renders += len(self._rendered)
            self._version, self._results = version, {}
        return self._rendered

    def result(self, app, cmdlet, params):
        """_run's answer, computed once per store version for the same cmdlet and params."""
        objs = self.rendered(app)
        key = (cmdlet.name, json.dumps(params, sort_keys=True, default=str))
        if key not in self._results:
            if len(self._results) >= self.KEEP:
                del self._results[next(iter(self._results))]
            self._results[key] = _run(app, cmdlet, params, objs)
        return self._results[key]


def _run(app, cmdlet, params, rendered):
    """The cmdlet's whole result, in a stable order, and its warnings."""
    types = _type_filter(cmdlet, params.get("recipienttypedetails"))
    objs = [o for o in rendered if o["RecipientTypeDetails"] in types]
    if params.get("filter"):
        pred = OPath(params["filter"]).parse()
        objs = [o for o in objs if pred(o)]
    if params.get("identity") is not None:
        return [_one(objs, str(params["identity"]))], []
    limit = _result_size(params.get("resultsize"))
    warnings = []
    if limit is not None and len(objs) > limit:
        objs = objs[:limit]
        if params.get("resultsize") is None:
            warnings.append("There are more results available than are currently displayed. To "
                            "view them, increase the value for the ResultSize parameter.")
    return objs, warnings


def _type_filter(cmdlet, wanted):
    if wanted is None:
        return set(cmdlet.types)
    wanted = [wanted] if isinstance(wanted, str) else wanted
    if not isinstance(wanted, list):
        wanted = [str(wanted)]
    canon = {t.lower(): t for t in ALL_TYPES}
    out = set()
    for item in wanted:
        for value in str(item).split(","):
            value = value.strip()
            if value.lower() not in canon:
                raise cmdlet_error("Cannot bind parameter 'RecipientTypeDetails'. Cannot convert "
                                   "value \"%s\" to type \"Microsoft.Exchange.Data.Directory."
                                   "Recipient.RecipientTypeDetails\"." % value,
                                   "System.Management.Automation.ParameterBindingException")
            out.add(canon[value.lower()])
    return out & set(cmdlet.types) if cmdlet.name != "Get-Recipient" else out


def _result_size(raw):
    if raw is None:
        return DEFAULT_RESULT_SIZE
    if str(raw).lower() == "unlimited":
        return None
    if re.fullmatch(r"\d+", str(raw)) and int(raw) > 0:
        return int(raw)
    raise cmdlet_error("Cannot bind parameter 'ResultSize'. Cannot convert value \"%s\" to type "
                       "\"Microsoft.Exchange.Data.Unlimited`1[System.UInt32]\"." % raw,
                       "System.Management.Automation.ParameterBindingException")


def _one(objs, identity):
    """-Identity resolves by object id, GUIDs, name, alias, addresses or UPN."""
    low = identity.lower()
    hits = [o for o in objs if low in _identities(o)]
    if not hits:
        raise cmdlet_error("The operation couldn't be performed because object '%s' couldn't be "
                           "found on '%s'." % (identity, SERVER),
                           TASKS + "ManagementObjectNotFoundException",
                           code="NotFound", status=404)
    if len(hits) > 1:
        raise cmdlet_error("The operation couldn't be performed because '%s' matches multiple "
                           "entries." % identity,
                           TASKS + "ManagementObjectAmbiguousException")
    return hits[0]


def _identities(obj):
    keys = [obj.get(k) for k in ("ExternalDirectoryObjectId", "Guid", "ExchangeGuid", "Identity",
                                 "Name", "Alias", "PrimarySmtpAddress", "WindowsEmailAddress",
                                 "UserPrincipalName", "DisplayName", "DistinguishedName")]
    keys += [a.split(":", 1)[1] for a in obj.get("EmailAddresses") or []
             if a.lower().startswith("smtp:")]
    return {str(k).lower() for k in keys if k}


def _select(req):
    """The $select of the URL as a list of names, or None for every property."""
    raw = req.query.get("$select")
    if raw is None:
        return None
    names = [n.strip() for n in raw.split(",")]
    if not raw.strip() or not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", n) for n in names):
        raise ServiceError(400, "BadRequest", "The query specified in the URI is not valid. "
                           "$select: '%s' is not a list of property names." % raw)
    return names


def _max_page_size(app, req):
    """Prefer: odata.maxpagesize=N (OData 4.0 section 8.2.8.7), at most the configured size."""
    size = app.config.page_size("exo") or MAX_PAGE
    asked = None
    for pref in (req.header("Prefer") or "").split(","):
        key, _, value = pref.strip().partition("=")
        if key.strip().lower() == "odata.maxpagesize" and value.strip().isdigit():
            asked = int(value.strip())
    if asked is not None and asked > 0:
        return min(asked, size, MAX_PAGE), asked
    return min(size, MAX_PAGE), None


def _page(app, req, tenant, cmdlet, doc, results, warnings):
    """One page; the nextLink token is bound to this exact body (clients POST it again) and
    the link keeps the $select."""
    body_hash = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]
    select = _select(req)
    start = 0
    raw = req.query.get("$skiptoken")
    if raw is not None:
        tok = app.signer.decode(raw)
        if not isinstance(tok, dict) or tok.get("h") != body_hash:
            raise ServiceError(400, "BadRequest", "The skip token is not valid for this request; "
                               "POST the same body to the nextLink.")
        start = tok["n"]
    size, asked = _max_page_size(app, req)
    page = results[start:start + size]
    base = "%s/adminapi/beta/%s" % (req.base_url, tenant)
    out = {"@odata.context": "%s/$metadata#Collection(Exchange.GenericHashTable)" % base,
           "adminapi.warnings@odata.type": "#Collection(String)",
           "@adminapi.warnings": warnings}
    if start + size < len(results):
        tok = app.signer.encode({"h": body_hash, "n": start + size})
        query = "$select=%s&" % quote(req.query["$select"], safe=",") if select else ""
        out["@odata.nextLink"] = "%s/InvokeCommand?%s$skiptoken=%s" % (base, query, quote(tok))
    out["value"] = [_annotate(base, cmdlet, _project(o, select)) for o in page]
    headers = {"Preference-Applied": "odata.maxpagesize=%d" % size} if asked else {}
    return Response(200, out, headers, content_type=GRAPH_CT)


def _project(obj, select):
    """Only the selected properties (names matched without regard to case, spelt as the object
    spells them); a name the object lacks is left out, as for an open type."""
    if select is None:
        return obj
    wanted = {n.lower() for n in select}
    return {k: v for k, v in obj.items() if k.lower() in wanted}


def _annotate(base, cmdlet, obj):
    """The per-object metadata keys the service adds; clients skip keys that start with '@'."""
    key = obj.get("ExternalDirectoryObjectId") or obj.get("Guid") or obj.get("Identity") or ""
    link = "%s/%s('%s')" % (base, cmdlet.entity, key)
    out = {"@odata.id": link, "@odata.editLink": link}
    for prop, value in obj.items():
        if isinstance(value, list):
            out[prop + "@odata.type"] = "#Collection(String)"
        out[prop] = value
    return out


# -- the mailbox as Exchange serves it ------------------------------------------------------------

def _load_template():
    """Get-Mailbox's whole property bag, from Microsoft's shape in tests/data: every property a
    mailbox has, in the order Exchange gives them, annotations left out."""
    try:
        with open(TEMPLATE_FILE, encoding="utf-8") as fh:
            obj = json.load(fh)["value"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return {}
    return {k: v for k, v in obj.items() if "@" not in k}


TEMPLATE = _load_template()


def render(app, mbx):
    """Fixture mailbox -> the property bag Get-Mailbox returns: the full property set, defaults
    filled in the way Exchange fills them (and from the owning Graph user where Exchange takes
    them from it), what the fixture sets as given."""
    owner = app.store.find(mbx.get("ExternalDirectoryObjectId") or "")
    user = owner.data if owner is not None else {}
    addresses = list(mbx.get("EmailAddresses") or [])
    primary = mbx.get("PrimarySmtpAddress") or next(
        (a[5:] for a in addresses if a.startswith("SMTP:")), "")
    alias = mbx.get("Alias") or (primary.split("@")[0] if primary else user.get("mailNickname", ""))
    seed = mbx.get("ExternalDirectoryObjectId") or mbx.get("Guid")
    guid = mbx.get("Guid") or str(uuid.uuid5(uuid.NAMESPACE_URL, "fakecloud:mailbox:" + seed))
    rtd = mbx.get("RecipientTypeDetails") or "UserMailbox"
    upn = mbx.get("UserPrincipalName") or user.get("userPrincipalName", "")
    name = mbx.get("Name") or alias
    core = {
        "ExternalDirectoryObjectId": mbx.get("ExternalDirectoryObjectId", ""),
        "Identity": mbx.get("Identity") or name,
        "Id": mbx.get("Identity") or name,
        "Name": name,
        "Alias": alias,
        "DisplayName": mbx.get("DisplayName") or user.get("displayName", ""),
        "Guid": guid,
        "ExchangeObjectId": guid,
        "ExchangeGuid": mbx.get("ExchangeGuid") or guid,
        "UserPrincipalName": upn,
        "WindowsLiveID": upn,
        "MicrosoftOnlineServicesID": upn,
        "PrimarySmtpAddress": primary,
        "WindowsEmailAddress": mbx.get("WindowsEmailAddress", primary),
        "EmailAddresses": addresses,
        "RecipientType": RECIPIENT_TYPE.get(rtd, "UserMailbox"),
        "RecipientTypeDetails": rtd,
        "IsShared": rtd == "SharedMailbox",
        "IsResource": rtd in ("RoomMailbox", "EquipmentMailbox"),
        "IsDirSynced": mbx.get("IsDirSynced", user.get("onPremisesSyncEnabled") is True),
        "IsExchangeCloudManaged": bool(mbx.get("IsExchangeCloudManaged", False)),
        "HiddenFromAddressListsEnabled": bool(mbx.get("HiddenFromAddressListsEnabled", False)),
        "DistinguishedName": "CN=%s,OU=%s,OU=Microsoft Exchange Hosted Organizations,"
                             "DC=EURPR01A001,DC=prod,DC=outlook,DC=com"
                             % (name, app.store.tenant_id),
        "LegacyExchangeDN": "/o=ExchangeLabs/ou=Exchange Administrative Group "
                            "(FYDIBOHF23SPDLT)/cn=Recipients/cn=%s-%s"
                            % (guid.replace("-", "")[:16], name),
    }
    for i in range(1, 16):
        core["CustomAttribute%d" % i] = mbx.get("CustomAttribute%d" % i) or ""
    for i in range(1, 6):
        core["ExtensionCustomAttribute%d" % i] = list(mbx.get("ExtensionCustomAttribute%d" % i)
                                                      or [])
    changed = app.store.mailbox_changed_at(mbx)
    core["WhenChanged"] = exodate.local(changed)
    core["WhenChangedUTC"] = exodate.utc(changed)
    out = dict(TEMPLATE)
    for key, value in mbx.items():          # anything else the fixture sets, as given
        if not key.startswith("_"):
            out[key] = value
    out.update(core)
    return out


# -- -Filter (OPATH) ------------------------------------------------------------------------------

_OPATH_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*'|\"[^\"]*\")|(?P<op>-[A-Za-z]+)"
                          r"|(?P<var>\$[A-Za-z]+)|(?P<punct>[()])|(?P<word>[A-Za-z][\w.]*))")


class OPath:
    """Enough OPATH for recipient filters: Prop -eq|-ne|-like|-ge|-gt|-le|-lt value, -and, -or,
    -not, ( ); dates (WhenChangedUTC) compare as times."""

    def __init__(self, text):
        self.text = str(text)
        self.tokens, pos = [], 0
        while pos < len(self.text.rstrip()):
            m = _OPATH_TOKEN.match(self.text, pos)
            if not m or m.end() == pos:
                raise self._error()
            self.tokens.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        self.pos = 0

    def _error(self, detail=""):
        return cmdlet_error("Cannot bind parameter 'Filter' to the target. Exception setting "
                            "\"Filter\": \"Invalid filter syntax. %s\"" % detail,
                            "System.Management.Automation.ParameterBindingException")

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def _op(self, name):
        kind, tok = self._peek()
        if kind == "op" and tok.lower() == name:
            self.pos += 1
            return True
        return False

    def parse(self):
        pred = self._or()
        if self.pos != len(self.tokens):
            raise self._error("Unexpected '%s'." % self._peek()[1])
        return pred

    def _or(self):
        left = self._and()
        while self._op("-or"):
            right, prev = self._and(), left
            left = lambda o, a=prev, b=right: a(o) or b(o)
        return left

    def _and(self):
        left = self._not()
        while self._op("-and"):
            right, prev = self._not(), left
            left = lambda o, a=prev, b=right: a(o) and b(o)
        return left

    def _not(self):
        if self._op("-not"):
            inner = self._not()
            return lambda o: not inner(o)
        return self._atom()

    def _atom(self):
        kind, tok = self._peek()
        self.pos += 1
        if tok == "(":
            pred = self._or()
            if self._peek()[1] != ")":
                raise self._error("Missing ')'.")
            self.pos += 1
            return pred
        if kind != "word":
            raise self._error()
        prop = FILTERABLE.get(tok.lower())
        if prop is None:
            raise cmdlet_error("Cannot bind parameter 'Filter' to the target. Exception setting "
                               "\"Filter\": \"The property '%s' isn't a valid filterable "
                               "property.\"" % tok,
                               "Microsoft.Exchange.Management.Tasks.TaskArgumentException")
        op_kind, op = self._peek()
        self.pos += 1
        op = op.lower() if op_kind == "op" else None
        if op not in _OPATH_COMPARE and op not in ("-eq", "-ne", "-like"):
            raise self._error("Expected -eq, -ne, -like, -ge, -gt, -le or -lt.")
        value = self._value()
        if prop in DATE_PROPERTIES:
            return self._date_test(prop, op, value)
        if op in _OPATH_COMPARE:
            cmp = _OPATH_COMPARE[op]
            return lambda o: _opath_order(o.get(prop), value, cmp)
        test = _opath_like if op == "-like" else _opath_eq
        if op == "-ne":
            return lambda o: not test(o.get(prop), value)
        return lambda o: test(o.get(prop), value)

    def _date_test(self, prop, op, value):
        """A date compared as a time; the value must be a date Exchange reads (exodate.py)."""
        if value is None and op in ("-eq", "-ne"):
            return lambda o: (o.get(prop) in (None, "")) == (op == "-eq")
        # The words of Exchange's own failures are not documented; the shape is that of every
        # -Filter that cannot bind (ParameterBindingException, as above).
        if op == "-like":
            raise self._error("%s is a date/time: compare it with -eq, -ne, -ge, -gt, -le or "
                              "-lt." % prop)
        when = exodate.parse(value) if isinstance(value, str) else None
        if when is None:
            raise self._error("The value '%s' of %s %s is not a date/time (use "
                              "'yyyy-MM-ddTHH:mm:ssZ' or 'MM/dd/yyyy HH:mm:ss')."
                              % (value, prop, op))
        cmp = _OPATH_COMPARE.get(op) or (
            (lambda a, b: a == b) if op == "-eq" else (lambda a, b: a != b))

        def test(obj):
            actual = exodate.parse(obj.get(prop))
            return actual is not None and cmp(actual, when)
        return test

    def _value(self):
        kind, tok = self._peek()
        self.pos += 1
        if kind == "str":
            return tok[1:-1].replace("''", "'") if tok[0] == "'" else tok[1:-1]
        if kind == "var" and tok.lower() in ("$true", "$false", "$null"):
            return {"$true": True, "$false": False, "$null": None}[tok.lower()]
        if kind == "word":
            return tok
        raise self._error("Expected a value.")


_OPATH_COMPARE = {"-ge": lambda a, b: a >= b, "-gt": lambda a, b: a > b,
                  "-le": lambda a, b: a <= b, "-lt": lambda a, b: a < b}


def _opath_order(actual, expected, cmp):
    """Text compared in order, without regard to case (a multi-valued property: any value)."""
    if isinstance(actual, list):
        return any(_opath_order(a, expected, cmp) for a in actual)
    if actual is None or expected is None:
        return False
    return cmp(str(actual).lower(), str(expected).lower())


def _opath_eq(actual, expected):
    if isinstance(actual, list):
        return any(_opath_eq(a, expected) for a in actual)
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected or str(actual).lower() == str(expected).lower()
    if expected is None:
        return actual in (None, "")
    return str(actual).lower() == str(expected).lower()


def _opath_like(actual, pattern):
    if isinstance(actual, list):
        return any(_opath_like(a, pattern) for a in actual)
    regex = "^" + ".*".join(re.escape(p) for p in str(pattern).split("*")) + "$"
    return re.match(regex, str(actual or ""), re.IGNORECASE) is not None
