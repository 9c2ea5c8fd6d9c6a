#!/usr/bin/python3
"""plan2ldif.py -- the changes of `soabridge plan --format json` as one LDIF for ldapmodify:
the LDAP half of the bench's floor (the same writes, without reading, gating or journaling).

    plan2ldif.py PLAN.json > CHANGES.ldif

Each change becomes one LDIF change record, in the plan's order: `modify` (values added and
deleted value by value, a replace with no values as a delete of the attribute), `add`, `rename`
(modrdn with newsuperior) and `delete`.  Prints the number of records on stderr.
"""
import base64
import json
import sys


def value_line(attr, value):
    """One LDIF line, base64 where RFC 2849 requires it (also gen.py's)."""
    raw = value.encode()
    safe = raw and raw[0] not in b" :<" and raw[-1:] != b" " and all(32 <= c < 127 for c in raw)
    return "%s: %s" % (attr, value) if safe else "%s:: %s" % (attr, base64.b64encode(raw).decode())


def record(ch):
    dn = value_line("dn", ch["dn"])
    op = ch["op"]
    if op == "add":
        lines = [dn, "changetype: add"]
        for d in ch["deltas"]:
            lines += [value_line(d["attribute"], v) for v in d["values"]]
        return lines
    if op == "delete":
        return [dn, "changetype: delete"]
    if op == "rename":
        return [dn, "changetype: modrdn", value_line("newrdn", ch["new_rdn"]), "deleteoldrdn: 1",
                value_line("newsuperior", ch["new_superior"])]
    if op != "modify":
        raise SystemExit("plan2ldif: change op %r of %s is not known" % (op, ch["dn"]))
    lines = [dn, "changetype: modify"]
    for d in ch["deltas"]:
        attr, kind = d["attribute"], d["op"]
        if kind == "replace" and not d["values"]:
            kind = "delete"
        if kind not in ("add", "delete", "replace"):
            raise SystemExit("plan2ldif: delta op %r of %s is not known" % (kind, ch["dn"]))
        lines.append("%s: %s" % (kind, attr))
        lines += [value_line(attr, v) for v in d["values"]]
        lines.append("-")
    return lines


def main(argv):
    if len(argv) != 2:
        print("usage: plan2ldif.py PLAN.json > CHANGES.ldif", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        plan = json.load(f)
    n = 0
    for ch in plan["changes"]:
        sys.stdout.write("\n".join(record(ch)) + "\n\n")
        n += 1
    print("plan2ldif: %d change records" % n, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
