"""Graph's OData query options as the directory endpoints implement them: $select, $expand,
$top, $filter (a subset), $count; and the projection of a stored object onto a response.

Where Graph refuses a query, this refuses it the same way (400 with Graph's code and message),
so a client that works here sends queries the service accepts.
"""

import re

from schema import DIRECTORY_OBJECT, EXTENSION_RE
from web import ServiceError

MAX_TOP = 999
DEFAULT_PAGE = 100       # Graph's page size for directory collections without $top
MAX_IN_VALUES = 15       # Graph caps `in (...)` and OR chains at 15 clauses


def bad_request(message, code="Request_BadRequest"):
    return ServiceError(400, code, message)


def no_property(name, etype):
    return bad_request("Could not find a property named '%s' on type '%s'."
                       % (name, etype.qualified))


def check_options(req, allowed):
    """Refuse system query options the endpoint does not take, and options given twice."""
    for key in req.duplicate_options:
        raise bad_request("Query option '%s' was specified more than once, but it must be "
                          "specified at most once." % key, "BadRequest")
    for key in req.query:
        if key.startswith("$") and key.lower() not in allowed:
            raise bad_request("Query option '%s' is not allowed. Make sure that the query "
                              "option is supported by this request." % key, "BadRequest")


def parse_select(raw, etype):
    """$select names, canonically spelt, or None when absent.  Navigation properties are not
    selectable: they come from their own URL or $expand."""
    if raw is None:
        return None
    names = []
    for name in raw.split(","):
        name = name.strip()
        if not name:
            raise bad_request("Syntax error in $select: '%s'." % raw)
        canon = etype.canonical(name)
        if canon is None:
            raise no_property(name, etype)
        if canon not in names:
            names.append(canon)
    return names


def parse_top(raw):
    if raw is None:
        return None
    if not re.fullmatch(r"\d+", raw.strip()) or not 1 <= int(raw) <= MAX_TOP:
        raise bad_request("Invalid page size specified: '%s'. Must be between 1 and %d "
                          "inclusive." % (raw, MAX_TOP))
    return int(raw)


def parse_expand(raw, etype, expandable):
    """$expand=nav or nav($select=a,b): {nav: select-or-None}.  Only the navigations in
    `expandable` are served (manager on users and contacts, members on groups)."""
    if raw is None:
        return {}
    result = {}
    for item in _split_top_level(raw, ","):
        m = re.fullmatch(r"\s*([A-Za-z]\w*)\s*(?:\((.*)\))?\s*", item)
        if not m:
            raise bad_request("Syntax error in $expand: '%s'." % raw)
        nav = etype.nav(m.group(1))
        if nav is None:
            raise no_property(m.group(1), etype)
        if nav not in expandable:
            raise bad_request("Expanding '%s' is not supported." % nav, "Request_UnsupportedQuery")
        result[nav] = _expand_options(m.group(2))
    return result


def _expand_options(raw):
    select = None
    for opt in _split_top_level(raw or "", ";"):
        if not opt.strip():
            continue
        key, _, value = opt.partition("=")
        if key.strip().lower() != "$select":
            raise bad_request("Query option '%s' is not supported inside $expand." % key.strip(),
                              "Request_UnsupportedQuery")
        select = parse_select(value, DIRECTORY_OBJECT)
    return select


def _split_top_level(text, sep):
    """Split on sep outside parentheses and quotes."""
    parts, depth, quoted, cur = [], 0, False, []
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        if ch == sep and depth == 0 and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def project(data, etype, select, with_type=False):
    """The object as Graph serves it: id, then the selected (or default) properties.  A selected
    property without a value is null ([] for collections); a directory extension without a value
    is left out, as Graph does."""
    out = {}
    if with_type:
        out["@odata.type"] = etype.odata_type
    out["id"] = data["id"]
    props = select if select is not None else (etype.default_select or etype.props)
    for prop in props:
        if prop == "id":
            continue
        if EXTENSION_RE.match(prop):
            key = next((k for k in data if k.lower() == prop.lower()), None)
            if key is not None:
                out[key] = data[key]
            continue
        if prop in etype.complexes:
            value = dict(etype.empty_value(prop))
            value.update(data.get(prop) or {})
            out[prop] = value
        elif data.get(prop) is not None:
            out[prop] = data[prop]
        else:
            out[prop] = etype.empty_value(prop)
    return out


