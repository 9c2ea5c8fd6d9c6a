#!/usr/bin/python3
"""Check soabridge reports without anything outside Python's standard library.

  validate.py schema SCHEMA.json REPORT.json
      Validates REPORT against the JSON Schema subset docs/report-schema.json
      uses: type (one or a list), const, enum, required, properties,
      additionalProperties (false or a schema), items, $ref to #/$defs/...,
      oneOf, minimum, pattern.  A keyword outside the subset is an error, so
      the schema cannot grow past what is checked.
  validate.py csv REPORT.csv REPORT.json
      Reads the CSV with the csv module (RFC 4180) and checks that it holds
      the JSON report's entries, row for row, once the cells are decoded
      (decode_values is the reader the README describes).
Prints "ok ..." and exits 0, or prints each problem and exits 1.
"""
import base64
import csv
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "const",
         "enum", "required", "properties", "additionalProperties", "items",
         "$ref", "oneOf", "minimum", "pattern"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def check(schema, v, root, path, errs):
    unknown = set(schema) - KNOWN
    if unknown:
        errs.append("%s: schema uses unsupported keywords %s" % (path, sorted(unknown)))
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            errs.append("%s: unsupported $ref %s" % (path, ref))
            return
        check(root["$defs"][ref[len("#/$defs/"):]], v, root, path, errs)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](v) for t in types):
            errs.append("%s: %r is not %s" % (path, v, "/".join(types)))
            return
    if "const" in schema and v != schema["const"]:
        errs.append("%s: %r is not %r" % (path, v, schema["const"]))
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s: %r is not one of %s" % (path, v, schema["enum"]))
    if "minimum" in schema and TYPES["number"](v) and v < schema["minimum"]:
        errs.append("%s: %r is below %r" % (path, v, schema["minimum"]))
    if "pattern" in schema and isinstance(v, str) and not re.search(schema["pattern"], v):
        errs.append("%s: %r does not match %s" % (path, v, schema["pattern"]))
    if "oneOf" in schema:
        ok = 0
        for sub in schema["oneOf"]:
            e = []
            check(sub, v, root, path, e)
            ok += not e
        if ok != 1:
            errs.append("%s: %r matches %d of oneOf, not 1" % (path, v, ok))
    if isinstance(v, dict):
        for k in schema.get("required", []):
            if k not in v:
                errs.append("%s: %s is missing" % (path, k))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, x in v.items():
            if k in props:
                check(props[k], x, root, path + "." + k, errs)
            elif extra is False:
                errs.append("%s: unexpected property %s" % (path, k))
            elif isinstance(extra, dict):
                check(extra, x, root, path + "." + k, errs)
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            check(schema["items"], x, root, "%s[%d]" % (path, i), errs)


def validate_schema(schema_path, report_path):
    schema = json.load(open(schema_path))
    report = json.load(open(report_path))
    errs = []
    check(schema, report, schema, "$", errs)
    # What a schema cannot say: the summary counts the entries.
    s, entries = report.get("summary", {}), report.get("entries", [])
    if s.get("entries") != len(entries):
        errs.append("summary.entries %r != %d entries" % (s.get("entries"), len(entries)))
    for st, n in s.get("states", {}).items():
        if n != sum(1 for e in entries if e.get("state") == st):
            errs.append("summary.states.%s is %d, the entries say otherwise" % (st, n))
    for e in errs[:50]:
        print("not valid: " + e)
    if not errs:
        print("ok: %s is valid (%d entries)" % (report_path, len(entries)))
    return 1 if errs else 0


def decode_cell(cell):
    """A CSV cell as the report wrote it: drop the spreadsheet guard."""
    return cell[1:] if cell.startswith("'") else cell


def decode_values(cell):
    """A multi-valued cell: values split on unescaped '|', '\\' escapes, \\b64: binary."""
    cell = decode_cell(cell)
    if cell == "":
        return []
    vals, cur, i = [], "", 0
    raw = []                      # per value: was it \b64:?
    b64 = False
    while i < len(cell):
        c = cell[i]
        if c == "\\" and cell.startswith("\\b64:", i) and cur == "":
            b64, i = True, i + 5
            continue
        if c == "\\" and i + 1 < len(cell):
            cur += cell[i + 1]
            i += 2
            continue
        if c == "|":
            vals.append(cur)
            raw.append(b64)
            cur, b64 = "", False
            i += 1
            continue
        cur += c
        i += 1
    vals.append(cur)
    raw.append(b64)
    return [{"base64": v} if b else v for v, b in zip(vals, raw)]


def validate_csv(csv_path, report_path):
    report = json.load(open(report_path))
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    errs = []
    header = ["state", "owner", "class", "kind", "dn", "cloud_id", "display_name",
              "attribute", "ad_values", "cloud_values", "add", "remove", "reason", "message"]
    if rows[0] != header:
        errs.append("header is %r" % rows[0])
    entries = report["entries"]
    if len(rows) - 1 != len(entries):
        errs.append("%d rows, %d entries" % (len(rows) - 1, len(entries)))
    for n, (row, e) in enumerate(zip(rows[1:], entries), 1):
        if len(row) != len(header):
            errs.append("row %d has %d cells" % (n, len(row)))
            continue
        r = dict(zip(header, row))
        for k in ("state", "owner", "class", "kind"):
            if r[k] != e[k]:
                errs.append("row %d %s: %r != %r" % (n, k, r[k], e[k]))
        for k, j in (("dn", "dn"), ("cloud_id", "cloud_id"), ("display_name", "display_name"),
                     ("attribute", "attribute"), ("reason", "reason"), ("message", "message")):
            if decode_cell(r[k]) != (e[j] or ""):
                errs.append("row %d %s: %r != %r" % (n, k, r[k], e[j]))
        for k, j in (("ad_values", "ad_values"), ("cloud_values", "cloud_values"),
                     ("add", "add"), ("remove", "remove")):
            if decode_values(r[k]) != (e[j] or []):
                errs.append("row %d %s: %r != %r" % (n, k, decode_values(r[k]), e[j]))
    for e in errs[:50]:
        print("not ok: " + e)
    if not errs:
        print("ok: %s round-trips (%d rows)" % (csv_path, len(rows) - 1))
    return 1 if errs else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "schema":
        return validate_schema(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "csv":
        return validate_csv(argv[2], argv[3])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
