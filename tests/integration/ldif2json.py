#!/usr/bin/python3
"""ldif2json -- read `ldapsearch -LLL -o ldif-wrap=no` output on stdin, print JSON:
{"<dn>": {"<attr>": ["value", ...]}}.  Base64 values (attr:: ...) are decoded to text when they
are UTF-8, else kept as "base64:<...>", so tests compare exact values, spaces and all."""
import base64
import json
import sys


def decode(b64):
    raw = base64.b64decode(b64)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + b64


def main():
    out, dn = {}, None
    for line in sys.stdin.read().split("\n"):
        if not line or line.startswith("#"):
            continue
        if line.startswith("dn:: "):
            dn = decode(line[5:])
            out[dn] = {}
            continue
        if line.startswith("dn: "):
            dn = line[4:]
            out[dn] = {}
            continue
        attr, sep, rest = line.partition(":")
        if not sep or dn is None:
            continue
        if rest.startswith(": "):
            value = decode(rest[2:])
        elif rest.startswith(" "):
            value = rest[1:]
        else:
            value = rest
        out[dn].setdefault(attr, []).append(value)
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