def project_polymorphic(obj, select):
    """A member or manager: typed, and only the selected properties its own type has."""
    if select is None:
        return project(obj.data, obj.etype, None, with_type=True)
    own = [p for p in select if obj.etype.canonical(p)]
    return project(obj.data, obj.etype, own, with_type=True)


# -- $filter --------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)(?![\w-])"
                       r"|(?P<punct>[(),])|(?P<word>[A-Za-z_$][\w./$-]*))")


class _Filter:
    """A recursive-descent parser for the part of OData $filter that directory queries use:
    eq, ne, in, startswith, endswith, not, and, or, parentheses.  It compiles to a predicate over
    a fixture dict.  ne, not and endswith are "advanced queries" in Graph: they need
    ConsistencyLevel: eventual and $count=true, else Graph answers 400."""

    def __init__(self, text, etype):
        self.text, self.etype = text, etype
        self.tokens = self._tokenize(text)
        self.pos = 0
        self.advanced_prop = None   # the property of the first advanced clause, if any

    def _tokenize(self, text):
        tokens, pos = [], 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN_RE.match(text, pos)
            if not m or m.end() == pos:
                raise self._syntax("unexpected character at position %d" % pos)
            kind = m.lastgroup
            tokens.append((kind, m.group(kind)))
            pos = m.end()
        return tokens

    def _syntax(self, why):
        return bad_request("Invalid filter clause: %s." % why)

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def _next(self):
        tok = self._peek()
        self.pos += 1
        return tok

    def _expect(self, value):
        kind, tok = self._next()
        if tok is None or tok.lower() != value:
            raise self._syntax("expected '%s'" % value)

    def _keyword(self, word):
        kind, tok = self._peek()
        if kind == "word" and tok.lower() == word:
            self.pos += 1
            return True
        return False

    def parse(self):
        if not self.tokens:
            raise self._syntax("the filter is empty")
        pred = self._or()
        if self.pos != len(self.tokens):
            raise self._syntax("unexpected '%s'" % self._peek()[1])
        return pred

    def _or(self):
        preds = [self._and()]
        while self._keyword("or"):
            preds.append(self._and())
        if len(preds) > MAX_IN_VALUES:
            raise _too_many(len(preds))
        return preds[0] if len(preds) == 1 else (lambda d: any(p(d) for p in preds))

    def _and(self):
        preds = [self._not()]
        while self._keyword("and"):
            preds.append(self._not())
        return preds[0] if len(preds) == 1 else (lambda d: all(p(d) for p in preds))

    def _not(self):
        if self._keyword("not"):
            inner = self._not()
            self.advanced_prop = self.advanced_prop or "not"
            return lambda d: not inner(d)
        return self._atom()

    def _atom(self):
        kind, tok = self._next()
        if tok == "(":
            pred = self._or()
            self._expect(")")
            return pred
        if kind != "word":
            raise self._syntax("expected a property or a function")
        if self._peek()[1] == "(":
            return self._function(tok)
        prop = self._property(tok)
        op_kind, op = self._next()
        if op_kind != "word":
            raise self._syntax("expected an operator after '%s'" % prop)
        op = op.lower()
        if op == "in":
            values = self._list()
            return lambda d: any(_equal(d.get(prop), v) for v in values)
        if op not in ("eq", "ne"):
            raise bad_request("Unsupported or invalid query filter clause specified for property "
                              "'%s' of resource '%s'." % (prop, self.etype.name.capitalize()),
                              "Request_UnsupportedQuery")
        value = self._literal()
        if op == "ne":
            self.advanced_prop = self.advanced_prop or prop
            return lambda d: not _equal(d.get(prop), value)
        return lambda d: _equal(d.get(prop), value)

    def _function(self, name):
        func = name.lower()
        if func not in ("startswith", "endswith"):
            raise bad_request("Unsupported query function '%s'." % name, "Request_UnsupportedQuery")
        self._expect("(")
        prop = self._property(self._next()[1] or "")
        self._expect(",")
        value = self._literal()
        self._expect(")")
        if not isinstance(value, str):
            raise self._syntax("%s takes a string" % func)
        low = value.lower()
        if func == "endswith":
            self.advanced_prop = self.advanced_prop or prop
            return lambda d: isinstance(d.get(prop), str) and d[prop].lower().endswith(low)
        return lambda d: isinstance(d.get(prop), str) and d[prop].lower().startswith(low)

    def _property(self, name):
        canon = self.etype.canonical(name)
        if canon is None:
            raise bad_request("Property '%s' does not exist as a declared property or extension "
                              "property." % name)
        if canon in self.etype.collections or canon in self.etype.complexes:
            raise bad_request("Unsupported or invalid query filter clause specified for property "
                              "'%s' of resource '%s'." % (canon, self.etype.name.capitalize()),
                              "Request_UnsupportedQuery")
        return canon

    def _list(self):
        self._expect("(")
        values = [self._literal()]
        while self._peek()[1] == ",":
            self._next()
            values.append(self._literal())
        self._expect(")")
        if len(values) > MAX_IN_VALUES:
            raise _too_many(len(values))
        return values

    def _literal(self):
        kind, tok = self._next()
        if kind == "str":
            return tok[1:-1].replace("''", "'")
        if kind == "num":
            return float(tok) if "." in tok else int(tok)
        if kind == "word" and tok.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[tok.lower()]
        raise self._syntax("expected a literal, got '%s'" % tok)


