"""Exchange Online's admin API (the REST endpoint behind ExchangeOnlineManagement v3):
POST /adminapi/beta/{tenant}/InvokeCommand with {"CmdletInput": {"CmdletName", "Parameters"}}.

Read cmdlets only (Get-Mailbox, Get-Recipient, Get-MailUser, Get-MailContact,
Get-DistributionGroup).  Results page through @odata.nextLink, which the client POSTs the same
body to; the token inside the link is bound to that body.  Like the real cmdlets, a missing
ResultSize means 1000 results at most (with a warning), and unset CustomAttributeN come back as
"" and ExtensionCustomAttributeN as [].  See reference/graph-exo-protocol.md section 6.
"""

import hashlib
import json
import re
import uuid
from urllib.parse import quote

from identity import EXO_AUD, WWW_AUTHENTICATE, check_bearer
from web import GRAPH_CT, Response, ServiceError

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
     "UserPrincipalName", "WindowsEmailAddress", "EmailAddresses"]
    + ["CustomAttribute%d" % i for i in range(1, 16)])}


def cmdlet_error(message, exception, code="BadRequest", status=400):
    """Cmdlet failures: the .NET exception type between bars, then the text (as EXO sends)."""
    return ServiceError(status, code, "|%s|%s" % (exception, message))


def error_response(err):
    return Response(err.status, {"error": {"code": err.code, "message": err.message}},
                    err.headers, content_type=GRAPH_CT)


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
    cmdlet = CMDLETS.get(name.lower())
    if cmdlet is None:
        raise cmdlet_error("The term '%s' is not recognized as the name of a cmdlet, function, "
                           "script file, or operable program." % name,
                           "System.Management.Automation.CommandNotFoundException")
    req.cmdlet = cmdlet.name                     # for the stats
    params = _check_params(cmdlet, params)
    with app.store.lock:
        results, warnings = _run(app, cmdlet, params)
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


def _run(app, cmdlet, params):
    """The cmdlet's whole result, in a stable order, and its warnings."""
    types = _type_filter(cmdlet, params.get("recipienttypedetails"))
    objs = [render(app, m) for m in app.store.mailbox_list()]
    objs = [o for o in objs if o["RecipientTypeDetails"] in types]
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
                           code="NotFound")
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


def _page(app, req, tenant, cmdlet, doc, results, warnings):
    """One page; the nextLink token is bound to this exact body (clients POST it again)."""
    body_hash = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]
    start = 0
    raw = req.query.get("$skiptoken")
    if raw is not None:
        tok = app.signer.decode(raw)
        if not isinstance(tok, dict) or tok.get("h") != body_hash:
            raise ServiceError(400, "BadRequest", "The skip token is not valid for this request; "
                               "POST the same body to the nextLink.")
        start = tok["n"]
    size = app.config.page_size("exo") or 1000
    page = results[start:start + size]
    base = "%s/adminapi/beta/%s" % (req.base_url, tenant)
    out = {"@odata.context": "%s/$metadata#Collection(Exchange.GenericHashTable)" % base,
           "adminapi.warnings@odata.type": "#Collection(String)",
           "@adminapi.warnings": warnings}
    if start + size < len(results):
        tok = app.signer.encode({"h": body_hash, "n": start + size})
        out["@odata.nextLink"] = "%s/InvokeCommand?$skiptoken=%s" % (base, quote(tok))
    out["value"] = [_annotate(base, cmdlet, o) for o in page]
    return Response(200, out, content_type=GRAPH_CT)


def _annotate(base, cmdlet, obj):
    """The per-object metadata keys the service adds; clients skip keys that start with '@'."""
    key = obj.get("ExternalDirectoryObjectId") or obj["Guid"]
    link = "%s/%s('%s')" % (base, cmdlet.entity, key)
    out = {"@odata.id": link, "@odata.editLink": link}
    for prop, value in obj.items():
        if isinstance(value, list):
            out[prop + "@odata.type"] = "#Collection(String)"
        out[prop] = value
    return out


# -- the mailbox as Exchange serves it ------------------------------------------------------------

def render(app, mbx):
    """Fixture mailbox -> the property bag Get-Mailbox returns, defaults filled in the way
    Exchange fills them (and from the owning Graph user where Exchange takes them from it)."""
    owner = app.store.find(mbx.get("ExternalDirectoryObjectId") or "")
    user = owner.data if owner is not None else {}
    addresses = list(mbx.get("EmailAddresses") or [])
    primary = mbx.get("PrimarySmtpAddress") or next(
        (a[5:] for a in addresses if a.startswith("SMTP:")), "")
    alias = mbx.get("Alias") or (primary.split("@")[0] if primary else user.get("mailNickname", ""))
    seed = mbx.get("ExternalDirectoryObjectId") or mbx.get("Guid")
    guid = mbx.get("Guid") or str(uuid.uuid5(uuid.NAMESPACE_URL, "fakecloud:mailbox:" + seed))
    rtd = mbx.get("RecipientTypeDetails") or "UserMailbox"
    out = {
        "ExternalDirectoryObjectId": mbx.get("ExternalDirectoryObjectId", ""),
        "Identity": mbx.get("Identity") or mbx.get("Name") or alias,
        "Name": mbx.get("Name") or alias,
        "Alias": alias,
        "DisplayName": mbx.get("DisplayName") or user.get("displayName", ""),
        "Guid": guid,
        "ExchangeGuid": mbx.get("ExchangeGuid") or guid,
        "UserPrincipalName": mbx.get("UserPrincipalName") or user.get("userPrincipalName", ""),
        "PrimarySmtpAddress": primary,
        "WindowsEmailAddress": mbx.get("WindowsEmailAddress", primary),
        "EmailAddresses": addresses,
        "RecipientType": RECIPIENT_TYPE.get(rtd, "UserMailbox"),
        "RecipientTypeDetails": rtd,
        "IsDirSynced": mbx.get("IsDirSynced", user.get("onPremisesSyncEnabled") is True),
        "IsExchangeCloudManaged": bool(mbx.get("IsExchangeCloudManaged", False)),
        "HiddenFromAddressListsEnabled": bool(mbx.get("HiddenFromAddressListsEnabled", False)),
    }
    for i in range(1, 16):
        out["CustomAttribute%d" % i] = mbx.get("CustomAttribute%d" % i) or ""
    for i in range(1, 6):
        out["ExtensionCustomAttribute%d" % i] = list(mbx.get("ExtensionCustomAttribute%d" % i)
                                                     or [])
    for key, value in mbx.items():          # anything else the fixture sets, as given
        out.setdefault(key, value)
    return out


# -- -Filter (OPATH) ------------------------------------------------------------------------------

_OPATH_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*'|\"[^\"]*\")|(?P<op>-[A-Za-z]+)"
                          r"|(?P<var>\$[A-Za-z]+)|(?P<punct>[()])|(?P<word>[A-Za-z][\w.]*))")


class OPath:
    """Enough OPATH for recipient filters: Prop -eq|-ne|-like value, -and, -or, -not, ( )."""

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
        if op_kind != "op" or op.lower() not in ("-eq", "-ne", "-like"):
            raise self._error("Expected -eq, -ne or -like.")
        value = self._value()
        test = _opath_like if op.lower() == "-like" else _opath_eq
        if op.lower() == "-ne":
            return lambda o: not test(o.get(prop), value)
        return lambda o: test(o.get(prop), value)

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