def _too_many(n):
    return bad_request("Too many child clauses specified in search filter expression containing "
                       "'OR' operators: %d. Max allowed: %d." % (n, MAX_IN_VALUES),
                       "Request_UnsupportedQuery")


def _equal(actual, expected):
    """Directory string comparisons ignore case; null matches an absent property."""
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected.lower()
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    return actual == expected


def parse_filter(raw, etype, advanced):
    """A predicate over fixture dicts, or None without $filter."""
    if raw is None:
        return None
    parser = _Filter(raw, etype)
    pred = parser.parse()
    if parser.advanced_prop and not advanced:
        raise bad_request("Unsupported or invalid query filter clause specified for property "
                          "'%s' of resource '%s'." % (parser.advanced_prop,
                                                      etype.name.capitalize()),
                          "Request_UnsupportedQuery")
    return pred


def is_advanced(req):
    """Graph's advanced query mode: ConsistencyLevel: eventual plus $count=true."""
    return ((req.header("ConsistencyLevel") or "").lower() == "eventual"
            and req.query.get("$count", "").lower() == "true")


def parse_count(req):
    raw = req.query.get("$count")
    if raw is None:
        return False
    if raw.lower() not in ("true", "false"):
        raise bad_request("Invalid value '%s' for $count." % raw)
    if raw.lower() == "true" and (req.header("ConsistencyLevel") or "").lower() != "eventual":
        raise bad_request("$count is not currently supported.", "Request_BadRequest")
    return raw.lower() == "true"


def context_url(req, version, entity_set, select, entity=False):
    """@odata.context: the $metadata fragment naming the set and the selected properties."""
    sel = "(%s)" % ",".join(select) if select else ""
    return "%s/%s/$metadata#%s%s%s" % (req.base_url, version, entity_set, sel,
                                        "/$entity" if entity else "")


MAX_EXPANDED_PAGE = 100  # with $expand, Graph serves at most 100 directory objects a page


def page_size(app, top, expanded=False):
    """$top, else Graph's default; at most 100 with $expand, whatever $top says; a smaller
    server page size (admin config) wins."""
    size = top or DEFAULT_PAGE
    if expanded:
        size = min(size, MAX_EXPANDED_PAGE)
    configured = app.config.page_size("graph")
    return min(size, configured) if configured else size
